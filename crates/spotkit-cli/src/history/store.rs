//! The listening-history database: one SQLite file (rusqlite, SQLite bundled).
//!
//! rusqlite rather than the server's sqlx: an import is one long synchronous transaction of up to
//! millions of prepared-statement inserts, which rusqlite runs in microseconds each without an
//! async worker thread and channel per statement; both link the same `libsqlite3-sys`.
//!
//! Schema (`docs/history.md` describes it for users):
//! - `items`: what was played, one row per distinct (kind, name, creator, collection, URI).
//! - `plays`: one row per play: end time (Unix seconds UTC), milliseconds played, the item,
//!   the family (0 account data, 1 extended), playback details, personal fields (NULL unless
//!   imported with `--keep-personal`), and two identity keys (below).
//! - `imports`: one row per import run.
//! - `lookups` (version 2): the URI found for an account-data track, by (kind, name, creator),
//!   including "no match", so `spotkit history enrich` asks Spotify once per name
//!   ([`super::lookups`]).
//!
//! Identity: `play_key` (unique with the end time) hashes the family, end time, milliseconds played and the item
//! (its URI, else its kind and names), so a play in overlapping exports is stored once and a
//! re-import adds nothing. Spotify sometimes logs an extended play twice with only
//! `offline_timestamp` differing; that is one play. `moment_key` hashes the minute, milliseconds
//! played, kind and names: the same play in account data (minute precision, names only) and in
//! extended history has the same `moment_key`, and the extended row wins (it has the URI, the
//! album and the playback details), whichever was imported first.

use std::collections::HashMap;
use std::path::Path;

use rusqlite::{Connection, OptionalExtension as _, params};
use sha2::{Digest as _, Sha256};

use super::parse::{Family, Item, ItemKind, Play};

/// The schema version this code writes (in `meta`).
const SCHEMA_VERSION: i64 = 2;

/// What `spotkit history enrich` found per name (`uri` NULL: no match accepted; `candidate`
/// NULL: Spotify found nothing). `source` is `extended` (the URI an extended-history play gives
/// the same names) or `search`.
const LOOKUPS_TABLE: &str = "CREATE TABLE IF NOT EXISTS lookups (
    kind INTEGER NOT NULL,
    name TEXT NOT NULL,
    creator TEXT NOT NULL,
    uri TEXT,
    candidate TEXT,
    confidence REAL,
    found TEXT,
    source TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (kind, name, creator));";

/// The plays table (`name` may carry `IF NOT EXISTS`).
fn plays_table(name: &str) -> String {
    format!(
        "CREATE TABLE {name} (
       id INTEGER PRIMARY KEY,
       ts INTEGER NOT NULL,
       ms_played INTEGER NOT NULL,
       item_id INTEGER NOT NULL REFERENCES items(id),
       family INTEGER NOT NULL,
       play_key INTEGER NOT NULL,
       moment_key INTEGER NOT NULL,
       platform TEXT,
       conn_country TEXT,
       reason_start TEXT,
       reason_end TEXT,
       shuffle INTEGER,
       skipped INTEGER,
       offline INTEGER,
       offline_timestamp INTEGER,
       incognito INTEGER,
       ip_addr TEXT,
       username TEXT,
       user_agent TEXT,
       import_id INTEGER NOT NULL REFERENCES imports(id));"
    )
}

/// The plays' indexes. Both lead with the time, so the plays of an export (written oldest first)
/// land next to each other in the index instead of at random places: a play's identity is its
/// time and its key, a hash that only has to tell apart plays of the same second (same minute
/// for `moment_key`, the account-data precision).
const PLAYS_INDEXES: &str = "CREATE UNIQUE INDEX IF NOT EXISTS plays_key ON plays (ts, play_key);
    CREATE INDEX IF NOT EXISTS plays_moment ON plays (ts / 60, moment_key);";

/// Errors of the history database.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite failed.
    #[error("the history database {path}: {source}")]
    Sqlite {
        /// The database file.
        path: String,
        /// The cause.
        #[source]
        source: rusqlite::Error,
    },
    /// A database written by a newer spotkit.
    #[error(
        "the history database {path} has schema version {found}; this spotkit knows version {SCHEMA_VERSION}"
    )]
    Version {
        /// The database file.
        path: String,
        /// Its version.
        found: i64,
    },
}

/// An open history database.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    path: String,
}

