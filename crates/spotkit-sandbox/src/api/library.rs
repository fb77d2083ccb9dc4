//! The current user's library: saved items, `/me/library/contains`, follows, top items and
//! recently played.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use super::Caller;
use super::input::{JsonBody, parse_uri};
use crate::catalog::{Catalog, Saved, timestamp};
use crate::error::ApiError;
use crate::paging::{Limits, cursor_page, page_of, window};
use crate::params::Params;
use crate::render::{self, Ctx};
use crate::response_cache::{CacheKey, cached};
use crate::state::AppState;

const SAVED: Limits = Limits::new(20, 50);

/// One page of a list in `user`'s library, from the page cache when this world generation has
/// rendered it before (see [`crate::response_cache`]).
fn library_page<T>(
    state: &AppState,
    ctx: &Ctx,
    user: u32,
    params: &Params,
    path: &'static str,
    list: impl Fn(&crate::catalog::Library) -> &[T],
    render: impl Fn(&Ctx, &Catalog, &T) -> Value,
) -> Result<Response, ApiError> {
    let w = window(params, SAVED)?;
    let world = state.world();
    let items = list(&world.libraries[&user]);
    let key = CacheKey {
        user,
        playlist: None,
        base: ctx.base.clone(),
        path,
        params: params.clone(),
    };
    cached(state, key, || {
        Ok(page_of(ctx, path, params, w, items, |t| {
            render(ctx, &world, t)
        }))
    })
}

fn saved(key: &str, s: &Saved, item: Value) -> Value {
    let mut o = serde_json::Map::new();
    o.insert("added_at".into(), timestamp(s.added_at).into());
    o.insert(key.into(), item);
    Value::Object(o)
}

/// `GET /me/tracks`
pub async fn saved_tracks(
    State(state): State<AppState>,
    ctx: Ctx,
    caller: Caller,
    params: Params,
) -> Result<Response, ApiError> {
    library_page(
        &state,
        &ctx,
        caller.user_with("user-library-read")?,
        &params,
        "/me/tracks",
        |l| &l.tracks,
        |c, w, s| render::saved_track(c, w, *s),
    )
}

/// `GET /me/albums`
pub async fn saved_albums(
    State(state): State<AppState>,
    ctx: Ctx,
    caller: Caller,
    params: Params,
) -> Result<Response, ApiError> {
    library_page(
        &state,
        &ctx,
        caller.user_with("user-library-read")?,
        &params,
        "/me/albums",
        |l| &l.albums,
        |c, w, s| saved("album", s, render::full_album(c, w, s.idx)),
    )
}

/// `GET /me/shows`
pub async fn saved_shows(
    State(state): State<AppState>,
    ctx: Ctx,
    caller: Caller,
    params: Params,
) -> Result<Response, ApiError> {
    library_page(
        &state,
        &ctx,
        caller.user_with("user-library-read")?,
        &params,
        "/me/shows",
        |l| &l.shows,
        |c, w, s| saved("show", s, render::simplified_show(c, w, s.idx)),
    )
}

/// `GET /me/episodes`
pub async fn saved_episodes(
    State(state): State<AppState>,
    ctx: Ctx,
    caller: Caller,
    params: Params,
) -> Result<Response, ApiError> {
    library_page(
        &state,
        &ctx,
        caller.user_with("user-library-read")?,
        &params,
        "/me/episodes",
        |l| &l.episodes,
        |c, w, s| saved("episode", s, render::episode(c, w, s.idx)),
    )
}

/// `GET /me/audiobooks`
pub async fn saved_audiobooks(
    State(state): State<AppState>,
    ctx: Ctx,
    caller: Caller,
    params: Params,
) -> Result<Response, ApiError> {
    library_page(
        &state,
        &ctx,
        caller.user_with("user-library-read")?,
        &params,
        "/me/audiobooks",
        |l| &l.audiobooks,
        |c, w, s| saved("audiobook", s, render::full_audiobook(c, w, s.idx)),
    )
}

/// Most URIs `/me/library/contains` takes at once.
pub const MAX_LIBRARY_URIS: usize = 40;

