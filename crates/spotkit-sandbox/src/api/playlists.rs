//! Playlists: the current user's list, a playlist, and its items under both the Development-Mode
//! path (`/items`, entries carry `item`) and the Extended-Quota path (`/tracks`, entries carry `track`).

use axum::Json;
use axum::extract::{Path, State};
use serde_json::Value;

use super::{Caller, check_id, extended_only};
use crate::catalog::{Catalog, Playlist};
use crate::config::Mode;
use crate::error::ApiError;
use crate::fields::Fields;
use crate::paging::{Limits, Window, page_of, window};
use crate::params::Params;
use crate::render::{self, Ctx};
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

/// The playlists of a library `/me/playlists` shows, given the token's scopes: private ones need
/// `playlist-read-private`, collaborative ones `playlist-read-collaborative`.
fn listable(world: &Catalog, caller: &Caller, list: &[u32]) -> Vec<u32> {
    list.iter()
        .copied()
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
    let list = listable(&world, &caller, &world.libraries[&user].playlists);
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
        listable(&world, &caller, &world.libraries[&target].playlists)
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
fn find(world: &Catalog, caller: &Caller, id: &str) -> Result<u32, ApiError> {
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
    let idx = find(&world, &caller, &id)?;
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

/// `GET /playlists/{playlist_id}/items`. Development Mode: only for playlists the user owns or
/// collaborates on (403 otherwise).
pub async fn items(
    State(state): State<AppState>,
    ctx: Ctx,
    caller: Caller,
    Path(id): Path<String>,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    let world = state.world();
    let idx = find(&world, &caller, &id)?;
    let p = &world.playlists[idx as usize];
    if ctx.mode == Mode::Dev && !caller.user.is_some_and(|u| member(p, u)) {
        return Err(ApiError::forbidden("Forbidden"));
    }
    check_read_scope(p, &caller)?;
    let w = window(&params, ITEMS)?;
    let body = entries_page(&ctx, &world, idx, &params, w, Shape::Items);
    Ok(Json(with_fields(&params, body)?))
}

/// `GET /playlists/{playlist_id}/tracks` (Extended Quota only; 403 for Development-Mode apps).
pub async fn tracks(
    State(state): State<AppState>,
    ctx: Ctx,
    caller: Caller,
    Path(id): Path<String>,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    extended_only(&state)?;
    let world = state.world();
    let idx = find(&world, &caller, &id)?;
    check_read_scope(&world.playlists[idx as usize], &caller)?;
    let w = window(&params, TRACKS)?;
    let body = entries_page(&ctx, &world, idx, &params, w, Shape::Tracks);
    Ok(Json(with_fields(&params, body)?))
}
