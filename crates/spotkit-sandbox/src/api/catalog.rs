//! Catalogue reads: tracks, albums, artists, shows, episodes, audiobooks, chapters.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, State};
use serde_json::Value;

use super::{Caller, check_id};
use crate::catalog::{AlbumType, Catalog};
use crate::config::Mode;
use crate::error::ApiError;
use crate::paging::{Limits, Window, page_of, window};
use crate::params::Params;
use crate::render::{self, Ctx};
use crate::state::AppState;

const CHILDREN: Limits = Limits::new(20, 50);

/// Looks an id up in one of the catalogue's indexes: 400 when malformed, 404 when unknown.
fn lookup(index: &HashMap<String, u32>, id: &str) -> Result<u32, ApiError> {
    check_id(id)?;
    index.get(id).copied().ok_or_else(ApiError::not_found)
}

type Reply = Result<Json<Value>, ApiError>;

/// `GET /tracks/{id}`
pub async fn track(
    State(state): State<AppState>,
    ctx: Ctx,
    _caller: Caller,
    Path(id): Path<String>,
) -> Reply {
    let world = state.world();
    let idx = lookup(&world.index.tracks, &id)?;
    Ok(Json(render::track(&ctx, &world, idx)))
}

/// `GET /albums/{id}`
pub async fn album(
    State(state): State<AppState>,
    ctx: Ctx,
    _caller: Caller,
    Path(id): Path<String>,
) -> Reply {
    let world = state.world();
    let idx = lookup(&world.index.albums, &id)?;
    Ok(Json(render::full_album(&ctx, &world, idx)))
}

/// `GET /albums/{id}/tracks`
pub async fn album_tracks(
    State(state): State<AppState>,
    ctx: Ctx,
    _caller: Caller,
    Path(id): Path<String>,
    params: Params,
) -> Reply {
    let world = state.world();
    let idx = lookup(&world.index.albums, &id)?;
    let w = window(&params, CHILDREN)?;
    let path = format!("/albums/{id}/tracks");
    let tracks = &world.albums[idx as usize].tracks;
    Ok(Json(page_of(&ctx, &path, &params, w, tracks, |t| {
        render::simplified_track(&ctx, &world, *t)
    })))
}

/// `GET /artists/{id}`
pub async fn artist(
    State(state): State<AppState>,
    ctx: Ctx,
    _caller: Caller,
    Path(id): Path<String>,
) -> Reply {
    let world = state.world();
    let idx = lookup(&world.index.artists, &id)?;
    Ok(Json(render::artist(&ctx, &world, idx)))
}

fn album_group(world: &Catalog, album: u32, artist: u32) -> &'static str {
    let a = &world.albums[album as usize];
    if a.artists.contains(&artist) {
        match a.album_type {
            AlbumType::Album => "album",
            AlbumType::Single => "single",
            AlbumType::Compilation => "compilation",
        }
    } else {
        "appears_on"
    }
}

/// `GET /artists/{id}/albums`: the artist's discography, filtered by `include_groups`.
/// Development Mode: `limit` 1..=10, default 5 (Feb 2026); Extended: 1..=50, default 20.
pub async fn artist_albums(
    State(state): State<AppState>,
    ctx: Ctx,
    _caller: Caller,
    Path(id): Path<String>,
    params: Params,
) -> Reply {
    let world = state.world();
    let idx = lookup(&world.index.artists, &id)?;
    let limits = if ctx.mode == Mode::Dev {
        Limits::new(5, 10)
    } else {
        Limits::new(20, 50)
    };
    let w = window(&params, limits)?;
    let groups = params.list("include_groups");
    for g in &groups {
        if !matches!(
            g.as_str(),
            "album" | "single" | "appears_on" | "compilation"
        ) {
            return Err(ApiError::bad_request("Invalid include_groups value"));
        }
    }
    let mut albums: Vec<u32> = (0..world.albums.len() as u32)
        .filter(|a| {
            let album = &world.albums[*a as usize];
            album.artists.contains(&idx)
                || album
                    .tracks
                    .iter()
                    .any(|t| world.tracks[*t as usize].artists.contains(&idx))
        })
        .filter(|a| groups.is_empty() || groups.iter().any(|g| g == album_group(&world, *a, idx)))
        .collect();
    // Newest first, like Spotify's discography.
    albums.sort_by(|a, b| {
        world.albums[*b as usize]
            .release
            .date
            .cmp(&world.albums[*a as usize].release.date)
    });
    let path = format!("/artists/{id}/albums");
    Ok(Json(page_of(&ctx, &path, &params, w, &albums, |a| {
        let mut v = render::simplified_album(&ctx, &world, *a);
        if ctx.mode == Mode::Extended {
            v["album_group"] = album_group(&world, *a, idx).into();
        }
        v
    })))
}

