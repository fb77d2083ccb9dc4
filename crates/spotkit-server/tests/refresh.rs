//! Token renewal: ahead of expiry, exactly once for many concurrent requests (one instance on
//! SQLite, two instances sharing PostgreSQL), and `invalid_grant` answered with a clear 401.

mod common;

use std::time::{Duration, SystemTime};

use common::*;
use futures::future::join_all;
use spotkit::token::{RefreshToken, Token};

/// Rewrites the stored token of `user` as expired (optionally with another refresh token).
async fn expire(server: &TestServer, user: &str, refresh: Option<&str>) {
    let db = server.state.db();
    let keys = server.state.keys();
    let token = spotkit_server::db::tokens::load_token(db, keys, user)
        .await
        .unwrap()
        .unwrap();
    let mut expired = token.with_expires_at(Some(SystemTime::now() - Duration::from_secs(5)));
    if let Some(r) = refresh {
        expired = Token::new(
            expired.access_token().clone(),
            Some(RefreshToken::new(r)),
            None,
            expired.scopes().to_vec(),
        )
        .with_expires_at(Some(SystemTime::now() - Duration::from_secs(5)));
    }
    spotkit_server::db::tokens::save_token(db, keys, user, &expired)
        .await
        .unwrap();
    server.state.forget_client(user);
}

async fn hammer(urls: &[String], client: &reqwest::Client, n: usize) {
    let requests = (0..n).map(|i| {
        let url = format!("{}/playlists", urls[i % urls.len()]);
        let client = client.clone();
        async move {
            let r = client.get(url).send().await.unwrap();
            let status = r.status();
            (status, r.text().await.unwrap())
        }
    });
    for (status, body) in join_all(requests).await {
        assert_eq!(status, 200, "{body}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_concurrent_requests_refresh_once_on_sqlite() {
    let sandbox = sandbox().await;
    let server = server(&sandbox).await;
    let client = browser_login(&server, "demo").await;
    expire(&server, "demo", None).await;
    reset_stats(&sandbox).await;
    hammer(std::slice::from_ref(&server.url), &client, 200).await;
    let stats = stats(&sandbox).await;
    assert_eq!(stats["refreshes"], 1, "{stats}");
    // The renewed token was stored (and is fresh), so the next requests do not refresh.
    let me = json(
        client
            .get(format!("{}/me", server.url))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert!(
        me["token_expires_at"].as_i64().unwrap() > spotkit_server::db::now() + 600,
        "{me}"
    );
    hammer(std::slice::from_ref(&server.url), &client, 10).await;
    assert_eq!(stats_refreshes(&sandbox).await, 1);
}

async fn stats_refreshes(sandbox: &spotkit_sandbox::RunningSandbox) -> u64 {
    stats(sandbox).await["refreshes"].as_u64().unwrap()
}

#[tokio::test]
async fn a_refused_refresh_token_asks_for_a_new_login() {
    let sandbox = sandbox().await;
    let server = server(&sandbox).await;
    let client = browser_login(&server, "demo").await;
    expire(&server, "demo", Some("revoked-refresh-token")).await;
    let r = client
        .get(format!("{}/playlists", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let body = json(r).await;
    assert_eq!(body["error"]["code"], "reauth_required", "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("/login"),
        "{body}"
    );
    // Remembered: the session ended with the Spotify login (issue #18), no token is kept, and
    // the user is marked until the next login.
    let r = client
        .get(format!("{}/me", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(json(r).await["error"]["code"], "unauthenticated");
    let marked = spotkit_server::db::tokens::user(server.state.db(), "demo")
        .await
        .unwrap()
        .unwrap();
    assert!(marked.needs_reauth);
    assert!(
        spotkit_server::db::tokens::load_token(server.state.db(), server.state.keys(), "demo")
            .await
            .unwrap()
            .is_none()
    );
    // Logging in again clears it.
    let again = browser_login(&server, "demo").await;
    let me = json(
        again
            .get(format!("{}/me", server.url))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(me["needs_reauth"], false);
    let r = again
        .get(format!("{}/playlists", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_on_one_postgres_refresh_once() {
    let Some(pg) = common::postgres::Postgres::start() else {
        return;
    };
    let sandbox = sandbox().await;
    let one = server_with(&sandbox, Some(pg.url()), |_| {}).await;
    let two = server_with(&sandbox, Some(pg.url()), |_| {}).await;
    let client = browser_login(&one, "demo").await;
    // The session lives in the shared database: the cookie works on both instances.
    let me = json(client.get(format!("{}/me", two.url)).send().await.unwrap()).await;
    assert_eq!(me["id"], "demo");
    expire(&one, "demo", None).await;
    two.state.forget_client("demo");
    reset_stats(&sandbox).await;
    hammer(&[one.url.clone(), two.url.clone()], &client, 200).await;
    let stats = stats(&sandbox).await;
    assert_eq!(stats["refreshes"], 1, "{stats}");
    // Both instances see the renewed token.
    for s in [&one, &two] {
        let me = json(client.get(format!("{}/me", s.url)).send().await.unwrap()).await;
        assert!(
            me["token_expires_at"].as_i64().unwrap() > spotkit_server::db::now() + 600,
            "{me}"
        );
    }
}

/// Issue #25: the developer account's shared quota is not the user's fault: the calling app gets
/// a 429 it can tell apart from a rate limit, and the user's login stays as it is.
#[tokio::test]
async fn a_spotify_quota_answer_is_reported_as_such_and_keeps_the_login() {
    let sandbox = sandbox().await;
    let server = server(&sandbox).await;
    let client = browser_login(&server, "demo").await;
    let quota = |body: serde_json::Value| {
        let url = format!("{}/_sandbox/quota", sandbox.url());
        async move {
            let r = spotkit::http::client()
                .unwrap()
                .post(url)
                .json(&body)
                .send()
                .await
                .unwrap();
            assert!(r.status().is_success());
        }
    };
    quota(serde_json::json!({"requests": 0, "window_secs": 3600})).await;
    reset_stats(&sandbox).await;
    let r = client
        .get(format!("{}/playlists", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429);
    let wait: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((3590..=3600).contains(&wait), "{wait}");
    let body = json(r).await;
    assert_eq!(body["error"]["status"], 429, "{body}");
    assert_eq!(body["error"]["code"], "spotify_quota_exceeded", "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("developer account"),
        "{body}"
    );
    // Asked once: the quota is not waited out or retried behind the app's back.
    let stats = stats(&sandbox).await;
    assert_eq!(stats["faults"]["quota_exceeded"], 1, "{stats}");
    // The login is intact: not marked, token kept, and it works once the quota is back.
    let me = json(
        client
            .get(format!("{}/me", server.url))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(me["needs_reauth"], false, "{me}");
    assert!(
        spotkit_server::db::tokens::load_token(server.state.db(), server.state.keys(), "demo")
            .await
            .unwrap()
            .is_some()
    );
    quota(serde_json::json!({"requests": null})).await;
    let r = client
        .get(format!("{}/playlists", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}
