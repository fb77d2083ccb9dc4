//! The exact requests sent to the accounts service (form bodies, Basic auth), against wiremock.

use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use spotkit::auth::{ClientSecret, PkceChallenge, PkceVerifier, RedirectUri, parse_redirect};
use spotkit::token::{AccessToken, MemoryStore, RefreshToken, Token, TokenStore};
use spotkit::{Error, Spotify};
use wiremock::matchers::{body_string_contains, header, header_exists, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn form(req: &Request) -> Vec<(String, String)> {
    url::form_urlencoded::parse(&req.body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn field<'a>(form: &'a [(String, String)], key: &str) -> Option<&'a str> {
    form.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

fn token_json(access: &str, refresh: Option<&str>) -> serde_json::Value {
    let mut v = serde_json::json!({
        "access_token": access,
        "token_type": "Bearer",
        "expires_in": 3600,
        "scope": "user-library-read playlist-read-private",
    });
    if let Some(r) = refresh {
        v["refresh_token"] = r.into();
    }
    v
}

fn expired(access: &str, refresh: Option<&str>) -> Token {
    Token::new(
        AccessToken::new(access),
        refresh.map(RefreshToken::new),
        Some(Duration::ZERO),
        vec![],
    )
}

fn basic(id: &str, secret: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{id}:{secret}"))
    )
}

#[tokio::test]
async fn pkce_code_exchange_sends_the_verifier_of_the_challenge_and_no_secret() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(token_json("a1", Some("r1"))))
        .expect(1)
        .mount(&server)
        .await;
    let store = Arc::new(MemoryStore::new());
    let spotify = Spotify::builder()
        .pkce("my-app")
        .accounts_base_url(server.uri())
        .shared_token_store(store.clone(), "me")
        .build()
        .unwrap();
    let redirect = RedirectUri::new("http://127.0.0.1:8888/callback").unwrap();
    let request = spotify
        .auth()
        .authorize_url(&redirect, &["user-library-read", "playlist-read-private"])
        .unwrap();
    assert!(request.is_pkce());
    let url = request.url().clone();
    let q: std::collections::HashMap<_, _> = url.query_pairs().into_owned().collect();
    assert_eq!(url.path(), "/authorize");
    assert_eq!(q["client_id"], "my-app");
    assert_eq!(q["response_type"], "code");
    assert_eq!(q["redirect_uri"], "http://127.0.0.1:8888/callback");
    assert_eq!(q["scope"], "user-library-read playlist-read-private");
    assert_eq!(q["code_challenge_method"], "S256");
    assert_eq!(&q["state"], request.state().secret());
    let challenge = q["code_challenge"].clone();

    let pasted = format!(
        "http://127.0.0.1:8888/callback?code=the-code&state={}",
        request.state().secret()
    );
    let code = parse_redirect(&pasted, &request).unwrap();
    let token = spotify.auth().exchange_code(request, code).await.unwrap();
    assert_eq!(token.access_token().secret(), "a1");

    let reqs = server.received_requests().await.unwrap();
    let f = form(&reqs[0]);
    assert_eq!(field(&f, "grant_type"), Some("authorization_code"));
    assert_eq!(field(&f, "code"), Some("the-code"));
    assert_eq!(
        field(&f, "redirect_uri"),
        Some("http://127.0.0.1:8888/callback")
    );
    assert_eq!(field(&f, "client_id"), Some("my-app"));
    let verifier = PkceVerifier::new(field(&f, "code_verifier").unwrap());
    assert!(verifier.is_valid());
    assert_eq!(PkceChallenge::s256(&verifier).as_str(), challenge);
    assert!(field(&f, "client_secret").is_none());
    assert!(reqs[0].headers.get("authorization").is_none());
    assert_eq!(
        reqs[0].headers.get("content-type").unwrap(),
        "application/x-www-form-urlencoded"
    );
    // Saved to the store under the profile.
    let saved = store.load("me").await.unwrap().unwrap();
    assert_eq!(saved.refresh_token().unwrap().secret(), "r1");
}

