//! Issue #18 (Info): the SQLite file is created readable by its owner only, and `Debug` of the
//! configuration and the state prints no secret.

mod common;

use common::*;

#[cfg(unix)]
#[tokio::test]
async fn the_sqlite_file_is_created_0600() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fresh.db");
    let db = spotkit_server::db::Db::connect(&format!("sqlite://{}", path.display()), 2)
        .await
        .unwrap();
    db.migrate().await.unwrap();
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "the database file is {mode:o}");
}

#[tokio::test]
async fn debug_output_holds_no_secret() {
    let sandbox = sandbox().await;
    let (url, _dir) = sqlite_url();
    let mut config = config(&sandbox, "127.0.0.1:9".parse().unwrap(), &url);
    let db = spotkit_server::db::Db::connect(&url, 2).await.unwrap();
    db.migrate().await.unwrap();
    config.database_url = "postgres://spotkit:hunter2-db-password@127.0.0.1/spotkit".into();
    let printed = format!("{config:?}");
    assert!(!printed.contains("hunter2"), "{printed}");
    assert!(!printed.contains("spotkit-demo-secret"), "{printed}");
    assert!(!printed.contains(KEY_B64), "{printed}");
    assert!(
        printed.contains("127.0.0.1/spotkit"),
        "still useful: {printed}"
    );
    let state = spotkit_server::AppState::new(config, db).unwrap();
    let printed = format!("{state:?}");
    assert!(!printed.contains("hunter2"), "{printed}");
    assert!(!printed.contains("spotkit-demo-secret"), "{printed}");
    assert!(!printed.contains(KEY_B64), "{printed}");
}