/// `GET /me/library/contains?uris=...`: one boolean per URI, in order. The scope depends on the kind:
/// library items need `user-library-read`, artists and users `user-follow-read`, playlists
/// `playlist-read-private`.
pub async fn contains(
    State(state): State<AppState>,
    caller: Caller,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    let user = caller.user()?;
    let uris = params.list("uris");
    if uris.is_empty() {
        return Err(ApiError::bad_request("Missing required parameter: uris"));
    }
    if uris.len() > MAX_LIBRARY_URIS {
        return Err(ApiError::bad_request("Too many ids requested"));
    }
    let world = state.world();
    let lib = &world.libraries[&user];
    let mut out = Vec::with_capacity(uris.len());
    for uri in &uris {
        let (kind, id) = parse_uri(uri)?;
        let saved = |list: &[Saved], idx: Option<&u32>| {
            idx.is_some_and(|i| list.iter().any(|s| s.idx == *i))
        };
        let found = match kind {
            "track" => {
                caller.require("user-library-read")?;
                saved(&lib.tracks, world.index.tracks.get(id))
            }
            "album" => {
                caller.require("user-library-read")?;
                saved(&lib.albums, world.index.albums.get(id))
            }
            "episode" => {
                caller.require("user-library-read")?;
                saved(&lib.episodes, world.index.episodes.get(id))
            }
            "show" => {
                caller.require("user-library-read")?;
                saved(&lib.shows, world.index.shows.get(id))
                    || saved(&lib.audiobooks, world.index.audiobooks.get(id))
            }
            "audiobook" => {
                caller.require("user-library-read")?;
                saved(&lib.audiobooks, world.index.audiobooks.get(id))
            }
            "artist" => {
                caller.require("user-follow-read")?;
                world
                    .index
                    .artists
                    .get(id)
                    .is_some_and(|i| lib.artists.contains(i))
            }
            "user" => {
                caller.require("user-follow-read")?;
                world
                    .index
                    .users
                    .get(id)
                    .is_some_and(|i| lib.users.contains(i))
            }
            "playlist" => {
                caller.require("playlist-read-private")?;
                world
                    .index
                    .playlists
                    .get(id)
                    .is_some_and(|i| lib.playlists.contains(i))
            }
            _ => {
                return Err(ApiError::bad_request(format!(
                    "Unsupported uri type: {uri}"
                )));
            }
        };
        out.push(Value::Bool(found));
    }
    Ok(Json(Value::Array(out)))
}

/// `GET /me/following?type=artist`: followed artists, cursor-paged by artist id.
pub async fn followed_artists(
    State(state): State<AppState>,
    ctx: Ctx,
    caller: Caller,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    if params.get("type") != Some("artist") {
        return Err(ApiError::bad_request("This request requires type=artist"));
    }
    let user = caller.user_with("user-follow-read")?;
    let world = state.world();
    let list = &world.libraries[&user].artists;
    let page = cursor_page(
        &ctx,
        "/me/following",
        &params,
        SAVED,
        list,
        |a| world.artists[*a as usize].id.clone(),
        |a| render::artist(&ctx, &world, *a),
    )?;
    Ok(Json(json!({ "artists": page })))
}

fn time_range(params: &Params) -> Result<(), ApiError> {
    match params.get("time_range") {
        None | Some("short_term" | "medium_term" | "long_term") => Ok(()),
        Some(_) => Err(ApiError::bad_request("Invalid time range")),
    }
}

/// `GET /me/top/artists`
pub async fn top_artists(
    State(state): State<AppState>,
    ctx: Ctx,
    caller: Caller,
    params: Params,
) -> Result<Response, ApiError> {
    time_range(&params)?;
    library_page(
        &state,
        &ctx,
        caller.user_with("user-top-read")?,
        &params,
        "/me/top/artists",
        |l| &l.top_artists,
        |c, w, a| render::artist(c, w, *a),
    )
}

/// `GET /me/top/tracks`
pub async fn top_tracks(
    State(state): State<AppState>,
    ctx: Ctx,
    caller: Caller,
    params: Params,
) -> Result<Response, ApiError> {
    time_range(&params)?;
    library_page(
        &state,
        &ctx,
        caller.user_with("user-top-read")?,
        &params,
        "/me/top/tracks",
        |l| &l.top_tracks,
        |c, w, t| render::track(c, w, *t),
    )
}

