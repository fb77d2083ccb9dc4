//! The accounts service over real HTTP: `/authorize` validation and consent, and every grant of
//! `/api/token` with its failure modes and Spotify's error bodies.

mod common;

use std::time::Duration;

use base64::Engine as _;
use reqwest::StatusCode;
use serde_json::Value;
use sha2::Digest as _;
use spotkit_sandbox::Sandbox;

use common::{Env, start};

const REDIRECT: &str = "http://127.0.0.1:8888/callback";

async fn env(auto: bool) -> Env {
    start(Sandbox::builder().seed(1).liked(20).auto_approve(auto)).await
}

fn authorize_url(env: &Env, pairs: &[(&str, &str)]) -> String {
    let mut url = url::Url::parse(&format!("{}/authorize", env.sb.url())).expect("url");
    url.query_pairs_mut().extend_pairs(pairs);
    url.to_string()
}

/// Follows `/authorize` once: the `Location` query pairs, or the error page's status and text.
async fn authorize(
    env: &Env,
    pairs: &[(&str, &str)],
) -> Result<Vec<(String, String)>, (StatusCode, String)> {
    let r = env
        .http
        .get(authorize_url(env, pairs))
        .send()
        .await
        .expect("authorize");
    if r.status().is_redirection() {
        let location = r.headers()["location"].to_str().expect("ascii").to_owned();
        let url = url::Url::parse(&location).expect("absolute redirect");
        Ok(url.query_pairs().into_owned().collect())
    } else {
        Err((r.status(), r.text().await.expect("body")))
    }
}

fn get<'a>(pairs: &'a [(String, String)], k: &str) -> Option<&'a str> {
    pairs.iter().find(|(a, _)| a == k).map(|(_, v)| v.as_str())
}

fn pkce_pair() -> (String, String) {
    let verifier = "x".repeat(20) + "-verifier-with-enough-entropy-0123456789abcdef";
    let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(sha2::Sha256::digest(verifier.as_bytes()));
    (verifier, challenge)
}

async fn token_call(
    env: &Env,
    form: &[(&str, &str)],
    basic: Option<(&str, &str)>,
) -> (StatusCode, Value) {
    let mut req = env
        .http
        .post(format!("{}/api/token", env.sb.url()))
        .form(form);
    if let Some((id, secret)) = basic {
        req = req.basic_auth(id, Some(secret));
    }
    let r = req.send().await.expect("token call");
    let status = r.status();
    (status, r.json().await.expect("json body"))
}

async fn code(env: &Env, extra: &[(&str, &str)]) -> String {
    let mut pairs = vec![
        ("client_id", "spotkit-demo"),
        ("response_type", "code"),
        ("redirect_uri", REDIRECT),
        ("scope", "user-read-private user-library-read"),
        ("state", "st4te"),
    ];
    pairs.extend_from_slice(extra);
    let back = authorize(env, &pairs).await.expect("redirected back");
    assert_eq!(get(&back, "state"), Some("st4te"));
    get(&back, "code").expect("code").to_owned()
}

#[tokio::test]
async fn authorize_rejects_bad_clients_and_redirects_with_a_page() {
    let env = env(true).await;
    let (status, page) = authorize(
        &env,
        &[
            ("client_id", "nope"),
            ("response_type", "code"),
            ("redirect_uri", REDIRECT),
        ],
    )
    .await
    .expect_err("unknown client");
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("INVALID_CLIENT: Invalid client"), "{page}");

    for (uri, message) in [
        ("http://localhost:8888/callback", "Insecure redirect URI"),
        ("http://example.com/callback", "Insecure redirect URI"),
        ("https://evil.example/callback", "Invalid redirect URI"),
        ("http://127.0.0.1:8888/other", "Invalid redirect URI"),
    ] {
        let (status, page) = authorize(
            &env,
            &[
                ("client_id", "spotkit-demo"),
                ("response_type", "code"),
                ("redirect_uri", uri),
            ],
        )
        .await
        .expect_err(uri);
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}");
        assert!(page.contains(message), "{uri}: {page}");
    }
    // Any loopback port works for the demo app, IPv4 and IPv6.
    for uri in [
        "http://127.0.0.1:5173/callback",
        "http://[::1]:5173/callback",
    ] {
        let back = authorize(
            &env,
            &[
                ("client_id", "spotkit-demo"),
                ("response_type", "code"),
                ("redirect_uri", uri),
            ],
        )
        .await
        .expect(uri);
        assert!(get(&back, "code").is_some());
    }
}

