//! The page cache of the library list routes: a cached page is the same bytes and headers as the
//! rendered one, every write makes the next read render again, and the address the client used is
//! part of the key.

mod common;

use reqwest::StatusCode;
use reqwest::header::{CONTENT_LENGTH, CONTENT_TYPE, HOST};
use serde_json::Value;
use spotkit_sandbox::{Mode, Sandbox};

use common::{Env, start};

const ROUTES: &[&str] = &[
    "/me/tracks",
    "/me/albums",
    "/me/shows",
    "/me/episodes",
    "/me/audiobooks",
    "/me/top/artists",
    "/me/top/tracks",
];

const QUERIES: &[&str] = &[
    "",
    "?limit=50",
    "?limit=50&offset=50",
    "?offset=100&limit=7&market=SE",
    "?market=from_token&limit=3",
    "?offset=100000&limit=50",
    "?time_range=long_term&limit=5",
];

/// Status, `Content-Type`, `Content-Length` and body of a GET.
async fn fetch(env: &Env, url: &str, token: &str) -> (StatusCode, String, String, Vec<u8>) {
    let r = env.get(url, token).await;
    let header = |name| {
        r.headers()
            .get(name)
            .map(|v: &reqwest::header::HeaderValue| v.to_str().expect("ascii").to_owned())
            .unwrap_or_default()
    };
    let (status, ty, len) = (r.status(), header(CONTENT_TYPE), header(CONTENT_LENGTH));
    let body = r.bytes().await.expect("body").to_vec();
    (status, ty, len, body)
}

async fn check_hits_equal_misses(env: &Env) {
    let token = env.all_scopes().await;
    let mut pages = 0;
    for route in ROUTES {
        for query in QUERIES {
            let url = format!("{route}{query}");
            let miss = fetch(env, &url, &token).await;
            assert_eq!(miss.0, StatusCode::OK, "GET {url}");
            assert_eq!(miss.1, "application/json", "GET {url}");
            let hit = fetch(env, &url, &token).await;
            assert_eq!(
                hit, miss,
                "GET {url}: the second answer differs from the first"
            );
            let page: Value = serde_json::from_slice(&miss.3).expect("json");
            assert!(page["items"].is_array(), "GET {url}: {page}");
            pages += 1;
        }
    }
    let cached = spotkit_sandbox::state::lock(&env.sb.state().responses).len();
    assert_eq!(cached, pages, "one cached body per distinct request");
}

#[tokio::test]
async fn cached_pages_are_the_rendered_bytes_in_every_mode() {
    for builder in [
        Sandbox::builder().mode(Mode::Dev),
        Sandbox::builder().mode(Mode::Extended),
        Sandbox::builder().mode(Mode::Dev).transition(true),
        Sandbox::builder().mode(Mode::Extended).transition(true),
    ] {
        check_hits_equal_misses(&start(builder.seed(9).liked(160).albums(60)).await).await;
    }
}

#[tokio::test]
async fn a_write_makes_the_next_read_render_again() {
    let env = start(Sandbox::builder().seed(9).liked(60).mode(Mode::Extended)).await;
    let token = env.all_scopes().await;
    let before = env.ok("/me/tracks?limit=50", &token).await;
    assert_eq!(before["total"], 60);
    // A track of the catalogue that is not liked yet: the first item of a playlist the user owns.
    let liked: Vec<String> = before["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["track"]["uri"].as_str().expect("uri").to_owned())
        .collect();
    let playlists = env.ok("/me/playlists?limit=50", &token).await;
    let mut candidate = None;
    for p in playlists["items"].as_array().expect("items") {
        let id = p["id"].as_str().expect("id");
        let items = env
            .ok(&format!("/playlists/{id}/tracks?limit=50"), &token)
            .await;
        candidate = items["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter_map(|i| i["track"]["uri"].as_str())
            .find(|u| u.starts_with("spotify:track:") && !liked.iter().any(|l| l == u))
            .map(str::to_owned);
        if candidate.is_some() {
            break;
        }
    }
    let uri = candidate.expect("a track that is not liked");
    let r = env
        .http
        .put(env.api(&format!("/me/library?uris={uri}")))
        .bearer_auth(&token)
        .send()
        .await
        .expect("save");
    assert_eq!(r.status(), StatusCode::OK);
    let after = env.ok("/me/tracks?limit=50", &token).await;
    assert_eq!(after["total"], 61);
    assert_eq!(after["items"][0]["track"]["uri"], uri.as_str());
    assert_eq!(after["items"][1], before["items"][0]);

    let r = env
        .http
        .delete(env.api(&format!("/me/library?uris={uri}")))
        .bearer_auth(&token)
        .send()
        .await
        .expect("remove");
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(env.ok("/me/tracks?limit=50", &token).await, before);
}

#[tokio::test]
async fn the_address_the_client_used_is_part_of_the_key() {
    let env = start(Sandbox::builder().seed(9).liked(10)).await;
    let token = env.all_scopes().await;
    let direct = env.ok("/me/tracks", &token).await;
    let port = env.sb.addr().port();
    let renamed: Value = env
        .http
        .get(env.api("/me/tracks"))
        .header(HOST, format!("localhost:{port}"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("request")
        .json()
        .await
        .expect("json");
    assert_eq!(
        direct["href"],
        format!("{}/me/tracks?offset=0&limit=20", env.sb.api_url())
    );
    assert_eq!(
        renamed["href"],
        format!("http://localhost:{port}/v1/me/tracks?offset=0&limit=20")
    );
}

#[tokio::test]
async fn scopes_are_checked_before_the_cache() {
    let env = start(Sandbox::builder().seed(9).liked(10)).await;
    let all = env.all_scopes().await;
    env.ok("/me/tracks", &all).await;
    let none = env.token(&["user-read-private"]).await;
    env.err("/me/tracks", &none, StatusCode::FORBIDDEN).await;
}
