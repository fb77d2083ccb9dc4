//! `Shows`: the user's saved shows.

use super::paged_builder;
use crate::Spotify;
use crate::model::SavedShow;

/// `spotify.shows()`.
#[derive(Debug, Clone, Copy)]
pub struct ShowsHandler<'a> {
    spotify: &'a Spotify,
}

impl<'a> ShowsHandler<'a> {
    pub(crate) fn new(spotify: &'a Spotify) -> Self {
        ShowsHandler { spotify }
    }

    /// `GET /me/shows`: the user's saved shows (scope `user-library-read`).
    pub fn saved(&self) -> SavedShows<'a> {
        SavedShows::new(self.spotify, "me/shows".into())
    }
}

paged_builder! {
    /// Builder for `GET /me/shows`.
    SavedShows => SavedShow;
}