/// `GET /shows/{id}`
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    _caller: Caller,
    Path(id): Path<String>,
) -> Reply {
    let world = state.world();
    let idx = lookup(&world.index.shows, &id)?;
    let s = &world.shows[idx as usize];
    let w = Window {
        offset: 0,
        limit: 50,
    };
    let path = format!("/shows/{id}/episodes");
    let episodes = page_of(&ctx, &path, &Params::default(), w, &s.episodes, |e| {
        render::simplified_episode(&ctx, &world, *e)
    });
    Ok(Json(render::show(&ctx, &world, idx, episodes)))
}

/// `GET /shows/{id}/episodes`
pub async fn show_episodes(
    State(state): State<AppState>,
    ctx: Ctx,
    _caller: Caller,
    Path(id): Path<String>,
    params: Params,
) -> Reply {
    let world = state.world();
    let idx = lookup(&world.index.shows, &id)?;
    let w = window(&params, CHILDREN)?;
    let path = format!("/shows/{id}/episodes");
    let list = &world.shows[idx as usize].episodes;
    Ok(Json(page_of(&ctx, &path, &params, w, list, |e| {
        render::simplified_episode(&ctx, &world, *e)
    })))
}

/// `GET /episodes/{id}`
pub async fn episode(
    State(state): State<AppState>,
    ctx: Ctx,
    _caller: Caller,
    Path(id): Path<String>,
) -> Reply {
    let world = state.world();
    let idx = lookup(&world.index.episodes, &id)?;
    Ok(Json(render::episode(&ctx, &world, idx)))
}

/// `GET /audiobooks/{id}`
pub async fn audiobook(
    State(state): State<AppState>,
    ctx: Ctx,
    _caller: Caller,
    Path(id): Path<String>,
) -> Reply {
    let world = state.world();
    let idx = lookup(&world.index.audiobooks, &id)?;
    Ok(Json(render::full_audiobook(&ctx, &world, idx)))
}

/// `GET /audiobooks/{id}/chapters`
pub async fn audiobook_chapters(
    State(state): State<AppState>,
    ctx: Ctx,
    _caller: Caller,
    Path(id): Path<String>,
    params: Params,
) -> Reply {
    let world = state.world();
    let idx = lookup(&world.index.audiobooks, &id)?;
    let w = window(&params, CHILDREN)?;
    let path = format!("/audiobooks/{id}/chapters");
    let list = &world.audiobooks[idx as usize].chapters;
    Ok(Json(page_of(&ctx, &path, &params, w, list, |c| {
        render::simplified_chapter(&ctx, &world, *c)
    })))
}

/// `GET /chapters/{id}`
pub async fn chapter(
    State(state): State<AppState>,
    ctx: Ctx,
    _caller: Caller,
    Path(id): Path<String>,
) -> Reply {
    let world = state.world();
    let idx = lookup(&world.index.chapters, &id)?;
    Ok(Json(render::chapter(&ctx, &world, idx)))
}
