//! Playlists: the current user's list, a playlist, and its items under both the Development-Mode
//! path (`/items`, entries carry `item`) and the Extended-Quota path (`/tracks`, entries carry `track`).

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use super::input::{JsonBody, parse_uri};
use super::{Caller, check_id, extended_only};
use crate::catalog::{Catalog, ItemRef, Playlist, PlaylistEntry};
use crate::config::Mode;
use crate::error::ApiError;
use crate::fields::Fields;
use crate::paging::{Limits, Window, page_of, window};
use crate::params::Params;
use crate::render::{self, Ctx};
use crate::response_cache::{CacheKey, cached};
use crate::state::AppState;

const LIST: Limits = Limits::new(20, 50);
const ITEMS: Limits = Limits::new(20, 50);
const TRACKS: Limits = Limits::new(20, 100);

/// Whether `user` may see `p` at all (private playlists: owner and collaborators only).
fn visible(p: &Playlist, user: Option<u32>) -> bool {
    p.public || user.is_some_and(|u| member(p, u))
}

/// Owner or collaborator.
pub fn member(p: &Playlist, user: u32) -> bool {
    p.owner == user || p.collaborators.contains(&user)
}

/// Whether Spotify hides the playlist from this app: Development-Mode apps may not read
/// Spotify-owned (editorial, algorithmic) playlists since November 2024
/// (<https://developer.spotify.com/blog/2024-11-27-changes-to-the-web-api>).
fn spotify_owned_hidden(state: &AppState, world: &Catalog, idx: u32) -> bool {
    state.mode == Mode::Dev && world.spotify_owned(idx)
}

/// The playlists of a library `/me/playlists` shows, given the token's scopes: private ones need
/// `playlist-read-private`, collaborative ones `playlist-read-collaborative`. Development Mode
/// leaves out Spotify-owned playlists (unless the sandbox is told to list them).
fn listable(state: &AppState, world: &Catalog, caller: &Caller, list: &[u32]) -> Vec<u32> {
    list.iter()
        .copied()
        .filter(|idx| state.list_spotify_owned || !spotify_owned_hidden(state, world, *idx))
        .filter(|idx| {
            let p = &world.playlists[*idx as usize];
            if p.collaborative {
                caller.has("playlist-read-collaborative") || caller.has("playlist-read-private")
            } else {
                p.public || caller.has("playlist-read-private")
            }
        })
        .collect()
}

/// `GET /me/playlists`
pub async fn my_playlists(
    State(state): State<AppState>,
    ctx: Ctx,
    caller: Caller,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    let user = caller.user()?;
    let w = window(&params, LIST)?;
    let world = state.world();
    let list = listable(&state, &world, &caller, &world.libraries[&user].playlists);
    Ok(Json(page_of(
        &ctx,
        "/me/playlists",
        &params,
        w,
        &list,
        |p| render::simplified_playlist(&ctx, &world, *p),
    )))
}

/// `GET /users/{user_id}/playlists` (Extended Quota only): another user's public playlists, or the
/// caller's own list.
pub async fn user_playlists(
    State(state): State<AppState>,
    ctx: Ctx,
    caller: Caller,
    Path(user_id): Path<String>,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    extended_only(&state)?;
    let w = window(&params, LIST)?;
    let world = state.world();
    let target = world.user_idx(&user_id).ok_or_else(ApiError::not_found)?;
    let list = if caller.user == Some(target) {
        listable(&state, &world, &caller, &world.libraries[&target].playlists)
    } else {
        world.libraries[&target]
            .playlists
            .iter()
            .copied()
            .filter(|p| world.playlists[*p as usize].public)
            .collect()
    };
    let path = format!("/users/{user_id}/playlists");
    Ok(Json(page_of(&ctx, &path, &params, w, &list, |p| {
        render::simplified_playlist(&ctx, &world, *p)
    })))
}

