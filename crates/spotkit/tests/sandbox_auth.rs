//! Every grant and its failures, rotation and single-flight refresh, against the sandbox over
//! real HTTP.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::{
    CLIENT_ID, CLIENT_SECRET, LIBRARY_SCOPES, builder, control_get, control_post, count,
    pkce_client, token_of,
};
use serde_json::json;
use spotkit::auth::{ClientSecret, LoopbackConfig, LoopbackListener, RedirectUri};
use spotkit::token::{FileStore, MemoryStore, RefreshToken, Token, TokenStore};
use spotkit::{Error, Spotify};
use spotkit_sandbox::{RunningSandbox, Sandbox};
use url::Url;

async fn sandbox(auto_approve: bool) -> RunningSandbox {
    Sandbox::builder()
        .seed(11)
        .liked(120)
        .auto_approve(auto_approve)
        .start()
        .await
        .unwrap()
}

/// What a browser does with the authorization URL: GET it and return where it redirects.
async fn follow_authorize(url: &Url) -> Url {
    let http = spotkit::http::client_builder()
        .unwrap()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let resp = http.get(url.clone()).send().await.unwrap();
    assert!(
        resp.status().is_redirection(),
        "authorize answered {}: {}",
        resp.status(),
        resp.text().await.unwrap()
    );
    let location = resp.headers()[reqwest::header::LOCATION]
        .to_str()
        .unwrap()
        .to_owned();
    Url::parse(&location).unwrap()
}

/// What a user does on the consent page: submit the form with `decision`.
async fn decide(sandbox: &RunningSandbox, url: &Url, decision: &str) -> Url {
    let http = spotkit::http::client_builder()
        .unwrap()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let page = http
        .get(url.clone())
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("/authorize/decision"), "{page}");
    let mut form: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    form.push(("decision".into(), decision.into()));
    form.push(("sandbox_user".into(), "demo".into()));
    let resp = http
        .post(format!("{}/authorize/decision", sandbox.url()))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_redirection());
    Url::parse(resp.headers()[reqwest::header::LOCATION].to_str().unwrap()).unwrap()
}

#[tokio::test]
async fn pkce_login_through_the_loopback_listener() {
    let sandbox = sandbox(true).await;
    let store = Arc::new(MemoryStore::new());
    let spotify = builder(&sandbox)
        .pkce(CLIENT_ID)
        .shared_token_store(store.clone(), "me")
        .build()
        .unwrap();
    assert!(spotify.auth().token().await.unwrap().is_none());
    let listener = LoopbackListener::bind(LoopbackConfig::default())
        .await
        .unwrap();
    let token = spotify
        .auth()
        .login_with_loopback(listener, LIBRARY_SCOPES, Duration::from_secs(30), |url| {
            // The "browser": follows the authorization URL to the loopback callback.
            let url = url.clone();
            tokio::spawn(async move {
                let callback = follow_authorize(&url).await;
                let page = spotkit::http::client()
                    .unwrap()
                    .get(callback)
                    .send()
                    .await
                    .unwrap()
                    .text()
                    .await
                    .unwrap();
                assert!(page.contains("You can close this tab"));
            });
        })
        .await
        .unwrap();
    assert!(token.refresh_token().is_some());
    assert!(token.scopes().iter().any(|s| s == "user-library-read"));
    assert!(store.load("me").await.unwrap().is_some());
    let me = spotify.users().me().await.unwrap();
    assert_eq!(me.id.as_deref(), Some("demo"));
    let stats = control_get(&sandbox, "stats").await;
    assert_eq!(stats["grants"]["authorization_code"], 1);
}

#[tokio::test]
async fn pkce_login_by_pasting_the_redirect_over_ipv6_redirect_uri() {
    let sandbox = sandbox(true).await;
    let spotify = builder(&sandbox).pkce(CLIENT_ID).build().unwrap();
    let redirect = RedirectUri::new("http://[::1]:43210/callback").unwrap();
    let request = spotify
        .auth()
        .authorize_url(&redirect, &["user-library-read"])
        .unwrap();
    let landed = follow_authorize(request.url()).await;
    assert_eq!(landed.host_str(), Some("[::1]"));
    spotify
        .auth()
        .login_with_pasted_url(request, landed.as_str())
        .await
        .unwrap();
    assert!(
        spotify
            .tracks()
            .saved()
            .limit(1)
            .send()
            .await
            .unwrap()
            .total
            > 0
    );
}

