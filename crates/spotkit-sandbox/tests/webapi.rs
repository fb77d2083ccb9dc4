//! The Web API over real HTTP: tokens and scopes, paging, ids, Development-Mode vs Extended-Quota
//! shapes and rules, `fields`, search limits, library contains.

mod common;

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::Value;
use spotkit_sandbox::{Mode, Sandbox};

use common::{dev, extended, start};

#[tokio::test]
async fn bearer_tokens_are_checked() {
    let env = dev().await;
    let r = env.http.get(env.api("/me")).send().await.expect("request");
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert!(r.headers().contains_key("www-authenticate"));
    let body: Value = r.json().await.expect("json");
    assert_eq!(
        body,
        serde_json::json!({"error": {"status": 401, "message": "No token provided"}})
    );
    assert_eq!(
        env.err("/me", "garbage", StatusCode::UNAUTHORIZED).await,
        "Invalid access token"
    );
    let r = env
        .http
        .get(env.api("/me"))
        .header("authorization", "Basic abc")
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);

    let short = start(
        Sandbox::builder()
            .seed(5)
            .liked(3)
            .token_ttl(Duration::ZERO),
    )
    .await;
    let expired = short.token(&[]).await;
    assert_eq!(
        short.err("/me", &expired, StatusCode::UNAUTHORIZED).await,
        "The access token expired"
    );
}

#[tokio::test]
async fn scopes_are_enforced_per_operation() {
    let env = dev().await;
    let none = env.token(&[]).await;
    assert_eq!(
        env.err("/me/tracks", &none, StatusCode::FORBIDDEN).await,
        "Insufficient client scope"
    );
    assert_eq!(
        env.err("/me/following?type=artist", &none, StatusCode::FORBIDDEN)
            .await,
        "Insufficient client scope"
    );
    assert_eq!(
        env.err("/me/top/tracks", &none, StatusCode::FORBIDDEN)
            .await,
        "Insufficient client scope"
    );
    // /me works without scopes; /me/playlists without playlist-read-private lists public ones only.
    env.ok("/me", &none).await;
    let public_only = env.ok("/me/playlists?limit=50", &none).await;
    let all = env
        .ok(
            "/me/playlists?limit=50",
            &env.token(&["playlist-read-private"]).await,
        )
        .await;
    assert!(
        public_only["total"].as_u64() < all["total"].as_u64(),
        "{} vs {}",
        public_only["total"],
        all["total"]
    );
    assert!(
        public_only["items"]
            .as_array()
            .expect("items")
            .iter()
            .all(|p| p["public"] == true)
    );
    env.ok("/me/tracks", &env.token(&["user-library-read"]).await)
        .await;
}

#[tokio::test]
async fn profile_fields_follow_mode_and_scopes() {
    let dev = dev().await;
    let me = dev.ok("/me", &dev.all_scopes().await).await;
    assert_eq!(me["id"], "demo");
    for gone in [
        "email",
        "country",
        "product",
        "followers",
        "explicit_content",
    ] {
        assert!(
            me.get(gone).is_none(),
            "{gone} is gone for Development-Mode apps"
        );
    }
    let ext = extended().await;
    let me = ext.ok("/me", &ext.all_scopes().await).await;
    assert_eq!(me["email"], "demo@example.com");
    assert_eq!(me["product"], "premium");
    let me = ext.ok("/me", &ext.token(&[]).await).await;
    assert!(
        me.get("email").is_none() && me.get("country").is_none(),
        "needs user-read-email / user-read-private"
    );
}

#[tokio::test]
async fn paging_matches_spotify() {
    let env = dev().await;
    let t = env.all_scopes().await;
    let first = env.ok("/me/tracks?limit=7&market=SE", &t).await;
    assert_eq!(first["total"], 130);
    assert_eq!(first["limit"], 7);
    assert_eq!(first["offset"], 0);
    assert_eq!(first["previous"], Value::Null);
    assert_eq!(
        first["href"],
        env.api("/me/tracks?offset=0&limit=7&market=SE")
    );
    assert_eq!(
        first["next"],
        env.api("/me/tracks?offset=7&limit=7&market=SE")
    );
    assert_eq!(first["items"].as_array().expect("items").len(), 7);

    let default = env.ok("/me/tracks", &t).await;
    assert_eq!(default["limit"], 20);
    let last = env.ok("/me/tracks?offset=126&limit=7", &t).await;
    assert_eq!(last["items"].as_array().expect("items").len(), 4);
    assert_eq!(last["next"], Value::Null);
    assert_eq!(last["previous"], env.api("/me/tracks?offset=119&limit=7"));
    let past = env.ok("/me/tracks?offset=500", &t).await;
    assert_eq!(past["items"], serde_json::json!([]));
    assert_eq!(past["total"], 130);

    for bad in ["limit=0", "limit=51", "limit=abc", "offset=-3"] {
        let message = env
            .err(&format!("/me/tracks?{bad}"), &t, StatusCode::BAD_REQUEST)
            .await;
        assert!(message.starts_with("Invalid"), "{bad}: {message}");
    }

    // Following `next` yields every liked song exactly once, newest first.
    let all = env.all("/me/tracks?limit=50", &t, None).await;
    assert_eq!(all.len(), 130);
    let mut ids: Vec<&str> = all
        .iter()
        .map(|s| s["track"]["id"].as_str().expect("id"))
        .collect();
    let added: Vec<&str> = all
        .iter()
        .map(|s| s["added_at"].as_str().expect("added_at"))
        .collect();
    assert!(added.windows(2).all(|w| w[0] >= w[1]));
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 130);
}

