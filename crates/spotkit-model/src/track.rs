//! Tracks.

use serde::{Deserialize, Serialize};

use crate::prelude::*;

/// A track (`TrackObject`).
///
/// Local files in playlists are tracks too: `is_local` is `true` and `id`, `href`, the album's and artists' ids are `null` (see [`Track::is_local_file`]).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Track {
    /// The album on which the track appears. The album object includes a link in `href` to full information about the album.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub album: SimplifiedAlbum,
    /// The artists who performed the track. Each artist object includes a link in `href` to more detailed information about the artist.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub artists: Vec<SimplifiedArtist>,
    /// A list of the countries in which the track can be played, identified by their [ISO 3166-1 alpha-2](http://en.wikipedia.org/wiki/ISO_3166-1_alpha-2) code.
    ///
    /// _Deprecated in Spotify's API definition; may be missing (e.g. for Development-Mode apps)._
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available_markets: Option<Vec<String>>,
    /// The disc number (usually `1` unless the album consists of more than one disc).
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub disc_number: u32,
    /// The track length in milliseconds.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub duration_ms: u64,
    /// Whether or not the track has explicit lyrics ( `true` = yes it does; `false` = no it does not OR unknown).
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub explicit: bool,
    /// Known external IDs for the track.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub external_ids: ExternalId,
    /// Known external URLs for this track.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub external_urls: ExternalUrl,
    /// A link to the Web API endpoint providing full details of the track.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    /// The [Spotify ID](https://developer.spotify.com/documentation/web-api/concepts/spotify-uris-ids) for the track.
    #[serde(
        default,
        deserialize_with = "crate::de::id",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<TrackId>,
    /// Part of the response when [Track Relinking](https://developer.spotify.com/documentation/web-api/concepts/track-relinking) is applied. If `true`, the track is playable in the given market. Otherwise `false`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_playable: Option<bool>,
    /// Part of the response when [Track Relinking](https://developer.spotify.com/documentation/web-api/concepts/track-relinking) is applied, and the requested track has been replaced with different track. The track in the `linked_from` object contains information about the originally requested track.
    ///
    /// _Deprecated in Spotify's API definition; may be missing (e.g. for Development-Mode apps)._
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub linked_from: Option<LinkedTrack>,
    /// Included in the response when a content restriction is applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restrictions: Option<TrackRestriction>,
    /// The name of the track.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub name: String,
    /// The popularity of the track. The value will be between 0 and 100, with 100 being the most popular.
    ///
    /// The popularity of a track is a value between 0 and 100, with 100 being the most popular. The popularity is calculated by algorithm and is based, in the most part, on the total number of plays the track has had and how recent those plays are.
    ///
    /// Generally speaking, songs that are being played a lot now will have a higher popularity than songs that were played a lot in the past. Duplicate tracks (e.g. the same track from a single and an album) are rated independently. Artist and album popularity is derived mathematically from track popularity. _**Note**: the popularity value may lag actual popularity by a few days: the value is not updated in real time._
    ///
    /// _Deprecated in Spotify's API definition; may be missing (e.g. for Development-Mode apps)._
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub popularity: Option<u32>,
    /// A link to a 30 second preview (MP3 format) of the track. Can be `null`
    ///
    /// _Deprecated in Spotify's API definition; may be missing (e.g. for Development-Mode apps)._
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preview_url: Option<String>,
    /// The number of the track. If an album has several discs, the track number is the number on the specified disc.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub track_number: u32,
    /// The object type: "track".
    #[serde(rename = "type", default, deserialize_with = "crate::de::null_default")]
    pub kind: ItemType,
    /// The [Spotify URI](https://developer.spotify.com/documentation/web-api/concepts/spotify-uris-ids) for the track.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub uri: String,
    /// Whether or not the track is from a local file.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub is_local: bool,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A track as listed in an album (`SimplifiedTrackObject`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SimplifiedTrack {
    /// The artists who performed the track. Each artist object includes a link in `href` to more detailed information about the artist.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub artists: Vec<SimplifiedArtist>,
    /// A list of the countries in which the track can be played, identified by their [ISO 3166-1 alpha-2](http://en.wikipedia.org/wiki/ISO_3166-1_alpha-2) code.
    ///
    /// _Deprecated in Spotify's API definition; may be missing (e.g. for Development-Mode apps)._
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available_markets: Option<Vec<String>>,
    /// The disc number (usually `1` unless the album consists of more than one disc).
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub disc_number: u32,
    /// The track length in milliseconds.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub duration_ms: u64,
    /// Whether or not the track has explicit lyrics ( `true` = yes it does; `false` = no it does not OR unknown).
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub explicit: bool,
    /// External URLs for this track.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub external_urls: ExternalUrl,
    /// A link to the Web API endpoint providing full details of the track.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    /// The [Spotify ID](https://developer.spotify.com/documentation/web-api/concepts/spotify-uris-ids) for the track.
    #[serde(
        default,
        deserialize_with = "crate::de::id",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<TrackId>,
    /// Part of the response when [Track Relinking](https://developer.spotify.com/documentation/web-api/concepts/track-relinking/) is applied. If `true`, the track is playable in the given market. Otherwise `false`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_playable: Option<bool>,
    /// Part of the response when [Track Relinking](https://developer.spotify.com/documentation/web-api/concepts/track-relinking/) is applied and is only part of the response if the track linking, in fact, exists. The requested track has been replaced with a different track. The track in the `linked_from` object contains information about the originally requested track.
    ///
    /// _Deprecated in Spotify's API definition; may be missing (e.g. for Development-Mode apps)._
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub linked_from: Option<LinkedTrack>,
    /// Included in the response when a content restriction is applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restrictions: Option<TrackRestriction>,
    /// The name of the track.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub name: String,
    /// A URL to a 30 second preview (MP3 format) of the track.
    ///
    /// _Deprecated in Spotify's API definition; may be missing (e.g. for Development-Mode apps)._
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preview_url: Option<String>,
    /// The number of the track. If an album has several discs, the track number is the number on the specified disc.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub track_number: u32,
    /// The object type: "track".
    #[serde(rename = "type", default, deserialize_with = "crate::de::null_default")]
    pub kind: ItemType,
    /// The [Spotify URI](https://developer.spotify.com/documentation/web-api/concepts/spotify-uris-ids) for the track.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub uri: String,
    /// Whether or not the track is from a local file.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub is_local: bool,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The originally requested track when Track Relinking replaced it (`LinkedTrackObject`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct LinkedTrack {
    /// Known external URLs for this track.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub external_urls: ExternalUrl,
    /// A link to the Web API endpoint providing full details of the track.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    /// The [Spotify ID](https://developer.spotify.com/documentation/web-api/concepts/spotify-uris-ids) for the track.
    #[serde(
        default,
        deserialize_with = "crate::de::id",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<TrackId>,
    /// The object type: "track".
    #[serde(rename = "type", default, deserialize_with = "crate::de::null_default")]
    pub kind: ItemType,
    /// The [Spotify URI](https://developer.spotify.com/documentation/web-api/concepts/spotify-uris-ids) for the track.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub uri: String,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A track in the user's library ("liked songs", `SavedTrackObject`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SavedTrack {
    /// The date and time the track was saved.
    /// Timestamps are returned in ISO 8601 format as Coordinated Universal Time (UTC) with a zero offset: YYYY-MM-DDTHH:MM:SSZ.
    /// If the time is imprecise (for example, the date/time of an album release), an additional field indicates the precision; see for example, release_date in an album object.
    #[serde(
        default = "crate::de::epoch",
        deserialize_with = "crate::de::timestamp",
        serialize_with = "crate::de::ser_timestamp"
    )]
    pub added_at: OffsetDateTime,
    /// Information about the track.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub track: Track,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Default for SavedTrack {
    /// Empty, saved at the Unix epoch.
    fn default() -> Self {
        SavedTrack {
            added_at: OffsetDateTime::UNIX_EPOCH,
            track: Track::default(),
            extra: Extra::new(),
        }
    }
}