#[tokio::test]
async fn authorization_code_with_secret_login_and_refresh_keeps_the_refresh_token() {
    let sandbox = sandbox(false).await;
    let spotify = builder(&sandbox)
        .authorization_code(CLIENT_ID, ClientSecret::new(CLIENT_SECRET))
        .build()
        .unwrap();
    let redirect = RedirectUri::new("http://127.0.0.1:8888/callback").unwrap();
    let request = spotify
        .auth()
        .authorize_url(&redirect, LIBRARY_SCOPES)
        .unwrap();
    assert!(!request.is_pkce());
    let landed = decide(&sandbox, request.url(), "approve").await;
    let token = spotify
        .auth()
        .login_with_pasted_url(request, landed.as_str())
        .await
        .unwrap();
    let first_refresh = token.refresh_token().unwrap().clone();
    let renewed = spotify.auth().refresh().await.unwrap();
    assert_ne!(renewed.access_token(), token.access_token());
    assert_eq!(
        renewed.refresh_token(),
        Some(&first_refresh),
        "Authorization Code refresh keeps the old refresh token"
    );
    spotify.users().me().await.unwrap();
    // And again: the kept refresh token still works.
    spotify.auth().refresh().await.unwrap();
    assert_eq!(control_get(&sandbox, "stats").await["refreshes"], 2);
}

#[tokio::test]
async fn denied_consent_is_a_callback_error() {
    let sandbox = sandbox(false).await;
    let spotify = builder(&sandbox).pkce(CLIENT_ID).build().unwrap();
    let redirect = RedirectUri::new("http://127.0.0.1:8888/callback").unwrap();
    let request = spotify
        .auth()
        .authorize_url(&redirect, &["user-library-read"])
        .unwrap();
    let landed = decide(&sandbox, request.url(), "deny").await;
    let err = spotify
        .auth()
        .login_with_pasted_url(request, landed.as_str())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Callback { .. }), "{err:?}");
    assert!(err.to_string().contains("denied"));
}