/// Finds a playlist the caller may see: 400 for a malformed id, 404 for unknown or private.
fn find_visible(world: &Catalog, caller: &Caller, id: &str) -> Result<u32, ApiError> {
    check_id(id)?;
    let idx = *world
        .index
        .playlists
        .get(id)
        .ok_or_else(ApiError::not_found)?;
    if !visible(&world.playlists[idx as usize], caller.user) {
        return Err(ApiError::not_found());
    }
    Ok(idx)
}

/// Like [`find_visible`], and 404 for Spotify-owned playlists in Development Mode.
fn find(state: &AppState, world: &Catalog, caller: &Caller, id: &str) -> Result<u32, ApiError> {
    let idx = find_visible(world, caller, id)?;
    if spotify_owned_hidden(state, world, idx) {
        return Err(ApiError::not_found());
    }
    Ok(idx)
}

/// Which member names entries carry on each path.
#[derive(Debug, Clone, Copy)]
enum Shape {
    /// `/items`: `item`, plus `track` for Extended-Quota and transition responses.
    Items,
    /// `/tracks`: `track`, plus `item` in transition responses.
    Tracks,
}

fn entries_page(
    ctx: &Ctx,
    world: &Catalog,
    idx: u32,
    params: &Params,
    w: Window,
    shape: Shape,
) -> Value {
    let p = &world.playlists[idx as usize];
    let (new_name, old_name, path) = match shape {
        Shape::Items => (
            true,
            ctx.mode == Mode::Extended || ctx.transition,
            format!("/playlists/{}/items", p.id),
        ),
        Shape::Tracks => (ctx.transition, true, format!("/playlists/{}/tracks", p.id)),
    };
    page_of(ctx, &path, params, w, &p.entries, |e| {
        render::playlist_entry(ctx, world, e, new_name, old_name)
    })
}

fn with_fields(params: &Params, body: Value) -> Result<Value, ApiError> {
    match params.get("fields") {
        Some(raw) if !raw.trim().is_empty() => Ok(Fields::parse(raw)?.apply(body)),
        _ => Ok(body),
    }
}

/// Reading a private playlist's items needs `playlist-read-private` (or the collaborative scope).
fn check_read_scope(p: &Playlist, caller: &Caller) -> Result<(), ApiError> {
    if p.public
        || caller.has("playlist-read-private")
        || (p.collaborative && caller.has("playlist-read-collaborative"))
    {
        Ok(())
    } else {
        Err(ApiError::scope())
    }
}

/// `GET /playlists/{playlist_id}`: the playlist with its first page of items. Development-Mode apps
/// only get the items of playlists the user owns or collaborates on.
pub async fn get_playlist(
    State(state): State<AppState>,
    ctx: Ctx,
    caller: Caller,
    Path(id): Path<String>,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    let world = state.world();
    let idx = find(&state, &world, &caller, &id)?;
    let p = &world.playlists[idx as usize];
    // The embedded page follows the limits of the path its `next` points at.
    let first = Params::default();
    let may_see_items = ctx.mode == Mode::Extended || caller.user.is_some_and(|u| member(p, u));
    let items = (may_see_items && ctx.new_names()).then(|| {
        let w = Window {
            offset: 0,
            limit: if ctx.mode == Mode::Dev {
                ITEMS.max
            } else {
                TRACKS.max
            },
        };
        entries_page(&ctx, &world, idx, &first, w, Shape::Items)
    });
    let tracks = (may_see_items && ctx.old_names()).then(|| {
        entries_page(
            &ctx,
            &world,
            idx,
            &first,
            Window {
                offset: 0,
                limit: TRACKS.max,
            },
            Shape::Tracks,
        )
    });
    let body = render::playlist(&ctx, &world, idx, items, tracks);
    Ok(Json(with_fields(&params, body)?))
}

