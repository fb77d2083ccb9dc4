//! `Playlists`: one playlist, its entries, the current user's playlists, creating playlists,
//! changing their details and entries (add, move, replace, remove; chunked), cover images, and
//! other users', featured and category playlists.
//!
//! Entries live at `/playlists/{id}/items` for Development-Mode apps (February 2026 on) and at
//! `/playlists/{id}/tracks` for Extended-Quota apps; see
//! [`PlaylistItemsEndpoint`] for how the path is chosen.

use bytes::Bytes;
use futures::Stream;
use reqwest::Method;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use url::Url;

use super::request::send;
use super::{AdditionalTypes, get_builder, paged_builder, segment};
use crate::Spotify;
use crate::client::PlaylistItemsEndpoint;
use crate::error::{Error, Result, decode_json};
use crate::http::transport::ApiRequest;
use crate::model::{
    CategoryId, FeaturedPlaylists, Image, Page, PlayableUri, Playlist, PlaylistId, PlaylistTrack,
    SimplifiedPlaylist, UserId,
};
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
            id: segment(id.id()),
            ..self.items_query()
        }
    }

    /// The query of an items request, for no playlist yet.
    pub(super) fn items_query(self) -> PlaylistItems<'a> {
        PlaylistItems {
            spotify: self.spotify,
            item: std::marker::PhantomData,
            id: String::new(),
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
#[serde(bound = "")]
pub struct PlaylistItems<'a, T = PlaylistTrack> {
    #[serde(skip)]
    spotify: &'a Spotify,
    #[serde(skip)]
    item: std::marker::PhantomData<fn() -> T>,
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

impl<'a> PlaylistItems<'a> {
    /// The same request, with every entry as the JSON Spotify sent (each member and value
    /// kept): for exports that must write exactly what Spotify answered.
    pub fn raw(self) -> PlaylistItems<'a, serde_json::Value> {
        PlaylistItems {
            spotify: self.spotify,
            item: std::marker::PhantomData,
            id: self.id,
            concurrency: self.concurrency,
            market: self.market,
            fields: self.fields,
            additional_types: self.additional_types,
            limit: self.limit,
            offset: self.offset,
        }
    }
}

impl<T: DeserializeOwned + Send + 'static> PlaylistItems<'_, T> {
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

    pub(super) fn spotify(&self) -> &Spotify {
        self.spotify
    }

    pub(super) fn requested_concurrency(&self) -> Option<usize> {
        self.concurrency
    }

    pub(super) fn requested_limit(&self) -> Option<u32> {
        self.limit
    }

    /// The query string (the same for every playlist), or why it cannot be built.
    pub(super) fn query_string(&self) -> std::result::Result<String, String> {
        serde_urlencoded::to_string(self)
            .map_err(|e| format!("cannot encode the query for playlist items: {e}"))
    }

    fn first_page(&self) -> FirstPage<Page<T>> {
        let spotify = self.spotify.clone();
        let id = self.id.clone();
        let query = serde_urlencoded::to_string(self);
        Box::pin(async move {
            let query = query.map_err(|e| Error::encode("query for playlist items", e))?;
            first_items_page(&spotify, &id, &query).await
        })
    }

    /// Fetches one page.
    pub async fn send(self) -> Result<Page<T>> {
        Ok(self.first_page().await?.1)
    }

    /// Every entry from `offset` on, in order.
    pub fn stream(self) -> impl Stream<Item = Result<T>> + Send + Unpin + 'static {
        let concurrency = self
            .concurrency
            .unwrap_or_else(|| self.spotify.concurrency());
        paging::items(
            self.spotify.transport().clone(),
            self.first_page(),
            decode_json::<Page<T>>,
            concurrency,
        )
    }

    /// Every entry from `offset` on, collected.
    pub async fn all(self) -> Result<Vec<T>> {
        futures::TryStreamExt::try_collect(self.stream()).await
    }
}

super::into_future!(PlaylistItems<T: DeserializeOwned> => Page<T>);

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

/// The URL [`first_items_page`] asks first: the configured (or learnt) path, else `/items`.
pub(super) fn first_items_url(spotify: &Spotify, id: &str, query: &str) -> Result<Url> {
    let which = match spotify.playlist_items_endpoint() {
        PlaylistItemsEndpoint::Auto => PlaylistItemsEndpoint::Items,
        configured => configured,
    };
    items_url(spotify, id, which, query)
}

