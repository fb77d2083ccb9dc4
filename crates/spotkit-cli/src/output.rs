//! Everything the CLI writes: export files (through [`spotkit_files`]'s atomic writes), the
//! export formats (JSON, JSONL, Exportify CSV, M3U8), progress bars, and human vs `--json`
//! output.
//!
//! Export formats work on [`Entry`] values (a liked song or a playlist item) so every command and
//! the demo share one implementation; CSV and M3U8 go through the one Exportify row
//! ([`ExportifyRow`]).

use std::collections::{HashMap, HashSet};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;
use spotkit::model::{PlayableItem, PlaylistTrack, SavedTrack};
use spotkit_files::{AtomicFile, Mode, m3u};
use time::format_description::well_known::Rfc3339;

use crate::exportify::write::Bom;
use crate::exportify::{self, ExportifyRow};

/// Writes `bytes` to `path` atomically, readable as the umask says (exports, reports).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut sink = Sink::file(path)?;
    sink.write_all(bytes)
        .with_context(|| format!("cannot write {}", path.display()))?;
    sink.finish()
}

/// Where an export goes: stdout, or an atomic file put in place by [`Sink::finish`]. Dropping an
/// unfinished sink deletes the temp file, so an interrupted export never leaves a half-written
/// file under the final name.
#[derive(Debug)]
pub enum Sink {
    /// Standard output.
    Stdout(io::BufWriter<io::Stdout>),
    /// A file being written.
    File(AtomicFile),
}

impl Sink {
    /// `-` is stdout, anything else a file.
    pub fn open(path: &Path) -> Result<Sink> {
        if path == Path::new("-") {
            Ok(Sink::Stdout(io::BufWriter::new(io::stdout())))
        } else {
            Sink::file(path)
        }
    }

    /// A file sink (parent directories are created).
    pub fn file(path: &Path) -> Result<Sink> {
        if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            create_dir_for(dir, path)?;
        }
        Ok(Sink::File(AtomicFile::create(path, Mode::Shared)?))
    }

    /// Flushes and, for a file, puts it in place.
    pub fn finish(self) -> Result<()> {
        match self {
            Sink::Stdout(mut w) => w.flush().context("cannot write to stdout"),
            Sink::File(f) => {
                let path = f.target().to_path_buf();
                f.commit()?;
                lock(&FINISHED).push(path);
                Ok(())
            }
        }
    }
}

/// Files this run finished, and folders it created (outermost first): what an interrupted run
/// reports and cleans up (see `crate::signals`).
static FINISHED: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
static CREATED: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Creates `dir` (and its parents) for `file`, remembering the folders it made.
pub fn create_dir_for(dir: &Path, file: &Path) -> Result<()> {
    let missing: Vec<PathBuf> = dir
        .ancestors()
        .take_while(|a| !a.as_os_str().is_empty() && std::fs::symlink_metadata(a).is_err())
        .map(Path::to_path_buf)
        .collect();
    if let Err(e) = std::fs::create_dir_all(dir) {
        // `File exists` alone does not say that a part of the path is a file.
        if let Some(blocker) = dir.ancestors().find(|a| a.is_file()) {
            return Err(anyhow::anyhow!(crate::hint::Hinted::new(
                format!(
                    "cannot create the directory {} for {}: {} is a file, not a directory",
                    dir.display(),
                    file.display(),
                    blocker.display()
                ),
                format!(
                    "pass an --out path that does not go through the file {}, or move that file away",
                    blocker.display()
                ),
            )));
        }
        return Err(e).with_context(|| {
            format!(
                "cannot create the directory {} for {}",
                dir.display(),
                file.display()
            )
        });
    }
    lock(&CREATED).extend(missing.into_iter().rev());
    Ok(())
}

/// Temp folders whose files are not the export yet (`export all --zip` packs them at the end).
static SCRATCH: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Marks `dir` as scratch (removed whole on interrupt) or, with `false`, no longer.
pub fn scratch_dir(dir: &Path, live: bool) {
    let mut list = lock(&SCRATCH);
    list.retain(|d| d != dir);
    if live {
        list.push(dir.to_path_buf());
    }
}

/// Records a file this run finished outside a [`Sink`].
pub fn finished(path: &Path) {
    lock(&FINISHED).push(path.to_path_buf());
}

/// The files this run finished, in order (none in scratch folders: those are not the export).
pub fn finished_files() -> Vec<PathBuf> {
    let scratch = lock(&SCRATCH).clone();
    lock(&FINISHED)
        .iter()
        .filter(|f| !scratch.iter().any(|d| f.starts_with(d)))
        .cloned()
        .collect()
}