#[tokio::test]
async fn ids_are_validated() {
    let env = dev().await;
    let t = env.all_scopes().await;
    assert_eq!(
        env.err("/tracks/not-an-id", &t, StatusCode::BAD_REQUEST)
            .await,
        "Invalid base62 id"
    );
    assert_eq!(
        env.err("/tracks/0000000000000000000000", &t, StatusCode::NOT_FOUND)
            .await,
        "Resource not found"
    );
    assert_eq!(
        env.err("/albums/0000000000000000000000", &t, StatusCode::NOT_FOUND)
            .await,
        "Resource not found"
    );
    assert_eq!(
        env.err(
            "/playlists/0000000000000000000000",
            &t,
            StatusCode::NOT_FOUND
        )
        .await,
        "Resource not found"
    );
    assert_eq!(
        env.err("/no/such/route", &t, StatusCode::NOT_FOUND).await,
        "Service not found"
    );

    let saved = env.ok("/me/tracks?limit=1", &t).await;
    let track = &saved["items"][0]["track"];
    let id = track["id"].as_str().expect("id");
    let fetched = env.ok(&format!("/tracks/{id}"), &t).await;
    assert_eq!(&fetched, track, "a track reads the same everywhere");
    assert_eq!(
        fetched["external_ids"]["isrc"].as_str().map(str::len),
        Some(12)
    );
    let album_id = track["album"]["id"].as_str().expect("album id");
    let album = env.ok(&format!("/albums/{album_id}"), &t).await;
    assert_eq!(album["tracks"]["total"], album["total_tracks"]);
    assert!(album["external_ids"]["upc"].is_string());
    let artist_id = track["artists"][0]["id"].as_str().expect("artist id");
    assert_eq!(
        env.ok(&format!("/artists/{artist_id}"), &t).await["type"],
        "artist"
    );
}

#[tokio::test]
async fn development_mode_rules_for_playlists() {
    let env = dev().await;
    let t = env.all_scopes().await;
    let own = env
        .playlist(|p| p["owner"] == "demo" && p["items"].as_u64() > Some(1000))
        .await;
    let id = own["id"].as_str().expect("id");
    // The old path is gone for Development-Mode apps.
    assert_eq!(
        env.err(
            &format!("/playlists/{id}/tracks"),
            &t,
            StatusCode::FORBIDDEN
        )
        .await,
        "Forbidden"
    );
    assert_eq!(
        env.err("/users/demo/playlists", &t, StatusCode::FORBIDDEN)
            .await,
        "Forbidden"
    );
    // /items: max 50, entries carry `item` (not `track`).
    env.err(
        &format!("/playlists/{id}/items?limit=51"),
        &t,
        StatusCode::BAD_REQUEST,
    )
    .await;
    let items = env
        .all(&format!("/playlists/{id}/items?limit=50"), &t, None)
        .await;
    assert_eq!(items.len() as u64, own["items"].as_u64().expect("count"));
    assert!(
        items
            .iter()
            .all(|e| e.get("item").is_some() && e.get("track").is_none())
    );
    let locals: Vec<&Value> = items.iter().filter(|e| e["is_local"] == true).collect();
    for l in &locals {
        assert_eq!(l["item"]["id"], Value::Null);
        assert!(
            l["item"]["uri"]
                .as_str()
                .expect("uri")
                .starts_with("spotify:local:")
        );
    }
    // The playlist object carries `items`, its embedded page followable on /items.
    let p = env.ok(&format!("/playlists/{id}"), &t).await;
    assert!(p.get("tracks").is_none());
    assert_eq!(p["items"]["limit"], 50);
    assert!(
        p["items"]["next"]
            .as_str()
            .expect("next")
            .contains("/items?")
    );
    // Someone else's playlist: metadata yes, items no.
    let other = env
        .playlist(|p| p["owner"] != "demo" && p["collaborative"] == false)
        .await;
    let oid = other["id"].as_str().expect("id");
    assert_eq!(
        env.err(
            &format!("/playlists/{oid}/items"),
            &t,
            StatusCode::FORBIDDEN
        )
        .await,
        "Forbidden"
    );
    let meta = env.ok(&format!("/playlists/{oid}"), &t).await;
    assert!(meta.get("items").is_none());
    assert_eq!(meta["owner"]["id"], other["owner"]);
    // A collaborative playlist the user contributes to is readable.
    let collab = env.playlist(|p| p["collaborative"] == true).await;
    env.ok(
        &format!("/playlists/{}/items", collab["id"].as_str().expect("id")),
        &t,
    )
    .await;
    // The simplified list links `/items` with totals.
    let list = env.all("/me/playlists?limit=50", &t, None).await;
    let listed = list.iter().find(|p| p["id"] == id).expect("listed");
    assert_eq!(listed["items"]["total"], own["items"]);
    assert!(listed.get("tracks").is_none());
}

