//! `index.json`, the list a multi-file export (`export playlists`, `export all`) writes beside its
//! files: what each file holds, and the playlists Spotify refused to list. `import exportify`
//! reads it back to give each CSV its playlist's exact name (a file name cannot keep `/`, `:` or
//! `_` versus space apart) and to send the liked-songs file to liked songs.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Liked songs.
    Liked,
    /// A playlist.
    Playlist,
    /// Saved albums.
    Albums,
    /// Saved shows.
    Shows,
}

/// One line of the index.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    /// The playlist's name as Spotify gives it (`liked`, `albums`, `shows` for the others).
    pub name: String,
    /// What the file holds (absent in indexes before 2026-12).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<Kind>,
    /// The playlist id.
    #[serde(default)]
    pub id: Option<String>,
    /// Items exported.
    #[serde(default)]
    pub items: usize,
    /// Local files among them.
    #[serde(default)]
    pub local: usize,
    /// Podcast episodes among them.
    #[serde(default)]
    pub episodes: usize,
    /// The file, relative to the index (`None`: skipped).
    #[serde(default)]
    pub file: Option<PathBuf>,
    /// Why it was skipped.
    #[serde(default)]
    pub skipped: Option<String>,
}

/// The whole file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Index {
    /// When the export ran (RFC 3339).
    pub exported_at: String,
    /// One entry per file, in export order.
    pub files: Vec<Entry>,
}

/// The file name.
pub const FILE: &str = "index.json";
