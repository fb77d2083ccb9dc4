//! What real Spotify answers in late 2026 that a client meets before anything else (issue #17):
//! the Development-Mode app conditions as plain-text 403s, the "Illegal scope" page, a day-long
//! rate-limit ban, the search offset cap, Spotify-owned playlists, `/items` on others' playlists,
//! reused rotated refresh tokens, the bare 401 challenge, pretty error bodies and port-less loopback
//! redirect URIs. Each source is cited in the sandbox README's table.

mod common;

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};
use spotkit_sandbox::{AppConditions, ClientApp, Mode, Sandbox};

use common::{Env, dev, start};

const OWNER_NOT_PREMIUM: &str = "Active premium subscription required for the owner of the app. When the subscription status changes, it can take a few hours before requests are allowed again.";
const NOT_REGISTERED: &str = "The user is not registered for this application. Please check your settings on https://developer.spotify.com/dashboard.";
const NOT_REGISTERED_OLD: &str =
    "Check settings on developer.spotify.com/dashboard, the user may not be registered.";

async fn set_app(env: &Env, client_id: &str, body: Value) -> (StatusCode, Value) {
    let r = env
        .http
        .post(format!("{}/_sandbox/apps/{client_id}", env.sb.url()))
        .json(&body)
        .send()
        .await
        .expect("control plane");
    (r.status(), r.json().await.expect("json"))
}

/// Status, content type and text of a GET.
async fn raw(env: &Env, path: &str, token: &str) -> (StatusCode, String, String) {
    let r = env.get(path, token).await;
    let ty = r.headers()["content-type"]
        .to_str()
        .expect("ascii")
        .to_owned();
    (r.status(), ty, r.text().await.expect("body"))
}

#[tokio::test]
async fn an_owner_without_premium_gets_plain_text_403_on_every_endpoint() {
    let env = dev().await;
    let token = env.all_scopes().await;
    env.ok("/me", &token).await;
    let (status, _) = set_app(&env, "spotkit-demo", json!({"owner_premium": false})).await;
    assert_eq!(status, StatusCode::OK);
    for path in [
        "/me",
        "/me/tracks",
        "/me/playlists",
        "/search?q=a&type=track",
    ] {
        let (status, ty, text) = raw(&env, path, &token).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
        assert!(ty.starts_with("text/plain"), "{path}: {ty}");
        assert_eq!(text, OWNER_NOT_PREMIUM, "{path}");
    }
    // When the owner subscribes again, the same token works.
    set_app(&env, "spotkit-demo", json!({"owner_premium": true})).await;
    env.ok("/me", &token).await;
}

#[tokio::test]
async fn a_user_off_the_apps_list_gets_plain_text_403_in_either_wording() {
    let env = dev().await;
    let token = env.all_scopes().await;
    let (status, _) = set_app(&env, "spotkit-demo", json!({"users": ["dj.kofi"]})).await;
    assert_eq!(status, StatusCode::OK);
    let (status, ty, text) = raw(&env, "/me", &token).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(ty.starts_with("text/plain"), "{ty}");
    assert_eq!(text, NOT_REGISTERED);
    set_app(&env, "spotkit-demo", json!({"old_wording": true})).await;
    let (_, _, text) = raw(&env, "/me/albums", &token).await;
    assert_eq!(text, NOT_REGISTERED_OLD);
    // On the list: served.
    set_app(&env, "spotkit-demo", json!({"users": ["dj.kofi", "demo"]})).await;
    env.ok("/me", &token).await;
}

#[tokio::test]
async fn the_user_list_takes_at_most_five() {
    let env = dev().await;
    let six = json!({"users": ["demo", "dj.kofi", "lena-s", "bergstrom", "nightowl77", "paulo.r"]});
    let (status, body) = set_app(&env, "spotkit-demo", six).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(
        body["error_description"]
            .as_str()
            .unwrap()
            .contains("at most 5"),
        "{body}"
    );
    let conditions = AppConditions {
        users: Some((0..6).map(|i| format!("user{i}")).collect()),
        ..AppConditions::default()
    };
    let err = Sandbox::builder()
        .app_conditions("spotkit-demo", conditions)
        .start()
        .await
        .expect_err("six users refused");
    assert!(err.to_string().contains("at most 5"), "{err}");
    let args = <spotkit_sandbox::cli::Args as clap::Parser>::try_parse_from([
        "spotkit-sandbox",
        "--app-users",
        "spotkit-demo:a,b,c,d,e,f",
    ])
    .expect("parses");
    assert!(args.into_config().is_err());
}

#[tokio::test]
async fn extended_quota_apps_are_not_held_to_development_mode_conditions() {
    let env = start(Sandbox::builder().mode(Mode::Extended).app_conditions(
        "spotkit-demo",
        AppConditions {
            owner_premium: false,
            users: Some(vec!["dj.kofi".into()]),
            old_wording: false,
        },
    ))
    .await;
    let token = env.all_scopes().await;
    env.ok("/me", &token).await;
}

