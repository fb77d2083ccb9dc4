//! `spotkit export`: liked songs, playlists, saved albums and shows in JSON, JSONL, Exportify CSV
//! or M3U8. Every file is written atomically (see [`crate::output::Sink`]).

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use futures::{StreamExt, TryStreamExt};
use serde::Deserialize;
use serde::Serialize;
use serde_json::json;
use spotkit::Spotify;
use spotkit::api::playlists_items::PlaylistToRead;
use spotkit::model::{
    AlbumId, ArtistId, PlaylistId, PlaylistTrack, SavedTrack, SimplifiedPlaylist,
};

use crate::cli::Format;
use crate::config::Settings;
use crate::export_index::{self, Index, Kind};
use crate::exportify::names::Stems;
use crate::exportify::write::Bom;
use crate::hint::Hinted;
use crate::output::{self, Entry, Extras, Sink};

/// Flags of `spotkit export`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  spotkit export liked --format csv --out liked.csv
  spotkit export playlist https://open.spotify.com/playlist/37i9dQZF1DXcBWIGoYBM5M --format m3u
  spotkit export playlist \"Road trip\" --format json --out -
  spotkit export all --format csv --out backups/
  spotkit export all --format csv --zip          # like Exportify's \"Export All\"")]
pub struct ExportArgs {
    #[command(subcommand)]
    what: What,
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = Format::Json, global = true)]
    format: Format,
    /// Output file (`-` for stdout; the default for single exports) or, for `playlists` and
    /// `all`, a directory (default: the current one).
    #[arg(long, short, global = true)]
    out: Option<PathBuf>,
}

/// What to export.
#[derive(Debug, Clone, clap::Subcommand)]
pub enum What {
    /// Your liked songs.
    Liked,
    /// Every playlist in your library, one file each, plus `index.json`.
    Playlists,
    /// One playlist, by id, `spotify:playlist:` URI, open.spotify.com URL or exact name.
    Playlist {
        /// Id, URI, URL or name.
        playlist: String,
    },
    /// Your saved albums (json or jsonl).
    Albums,
    /// Your saved shows (json or jsonl).
    Shows,
    /// Everything, into a dated folder: liked songs, every playlist, albums, shows and an index.
    ///
    /// As CSV, the folder is laid out like Exportify's "Export All": `Liked_Songs.csv` and one
    /// file per playlist side by side, plus spotkit's `index.json`.
    All {
        /// Write one zip (`spotkit-export-<date>.zip`, or the `--out` path if it ends in `.zip`)
        /// instead of a folder.
        #[arg(long)]
        zip: bool,
    },
}

/// What one export wrote.
#[derive(Debug, Clone, Serialize)]
pub struct Written {
    /// What it is (`liked`, a playlist name, `albums`, ...).
    pub name: String,
    /// What the file holds.
    pub kind: Kind,
    /// The playlist id, for playlists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Where (`-` for stdout).
    pub path: PathBuf,
    /// Number of items.
    pub items: usize,
    /// Local files among them.
    pub local: usize,
    /// Podcast episodes among them.
    pub episodes: usize,
    /// Why nothing was written (Spotify refused to list the playlist's items).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skipped: Option<String>,
}

impl Written {
    /// A playlist Spotify would not list the items of: recorded in the index with the reason.
    fn skipped_playlist(name: String, id: &str, path: PathBuf, reason: &str) -> Written {
        Written {
            name,
            kind: Kind::Playlist,
            id: Some(id.to_owned()),
            path,
            items: 0,
            local: 0,
            episodes: 0,
            skipped: Some(reason.to_owned()),
        }
    }
}

