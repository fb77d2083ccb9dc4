//! Runs the `parse` example over every example of the Spotify OpenAPI spec.
//!
//! `cargo test` builds the examples next to the test binaries; this test runs the
//! built `parse` binary, so it checks the CLI end to end (arguments, exit status,
//! output), while `spotkit-model`'s own tests check the models in depth.

#[path = "../../spotkit-model/tests/support/spec.rs"]
mod spec;
#[path = "../../spotkit-model/tests/support/survives.rs"]
mod survives;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

/// The `parse` example binary built by `cargo test`.
fn parse_binary() -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    // target/<profile>/deps/parse_examples-<hash> → target/<profile>/examples/parse
    let profile_dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target dir layout");
    let bin = profile_dir
        .join("examples")
        .join(format!("parse{}", std::env::consts::EXE_SUFFIX));
    assert!(
        bin.exists(),
        "the parse example is not built at {}; run `cargo test -p spotkit` (which builds examples) \
         or `cargo build -p spotkit --example parse` first",
        bin.display()
    );
    bin
}

fn run(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(parse_binary())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the parse example");
    // A run that does not read stdin (listing names, reading a file) may exit before the
    // write: a broken pipe then is expected, not a failure.
    match child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
    {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        Err(e) => panic!("write stdin: {e}"),
    }
    child.wait_with_output().expect("run the parse example")
}

#[test]
fn parse_example_round_trips_every_spec_example() {
    let Some(spec) = spec::load_spec() else {
        return; // no conformance data: skipped, and said so
    };
    let examples = spec::examples(&spec);
    assert!(!examples.is_empty());
    let mut failures = Vec::new();
    for ex in &examples {
        let out = run(&[&ex.name, "-"], &ex.json.to_string());
        let stdout = String::from_utf8_lossy(&out.stdout);
        match serde_json::from_str::<Value>(&stdout) {
            Ok(back) if out.status.success() && survives::survives(&ex.json, &back).is_ok() => {}
            _ => failures.push(format!(
                "{} ({}): status {}, stderr: {}, stdout: {stdout}",
                ex.name,
                ex.origin,
                out.status,
                String::from_utf8_lossy(&out.stderr)
            )),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} examples failed:\n{}",
        failures.len(),
        examples.len(),
        failures.join("\n")
    );
}

#[test]
fn parse_example_reports_the_json_path_of_a_failure() {
    // (An odd entry of a page is left out, not an error: the failure is outside `items`.)
    let bad = r#"{"track": {"type": "track", "name": "x", "album": {"total_tracks": "eleven"}}}"#;
    let out = run(&["PlayHistoryObject", "-"], bad);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("track.album.total_tracks"), "{stderr}");
    assert!(out.stdout.is_empty());
}

#[test]
fn parse_example_reads_files_and_lists_names() {
    let dir = std::env::temp_dir().join(format!("spotkit-parse-example-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("token.json");
    std::fs::write(
        &file,
        r#"{"access_token":"a","token_type":"Bearer","expires_in":3600,"scope":"x y","extra":[1]}"#,
    )
    .unwrap();
    let out = run(&["TokenResponse", file.to_str().unwrap()], "");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let back: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(back["extra"], serde_json::json!([1]));
    std::fs::remove_dir_all(&dir).ok();

    let out = run(&["--list"], "");
    assert!(out.status.success());
    let listed: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_owned)
        .collect();
    assert_eq!(listed, spotkit::model::schema::NAMES);

    let out = run(&["NoSuchObject", "-"], "{}");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("unknown schema name \"NoSuchObject\"") && stderr.contains("--list"),
        "{stderr}"
    );

    let out = run(&["TrackObject", "/nonexistent/track.json"], "");
    assert_eq!(out.status.code(), Some(2));
}
