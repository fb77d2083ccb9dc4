//! The interactive menu in a real terminal: `spotkit` with no arguments runs inside tmux, the
//! test reads the screen (`capture-pane`) and types (`send-keys`), logging in and exporting
//! liked songs as a user would. Needs `tmux` (installed by `scripts/test`).

mod common;

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use common::{BIN, login_paste, sandbox, set_quota};

/// A tmux server of its own (`-L`), killed when dropped.
struct Tmux {
    socket: String,
}

impl Tmux {
    fn start(dir: &Path, env: &[(&str, String)]) -> Tmux {
        Tmux::start_with(dir, env, "", "")
    }

    /// Like [`Tmux::start`], `after` run in the pane's shell once spotkit has exited; `name`
    /// tells the tmux servers of tests running at once apart.
    fn start_with(dir: &Path, env: &[(&str, String)], name: &str, after: &str) -> Tmux {
        let socket = format!("spotkit-menu-test-{}{name}", std::process::id());
        let mut shell = String::from("env");
        for (k, v) in env {
            let _ = write!(shell, " {k}='{v}'");
        }
        let _ = write!(shell, " '{BIN}'{after}");
        let status = Command::new("tmux")
            .args([
                "-L",
                &socket,
                "-f",
                "/dev/null",
                "new-session",
                "-d",
                "-x",
                "220",
                "-y",
                "50",
                "-s",
                "menu",
                "-c",
            ])
            .arg(dir)
            .arg(&shell)
            .status()
            .expect(
                "tmux is needed for this test (scripts/test installs it: apt-get install tmux)",
            );
        assert!(status.success());
        Tmux { socket }
    }

    fn tmux(&self, args: &[&str]) -> std::process::Output {
        Command::new("tmux")
            .args(["-L", &self.socket])
            .args(args)
            .output()
            .unwrap()
    }

