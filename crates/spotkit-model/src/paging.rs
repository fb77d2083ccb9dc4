//! Paging: offset-based [`Page`] and cursor-based [`CursorPage`].

use crate::prelude::*;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use url::Url;

/// The cursors of a cursor-based page (`CursorObject`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Cursor {
    /// The cursor to use as key to find the next page of items.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
    /// The cursor to use as key to find the previous page of items.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<String>,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A page of an offset-based list (`PagingObject` and every `Paging*Object`).
///
/// **Entries Spotify could not give.** Spotify sends `null` entries (playlists that
/// disappeared from search results, items gone from a list); and a future or odd entry
/// may not read as `T`. Neither fails the page: both are left out of `items` and listed,
/// by position, in [`Page::skipped`], so `items` holds only real entries and
/// `items.len() + skipped.len()` is what Spotify sent.
///
/// Members a `fields` filter removed take their defaults (`0`, `None`, empty).
///
/// ```
/// use spotkit_model::{Page, SavedTrack};
///
/// let page: Page<SavedTrack> = serde_json::from_str(r#"{
///   "items": [{"track": {"name": "Song"}}, null, {"track": 7}],
///   "limit": 3, "offset": 0, "total": 3, "next": null
/// }"#)?;
/// let names: Vec<&str> = page.iter().map(|saved| saved.track.name.as_str()).collect();
/// assert_eq!(names, ["Song"]);
/// assert_eq!(page.skipped.iter().map(|s| s.position).collect::<Vec<_>>(), [1, 2]);
/// for saved in &page { /* borrowed */ let _ = &saved.added_at; }
/// for saved in page { /* owned */ let _track = saved.track; }
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(
    from = "crate::page_read::PageRepr<T>",
    bound(deserialize = "T: DeserializeOwned", serialize = "T: Serialize")
)]
#[non_exhaustive]
pub struct Page<T> {
    /// A link to the Web API endpoint returning the full result of the request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    /// The entries of this page, without those listed in [`Page::skipped`].
    pub items: Vec<T>,
    /// The maximum number of items in the response (as set in the query or by default).
    pub limit: u32,
    /// URL to the next page of items (`None` on the last page).
    pub next: Option<Url>,
    /// The offset of the items returned (as set in the query or by default).
    pub offset: u32,
    /// URL to the previous page of items (`None` on the first page).
    pub previous: Option<Url>,
    /// The total number of items available to return.
    pub total: u32,
    /// Entries left out of `items`: `null`s and entries that do not read as `T`.
    #[serde(skip)]
    pub skipped: Vec<SkippedEntry>,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

/// An entry of a page that is not in its `items` (see [`Page`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SkippedEntry {
    /// Where the entry was in the page's `items` as sent, from 0.
    pub position: usize,
    /// Why it does not read, or `None` when Spotify sent `null`.
    pub error: Option<String>,
}

impl<T> Default for Page<T> {
    fn default() -> Self {
        Self {
            href: None,
            items: Vec::new(),
            limit: 0,
            next: None,
            offset: 0,
            previous: None,
            total: 0,
            skipped: Vec::new(),
            extra: Extra::new(),
        }
    }
}

impl<T> Page<T> {
    /// The entries, in order.
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.items.iter()
    }

    /// The entries, consuming the page.
    pub fn into_items(self) -> Vec<T> {
        self.items
    }

    /// The URL of the next page, if there is one.
    pub fn next_url(&self) -> Option<&str> {
        self.next.as_ref().map(Url::as_str)
    }
}

impl<T> IntoIterator for Page<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl<'a, T> IntoIterator for &'a Page<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

/// A page of a cursor-based list (`CursorPagingObject` and the `CursorPaging*Object`s).
///
/// Entries follow the rule of [`Page`]: `null`s and unreadable entries are left out of
/// `items` and listed in [`CursorPage::skipped`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(
    from = "crate::page_read::CursorPageRepr<T>",
    bound(deserialize = "T: DeserializeOwned", serialize = "T: Serialize")
)]
#[non_exhaustive]
pub struct CursorPage<T> {
    /// A link to the Web API endpoint returning the full result of the request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    /// The entries of this page, without those listed in [`CursorPage::skipped`].
    pub items: Vec<T>,
    /// The maximum number of items in the response (as set in the query or by default).
    pub limit: u32,
    /// URL to the next page of items (`None` on the last page).
    pub next: Option<Url>,
    /// The cursors used to find the next set of items.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursors: Option<Cursor>,
    /// The total number of items available to return (not sent for every list).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<u32>,
    /// Entries left out of `items`: `null`s and entries that do not read as `T`.
    #[serde(skip)]
    pub skipped: Vec<SkippedEntry>,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

impl<T> Default for CursorPage<T> {
    fn default() -> Self {
        Self {
            href: None,
            items: Vec::new(),
            limit: 0,
            next: None,
            cursors: None,
            total: None,
            skipped: Vec::new(),
            extra: Extra::new(),
        }
    }
}

impl<T> CursorPage<T> {
    /// The entries, in order.
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.items.iter()
    }

    /// The entries, consuming the page.
    pub fn into_items(self) -> Vec<T> {
        self.items
    }

    /// The URL of the next page, if there is one.
    pub fn next_url(&self) -> Option<&str> {
        self.next.as_ref().map(Url::as_str)
    }

    /// The `after` cursor for the next page, if there is one.
    pub fn after(&self) -> Option<&str> {
        self.cursors.as_ref().and_then(|c| c.after.as_deref())
    }
}

impl<T> IntoIterator for CursorPage<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl<'a, T> IntoIterator for &'a CursorPage<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
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