/// Removes scratch folders, and the folders this run created that are empty (innermost first);
/// returns the latter.
pub fn clean_up_after_interrupt() -> Vec<PathBuf> {
    for dir in lock(&SCRATCH).iter() {
        let _ = std::fs::remove_dir_all(dir);
    }
    let created = std::mem::take(&mut *lock(&CREATED));
    created
        .into_iter()
        .rev()
        .filter(|d| std::fs::remove_dir(d).is_ok())
        .collect()
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Sink::Stdout(w) => w.write(buf),
            Sink::File(f) => f.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Sink::Stdout(w) => w.flush(),
            Sink::File(f) => f.flush(),
        }
    }
}

/// A progress counter on stderr; hidden with `--json`/`-q` (and by indicatif when stderr is not a
/// terminal).
pub fn progress(label: &str, hidden: bool) -> ProgressBar {
    if hidden {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner();
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} {msg}: {pos} items ({per_sec}, {elapsed})")
    {
        bar.set_style(style);
    }
    bar.set_message(label.to_owned());
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}

/// One exported row: a liked song or a playlist item.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum Entry {
    /// From `GET /me/tracks`.
    Saved(Box<SavedTrack>),
    /// From `GET /playlists/{id}/items`.
    Playlist(Box<PlaylistTrack>),
}

impl Entry {
    fn item(&self) -> Option<PlayableItem> {
        match self {
            Entry::Saved(s) => Some(PlayableItem::Track(Box::new(s.track.clone()))),
            Entry::Playlist(p) => p.item().cloned(),
        }
    }

    /// When the entry was added, as Spotify writes it (`2026-03-01T10:00:00Z`).
    fn added_at(&self) -> Option<String> {
        let at = match self {
            Entry::Saved(s) => Some(s.added_at),
            Entry::Playlist(p) => p.added_at,
        };
        at.and_then(|t| t.format(&Rfc3339).ok())
    }

    fn added_by(&self) -> Option<&str> {
        match self {
            Entry::Saved(_) => None,
            Entry::Playlist(p) => p.added_by.as_ref().and_then(|u| u.id.as_deref()),
        }
    }

    /// Whether the entry is a local file (no Spotify catalogue item).
    pub fn is_local(&self) -> bool {
        match self {
            Entry::Saved(_) => false,
            Entry::Playlist(p) => p.is_local || p.item().is_some_and(PlayableItem::is_local_file),
        }
    }

    /// Whether the entry is a podcast episode.
    pub fn is_episode(&self) -> bool {
        self.item().is_some_and(|i| i.as_episode().is_some())
    }
}

/// What Exportify looks up beside the items: genres per artist id (`Genres`) and the label per
/// album id (`Record Label`). Spotify no longer gives either to Development-Mode apps; the cells
/// then stay empty, as Exportify's do.
#[derive(Debug, Default)]
pub struct Extras {
    /// Artist id → genres.
    pub genres: HashMap<String, Vec<String>>,
    /// Album id → record label.
    pub labels: HashMap<String, String>,
}

/// The artist ids and album ids the entries' tracks refer to (each once, in order of appearance).
pub fn referenced_ids(entries: &[Entry]) -> (Vec<String>, Vec<String>) {
    let (mut artists, mut albums) = (Vec::new(), Vec::new());
    let (mut seen_artists, mut seen_albums) = (HashSet::new(), HashSet::new());
    for entry in entries {
        let Some(PlayableItem::Track(t)) = entry.item() else {
            continue;
        };
        for id in t.artists.iter().filter_map(|a| a.id.as_ref()) {
            if seen_artists.insert(id.clone()) {
                artists.push(id.to_string());
            }
        }
        if let Some(id) = &t.album.id
            && seen_albums.insert(id.clone())
        {
            albums.push(id.to_string());
        }
    }
    (artists, albums)
}

