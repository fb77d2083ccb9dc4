//! Helpers shared by the CLI's end-to-end tests: an in-process sandbox, the `spotkit` binary
//! pointed at it with a fresh config dir, and the paste login played by a test "browser".
#![allow(dead_code)] // Each test binary uses a different subset.

use std::path::Path;
use std::process::{Output, Stdio};

use serde_json::Value;
use spotkit_sandbox::{RunningSandbox, Sandbox};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::process::Command;

pub const BIN: &str = env!("CARGO_BIN_EXE_spotkit");

pub async fn sandbox(liked: usize) -> RunningSandbox {
    Sandbox::builder()
        .seed(11)
        .liked(liked)
        .auto_approve(true)
        .addr("127.0.0.1:0".parse().unwrap())
        .start()
        .await
        .unwrap()
}

pub fn cmd(sb: &RunningSandbox, dir: &Path) -> Command {
    let mut c = Command::new(BIN);
    c.env("SPOTKIT_CONFIG_DIR", dir)
        .env("SPOTKIT_API_BASE", sb.api_url())
        .env("SPOTKIT_ACCOUNTS_BASE", sb.accounts_url())
        .env("SPOTKIT_CLIENT_ID", "spotkit-demo")
        .env("SPOTKIT_NO_OPEN", "1")
        // `spotkit sync` looks lyrics up by default: the sandbox's LRCLIB, never the internet's.
        .env("SPOTKIT_LRCLIB_BASE", sb.lrclib_url())
        .env_remove("SPOTKIT_PROFILE")
        .current_dir(dir)
        .stdin(Stdio::null());
    c
}

pub async fn run(sb: &RunningSandbox, dir: &Path, args: &[&str]) -> Output {
    cmd(sb, dir).args(args).output().await.unwrap()
}

pub fn ok(out: &Output) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "stdout: {stdout}\nstderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// Logs in through the paste flow: the test plays the browser with a client that does not follow
/// redirects, and pastes the auto-approved redirect on the CLI's stdin.
pub async fn login_paste(sb: &RunningSandbox, dir: &Path) -> String {
    login_paste_with(sb, dir, &["login", "--no-browser"], 8888).await
}

pub async fn login_paste_with(sb: &RunningSandbox, dir: &Path, args: &[&str], port: u16) -> String {
    let mut child = cmd(sb, dir)
        .args(args)
        .stdin(Stdio::piped())
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
    let callback = format!("http://127.0.0.1:{port}/callback");
    assert!(seen.contains(&callback), "{seen}");
    assert!(seen.contains("localhost"), "{seen}");
    let browser = spotkit::http::client_builder()
        .unwrap()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let resp = browser.get(&url).send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 303);
    let location = resp.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with(&format!("{callback}?")), "{location}");
    let mut stdin = child.stdin.take().unwrap();
    stdin
        .write_all(format!("{location}\n").as_bytes())
        .await
        .unwrap();
    drop(stdin);
    while let Some(line) = lines.next_line().await.unwrap() {
        seen.push_str(&line);
        seen.push('\n');
    }
    let status = child.wait().await.unwrap();
    assert!(status.success(), "{seen}");
    seen
}

/// `GET /_sandbox/<what>` of the sandbox's control plane, as JSON.
async fn control(sb: &RunningSandbox, what: &str) -> Value {
    spotkit::http::client()
        .unwrap()
        .get(format!("{}/_sandbox/{what}", sb.url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// `POST /_sandbox/{what}`, with `body` as JSON if given; the sandbox must accept it.
async fn post_control(sb: &RunningSandbox, what: &str, body: Option<&Value>) {
    let mut request = spotkit::http::client()
        .unwrap()
        .post(format!("{}/_sandbox/{what}", sb.url()));
    if let Some(body) = body {
        request = request.json(body);
    }
    let r = request.send().await.unwrap();
    let status = r.status();
    assert!(
        status.is_success(),
        "POST /_sandbox/{what}: {status} {}",
        r.text().await.unwrap()
    );
}

/// The demo user's first `limit` liked songs, read straight from the sandbox's Web API.
pub async fn liked_page(sb: &RunningSandbox, limit: u32) -> Value {
    let token = sb.token("demo", &["user-library-read"]).await.unwrap();
    spotkit::http::client()
        .unwrap()
        .get(format!("{}/me/tracks?limit={limit}", sb.api_url()))
        .bearer_auth(&token.access_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// The sandbox's `/_sandbox/catalog`.
pub async fn catalog(sb: &RunningSandbox) -> Value {
    control(sb, "catalog").await
}

/// `POST /_sandbox/quota` with `body` (e.g. `{"requests": 0}`; `{"requests": null}` turns it off).
pub async fn set_quota(sb: &RunningSandbox, body: Value) {
    post_control(sb, "quota", Some(&body)).await;
}

/// Turns the quota off and forgets what was used: Spotify's quota has cleared.
pub async fn clear_quota(sb: &RunningSandbox) {
    set_quota(sb, serde_json::json!({"requests": null})).await;
    post_control(sb, "quota/reset", None).await;
}

/// Starts the sandbox's request counts afresh (`POST /_sandbox/reset-stats`).
pub async fn reset_stats(sb: &RunningSandbox) {
    post_control(sb, "reset-stats", None).await;
}

/// The sandbox's `/_sandbox/stats`.
pub async fn sandbox_stats(sb: &RunningSandbox) -> Value {
    control(sb, "stats").await
}

/// Files anywhere under `dir` whose name ends in `.tmp` (left-overs of an unfinished write).
pub fn temp_files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries.filter_map(Result::ok) {
        let path = e.path();
        if path.is_dir() {
            out.extend(temp_files(&path));
        } else if e.file_name().to_string_lossy().ends_with(".tmp") {
            out.push(path.display().to_string());
        }
    }
    out
}