/// Runs `spotkit export`.
pub async fn run(settings: &Settings, args: ExportArgs) -> Result<()> {
    if matches!(args.what, What::Playlists | What::All { .. })
        && args.out.as_deref() == Some(Path::new("-"))
    {
        // A usage error, caught before any request: exit 2 with clap's usage line.
        <crate::cli::Cli as clap::CommandFactory>::command()
            .error(
                clap::error::ErrorKind::InvalidValue,
                "`--out -` (stdout) takes one file, but `export playlists` and `export all` write a folder of files; pass a folder (`--out backups/`), or export one playlist with `export playlist NAME --out -`",
            )
            .exit();
    }
    let spotify = settings.logged_in_client().await?;
    let hidden = settings.json || settings.quiet;
    let single = |default: &str| args.out.clone().unwrap_or_else(|| PathBuf::from(default));
    let kept = quota_kept(&args);
    let written = async {
        Ok::<_, anyhow::Error>(match &args.what {
            What::Liked => {
                vec![export_liked(&spotify, args.format, &single("-"), Bom::With, hidden).await?]
            }
            What::Playlist { playlist } => {
                let id = resolve_playlist(&spotify, playlist).await?;
                // As Spotify sent it: the JSON export keeps every member.
                let meta = spotify
                    .playlists()
                    .get(&id)
                    .raw()
                    .send()
                    .await
                    .with_context(|| format!("reading playlist {}", id.id()))?;
                let name = meta
                    .get("name")
                    .and_then(serde_json::Value::as_str)
                    .filter(|n| !n.is_empty())
                    .map_or_else(|| id.id().to_owned(), str::to_owned);
                vec![
                    export_playlist(
                        &spotify,
                        &id,
                        &name,
                        meta,
                        args.format,
                        &single("-"),
                        Bom::With,
                        hidden,
                    )
                    .await?,
                ]
            }
            What::Playlists => {
                let dir = args.out.clone().unwrap_or_else(|| PathBuf::from("."));
                export_playlists(&spotify, &dir, args.format, hidden).await?
            }
            What::Albums => {
                vec![
                    export_saved(&spotify, Saved::Albums, args.format, &single("-"), hidden)
                        .await?,
                ]
            }
            What::Shows => {
                vec![export_saved(&spotify, Saved::Shows, args.format, &single("-"), hidden).await?]
            }
            What::All { zip } => {
                let base = args.out.clone().unwrap_or_else(|| PathBuf::from("."));
                let date = time::OffsetDateTime::now_utc().date();
                if *zip {
                    let path = if base
                        .extension()
                        .is_some_and(|e| e.eq_ignore_ascii_case("zip"))
                    {
                        base
                    } else {
                        base.join(format!("spotkit-export-{date}.zip"))
                    };
                    super::export_zip::export_all_zip(&spotify, &path, args.format, hidden).await?
                } else {
                    let dir = base.join(format!("spotkit-export-{date}"));
                    export_all(&spotify, &dir, args.format, hidden).await?
                }
            }
        })
    }
    .await
    .map_err(|e| crate::hint::on_quota(e, kept))?;
    report(settings, &written)
}

/// What an export stopped by the quota leaves behind, for its message: every file is written to a
/// temp file and renamed only when complete ([`Sink`]), so only streamed stdout can be partial.
fn quota_kept(args: &ExportArgs) -> &'static str {
    let to_stdout = args.out.as_deref() == Some(Path::new("-"))
        || (args.out.is_none() && !matches!(args.what, What::Playlists | What::All { .. }));
    match (to_stdout, args.format) {
        (true, Format::Jsonl) => {
            "the lines already written to stdout are an incomplete list: export again once the quota has cleared"
        }
        // JSON is streamed too (a whole library held in memory took gigabytes).
        (true, Format::Json) => {
            "what was already written to stdout is an incomplete JSON document: export again once the quota has cleared"
        }
        (true, _) => "nothing was written to stdout",
        (false, _) if matches!(args.what, What::All { zip: true }) => {
            "no zip was written: the export in progress was discarded"
        }
        (false, _) if matches!(args.what, What::Playlists | What::All { .. }) => {
            "no file was left half-written: the files finished before the stop are complete, the one in progress was discarded, and index.json is only written when the whole export completes"
        }
        (false, _) => "no file was written: the export in progress was discarded",
    }
}

