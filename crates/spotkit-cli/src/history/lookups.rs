//! The URIs `spotkit history enrich` finds for account-data tracks (names only), kept in the
//! `lookups` table per (kind, name, creator): a name looked up once is never searched again,
//! whether a match was found or not.
//!
//! Two sources, in this order: the extended history itself (a track played under the same title
//! and artist there has its URI; free), then Spotify's search, scored by the import's matcher.

use rusqlite::{Connection, params};

use super::parse::ItemKind;

/// A name to look up.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Name {
    /// Track title.
    pub name: String,
    /// Artist.
    pub creator: String,
}

/// What a search found for a name.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// The best candidate's URI, when Spotify returned any.
    pub candidate: Option<String>,
    /// Its score, 0–1.
    pub confidence: f64,
    /// `Artist – Title` of the candidate.
    pub found: String,
}

/// Lookups in the database, by source.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    /// Distinct account-data track names (title, artist).
    pub names: u64,
    /// Names with a URI from the extended history.
    pub from_extended: u64,
    /// Names with a URI from a search match.
    pub from_search: u64,
    /// Names searched without an accepted match.
    pub unmatched: u64,
    /// Names not looked up yet.
    pub pending: u64,
}

const TRACK: i64 = ItemKind::Track as i64;

/// Gives account-data track names the URI their extended-history plays carry (the most played
/// one when a title and artist have several, e.g. single and album versions). Replaces search
/// results: a URI from the user's own plays is better evidence than a search. Returns how many
/// names got one.
pub fn from_extended(conn: &Connection, at: &str) -> rusqlite::Result<usize> {
    conn.execute(
        "INSERT OR REPLACE INTO lookups (kind, name, creator, uri, candidate, confidence, found, source, at)
         SELECT ?1, a.name, a.creator, best.uri, best.uri, 1.0, '', 'extended', ?2
         FROM (SELECT DISTINCT name, creator FROM items WHERE kind = ?1 AND uri = '') a
         JOIN (SELECT e.name, e.creator, e.uri,
                      row_number() OVER (PARTITION BY e.name, e.creator
                                         ORDER BY count(p.id) DESC, e.uri) AS n
               FROM items e JOIN plays p ON p.item_id = e.id
               WHERE e.kind = ?1 AND e.uri <> ''
               GROUP BY e.name, e.creator, e.uri) best
           ON best.name = a.name AND best.creator = a.creator AND best.n = 1
         WHERE NOT EXISTS (SELECT 1 FROM lookups l WHERE l.kind = ?1 AND l.name = a.name
                           AND l.creator = a.creator AND l.source = 'extended' AND l.uri = best.uri)",
        params![TRACK, at],
    )
}

/// Account-data track names not looked up yet, most played first (so an interrupted run has
/// done the names that matter most).
pub fn pending(conn: &Connection) -> rusqlite::Result<Vec<Name>> {
    let mut stmt = conn.prepare(
        "SELECT i.name, i.creator FROM items i JOIN plays p ON p.item_id = i.id
         WHERE i.kind = ?1 AND i.uri = '' AND i.name <> ''
           AND NOT EXISTS (SELECT 1 FROM lookups l WHERE l.kind = ?1 AND l.name = i.name
                           AND l.creator = i.creator)
         GROUP BY i.name, i.creator ORDER BY count(*) DESC, i.name, i.creator",
    )?;
    stmt.query_map([TRACK], |r| {
        Ok(Name {
            name: r.get(0)?,
            creator: r.get(1)?,
        })
    })?
    .collect()
}

/// Records one search result (its own transaction: an interrupted run keeps every answer it got).
pub fn record(
    conn: &Connection,
    name: &Name,
    found: &Answer,
    threshold: f64,
    at: &str,
) -> rusqlite::Result<()> {
    let accepted = found
        .candidate
        .as_deref()
        .filter(|_| found.confidence >= threshold);
    conn.execute(
        "INSERT OR REPLACE INTO lookups (kind, name, creator, uri, candidate, confidence, found, source, at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'search', ?8)",
        params![
            TRACK,
            name.name,
            name.creator,
            accepted,
            found.candidate,
            found.confidence,
            found.found,
            at
        ],
    )?;
    Ok(())
}

/// Applies `threshold` to the searches already made (a rerun with another `--min-confidence`
/// needs no request).
pub fn apply_threshold(conn: &Connection, threshold: f64) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE lookups SET uri = CASE WHEN confidence >= ?1 THEN candidate END
         WHERE source = 'search'",
        [threshold],
    )?;
    Ok(())
}

/// Counts per source.
pub fn summary(conn: &Connection) -> rusqlite::Result<Summary> {
    conn.query_row(
        "SELECT count(*),
                count(*) FILTER (WHERE l.source = 'extended'),
                count(*) FILTER (WHERE l.source = 'search' AND l.uri IS NOT NULL),
                count(*) FILTER (WHERE l.source = 'search' AND l.uri IS NULL),
                count(*) FILTER (WHERE l.source IS NULL)
         FROM (SELECT DISTINCT name, creator FROM items
               WHERE kind = ?1 AND uri = '' AND name <> '') a
         LEFT JOIN lookups l ON l.kind = ?1 AND l.name = a.name AND l.creator = a.creator",
        [TRACK],
        |r| {
            Ok(Summary {
                names: r.get(0)?,
                from_extended: r.get(1)?,
                from_search: r.get(2)?,
                unmatched: r.get(3)?,
                pending: r.get(4)?,
            })
        },
    )
}
