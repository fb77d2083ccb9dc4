//! Search results.

use serde::{Deserialize, Serialize};

use crate::prelude::*;

/// The body of `GET /search` (the `SearchItems` response): one page per requested type.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SearchResults {
    /// Matching tracks.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub tracks: Field<PagingTrack>,
    /// Matching artists.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub artists: Field<PagingArtist>,
    /// Matching albums.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub albums: Field<PagingSimplifiedAlbum>,
    /// Matching playlists (Spotify often sends `null` entries here; they are kept as `None`).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub playlists: Field<PagingPlaylist>,
    /// Matching shows.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub shows: Field<PagingSimplifiedShow>,
    /// Matching episodes.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub episodes: Field<PagingSimplifiedEpisode>,
    /// Matching audiobooks.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub audiobooks: Field<PagingSimplifiedAudiobook>,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The spec's name for the search response body.
pub type SearchItems = SearchResults;