/// What one import did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    /// Plays read from the files.
    pub read: u64,
    /// Plays added.
    pub added: u64,
    /// Plays already in the database (same play from an earlier import or an overlapping file).
    pub already_present: u64,
    /// Account-data plays not added because the extended history holds the same play.
    pub covered_by_extended: u64,
    /// Account-data plays removed because an extended play now holds the same play.
    pub replaced_account_plays: u64,
}

impl Store {
    /// Opens (creating when missing) the database at `path`.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let shown = path.display().to_string();
        let err = |source| StoreError::Sqlite {
            path: shown.clone(),
            source,
        };
        let conn = Connection::open(path).map_err(err)?;
        // Another process's write transaction makes readers and a second writer wait, not fail.
        conn.busy_timeout(std::time::Duration::from_secs(30))
            .map_err(err)?;
        conn.execute_batch(
            "PRAGMA journal_mode = WAL;
             PRAGMA synchronous = NORMAL;
             PRAGMA cache_size = -65536;
             PRAGMA foreign_keys = ON;",
        )
        .map_err(err)?;
        let store = Store { conn, path: shown };
        store.migrate()?;
        Ok(store)
    }

    /// The database file as shown in messages.
    pub fn path(&self) -> &str {
        &self.path
    }

    fn err(&self, source: rusqlite::Error) -> StoreError {
        StoreError::Sqlite {
            path: self.path.clone(),
            source,
        }
    }

    fn migrate(&self) -> Result<(), StoreError> {
        // Looked up first without a write lock, so `stats` reads while an import writes.
        let exists: bool = self
            .conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta')",
                [],
                |r| r.get(0),
            )
            .map_err(|e| self.err(e))?;
        if !exists {
            self.create()?;
        }
        let found: i64 = self
            .conn
            .query_row(
                "SELECT value FROM meta WHERE key = 'schema_version'",
                [],
                |r| r.get(0),
            )
            .map_err(|e| self.err(e))?;
        if found > SCHEMA_VERSION {
            return Err(StoreError::Version {
                path: self.path.clone(),
                found,
            });
        }
        if found < 2 {
            // Version 2 adds the lookups table and indexes plays by time first (version 1 had a
            // UNIQUE play_key in the table itself, hence the copy).
            self.conn
                .execute_batch(&format!(
                    "BEGIN IMMEDIATE; {LOOKUPS_TABLE}
                     {plays}
                     INSERT INTO plays_v2 SELECT * FROM plays;
                     DROP TABLE plays;
                     ALTER TABLE plays_v2 RENAME TO plays;
                     {PLAYS_INDEXES}
                     UPDATE meta SET value = 2 WHERE key = 'schema_version'; COMMIT;",
                    plays = plays_table("plays_v2")
                ))
                .map_err(|e| self.err(e))?;
        }
        Ok(())
    }

    fn create(&self) -> Result<(), StoreError> {
        self.conn
            .execute_batch(&format!(
                "BEGIN IMMEDIATE; {LOOKUPS_TABLE}
                 CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
                 CREATE TABLE IF NOT EXISTS items (
                   id INTEGER PRIMARY KEY,
                   kind INTEGER NOT NULL,
                   name TEXT NOT NULL,
                   creator TEXT NOT NULL,
                   collection TEXT NOT NULL,
                   uri TEXT NOT NULL,
                   UNIQUE (kind, name, creator, collection, uri));
                 CREATE TABLE IF NOT EXISTS imports (
                   id INTEGER PRIMARY KEY,
                   at TEXT NOT NULL,
                   source TEXT NOT NULL,
                   files INTEGER NOT NULL,
                   read INTEGER NOT NULL,
                   added INTEGER NOT NULL);
                 {plays}
                 {PLAYS_INDEXES}
                 INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', 2);
                 COMMIT;",
                plays = plays_table("IF NOT EXISTS plays")
            ))
            .map_err(|e| self.err(e))
    }

    /// Starts an import: one write transaction for the whole run (taken at once, so a second
    /// writer waits), committed by [`Import::commit`], rolled back when dropped.
    pub fn begin_import(
        &mut self,
        source: &str,
        keep_personal: bool,
    ) -> Result<Import<'_>, StoreError> {
        let path = self.path.clone();
        let err = |source| StoreError::Sqlite {
            path: path.clone(),
            source,
        };
        // The import alone writes `plays`, with item and import ids it just took from the same
        // transaction: SQLite's two foreign-key lookups per play would check nothing more. (A
        // no-op inside a transaction, so set before it; `Store::open` sets it on again.)
        self.conn
            .execute_batch("PRAGMA foreign_keys = OFF")
            .map_err(err)?;
        let tx =
            rusqlite::Transaction::new(&mut self.conn, rusqlite::TransactionBehavior::Immediate)
                .map_err(err)?;
        tx.execute(
            "INSERT INTO imports (at, source, files, read, added) VALUES (?1, ?2, 0, 0, 0)",
            params![spotkit_sync::run_lock::started_now(), source],
        )
        .map_err(err)?;
        let import_id = tx.last_insert_rowid();
        let mut items = HashMap::default();
        {
            let mut stmt = tx
                .prepare("SELECT id, kind, name, creator, collection, uri FROM items")
                .map_err(err)?;
            let rows = stmt
                .query_map([], |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        Item {
                            kind: ItemKind::from_code(r.get(1)?),
                            name: r.get(2)?,
                            creator: r.get(3)?,
                            collection: r.get(4)?,
                            uri: r.get(5)?,
                        },
                    ))
                })
                .map_err(err)?;
            for row in rows {
                let (id, item) = row.map_err(err)?;
                items.insert(item, id);
            }
        }
        let has_account: bool = tx
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM plays WHERE family = 0)",
                [],
                |r| r.get(0),
            )
            .map_err(err)?;
        Ok(Import {
            tx,
            path,
            id: import_id,
            items,
            has_account,
            keep_personal,
            counts: Counts::default(),
            files: 0,
        })
    }

    /// The connection, for the statistics' queries.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// The connection, for writes outside an import (enrichment).
    pub fn conn_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }
}

