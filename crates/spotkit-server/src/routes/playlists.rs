//! `GET /playlists` and `GET /playlists/{id}`: every page, in one documented shape whatever
//! generation of the API answered (Development Mode's `/items` with `items`/`item`, or
//! Extended Quota's `/tracks` with `tracks`/`track`); `?raw=true` returns Spotify's own objects.

use axum::Json;
use axum::extract::{DefaultBodyLimit, Path, State};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use spotkit::model::{PlaylistId, PlaylistOwner, PlaylistTrack, SimplifiedPlaylist};
use time::format_description::well_known::Rfc3339;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{AppError, AppResult, ErrorBody};
use crate::extract::Caller;
use crate::extract::QueryParams;
use crate::middleware::ip_limited;
use crate::state::AppState;

/// `GET /playlists` and `GET /playlists/{id}`, under the per-IP API budget.
pub fn router(state: &AppState) -> OpenApiRouter<AppState> {
    let routes = OpenApiRouter::default()
        .routes(routes!(list))
        .routes(routes!(get))
        .layer(DefaultBodyLimit::max(state.config().max_body_bytes));
    ip_limited(routes, state)
}

/// `?raw=`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RawQuery {
    /// Return Spotify's objects unchanged (with every entry filled in) instead of the
    /// normalised shape.
    #[serde(default)]
    pub raw: bool,
}

/// A playlist's owner.
#[derive(Debug, Serialize, ToSchema)]
pub struct Owner {
    /// Spotify user id.
    pub id: Option<String>,
    /// Display name.
    pub display_name: Option<String>,
}

/// A playlist in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlaylistSummary {
    /// Spotify id.
    pub id: Option<String>,
    /// Name.
    pub name: Option<String>,
    /// Owner.
    pub owner: Owner,
    /// Public (`null`: not relevant).
    pub public: Option<bool>,
    /// Collaborative.
    pub collaborative: Option<bool>,
    /// Version identifier.
    pub snapshot_id: Option<String>,
    /// Number of entries (from `items.total`, or `tracks.total` on older responses).
    pub total: Option<u32>,
    /// Spotify URI.
    pub uri: Option<String>,
}

/// `GET /playlists`.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlaylistList {
    /// How many playlists.
    pub total: usize,
    /// Every playlist the user owns or follows: [`PlaylistSummary`] objects, or Spotify's
    /// `SimplifiedPlaylistObject`s with `raw=true`.
    #[schema(value_type = Vec<Object>)]
    pub items: Vec<Value>,
}

/// One entry of a playlist.
#[derive(Debug, Serialize, ToSchema)]
pub struct Entry {
    /// When it was added (ISO 8601), if known.
    pub added_at: Option<String>,
    /// User id of who added it, if known.
    pub added_by: Option<String>,
    /// A local file.
    pub is_local: bool,
    /// `track`, `episode`, ... (`null` for an unavailable item).
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// The track or episode object (from `item`, or `track` on older responses); `null` when
    /// Spotify sent none.
    #[schema(value_type = Option<Object>)]
    pub item: Value,
}

/// `GET /playlists/{id}` in the normalised shape.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlaylistDetail {
    /// Spotify id.
    pub id: Option<String>,
    /// Name.
    pub name: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Owner.
    pub owner: Owner,
    /// Public.
    pub public: Option<bool>,
    /// Collaborative.
    pub collaborative: Option<bool>,
    /// Version identifier.
    pub snapshot_id: Option<String>,
    /// Spotify URI.
    pub uri: Option<String>,
    /// Number of entries.
    pub total: usize,
    /// Every entry, in playlist order.
    pub items: Vec<Entry>,
}

fn summary(p: &SimplifiedPlaylist) -> PlaylistSummary {
    PlaylistSummary {
        id: p.id.as_ref().map(ToString::to_string),
        name: Some(p.name.clone()),
        owner: owner(&p.owner),
        public: p.public,
        collaborative: Some(p.collaborative),
        snapshot_id: Some(p.snapshot_id.clone()),
        total: p.items().map(|r| r.total),
        uri: Some(p.uri.clone()),
    }
}

fn owner(o: &PlaylistOwner) -> Owner {
    Owner {
        id: o.id.as_ref().map(ToString::to_string),
        display_name: o.display_name.clone(),
    }
}

