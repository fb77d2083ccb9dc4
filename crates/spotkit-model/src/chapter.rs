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
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub audio_preview_url: Field<String>,
    /// A list of the countries in which the chapter can be played, identified by their [ISO 3166-1 alpha-2](http://en.wikipedia.org/wiki/ISO_3166-1_alpha-2) code.
    ///
    /// _Deprecated in Spotify's API definition; may be missing (e.g. for Development-Mode apps)._
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub available_markets: Field<Vec<String>>,
    /// The number of the chapter
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub chapter_number: Field<u32>,
    /// A description of the chapter. HTML tags are stripped away from this field, use `html_description` field in case HTML tags are needed.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub description: Field<String>,
    /// A description of the chapter. This field may contain HTML tags.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub html_description: Field<String>,
    /// The chapter length in milliseconds.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub duration_ms: Field<u64>,
    /// Whether or not the chapter has explicit content (true = yes it does; false = no it does not OR unknown).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub explicit: Field<bool>,
    /// External URLs for this chapter.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub external_urls: Field<ExternalUrl>,
    /// A link to the Web API endpoint providing full details of the chapter.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub href: Field<String>,
    /// The [Spotify ID](https://developer.spotify.com/documentation/web-api/concepts/spotify-uris-ids) for the chapter.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub id: Field<String>,
    /// The cover art for the chapter in various sizes, widest first.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub images: Field<Vec<Image>>,
    /// True if the chapter is playable in the given market. Otherwise false.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub is_playable: Field<bool>,
    /// A list of the languages used in the chapter, identified by their [ISO 639-1](https://en.wikipedia.org/wiki/ISO_639) code.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub languages: Field<Vec<String>>,
    /// The name of the chapter.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub name: Field<String>,
    /// The date the chapter was first released, for example `"1981-12-15"`. Depending on the precision, it might be shown as `"1981"` or `"1981-12"`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub release_date: Field<String>,
    /// The precision with which `release_date` value is known.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub release_date_precision: Field<ReleaseDatePrecision>,
    /// The user's most recent position in the chapter. Set if the supplied access token is a user token and has the scope 'user-read-playback-position'.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub resume_point: Field<ResumePoint>,
    /// The object type.
    #[serde(rename = "type", default, skip_serializing_if = "Field::is_absent")]
    pub kind: Field<ItemType>,
    /// The [Spotify URI](https://developer.spotify.com/documentation/web-api/concepts/spotify-uris-ids) for the chapter.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub uri: Field<String>,
    /// Included in the response when a content restriction is applied.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub restrictions: Field<ChapterRestriction>,
    /// The audiobook for which the chapter belongs.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub audiobook: Field<SimplifiedAudiobook>,
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
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub audio_preview_url: Field<String>,
    /// A list of the countries in which the chapter can be played, identified by their [ISO 3166-1 alpha-2](http://en.wikipedia.org/wiki/ISO_3166-1_alpha-2) code.
    ///
    /// _Deprecated in Spotify's API definition; may be missing (e.g. for Development-Mode apps)._
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub available_markets: Field<Vec<String>>,
    /// The number of the chapter
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub chapter_number: Field<u32>,
    /// A description of the chapter. HTML tags are stripped away from this field, use `html_description` field in case HTML tags are needed.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub description: Field<String>,
    /// A description of the chapter. This field may contain HTML tags.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub html_description: Field<String>,
    /// The chapter length in milliseconds.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub duration_ms: Field<u64>,
    /// Whether or not the chapter has explicit content (true = yes it does; false = no it does not OR unknown).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub explicit: Field<bool>,
    /// External URLs for this chapter.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub external_urls: Field<ExternalUrl>,
    /// A link to the Web API endpoint providing full details of the chapter.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub href: Field<String>,
    /// The [Spotify ID](https://developer.spotify.com/documentation/web-api/concepts/spotify-uris-ids) for the chapter.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub id: Field<String>,
    /// The cover art for the chapter in various sizes, widest first.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub images: Field<Vec<Image>>,
    /// True if the chapter is playable in the given market. Otherwise false.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub is_playable: Field<bool>,
    /// A list of the languages used in the chapter, identified by their [ISO 639-1](https://en.wikipedia.org/wiki/ISO_639) code.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub languages: Field<Vec<String>>,
    /// The name of the chapter.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub name: Field<String>,
    /// The date the chapter was first released, for example `"1981-12-15"`. Depending on the precision, it might be shown as `"1981"` or `"1981-12"`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub release_date: Field<String>,
    /// The precision with which `release_date` value is known.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub release_date_precision: Field<ReleaseDatePrecision>,
    /// The user's most recent position in the chapter. Set if the supplied access token is a user token and has the scope 'user-read-playback-position'.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub resume_point: Field<ResumePoint>,
    /// The object type.
    #[serde(rename = "type", default, skip_serializing_if = "Field::is_absent")]
    pub kind: Field<ItemType>,
    /// The [Spotify URI](https://developer.spotify.com/documentation/web-api/concepts/spotify-uris-ids) for the chapter.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub uri: Field<String>,
    /// Included in the response when a content restriction is applied.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub restrictions: Field<ChapterRestriction>,
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
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub reason: Field<RestrictionReason>,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `ChapterBase`: the members all chapter objects share; [`SimplifiedChapter`] is
/// exactly that.
pub type ChapterBase = SimplifiedChapter;