/// An import in progress (one transaction).
pub struct Import<'a> {
    tx: rusqlite::Transaction<'a>,
    path: String,
    id: i64,
    // foldhash: the map is looked up once per play, and SipHash's DoS resistance buys nothing
    // for names read from the user's own files.
    items: HashMap<Item, i64, foldhash::fast::RandomState>,
    has_account: bool,
    keep_personal: bool,
    counts: Counts,
    files: u64,
}

impl std::fmt::Debug for Import<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Import")
            .field("path", &self.path)
            .field("counts", &self.counts)
            .finish_non_exhaustive()
    }
}

impl Import<'_> {
    fn err(&self, source: rusqlite::Error) -> StoreError {
        StoreError::Sqlite {
            path: self.path.clone(),
            source,
        }
    }

    /// Adds the plays of one file.
    pub fn add(&mut self, plays: &[Play], mut progress: impl FnMut(u64)) -> Result<(), StoreError> {
        self.files += 1;
        let mut insert_item = self
            .tx
            .prepare_cached(
                "INSERT INTO items (kind, name, creator, collection, uri) VALUES (?1, ?2, ?3, ?4, ?5)",
            )
            .map_err(|e| self.err(e))?;
        let mut insert_play = self
            .tx
            .prepare_cached(
                "INSERT OR IGNORE INTO plays (ts, ms_played, item_id, family, play_key, moment_key,
                   platform, conn_country, reason_start, reason_end, shuffle, skipped, offline,
                   offline_timestamp, incognito, ip_addr, username, user_agent, import_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)",
            )
            .map_err(|e| self.err(e))?;
        let mut covered = self
            .tx
            .prepare_cached(
                "SELECT 1 FROM plays WHERE ts / 60 = ?1 AND moment_key = ?2 AND family = 1 LIMIT 1",
            )
            .map_err(|e| self.err(e))?;
        let mut replace = self
            .tx
            .prepare_cached(
                "DELETE FROM plays WHERE ts / 60 = ?1 AND moment_key = ?2 AND family = 0",
            )
            .map_err(|e| self.err(e))?;
        let path = self.path.clone();
        let err = |source| StoreError::Sqlite {
            path: path.clone(),
            source,
        };
        let mut reported = 0;
        for (i, play) in plays.iter().enumerate() {
            if i - reported >= 4096 {
                progress((i - reported) as u64);
                reported = i;
            }
            self.counts.read += 1;
            let item_id = if let Some(id) = self.items.get(&play.item) {
                *id
            } else {
                let it = &play.item;
                insert_item
                    .execute(params![
                        it.kind as i64,
                        it.name,
                        it.creator,
                        it.collection,
                        it.uri
                    ])
                    .map_err(err)?;
                let id = self.tx.last_insert_rowid();
                self.items.insert(it.clone(), id);
                id
            };
            let moment = moment_key(play);
            if play.family == Family::Account
                && covered
                    .query_row([play.ts / 60, moment], |_| Ok(()))
                    .optional()
                    .map_err(err)?
                    .is_some()
            {
                self.counts.covered_by_extended += 1;
                continue;
            }
            let d = &play.detail;
            let p = self.keep_personal.then_some(&play.personal);
            let added = insert_play
                .execute(params![
                    play.ts,
                    play.ms_played,
                    item_id,
                    play.family as i64,
                    play_key(play),
                    moment,
                    d.platform,
                    d.conn_country,
                    d.reason_start,
                    d.reason_end,
                    d.shuffle,
                    d.skipped,
                    d.offline,
                    d.offline_timestamp,
                    d.incognito,
                    p.and_then(|p| p.ip_addr.as_deref()),
                    p.and_then(|p| p.username.as_deref()),
                    p.and_then(|p| p.user_agent.as_deref()),
                    self.id,
                ])
                .map_err(err)?;
            if added == 0 {
                self.counts.already_present += 1;
                continue;
            }
            self.counts.added += 1;
            if play.family == Family::Account {
                self.has_account = true;
            } else if self.has_account {
                let gone = replace.execute([play.ts / 60, moment]).map_err(err)? as u64;
                self.counts.replaced_account_plays += gone;
            }
        }
        progress((plays.len() - reported) as u64);
        Ok(())
    }

    /// Commits the whole import.
    pub fn commit(self) -> Result<Counts, StoreError> {
        let path = self.path.clone();
        let err = |source| StoreError::Sqlite {
            path: path.clone(),
            source,
        };
        // Net plays added: an extended play replacing an account-data play adds none.
        let added = self.counts.added - self.counts.replaced_account_plays;
        self.tx
            .execute(
                "UPDATE imports SET files = ?1, read = ?2, added = ?3 WHERE id = ?4",
                params![self.files, self.counts.read, added, self.id],
            )
            .map_err(err)?;
        self.tx.commit().map_err(err)?;
        Ok(self.counts)
    }
}

