//! Issue #18 (Medium): sessions and server API tokens do not outlive the user's Spotify
//! authorization: a token chain has a maximum age, `invalid_grant` ends every session and token
//! family of the user, and a user can log out everywhere.

mod common;

use std::time::{Duration, SystemTime};

use common::*;
use spotkit::token::{RefreshToken, Token};

fn s(v: &serde_json::Value, k: &str) -> String {
    v[k].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_token_chain_ends_at_its_maximum_age_however_often_it_is_refreshed() {
    let sandbox = sandbox().await;
    let server = server_with(&sandbox, None, |c| c.api_family_max_age_secs = 2).await;
    let first = mobile_tokens(&server, "demo").await;
    assert!(first["expires_in"].as_i64().unwrap() <= 2, "{first}");
    let r = refresh_api_token(&server, &s(&first, "refresh_token")).await;
    assert_eq!(r.status(), 200);
    let second = json(r).await;
    assert!(second["expires_in"].as_i64().unwrap() <= 2, "{second}");
    tokio::time::sleep(Duration::from_millis(2100)).await;
    assert_eq!(me_status(&server, &s(&second, "access_token")).await, 401);
    let r = refresh_api_token(&server, &s(&second, "refresh_token")).await;
    assert_eq!(r.status(), 400, "the chain outlived its maximum age");
    assert_eq!(json(r).await["error"]["code"], "invalid_grant");
}

#[tokio::test]
async fn a_dead_spotify_login_ends_every_session_and_token_family() {
    let sandbox = sandbox().await;
    let server = server(&sandbox).await;
    let browser = browser_login(&server, "demo").await;
    let other_browser = browser_login(&server, "demo").await;
    let tokens = mobile_tokens(&server, "demo").await;
    // Spotify refuses the stored refresh token from now on.
    let db = server.state.db();
    let keys = server.state.keys();
    let token = spotkit_server::db::tokens::load_token(db, keys, "demo")
        .await
        .unwrap()
        .unwrap();
    let dead = Token::new(
        token.access_token().clone(),
        Some(RefreshToken::new("revoked-refresh-token")),
        None,
        token.scopes().to_vec(),
    )
    .with_expires_at(Some(SystemTime::now() - Duration::from_secs(5)));
    spotkit_server::db::tokens::save_token(db, keys, "demo", &dead)
        .await
        .unwrap();
    server.state.forget_client("demo");

    let r = browser
        .get(format!("{}/playlists", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(json(r).await["error"]["code"], "reauth_required");
    for client in [&browser, &other_browser] {
        let r = client
            .get(format!("{}/me", server.url))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401, "a session outlived the Spotify login");
    }
    assert_eq!(me_status(&server, &s(&tokens, "access_token")).await, 401);
    let r = refresh_api_token(&server, &s(&tokens, "refresh_token")).await;
    assert_eq!(r.status(), 400, "a token family outlived the Spotify login");
}

#[tokio::test]
async fn logging_out_everywhere_ends_every_session_and_token_family() {
    let sandbox = sandbox().await;
    let server = server(&sandbox).await;
    let browser = browser_login(&server, "demo").await;
    let other_browser = browser_login(&server, "demo").await;
    let someone_else = browser_login(&server, "mixtape_mara").await;
    let tokens = mobile_tokens(&server, "demo").await;
    let csrf = csrf(&browser, &server).await;
    let url = format!("{}/logout/everywhere", server.url);
    // Cookie-authenticated, so the CSRF token is required.
    let r = browser.post(&url).send().await.unwrap();
    assert_eq!(r.status(), 403);
    let r = browser
        .post(&url)
        .header("x-csrf-token", &csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    for client in [&browser, &other_browser] {
        let r = client
            .get(format!("{}/me", server.url))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401);
    }
    assert_eq!(me_status(&server, &s(&tokens, "access_token")).await, 401);
    let r = refresh_api_token(&server, &s(&tokens, "refresh_token")).await;
    assert_eq!(r.status(), 400);
    // Other users are untouched.
    let r = someone_else
        .get(format!("{}/me", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    // A server API token can do the same.
    let tokens = mobile_tokens(&server, "demo").await;
    let r = spotkit::http::client()
        .unwrap()
        .post(&url)
        .bearer_auth(s(&tokens, "access_token"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(me_status(&server, &s(&tokens, "access_token")).await, 401);
}