    /// The screen, wrapped lines joined.
    fn screen(&self) -> String {
        String::from_utf8_lossy(
            &self
                .tmux(&["capture-pane", "-p", "-J", "-S", "-200", "-t", "menu"])
                .stdout,
        )
        .into_owned()
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "menu"];
        args.extend(keys);
        assert!(self.tmux(&args).status.success());
    }

    fn alive(&self) -> bool {
        self.tmux(&["has-session", "-t", "menu"]).status.success()
    }

    /// Waits until the screen satisfies `pred` (10 s at most), returning it.
    async fn wait_for(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let screen = self.screen();
            if pred(&screen) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "waited for {what}; the screen shows:\n{screen}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn menu_logs_in_and_exports_in_a_terminal() {
    let sb = sandbox(25).await;
    let dir = tempfile::tempdir().unwrap();
    let term = Tmux::start(
        dir.path(),
        &[
            ("SPOTKIT_CONFIG_DIR", dir.path().display().to_string()),
            ("SPOTKIT_API_BASE", sb.api_url()),
            ("SPOTKIT_ACCOUNTS_BASE", sb.accounts_url().to_owned()),
            ("SPOTKIT_CLIENT_ID", "spotkit-demo".to_owned()),
            ("SPOTKIT_NO_OPEN", "1".to_owned()),
            ("TERM", "xterm-256color".to_owned()),
        ],
    );
    term.wait_for("the menu", |s| {
        s.contains("What do you want to do?") && s.contains("Log in")
    })
    .await;

    // "Log in" is the first entry. The CLI prints the authorize URL; the test plays the browser.
    term.keys(&["Enter"]);
    let screen = term
        .wait_for("the login URL", |s| s.contains("/authorize?"))
        .await;
    let url = screen
        .split_whitespace()
        .find(|w| w.contains("/authorize?"))
        .unwrap()
        .to_owned();
    let browser = spotkit::http::client_builder()
        .unwrap()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let resp = browser.get(&url).send().await.unwrap();
    let callback = resp.headers()["location"].to_str().unwrap().to_owned();
    if term.screen().contains("falling back to pasting") {
        // Port 8888 was taken by something else: paste the redirect, as a user would.
        term.keys(&[&callback, "Enter"]);
    } else {
        spotkit::http::client()
            .unwrap()
            .get(&callback)
            .send()
            .await
            .unwrap();
    }
    term.wait_for("the login to finish", |s| s.contains("Logged in as demo"))
        .await;
    term.wait_for("the menu again", |s| {
        s.matches("What do you want to do?").count() >= 2
    })
    .await;

    // Export → Liked songs → csv → default file name.
    term.keys(&["Down", "Enter"]);
    term.wait_for("the export menu", |s| s.contains("Export what?"))
        .await;
    term.keys(&["Enter"]);
    term.wait_for("the format menu", |s| s.contains("Format?"))
        .await;
    term.keys(&["Enter"]);
    term.wait_for("the file prompt", |s| s.contains("Write to:"))
        .await;
    term.keys(&["Enter"]);
    let screen = term
        .wait_for("the export", |s| s.contains("-> liked.csv"))
        .await;
    assert!(
        screen.contains("$ spotkit export liked --format csv --out liked.csv"),
        "{screen}"
    );
    let csv = std::fs::read_to_string(dir.path().join("liked.csv")).unwrap();
    assert!(csv.starts_with("\u{feff}Track URI,Track Name"));
    assert_eq!(csv.lines().count(), 26, "header + 25 liked songs");

    // Esc leaves the menu and the program.
    term.wait_for("the menu a third time", |s| {
        s.matches("What do you want to do?").count() >= 3
    })
    .await;
    term.keys(&["Escape"]);
    let deadline = Instant::now() + Duration::from_secs(5);
    while term.alive() {
        assert!(
            Instant::now() < deadline,
            "the menu did not exit:\n{}",
            term.screen()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Issue #25: an action of the menu stopped by the developer account's quota ends the menu (every
/// other action would spend the same quota) with the quota's message and exit status 75.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_25_the_menu_stops_on_the_quota() {
    let sb = sandbox(25).await;
    let dir = tempfile::tempdir().unwrap();
    login_paste(&sb, dir.path()).await;
    set_quota(&sb, serde_json::json!({"requests": 0, "window_secs": 3600})).await;
    let term = Tmux::start_with(
        dir.path(),
        &[
            ("SPOTKIT_CONFIG_DIR", dir.path().display().to_string()),
            ("SPOTKIT_API_BASE", sb.api_url()),
            ("SPOTKIT_ACCOUNTS_BASE", sb.accounts_url().to_owned()),
            ("SPOTKIT_CLIENT_ID", "spotkit-demo".to_owned()),
            ("SPOTKIT_NO_OPEN", "1".to_owned()),
            ("TERM", "xterm-256color".to_owned()),
        ],
        "-quota",
        "; echo \"spotkit exited with $?\"; sleep 60",
    );
    term.wait_for("the menu", |s| {
        s.contains("What do you want to do?") && s.contains("Export")
    })
    .await;
    // Export → Liked songs → csv → default file name.
    term.keys(&["Down", "Enter"]);
    term.wait_for("the export menu", |s| s.contains("Export what?"))
        .await;
    term.keys(&["Enter"]);
    term.wait_for("the format menu", |s| s.contains("Format?"))
        .await;
    term.keys(&["Enter"]);
    term.wait_for("the file prompt", |s| s.contains("Write to:"))
        .await;
    term.keys(&["Enter"]);
    let screen = term
        .wait_for("the menu to end", |s| s.contains("spotkit exited with"))
        .await;
    assert!(screen.contains("spotkit exited with 75"), "{screen}");
    assert!(
        screen.contains("Spotify's request quota for your developer account is used up"),
        "{screen}"
    );
    assert!(screen.contains("hint: the quota is shared"), "{screen}");
    assert_eq!(
        screen.matches("What do you want to do?").count(),
        1,
        "the menu was not shown again: {screen}"
    );
    assert!(!dir.path().join("liked.csv").exists());
}
