//! The database layer's statements on both backends. The HTTP tests of the security fixes
//! (`session_idle.rs`, `lifetime.rs`, `handoff.rs`, `metadata_quota.rs`, `rotate_race.rs`) run
//! on SQLite; PostgreSQL parses, types and compares differently (`SUM` of a `BIGINT` is
//! `NUMERIC`, `RETURNING`, `BYTEA` equality), so each scenario here runs on a SQLite file and on
//! a private PostgreSQL server on 127.0.0.1 (`common::postgres`: skipped, visibly, when
//! PostgreSQL is not installed; `scripts/test` installs it and then requires it).

mod common;

use std::collections::BTreeMap;
use std::time::Duration;

use base64::Engine as _;
use secrecy::SecretString;
use spotkit::token::{AccessToken, RefreshToken, Token};
use spotkit_server::crypto::Keyring;
use spotkit_server::db::sessions::{
    self, create_handoff_code, create_session, end_everything_of, find_session, issue_api_tokens,
    redeem_handoff_code, revoke_replayed_handoff, set_handoff_family, use_refresh_token,
};
use spotkit_server::db::{Backend, Db, metadata, now, tokens};

/// A migrated database of one backend, and what keeps it alive.
struct Database {
    db: Db,
    _sqlite: Option<std::sync::Arc<tempfile::TempDir>>,
    _postgres: Option<common::postgres::Postgres>,
}

/// The users the scenarios store things for (rows refer to `users`).
const USERS: &[&str] = &[
    "idle-user",
    "sweep-user",
    "family-user",
    "reuse-user",
    "everywhere-a",
    "everywhere-b",
    "reauth-user",
    "handoff-user",
    "race-user",
    "quota-user",
    "quota-other",
    "versions-user",
    "versions-other",
    "cas-a",
    "cas-b",
];

async fn migrated(url: &str, backend: Backend) -> Db {
    let db = Db::connect(url, 4).await.unwrap();
    db.migrate().await.unwrap();
    assert_eq!(db.backend(), backend);
    for id in USERS {
        let profile = serde_json::json!({ "id": id });
        tokens::upsert_user(&db, id, &profile, true).await.unwrap();
    }
    db
}

async fn sqlite() -> Database {
    let (url, dir) = common::sqlite_url();
    let db = migrated(&url, Backend::Sqlite).await;
    Database {
        db,
        _sqlite: Some(dir),
        _postgres: None,
    }
}

async fn postgres() -> Option<Database> {
    let pg = common::postgres::Postgres::start()?;
    let db = migrated(&pg.url(), Backend::Postgres).await;
    Some(Database {
        db,
        _sqlite: None,
        _postgres: Some(pg),
    })
}

/// `on_both_backends!(name, ..)`: tests `name::sqlite` and `name::postgres` run
/// `async fn name(&Db)` on a fresh database of that backend.
macro_rules! on_both_backends {
    ($($scenario:ident),* $(,)?) => {$(
        mod $scenario {
            #[tokio::test]
            async fn sqlite() {
                let database = super::sqlite().await;
                super::$scenario(&database.db).await;
            }

            #[tokio::test]
            async fn postgres() {
                let Some(database) = super::postgres().await else {
                    return;
                };
                super::$scenario(&database.db).await;
            }
        }
    )*};
}

on_both_backends!(
    sessions_end_after_idle_time_and_record_their_use,
    the_sweep_ends_idle_and_expired_sessions,
    a_token_family_ends_at_its_maximum_age,
    a_reused_refresh_token_revokes_its_family,
    ending_everything_of_a_user_spares_the_others,
    needing_reauth_ends_sessions_tokens_and_the_spotify_token,
    a_replayed_handoff_code_revokes_the_tokens_it_gave,
    a_handoff_code_is_redeemed_once_under_concurrency,
    metadata_usage_counts_versions_and_bytes,
    metadata_versions_are_picked_and_immutable,
    resealing_is_a_compare_and_swap,
);

