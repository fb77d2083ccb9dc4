//! Albums.

use serde::{Deserialize, Serialize};

use crate::macros::string_enum;
use crate::prelude::*;

/// An album with its tracks (`AlbumObject`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Album {
    /// The type of the album.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub album_type: AlbumType,
    /// The number of tracks in the album.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub total_tracks: u32,
    /// The markets in which the album is available: [ISO 3166-1 alpha-2 country codes](http://en.wikipedia.org/wiki/ISO_3166-1_alpha-2). _**NOTE**: an album is considered available in a market when at least 1 of its tracks is available in that market._
    ///
    /// _Deprecated in Spotify's API definition; may be missing (e.g. for Development-Mode apps)._
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available_markets: Option<Vec<String>>,
    /// Known external URLs for this album.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub external_urls: ExternalUrl,
    /// A link to the Web API endpoint providing full details of the album.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    /// The [Spotify ID](https://developer.spotify.com/documentation/web-api/concepts/spotify-uris-ids) for the album.
    #[serde(
        default,
        deserialize_with = "crate::de::id",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<AlbumId>,
    /// The cover art for the album in various sizes, widest first.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub images: Vec<Image>,
    /// The name of the album. In case of an album takedown, the value may be an empty string.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub name: String,
    /// The date the album was first released.
    #[serde(
        default,
        deserialize_with = "crate::release_date::lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub release_date: Option<ReleaseDate>,
    /// The precision with which `release_date` value is known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release_date_precision: Option<ReleaseDatePrecision>,
    /// Included in the response when a content restriction is applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restrictions: Option<AlbumRestriction>,
    /// The object type.
    #[serde(rename = "type", default, deserialize_with = "crate::de::null_default")]
    pub kind: ItemType,
    /// The [Spotify URI](https://developer.spotify.com/documentation/web-api/concepts/spotify-uris-ids) for the album.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub uri: String,
    /// The artists of the album. Each artist object includes a link in `href` to more detailed information about the artist.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub artists: Vec<SimplifiedArtist>,
    /// The tracks of the album.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub tracks: PagingSimplifiedTrack,
    /// The copyright statements of the album.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub copyrights: Vec<Copyright>,
    /// Known external IDs for the album.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub external_ids: ExternalId,
    /// **Deprecated** The array is always empty.
    ///
    /// _Deprecated in Spotify's API definition; may be missing (e.g. for Development-Mode apps)._
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub genres: Option<Vec<String>>,
    /// The label associated with the album.
    ///
    /// _Deprecated in Spotify's API definition; may be missing (e.g. for Development-Mode apps)._
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The popularity of the album. The value will be between 0 and 100, with 100 being the most popular.
    ///
    /// _Deprecated in Spotify's API definition; may be missing (e.g. for Development-Mode apps)._
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub popularity: Option<u32>,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

/// An album without its tracks (`SimplifiedAlbumObject`), as embedded in tracks and album lists.
///
/// Also the Rust type of the `AlbumBase` schema (see [`AlbumBase`]).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SimplifiedAlbum {
    /// The type of the album.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub album_type: AlbumType,
    /// The number of tracks in the album.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub total_tracks: u32,
    /// The markets in which the album is available: [ISO 3166-1 alpha-2 country codes](http://en.wikipedia.org/wiki/ISO_3166-1_alpha-2). _**NOTE**: an album is considered available in a market when at least 1 of its tracks is available in that market._
    ///
    /// _Deprecated in Spotify's API definition; may be missing (e.g. for Development-Mode apps)._
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available_markets: Option<Vec<String>>,
    /// Known external URLs for this album.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub external_urls: ExternalUrl,
    /// A link to the Web API endpoint providing full details of the album.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    /// The [Spotify ID](https://developer.spotify.com/documentation/web-api/concepts/spotify-uris-ids) for the album.
    #[serde(
        default,
        deserialize_with = "crate::de::id",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<AlbumId>,
    /// The cover art for the album in various sizes, widest first.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub images: Vec<Image>,
    /// The name of the album. In case of an album takedown, the value may be an empty string.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub name: String,
    /// The date the album was first released.
    #[serde(
        default,
        deserialize_with = "crate::release_date::lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub release_date: Option<ReleaseDate>,
    /// The precision with which `release_date` value is known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release_date_precision: Option<ReleaseDatePrecision>,
    /// Included in the response when a content restriction is applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restrictions: Option<AlbumRestriction>,
    /// The object type.
    #[serde(rename = "type", default, deserialize_with = "crate::de::null_default")]
    pub kind: ItemType,
    /// The [Spotify URI](https://developer.spotify.com/documentation/web-api/concepts/spotify-uris-ids) for the album.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub uri: String,
    /// The artists of the album. Each artist object includes a link in `href` to more detailed information about the artist.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub artists: Vec<SimplifiedArtist>,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