/// `GET /me/player/recently-played`: play history, newest first, cursor-paged by `before`/`after`
/// (Unix milliseconds).
pub async fn recently_played(
    State(state): State<AppState>,
    ctx: Ctx,
    caller: Caller,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    let user = caller.user_with("user-read-recently-played")?;
    let w = window(&params, SAVED)?;
    let parse_ms = |name: &str| -> Result<Option<i64>, ApiError> {
        params
            .get(name)
            .map(|v| {
                v.parse::<i64>()
                    .map_err(|_| ApiError::bad_request(format!("Invalid {name} cursor")))
            })
            .transpose()
    };
    let (before, after) = (parse_ms("before")?, parse_ms("after")?);
    if before.is_some() && after.is_some() {
        return Err(ApiError::bad_request(
            "Only one of before and after may be given",
        ));
    }
    let world = state.world();
    let all = &world.libraries[&user].recently_played;
    let matching: Vec<&Saved> = all
        .iter()
        .filter(|s| {
            before.is_none_or(|b| s.added_at * 1000 < b)
                && after.is_none_or(|a| s.added_at * 1000 > a)
        })
        .collect();
    let slice = &matching[..w.limit.min(matching.len())];
    let oldest = slice.last().map(|s| s.added_at * 1000);
    let newest = slice.first().map(|s| s.added_at * 1000);
    let more = matching.len() > slice.len();
    let next = oldest.filter(|_| more).map(|b| {
        ctx.api(&format!(
            "/me/player/recently-played?before={b}&limit={}",
            w.limit
        ))
    });
    let mut href = ctx.api("/me/player/recently-played");
    let query: Vec<String> = params.pairs().map(|(k, v)| format!("{k}={v}")).collect();
    if !query.is_empty() {
        href = format!("{href}?{}", query.join("&"));
    }
    let items: Vec<Value> = slice
        .iter()
        .map(|s| {
            json!({
                "track": render::track(&ctx, &world, s.idx),
                "played_at": timestamp(s.added_at),
                "context": null,
            })
        })
        .collect();
    Ok(Json(json!({
        "href": href,
        "items": items,
        "limit": w.limit,
        "next": next,
        "cursors": { "after": newest.map(|v| v.to_string()), "before": oldest.map(|v| v.to_string()) },
    })))
}

// ---------------------------------------------------------------------------------------------
// Writes: `/me/library` (Feb 2026) and the per-type save/remove/contains and follow endpoints
// (deprecated: Extended Quota only).
// ---------------------------------------------------------------------------------------------

/// What a library URI or id refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Track,
    Album,
    Episode,
    Show,
    Audiobook,
    Artist,
    User,
    Playlist,
}

impl Kind {
    fn of(kind: &str) -> Option<Kind> {
        Some(match kind {
            "track" => Kind::Track,
            "album" => Kind::Album,
            "episode" => Kind::Episode,
            "show" => Kind::Show,
            "audiobook" => Kind::Audiobook,
            "artist" => Kind::Artist,
            "user" => Kind::User,
            "playlist" => Kind::Playlist,
            _ => return None,
        })
    }

    /// The scope writing this kind needs.
    fn modify_scope(self) -> &'static str {
        match self {
            Kind::Artist | Kind::User => "user-follow-modify",
            Kind::Playlist => "playlist-modify-public",
            _ => "user-library-modify",
        }
    }

    fn index(self, world: &Catalog) -> &std::collections::HashMap<String, u32> {
        match self {
            Kind::Track => &world.index.tracks,
            Kind::Album => &world.index.albums,
            Kind::Episode => &world.index.episodes,
            Kind::Show => &world.index.shows,
            Kind::Audiobook => &world.index.audiobooks,
            Kind::Artist => &world.index.artists,
            Kind::User => &world.index.users,
            Kind::Playlist => &world.index.playlists,
        }
    }
}

