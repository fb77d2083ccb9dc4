//! A simulated Spotify Connect player per user: devices, a context, a queue, and playback that
//! advances with wall-clock time. Commands fail the way Spotify's do: 404 `NO_ACTIVE_DEVICE` when
//! nothing is playing anywhere, 403 `PREMIUM_REQUIRED` for free accounts.

use std::collections::VecDeque;
use std::time::Instant;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::Caller;
use super::input::{JsonBody, parse_uri};
use crate::catalog::{Catalog, ItemRef};
use crate::error::ApiError;
use crate::params::Params;
use crate::render::{self, Ctx};
use crate::state::{AppState, lock};

/// A Connect device.
#[derive(Debug, Clone)]
pub struct Device {
    id: String,
    name: &'static str,
    kind: &'static str,
    volume: u8,
}

/// One user's player.
#[derive(Debug, Clone)]
pub struct Player {
    devices: Vec<Device>,
    active: Option<usize>,
    context: Option<String>,
    items: Vec<ItemRef>,
    position: usize,
    queue: VecDeque<ItemRef>,
    /// Playing from the user queue rather than the context.
    current: Option<ItemRef>,
    is_playing: bool,
    progress_ms: u64,
    since: Instant,
    shuffle: bool,
    repeat: &'static str,
}

impl Player {
    fn new(user_id: &str) -> Player {
        let id = |n: u8| crate::catalog::base62_like(&format!("{user_id}-device-{n}"));
        Player {
            devices: vec![
                Device {
                    id: id(1),
                    name: "Kitchen Speaker",
                    kind: "Speaker",
                    volume: 40,
                },
                Device {
                    id: id(2),
                    name: "Web Player (Firefox)",
                    kind: "Computer",
                    volume: 70,
                },
                Device {
                    id: id(3),
                    name: "Pixel 9",
                    kind: "Smartphone",
                    volume: 55,
                },
            ],
            active: None,
            context: None,
            items: Vec::new(),
            position: 0,
            queue: VecDeque::new(),
            current: None,
            is_playing: false,
            progress_ms: 0,
            since: Instant::now(),
            shuffle: false,
            repeat: "off",
        }
    }

    fn progress(&self) -> u64 {
        if self.is_playing {
            self.progress_ms + self.since.elapsed().as_millis() as u64
        } else {
            self.progress_ms
        }
    }

    fn set_progress(&mut self, ms: u64) {
        self.progress_ms = ms;
        self.since = Instant::now();
    }

    /// Advances past finished items, as time passes.
    fn settle(&mut self, world: &Catalog) {
        for _ in 0..10_000 {
            let Some(item) = self.current.clone() else {
                return;
            };
            let duration = u64::from(duration_of(world, &item));
            let progress = self.progress();
            if progress < duration || duration == 0 {
                return;
            }
            if self.repeat == "track" {
                self.set_progress(progress - duration);
                continue;
            }
            let leftover = progress - duration;
            if !self.advance() {
                self.is_playing = false;
                self.set_progress(0);
                return;
            }
            self.set_progress(leftover);
        }
    }

    /// Moves to the next item: the user queue first, then the context. `false` at the end.
    fn advance(&mut self) -> bool {
        if let Some(next) = self.queue.pop_front() {
            self.current = Some(next);
            return true;
        }
        if self.items.is_empty() {
            return false;
        }
        if self.position + 1 < self.items.len() {
            self.position += 1;
        } else if self.repeat == "context" {
            self.position = 0;
        } else {
            return false;
        }
        self.current = self.items.get(self.position).cloned();
        true
    }
}

fn duration_of(world: &Catalog, item: &ItemRef) -> u32 {
    match item {
        ItemRef::Track(t) => world.tracks[*t as usize].duration_ms,
        ItemRef::Episode(e) => world.episodes[*e as usize].duration_ms,
        ItemRef::Local { duration_ms, .. } => *duration_ms,
    }
}

fn no_active_device() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "Player command failed: No active device found",
    )
    .with_reason("NO_ACTIVE_DEVICE")
}

