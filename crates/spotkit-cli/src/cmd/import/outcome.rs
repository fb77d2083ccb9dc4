//! What became of a row: matched (and how, and what the write phase did), unmatched, local,
//! invalid or gone from Spotify. Shared by matching, writing, the report and the summary.

use serde::{Deserialize, Serialize};

/// How a row was matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// The source named the Spotify item.
    Uri,
    /// An `isrc:` search found it.
    Isrc,
    /// A scored title/artist search found it.
    Search,
}

/// A match: the Spotify URI, how it was found and how sure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Match {
    /// The item.
    pub uri: String,
    /// How.
    pub method: Method,
    /// Confidence, 0–1 (1 for URIs and ISRCs).
    pub confidence: f64,
    /// `Artist – Title` of the matched track, for the report.
    #[serde(default)]
    pub found: String,
}

/// The outcome of a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Matched; what happened next.
    Matched(Match, Write),
    /// No candidate reached the threshold; the best one, if any.
    Unmatched(Option<Match>),
    /// A local file.
    Local,
    /// The row itself is unusable.
    Invalid(String),
    /// The row names a Spotify item that Spotify no longer has (removed from the catalogue).
    Unavailable(Match),
}

/// What the write phase did with a matched row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Write {
    /// Not written (dry run, or the write phase did not reach it).
    Planned,
    /// Added now.
    Added,
    /// Already there (an earlier run, or the user's library).
    Present,
}
