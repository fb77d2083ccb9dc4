//! Everything the CLI writes: atomic files, the export formats (JSON, JSONL, Exportify CSV, M3U8),
//! progress bars, and human vs `--json` output.
//!
//! Export formats work on [`Entry`] values (a liked song or a playlist item) so every command and
//! the demo share one implementation.

use std::collections::{HashMap, HashSet};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;
use spotkit::model::{PlayableItem, PlaylistTrack, SavedTrack};
use time::format_description::well_known::Rfc3339;

/// Writes `bytes` to `path` atomically: a temp file in the same directory, then a rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut sink = Sink::file(path)?;
    sink.write_all(bytes)
        .with_context(|| format!("cannot write {}", path.display()))?;
    sink.finish()
}

/// Where an export goes: stdout, or a temp file renamed over the final name by [`Sink::finish`].
/// Dropping an unfinished sink deletes the temp file, so an interrupted export never leaves a
/// half-written file under the final name.
#[derive(Debug)]
pub enum Sink {
    /// Standard output.
    Stdout(io::BufWriter<io::Stdout>),
    /// A temp file and the name it gets on success.
    File {
        /// The temp file.
        tmp: io::BufWriter<tempfile::NamedTempFile>,
        /// The final path.
        path: PathBuf,
    },
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
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("cannot create the directory {}", dir.display()))?;
        remove_stale_temp_files(&dir);
        let tmp = tempfile::Builder::new()
            .prefix(TEMP_PREFIX)
            .suffix(TEMP_SUFFIX)
            .tempfile_in(&dir)
            .with_context(|| format!("cannot create a file in {}", dir.display()))?;
        Ok(Sink::File {
            tmp: io::BufWriter::new(tmp),
            path: path.to_path_buf(),
        })
    }

    /// Flushes and, for a file, renames the temp file to its final name.
    pub fn finish(self) -> Result<()> {
        match self {
            Sink::Stdout(mut w) => w.flush().context("cannot write to stdout"),
            Sink::File { tmp, path } => {
                let tmp = tmp
                    .into_inner()
                    .map_err(io::IntoInnerError::into_error)
                    .with_context(|| format!("cannot write {}", path.display()))?;
                tmp.as_file()
                    .sync_all()
                    .with_context(|| format!("cannot write {}", path.display()))?;
                tmp.persist(&path)
                    .map_err(|e| e.error)
                    .with_context(|| format!("cannot move the export to {}", path.display()))?;
                Ok(())
            }
        }
    }
}

const TEMP_PREFIX: &str = ".spotkit-";
const TEMP_SUFFIX: &str = ".tmp";
/// A temp file untouched for this long belongs to an export that was killed (`kill -9`, power
/// loss), not to one still writing: a live export writes its file continuously.
const STALE_AFTER: std::time::Duration = std::time::Duration::from_secs(15 * 60);

/// Removes what killed exports left in `dir`: our own temp files, untouched for
/// [`STALE_AFTER`]. Best effort: a file that cannot be read or removed is left alone.
fn remove_stale_temp_files(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let now = std::time::SystemTime::now();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if !(name.starts_with(TEMP_PREFIX) && name.ends_with(TEMP_SUFFIX)) {
            continue;
        }
        let stale = entry
            .metadata()
            .ok()
            .filter(std::fs::Metadata::is_file)
            .and_then(|m| m.modified().ok())
            .and_then(|modified| now.duration_since(modified).ok())
            .is_some_and(|age| age >= STALE_AFTER);
        if stale && std::fs::remove_file(entry.path()).is_ok() {
            tracing::debug!(file = %entry.path().display(), "removed a killed export's temp file");
        }
    }
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Sink::Stdout(w) => w.write(buf),
            Sink::File { tmp, .. } => tmp.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Sink::Stdout(w) => w.flush(),
            Sink::File { tmp, .. } => tmp.flush(),
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