/// Runs `sql` with one integer and one text parameter (test set-up: moving times back).
async fn exec(db: &Db, sql: &str, n: Option<i64>, text: &str) -> u64 {
    sqlx::query(sql)
        .bind(n)
        .bind(text)
        .execute(db.pool())
        .await
        .unwrap()
        .rows_affected()
}

async fn count(db: &Db, sql: &str, text: &str) -> i64 {
    use sqlx::Row as _;
    sqlx::query(sql)
        .bind(text)
        .fetch_one(db.pool())
        .await
        .unwrap()
        .try_get::<i64, _>(0)
        .unwrap()
}

async fn last_seen(db: &Db, id_hash: &str) -> Option<i64> {
    use sqlx::Row as _;
    sqlx::query("SELECT last_seen_at FROM sessions WHERE id_hash = $1")
        .bind(id_hash)
        .fetch_one(db.pool())
        .await
        .unwrap()
        .try_get("last_seen_at")
        .unwrap()
}

async fn sessions_end_after_idle_time_and_record_their_use(db: &Db) {
    let (cookie, session) = create_session(db, Some("idle-user"), None, 3600)
        .await
        .unwrap();
    assert!(last_seen(db, &session.id_hash).await.unwrap() >= now() - 5);
    let found = find_session(db, &cookie, 600).await.unwrap().unwrap();
    assert_eq!(found.user_id.as_deref(), Some("idle-user"));
    assert_eq!(found.csrf, session.csrf);

    // Used 200 s ago with a 600 s timeout: still valid, and the use is recorded.
    let set_seen = "UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2";
    exec(db, set_seen, Some(now() - 200), &session.id_hash).await;
    assert!(find_session(db, &cookie, 600).await.unwrap().is_some());
    assert!(last_seen(db, &session.id_hash).await.unwrap() >= now() - 5);

    // Unused for longer than the timeout: ended, and the row is gone.
    exec(db, set_seen, Some(now() - 700), &session.id_hash).await;
    assert!(find_session(db, &cookie, 600).await.unwrap().is_none());
    let rows = count(
        db,
        "SELECT COUNT(*) FROM sessions WHERE id_hash = $1",
        &session.id_hash,
    )
    .await;
    assert_eq!(rows, 0);

    // Rows from before migration 0004 have no last use: their creation counts.
    let (cookie, session) = create_session(db, Some("idle-user"), None, 3600)
        .await
        .unwrap();
    exec(db, set_seen, None, &session.id_hash).await;
    assert!(find_session(db, &cookie, 600).await.unwrap().is_some());
    let (cookie, session) = create_session(db, Some("idle-user"), None, 3600)
        .await
        .unwrap();
    exec(db, set_seen, None, &session.id_hash).await;
    exec(
        db,
        "UPDATE sessions SET created_at = $1 WHERE id_hash = $2",
        Some(now() - 700),
        &session.id_hash,
    )
    .await;
    assert!(find_session(db, &cookie, 600).await.unwrap().is_none());
    // Without a timeout (0) only the expiry counts.
    let (cookie, session) = create_session(db, Some("idle-user"), None, 3600)
        .await
        .unwrap();
    exec(db, set_seen, Some(now() - 100_000), &session.id_hash).await;
    assert!(find_session(db, &cookie, 0).await.unwrap().is_some());
}

