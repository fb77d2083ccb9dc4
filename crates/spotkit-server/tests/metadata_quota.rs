//! Issue #18 (Low): a per-user quota on stored metadata, by count of versions and by bytes;
//! beyond it a write answers 429 / 413 with code `metadata_quota_exceeded` and a message naming
//! the setting, and other users are not affected.

mod common;

use common::*;
use serde_json::json;

const TRACK: &str = "4iV5W9uYEdYUVa79Axb7Rh";

async fn post(
    server: &TestServer,
    token: &str,
    collection: serde_json::Value,
) -> reqwest::Response {
    spotkit::http::client()
        .unwrap()
        .post(format!("{}/metadata", server.url))
        .bearer_auth(token)
        .json(&json!({"trackId": TRACK, "type": "beats", "collection": collection}))
        .send()
        .await
        .unwrap()
}

async fn token(server: &TestServer, user: &str) -> String {
    mobile_tokens(server, user).await["access_token"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn a_user_stores_at_most_the_configured_number_of_versions() {
    let sandbox = sandbox().await;
    let server = server_with(&sandbox, None, |c| c.metadata_max_documents_per_user = 2).await;
    let demo = token(&server, "demo").await;
    for bpm in [120, 121] {
        assert_eq!(
            post(&server, &demo, json!({"bpm": bpm})).await.status(),
            201
        );
    }
    let r = post(&server, &demo, json!({"bpm": 122})).await;
    assert_eq!(r.status(), 429);
    let body = json(r).await;
    assert_eq!(body["error"]["code"], "metadata_quota_exceeded", "{body}");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("metadata_max_documents_per_user"),
        "{body}"
    );
    // Reads still work, and another user has a quota of its own.
    let r = spotkit::http::client()
        .unwrap()
        .get(format!(
            "{}/metadata?trackId={TRACK}&type=beats",
            server.url
        ))
        .bearer_auth(&demo)
        .send()
        .await
        .unwrap();
    assert_eq!(json(r).await["version"], 2);
    let other = token(&server, "mixtape_mara").await;
    assert_eq!(
        post(&server, &other, json!({"bpm": 90})).await.status(),
        201
    );
}

#[tokio::test]
async fn a_user_stores_at_most_the_configured_bytes() {
    let sandbox = sandbox().await;
    let server = server_with(&sandbox, None, |c| c.metadata_max_bytes_per_user = 100).await;
    let demo = token(&server, "demo").await;
    let sixty = json!({"beats": "x".repeat(48)});
    assert_eq!(sixty.to_string().len(), 60);
    assert_eq!(post(&server, &demo, sixty.clone()).await.status(), 201);
    let r = post(&server, &demo, sixty).await;
    assert_eq!(r.status(), 413);
    let body = json(r).await;
    assert_eq!(body["error"]["code"], "metadata_quota_exceeded", "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("metadata_max_bytes_per_user"),
        "{body}"
    );
    // What still fits is stored.
    assert_eq!(post(&server, &demo, json!({"bpm": 1})).await.status(), 201);
}