#[tokio::test]
async fn extended_quota_keeps_the_old_shapes() {
    let env = extended().await;
    let t = env.all_scopes().await;
    let other = env
        .playlist(|p| p["owner"] != "demo" && p["public"] == true && p["collaborative"] == false)
        .await;
    let id = other["id"].as_str().expect("id");
    let tracks = env
        .all(&format!("/playlists/{id}/tracks?limit=100"), &t, None)
        .await;
    assert_eq!(tracks.len() as u64, other["items"].as_u64().expect("count"));
    assert!(
        tracks
            .iter()
            .all(|e| e.get("track").is_some() && e.get("item").is_none())
    );
    env.err(
        &format!("/playlists/{id}/tracks?limit=101"),
        &t,
        StatusCode::BAD_REQUEST,
    )
    .await;
    let p = env.ok(&format!("/playlists/{id}"), &t).await;
    assert!(p.get("items").is_none());
    assert_eq!(p["tracks"]["limit"], 100);
    assert!(p["followers"]["total"].is_u64());
    let users = env.ok("/users/demo/playlists", &t).await;
    assert!(users["total"].as_u64() > Some(0));
    let track = &tracks[0]["track"];
    assert!(track.get("popularity").is_some() || track["type"] == "episode");
    let liked = env.ok("/me/tracks?limit=1", &t).await;
    assert!(liked["items"][0]["track"]["popularity"].is_u64());
    assert!(liked["items"][0]["track"]["available_markets"].is_array());
}

#[tokio::test]
async fn transition_responses_carry_both_names() {
    let env = start(Sandbox::builder().seed(5).liked(10).transition(true)).await;
    let t = env.all_scopes().await;
    let own = env
        .playlist(|p| p["owner"] == "demo" && p["items"].as_u64() > Some(0))
        .await;
    let id = own["id"].as_str().expect("id");
    let p = env.ok(&format!("/playlists/{id}"), &t).await;
    assert!(p.get("items").is_some() && p.get("tracks").is_some());
    let page = env.ok(&format!("/playlists/{id}/items?limit=3"), &t).await;
    let entry = &page["items"][0];
    assert_eq!(entry["item"], entry["track"]);
}

#[tokio::test]
async fn fields_filter_playlist_reads() {
    let env = dev().await;
    let t = env.all_scopes().await;
    let own = env
        .playlist(|p| p["owner"] == "demo" && p["items"].as_u64() > Some(10))
        .await;
    let id = own["id"].as_str().expect("id");
    let p = env
        .ok(
            &format!("/playlists/{id}?fields=name,items(total,items(item(name,artists(name))))"),
            &t,
        )
        .await;
    let keys: Vec<&String> = p.as_object().expect("object").keys().collect();
    assert_eq!(keys, ["name", "items"]);
    let first = &p["items"]["items"][0]["item"];
    assert!(first["name"].is_string());
    assert!(first.get("album").is_none() && first.get("id").is_none());
    let page = env
        .ok(
            &format!("/playlists/{id}/items?fields=total,items.added_at&limit=2"),
            &t,
        )
        .await;
    assert_eq!(
        page,
        serde_json::json!({"items": [{"added_at": page["items"][0]["added_at"]}, {"added_at": page["items"][1]["added_at"]}], "total": own["items"]})
    );
    env.err(
        &format!("/playlists/{id}?fields=items("),
        &t,
        StatusCode::BAD_REQUEST,
    )
    .await;
}

