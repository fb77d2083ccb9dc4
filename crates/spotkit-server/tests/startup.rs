//! Issue #18 item 2: `AppState::new` fails with a start-up error that says what to fix, not
//! with a request error.

use spotkit_server::{AppState, Config, StartError};

#[tokio::test]
async fn a_state_without_keys_names_the_setting() {
    let db = spotkit_server::db::Db::connect("sqlite::memory:", 2)
        .await
        .unwrap();
    // Built by hand, so not validated: the state checks the keys itself.
    let e = AppState::new(Config::default(), db).unwrap_err();
    assert!(matches!(e, StartError::Keys(_)), "{e:?}");
    let message = e.to_string();
    assert!(message.contains("`keys`"), "{message}");
    assert!(message.contains("openssl rand -base64 32"), "{message}");
}
