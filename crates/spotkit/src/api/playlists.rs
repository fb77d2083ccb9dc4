//! `Playlists`: one playlist, its entries, and the current user's playlists.
//!
//! Entries live at `/playlists/{id}/items` for Development-Mode apps (February 2026 on) and at
//! `/playlists/{id}/tracks` for Extended-Quota apps; see
//! [`PlaylistItemsEndpoint`] for how the path is chosen.

use futures::Stream;
use serde::Serialize;
use url::Url;

use super::{AdditionalTypes, get_builder, paged_builder, segment};
use crate::Spotify;
use crate::client::PlaylistItemsEndpoint;
use crate::error::{Error, Result, decode_json};
use crate::model::{Page, Playlist, PlaylistId, PlaylistTrack, SimplifiedPlaylist};
use crate::paging::{self, FirstPage};

/// `spotify.playlists()`.
#[derive(Debug, Clone, Copy)]
pub struct PlaylistsHandler<'a> {
    spotify: &'a Spotify,
}

impl<'a> PlaylistsHandler<'a> {
    pub(crate) fn new(spotify: &'a Spotify) -> Self {
        PlaylistsHandler { spotify }
    }

    /// `GET /me/playlists`: the playlists the user owns or follows (scope
    /// `playlist-read-private`).
    pub fn mine(&self) -> MyPlaylists<'a> {
        MyPlaylists::new(self.spotify, "me/playlists".into())
    }

    /// `GET /playlists/{id}`: one playlist with its first page of entries.
    pub fn get(&self, id: &PlaylistId) -> GetPlaylist<'a> {
        GetPlaylist::new(self.spotify, format!("playlists/{}", segment(id.id())))
    }

    /// `GET /playlists/{id}/items` (or `/tracks`): every entry of a playlist.
    pub fn items(&self, id: &PlaylistId) -> PlaylistItems<'a> {
        PlaylistItems {
            spotify: self.spotify,
            id: segment(id.id()),
            concurrency: None,
            market: None,
            fields: None,
            additional_types: None,
            limit: None,
            offset: None,
        }
    }
}

paged_builder! {
    /// Builder for `GET /me/playlists`.
    MyPlaylists => SimplifiedPlaylist;
}

get_builder! {
    /// Builder for `GET /playlists/{id}`.
    GetPlaylist => Playlist;
    /// An ISO 3166-1 country code or `from_token`.
    market: String,
    /// A field filter such as `name,items(total)`; filtered-out members parse as absent.
    fields: String,
    /// Item types besides tracks to return (e.g. episodes).
    additional_types: AdditionalTypes,
}

/// Builder for a playlist's entries.
#[derive(Debug, Serialize)]
#[must_use = "a builder does nothing until `.send()`, `.stream()`, `.all()` or `.await`"]
pub struct PlaylistItems<'a> {
    #[serde(skip)]
    spotify: &'a Spotify,
    #[serde(skip)]
    id: String,
    #[serde(skip)]
    concurrency: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    market: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fields: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    additional_types: Option<AdditionalTypes>,
    #[serde(skip_serializing_if = "Option::is_none")]
    limit: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    offset: Option<u32>,
}