/// Fetches the first page from the configured path; in `Auto` mode a 403/404 from `/items`
/// is retried on `/tracks`, and a `/tracks` that works is remembered. An `/items` that works is
/// not: it answers only for playlists the user owns or collaborates on, so it says nothing about
/// the next playlist (an Extended-Quota app reads the others through `/tracks`).
pub(super) async fn first_items_page<T: DeserializeOwned + Send + 'static>(
    spotify: &Spotify,
    id: &str,
    query: &str,
) -> Result<(Url, Page<T>)> {
    let transport = spotify.transport();
    let decode = decode_json::<Page<T>>;
    let configured = spotify.playlist_items_endpoint();
    if configured != PlaylistItemsEndpoint::Auto {
        let url = items_url(spotify, id, configured, query)?;
        let page = paging::fetch(transport, url.clone(), decode).await?;
        return Ok((url, page));
    }
    let url = items_url(spotify, id, PlaylistItemsEndpoint::Items, query)?;
    match paging::fetch(transport, url.clone(), decode).await {
        Ok(page) => Ok((url, page)),
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

/// Items per playlist write (Spotify's maximum for adding, replacing and removing).
pub const PLAYLIST_CHUNK: usize = 100;

impl<'a> PlaylistsHandler<'a> {
    /// `PUT /playlists/{playlist_id}`: changes a playlist's name, description, public or
    /// collaborative flag (scopes `playlist-modify-public`/`playlist-modify-private`).
    pub fn change_details(&self, id: &PlaylistId) -> ChangeDetails<'a> {
        ChangeDetails {
            spotify: self.spotify,
            path: format!("playlists/{}", segment(id.id())),
            details: PlaylistDetails::default(),
        }
    }

    /// `GET /playlists/{playlist_id}/tracks`: the entries through the old path (scope
    /// `playlist-read-private`).
    #[deprecated(
        note = "removed for Development-Mode apps in Feb 2026; use `playlists().items` instead"
    )]
    pub fn tracks(&self, id: &PlaylistId) -> PlaylistTracks<'a> {
        PlaylistTracks::new(
            self.spotify,
            format!("playlists/{}/tracks", segment(id.id())),
        )
    }

    /// `POST /playlists/{playlist_id}/items`: appends (or, with `.position(n)`, inserts) items,
    /// 100 per request and in order, and returns the final `snapshot_id` (scopes
    /// `playlist-modify-public`/`playlist-modify-private`).
    pub fn add_items(&self, id: &PlaylistId, uris: &[PlayableUri]) -> AddItems<'a> {
        AddItems::new(self.spotify, id, Leaf::Items, uris)
    }

    /// `POST /playlists/{playlist_id}/tracks`: [`add_items`](Self::add_items) through the old path.
    #[deprecated(
        note = "removed for Development-Mode apps in Feb 2026; use `playlists().add_items` instead"
    )]
    pub fn add_tracks(&self, id: &PlaylistId, uris: &[PlayableUri]) -> AddItems<'a> {
        AddItems::new(self.spotify, id, Leaf::Tracks, uris)
    }

    /// `PUT /playlists/{playlist_id}/items` with `range_start`/`insert_before`: moves
    /// `range_length` (default 1) items starting at `range_start` before `insert_before`;
    /// returns the new `snapshot_id` (scopes `playlist-modify-public`/`playlist-modify-private`).
    pub fn reorder_items(
        &self,
        id: &PlaylistId,
        range_start: u32,
        insert_before: u32,
    ) -> ReorderItems<'a> {
        ReorderItems::new(self.spotify, id, Leaf::Items, range_start, insert_before)
    }

    /// `PUT /playlists/{playlist_id}/items` with `uris`: replaces every item. The first 100
    /// replace, the rest are appended 100 at a time; returns the final `snapshot_id` (same
    /// operation as [`reorder_items`](Self::reorder_items)).
    pub fn replace_items(&self, id: &PlaylistId, uris: &[PlayableUri]) -> ReplaceItems<'a> {
        ReplaceItems::new(self.spotify, id, Leaf::Items, uris)
    }

    /// `PUT /playlists/{playlist_id}/tracks`: [`reorder_items`](Self::reorder_items) through the
    /// old path.
    #[deprecated(
        note = "removed for Development-Mode apps in Feb 2026; use `playlists().reorder_items` instead"
    )]
    pub fn reorder_tracks(
        &self,
        id: &PlaylistId,
        range_start: u32,
        insert_before: u32,
    ) -> ReorderItems<'a> {
        ReorderItems::new(self.spotify, id, Leaf::Tracks, range_start, insert_before)
    }

    /// `PUT /playlists/{playlist_id}/tracks`: [`replace_items`](Self::replace_items) through the
    /// old path.
    #[deprecated(
        note = "removed for Development-Mode apps in Feb 2026; use `playlists().replace_items` instead"
    )]
    pub fn replace_tracks(&self, id: &PlaylistId, uris: &[PlayableUri]) -> ReplaceItems<'a> {
        ReplaceItems::new(self.spotify, id, Leaf::Tracks, uris)
    }

    /// `DELETE /playlists/{playlist_id}/items`: removes every occurrence of each URI, 100 per
    /// request; returns the final `snapshot_id` (scopes
    /// `playlist-modify-public`/`playlist-modify-private`).
    pub fn remove_items(&self, id: &PlaylistId, uris: &[PlayableUri]) -> RemoveItems<'a> {
        RemoveItems::new(self.spotify, id, Leaf::Items, uris)
    }

    /// `DELETE /playlists/{playlist_id}/tracks`: [`remove_items`](Self::remove_items) through
    /// the old path.
    #[deprecated(
        note = "removed for Development-Mode apps in Feb 2026; use `playlists().remove_items` instead"
    )]
    pub fn remove_tracks(&self, id: &PlaylistId, uris: &[PlayableUri]) -> RemoveItems<'a> {
        RemoveItems::new(self.spotify, id, Leaf::Tracks, uris)
    }

    /// `POST /me/playlists`: creates a playlist for the current user (scopes
    /// `playlist-modify-public`/`playlist-modify-private`).
    pub fn create(&self, name: impl Into<String>) -> CreatePlaylist<'a> {
        CreatePlaylist::new(self.spotify, "me/playlists".into(), name.into())
    }

    /// `POST /users/{user_id}/playlists`: creates a playlist for a user (only the current
    /// user; scopes `playlist-modify-public`/`playlist-modify-private`).
    #[deprecated(
        note = "removed for Development-Mode apps in Feb 2026; use `playlists().create` instead"
    )]
    pub fn create_for_user(&self, user: &UserId, name: impl Into<String>) -> CreatePlaylist<'a> {
        CreatePlaylist::new(
            self.spotify,
            format!("users/{}/playlists", segment(user.id())),
            name.into(),
        )
    }

    /// `GET /users/{user_id}/playlists`: a user's public playlists (scopes
    /// `playlist-read-private`, `playlist-read-collaborative`).
    #[deprecated(
        note = "removed for Development-Mode apps in Feb 2026; use `playlists().mine` instead"
    )]
    pub fn of_user(&self, user: &UserId) -> UserPlaylists<'a> {
        UserPlaylists::new(
            self.spotify,
            format!("users/{}/playlists", segment(user.id())),
        )
    }

    /// `GET /browse/featured-playlists`: Spotify's featured playlists.
    #[deprecated(
        note = "removed for Development-Mode apps in Feb 2026; use `search().query` instead"
    )]
    pub fn featured(&self) -> FeaturedPlaylistsRequest<'a> {
        FeaturedPlaylistsRequest::new(self.spotify, "browse/featured-playlists".into())
    }

    /// `GET /browse/categories/{category_id}/playlists`: a category's playlists.
    #[deprecated(
        note = "removed for Development-Mode apps in Feb 2026; use `search().query` instead"
    )]
    pub fn of_category(&self, category_id: &CategoryId) -> CategoryPlaylists<'a> {
        CategoryPlaylists::new(
            self.spotify,
            format!("browse/categories/{}/playlists", segment(category_id.id())),
        )
    }

    /// `GET /playlists/{playlist_id}/images`: a playlist's cover images.
    pub fn cover_image(&self, id: &PlaylistId) -> CoverImage<'a> {
        CoverImage::new(
            self.spotify,
            format!("playlists/{}/images", segment(id.id())),
        )
    }

    /// `PUT /playlists/{playlist_id}/images`: uploads a cover image from the JPEG's bytes, sent
    /// base64-encoded as `image/jpeg` (Spotify accepts at most 256 KB of base64, about 192 KB of
    /// JPEG; scopes `ugc-image-upload` and `playlist-modify-public`/`playlist-modify-private`).
    pub async fn upload_cover_image(&self, id: &PlaylistId, jpeg: &[u8]) -> Result<()> {
        use base64::Engine as _;
        let url = self
            .spotify
            .transport()
            .endpoint(&format!("playlists/{}/images", segment(id.id())))?;
        let encoded = base64::engine::general_purpose::STANDARD.encode(jpeg);
        let request = ApiRequest {
            method: Method::PUT,
            url,
            body: Some(Bytes::from(encoded)),
            content_type: "image/jpeg",
            repeatable: true,
        };
        self.spotify.transport().execute(&request).await?;
        Ok(())
    }
}