/// `GET /playlists/{playlist_id}/items`: only for playlists the user owns or collaborates on (403
/// otherwise), in both modes.
pub async fn items(
    State(state): State<AppState>,
    ctx: Ctx,
    caller: Caller,
    Path(id): Path<String>,
    params: Params,
) -> Result<Response, ApiError> {
    let world = state.world();
    let idx = find(&state, &world, &caller, &id)?;
    let p = &world.playlists[idx as usize];
    // Both modes: the spec's note on `/items` limits it to playlists the user owns or collaborates
    // on (Extended-Quota apps read other playlists through `/tracks`).
    if !caller.user.is_some_and(|u| member(p, u)) {
        return Err(ApiError::forbidden("Forbidden"));
    }
    check_read_scope(p, &caller)?;
    let w = window(&params, ITEMS)?;
    let key = entries_key(&ctx, idx, "/playlists/{playlist_id}/items", &params);
    cached(&state, key, || {
        with_fields(
            &params,
            entries_page(&ctx, &world, idx, &params, w, Shape::Items),
        )
    })
}

/// `GET /playlists/{playlist_id}/tracks` (Extended Quota only; 403 for Development-Mode apps).
pub async fn tracks(
    State(state): State<AppState>,
    ctx: Ctx,
    caller: Caller,
    Path(id): Path<String>,
    params: Params,
) -> Result<Response, ApiError> {
    extended_only(&state)?;
    let world = state.world();
    let idx = find(&state, &world, &caller, &id)?;
    check_read_scope(&world.playlists[idx as usize], &caller)?;
    let w = window(&params, TRACKS)?;
    let key = entries_key(&ctx, idx, "/playlists/{playlist_id}/tracks", &params);
    cached(&state, key, || {
        with_fields(
            &params,
            entries_page(&ctx, &world, idx, &params, w, Shape::Tracks),
        )
    })
}

/// The page cache's key for a page of playlist `idx`'s entries: rendered once per world
/// generation, like the library's lists (reading big playlists again costs a lookup).
fn entries_key(ctx: &Ctx, idx: u32, path: &'static str, params: &Params) -> CacheKey {
    CacheKey {
        user: 0,
        playlist: Some(idx),
        base: ctx.base.clone(),
        path,
        params: params.clone(),
    }
}

// ---------------------------------------------------------------------------------------------
// Writes: create, change details, add / replace / reorder / remove items, covers, follows.
// ---------------------------------------------------------------------------------------------

/// Most items one add, replace or remove request takes.
pub const MAX_ITEMS_PER_REQUEST: usize = 100;

/// The URI of an entry's item, as Spotify renders it.
pub fn entry_uri(world: &Catalog, item: &ItemRef) -> String {
    match item {
        ItemRef::Track(t) => format!("spotify:track:{}", world.tracks[*t as usize].id),
        ItemRef::Episode(e) => format!("spotify:episode:{}", world.episodes[*e as usize].id),
        ItemRef::Local {
            artist,
            album,
            title,
            duration_ms,
        } => render::local_uri(artist, album, title, *duration_ms),
    }
}

/// Resolves a `spotify:track:` or `spotify:episode:` URI to a catalogue item.
fn playable_uri(world: &Catalog, uri: &str) -> Result<ItemRef, ApiError> {
    let (kind, id) = parse_uri(uri)?;
    let found = match kind {
        "track" => world.index.tracks.get(id).map(|i| ItemRef::Track(*i)),
        "episode" => world.index.episodes.get(id).map(|i| ItemRef::Episode(*i)),
        _ => {
            return Err(ApiError::bad_request(format!(
                "Unsupported URL / URI: {uri}"
            )));
        }
    };
    found.ok_or_else(|| ApiError::bad_request("Payload contains a non-existing ID"))
}

/// The URIs of a write: the body's `uris` array, else the comma-separated `uris` query parameter.
fn uris_of(params: &Params, body: Option<&Value>) -> Result<Vec<String>, ApiError> {
    if let Some(list) = body.and_then(|b| b.get("uris")) {
        let Some(list) = list.as_array() else {
            return Err(ApiError::bad_request("uris must be an array of strings"));
        };
        return list
            .iter()
            .map(|u| {
                u.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| ApiError::bad_request("uris must be an array of strings"))
            })
            .collect();
    }
    Ok(params.list("uris"))
}

