//! The `spotkit-server` binary: `migrate`, `rotate-key`, and configuration errors.

mod common;

use std::process::Command;

use base64::Engine as _;
use sqlx::Row as _;

fn server_cmd(db_url: &str, keys: &[(&str, &str)]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_spotkit-server"));
    c.env_clear()
        .env("SPOTKIT_SERVER_DATABASE_URL", db_url)
        .env("SPOTKIT_SERVER_SPOTIFY__CLIENT_ID", "spotkit-demo")
        .env(
            "SPOTKIT_SERVER_SPOTIFY__CLIENT_SECRET",
            "spotkit-demo-secret",
        );
    for (k, v) in keys {
        c.env(format!("SPOTKIT_SERVER_KEYS__{k}"), v);
    }
    c
}

#[tokio::test]
async fn migrate_then_rotate_key_re_encrypts_every_token() {
    let sandbox = common::sandbox().await;
    let (url, _dir) = common::sqlite_url();
    let out = server_cmd(&url, &[("CURRENT", "k1"), ("K1", common::KEY_B64)])
        .arg("migrate")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("migrations applied"));

    // Log a user in (key k1), then make k2 current and rotate.
    let server = common::server_with(&sandbox, Some(url.clone()), |_| {}).await;
    let _client = common::browser_login(&server, "demo").await;
    let before =
        spotkit_server::db::tokens::load_token(server.state.db(), server.state.keys(), "demo")
            .await
            .unwrap()
            .unwrap();
    drop(server);
    let k2 = base64::engine::general_purpose::STANDARD.encode([9u8; 32]);
    let keys = [
        ("CURRENT", "k2"),
        ("K1", common::KEY_B64),
        ("K2", k2.as_str()),
    ];
    let out = server_cmd(&url, &keys).arg("rotate-key").output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("re-encrypted 1 token(s) with key \"k2\""),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    let row = sqlx::query("SELECT key_id FROM spotify_tokens WHERE user_id = 'demo'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(row.get::<String, _>("key_id"), "k2");
    // Only k2 is needed now: a server without k1 reads the token.
    let server = common::server_with(&sandbox, Some(url.clone()), |c| {
        c.keys.clear();
        c.keys.insert(
            "current".into(),
            secrecy::SecretString::from("k2".to_owned()),
        );
        c.keys
            .insert("k2".into(), secrecy::SecretString::from(k2.clone()));
    })
    .await;
    let after =
        spotkit_server::db::tokens::load_token(server.state.db(), server.state.keys(), "demo")
            .await
            .unwrap()
            .unwrap();
    assert_eq!(after.access_token(), before.access_token());
}

#[test]
fn configuration_errors_name_the_setting_and_exit_1() {
    let (url, _dir) = common::sqlite_url();
    let out = server_cmd(&url, &[]).arg("migrate").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("keys") && err.contains("current"), "{err}");
    let out = server_cmd("mysql://x", &[("CURRENT", "k1"), ("K1", common::KEY_B64)])
        .arg("serve")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("database_url"));
}
