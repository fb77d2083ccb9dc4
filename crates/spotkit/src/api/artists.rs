//! `Artists`: one or several artists, their albums, top tracks and related artists.

use serde::Serialize;

use super::request::Several;
use super::{comma_list, get_builder, paged_builder, segment};
use crate::Spotify;
use crate::model::{Artist, ArtistDiscographyAlbum, ArtistId, ManyArtists, ManyTracks};

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

    /// `GET /artists?ids=...`: several artists, 50 ids per request, in the order asked.
    #[deprecated(
        note = "removed for Development-Mode apps in Feb 2026; use `artists().get` per id instead"
    )]
    pub fn several(&self, ids: &[ArtistId]) -> Several<'a, Artist> {
        Several::new(
            self.spotify,
            "artists",
            ids.iter().map(|i| i.id().to_owned()).collect(),
            50,
        )
    }

    /// `GET /artists/{id}/albums`: an artist's albums, singles and appearances.
    pub fn albums(&self, id: &ArtistId) -> ArtistAlbums<'a> {
        ArtistAlbums::new(self.spotify, format!("artists/{}/albums", segment(id.id())))
    }

    /// `GET /artists/{id}/top-tracks`: an artist's top tracks in a market.
    #[deprecated(
        note = "removed for Development-Mode apps in Feb 2026; use `search().query` with `artist:` instead"
    )]
    pub fn top_tracks(&self, id: &ArtistId) -> ArtistTopTracks<'a> {
        ArtistTopTracks::new(
            self.spotify,
            format!("artists/{}/top-tracks", segment(id.id())),
        )
    }

    /// `GET /artists/{id}/related-artists`: artists similar to this one.
    #[deprecated(
        note = "removed for Development-Mode apps in Feb 2026; use `search().query` instead"
    )]
    pub fn related_artists(&self, id: &ArtistId) -> RelatedArtists<'a> {
        RelatedArtists::new(
            self.spotify,
            format!("artists/{}/related-artists", segment(id.id())),
        )
    }
}

get_builder! {
    /// Builder for `GET /artists/{id}`.
    GetArtist => Artist;
}

paged_builder! {
    /// Builder for `GET /artists/{id}/albums`.
    ArtistAlbums => ArtistDiscographyAlbum;
    /// Which kinds of release to list (default: all): one [`IncludeGroup`] or several
    /// (`[IncludeGroup::Album, IncludeGroup::Single]`).
    include_groups: IncludeGroups,
    /// An ISO 3166-1 country code or `from_token`.
    market: String,
}

get_builder! {
    /// Builder for `GET /artists/{id}/top-tracks`.
    ArtistTopTracks => ManyTracks;
    /// An ISO 3166-1 country code or `from_token`.
    market: String,
}

get_builder! {
    /// Builder for `GET /artists/{id}/related-artists`.
    RelatedArtists => ManyArtists;
}

/// A kind of release in an artist's discography (`include_groups`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum IncludeGroup {
    /// `album`
    Album,
    /// `single`
    Single,
    /// `appears_on`: other artists' releases this artist appears on.
    AppearsOn,
    /// `compilation`
    Compilation,
}

comma_list! {
    /// A comma-separated `include_groups` value; made from one [`IncludeGroup`], an array or a
    /// slice of them.
    IncludeGroups of IncludeGroup
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ArtistId;

    #[test]
    fn include_groups_are_serialized_by_serde() {
        let spotify = Spotify::builder()
            .api_base_url("http://127.0.0.1:1/v1")
            .build()
            .unwrap();
        let id = ArtistId::parse("0OdUWJ0sBjDrqHygGUXeCF").unwrap();
        let b = spotify.artists().albums(&id).include_groups([
            IncludeGroup::Album,
            IncludeGroup::Single,
            IncludeGroup::AppearsOn,
            IncludeGroup::Compilation,
        ]);
        assert_eq!(
            b.url().unwrap().query(),
            Some("include_groups=album%2Csingle%2Cappears_on%2Ccompilation")
        );
        let b = spotify
            .artists()
            .albums(&id)
            .include_groups(IncludeGroup::AppearsOn);
        assert_eq!(b.url().unwrap().query(), Some("include_groups=appears_on"));
    }
}
