//! Members shared by many objects: external URLs and ids, followers, images, copyrights,
//! object types, release-date precision, restriction reasons, and the Web API error body.

use serde::{Deserialize, Serialize};

pub use crate::extra::Extra;
use crate::macros::string_enum;

/// Known external URLs for an object (`ExternalUrlObject`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ExternalUrl {
    /// The [Spotify URL](https://developer.spotify.com/documentation/web-api/concepts/spotify-uris-ids) for the object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spotify: Option<String>,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Known external ids of a track or album (`ExternalIdObject`): ISRC, EAN, UPC.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ExternalId {
    /// [International Standard Recording Code](http://en.wikipedia.org/wiki/International_Standard_Recording_Code)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub isrc: Option<String>,
    /// [International Article Number](http://en.wikipedia.org/wiki/International_Article_Number_%28EAN%29)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ean: Option<String>,
    /// [Universal Product Code](http://en.wikipedia.org/wiki/Universal_Product_Code)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upc: Option<String>,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Follower information (`FollowersObject`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Followers {
    /// This will always be set to null, as the Web API does not support it at the moment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    /// The total number of followers.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub total: u64,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

/// An image (`ImageObject`): cover art, profile picture, category icon.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Image {
    /// The source URL of the image.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub url: String,
    /// The image height in pixels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<u32>,
    /// The image width in pixels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<u32>,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A copyright statement (`CopyrightObject`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Copyright {
    /// The copyright text for this content.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub text: String,
    /// The type of copyright: `C` = the copyright, `P` = the sound recording (performance) copyright.
    #[serde(rename = "type", default, deserialize_with = "crate::de::null_default")]
    pub kind: CopyrightType,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The error object inside a Web API error response (`ErrorObject`).
///
/// See [`ErrorResponse`] for the envelope `{"error": {...}}`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ApiError {
    /// The HTTP status code (also returned in the response header; see [Response Status Codes](https://developer.spotify.com/documentation/web-api/concepts/api-calls#response-status-codes) for more information).
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub status: u16,
    /// A short description of the cause of the error.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub message: String,
    /// Why a player command failed, e.g. `PREMIUM_REQUIRED` or `NO_ACTIVE_DEVICE`
    /// (only player endpoints send it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.status {
            0 => f.write_str("error")?,
            status => write!(f, "{status}")?,
        }
        if !self.message.is_empty() {
            write!(f, ": {}", self.message)?;
        }
        if let Some(reason) = &self.reason {
            write!(f, " ({reason})")?;
        }
        Ok(())
    }
}

/// The body of every Web API error response: `{"error": {"status": 404, "message": "..."}}`.
///
/// Covers the `Unauthorized`, `Forbidden`, `NotFound`, `BadRequest` and
/// `TooManyRequests` responses of the spec. (The accounts service uses a different
/// body, [`TokenError`](crate::TokenError).)
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ErrorResponse {
    /// The error. Always present: a body without it is not a Web API error.
    pub error: ApiError,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

string_enum! {
    /// The `type` member of Spotify objects.
    pub enum ItemType {
        /// `album`
        Album => "album",
        /// `artist`
        Artist => "artist",
        /// `audio_features`
        AudioFeatures => "audio_features",
        /// `audiobook`
        Audiobook => "audiobook",
        /// `chapter`
        Chapter => "chapter",
        /// `collection` (the context of "liked songs")
        Collection => "collection",
        /// `episode` (also the type of chapters)
        Episode => "episode",
        /// `genre` (recommendation seeds)
        Genre => "genre",
        /// `playlist`
        Playlist => "playlist",
        /// `show`
        Show => "show",
        /// `track`
        Track => "track",
        /// `user`
        User => "user",
    }
}

string_enum! {
    /// How precisely a `release_date` is known.
    pub enum ReleaseDatePrecision {
        /// `"1981"`
        Year => "year",
        /// `"1981-12"`
        Month => "month",
        /// `"1981-12-15"`
        Day => "day",
    }
}

string_enum! {
    /// Why content is restricted (the `reason` of restriction objects).
    pub enum RestrictionReason {
        /// Not available in the given market.
        Market => "market",
        /// Not available for the user's subscription type.
        Product => "product",
        /// Explicit, and the user's account is set to not play explicit content.
        Explicit => "explicit",
        /// Payment is required to play it (chapters).
        PaymentRequired => "payment_required",
    }
}

string_enum! {
    /// The type of a copyright statement.
    pub enum CopyrightType {
        /// `C`: the copyright.
        Copyright => "C",
        /// `P`: the sound recording (performance) copyright.
        Performance => "P",
    }
}

/// The widest of `images` (images without a width count as 0 wide).
pub fn largest(images: &[Image]) -> Option<&Image> {
    images.iter().max_by_key(|i| i.width.unwrap_or(0))
}
