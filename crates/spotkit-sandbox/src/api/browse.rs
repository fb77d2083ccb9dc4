//! The operations Spotify removed for Development-Mode apps (Nov 2024 and Feb 2026) and still
//! serves to Extended-Quota apps: multi-gets, artist top tracks and related artists, other users'
//! profiles, browse categories, featured playlists, new releases, markets, genre seeds,
//! recommendations, audio features and analysis. In Development Mode each answers 403 "Forbidden".

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, State};
use serde_json::{Value, json};
use sha2::Digest as _;

use super::{Caller, check_id, extended_only};
use crate::catalog::Catalog;
use crate::error::ApiError;
use crate::names::GENRES;
use crate::paging::{Limits, page_of, window};
use crate::params::Params;
use crate::render::{self, Ctx};
use crate::state::AppState;

type Reply = Result<Json<Value>, ApiError>;

/// Multi-get: up to `max` ids; unknown ids answer `null` in their place, malformed ones 400.
fn many(
    state: &AppState,
    params: &Params,
    max: usize,
    key: &str,
    index: impl Fn(&Catalog) -> &HashMap<String, u32>,
    render: impl Fn(&Catalog, u32) -> Value,
) -> Reply {
    extended_only(state)?;
    let ids = params.list("ids");
    if ids.is_empty() {
        return Err(ApiError::bad_request("Missing required parameter: ids"));
    }
    if ids.len() > max {
        return Err(ApiError::bad_request("Too many ids requested"));
    }
    let world = state.world();
    let mut out = Vec::with_capacity(ids.len());
    for id in &ids {
        check_id(id)?;
        out.push(
            index(&world)
                .get(id)
                .map_or(Value::Null, |i| render(&world, *i)),
        );
    }
    Ok(Json(json!({ key: out })))
}

macro_rules! multi_get {
    ($($name:ident, $path:literal, $max:expr, $key:literal, $index:ident, $render:expr;)*) => {$(
        #[doc = concat!("`GET ", $path, "?ids=` (Extended Quota only).")]
        pub async fn $name(State(state): State<AppState>, ctx: Ctx, _caller: Caller, params: Params) -> Reply {
            let render = $render;
            many(&state, &params, $max, $key, |w| &w.index.$index, |w, i| render(&ctx, w, i))
        }
    )*};
}

multi_get! {
    several_tracks, "/tracks", 50, "tracks", tracks, render::track;
    several_albums, "/albums", 20, "albums", albums, render::full_album;
    several_artists, "/artists", 50, "artists", artists, render::artist;
    several_episodes, "/episodes", 50, "episodes", episodes, render::episode;
    several_chapters, "/chapters", 50, "chapters", chapters, render::chapter;
    several_shows, "/shows", 50, "shows", shows, render::simplified_show;
    several_audiobooks, "/audiobooks", 50, "audiobooks", audiobooks, render::full_audiobook;
}

fn artist_idx(state: &AppState, id: &str) -> Result<u32, ApiError> {
    extended_only(state)?;
    check_id(id)?;
    state
        .world()
        .index
        .artists
        .get(id)
        .copied()
        .ok_or_else(ApiError::not_found)
}

/// `GET /artists/{id}/top-tracks` (Extended Quota only): the artist's ten most popular tracks.
pub async fn top_tracks(
    State(state): State<AppState>,
    ctx: Ctx,
    _caller: Caller,
    Path(id): Path<String>,
) -> Reply {
    let idx = artist_idx(&state, &id)?;
    let world = state.world();
    let mut tracks: Vec<u32> = (0..world.tracks.len() as u32)
        .filter(|t| world.tracks[*t as usize].artists.contains(&idx))
        .collect();
    tracks.sort_by_key(|t| std::cmp::Reverse(world.tracks[*t as usize].popularity));
    tracks.truncate(10);
    Ok(Json(
        json!({ "tracks": tracks.iter().map(|t| render::track(&ctx, &world, *t)).collect::<Vec<_>>() }),
    ))
}

/// `GET /artists/{id}/related-artists` (Extended Quota only): artists sharing a genre.
pub async fn related_artists(
    State(state): State<AppState>,
    ctx: Ctx,
    _caller: Caller,
    Path(id): Path<String>,
) -> Reply {
    let idx = artist_idx(&state, &id)?;
    let world = state.world();
    let genres = &world.artists[idx as usize].genres;
    let related: Vec<Value> = (0..world.artists.len() as u32)
        .filter(|a| {
            *a != idx
                && world.artists[*a as usize]
                    .genres
                    .iter()
                    .any(|g| genres.contains(g))
        })
        .take(20)
        .map(|a| render::artist(&ctx, &world, a))
        .collect();
    Ok(Json(json!({ "artists": related })))
}

