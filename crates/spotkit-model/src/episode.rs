//! Podcast episodes.

use serde::{Deserialize, Serialize};

use crate::prelude::*;

/// A podcast episode with its show (`EpisodeObject`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Episode {
    /// A URL to a 30 second preview (MP3 format) of the episode. `null` if not available.
    ///
    /// _Deprecated in Spotify's API definition; may be missing (e.g. for Development-Mode apps)._
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio_preview_url: Option<String>,
    /// A description of the episode. HTML tags are stripped away from this field, use `html_description` field in case HTML tags are needed.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub description: String,
    /// A description of the episode. This field may contain HTML tags.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub html_description: String,
    /// The episode length in milliseconds.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub duration_ms: u64,
    /// Whether or not the episode has explicit content (true = yes it does; false = no it does not OR unknown).
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub explicit: bool,
    /// External URLs for this episode.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub external_urls: ExternalUrl,
    /// A link to the Web API endpoint providing full details of the episode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    /// The [Spotify ID](https://developer.spotify.com/documentation/web-api/concepts/spotify-uris-ids) for the episode.
    #[serde(
        default,
        deserialize_with = "crate::de::id",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<EpisodeId>,
    /// The cover art for the episode in various sizes, widest first.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub images: Vec<Image>,
    /// True if the episode is hosted outside of Spotify's CDN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_externally_hosted: Option<bool>,
    /// True if the episode is playable in the given market. Otherwise false.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_playable: Option<bool>,
    /// The language used in the episode, identified by a [ISO 639](https://en.wikipedia.org/wiki/ISO_639) code. This field is deprecated and might be removed in the future. Please use the `languages` field instead.
    ///
    /// _Deprecated in Spotify's API definition; may be missing (e.g. for Development-Mode apps)._
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// A list of the languages used in the episode, identified by their [ISO 639-1](https://en.wikipedia.org/wiki/ISO_639) code.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub languages: Vec<String>,
    /// The name of the episode.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub name: String,
    /// The date the episode was first released, for example `"1981-12-15"`. Depending on the precision, it might be shown as `"1981"` or `"1981-12"`.
    #[serde(
        default,
        deserialize_with = "crate::release_date::lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub release_date: Option<ReleaseDate>,
    /// The precision with which `release_date` value is known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release_date_precision: Option<ReleaseDatePrecision>,
    /// The user's most recent position in the episode. Set if the supplied access token is a user token and has the scope 'user-read-playback-position'.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resume_point: Option<ResumePoint>,
    /// The object type.
    #[serde(rename = "type", default, deserialize_with = "crate::de::null_default")]
    pub kind: ItemType,
    /// The [Spotify URI](https://developer.spotify.com/documentation/web-api/concepts/spotify-uris-ids) for the episode.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub uri: String,
    /// Included in the response when a content restriction is applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restrictions: Option<EpisodeRestriction>,
    /// The show on which the episode belongs.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub show: SimplifiedShow,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A podcast episode without its show (`SimplifiedEpisodeObject`).
///
/// Also the Rust type of the `EpisodeBase` schema (see [`EpisodeBase`]).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SimplifiedEpisode {
    /// A URL to a 30 second preview (MP3 format) of the episode. `null` if not available.
    ///
    /// _Deprecated in Spotify's API definition; may be missing (e.g. for Development-Mode apps)._
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio_preview_url: Option<String>,
    /// A description of the episode. HTML tags are stripped away from this field, use `html_description` field in case HTML tags are needed.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub description: String,
    /// A description of the episode. This field may contain HTML tags.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub html_description: String,
    /// The episode length in milliseconds.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub duration_ms: u64,
    /// Whether or not the episode has explicit content (true = yes it does; false = no it does not OR unknown).
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub explicit: bool,
    /// External URLs for this episode.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub external_urls: ExternalUrl,
    /// A link to the Web API endpoint providing full details of the episode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    /// The [Spotify ID](https://developer.spotify.com/documentation/web-api/concepts/spotify-uris-ids) for the episode.
    #[serde(
        default,
        deserialize_with = "crate::de::id",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<EpisodeId>,
    /// The cover art for the episode in various sizes, widest first.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub images: Vec<Image>,
    /// True if the episode is hosted outside of Spotify's CDN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_externally_hosted: Option<bool>,
    /// True if the episode is playable in the given market. Otherwise false.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_playable: Option<bool>,
    /// The language used in the episode, identified by a [ISO 639](https://en.wikipedia.org/wiki/ISO_639) code. This field is deprecated and might be removed in the future. Please use the `languages` field instead.
    ///
    /// _Deprecated in Spotify's API definition; may be missing (e.g. for Development-Mode apps)._
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// A list of the languages used in the episode, identified by their [ISO 639-1](https://en.wikipedia.org/wiki/ISO_639) code.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub languages: Vec<String>,
    /// The name of the episode.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub name: String,
    /// The date the episode was first released, for example `"1981-12-15"`. Depending on the precision, it might be shown as `"1981"` or `"1981-12"`.
    #[serde(
        default,
        deserialize_with = "crate::release_date::lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub release_date: Option<ReleaseDate>,
    /// The precision with which `release_date` value is known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release_date_precision: Option<ReleaseDatePrecision>,
    /// The user's most recent position in the episode. Set if the supplied access token is a user token and has the scope 'user-read-playback-position'.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resume_point: Option<ResumePoint>,
    /// The object type.
    #[serde(rename = "type", default, deserialize_with = "crate::de::null_default")]
    pub kind: ItemType,
    /// The [Spotify URI](https://developer.spotify.com/documentation/web-api/concepts/spotify-uris-ids) for the episode.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub uri: String,
    /// Included in the response when a content restriction is applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restrictions: Option<EpisodeRestriction>,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

/// An episode in the user's library (`SavedEpisodeObject`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SavedEpisode {
    /// The date and time the episode was saved.
    /// Timestamps are returned in ISO 8601 format as Coordinated Universal Time (UTC) with a zero offset: YYYY-MM-DDTHH:MM:SSZ.
    #[serde(
        default = "crate::de::epoch",
        deserialize_with = "crate::de::timestamp",
        serialize_with = "crate::de::ser_timestamp"
    )]
    pub added_at: OffsetDateTime,
    /// Information about the episode.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub episode: Episode,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Default for SavedEpisode {
    /// Empty, saved at the Unix epoch.
    fn default() -> Self {
        SavedEpisode {
            added_at: OffsetDateTime::UNIX_EPOCH,
            episode: Episode::default(),
            extra: Extra::new(),
        }
    }
}

/// Where the user stopped listening to an episode or chapter (`ResumePointObject`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ResumePoint {
    /// Whether or not the episode has been fully played by the user.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub fully_played: bool,
    /// The user's most recent position in the episode in milliseconds.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub resume_position_ms: u64,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Why an episode is restricted (`EpisodeRestrictionObject`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EpisodeRestriction {
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

/// `EpisodeBase`: the members all episode objects share; [`SimplifiedEpisode`] is
/// exactly that.
pub type EpisodeBase = SimplifiedEpisode;
