//! The database: one `sqlx` code path for SQLite and PostgreSQL.
//!
//! [`Db`] wraps an `AnyPool`: queries are written once, with `$1` placeholders (which both
//! backends accept) and only portable types (text, 64-bit integers, bytes; times are Unix
//! seconds). Each backend has its own migration directory (`migrations/sqlite`,
//! `migrations/postgres`), embedded in the binary with `include_str!` (see [`Embedded`]) and
//! applied at start. The one
//! backend-specific statement is the PostgreSQL advisory lock that makes token refresh
//! single-flight across server instances ([`tokens`]).
//!
//! Submodules: [`tokens`] (users and their encrypted Spotify tokens, the `TokenStore`),
//! [`sessions`] (browser sessions, hand-off codes, server API tokens), [`metadata`].

pub mod cache;
pub mod metadata;
pub mod sessions;
pub mod tokens;

use std::borrow::Cow;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures::future::BoxFuture;
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::error::BoxDynError;
use sqlx::migrate::{Migration, MigrationSource, MigrationType, Migrator};
use sqlx::{AnyPool, Row as _};

/// The migrations of one backend, compiled into the binary: `(version, description, SQL)`, as
/// `migrations/<backend>/<version>_<description>.sql`.
///
/// Embedded by hand rather than with `sqlx::migrate!`, whose proc macro builds sqlx's SQLite and
/// PostgreSQL drivers (and SQLite's C source) a second time for the compiler host; the checksums
/// are the same (SHA-384 of the SQL), so databases migrated by either way agree.
#[derive(Debug, Clone, Copy)]
pub struct Embedded(&'static [(i64, &'static str, &'static str)]);

const SQLITE_MIGRATIONS: Embedded = Embedded(&[
    (
        1,
        "init",
        include_str!("../../migrations/sqlite/0001_init.sql"),
    ),
    (
        2,
        "family expiry",
        include_str!("../../migrations/sqlite/0002_family_expiry.sql"),
    ),
    (
        3,
        "handoff family",
        include_str!("../../migrations/sqlite/0003_handoff_family.sql"),
    ),
    (
        4,
        "session last seen",
        include_str!("../../migrations/sqlite/0004_session_last_seen.sql"),
    ),
]);

const POSTGRES_MIGRATIONS: Embedded = Embedded(&[
    (
        1,
        "init",
        include_str!("../../migrations/postgres/0001_init.sql"),
    ),
    (
        2,
        "family expiry",
        include_str!("../../migrations/postgres/0002_family_expiry.sql"),
    ),
    (
        3,
        "handoff family",
        include_str!("../../migrations/postgres/0003_handoff_family.sql"),
    ),
    (
        4,
        "session last seen",
        include_str!("../../migrations/postgres/0004_session_last_seen.sql"),
    ),
]);

impl<'s> MigrationSource<'s> for Embedded {
    fn resolve(self) -> BoxFuture<'s, Result<Vec<Migration>, BoxDynError>> {
        let migrations = self
            .0
            .iter()
            .map(|(version, description, sql)| {
                Migration::new(
                    *version,
                    Cow::Borrowed(*description),
                    MigrationType::Simple,
                    Cow::Borrowed(*sql),
                    false,
                )
            })
            .collect();
        Box::pin(async move { Ok(migrations) })
    }
}

/// Which database the pool talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// A SQLite file.
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

/// The connection pool and its backend.
#[derive(Clone)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
    cache: Arc<cache::ReadCache>,
}

impl std::fmt::Debug for Db {
    // By hand: the pool's options include the connection URL, password and all.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db")
            .field("backend", &self.backend)
            .field("size", &self.pool.size())
            .finish_non_exhaustive()
    }
}

/// Creates the SQLite file of `url` readable and writable by its owner only, when it does not
/// exist yet (SQLite would create it with the umask's 0644, and it holds sessions' CSRF tokens
/// and sealed tokens). Its `-wal` and `-shm` files take the same mode from it.
fn create_private_sqlite_file(url: &str) {
    let rest = url.trim_start_matches("sqlite:").trim_start_matches("//");
    let path = rest.split('?').next().unwrap_or("");
    if path.is_empty() || path.starts_with(':') {
        return; // in memory
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    // An existing file is left as it is; a missing folder and the like are reported by SQLite
    // next, in its own words.
    let _ = options.open(path);
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
            create_private_sqlite_file(url);
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
            // sqlx pings a connection each time it leaves the pool: for SQLite that is a
            // round trip to the connection's thread per query (a third of `GET /me`'s time in
            // a profile) to check a file that cannot go away. PostgreSQL keeps the check: a
            // connection broken by a database restart is replaced instead of failing a request.
            .test_before_acquire(backend == Backend::Postgres)
            .acquire_timeout(Duration::from_secs(10))
            .connect(&url)
            .await?;
        Ok(Db {
            pool,
            backend,
            cache: Arc::new(cache::ReadCache::new(Duration::ZERO)),
        })
    }

    /// Keeps API-token and user reads for `ttl` ([`cache`]); zero, the default of
    /// [`Db::connect`], reads the database every time.
    #[must_use]
    pub fn with_cache_ttl(mut self, ttl: Duration) -> Db {
        self.cache = Arc::new(cache::ReadCache::new(ttl));
        self
    }

    /// The read caches.
    pub fn cache(&self) -> &cache::ReadCache {
        &self.cache
    }

    /// Applies the migrations of the backend that are not applied yet.
    pub async fn migrate(&self) -> Result<(), sqlx::migrate::MigrateError> {
        let source = match self.backend {
            Backend::Sqlite => SQLITE_MIGRATIONS,
            Backend::Postgres => POSTGRES_MIGRATIONS,
        };
        Migrator::new(source).await?.run(&self.pool).await
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

    /// Deletes expired sessions (also those idle longer than `session_idle_secs`, when not 0),
    /// hand-off codes and API tokens.
    pub async fn sweep(&self, session_idle_secs: u64) -> Result<u64, sqlx::Error> {
        let t = now();
        let mut n = 0;
        if session_idle_secs > 0 {
            n += sqlx::query("DELETE FROM sessions WHERE COALESCE(last_seen_at, created_at) <= $1")
                .bind(t - i64::try_from(session_idle_secs).unwrap_or(i64::MAX / 2))
                .execute(&self.pool)
                .await?
                .rows_affected();
        }
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

#[cfg(test)]
mod tests {
    use super::{Embedded, POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS};

    /// Every file in `migrations/<backend>` is embedded, under its version and description, with
    /// its exact text; adding a file without listing it fails here.
    fn check(dir: &str, embedded: Embedded) {
        let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
        let mut files: Vec<(i64, String, String)> = std::fs::read_dir(&folder)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "sql"))
            .map(|p| {
                let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
                let (version, description) = stem.split_once('_').unwrap();
                (
                    version.parse().unwrap(),
                    description.replace('_', " "),
                    std::fs::read_to_string(&p).unwrap(),
                )
            })
            .collect();
        files.sort();
        let listed: Vec<(i64, String, String)> = embedded
            .0
            .iter()
            .map(|(v, d, s)| (*v, (*d).to_owned(), (*s).to_owned()))
            .collect();
        assert_eq!(listed, files, "{dir}: embed every migration file, in order");
    }

    #[test]
    fn every_migration_file_is_embedded() {
        check("migrations/sqlite", SQLITE_MIGRATIONS);
        check("migrations/postgres", POSTGRES_MIGRATIONS);
    }
}