fn report(settings: &Settings, written: &[Written]) -> Result<()> {
    if settings.json {
        // `--out -` already put the data on stdout; a report after it would corrupt it.
        if written.iter().any(|w| w.path == Path::new("-")) {
            return Ok(());
        }
        return output::print_json(&written);
    }
    if settings.quiet {
        return Ok(());
    }
    for w in written {
        if w.path == Path::new("-") || w.skipped.is_some() {
            continue;
        }
        let mut extra = String::new();
        if w.local > 0 {
            extra = format!("{extra}, {} local", w.local);
        }
        if w.episodes > 0 {
            extra = format!("{extra}, {} episodes", w.episodes);
        }
        eprintln!(
            "{}: {} items{extra} -> {}",
            w.name,
            w.items,
            w.path.display()
        );
    }
    Ok(())
}

/// Liked songs into `path`.
/// `bom`: whether a CSV starts with a BOM (see [`Bom`]).
pub async fn export_liked(
    spotify: &Spotify,
    format: Format,
    path: &Path,
    bom: Bom,
    hidden: bool,
) -> Result<Written> {
    let bar = output::progress("Liked songs", hidden);
    let mut stream = spotify.tracks().saved().limit(50).raw().stream();
    let mut sink = Sink::open(path)?;
    let meta = json!({"name": "Liked Songs", "type": "liked"});
    let mut read = Read::start(&mut sink, format, &meta)?;
    while let Some(value) = stream.try_next().await.context("reading liked songs")? {
        read.push(&mut sink, format, &value, |v| {
            SavedTrack::deserialize(v).map(|s| Entry::Saved(Box::new(s)))
        })?;
        bar.inc(1);
    }
    bar.finish_and_clear();
    let extras = extras_for(spotify, format, &read.entries).await;
    finish(sink, format, "Liked Songs", &read, &extras, bom)?;
    Ok(written("liked", Kind::Liked, None, path, &read))
}

/// One playlist's items into `path`; `meta` is the playlist object as Spotify returned it.
#[allow(clippy::too_many_arguments)] // One plain value per setting of the export.
pub async fn export_playlist(
    spotify: &Spotify,
    id: &PlaylistId,
    name: &str,
    meta: serde_json::Value,
    format: Format,
    path: &Path,
    bom: Bom,
    hidden: bool,
) -> Result<Written> {
    let stream = spotify.playlists().items(id).limit(50).raw().stream();
    write_playlist(spotify, stream, id, name, meta, format, path, bom, hidden).await
}

/// One playlist's items, as `stream` yields them, into `path`.
#[allow(clippy::too_many_arguments)] // One plain value per setting of the export.
async fn write_playlist(
    spotify: &Spotify,
    mut stream: impl futures::Stream<Item = spotkit::Result<serde_json::Value>> + Unpin,
    id: &PlaylistId,
    name: &str,
    meta: serde_json::Value,
    format: Format,
    path: &Path,
    bom: Bom,
    hidden: bool,
) -> Result<Written> {
    let bar = output::progress(name, hidden);
    let mut sink = Sink::open(path)?;
    let mut read = Read::start(&mut sink, format, &meta)?;
    while let Some(value) = stream
        .try_next()
        .await
        .with_context(|| format!("reading playlist `{name}`"))?
    {
        read.push(&mut sink, format, &value, |v| {
            PlaylistTrack::deserialize(v).map(|p| Entry::Playlist(Box::new(p)))
        })?;
        bar.inc(1);
    }
    bar.finish_and_clear();
    let extras = extras_for(spotify, format, &read.entries).await;
    finish(sink, format, name, &read, &extras, bom)?;
    Ok(written(
        name,
        Kind::Playlist,
        Some(id.id().to_owned()),
        path,
        &read,
    ))
}