async fn the_sweep_ends_idle_and_expired_sessions(db: &Db) {
    let (_, fresh) = create_session(db, Some("sweep-user"), None, 3600)
        .await
        .unwrap();
    let (_, idle) = create_session(db, Some("sweep-user"), None, 3600)
        .await
        .unwrap();
    let (_, old_row) = create_session(db, Some("sweep-user"), None, 3600)
        .await
        .unwrap();
    let (_, expired) = create_session(db, Some("sweep-user"), None, 3600)
        .await
        .unwrap();
    let set = |sql: &'static str, t: Option<i64>, id: String| async move {
        exec(db, sql, t, &id).await;
    };
    set(
        "UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2",
        Some(now() - 700),
        idle.id_hash.clone(),
    )
    .await;
    set(
        "UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2",
        None,
        old_row.id_hash.clone(),
    )
    .await;
    set(
        "UPDATE sessions SET created_at = $1 WHERE id_hash = $2",
        Some(now() - 700),
        old_row.id_hash.clone(),
    )
    .await;
    set(
        "UPDATE sessions SET expires_at = $1 WHERE id_hash = $2",
        Some(now() - 1),
        expired.id_hash.clone(),
    )
    .await;
    assert_eq!(db.sweep(600).await.unwrap(), 3);
    let left = count(
        db,
        "SELECT COUNT(*) FROM sessions WHERE user_id = $1",
        "sweep-user",
    )
    .await;
    assert_eq!(left, 1);
    assert!(last_seen(db, &fresh.id_hash).await.is_some());
}

async fn a_token_family_ends_at_its_maximum_age(db: &Db) {
    let t = now();
    // Access tokens for an hour, refresh tokens for a day, the family for 100 s: neither outlives
    // the family.
    let first = issue_api_tokens(db, "family-user", None, 3600, 86_400, 100)
        .await
        .unwrap();
    assert!(first.expires_in <= 100, "{}", first.expires_in);
    let expiries = count(
        db,
        "SELECT COUNT(*) FROM api_tokens WHERE family = $1 AND expires_at <= family_expires_at",
        &first.family,
    )
    .await;
    assert_eq!(expiries, 2);

    // A refresh keeps the family's end: the chain does not grow a fresh maximum age.
    let (user, family) = use_refresh_token(db, &first.refresh_token)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user, "family-user");
    assert_eq!(family.id, first.family);
    let end = family.expires_at.unwrap();
    assert!((t + 100..=now() + 100).contains(&end), "{end}");
    let second = issue_api_tokens(db, "family-user", Some(&family), 3600, 86_400, 100)
        .await
        .unwrap();
    assert_eq!(second.family, first.family);
    let ends = count(
        db,
        "SELECT COUNT(DISTINCT family_expires_at) FROM api_tokens WHERE family = $1",
        &first.family,
    )
    .await;
    assert_eq!(ends, 1);
    assert_eq!(
        sessions::api_token_user(db, &second.access_token)
            .await
            .unwrap()
            .as_deref(),
        Some("family-user")
    );

    // Past the family's end its refresh token is refused, whatever the token's own expiry.
    exec(
        db,
        "UPDATE api_tokens SET family_expires_at = $1 WHERE family = $2",
        Some(now() - 1),
        &first.family,
    )
    .await;
    assert!(
        use_refresh_token(db, &second.refresh_token)
            .await
            .unwrap()
            .is_none()
    );
    // Rows from before the cap (no family end) refresh as before, and get one on the next pair.
    let legacy = issue_api_tokens(db, "family-user", None, 3600, 86_400, 100)
        .await
        .unwrap();
    exec(
        db,
        "UPDATE api_tokens SET family_expires_at = $1 WHERE family = $2",
        None,
        &legacy.family,
    )
    .await;
    let (_, family) = use_refresh_token(db, &legacy.refresh_token)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(family.expires_at, None);
    let next = issue_api_tokens(db, "family-user", Some(&family), 3600, 86_400, 100)
        .await
        .unwrap();
    assert!(next.expires_in <= 100);
}

async fn a_reused_refresh_token_revokes_its_family(db: &Db) {
    let pair = issue_api_tokens(db, "reuse-user", None, 3600, 86_400, 864_000)
        .await
        .unwrap();
    let (_, family) = use_refresh_token(db, &pair.refresh_token)
        .await
        .unwrap()
        .unwrap();
    let next = issue_api_tokens(db, "reuse-user", Some(&family), 3600, 86_400, 864_000)
        .await
        .unwrap();
    // The spent token again: refused, and the whole family (the new pair too) is revoked.
    assert!(
        use_refresh_token(db, &pair.refresh_token)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        sessions::api_token_user(db, &next.access_token)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        use_refresh_token(db, &next.refresh_token)
            .await
            .unwrap()
            .is_none()
    );
}

