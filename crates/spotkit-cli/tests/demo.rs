//! `spotkit demo` end to end: the embedded sandbox, the real PKCE + loopback login, and the counts.

use std::process::Command;

#[test]
fn demo_logs_in_and_prints_the_profile_and_counts() {
    let out = Command::new(env!("CARGO_BIN_EXE_spotkit"))
        .args(["demo", "--liked", "321", "--seed", "4"])
        .output()
        .expect("spotkit runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "stdout: {stdout}\nstderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("redirect URI http://127.0.0.1:"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Logged in as Demo Listener (demo)"),
        "{stdout}"
    );
    assert!(stdout.contains("Playlists:   12"), "{stdout}");
    assert!(stdout.contains("Liked songs: 321 "), "{stdout}");
}

#[test]
fn usage_errors_exit_2() {
    let out = Command::new(env!("CARGO_BIN_EXE_spotkit"))
        .arg("no-such-command")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
}
