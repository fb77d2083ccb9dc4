//! The journal of an import (`imports/<key>.json` in the config dir): which playlist each
//! target created, and every match found, so a re-run continues instead of starting over.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::outcome::Match;
use crate::config::Settings;
use crate::import::{Kind, Row};
use crate::output;

/// The journal of one import source: which playlist each target created, and match results.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Journal {
    /// The input, for humans reading the file.
    pub input: String,
    /// Target name → playlist id.
    #[serde(default)]
    pub playlists: BTreeMap<String, String>,
    /// Row key → match (`null`: searched, nothing good enough).
    #[serde(default)]
    pub matches: BTreeMap<String, Option<Match>>,
}

impl Journal {
    pub fn path(settings: &Settings, input: &Path, kind: &str) -> PathBuf {
        let abs = std::fs::canonicalize(input).unwrap_or_else(|_| input.to_path_buf());
        let mut h = Sha256::new();
        h.update(settings.profile.as_bytes());
        h.update([0]);
        h.update(kind.as_bytes());
        h.update([0]);
        h.update(abs.to_string_lossy().as_bytes());
        let key = h.finalize()[..8].iter().fold(String::new(), |mut s, b| {
            use std::fmt::Write as _;
            let _ = write!(s, "{b:02x}");
            s
        });
        settings.dir.join("imports").join(format!("{key}.json"))
    }

    pub fn load(path: &Path, input: &Path) -> Result<Journal> {
        match std::fs::read(path) {
            Ok(bytes) => serde_json::from_slice(&bytes).with_context(|| {
                format!(
                    "the import journal {} is damaged; delete it to start this import afresh",
                    path.display()
                )
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Journal {
                input: input.display().to_string(),
                ..Journal::default()
            }),
            Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
        }
    }

    pub fn save(&self, path: &Path) -> Result<()> {
        let mut bytes = serde_json::to_vec_pretty(self)?;
        bytes.push(b'\n');
        output::write_atomic(path, &bytes)
    }
}

/// The cache key of a row's match: what the source says about it.
pub fn row_key(row: &Row) -> String {
    let q = &row.query;
    let kind = match row.kind {
        // Tracks keep the key earlier journals used.
        Kind::Track => String::new(),
        other => format!("{other:?}|"),
    };
    format!(
        "{kind}{}|{}|{}|{}|{}",
        q.title,
        q.artists.join(";"),
        q.album.as_deref().unwrap_or_default(),
        q.duration_ms.map(|d| d.to_string()).unwrap_or_default(),
        row.isrc.as_deref().unwrap_or_default()
    )
}
