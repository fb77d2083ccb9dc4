//! `Episodes`: the user's saved episodes.

use super::paged_builder;
use crate::Spotify;
use crate::model::SavedEpisode;

/// `spotify.episodes()`.
#[derive(Debug, Clone, Copy)]
pub struct EpisodesHandler<'a> {
    spotify: &'a Spotify,
}

impl<'a> EpisodesHandler<'a> {
    pub(crate) fn new(spotify: &'a Spotify) -> Self {
        EpisodesHandler { spotify }
    }

    /// `GET /me/episodes`: the user's saved episodes (scopes `user-library-read`,
    /// `user-read-playback-position`).
    pub fn saved(&self) -> SavedEpisodes<'a> {
        SavedEpisodes::new(self.spotify, "me/episodes".into())
    }
}

paged_builder! {
    /// Builder for `GET /me/episodes`.
    SavedEpisodes => SavedEpisode;
    /// An ISO 3166-1 country code or `from_token`.
    market: String,
}
