//! The developer account's shared quota (Spotify, July 2026) against the sandbox: its own error,
//! distinct from rate limiting, never retried, carrying when it may clear.

mod common;

use std::time::Duration;

use futures::TryStreamExt;
use serde_json::json;
use spotkit::Error;
use spotkit_sandbox::Sandbox;

use common::{control_get, control_post, count, pkce_client};

#[tokio::test]
async fn an_exhausted_quota_is_its_own_error_and_is_not_retried() {
    // A short window: its Retry-After (3 s) is one the rate-limit policy would wait out and retry.
    let sandbox = Sandbox::builder()
        .seed(31)
        .liked(10)
        .quota(Some(1), Duration::from_secs(3))
        .start()
        .await
        .unwrap();
    let (spotify, _) = pkce_client(&sandbox).await;
    spotify.users().me().send().await.unwrap();
    let started = std::time::Instant::now();
    let err = spotify.users().me().send().await.unwrap_err();
    match &err {
        Error::QuotaExceeded {
            retry_after: Some(d),
        } => assert!(
            *d <= Duration::from_secs(3) && *d >= Duration::from_secs(1),
            "{d:?}"
        ),
        other => panic!("expected QuotaExceeded with a Retry-After, got {other:?}"),
    }
    assert!(err.is_quota_exceeded());
    assert_eq!(err.status(), Some(429));
    assert!(!err.needs_login());
    assert!(err.to_string().contains("developer account"), "{err}");
    // Not a performance check: a client that waited out the Retry-After took 3 s.
    assert!(started.elapsed() < Duration::from_secs(2));
    let stats = control_get(&sandbox, "stats").await;
    assert_eq!(count(&stats, "GET /v1/me", 200), 1, "{stats}");
    assert_eq!(
        count(&stats, "GET /v1/me", 429),
        1,
        "one refusal, no retry: {stats}"
    );
}

#[tokio::test]
async fn rate_limits_keep_their_retry_policy_next_to_the_quota() {
    let sandbox = Sandbox::builder()
        .seed(32)
        .liked(10)
        .fail_429(1.0)
        .retry_after(Duration::ZERO)
        .quota(Some(100), Duration::from_secs(3600))
        .start()
        .await
        .unwrap();
    let (spotify, _) = pkce_client(&sandbox).await;
    control_post(&sandbox, "faults", &json!({"fail_429": 0.0})).await;
    spotify.users().me().send().await.unwrap();
    // Every request rate limited: the policy's 10 waits are used, then RateLimited.
    control_post(&sandbox, "faults", &json!({"fail_429": 1.0})).await;
    control_post(&sandbox, "reset-stats", &json!({})).await;
    let err = spotify.users().me().send().await.unwrap_err();
    assert!(matches!(err, Error::RateLimited { .. }), "{err:?}");
    let stats = control_get(&sandbox, "stats").await;
    assert_eq!(count(&stats, "GET /v1/me", 429), 11, "{stats}");
}

#[tokio::test]
async fn a_walk_that_meets_the_quota_stops_with_it() {
    let sandbox = Sandbox::builder()
        .seed(33)
        .liked(500)
        .quota(Some(4), Duration::from_secs(3600))
        .start()
        .await
        .unwrap();
    let (spotify, _) = pkce_client(&sandbox).await;
    let mut stream = spotify.tracks().saved().limit(50).stream();
    let mut got = 0;
    let err = loop {
        match stream.try_next().await {
            Ok(Some(_)) => got += 1,
            Ok(None) => panic!("the walk ended without meeting the quota"),
            Err(e) => break e,
        }
    };
    drop(stream);
    assert!(
        matches!(err, Error::QuotaExceeded { retry_after: Some(d) } if d > Duration::from_secs(3500)),
        "{err:?}"
    );
    assert!(got < 500);
    let stats = control_get(&sandbox, "stats").await;
    let refused = count(&stats, "GET /v1/me/tracks", 429);
    // At most one refusal per page in flight (8 at once by default), none repeated.
    assert!((1..=8).contains(&refused), "{stats}");
    assert_eq!(stats["faults"]["quota_exceeded"], refused, "{stats}");
}