paged_builder! {
    /// Builder for `GET /playlists/{playlist_id}/tracks`.
    PlaylistTracks => PlaylistTrack;
    /// An ISO 3166-1 country code or `from_token`.
    market: String,
    /// A field filter.
    fields: String,
    /// Item types besides tracks to return.
    additional_types: AdditionalTypes,
}

paged_builder! {
    /// Builder for `GET /users/{user_id}/playlists`.
    UserPlaylists => SimplifiedPlaylist;
}

get_builder! {
    /// Builder for `GET /browse/featured-playlists` (one page and a message).
    FeaturedPlaylistsRequest => FeaturedPlaylists;
    /// A locale such as `sv_SE`.
    locale: String,
    ;
    /// Items per page (1..=50, default 20).
    limit: u32,
    /// Index of the first item.
    offset: u32,
}

get_builder! {
    /// Builder for `GET /browse/categories/{category_id}/playlists`.
    CategoryPlaylists => FeaturedPlaylists;
    ;
    /// Items per page (1..=50, default 20).
    limit: u32,
    /// Index of the first item.
    offset: u32,
}

get_builder! {
    /// Builder for `GET /playlists/{playlist_id}/images`.
    CoverImage => Vec<Image>;
}

/// The details [`ChangeDetails`] and [`CreatePlaylist`] send.
#[derive(Debug, Default, Serialize)]
struct PlaylistDetails {
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    public: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    collaborative: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
}