/// A stable 64-bit key of some fields (SHA-256, first 8 bytes): stable across Rust versions and
/// platforms, unlike `std`'s hasher. Each field is length-prefixed so fields cannot run together.
fn key(fields: &[&[u8]]) -> i64 {
    let mut h = Sha256::new();
    for f in fields {
        h.update((f.len() as u64).to_le_bytes());
        h.update(f);
    }
    let digest = h.finalize();
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    i64::from_le_bytes(first)
}

/// The play's identity within its family.
fn play_key(play: &Play) -> i64 {
    let it = &play.item;
    let kind = [it.kind as u8];
    let who: [&[u8]; 3] = if it.uri.is_empty() {
        [&kind, it.name.as_bytes(), it.creator.as_bytes()]
    } else {
        [&kind, it.uri.as_bytes(), b""]
    };
    key(&[
        &[play.family as u8],
        &play.ts.to_le_bytes(),
        &play.ms_played.to_le_bytes(),
        who[0],
        who[1],
        who[2],
    ])
}

/// The play's identity across families: the minute it ended, milliseconds played, kind, names.
fn moment_key(play: &Play) -> i64 {
    let it = &play.item;
    key(&[
        &play.ts.div_euclid(60).to_le_bytes(),
        &play.ms_played.to_le_bytes(),
        &[it.kind as u8],
        it.name.as_bytes(),
        it.creator.as_bytes(),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::parse::parse_file;

    // Designed plays: the same play in both layouts, plus one only in account data.
    const ACCOUNT: &str = r#"[
      {"endTime": "2024-01-02 03:04", "artistName": "Artist A", "trackName": "Song A", "msPlayed": 1000},
      {"endTime": "2024-01-02 05:00", "artistName": "Artist B", "trackName": "Song B", "msPlayed": 5000}
    ]"#;
    const EXTENDED: &str = r#"[{"ts": "2024-01-02T03:04:59Z", "ms_played": 1000,
      "master_metadata_track_name": "Song A", "master_metadata_album_artist_name": "Artist A",
      "master_metadata_album_album_name": "Album A", "spotify_track_uri": "spotify:track:0000000000000000000001",
      "ip_addr": "192.0.2.1", "username": "someone", "skipped": false}]"#;

    fn count(store: &Store, sql: &str) -> i64 {
        store.conn().query_row(sql, [], |r| r.get(0)).unwrap()
    }

    fn import(store: &mut Store, files: &[&str], keep: bool) -> Counts {
        let mut imp = store.begin_import("test", keep).unwrap();
        for f in files {
            imp.add(&parse_file("f.json", f.as_bytes()).unwrap(), |_| {})
                .unwrap();
        }
        imp.commit().unwrap()
    }

    #[test]
    fn extended_wins_whichever_comes_first_and_reimport_adds_nothing() {
        for order in [[ACCOUNT, EXTENDED], [EXTENDED, ACCOUNT]] {
            let dir = tempfile::tempdir().unwrap();
            let mut store = Store::open(&dir.path().join("h.sqlite3")).unwrap();
            import(&mut store, &order, false);
            assert_eq!(count(&store, "SELECT count(*) FROM plays"), 2);
            assert_eq!(
                count(&store, "SELECT count(*) FROM plays WHERE family = 1"),
                1
            );
            let again = import(&mut store, &order, false);
            assert_eq!(again.added, 0, "{again:?}");
            assert_eq!(count(&store, "SELECT count(*) FROM plays"), 2);
            assert_eq!(
                count(
                    &store,
                    "SELECT count(*) FROM plays WHERE ip_addr IS NOT NULL OR username IS NOT NULL"
                ),
                0
            );
        }
    }

    #[test]
    fn personal_fields_only_when_asked() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("h.sqlite3")).unwrap();
        import(&mut store, &[EXTENDED], true);
        assert_eq!(
            count(
                &store,
                "SELECT count(*) FROM plays WHERE ip_addr = '192.0.2.1' AND username = 'someone'"
            ),
            1
        );
    }

    #[test]
    fn readers_open_the_database_while_an_import_writes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("h.sqlite3");
        let mut writer = Store::open(&path).unwrap();
        let mut imp = writer.begin_import("test", false).unwrap();
        imp.add(&parse_file("f.json", ACCOUNT.as_bytes()).unwrap(), |_| {})
            .unwrap();
        let started = std::time::Instant::now();
        let reader = Store::open(&path).unwrap();
        assert_eq!(count(&reader, "SELECT count(*) FROM plays"), 0);
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        imp.commit().unwrap();
        assert_eq!(count(&reader, "SELECT count(*) FROM plays"), 2);
    }

    #[test]
    fn a_version_1_database_gets_the_lookups_table() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("h.sqlite3");
        let mut store = Store::open(&path).unwrap();
        import(&mut store, &[ACCOUNT], false);
        // Back to version 1: no lookups, play_key UNIQUE in the table, moment_key alone indexed.
        let v1 = plays_table("p1").replace(
            "play_key INTEGER NOT NULL,",
            "play_key INTEGER NOT NULL UNIQUE,",
        );
        store
            .conn()
            .execute_batch(&format!(
                "DROP TABLE lookups; {v1} INSERT INTO p1 SELECT * FROM plays; DROP TABLE plays;
                 ALTER TABLE p1 RENAME TO plays; CREATE INDEX plays_moment ON plays (moment_key);
                 UPDATE meta SET value = 1 WHERE key = 'schema_version';"
            ))
            .unwrap();
        drop(store);
        let mut store = Store::open(&path).unwrap();
        assert_eq!(import(&mut store, &[ACCOUNT, EXTENDED], false).added, 1);
        assert_eq!(
            count(
                &store,
                "SELECT count(*) FROM sqlite_master WHERE name IN ('plays_key', 'plays_moment')"
            ),
            2
        );
        assert_eq!(
            count(
                &store,
                "SELECT value FROM meta WHERE key = 'schema_version'"
            ),
            2
        );
        assert_eq!(count(&store, "SELECT count(*) FROM lookups"), 0);
        assert_eq!(count(&store, "SELECT count(*) FROM plays"), 2);
        // The cross-family lookups use the time-first index.
        let plan: String = store
            .conn()
            .query_row(
                "EXPLAIN QUERY PLAN SELECT 1 FROM plays WHERE ts / 60 = 1 AND moment_key = 2 AND family = 1",
                [],
                |r| r.get(3),
            )
            .unwrap();
        assert!(plan.contains("plays_moment"), "{plan}");
    }

    #[test]
    fn a_dropped_import_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("h.sqlite3")).unwrap();
        {
            let mut imp = store.begin_import("test", false).unwrap();
            imp.add(&parse_file("f.json", ACCOUNT.as_bytes()).unwrap(), |_| {})
                .unwrap();
        }
        assert_eq!(count(&store, "SELECT count(*) FROM plays"), 0);
        assert_eq!(count(&store, "SELECT count(*) FROM imports"), 0);
    }
}
