//! Users and their Spotify tokens, encrypted at rest; [`UserTokenStore`], the spotkit
//! [`TokenStore`] of one user.
//!
//! A token is stored as one sealed JSON document (access token, refresh token, expiry, scopes)
//! plus its expiry in clear, for operations. Renewal is single-flight per user: within a process
//! through one cached `Spotify` client per user and a per-user mutex, across processes sharing a
//! PostgreSQL database through a transaction-scoped advisory lock keyed by the user id.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::UNIX_EPOCH;

use async_trait::async_trait;
use serde_json::Value;
use sha2::{Digest, Sha256};
use spotkit::token::{RenewalLock, Token, TokenStore};
use sqlx::Row as _;

use super::{Backend, Db, now};
use crate::crypto::{Keyring, Sealed};

/// A user row.
#[derive(Debug, Clone)]
pub struct User {
    /// Spotify user id.
    pub id: String,
    /// The profile JSON as Spotify sent it.
    pub profile: Value,
    /// When the profile was fetched (Unix seconds).
    pub profile_fetched_at: i64,
    /// The refresh token was refused: the user must log in again.
    pub needs_reauth: bool,
}

/// Inserts or updates a user with a freshly fetched profile; clears `needs_reauth` when asked.
pub async fn upsert_user(
    db: &Db,
    id: &str,
    profile: &Value,
    logged_in: bool,
) -> Result<(), sqlx::Error> {
    let display = profile
        .get("display_name")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let t = now();
    sqlx::query(
        "INSERT INTO users (id, display_name, profile, profile_fetched_at, needs_reauth, created_at) \
         VALUES ($1, $2, $3, $4, 0, $5) \
         ON CONFLICT (id) DO UPDATE SET display_name = excluded.display_name, profile = excluded.profile, \
         profile_fetched_at = excluded.profile_fetched_at, \
         needs_reauth = CASE WHEN $6 = 1 THEN 0 ELSE users.needs_reauth END",
    )
    .bind(id)
    .bind(display)
    .bind(profile.to_string())
    .bind(t)
    .bind(t)
    .bind(i64::from(logged_in))
    .execute(db.pool())
    .await?;
    db.cache().user_changed(id);
    Ok(())
}

