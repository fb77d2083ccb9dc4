//! The in-process read cache of API tokens and users (`api_cache_ms`): a revocation made
//! through this instance applies at once; one made through another instance sharing the
//! database applies within the cache's time, never later.

mod common;

use std::time::{Duration, Instant};

use common::*;

async fn revoke(server: &TestServer, refresh: &str) {
    let r = spotkit::http::client()
        .unwrap()
        .post(format!("{}/token/revoke", server.url))
        .form(&[("token", refresh)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
}

#[tokio::test]
async fn a_revocation_applies_here_at_once_and_on_another_instance_within_the_cache_time() {
    let sandbox = sandbox().await;
    let (url, _dir) = sqlite_url();
    let ttl = Duration::from_millis(400);
    let edit = |c: &mut spotkit_server::Config| c.api_cache_ms = ttl.as_millis() as u64;
    let a = server_with(&sandbox, Some(url.clone()), edit).await;
    let b = server_with(&sandbox, Some(url), edit).await;

    let tokens = mobile_tokens(&a, "demo").await;
    let access = tokens["access_token"].as_str().unwrap();
    let refresh = tokens["refresh_token"].as_str().unwrap();
    // Both instances now hold the token in their caches.
    assert_eq!(me_status(&a, access).await, 200);
    assert_eq!(me_status(&b, access).await, 200);

    revoke(&a, refresh).await;
    let revoked = Instant::now();
    assert_eq!(me_status(&a, access).await, 401, "the revoking instance");
    // The other instance learns it from the database once its entry has aged out.
    loop {
        let status = me_status(&b, access).await;
        if status == 401 {
            break;
        }
        assert_eq!(status, 200);
        assert!(
            revoked.elapsed() < ttl + Duration::from_millis(300),
            "the other instance still accepts a token revoked {:?} ago (cache time {ttl:?})",
            revoked.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

#[tokio::test]
async fn with_the_cache_off_another_instance_refuses_a_revoked_token_at_once() {
    let sandbox = sandbox().await;
    let (url, _dir) = sqlite_url();
    let edit = |c: &mut spotkit_server::Config| c.api_cache_ms = 0;
    let a = server_with(&sandbox, Some(url.clone()), edit).await;
    let b = server_with(&sandbox, Some(url), edit).await;

    let tokens = mobile_tokens(&a, "demo").await;
    let access = tokens["access_token"].as_str().unwrap();
    assert_eq!(me_status(&b, access).await, 200);
    revoke(&a, tokens["refresh_token"].as_str().unwrap()).await;
    assert_eq!(me_status(&b, access).await, 401);
}
