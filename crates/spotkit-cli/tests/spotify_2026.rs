//! What a person sees when Spotify of late 2026 refuses (issue #17): the app's owner without
//! Premium, a user off the app's list, an unknown scope (Spotify's "Illegal scope" page never comes
//! back), and a followed Spotify-owned playlist that answers 404 during an export.

mod common;

use std::process::Stdio;

use serde_json::{Value, json};
use spotkit_sandbox::Sandbox;
use tokio::io::{AsyncBufReadExt, BufReader};

use common::{cmd, login_paste, reset_stats, run, sandbox, sandbox_stats};

async fn set_app(sb: &spotkit_sandbox::RunningSandbox, body: Value) {
    let resp = spotkit::http::client()
        .unwrap()
        .post(format!("{}/_sandbox/apps/spotkit-demo", sb.url()))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_success(), "{}", resp.status());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn app_refusals_say_which_dashboard_step_fixes_them() {
    let sb = sandbox(3).await;
    let dir = tempfile::tempdir().unwrap();
    login_paste(&sb, dir.path()).await;

    set_app(&sb, json!({"owner_premium": false})).await;
    let out = run(&sb, dir.path(), &["export", "liked", "--out", "liked.json"]).await;
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("has no active Premium subscription"), "{err}");
    assert!(
        err.contains("Active premium subscription required for the owner of the app"),
        "{err}"
    );
    assert!(
        err.contains("  hint: the Spotify account that created this app at https://developer.spotify.com/dashboard needs an active Premium subscription"),
        "{err}"
    );

    set_app(
        &sb,
        json!({"owner_premium": true, "users": ["dj.kofi"], "old_wording": true}),
    )
    .await;
    let out = run(&sb, dir.path(), &["export", "liked", "--out", "liked.json"]).await;
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not on the app's user list"), "{err}");
    assert!(err.contains("the user may not be registered"), "{err}");
    assert!(
        err.contains("Settings → User Management → Add new user"),
        "{err}"
    );
    assert!(!dir.path().join("liked.json").exists());

    // Added to the list: the saved login works again, no new login.
    set_app(&sb, json!({"users": ["dj.kofi", "demo"]})).await;
    let out = run(&sb, dir.path(), &["export", "liked", "--out", "liked.json"]).await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_scope_is_refused_before_the_browser_opens() {
    let sb = sandbox(1).await;
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        &sb,
        dir.path(),
        &[
            "login",
            "--port",
            "0",
            "--scopes",
            "user-library-read,user-read-everything",
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!stdout.contains("/authorize?"), "{stdout}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("`user-read-everything` is not a Spotify scope"),
        "{err}"
    );
    assert!(err.contains("Illegal scope"), "{err}");
    assert!(
        err.contains("  hint: check the spelling in --scopes"),
        "{err}"
    );
    assert!(err.contains("user-library-read"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_loopback_login_says_what_an_illegal_scope_page_means_while_it_waits() {
    let sb = sandbox(1).await;
    let dir = tempfile::tempdir().unwrap();
    let mut child = cmd(&sb, dir.path())
        .args(["login", "--port", "0", "--timeout", "30"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut seen = String::new();
    while !seen.contains("Illegal scope") {
        let line = tokio::time::timeout(std::time::Duration::from_secs(20), lines.next_line())
            .await
            .expect("the note comes at once, not at the timeout")
            .unwrap()
            .expect("the CLI keeps printing");
        seen.push_str(&line);
        seen.push('\n');
    }
    assert!(seen.contains("/authorize?"), "{seen}");
    assert!(seen.contains("Waiting up to 30s"), "{seen}");
    assert!(seen.contains("press Ctrl-C"), "{seen}");
    child.kill().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_skips_a_followed_spotify_owned_playlist_that_404s_and_goes_on() {
    let sb = Sandbox::builder()
        .seed(11)
        .liked(3)
        .playlists(3)
        .auto_approve(true)
        .list_spotify_owned(true)
        .start()
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    login_paste(&sb, dir.path()).await;
    let out = run(
        &sb,
        dir.path(),
        &["export", "playlists", "--format", "json", "--out", "lists"],
    )
    .await;
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("spotkit: skipped playlist `Today's Top Hits`: 404 Not Found: a Spotify-owned (editorial or algorithmic) playlist"),
        "{err}"
    );
    assert!(err.contains("skipped playlist `Discover Weekly`"), "{err}");
    let index: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("lists/index.json")).unwrap())
            .unwrap();
    let files = index["files"].as_array().unwrap();
    assert_eq!(files.len(), 5, "{index}");
    let skipped: Vec<&Value> = files.iter().filter(|f| f["skipped"].is_string()).collect();
    assert!(skipped.len() >= 2, "{index}");
    assert!(
        files
            .iter()
            .filter(|f| f["name"] == "Today's Top Hits")
            .all(
                |f| f["file"].is_null() && f["skipped"].as_str().unwrap().contains("Spotify-owned")
            )
    );
    // The others were exported.
    assert!(
        files
            .iter()
            .any(|f| f["skipped"].is_null() && f["file"].is_string())
    );
}

/// A PKCE refresh token that was rotated away (another program refreshed with it) gets
/// `invalid_grant: Refresh token revoked` from Spotify (rspotify#396): the CLI says the login is
/// no longer valid and how to get a new one, and does not retry.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_refresh_token_says_log_in_again() {
    let sb = Sandbox::builder()
        .seed(11)
        .liked(3)
        .auto_approve(true)
        .token_ttl(std::time::Duration::from_secs(1))
        .addr("127.0.0.1:0".parse().unwrap())
        .start()
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    login_paste(&sb, dir.path()).await;
    let saved: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("tokens/default.json")).unwrap())
            .unwrap();
    let refresh = saved["refresh_token"].as_str().unwrap().to_owned();
    // Another program refreshes with the saved token and keeps the rotated one to itself.
    let rotated = spotkit::http::client()
        .unwrap()
        .post(format!("{}/api/token", sb.accounts_url()))
        .form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh.as_str()),
            ("client_id", "spotkit-demo"),
        ])
        .send()
        .await
        .unwrap();
    assert!(rotated.status().is_success(), "{rotated:?}");
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;

    let out = run(&sb, dir.path(), &["export", "liked", "--out", "liked.json"]).await;
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("Refresh token revoked"), "{err}");
    assert!(
        err.contains("  hint: your login is no longer valid: run `spotkit login` again"),
        "{err}"
    );
    assert!(!dir.path().join("liked.json").exists());
}