/// Genres and record labels for the CSV's `Genres`/`Record Label` cells, looked up the way
/// Exportify does (several artists/albums per request). Development-Mode apps are refused those
/// lookups since February 2026: the cells then stay empty and the export goes on.
async fn extras_for(spotify: &Spotify, format: Format, entries: &[Entry]) -> Extras {
    let mut extras = Extras::default();
    if format != Format::Csv {
        return extras;
    }
    let (artist_ids, album_ids) = output::referenced_ids(entries);
    let artist_ids: Vec<ArtistId> = artist_ids
        .iter()
        .filter_map(|id| ArtistId::parse(id).ok())
        .collect();
    let album_ids: Vec<AlbumId> = album_ids
        .iter()
        .filter_map(|id| AlbumId::parse(id).ok())
        .collect();
    #[allow(deprecated)] // Still served to Extended-Quota apps; a refusal is handled below.
    let artists = spotify.artists().several(&artist_ids).send().await;
    match artists {
        Ok(list) => {
            for a in list.into_iter().flatten() {
                if let (Some(id), Some(genres)) = (a.id, a.genres) {
                    extras.genres.insert(id.into_id(), genres);
                }
            }
        }
        Err(e) => tracing::info!("no genres for the CSV: {e}"),
    }
    #[allow(deprecated)]
    let albums = spotify.albums().several(&album_ids).send().await;
    match albums {
        Ok(list) => {
            for a in list.into_iter().flatten() {
                if let (Some(id), Some(label)) = (a.id, a.label) {
                    extras.labels.insert(id.into_id(), label);
                }
            }
        }
        Err(e) => tracing::info!("no record labels for the CSV: {e}"),
    }
    extras
}

fn write_line<T: Serialize>(sink: &mut Sink, item: &T) -> Result<()> {
    serde_json::to_writer(&mut *sink, item)?;
    sink.write_all(b"\n")?;
    Ok(())
}

/// A list as it is read. JSON and JSONL write each item as Spotify sent it (every member and
/// value kept) the moment it arrives, so their memory does not grow with the library (issue #21:
/// 294 MB for 50 000 songs in JSONL, 980 MB in JSON, when every item was kept); CSV and M3U
/// need the whole list (the CSV's genres and labels are looked up at the end) and keep the models.
struct Read {
    format: Format,
    /// The models, for CSV and M3U only.
    entries: Vec<Entry>,
    /// Items read, whether the models could read them or not.
    count: usize,
    /// Local files among them.
    local: usize,
    /// Podcast episodes among them.
    episodes: usize,
}

impl Read {
    /// Starts the list; for JSON, writes the document's head (`meta` without its embedded page).
    fn start(sink: &mut Sink, format: Format, meta: &serde_json::Value) -> Result<Read> {
        if format == Format::Json {
            json_doc::head(sink, meta)?;
        }
        Ok(Read {
            format,
            entries: Vec::new(),
            count: 0,
            local: 0,
            episodes: 0,
        })
    }

    fn push(
        &mut self,
        sink: &mut Sink,
        format: Format,
        value: &serde_json::Value,
        model: impl FnOnce(&serde_json::Value) -> serde_json::Result<Entry>,
    ) -> Result<()> {
        match model(value) {
            Ok(entry) => {
                self.local += usize::from(entry.is_local());
                self.episodes += usize::from(entry.is_episode());
                if matches!(format, Format::Csv | Format::M3u) {
                    self.entries.push(entry);
                }
            }
            // Still written as sent; only the CSV/M3U row and the counts miss it.
            Err(e) => tracing::warn!("an item spotkit cannot read ({e}): {value}"),
        }
        match format {
            Format::Jsonl => write_line(sink, value)?,
            Format::Json => json_doc::item(sink, self.count, value)?,
            Format::Csv | Format::M3u => {}
        }
        self.count += 1;
        Ok(())
    }
}

/// A pretty-printed JSON document `{...meta, "items": [...]}` written one item at a time, laid
/// out as `serde_json::to_writer_pretty` lays out the whole document.
mod json_doc {
    use std::io::Write;

    use anyhow::Result;