#[tokio::test]
async fn search_limits_and_filters() {
    let env = dev().await;
    let t = env.all_scopes().await;
    let liked = env.ok("/me/tracks?limit=1", &t).await;
    let track = &liked["items"][0]["track"];
    let isrc = track["external_ids"]["isrc"].as_str().expect("isrc");
    let found = env
        .ok(&format!("/search?q=isrc:{isrc}&type=track"), &t)
        .await;
    assert_eq!(found["tracks"]["items"][0]["id"], track["id"]);
    assert_eq!(found["tracks"]["limit"], 5, "Development Mode default");
    env.ok("/search?q=a&type=track&limit=10", &t).await;
    env.err(
        "/search?q=a&type=track&limit=11",
        &t,
        StatusCode::BAD_REQUEST,
    )
    .await;
    env.err(
        "/search?q=a&type=track&offset=1001",
        &t,
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_eq!(
        env.err("/search?type=track", &t, StatusCode::BAD_REQUEST)
            .await,
        "No search query"
    );
    env.err("/search?q=a&type=song", &t, StatusCode::BAD_REQUEST)
        .await;
    let name = track["name"].as_str().expect("name");
    let artist = track["artists"][0]["name"].as_str().expect("artist");
    let q = url::form_urlencoded::byte_serialize(
        format!("track:\"{name}\" artist:\"{artist}\"").as_bytes(),
    )
    .collect::<String>();
    let found = env
        .ok(&format!("/search?q={q}&type=track,artist&limit=10"), &t)
        .await;
    assert!(
        found["tracks"]["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|i| i["id"] == track["id"])
    );
    assert!(found["artists"].is_object());

    let ext = extended().await;
    let page = ext
        .ok("/search?q=a&type=album", &ext.all_scopes().await)
        .await;
    assert_eq!(page["albums"]["limit"], 20, "Extended Quota default");
}

#[tokio::test]
async fn library_contains_takes_up_to_40_uris() {
    let env = dev().await;
    let t = env.all_scopes().await;
    let liked = env.ok("/me/tracks?limit=2", &t).await;
    let saved = liked["items"][0]["track"]["uri"]
        .as_str()
        .expect("uri")
        .to_owned();
    let playlist = env.playlist(|p| p["owner"] == "demo").await;
    let uris = format!(
        "{saved},spotify:track:0000000000000000000000,spotify:playlist:{}",
        playlist["id"].as_str().expect("id")
    );
    let answer = env
        .ok(&format!("/me/library/contains?uris={uris}"), &t)
        .await;
    assert_eq!(answer, serde_json::json!([true, false, true]));
    let many = vec![saved.as_str(); 41].join(",");
    assert_eq!(
        env.err(
            &format!("/me/library/contains?uris={many}"),
            &t,
            StatusCode::BAD_REQUEST
        )
        .await,
        "Too many ids requested"
    );
    env.err(
        "/me/library/contains?uris=spotify:track:bad",
        &t,
        StatusCode::BAD_REQUEST,
    )
    .await;
    let read_only = env.token(&["user-library-read"]).await;
    env.err(
        &format!(
            "/me/library/contains?uris=spotify:playlist:{}",
            playlist["id"].as_str().expect("id")
        ),
        &read_only,
        StatusCode::FORBIDDEN,
    )
    .await;
}

#[tokio::test]
async fn cursor_paging_of_followed_artists_and_recent_plays() {
    let env = dev().await;
    let t = env.all_scopes().await;
    let all = env
        .all("/me/following?type=artist&limit=7", &t, Some("artists"))
        .await;
    assert_eq!(all.len(), 30);
    let first = env.ok("/me/following?type=artist&limit=7", &t).await;
    assert_eq!(first["artists"]["cursors"]["after"], all[6]["id"]);
    assert_eq!(
        env.err("/me/following", &t, StatusCode::BAD_REQUEST).await,
        "This request requires type=artist"
    );
    let recent = env.ok("/me/player/recently-played?limit=20", &t).await;
    let next = recent["next"].as_str().expect("next");
    let older = env.ok(next, &t).await;
    assert_eq!(older["items"].as_array().expect("items").len(), 20);
    assert!(older["items"][0]["played_at"].as_str() < recent["items"][19]["played_at"].as_str());
}

#[tokio::test]
async fn modes_share_the_catalogue() {
    let dev = start(Sandbox::builder().seed(9).liked(3)).await;
    let ext = start(Sandbox::builder().seed(9).liked(3).mode(Mode::Extended)).await;
    let a = dev.ok("/me/tracks", &dev.all_scopes().await).await;
    let b = ext.ok("/me/tracks", &ext.all_scopes().await).await;
    assert_eq!(
        a["items"][2]["track"]["id"], b["items"][2]["track"]["id"],
        "same seed, same library"
    );
}