macro_rules! details_setters {
    () => {
        /// Whether the playlist shows on the user's profile.
        pub fn public(mut self, public: bool) -> Self {
            self.details.public = Some(public);
            self
        }

        /// Whether other users may edit it (only for non-public playlists).
        pub fn collaborative(mut self, collaborative: bool) -> Self {
            self.details.collaborative = Some(collaborative);
            self
        }

        /// The description shown under the name.
        pub fn description(mut self, description: impl Into<String>) -> Self {
            self.details.description = Some(description.into());
            self
        }
    };
}

/// Builder for `PUT /playlists/{playlist_id}`.
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send()` or `.await`"]
pub struct ChangeDetails<'a> {
    spotify: &'a Spotify,
    path: String,
    details: PlaylistDetails,
}

impl ChangeDetails<'_> {
    /// The new name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.details.name = Some(name.into());
        self
    }

    details_setters!();

    /// Sends the change.
    pub async fn send(self) -> Result<()> {
        let url = self.spotify.transport().endpoint(&self.path)?;
        send::<Value, _>(self.spotify, Method::PUT, url, Some(&self.details)).await?;
        Ok(())
    }
}

super::into_future!(ChangeDetails => ());

/// Builder for `POST /me/playlists` (and the old `POST /users/{user_id}/playlists`).
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send()` or `.await`"]
pub struct CreatePlaylist<'a> {
    spotify: &'a Spotify,
    path: String,
    details: PlaylistDetails,
}

impl<'a> CreatePlaylist<'a> {
    fn new(spotify: &'a Spotify, path: String, name: String) -> Self {
        CreatePlaylist {
            spotify,
            path,
            details: PlaylistDetails {
                name: Some(name),
                ..PlaylistDetails::default()
            },
        }
    }

