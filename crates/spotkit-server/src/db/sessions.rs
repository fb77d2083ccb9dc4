//! Browser sessions, one-time hand-off codes and server API tokens.
//!
//! Every bearer value (session id, code, API token) is 256 bits from the CSPRNG and only its
//! SHA-256 is stored, so reading the database does not let anyone act as a user.

use serde::{Deserialize, Serialize};
use sqlx::Row as _;

use super::{Db, now};
use crate::crypto::{hash, random_token};

/// A login in progress, kept in the (anonymous) session between `/login` and `/callback`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PendingLogin {
    /// The `state` sent to Spotify.
    pub state: String,
    /// The PKCE verifier of the Spotify request.
    pub verifier: Option<String>,
    /// Mobile hand-off: the app's redirect URI (on the allowlist).
    pub app_redirect_uri: Option<String>,
    /// Mobile hand-off: the app's S256 code challenge.
    pub app_code_challenge: Option<String>,
    /// Mobile hand-off: the app's own `state`, returned to it untouched.
    pub app_state: Option<String>,
    /// Until when the login may complete (Unix seconds).
    pub expires_at: i64,
}

/// A session row.
#[derive(Debug, Clone)]
pub struct Session {
    /// SHA-256 of the cookie value.
    pub id_hash: String,
    /// The logged-in user, if any.
    pub user_id: Option<String>,
    /// The CSRF token of the session.
    pub csrf: String,
    /// A login in progress.
    pub pending: Option<PendingLogin>,
}

/// Creates a session; returns the cookie value and the row.
pub async fn create_session(
    db: &Db,
    user_id: Option<&str>,
    pending: Option<&PendingLogin>,
    ttl_secs: i64,
) -> Result<(String, Session), sqlx::Error> {
    let id = random_token(32);
    let csrf = random_token(32);
    let id_hash = hash(&id);
    let t = now();
    let pending_json = pending.and_then(|p| serde_json::to_string(p).ok());
    sqlx::query(
        "INSERT INTO sessions (id_hash, user_id, csrf, pending, created_at, expires_at, last_seen_at) VALUES ($1, $2, $3, $4, $5, $6, $5)",
    )
    .bind(&id_hash)
    .bind(user_id)
    .bind(&csrf)
    .bind(pending_json)
    .bind(t)
    .bind(t + ttl_secs)
    .execute(db.pool())
    .await?;
    Ok((
        id,
        Session {
            id_hash,
            user_id: user_id.map(str::to_owned),
            csrf,
            pending: pending.cloned(),
        },
    ))
}

/// The unexpired session of a cookie value. With `idle_secs` (not 0), a session unused for
/// that long has ended (its row is deleted); a logged-in session's last use is recorded, at most
/// once a minute (a write on every request would cost more than the timeout's precision is
/// worth).
pub async fn find_session(
    db: &Db,
    cookie_value: &str,
    idle_secs: u64,
) -> Result<Option<Session>, sqlx::Error> {
    let t = now();
    let row = sqlx::query(
        "SELECT id_hash, user_id, csrf, pending, COALESCE(last_seen_at, created_at) AS seen \
         FROM sessions WHERE id_hash = $1 AND expires_at > $2",
    )
    .bind(hash(cookie_value))
    .bind(t)
    .fetch_optional(db.pool())
    .await?;
    let Some(r) = row else { return Ok(None) };
    let pending: Option<String> = r.try_get("pending")?;
    let session = Session {
        id_hash: r.try_get("id_hash")?,
        user_id: r.try_get("user_id")?,
        csrf: r.try_get("csrf")?,
        pending: pending.and_then(|p| serde_json::from_str(&p).ok()),
    };
    let seen: i64 = r.try_get("seen")?;
    let idle = i64::try_from(idle_secs).unwrap_or(i64::MAX / 2);
    if idle > 0 && t - seen >= idle {
        delete_session(db, &session.id_hash).await?;
        return Ok(None);
    }
    // Short timeouts (tests) need finer steps than a minute to stay valid while in use.
    let step = if idle > 0 {
        (idle / 4).clamp(1, 60)
    } else {
        60
    };
    if session.user_id.is_some() && t - seen >= step {
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2")
            .bind(t)
            .bind(&session.id_hash)
            .execute(db.pool())
            .await?;
    }
    Ok(Some(session))
}

/// Ends a session.
pub async fn delete_session(db: &Db, id_hash: &str) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
        .bind(id_hash)
        .execute(db.pool())
        .await?
        .rows_affected()
        > 0)
}

