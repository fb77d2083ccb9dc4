//! Audiobooks.

use serde::{Deserialize, Serialize};

use crate::prelude::*;

/// An audiobook with its chapters (`AudiobookObject`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Audiobook {
    /// The author(s) for the audiobook.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub authors: Vec<Author>,
    /// A list of the countries in which the audiobook can be played, identified by their [ISO 3166-1 alpha-2](http://en.wikipedia.org/wiki/ISO_3166-1_alpha-2) code.
    ///
    /// _Deprecated in Spotify's API definition; may be missing (e.g. for Development-Mode apps)._
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available_markets: Option<Vec<String>>,
    /// The copyright statements of the audiobook.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub copyrights: Vec<Copyright>,
    /// A description of the audiobook. HTML tags are stripped away from this field, use `html_description` field in case HTML tags are needed.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub description: String,
    /// A description of the audiobook. This field may contain HTML tags.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub html_description: String,
    /// The edition of the audiobook.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edition: Option<String>,
    /// Whether or not the audiobook has explicit content (true = yes it does; false = no it does not OR unknown).
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub explicit: bool,
    /// External URLs for this audiobook.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub external_urls: ExternalUrl,
    /// A link to the Web API endpoint providing full details of the audiobook.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    /// The [Spotify ID](https://developer.spotify.com/documentation/web-api/concepts/spotify-uris-ids) for the audiobook.
    #[serde(
        default,
        deserialize_with = "crate::de::id",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<AudiobookId>,
    /// The cover art for the audiobook in various sizes, widest first.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub images: Vec<Image>,
    /// A list of the languages used in the audiobook, identified by their [ISO 639](https://en.wikipedia.org/wiki/ISO_639) code.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub languages: Vec<String>,
    /// The media type of the audiobook.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub media_type: String,
    /// The name of the audiobook.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub name: String,
    /// The narrator(s) for the audiobook.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub narrators: Vec<Narrator>,
    /// The publisher of the audiobook.
    ///
    /// _Deprecated in Spotify's API definition; may be missing (e.g. for Development-Mode apps)._
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub publisher: String,
    /// The object type.
    #[serde(rename = "type", default, deserialize_with = "crate::de::null_default")]
    pub kind: ItemType,
    /// The [Spotify URI](https://developer.spotify.com/documentation/web-api/concepts/spotify-uris-ids) for the audiobook.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub uri: String,
    /// The number of chapters in this audiobook.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_chapters: Option<u32>,
    /// The chapters of the audiobook.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub chapters: PagingSimplifiedChapter,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

/// An audiobook without its chapters (`SimplifiedAudiobookObject`).
///
/// Also the Rust type of the `AudiobookBase` schema (see [`AudiobookBase`]).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SimplifiedAudiobook {
    /// The author(s) for the audiobook.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub authors: Vec<Author>,
    /// A list of the countries in which the audiobook can be played, identified by their [ISO 3166-1 alpha-2](http://en.wikipedia.org/wiki/ISO_3166-1_alpha-2) code.
    ///
    /// _Deprecated in Spotify's API definition; may be missing (e.g. for Development-Mode apps)._
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available_markets: Option<Vec<String>>,
    /// The copyright statements of the audiobook.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub copyrights: Vec<Copyright>,
    /// A description of the audiobook. HTML tags are stripped away from this field, use `html_description` field in case HTML tags are needed.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub description: String,
    /// A description of the audiobook. This field may contain HTML tags.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub html_description: String,
    /// The edition of the audiobook.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edition: Option<String>,
    /// Whether or not the audiobook has explicit content (true = yes it does; false = no it does not OR unknown).
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub explicit: bool,
    /// External URLs for this audiobook.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub external_urls: ExternalUrl,
    /// A link to the Web API endpoint providing full details of the audiobook.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    /// The [Spotify ID](https://developer.spotify.com/documentation/web-api/concepts/spotify-uris-ids) for the audiobook.
    #[serde(
        default,
        deserialize_with = "crate::de::id",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<AudiobookId>,
    /// The cover art for the audiobook in various sizes, widest first.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub images: Vec<Image>,
    /// A list of the languages used in the audiobook, identified by their [ISO 639](https://en.wikipedia.org/wiki/ISO_639) code.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub languages: Vec<String>,
    /// The media type of the audiobook.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub media_type: String,
    /// The name of the audiobook.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub name: String,
    /// The narrator(s) for the audiobook.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub narrators: Vec<Narrator>,
    /// The publisher of the audiobook.
    ///
    /// _Deprecated in Spotify's API definition; may be missing (e.g. for Development-Mode apps)._
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub publisher: String,
    /// The object type.
    #[serde(rename = "type", default, deserialize_with = "crate::de::null_default")]
    pub kind: ItemType,
    /// The [Spotify URI](https://developer.spotify.com/documentation/web-api/concepts/spotify-uris-ids) for the audiobook.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub uri: String,
    /// The number of chapters in this audiobook.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_chapters: Option<u32>,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

/// An audiobook in the user's library (`SavedAudiobookObject`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SavedAudiobook {
    /// The date and time the audiobook was saved
    /// Timestamps are returned in ISO 8601 format as Coordinated Universal Time (UTC) with a zero offset: YYYY-MM-DDTHH:MM:SSZ.
    /// If the time is imprecise (for example, the date/time of an album release), an additional field indicates the precision; see for example, release_date in an album object.
    #[serde(
        default = "crate::de::epoch",
        deserialize_with = "crate::de::timestamp",
        serialize_with = "crate::de::ser_timestamp"
    )]
    pub added_at: OffsetDateTime,
    /// Information about the audiobook.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub audiobook: Audiobook,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Default for SavedAudiobook {
    /// Empty, saved at the Unix epoch.
    fn default() -> Self {
        SavedAudiobook {
            added_at: OffsetDateTime::UNIX_EPOCH,
            audiobook: Audiobook::default(),
            extra: Extra::new(),
        }
    }
}

/// An author of an audiobook (`AuthorObject`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Author {
    /// The name of the author.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub name: String,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A narrator of an audiobook (`NarratorObject`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Narrator {
    /// The name of the Narrator.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub name: String,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `AudiobookBase`: the members all audiobook objects share; [`SimplifiedAudiobook`]
/// is exactly that.
pub type AudiobookBase = SimplifiedAudiobook;
