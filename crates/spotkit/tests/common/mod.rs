//! Shared helpers for the tests that run against the in-process sandbox over real HTTP.
#![allow(dead_code)] // each test binary uses a different part

pub mod operations;

use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use spotkit::auth::ClientSecret;
use spotkit::http::RetryPolicy;
use spotkit::token::{AccessToken, MemoryStore, RefreshToken, Token, TokenStore};
use spotkit::{Spotify, SpotifyBuilder};
use spotkit_sandbox::{RunningSandbox, SandboxToken};

pub const CLIENT_ID: &str = "spotkit-demo";
pub const CLIENT_SECRET: &str = "spotkit-demo-secret";

pub const LIBRARY_SCOPES: &[&str] = &[
    "user-library-read",
    "playlist-read-private",
    "playlist-read-collaborative",
    "user-follow-read",
    "user-top-read",
    "user-read-recently-played",
    "user-read-private",
    "user-read-email",
    "user-read-playback-position",
];

/// A spotkit token from a sandbox token.
pub fn token_of(t: &SandboxToken) -> Token {
    Token::new(
        AccessToken::new(t.access_token.clone()),
        t.refresh_token.clone().map(RefreshToken::new),
        Some(Duration::from_secs(t.expires_in)),
        t.scope.split_whitespace().map(str::to_owned).collect(),
    )
}

/// A builder pointed at `sandbox`, with retries fast enough for tests.
pub fn builder(sandbox: &RunningSandbox) -> SpotifyBuilder {
    Spotify::builder()
        .api_base_url(sandbox.api_url())
        .accounts_base_url(sandbox.accounts_url())
        .retry_policy(test_retries())
}

/// The default policy, with more attempts so injected faults at 10-20 % never exhaust them
/// (0.12^10 ≈ 6e-10 per request) and shorter backoff so tests stay quick.
pub fn test_retries() -> RetryPolicy {
    RetryPolicy::default()
        .max_attempts(10)
        .base_delay(Duration::from_millis(10))
        .max_delay(Duration::from_millis(200))
}

/// A PKCE client for the demo user, its rotating token saved in a memory store.
pub async fn pkce_client(sandbox: &RunningSandbox) -> (Spotify, Arc<MemoryStore>) {
    let issued = sandbox.pkce_token("demo", LIBRARY_SCOPES).await.unwrap();
    let store = Arc::new(MemoryStore::new());
    store.save("default", &token_of(&issued)).await.unwrap();
    let spotify = builder(sandbox)
        .pkce(CLIENT_ID)
        .shared_token_store(store.clone(), "default")
        .build()
        .unwrap();
    (spotify, store)
}

/// An Authorization Code (confidential) client for the demo user.
pub async fn code_client(sandbox: &RunningSandbox) -> Spotify {
    let issued = sandbox.token("demo", LIBRARY_SCOPES).await.unwrap();
    builder(sandbox)
        .authorization_code(CLIENT_ID, ClientSecret::new(CLIENT_SECRET))
        .token(token_of(&issued))
        .build()
        .unwrap()
}

/// `GET` a control-plane path.
pub async fn control_get(sandbox: &RunningSandbox, path: &str) -> Value {
    spotkit::http::client()
        .unwrap()
        .get(format!("{}/_sandbox/{path}", sandbox.url()))
        .send()
        .await
        .unwrap()
        .error_for_status()
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// `POST` JSON to a control-plane path.
pub async fn control_post(sandbox: &RunningSandbox, path: &str, body: &Value) -> Value {
    spotkit::http::client()
        .unwrap()
        .post(format!("{}/_sandbox/{path}", sandbox.url()))
        .json(body)
        .send()
        .await
        .unwrap()
        .error_for_status()
        .unwrap()
        .json()
        .await
        .unwrap_or(Value::Null)
}

/// The demo user's totals from `/_sandbox/catalog`.
pub async fn demo_catalog(sandbox: &RunningSandbox) -> Value {
    control_get(sandbox, "catalog").await["users"]["demo"].clone()
}

/// How often `key` (`"POST /api/token"`) was answered with `status`.
pub fn count(stats: &Value, key: &str, status: u16) -> u64 {
    stats["requests"][key][status.to_string()]
        .as_u64()
        .unwrap_or(0)
}
