//! Recommendations (deprecated endpoint, kept for Extended-Quota apps).

use serde::{Deserialize, Serialize};

use crate::prelude::*;

/// Recommended tracks with their seeds (`RecommendationsObject`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Recommendations {
    /// An array of recommendation seed objects.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub seeds: Vec<RecommendationSeed>,
    /// An array of track objects ordered according to the parameters supplied.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub tracks: Vec<Track>,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A seed of a recommendation request (`RecommendationSeedObject`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RecommendationSeed {
    /// The number of tracks available after min\_\* and max\_\* filters have been applied.
    #[serde(
        rename = "afterFilteringSize",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub after_filtering_size: Option<u32>,
    /// The number of tracks available after relinking for regional availability.
    #[serde(
        rename = "afterRelinkingSize",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub after_relinking_size: Option<u32>,
    /// A link to the full track or artist data for this seed. For tracks this will be a link to a Track Object. For artists a link to an Artist Object. For genre seeds, this value will be `null`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    /// The id used to select this seed. This will be the same as the string used in the `seed_artists`, `seed_tracks` or `seed_genres` parameter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The number of recommended tracks available for this seed.
    #[serde(
        rename = "initialPoolSize",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub initial_pool_size: Option<u32>,
    /// The entity type of this seed. One of `artist`, `track` or `genre`.
    #[serde(rename = "type", default, deserialize_with = "crate::de::null_default")]
    pub kind: ItemType,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}