    details_setters!();

    /// Creates it; returns the new playlist.
    pub async fn send(self) -> Result<Playlist> {
        let url = self.spotify.transport().endpoint(&self.path)?;
        send(self.spotify, Method::POST, url, Some(&self.details)).await
    }
}

super::into_future!(CreatePlaylist => Playlist);

/// Which of a playlist's two entry paths a write goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Leaf {
    /// `/playlists/{id}/items`.
    Items,
    /// `/playlists/{id}/tracks` (the old path).
    Tracks,
}

impl Leaf {
    fn path(self, id: &PlaylistId) -> String {
        let leaf = match self {
            Leaf::Items => "items",
            Leaf::Tracks => "tracks",
        };
        format!("playlists/{}/{leaf}", segment(id.id()))
    }
}

/// The body of adding (`POST`) or replacing (`PUT`) entries: `{"uris": [...]}`, and for adding
/// optionally `"position"`.
#[derive(Debug, Serialize)]
struct UrisBody<'a> {
    uris: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    position: Option<u32>,
}

/// The body of moving a range of entries.
#[derive(Debug, Serialize)]
struct ReorderBody<'a> {
    range_start: u32,
    insert_before: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    range_length: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    snapshot_id: Option<&'a str>,
}

/// The body of removing entries: `{"items": [{"uri": ...}], "snapshot_id": ...}`, the list
/// named `tracks` on the old path.
#[derive(Debug, Serialize)]
struct RemoveBody<'a> {
    #[serde(flatten)]
    list: RemoveList<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    snapshot_id: Option<&'a str>,
}

/// The list of a [`RemoveBody`], keyed by the variant's name.
#[derive(Debug, Serialize)]
#[serde(rename_all = "snake_case")]
enum RemoveList<'a> {
    Items(Vec<UriObject<'a>>),
    Tracks(Vec<UriObject<'a>>),
}

#[derive(Debug, Serialize)]
struct UriObject<'a> {
    uri: &'a str,
}

impl<'a> RemoveBody<'a> {
    fn new(leaf: Leaf, uris: &'a [String], snapshot_id: Option<&'a str>) -> Self {
        let objects = uris.iter().map(|uri| UriObject { uri }).collect();
        RemoveBody {
            list: match leaf {
                Leaf::Items => RemoveList::Items(objects),
                Leaf::Tracks => RemoveList::Tracks(objects),
            },
            snapshot_id,
        }
    }
}

/// Reads `snapshot_id` from a playlist write's answer.
fn snapshot_of(answer: &Value) -> Result<String> {
    answer
        .get("snapshot_id")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| Error::Decode {
            path: "snapshot_id".into(),
            message: "missing from the answer to a playlist change".into(),
            snippet: crate::error::snippet(answer.to_string().as_bytes()),
        })
}

/// Builder for adding items to a playlist (`POST /playlists/{playlist_id}/items`).
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send()` or `.await`"]
pub struct AddItems<'a> {
    spotify: &'a Spotify,
    path: String,
    uris: Vec<String>,
    position: Option<u32>,
}

impl<'a> AddItems<'a> {
    fn new(spotify: &'a Spotify, id: &PlaylistId, leaf: Leaf, uris: &[PlayableUri]) -> Self {
        AddItems {
            spotify,
            path: leaf.path(id),
            uris: uris.iter().map(PlayableUri::uri).collect(),
            position: None,
        }
    }

    /// Insert at this zero-based index instead of appending; later chunks go right after the
    /// earlier ones, so the items keep their order.
    pub fn position(mut self, position: u32) -> Self {
        self.position = Some(position);
        self
    }

    /// Adds every item, 100 per request; returns the final `snapshot_id`. With no items it
    /// sends nothing and fails with [`Error::InvalidInput`].
    pub async fn send(self) -> Result<String> {
        if self.uris.is_empty() {
            return Err(Error::InvalidInput(
                "no items to add: pass at least one track or episode URI".into(),
            ));
        }
        let url = self.spotify.transport().endpoint(&self.path)?;
        let mut snapshot = String::new();
        let mut inserted: u32 = 0;
        for chunk in self.uris.chunks(PLAYLIST_CHUNK) {
            let body = UrisBody {
                uris: chunk,
                position: self.position.map(|p| p.saturating_add(inserted)),
            };
            let answer: Value = send(self.spotify, Method::POST, url.clone(), Some(&body)).await?;
            snapshot = snapshot_of(&answer)?;
            inserted = inserted.saturating_add(u32::try_from(chunk.len()).unwrap_or(u32::MAX));
        }
        Ok(snapshot)
    }
}

super::into_future!(AddItems => String);

/// Builder for moving a range of a playlist (`PUT /playlists/{playlist_id}/items`).
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send()` or `.await`"]
pub struct ReorderItems<'a> {
    spotify: &'a Spotify,
    path: String,
    range_start: u32,
    insert_before: u32,
    range_length: Option<u32>,
    snapshot_id: Option<String>,
}