/// `GET /users/{user_id}` (Extended Quota only).
pub async fn user(
    State(state): State<AppState>,
    ctx: Ctx,
    _caller: Caller,
    Path(user_id): Path<String>,
) -> Reply {
    extended_only(&state)?;
    let world = state.world();
    let idx = world.user_idx(&user_id).ok_or_else(ApiError::not_found)?;
    Ok(Json(render::public_user(&ctx, &world, idx)))
}

const CATEGORIES: &[(&str, &str)] = &[
    ("toplists", "Charts"),
    ("pop", "Pop"),
    ("hiphop", "Hip-Hop"),
    ("rock", "Rock"),
    ("indie_alt", "Indie"),
    ("chill", "Chill"),
    ("focus", "Focus"),
    ("jazz", "Jazz"),
];

fn category_json(ctx: &Ctx, id: &str, name: &str) -> Value {
    json!({
        "href": ctx.api(&format!("/browse/categories/{id}")),
        "icons": [{ "url": format!("{}/_sandbox/image/category-{id}/274", ctx.base), "height": 274, "width": 274 }],
        "id": id,
        "name": name,
    })
}

const BROWSE: Limits = Limits::new(20, 50);

/// `GET /browse/categories` (Extended Quota only).
pub async fn categories(
    State(state): State<AppState>,
    ctx: Ctx,
    _caller: Caller,
    params: Params,
) -> Reply {
    extended_only(&state)?;
    let w = window(&params, BROWSE)?;
    let page = page_of(
        &ctx,
        "/browse/categories",
        &params,
        w,
        CATEGORIES,
        |(id, name)| category_json(&ctx, id, name),
    );
    Ok(Json(json!({ "categories": page })))
}

/// `GET /browse/categories/{category_id}` (Extended Quota only).
pub async fn category(
    State(state): State<AppState>,
    ctx: Ctx,
    _caller: Caller,
    Path(id): Path<String>,
) -> Reply {
    extended_only(&state)?;
    let (id, name) = CATEGORIES
        .iter()
        .find(|(c, _)| *c == id)
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(category_json(&ctx, id, name)))
}

fn public_playlists(world: &Catalog, salt: usize) -> Vec<u32> {
    (0..world.playlists.len() as u32)
        .filter(|p| world.playlists[*p as usize].public && (*p as usize + salt).is_multiple_of(2))
        .collect()
}

/// `GET /browse/categories/{category_id}/playlists` (Extended Quota only).
pub async fn category_playlists(
    State(state): State<AppState>,
    ctx: Ctx,
    _caller: Caller,
    Path(id): Path<String>,
    params: Params,
) -> Reply {
    extended_only(&state)?;
    let salt = CATEGORIES
        .iter()
        .position(|(c, _)| *c == id)
        .ok_or_else(ApiError::not_found)?;
    let w = window(&params, BROWSE)?;
    let world = state.world();
    let list = public_playlists(&world, salt);
    let path = format!("/browse/categories/{id}/playlists");
    let page = page_of(&ctx, &path, &params, w, &list, |p| {
        render::simplified_playlist(&ctx, &world, *p)
    });
    Ok(Json(
        json!({ "message": "Popular playlists", "playlists": page }),
    ))
}

/// `GET /browse/featured-playlists` (Extended Quota only).
pub async fn featured_playlists(
    State(state): State<AppState>,
    ctx: Ctx,
    _caller: Caller,
    params: Params,
) -> Reply {
    extended_only(&state)?;
    let w = window(&params, BROWSE)?;
    let world = state.world();
    let list = public_playlists(&world, 1);
    let page = page_of(&ctx, "/browse/featured-playlists", &params, w, &list, |p| {
        render::simplified_playlist(&ctx, &world, *p)
    });
    Ok(Json(
        json!({ "message": "Editor's picks", "playlists": page }),
    ))
}

/// `GET /browse/new-releases` (Extended Quota only): the newest albums.
pub async fn new_releases(
    State(state): State<AppState>,
    ctx: Ctx,
    _caller: Caller,
    params: Params,
) -> Reply {
    extended_only(&state)?;
    let w = window(&params, BROWSE)?;
    let world = state.world();
    let mut albums: Vec<u32> = (0..world.albums.len() as u32).collect();
    albums.sort_by(|a, b| {
        world.albums[*b as usize]
            .release
            .date
            .cmp(&world.albums[*a as usize].release.date)
    });
    albums.truncate(100);
    let page = page_of(&ctx, "/browse/new-releases", &params, w, &albums, |a| {
        render::simplified_album(&ctx, &world, *a)
    });
    Ok(Json(json!({ "albums": page })))
}

