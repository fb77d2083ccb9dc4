//! The project's table of operations (`spotkit::api::operations::OPERATIONS`) against the sandbox,
//! with no outside data: for every row, a raw request to its method and path
//!
//! - with a token holding none of the row's scopes is refused `403 Insufficient client scope`
//!   where the row lists scopes Spotify enforces, and is not refused for scope otherwise;
//! - in Development Mode, with every scope, is refused `403` exactly where the row says the
//!   operation is for Extended-Quota apps only.
//!
//! So the table, the client's `#[deprecated]` markers (checked by the coverage test) and the
//! sandbox's rules cannot drift apart without a test failing. Requests are raw (reqwest), so the
//! sandbox's answers are seen as Spotify would send them.

mod common;

use reqwest::Method;
use serde_json::Value;
use spotkit::api::operations::{Availability, OPERATIONS, Operation};
use spotkit_sandbox::tokens::ALL_SCOPES;
use spotkit_sandbox::{Mode, RunningSandbox, Sandbox};

/// Operations whose listed scopes widen the answer instead of gating it: Spotify answers a
/// scopeless token (for a public target), and the scopes add members or private objects.
const SCOPES_WIDEN_ONLY: &[(&str, &str)] = &[
    (
        "get-current-users-profile",
        "user-read-private and user-read-email add country, product and email to /me",
    ),
    (
        "get-a-show",
        "user-read-playback-position adds the episodes' resume points",
    ),
    (
        "get-a-shows-episodes",
        "user-read-playback-position adds resume points",
    ),
    (
        "get-an-episode",
        "user-read-playback-position adds the resume point",
    ),
    (
        "get-multiple-episodes",
        "user-read-playback-position adds resume points",
    ),
    (
        "get-playlists-tracks",
        "playlist-read-private is needed for a private playlist only",
    ),
    (
        "get-playlists-items",
        "playlist-read-private is needed for a private playlist only",
    ),
    (
        "get-a-list-of-current-users-playlists",
        "playlist-read-private adds the private playlists to the list",
    ),
    (
        "get-list-users-playlists",
        "playlist-read-private and -collaborative add private and collaborative playlists",
    ),
];

struct Ids {
    track: String,
    album: String,
    artist: String,
    show: String,
    episode: String,
    audiobook: String,
    chapter: String,
    playlist: String,
}

fn at(v: &Value, pointer: &str) -> String {
    v.pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("no string at {pointer} in {v}"))
        .to_owned()
}