/// An album in an artist's discography (`ArtistDiscographyAlbumObject`): a simplified album plus `album_group`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ArtistDiscographyAlbum {
    /// The type of the album.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub album_type: AlbumType,
    /// The number of tracks in the album.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub total_tracks: u32,
    /// The markets in which the album is available: [ISO 3166-1 alpha-2 country codes](http://en.wikipedia.org/wiki/ISO_3166-1_alpha-2). _**NOTE**: an album is considered available in a market when at least 1 of its tracks is available in that market._
    ///
    /// _Deprecated in Spotify's API definition; may be missing (e.g. for Development-Mode apps)._
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available_markets: Option<Vec<String>>,
    /// Known external URLs for this album.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub external_urls: ExternalUrl,
    /// A link to the Web API endpoint providing full details of the album.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    /// The [Spotify ID](https://developer.spotify.com/documentation/web-api/concepts/spotify-uris-ids) for the album.
    #[serde(
        default,
        deserialize_with = "crate::de::id",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<AlbumId>,
    /// The cover art for the album in various sizes, widest first.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub images: Vec<Image>,
    /// The name of the album. In case of an album takedown, the value may be an empty string.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub name: String,
    /// The date the album was first released.
    #[serde(
        default,
        deserialize_with = "crate::release_date::lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub release_date: Option<ReleaseDate>,
    /// The precision with which `release_date` value is known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release_date_precision: Option<ReleaseDatePrecision>,
    /// Included in the response when a content restriction is applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restrictions: Option<AlbumRestriction>,
    /// The object type.
    #[serde(rename = "type", default, deserialize_with = "crate::de::null_default")]
    pub kind: ItemType,
    /// The [Spotify URI](https://developer.spotify.com/documentation/web-api/concepts/spotify-uris-ids) for the album.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub uri: String,
    /// The artists of the album. Each artist object includes a link in `href` to more detailed information about the artist.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub artists: Vec<SimplifiedArtist>,
    /// This field describes the relationship between the artist and the album.
    ///
    /// _Deprecated in Spotify's API definition; may be missing (e.g. for Development-Mode apps)._
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub album_group: Option<AlbumGroup>,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

/// An album in the user's library (`SavedAlbumObject`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SavedAlbum {
    /// The date and time the album was saved
    /// Timestamps are returned in ISO 8601 format as Coordinated Universal Time (UTC) with a zero offset: YYYY-MM-DDTHH:MM:SSZ.
    /// If the time is imprecise (for example, the date/time of an album release), an additional field indicates the precision; see for example, release_date in an album object.
    #[serde(
        default = "crate::de::epoch",
        deserialize_with = "crate::de::timestamp",
        serialize_with = "crate::de::ser_timestamp"
    )]
    pub added_at: OffsetDateTime,
    /// Information about the album.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub album: Album,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Default for SavedAlbum {
    /// Empty, saved at the Unix epoch.
    fn default() -> Self {
        SavedAlbum {
            added_at: OffsetDateTime::UNIX_EPOCH,
            album: Album::default(),
            extra: Extra::new(),
        }
    }
}

/// Why an album is restricted (`AlbumRestrictionObject`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AlbumRestriction {
    /// The reason for the restriction. Albums may be restricted if the content is not available in a given market, to the user's subscription type, or when the user's account is set to not play explicit content.
    /// Additional reasons may be added in the future.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<RestrictionReason>,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `AlbumBase`: the members all album objects share. [`SimplifiedAlbum`] adds only the
/// (optional) `artists`, so it serves as the type of this schema too.
pub type AlbumBase = SimplifiedAlbum;

string_enum! {
    /// The type of an album (`album_type`).
    pub enum AlbumType {
        /// `album`
        Album => "album",
        /// `single`
        Single => "single",
        /// `compilation`
        Compilation => "compilation",
    }
}

string_enum! {
    /// How an album relates to the artist whose discography lists it (`album_group`).
    pub enum AlbumGroup {
        /// `album`
        Album => "album",
        /// `single`
        Single => "single",
        /// `compilation`
        Compilation => "compilation",
        /// `appears_on`: the artist only appears on it.
        AppearsOn => "appears_on",
    }
}

impl SimplifiedAlbum {
    /// The widest cover image (Spotify lists 640, 300 and 64 px ones).
    pub fn largest_image(&self) -> Option<&Image> {
        largest(&self.images)
    }
}

impl Album {
    /// The widest cover image (Spotify lists 640, 300 and 64 px ones).
    pub fn largest_image(&self) -> Option<&Image> {
        largest(&self.images)
    }

    /// The artists' names joined with `", "`.
    pub fn artist_names(&self) -> String {
        join_names(&self.artists)
    }
}
