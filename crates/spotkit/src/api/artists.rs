//! `Artists`: one artist.

use super::{get_builder, segment};
use crate::Spotify;
use crate::model::{Artist, ArtistId};

/// `spotify.artists()`.
#[derive(Debug, Clone, Copy)]
pub struct ArtistsHandler<'a> {
    spotify: &'a Spotify,
}

impl<'a> ArtistsHandler<'a> {
    pub(crate) fn new(spotify: &'a Spotify) -> Self {
        ArtistsHandler { spotify }
    }

    /// `GET /artists/{id}`: one artist.
    pub fn get(&self, id: &ArtistId) -> GetArtist<'a> {
        GetArtist::new(self.spotify, format!("artists/{}", segment(id.id())))
    }
}

get_builder! {
    /// Builder for `GET /artists/{id}`.
    GetArtist => Artist;
}
