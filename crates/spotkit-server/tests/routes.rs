//! Routes driven in-process with `tower::ServiceExt::oneshot`.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt as _;
use tower::ServiceExt as _;

async fn state(
    secure: bool,
) -> (
    spotkit_sandbox::RunningSandbox,
    spotkit_server::AppState,
    std::sync::Arc<tempfile::TempDir>,
) {
    let sandbox = common::sandbox().await;
    let (url, dir) = common::sqlite_url();
    let mut config = common::config(&sandbox, "127.0.0.1:8443".parse().unwrap(), &url);
    config.cookie_secure = secure;
    config.public_url = "https://music.example.com".into();
    let state = spotkit_server::connect(config).await.unwrap();
    (sandbox, state, dir)
}

async fn call(
    state: &spotkit_server::AppState,
    req: Request<Body>,
) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let r = spotkit_server::app(state.clone())
        .oneshot(req)
        .await
        .unwrap();
    let status = r.status();
    let headers = r.headers().clone();
    let body = r.into_body().collect().await.unwrap().to_bytes().to_vec();
    (status, headers, body)
}

fn get(uri: &str) -> Request<Body> {
    Request::get(uri).body(Body::empty()).unwrap()
}

#[tokio::test]
async fn health_readiness_docs_and_the_envelope() {
    let (_sandbox, state, _dir) = state(true).await;
    let (s, h, body) = call(&state, get("/healthz")).await;
    assert_eq!(s, 200);
    assert!(h.contains_key("x-request-id"));
    assert_eq!(body, br#"{"status":"ok"}"#);
    let (s, _, _) = call(&state, get("/readyz")).await;
    assert_eq!(s, 200);

    let (s, h, body) = call(&state, get("/openapi.json")).await;
    assert_eq!(s, 200);
    assert!(
        h["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    let doc: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/login",
        "/callback",
        "/logout",
        "/token",
        "/me",
        "/playlists",
        "/playlists/{id}",
        "/metadata",
        "/metadata/versions",
        "/healthz",
        "/readyz",
    ] {
        assert!(
            doc["paths"].get(path).is_some(),
            "{path} missing from the OpenAPI document"
        );
    }
    let (s, _, body) = call(&state, get("/docs")).await;
    assert_eq!(s, 200);
    assert!(
        String::from_utf8(body)
            .unwrap()
            .contains("GET /playlists/{id}")
    );

    let (s, _, body) = call(&state, get("/nope")).await;
    assert_eq!(s, 404);
    let e: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(e["error"]["code"], "not_found");
    assert_eq!(e["error"]["status"], 404);
    let (s, _, body) = call(&state, Request::delete("/me").body(Body::empty()).unwrap()).await;
    assert_eq!(s, 405);
    let e: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(e["error"]["code"], "method_not_allowed");
    let (s, h, body) = call(&state, get("/me")).await;
    assert_eq!(s, 401);
    assert!(h.contains_key("www-authenticate"));
    let e: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(e["error"]["code"], "unauthenticated");
}

#[tokio::test]
async fn the_login_cookie_is_host_prefixed_secure_httponly_lax() {
    let (sandbox, state, _dir) = state(true).await;
    let (s, h, _) = call(&state, get("/login")).await;
    assert_eq!(s, 302);
    // The session cookie is built the same way; /login sets only the login cookie.
    assert_eq!(h.get_all("set-cookie").iter().count(), 1);
    let cookie = h["set-cookie"].to_str().unwrap();
    assert!(cookie.starts_with("__Host-spotkit_login="), "{cookie}");
    for attr in ["; Path=/", "; HttpOnly", "; SameSite=Lax", "; Secure"] {
        assert!(cookie.contains(attr), "{cookie} lacks {attr}");
    }
    assert!(
        !cookie.to_ascii_lowercase().contains("domain="),
        "__Host- cookies have no Domain: {cookie}"
    );
    let location = h["location"].to_str().unwrap();
    assert!(location.starts_with(sandbox.url()), "{location}");
    assert!(
        location.contains("redirect_uri=https%3A%2F%2Fmusic.example.com%2Fcallback"),
        "{location}"
    );
    assert!(
        location.contains("code_challenge="),
        "PKCE on the confidential client: {location}"
    );
}

#[tokio::test]
async fn json_bodies_must_be_json() {
    let (_sandbox, state, _dir) = state(true).await;
    // /metadata takes only the server's own credentials: a server API token.
    let profile = serde_json::json!({"id": "demo"});
    spotkit_server::db::tokens::upsert_user(state.db(), "demo", &profile, true)
        .await
        .unwrap();
    let token =
        spotkit_server::db::sessions::issue_api_tokens(state.db(), "demo", None, 60, 60, 60)
            .await
            .unwrap()
            .access_token;
    let req = Request::post("/metadata")
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "text/plain")
        .body(Body::from("{}"))
        .unwrap();
    let (s, _, body) = call(&state, req).await;
    assert_eq!(s, 400, "{}", String::from_utf8_lossy(&body));
    let e: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(e["error"]["code"], "unsupported_media_type");
    let req = Request::post("/metadata")
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .body(Body::from("{not json"))
        .unwrap();
    let (s, _, body) = call(&state, req).await;
    assert_eq!(s, 400);
    let e: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(e["error"]["code"], "invalid_json");
}

#[tokio::test]
async fn rate_limits_answer_429_with_retry_after() {
    let sandbox = common::sandbox().await;
    let (url, _dir) = common::sqlite_url();
    let mut config = common::config(&sandbox, "127.0.0.1:8443".parse().unwrap(), &url);
    config.rate_limits.login_per_ip_per_minute = 3;
    let state = spotkit_server::connect(config).await.unwrap();
    for _ in 0..3 {
        assert_eq!(call(&state, get("/login")).await.0, 302);
    }
    let (s, h, body) = call(&state, get("/login")).await;
    assert_eq!(s, 429);
    assert!(h["retry-after"].to_str().unwrap().parse::<u64>().unwrap() >= 1);
    let e: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(e["error"]["code"], "rate_limited");
}