#[tokio::test]
async fn authorize_sends_oauth_errors_back_to_the_app() {
    let env = env(true).await;
    let base = [
        ("client_id", "spotkit-demo"),
        ("redirect_uri", REDIRECT),
        ("state", "s1"),
    ];
    let mut implicit = base.to_vec();
    implicit.push(("response_type", "token"));
    let back = authorize(&env, &implicit).await.expect("redirect");
    assert_eq!(get(&back, "error"), Some("unsupported_response_type"));
    assert_eq!(get(&back, "state"), Some("s1"));

    let mut bad_scope = base.to_vec();
    bad_scope.extend([("response_type", "code"), ("scope", "user-read-everything")]);
    // Spotify shows an "Illegal scope" page and never redirects back (spotify/web-api #1262).
    let (status, page) = authorize(&env, &bad_scope)
        .await
        .expect_err("an Illegal scope page, not a redirect");
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("Illegal scope"), "{page}");

    let mut plain_pkce = base.to_vec();
    let challenge = "a".repeat(43);
    plain_pkce.extend([
        ("response_type", "code"),
        ("code_challenge", challenge.as_str()),
        ("code_challenge_method", "plain"),
    ]);
    let back = authorize(&env, &plain_pkce).await.expect("redirect");
    assert_eq!(
        get(&back, "error"),
        Some("invalid_request"),
        "only S256 is accepted"
    );
}

#[tokio::test]
async fn consent_page_approves_and_denies() {
    let env = env(false).await;
    let pairs = [
        ("client_id", "spotkit-demo"),
        ("response_type", "code"),
        ("redirect_uri", REDIRECT),
        ("scope", "user-library-read"),
        ("state", "abc"),
    ];
    let (status, page) = authorize(&env, &pairs)
        .await
        .expect_err("consent page, not a redirect");
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("id=\"approve\"") && page.contains("user-library-read"),
        "{page}"
    );

    let decide = |decision: &'static str| {
        let mut form: Vec<(&str, &str)> = pairs.to_vec();
        form.push(("decision", decision));
        form.push(("sandbox_user", "lena-s"));
        env.http
            .post(format!("{}/authorize/decision", env.sb.url()))
            .form(&form)
            .send()
    };
    let denied = decide("deny").await.expect("deny");
    let location = denied.headers()["location"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(
        location.starts_with(REDIRECT)
            && location.contains("error=access_denied")
            && location.contains("state=abc")
    );

    let approved = decide("approve").await.expect("approve");
    let location =
        url::Url::parse(approved.headers()["location"].to_str().expect("ascii")).expect("url");
    let code = location
        .query_pairs()
        .find(|(k, _)| k == "code")
        .expect("code")
        .1
        .into_owned();
    let (status, body) = token_call(
        &env,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
        ],
        Some(("spotkit-demo", "spotkit-demo-secret")),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let me = env
        .ok("/me", body["access_token"].as_str().expect("token"))
        .await;
    assert_eq!(me["id"], "lena-s", "the user chosen on the consent page");
}