fn int_field(params: &Params, body: Option<&Value>, name: &str) -> Result<Option<usize>, ApiError> {
    if let Some(v) = body.and_then(|b| b.get(name)).filter(|v| !v.is_null()) {
        return v
            .as_u64()
            .map(|n| Some(n as usize))
            .ok_or_else(|| ApiError::bad_request(format!("Invalid {name}")));
    }
    params
        .get(name)
        .map(|v| {
            v.parse::<usize>()
                .map_err(|_| ApiError::bad_request(format!("Invalid {name}")))
        })
        .transpose()
}

/// Checks the caller may edit playlist `idx`: the modify scope for its visibility, and ownership
/// (or collaboration, for item edits).
fn editable(
    world: &Catalog,
    caller: &Caller,
    idx: u32,
    collaborators_too: bool,
) -> Result<(), ApiError> {
    let user = caller.user()?;
    let p = &world.playlists[idx as usize];
    caller.require(if p.public {
        "playlist-modify-public"
    } else {
        "playlist-modify-private"
    })?;
    let allowed = p.owner == user || (collaborators_too && p.collaborators.contains(&user));
    if allowed {
        Ok(())
    } else {
        Err(ApiError::forbidden(
            "You cannot modify a playlist you don't own.",
        ))
    }
}

/// The version a `snapshot_id` names, if one was given: 400 when it is not one of this playlist's.
fn snapshot_param(
    p: &Playlist,
    params: &Params,
    body: Option<&Value>,
) -> Result<Option<u64>, ApiError> {
    let given = body
        .and_then(|b| b.get("snapshot_id"))
        .and_then(Value::as_str)
        .map(str::to_owned)
        .or_else(|| params.get("snapshot_id").map(str::to_owned));
    let Some(given) = given else { return Ok(None) };
    let version = crate::catalog::snapshot_version(&given)
        .filter(|v| crate::catalog::snapshot(&p.id, *v) == given && p.order_at(*v).is_some())
        .ok_or_else(|| ApiError::bad_request("Invalid snapshot id"))?;
    Ok(Some(version))
}

fn snapshot_reply(p: &Playlist, status: StatusCode) -> (StatusCode, Json<Value>) {
    (
        status,
        Json(json!({ "snapshot_id": render::snapshot_id(p) })),
    )
}

fn find_for_write(
    world: &Catalog,
    caller: &Caller,
    id: &str,
    collaborators_too: bool,
) -> Result<u32, ApiError> {
    let idx = find_visible(world, caller, id)?;
    editable(world, caller, idx, collaborators_too)?;
    Ok(idx)
}

/// `POST /playlists/{id}/items` (and the Extended-Quota `/tracks`): adds up to 100 items at
/// `position` (default: the end).
pub async fn add_items(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    params: Params,
    JsonBody(body): JsonBody,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let uris = uris_of(&params, body.as_ref())?;
    if uris.is_empty() {
        return Err(ApiError::bad_request("No uris provided"));
    }
    if uris.len() > MAX_ITEMS_PER_REQUEST {
        return Err(ApiError::bad_request(
            "You can add a maximum of 100 tracks per request.",
        ));
    }
    let position = int_field(&params, body.as_ref(), "position")?;
    let mut world = state.world_mut();
    let idx = find_for_write(&world, &caller, &id, true)?;
    let items = uris
        .iter()
        .map(|u| playable_uri(&world, u))
        .collect::<Result<Vec<_>, _>>()?;
    let user = caller.user()?;
    let len = world.playlists[idx as usize].entries.len();
    let at = position.unwrap_or(len);
    if at > len {
        return Err(ApiError::bad_request("Index out of bounds"));
    }
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let first_uid = world.next_uid;
    world.next_uid += items.len() as u64;
    let p = &mut world.playlists[idx as usize];
    p.bump();
    let new = items
        .into_iter()
        .enumerate()
        .map(|(i, item)| PlaylistEntry {
            uid: first_uid + i as u64,
            item,
            added_at: now,
            added_by: user,
        });
    p.entries.splice(at..at, new);
    p.has_image = true;
    Ok(snapshot_reply(p, StatusCode::CREATED))
}

