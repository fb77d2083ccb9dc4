//! Token renewal: ahead of expiry, exactly once for many concurrent requests (one instance on
//! SQLite, two instances sharing PostgreSQL), and `invalid_grant` answered with a clear 401.

mod common;

use std::time::{Duration, SystemTime};

use common::*;
use futures::future::join_all;
use spotkit::token::{RefreshToken, Token};

/// Rewrites the stored token of `user` as expired (optionally with another refresh token).
async fn expire(server: &TestServer, user: &str, refresh: Option<&str>) {
    let db = server.state.db();
    let keys = server.state.keys();
    let token = spotkit_server::db::tokens::load_token(db, keys, user)
        .await
        .unwrap()
        .unwrap();
    let mut expired = token.with_expires_at(Some(SystemTime::now() - Duration::from_secs(5)));
    if let Some(r) = refresh {
        expired = Token::new(
            expired.access_token().clone(),
            Some(RefreshToken::new(r)),
            None,
            expired.scopes().to_vec(),
        )
        .with_expires_at(Some(SystemTime::now() - Duration::from_secs(5)));
    }
    spotkit_server::db::tokens::save_token(db, keys, user, &expired)
        .await
        .unwrap();
    server.state.forget_client(user);
}

async fn hammer(urls: &[String], client: &reqwest::Client, n: usize) {
    let requests = (0..n).map(|i| {
        let url = format!("{}/playlists", urls[i % urls.len()]);
        let client = client.clone();
        async move {
            let r = client.get(url).send().await.unwrap();
            let status = r.status();
            (status, r.text().await.unwrap())
        }
    });
    for (status, body) in join_all(requests).await {
        assert_eq!(status, 200, "{body}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_concurrent_requests_refresh_once_on_sqlite() {
    let sandbox = sandbox().await;
    let server = server(&sandbox).await;
    let client = browser_login(&server, "demo").await;
    expire(&server, "demo", None).await;
    reset_stats(&sandbox).await;
    hammer(std::slice::from_ref(&server.url), &client, 200).await;
    let stats = stats(&sandbox).await;
    assert_eq!(stats["refreshes"], 1, "{stats}");
    // The renewed token was stored (and is fresh), so the next requests do not refresh.
    let me = json(
        client
            .get(format!("{}/me", server.url))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert!(
        me["token_expires_at"].as_i64().unwrap() > spotkit_server::db::now() + 600,
        "{me}"
    );
    hammer(std::slice::from_ref(&server.url), &client, 10).await;
    assert_eq!(stats_refreshes(&sandbox).await, 1);
}

async fn stats_refreshes(sandbox: &spotkit_sandbox::RunningSandbox) -> u64 {
    stats(sandbox).await["refreshes"].as_u64().unwrap()
}

#[tokio::test]
async fn a_refused_refresh_token_asks_for_a_new_login() {
    let sandbox = sandbox().await;
    let server = server(&sandbox).await;
    let client = browser_login(&server, "demo").await;
    expire(&server, "demo", Some("revoked-refresh-token")).await;
    let r = client
        .get(format!("{}/playlists", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let body = json(r).await;
    assert_eq!(body["error"]["code"], "reauth_required", "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("/login"),
        "{body}"
    );
    // Remembered: the session ended with the Spotify login (issue #18), no token is kept, and
    // the user is marked until the next login.
    let r = client
        .get(format!("{}/me", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(json(r).await["error"]["code"], "unauthenticated");
    let marked = spotkit_server::db::tokens::user(server.state.db(), "demo")
        .await
        .unwrap()
        .unwrap();
    assert!(marked.needs_reauth);
    assert!(
        spotkit_server::db::tokens::load_token(server.state.db(), server.state.keys(), "demo")
            .await
            .unwrap()
            .is_none()
    );
    // Logging in again clears it.
    let again = browser_login(&server, "demo").await;
    let me = json(
        again
            .get(format!("{}/me", server.url))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(me["needs_reauth"], false);
    let r = again
        .get(format!("{}/playlists", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}

/// A PostgreSQL server started for the test on 127.0.0.1 in a temporary directory.
struct Postgres {
    bin: std::path::PathBuf,
    dir: tempfile::TempDir,
    port: u16,
    as_user: Option<&'static str>,
}

impl Postgres {
    fn command(&self, program: &str) -> std::process::Command {
        let exe = self.bin.join(program);
        match self.as_user {
            Some(user) => {
                let mut c = std::process::Command::new("runuser");
                c.args(["-u", user, "--"]).arg(exe);
                c
            }
            None => std::process::Command::new(exe),
        }
    }

    /// `None` when PostgreSQL is not installed (`scripts/setup.d/30-server.sh` installs it and
    /// sets `SPOTKIT_REQUIRE_POSTGRES=1`, which turns a missing server into a failure).
    fn start() -> Option<Postgres> {
        let bin = std::fs::read_dir("/usr/lib/postgresql").ok().and_then(|d| {
            d.filter_map(Result::ok)
                .map(|e| e.path().join("bin"))
                .find(|p| p.join("initdb").exists())
        });
        let Some(bin) = bin else {
            assert!(
                std::env::var_os("SPOTKIT_REQUIRE_POSTGRES").is_none(),
                "SPOTKIT_REQUIRE_POSTGRES is set but no PostgreSQL is installed under /usr/lib/postgresql"
            );
            eprintln!("skipping: PostgreSQL is not installed (scripts/test installs it)");
            return None;
        };
        let dir = tempfile::tempdir().unwrap();
        // PostgreSQL refuses to run as root: use the `postgres` account the package creates.
        let root = std::process::Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| o.stdout.starts_with(b"0\n"));
        let as_user = root.then_some("postgres");
        if as_user.is_some() {
            let ok = std::process::Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(dir.path())
                .status()
                .unwrap()
                .success();
            assert!(ok, "chown of the PostgreSQL directory failed");
        }
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        let pg = Postgres {
            bin,
            dir,
            port,
            as_user,
        };
        let data = pg.dir.path().join("data");
        let out = pg
            .command("initdb")
            .args(["-A", "trust", "-U", "spotkit", "--no-sync", "-D"])
            .arg(&data)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "initdb: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let opts = format!(
            "-c listen_addresses=127.0.0.1 -p {} -k {} -c fsync=off -c max_connections=100",
            pg.port,
            pg.dir.path().display()
        );
        let out = pg
            .command("pg_ctl")
            .args(["-w", "-t", "60", "-D"])
            .arg(&data)
            .args(["-o", &opts, "-l"])
            .arg(pg.dir.path().join("log"))
            .arg("start")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "pg_ctl start: {} {}",
            String::from_utf8_lossy(&out.stderr),
            std::fs::read_to_string(pg.dir.path().join("log")).unwrap_or_default()
        );
        Some(pg)
    }

    fn url(&self) -> String {
        format!("postgres://spotkit@127.0.0.1:{}/postgres", self.port)
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let _ = self
            .command("pg_ctl")
            .args(["-D"])
            .arg(self.dir.path().join("data"))
            .args(["-m", "immediate", "stop"])
            .output();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_on_one_postgres_refresh_once() {
    let Some(pg) = Postgres::start() else { return };
    let sandbox = sandbox().await;
    let one = server_with(&sandbox, Some(pg.url()), |_| {}).await;
    let two = server_with(&sandbox, Some(pg.url()), |_| {}).await;
    let client = browser_login(&one, "demo").await;
    // The session lives in the shared database: the cookie works on both instances.
    let me = json(client.get(format!("{}/me", two.url)).send().await.unwrap()).await;
    assert_eq!(me["id"], "demo");
    expire(&one, "demo", None).await;
    two.state.forget_client("demo");
    reset_stats(&sandbox).await;
    hammer(&[one.url.clone(), two.url.clone()], &client, 200).await;
    let stats = stats(&sandbox).await;
    assert_eq!(stats["refreshes"], 1, "{stats}");
    // Both instances see the renewed token.
    for s in [&one, &two] {
        let me = json(client.get(format!("{}/me", s.url)).send().await.unwrap()).await;
        assert!(
            me["token_expires_at"].as_i64().unwrap() > spotkit_server::db::now() + 600,
            "{me}"
        );
    }
}

/// Issue #25: the developer account's shared quota is not the user's fault: the calling app gets
/// a 429 it can tell apart from a rate limit, and the user's login stays as it is.
#[tokio::test]
async fn a_spotify_quota_answer_is_reported_as_such_and_keeps_the_login() {
    let sandbox = sandbox().await;
    let server = server(&sandbox).await;
    let client = browser_login(&server, "demo").await;
    let quota = |body: serde_json::Value| {
        let url = format!("{}/_sandbox/quota", sandbox.url());
        async move {
            let r = spotkit::http::client()
                .unwrap()
                .post(url)
                .json(&body)
                .send()
                .await
                .unwrap();
            assert!(r.status().is_success());
        }
    };
    quota(serde_json::json!({"requests": 0, "window_secs": 3600})).await;
    reset_stats(&sandbox).await;
    let r = client
        .get(format!("{}/playlists", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429);
    let wait: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((3590..=3600).contains(&wait), "{wait}");
    let body = json(r).await;
    assert_eq!(body["error"]["status"], 429, "{body}");
    assert_eq!(body["error"]["code"], "spotify_quota_exceeded", "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("developer account"),
        "{body}"
    );
    // Asked once: the quota is not waited out or retried behind the app's back.
    let stats = stats(&sandbox).await;
    assert_eq!(stats["faults"]["quota_exceeded"], 1, "{stats}");
    // The login is intact: not marked, token kept, and it works once the quota is back.
    let me = json(
        client
            .get(format!("{}/me", server.url))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(me["needs_reauth"], false, "{me}");
    assert!(
        spotkit_server::db::tokens::load_token(server.state.db(), server.state.keys(), "demo")
            .await
            .unwrap()
            .is_some()
    );
    quota(serde_json::json!({"requests": null})).await;
    let r = client
        .get(format!("{}/playlists", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}
