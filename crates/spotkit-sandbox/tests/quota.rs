//! The per-developer-account quota (Spotify, July 2026): the exact 429 body, shared by the apps of
//! one account, separate from the rate limit, and driven through the control plane.

mod common;

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};
use spotkit_sandbox::{ClientApp, Sandbox};

use common::start;

fn app(id: &str) -> ClientApp {
    ClientApp {
        id: id.into(),
        secret: format!("{id}-secret"),
        redirect_uris: vec!["http://127.0.0.1:9000/callback".into()],
        any_loopback_port: false,
    }
}

async fn token_for(env: &common::Env, client_id: &str) -> String {
    let r: Value = env
        .http
        .post(format!("{}/_sandbox/token", env.sb.url()))
        .json(&json!({"client_id": client_id}))
        .send()
        .await
        .expect("token")
        .json()
        .await
        .expect("json");
    r["access_token"].as_str().expect("access_token").to_owned()
}

#[tokio::test]
async fn an_exhausted_quota_answers_spotifys_body_with_retry_after() {
    let env = start(
        Sandbox::builder()
            .seed(2)
            .liked(5)
            .quota(Some(3), Duration::from_secs(600)),
    )
    .await;
    let t = env.all_scopes().await;
    for _ in 0..3 {
        env.ok("/me", &t).await;
    }
    let r = env.get("/me/tracks", &t).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = r.headers()["retry-after"]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds");
    assert!((599..=600).contains(&wait), "{wait}");
    let body: Value = r.json().await.expect("json");
    // Verbatim from Spotify's July 2026 Web API changelog.
    assert_eq!(
        body,
        json!({"error": {"status": 429, "message": "Too many requests", "reason": "QUOTA_EXCEEDED"}})
    );
    let stats = env.stats().await;
    assert_eq!(stats["faults"]["quota_exceeded"], 1);
    assert_eq!(stats["requests"]["GET /v1/me/tracks"]["429"], 1);
    // Token requests are the accounts service's, not the Web API's: they still work.
    let _ = env.all_scopes().await;

    let view: Value = env
        .http
        .get(format!("{}/_sandbox/quota", env.sb.url()))
        .send()
        .await
        .expect("quota")
        .json()
        .await
        .expect("json");
    assert_eq!(view["requests"], 3);
    assert_eq!(view["usage"]["default"]["used"], 3);
    assert_eq!(view["usage"]["default"]["remaining"], 0);
}

#[tokio::test]
async fn apps_of_one_developer_account_share_its_quota() {
    let env = start(
        Sandbox::builder()
            .seed(2)
            .liked(5)
            .client(app("mine-a"))
            .client(app("mine-b"))
            .client(app("theirs"))
            .account("me", &["mine-a", "mine-b"])
            .account("someone-else", &["theirs"])
            .quota(Some(4), Duration::from_secs(600)),
    )
    .await;
    let a = token_for(&env, "mine-a").await;
    let b = token_for(&env, "mine-b").await;
    let theirs = token_for(&env, "theirs").await;
    for _ in 0..2 {
        env.ok("/me", &a).await;
        env.ok("/me", &b).await;
    }
    for t in [&a, &b] {
        assert_eq!(
            env.get("/me", t).await.status(),
            StatusCode::TOO_MANY_REQUESTS
        );
    }
    // Another account's quota is its own.
    env.ok("/me", &theirs).await;
    // The demo app is in no named account: the default one, untouched so far.
    env.ok("/me", &env.all_scopes().await).await;
}

#[tokio::test]
async fn the_control_plane_sets_and_resets_the_quota() {
    let env = common::dev().await;
    let base = env.sb.url().to_owned();
    let t = env.all_scopes().await;
    env.ok("/me", &t).await;
    let set: Value = env
        .http
        .post(format!("{base}/_sandbox/quota"))
        .json(&json!({"requests": 1, "window_secs": 3600}))
        .send()
        .await
        .expect("set")
        .json()
        .await
        .expect("json");
    assert_eq!(set["requests"], 1);
    assert_eq!(set["window_secs"], 3600);
    env.ok("/me", &t).await;
    assert_eq!(
        env.get("/me", &t).await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );

    let r = env
        .http
        .post(format!("{base}/_sandbox/quota/reset"))
        .send()
        .await
        .expect("reset");
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    env.ok("/me", &t).await;
    assert_eq!(
        env.get("/me", &t).await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );

    let r = env
        .http
        .post(format!("{base}/_sandbox/quota"))
        .json(&json!({"requests": null}))
        .send()
        .await
        .expect("off");
    assert!(r.status().is_success());
    env.ok("/me", &t).await;

    let r = env
        .http
        .post(format!("{base}/_sandbox/quota"))
        .json(&json!({"per_day": 5}))
        .send()
        .await
        .expect("call");
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_window_that_closes_restores_the_quota() {
    let env = start(
        Sandbox::builder()
            .seed(2)
            .liked(5)
            .quota(Some(1), Duration::from_secs(1)),
    )
    .await;
    let t = env.all_scopes().await;
    env.ok("/me", &t).await;
    let r = env.get("/me", &t).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(r.headers()["retry-after"], "1");
    tokio::time::sleep(Duration::from_millis(1100)).await;
    env.ok("/me", &t).await;
}

#[tokio::test]
async fn rate_limit_and_quota_work_together() {
    let env = start(
        Sandbox::builder()
            .seed(2)
            .liked(5)
            .rate_limit(Some(2))
            .quota(Some(3), Duration::from_secs(600)),
    )
    .await;
    let t = env.all_scopes().await;
    env.ok("/me", &t).await;
    env.ok("/me", &t).await;
    // The rate limit speaks first, with its own body, and spends no quota.
    let r = env.get("/me", &t).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let body: Value = r.json().await.expect("json");
    assert_eq!(body["error"]["message"], "API rate limit exceeded");
    assert!(body["error"].get("reason").is_none(), "{body}");
    // Lift the rate limit: one request of the quota is left, then QUOTA_EXCEEDED.
    env.http
        .post(format!("{}/_sandbox/faults", env.sb.url()))
        .json(&json!({"rate_limit": null}))
        .send()
        .await
        .expect("faults");
    env.ok("/me", &t).await;
    let r = env.get("/me", &t).await;
    let body: Value = r.json().await.expect("json");
    assert_eq!(body["error"]["reason"], "QUOTA_EXCEEDED");
    let stats = env.stats().await;
    assert_eq!(stats["faults"]["rate_limited"], 1);
    assert_eq!(stats["faults"]["quota_exceeded"], 1);
}

#[test]
fn flags_configure_the_quota_and_accounts() {
    use clap::Parser as _;
    let config = spotkit_sandbox::cli::Args::parse_from([
        "spotkit-sandbox",
        "--quota",
        "100",
        "--quota-window",
        "3600",
        "--account",
        "me:app-a,app-b",
    ])
    .into_config()
    .expect("valid flags");
    assert_eq!(config.quota.requests, Some(100));
    assert_eq!(config.quota.window_secs, 3600);
    assert_eq!(config.quota.account_of("app-b"), "me");
    assert_eq!(config.quota.account_of("spotkit-demo"), "default");
    let bad = spotkit_sandbox::cli::Args::parse_from(["spotkit-sandbox", "--account", "me"])
        .into_config();
    assert!(bad.is_err());
}
