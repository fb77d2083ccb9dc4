//! Browse categories.

use serde::{Deserialize, Serialize};

use crate::prelude::*;

/// A browse category (`CategoryObject`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Category {
    /// A link to the Web API endpoint returning full details of the category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    /// The category icon, in various sizes.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub icons: Vec<Image>,
    /// The [Spotify category ID](https://developer.spotify.com/documentation/web-api/concepts/spotify-uris-ids) of the category.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub id: CategoryId,
    /// The name of the category.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub name: String,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}
