//! `Albums`: one album, its tracks, and the user's saved albums.

use super::{get_builder, paged_builder, segment};
use crate::Spotify;
use crate::model::{Album, AlbumId, SavedAlbum, SimplifiedTrack};

/// `spotify.albums()`.
#[derive(Debug, Clone, Copy)]
pub struct AlbumsHandler<'a> {
    spotify: &'a Spotify,
}

impl<'a> AlbumsHandler<'a> {
    pub(crate) fn new(spotify: &'a Spotify) -> Self {
        AlbumsHandler { spotify }
    }

    /// `GET /albums/{id}`: one album (with its first page of tracks).
    pub fn get(&self, id: &AlbumId) -> GetAlbum<'a> {
        GetAlbum::new(self.spotify, format!("albums/{}", segment(id.id())))
    }

    /// `GET /albums/{id}/tracks`: every track of an album.
    pub fn tracks(&self, id: &AlbumId) -> AlbumTracks<'a> {
        AlbumTracks::new(self.spotify, format!("albums/{}/tracks", segment(id.id())))
    }

    /// `GET /me/albums`: the user's saved albums (scope `user-library-read`).
    pub fn saved(&self) -> SavedAlbums<'a> {
        SavedAlbums::new(self.spotify, "me/albums".into())
    }
}

get_builder! {
    /// Builder for `GET /albums/{id}`.
    GetAlbum => Album;
    /// An ISO 3166-1 country code or `from_token`.
    market: String,
}

paged_builder! {
    /// Builder for `GET /albums/{id}/tracks`.
    AlbumTracks => SimplifiedTrack;
    /// An ISO 3166-1 country code or `from_token`.
    market: String,
}

paged_builder! {
    /// Builder for `GET /me/albums`.
    SavedAlbums => SavedAlbum;
    /// An ISO 3166-1 country code or `from_token`.
    market: String,
}
