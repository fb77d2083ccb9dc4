//! Issue #18 (Low): a `code_verifier` of the wrong length is a 400, and a panic anywhere is a
//! 500 in the error envelope instead of a dropped connection; both through a real socket.

mod common;

use axum::routing::get;
use common::*;

#[tokio::test]
async fn a_verifier_of_the_wrong_length_is_a_400() {
    let sandbox = sandbox().await;
    let server = server(&sandbox).await;
    let api = spotkit::http::client().unwrap();
    for verifier in ["short", &"a".repeat(129)] {
        let (code, _) = mobile_code(&server, "demo").await;
        let r = api
            .post(format!("{}/token", server.url))
            .form(&[
                ("grant_type", "authorization_code"),
                ("code", code.as_str()),
                ("code_verifier", verifier),
                ("redirect_uri", "com.example.app://callback"),
            ])
            .send()
            .await
            .expect("the connection was dropped");
        assert_eq!(r.status(), 400);
        let body = json(r).await;
        assert_eq!(body["error"]["field"], "code_verifier", "{body}");
    }
}

#[tokio::test]
async fn a_panic_is_a_500_in_the_envelope() {
    let sandbox = sandbox().await;
    let (url, _dir) = sqlite_url();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let state = spotkit_server::connect(config(&sandbox, addr, &url))
        .await
        .unwrap();
    let limits = spotkit_server::server::Limits::from_config(state.config());
    let router = spotkit_server::app(state).route(
        "/boom",
        get(|| async { assert!(std::hint::black_box(false), "a bug") }),
    );
    let task = tokio::spawn(spotkit_server::server::serve_router(
        listener,
        router,
        limits,
        std::future::pending(),
    ));
    let api = spotkit::http::client().unwrap();
    let r = api
        .get(format!("http://{addr}/boom"))
        .send()
        .await
        .expect("the connection was dropped");
    assert_eq!(r.status(), 500);
    let body = json(r).await;
    assert_eq!(body["error"]["code"], "internal", "{body}");
    assert!(!body.to_string().contains("a bug"), "{body}");
    // The server still serves.
    let r = api
        .get(format!("http://{addr}/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    task.abort();
}
