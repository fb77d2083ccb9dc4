//! Paging: offset-based [`Page`] and cursor-based [`CursorPage`].

use serde::{Deserialize, Serialize};

use crate::prelude::*;

/// The cursors of a cursor-based page (`CursorObject`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Cursor {
    /// The cursor to use as key to find the next page of items.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub after: Field<String>,
    /// The cursor to use as key to find the previous page of items.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub before: Field<String>,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A page of an offset-based list (`PagingObject` and every `Paging*Object`).
///
/// `items` keeps `null` entries as `None` (Spotify sends them, e.g. for playlists
/// that disappeared from search results); [`Page::iter`] skips them. All members are
/// [`Field`]s because a `fields` filter can remove any of them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Page<T> {
    /// A link to the Web API endpoint returning the full result of the request.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub href: Field<String>,
    /// The entries of this page, `None` where Spotify sent `null`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub items: Field<Vec<Option<T>>>,
    /// The maximum number of items in the response (as set in the query or by default).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub limit: Field<u32>,
    /// URL to the next page of items (`null` if none).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub next: Field<String>,
    /// The offset of the items returned (as set in the query or by default).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub offset: Field<u32>,
    /// URL to the previous page of items (`null` if none).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub previous: Field<String>,
    /// The total number of items available to return.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub total: Field<u32>,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

impl<T> Default for Page<T> {
    fn default() -> Self {
        Self {
            href: Field::Absent,
            items: Field::Absent,
            limit: Field::Absent,
            next: Field::Absent,
            offset: Field::Absent,
            previous: Field::Absent,
            total: Field::Absent,
            extra: Extra::new(),
        }
    }
}

impl<T> Page<T> {
    /// The non-`null` entries, in order.
    pub fn iter(&self) -> impl Iterator<Item = &T> {
        entries(&self.items)
    }

    /// The non-`null` entries, consuming the page.
    pub fn into_items(self) -> Vec<T> {
        self.items
            .into_option()
            .unwrap_or_default()
            .into_iter()
            .flatten()
            .collect()
    }

    /// The URL of the next page, if there is one.
    pub fn next_url(&self) -> Option<&str> {
        self.next.as_deref()
    }
}

/// A page of a cursor-based list (`CursorPagingObject` and the `CursorPaging*Object`s).
///
/// Like [`Page`], `null` entries are kept as `None` and skipped by [`CursorPage::iter`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CursorPage<T> {
    /// A link to the Web API endpoint returning the full result of the request.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub href: Field<String>,
    /// The entries of this page, `None` where Spotify sent `null`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub items: Field<Vec<Option<T>>>,
    /// The maximum number of items in the response (as set in the query or by default).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub limit: Field<u32>,
    /// URL to the next page of items (`null` if none).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub next: Field<String>,
    /// The cursors used to find the next set of items.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub cursors: Field<Cursor>,
    /// The total number of items available to return.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub total: Field<u32>,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

impl<T> Default for CursorPage<T> {
    fn default() -> Self {
        Self {
            href: Field::Absent,
            items: Field::Absent,
            limit: Field::Absent,
            next: Field::Absent,
            cursors: Field::Absent,
            total: Field::Absent,
            extra: Extra::new(),
        }
    }
}

impl<T> CursorPage<T> {
    /// The non-`null` entries, in order.
    pub fn iter(&self) -> impl Iterator<Item = &T> {
        entries(&self.items)
    }

    /// The non-`null` entries, consuming the page.
    pub fn into_items(self) -> Vec<T> {
        self.items
            .into_option()
            .unwrap_or_default()
            .into_iter()
            .flatten()
            .collect()
    }

    /// The URL of the next page, if there is one.
    pub fn next_url(&self) -> Option<&str> {
        self.next.as_deref()
    }

    /// The `after` cursor for the next page, if there is one.
    pub fn after(&self) -> Option<&str> {
        self.cursors.get().and_then(|c| c.after.as_deref())
    }
}

fn entries<T>(items: &Field<Vec<Option<T>>>) -> impl Iterator<Item = &T> {
    items.get().into_iter().flatten().flatten()
}

/// `PagingPlaylistObject`: a page of [`SimplifiedPlaylist`]s.
pub type PagingPlaylist = Page<SimplifiedPlaylist>;
/// `PagingArtistDiscographyAlbumObject`: a page of [`ArtistDiscographyAlbum`]s.
pub type PagingArtistDiscographyAlbum = Page<ArtistDiscographyAlbum>;
/// `PagingSimplifiedAlbumObject`: a page of [`SimplifiedAlbum`]s.
pub type PagingSimplifiedAlbum = Page<SimplifiedAlbum>;
/// `PagingSavedAlbumObject`: a page of [`SavedAlbum`]s.
pub type PagingSavedAlbum = Page<SavedAlbum>;
/// `PagingSimplifiedTrackObject`: a page of [`SimplifiedTrack`]s.
pub type PagingSimplifiedTrack = Page<SimplifiedTrack>;
/// `PagingSavedTrackObject`: a page of [`SavedTrack`]s.
pub type PagingSavedTrack = Page<SavedTrack>;
/// `PagingTrackObject`: a page of [`Track`]s.
pub type PagingTrack = Page<Track>;
/// `PagingPlaylistTrackObject`: a page of playlist entries ([`PlaylistTrack`]).
pub type PagingPlaylistTrack = Page<PlaylistTrack>;
/// `PagingSimplifiedShowObject`: a page of [`SimplifiedShow`]s.
pub type PagingSimplifiedShow = Page<SimplifiedShow>;
/// `PagingSavedShowObject`: a page of [`SavedShow`]s.
pub type PagingSavedShow = Page<SavedShow>;
/// `PagingSimplifiedEpisodeObject`: a page of [`SimplifiedEpisode`]s.
pub type PagingSimplifiedEpisode = Page<SimplifiedEpisode>;
/// `PagingSavedEpisodeObject`: a page of [`SavedEpisode`]s.
pub type PagingSavedEpisode = Page<SavedEpisode>;
/// `PagingSimplifiedAudiobookObject`: a page of [`SimplifiedAudiobook`]s.
pub type PagingSimplifiedAudiobook = Page<SimplifiedAudiobook>;
/// `PagingSavedAudiobookObject`: a page of [`SavedAudiobook`]s.
pub type PagingSavedAudiobook = Page<SavedAudiobook>;
/// `PagingArtistObject`: a page of [`Artist`]s.
pub type PagingArtist = Page<Artist>;
/// `PagingSimplifiedChapterObject`: a page of [`SimplifiedChapter`]s.
pub type PagingSimplifiedChapter = Page<SimplifiedChapter>;
/// `CursorPagingPlayHistoryObject`: a cursor page of [`PlayHistory`] (recently played).
pub type CursorPagingPlayHistory = CursorPage<PlayHistory>;
/// `CursorPagingSimplifiedArtistObject`: a cursor page of [`Artist`]s (followed artists).
///
/// Despite the schema's name its items are full `ArtistObject`s.
pub type CursorPagingSimplifiedArtist = CursorPage<Artist>;
