//! Issue #18 (Low): with `accept_spotify_bearer` on, a junk bearer token costs a Spotify call
//! (`GET /v1/me`) to find out. A refused token is remembered for a while (by its hash), and
//! every route that authenticates a caller (`/`, `/logout` too) is under the per-IP limit.

mod common;

use common::*;

async fn get_with(server: &TestServer, path: &str, token: &str) -> u16 {
    spotkit::http::client()
        .unwrap()
        .get(format!("{}{path}", server.url))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

async fn spotify_me_calls(sandbox: &spotkit_sandbox::RunningSandbox) -> u64 {
    // Per status: `{"200": n, "401": m}`.
    stats(sandbox).await["requests"]["GET /v1/me"]
        .as_object()
        .map_or(0, |by_status| {
            by_status
                .values()
                .filter_map(serde_json::Value::as_u64)
                .sum()
        })
}

#[tokio::test]
async fn a_refused_token_is_not_sent_to_spotify_again() {
    let sandbox = sandbox().await;
    let server = server_with(&sandbox, None, |c| c.accept_spotify_bearer = true).await;
    reset_stats(&sandbox).await;
    for _ in 0..4 {
        assert_eq!(get_with(&server, "/me", "junk-token").await, 401);
    }
    assert_eq!(spotify_me_calls(&sandbox).await, 1);
    // A valid token is still asked about (and then cached).
    let token = sandbox.token("demo", &[]).await.unwrap().access_token;
    assert_eq!(get_with(&server, "/me", &token).await, 200);
    assert_eq!(get_with(&server, "/me", &token).await, 200);
    assert_eq!(spotify_me_calls(&sandbox).await, 2);
}

#[tokio::test]
async fn the_home_page_and_logout_are_rate_limited_per_ip() {
    let sandbox = sandbox().await;
    let server = server_with(&sandbox, None, |c| {
        c.accept_spotify_bearer = true;
        c.rate_limits.api_per_ip_per_minute = 3;
    })
    .await;
    reset_stats(&sandbox).await;
    let mut statuses = Vec::new();
    for i in 0..5 {
        statuses.push(get_with(&server, "/", &format!("junk-{i}")).await);
    }
    assert_eq!(statuses, [200, 200, 200, 429, 429]);
    let logout = spotkit::http::client()
        .unwrap()
        .post(format!("{}/logout", server.url))
        .bearer_auth("junk-x")
        .send()
        .await
        .unwrap();
    assert_eq!(logout.status(), 429);
    assert_eq!(spotify_me_calls(&sandbox).await, 3);
}
