//! `Albums`: one album, several at once, an album's tracks, the user's saved albums (read,
//! save, remove, check), and new releases.

use reqwest::Method;

use super::request::{Contains, IdsIn, IdsWrite, Several};
use super::{get_builder, paged_builder, segment};
use crate::Spotify;
use crate::model::{Album, AlbumId, PagedAlbums, SavedAlbum, SimplifiedTrack};

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

impl<'a> AlbumsHandler<'a> {
    /// `GET /albums?ids=...`: several albums, 20 ids per request, in the order asked.
    #[deprecated(
        note = "removed for Development-Mode apps in Feb 2026; use `albums().get` per id instead"
    )]
    pub fn several(&self, ids: &[AlbumId]) -> Several<'a, Album> {
        Several::new(
            self.spotify,
            "albums",
            ids.iter().map(|i| i.id().to_owned()).collect(),
            20,
        )
    }

    /// `PUT /me/albums`: saves albums to the library, 20 per request (scope `user-library-modify`).
    #[deprecated(
        note = "removed for Development-Mode apps in Feb 2026; use `library().save` instead"
    )]
    pub fn save(&self, ids: &[AlbumId]) -> IdsWrite<'a> {
        IdsWrite::new(
            self.spotify,
            Method::PUT,
            "me/albums",
            ids.iter().map(|i| i.id().to_owned()).collect(),
            20,
            IdsIn::QueryIds,
        )
    }

    /// `DELETE /me/albums`: removes albums from the library, 20 per request (scope
    /// `user-library-modify`).
    #[deprecated(
        note = "removed for Development-Mode apps in Feb 2026; use `library().remove` instead"
    )]
    pub fn remove(&self, ids: &[AlbumId]) -> IdsWrite<'a> {
        IdsWrite::new(
            self.spotify,
            Method::DELETE,
            "me/albums",
            ids.iter().map(|i| i.id().to_owned()).collect(),
            20,
            IdsIn::QueryIds,
        )
    }

    /// `GET /me/albums/contains`: whether each album is saved, 20 per request (scope
    /// `user-library-read`).
    #[deprecated(
        note = "removed for Development-Mode apps in Feb 2026; use `library().contains` instead"
    )]
    pub fn contains(&self, ids: &[AlbumId]) -> Contains<'a> {
        Contains::new(
            self.spotify,
            "me/albums/contains".into(),
            IdsIn::QueryIds,
            ids.iter().map(|i| i.id().to_owned()).collect(),
            20,
        )
    }

    /// `GET /browse/new-releases`: new album releases featured in Spotify.
    #[deprecated(
        note = "removed for Development-Mode apps in Feb 2026; use `search().query` instead"
    )]
    pub fn new_releases(&self) -> NewReleases<'a> {
        NewReleases::new(self.spotify, "browse/new-releases".into())
    }
}

get_builder! {
    /// Builder for `GET /browse/new-releases` (one page, wrapped as `{"albums": page}`).
    NewReleases => PagedAlbums;
    ;
    /// Items per page (1..=50, default 20).
    limit: u32,
    /// Index of the first item.
    offset: u32,
}