/// `PUT /playlists/{id}/items` (and `/tracks`): replaces all items with `uris`, or moves
/// `range_length` items from `range_start` to before `insert_before`, positions read against
/// `snapshot_id` when one is given.
pub async fn update_items(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    params: Params,
    JsonBody(body): JsonBody,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let range_start = int_field(&params, body.as_ref(), "range_start")?;
    let mut world = state.world_mut();
    let idx = find_for_write(&world, &caller, &id, true)?;
    let Some(range_start) = range_start else {
        // Replace.
        let uris = uris_of(&params, body.as_ref())?;
        if uris.len() > MAX_ITEMS_PER_REQUEST {
            return Err(ApiError::bad_request(
                "You can add a maximum of 100 tracks per request.",
            ));
        }
        let items = uris
            .iter()
            .map(|u| playable_uri(&world, u))
            .collect::<Result<Vec<_>, _>>()?;
        let user = caller.user()?;
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        let first_uid = world.next_uid;
        world.next_uid += items.len() as u64;
        let p = &mut world.playlists[idx as usize];
        p.bump();
        p.entries = items
            .into_iter()
            .enumerate()
            .map(|(i, item)| PlaylistEntry {
                uid: first_uid + i as u64,
                item,
                added_at: now,
                added_by: user,
            })
            .collect();
        return Ok(snapshot_reply(p, StatusCode::OK));
    };
    let insert_before = int_field(&params, body.as_ref(), "insert_before")?
        .ok_or_else(|| ApiError::bad_request("Missing insert_before"))?;
    let range_length = int_field(&params, body.as_ref(), "range_length")?.unwrap_or(1);
    let p = &mut world.playlists[idx as usize];
    let version = snapshot_param(p, &params, body.as_ref())?.unwrap_or(p.version);
    let order = p
        .order_at(version)
        .ok_or_else(|| ApiError::bad_request("Invalid snapshot id"))?;
    if range_length == 0 || range_start + range_length > order.len() || insert_before > order.len()
    {
        return Err(ApiError::bad_request("Index out of bounds"));
    }
    let moving: Vec<u64> = order[range_start..range_start + range_length].to_vec();
    let anchor = order.get(insert_before).copied();
    if anchor.is_some_and(|a| moving.contains(&a)) || insert_before == range_start + range_length {
        // Moving a range to where it already is changes nothing but the snapshot.
        p.bump();
        return Ok(snapshot_reply(p, StatusCode::OK));
    }
    p.bump();
    let (moved, mut rest): (Vec<PlaylistEntry>, Vec<PlaylistEntry>) =
        std::mem::take(&mut p.entries)
            .into_iter()
            .partition(|e| moving.contains(&e.uid));
    let mut moved = moved;
    moved.sort_by_key(|e| moving.iter().position(|m| *m == e.uid));
    let at = anchor
        .and_then(|a| rest.iter().position(|e| e.uid == a))
        .unwrap_or(rest.len());
    rest.splice(at..at, moved);
    p.entries = rest;
    Ok(snapshot_reply(p, StatusCode::OK))
}

