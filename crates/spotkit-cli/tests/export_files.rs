//! Issue #21, the parts that live in the atomic-write helper, on the real binary: Ctrl-C and
//! SIGTERM during an export (temp files removed, empty folders removed, partial state reported,
//! exit 130/143), permissions (the umask, an existing file's mode, a symlinked `--out`), `--out -`
//! for a folder export, and messages that name the target.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::{cmd, login_paste, run, temp_files};
use spotkit_sandbox::{RunningSandbox, Sandbox};

/// A sandbox slow enough (every request 40 ms late) that an export of 3 000 liked songs runs
/// for seconds: long enough to be interrupted half-way.
async fn slow_sandbox() -> RunningSandbox {
    Sandbox::builder()
        .seed(11)
        .liked(3_000)
        .auto_approve(true)
        .latency(Duration::from_millis(40))
        .addr("127.0.0.1:0".parse().unwrap())
        .start()
        .await
        .unwrap()
}

/// Starts `args`, waits until a temp file appears under `watch`, sends `signal`, and returns
/// the exit code and stderr.
async fn interrupt(
    sb: &RunningSandbox,
    dir: &Path,
    args: &[&str],
    watch: &Path,
    signal: &str,
) -> (Option<i32>, String) {
    let child = cmd(sb, dir)
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id().unwrap();
    let started = Instant::now();
    while temp_files(watch).is_empty() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no temp file appeared under {}",
            watch.display()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let sent = std::process::Command::new("kill")
        .args([format!("-{signal}"), pid.to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let out = tokio::time::timeout(Duration::from_secs(30), child.wait_with_output())
        .await
        .expect("the export ends after the signal")
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_21_interrupted_exports_leave_no_temp_files_and_say_what_is_complete() {
    let sb = slow_sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    login_paste(&sb, dir.path()).await;

    // Ctrl-C during `export all`: no temp file, no empty dated folder (nor the `backups` folder
    // the run made), exit 130, and what happened said.
    let (code, err) = interrupt(
        &sb,
        dir.path(),
        &["export", "all", "--format", "csv", "--out", "backups"],
        dir.path(),
        "INT",
    )
    .await;
    assert_eq!(code, Some(130), "{err}");
    assert!(err.contains("stopped by Ctrl-C (SIGINT)"), "{err}");
    assert!(err.contains("no file was finished"), "{err}");
    assert!(err.contains("being written was removed"), "{err}");
    assert!(err.contains("  hint: "), "{err}");
    assert_eq!(temp_files(dir.path()), Vec::<String>::new());
    assert!(!dir.path().join("backups").exists(), "{err}");

    // SIGTERM during `export liked` over an existing file: the file keeps its content, exit 143.
    std::fs::write(dir.path().join("liked.csv"), "old\n").unwrap();
    let (code, err) = interrupt(
        &sb,
        dir.path(),
        &["export", "liked", "--format", "csv", "--out", "liked.csv"],
        dir.path(),
        "TERM",
    )
    .await;
    assert_eq!(code, Some(143), "{err}");
    assert!(err.contains("stopped by SIGTERM"), "{err}");
    assert_eq!(temp_files(dir.path()), Vec::<String>::new());
    assert_eq!(
        std::fs::read_to_string(dir.path().join("liked.csv")).unwrap(),
        "old\n"
    );
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_21_export_files_follow_the_umask_keep_modes_and_write_through_symlinks() {
    use std::os::unix::fs::PermissionsExt;
    let sb = common::sandbox(30).await;
    let dir = tempfile::tempdir().unwrap();
    login_paste(&sb, dir.path()).await;
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    // `spotkit export liked` under a given umask (set by a shell, as a user's would be).
    let export = |umask: &str, out: &str| {
        let template = cmd(&sb, dir.path());
        let mut shell = std::process::Command::new("sh");
        shell
            .arg("-c")
            .arg(format!(
                "umask {umask}; exec \"$0\" export liked --format csv --out {out}"
            ))
            .arg(common::BIN)
            .current_dir(dir.path());
        for (k, v) in template.as_std().get_envs() {
            match v {
                Some(v) => shell.env(k, v),
                None => shell.env_remove(k),
            };
        }
        shell.output().unwrap()
    };

    // A new file: 0666 less the umask, like any other tool's.
    let out = export("022", "new.csv");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(mode(&dir.path().join("new.csv")), 0o644);
    let out = export("002", "group.csv");
    assert!(out.status.success());
    assert_eq!(mode(&dir.path().join("group.csv")), 0o664);

    // An existing file keeps its mode.
    let kept = dir.path().join("kept.csv");
    std::fs::write(&kept, "old").unwrap();
    std::fs::set_permissions(&kept, std::fs::Permissions::from_mode(0o640)).unwrap();
    assert!(export("022", "kept.csv").status.success());
    assert_eq!(mode(&kept), 0o640);
    assert_ne!(std::fs::read_to_string(&kept).unwrap(), "old");

    // A symlinked --out is written through: the link stays, its target gets the export.
    std::fs::create_dir(dir.path().join("real")).unwrap();
    std::fs::write(dir.path().join("real/liked.csv"), "old").unwrap();
    std::os::unix::fs::symlink("real/liked.csv", dir.path().join("link.csv")).unwrap();
    assert!(export("022", "link.csv").status.success());
    let link = std::fs::symlink_metadata(dir.path().join("link.csv")).unwrap();
    assert!(link.file_type().is_symlink());
    let written = std::fs::read_to_string(dir.path().join("real/liked.csv")).unwrap();
    assert!(written.contains("Track URI"), "{written}");
    assert_eq!(temp_files(dir.path()), Vec::<String>::new());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_21_folder_exports_refuse_stdout_and_paths_through_a_file_are_named() {
    let sb = common::sandbox(5).await;
    let dir = tempfile::tempdir().unwrap();
    login_paste(&sb, dir.path()).await;

    // `--out -` for a folder export: a usage error (exit 2), no folder named `-`.
    for what in ["all", "playlists"] {
        let out = run(&sb, dir.path(), &["export", what, "--out", "-"]).await;
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{what}: {err}");
        assert!(err.contains("`--out -`"), "{err}");
        assert!(!dir.path().join("-").exists());
    }

    // A parent that is a file: the message says which part is a file, and what to do.
    std::fs::write(dir.path().join("afile"), "x").unwrap();
    let out = run(
        &sb,
        dir.path(),
        &[
            "export",
            "liked",
            "--format",
            "csv",
            "--out",
            "afile/sub/liked.csv",
        ],
    )
    .await;
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("afile is a file, not a directory"), "{err}");
    assert!(err.contains("afile/sub/liked.csv"), "{err}");
    assert!(err.contains("  hint: "), "{err}");
}
