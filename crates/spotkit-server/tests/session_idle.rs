//! Issue #18 (Low): sessions have an idle timeout. A session in use stays valid however long
//! it is used; one not used for `session_idle_timeout_secs` ends (checked through real sockets,
//! with a timeout of a few seconds).

mod common;

use std::time::Duration;

use common::*;

async fn me(client: &reqwest::Client, server: &TestServer) -> u16 {
    client
        .get(format!("{}/me", server.url))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn a_session_used_stays_and_an_idle_one_ends() {
    let sandbox = sandbox().await;
    let server = server_with(&sandbox, None, |c| c.session_idle_timeout_secs = 4).await;
    let client = browser_login(&server, "demo").await;
    // Used every second for longer than the timeout: still valid.
    for _ in 0..7 {
        assert_eq!(me(&client, &server).await, 200);
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    // Then left alone for longer than the timeout.
    tokio::time::sleep(Duration::from_secs(6)).await;
    assert_eq!(me(&client, &server).await, 401);
    // The row is gone too, not only refused.
    let rows = sqlx::query("SELECT COUNT(*) AS n FROM sessions WHERE user_id = 'demo'")
        .fetch_one(server.state.db().pool())
        .await
        .unwrap();
    assert_eq!(sqlx::Row::get::<i64, _>(&rows, "n"), 0);
}