async fn get(sandbox: &RunningSandbox, token: &str, path: &str) -> Value {
    spotkit::http::client()
        .unwrap()
        .get(format!("{}{path}", sandbox.api_url()))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

async fn ids(sandbox: &RunningSandbox, token: &str) -> Ids {
    let liked = get(sandbox, token, "/me/tracks?limit=1").await;
    let shows = get(sandbox, token, "/me/shows?limit=1").await;
    let show = at(&shows, "/items/0/show/id");
    let episodes = get(sandbox, token, &format!("/shows/{show}/episodes?limit=1")).await;
    let books = get(sandbox, token, "/me/audiobooks?limit=1").await;
    let book = at(&books, "/items/0/audiobook/id");
    let chapters = get(
        sandbox,
        token,
        &format!("/audiobooks/{book}/chapters?limit=1"),
    )
    .await;
    let playlists = get(sandbox, token, "/me/playlists?limit=50").await;
    let owned = playlists["items"]
        .as_array()
        .and_then(|all| {
            all.iter()
                .find(|p| p.pointer("/owner/id").and_then(Value::as_str) == Some("demo"))
        })
        .expect("the demo user owns a playlist");
    Ids {
        track: at(&liked, "/items/0/track/id"),
        album: at(&liked, "/items/0/track/album/id"),
        artist: at(&liked, "/items/0/track/artists/0/id"),
        show,
        episode: at(&episodes, "/items/0/id"),
        audiobook: book,
        chapter: at(&chapters, "/items/0/id"),
        playlist: at(owned, "/id"),
    }
}

/// The row's path with its parameters filled from the catalogue, and the query its required
/// parameters need (so that a refusal is about the token, not a missing parameter).
fn request(op: &Operation, ids: &Ids) -> (Method, String) {
    let id = match op.path.split('/').nth(1).unwrap_or_default() {
        "albums" => &ids.album,
        "artists" => &ids.artist,
        "shows" => &ids.show,
        "episodes" => &ids.episode,
        "audiobooks" => &ids.audiobook,
        "chapters" => &ids.chapter,
        _ => &ids.track,
    };
    let path = op
        .path
        .replace("{id}", id)
        .replace("{playlist_id}", &ids.playlist)
        .replace("{user_id}", "demo")
        .replace("{category_id}", "toplists");
    let track_uri = format!("spotify:track:{}", ids.track);
    let query = match op.operation_id {
        "search" => "q=a&type=track".to_owned(),
        "get-multiple-albums" => format!("ids={}", ids.album),
        "get-multiple-artists" => format!("ids={}", ids.artist),
        "get-multiple-shows" => format!("ids={}", ids.show),
        "get-multiple-episodes" => format!("ids={}", ids.episode),
        "get-multiple-audiobooks" => format!("ids={}", ids.audiobook),
        "get-several-chapters" => format!("ids={}", ids.chapter),
        "get-several-tracks" | "get-several-audio-features" => format!("ids={}", ids.track),
        "get-recommendations" => format!("seed_tracks={}", ids.track),
        "save-library-items" | "remove-library-items" | "check-library-contains" => {
            format!("uris={track_uri}")
        }
        "add-to-queue" => format!("uri={track_uri}"),
        "seek-to-position-in-currently-playing-track" => "position_ms=0".to_owned(),
        "set-repeat-mode-on-users-playback" => "state=off".to_owned(),
        "set-volume-for-users-playback" => "volume_percent=50".to_owned(),
        "toggle-shuffle-for-users-playback" => "state=false".to_owned(),
        "get-followed" => "type=artist".to_owned(),
        "follow-artists-users" | "unfollow-artists-users" | "check-current-user-follows" => {
            format!("type=artist&ids={}", ids.artist)
        }
        "check-if-user-follows-playlist" => "ids=demo".to_owned(),
        // The library's own endpoints: writes and `contains` take the ids; reads take none.
        _ if op.path.starts_with("/me/")
            && (op.method != "GET" || op.path.ends_with("/contains")) =>
        {
            let library_ids = match op.path.trim_end_matches("/contains") {
                "/me/albums" => Some(&ids.album),
                "/me/tracks" => Some(&ids.track),
                "/me/shows" => Some(&ids.show),
                "/me/episodes" => Some(&ids.episode),
                "/me/audiobooks" => Some(&ids.audiobook),
                _ => None,
            };
            library_ids.map(|i| format!("ids={i}")).unwrap_or_default()
        }
        _ => String::new(),
    };
    let method =
        Method::from_bytes(op.method.as_bytes()).expect("the table's methods are HTTP methods");
    let url = if query.is_empty() {
        path
    } else {
        format!("{path}?{query}")
    };
    (method, url)
}

/// Sends the row's request; the answer's status and `error.message` (empty when none).
async fn send(sandbox: &RunningSandbox, token: &str, op: &Operation, ids: &Ids) -> (u16, String) {
    let (method, url) = request(op, ids);
    let mut req = spotkit::http::client()
        .unwrap()
        .request(method.clone(), format!("{}{url}", sandbox.api_url()))
        .bearer_auth(token);
    // A valid body where the operation needs one, so that a refusal is about the token.
    let uri = format!("spotify:track:{}", ids.track);
    let body = match op.operation_id {
        "add-tracks-to-playlist" | "add-items-to-playlist" => {
            Some(serde_json::json!({ "uris": [uri] }))
        }
        "remove-tracks-playlist" | "remove-items-playlist" => {
            Some(serde_json::json!({ "tracks": [{ "uri": uri }], "items": [{ "uri": uri }] }))
        }
        "create-playlist" | "create-playlist-for-user" => Some(serde_json::json!({ "name": "x" })),
        _ if method != Method::GET => Some(serde_json::json!({})),
        _ => None,
    };
    if let Some(body) = body {
        req = req.json(&body);
    }
    let answer = req.send().await.unwrap();
    let status = answer.status().as_u16();
    let body: Value = answer.json().await.unwrap_or(Value::Null);
    let message = body
        .pointer("/error/message")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    (status, message)
}

async fn sandbox(mode: Mode) -> RunningSandbox {
    Sandbox::builder()
        .seed(5)
        .liked(20)
        .playlists(4)
        .mode(mode)
        .start()
        .await
        .unwrap()
}

/// Sends every row's request with `token`; the rows whose answer `agrees` rejects, described.
async fn disagreements(
    sb: &RunningSandbox,
    token: &str,
    ids: &Ids,
    agrees: impl Fn(&Operation, u16, &str) -> bool,
) -> Vec<String> {
    let mut wrong = Vec::new();
    for op in OPERATIONS {
        let (status, message) = send(sb, token, op, ids).await;
        if !agrees(op, status, &message) {
            wrong.push(format!(
                "{} {} {} (scopes {:?}, {:?}): the sandbox answered {status} {message:?}",
                op.operation_id, op.method, op.path, op.scopes, op.availability
            ));
        }
    }
    wrong
}

#[tokio::test]
async fn every_row_needs_exactly_the_scopes_it_lists() {
    let sb = sandbox(Mode::Extended).await;
    let full = sb.token("demo", ALL_SCOPES).await.unwrap().access_token;
    let scopeless = sb.token("demo", &[]).await.unwrap().access_token;
    let ids = ids(&sb, &full).await;
    let wrong = disagreements(&sb, &scopeless, &ids, |op, status, message| {
        let refused = status == 403 && message == "Insufficient client scope";
        let gated = !op.scopes.is_empty()
            && !SCOPES_WIDEN_ONLY
                .iter()
                .any(|(id, _)| *id == op.operation_id);
        refused == gated
    })
    .await;
    assert!(
        wrong.is_empty(),
        "{} row(s) of OPERATIONS and the sandbox disagree on scopes (token without them):\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[tokio::test]
async fn development_mode_refuses_exactly_the_extended_quota_rows() {
    let sb = sandbox(Mode::Dev).await;
    let full = sb.token("demo", ALL_SCOPES).await.unwrap().access_token;
    let ids = ids(&sb, &full).await;
    let wrong = disagreements(&sb, &full, &ids, |op, status, _| {
        (status == 403) == (op.availability == Availability::ExtendedQuotaOnly)
    })
    .await;
    assert!(
        wrong.is_empty(),
        "{} row(s) of OPERATIONS and the sandbox's Development Mode disagree:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}
