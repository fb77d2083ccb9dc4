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
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub album: Field<SimplifiedAlbum>,
    /// The artists who performed the track. Each artist object includes a link in `href` to more detailed information about the artist.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub artists: Field<Vec<SimplifiedArtist>>,
    /// A list of the countries in which the track can be played, identified by their [ISO 3166-1 alpha-2](http://en.wikipedia.org/wiki/ISO_3166-1_alpha-2) code.
    ///
    /// _Deprecated in Spotify's API definition; may be missing (e.g. for Development-Mode apps)._
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub available_markets: Field<Vec<String>>,
    /// The disc number (usually `1` unless the album consists of more than one disc).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub disc_number: Field<u32>,
    /// The track length in milliseconds.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub duration_ms: Field<u64>,
    /// Whether or not the track has explicit lyrics ( `true` = yes it does; `false` = no it does not OR unknown).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub explicit: Field<bool>,
    /// Known external IDs for the track.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub external_ids: Field<ExternalId>,
    /// Known external URLs for this track.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub external_urls: Field<ExternalUrl>,
    /// A link to the Web API endpoint providing full details of the track.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub href: Field<String>,
    /// The [Spotify ID](https://developer.spotify.com/documentation/web-api/concepts/spotify-uris-ids) for the track.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub id: Field<String>,
    /// Part of the response when [Track Relinking](https://developer.spotify.com/documentation/web-api/concepts/track-relinking) is applied. If `true`, the track is playable in the given market. Otherwise `false`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub is_playable: Field<bool>,
    /// Part of the response when [Track Relinking](https://developer.spotify.com/documentation/web-api/concepts/track-relinking) is applied, and the requested track has been replaced with different track. The track in the `linked_from` object contains information about the originally requested track.
    ///
    /// _Deprecated in Spotify's API definition; may be missing (e.g. for Development-Mode apps)._
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub linked_from: Field<LinkedTrack>,
    /// Included in the response when a content restriction is applied.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub restrictions: Field<TrackRestriction>,
    /// The name of the track.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub name: Field<String>,
    /// The popularity of the track. The value will be between 0 and 100, with 100 being the most popular.
    ///
    /// The popularity of a track is a value between 0 and 100, with 100 being the most popular. The popularity is calculated by algorithm and is based, in the most part, on the total number of plays the track has had and how recent those plays are.
    ///
    /// Generally speaking, songs that are being played a lot now will have a higher popularity than songs that were played a lot in the past. Duplicate tracks (e.g. the same track from a single and an album) are rated independently. Artist and album popularity is derived mathematically from track popularity. _**Note**: the popularity value may lag actual popularity by a few days: the value is not updated in real time._
    ///
    /// _Deprecated in Spotify's API definition; may be missing (e.g. for Development-Mode apps)._
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub popularity: Field<u32>,
    /// A link to a 30 second preview (MP3 format) of the track. Can be `null`
    ///
    /// _Deprecated in Spotify's API definition; may be missing (e.g. for Development-Mode apps)._
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub preview_url: Field<String>,
    /// The number of the track. If an album has several discs, the track number is the number on the specified disc.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub track_number: Field<u32>,
    /// The object type: "track".
    #[serde(rename = "type", default, skip_serializing_if = "Field::is_absent")]
    pub kind: Field<ItemType>,
    /// The [Spotify URI](https://developer.spotify.com/documentation/web-api/concepts/spotify-uris-ids) for the track.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub uri: Field<String>,
    /// Whether or not the track is from a local file.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub is_local: Field<bool>,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A track as listed in an album (`SimplifiedTrackObject`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SimplifiedTrack {
    /// The artists who performed the track. Each artist object includes a link in `href` to more detailed information about the artist.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub artists: Field<Vec<SimplifiedArtist>>,
    /// A list of the countries in which the track can be played, identified by their [ISO 3166-1 alpha-2](http://en.wikipedia.org/wiki/ISO_3166-1_alpha-2) code.
    ///
    /// _Deprecated in Spotify's API definition; may be missing (e.g. for Development-Mode apps)._
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub available_markets: Field<Vec<String>>,
    /// The disc number (usually `1` unless the album consists of more than one disc).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub disc_number: Field<u32>,
    /// The track length in milliseconds.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub duration_ms: Field<u64>,
    /// Whether or not the track has explicit lyrics ( `true` = yes it does; `false` = no it does not OR unknown).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub explicit: Field<bool>,
    /// External URLs for this track.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub external_urls: Field<ExternalUrl>,
    /// A link to the Web API endpoint providing full details of the track.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub href: Field<String>,
    /// The [Spotify ID](https://developer.spotify.com/documentation/web-api/concepts/spotify-uris-ids) for the track.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub id: Field<String>,
    /// Part of the response when [Track Relinking](https://developer.spotify.com/documentation/web-api/concepts/track-relinking/) is applied. If `true`, the track is playable in the given market. Otherwise `false`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub is_playable: Field<bool>,
    /// Part of the response when [Track Relinking](https://developer.spotify.com/documentation/web-api/concepts/track-relinking/) is applied and is only part of the response if the track linking, in fact, exists. The requested track has been replaced with a different track. The track in the `linked_from` object contains information about the originally requested track.
    ///
    /// _Deprecated in Spotify's API definition; may be missing (e.g. for Development-Mode apps)._
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub linked_from: Field<LinkedTrack>,
    /// Included in the response when a content restriction is applied.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub restrictions: Field<TrackRestriction>,
    /// The name of the track.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub name: Field<String>,
    /// A URL to a 30 second preview (MP3 format) of the track.
    ///
    /// _Deprecated in Spotify's API definition; may be missing (e.g. for Development-Mode apps)._
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub preview_url: Field<String>,
    /// The number of the track. If an album has several discs, the track number is the number on the specified disc.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub track_number: Field<u32>,
    /// The object type: "track".
    #[serde(rename = "type", default, skip_serializing_if = "Field::is_absent")]
    pub kind: Field<ItemType>,
    /// The [Spotify URI](https://developer.spotify.com/documentation/web-api/concepts/spotify-uris-ids) for the track.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub uri: Field<String>,
    /// Whether or not the track is from a local file.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub is_local: Field<bool>,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The originally requested track when Track Relinking replaced it (`LinkedTrackObject`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct LinkedTrack {
    /// Known external URLs for this track.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub external_urls: Field<ExternalUrl>,
    /// A link to the Web API endpoint providing full details of the track.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub href: Field<String>,
    /// The [Spotify ID](https://developer.spotify.com/documentation/web-api/concepts/spotify-uris-ids) for the track.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub id: Field<String>,
    /// The object type: "track".
    #[serde(rename = "type", default, skip_serializing_if = "Field::is_absent")]
    pub kind: Field<ItemType>,
    /// The [Spotify URI](https://developer.spotify.com/documentation/web-api/concepts/spotify-uris-ids) for the track.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub uri: Field<String>,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A track in the user's library ("liked songs", `SavedTrackObject`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SavedTrack {
    /// The date and time the track was saved.
    /// Timestamps are returned in ISO 8601 format as Coordinated Universal Time (UTC) with a zero offset: YYYY-MM-DDTHH:MM:SSZ.
    /// If the time is imprecise (for example, the date/time of an album release), an additional field indicates the precision; see for example, release_date in an album object.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub added_at: Field<String>,
    /// Information about the track.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub track: Field<Track>,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
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
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub reason: Field<RestrictionReason>,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Track {
    /// `true` for a local file added to a playlist (`is_local: true`, or a
    /// `spotify:local:` URI); such tracks have no Spotify ids.
    pub fn is_local_file(&self) -> bool {
        self.is_local.get() == Some(&true)
            || self
                .uri
                .as_deref()
                .is_some_and(|u| u.starts_with("spotify:local:"))
    }
}