fn premium_required() -> ApiError {
    ApiError::forbidden("Player command failed: Premium required").with_reason("PREMIUM_REQUIRED")
}

/// Runs `f` on the caller's player (created on first use), after settling elapsed playback.
fn with_player<T>(state: &AppState, user: u32, f: impl FnOnce(&mut Player, &Catalog) -> T) -> T {
    let world = state.world();
    let mut players = lock(&state.players);
    let player = players
        .entry(user)
        .or_insert_with(|| Player::new(&world.users[user as usize].id));
    player.settle(&world);
    f(player, &world)
}

/// Commands need a premium account, and (unless `device_id` names one) an active device.
fn command_target(state: &AppState, caller: &Caller, params: &Params) -> Result<u32, ApiError> {
    let user = caller.user_with("user-modify-playback-state")?;
    if state.world().users[user as usize].product != "premium" {
        return Err(premium_required());
    }
    let device = params.get("device_id").map(str::to_owned);
    with_player(state, user, |p, _| match device {
        Some(id) => match p.devices.iter().position(|d| d.id == id) {
            Some(i) => {
                p.active = Some(i);
                Ok(user)
            }
            None => Err(ApiError::not_found().with_reason("DEVICE_NOT_FOUND")),
        },
        None if p.active.is_some() => Ok(user),
        None => Err(no_active_device()),
    })
}

fn device_json(p: &Player, i: usize) -> Value {
    let d = &p.devices[i];
    json!({
        "id": d.id, "is_active": p.active == Some(i), "is_private_session": false, "is_restricted": false,
        "name": d.name, "type": d.kind, "volume_percent": d.volume, "supports_volume": true,
    })
}

fn context_json(ctx: &Ctx, uri: &str) -> Value {
    let mut parts = uri.split(':');
    let (kind, id) = (parts.nth(1).unwrap_or(""), parts.next().unwrap_or(""));
    json!({
        "type": kind,
        "href": ctx.api(&format!("/{kind}s/{id}")),
        "external_urls": { "spotify": format!("https://open.spotify.com/{kind}/{id}") },
        "uri": uri,
    })
}

fn playing_json(ctx: &Ctx, world: &Catalog, p: &Player, full: bool) -> Value {
    let item = p.current.as_ref().map(|i| render::playable(ctx, world, i));
    let kind = match &p.current {
        Some(ItemRef::Episode(_)) => "episode",
        Some(_) => "track",
        None => "unknown",
    };
    let mut o = json!({
        "timestamp": time::OffsetDateTime::now_utc().unix_timestamp() * 1000,
        "context": p.context.as_deref().map(|u| context_json(ctx, u)),
        "progress_ms": p.current.as_ref().map(|_| p.progress()),
        "is_playing": p.is_playing,
        "item": item,
        "currently_playing_type": kind,
        "actions": { "disallows": { "resuming": p.is_playing, "pausing": !p.is_playing } },
    });
    if full {
        o["device"] = p.active.map_or(Value::Null, |i| device_json(p, i));
        o["repeat_state"] = p.repeat.into();
        o["shuffle_state"] = p.shuffle.into();
    }
    o
}

/// `GET /me/player`: 204 when no device is active.
pub async fn state(
    State(state): State<AppState>,
    ctx: Ctx,
    caller: Caller,
) -> Result<Response, ApiError> {
    let user = caller.user_with("user-read-playback-state")?;
    Ok(with_player(&state, user, |p, world| {
        if p.active.is_none() {
            StatusCode::NO_CONTENT.into_response()
        } else {
            Json(playing_json(&ctx, world, p, true)).into_response()
        }
    }))
}

/// `GET /me/player/currently-playing`: 204 when nothing is playing anywhere.
pub async fn currently_playing(
    State(state): State<AppState>,
    ctx: Ctx,
    caller: Caller,
) -> Result<Response, ApiError> {
    let user = caller.user_with("user-read-currently-playing")?;
    Ok(with_player(&state, user, |p, world| {
        if p.active.is_none() || p.current.is_none() {
            StatusCode::NO_CONTENT.into_response()
        } else {
            Json(playing_json(&ctx, world, p, false)).into_response()
        }
    }))
}