impl<'a> ReorderItems<'a> {
    fn new(
        spotify: &'a Spotify,
        id: &PlaylistId,
        leaf: Leaf,
        range_start: u32,
        insert_before: u32,
    ) -> Self {
        ReorderItems {
            spotify,
            path: leaf.path(id),
            range_start,
            insert_before,
            range_length: None,
            snapshot_id: None,
        }
    }

    /// How many items to move (default 1).
    pub fn range_length(mut self, length: u32) -> Self {
        self.range_length = Some(length);
        self
    }

    /// Apply the positions to this version of the playlist (Spotify maps them onto the
    /// current version, or refuses when it cannot).
    pub fn snapshot_id(mut self, snapshot: impl Into<String>) -> Self {
        self.snapshot_id = Some(snapshot.into());
        self
    }

    /// Moves the range; returns the new `snapshot_id`.
    pub async fn send(self) -> Result<String> {
        let url = self.spotify.transport().endpoint(&self.path)?;
        let body = ReorderBody {
            range_start: self.range_start,
            insert_before: self.insert_before,
            range_length: self.range_length,
            snapshot_id: self.snapshot_id.as_deref(),
        };
        let answer: Value = send(self.spotify, Method::PUT, url, Some(&body)).await?;
        snapshot_of(&answer)
    }
}

super::into_future!(ReorderItems => String);

/// Builder for replacing a playlist's items (`PUT /playlists/{playlist_id}/items` with `uris`).
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send()` or `.await`"]
pub struct ReplaceItems<'a> {
    spotify: &'a Spotify,
    path: String,
    uris: Vec<String>,
}

impl<'a> ReplaceItems<'a> {
    fn new(spotify: &'a Spotify, id: &PlaylistId, leaf: Leaf, uris: &[PlayableUri]) -> Self {
        ReplaceItems {
            spotify,
            path: leaf.path(id),
            uris: uris.iter().map(PlayableUri::uri).collect(),
        }
    }

    /// Replaces the items (an empty list clears the playlist); returns the final `snapshot_id`.
    pub async fn send(self) -> Result<String> {
        let url = self.spotify.transport().endpoint(&self.path)?;
        let mut chunks = self.uris.chunks(PLAYLIST_CHUNK);
        let first = chunks.next().unwrap_or(&[]);
        let body = UrisBody {
            uris: first,
            position: None,
        };
        let answer: Value = send(self.spotify, Method::PUT, url.clone(), Some(&body)).await?;
        let mut snapshot = snapshot_of(&answer)?;
        for chunk in chunks {
            let body = UrisBody {
                uris: chunk,
                position: None,
            };
            let answer: Value = send(self.spotify, Method::POST, url.clone(), Some(&body)).await?;
            snapshot = snapshot_of(&answer)?;
        }
        Ok(snapshot)
    }
}

super::into_future!(ReplaceItems => String);

/// Builder for removing items from a playlist (`DELETE /playlists/{playlist_id}/items`).
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send()` or `.await`"]
pub struct RemoveItems<'a> {
    spotify: &'a Spotify,
    path: String,
    leaf: Leaf,
    uris: Vec<String>,
    snapshot_id: Option<String>,
}

impl<'a> RemoveItems<'a> {
    fn new(spotify: &'a Spotify, id: &PlaylistId, leaf: Leaf, uris: &[PlayableUri]) -> Self {
        RemoveItems {
            spotify,
            path: leaf.path(id),
            // The old path names the list `tracks`, the new one `items` (see `RemoveBody`).
            leaf,
            uris: uris.iter().map(PlayableUri::uri).collect(),
            snapshot_id: None,
        }
    }

