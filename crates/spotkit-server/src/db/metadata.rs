//! Per-user, per-track, per-type versioned JSON documents.
//!
//! Every query names the user, so one user's documents are unreachable through another's
//! credentials whatever ids the request carries.

use sqlx::Row as _;

use super::{Db, now};

/// One stored version.
#[derive(Debug, Clone)]
pub struct Document {
    /// Track id.
    pub track_id: String,
    /// Document type.
    pub kind: String,
    /// Version number (1, 2, ...).
    pub version: i64,
    /// The JSON object, as text.
    pub collection: String,
    /// Size of `collection` in bytes.
    pub size: i64,
    /// When it was stored (Unix seconds).
    pub created_at: i64,
}

/// Outcome of an insert.
#[derive(Debug)]
pub enum Insert {
    /// Stored as this version.
    Stored(Document),
    /// That version exists already (versions are immutable).
    Exists(i64),
}

fn doc(r: &sqlx::any::AnyRow, with_body: bool) -> Result<Document, sqlx::Error> {
    Ok(Document {
        track_id: r.try_get("track_id")?,
        kind: r.try_get("kind")?,
        version: r.try_get("version")?,
        collection: if with_body {
            r.try_get("collection")?
        } else {
            String::new()
        },
        size: r.try_get("size")?,
        created_at: r.try_get("created_at")?,
    })
}

/// Stores `collection` as `version` (or the next version when `None`).
pub async fn insert(
    db: &Db,
    user_id: &str,
    track_id: &str,
    kind: &str,
    version: Option<i64>,
    collection: &str,
) -> Result<Insert, sqlx::Error> {
    // Two writers may race for the same next version; the primary key lets one win and the
    // other try again with the version after it.
    for _ in 0..5 {
        let v = if let Some(v) = version {
            v
        } else {
            let row = sqlx::query(
                "SELECT COALESCE(MAX(version), 0) AS v FROM metadata WHERE user_id = $1 AND track_id = $2 AND kind = $3",
            )
            .bind(user_id)
            .bind(track_id)
            .bind(kind)
            .fetch_one(db.pool())
            .await?;
            row.try_get::<i64, _>("v")? + 1
        };
        let t = now();
        let result = sqlx::query(
            "INSERT INTO metadata (user_id, track_id, kind, version, collection, size, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
        )
        .bind(user_id)
        .bind(track_id)
        .bind(kind)
        .bind(v)
        .bind(collection)
        .bind(collection.len() as i64)
        .bind(t)
        .execute(db.pool())
        .await?;
        if result.rows_affected() == 1 {
            return Ok(Insert::Stored(Document {
                track_id: track_id.to_owned(),
                kind: kind.to_owned(),
                version: v,
                collection: collection.to_owned(),
                size: collection.len() as i64,
                created_at: t,
            }));
        }
        if version.is_some() {
            return Ok(Insert::Exists(v));
        }
    }
    Err(sqlx::Error::Protocol(
        "could not pick a metadata version after 5 tries (too many concurrent writers)".into(),
    ))
}

/// What `user_id` stores: how many versions, and their bytes together.
pub async fn usage(db: &Db, user_id: &str) -> Result<(u64, u64), sqlx::Error> {
    let row = sqlx::query(
        "SELECT COUNT(*) AS n, CAST(COALESCE(SUM(size), 0) AS BIGINT) AS bytes FROM metadata WHERE user_id = $1",
    )
    .bind(user_id)
    .fetch_one(db.pool())
    .await?;
    // PostgreSQL's SUM of BIGINT is NUMERIC; the cast keeps one code path for both backends.
    let n: i64 = row.try_get("n")?;
    let bytes: i64 = row.try_get("bytes")?;
    Ok((n.max(0) as u64, bytes.max(0) as u64))
}

/// The latest version, or `version`.
pub async fn get(
    db: &Db,
    user_id: &str,
    track_id: &str,
    kind: &str,
    version: Option<i64>,
) -> Result<Option<Document>, sqlx::Error> {
    let row = match version {
        Some(v) => {
            sqlx::query(
                "SELECT track_id, kind, version, collection, size, created_at FROM metadata \
                 WHERE user_id = $1 AND track_id = $2 AND kind = $3 AND version = $4",
            )
            .bind(user_id)
            .bind(track_id)
            .bind(kind)
            .bind(v)
            .fetch_optional(db.pool())
            .await?
        }
        None => {
            sqlx::query(
                "SELECT track_id, kind, version, collection, size, created_at FROM metadata \
                 WHERE user_id = $1 AND track_id = $2 AND kind = $3 ORDER BY version DESC LIMIT 1",
            )
            .bind(user_id)
            .bind(track_id)
            .bind(kind)
            .fetch_optional(db.pool())
            .await?
        }
    };
    row.map(|r| doc(&r, true)).transpose()
}

/// Every version (without bodies), oldest first.
pub async fn versions(
    db: &Db,
    user_id: &str,
    track_id: &str,
    kind: &str,
) -> Result<Vec<Document>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT track_id, kind, version, size, created_at FROM metadata \
         WHERE user_id = $1 AND track_id = $2 AND kind = $3 ORDER BY version",
    )
    .bind(user_id)
    .bind(track_id)
    .bind(kind)
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(|r| doc(r, false)).collect()
}