/// Why a track is restricted (`TrackRestrictionObject`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TrackRestriction {
    /// The reason for the restriction. Supported values:
    /// - `market` - The content item is not available in the given market.
    /// - `product` - The content item is not available for the user's subscription type.
    /// - `explicit` - The content item is explicit and the user's account is set to not play explicit content.
    ///
    /// Additional reasons may be added in the future.
    /// **Note**: If you use this field, make sure that your application safely handles unknown values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<RestrictionReason>,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Track {
    /// `true` for a local file added to a playlist (`is_local: true`, or a
    /// `spotify:local:` URI); such tracks have no Spotify ids.
    pub fn is_local_file(&self) -> bool {
        self.is_local || self.uri.starts_with("spotify:local:")
    }

    /// The artists' names joined with `", "`, main artist first.
    pub fn artist_names(&self) -> String {
        join_names(&self.artists)
    }

    /// The main (first) artist's name, `""` when Spotify gave none.
    pub fn main_artist(&self) -> &str {
        self.artists.first().map_or("", |a| a.name.as_str())
    }

    /// The ISRC, when Spotify sent a non-empty one.
    pub fn isrc(&self) -> Option<&str> {
        self.external_ids.isrc.as_deref().filter(|s| !s.is_empty())
    }

    /// The track's length.
    pub fn duration(&self) -> std::time::Duration {
        std::time::Duration::from_millis(self.duration_ms)
    }
}

impl SimplifiedTrack {
    /// The artists' names joined with `", "`, main artist first.
    pub fn artist_names(&self) -> String {
        join_names(&self.artists)
    }

    /// The track's length.
    pub fn duration(&self) -> std::time::Duration {
        std::time::Duration::from_millis(self.duration_ms)
    }
}

/// The names of `artists` joined with `", "`, as Spotify's apps show them.
pub fn join_names(artists: &[SimplifiedArtist]) -> String {
    let mut out = String::new();
    for (i, artist) in artists.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&artist.name);
    }
    out
}