/// `GET /me/player/devices`
pub async fn devices(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Value>, ApiError> {
    let user = caller.user_with("user-read-playback-state")?;
    Ok(Json(with_player(
        &state,
        user,
        |p, _| json!({ "devices": (0..p.devices.len()).map(|i| device_json(p, i)).collect::<Vec<_>>() }),
    )))
}

/// `PUT /me/player`: transfers playback to `device_ids[0]`, playing if `play` is true.
pub async fn transfer(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody,
) -> Result<StatusCode, ApiError> {
    let user = caller.user_with("user-modify-playback-state")?;
    if state.world().users[user as usize].product != "premium" {
        return Err(premium_required());
    }
    let body = body.ok_or_else(|| ApiError::bad_request("Missing device_ids"))?;
    let ids = body
        .get("device_ids")
        .and_then(Value::as_array)
        .ok_or_else(|| ApiError::bad_request("Missing device_ids"))?;
    if ids.len() != 1 {
        return Err(ApiError::bad_request("Exactly one device id is supported"));
    }
    let target = ids[0].as_str().unwrap_or_default().to_owned();
    let play = body.get("play").and_then(Value::as_bool);
    with_player(&state, user, |p, _| {
        let i = p
            .devices
            .iter()
            .position(|d| d.id == target)
            .ok_or_else(|| ApiError::not_found().with_reason("DEVICE_NOT_FOUND"))?;
        p.active = Some(i);
        if let Some(play) = play {
            let progress = p.progress();
            p.is_playing = play && p.current.is_some();
            p.set_progress(progress);
        }
        Ok(StatusCode::NO_CONTENT)
    })
}

/// Items of a context URI (playlist or album).
fn context_items(world: &Catalog, uri: &str) -> Result<Vec<ItemRef>, ApiError> {
    let (kind, id) = parse_uri(uri)?;
    match kind {
        "playlist" => world
            .index
            .playlists
            .get(id)
            .map(|p| {
                world.playlists[*p as usize]
                    .entries
                    .iter()
                    .map(|e| e.item.clone())
                    .collect()
            })
            .ok_or_else(ApiError::not_found),
        "album" => world
            .index
            .albums
            .get(id)
            .map(|a| {
                world.albums[*a as usize]
                    .tracks
                    .iter()
                    .map(|t| ItemRef::Track(*t))
                    .collect()
            })
            .ok_or_else(ApiError::not_found),
        "artist" => world
            .index
            .artists
            .get(id)
            .map(|a| {
                world
                    .tracks
                    .iter()
                    .enumerate()
                    .filter(|(_, t)| t.artists.contains(a))
                    .take(10)
                    .map(|(i, _)| ItemRef::Track(i as u32))
                    .collect()
            })
            .ok_or_else(ApiError::not_found),
        _ => Err(ApiError::bad_request(format!(
            "Unsupported context uri: {uri}"
        ))),
    }
}

fn item_of(world: &Catalog, uri: &str) -> Result<ItemRef, ApiError> {
    let (kind, id) = parse_uri(uri)?;
    let found = match kind {
        "track" => world.index.tracks.get(id).map(|t| ItemRef::Track(*t)),
        "episode" => world.index.episodes.get(id).map(|e| ItemRef::Episode(*e)),
        _ => {
            return Err(ApiError::bad_request(format!(
                "Unsupported uri kind: {uri}"
            )));
        }
    };
    found.ok_or_else(ApiError::not_found)
}

/// `PUT /me/player/play`: starts or resumes playback (`context_uri` with `offset`, or `uris`).
pub async fn play(
    State(state): State<AppState>,
    caller: Caller,
    params: Params,
    JsonBody(body): JsonBody,
) -> Result<StatusCode, ApiError> {
    let user = command_target(&state, &caller, &params)?;
    let world = state.world();
    let context = body
        .as_ref()
        .and_then(|b| b.get("context_uri"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    let uris: Option<Vec<String>> = body
        .as_ref()
        .and_then(|b| b.get("uris"))
        .and_then(Value::as_array)
        .map(|l| {
            l.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        });
    let items = match (&context, &uris) {
        (Some(c), _) => Some(context_items(&world, c)?),
        (None, Some(list)) => Some(
            list.iter()
                .map(|u| item_of(&world, u))
                .collect::<Result<Vec<_>, _>>()?,
        ),
        (None, None) => None,
    };
    let offset = body.as_ref().and_then(|b| b.get("offset")).cloned();
    let position_ms = body
        .as_ref()
        .and_then(|b| b.get("position_ms"))
        .and_then(Value::as_u64)
        .unwrap_or(0);
    drop(world);
    with_player(&state, user, |p, world| {
        if let Some(items) = items {
            let start = match &offset {
                Some(o) if o.get("position").is_some() => o["position"]
                    .as_u64()
                    .map(|n| n as usize)
                    .filter(|n| *n < items.len())
                    .ok_or_else(|| ApiError::bad_request("Invalid offset"))?,
                Some(o) if o.get("uri").is_some() => {
                    let target = item_of(world, o["uri"].as_str().unwrap_or_default())?;
                    items
                        .iter()
                        .position(|i| same(i, &target))
                        .ok_or_else(|| ApiError::bad_request("Invalid offset"))?
                }
                _ => 0,
            };
            if items.is_empty() {
                return Err(ApiError::bad_request("Nothing to play"));
            }
            p.context.clone_from(&context);
            p.position = start;
            p.current = items.get(start).cloned();
            p.items = items;
            p.set_progress(position_ms);
        } else if p.current.is_none() {
            return Err(
                ApiError::forbidden("Player command failed: Restriction violated")
                    .with_reason("UNKNOWN"),
            );
        }
        p.is_playing = true;
        p.since = Instant::now();
        Ok(StatusCode::NO_CONTENT)
    })
}

fn same(a: &ItemRef, b: &ItemRef) -> bool {
    match (a, b) {
        (ItemRef::Track(x), ItemRef::Track(y)) | (ItemRef::Episode(x), ItemRef::Episode(y)) => {
            x == y
        }
        _ => false,
    }
}

fn restriction() -> ApiError {
    ApiError::forbidden("Player command failed: Restriction violated").with_reason("UNKNOWN")
}

/// `PUT /me/player/pause`
pub async fn pause(
    State(state): State<AppState>,
    caller: Caller,
    params: Params,
) -> Result<StatusCode, ApiError> {
    let user = command_target(&state, &caller, &params)?;
    with_player(&state, user, |p, _| {
        if !p.is_playing {
            return Err(restriction());
        }
        let progress = p.progress();
        p.is_playing = false;
        p.set_progress(progress);
        Ok(StatusCode::NO_CONTENT)
    })
}

/// `POST /me/player/next`
pub async fn next(
    State(state): State<AppState>,
    caller: Caller,
    params: Params,
) -> Result<StatusCode, ApiError> {
    let user = command_target(&state, &caller, &params)?;
    with_player(&state, user, |p, _| {
        if !p.advance() {
            return Err(restriction());
        }
        p.set_progress(0);
        Ok(StatusCode::NO_CONTENT)
    })
}

/// `POST /me/player/previous`: back to the start of the item, or the previous one in the first 3 s.
pub async fn previous(
    State(state): State<AppState>,
    caller: Caller,
    params: Params,
) -> Result<StatusCode, ApiError> {
    let user = command_target(&state, &caller, &params)?;
    with_player(&state, user, |p, _| {
        if p.progress() < 3_000 && p.position > 0 {
            p.position -= 1;
            p.current = p.items.get(p.position).cloned();
        } else if p.current.is_none() {
            return Err(restriction());
        }
        p.set_progress(0);
        Ok(StatusCode::NO_CONTENT)
    })
}

fn required_u64(params: &Params, name: &str) -> Result<u64, ApiError> {
    params
        .get(name)
        .ok_or_else(|| ApiError::bad_request(format!("Missing required parameter: {name}")))?
        .parse()
        .map_err(|_| ApiError::bad_request(format!("Invalid {name}")))
}

/// `PUT /me/player/seek?position_ms=`
pub async fn seek(
    State(state): State<AppState>,
    caller: Caller,
    params: Params,
) -> Result<StatusCode, ApiError> {
    let position = required_u64(&params, "position_ms")?;
    let user = command_target(&state, &caller, &params)?;
    with_player(&state, user, |p, world| {
        let Some(item) = p.current.clone() else {
            return Err(restriction());
        };
        p.set_progress(position);
        p.settle(world);
        let _ = item;
        Ok(StatusCode::NO_CONTENT)
    })
}

/// `PUT /me/player/repeat?state=track|context|off`
pub async fn repeat(
    State(state): State<AppState>,
    caller: Caller,
    params: Params,
) -> Result<StatusCode, ApiError> {
    let mode = match params.get("state") {
        Some("track") => "track",
        Some("context") => "context",
        Some("off") => "off",
        _ => return Err(ApiError::bad_request("state must be track, context or off")),
    };
    let user = command_target(&state, &caller, &params)?;
    with_player(&state, user, |p, _| p.repeat = mode);
    Ok(StatusCode::NO_CONTENT)
}

/// `PUT /me/player/volume?volume_percent=0..100`
pub async fn volume(
    State(state): State<AppState>,
    caller: Caller,
    params: Params,
) -> Result<StatusCode, ApiError> {
    let v = required_u64(&params, "volume_percent")?;
    if v > 100 {
        return Err(ApiError::bad_request(
            "volume_percent must be between 0 and 100",
        ));
    }
    let user = command_target(&state, &caller, &params)?;
    with_player(&state, user, |p, _| {
        if let Some(i) = p.active {
            p.devices[i].volume = v as u8;
        }
    });
    Ok(StatusCode::NO_CONTENT)
}

/// `PUT /me/player/shuffle?state=true|false`
pub async fn shuffle(
    State(state): State<AppState>,
    caller: Caller,
    params: Params,
) -> Result<StatusCode, ApiError> {
    let on = match params.get("state") {
        Some("true") => true,
        Some("false") => false,
        _ => return Err(ApiError::bad_request("state must be true or false")),
    };
    let user = command_target(&state, &caller, &params)?;
    with_player(&state, user, |p, _| p.shuffle = on);
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /me/player/queue`: what plays now and next (user queue first, then the context).
pub async fn queue(
    State(state): State<AppState>,
    ctx: Ctx,
    caller: Caller,
) -> Result<Json<Value>, ApiError> {
    let user = caller.user()?;
    if !(caller.has("user-read-currently-playing") || caller.has("user-read-playback-state")) {
        return Err(ApiError::scope());
    }
    Ok(Json(with_player(&state, user, |p, world| {
        let upcoming: Vec<Value> = p
            .queue
            .iter()
            .chain(p.items.iter().skip(p.position + 1))
            .take(20)
            .map(|i| render::playable(&ctx, world, i))
            .collect();
        json!({
            "currently_playing": p.current.as_ref().map(|i| render::playable(&ctx, world, i)),
            "queue": upcoming,
        })
    })))
}

/// `POST /me/player/queue?uri=`
pub async fn add_to_queue(
    State(state): State<AppState>,
    caller: Caller,
    params: Params,
) -> Result<StatusCode, ApiError> {
    let uri = params
        .get("uri")
        .ok_or_else(|| ApiError::bad_request("Missing required parameter: uri"))?
        .to_owned();
    let item = item_of(&state.world(), &uri)?;
    let user = command_target(&state, &caller, &params)?;
    with_player(&state, user, |p, _| {
        if p.current.is_none() {
            p.current = Some(item);
            p.set_progress(0);
        } else {
            p.queue.push_back(item);
        }
    });
    Ok(StatusCode::NO_CONTENT)
}
