//! The `spotkit` binary end to end against an in-process sandbox: login (paste and loopback),
//! status, logout, export in every format checked against the sandbox catalogue, bad input.

mod common;

use std::path::Path;
use std::process::Stdio;

use common::{
    BIN, catalog, clear_quota, cmd, liked_page, login_paste, login_paste_with, ok, run, sandbox,
    sandbox_stats, set_quota, temp_files,
};
use serde_json::Value;
use spotkit_sandbox::Sandbox;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paste_login_status_logout() {
    let sb = sandbox(30).await;
    let dir = tempfile::tempdir().unwrap();
    let out = login_paste(&sb, dir.path()).await;
    assert!(out.contains("Logged in as demo"), "{out}");

    let status: Value =
        serde_json::from_str(&ok(&run(&sb, dir.path(), &["status", "--json"]).await)).unwrap();
    assert_eq!(status["user"]["id"], "demo");
    assert_eq!(status["profile"], "default");
    assert!(
        status["scopes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s == "user-library-read")
    );
    assert!(status["expires_at"].as_i64().unwrap() > 0);
    let token_file = status["token_file"].as_str().unwrap().to_owned();
    assert!(Path::new(&token_file).starts_with(dir.path()));
    assert!(Path::new(&token_file).exists());
    let human = ok(&run(&sb, dir.path(), &["status"]).await);
    assert!(human.contains("Demo Listener (demo)"), "{human}");
    // No secrets: the token itself is never printed.
    let saved: Value = serde_json::from_slice(&std::fs::read(&token_file).unwrap()).unwrap();
    let access = saved["access_token"].as_str().unwrap();
    assert!(!human.contains(access));

    let profiles = ok(&run(&sb, dir.path(), &["profiles"]).await);
    assert_eq!(profiles.trim(), "* default");

    // The config file records the app and base URLs the profile logged in with.
    let path = ok(&run(&sb, dir.path(), &["config", "path"]).await);
    assert_eq!(Path::new(path.trim()), dir.path().join("config.json"));
    let config: Value =
        serde_json::from_str(&ok(&run(&sb, dir.path(), &["config", "show"]).await)).unwrap();
    assert_eq!(config["profiles"]["default"]["client_id"], "spotkit-demo");
    assert_eq!(
        config["profiles"]["default"]["api_base"],
        sb.api_url().as_str()
    );
    // ... so later commands need neither the env nor the flags.
    let bare = Command::new(BIN)
        .args(["status", "--json"])
        .env("SPOTKIT_CONFIG_DIR", dir.path())
        .env_remove("SPOTKIT_CLIENT_ID")
        .env_remove("SPOTKIT_API_BASE")
        .env_remove("SPOTKIT_ACCOUNTS_BASE")
        .env_remove("SPOTKIT_PROFILE")
        .output()
        .await
        .unwrap();
    assert!(ok(&bare).contains("\"demo\""));

    ok(&run(&sb, dir.path(), &["logout"]).await);
    let config: Value =
        serde_json::from_str(&ok(&run(&sb, dir.path(), &["config", "show"]).await)).unwrap();
    assert!(config.get("profiles").is_none(), "{config}");
    assert!(!Path::new(&token_file).exists());
    let out = run(&sb, dir.path(), &["status"]).await;
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("spotkit: not logged in"), "{err}");
    assert!(err.contains("  hint: run `spotkit login`"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn loopback_login_through_a_following_browser() {
    let sb = sandbox(10).await;
    let dir = tempfile::tempdir().unwrap();
    let mut child = cmd(&sb, dir.path())
        .args(["login", "--port", "0", "--profile", "work"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut seen = String::new();
    let url = loop {
        let line = lines
            .next_line()
            .await
            .unwrap()
            .expect("the CLI prints the URL");
        seen.push_str(&line);
        seen.push('\n');
        if line.contains("/authorize?") {
            break line.trim().to_owned();
        }
    };
    // The redirect URI names the port the listener really got.
    assert!(!seen.contains("127.0.0.1:0/"), "{seen}");
    // A browser follows the consent redirect to the CLI's loopback listener.
    let resp = spotkit::http::client()
        .unwrap()
        .get(&url)
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_success(), "{}", resp.status());
    while let Some(line) = lines.next_line().await.unwrap() {
        seen.push_str(&line);
        seen.push('\n');
    }
    assert!(child.wait().await.unwrap().success(), "{seen}");
    assert!(
        seen.contains("Logged in as demo (profile `work`)"),
        "{seen}"
    );
    assert!(dir.path().join("tokens/work.json").exists());
    let status = ok(&run(&sb, dir.path(), &["--profile", "work", "status"]).await);
    assert!(status.contains("Profile:    work"), "{status}");
    // The default profile is not logged in.
    assert_eq!(
        run(&sb, dir.path(), &["status"]).await.status.code(),
        Some(1)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closed_stdout_pipe_is_success() {
    let sb = sandbox(400).await;
    let dir = tempfile::tempdir().unwrap();
    login_paste(&sb, dir.path()).await;
    let mut child = cmd(&sb, dir.path())
        .args(["export", "liked", "--format", "jsonl"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    assert!(lines.next_line().await.unwrap().unwrap().starts_with('{'));
    drop(lines);
    let out = child.wait_with_output().await.unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_login_says_log_in_again() {
    let sb = Sandbox::builder()
        .liked(3)
        .auto_approve(true)
        .token_ttl(std::time::Duration::from_secs(1))
        .refresh_token_ttl(std::time::Duration::from_secs(1))
        .addr("127.0.0.1:0".parse().unwrap())
        .start()
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    login_paste(&sb, dir.path()).await;
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    let out = run(&sb, dir.path(), &["export", "liked"]).await;
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("spotkit: "), "{err}");
    assert!(
        err.contains("  hint: your login is no longer valid: run `spotkit login` again"),
        "{err}"
    );
    let token: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("tokens/default.json")).unwrap())
            .unwrap();
    for secret in ["access_token", "refresh_token"] {
        if let Some(t) = token[secret].as_str() {
            assert!(!err.contains(t), "{secret} printed: {err}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn long_rate_limit_says_when_to_retry() {
    let sb = sandbox(3).await;
    let dir = tempfile::tempdir().unwrap();
    login_paste(&sb, dir.path()).await;
    let resp = spotkit::http::client()
        .unwrap()
        .post(format!("{}/_sandbox/faults", sb.url()))
        .json(&serde_json::json!({"fail_429": 1.0, "retry_after_secs": 10800}))
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_success());
    let out = run(
        &sb,
        dir.path(),
        &["export", "liked", "--format", "csv", "--out", "never.csv"],
    )
    .await;
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("rate limiting"), "{err}");
    assert!(err.contains("  hint: Spotify asked to wait 3h 0m"), "{err}");
    assert!(!dir.path().join("never.csv").exists());
    assert_eq!(
        std::fs::read_dir(dir.path())
            .unwrap()
            .filter(|e| e
                .as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with(".tmp"))
            .count(),
        0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn taken_loopback_port_falls_back_to_pasting() {
    let sb = sandbox(3).await;
    let dir = tempfile::tempdir().unwrap();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let out = login_paste_with(
        &sb,
        dir.path(),
        &["login", "--port", &port.to_string()],
        port,
    )
    .await;
    assert!(out.contains("Logged in as demo"), "{out}");
    drop(taken);
}

fn csv_rows(text: &str) -> Vec<&str> {
    text.lines().skip(1).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exports_match_the_catalogue() {
    let sb = sandbox(137).await;
    let dir = tempfile::tempdir().unwrap();
    login_paste(&sb, dir.path()).await;
    let cat = catalog(&sb).await;
    let liked = cat["users"]["demo"]["liked"].as_u64().unwrap() as usize;
    assert_eq!(liked, 137);
    let out = dir.path().join("out");
    let p = |name: &str| out.join(name).to_string_lossy().into_owned();

    // JSON keeps every field the API returned.
    ok(&run(
        &sb,
        dir.path(),
        &[
            "export",
            "liked",
            "--format",
            "json",
            "--out",
            &p("liked.json"),
        ],
    )
    .await);
    let json: Value =
        serde_json::from_slice(&std::fs::read(out.join("liked.json")).unwrap()).unwrap();
    let items = json["items"].as_array().unwrap();
    assert_eq!(items.len(), liked);
    // … exactly as Spotify sent them: the first page, read straight from the API, is the
    // export's first 50 items, every member and value (nulls included) the same.
    let page = liked_page(&sb, 50).await;
    assert_eq!(items[..50], page["items"].as_array().unwrap()[..]);
    let first = &items[0];
    assert!(first["added_at"].is_string());
    assert!(first["track"]["album"]["images"].is_array());
    assert!(first["track"]["external_urls"]["spotify"].is_string());

    // CSV: BOM, the Exportify header, one row per liked song, a row checked cell by cell.
    ok(&run(
        &sb,
        dir.path(),
        &[
            "export",
            "liked",
            "--format",
            "csv",
            "--out",
            &p("liked.csv"),
        ],
    )
    .await);
    let csv = std::fs::read_to_string(out.join("liked.csv")).unwrap();
    let csv = csv.strip_prefix('\u{feff}').expect("UTF-8 BOM first");
    assert_eq!(
        csv.lines().next().unwrap(),
        "Track URI,Track Name,Album Name,Artist Name(s),Release Date,Duration (ms),Popularity,Explicit,Added By,Added At,Genres,Record Label,Danceability,Energy,Key,Loudness,Mode,Speechiness,Acousticness,Instrumentalness,Liveness,Valence,Tempo,Time Signature"
    );
    assert_eq!(csv_rows(csv).len(), liked);
    let t = &first["track"];
    let artists: Vec<&str> = t["artists"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    // Exportify's quoting: free-text columns always quoted, the others bare; genres and labels
    // are refused to Development-Mode apps, audio features to every new app.
    let expected = format!(
        "{},\"{}\",\"{}\",\"{}\",{},{},,{},,{},\"\",\"\",{}",
        t["uri"].as_str().unwrap(),
        t["name"].as_str().unwrap().replace('"', "\"\""),
        t["album"]["name"].as_str().unwrap().replace('"', "\"\""),
        artists.join(";").replace('"', "\"\""),
        t["album"]["release_date"].as_str().unwrap(),
        t["duration_ms"],
        t["explicit"],
        first["added_at"].as_str().unwrap(),
        [""; 12].join(","),
    );
    assert_eq!(csv_rows(csv)[0], expected);

    // M3U8 and JSONL.
    ok(&run(
        &sb,
        dir.path(),
        &[
            "export",
            "liked",
            "--format",
            "m3u",
            "--out",
            &p("liked.m3u8"),
        ],
    )
    .await);
    let m3u = std::fs::read_to_string(out.join("liked.m3u8")).unwrap();
    assert!(m3u.starts_with("#EXTM3U\n"));
    assert_eq!(
        m3u.lines().filter(|l| l.starts_with("#EXTINF:")).count(),
        liked
    );
    let secs = t["duration_ms"].as_u64().unwrap() / 1000;
    let line = format!(
        "#EXTINF:{secs},{} - {}",
        artists.join(", "),
        t["name"].as_str().unwrap()
    );
    assert!(m3u.contains(&line), "{line} not in {m3u}");
    let jsonl = ok(&run(
        &sb,
        dir.path(),
        &["export", "liked", "--format", "jsonl", "--out", "-"],
    )
    .await);
    assert_eq!(jsonl.lines().count(), liked);
    assert_eq!(
        serde_json::from_str::<Value>(jsonl.lines().next().unwrap()).unwrap(),
        *first
    );

    // One playlist by URL, and every playlist into a folder with an index.
    let playlists = cat["users"]["demo"]["playlists"].as_array().unwrap();
    let pl = playlists.iter().find(|p| p["owner"] == "demo").unwrap();
    let url = format!(
        "https://open.spotify.com/playlist/{}",
        pl["id"].as_str().unwrap()
    );
    let one = ok(&run(
        &sb,
        dir.path(),
        &["export", "playlist", &url, "--format", "csv"],
    )
    .await);
    assert_eq!(
        csv_rows(one.strip_prefix('\u{feff}').unwrap()).len(),
        pl["items"].as_u64().unwrap() as usize
    );
    let by_name = ok(&run(
        &sb,
        dir.path(),
        &[
            "export",
            "playlist",
            pl["name"].as_str().unwrap(),
            "--format",
            "jsonl",
        ],
    )
    .await);
    assert_eq!(
        by_name.lines().count(),
        pl["items"].as_u64().unwrap() as usize
    );

    let written: Value = serde_json::from_str(&ok(&run(
        &sb,
        dir.path(),
        &[
            "--json",
            "export",
            "all",
            "--format",
            "csv",
            "--out",
            &p("all"),
        ],
    )
    .await))
    .unwrap();
    let written = written.as_array().unwrap();
    assert_eq!(written.len(), playlists.len() + 1);
    let folder = std::fs::read_dir(out.join("all"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    assert!(
        folder
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("spotkit-export-20")
    );
    let index: Value =
        serde_json::from_slice(&std::fs::read(folder.join("index.json")).unwrap()).unwrap();
    assert_eq!(
        index["files"].as_array().unwrap().len(),
        playlists.len() + 1
    );
    // Development Mode: only playlists the user owns or collaborates on have readable items; the
    // others are listed as skipped, and the export goes on.
    let mut files = 0;
    for (w, pl) in written.iter().skip(1).zip(playlists) {
        assert_eq!(w["id"], pl["id"]);
        let readable = pl["owner"] == "demo" || pl["collaborative"] == true;
        if readable {
            assert_eq!(w["items"], pl["items"], "{w}");
            assert!(w.get("skipped").is_none(), "{w}");
            let file = std::fs::read_to_string(w["path"].as_str().unwrap()).unwrap();
            assert_eq!(csv_rows(&file).len() as u64, pl["items"].as_u64().unwrap());
            files += 1;
        } else {
            assert!(w["skipped"].as_str().unwrap().contains("403"), "{w}");
        }
    }
    assert!(files > 0);
    // As CSV, laid out like Exportify's "Export All": liked songs and the playlists side by side,
    // plus the index.
    assert!(folder.join("Liked_Songs.csv").is_file());
    assert_eq!(std::fs::read_dir(&folder).unwrap().count(), files + 2);
    // No temp files left behind.
    for entry in std::fs::read_dir(&folder).unwrap() {
        assert!(
            !entry
                .unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with(".tmp")
        );
    }

    // Saved albums as JSON.
    let albums: Value =
        serde_json::from_str(&ok(&run(&sb, dir.path(), &["export", "albums"]).await)).unwrap();
    assert_eq!(
        albums["items"].as_array().unwrap().len() as u64,
        cat["users"]["demo"]["albums"].as_u64().unwrap()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_is_a_clear_error() {
    let sb = sandbox(5).await;
    let dir = tempfile::tempdir().unwrap();
    login_paste(&sb, dir.path()).await;
    let out = run(
        &sb,
        dir.path(),
        &[
            "export",
            "playlist",
            "https://music.apple.com/us/playlist/x/pl.u-123",
            "--out",
            "x.csv",
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("music.apple.com"), "{err}");
    assert!(err.contains("  hint: "), "{err}");
    assert!(!dir.path().join("x.csv").exists());

    let out = run(
        &sb,
        dir.path(),
        &["export", "playlist", "No such playlist here"],
    )
    .await;
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no playlist named"));

    let out = run(&sb, dir.path(), &["export", "liked", "--format", "xml"]).await;
    assert_eq!(out.status.code(), Some(2));

    let out = cmd(&sb, dir.path())
        .args(["export", "liked"])
        .env_remove("SPOTKIT_CLIENT_ID")
        .env("SPOTKIT_CONFIG_DIR", dir.path().join("empty"))
        .output()
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("hint: pass --client-id or set SPOTKIT_CLIENT_ID")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_and_completions() {
    let sb = sandbox(5).await;
    let dir = tempfile::tempdir().unwrap();
    login_paste(&sb, dir.path()).await;
    let json: Value = serde_json::from_str(&ok(&run(
        &sb,
        dir.path(),
        &[
            "search",
            "a",
            "--type",
            "track,artist",
            "--limit",
            "3",
            "--json",
        ],
    )
    .await))
    .unwrap();
    assert!(json["tracks"]["items"].as_array().unwrap().len() <= 3);
    assert!(json["artists"].is_object());
    let table = ok(&run(&sb, dir.path(), &["search", "a", "--limit", "3"]).await);
    assert!(
        table
            .lines()
            .all(|l| l.starts_with("track ") && l.contains("spotify:track:")),
        "{table}"
    );
    let bash = ok(&run(&sb, dir.path(), &["completions", "bash"]).await);
    assert!(bash.contains("_spotkit()"));
}

/// Issue #25: an export stopped by the developer account's quota says so (not "rate limiting"),
/// exits 75, asks nothing again in a loop, and leaves no partial file.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_25_export_stopped_by_the_quota_leaves_no_partial_file() {
    let sb = sandbox(260).await;
    let dir = tempfile::tempdir().unwrap();
    login_paste(&sb, dir.path()).await;
    set_quota(&sb, serde_json::json!({"requests": 2, "window_secs": 3600})).await;
    let out = run(
        &sb,
        dir.path(),
        &["export", "liked", "--format", "csv", "--out", "liked.csv"],
    )
    .await;
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(75), "{err}");
    assert!(err.starts_with("spotkit: stopped: Spotify's request quota for your developer account is used up; no file was written"), "{err}");
    assert!(err.contains("QUOTA_EXCEEDED"), "{err}");
    assert!(!err.contains("rate limiting"), "{err}");
    for part in [
        "  hint: the quota is shared",
        "until about",
        "spread large exports",
        "Extended Quota",
    ] {
        assert!(err.contains(part), "{part}: {err}");
    }
    assert!(!dir.path().join("liked.csv").exists());
    assert_eq!(temp_files(dir.path()), Vec::<String>::new());
    let stats = sandbox_stats(&sb).await;
    let refused = stats["faults"]["quota_exceeded"].as_u64().unwrap();
    // One refusal per page in flight at most (8), none asked again.
    assert!((1..=8).contains(&refused), "{stats}");

    // `export all`: what finished before the stop is complete, nothing else is there.
    clear_quota(&sb).await;
    set_quota(&sb, serde_json::json!({"requests": 8, "window_secs": 3600})).await;
    let out = run(
        &sb,
        dir.path(),
        &["export", "all", "--format", "json", "--out", "backups"],
    )
    .await;
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(75), "{err}");
    assert!(
        err.contains("index.json is only written when the whole export completes"),
        "{err}"
    );
    let export = std::fs::read_dir(dir.path().join("backups"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let liked: Value =
        serde_json::from_slice(&std::fs::read(export.join("liked.json")).unwrap()).unwrap();
    assert_eq!(liked["items"].as_array().unwrap().len(), 260);
    assert!(!export.join("index.json").exists());
    assert_eq!(temp_files(dir.path()), Vec::<String>::new());
    // The folder exists once a playlist's export has started.
    for f in std::fs::read_dir(export.join("playlists"))
        .into_iter()
        .flatten()
    {
        let path = f.unwrap().path();
        let doc: Value = serde_json::from_slice(&std::fs::read(&path).unwrap())
            .unwrap_or_else(|e| panic!("{} is not whole JSON: {e}", path.display()));
        assert!(doc["items"].is_array(), "{}", path.display());
    }
}

/// Issue #25: `sync` reads Spotify before it touches the folder, so a quota stop changes nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_25_sync_stopped_by_the_quota_changes_nothing() {
    let sb = sandbox(30).await;
    let dir = tempfile::tempdir().unwrap();
    login_paste(&sb, dir.path()).await;
    set_quota(&sb, serde_json::json!({"requests": 0})).await;
    let source = format!("catalog:{}/_sandbox/media/catalog.json", sb.url());
    let out = run(
        &sb,
        dir.path(),
        &[
            "sync",
            "liked",
            "--to",
            "music",
            "--source",
            &source,
            "--dry-run",
        ],
    )
    .await;
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(75), "{err}");
    assert!(
        err.contains("nothing was downloaded, changed or deleted in the music folder"),
        "{err}"
    );
    assert!(err.contains("  hint: the quota is shared"), "{err}");
    assert!(!dir.path().join("music").exists());
}