/// Stores a one-time hand-off code for `user_id`; returns the code.
pub async fn create_handoff_code(
    db: &Db,
    user_id: &str,
    redirect_uri: &str,
    code_challenge: &str,
    ttl_secs: i64,
) -> Result<String, sqlx::Error> {
    let code = random_token(32);
    sqlx::query(
        "INSERT INTO handoff_codes (code_hash, user_id, redirect_uri, code_challenge, expires_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(hash(&code))
    .bind(user_id)
    .bind(redirect_uri)
    .bind(code_challenge)
    .bind(now() + ttl_secs)
    .execute(db.pool())
    .await?;
    Ok(code)
}

/// A redeemed hand-off code.
#[derive(Debug, Clone)]
pub struct Handoff {
    /// The user it was issued for.
    pub user_id: String,
    /// The redirect URI it was delivered to.
    pub redirect_uri: String,
    /// The S256 challenge the app sent to `/login`.
    pub code_challenge: String,
}

/// Marks a code used and returns it, if it exists, is unexpired and was never used. The update
/// is one statement, so two concurrent redemptions cannot both succeed.
pub async fn redeem_handoff_code(db: &Db, code: &str) -> Result<Option<Handoff>, sqlx::Error> {
    let t = now();
    let row = sqlx::query(
        "UPDATE handoff_codes SET used_at = $1 WHERE code_hash = $2 AND used_at IS NULL AND expires_at > $3 \
         RETURNING user_id, redirect_uri, code_challenge",
    )
    .bind(t)
    .bind(hash(code))
    .bind(t)
    .fetch_optional(db.pool())
    .await?;
    row.map(|r| {
        Ok(Handoff {
            user_id: r.try_get("user_id")?,
            redirect_uri: r.try_get("redirect_uri")?,
            code_challenge: r.try_get("code_challenge")?,
        })
    })
    .transpose()
}

/// Records the token family a redeemed code gave, so that a replay of the code can revoke it.
pub async fn set_handoff_family(db: &Db, code: &str, family: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE handoff_codes SET family = $1 WHERE code_hash = $2")
        .bind(family)
        .bind(hash(code))
        .execute(db.pool())
        .await?;
    Ok(())
}

/// After a failed redemption: when `code` was used before, revokes the token family it gave
/// (RFC 6749 §10.5: a replayed code means it leaked). Returns whether it was a replay.
pub async fn revoke_replayed_handoff(db: &Db, code: &str) -> Result<bool, sqlx::Error> {
    let row = sqlx::query(
        "SELECT family FROM handoff_codes WHERE code_hash = $1 AND used_at IS NOT NULL",
    )
    .bind(hash(code))
    .fetch_optional(db.pool())
    .await?;
    let Some(row) = row else { return Ok(false) };
    if let Some(family) = row.try_get::<Option<String>, _>("family")? {
        revoke_family(db, &family).await?;
    }
    Ok(true)
}

/// A pair of server API tokens.
#[derive(Debug, Clone)]
pub struct ApiTokenPair {
    /// The family the pair belongs to.
    pub family: String,
    /// `ska_...`, sent as `Authorization: Bearer`.
    pub access_token: String,
    /// `skr_...`, for `POST /token` with `grant_type=refresh_token`.
    pub refresh_token: String,
    /// Seconds the access token lives.
    pub expires_in: i64,
}

/// Prefix of server API access tokens.
pub const ACCESS_PREFIX: &str = "ska_";
/// Prefix of server API refresh tokens.
pub const REFRESH_PREFIX: &str = "skr_";

/// A token family: the chain of refreshes from one hand-off.
#[derive(Debug, Clone)]
pub struct Family {
    /// Its id.
    pub id: String,
    /// When it ends, whatever its refreshes (Unix seconds); `None` on rows from before the cap.
    pub expires_at: Option<i64>,
}

/// Issues a new access + refresh token pair in `family`, or in a new family that lives at most
/// `max_age` seconds (one family per hand-off; revoking any member revokes the family). No
/// token outlives its family.
pub async fn issue_api_tokens(
    db: &Db,
    user_id: &str,
    family: Option<&Family>,
    access_ttl: i64,
    refresh_ttl: i64,
    max_age: i64,
) -> Result<ApiTokenPair, sqlx::Error> {
    let t = now();
    let (family, family_expires_at) = match family {
        Some(f) => (f.id.clone(), f.expires_at.unwrap_or(t + max_age)),
        None => (random_token(16), t + max_age),
    };
    let access = format!("{ACCESS_PREFIX}{}", random_token(32));
    let refresh = format!("{REFRESH_PREFIX}{}", random_token(32));
    let access_expires = (t + access_ttl).min(family_expires_at);
    for (token, kind, expires_at) in [
        (&access, "access", access_expires),
        (
            &refresh,
            "refresh",
            (t + refresh_ttl).min(family_expires_at),
        ),
    ] {
        sqlx::query(
            "INSERT INTO api_tokens (token_hash, kind, user_id, family, expires_at, revoked, created_at, family_expires_at) \
             VALUES ($1, $2, $3, $4, $5, 0, $6, $7)",
        )
        .bind(hash(token))
        .bind(kind)
        .bind(user_id)
        .bind(&family)
        .bind(expires_at)
        .bind(t)
        .bind(family_expires_at)
        .execute(db.pool())
        .await?;
    }
    Ok(ApiTokenPair {
        family,
        access_token: access,
        refresh_token: refresh,
        expires_in: (access_expires - t).max(0),
    })
}

/// The user of a valid (unexpired, unrevoked) API access token. Served from the read cache
/// when it holds the token ([`super::cache`]).
pub async fn api_token_user(db: &Db, token: &str) -> Result<Option<String>, sqlx::Error> {
    let token_hash = hash(token);
    let t = now();
    if let Some(user) = db.cache().token_user(&token_hash, t) {
        return Ok(Some(user));
    }
    let ticket = db.cache().token_ticket();
    let row = sqlx::query(
        "SELECT user_id, expires_at FROM api_tokens WHERE token_hash = $1 AND kind = 'access' AND revoked = 0 AND expires_at > $2",
    )
    .bind(&token_hash)
    .bind(t)
    .fetch_optional(db.pool())
    .await?;
    let Some(row) = row else { return Ok(None) };
    let user: String = row.try_get("user_id")?;
    let expires_at: i64 = row.try_get("expires_at")?;
    db.cache()
        .put_token(ticket, token_hash, user.clone(), expires_at);
    Ok(Some(user))
}

/// Rotates a refresh token: revokes it (single use) and returns `(user, family)`. A refresh
/// token presented again after use revokes its whole family (a sign it was stolen).
pub async fn use_refresh_token(
    db: &Db,
    token: &str,
) -> Result<Option<(String, Family)>, sqlx::Error> {
    let t = now();
    let row = sqlx::query(
        "UPDATE api_tokens SET revoked = 1 WHERE token_hash = $1 AND kind = 'refresh' AND revoked = 0 AND expires_at > $2 \
         AND (family_expires_at IS NULL OR family_expires_at > $2) \
         RETURNING user_id, family, family_expires_at",
    )
    .bind(hash(token))
    .bind(t)
    .fetch_optional(db.pool())
    .await?;
    if let Some(r) = row {
        let family = Family {
            id: r.try_get("family")?,
            expires_at: r.try_get("family_expires_at")?,
        };
        return Ok(Some((r.try_get("user_id")?, family)));
    }
    if let Some(r) =
        sqlx::query("SELECT family FROM api_tokens WHERE token_hash = $1 AND kind = 'refresh'")
            .bind(hash(token))
            .fetch_optional(db.pool())
            .await?
    {
        let family: String = r.try_get("family")?;
        revoke_family(db, &family).await?;
    }
    Ok(None)
}

/// Revokes the family of a token (access or refresh); returns whether the token was known.
pub async fn revoke_api_token(db: &Db, token: &str) -> Result<bool, sqlx::Error> {
    let row = sqlx::query("SELECT family FROM api_tokens WHERE token_hash = $1")
        .bind(hash(token))
        .fetch_optional(db.pool())
        .await?;
    match row {
        Some(r) => {
            let family: String = r.try_get("family")?;
            revoke_family(db, &family).await?;
            Ok(true)
        }
        None => Ok(false),
    }
}

/// Ends every session and revokes every server API token of `user_id` (log out everywhere, or
/// the user's Spotify login is gone); returns how many sessions and tokens that were.
pub async fn end_everything_of(db: &Db, user_id: &str) -> Result<u64, sqlx::Error> {
    let sessions = sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(db.pool())
        .await?
        .rows_affected();
    let tokens =
        sqlx::query("UPDATE api_tokens SET revoked = 1 WHERE user_id = $1 AND revoked = 0")
            .bind(user_id)
            .execute(db.pool())
            .await?
            .rows_affected();
    db.cache().tokens_revoked();
    Ok(sessions + tokens)
}

async fn revoke_family(db: &Db, family: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE api_tokens SET revoked = 1 WHERE family = $1")
        .bind(family)
        .execute(db.pool())
        .await?;
    db.cache().tokens_revoked();
    Ok(())
}
