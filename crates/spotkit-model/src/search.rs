//! Search results.

use serde::{Deserialize, Serialize};

use crate::prelude::*;

/// The body of `GET /search` (the `SearchItems` response): one page per requested type.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SearchResults {
    /// Matching tracks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tracks: Option<PagingTrack>,
    /// Matching artists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub artists: Option<PagingArtist>,
    /// Matching albums.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub albums: Option<PagingSimplifiedAlbum>,
    /// Matching playlists (Spotify often sends `null` entries here; they are kept as `None`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub playlists: Option<PagingPlaylist>,
    /// Matching shows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shows: Option<PagingSimplifiedShow>,
    /// Matching episodes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub episodes: Option<PagingSimplifiedEpisode>,
    /// Matching audiobooks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audiobooks: Option<PagingSimplifiedAudiobook>,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The spec's name for the search response body.
pub type SearchItems = SearchResults;
