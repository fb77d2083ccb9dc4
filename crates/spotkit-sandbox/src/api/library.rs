//! The current user's library: saved items, `/me/library/contains`, follows, top items and
//! recently played.

use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};

use super::Caller;
use crate::catalog::{Catalog, Saved, is_base62_id, timestamp};
use crate::error::ApiError;
use crate::paging::{Limits, Window, cursor_page, page_of, window};
use crate::params::Params;
use crate::render::{self, Ctx};
use crate::state::AppState;

const SAVED: Limits = Limits::new(20, 50);

/// Renders an album with the first page of its tracks (as `AlbumObject` and `SavedAlbumObject` do).
pub fn full_album(ctx: &Ctx, world: &Catalog, idx: u32) -> Value {
    let a = &world.albums[idx as usize];
    let tracks = page_of(
        ctx,
        &format!("/albums/{}/tracks", a.id),
        &Params::default(),
        Window {
            offset: 0,
            limit: 50,
        },
        &a.tracks,
        |t| render::simplified_track(ctx, world, *t),
    );
    render::album(ctx, world, idx, tracks)
}

/// `GET /me/tracks`
pub async fn saved_tracks(
    State(state): State<AppState>,
    ctx: Ctx,
    caller: Caller,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    let user = caller.user_with("user-library-read")?;
    let w = window(&params, SAVED)?;
    let world = state.world();
    let list = &world.libraries[&user].tracks;
    Ok(Json(page_of(&ctx, "/me/tracks", &params, w, list, |s| {
        render::saved_track(&ctx, &world, *s)
    })))
}

/// `GET /me/albums`
pub async fn saved_albums(
    State(state): State<AppState>,
    ctx: Ctx,
    caller: Caller,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    let user = caller.user_with("user-library-read")?;
    let w = window(&params, SAVED)?;
    let world = state.world();
    let list = &world.libraries[&user].albums;
    Ok(Json(page_of(
        &ctx,
        "/me/albums",
        &params,
        w,
        list,
        |s: &Saved| json!({ "added_at": timestamp(s.added_at), "album": full_album(&ctx, &world, s.idx) }),
    )))
}

/// `GET /me/shows`
pub async fn saved_shows(
    State(state): State<AppState>,
    ctx: Ctx,
    caller: Caller,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    let user = caller.user_with("user-library-read")?;
    let w = window(&params, SAVED)?;
    let world = state.world();
    let list = &world.libraries[&user].shows;
    Ok(Json(page_of(
        &ctx,
        "/me/shows",
        &params,
        w,
        list,
        |s: &Saved| json!({ "added_at": timestamp(s.added_at), "show": render::simplified_show(&ctx, &world, s.idx) }),
    )))
}

/// `GET /me/episodes`
pub async fn saved_episodes(
    State(state): State<AppState>,
    ctx: Ctx,
    caller: Caller,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    let user = caller.user_with("user-library-read")?;
    let w = window(&params, SAVED)?;
    let world = state.world();
    let list = &world.libraries[&user].episodes;
    Ok(Json(page_of(
        &ctx,
        "/me/episodes",
        &params,
        w,
        list,
        |s: &Saved| json!({ "added_at": timestamp(s.added_at), "episode": render::episode(&ctx, &world, s.idx) }),
    )))
}

/// `GET /me/audiobooks`
pub async fn saved_audiobooks(
    State(state): State<AppState>,
    ctx: Ctx,
    caller: Caller,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    let user = caller.user_with("user-library-read")?;
    let w = window(&params, SAVED)?;
    let world = state.world();
    let list = &world.libraries[&user].audiobooks;
    Ok(Json(page_of(
        &ctx,
        "/me/audiobooks",
        &params,
        w,
        list,
        |s: &Saved| json!({ "added_at": timestamp(s.added_at), "audiobook": render::simplified_audiobook(&ctx, &world, s.idx) }),
    )))
}

/// A library URI split into kind and id.
pub fn parse_uri(uri: &str) -> Result<(&str, &str), ApiError> {
    let mut parts = uri.split(':');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some("spotify"), Some(kind), Some(id), None) => {
            if kind != "user" && !is_base62_id(id) {
                return Err(ApiError::bad_request(format!(
                    "Invalid base62 id in uri: {uri}"
                )));
            }
            Ok((kind, id))
        }
        _ => Err(ApiError::bad_request(format!("Invalid uri: {uri}"))),
    }
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
) -> Result<Json<Value>, ApiError> {
    let user = caller.user_with("user-top-read")?;
    time_range(&params)?;
    let w = window(&params, SAVED)?;
    let world = state.world();
    let list = &world.libraries[&user].top_artists;
    Ok(Json(page_of(
        &ctx,
        "/me/top/artists",
        &params,
        w,
        list,
        |a| render::artist(&ctx, &world, *a),
    )))
}

/// `GET /me/top/tracks`
pub async fn top_tracks(
    State(state): State<AppState>,
    ctx: Ctx,
    caller: Caller,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    let user = caller.user_with("user-top-read")?;
    time_range(&params)?;
    let w = window(&params, SAVED)?;
    let world = state.world();
    let list = &world.libraries[&user].top_tracks;
    Ok(Json(page_of(
        &ctx,
        "/me/top/tracks",
        &params,
        w,
        list,
        |t| render::track(&ctx, &world, *t),
    )))
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
