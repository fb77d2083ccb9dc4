//! Issue #18 (Low): `rotate-key` racing a refresh. Rotation reads a sealed token and writes it
//! back under the new key; when a refresh saved a new token in between, writing the old one back
//! would restore a refresh token Spotify may have replaced. The write happens only if the row
//! is still what was read.

mod common;

use std::time::Duration;

use base64::Engine as _;
use spotkit::token::{AccessToken, RefreshToken, Token};
use spotkit_server::crypto::Keyring;
use spotkit_server::db::tokens::{load_sealed, load_token, reseal_token, rotate_keys, save_token};

#[tokio::test]
async fn a_token_saved_between_read_and_write_is_kept() {
    let sandbox = common::sandbox().await;
    let server = common::server(&sandbox).await;
    let _client = common::browser_login(&server, "demo").await;
    let db = server.state.db();
    let mut table = server.state.config().keys.clone();
    table.insert(
        "k2".into(),
        base64::engine::general_purpose::STANDARD
            .encode([9u8; 32])
            .into(),
    );
    table.insert("current".into(), "k2".to_owned().into());
    let rotated = Keyring::from_config(&table).unwrap();

    // Rotation reads the row (sealed with k1) ...
    let read = load_sealed(db, "demo").await.unwrap().unwrap();
    assert_eq!(read.key_id, "k1");
    // ... a refresh on a server still on k1 saves a new token ...
    let refreshed = Token::new(
        AccessToken::new("access-after-refresh"),
        Some(RefreshToken::new("refresh-after-refresh")),
        Some(Duration::from_secs(3600)),
        Vec::new(),
    );
    save_token(db, server.state.keys(), "demo", &refreshed)
        .await
        .unwrap();
    // ... and rotation's write of what it read must not land.
    assert!(!reseal_token(db, &rotated, "demo", &read).await.unwrap());
    let stored = load_token(db, &rotated, "demo").await.unwrap().unwrap();
    assert_eq!(
        stored.refresh_token().unwrap().secret(),
        "refresh-after-refresh"
    );
    // The whole rotation reads again and re-seals the new token.
    assert_eq!(rotate_keys(db, &rotated).await.unwrap(), 1);
    assert_eq!(load_sealed(db, "demo").await.unwrap().unwrap().key_id, "k2");
    let stored = load_token(db, &rotated, "demo").await.unwrap().unwrap();
    assert_eq!(
        stored.refresh_token().unwrap().secret(),
        "refresh-after-refresh"
    );
}
