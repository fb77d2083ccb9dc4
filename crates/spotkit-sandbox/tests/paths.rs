//! Request paths as Spotify reads them: a trailing slash names the same resource
//! (spotipy's and tekore's `current_user()` send `GET /v1/me/`).

mod common;

use reqwest::StatusCode;

use common::{dev, extended};

#[tokio::test]
async fn a_trailing_slash_names_the_same_resource() {
    let env = dev().await;
    let token = env.all_scopes().await;
    let me = env.ok("/me", &token).await;
    assert_eq!(me["id"], "demo");
    assert_eq!(env.ok("/me/", &token).await, me);

    let page = env.ok("/me/tracks?limit=3", &token).await;
    assert_eq!(env.ok("/me/tracks/?limit=3", &token).await, page);

    // Errors stay errors, and an unknown path with a slash is still unknown.
    assert_eq!(
        env.err("/me/", "garbage", StatusCode::UNAUTHORIZED).await,
        "Invalid access token"
    );
    assert_eq!(
        env.err("/no-such-thing/", &token, StatusCode::NOT_FOUND)
            .await,
        "Service not found"
    );
}

#[tokio::test]
async fn a_trailing_slash_works_on_ids_and_in_extended_mode() {
    let env = extended().await;
    let token = env.all_scopes().await;
    let liked = env.ok("/me/tracks?limit=1", &token).await;
    let id = liked["items"][0]["track"]["id"]
        .as_str()
        .expect("track id")
        .to_owned();
    let track = env.ok(&format!("/tracks/{id}"), &token).await;
    assert_eq!(env.ok(&format!("/tracks/{id}/"), &token).await, track);
    assert_eq!(env.ok("/me/", &token).await["id"], "demo");
}