#[tokio::test]
async fn authorization_code_with_secret_uses_basic_auth_and_no_verifier() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/token"))
        .and(header("authorization", basic("my-app", "s3cret").as_str()))
        .and(body_string_contains("grant_type=authorization_code"))
        .respond_with(ResponseTemplate::new(200).set_body_json(token_json("a1", Some("r1"))))
        .expect(1)
        .mount(&server)
        .await;
    let spotify = Spotify::builder()
        .authorization_code("my-app", ClientSecret::new("s3cret"))
        .accounts_base_url(server.uri())
        .build()
        .unwrap();
    let redirect = RedirectUri::new("https://app.example/cb").unwrap();
    let request = spotify
        .auth()
        .authorize_url(&redirect, &["user-library-read"])
        .unwrap();
    assert!(!request.is_pkce());
    assert!(!request.url().as_str().contains("code_challenge"));
    let code = parse_redirect(
        &format!("code=c&state={}", request.state().secret()),
        &request,
    )
    .unwrap();
    spotify.auth().exchange_code(request, code).await.unwrap();
    let reqs = server.received_requests().await.unwrap();
    let f = form(&reqs[0]);
    assert!(field(&f, "code_verifier").is_none());
    assert!(
        field(&f, "client_secret").is_none(),
        "the secret goes in the header only"
    );
    assert!(!String::from_utf8_lossy(&reqs[0].body).contains("s3cret"));
}

#[tokio::test]
async fn pkce_refresh_rotates_and_saves_the_new_refresh_token() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/token"))
        .and(body_string_contains("grant_type=refresh_token"))
        .and(body_string_contains("refresh_token=r1"))
        .and(body_string_contains("client_id=my-app"))
        .respond_with(ResponseTemplate::new(200).set_body_json(token_json("a2", Some("r2"))))
        .expect(1)
        .mount(&server)
        .await;
    let store = Arc::new(MemoryStore::new());
    store
        .save("default", &expired("a1", Some("r1")))
        .await
        .unwrap();
    let spotify = Spotify::builder()
        .pkce("my-app")
        .accounts_base_url(server.uri())
        .shared_token_store(store.clone(), "default")
        .build()
        .unwrap();
    let token = spotify.auth().refresh().await.unwrap();
    assert_eq!(token.access_token().secret(), "a2");
    let saved = store.load("default").await.unwrap().unwrap();
    assert_eq!(saved.refresh_token().unwrap().secret(), "r2");
    assert_eq!(saved.access_token().secret(), "a2");
    let reqs = server.received_requests().await.unwrap();
    assert!(reqs[0].headers.get("authorization").is_none());
}

#[tokio::test]
async fn authorization_code_refresh_without_new_refresh_token_keeps_the_old_one() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/token"))
        .and(header("authorization", basic("my-app", "s3cret").as_str()))
        .and(body_string_contains("grant_type=refresh_token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(token_json("a2", None)))
        .expect(1)
        .mount(&server)
        .await;
    let store = Arc::new(MemoryStore::new());
    store
        .save("default", &expired("a1", Some("r1")))
        .await
        .unwrap();
    let spotify = Spotify::builder()
        .authorization_code("my-app", ClientSecret::new("s3cret"))
        .accounts_base_url(server.uri())
        .shared_token_store(store.clone(), "default")
        .build()
        .unwrap();
    spotify.auth().refresh().await.unwrap();
    let saved = store.load("default").await.unwrap().unwrap();
    assert_eq!(saved.access_token().secret(), "a2");
    assert_eq!(saved.refresh_token().unwrap().secret(), "r1");
}

#[tokio::test]
async fn client_credentials_uses_basic_auth() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/token"))
        .and(header("authorization", basic("app", "sec").as_str()))
        .and(body_string_contains("grant_type=client_credentials"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "access_token": "app-token", "token_type": "Bearer", "expires_in": 3600
        })))
        .expect(1)
        .mount(&server)
        .await;
    let spotify = Spotify::builder()
        .client_credentials("app", ClientSecret::new("sec"))
        .accounts_base_url(server.uri())
        .build()
        .unwrap();
    let token = spotify.auth().client_credentials().await.unwrap();
    assert_eq!(token.access_token().secret(), "app-token");
    assert!(token.refresh_token().is_none());
    // No user login for an app-only client.
    let redirect = RedirectUri::new("http://127.0.0.1:1/callback").unwrap();
    assert!(matches!(
        spotify.auth().authorize_url(&redirect, &[]),
        Err(Error::Config(_))
    ));
}

