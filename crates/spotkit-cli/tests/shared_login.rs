//! Several `spotkit` processes on one saved login at once, as a cron export next to an
//! interactive command would run. Spotify rotates a PKCE refresh token on every refresh and the
//! old one dies at once, so processes that each refresh on their own log each other out
//! (issue 17, item 4: 8 of 18 runs failed). The token store's renewal lock makes one of them
//! refresh and the others read what it saved.

mod common;

use std::time::{Duration, Instant};

use common::{catalog, cmd, login_paste, ok, run};
use serde_json::Value;
use spotkit_sandbox::Sandbox;

/// Access tokens live 3 s; spotkit renews a token in its last half-lifetime (1.5 s here).
const TTL: Duration = Duration::from_secs(3);
const ROUNDS: usize = 20;
const PROCESSES: usize = 3;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_processes_share_one_pkce_login_without_logging_each_other_out() {
    let started = Instant::now();
    let sb = Sandbox::builder()
        .seed(11)
        .liked(120)
        .auto_approve(true)
        .token_ttl(TTL)
        .addr("127.0.0.1:0".parse().unwrap())
        .start()
        .await
        .unwrap();
    let want = catalog(&sb).await["users"]["demo"]["liked"]
        .as_u64()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    login_paste(&sb, dir.path()).await;
    let token_file = dir.path().join("tokens/default.json");

    let mut failures = Vec::new();
    for round in 0..ROUNDS {
        // Past the renewal margin of the token the last round saved: every process of this
        // round finds it stale and wants to refresh.
        tokio::time::sleep(TTL / 2 + Duration::from_millis(100)).await;
        let children: Vec<_> = (0..PROCESSES)
            .map(|_| {
                cmd(&sb, dir.path())
                    .args(["export", "liked", "--format", "jsonl", "--out", "-"])
                    .output()
            })
            .collect();
        for (i, out) in futures::future::join_all(children)
            .await
            .into_iter()
            .enumerate()
        {
            let out = out.unwrap();
            let lines = String::from_utf8_lossy(&out.stdout).lines().count() as u64;
            if !out.status.success() || lines != want {
                failures.push(format!(
                    "round {round} process {i}: exit {:?}, {lines} of {want} songs: {}",
                    out.status.code(),
                    String::from_utf8_lossy(&out.stderr).trim()
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} runs failed:\n{}",
        failures.len(),
        ROUNDS * PROCESSES,
        failures.join("\n")
    );

    // The saved login still works once its access token has expired (a refresh with the
    // refresh token the last renewal saved), and the token file is still private.
    tokio::time::sleep(TTL).await;
    let status: Value =
        serde_json::from_str(&ok(&run(&sb, dir.path(), &["status", "--json"]).await)).unwrap();
    assert_eq!(status["user"]["id"], "demo");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&token_file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "token file mode {mode:o}");
    }
    let stats = sb.stats();
    eprintln!(
        "{ROUNDS} rounds of {PROCESSES} processes in {:.1?}; sandbox stats: {stats:?}",
        started.elapsed()
    );
}
