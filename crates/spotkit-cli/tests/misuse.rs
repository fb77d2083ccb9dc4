//! The real binary under misuse and faults (issue #21): usage errors caught before any request,
//! plain log lines on pipes, rate-limit reporting that says what happened, hints that match the
//! cause.

mod common;

use std::process::Stdio;
use std::time::{Duration, Instant};

use common::{cmd, login_paste, ok, reset_stats, run, sandbox, sandbox_stats, set_quota};
use serde_json::{Value, json};
use spotkit_sandbox::RunningSandbox;

async fn set_faults(sb: &RunningSandbox, body: Value) {
    let r = spotkit::http::client()
        .unwrap()
        .post(format!("{}/_sandbox/faults", sb.url()))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.text().await.unwrap());
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// An SGR escape (colour, bold, dim): `ESC [ digits/semicolons m`.
fn has_colour(text: &str) -> bool {
    text.match_indices("\x1b[").any(|(i, _)| {
        text[i + 2..]
            .chars()
            .find(|c| !(c.is_ascii_digit() || *c == ';'))
            == Some('m')
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_21_usage_errors_exit_2_before_any_request() {
    let sb = sandbox(3).await;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    login_paste(&sb, d).await;
    reset_stats(&sb).await;
    for args in [
        &["search", ""][..],
        &["search", "   "],
        &["--profile", "../evil", "status"],
        &["status", "--profile", "../evil"],
        &["sync", "liked", "--to", "music", "--template", "../x"],
        &[
            "sync",
            "liked",
            "--to",
            "music",
            "--template",
            "/abs/{title}",
        ],
    ] {
        let out = run(&sb, d, args).await;
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(out.stdout.is_empty(), "{args:?}");
        assert!(err.contains("error:"), "{args:?}: {err}");
    }
    let out = run(&sb, d, &["search", ""]).await;
    assert!(
        stderr(&out).contains("the query is empty"),
        "{}",
        stderr(&out)
    );
    let out = run(&sb, d, &["--profile", "../evil", "status"]).await;
    assert!(stderr(&out).contains("is not allowed"), "{}", stderr(&out));
    let stats = sandbox_stats(&sb).await;
    let asked: Vec<&String> = stats["requests"]
        .as_object()
        .unwrap()
        .keys()
        .filter(|k| !k.contains("/_sandbox"))
        .collect();
    assert!(asked.is_empty(), "requests were sent: {asked:?}");

    // No command and no terminal: the help on stderr (stdout may be a file a script reads), 2.
    let out = cmd(&sb, d)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        out.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(stderr(&out).contains("Usage:"), "{}", stderr(&out));
    assert!(stderr(&out).contains("  hint: "), "{}", stderr(&out));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_21_search_limit_over_development_modes_is_explained() {
    let sb = sandbox(3).await;
    let dir = tempfile::tempdir().unwrap();
    login_paste(&sb, dir.path()).await;
    let out = run(&sb, dir.path(), &["search", "a", "--limit", "11"]).await;
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("Spotify refused `--limit 11`"), "{err}");
    assert!(
        err.contains("  hint: apps in Development Mode may ask for at most 10"),
        "{err}"
    );
    assert!(err.contains("--limit 10"), "{err}");
    ok(&run(&sb, dir.path(), &["search", "a", "--limit", "10"]).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_21_log_lines_are_plain_on_a_pipe() {
    let sb = sandbox(3).await;
    let dir = tempfile::tempdir().unwrap();
    login_paste(&sb, dir.path()).await;
    // A warning every command logs: a token file other users may read.
    let token = dir.path().join("tokens/default.json");
    let mut perms = std::fs::metadata(&token).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o644);
    std::fs::set_permissions(&token, perms).unwrap();
    let year = time::OffsetDateTime::now_utc().year().to_string();
    for extra in [&[][..], &["--json"], &["-v"], &["-v", "--json"]] {
        let mut args = vec!["export", "liked", "--format", "jsonl", "--out", "l.jsonl"];
        args.extend_from_slice(extra);
        let out = run(&sb, dir.path(), &args).await;
        let err = stderr(&out);
        assert!(out.status.success(), "{err}");
        assert!(
            err.contains("token file is readable by other users"),
            "{err}"
        );
        assert!(
            !err.contains('\x1b'),
            "escape codes on a pipe ({extra:?}): {err:?}"
        );
        assert!(
            !err.lines().any(|l| l.starts_with(&year)),
            "timestamps on a pipe ({extra:?}): {err}"
        );
        if extra.contains(&"-v") {
            // `-v` logs every request.
            assert!(err.contains("GET /v1/me/tracks answered 200"), "{err}");
        }
    }
}

/// Colour on a terminal, none with `NO_COLOR`: the binary run under `script`, which gives it a
/// pseudo-terminal (util-linux; the test says so and passes when it is missing).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_21_colour_only_on_a_terminal_and_never_with_no_color() {
    if std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("SKIPPED: `script` (util-linux) is not installed; no pseudo-terminal to test");
        return;
    }
    let sb = sandbox(3).await;
    let dir = tempfile::tempdir().unwrap();
    login_paste(&sb, dir.path()).await;
    for no_color in [false, true] {
        let mut script = tokio::process::Command::new("script");
        for (k, v) in cmd(&sb, dir.path()).as_std().get_envs() {
            match v {
                Some(v) => script.env(k, v),
                None => script.env_remove(k),
            };
        }
        script.env_remove("NO_COLOR");
        if no_color {
            script.env("NO_COLOR", "1");
        }
        let out = script
            .current_dir(dir.path())
            .args([
                "-qec",
                &format!("{} -v player devices", common::BIN),
                "/dev/null",
            ])
            .stdin(Stdio::null())
            .output()
            .await
            .unwrap();
        // The terminal merges stdout and stderr.
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{text}");
        assert!(text.contains("answered 200"), "{text}");
        assert_eq!(
            has_colour(&text),
            !no_color,
            "NO_COLOR={no_color}: {text:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_21_steady_short_429s_are_reported_as_what_happened() {
    let sb = sandbox(3).await;
    let dir = tempfile::tempdir().unwrap();
    login_paste(&sb, dir.path()).await;
    // Every request refused with `Retry-After: 1`: spotkit waits it out 10 times, then stops and
    // says so; the old message claimed the wait exceeded its cap.
    set_faults(&sb, json!({"fail_429": 1.0, "retry_after_secs": 1})).await;
    let out = run(
        &sb,
        dir.path(),
        &["-v", "export", "liked", "--out", "l.json"],
    )
    .await;
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(!err.contains("cap"), "{err}");
    assert!(
        err.contains("after spotkit waited 10 times as it asked"),
        "{err}"
    );
    assert!(
        err.contains("  hint: Spotify kept rate limiting your app"),
        "{err}"
    );
    // `-v` shows each retry.
    let retries = err
        .lines()
        .filter(|l| l.contains("(429 rate limited, Retry-After 1s); waiting"))
        .count();
    assert_eq!(retries, 10, "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_21_a_long_wait_shows_a_progress_line_then_goes_on() {
    let sb = sandbox(120).await;
    let dir = tempfile::tempdir().unwrap();
    login_paste(&sb, dir.path()).await;
    set_faults(&sb, json!({"fail_429": 1.0, "retry_after_secs": 3})).await;
    let child = cmd(&sb, dir.path())
        .args(["export", "liked", "--format", "jsonl", "--out", "l.jsonl"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    set_faults(&sb, json!({"fail_429": 0.0})).await;
    let out = child.wait_with_output().await.unwrap();
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("spotkit: Spotify is rate limiting this app; waiting 3s as it asked (until "),
        "{err}"
    );
    assert!(err.contains("UTC), then trying again"), "{err}");
    // One line per round of waits, not one per request in flight.
    assert_eq!(
        err.matches("is rate limiting this app; waiting").count(),
        1,
        "{err}"
    );
    let lines = std::fs::read_to_string(dir.path().join("l.jsonl")).unwrap();
    assert_eq!(lines.lines().count(), 120);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_21_a_day_long_retry_after_ends_at_once_with_its_end() {
    let sb = sandbox(3).await;
    let dir = tempfile::tempdir().unwrap();
    login_paste(&sb, dir.path()).await;
    set_faults(&sb, json!({"fail_429": 1.0, "retry_after_secs": 86_400})).await;
    let started = Instant::now();
    let out = run(&sb, dir.path(), &["export", "liked", "--out", "l.json"]).await;
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(started.elapsed() < Duration::from_secs(20), "it waited");
    assert!(err.contains("asked to wait 24h 0m"), "{err}");
    assert!(err.contains("longer than spotkit waits by itself"), "{err}");
    let tomorrow = (time::OffsetDateTime::now_utc() + Duration::from_secs(86_400)).date();
    assert!(
        err.contains(&format!(
            "  hint: Spotify asked to wait 24h 0m (until about {tomorrow} "
        )),
        "{err}"
    );
    assert!(!dir.path().join("l.json").exists());
}

/// `QUOTA_EXCEEDED` is not a rate limit: no wait, no retry, exit 75 (issue #21 asks to check it).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_21_quota_exceeded_is_not_waited_out() {
    let sb = sandbox(3).await;
    let dir = tempfile::tempdir().unwrap();
    login_paste(&sb, dir.path()).await;
    set_quota(&sb, json!({"requests": 0, "window_secs": 3600})).await;
    let out = run(
        &sb,
        dir.path(),
        &["-v", "export", "liked", "--out", "l.json"],
    )
    .await;
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(75), "{err}");
    assert!(err.contains("QUOTA_EXCEEDED"), "{err}");
    assert!(!err.contains("waiting"), "{err}");
    assert!(!err.contains("rate limiting"), "{err}");
    let stats = sandbox_stats(&sb).await;
    assert_eq!(stats["faults"]["quota_exceeded"], 1, "{stats}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_21_hints_match_the_cause() {
    let sb = sandbox(3).await;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    login_paste(&sb, d).await;
    let token = d.join("tokens/default.json");
    let saved = std::fs::read(&token).unwrap();

    // A corrupt token file: the hint says to delete it, not to look at permissions.
    std::fs::write(&token, b"{\"access_token\": ").unwrap();
    let out = run(&sb, d, &["export", "liked"]).await;
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("the token file is corrupt"), "{err}");
    let hint = err
        .lines()
        .find(|l| l.starts_with("  hint: "))
        .unwrap_or_default();
    assert!(
        hint.contains(&format!("delete {}", token.display())),
        "{err}"
    );
    assert!(hint.contains("spotkit login"), "{err}");
    assert!(!hint.contains("permissions"), "{err}");
    std::fs::write(&token, &saved).unwrap();

    // A config file that is not JSON.
    std::fs::write(d.join("config.json"), b"{\"client_id\": \"x\",}\n").unwrap();
    let out = run(&sb, d, &["status"]).await;
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("config.json is not valid"), "{err}");
    assert!(err.contains("  hint: fix line 1 of "), "{err}");
    std::fs::remove_file(d.join("config.json")).unwrap();

    // Spotify failing on its side through every retry.
    set_faults(&sb, json!({"fail_5xx": 1.0})).await;
    let out = run(&sb, d, &["export", "liked"]).await;
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("Spotify answered 5"), "{err}");
    assert!(err.contains("  hint: a fault on Spotify's side"), "{err}");
}