async fn ending_everything_of_a_user_spares_the_others(db: &Db) {
    let mut cookies = Vec::new();
    for _ in 0..2 {
        cookies.push(
            create_session(db, Some("everywhere-a"), None, 3600)
                .await
                .unwrap()
                .0,
        );
    }
    let (other_cookie, _) = create_session(db, Some("everywhere-b"), None, 3600)
        .await
        .unwrap();
    let mut pairs = Vec::new();
    for _ in 0..2 {
        pairs.push(
            issue_api_tokens(db, "everywhere-a", None, 3600, 86_400, 864_000)
                .await
                .unwrap(),
        );
    }
    let other_pair = issue_api_tokens(db, "everywhere-b", None, 3600, 86_400, 864_000)
        .await
        .unwrap();

    // 2 sessions and 2 families of 2 tokens.
    assert_eq!(end_everything_of(db, "everywhere-a").await.unwrap(), 6);
    for cookie in &cookies {
        assert!(find_session(db, cookie, 0).await.unwrap().is_none());
    }
    for pair in &pairs {
        assert!(
            sessions::api_token_user(db, &pair.access_token)
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            use_refresh_token(db, &pair.refresh_token)
                .await
                .unwrap()
                .is_none()
        );
    }
    // Nothing of another user, and nothing left to end a second time.
    assert!(find_session(db, &other_cookie, 0).await.unwrap().is_some());
    assert_eq!(
        sessions::api_token_user(db, &other_pair.access_token)
            .await
            .unwrap()
            .as_deref(),
        Some("everywhere-b")
    );
    assert_eq!(end_everything_of(db, "everywhere-a").await.unwrap(), 0);
}

fn token(refresh: &str) -> Token {
    Token::new(
        AccessToken::new("access"),
        Some(RefreshToken::new(refresh)),
        Some(Duration::from_secs(3600)),
        Vec::new(),
    )
}

fn keyring(current: &str) -> Keyring {
    let mut table: BTreeMap<String, SecretString> = BTreeMap::new();
    for (id, byte) in [("k1", 1u8), ("k2", 2u8)] {
        table.insert(
            id.into(),
            base64::engine::general_purpose::STANDARD
                .encode([byte; 32])
                .into(),
        );
    }
    table.insert("current".into(), current.to_owned().into());
    Keyring::from_config(&table).unwrap()
}

async fn needing_reauth_ends_sessions_tokens_and_the_spotify_token(db: &Db) {
    let keys = keyring("k1");
    let profile = serde_json::json!({"id": "reauth-user", "display_name": "Re Auth"});
    tokens::upsert_user(db, "reauth-user", &profile, true)
        .await
        .unwrap();
    tokens::save_token(db, &keys, "reauth-user", &token("r1"))
        .await
        .unwrap();
    let (cookie, _) = create_session(db, Some("reauth-user"), None, 3600)
        .await
        .unwrap();
    let pair = issue_api_tokens(db, "reauth-user", None, 3600, 86_400, 864_000)
        .await
        .unwrap();

    tokens::mark_needs_reauth(db, "reauth-user").await.unwrap();
    let user = tokens::user(db, "reauth-user").await.unwrap().unwrap();
    assert!(user.needs_reauth);
    assert_eq!(user.profile["display_name"], "Re Auth");
    assert!(
        tokens::load_token(db, &keys, "reauth-user")
            .await
            .unwrap()
            .is_none()
    );
    assert!(find_session(db, &cookie, 0).await.unwrap().is_none());
    assert!(
        sessions::api_token_user(db, &pair.access_token)
            .await
            .unwrap()
            .is_none()
    );

    // A new login clears the mark; a profile refresh alone does not.
    tokens::upsert_user(db, "reauth-user", &profile, false)
        .await
        .unwrap();
    assert!(
        tokens::user(db, "reauth-user")
            .await
            .unwrap()
            .unwrap()
            .needs_reauth
    );
    tokens::upsert_user(db, "reauth-user", &profile, true)
        .await
        .unwrap();
    assert!(
        !tokens::user(db, "reauth-user")
            .await
            .unwrap()
            .unwrap()
            .needs_reauth
    );
}

