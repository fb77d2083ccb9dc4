//! Fault injection, the rate limit, the control plane and the binary's contract.

mod common;

use std::io::{BufRead as _, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{Value, json};
use spotkit_sandbox::Sandbox;

use common::{dev, start};

#[tokio::test]
async fn injected_5xx_and_429_use_spotifys_bodies() {
    let env = start(Sandbox::builder().seed(2).liked(5).fail_5xx(1.0)).await;
    let t = env.all_scopes().await;
    for _ in 0..6 {
        let r = env.get("/me", &t).await;
        let status = r.status();
        assert!([500, 502, 503].contains(&status.as_u16()), "{status}");
        let body: Value = r.json().await.expect("json");
        assert_eq!(body["error"]["status"], status.as_u16());
        assert!(body["error"]["message"].is_string());
    }
    let env = start(
        Sandbox::builder()
            .seed(2)
            .liked(5)
            .fail_429(1.0)
            .retry_after(Duration::from_secs(7)),
    )
    .await;
    let r = env.get("/me", &env.all_scopes().await).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(r.headers()["retry-after"], "7");
    let stats = env.stats().await;
    assert_eq!(stats["faults"]["429"], 1);
    assert_eq!(stats["requests"]["GET /v1/me"]["429"], 1);
}

#[tokio::test]
async fn injected_resets_drop_the_connection() {
    let env = start(Sandbox::builder().seed(2).liked(5).fail_reset(1.0)).await;
    let t = env.all_scopes().await;
    let err = env
        .http
        .get(env.api("/me"))
        .bearer_auth(&t)
        .send()
        .await
        .expect_err("no answer");
    assert!(!err.is_status(), "{err}");
    assert_eq!(env.stats().await["faults"]["reset"], 1);
    // The accounts service and control plane are not faulted.
    let r = env
        .http
        .post(format!("{}/_sandbox/token", env.sb.url()))
        .send()
        .await
        .expect("control plane works");
    assert!(r.status().is_success());
}

#[tokio::test]
async fn rate_limit_is_a_rolling_window_per_client() {
    let env = start(Sandbox::builder().seed(2).liked(5).rate_limit(Some(5))).await;
    let t = env.all_scopes().await;
    for _ in 0..5 {
        env.ok("/me", &t).await;
    }
    let r = env.get("/me", &t).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = r.headers()["retry-after"]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds");
    assert!(
        (29..=30).contains(&wait),
        "the oldest request leaves the 30 s window in {wait} s"
    );
    let body: Value = r.json().await.expect("json");
    assert_eq!(body["error"]["message"], "API rate limit exceeded");
    assert_eq!(env.stats().await["faults"]["rate_limited"], 1);
}

#[tokio::test]
async fn latency_is_added() {
    let env = start(
        Sandbox::builder()
            .seed(2)
            .liked(5)
            .latency(Duration::from_millis(120)),
    )
    .await;
    let t = env.all_scopes().await;
    let started = Instant::now();
    env.ok("/me", &t).await;
    assert!(started.elapsed() >= Duration::from_millis(120));
}

#[tokio::test]
async fn control_plane_tokens_faults_and_stats() {
    let env = dev().await;
    let base = env.sb.url().to_owned();
    let r = env
        .http
        .post(format!("{base}/_sandbox/token"))
        .json(&json!({"user": "lena-s", "scopes": ["user-library-read"], "pkce": true}))
        .send()
        .await
        .expect("token");
    let token: Value = r.json().await.expect("json");
    assert_eq!(token["token_type"], "Bearer");
    assert_eq!(token["scope"], "user-library-read");
    let at = token["access_token"].as_str().expect("token");
    assert_eq!(env.ok("/me", at).await["id"], "lena-s");
    let bad = env
        .http
        .post(format!("{base}/_sandbox/token"))
        .json(&json!({"user": "nobody"}))
        .send()
        .await
        .expect("call");
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);

    let patched: Value = env
        .http
        .post(format!("{base}/_sandbox/faults"))
        .json(&json!({"fail_5xx": 1.0}))
        .send()
        .await
        .expect("faults")
        .json()
        .await
        .expect("json");
    assert_eq!(patched["fail_5xx"], 1.0);
    assert!(env.get("/me", at).await.status().is_server_error());
    let r = env
        .http
        .post(format!("{base}/_sandbox/faults"))
        .json(&json!({"fail_everything": 1}))
        .send()
        .await
        .expect("call");
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    env.http
        .post(format!("{base}/_sandbox/faults"))
        .json(&json!({"fail_5xx": 0.0}))
        .send()
        .await
        .expect("call");
    env.ok("/me", at).await;

    let stats = env.stats().await;
    assert_eq!(stats["requests"]["GET /v1/me"]["200"], 2);
    assert!(
        stats["requests"]["GET /v1/me"]["500"].is_u64()
            || stats["requests"]["GET /v1/me"]["502"].is_u64()
            || stats["requests"]["GET /v1/me"]["503"].is_u64()
    );
    let r = env
        .http
        .post(format!("{base}/_sandbox/reset-stats"))
        .send()
        .await
        .expect("reset");
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    // Only the reset itself has been counted since.
    assert_eq!(
        env.stats().await["requests"],
        json!({"POST /_sandbox/reset-stats": {"204": 1}})
    );

    let image = env
        .http
        .get(format!("{base}/_sandbox/image/abc/64"))
        .send()
        .await
        .expect("image");
    assert_eq!(image.headers()["content-type"], "image/png");
    assert!(image.bytes().await.expect("bytes").starts_with(b"\x89PNG"));
}

#[test]
fn binary_prints_exactly_one_line_and_serves() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_spotkit-sandbox"))
        .args(["--seed", "3", "--liked", "10", "--mode", "extended"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("binary starts");
    let mut line = String::new();
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    stdout.read_line(&mut line).expect("a line");
    let url = line
        .trim_end()
        .strip_prefix("spotkit-sandbox listening on http://127.0.0.1:")
        .map(|port| {
            assert!(
                port.parse::<u16>().is_ok_and(|p| p > 0),
                "a real port: {line:?}"
            );
            format!("http://127.0.0.1:{port}")
        });
    let url = url.unwrap_or_else(|| panic!("unexpected first line {line:?}"));
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let catalog: Value = rt.block_on(async {
        common::client()
            .get(format!("{url}/_sandbox/catalog"))
            .send()
            .await
            .expect("serves")
            .json()
            .await
            .expect("json")
    });
    assert_eq!(catalog["mode"], "extended");
    assert_eq!(catalog["users"]["demo"]["liked"], 10);
    child.kill().expect("kill");
    let _ = child.wait();

    let bad = Command::new(env!("CARGO_BIN_EXE_spotkit-sandbox"))
        .args(["--fail-5xx", "2"])
        .output()
        .expect("runs");
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("probability"));
}