/// The Exportify column header (current layout, 24 columns).
pub const EXPORTIFY_COLUMNS: [&str; 24] = [
    "Track URI",
    "Track Name",
    "Album Name",
    "Artist Name(s)",
    "Release Date",
    "Duration (ms)",
    "Popularity",
    "Explicit",
    "Added By",
    "Added At",
    "Genres",
    "Record Label",
    "Danceability",
    "Energy",
    "Key",
    "Loudness",
    "Mode",
    "Speechiness",
    "Acousticness",
    "Instrumentalness",
    "Liveness",
    "Valence",
    "Tempo",
    "Time Signature",
];

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

/// The 24 Exportify cells of an entry. Unknown or removed values (audio features, genres,
/// Development-Mode popularity, unavailable items) are empty cells.
pub fn exportify_row(entry: &Entry, extras: &Extras) -> Vec<String> {
    let mut row = vec![String::new(); EXPORTIFY_COLUMNS.len()];
    let item = entry.item();
    let s = |v: Option<&str>| v.unwrap_or_default().to_owned();
    match &item {
        Some(PlayableItem::Track(t)) => {
            row[0].clone_from(&t.uri);
            row[1].clone_from(&t.name);
            row[2].clone_from(&t.album.name);
            row[4] = date(t.album.release_date);
            row[3] = artists(&t.artists);
            // Genres of all the track's artists, each once (Exportify joins them with `,`).
            let mut genres: Vec<&str> = Vec::new();
            for g in t
                .artists
                .iter()
                .filter_map(|a| a.id.as_deref().and_then(|id| extras.genres.get(id)))
                .flatten()
            {
                if !genres.contains(&g.as_str()) {
                    genres.push(g);
                }
            }
            row[10] = genres.join(",");
            if let Some(label) = t.album.id.as_deref().and_then(|id| extras.labels.get(id)) {
                row[11].clone_from(label);
            }
            row[5] = t.duration_ms.to_string();
            row[6] = t.popularity.map(|p| p.to_string()).unwrap_or_default();
            row[7] = t.explicit.to_string();
        }
        Some(PlayableItem::Episode(e)) => {
            row[0].clone_from(&e.uri);
            row[1].clone_from(&e.name);
            row[2].clone_from(&e.show.name);
            row[3].clone_from(&e.show.publisher);
            row[4] = date(e.release_date);
            row[5] = e.duration_ms.to_string();
            row[7] = e.explicit.to_string();
        }
        Some(other) => {
            row[0] = s(other.uri());
            row[1] = s(other.name());
            row[5] = other
                .duration_ms()
                .map(|d| d.to_string())
                .unwrap_or_default();
        }
        None => {}
    }
    row[8] = s(entry.added_by());
    row[9] = entry.added_at().unwrap_or_default();
    row
}

/// A release date as Spotify writes it, or an empty cell.
fn date(d: Option<spotkit::model::ReleaseDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

/// Exportify joins artist names with `;` and drops `;` from the names themselves (older
/// versions joined with `,`).
fn artists(list: &[spotkit::model::SimplifiedArtist]) -> String {
    list.iter()
        .map(|a| a.name.replace(';', ""))
        .collect::<Vec<_>>()
        .join(";")
}

/// Columns Exportify always quotes (free text); the others are written bare.
const QUOTED: [usize; 5] = [1, 2, 3, 10, 11];

/// One CSV cell the way Exportify writes it: free-text columns always quoted with `"` doubled,
/// the others bare (quoted only if they hold a separator, a quote or a line break).
fn csv_cell(column: usize, cell: &str) -> String {
    if QUOTED.contains(&column) || cell.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell.to_owned()
    }
}

