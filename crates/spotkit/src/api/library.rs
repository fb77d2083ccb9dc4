//! `Library`: the February-2026 `/me/library` endpoints, which save, remove and check any kind
//! of item (tracks, albums, shows, episodes, audiobooks, artists, users, playlists) by URI.

use reqwest::Method;

use super::request::{Contains, IdsIn, IdsWrite};
use crate::Spotify;
use crate::model::SpotifyUri;

/// URIs per `/me/library` request (Spotify's maximum).
pub const LIBRARY_CHUNK: usize = 40;

/// `spotify.library()`.
#[derive(Debug, Clone, Copy)]
pub struct LibraryHandler<'a> {
    spotify: &'a Spotify,
}

impl<'a> LibraryHandler<'a> {
    pub(crate) fn new(spotify: &'a Spotify) -> Self {
        LibraryHandler { spotify }
    }

    /// `PUT /me/library`: saves items (or follows artists, users, playlists) by URI, 40 per
    /// request, in order (scopes `user-library-modify`, and `user-follow-modify` /
    /// `playlist-modify-public` for follows).
    pub fn save(&self, uris: &[SpotifyUri]) -> IdsWrite<'a> {
        IdsWrite::new(
            self.spotify,
            Method::PUT,
            "me/library",
            uris.iter().map(SpotifyUri::uri).collect(),
            LIBRARY_CHUNK,
            IdsIn::QueryUris,
        )
    }

    /// `DELETE /me/library`: removes items (or unfollows) by URI, 40 per request (scopes as
    /// for [`save`](Self::save)).
    pub fn remove(&self, uris: &[SpotifyUri]) -> IdsWrite<'a> {
        IdsWrite::new(
            self.spotify,
            Method::DELETE,
            "me/library",
            uris.iter().map(SpotifyUri::uri).collect(),
            LIBRARY_CHUNK,
            IdsIn::QueryUris,
        )
    }

    /// `GET /me/library/contains`: whether each URI is in the library, 40 per request (scopes
    /// `user-library-read`, `user-follow-read`, `playlist-read-private`).
    pub fn contains(&self, uris: &[SpotifyUri]) -> Contains<'a> {
        Contains::new(
            self.spotify,
            "me/library/contains".into(),
            IdsIn::QueryUris,
            uris.iter().map(SpotifyUri::uri).collect(),
            LIBRARY_CHUNK,
        )
    }
}
