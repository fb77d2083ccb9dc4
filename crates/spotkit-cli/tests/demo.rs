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
    // The export: every format, through the same code as `spotkit export`.
    let folder = stdout
        .lines()
        .find_map(|l| l.strip_prefix("Export folder: "))
        .expect("the demo prints the export folder");
    let folder = std::path::Path::new(folder);
    for (format, ext) in [
        ("json", "json"),
        ("csv", "csv"),
        ("m3u8", "m3u8"),
        ("jsonl", "jsonl"),
    ] {
        let liked =
            std::fs::read_to_string(folder.join(format).join(format!("liked.{ext}"))).unwrap();
        let lines = liked.lines().count();
        match format {
            "csv" => assert_eq!(lines, 322),
            "jsonl" => assert_eq!(lines, 321),
            "m3u8" => assert_eq!(
                liked.lines().filter(|l| l.starts_with("#EXTINF:")).count(),
                321
            ),
            _ => assert!(liked.contains("\"items\"")),
        }
        assert!(folder.join(format).join("playlists/index.json").exists());
    }
    assert!(
        stdout.contains("Exported liked songs and ") && stdout.contains(" files in "),
        "{stdout}"
    );
    std::fs::remove_dir_all(folder).unwrap();
}

#[test]
fn usage_errors_exit_2() {
    let out = Command::new(env!("CARGO_BIN_EXE_spotkit"))
        .arg("no-such-command")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
}
