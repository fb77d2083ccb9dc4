//! The control plane under `/_sandbox/`: stats, fault and quota settings, browser-free tokens,
//! catalogue totals, and the cover images the catalogue's image URLs point at.

use std::io::Write as _;
use std::time::Duration;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use sha2::Digest as _;

use crate::catalog::DEMO_USER;
use crate::config::{AppConditions, Faults, Quota};
use crate::state::{AppState, Stats, lock};
use crate::tokens::{ALL_SCOPES, Grant, Scopes};

/// `GET /_sandbox/stats`
pub async fn stats(State(state): State<AppState>) -> Json<Stats> {
    Json(state.stats().clone())
}

/// `POST /_sandbox/reset-stats`
pub async fn reset_stats(State(state): State<AppState>) -> StatusCode {
    *state.stats() = Stats::default();
    StatusCode::NO_CONTENT
}

/// Body of `POST /_sandbox/token`.
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct TokenRequest {
    user: Option<String>,
    scopes: Option<Vec<String>>,
    client_id: Option<String>,
    /// Issue a rotating (PKCE-style) refresh token instead of a confidential client's.
    pkce: bool,
}

fn bad(message: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(json!({ "error": "invalid_request", "error_description": message })),
    )
        .into_response()
}

/// `POST /_sandbox/token`: a token response for any user, scopes and app, without a browser.
pub async fn token(State(state): State<AppState>, body: Option<Json<TokenRequest>>) -> Response {
    let req = body.map(|Json(b)| b).unwrap_or_default();
    let user = req.user.unwrap_or_else(|| DEMO_USER.into());
    if state.world().user_idx(&user).is_none() {
        return bad(&format!("unknown user {user:?}"));
    }
    let client_id = req.client_id.unwrap_or_else(|| "spotkit-demo".into());
    if state.client(&client_id).is_none() {
        return bad(&format!("unknown client {client_id:?}"));
    }
    let scopes: Scopes = match req.scopes {
        Some(list) => {
            if let Some(bad_scope) = list.iter().find(|s| !ALL_SCOPES.contains(&s.as_str())) {
                return bad(&format!("unknown scope {bad_scope:?}"));
            }
            list.into_iter().collect()
        }
        None => ALL_SCOPES.iter().map(|s| (*s).to_owned()).collect(),
    };
    let ttl = Duration::from_secs(state.faults().token_ttl_secs);
    let grant = Grant {
        user: Some(user),
        client_id,
        scopes,
    };
    let issued = lock(&state.tokens).issue(grant, ttl, Some((req.pkce, state.refresh_token_ttl)));
    Json(json!({
        "access_token": issued.access_token,
        "token_type": "Bearer",
        "expires_in": issued.expires_in,
        "refresh_token": issued.refresh_token,
        "scope": issued.scope,
    }))
    .into_response()
}

/// `GET /_sandbox/faults`
pub async fn get_faults(State(state): State<AppState>) -> Json<Faults> {
    Json(state.faults())
}