    /// `{` and `meta`'s members (without the `tracks`/`items` page a full playlist object
    /// embeds: the export's `items` is the complete list), then `"items": [`.
    pub fn head(w: &mut impl Write, meta: &serde_json::Value) -> Result<()> {
        let mut members = meta.as_object().cloned().unwrap_or_default();
        members.remove("tracks");
        members.remove("items");
        let whole = serde_json::to_string_pretty(&serde_json::Value::Object(members))?;
        // `{}` or `{\n  "a": 1\n}`: everything before the closing brace.
        let open = whole.trim_end().trim_end_matches('}').trim_end();
        w.write_all(open.as_bytes())?;
        if open != "{" {
            w.write_all(b",")?;
        }
        w.write_all(b"\n  \"items\": [")?;
        Ok(())
    }

    /// The `index`-th item, indented as a member of `items`.
    pub fn item(w: &mut impl Write, index: usize, value: &serde_json::Value) -> Result<()> {
        w.write_all(if index == 0 { b"\n" } else { b",\n" })?;
        // Pretty JSON has no raw newline inside a string: each line is one token's line.
        let text = serde_json::to_string_pretty(value)?;
        for (n, line) in text.lines().enumerate() {
            if n > 0 {
                w.write_all(b"\n")?;
            }
            w.write_all(b"    ")?;
            w.write_all(line.as_bytes())?;
        }
        Ok(())
    }

    /// Closes `items` (of `count` items) and the document.
    pub fn tail(w: &mut impl Write, count: usize) -> Result<()> {
        w.write_all(if count == 0 { b"]\n}\n" } else { b"\n  ]\n}\n" })?;
        Ok(())
    }

    #[cfg(test)]
    mod tests {
        use serde_json::json;

        /// The streamed document is byte for byte what `to_writer_pretty` writes for the whole.
        #[test]
        fn streamed_document_equals_the_whole_one() {
            let meta = json!({"name": "Mix", "tracks": {"total": 2}, "owner": {"id": "u"}});
            for items in [
                vec![],
                vec![json!({"a": [1, {"b": "x\ny"}]}), json!("s"), json!([])],
            ] {
                let mut out = Vec::new();
                super::head(&mut out, &meta).unwrap();
                for (i, v) in items.iter().enumerate() {
                    super::item(&mut out, i, v).unwrap();
                }
                super::tail(&mut out, items.len()).unwrap();
                let mut want = serde_json::to_string_pretty(
                    &json!({"name": "Mix", "owner": {"id": "u"}, "items": items}),
                )
                .unwrap();
                want.push('\n');
                assert_eq!(String::from_utf8(out).unwrap(), want);
            }
            let mut out = Vec::new();
            super::head(&mut out, &json!({})).unwrap();
            super::tail(&mut out, 0).unwrap();
            assert_eq!(String::from_utf8(out).unwrap(), "{\n  \"items\": []\n}\n");
        }
    }
}

/// Ends the list: closes the JSON document or writes CSV / M3U, then renames the file into place.
fn finish(
    mut sink: Sink,
    format: Format,
    name: &str,
    read: &Read,
    extras: &Extras,
    bom: Bom,
) -> Result<()> {
    debug_assert_eq!(format, read.format);
    match format {
        Format::Jsonl => {}
        Format::Json => json_doc::tail(&mut sink, read.count)?,
        Format::Csv => output::write_csv(&mut sink, &read.entries, extras, bom)?,
        Format::M3u => output::write_m3u(&mut sink, name, &read.entries)?,
    }
    sink.finish()
}

fn written(name: &str, kind: Kind, id: Option<String>, path: &Path, read: &Read) -> Written {
    Written {
        name: name.to_owned(),
        kind,
        id,
        path: path.to_path_buf(),
        items: read.count,
        local: read.local,
        episodes: read.episodes,
        skipped: None,
    }
}

#[derive(Debug, Clone, Copy)]
enum Saved {
    Albums,
    Shows,
}