#[tokio::test]
async fn invalid_grant_is_reauthorization_and_never_retried() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/token"))
        .respond_with(ResponseTemplate::new(400).set_body_json(serde_json::json!({
            "error": "invalid_grant", "error_description": "Invalid refresh token"
        })))
        .expect(1)
        .mount(&server)
        .await;
    let store = Arc::new(MemoryStore::new());
    store
        .save("default", &expired("a1", Some("r1")))
        .await
        .unwrap();
    let spotify = Spotify::builder()
        .pkce("my-app")
        .accounts_base_url(server.uri())
        .api_base_url(format!("{}/v1", server.uri()))
        .shared_token_store(store, "default")
        .build()
        .unwrap();
    let err = spotify.users().me().await.unwrap_err();
    match &err {
        Error::ReauthorizationRequired { reason } => {
            assert!(reason.contains("Invalid refresh token"), "{reason}");
        }
        other => panic!("expected ReauthorizationRequired, got {other:?}"),
    }
    assert!(err.to_string().contains("log in again"));
    assert!(!format!("{err:?}").contains("r1"));
}

#[tokio::test]
async fn invalid_client_is_an_oauth_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/token"))
        .respond_with(ResponseTemplate::new(400).set_body_json(serde_json::json!({
            "error": "invalid_client", "error_description": "Invalid client secret"
        })))
        .mount(&server)
        .await;
    let spotify = Spotify::builder()
        .client_credentials("app", ClientSecret::new("wrong"))
        .accounts_base_url(server.uri())
        .build()
        .unwrap();
    let err = spotify.auth().client_credentials().await.unwrap_err();
    assert!(
        matches!(&err, Error::OAuth { code, .. } if code == "invalid_client"),
        "{err:?}"
    );
    assert!(!err.to_string().contains("wrong"));
}

#[tokio::test]
async fn server_errors_retry_client_credentials_but_not_refresh() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/token"))
        .and(body_string_contains("grant_type=client_credentials"))
        .respond_with(ResponseTemplate::new(503).set_body_string("unavailable"))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/token"))
        .and(body_string_contains("grant_type=client_credentials"))
        .respond_with(ResponseTemplate::new(200).set_body_json(token_json("ok", None)))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/token"))
        .and(body_string_contains("grant_type=refresh_token"))
        .respond_with(ResponseTemplate::new(503).set_body_string("unavailable"))
        .mount(&server)
        .await;
    let cc = Spotify::builder()
        .client_credentials("app", ClientSecret::new("sec"))
        .accounts_base_url(server.uri())
        .build()
        .unwrap();
    assert_eq!(
        cc.auth()
            .client_credentials()
            .await
            .unwrap()
            .access_token()
            .secret(),
        "ok"
    );

    let store = Arc::new(MemoryStore::new());
    store
        .save("default", &expired("a1", Some("r1")))
        .await
        .unwrap();
    let user = Spotify::builder()
        .pkce("my-app")
        .accounts_base_url(server.uri())
        .shared_token_store(store, "default")
        .build()
        .unwrap();
    let err = user.auth().refresh().await.unwrap_err();
    assert!(matches!(err, Error::Api { status: 503, .. }), "{err:?}");
    let reqs = server.received_requests().await.unwrap();
    let refreshes = reqs
        .iter()
        .filter(|r| String::from_utf8_lossy(&r.body).contains("refresh_token"))
        .count();
    assert_eq!(refreshes, 1, "a rotating refresh must not be sent twice");
    assert_eq!(reqs.len(), 4);
}

#[tokio::test]
async fn a_token_without_refresh_token_cannot_be_refreshed() {
    let server = MockServer::start().await;
    Mock::given(header_exists("content-type"))
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .mount(&server)
        .await;
    let spotify = Spotify::builder()
        .pkce("my-app")
        .accounts_base_url(server.uri())
        .token(expired("a1", None))
        .build()
        .unwrap();
    let err = spotify.auth().refresh().await.unwrap_err();
    assert!(
        matches!(err, Error::ReauthorizationRequired { .. }),
        "{err:?}"
    );
}
