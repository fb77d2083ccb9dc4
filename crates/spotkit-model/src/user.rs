//! User profiles.

use serde::{Deserialize, Serialize};

use crate::macros::string_enum;
use crate::prelude::*;

/// The current user's profile (`PrivateUserObject`, from `GET /me`).
///
/// `country`, `email`, `explicit_content`, `followers` and `product` are not sent to
/// Development-Mode apps (and need scopes otherwise), so they are often absent.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PrivateUser {
    /// A public, immutable, pseudoanonymous identifier for the user's account. Use this field for account linking rather than the `id` field, as it is stable and will not change over the lifetime of the account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    /// The country of the user, as set in the user's account profile. An [ISO 3166-1 alpha-2 country code](http://en.wikipedia.org/wiki/ISO_3166-1_alpha-2). _This field is only available when the current user has granted access to the [user-read-private](https://developer.spotify.com/documentation/web-api/concepts/scopes/#list-of-scopes) scope._
    ///
    /// _Deprecated in Spotify's API definition; may be missing (e.g. for Development-Mode apps)._
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// The name displayed on the user's profile. `null` if not available.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// The user's email address, as entered by the user when creating their account. _**Important!** This email address is unverified; there is no proof that it actually belongs to the user._ _This field is only available when the current user has granted access to the [user-read-email](https://developer.spotify.com/documentation/web-api/concepts/scopes/#list-of-scopes) scope._
    ///
    /// _Deprecated in Spotify's API definition; may be missing (e.g. for Development-Mode apps)._
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// The user's explicit content settings. _This field is only available when the current user has granted access to the [user-read-private](https://developer.spotify.com/documentation/web-api/concepts/scopes/#list-of-scopes) scope._
    ///
    /// _Deprecated in Spotify's API definition; may be missing (e.g. for Development-Mode apps)._
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explicit_content: Option<ExplicitContentSettings>,
    /// Known external URLs for this user.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub external_urls: ExternalUrl,
    /// Information about the followers of the user.
    ///
    /// _Deprecated in Spotify's API definition; may be missing (e.g. for Development-Mode apps)._
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub followers: Option<Followers>,
    /// A link to the Web API endpoint for this user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    /// The [Spotify user ID](https://developer.spotify.com/documentation/web-api/concepts/spotify-uris-ids) for the user. Do not use this field for account linking — use `account_id` instead, which is immutable.
    #[serde(
        default,
        deserialize_with = "crate::de::id",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<UserId>,
    /// The user's profile image.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub images: Vec<Image>,
    /// The user's Spotify subscription level: "premium", "free", etc. (The subscription level "open" can be considered the same as "free".) _This field is only available when the current user has granted access to the [user-read-private](https://developer.spotify.com/documentation/web-api/concepts/scopes/#list-of-scopes) scope._
    ///
    /// _Deprecated in Spotify's API definition; may be missing (e.g. for Development-Mode apps)._
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<Product>,
    /// The object type: "user"
    #[serde(rename = "type", default, deserialize_with = "crate::de::null_default")]
    pub kind: ItemType,
    /// The [Spotify URI](https://developer.spotify.com/documentation/web-api/concepts/spotify-uris-ids) for the user.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub uri: String,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Another user's public profile (`PublicUserObject`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PublicUser {
    /// The name displayed on the user's profile. `null` if not available.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// Known public external URLs for this user.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub external_urls: ExternalUrl,
    /// Information about the followers of this user.
    ///
    /// _Deprecated in Spotify's API definition; may be missing (e.g. for Development-Mode apps)._
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub followers: Option<Followers>,
    /// A link to the Web API endpoint for this user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    /// The [Spotify user ID](https://developer.spotify.com/documentation/web-api/concepts/spotify-uris-ids) for this user.
    #[serde(
        default,
        deserialize_with = "crate::de::id",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<UserId>,
    /// The user's profile image.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub images: Vec<Image>,
    /// The object type.
    #[serde(rename = "type", default, deserialize_with = "crate::de::null_default")]
    pub kind: ItemType,
    /// The [Spotify URI](https://developer.spotify.com/documentation/web-api/concepts/spotify-uris-ids) for this user.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub uri: String,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The user's explicit-content settings (`ExplicitContentSettingsObject`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ExplicitContentSettings {
    /// When `true`, indicates that explicit content should not be played.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter_enabled: Option<bool>,
    /// When `true`, indicates that the explicit content setting is locked and can't be changed by the user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter_locked: Option<bool>,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

string_enum! {
    /// The user's subscription level (`product`).
    pub enum Product {
        /// `premium`
        Premium => "premium",
        /// `free`
        Free => "free",
        /// `open` (the same as free).
        Open => "open",
    }
}
