//! `/lrclib/api/`: an emulation of LRCLIB's lyrics API for the catalogue's tracks, so
//! `spotkit sync --lyrics-base-url http://127.0.0.1:PORT/lrclib` is tested without the internet.
//!
//! The shape follows LRCLIB's public documentation (<https://lrclib.net/docs>):
//!
//! * `GET /lrclib/api/get?track_name&artist_name&album_name&duration`: the record whose title and
//!   artist equal the query's (case aside), whose album equals `album_name` when given, and whose
//!   duration is within ±2 s of `duration` when given; else 404 with
//!   `{"code":404,"name":"TrackNotFound","message":"Failed to find specified track"}`. Without
//!   `track_name` or `artist_name`: 400.
//! * `GET /lrclib/api/search?track_name&artist_name` (or `q`): a JSON array of records whose
//!   title contains `track_name` and whose artist contains `artist_name` (case aside).
//!
//! A record is `{"id","trackName","artistName","albumName","duration","instrumental",
//! "plainLyrics","syncedLyrics"}`; `syncedLyrics` is LRC text. What each track has is
//! [`kind`] (deterministic from its id; tests read it to know what to expect): synced lyrics
//! found by `/api/get`, synced lyrics filed under another album (only `/api/search` finds them),
//! plain lyrics only, an instrumental record, or nothing. Every track with a record also has a
//! live version 25 s longer among the search results, which a client must not take.
//! The words are generated from the title, not anyone's lyrics.

use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use sha2::Digest as _;

use crate::catalog::{Catalog, Track};
use crate::state::AppState;

/// What LRCLIB has for a track.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Synced (and plain) lyrics, found by `/api/get`.
    Synced,
    /// Synced lyrics filed under another album name: `/api/get` with the track's album answers
    /// 404, `/api/search` finds them.
    SyncedOtherAlbum,
    /// Plain lyrics only.
    PlainOnly,
    /// A record marked instrumental, without lyrics.
    Instrumental,
    /// No record at all.
    Missing,
}

impl Kind {
    /// Whether a client should end up with synced lyrics.
    pub fn synced(self) -> bool {
        matches!(self, Kind::Synced | Kind::SyncedOtherAlbum)
    }
}

/// What the emulated LRCLIB has for this track.
pub fn kind(track_id: &str) -> Kind {
    let digest = sha2::Sha256::digest(format!("lrclib:{track_id}").as_bytes());
    match digest[0] {
        0..=101 => Kind::Synced,             // 40%
        102..=140 => Kind::SyncedOtherAlbum, // 15%
        141..=178 => Kind::PlainOnly,        // 15%
        179..=204 => Kind::Instrumental,     // 10%
        _ => Kind::Missing,                  // 20%
    }
}

/// The synced lyrics (LRC text) served for a track.
pub fn synced_lyrics(track: &Track) -> String {
    lines(track)
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let ms = 500 + i as u32 * (track.duration_ms.saturating_sub(1000) / 4);
            format!(
                "[{:02}:{:02}.{:02}] {l}",
                ms / 60_000,
                ms / 1000 % 60,
                ms % 1000 / 10
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The plain lyrics served for a track.
pub fn plain_lyrics(track: &Track) -> String {
    lines(track).join("\n")
}

fn lines(track: &Track) -> [String; 4] {
    let t = &track.name;
    [
        format!("Sing of {t}"),
        "all the night long".to_owned(),
        format!("{t} again"),
        "until the morning".to_owned(),
    ]
}

fn id_of(track_id: &str, salt: &str) -> u64 {
    let digest = sha2::Sha256::digest(format!("lrclib-id:{salt}:{track_id}").as_bytes());
    u64::from_be_bytes([
        0, 0, 0, digest[0], digest[1], digest[2], digest[3], digest[4],
    ])
}

/// The records of a track (its own, then the live decoy), as LRCLIB serves them.
pub fn records(world: &Catalog, track: &Track) -> Vec<Value> {
    let kind = kind(&track.id);
    if kind == Kind::Missing {
        return Vec::new();
    }
    let artist = track
        .artists
        .first()
        .map(|a| world.artists[*a as usize].name.clone())
        .unwrap_or_default();
    let mut album = world.albums[track.album as usize].name.clone();
    if kind == Kind::SyncedOtherAlbum {
        album.push_str(" (Deluxe Edition)");
    }
    let secs = f64::from(track.duration_ms / 1000);
    let (plain, synced) = match kind {
        Kind::Synced | Kind::SyncedOtherAlbum => {
            (Some(plain_lyrics(track)), Some(synced_lyrics(track)))
        }
        Kind::PlainOnly => (Some(plain_lyrics(track)), None),
        Kind::Instrumental | Kind::Missing => (None, None),
    };
    let own = json!({
        "id": id_of(&track.id, "own"),
        "trackName": track.name,
        "artistName": artist,
        "albumName": album,
        // LRCLIB's durations are whole seconds of the release it was filed from: one off here.
        "duration": if kind == Kind::SyncedOtherAlbum { secs + 1.0 } else { secs },
        "instrumental": kind == Kind::Instrumental,
        "plainLyrics": plain,
        "syncedLyrics": synced,
    });
    let live = json!({
        "id": id_of(&track.id, "live"),
        "trackName": track.name,
        "artistName": artist,
        "albumName": format!("{album} (Live)"),
        "duration": secs + 25.0,
        "instrumental": false,
        "plainLyrics": "(live) the wrong words",
        "syncedLyrics": "[00:00.50] (live) the wrong words",
    });
    // The live cut first, as a search engine ranking by popularity might.
    vec![live, own]
}

/// Query parameters of both endpoints.
#[derive(Debug, Default, Deserialize)]
pub struct Params {
    track_name: Option<String>,
    artist_name: Option<String>,
    album_name: Option<String>,
    duration: Option<f64>,
    q: Option<String>,
}

fn same(a: &str, b: &str) -> bool {
    a.to_lowercase() == b.to_lowercase()
}

fn contains(hay: &str, needle: &str) -> bool {
    hay.to_lowercase().contains(&needle.to_lowercase())
}

fn str_of<'a>(r: &'a Value, k: &str) -> &'a str {
    r.get(k).and_then(Value::as_str).unwrap_or("")
}

