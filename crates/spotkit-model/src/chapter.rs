//! Audiobook chapters.

use serde::{Deserialize, Serialize};

use crate::prelude::*;

/// An audiobook chapter with its audiobook (`ChapterObject`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Chapter {
    /// A URL to a 30 second preview (MP3 format) of the chapter. `null` if not available.
    ///
    /// _Deprecated in Spotify's API definition; may be missing (e.g. for Development-Mode apps)._
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio_preview_url: Option<String>,
    /// A list of the countries in which the chapter can be played, identified by their [ISO 3166-1 alpha-2](http://en.wikipedia.org/wiki/ISO_3166-1_alpha-2) code.
    ///
    /// _Deprecated in Spotify's API definition; may be missing (e.g. for Development-Mode apps)._
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available_markets: Option<Vec<String>>,
    /// The number of the chapter
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub chapter_number: u32,
    /// A description of the chapter. HTML tags are stripped away from this field, use `html_description` field in case HTML tags are needed.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub description: String,
    /// A description of the chapter. This field may contain HTML tags.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub html_description: String,
    /// The chapter length in milliseconds.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub duration_ms: u64,
    /// Whether or not the chapter has explicit content (true = yes it does; false = no it does not OR unknown).
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub explicit: bool,
    /// External URLs for this chapter.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub external_urls: ExternalUrl,
    /// A link to the Web API endpoint providing full details of the chapter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    /// The [Spotify ID](https://developer.spotify.com/documentation/web-api/concepts/spotify-uris-ids) for the chapter.
    #[serde(
        default,
        deserialize_with = "crate::de::id",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<ChapterId>,
    /// The cover art for the chapter in various sizes, widest first.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub images: Vec<Image>,
    /// True if the chapter is playable in the given market. Otherwise false.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_playable: Option<bool>,
    /// A list of the languages used in the chapter, identified by their [ISO 639-1](https://en.wikipedia.org/wiki/ISO_639) code.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub languages: Vec<String>,
    /// The name of the chapter.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub name: String,
    /// The date the chapter was first released, for example `"1981-12-15"`. Depending on the precision, it might be shown as `"1981"` or `"1981-12"`.
    #[serde(
        default,
        deserialize_with = "crate::release_date::lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub release_date: Option<ReleaseDate>,
    /// The precision with which `release_date` value is known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release_date_precision: Option<ReleaseDatePrecision>,
    /// The user's most recent position in the chapter. Set if the supplied access token is a user token and has the scope 'user-read-playback-position'.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resume_point: Option<ResumePoint>,
    /// The object type.
    #[serde(rename = "type", default, deserialize_with = "crate::de::null_default")]
    pub kind: ItemType,
    /// The [Spotify URI](https://developer.spotify.com/documentation/web-api/concepts/spotify-uris-ids) for the chapter.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub uri: String,
    /// Included in the response when a content restriction is applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restrictions: Option<ChapterRestriction>,
    /// The audiobook for which the chapter belongs.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub audiobook: SimplifiedAudiobook,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

/// An audiobook chapter without its audiobook (`SimplifiedChapterObject`).
///
/// Also the Rust type of the `ChapterBase` schema (see [`ChapterBase`]).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SimplifiedChapter {
    /// A URL to a 30 second preview (MP3 format) of the chapter. `null` if not available.
    ///
    /// _Deprecated in Spotify's API definition; may be missing (e.g. for Development-Mode apps)._
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio_preview_url: Option<String>,
    /// A list of the countries in which the chapter can be played, identified by their [ISO 3166-1 alpha-2](http://en.wikipedia.org/wiki/ISO_3166-1_alpha-2) code.
    ///
    /// _Deprecated in Spotify's API definition; may be missing (e.g. for Development-Mode apps)._
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available_markets: Option<Vec<String>>,
    /// The number of the chapter
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub chapter_number: u32,
    /// A description of the chapter. HTML tags are stripped away from this field, use `html_description` field in case HTML tags are needed.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub description: String,
    /// A description of the chapter. This field may contain HTML tags.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub html_description: String,
    /// The chapter length in milliseconds.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub duration_ms: u64,
    /// Whether or not the chapter has explicit content (true = yes it does; false = no it does not OR unknown).
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub explicit: bool,
    /// External URLs for this chapter.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub external_urls: ExternalUrl,
    /// A link to the Web API endpoint providing full details of the chapter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    /// The [Spotify ID](https://developer.spotify.com/documentation/web-api/concepts/spotify-uris-ids) for the chapter.
    #[serde(
        default,
        deserialize_with = "crate::de::id",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<ChapterId>,
    /// The cover art for the chapter in various sizes, widest first.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub images: Vec<Image>,
    /// True if the chapter is playable in the given market. Otherwise false.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_playable: Option<bool>,
    /// A list of the languages used in the chapter, identified by their [ISO 639-1](https://en.wikipedia.org/wiki/ISO_639) code.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub languages: Vec<String>,
    /// The name of the chapter.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub name: String,
    /// The date the chapter was first released, for example `"1981-12-15"`. Depending on the precision, it might be shown as `"1981"` or `"1981-12"`.
    #[serde(
        default,
        deserialize_with = "crate::release_date::lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub release_date: Option<ReleaseDate>,
    /// The precision with which `release_date` value is known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release_date_precision: Option<ReleaseDatePrecision>,
    /// The user's most recent position in the chapter. Set if the supplied access token is a user token and has the scope 'user-read-playback-position'.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resume_point: Option<ResumePoint>,
    /// The object type.
    #[serde(rename = "type", default, deserialize_with = "crate::de::null_default")]
    pub kind: ItemType,
    /// The [Spotify URI](https://developer.spotify.com/documentation/web-api/concepts/spotify-uris-ids) for the chapter.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub uri: String,
    /// Included in the response when a content restriction is applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restrictions: Option<ChapterRestriction>,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Why a chapter is restricted (`ChapterRestrictionObject`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ChapterRestriction {
    /// The reason for the restriction. Supported values:
    /// - `market` - The content item is not available in the given market.
    /// - `product` - The content item is not available for the user's subscription type.
    /// - `explicit` - The content item is explicit and the user's account is set to not play explicit content.
    /// - `payment_required` - Payment is required to play the content item.
    ///
    /// Additional reasons may be added in the future.
    /// **Note**: If you use this field, make sure that your application safely handles unknown values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<RestrictionReason>,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `ChapterBase`: the members all chapter objects share; [`SimplifiedChapter`] is
/// exactly that.
pub type ChapterBase = SimplifiedChapter;