#[tokio::test]
async fn authorization_code_with_secret() {
    let env = env(true).await;
    // Basic auth.
    let c = code(&env, &[]).await;
    let form = [
        ("grant_type", "authorization_code"),
        ("code", c.as_str()),
        ("redirect_uri", REDIRECT),
    ];
    let (status, body) =
        token_call(&env, &form, Some(("spotkit-demo", "spotkit-demo-secret"))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 3600);
    assert!(body["refresh_token"].is_string());
    assert_eq!(body["scope"], "user-library-read user-read-private");
    // The code is single-use.
    let (status, body) =
        token_call(&env, &form, Some(("spotkit-demo", "spotkit-demo-secret"))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_grant");
    assert_eq!(body["error_description"], "Invalid authorization code");

    // Secret in the body works too; a wrong secret or redirect URI does not.
    let c = code(&env, &[]).await;
    let (status, body) = token_call(
        &env,
        &[
            ("grant_type", "authorization_code"),
            ("code", &c),
            ("redirect_uri", REDIRECT),
            ("client_id", "spotkit-demo"),
            ("client_secret", "wrong"),
        ],
        None,
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_client"))
    );
    let (status, body) = token_call(
        &env,
        &[
            ("grant_type", "authorization_code"),
            ("code", &c),
            ("redirect_uri", "http://127.0.0.1:9999/callback"),
            ("client_id", "spotkit-demo"),
            ("client_secret", "spotkit-demo-secret"),
        ],
        None,
    )
    .await;
    assert_eq!(body["error"], "invalid_grant", "{status}");
    assert_eq!(body["error_description"], "Invalid redirect URI");
}

#[tokio::test]
async fn pkce_code_exchange_and_rotation() {
    let env = env(true).await;
    let (verifier, challenge) = pkce_pair();
    let extra = [
        ("code_challenge", challenge.as_str()),
        ("code_challenge_method", "S256"),
    ];

    let c = code(&env, &extra).await;
    let (status, body) = token_call(
        &env,
        &[
            ("grant_type", "authorization_code"),
            ("code", &c),
            ("redirect_uri", REDIRECT),
            ("client_id", "spotkit-demo"),
            (
                "code_verifier",
                "not-the-verifier-not-the-verifier-not-the-verifier",
            ),
        ],
        None,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_grant");
    assert_eq!(body["error_description"], "code_verifier was incorrect");

    let c = code(&env, &extra).await;
    let (_, body) = token_call(
        &env,
        &[
            ("grant_type", "authorization_code"),
            ("code", &c),
            ("redirect_uri", REDIRECT),
            ("client_id", "spotkit-demo"),
        ],
        None,
    )
    .await;
    assert_eq!(
        body["error"], "invalid_request",
        "a PKCE code needs its verifier"
    );

    let c = code(&env, &extra).await;
    let (status, first) = token_call(
        &env,
        &[
            ("grant_type", "authorization_code"),
            ("code", &c),
            ("redirect_uri", REDIRECT),
            ("client_id", "spotkit-demo"),
            ("code_verifier", &verifier),
        ],
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{first}");
    let old = first["refresh_token"]
        .as_str()
        .expect("refresh token")
        .to_owned();

    // Refreshing a PKCE token rotates it: a new refresh token, and the old one dies.
    let env = &env;
    let refresh = |rt: String| async move {
        token_call(
            env,
            &[
                ("grant_type", "refresh_token"),
                ("refresh_token", &rt),
                ("client_id", "spotkit-demo"),
            ],
            None,
        )
        .await
    };
    let (status, second) = refresh(old.clone()).await;
    assert_eq!(status, StatusCode::OK, "{second}");
    let new = second["refresh_token"]
        .as_str()
        .expect("rotated refresh token")
        .to_owned();
    assert_ne!(new, old);
    let (status, body) = refresh(old).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_grant");
    // A rotated token used again: Spotify's words (rspotify issue #396).
    assert_eq!(body["error_description"], "Refresh token revoked");
    let (status, _) = refresh(new).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(env.stats().await["refreshes"], 2);
}

#[tokio::test]
async fn confidential_refresh_keeps_the_refresh_token() {
    let env = env(true).await;
    let t = env
        .sb
        .token("demo", &["user-library-read"])
        .await
        .expect("token");
    let rt = t.refresh_token.expect("refresh token");
    let form = [
        ("grant_type", "refresh_token"),
        ("refresh_token", rt.as_str()),
    ];
    let (status, body) =
        token_call(&env, &form, Some(("spotkit-demo", "spotkit-demo-secret"))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(
        body.get("refresh_token").is_none(),
        "no new refresh token: keep the old one"
    );
    assert_eq!(body["scope"], "user-library-read");
    let (status, _) = token_call(&env, &form, Some(("spotkit-demo", "spotkit-demo-secret"))).await;
    assert_eq!(status, StatusCode::OK, "the old refresh token still works");
    // Without the secret, a confidential client's refresh token is refused.
    let (_, body) = token_call(
        &env,
        &[form[0], form[1], ("client_id", "spotkit-demo")],
        None,
    )
    .await;
    assert_eq!(body["error"], "invalid_client");
}

#[tokio::test]
async fn refresh_tokens_expire() {
    let env = start(
        Sandbox::builder()
            .seed(1)
            .liked(5)
            .refresh_token_ttl(Duration::from_millis(200)),
    )
    .await;
    let t = env.sb.token("demo", &[]).await.expect("token");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let rt = t.refresh_token.expect("refresh token");
    let (status, body) = token_call(
        &env,
        &[("grant_type", "refresh_token"), ("refresh_token", &rt)],
        Some(("spotkit-demo", "spotkit-demo-secret")),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_grant");
}

#[tokio::test]
async fn client_credentials_and_grant_errors() {
    let env = env(true).await;
    let secret = Some(("spotkit-demo", "spotkit-demo-secret"));
    let (status, body) = token_call(&env, &[("grant_type", "client_credentials")], secret).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.get("refresh_token").is_none());
    let app_token = body["access_token"].as_str().expect("token");
    // An app token reads the catalogue but has no user.
    let track = env.catalog().await;
    assert!(track["tracks"].as_u64().expect("count") > 0);
    assert_eq!(
        env.err("/me", app_token, StatusCode::FORBIDDEN).await,
        "Insufficient client scope"
    );

    let (_, body) = token_call(
        &env,
        &[("grant_type", "client_credentials")],
        Some(("spotkit-demo", "nope")),
    )
    .await;
    assert_eq!(
        (body["error"].as_str(), body["error_description"].as_str()),
        (Some("invalid_client"), Some("Invalid client secret"))
    );
    let (_, body) = token_call(
        &env,
        &[("grant_type", "client_credentials")],
        Some(("ghost", "x")),
    )
    .await;
    assert_eq!(body["error"], "invalid_client");
    let (status, body) = token_call(&env, &[("client_id", "spotkit-demo")], None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "unsupported_grant_type");
    assert_eq!(body["error_description"], "grant_type parameter is missing");
    let (_, body) = token_call(&env, &[("grant_type", "password")], secret).await;
    assert_eq!(body["error"], "unsupported_grant_type");
    let (_, body) = token_call(
        &env,
        &[("grant_type", "refresh_token"), ("refresh_token", "forged")],
        secret,
    )
    .await;
    assert_eq!(body["error"], "invalid_grant");

    let stats = env.stats().await;
    assert_eq!(stats["grants"]["client_credentials"], 1);
}