/// `DELETE /playlists/{id}/items` (`{"items":[{"uri":..}]}`) and `/tracks`
/// (`{"tracks":[{"uri":..,"positions":[..]}]}`): removes every occurrence of each URI, or only those
/// at the given positions (of `snapshot_id`'s version when given).
pub async fn remove_items(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    params: Params,
    JsonBody(body): JsonBody,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let body = body.ok_or_else(|| ApiError::bad_request("Missing request body"))?;
    let list = body
        .get("items")
        .or_else(|| body.get("tracks"))
        .and_then(Value::as_array)
        .ok_or_else(|| ApiError::bad_request("Missing items"))?;
    if list.len() > MAX_ITEMS_PER_REQUEST {
        return Err(ApiError::bad_request(
            "You can remove a maximum of 100 tracks per request.",
        ));
    }
    let mut world = state.world_mut();
    let idx = find_for_write(&world, &caller, &id, true)?;
    let p = &world.playlists[idx as usize];
    let version = snapshot_param(p, &params, Some(&body))?.unwrap_or(p.version);
    let order = p
        .order_at(version)
        .ok_or_else(|| ApiError::bad_request("Invalid snapshot id"))?;
    let mut doomed_uids = Vec::new();
    let mut doomed_uris = Vec::new();
    for entry in list {
        let uri = entry
            .get("uri")
            .and_then(Value::as_str)
            .ok_or_else(|| ApiError::bad_request("Each item needs a uri"))?;
        if !uri.starts_with("spotify:local:") {
            playable_uri(&world, uri)?;
        }
        match entry.get("positions").and_then(Value::as_array) {
            Some(positions) => {
                for pos in positions {
                    let uid = pos
                        .as_u64()
                        .and_then(|i| order.get(i as usize))
                        .ok_or_else(|| ApiError::bad_request("Index out of bounds"))?;
                    let matches = p
                        .entries
                        .iter()
                        .find(|e| e.uid == *uid)
                        .is_some_and(|e| entry_uri(&world, &e.item) == uri);
                    if !matches {
                        return Err(ApiError::bad_request(format!(
                            "The item at position {pos} is not {uri}"
                        )));
                    }
                    doomed_uids.push(*uid);
                }
            }
            None => doomed_uris.push(uri.to_owned()),
        }
    }
    let keep: Vec<bool> = world.playlists[idx as usize]
        .entries
        .iter()
        .map(|e| {
            !doomed_uids.contains(&e.uid) && !doomed_uris.contains(&entry_uri(&world, &e.item))
        })
        .collect();
    let p = &mut world.playlists[idx as usize];
    p.bump();
    let mut keep = keep.into_iter();
    p.entries.retain(|_| keep.next().unwrap_or(true));
    Ok(snapshot_reply(p, StatusCode::OK))
}

/// Fields of playlist creation and detail changes: name, public, collaborative, description.
type Details = (Option<String>, Option<bool>, Option<bool>, Option<String>);

/// Reads the body of playlist creation and detail changes.
fn details(body: Option<&Value>) -> Result<Details, ApiError> {
    let b = body.cloned().unwrap_or(Value::Null);
    let text = |k: &str| -> Result<Option<String>, ApiError> {
        match b.get(k) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(ApiError::bad_request(format!("{k} must be a string"))),
        }
    };
    let flag = |k: &str| -> Result<Option<bool>, ApiError> {
        match b.get(k) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Bool(v)) => Ok(Some(*v)),
            Some(_) => Err(ApiError::bad_request(format!("{k} must be true or false"))),
        }
    };
    Ok((
        text("name")?,
        flag("public")?,
        flag("collaborative")?,
        text("description")?,
    ))
}