/// `export playlists` asks for all the pages of the user's own playlists at once (the list tells
/// their sizes) and for one page of the others, which a Development-Mode app may not read: no
/// request is spent on pages Spotify refuses.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_spends_no_request_on_refused_pages() {
    let sb = Sandbox::builder()
        .seed(28)
        .liked(3)
        .playlists(12)
        .auto_approve(true)
        .start()
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    login_paste(&sb, dir.path()).await;

    reset_stats(&sb).await;
    let out = run(
        &sb,
        dir.path(),
        &["export", "playlists", "--format", "jsonl", "--out", "lists"],
    )
    .await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let index: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("lists/index.json")).unwrap())
            .unwrap();
    let files = index["files"].as_array().unwrap();
    let (refused, read): (Vec<&Value>, Vec<&Value>) =
        files.iter().partition(|f| f["skipped"].is_string());
    assert!(!refused.is_empty(), "{index}");
    assert!(
        read.iter().any(|f| f["items"].as_u64().unwrap() > 100),
        "no playlist of several pages: {index}"
    );
    let pages: u64 = read
        .iter()
        .map(|f| f["items"].as_u64().unwrap().div_ceil(50).max(1))
        .sum();
    let stats = sandbox_stats(&sb).await;
    let items = &stats["requests"]["GET /v1/playlists/{playlist_id}/items"];
    // Every readable page once; one refused request per other playlist (not one per page).
    assert_eq!(items["200"].as_u64(), Some(pages), "{stats}\n{index}");
    assert_eq!(
        items["403"].as_u64(),
        Some(refused.len() as u64),
        "{stats}\n{index}"
    );
}