impl Entry {
    /// The entry as an Exportify row. Unknown or removed values (audio features, genres,
    /// Development-Mode popularity, unavailable items) are empty cells.
    pub fn exportify_row(&self, extras: &Extras) -> ExportifyRow {
        let mut row = ExportifyRow {
            added_by: self.added_by().map(str::to_owned),
            added_at: self.added_at(),
            ..ExportifyRow::default()
        };
        let date = |d: Option<spotkit::model::ReleaseDate>| d.map(|d| d.to_string());
        match self.item() {
            Some(PlayableItem::Track(t)) => {
                // Genres of all the track's artists, each once.
                let mut genres: Vec<String> = Vec::new();
                for g in t
                    .artists
                    .iter()
                    .filter_map(|a| a.id.as_deref().and_then(|id| extras.genres.get(id)))
                    .flatten()
                {
                    if !genres.contains(g) {
                        genres.push(g.clone());
                    }
                }
                row.record_label = t
                    .album
                    .id
                    .as_deref()
                    .and_then(|id| extras.labels.get(id))
                    .cloned();
                row.genres = genres;
                row.track_uri = Some(t.uri.clone()).filter(|u| !u.is_empty());
                row.track_name = Some(t.name.clone());
                row.album_name = Some(t.album.name.clone());
                row.artists = t.artists.iter().map(|a| a.name.clone()).collect();
                row.release_date = date(t.album.release_date);
                row.duration_ms = Some(t.duration_ms);
                row.popularity = t.popularity;
                row.explicit = Some(t.explicit);
            }
            Some(PlayableItem::Episode(e)) => {
                row.track_uri = Some(e.uri.clone()).filter(|u| !u.is_empty());
                row.track_name = Some(e.name.clone());
                row.album_name = Some(e.show.name.clone());
                row.artists = vec![e.show.publisher.clone()];
                row.release_date = date(e.release_date);
                row.duration_ms = Some(e.duration_ms);
                row.explicit = Some(e.explicit);
            }
            Some(other) => {
                row.track_uri = other.uri().map(str::to_owned);
                row.track_name = other.name().map(str::to_owned);
                row.duration_ms = other.duration_ms();
            }
            None => {}
        }
        row
    }
}

/// Writes an Exportify CSV, byte for byte what exportify.net writes for the same data; `bom` says
/// whether it is a single download ([`Bom::With`]) or one file of several.
pub fn write_csv(
    w: &mut impl Write,
    entries: &[Entry],
    extras: &Extras,
    bom: Bom,
) -> io::Result<()> {
    let rows: Vec<ExportifyRow> = entries.iter().map(|e| e.exportify_row(extras)).collect();
    exportify::write::write(w, &rows, bom)
}

/// Writes an M3U8 playlist: `#EXTINF:<secs>,<artist> - <title>` then the item's Spotify URI.
/// Entries without a URI (unavailable items) are skipped: a playlist line needs a location.
pub fn write_m3u(w: &mut impl Write, name: &str, entries: &[Entry]) -> io::Result<()> {
    let items: Vec<m3u::Item> = entries
        .iter()
        .map(|e| e.exportify_row(&Extras::default()))
        .filter_map(|row| {
            let title = row.track_name.unwrap_or_default();
            let artists = row.artists.join(", ");
            Some(m3u::Item {
                location: row.track_uri?,
                seconds: row.duration_ms.map(|ms| ms / 1000),
                label: if artists.is_empty() {
                    title
                } else {
                    format!("{artists} - {title}")
                },
            })
        })
        .collect();
    m3u::write(w, name, &items)
}

/// Prints a JSON value on stdout (for `--json`).
pub fn print_json<T: Serialize>(value: &T) -> Result<()> {
    let mut out = io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value)?;
    out.write_all(b"\n")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_track_row_keeps_uri_and_never_panics() {
        let entry: PlaylistTrack = serde_json::from_value(serde_json::json!({
            "added_at": "2024-01-01T00:00:00Z", "is_local": true,
            "item": {"type": "track", "uri": "spotify:local:A:B:Song:200", "name": "Song",
                     "duration_ms": 200_000, "is_local": true, "artists": [{"name": "A"}]}
        }))
        .unwrap();
        let e = Entry::Playlist(Box::new(entry));
        assert!(e.is_local());
        let row = e.exportify_row(&Extras::default());
        assert_eq!(row.track_uri.as_deref(), Some("spotify:local:A:B:Song:200"));
        assert_eq!(row.artists, ["A"]);
        assert_eq!(row.duration_ms, Some(200_000));
        let mut m3u = Vec::new();
        write_m3u(&mut m3u, "P", &[e]).unwrap();
        assert_eq!(
            String::from_utf8(m3u).unwrap(),
            "#EXTM3U\n#PLAYLIST:P\n#EXTINF:200,A - Song\nspotify:local:A:B:Song:200\n"
        );
    }

    #[test]
    fn removed_item_gives_empty_cells() {
        let entry: PlaylistTrack = serde_json::from_value(
            serde_json::json!({"added_at": "2024-05-01T10:00:00Z", "item": null}),
        )
        .unwrap();
        let row = Entry::Playlist(Box::new(entry)).exportify_row(&Extras::default());
        assert_eq!(row.track_uri, None);
        assert_eq!(row.added_at.as_deref(), Some("2024-05-01T10:00:00Z"));
    }
}