async fn export_saved(
    spotify: &Spotify,
    what: Saved,
    format: Format,
    path: &Path,
    hidden: bool,
) -> Result<Written> {
    let (name, label) = match what {
        Saved::Albums => ("albums", "Saved albums"),
        Saved::Shows => ("shows", "Saved shows"),
    };
    if matches!(format, Format::Csv | Format::M3u) {
        return Err(anyhow!(Hinted::new(
            format!("saved {name} cannot be exported as {}", format.ext()),
            "use --format json or --format jsonl (CSV and M3U hold tracks)",
        )));
    }
    let bar = output::progress(label, hidden);
    let mut stream = match what {
        Saved::Albums => spotify.albums().saved().limit(50).raw().stream().boxed(),
        Saved::Shows => spotify.shows().saved().limit(50).raw().stream().boxed(),
    };
    let mut sink = Sink::open(path)?;
    if format == Format::Json {
        json_doc::head(&mut sink, &json!({"type": name}))?;
    }
    let mut count = 0;
    while let Some(item) = stream
        .try_next()
        .await
        .with_context(|| format!("reading saved {name}"))?
    {
        match format {
            Format::Json => json_doc::item(&mut sink, count, &item)?,
            _ => write_line(&mut sink, &item)?,
        }
        count += 1;
        bar.inc(1);
    }
    bar.finish_and_clear();
    if format == Format::Json {
        json_doc::tail(&mut sink, count)?;
    }
    sink.finish()?;
    Ok(Written {
        name: name.to_owned(),
        kind: match what {
            Saved::Albums => Kind::Albums,
            Saved::Shows => Kind::Shows,
        },
        id: None,
        path: path.to_path_buf(),
        items: count,
        local: 0,
        episodes: 0,
        skipped: None,
    })
}

/// Every playlist of the library into `dir`, one file each, plus `index.json`.
pub async fn export_playlists(
    spotify: &Spotify,
    dir: &Path,
    format: Format,
    hidden: bool,
) -> Result<Vec<Written>> {
    let out = playlists_into(spotify, dir, format, &mut Stems::default(), hidden).await?;
    write_index(dir, &out)?;
    Ok(out)
}

/// Every playlist into `dir`, named by `stems` (Exportify's names, each once), without an index.
/// Several files: CSVs without a BOM, as in Exportify's "Export All".
async fn playlists_into(
    spotify: &Spotify,
    dir: &Path,
    format: Format,
    stems: &mut Stems,
    hidden: bool,
) -> Result<Vec<Written>> {
    // As Spotify sent them: each playlist object heads its JSON export. Who the user is, asked
    // at the same time, tells which playlists' sizes can plan their reading (below).
    let (me, playlists) = futures::try_join!(
        spotify.users().me().send(),
        spotify.playlists().mine().raw().all()
    )
    .context("listing your playlists")?;
    let playlists: Vec<(serde_json::Value, SimplifiedPlaylist, PlaylistId)> = playlists
        .into_iter()
        .filter_map(|meta| {
            let Ok(p) = SimplifiedPlaylist::deserialize(&meta) else {
                tracing::warn!("a playlist spotkit cannot read: {meta}");
                return None;
            };
            let id = p.id.clone()?;
            Some((meta, p, id))
        })
        .collect();
    // Every playlist's items under the client's one request budget: the next playlists are
    // already being read while this one is written, and they still come in order.
    // A playlist's listed size lets all its pages be asked for at once (the user's own ones).
    let to_read = playlists.iter().map(|(_, p, id)| {
        PlaylistToRead::listed_for(p, me.id.as_ref()).unwrap_or_else(|| id.clone().into())
    });
    let mut entries = spotify
        .playlists()
        .items_of(to_read)
        .limit(50)
        .raw()
        .stream();
    let mut out = Vec::new();
    for (meta, p, id) in playlists {
        let stream = entries
            .next()
            .await
            .context("the playlists' items ended before the last playlist")?;
        let raw_id = id.id();
        let name = if p.name.is_empty() {
            raw_id.to_owned()
        } else {
            p.name.clone()
        };
        let path = dir.join(format!(
            "{}.{}",
            stems.playlist(&name, raw_id),
            format.ext()
        ));
        match write_playlist(
            spotify,
            stream,
            &id,
            &name,
            meta,
            format,
            &path,
            Bom::Without,
            hidden,
        )
        .await
        {
            Ok(w) => out.push(w),
            // Development-Mode apps may only read the items of playlists the user owns or
            // collaborates on (Spotify, February 2026); the other playlists are listed, not fatal.
            Err(e) if refused(&e) => {
                if !hidden {
                    eprintln!(
                        "spotkit: skipped playlist `{name}`: Spotify refuses to list its items to this app (Development Mode only allows playlists you own or collaborate on)"
                    );
                }
                out.push(Written::skipped_playlist(
                    name,
                    raw_id,
                    path,
                    "403 Forbidden: Spotify refuses this playlist's items to Development-Mode apps unless you own or collaborate on it",
                ));
            }
            // Spotify's own editorial and algorithmic playlists answer 404 to Development-Mode apps
            // (November 2024); a playlist deleted since the listing does too. Either way the rest
            // of the library is still worth exporting.
            Err(e) if not_found(&e) => {
                let spotify_owned = p.owner.id.as_ref().is_some_and(|o| o.id() == "spotify");
                let reason = if spotify_owned {
                    "404 Not Found: a Spotify-owned (editorial or algorithmic) playlist; Spotify does not let Development-Mode apps read these since November 2024"
                } else {
                    "404 Not Found: Spotify no longer finds this playlist (deleted, or no longer visible to you)"
                };
                if !hidden {
                    eprintln!("spotkit: skipped playlist `{name}`: {reason}");
                }
                out.push(Written::skipped_playlist(name, raw_id, path, reason));
            }
            Err(e) => return Err(e),
        }
    }
    Ok(out)
}