/// Loads a user (from the read cache when it holds the row, [`super::cache`]).
pub async fn user(db: &Db, id: &str) -> Result<Option<User>, sqlx::Error> {
    if let Some(user) = db.cache().user(id) {
        return Ok(Some(user));
    }
    let ticket = db.cache().user_ticket();
    let row = sqlx::query(
        "SELECT id, profile, profile_fetched_at, needs_reauth FROM users WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(db.pool())
    .await?;
    let Some(r) = row else { return Ok(None) };
    let profile: String = r.try_get("profile")?;
    let user = User {
        id: r.try_get("id")?,
        profile: serde_json::from_str(&profile).unwrap_or(Value::Null),
        profile_fetched_at: r.try_get("profile_fetched_at")?,
        needs_reauth: r.try_get::<i64, _>("needs_reauth")? != 0,
    };
    db.cache().put_user(ticket, user.clone());
    Ok(Some(user))
}

/// Marks that the user's Spotify login is gone, forgets the dead token, and ends every session
/// and server API token of the user: none may outlive the authorization it stood for.
pub async fn mark_needs_reauth(db: &Db, id: &str) -> Result<(), sqlx::Error> {
    super::sessions::end_everything_of(db, id).await?;
    sqlx::query("UPDATE users SET needs_reauth = 1 WHERE id = $1")
        .bind(id)
        .execute(db.pool())
        .await?;
    db.cache().user_changed(id);
    sqlx::query("DELETE FROM spotify_tokens WHERE user_id = $1")
        .bind(id)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Deletes the stored Spotify token of `user_id`.
pub async fn delete_token(db: &Db, user_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM spotify_tokens WHERE user_id = $1")
        .bind(user_id)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Stores `token` for `user_id`, sealed with the current key.
pub async fn save_token(
    db: &Db,
    keys: &Keyring,
    user_id: &str,
    token: &Token,
) -> Result<(), spotkit::Error> {
    let json = serde_json::to_vec(token)
        .map_err(|e| store_error(format!("cannot encode the token: {e}")))?;
    let sealed = keys
        .seal(user_id, &json)
        .map_err(|e| store_error(e.to_string()))?;
    let expires = token
        .expires_at()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map(|d| d.as_secs() as i64);
    sqlx::query(
        "INSERT INTO spotify_tokens (user_id, key_id, sealed, expires_at, updated_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (user_id) DO UPDATE SET key_id = excluded.key_id, sealed = excluded.sealed, \
         expires_at = excluded.expires_at, updated_at = excluded.updated_at",
    )
    .bind(user_id)
    .bind(sealed.key_id)
    .bind(sealed.bytes)
    .bind(expires)
    .bind(now())
    .execute(db.pool())
    .await
    .map_err(db_error)?;
    Ok(())
}

/// Loads and opens the token of `user_id`.
pub async fn load_token(
    db: &Db,
    keys: &Keyring,
    user_id: &str,
) -> Result<Option<Token>, spotkit::Error> {
    let row = sqlx::query("SELECT key_id, sealed FROM spotify_tokens WHERE user_id = $1")
        .bind(user_id)
        .fetch_optional(db.pool())
        .await
        .map_err(db_error)?;
    let Some(row) = row else { return Ok(None) };
    let sealed = Sealed {
        key_id: row.try_get("key_id").map_err(db_error)?,
        bytes: row.try_get("sealed").map_err(db_error)?,
    };
    let plain = keys
        .open(user_id, &sealed)
        .map_err(|e| store_error(e.to_string()))?;
    let token = serde_json::from_slice(&plain)
        .map_err(|e| store_error(format!("a stored token does not parse: {e}")))?;
    Ok(Some(token))
}

/// The sealed token of `user_id` as stored, unopened.
pub async fn load_sealed(db: &Db, user_id: &str) -> Result<Option<Sealed>, spotkit::Error> {
    let row = sqlx::query("SELECT key_id, sealed FROM spotify_tokens WHERE user_id = $1")
        .bind(user_id)
        .fetch_optional(db.pool())
        .await
        .map_err(db_error)?;
    row.map(|row| {
        Ok(Sealed {
            key_id: row.try_get("key_id").map_err(db_error)?,
            bytes: row.try_get("sealed").map_err(db_error)?,
        })
    })
    .transpose()
}

/// Re-seals `read` (the row of `user_id` as read before) with the current key, only if the row
/// still holds exactly that: a refresh that saved a new token meanwhile must not be overwritten
/// by the old one (its refresh token may be spent). Returns whether the row was written.
pub async fn reseal_token(
    db: &Db,
    keys: &Keyring,
    user_id: &str,
    read: &Sealed,
) -> Result<bool, spotkit::Error> {
    let plain = keys
        .open(user_id, read)
        .map_err(|e| store_error(e.to_string()))?;
    let sealed = keys
        .seal(user_id, &plain)
        .map_err(|e| store_error(e.to_string()))?;
    // Compare-and-swap on the sealed bytes: every save seals with a fresh nonce, so any write
    // since the read changed them.
    let written = sqlx::query(
        "UPDATE spotify_tokens SET key_id = $1, sealed = $2 \
         WHERE user_id = $3 AND key_id = $4 AND sealed = $5",
    )
    .bind(sealed.key_id)
    .bind(sealed.bytes)
    .bind(user_id)
    .bind(&read.key_id)
    .bind(&read.bytes)
    .execute(db.pool())
    .await
    .map_err(db_error)?
    .rows_affected();
    Ok(written == 1)
}

/// Re-seals every stored token with the current key; returns how many rows changed. A row that
/// changes between the read and the write (a refresh saved a new token) is read again; a token
/// saved meanwhile is sealed with the current key already.
pub async fn rotate_keys(db: &Db, keys: &Keyring) -> Result<u64, spotkit::Error> {
    let rows = sqlx::query("SELECT user_id FROM spotify_tokens WHERE key_id <> $1")
        .bind(keys.current_id())
        .fetch_all(db.pool())
        .await
        .map_err(db_error)?;
    let mut n = 0;
    for row in rows {
        let user: String = row.try_get("user_id").map_err(db_error)?;
        for _ in 0..5 {
            let Some(read) = load_sealed(db, &user).await? else {
                break; // logged out meanwhile
            };
            if read.key_id == keys.current_id() {
                break;
            }
            if reseal_token(db, keys, &user, &read).await? {
                n += 1;
                break;
            }
        }
    }
    Ok(n)
}

fn store_error(message: String) -> spotkit::Error {
    spotkit::Error::Store {
        path: None,
        message,
        source: None,
    }
}

#[allow(clippy::needless_pass_by_value)] // used as `map_err(db_error)`
fn db_error(e: sqlx::Error) -> spotkit::Error {
    store_error(format!("the database failed: {e}"))
}

/// Per-user mutexes: renewal is single-flight inside one process even when two `Spotify`
/// clients of the same user exist for a moment.
#[derive(Debug, Default)]
pub struct RenewalLocks {
    locks: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
}

impl RenewalLocks {
    fn get(&self, user_id: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut map = self.locks.lock().unwrap_or_else(PoisonError::into_inner);
        if map.len() > 10_000 {
            // Forget idle locks (nobody else holds a clone of them).
            map.retain(|_, l| Arc::strong_count(l) > 1);
        }
        map.entry(user_id.to_owned()).or_default().clone()
    }
}

/// The [`TokenStore`] of one user: the profile name spotkit passes is ignored, the user is fixed.
#[derive(Debug, Clone)]
pub struct UserTokenStore {
    db: Db,
    keys: Arc<Keyring>,
    user_id: String,
    locks: Arc<RenewalLocks>,
}

impl UserTokenStore {
    /// The store of `user_id`.
    pub fn new(db: Db, keys: Arc<Keyring>, user_id: String, locks: Arc<RenewalLocks>) -> Self {
        UserTokenStore {
            db,
            keys,
            user_id,
            locks,
        }
    }
}

/// The advisory-lock key of a user: the first 8 bytes of SHA-256 of its id.
fn lock_key(user_id: &str) -> i64 {
    let d = Sha256::digest(format!("spotkit-server/refresh/{user_id}").as_bytes());
    let mut b = [0u8; 8];
    b.copy_from_slice(&d[..8]);
    i64::from_be_bytes(b)
}

struct HeldLock {
    _local: tokio::sync::OwnedMutexGuard<()>,
    /// PostgreSQL: the transaction holding `pg_advisory_xact_lock`; it ends with the lock.
    tx: Option<sqlx::Transaction<'static, sqlx::Any>>,
}

#[async_trait]
impl RenewalLock for HeldLock {
    async fn release(self: Box<Self>) -> spotkit::Result<()> {
        if let Some(tx) = self.tx {
            tx.commit().await.map_err(db_error)?;
        }
        Ok(())
    }
}

#[async_trait]
impl TokenStore for UserTokenStore {
    async fn load(&self, _profile: &str) -> spotkit::Result<Option<Token>> {
        load_token(&self.db, &self.keys, &self.user_id).await
    }

    async fn save(&self, _profile: &str, token: &Token) -> spotkit::Result<()> {
        save_token(&self.db, &self.keys, &self.user_id, token).await
    }

    async fn delete(&self, _profile: &str) -> spotkit::Result<()> {
        sqlx::query("DELETE FROM spotify_tokens WHERE user_id = $1")
            .bind(&self.user_id)
            .execute(self.db.pool())
            .await
            .map_err(db_error)?;
        Ok(())
    }

    async fn lock_renewal(&self, _profile: &str) -> spotkit::Result<Option<Box<dyn RenewalLock>>> {
        let local = self.locks.get(&self.user_id).lock_owned().await;
        let tx = match self.db.backend() {
            Backend::Sqlite => None,
            Backend::Postgres => {
                let mut tx = self.db.pool().begin().await.map_err(db_error)?;
                // Another instance renewing this user's token holds the lock until it has saved
                // the new token; we wait, then spotkit re-reads the store and finds it fresh.
                sqlx::query("SELECT COUNT(*) AS n FROM (SELECT pg_advisory_xact_lock($1)) AS l")
                    .bind(lock_key(&self.user_id))
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(db_error)?;
                Some(tx)
            }
        };
        Ok(Some(Box::new(HeldLock { _local: local, tx })))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_keys_differ_per_user() {
        assert_ne!(lock_key("a"), lock_key("b"));
        assert_eq!(lock_key("a"), lock_key("a"));
    }
}
