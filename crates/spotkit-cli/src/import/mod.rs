//! Reading import sources into one shape: [`Target`]s (a playlist to create, or a part of the
//! library) holding [`Row`]s, each remembering the file and line it came from.
//!
//! Sources are read completely and validated before anything is written to Spotify, so a
//! malformed file stops the import with an error naming the file and line and creates nothing.

pub mod exportify;
pub mod gdpr;

use std::fmt;

use serde::Serialize;

use crate::matching::Query;

/// Where a row came from: `file:line` for a CSV record, `file#/json/pointer` for a JSON entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Origin {
    /// The file (inside a zip: `archive.zip!/inner/path.json`).
    pub file: String,
    /// 1-based line (CSV).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// JSON pointer of the entry (JSON).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(pointer) = &self.pointer {
            write!(f, "#{pointer}")?;
        }
        Ok(())
    }
}

/// What kind of item a row describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A track (matched by URI, ISRC or search).
    Track,
    /// A podcast episode (only by URI).
    Episode,
    /// An album (library only, by URI).
    Album,
    /// A show (library only, by URI).
    Show,
    /// An artist to follow (by URI).
    Artist,
    /// A local file: never on Spotify, reported and skipped.
    Local,
}

/// One item to import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// Where it came from.
    pub origin: Origin,
    /// What it is.
    pub kind: Kind,
    /// Title, artists, album and duration as the source gives them.
    pub query: Query,
    /// A Spotify URI from the source (already validated as `spotify:<kind>:<id>`).
    pub uri: Option<String>,
    /// An ISRC from the source.
    pub isrc: Option<String>,
    /// Why the row cannot be imported (kept in the report; the rest of the file goes on).
    pub invalid: Option<String>,
}

/// Where the rows of a target go.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Destination {
    /// A playlist created (or continued) under this name.
    Playlist {
        /// Its name.
        name: String,
        /// Its description.
        description: Option<String>,
    },
    /// Liked songs (and saved episodes).
    Liked,
    /// Saved albums and shows.
    Library,
    /// Followed artists.
    Artists,
    /// An existing playlist (`--into`).
    Existing {
        /// Its id.
        id: String,
    },
}

impl fmt::Display for Destination {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Destination::Playlist { name, .. } => write!(f, "playlist `{name}`"),
            Destination::Liked => f.write_str("liked songs"),
            Destination::Library => f.write_str("saved albums and shows"),
            Destination::Artists => f.write_str("followed artists"),
            Destination::Existing { id } => write!(f, "playlist {id}"),
        }
    }
}

/// A destination and its rows, in source order.
#[derive(Debug, Clone)]
pub struct Target {
    /// Where the rows go.
    pub destination: Destination,
    /// The rows.
    pub rows: Vec<Row>,
}