/// `GET /markets` (Extended Quota only).
pub async fn markets(State(state): State<AppState>, _caller: Caller) -> Reply {
    extended_only(&state)?;
    Ok(Json(json!({ "markets": crate::names::markets() })))
}

/// `GET /recommendations/available-genre-seeds` (Extended Quota only).
pub async fn genre_seeds(State(state): State<AppState>, _caller: Caller) -> Reply {
    extended_only(&state)?;
    let mut genres: Vec<String> = GENRES.iter().map(|g| g.replace(' ', "-")).collect();
    genres.sort();
    Ok(Json(json!({ "genres": genres })))
}

/// `GET /recommendations` (Extended Quota only): 1 to 5 seeds of artists, genres and tracks.
pub async fn recommendations(
    State(state): State<AppState>,
    ctx: Ctx,
    _caller: Caller,
    params: Params,
) -> Reply {
    extended_only(&state)?;
    let limit = window(&params, Limits::new(20, 100))?.limit;
    let world = state.world();
    let mut seeds = Vec::new();
    let mut artists = Vec::new();
    for id in params.list("seed_artists") {
        check_id(&id)?;
        let a = *world
            .index
            .artists
            .get(&id)
            .ok_or_else(|| ApiError::bad_request(format!("Invalid seed artist: {id}")))?;
        artists.push(a);
        seeds.push(("ARTIST", id));
    }
    for id in params.list("seed_tracks") {
        check_id(&id)?;
        let t = *world
            .index
            .tracks
            .get(&id)
            .ok_or_else(|| ApiError::bad_request(format!("Invalid seed track: {id}")))?;
        artists.extend(&world.tracks[t as usize].artists);
        seeds.push(("TRACK", id));
    }
    let genres = params.list("seed_genres");
    for g in &genres {
        seeds.push(("GENRE", g.clone()));
    }
    if seeds.is_empty() || seeds.len() > 5 {
        return Err(ApiError::bad_request(
            "Between 1 and 5 seeds (artists, genres and tracks together) are required",
        ));
    }
    let picks: Vec<u32> = (0..world.tracks.len() as u32)
        .filter(|t| {
            let track = &world.tracks[*t as usize];
            track.artists.iter().any(|a| artists.contains(a))
                || track.artists.iter().any(|a| {
                    world.artists[*a as usize]
                        .genres
                        .iter()
                        .any(|g| genres.contains(&g.replace(' ', "-")))
                })
        })
        .take(limit)
        .collect();
    let seed_json: Vec<Value> = seeds
        .iter()
        .map(|(kind, id)| {
            let href = match *kind {
                "ARTIST" => Value::String(ctx.api(&format!("/artists/{id}"))),
                "TRACK" => Value::String(ctx.api(&format!("/tracks/{id}"))),
                _ => Value::Null,
            };
            json!({ "afterFilteringSize": picks.len(), "afterRelinkingSize": picks.len(), "href": href,
                    "id": id, "initialPoolSize": picks.len(), "type": kind })
        })
        .collect();
    Ok(Json(
        json!({ "seeds": seed_json, "tracks": picks.iter().map(|t| render::track(&ctx, &world, *t)).collect::<Vec<_>>() }),
    ))
}

/// Deterministic features from the track id, so repeated reads agree.
fn features(ctx: &Ctx, world: &Catalog, idx: u32) -> Value {
    let t = &world.tracks[idx as usize];
    let d = sha2::Sha256::digest(t.id.as_bytes());
    let unit = |i: usize| f64::from(d[i]) / 255.0;
    json!({
        "acousticness": unit(0), "analysis_url": ctx.api(&format!("/audio-analysis/{}", t.id)),
        "danceability": unit(1), "duration_ms": t.duration_ms, "energy": unit(2), "id": t.id,
        "instrumentalness": unit(3) * unit(3), "key": d[4] % 12, "liveness": unit(5) * 0.5,
        "loudness": -unit(6) * 20.0, "mode": d[7] % 2, "speechiness": unit(8) * 0.3,
        "tempo": 70.0 + unit(9) * 110.0, "time_signature": 3 + d[10] % 3,
        "track_href": ctx.api(&format!("/tracks/{}", t.id)), "type": "audio_features",
        "uri": format!("spotify:track:{}", t.id), "valence": unit(11),
    })
}

