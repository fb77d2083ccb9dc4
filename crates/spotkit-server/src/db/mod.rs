//! The database: one `sqlx` code path for SQLite and PostgreSQL.
//!
//! [`Db`] wraps an `AnyPool`: queries are written once, with `$1` placeholders (which both
//! backends accept) and only portable types (text, 64-bit integers, bytes; times are Unix
//! seconds). Each backend has its own migration directory (`migrations/sqlite`,
//! `migrations/postgres`), embedded with `sqlx::migrate!` and applied at start. The one
//! backend-specific statement is the PostgreSQL advisory lock that makes token refresh
//! single-flight across server instances ([`tokens`]).
//!
//! Submodules: [`tokens`] (users and their encrypted Spotify tokens, the `TokenStore`),
//! [`sessions`] (browser sessions, hand-off codes, server API tokens), [`metadata`].

pub mod metadata;
pub mod sessions;
pub mod tokens;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, Row as _};

/// Which database the pool talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// A SQLite file.
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

/// The connection pool and its backend.
#[derive(Debug, Clone)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
}

/// Seconds since the Unix epoch.
pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or(Duration::ZERO)
        .as_secs() as i64
}

impl Db {
    /// Connects (creating a SQLite file if needed). Does not migrate.
    pub async fn connect(url: &str, max_connections: u32) -> Result<Db, sqlx::Error> {
        install_default_drivers();
        let (backend, url) = if url.starts_with("sqlite:") {
            // `mode=rwc` creates the file: zero set-up for the default backend.
            let url = if url.contains('?') {
                url.to_owned()
            } else {
                format!("{url}?mode=rwc")
            };
            (Backend::Sqlite, url)
        } else {
            (Backend::Postgres, url.to_owned())
        };
        let pool = AnyPoolOptions::new()
            // Token renewal holds one connection for its lock while it reads and writes with
            // others, so a pool needs at least two.
            .max_connections(max_connections.max(2))
            .acquire_timeout(Duration::from_secs(10))
            .connect(&url)
            .await?;
        Ok(Db { pool, backend })
    }

    /// Applies the migrations of the backend that are not applied yet.
    pub async fn migrate(&self) -> Result<(), sqlx::migrate::MigrateError> {
        match self.backend {
            Backend::Sqlite => sqlx::migrate!("./migrations/sqlite").run(&self.pool).await,
            Backend::Postgres => {
                sqlx::migrate!("./migrations/postgres")
                    .run(&self.pool)
                    .await
            }
        }
    }

    /// The pool.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// The backend.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Checks the database answers.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        let row = sqlx::query("SELECT 1").fetch_one(&self.pool).await?;
        let one: i32 = row
            .try_get(0)
            .or_else(|_| row.try_get::<i64, _>(0).map(|v| v as i32))?;
        if one == 1 {
            Ok(())
        } else {
            Err(sqlx::Error::Protocol("SELECT 1 did not return 1".into()))
        }
    }

    /// Deletes expired sessions, hand-off codes and API tokens.
    pub async fn sweep(&self) -> Result<u64, sqlx::Error> {
        let t = now();
        let mut n = 0;
        for q in [
            "DELETE FROM sessions WHERE expires_at < $1",
            "DELETE FROM handoff_codes WHERE expires_at < $1",
            "DELETE FROM api_tokens WHERE expires_at < $1",
        ] {
            n += sqlx::query(q)
                .bind(t)
                .execute(&self.pool)
                .await?
                .rows_affected();
        }
        Ok(n)
    }
}