fn entry(e: &PlaylistTrack) -> Result<Entry, AppError> {
    let item = e.item();
    Ok(Entry {
        added_at: e.added_at.and_then(|t| t.format(&Rfc3339).ok()),
        added_by: e
            .added_by
            .as_ref()
            .and_then(|u| u.id.as_ref().map(ToString::to_string)),
        is_local: e.is_local,
        kind: item.and_then(|i| i.type_name()).map(str::to_owned),
        item: match item {
            Some(i) => serde_json::to_value(i).map_err(|e| AppError::Internal(e.to_string()))?,
            None => Value::Null,
        },
    })
}

fn to_json<T: Serialize>(v: &T) -> Result<Value, AppError> {
    serde_json::to_value(v).map_err(|e| AppError::Internal(e.to_string()))
}

/// Every playlist of the caller.
#[utoipa::path(get, path = "/playlists", tag = "playlists", params(RawQuery),
    responses(
        (status = 200, description = "All playlists (every page)", body = PlaylistList),
        (status = 400, description = "Bad query", body = ErrorBody),
        (status = 401, description = "Not authenticated, or the Spotify login must be renewed (code reauth_required)", body = ErrorBody),
        (status = 403, description = "Spotify refused (scope)", body = ErrorBody),
        (status = 429, description = "Too many requests (here or at Spotify)", body = ErrorBody),
        (status = 502, description = "Spotify could not be reached", body = ErrorBody),
    ),
    security(("session" = []), ("bearer" = [])))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    QueryParams(q): QueryParams<RawQuery>,
) -> AppResult<Json<PlaylistList>> {
    let client = caller.spotify(&state)?;
    let all = match client.playlists().mine().limit(50).all().await {
        Ok(all) => all,
        Err(e) => return Err(caller.spotify_error(&state, e).await),
    };
    let items = all
        .iter()
        .map(|p| {
            if q.raw {
                to_json(p)
            } else {
                to_json(&summary(p))
            }
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Json(PlaylistList {
        total: items.len(),
        items,
    }))
}

/// One playlist with all of its entries.
#[utoipa::path(get, path = "/playlists/{id}", tag = "playlists",
    params(("id" = String, Path, description = "Playlist id or spotify:playlist: URI"), RawQuery),
    responses(
        (status = 200, description = "The playlist with every entry: a PlaylistDetail (see the schemas), or with raw=true Spotify's PlaylistObject with every entry in its page", body = Object),
        (status = 400, description = "Not a playlist id", body = ErrorBody),
        (status = 401, description = "Not authenticated, or the Spotify login must be renewed (code reauth_required)", body = ErrorBody),
        (status = 403, description = "Spotify refused", body = ErrorBody),
        (status = 404, description = "No such playlist visible to this user", body = ErrorBody),
        (status = 429, description = "Too many requests (here or at Spotify)", body = ErrorBody),
        (status = 502, description = "Spotify could not be reached", body = ErrorBody),
    ),
    security(("session" = []), ("bearer" = [])))]
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    QueryParams(q): QueryParams<RawQuery>,
) -> AppResult<Json<Value>> {
    let id = PlaylistId::parse(&id)
        .map_err(|e| AppError::field("id", format!("not a playlist id or URI: {e}")))?;
    let client = caller.spotify(&state)?;
    let fetched = async {
        let playlist = client.playlists().get(&id).send().await?;
        let entries = client.playlists().items(&id).all().await?;
        Ok::<_, spotkit::Error>((playlist, entries))
    }
    .await;
    let (playlist, entries) = match fetched {
        Ok(x) => x,
        Err(e) => return Err(caller.spotify_error(&state, e).await),
    };
    if q.raw {
        let mut raw = to_json(&playlist)?;
        let all: Vec<Value> = entries.iter().map(to_json).collect::<Result<_, _>>()?;
        // Fill whichever member this generation of the API used, keep the other as sent.
        for key in ["items", "tracks"] {
            if let Some(page) = raw.get_mut(key).and_then(Value::as_object_mut) {
                page.insert("items".into(), Value::Array(all.clone()));
                page.insert("next".into(), Value::Null);
                page.insert("offset".into(), Value::from(0));
                page.insert("limit".into(), Value::from(all.len()));
            }
        }
        return Ok(Json(raw));
    }
    let items = entries.iter().map(entry).collect::<Result<Vec<_>, _>>()?;
    let detail = PlaylistDetail {
        id: playlist.id.as_ref().map(ToString::to_string),
        name: Some(playlist.name.clone()),
        description: playlist.description.clone(),
        owner: owner(&playlist.owner),
        public: playlist.public,
        collaborative: Some(playlist.collaborative),
        snapshot_id: Some(playlist.snapshot_id.clone()),
        uri: Some(playlist.uri.clone()),
        total: items.len(),
        items,
    };
    Ok(Json(to_json(&detail)?))
}