fn create(
    state: &AppState,
    ctx: &Ctx,
    caller: &Caller,
    body: Option<&Value>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let user = caller.user()?;
    let (name, public, collaborative, description) = details(body)?;
    let name = name
        .filter(|n| !n.trim().is_empty())
        .ok_or_else(|| ApiError::bad_request("Missing required field: name"))?;
    let collaborative = collaborative.unwrap_or(false);
    let public = public.unwrap_or(!collaborative);
    if collaborative && public {
        return Err(ApiError::bad_request(
            "Collaborative playlists cannot be public",
        ));
    }
    caller.require(if public {
        "playlist-modify-public"
    } else {
        "playlist-modify-private"
    })?;
    let mut world = state.world_mut();
    let mut rng = rand::rng();
    let id = crate::catalog::base62_id(&mut rng);
    let idx = world.playlists.len() as u32;
    world.playlists.push(Playlist {
        id: id.clone(),
        name,
        description: description.unwrap_or_default(),
        owner: user,
        public,
        collaborative,
        collaborators: Vec::new(),
        followers: 0,
        entries: Vec::new(),
        version: 1,
        has_image: false,
        history: Vec::new(),
        uploaded_image: None,
    });
    world.index.playlists.insert(id, idx);
    if let Some(lib) = world.libraries.get_mut(&user) {
        lib.playlists.insert(0, idx);
    }
    let empty = |path: &str| {
        let w = Window {
            offset: 0,
            limit: if ctx.mode == Mode::Dev {
                ITEMS.max
            } else {
                TRACKS.max
            },
        };
        crate::paging::page(ctx, path, &Params::default(), w, 0, Vec::new())
    };
    let pid = &world.playlists[idx as usize].id;
    let items = ctx
        .new_names()
        .then(|| empty(&format!("/playlists/{pid}/items")));
    let tracks = ctx
        .old_names()
        .then(|| empty(&format!("/playlists/{pid}/tracks")));
    Ok((
        StatusCode::CREATED,
        Json(render::playlist(ctx, &world, idx, items, tracks)),
    ))
}

/// `POST /me/playlists`: creates a playlist for the current user (public unless told otherwise).
pub async fn create_playlist(
    State(state): State<AppState>,
    ctx: Ctx,
    caller: Caller,
    JsonBody(body): JsonBody,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    create(&state, &ctx, &caller, body.as_ref())
}

/// `POST /users/{user_id}/playlists` (Extended Quota only): the old creation path.
pub async fn create_playlist_for_user(
    State(state): State<AppState>,
    ctx: Ctx,
    caller: Caller,
    Path(user_id): Path<String>,
    JsonBody(body): JsonBody,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    extended_only(&state)?;
    let user = caller.user()?;
    if state.world().users[user as usize].id != user_id {
        return Err(ApiError::forbidden(
            "You cannot create a playlist for another user",
        ));
    }
    create(&state, &ctx, &caller, body.as_ref())
}

/// `PUT /playlists/{id}`: changes name, visibility, collaboration or description (owner only).
pub async fn change_details(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(body): JsonBody,
) -> Result<StatusCode, ApiError> {
    let (name, public, collaborative, description) = details(body.as_ref())?;
    let mut world = state.world_mut();
    let idx = find_for_write(&world, &caller, &id, false)?;
    let p = &mut world.playlists[idx as usize];
    let public_after = public.unwrap_or(p.public);
    let collaborative_after = collaborative.unwrap_or(p.collaborative);
    if public_after && collaborative_after {
        return Err(ApiError::bad_request(
            "Collaborative playlists cannot be public",
        ));
    }
    if let Some(name) = name {
        if name.trim().is_empty() {
            return Err(ApiError::bad_request("name must not be empty"));
        }
        p.name = name;
    }
    if let Some(d) = description {
        p.description = d;
    }
    p.public = public_after;
    p.collaborative = collaborative_after;
    p.bump();
    Ok(StatusCode::OK)
}

/// `GET /playlists/{id}/images`
pub async fn images(
    State(state): State<AppState>,
    ctx: Ctx,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let world = state.world();
    let idx = find(&state, &world, &caller, &id)?;
    let body = render::playlist(&ctx, &world, idx, None, None);
    Ok(Json(body["images"].clone()))
}

/// Largest cover upload Spotify accepts.
pub const MAX_COVER_BYTES: usize = 256 * 1024;

