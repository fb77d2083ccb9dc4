//! The index of a synced directory: the manifest (`spotkit-sync.json`) and one M3U8 per
//! playlist, both written atomically (temporary file, fsync, rename).
//!
//! The manifest maps each Spotify track id to its file, source, score, format and content
//! hash, and records which tracks each synced playlist holds, so a later run knows what is
//! already there and, with `--delete`, which files no playlist keeps any more. It holds no
//! timestamps: the same library synced twice gives the same manifest byte for byte.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use spotkit_files::Mode;

use crate::error::{Error, Result, io};
use crate::ffmpeg::Format;

/// Name of the manifest inside the target directory.
pub const MANIFEST: &str = "spotkit-sync.json";
/// Name of the error report inside the target directory.
pub const ERRORS: &str = "sync-errors.json";

/// The duration check of one file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DurationCheck {
    /// Spotify's duration, seconds.
    pub spotify: f64,
    /// The source's declared duration, seconds (when it declared one).
    pub source: Option<f64>,
    /// The converted file's duration, seconds.
    pub file: f64,
    /// Whether the source's duration is within the matcher's tolerance of Spotify's.
    pub ok: bool,
}

impl DurationCheck {
    /// The text embedded in the file's tags.
    pub fn describe(&self) -> String {
        match self.source {
            Some(src) => format!(
                "{}: source {src:.1} s, Spotify {:.1} s ({:.1} s apart); file {:.1} s",
                if self.ok { "ok" } else { "mismatch" },
                self.spotify,
                (src - self.spotify).abs(),
                self.file
            ),
            None => format!(
                "unknown: the source declared no duration; Spotify {:.1} s, file {:.1} s",
                self.spotify, self.file
            ),
        }
    }
}

/// One synced track.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// Path relative to the target directory, `/`-separated.
    pub file: String,
    /// `spotify:track:...`
    pub uri: String,
    /// "Artist - Title", for people reading the manifest.
    pub label: String,
    /// URL the audio was downloaded from.
    pub source: String,
    /// The matcher's score of that source.
    pub score: f64,
    /// Whether the source's ISRC equalled the track's.
    pub isrc_match: bool,
    /// Audio format of the file.
    pub format: Format,
    /// SHA-256 of the file, hex.
    pub sha256: String,
    /// Size in bytes.
    pub size: u64,
    /// Duration check.
    pub duration: DurationCheck,
    /// The `.lrc` file beside it, relative to the target directory (synced lyrics only); kept,
    /// replaced and deleted with the audio file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lyrics: Option<String>,
}

/// The `.lrc` file of an audio file: the same path with the extension `lrc`.
pub fn lrc_of(file: &str) -> String {
    let (dir, name) = file.rsplit_once('/').map_or(("", file), |(d, n)| (d, n));
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    if dir.is_empty() {
        format!("{stem}.lrc")
    } else {
        format!("{dir}/{stem}.lrc")
    }
}

/// One synced playlist (or the liked songs).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlaylistEntry {
    /// Its name on Spotify.
    pub name: String,
    /// The M3U8 file, relative to the target directory.
    pub m3u: String,
    /// Its tracks in playlist order (ids; tracks that failed included, so a later run retries
    /// them and `--delete` keeps them).
    pub tracks: Vec<String>,
}

/// The manifest.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Manifest {
    /// Format version of this file.
    pub version: u32,
    /// Track id → entry.
    pub tracks: BTreeMap<String, Entry>,
    /// Playlist key (`liked` or the playlist id) → entry.
    pub playlists: BTreeMap<String, PlaylistEntry>,
}

impl Manifest {
    /// Reads the manifest of `dir` (an empty one when there is none yet).
    pub fn load(dir: &Path) -> Result<Manifest> {
        let path = dir.join(MANIFEST);
        match std::fs::read(&path) {
            Ok(bytes) => {
                let m: Manifest = serde_json::from_slice(&bytes).map_err(|e| Error::Manifest {
                    path: path.clone(),
                    reason: e.to_string(),
                })?;
                if m.version != 1 {
                    return Err(Error::Manifest {
                        path,
                        reason: format!("version {} is not supported", m.version),
                    });
                }
                Ok(m)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Manifest {
                version: 1,
                ..Manifest::default()
            }),
            Err(e) => Err(io("reading", &path, e)),
        }
    }

    /// Writes the manifest into `dir` atomically.
    pub fn save(&self, dir: &Path) -> Result<()> {
        let mut bytes = serde_json::to_vec_pretty(self).map_err(|e| Error::Manifest {
            path: dir.join(MANIFEST),
            reason: e.to_string(),
        })?;
        bytes.push(b'\n');
        spotkit_files::write_atomic(&dir.join(MANIFEST), &bytes, Mode::Shared)?;
        Ok(())
    }
}

/// Relative path → absolute path below `dir`.
pub fn resolve(dir: &Path, rel: &str) -> PathBuf {
    rel.split('/').fold(dir.to_path_buf(), |p, c| p.join(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lrc_beside_the_audio() {
        assert_eq!(lrc_of("A - One.opus"), "A - One.lrc");
        assert_eq!(lrc_of("x/Mr. B/1 Two.mp3"), "x/Mr. B/1 Two.lrc");
    }

    #[test]
    fn manifest_round_trips_atomically() {
        let dir = tempfile::tempdir().unwrap();
        let empty = Manifest::load(dir.path()).unwrap();
        assert_eq!(empty.version, 1);
        let mut m = empty.clone();
        m.playlists.insert(
            "liked".into(),
            PlaylistEntry {
                name: "Liked Songs".into(),
                m3u: "Liked Songs.m3u8".into(),
                tracks: vec!["a".into()],
            },
        );
        m.save(dir.path()).unwrap();
        assert_eq!(Manifest::load(dir.path()).unwrap(), m);
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from(MANIFEST)]);
        std::fs::write(dir.path().join(MANIFEST), b"{not json").unwrap();
        assert!(matches!(
            Manifest::load(dir.path()),
            Err(Error::Manifest { .. })
        ));
    }
}