fn error(status: StatusCode, name: &str, message: &str) -> Response {
    (
        status,
        Json(json!({"code": status.as_u16(), "name": name, "message": message})),
    )
        .into_response()
}

/// `GET /lrclib/api/get`.
pub async fn get(State(state): State<AppState>, Query(p): Query<Params>) -> Response {
    let (Some(title), Some(artist)) = (p.track_name.as_deref(), p.artist_name.as_deref()) else {
        return error(
            StatusCode::BAD_REQUEST,
            "ValidationError",
            "track_name and artist_name are required",
        );
    };
    let world = state.world();
    let found = world
        .tracks
        .iter()
        .filter(|t| same(&t.name, title))
        .flat_map(|t| records(&world, t))
        .find(|r| {
            same(str_of(r, "trackName"), title)
                && same(str_of(r, "artistName"), artist)
                && p.album_name
                    .as_deref()
                    .is_none_or(|a| same(str_of(r, "albumName"), a))
                && p.duration.is_none_or(|d| {
                    r.get("duration")
                        .and_then(Value::as_f64)
                        .is_some_and(|rd| (rd - d).abs() <= 2.0)
                })
        });
    match found {
        Some(r) => Json(r).into_response(),
        None => error(
            StatusCode::NOT_FOUND,
            "TrackNotFound",
            "Failed to find specified track",
        ),
    }
}

/// `GET /lrclib/api/search`.
pub async fn search(State(state): State<AppState>, Query(p): Query<Params>) -> Response {
    let Some(title) = p.track_name.as_deref().or(p.q.as_deref()) else {
        return error(
            StatusCode::BAD_REQUEST,
            "ValidationError",
            "q or track_name is required",
        );
    };
    let world = state.world();
    let found: Vec<Value> = world
        .tracks
        .iter()
        .filter(|t| contains(&t.name, title))
        .flat_map(|t| records(&world, t))
        .filter(|r| {
            p.artist_name
                .as_deref()
                .is_none_or(|a| contains(str_of(r, "artistName"), a))
        })
        .take(20)
        .collect();
    Json(found).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_mixed_and_lyrics_are_lrc() {
        let ids: Vec<String> = (0..400).map(|i| format!("track{i}")).collect();
        let count = |k: Kind| ids.iter().filter(|id| kind(id) == k).count();
        for k in [
            Kind::Synced,
            Kind::SyncedOtherAlbum,
            Kind::PlainOnly,
            Kind::Instrumental,
            Kind::Missing,
        ] {
            assert!(count(k) > 20, "{k:?}: {}", count(k));
        }
        let t = Track {
            id: "x".into(),
            name: "Paper Boats".into(),
            album: 0,
            artists: vec![0],
            duration_ms: 185_000,
            explicit: false,
            disc_number: 1,
            track_number: 1,
            isrc: String::new(),
            popularity: 0,
        };
        let lrc = synced_lyrics(&t);
        assert!(lrc.starts_with("[00:00.50] Sing of Paper Boats\n"), "{lrc}");
        assert!(lrc.ends_with("] until the morning"), "{lrc}");
    }
}
