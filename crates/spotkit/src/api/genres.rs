//! `Genres`: the genre seeds recommendations accept.

use super::get_builder;
use crate::Spotify;
use crate::model::ManyGenres;

/// `spotify.genres()`.
#[derive(Debug, Clone, Copy)]
pub struct GenresHandler<'a> {
    spotify: &'a Spotify,
}

impl<'a> GenresHandler<'a> {
    pub(crate) fn new(spotify: &'a Spotify) -> Self {
        GenresHandler { spotify }
    }

    /// `GET /recommendations/available-genre-seeds`: the genres usable as recommendation seeds.
    #[deprecated(note = "removed for Development-Mode apps in Feb 2026; no replacement exists")]
    pub fn seeds(&self) -> GenreSeeds<'a> {
        GenreSeeds::new(self.spotify, "recommendations/available-genre-seeds".into())
    }
}

get_builder! {
    /// Builder for `GET /recommendations/available-genre-seeds`.
    GenreSeeds => ManyGenres;
}
