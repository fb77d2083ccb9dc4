//! Issue #18 (High): a Spotify access token issued to another app is not a credential for the
//! server's own data. Off by default; when turned on, only for what Spotify itself serves.

mod common;

use common::*;
use serde_json::json;

/// A token of some other app the user once approved, with no scopes.
async fn foreign_token(sandbox: &spotkit_sandbox::RunningSandbox) -> String {
    sandbox.token("demo", &[]).await.unwrap().access_token
}

#[tokio::test]
async fn spotify_tokens_are_refused_by_default_without_asking_spotify() {
    let sandbox = sandbox().await;
    let server = server(&sandbox).await;
    let token = foreign_token(&sandbox).await;
    reset_stats(&sandbox).await;
    let api = spotkit::http::client().unwrap();
    let me = api
        .get(format!("{}/me", server.url))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 401);
    let body = json(me).await;
    assert_eq!(body["error"]["code"], "unauthenticated", "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("accept_spotify_bearer"),
        "{body}"
    );
    let write = api
        .post(format!("{}/metadata", server.url))
        .bearer_auth(&token)
        .json(&json!({"trackId": TRACK, "type": "beats", "collection": {"bpm": 1}}))
        .send()
        .await
        .unwrap();
    assert_eq!(write.status(), 401);
    let stats = stats(&sandbox).await;
    assert!(
        stats["requests"]["GET /v1/me"].is_null(),
        "a refused token costs no Spotify call: {stats}"
    );
}

#[tokio::test]
async fn when_accepted_spotify_tokens_never_reach_server_owned_data() {
    let sandbox = sandbox().await;
    let server = server_with(&sandbox, None, |c| c.accept_spotify_bearer = true).await;
    let token = foreign_token(&sandbox).await;
    let api = spotkit::http::client().unwrap();
    // The user's own browser session writes a document first.
    let browser = browser_login(&server, "demo").await;
    let csrf = csrf(&browser, &server).await;
    let r = browser
        .post(format!("{}/metadata", server.url))
        .header("x-csrf-token", &csrf)
        .json(&json!({"trackId": TRACK, "type": "beats", "collection": {"bpm": 120}}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);

    // The foreign token reads and writes none of it.
    for r in [
        api.post(format!("{}/metadata", server.url))
            .bearer_auth(&token)
            .json(&json!({"trackId": TRACK, "type": "beats", "collection": {"bpm": 666}}))
            .send()
            .await
            .unwrap(),
        api.get(format!(
            "{}/metadata?trackId={TRACK}&type=beats",
            server.url
        ))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap(),
        api.get(format!(
            "{}/metadata/versions?trackId={TRACK}&type=beats",
            server.url
        ))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap(),
    ] {
        assert_eq!(r.status(), 401);
        let body = json(r).await;
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap()
                .contains("server API token"),
            "{body}"
        );
    }
    let doc = json(
        browser
            .get(format!(
                "{}/metadata?trackId={TRACK}&type=beats",
                server.url
            ))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(doc["version"], 1, "{doc}");
    assert_eq!(doc["collection"]["bpm"], 120, "{doc}");

    // /me answers with what Spotify says for that token, nothing the server stored.
    let me = json(
        api.get(format!("{}/me", server.url))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(me["auth"], "spotify_bearer", "{me}");
    assert!(me["csrf_token"].is_null(), "{me}");
    assert!(me["token_expires_at"].is_null(), "{me}");
}