    /// Remove from this version of the playlist (sent with the first chunk only: later
    /// chunks apply to the version the first one produced).
    pub fn snapshot_id(mut self, snapshot: impl Into<String>) -> Self {
        self.snapshot_id = Some(snapshot.into());
        self
    }

    /// Removes every item, 100 per request; returns the final `snapshot_id`.
    pub async fn send(self) -> Result<String> {
        if self.uris.is_empty() {
            return Err(Error::InvalidInput(
                "no items to remove: pass at least one track or episode URI".into(),
            ));
        }
        let url = self.spotify.transport().endpoint(&self.path)?;
        let mut last = String::new();
        for (n, chunk) in self.uris.chunks(PLAYLIST_CHUNK).enumerate() {
            // Later chunks apply to the version the first one produced.
            let snapshot = if n == 0 {
                self.snapshot_id.as_deref()
            } else {
                None
            };
            let body = RemoveBody::new(self.leaf, chunk, snapshot);
            let answer: Value =
                send(self.spotify, Method::DELETE, url.clone(), Some(&body)).await?;
            last = snapshot_of(&answer)?;
        }
        Ok(last)
    }
}

super::into_future!(RemoveItems => String);

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn uris(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("spotify:track:{i}")).collect()
    }

    #[test]
    fn details_bodies_are_what_spotify_expects() {
        let details = PlaylistDetails {
            name: Some("Mix".into()),
            public: Some(false),
            collaborative: None,
            description: Some("d".into()),
        };
        assert_eq!(
            serde_json::to_value(&details).unwrap(),
            json!({ "name": "Mix", "public": false, "description": "d" })
        );
        assert_eq!(
            serde_json::to_value(PlaylistDetails::default()).unwrap(),
            json!({})
        );
    }

    #[test]
    fn uris_bodies_are_what_spotify_expects() {
        let uris = uris(2);
        // What `json!({"uris": chunk})` (and `body["position"] = ...`) built before.
        assert_eq!(
            serde_json::to_value(UrisBody {
                uris: &uris,
                position: None
            })
            .unwrap(),
            json!({ "uris": ["spotify:track:0", "spotify:track:1"] })
        );
        assert_eq!(
            serde_json::to_value(UrisBody {
                uris: &uris,
                position: Some(7)
            })
            .unwrap(),
            json!({ "uris": ["spotify:track:0", "spotify:track:1"], "position": 7 })
        );
        assert_eq!(
            serde_json::to_value(UrisBody {
                uris: &[],
                position: None
            })
            .unwrap(),
            json!({ "uris": [] })
        );
    }

    #[test]
    fn reorder_body_is_what_spotify_expects() {
        let bare = ReorderBody {
            range_start: 3,
            insert_before: 0,
            range_length: None,
            snapshot_id: None,
        };
        assert_eq!(
            serde_json::to_value(&bare).unwrap(),
            json!({ "range_start": 3, "insert_before": 0 })
        );
        let full = ReorderBody {
            range_length: Some(2),
            snapshot_id: Some("snap"),
            ..bare
        };
        assert_eq!(
            serde_json::to_value(&full).unwrap(),
            json!({ "range_start": 3, "insert_before": 0, "range_length": 2, "snapshot_id": "snap" })
        );
    }

    #[test]
    fn remove_body_names_its_list_after_the_path() {
        let uris = uris(2);
        let objects = json!([{ "uri": "spotify:track:0" }, { "uri": "spotify:track:1" }]);
        assert_eq!(
            serde_json::to_value(RemoveBody::new(Leaf::Items, &uris, None)).unwrap(),
            json!({ "items": objects })
        );
        assert_eq!(
            serde_json::to_value(RemoveBody::new(Leaf::Tracks, &uris, Some("snap"))).unwrap(),
            json!({ "tracks": objects, "snapshot_id": "snap" })
        );
        // Exact bytes, as sent: the list first, then the snapshot.
        assert_eq!(
            serde_json::to_string(&RemoveBody::new(Leaf::Items, &uris[..1], Some("s"))).unwrap(),
            r#"{"items":[{"uri":"spotify:track:0"}],"snapshot_id":"s"}"#
        );
    }
}