impl PlaylistItems<'_> {
    /// An ISO 3166-1 country code or `from_token`.
    pub fn market(mut self, market: impl Into<String>) -> Self {
        self.market = Some(market.into());
        self
    }

    /// A field filter such as `items(added_at,item(name)),next,total`. Keep `next` (and
    /// `total`, `limit`, `offset` for concurrent paging) when you use `.stream()`/`.all()`.
    pub fn fields(mut self, fields: impl Into<String>) -> Self {
        self.fields = Some(fields.into());
        self
    }

    /// Item types besides tracks to return (pass `[Track, Episode]` to get podcast episodes).
    pub fn additional_types(mut self, types: impl Into<AdditionalTypes>) -> Self {
        self.additional_types = Some(types.into());
        self
    }

    /// Entries per page (1..=50 for `/items`, 1..=100 for `/tracks`; default 20 or 100).
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Index of the first entry (default 0).
    pub fn offset(mut self, offset: u32) -> Self {
        self.offset = Some(offset);
        self
    }

    /// Pages fetched at once by `.stream()` / `.all()` (default: the client's).
    pub fn concurrency(mut self, pages: usize) -> Self {
        self.concurrency = Some(pages.max(1));
        self
    }

    fn first_page(&self) -> FirstPage<Page<PlaylistTrack>> {
        let spotify = self.spotify.clone();
        let id = self.id.clone();
        let query = serde_urlencoded::to_string(self);
        Box::pin(async move {
            let query =
                query.map_err(|e| Error::Config(format!("cannot encode the query: {e}")))?;
            first_items_page(&spotify, &id, &query).await
        })
    }

    /// Fetches one page.
    pub async fn send(self) -> Result<Page<PlaylistTrack>> {
        Ok(self.first_page().await?.1)
    }

    /// Every entry from `offset` on, in order.
    pub fn stream(self) -> impl Stream<Item = Result<PlaylistTrack>> + Send + Unpin + 'static {
        let concurrency = self
            .concurrency
            .unwrap_or_else(|| self.spotify.concurrency());
        paging::items(
            self.spotify.transport().clone(),
            self.first_page(),
            decode_json::<Page<PlaylistTrack>>,
            concurrency,
        )
    }

    /// Every entry from `offset` on, collected.
    pub async fn all(self) -> Result<Vec<PlaylistTrack>> {
        futures::TryStreamExt::try_collect(self.stream()).await
    }
}

impl<'a> std::future::IntoFuture for PlaylistItems<'a> {
    type Output = Result<Page<PlaylistTrack>>;
    type IntoFuture = futures::future::BoxFuture<'a, Self::Output>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

fn items_url(
    spotify: &Spotify,
    id: &str,
    which: PlaylistItemsEndpoint,
    query: &str,
) -> Result<Url> {
    let leaf = if which == PlaylistItemsEndpoint::Tracks {
        "tracks"
    } else {
        "items"
    };
    let mut url = spotify
        .transport()
        .endpoint(&format!("playlists/{id}/{leaf}"))?;
    if !query.is_empty() {
        url.set_query(Some(query));
    }
    Ok(url)
}

/// Fetches the first page from the configured path; in `Auto` mode a 403/404 from `/items`
/// is retried on `/tracks`, and whichever works is remembered.
async fn first_items_page(
    spotify: &Spotify,
    id: &str,
    query: &str,
) -> Result<(Url, Page<PlaylistTrack>)> {
    let transport = spotify.transport();
    let decode = decode_json::<Page<PlaylistTrack>>;
    let configured = spotify.playlist_items_endpoint();
    if configured != PlaylistItemsEndpoint::Auto {
        let url = items_url(spotify, id, configured, query)?;
        let page = paging::fetch(transport, url.clone(), decode).await?;
        return Ok((url, page));
    }
    let url = items_url(spotify, id, PlaylistItemsEndpoint::Items, query)?;
    match paging::fetch(transport, url.clone(), decode).await {
        Ok(page) => {
            spotify.remember_playlist_items_endpoint(PlaylistItemsEndpoint::Items);
            Ok((url, page))
        }
        Err(first @ (Error::Forbidden { .. } | Error::NotFound { .. })) => {
            let url = items_url(spotify, id, PlaylistItemsEndpoint::Tracks, query)?;
            match paging::fetch(transport, url.clone(), decode).await {
                Ok(page) => {
                    spotify.remember_playlist_items_endpoint(PlaylistItemsEndpoint::Tracks);
                    Ok((url, page))
                }
                // Both refused: a missing playlist is the more useful answer than "forbidden".
                Err(second @ Error::NotFound { .. }) => Err(second),
                Err(Error::Forbidden { .. }) => Err(first),
                Err(other) => Err(other),
            }
        }
        Err(other) => Err(other),
    }
}
