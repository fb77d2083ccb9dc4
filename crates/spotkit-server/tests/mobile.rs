//! The mobile hand-off: allow-listed redirect, one-time code + PKCE, server API tokens.

mod common;

use common::*;
use spotkit::auth::{PkceChallenge, PkceVerifier};

/// Runs a mobile login and returns the redirect the app receives.
async fn mobile_login(server: &TestServer, challenge: &str) -> url::Url {
    let client = browser();
    let r = client
        .get(format!("{}/login", server.url))
        .query(&[
            ("redirect_uri", APP),
            ("code_challenge", challenge),
            ("state", "app-state-1"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 302, "{:?}", r.text().await);
    let back = consent(&client, &location(&r), "demo").await;
    let r = client.get(&back).send().await.unwrap();
    assert_eq!(r.status(), 302, "{:?}", r.text().await);
    url::Url::parse(&location(&r)).unwrap()
}

fn code_of(url: &url::Url) -> String {
    url.query_pairs()
        .find(|(k, _)| k == "code")
        .unwrap()
        .1
        .into_owned()
}

#[tokio::test]
async fn one_time_code_with_pkce_gives_revocable_api_tokens() {
    let sandbox = sandbox().await;
    let server = server(&sandbox).await;
    let verifier = PkceVerifier::random();
    let challenge = PkceChallenge::s256(&verifier);

    // A wrong verifier is refused (and spends the code).
    let redirect = mobile_login(&server, challenge.as_str()).await;
    assert_eq!(
        format!(
            "{}://{}{}",
            redirect.scheme(),
            redirect.host_str().unwrap_or(""),
            redirect.path()
        ),
        APP
    );
    let pairs: std::collections::HashMap<_, _> = redirect.query_pairs().into_owned().collect();
    assert_eq!(pairs["state"], "app-state-1");
    assert!(
        !pairs.contains_key("access_token"),
        "no Spotify token in the redirect by default: {redirect}"
    );
    let wrong = PkceVerifier::random();
    let r = exchange(
        &server,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code_of(&redirect)),
            ("code_verifier", wrong.secret()),
        ],
    )
    .await;
    assert_eq!(r.status(), 400);
    assert_eq!(json(r).await["error"]["code"], "invalid_grant");

    // The right verifier works (once: a replay is refused and revokes, see tests/handoff.rs).
    let redirect = mobile_login(&server, challenge.as_str()).await;
    let code = code_of(&redirect);
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("code_verifier", verifier.secret()),
        ("redirect_uri", APP),
    ];
    let r = exchange(&server, &form).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["cache-control"], "no-store");
    let tokens = json(r).await;
    let access = tokens["access_token"].as_str().unwrap().to_owned();
    let refresh = tokens["refresh_token"].as_str().unwrap().to_owned();
    assert!(
        access.starts_with("ska_") && refresh.starts_with("skr_"),
        "{tokens}"
    );
    let api = spotkit::http::client().unwrap();
    let me = json(
        api.get(format!("{}/me", server.url))
            .bearer_auth(&access)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(me["id"], "demo");
    assert_eq!(me["auth"], "api_token");
    assert!(me["csrf_token"].is_null());
    // Bearer writes need no CSRF token.
    let r = api
        .post(format!("{}/metadata", server.url))
        .bearer_auth(&access)
        .json(&serde_json::json!({"trackId": "4iV5W9uYEdYUVa79Axb7Rh", "type": "beats", "collection": {"bpm": 120}}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);

    // Refresh rotates; a used refresh token presented again revokes the whole family.
    let r = exchange(
        &server,
        &[("grant_type", "refresh_token"), ("refresh_token", &refresh)],
    )
    .await;
    assert_eq!(r.status(), 200);
    let rotated = json(r).await;
    let access2 = rotated["access_token"].as_str().unwrap().to_owned();
    assert_ne!(access2, access);
    let status = |t: String| {
        let api = api.clone();
        let url = format!("{}/me", server.url);
        async move {
            api.get(url)
                .bearer_auth(t)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    assert_eq!(status(access2.clone()).await, 200);
    let reuse = exchange(
        &server,
        &[("grant_type", "refresh_token"), ("refresh_token", &refresh)],
    )
    .await;
    assert_eq!(reuse.status(), 400);
    assert_eq!(
        status(access2).await,
        401,
        "reuse of a spent refresh token revokes the family"
    );

    // Revocation of a fresh pair.
    let redirect = mobile_login(&server, challenge.as_str()).await;
    let code = code_of(&redirect);
    let tokens = json(
        exchange(
            &server,
            &[
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("code_verifier", verifier.secret()),
                ("redirect_uri", APP),
            ],
        )
        .await,
    )
    .await;
    let access3 = tokens["access_token"].as_str().unwrap().to_owned();
    assert_eq!(status(access3.clone()).await, 200);
    let r = api
        .post(format!("{}/token/revoke", server.url))
        .form(&[("token", tokens["refresh_token"].as_str().unwrap())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(status(access3).await, 401);
}

#[tokio::test]
async fn disallowed_redirects_and_bad_challenges_are_refused_before_any_redirect() {
    let sandbox = sandbox().await;
    let server = server(&sandbox).await;
    reset_stats(&sandbox).await;
    let client = browser();
    let challenge = PkceChallenge::s256(&PkceVerifier::random());
    for (query, field) in [
        (
            vec![
                ("redirect_uri", "com.evil.app://callback"),
                ("code_challenge", challenge.as_str()),
            ],
            "redirect_uri",
        ),
        // Exact match only: a prefix or an extra path does not pass.
        (
            vec![
                ("redirect_uri", "com.example.app://callback/x"),
                ("code_challenge", challenge.as_str()),
            ],
            "redirect_uri",
        ),
        (
            vec![
                ("redirect_uri", "https://attacker.example/cb"),
                ("code_challenge", challenge.as_str()),
            ],
            "redirect_uri",
        ),
        (vec![("redirect_uri", APP)], "code_challenge"),
        (
            vec![("redirect_uri", APP), ("code_challenge", "short")],
            "code_challenge",
        ),
        (
            vec![
                ("redirect_uri", APP),
                ("code_challenge", challenge.as_str()),
                ("code_challenge_method", "plain"),
            ],
            "code_challenge_method",
        ),
    ] {
        let r = client
            .get(format!("{}/login", server.url))
            .query(&query)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400, "{query:?}");
        assert!(
            r.headers().get("location").is_none(),
            "{query:?} must not redirect"
        );
        assert!(
            r.headers().get("set-cookie").is_none(),
            "{query:?} must not start a login"
        );
        let body = json(r).await;
        assert_eq!(body["error"]["code"], "invalid_field");
        assert_eq!(body["error"]["field"], field, "{body}");
    }
    // Nothing reached Spotify's authorize endpoint.
    let stats = stats(&sandbox).await;
    assert!(stats["requests"].get("GET /authorize").is_none(), "{stats}");
}

#[tokio::test]
async fn legacy_token_redirect_puts_spotify_tokens_in_the_redirect_when_enabled() {
    let sandbox = sandbox().await;
    let server = server_with(&sandbox, None, |c| c.legacy_token_redirect = true).await;
    let challenge = PkceChallenge::s256(&PkceVerifier::random());
    let redirect = mobile_login(&server, challenge.as_str()).await;
    let pairs: std::collections::HashMap<_, _> = redirect.query_pairs().into_owned().collect();
    assert!(!pairs.contains_key("code"));
    let token = &pairs["access_token"];
    // It is a real Spotify token: the sandbox accepts it.
    let me = spotkit::http::client()
        .unwrap()
        .get(format!("{}/me", sandbox.api_url()))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 200);
    assert!(pairs["expires_in"].parse::<u64>().unwrap() > 0);
}