/// Saves (`save = true`) or removes one item of `kind` in `lib`. Idempotent, like Spotify's.
fn apply(lib: &mut crate::catalog::Library, kind: Kind, idx: u32, save: bool, now: i64) {
    let saved_list = match kind {
        Kind::Track => Some(&mut lib.tracks),
        Kind::Album => Some(&mut lib.albums),
        Kind::Episode => Some(&mut lib.episodes),
        Kind::Show => Some(&mut lib.shows),
        Kind::Audiobook => Some(&mut lib.audiobooks),
        _ => None,
    };
    if let Some(list) = saved_list {
        let present = list.iter().any(|s| s.idx == idx);
        if save && !present {
            list.insert(0, Saved { idx, added_at: now });
        } else if !save {
            list.retain(|s| s.idx != idx);
        }
        return;
    }
    let list = match kind {
        Kind::Artist => &mut lib.artists,
        Kind::User => &mut lib.users,
        _ => &mut lib.playlists,
    };
    if save && !list.contains(&idx) {
        if kind == Kind::Playlist {
            list.insert(0, idx);
        } else {
            list.push(idx);
        }
    } else if !save {
        list.retain(|x| *x != idx);
    }
}

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// Resolves library URIs (all checked before anything changes).
fn resolve_uris(
    world: &Catalog,
    caller: &Caller,
    uris: &[String],
) -> Result<Vec<(Kind, u32)>, ApiError> {
    if uris.is_empty() {
        return Err(ApiError::bad_request("Missing required parameter: uris"));
    }
    if uris.len() > MAX_LIBRARY_URIS {
        return Err(ApiError::bad_request("Too many ids requested"));
    }
    uris.iter()
        .map(|uri| {
            let (kind, id) = parse_uri(uri)?;
            let kind = Kind::of(kind)
                .ok_or_else(|| ApiError::bad_request(format!("Unsupported uri type: {uri}")))?;
            caller.require(kind.modify_scope())?;
            // Audiobooks are addressed as shows in URIs.
            let idx = kind.index(world).get(id).copied().or_else(|| {
                (kind == Kind::Show)
                    .then(|| world.index.audiobooks.get(id).copied())
                    .flatten()
            });
            let idx = idx.ok_or_else(ApiError::not_found)?;
            let kind = if kind == Kind::Show && !world.index.shows.contains_key(id) {
                Kind::Audiobook
            } else {
                kind
            };
            Ok((kind, idx))
        })
        .collect()
}

fn library_write(
    state: &AppState,
    caller: &Caller,
    params: &Params,
    body: Option<&Value>,
    save: bool,
) -> Result<StatusCode, ApiError> {
    let user = caller.user()?;
    let mut uris = params.list("uris");
    if let Some(list) = body.and_then(|b| b.get("uris")).and_then(Value::as_array) {
        uris.extend(list.iter().filter_map(Value::as_str).map(str::to_owned));
    }
    let mut world = state.world_mut();
    let resolved = resolve_uris(&world, caller, &uris)?;
    let lib = world.libraries.entry(user).or_default();
    let at = now();
    for (kind, idx) in resolved {
        apply(lib, kind, idx, save, at);
    }
    Ok(StatusCode::OK)
}

/// `PUT /me/library?uris=...`: saves up to 40 items of any kind (tracks, albums, episodes, shows,
/// audiobooks; follows artists, users and playlists).
pub async fn save_library(
    State(state): State<AppState>,
    caller: Caller,
    params: Params,
    JsonBody(body): JsonBody,
) -> Result<StatusCode, ApiError> {
    library_write(&state, &caller, &params, body.as_ref(), true)
}

/// `DELETE /me/library?uris=...`
pub async fn remove_library(
    State(state): State<AppState>,
    caller: Caller,
    params: Params,
    JsonBody(body): JsonBody,
) -> Result<StatusCode, ApiError> {
    library_write(&state, &caller, &params, body.as_ref(), false)
}

/// Ids of a per-type write: the `ids` query parameter, else the body's `ids` array.
fn ids_of(params: &Params, body: Option<&Value>, max: usize) -> Result<Vec<String>, ApiError> {
    let mut ids = params.list("ids");
    if ids.is_empty()
        && let Some(list) = body.and_then(|b| b.get("ids")).and_then(Value::as_array)
    {
        ids = list
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect();
    }
    if ids.is_empty() {
        return Err(ApiError::bad_request("Missing required parameter: ids"));
    }
    if ids.len() > max {
        return Err(ApiError::bad_request("Too many ids requested"));
    }
    Ok(ids)
}

/// Resolves ids of one kind: 400 for malformed ids, 404 for unknown ones.
fn resolve_ids(world: &Catalog, kind: Kind, ids: &[String]) -> Result<Vec<u32>, ApiError> {
    ids.iter()
        .map(|id| {
            if kind != Kind::User {
                super::check_id(id)?;
            }
            kind.index(world)
                .get(id)
                .copied()
                .ok_or_else(ApiError::not_found)
        })
        .collect()
}

/// The per-type endpoints of the old library API, parameterised by kind.
fn typed_write(
    state: &AppState,
    caller: &Caller,
    params: &Params,
    body: Option<&Value>,
    kind: Kind,
    save: bool,
) -> Result<StatusCode, ApiError> {
    super::extended_only(state)?;
    let user = caller.user_with(kind.modify_scope())?;
    let max = if kind == Kind::Album { 20 } else { 50 };
    let ids = ids_of(params, body, max)?;
    let mut world = state.world_mut();
    let resolved = resolve_ids(&world, kind, &ids)?;
    let lib = world.libraries.entry(user).or_default();
    let at = now();
    for idx in resolved {
        apply(lib, kind, idx, save, at);
    }
    Ok(StatusCode::OK)
}