/// `GET /audio-features/{id}` (Extended Quota only).
pub async fn audio_features(
    State(state): State<AppState>,
    ctx: Ctx,
    _caller: Caller,
    Path(id): Path<String>,
) -> Reply {
    extended_only(&state)?;
    check_id(&id)?;
    let world = state.world();
    let idx = *world
        .index
        .tracks
        .get(&id)
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(features(&ctx, &world, idx)))
}

/// `GET /audio-features?ids=` (Extended Quota only).
pub async fn several_audio_features(
    State(state): State<AppState>,
    ctx: Ctx,
    _caller: Caller,
    params: Params,
) -> Reply {
    many(
        &state,
        &params,
        100,
        "audio_features",
        |w| &w.index.tracks,
        |w, i| features(&ctx, w, i),
    )
}

/// `GET /audio-analysis/{id}` (Extended Quota only): bars, beats and sections on the track's tempo.
pub async fn audio_analysis(
    State(state): State<AppState>,
    ctx: Ctx,
    _caller: Caller,
    Path(id): Path<String>,
) -> Reply {
    extended_only(&state)?;
    check_id(&id)?;
    let world = state.world();
    let idx = *world
        .index
        .tracks
        .get(&id)
        .ok_or_else(ApiError::not_found)?;
    let f = features(&ctx, &world, idx);
    let duration = f64::from(world.tracks[idx as usize].duration_ms) / 1000.0;
    let tempo = f["tempo"].as_f64().unwrap_or(120.0);
    let beat = 60.0 / tempo;
    let interval =
        |start: f64, len: f64| json!({ "start": start, "duration": len, "confidence": 0.8 });
    let n_beats = (duration / beat).ceil() as u32;
    let beats: Vec<Value> = (0..n_beats)
        .map(|i| f64::from(i) * beat)
        .take_while(|s| *s < duration)
        .map(|s| interval(s, beat))
        .collect();
    let bars: Vec<Value> = beats
        .iter()
        .step_by(4)
        .map(|b| interval(b["start"].as_f64().unwrap_or(0.0), beat * 4.0))
        .collect();
    let tatums: Vec<Value> = (0..n_beats * 2)
        .map(|i| f64::from(i) * beat / 2.0)
        .take_while(|s| *s < duration)
        .map(|s| interval(s, beat / 2.0))
        .collect();
    let section_len = duration / 4.0;
    let sections: Vec<Value> = (0..4)
        .map(|i| {
            json!({ "start": f64::from(i) * section_len, "duration": section_len, "confidence": 0.7,
                    "loudness": f["loudness"], "tempo": tempo, "tempo_confidence": 0.6, "key": f["key"],
                    "key_confidence": 0.5, "mode": f["mode"], "mode_confidence": 0.5,
                    "time_signature": f["time_signature"], "time_signature_confidence": 0.9 })
        })
        .collect();
    let segments: Vec<Value> = bars
        .iter()
        .map(|b| {
            json!({ "start": b["start"], "duration": beat * 4.0, "confidence": 0.6, "loudness_start": -20.0,
                    "loudness_max": f["loudness"], "loudness_max_time": 0.05, "loudness_end": -25.0,
                    "pitches": [0.5, 0.1, 0.2, 0.9, 0.3, 0.1, 0.2, 0.4, 0.1, 0.6, 0.2, 0.3],
                    "timbre": [42.1, 8.3, -12.0, 3.4, 20.5, -7.7, 1.2, 4.4, -3.3, 0.9, 2.2, -1.0] })
        })
        .collect();
    Ok(Json(json!({
        "meta": { "analyzer_version": "4.0.0", "platform": "Linux", "detailed_status": "OK", "status_code": 0,
                  "timestamp": 1_700_000_000, "analysis_time": 2.5, "input_process": "libvorbisfile L+R 44100->22050" },
        "track": { "num_samples": (duration * 22050.0) as u64, "duration": duration, "sample_md5": "",
                   "offset_seconds": 0, "window_seconds": 0, "analysis_sample_rate": 22050, "analysis_channels": 1,
                   "end_of_fade_in": 0.0, "start_of_fade_out": duration - 3.0, "loudness": f["loudness"],
                   "tempo": tempo, "tempo_confidence": 0.6, "time_signature": f["time_signature"],
                   "time_signature_confidence": 0.9, "key": f["key"], "key_confidence": 0.5, "mode": f["mode"],
                   "mode_confidence": 0.5, "codestring": "", "code_version": 3.15, "echoprintstring": "",
                   "echoprint_version": 4.15, "synchstring": "", "synch_version": 1.0, "rhythmstring": "",
                   "rhythm_version": 1.0 },
        "bars": bars, "beats": beats, "sections": sections, "segments": segments, "tatums": tatums,
    })))
}