/// Whether Spotify's answer somewhere in `e`'s chain satisfies `is`.
fn spotify_error(e: &anyhow::Error, is: fn(&spotkit::Error) -> bool) -> bool {
    e.chain()
        .any(|c| c.downcast_ref::<spotkit::Error>().is_some_and(is))
}

fn not_found(e: &anyhow::Error) -> bool {
    spotify_error(e, |e| matches!(e, spotkit::Error::NotFound { .. }))
}

/// `spotkit export all`: liked songs, playlists (and, for JSON formats, albums and shows), and
/// `index.json`. As CSV, laid out like Exportify's "Export All" zip: `Liked_Songs.csv` and the
/// playlists side by side, without BOMs; other formats put the playlists in `playlists/`.
pub async fn export_all(
    spotify: &Spotify,
    dir: &Path,
    format: Format,
    hidden: bool,
) -> Result<Vec<Written>> {
    let mut stems = Stems::default();
    let (liked, playlists) = if format == Format::Csv {
        (
            dir.join(format!("{}.csv", stems.liked())),
            dir.to_path_buf(),
        )
    } else {
        (
            dir.join(format!("liked.{}", format.ext())),
            dir.join("playlists"),
        )
    };
    let mut out = vec![export_liked(spotify, format, &liked, Bom::Without, hidden).await?];
    if format == Format::Csv {
        out.extend(playlists_into(spotify, &playlists, format, &mut stems, hidden).await?);
    } else {
        out.extend(export_playlists(spotify, &playlists, format, hidden).await?);
    }
    if matches!(format, Format::Json | Format::Jsonl) {
        for (what, file) in [(Saved::Albums, "albums"), (Saved::Shows, "shows")] {
            out.push(
                export_saved(
                    spotify,
                    what,
                    format,
                    &dir.join(format!("{file}.{}", format.ext())),
                    hidden,
                )
                .await?,
            );
        }
    }
    write_index(dir, &out)?;
    Ok(out)
}

fn refused(e: &anyhow::Error) -> bool {
    spotify_error(e, |e| matches!(e, spotkit::Error::Forbidden { .. }))
}

fn write_index(dir: &Path, written: &[Written]) -> Result<()> {
    let index = Index {
        exported_at: time::OffsetDateTime::now_utc()
            .format(&time::format_description::well_known::Rfc3339)?,
        files: written
            .iter()
            .map(|w| export_index::Entry {
                name: w.name.clone(),
                kind: Some(w.kind),
                id: w.id.clone(),
                items: w.items,
                local: w.local,
                episodes: w.episodes,
                file: if w.skipped.is_some() {
                    None
                } else {
                    Some(w.path.strip_prefix(dir).unwrap_or(&w.path).to_path_buf())
                },
                skipped: w.skipped.clone(),
            })
            .collect(),
    };
    let mut bytes = serde_json::to_vec_pretty(&index)?;
    bytes.push(b'\n');
    output::write_atomic(&dir.join(export_index::FILE), &bytes)
}

