//! `Audiobooks`: the user's saved audiobooks.

use super::paged_builder;
use crate::Spotify;
use crate::model::SavedAudiobook;

/// `spotify.audiobooks()`.
#[derive(Debug, Clone, Copy)]
pub struct AudiobooksHandler<'a> {
    spotify: &'a Spotify,
}

impl<'a> AudiobooksHandler<'a> {
    pub(crate) fn new(spotify: &'a Spotify) -> Self {
        AudiobooksHandler { spotify }
    }

    /// `GET /me/audiobooks`: the user's saved audiobooks (scope `user-library-read`).
    pub fn saved(&self) -> SavedAudiobooks<'a> {
        SavedAudiobooks::new(self.spotify, "me/audiobooks".into())
    }
}

paged_builder! {
    /// Builder for `GET /me/audiobooks`.
    SavedAudiobooks => SavedAudiobook;
}
