//! Podcast shows.

use serde::{Deserialize, Serialize};

use crate::prelude::*;

/// A podcast show with its episodes (`ShowObject`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Show {
    /// A list of the countries in which the show can be played, identified by their [ISO 3166-1 alpha-2](http://en.wikipedia.org/wiki/ISO_3166-1_alpha-2) code.
    ///
    /// _Deprecated in Spotify's API definition; may be missing (e.g. for Development-Mode apps)._
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available_markets: Option<Vec<String>>,
    /// The copyright statements of the show.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub copyrights: Vec<Copyright>,
    /// A description of the show. HTML tags are stripped away from this field, use `html_description` field in case HTML tags are needed.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub description: String,
    /// A description of the show. This field may contain HTML tags.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub html_description: String,
    /// Whether or not the show has explicit content (true = yes it does; false = no it does not OR unknown).
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub explicit: bool,
    /// External URLs for this show.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub external_urls: ExternalUrl,
    /// A link to the Web API endpoint providing full details of the show.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    /// The [Spotify ID](https://developer.spotify.com/documentation/web-api/concepts/spotify-uris-ids) for the show.
    #[serde(
        default,
        deserialize_with = "crate::de::id",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<ShowId>,
    /// The cover art for the show in various sizes, widest first.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub images: Vec<Image>,
    /// True if all of the shows episodes are hosted outside of Spotify's CDN. This field might be `null` in some cases.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_externally_hosted: Option<bool>,
    /// A list of the languages used in the show, identified by their [ISO 639](https://en.wikipedia.org/wiki/ISO_639) code.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub languages: Vec<String>,
    /// The media type of the show.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub media_type: String,
    /// The name of the episode.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub name: String,
    /// The publisher of the show.
    ///
    /// _Deprecated in Spotify's API definition; may be missing (e.g. for Development-Mode apps)._
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub publisher: String,
    /// The object type.
    #[serde(rename = "type", default, deserialize_with = "crate::de::null_default")]
    pub kind: ItemType,
    /// The [Spotify URI](https://developer.spotify.com/documentation/web-api/concepts/spotify-uris-ids) for the show.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub uri: String,
    /// The total number of episodes in the show.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub total_episodes: u32,
    /// The episodes of the show.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub episodes: PagingSimplifiedEpisode,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A podcast show without its episodes (`SimplifiedShowObject`).
///
/// Also the Rust type of the `ShowBase` schema (see [`ShowBase`]).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SimplifiedShow {
    /// A list of the countries in which the show can be played, identified by their [ISO 3166-1 alpha-2](http://en.wikipedia.org/wiki/ISO_3166-1_alpha-2) code.
    ///
    /// _Deprecated in Spotify's API definition; may be missing (e.g. for Development-Mode apps)._
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available_markets: Option<Vec<String>>,
    /// The copyright statements of the show.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub copyrights: Vec<Copyright>,
    /// A description of the show. HTML tags are stripped away from this field, use `html_description` field in case HTML tags are needed.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub description: String,
    /// A description of the show. This field may contain HTML tags.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub html_description: String,
    /// Whether or not the show has explicit content (true = yes it does; false = no it does not OR unknown).
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub explicit: bool,
    /// External URLs for this show.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub external_urls: ExternalUrl,
    /// A link to the Web API endpoint providing full details of the show.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    /// The [Spotify ID](https://developer.spotify.com/documentation/web-api/concepts/spotify-uris-ids) for the show.
    #[serde(
        default,
        deserialize_with = "crate::de::id",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<ShowId>,
    /// The cover art for the show in various sizes, widest first.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub images: Vec<Image>,
    /// True if all of the shows episodes are hosted outside of Spotify's CDN. This field might be `null` in some cases.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_externally_hosted: Option<bool>,
    /// A list of the languages used in the show, identified by their [ISO 639](https://en.wikipedia.org/wiki/ISO_639) code.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub languages: Vec<String>,
    /// The media type of the show.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub media_type: String,
    /// The name of the episode.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub name: String,
    /// The publisher of the show.
    ///
    /// _Deprecated in Spotify's API definition; may be missing (e.g. for Development-Mode apps)._
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub publisher: String,
    /// The object type.
    #[serde(rename = "type", default, deserialize_with = "crate::de::null_default")]
    pub kind: ItemType,
    /// The [Spotify URI](https://developer.spotify.com/documentation/web-api/concepts/spotify-uris-ids) for the show.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub uri: String,
    /// The total number of episodes in the show.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub total_episodes: u32,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A show in the user's library (`SavedShowObject`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SavedShow {
    /// The date and time the show was saved.
    /// Timestamps are returned in ISO 8601 format as Coordinated Universal Time (UTC) with a zero offset: YYYY-MM-DDTHH:MM:SSZ.
    /// If the time is imprecise (for example, the date/time of an album release), an additional field indicates the precision; see for example, release_date in an album object.
    #[serde(
        default = "crate::de::epoch",
        deserialize_with = "crate::de::timestamp",
        serialize_with = "crate::de::ser_timestamp"
    )]
    pub added_at: OffsetDateTime,
    /// Information about the show.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub show: SimplifiedShow,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Default for SavedShow {
    /// Empty, saved at the Unix epoch.
    fn default() -> Self {
        SavedShow {
            added_at: OffsetDateTime::UNIX_EPOCH,
            show: SimplifiedShow::default(),
            extra: Extra::new(),
        }
    }
}

/// `ShowBase`: the members all show objects share; [`SimplifiedShow`] is exactly that.
pub type ShowBase = SimplifiedShow;