#[tokio::test]
async fn a_reused_code_or_wrong_verifier_is_invalid_grant() {
    let sandbox = sandbox(true).await;
    let spotify = builder(&sandbox).pkce(CLIENT_ID).build().unwrap();
    let redirect = RedirectUri::new("http://127.0.0.1:8888/callback").unwrap();
    let first = spotify
        .auth()
        .authorize_url(&redirect, &["user-library-read"])
        .unwrap();
    let landed = follow_authorize(first.url()).await;
    let code_query = landed.query().unwrap().to_owned();
    spotify
        .auth()
        .login_with_pasted_url(first, landed.as_str())
        .await
        .unwrap();
    // Replaying the same code (with a new request's state and verifier) fails for good.
    let second = spotify
        .auth()
        .authorize_url(&redirect, &["user-library-read"])
        .unwrap();
    let code = code_query
        .split('&')
        .find(|p| p.starts_with("code="))
        .unwrap()
        .to_owned();
    let replay = format!("{}&state={}", code, second.state().secret());
    let err = spotify
        .auth()
        .login_with_pasted_url(second, &replay)
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::ReauthorizationRequired { .. }),
        "{err:?}"
    );
    // A fresh code with the verifier of another request: invalid_grant too.
    let a = spotify
        .auth()
        .authorize_url(&redirect, &["user-library-read"])
        .unwrap();
    let b = spotify
        .auth()
        .authorize_url(&redirect, &["user-library-read"])
        .unwrap();
    let landed_a = follow_authorize(a.url()).await;
    let code_a = landed_a
        .query_pairs()
        .find(|(k, _)| k == "code")
        .unwrap()
        .1
        .into_owned();
    let pasted = format!("code={code_a}&state={}", b.state().secret());
    let err = spotify
        .auth()
        .login_with_pasted_url(b, &pasted)
        .await
        .unwrap_err();
    match err {
        Error::ReauthorizationRequired { reason } => {
            assert!(reason.contains("code_verifier was incorrect"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn client_credentials_grant_and_its_failures() {
    let sandbox = sandbox(false).await;
    let (user, _) = pkce_client(&sandbox).await;
    let first = user
        .tracks()
        .saved()
        .limit(1)
        .send()
        .await
        .unwrap()
        .into_items()
        .remove(0);
    let track_id = first.track.id.clone().unwrap();

    let app = builder(&sandbox)
        .client_credentials(CLIENT_ID, ClientSecret::new(CLIENT_SECRET))
        .build()
        .unwrap();
    // No explicit login: the first request fetches an app token.
    let track = app.tracks().get(&track_id).await.unwrap();
    assert_eq!(track.id.as_deref(), Some(track_id.id()));
    assert!(
        app.auth()
            .token()
            .await
            .unwrap()
            .unwrap()
            .refresh_token()
            .is_none()
    );
    // An app token has no user.
    assert!(app.users().me().await.is_err());

    let wrong = builder(&sandbox)
        .client_credentials(CLIENT_ID, ClientSecret::new("not-the-secret"))
        .build()
        .unwrap();
    let err = wrong.tracks().get(&track_id).await.unwrap_err();
    assert!(
        matches!(&err, Error::OAuth { code, .. } if code == "invalid_client"),
        "{err:?}"
    );
    assert!(!format!("{err} {err:?}").contains("not-the-secret"));
    let unknown = builder(&sandbox)
        .client_credentials("no-such-app", ClientSecret::new("x"))
        .build()
        .unwrap();
    assert!(matches!(
        unknown.auth().client_credentials().await,
        Err(Error::OAuth { .. })
    ));
}

#[tokio::test]
async fn pkce_refresh_rotates_old_token_rejected_new_one_saved() {
    let sandbox = sandbox(false).await;
    let dir = tempfile::tempdir().unwrap();
    let store = FileStore::in_dir(dir.path().join("tokens"));
    let issued = sandbox.pkce_token("demo", LIBRARY_SCOPES).await.unwrap();
    let original = token_of(&issued);
    store.save("demo", &original).await.unwrap();
    let spotify = builder(&sandbox)
        .pkce(CLIENT_ID)
        .token_store(store.clone(), "demo")
        .build()
        .unwrap();

    let renewed = spotify.auth().refresh().await.unwrap();
    let new_refresh = renewed.refresh_token().unwrap().clone();
    assert_ne!(Some(&new_refresh), original.refresh_token());
    // Saved (atomically, privately) in the file store.
    let on_disk = store.load("demo").await.unwrap().unwrap();
    assert_eq!(on_disk.refresh_token(), Some(&new_refresh));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(store.path("demo").unwrap())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    spotify.users().me().await.unwrap();

    // The old refresh token was rotated away: a client still holding it must log in again.
    let stale = builder(&sandbox)
        .pkce(CLIENT_ID)
        .token(
            original
                .clone()
                .with_expires_at(Some(std::time::SystemTime::UNIX_EPOCH)),
        )
        .build()
        .unwrap();
    let err = stale.users().me().await.unwrap_err();
    assert!(
        matches!(err, Error::ReauthorizationRequired { .. }),
        "{err:?}"
    );
    // And the rotated one keeps working.
    let again = spotify.auth().refresh().await.unwrap();
    assert_ne!(again.refresh_token(), Some(&new_refresh));
    assert_eq!(
        store.load("demo").await.unwrap().unwrap().refresh_token(),
        again.refresh_token()
    );
}

#[tokio::test]
async fn invalid_grant_is_reauthorization_required_and_not_retried() {
    let sandbox = sandbox(false).await;
    let bogus = Token::new(
        spotkit::token::AccessToken::new("expired-access"),
        Some(RefreshToken::new("revoked-refresh-token")),
        Some(Duration::ZERO),
        vec![],
    );
    let spotify = builder(&sandbox)
        .pkce(CLIENT_ID)
        .token(bogus)
        .build()
        .unwrap();
    control_post(&sandbox, "reset-stats", &json!({})).await;
    let err = spotify.tracks().saved().all().await.unwrap_err();
    match &err {
        Error::ReauthorizationRequired { reason } => {
            assert!(reason.contains("invalid_grant"), "{reason}");
        }
        other => panic!("expected ReauthorizationRequired, got {other:?}"),
    }
    assert!(err.to_string().contains("log in again"));
    assert!(!format!("{err} {err:?}").contains("revoked-refresh-token"));
    let stats = control_get(&sandbox, "stats").await;
    assert_eq!(count(&stats, "POST /api/token", 400), 1, "{stats}");
    assert_eq!(count(&stats, "GET /v1/me/tracks", 200), 0);
    // Asking again does not hammer the accounts service either: one attempt per call.
    assert!(spotify.users().me().await.is_err());
    assert_eq!(
        count(
            &control_get(&sandbox, "stats").await,
            "POST /api/token",
            400
        ),
        2
    );
}

/// 200 tasks find the token expired at the same moment: one refresh.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_concurrent_calls_with_an_expired_token_refresh_once() {
    let sandbox = Sandbox::builder()
        .seed(3)
        .liked(60)
        .token_ttl(Duration::from_secs(1))
        .start()
        .await
        .unwrap();
    let (spotify, store) = pkce_client(&sandbox).await;
    let before = store.load("default").await.unwrap().unwrap();
    // Let the 1 s token really expire at the server, then issue long-lived ones again.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    control_post(&sandbox, "faults", &json!({"token_ttl_secs": 3600})).await;
    control_post(&sandbox, "reset-stats", &json!({})).await;

    let tasks: Vec<_> = (0..200)
        .map(|i| {
            let spotify = spotify.clone();
            tokio::spawn(async move {
                if i % 2 == 0 {
                    spotify.users().me().await.map(|_| ())
                } else {
                    spotify.tracks().saved().limit(5).send().await.map(|_| ())
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    let stats = control_get(&sandbox, "stats").await;
    assert_eq!(stats["refreshes"], 1, "{stats}");
    assert_eq!(
        count(&stats, "GET /v1/me", 401) + count(&stats, "GET /v1/me/tracks", 401),
        0,
        "refreshed ahead of expiry"
    );
    let after = store.load("default").await.unwrap().unwrap();
    assert_ne!(
        after.refresh_token(),
        before.refresh_token(),
        "the rotated refresh token was saved"
    );
}

/// The server says "expired" while the client believed the token fresh (clock skew, revocation):
/// 200 tasks get a 401 and still cause one refresh, then each retries once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_concurrent_401s_refresh_once() {
    let sandbox = Sandbox::builder()
        .seed(4)
        .liked(60)
        .token_ttl(Duration::from_secs(1))
        .start()
        .await
        .unwrap();
    let issued = sandbox.pkce_token("demo", LIBRARY_SCOPES).await.unwrap();
    // No expiry known to the client: only the server can tell it expired.
    let token = token_of(&issued).with_expires_at(None);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    control_post(&sandbox, "faults", &json!({"token_ttl_secs": 3600})).await;
    control_post(&sandbox, "reset-stats", &json!({})).await;
    let spotify: Spotify = builder(&sandbox)
        .pkce(CLIENT_ID)
        .token(token)
        .build()
        .unwrap();
    let tasks: Vec<_> = (0..200)
        .map(|_| {
            let spotify = spotify.clone();
            tokio::spawn(async move { spotify.users().me().await })
        })
        .collect();
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    let stats = control_get(&sandbox, "stats").await;
    assert_eq!(stats["refreshes"], 1, "{stats}");
    assert_eq!(count(&stats, "GET /v1/me", 200), 200, "{stats}");
    assert!(count(&stats, "GET /v1/me", 401) >= 1);
}

/// Tokens that live shorter than the renewal skew (30 s against the default 60 s) are renewed
/// when they are due, not before every request.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn short_lived_tokens_are_not_renewed_before_every_request() {
    let sandbox = Sandbox::builder()
        .seed(5)
        .liked(400)
        .token_ttl(Duration::from_secs(30))
        .start()
        .await
        .unwrap();
    let (spotify, _store) = pkce_client(&sandbox).await;
    control_post(&sandbox, "reset-stats", &json!({})).await;
    for _ in 0..3 {
        let liked = spotify.tracks().saved().limit(50).all().await.unwrap();
        assert_eq!(liked.len(), 400);
    }
    let stats = control_get(&sandbox, "stats").await;
    // At most one: the token the store handed over may have lost its lifetime on the way.
    assert!(stats["refreshes"].as_u64().unwrap() <= 1, "{stats}");
    assert_eq!(count(&stats, "GET /v1/me/tracks", 200), 24, "{stats}");
}
