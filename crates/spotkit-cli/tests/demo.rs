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
    // A confidence outside 0..=1 is refused before anything runs, saying what is allowed.
    for bad in ["2", "-0.1", "high"] {
        let out = Command::new(env!("CARGO_BIN_EXE_spotkit"))
            .args([
                "import",
                "exportify",
                "x.csv",
                &format!("--min-confidence={bad}"),
            ])
            .output()
            .expect("runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{bad}: {stderr}");
        assert!(stderr.contains("between 0 and 1"), "{bad}: {stderr}");
    }
}

/// `spotkit sandbox` runs the emulator in the foreground: one line with the address, then it
/// serves the Web API and the control plane until it is killed.
#[test]
fn sandbox_command_serves_until_killed() {
    use std::io::{BufRead, BufReader, Read, Write};

    let mut child = Command::new(env!("CARGO_BIN_EXE_spotkit"))
        .args([
            "sandbox",
            "--addr",
            "127.0.0.1:0",
            "--auto-approve",
            "--liked",
            "17",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spotkit runs");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim()
        .strip_prefix("spotkit-sandbox listening on http://")
        .unwrap_or_else(|| panic!("first line names the address: {line:?}"))
        .to_owned();
    let mut conn = std::net::TcpStream::connect(&addr).unwrap();
    write!(
        conn,
        "GET /_sandbox/catalog HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    conn.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("\"liked\":17"), "{answer}");
    assert!(child.try_wait().unwrap().is_none(), "still serving");
    child.kill().unwrap();
    child.wait().unwrap();
}