/// `PUT /playlists/{id}/images`: a base64-encoded JPEG body, at most 256 KB.
pub async fn upload_image(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    use base64::Engine as _;
    caller.require("ugc-image-upload")?;
    let text: String = String::from_utf8_lossy(&body)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let jpeg = base64::engine::general_purpose::STANDARD
        .decode(text.as_bytes())
        .map_err(|_| ApiError::bad_request("Image must be base64-encoded JPEG data"))?;
    if jpeg.len() > MAX_COVER_BYTES {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "Image too large: the maximum is 256 KB",
        ));
    }
    if !jpeg.starts_with(&[0xFF, 0xD8]) {
        return Err(ApiError::bad_request(
            "Image must be base64-encoded JPEG data",
        ));
    }
    let mut world = state.world_mut();
    let idx = find_for_write(&world, &caller, &id, false)?;
    let p = &mut world.playlists[idx as usize];
    p.uploaded_image = Some(jpeg);
    p.has_image = true;
    Ok(StatusCode::ACCEPTED)
}

/// `PUT /playlists/{id}/followers` (Extended Quota only): follows a playlist.
pub async fn follow(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    extended_only(&state)?;
    let user = caller.user()?;
    let mut world = state.world_mut();
    let idx = find(&state, &world, &caller, &id)?;
    caller.require(if world.playlists[idx as usize].public {
        "playlist-modify-public"
    } else {
        "playlist-modify-private"
    })?;
    if let Some(lib) = world.libraries.get_mut(&user)
        && !lib.playlists.contains(&idx)
    {
        lib.playlists.insert(0, idx);
    }
    Ok(StatusCode::OK)
}

/// `DELETE /playlists/{id}/followers` (Extended Quota only): unfollows (for the owner: deletes
/// from their list, as Spotify does).
pub async fn unfollow(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    extended_only(&state)?;
    let user = caller.user()?;
    let mut world = state.world_mut();
    let idx = find(&state, &world, &caller, &id)?;
    caller.require(if world.playlists[idx as usize].public {
        "playlist-modify-public"
    } else {
        "playlist-modify-private"
    })?;
    if let Some(lib) = world.libraries.get_mut(&user) {
        lib.playlists.retain(|p| *p != idx);
    }
    Ok(StatusCode::OK)
}

/// `GET /playlists/{id}/followers/contains?ids=USER` (Extended Quota only).
pub async fn followers_contains(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    extended_only(&state)?;
    let world = state.world();
    let idx = find(&state, &world, &caller, &id)?;
    let ids = params.list("ids");
    if ids.is_empty() {
        return Err(ApiError::bad_request("Missing required parameter: ids"));
    }
    if ids.len() > 5 {
        return Err(ApiError::bad_request("Too many ids requested"));
    }
    let answer: Vec<bool> = ids
        .iter()
        .map(|u| {
            world
                .user_idx(u)
                .and_then(|u| world.libraries.get(&u))
                .is_some_and(|lib| lib.playlists.contains(&idx))
        })
        .collect();
    Ok(Json(json!(answer)))
}

/// `POST /playlists/{id}/tracks` (Extended Quota only; Development Mode answers 403).
pub async fn legacy_add_items(
    State(state): State<AppState>,
    caller: Caller,
    path: Path<String>,
    params: Params,
    JsonBody(body): JsonBody,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    extended_only(&state)?;
    add_items(State(state), caller, path, params, JsonBody(body)).await
}

/// `PUT /playlists/{id}/tracks` (Extended Quota only; Development Mode answers 403).
pub async fn legacy_update_items(
    State(state): State<AppState>,
    caller: Caller,
    path: Path<String>,
    params: Params,
    JsonBody(body): JsonBody,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    extended_only(&state)?;
    update_items(State(state), caller, path, params, JsonBody(body)).await
}

/// `DELETE /playlists/{id}/tracks` (Extended Quota only; Development Mode answers 403).
pub async fn legacy_remove_items(
    State(state): State<AppState>,
    caller: Caller,
    path: Path<String>,
    params: Params,
    JsonBody(body): JsonBody,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    extended_only(&state)?;
    remove_items(State(state), caller, path, params, JsonBody(body)).await
}
