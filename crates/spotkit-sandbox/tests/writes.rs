//! Writes over real HTTP: playlists (create, add, reorder with snapshots, remove, details, covers),
//! the library (`/me/library` and the old per-type endpoints), and the simulated player.

mod common;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use spotkit_sandbox::{Mode, Sandbox};

use common::{Env, start};

async fn call(
    env: &Env,
    method: Method,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut req = env.http.request(method, env.api(path)).bearer_auth(token);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let r = req.send().await.expect("request");
    let status = r.status();
    let text = r.text().await.expect("body");
    (
        status,
        if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).expect("json")
        },
    )
}

async fn liked_uris(env: &Env, token: &str, n: usize) -> Vec<String> {
    env.all("/me/tracks?limit=50", token, None)
        .await
        .iter()
        .take(n)
        .map(|s| s["track"]["uri"].as_str().expect("uri").to_owned())
        .collect()
}

async fn item_uris(env: &Env, id: &str, token: &str) -> Vec<String> {
    env.all(&format!("/playlists/{id}/items?limit=50"), token, None)
        .await
        .iter()
        .map(|e| e["item"]["uri"].as_str().expect("uri").to_owned())
        .collect()
}

#[tokio::test]
async fn playlist_round_trip_with_snapshots() {
    let env = start(Sandbox::builder().seed(8).liked(300)).await;
    let t = env.all_scopes().await;
    let (status, created) = call(
        &env,
        Method::POST,
        "/me/playlists",
        &t,
        Some(json!({"name": "Round trip", "public": false})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["id"].as_str().expect("id").to_owned();
    assert_eq!(created["items"]["total"], 0);
    assert_eq!(created["owner"]["id"], "demo");
    assert_eq!(
        env.ok("/me/playlists?limit=1", &t).await["items"][0]["id"],
        id,
        "newest first in the list"
    );

    // 250 items: at most 100 per request.
    let uris = liked_uris(&env, &t, 250).await;
    let (status, body) = call(
        &env,
        Method::POST,
        &format!("/playlists/{id}/items"),
        &t,
        Some(json!({"uris": uris[..101]})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let mut snapshot = String::new();
    for chunk in uris.chunks(100) {
        let (status, body) = call(
            &env,
            Method::POST,
            &format!("/playlists/{id}/items"),
            &t,
            Some(json!({"uris": chunk})),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED);
        let next = body["snapshot_id"].as_str().expect("snapshot").to_owned();
        assert_ne!(next, snapshot, "every change makes a new snapshot");
        snapshot = next;
    }
    assert_eq!(item_uris(&env, &id, &t).await, uris);

    // Insert at a position.
    let (_, body) = call(
        &env,
        Method::POST,
        &format!("/playlists/{id}/items?position=1"),
        &t,
        Some(json!({"uris": [uris[5]]})),
    )
    .await;
    let after_insert = body["snapshot_id"].as_str().expect("snapshot").to_owned();
    let mut expected = uris.clone();
    expected.insert(1, uris[5].clone());
    assert_eq!(item_uris(&env, &id, &t).await, expected);

    // Reorder: move 3 items from 10 to the front.
    let (status, _) = call(
        &env,
        Method::PUT,
        &format!("/playlists/{id}/items"),
        &t,
        Some(json!({"range_start": 10, "range_length": 3, "insert_before": 0})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let moved: Vec<String> = expected.drain(10..13).collect();
    expected.splice(0..0, moved);
    assert_eq!(item_uris(&env, &id, &t).await, expected);

    // A reorder against an older snapshot uses that snapshot's positions.
    let before = env.ok(&format!("/playlists/{id}"), &t).await["snapshot_id"]
        .as_str()
        .expect("s")
        .to_owned();
    let (status, body) = call(
        &env,
        Method::PUT,
        &format!("/playlists/{id}/items"),
        &t,
        Some(json!({"range_start": 1, "insert_before": 251, "snapshot_id": after_insert})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // Position 1 of `after_insert` was the inserted copy of uris[5]; it now sits last.
    let last = expected.remove(4);
    assert_eq!(last, uris[5]);
    expected.push(last);
    assert_eq!(item_uris(&env, &id, &t).await, expected);
    assert_ne!(body["snapshot_id"], before);
    let (status, body) = call(
        &env,
        Method::PUT,
        &format!("/playlists/{id}/items"),
        &t,
        Some(json!({"range_start": 0, "insert_before": 2, "snapshot_id": "bogus"})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (status, _) = call(
        &env,
        Method::PUT,
        &format!("/playlists/{id}/items"),
        &t,
        Some(json!({"range_start": 900, "insert_before": 0})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    // Remove: every occurrence of a URI, or one position of it.
    let (status, _) = call(
        &env,
        Method::DELETE,
        &format!("/playlists/{id}/items"),
        &t,
        Some(json!({"items": [{"uri": uris[5]}]})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    expected.retain(|u| *u != uris[5]);
    assert_eq!(item_uris(&env, &id, &t).await, expected);
    let current = env.ok(&format!("/playlists/{id}"), &t).await["snapshot_id"]
        .as_str()
        .expect("s")
        .to_owned();
    let (status, body) = call(
        &env,
        Method::DELETE,
        &format!("/playlists/{id}/items"),
        &t,
        Some(json!({"items": [{"uri": expected[0], "positions": [0]}], "snapshot_id": current})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    expected.remove(0);
    assert_eq!(item_uris(&env, &id, &t).await, expected);

    // Replace everything.
    let (status, _) = call(
        &env,
        Method::PUT,
        &format!("/playlists/{id}/items"),
        &t,
        Some(json!({"uris": uris[..3]})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(item_uris(&env, &id, &t).await, uris[..3].to_vec());

    // Details.
    let (status, _) = call(
        &env,
        Method::PUT,
        &format!("/playlists/{id}"),
        &t,
        Some(json!({"name": "Renamed", "description": "new"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let p = env.ok(&format!("/playlists/{id}"), &t).await;
    assert_eq!(
        (p["name"].as_str(), p["description"].as_str()),
        (Some("Renamed"), Some("new"))
    );
}

#[tokio::test]
async fn playlist_write_rules() {
    let env = start(Sandbox::builder().seed(8).liked(20)).await;
    let t = env.all_scopes().await;
    let other = env
        .playlist(|p| p["owner"] != "demo" && p["collaborative"] == false)
        .await;
    let oid = other["id"].as_str().expect("id");
    let uri = liked_uris(&env, &t, 1).await.remove(0);
    let (status, body) = call(
        &env,
        Method::POST,
        &format!("/playlists/{oid}/items"),
        &t,
        Some(json!({"uris": [uri]})),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let collab = env.playlist(|p| p["collaborative"] == true).await;
    let (status, _) = call(
        &env,
        Method::POST,
        &format!("/playlists/{}/items", collab["id"].as_str().expect("id")),
        &t,
        Some(json!({"uris": [uri]})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "collaborators may add");
    // Scopes follow the playlist's visibility.
    let public_only = env.token(&["playlist-modify-public"]).await;
    let (status, _) = call(
        &env,
        Method::POST,
        "/me/playlists",
        &public_only,
        Some(json!({"name": "x", "public": false})),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = call(
        &env,
        Method::POST,
        "/me/playlists",
        &t,
        Some(json!({"public": true})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    // Dev Mode: the old write paths are gone.
    let own = env.playlist(|p| p["owner"] == "demo").await;
    let (status, _) = call(
        &env,
        Method::POST,
        &format!("/playlists/{}/tracks", own["id"].as_str().expect("id")),
        &t,
        Some(json!({"uris": [uri]})),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = call(
        &env,
        Method::POST,
        "/users/demo/playlists",
        &t,
        Some(json!({"name": "old"})),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let ext = start(Sandbox::builder().seed(8).liked(20).mode(Mode::Extended)).await;
    let t = ext.all_scopes().await;
    let (status, body) = call(
        &ext,
        Method::POST,
        "/users/lena-s/playlists",
        &t,
        Some(json!({"name": "theirs"})),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        body["error"]["message"],
        "You cannot create a playlist for another user"
    );
    let (status, created) = call(
        &ext,
        Method::POST,
        "/users/demo/playlists",
        &t,
        Some(json!({"name": "mine"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let id = created["id"].as_str().expect("id");
    let (status, _) = call(
        &ext,
        Method::POST,
        &format!("/playlists/{id}/tracks"),
        &t,
        Some(json!({"uris": [uri]})),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::CREATED,
        "Extended Quota keeps /tracks writes"
    );
    let (status, _) = call(
        &ext,
        Method::DELETE,
        &format!("/playlists/{id}/tracks"),
        &t,
        Some(json!({"tracks": [{"uri": uri}]})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        ext.ok(&format!("/playlists/{id}"), &t).await["tracks"]["total"],
        0
    );
}

#[tokio::test]
async fn library_saves_removes_and_contains() {
    let env = start(Sandbox::builder().seed(8).liked(20)).await;
    let t = env.all_scopes().await;
    let album = env.ok("/me/albums?limit=1", &t).await["items"][0]["album"].clone();
    let track = album["tracks"]["items"][0]["uri"]
        .as_str()
        .expect("uri")
        .to_owned();
    let artist = album["artists"][0]["uri"].as_str().expect("uri").to_owned();
    let uris = format!("{track},{artist}");
    let before = env
        .ok(&format!("/me/library/contains?uris={uris}"), &t)
        .await;
    let (status, _) = call(
        &env,
        Method::PUT,
        &format!("/me/library?uris={uris}"),
        &t,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        env.ok(&format!("/me/library/contains?uris={uris}"), &t)
            .await,
        json!([true, true])
    );
    assert_eq!(
        env.ok("/me/tracks?limit=1", &t).await["items"][0]["track"]["uri"],
        track,
        "newest first"
    );
    let (status, _) = call(
        &env,
        Method::DELETE,
        &format!("/me/library?uris={uris}"),
        &t,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        env.ok(&format!("/me/library/contains?uris={uris}"), &t)
            .await,
        json!([false, false])
    );
    assert!(before.is_array());
    let many = vec![track.as_str(); 41].join(",");
    let (status, _) = call(
        &env,
        Method::PUT,
        &format!("/me/library?uris={many}"),
        &t,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let read_only = env.token(&["user-library-read"]).await;
    let (status, _) = call(
        &env,
        Method::PUT,
        &format!("/me/library?uris={track}"),
        &read_only,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // The per-type endpoints are gone for Development-Mode apps.
    let id = track.rsplit(':').next().expect("id");
    let (status, _) = call(&env, Method::PUT, &format!("/me/tracks?ids={id}"), &t, None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let ext = start(Sandbox::builder().seed(8).liked(20).mode(Mode::Extended)).await;
    let t = ext.all_scopes().await;
    let (status, _) = call(
        &ext,
        Method::PUT,
        "/me/tracks",
        &t,
        Some(json!({"ids": [id]})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        ext.ok(&format!("/me/tracks/contains?ids={id}"), &t).await,
        json!([true])
    );
    let artist_id = artist.rsplit(':').next().expect("id");
    let (status, _) = call(
        &ext,
        Method::PUT,
        &format!("/me/following?type=artist&ids={artist_id}"),
        &t,
        None,
    )
    .await;
    assert_eq!(
        status,
        StatusCode::NO_CONTENT,
        "following answers 204 as documented"
    );
    assert_eq!(
        ext.ok(
            &format!("/me/following/contains?type=artist&ids={artist_id}"),
            &t
        )
        .await,
        json!([true])
    );
}

#[tokio::test]
async fn player_commands_and_errors() {
    let env = start(Sandbox::builder().seed(8).liked(20)).await;
    let t = env.all_scopes().await;
    let r = env.get("/me/player", &t).await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT, "nothing active yet");
    let (status, body) = call(&env, Method::PUT, "/me/player/pause", &t, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"]["reason"], "NO_ACTIVE_DEVICE");

    let devices = env.ok("/me/player/devices", &t).await;
    let device = devices["devices"][1]["id"].as_str().expect("id").to_owned();
    let album = env.ok("/me/albums?limit=1", &t).await["items"][0]["album"].clone();
    let (status, body) = call(
        &env,
        Method::PUT,
        &format!("/me/player/play?device_id={device}"),
        &t,
        Some(json!({"context_uri": album["uri"], "offset": {"position": 1}, "position_ms": 1000})),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let state = env.ok("/me/player", &t).await;
    assert_eq!(state["is_playing"], true);
    assert_eq!(state["device"]["id"], device);
    assert_eq!(state["item"]["id"], album["tracks"]["items"][1]["id"]);
    assert_eq!(state["context"]["uri"], album["uri"]);
    assert!(state["progress_ms"].as_u64() >= Some(1000));

    let (status, _) = call(&env, Method::POST, "/me/player/next", &t, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(
        env.ok("/me/player/currently-playing", &t).await["item"]["id"],
        album["tracks"]["items"][2]["id"]
    );
    let queued = album["tracks"]["items"][0]["uri"].as_str().expect("uri");
    let (status, _) = call(
        &env,
        Method::POST,
        &format!("/me/player/queue?uri={queued}"),
        &t,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(
        env.ok("/me/player/queue", &t).await["queue"][0]["uri"],
        queued
    );
    for (path, ok) in [
        ("/me/player/seek?position_ms=5000", true),
        ("/me/player/repeat?state=context", true),
        ("/me/player/repeat?state=loud", false),
        ("/me/player/volume?volume_percent=30", true),
        ("/me/player/volume?volume_percent=130", false),
        ("/me/player/shuffle?state=true", true),
        ("/me/player/pause", true),
    ] {
        let (status, body) = call(&env, Method::PUT, path, &t, None).await;
        assert_eq!(status.is_success(), ok, "{path}: {status} {body}");
    }
    let state = env.ok("/me/player", &t).await;
    assert_eq!(
        (
            state["is_playing"].as_bool(),
            state["repeat_state"].as_str(),
            state["shuffle_state"].as_bool()
        ),
        (Some(false), Some("context"), Some(true))
    );
    assert_eq!(state["device"]["volume_percent"], 30);
    let (status, body) = call(&env, Method::PUT, "/me/player/pause", &t, None).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "already paused: {body}");

    // Free accounts cannot control playback.
    let free = env
        .sb
        .token("mixtape_mara", spotkit_sandbox::tokens::ALL_SCOPES)
        .await
        .expect("token")
        .access_token;
    let (status, body) = call(
        &env,
        Method::PUT,
        &format!("/me/player/play?device_id={device}"),
        &free,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(body["error"]["reason"], "PREMIUM_REQUIRED");
}

#[tokio::test]
async fn removed_operations_answer_403_in_dev_and_serve_in_extended() {
    let dev = start(Sandbox::builder().seed(8).liked(20)).await;
    let ext = start(Sandbox::builder().seed(8).liked(20).mode(Mode::Extended)).await;
    let (td, te) = (dev.all_scopes().await, ext.all_scopes().await);
    let track = ext.ok("/me/tracks?limit=2", &te).await;
    let (t0, t1) = (
        track["items"][0]["track"]["id"].as_str().expect("id"),
        track["items"][1]["track"]["id"].as_str().expect("id"),
    );
    let artist = track["items"][0]["track"]["artists"][0]["id"]
        .as_str()
        .expect("id");
    for path in [
        format!("/tracks?ids={t0},{t1},0000000000000000000000"),
        format!("/artists/{artist}/top-tracks"),
        format!("/artists/{artist}/related-artists"),
        format!("/audio-features/{t0}"),
        format!("/audio-features?ids={t0}"),
        format!("/audio-analysis/{t0}"),
        format!("/recommendations?seed_tracks={t0}"),
        "/recommendations/available-genre-seeds".into(),
        "/browse/categories".into(),
        "/browse/categories/pop".into(),
        "/browse/categories/pop/playlists".into(),
        "/browse/featured-playlists".into(),
        "/browse/new-releases".into(),
        "/markets".into(),
        "/users/lena-s".into(),
    ] {
        assert_eq!(
            dev.err(&path, &td, StatusCode::FORBIDDEN).await,
            "Forbidden",
            "{path}"
        );
        ext.ok(&path, &te).await;
    }
    let many = ext
        .ok(&format!("/tracks?ids={t0},0000000000000000000000"), &te)
        .await;
    assert_eq!(many["tracks"][0]["id"], t0);
    assert_eq!(
        many["tracks"][1],
        Value::Null,
        "unknown ids answer null in place"
    );
    ext.err("/recommendations", &te, StatusCode::BAD_REQUEST)
        .await;
}