fn typed_contains(
    state: &AppState,
    caller: &Caller,
    params: &Params,
    kind: Kind,
) -> Result<Json<Value>, ApiError> {
    super::extended_only(state)?;
    let scope = if matches!(kind, Kind::Artist | Kind::User) {
        "user-follow-read"
    } else {
        "user-library-read"
    };
    let user = caller.user_with(scope)?;
    let max = if kind == Kind::Album { 20 } else { 50 };
    let ids = ids_of(params, None, max)?;
    let world = state.world();
    let lib = &world.libraries[&user];
    let answer: Vec<bool> = ids
        .iter()
        .map(|id| {
            kind.index(&world).get(id).is_some_and(|idx| match kind {
                Kind::Track => lib.tracks.iter().any(|s| s.idx == *idx),
                Kind::Album => lib.albums.iter().any(|s| s.idx == *idx),
                Kind::Episode => lib.episodes.iter().any(|s| s.idx == *idx),
                Kind::Show => lib.shows.iter().any(|s| s.idx == *idx),
                Kind::Audiobook => lib.audiobooks.iter().any(|s| s.idx == *idx),
                Kind::Artist => lib.artists.contains(idx),
                Kind::User => lib.users.contains(idx),
                Kind::Playlist => lib.playlists.contains(idx),
            })
        })
        .collect();
    Ok(Json(json!(answer)))
}

macro_rules! typed_endpoints {
    ($($save:ident, $remove:ident, $contains:ident, $kind:expr, $path:literal;)*) => {$(
        #[doc = concat!("`PUT ", $path, "` (Extended Quota only).")]
        pub async fn $save(State(state): State<AppState>, caller: Caller, params: Params, JsonBody(body): JsonBody) -> Result<StatusCode, ApiError> {
            typed_write(&state, &caller, &params, body.as_ref(), $kind, true)
        }
        #[doc = concat!("`DELETE ", $path, "` (Extended Quota only).")]
        pub async fn $remove(State(state): State<AppState>, caller: Caller, params: Params, JsonBody(body): JsonBody) -> Result<StatusCode, ApiError> {
            typed_write(&state, &caller, &params, body.as_ref(), $kind, false)
        }
        #[doc = concat!("`GET ", $path, "/contains` (Extended Quota only).")]
        pub async fn $contains(State(state): State<AppState>, caller: Caller, params: Params) -> Result<Json<Value>, ApiError> {
            typed_contains(&state, &caller, &params, $kind)
        }
    )*};
}

typed_endpoints! {
    save_tracks, remove_tracks, tracks_contains, Kind::Track, "/me/tracks";
    save_albums, remove_albums, albums_contains, Kind::Album, "/me/albums";
    save_episodes, remove_episodes, episodes_contains, Kind::Episode, "/me/episodes";
    save_shows, remove_shows, shows_contains, Kind::Show, "/me/shows";
    save_audiobooks, remove_audiobooks, audiobooks_contains, Kind::Audiobook, "/me/audiobooks";
}

fn follow_kind(params: &Params) -> Result<Kind, ApiError> {
    match params.get("type") {
        Some("artist") => Ok(Kind::Artist),
        Some("user") => Ok(Kind::User),
        _ => Err(ApiError::bad_request("type must be artist or user")),
    }
}

/// `PUT /me/following?type=artist|user&ids=...` (Extended Quota only): 204, as documented.
pub async fn follow(
    State(state): State<AppState>,
    caller: Caller,
    params: Params,
    JsonBody(body): JsonBody,
) -> Result<StatusCode, ApiError> {
    let kind = follow_kind(&params)?;
    typed_write(&state, &caller, &params, body.as_ref(), kind, true).map(|_| StatusCode::NO_CONTENT)
}

/// `DELETE /me/following?type=artist|user&ids=...` (Extended Quota only).
pub async fn unfollow(
    State(state): State<AppState>,
    caller: Caller,
    params: Params,
    JsonBody(body): JsonBody,
) -> Result<StatusCode, ApiError> {
    let kind = follow_kind(&params)?;
    typed_write(&state, &caller, &params, body.as_ref(), kind, false)
        .map(|_| StatusCode::NO_CONTENT)
}

/// `GET /me/following/contains?type=artist|user&ids=...` (Extended Quota only).
pub async fn following_contains(
    State(state): State<AppState>,
    caller: Caller,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    let kind = follow_kind(&params)?;
    typed_contains(&state, &caller, &params, kind)
}