/// What a playlist argument looks like.
#[derive(Debug, PartialEq, Eq)]
enum PlaylistRef {
    Id(String),
    Name(String),
}

/// Sorts a playlist argument: URL (only open.spotify.com), URI, bare id, or a name.
fn classify(arg: &str) -> Result<PlaylistRef> {
    let arg = arg.trim();
    if arg.contains("://") {
        let url = url::Url::parse(arg).map_err(|e| anyhow!("`{arg}` is not a valid URL: {e}"))?;
        let host = url.host_str().unwrap_or_default();
        if host != "open.spotify.com" && host != "play.spotify.com" {
            return Err(anyhow!(Hinted::new(
                format!("`{arg}` is a link to {host}, not to a Spotify playlist"),
                "pass a Spotify playlist: its open.spotify.com/playlist/... link, spotify:playlist:... URI, id or exact name",
            )));
        }
        return Ok(PlaylistRef::Id(
            PlaylistId::parse(arg)
                .map_err(|e| {
                    anyhow!(Hinted::new(
                        e.to_string(),
                        "copy the link with Share > Copy link to playlist"
                    ))
                })?
                .into_id(),
        ));
    }
    if arg.starts_with("spotify:") {
        return Ok(PlaylistRef::Id(PlaylistId::parse(arg)?.into_id()));
    }
    if arg.len() == 22 && arg.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Ok(PlaylistRef::Id(arg.to_owned()));
    }
    if arg.is_empty() {
        bail!("the playlist argument is empty");
    }
    Ok(PlaylistRef::Name(arg.to_owned()))
}

/// Resolves a playlist argument to an id (names are looked up in the library).
pub async fn resolve_playlist(spotify: &Spotify, arg: &str) -> Result<PlaylistId> {
    match classify(arg)? {
        PlaylistRef::Id(id) => Ok(PlaylistId::parse(&id)?),
        PlaylistRef::Name(name) => {
            let all = spotify
                .playlists()
                .mine()
                .all()
                .await
                .context("listing your playlists")?;
            let hits: Vec<&SimplifiedPlaylist> = all
                .iter()
                .filter(|p| p.name.eq_ignore_ascii_case(&name))
                .collect();
            match hits.as_slice() {
                [one] => Ok(PlaylistId::parse(one.id.as_deref().unwrap_or_default())?),
                [] => Err(anyhow!(Hinted::new(
                    format!("no playlist named `{name}` in your library"),
                    "check the name, or pass the playlist's link, URI or id",
                ))),
                many => Err(anyhow!(Hinted::new(
                    format!("{} playlists are named `{name}`", many.len()),
                    format!(
                        "pass one of their ids: {}",
                        many.iter()
                            .filter_map(|p| p.id.as_deref())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ))),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn playlist_arguments() {
        let id = "37i9dQZF1DXcBWIGoYBM5M";
        assert_eq!(classify(id).unwrap(), PlaylistRef::Id(id.into()));
        assert_eq!(
            classify(&format!("spotify:playlist:{id}")).unwrap(),
            PlaylistRef::Id(id.into())
        );
        assert_eq!(
            classify(&format!("https://open.spotify.com/playlist/{id}?si=abc")).unwrap(),
            PlaylistRef::Id(id.into())
        );
        assert_eq!(
            classify("Road trip").unwrap(),
            PlaylistRef::Name("Road trip".into())
        );
        let err = classify("https://music.apple.com/us/playlist/x/pl.123").unwrap_err();
        assert!(err.to_string().contains("music.apple.com"), "{err}");
        assert!(classify(&format!("spotify:album:{id}")).is_err());
    }
}