#[tokio::test]
async fn a_rate_limit_ban_asks_for_a_day_and_counts_down() {
    let env = start(
        Sandbox::builder()
            .rate_limit(Some(2))
            .rate_limit_ban(Some(Duration::from_secs(86_400))),
    )
    .await;
    let token = env.all_scopes().await;
    env.ok("/me", &token).await;
    env.ok("/me", &token).await;
    let r = env.get("/me", &token).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(r.headers()["retry-after"], "86400");
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let r = env.get("/me", &token).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let left: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((86_390..86_400).contains(&left), "{left}");
    // Lifting the ban through the control plane serves again.
    let r = env
        .http
        .post(format!("{}/_sandbox/faults", env.sb.url()))
        .json(&json!({"rate_limit": null, "rate_limit_ban_secs": null}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    env.ok("/me", &token).await;
}

#[tokio::test]
async fn search_refuses_pages_past_the_thousandth_result() {
    let env = dev().await;
    let token = env.all_scopes().await;
    env.ok("/search?q=a&type=track&offset=990&limit=10", &token)
        .await;
    let message = env
        .err(
            "/search?q=a&type=track&offset=995&limit=10",
            &token,
            StatusCode::BAD_REQUEST,
        )
        .await;
    assert_eq!(message, "Bad request.");
    env.err(
        "/search?q=a&type=track&offset=1000&limit=1",
        &token,
        StatusCode::BAD_REQUEST,
    )
    .await;
}

#[tokio::test]
async fn spotify_owned_playlists_are_hidden_and_404_in_development_mode() {
    let env = dev().await;
    let token = env.all_scopes().await;
    let cat = env.catalog().await;
    let hidden = cat["users"]["demo"]["hidden_playlists"].as_array().unwrap();
    assert_eq!(hidden.len(), 2, "{hidden:?}");
    let listed = env.all("/me/playlists?limit=50", &token, None).await;
    for p in hidden {
        assert_eq!(p["owner"], "spotify");
        let id = p["id"].as_str().unwrap();
        assert!(id.starts_with("37i9dQZF1"), "{id}");
        assert!(listed.iter().all(|l| l["id"] != p["id"]));
        env.err(&format!("/playlists/{id}"), &token, StatusCode::NOT_FOUND)
            .await;
        env.err(
            &format!("/playlists/{id}/items"),
            &token,
            StatusCode::NOT_FOUND,
        )
        .await;
    }
    assert_eq!(
        listed.len(),
        cat["users"]["demo"]["playlists"].as_array().unwrap().len()
    );

    // Listed when the sandbox is told so, and still 404 when fetched.
    let env = start(Sandbox::builder().seed(5).list_spotify_owned(true)).await;
    let token = env.all_scopes().await;
    let listed = env.all("/me/playlists?limit=50", &token, None).await;
    let owned: Vec<&Value> = listed
        .iter()
        .filter(|p| p["owner"]["id"] == "spotify")
        .collect();
    assert_eq!(owned.len(), 2);
    let id = owned[0]["id"].as_str().unwrap();
    env.err(&format!("/playlists/{id}"), &token, StatusCode::NOT_FOUND)
        .await;

    // Extended-Quota apps read them (through `/tracks`; `/items` is for playlists the user owns).
    let env = start(Sandbox::builder().seed(5).mode(Mode::Extended)).await;
    let token = env.all_scopes().await;
    let p = env.playlist(|p| p["owner"] == "spotify").await;
    let id = p["id"].as_str().unwrap();
    env.ok(&format!("/playlists/{id}"), &token).await;
    env.ok(&format!("/playlists/{id}/tracks"), &token).await;
}

#[tokio::test]
async fn extended_items_of_a_playlist_the_user_neither_owns_nor_collaborates_on_is_403() {
    let env = start(Sandbox::builder().seed(5).mode(Mode::Extended)).await;
    let token = env.all_scopes().await;
    let others = env
        .playlist(|p| p["owner"] != "demo" && p["collaborative"] == false)
        .await;
    let id = others["id"].as_str().unwrap();
    assert_eq!(
        env.err(
            &format!("/playlists/{id}/items"),
            &token,
            StatusCode::FORBIDDEN
        )
        .await,
        "Forbidden"
    );
    env.ok(&format!("/playlists/{id}/tracks"), &token).await;
    let own = env.playlist(|p| p["owner"] == "demo").await;
    env.ok(
        &format!("/playlists/{}/items", own["id"].as_str().unwrap()),
        &token,
    )
    .await;
}

#[tokio::test]
async fn a_401_without_a_token_names_only_the_realm() {
    let env = dev().await;
    let r = env.http.get(env.api("/me")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(r.headers()["www-authenticate"], "Bearer realm=\"spotify\"");
    let r = env.get("/me", "not-a-token").await;
    let challenge = r.headers()["www-authenticate"].to_str().unwrap();
    assert!(
        challenge.starts_with("Bearer realm=\"spotify\", error=\"invalid_token\""),
        "{challenge}"
    );
}

#[tokio::test]
async fn error_bodies_are_pretty_printed_utf8_json() {
    let env = dev().await;
    let token = env.all_scopes().await;
    let (status, ty, text) = raw(&env, "/tracks/0000000000000000000000", &token).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(ty, "application/json; charset=utf-8");
    assert!(text.starts_with("{\n  \"error\": {\n    \""), "{text}");
    let body: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        body,
        json!({"error": {"status": 404, "message": "Resource not found"}})
    );
}

#[tokio::test]
async fn a_loopback_redirect_registered_without_port_takes_any_port() {
    let app = ClientApp::parse("portless:secret:http://127.0.0.1/callback").unwrap();
    let env = start(Sandbox::builder().client(app).auto_approve(true)).await;
    let authorize = |redirect: &str| {
        let mut url = url::Url::parse(&format!("{}/authorize", env.sb.url())).unwrap();
        url.query_pairs_mut().extend_pairs([
            ("client_id", "portless"),
            ("response_type", "code"),
            ("redirect_uri", redirect),
            ("state", "s"),
        ]);
        env.http.get(url.to_string()).send()
    };
    let r = authorize("http://127.0.0.1:49152/callback").await.unwrap();
    assert!(r.status().is_redirection(), "{}", r.status());
    let location = r.headers()["location"].to_str().unwrap();
    assert!(
        location.starts_with("http://127.0.0.1:49152/callback?code="),
        "{location}"
    );
    let r = authorize("http://127.0.0.1:49152/elsewhere").await.unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("INVALID_CLIENT: Invalid redirect URI")
    );
}