async fn a_replayed_handoff_code_revokes_the_tokens_it_gave(db: &Db) {
    let code = create_handoff_code(db, "handoff-user", common::APP, "ch", 60)
        .await
        .unwrap();
    let handoff = redeem_handoff_code(db, &code).await.unwrap().unwrap();
    assert_eq!(handoff.user_id, "handoff-user");
    assert_eq!(handoff.redirect_uri, common::APP);
    assert_eq!(handoff.code_challenge, "ch");
    let pair = issue_api_tokens(db, "handoff-user", None, 3600, 86_400, 864_000)
        .await
        .unwrap();
    set_handoff_family(db, &code, &pair.family).await.unwrap();

    // The replay fails, is recognised as one, and takes the tokens with it.
    assert!(redeem_handoff_code(db, &code).await.unwrap().is_none());
    assert!(revoke_replayed_handoff(db, &code).await.unwrap());
    assert!(
        sessions::api_token_user(db, &pair.access_token)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        use_refresh_token(db, &pair.refresh_token)
            .await
            .unwrap()
            .is_none()
    );

    // An unknown code and an unused one are no replay; an expired one is refused.
    assert!(!revoke_replayed_handoff(db, "no-such-code").await.unwrap());
    let unused = create_handoff_code(db, "handoff-user", common::APP, "ch", 60)
        .await
        .unwrap();
    assert!(!revoke_replayed_handoff(db, &unused).await.unwrap());
    let expired = create_handoff_code(db, "handoff-user", common::APP, "ch", -1)
        .await
        .unwrap();
    assert!(redeem_handoff_code(db, &expired).await.unwrap().is_none());
    // A replay before the family was recorded is still reported (nothing to revoke yet).
    let early = create_handoff_code(db, "handoff-user", common::APP, "ch", 60)
        .await
        .unwrap();
    assert!(redeem_handoff_code(db, &early).await.unwrap().is_some());
    assert!(revoke_replayed_handoff(db, &early).await.unwrap());
}

async fn a_handoff_code_is_redeemed_once_under_concurrency(db: &Db) {
    let code = create_handoff_code(db, "race-user", common::APP, "ch", 60)
        .await
        .unwrap();
    let tries = futures::future::join_all((0..8).map(|_| redeem_handoff_code(db, &code))).await;
    let won = tries.into_iter().filter_map(Result::unwrap).count();
    assert_eq!(won, 1);
}

async fn metadata_usage_counts_versions_and_bytes(db: &Db) {
    assert_eq!(metadata::usage(db, "quota-user").await.unwrap(), (0, 0));
    let a = r#"{"bpm":120}"#;
    let b = r#"{"cues":[1,2,3]}"#;
    for (track, body) in [("t1", a), ("t1", b), ("t2", b)] {
        metadata::insert(db, "quota-user", track, "beats", None, body)
            .await
            .unwrap();
    }
    metadata::insert(db, "quota-other", "t1", "beats", None, a)
        .await
        .unwrap();
    let expected = (a.len() + 2 * b.len()) as u64;
    assert_eq!(
        metadata::usage(db, "quota-user").await.unwrap(),
        (3, expected)
    );
    // Sums past 32 bits stay exact (PostgreSQL's SUM of BIGINT is NUMERIC, cast back).
    exec(
        db,
        "UPDATE metadata SET size = $1 WHERE user_id = $2",
        Some(3_000_000_000),
        "quota-user",
    )
    .await;
    assert_eq!(
        metadata::usage(db, "quota-user").await.unwrap(),
        (3, 9_000_000_000)
    );
}