/// Writes an Exportify CSV: BOM, the header, one row per entry, `\n` line ends (byte for byte
/// what exportify.net writes for the same data).
pub fn write_csv(w: &mut impl Write, entries: &[Entry], extras: &Extras) -> io::Result<()> {
    w.write_all("\u{feff}".as_bytes())?;
    writeln!(w, "{}", EXPORTIFY_COLUMNS.join(","))?;
    for entry in entries {
        let cells: Vec<String> = exportify_row(entry, extras)
            .iter()
            .enumerate()
            .map(|(i, c)| csv_cell(i, c))
            .collect();
        writeln!(w, "{}", cells.join(","))?;
    }
    Ok(())
}

/// Writes an M3U8 playlist: `#EXTINF:<secs>,<artist> - <title>` then the item's Spotify URI.
/// Entries without a URI (unavailable items) are skipped: a playlist line needs a location.
pub fn write_m3u(w: &mut impl Write, name: &str, entries: &[Entry]) -> io::Result<()> {
    writeln!(w, "#EXTM3U")?;
    writeln!(w, "#PLAYLIST:{}", one_line(name))?;
    for entry in entries {
        let row = exportify_row(entry, &Extras::default());
        if row[0].is_empty() {
            continue;
        }
        let secs = row[5].parse::<u64>().map_or(-1, |ms| (ms / 1000) as i64);
        let artist = row[3].replace(';', ", ");
        let title = if artist.is_empty() {
            one_line(&row[1])
        } else {
            one_line(&format!("{artist} - {}", row[1]))
        };
        writeln!(w, "#EXTINF:{secs},{title}")?;
        writeln!(w, "{}", row[0])?;
    }
    Ok(())
}

fn one_line(s: &str) -> String {
    s.replace(['\r', '\n'], " ")
}

/// A file name the way Exportify makes them: lower case, only `[a-z0-9- ]`, spaces to `_`.
pub fn file_stem(name: &str) -> String {
    name.to_lowercase()
        .chars()
        .filter(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-' || *c == ' ')
        .map(|c| if c == ' ' { '_' } else { c })
        .collect()
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
    fn a_killed_exports_temp_files_go_with_the_next_export_live_ones_stay() {
        let dir = tempfile::tempdir().unwrap();
        let old = std::time::SystemTime::now() - STALE_AFTER - std::time::Duration::from_secs(1);
        for name in [".spotkit-killed.tmp", "notes.tmp", ".spotkit-keep.json"] {
            let f = std::fs::File::create(dir.path().join(name)).unwrap();
            f.set_modified(old).unwrap();
        }
        std::fs::write(dir.path().join(".spotkit-live.tmp"), b"being written").unwrap();

        let mut sink = Sink::file(&dir.path().join("liked.csv")).unwrap();
        sink.write_all(b"x").unwrap();
        sink.finish().unwrap();

        let mut left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        left.sort();
        assert_eq!(
            left,
            [
                ".spotkit-keep.json",
                ".spotkit-live.tmp",
                "liked.csv",
                "notes.tmp"
            ]
        );
    }

    #[test]
    fn file_stems_follow_exportify() {
        assert_eq!(file_stem("Road Trip! 2024 — Mix"), "road_trip_2024__mix");
        assert_eq!(file_stem("Ünïcode"), "ncode");
    }

    #[test]
    fn csv_cells_are_quoted_and_escaped() {
        assert_eq!(csv_cell(1, r#"say "hi", ok"#), r#""say ""hi"", ok""#);
        assert_eq!(csv_cell(1, ""), r#""""#);
        assert_eq!(csv_cell(0, "spotify:track:x"), "spotify:track:x");
        assert_eq!(csv_cell(8, "a,b"), r#""a,b""#);
    }

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
        let row = exportify_row(&e, &Extras::default());
        assert_eq!(row[0], "spotify:local:A:B:Song:200");
        assert_eq!(row[3], "A");
        assert_eq!(row[5], "200000");
        assert_eq!(row[12], "");
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
        let row = exportify_row(&Entry::Playlist(Box::new(entry)), &Extras::default());
        assert_eq!(row.len(), 24);
        assert_eq!(row[0], "");
        assert_eq!(row[9], "2024-05-01T10:00:00Z");
    }
}