/// `POST /_sandbox/faults`: merges the given members into the fault settings.
pub async fn set_faults(State(state): State<AppState>, Json(patch): Json<Value>) -> Response {
    let mut current = match serde_json::to_value(state.faults()) {
        Ok(v) => v,
        Err(e) => return (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    };
    let (Some(target), Some(patch)) = (current.as_object_mut(), patch.as_object()) else {
        return bad("expected a JSON object of fault settings");
    };
    for (k, v) in patch {
        if !target.contains_key(k) {
            return bad(&format!("unknown fault setting {k:?}"));
        }
        target.insert(k.clone(), v.clone());
    }
    match serde_json::from_value::<Faults>(current) {
        Ok(faults) => {
            state.set_faults(faults.clone());
            Json(faults).into_response()
        }
        Err(e) => bad(&format!("invalid fault settings: {e}")),
    }
}

/// `GET /_sandbox/apps`: the Development-Mode conditions set per client id (apps not listed: the
/// owner has Premium and no user list is enforced).
pub async fn get_apps(State(state): State<AppState>) -> Json<Value> {
    Json(serde_json::to_value(state.all_app_conditions()).unwrap_or_else(|_| json!({})))
}

/// `POST /_sandbox/apps/{client_id}`: merges the given members (`owner_premium`, `users`,
/// `old_wording`) into that app's Development-Mode conditions. 400 for an unknown app or a user
/// list longer than 5.
pub async fn set_app(
    State(state): State<AppState>,
    Path(client_id): Path<String>,
    Json(patch): Json<Value>,
) -> Response {
    if state.client(&client_id).is_none() {
        return bad(&format!("unknown client {client_id:?}"));
    }
    let mut current = match serde_json::to_value(state.app_conditions(&client_id)) {
        Ok(v) => v,
        Err(e) => return (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    };
    let (Some(target), Some(patch)) = (current.as_object_mut(), patch.as_object()) else {
        return bad("expected a JSON object of app conditions");
    };
    for (k, v) in patch {
        if !target.contains_key(k) {
            return bad(&format!("unknown app condition {k:?}"));
        }
        target.insert(k.clone(), v.clone());
    }
    let conditions = match serde_json::from_value::<AppConditions>(current) {
        Ok(c) => c,
        Err(e) => return bad(&format!("invalid app conditions: {e}")),
    };
    if let Some(users) = &conditions.users
        && let Some(unknown) = users.iter().find(|u| state.world().user_idx(u).is_none())
    {
        return bad(&format!("unknown user {unknown:?}"));
    }
    match state.set_app_conditions(&client_id, conditions.clone()) {
        Ok(()) => Json(conditions).into_response(),
        Err(message) => bad(&message),
    }
}

/// The quota settings and every account's standing, as `GET /_sandbox/quota` answers.
fn quota_view(state: &AppState) -> Value {
    let quota = state.quota();
    let usage = crate::quota::usage(state, &quota);
    let mut view = serde_json::to_value(&quota).unwrap_or_else(|_| json!({}));
    view["usage"] = serde_json::to_value(usage).unwrap_or_else(|_| json!({}));
    view
}

/// `GET /_sandbox/quota`: settings, plus `usage` per developer account (`used`, `remaining`,
/// `resets_in_secs`).
pub async fn get_quota(State(state): State<AppState>) -> Json<Value> {
    Json(quota_view(&state))
}

/// `POST /_sandbox/quota`: merges the given members (`requests`, `window_secs`, `accounts`) into
/// the quota settings. What the accounts used so far is kept; `/_sandbox/quota/reset` clears it.
pub async fn set_quota(State(state): State<AppState>, Json(patch): Json<Value>) -> Response {
    let mut current = match serde_json::to_value(state.quota()) {
        Ok(v) => v,
        Err(e) => return (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    };
    let (Some(target), Some(patch)) = (current.as_object_mut(), patch.as_object()) else {
        return bad("expected a JSON object of quota settings");
    };
    for (k, v) in patch {
        if !target.contains_key(k) {
            return bad(&format!(
                "unknown quota setting {k:?}; use requests, window_secs or accounts"
            ));
        }
        target.insert(k.clone(), v.clone());
    }
    match serde_json::from_value::<Quota>(current) {
        Ok(quota) => {
            state.set_quota(quota);
            Json(quota_view(&state)).into_response()
        }
        Err(e) => bad(&format!("invalid quota settings: {e}")),
    }
}

/// `POST /_sandbox/quota/reset`: every developer account starts a fresh window.
pub async fn reset_quota(State(state): State<AppState>) -> StatusCode {
    crate::quota::reset(&state);
    StatusCode::NO_CONTENT
}

/// `GET /_sandbox/catalog`: totals of the demo user's library, for tests that check counts.
pub async fn catalog(State(state): State<AppState>) -> Json<Value> {
    let world = state.world();
    let mut out = serde_json::Map::new();
    for (idx, user) in world.users.iter().enumerate() {
        let lib = &world.libraries[&(idx as u32)];
        let describe = |idx: u32| {
            let p = &world.playlists[idx as usize];
            json!({
                "id": p.id, "name": p.name, "owner": world.users[p.owner as usize].id,
                "items": p.entries.len(), "public": p.public, "collaborative": p.collaborative,
            })
        };
        // What `/me/playlists` lists in this mode; Development Mode hides Spotify-owned ones.
        let hidden = |idx: u32| {
            state.mode == crate::config::Mode::Dev
                && !state.list_spotify_owned
                && world.spotify_owned(idx)
        };
        let playlists: Vec<Value> = lib
            .playlists
            .iter()
            .filter(|p| !hidden(**p))
            .map(|p| describe(*p))
            .collect();
        let hidden_playlists: Vec<Value> = lib
            .playlists
            .iter()
            .filter(|p| hidden(**p))
            .map(|p| describe(*p))
            .collect();
        out.insert(
            user.id.clone(),
            json!({
                "liked": lib.tracks.len(),
                "albums": lib.albums.len(),
                "shows": lib.shows.len(),
                "episodes": lib.episodes.len(),
                "audiobooks": lib.audiobooks.len(),
                "followed_artists": lib.artists.len(),
                "playlists": playlists,
                "hidden_playlists": hidden_playlists,
            }),
        );
    }
    Json(json!({
        "mode": state.mode.as_str(),
        "tracks": world.tracks.len(),
        "albums": world.albums.len(),
        "artists": world.artists.len(),
        "users": out,
    }))
}

/// `GET /_sandbox/image/{id}/{size}`: a square PNG whose colours derive from the id, so every cover
/// is distinct and stable.
pub async fn image(Path((id, size)): Path<(String, u32)>) -> Response {
    if !(1..=1000).contains(&size) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let digest = sha2::Sha256::digest(id.as_bytes());
    match png(
        size,
        [digest[0], digest[1], digest[2]],
        [digest[3], digest[4], digest[5]],
    ) {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, "image/png"),
                (header::CACHE_CONTROL, "max-age=86400"),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}

/// Encodes a `size`×`size` RGB PNG with a diagonal two-colour split.
fn png(size: u32, a: [u8; 3], b: [u8; 3]) -> std::io::Result<Vec<u8>> {
    let mut raw = Vec::with_capacity((size as usize * 3 + 1) * size as usize);
    for y in 0..size {
        raw.push(0); // filter: none
        for x in 0..size {
            raw.extend_from_slice(if x > y { &a } else { &b });
        }
    }
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    z.write_all(&raw)?;
    let idat = z.finish()?;
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&size.to_be_bytes());
    ihdr.extend_from_slice(&size.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]); // 8-bit RGB, deflate, no filter, no interlace
    for (kind, data) in [
        (&b"IHDR"[..], &ihdr[..]),
        (b"IDAT", &idat[..]),
        (b"IEND", &[]),
    ] {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut crc = crc32fast::Hasher::new();
        crc.update(kind);
        crc.update(data);
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        out.extend_from_slice(&crc.finalize().to_be_bytes());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn png_has_signature_and_chunks() {
        let bytes = super::png(4, [1, 2, 3], [4, 5, 6]).expect("encodes");
        assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"));
        assert!(bytes.windows(4).any(|w| w == b"IDAT"));
        assert!(
            bytes.ends_with(&[0xAE, 0x42, 0x60, 0x82]),
            "IEND's CRC is fixed"
        );
    }
}