async fn metadata_versions_are_picked_and_immutable(db: &Db) {
    use metadata::Insert;
    let stored = |i: Insert| match i {
        Insert::Stored(d) => d.version,
        Insert::Exists(v) => panic!("version {v} exists"),
    };
    let one = metadata::insert(db, "versions-user", "t1", "tags", None, r#"{"a":1}"#)
        .await
        .unwrap();
    assert_eq!(stored(one), 1);
    let five = metadata::insert(db, "versions-user", "t1", "tags", Some(5), r#"{"a":5}"#)
        .await
        .unwrap();
    assert_eq!(stored(five), 5);
    let next = metadata::insert(db, "versions-user", "t1", "tags", None, r#"{"a":6}"#)
        .await
        .unwrap();
    assert_eq!(stored(next), 6);
    match metadata::insert(db, "versions-user", "t1", "tags", Some(5), r#"{"b":0}"#)
        .await
        .unwrap()
    {
        Insert::Exists(5) => {}
        other => panic!("{other:?}"),
    }
    let latest = metadata::get(db, "versions-user", "t1", "tags", None)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (latest.version, latest.collection.as_str()),
        (6, r#"{"a":6}"#)
    );
    let five = metadata::get(db, "versions-user", "t1", "tags", Some(5))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(five.collection, r#"{"a":5}"#);
    let all = metadata::versions(db, "versions-user", "t1", "tags")
        .await
        .unwrap();
    assert_eq!(all.iter().map(|d| d.version).collect::<Vec<_>>(), [1, 5, 6]);
    // Another user sees nothing of it.
    assert!(
        metadata::get(db, "versions-other", "t1", "tags", None)
            .await
            .unwrap()
            .is_none()
    );
    // Concurrent writers without a version each get their own (five: a writer retries up to
    // five times, once per other writer that took the version it picked).
    let writes = futures::future::join_all((0..5).map(|i| {
        let body = format!(r#"{{"w":{i}}}"#);
        async move {
            metadata::insert(db, "versions-user", "t2", "tags", None, &body)
                .await
                .unwrap()
        }
    }))
    .await;
    let mut versions: Vec<i64> = writes.into_iter().map(stored).collect();
    versions.sort_unstable();
    assert_eq!(versions, [1, 2, 3, 4, 5]);
}

async fn resealing_is_a_compare_and_swap(db: &Db) {
    let old = keyring("k1");
    let new = keyring("k2");
    for user in ["cas-a", "cas-b"] {
        tokens::save_token(db, &old, user, &token(&format!("{user}-r1")))
            .await
            .unwrap();
    }
    let read = tokens::load_sealed(db, "cas-a").await.unwrap().unwrap();
    assert_eq!(read.key_id, "k1");
    // A refresh saves a new token between rotation's read and its write: the write must miss.
    tokens::save_token(db, &old, "cas-a", &token("cas-a-r2"))
        .await
        .unwrap();
    assert!(
        !tokens::reseal_token(db, &new, "cas-a", &read)
            .await
            .unwrap()
    );
    // With nothing in between it lands.
    let read = tokens::load_sealed(db, "cas-a").await.unwrap().unwrap();
    assert!(
        tokens::reseal_token(db, &new, "cas-a", &read)
            .await
            .unwrap()
    );
    assert_eq!(
        tokens::load_sealed(db, "cas-a")
            .await
            .unwrap()
            .unwrap()
            .key_id,
        "k2"
    );
    // The whole rotation takes what is left, keeps every token, and has nothing to do after.
    assert_eq!(tokens::rotate_keys(db, &new).await.unwrap(), 1);
    assert_eq!(tokens::rotate_keys(db, &new).await.unwrap(), 0);
    for (user, refresh) in [("cas-a", "cas-a-r2"), ("cas-b", "cas-b-r1")] {
        let t = tokens::load_token(db, &new, user).await.unwrap().unwrap();
        assert_eq!(t.refresh_token().unwrap().secret(), refresh);
    }
}
