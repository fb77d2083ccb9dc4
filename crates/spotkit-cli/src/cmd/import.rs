//! `spotkit import exportify|gdpr`: playlists and library back into a Spotify account.
//!
//! Four phases, and nothing is written to Spotify before the third:
//! 1. **read**: every input file is parsed and validated ([`crate::import`]); a malformed file
//!    stops here with `file:line: what is wrong`.
//! 2. **match**: rows with a Spotify URI are taken as is; the others are matched by ISRC or by a
//!    field search scored by [`crate::matching`]. Results are cached in a journal.
//! 3. **write**: playlists are created (or continued) and filled in order; library items saved.
//!    Before adding, the playlist's current items are read back, so a re-run after a failure adds
//!    only what is missing. The journal (`imports/<key>.json` in the config dir) remembers which
//!    playlist each source created.
//! 4. **report**: a CSV with one line per row and its outcome.
//!
//! `--dry-run` stops after phase 2 and writes the report as the plan.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow};
use futures::StreamExt;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use spotkit::Spotify;
use spotkit::api::search::SearchType;
use spotkit::model::{PlayableUri, PlaylistId, SpotifyUri, Track};

use crate::config::Settings;
use crate::hint::Hinted;
use crate::import::{self, Destination, Kind, Row, Target};
use crate::matching::{self, DEFAULT_THRESHOLD};
use crate::output;

/// Flags of `spotkit import`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  spotkit import exportify road_trip.csv --dry-run
  spotkit import exportify exportify-backup/            # every CSV in the folder
  spotkit import exportify spotify_playlists.zip --report report.csv
  spotkit import gdpr my_spotify_data.zip
  spotkit import gdpr MyData/ --only playlists

Re-running the same command after a failure continues where it stopped and adds nothing twice.")]
pub struct ImportArgs {
    #[command(subcommand)]
    source: Source,
    /// Show what would be created and which rows match, without changing anything on Spotify.
    #[arg(long, global = true)]
    dry_run: bool,
    /// Where to write the report (one CSV line per row with its outcome).
    #[arg(long, global = true)]
    report: Option<PathBuf>,
    /// Confidence (0–1) a search match needs to be accepted.
    #[arg(long, global = true, default_value_t = DEFAULT_THRESHOLD, value_parser = confidence)]
    min_confidence: f64,
    /// Add every track to this existing playlist (id, URI, link or name) instead of creating playlists.
    #[arg(long, global = true)]
    into: Option<String>,
    /// Create the playlists as public (default: private).
    #[arg(long, global = true)]
    public: bool,
}

/// Parses `--min-confidence`: a number from 0 to 1.
fn confidence(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if (0.0..=1.0).contains(&v) => Ok(v),
        _ => Err(format!(
            "`{s}` is not a confidence between 0 and 1 (e.g. 0.8)"
        )),
    }
}

/// What to import.
#[derive(Debug, Clone, clap::Subcommand)]
pub enum Source {
    /// Exportify CSV: one file (one playlist), a folder of them, or Exportify's "Export All" zip.
    Exportify {
        /// The CSV file, folder or zip.
        path: PathBuf,
        /// Name of the playlist to create (one file only; default: from the file name).
        #[arg(long)]
        name: Option<String>,
    },
    /// Spotify's "Download your data" export: `my_spotify_data.zip` or its unpacked folder.
    Gdpr {
        /// The zip or folder.
        path: PathBuf,
        /// Import only some parts.
        #[arg(long, value_enum, value_delimiter = ',')]
        only: Vec<Part>,
    },
}

/// Parts of a GDPR export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Part {
    /// The playlists (Playlist*.json).
    Playlists,
    /// Liked songs (YourLibrary.json `tracks`).
    Liked,
    /// Saved albums, shows and episodes.
    Library,
    /// Followed artists.
    Artists,
}

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
enum Outcome {
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
enum Write {
    /// Not written (dry run, or the write phase did not reach it).
    Planned,
    /// Added now.
    Added,
    /// Already there (an earlier run, or the user's library).
    Present,
}

/// The journal of one import source: which playlist each target created, and match results.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Journal {
    /// The input, for humans reading the file.
    input: String,
    /// Target name → playlist id.
    #[serde(default)]
    playlists: BTreeMap<String, String>,
    /// Row key → match (`null`: searched, nothing good enough).
    #[serde(default)]
    matches: BTreeMap<String, Option<Match>>,
}

impl Journal {
    fn path(settings: &Settings, input: &Path, kind: &str) -> PathBuf {
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

    fn load(path: &Path, input: &Path) -> Result<Journal> {
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

    fn save(&self, path: &Path) -> Result<()> {
        let mut bytes = serde_json::to_vec_pretty(self)?;
        bytes.push(b'\n');
        output::write_atomic(path, &bytes)
    }
}

/// The cache key of a row's match: what the source says about it.
fn row_key(row: &Row) -> String {
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

/// Runs `spotkit import`.
pub async fn run(settings: &Settings, args: ImportArgs) -> Result<()> {
    // Phase 1: read everything; a malformed file stops here, before any login or write.
    let (input, kind, mut targets) = read_source(&args.source)?;
    if targets.iter().all(|t| t.rows.is_empty()) {
        return Err(anyhow!(Hinted::new(
            format!("{} holds nothing to import", input.display()),
            "pass an Exportify CSV (or a folder/zip of them) or Spotify's data export (my_spotify_data.zip)",
        )));
    }
    let spotify = settings.logged_in_client().await?;
    if let Some(into) = &args.into {
        let id = super::export::resolve_playlist(&spotify, into).await?;
        targets = merge_into(targets, id.id());
    }
    let journal_path = Journal::path(settings, &input, kind);
    // Two runs of the same import at once would each create the playlists: the second waits
    // for nothing and stops at once, naming the first. A dry run writes nothing and needs no lock.
    let _lock = if args.dry_run {
        None
    } else {
        Some(super::import_lock::ImportLock::acquire(
            &journal_path,
            &input,
        )?)
    };
    let mut journal = Journal::load(&journal_path, &input)?;

    // Phase 2: match.
    let hidden = settings.json || settings.quiet;
    let matched = match_rows(
        &spotify,
        &targets,
        &mut journal,
        args.min_confidence,
        hidden,
    )
    .await;
    if !args.dry_run {
        // Also when matching stopped half-way: the searches that did finish cost requests (and,
        // on Spotify's quota, the account's budget), so a re-run reuses them instead.
        journal.save(&journal_path)?;
    }
    let mut outcomes = matched.map_err(|e| {
        crate::hint::on_quota(
            e,
            &format!(
                "nothing was written to Spotify yet, and the {} matches found so far are kept in the journal{}",
                journal.matches.len(),
                if args.dry_run {
                    " of a real run only (this was a dry run)"
                } else {
                    ""
                }
            ),
        )
    })?;
    if args.dry_run {
        // The real run would be refused as a whole for one dead URI: find them now.
        mark_dead(&spotify, &mut outcomes).await.map_err(|e| {
            crate::hint::on_quota(e, "nothing was written to Spotify (this was a dry run)")
        })?;
    }

    // Phase 3: write (unless --dry-run). A failure still writes the report before returning.
    let mut failure = None;
    let mut created = Vec::new();
    if !args.dry_run {
        for (t, target) in targets.iter().enumerate() {
            let res = write_target(
                &spotify,
                target,
                &mut outcomes[t],
                &mut journal,
                &journal_path,
                args.public,
            )
            .await;
            match res {
                Ok(Some(id)) => created.push((target.destination.to_string(), id)),
                Ok(None) => {}
                Err(e) => {
                    failure = Some(e.context(format!("importing into {}", target.destination)));
                    break;
                }
            }
        }
    }

    // Phase 4: report.
    let report_path = args.report.clone().unwrap_or_else(default_report_path);
    write_report(&report_path, &targets, &outcomes)?;
    let summary = summarize(&targets, &outcomes, &report_path, args.dry_run, &created);
    if settings.json {
        output::print_json(&summary)?;
    } else if !settings.quiet {
        print_summary(&summary, &targets, &outcomes);
    }
    match failure {
        // The error keeps its chain, so `main` finds the quota in it (its hint, its exit status).
        Some(e) if crate::hint::quota_exceeded(&e) => Err(crate::hint::on_quota(
            e,
            &format!(
                "the journal keeps the playlists created and what was added: running the same command again once the quota has cleared continues there and adds nothing twice (report so far: {})",
                report_path.display()
            ),
        )),
        Some(e) => Err(anyhow!(Hinted::new(
            format!("{e:#}"),
            format!(
                "run the same command again to continue: rows already added are not added twice (report so far: {})",
                report_path.display()
            ),
        ))),
        None => Ok(()),
    }
}

fn read_source(source: &Source) -> Result<(PathBuf, &'static str, Vec<Target>)> {
    match source {
        Source::Exportify { path, name } => {
            let files = import::read_inputs(path, &|n| n.to_lowercase().ends_with(".csv"))?;
            if files.is_empty() {
                return Err(anyhow!(Hinted::new(
                    format!("no .csv file in {}", path.display()),
                    "pass an Exportify CSV, a folder of them, or Exportify's spotify_playlists.zip",
                )));
            }
            Ok((
                path.clone(),
                "exportify",
                import::exportify::parse(&files, name.as_deref())?,
            ))
        }
        Source::Gdpr { path, only } => {
            let files = import::read_inputs(path, &import::gdpr::wanted)?;
            if let Some((file, what)) = import::gdpr::history_only(&files) {
                return Err(anyhow!(Hinted::new(
                    format!(
                        "{file}: this is {what}: a list of plays, not playlists or saved items; nothing was created"
                    ),
                    "to import playlists and the library, pass the whole account data export (my_spotify_data.zip, or the folder holding Playlist1.json and YourLibrary.json); to import the listening history into a local database, run `spotkit history import` with this file, folder or zip",
                )));
            }
            if files.is_empty() {
                return Err(anyhow!(Hinted::new(
                    format!(
                        "no YourLibrary.json or Playlist*.json in {}",
                        path.display()
                    ),
                    "pass Spotify's account data export: my_spotify_data.zip as downloaded, or the folder it unpacks to",
                )));
            }
            let mut targets = import::gdpr::parse(&files)?;
            if !only.is_empty() {
                targets.retain(|t| {
                    only.contains(&match t.destination {
                        Destination::Playlist { .. } | Destination::Existing { .. } => {
                            Part::Playlists
                        }
                        Destination::Liked => Part::Liked,
                        Destination::Library => Part::Library,
                        Destination::Artists => Part::Artists,
                    })
                });
            }
            Ok((path.clone(), "gdpr", targets))
        }
    }
}

/// `--into`: every playable row goes to one existing playlist, in source order.
fn merge_into(targets: Vec<Target>, id: &str) -> Vec<Target> {
    let rows = targets
        .into_iter()
        .flat_map(|t| t.rows)
        .filter(|r| matches!(r.kind, Kind::Track | Kind::Episode | Kind::Local))
        .collect();
    vec![Target {
        destination: Destination::Existing { id: id.to_owned() },
        rows,
    }]
}

fn default_report_path() -> PathBuf {
    let now = time::OffsetDateTime::now_utc();
    PathBuf::from(format!(
        "spotkit-import-{:04}{:02}{:02}-{:02}{:02}{:02}.csv",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second()
    ))
}

/// Matches every row; searches run concurrently (the client bounds and paces them).
async fn match_rows(
    spotify: &Spotify,
    targets: &[Target],
    journal: &mut Journal,
    threshold: f64,
    hidden: bool,
) -> Result<Vec<Vec<Outcome>>> {
    let mut outcomes: Vec<Vec<Outcome>> = Vec::with_capacity(targets.len());
    let mut to_search: Vec<(usize, usize, &Row)> = Vec::new();
    for (t, target) in targets.iter().enumerate() {
        let mut out = Vec::with_capacity(target.rows.len());
        for (r, row) in target.rows.iter().enumerate() {
            out.push(if let Some(reason) = &row.invalid {
                Outcome::Invalid(reason.clone())
            } else if row.kind == Kind::Local {
                Outcome::Local
            } else if let Some(uri) = &row.uri {
                Outcome::Matched(
                    Match {
                        uri: uri.clone(),
                        method: Method::Uri,
                        confidence: 1.0,
                        found: String::new(),
                    },
                    Write::Planned,
                )
            } else if let Some(cached) = journal.matches.get(&row_key(row)) {
                decide(cached.clone(), threshold)
            } else {
                to_search.push((t, r, row));
                Outcome::Unmatched(None)
            });
        }
        outcomes.push(out);
    }
    if to_search.is_empty() {
        return Ok(outcomes);
    }
    // The same entry often appears several times (a song in liked songs and in playlists):
    // searched once.
    let mut rows_of: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
    let mut distinct = Vec::new();
    for (t, r, row) in to_search {
        let key = row_key(row);
        let at = rows_of.entry(key.clone()).or_default();
        if at.is_empty() {
            distinct.push((t, r, key, row));
        }
        at.push((t, r));
    }
    let bar = output::progress("Matching by search", hidden);
    let mut results = futures::stream::iter(
        distinct
            .into_iter()
            .map(|(t, r, key, row)| async move { (t, r, key, find(spotify, row).await) }),
    )
    .buffer_unordered(8);
    while let Some((t, r, key, found)) = results.next().await {
        let found =
            found.with_context(|| format!("searching for {}", targets[t].rows[r].origin))?;
        for (t, r) in rows_of.get(&key).into_iter().flatten() {
            outcomes[*t][*r] = decide(found.clone(), threshold);
            bar.inc(1);
        }
        journal.matches.insert(key, found);
    }
    bar.finish_and_clear();
    Ok(outcomes)
}

/// Marks the rows whose source URI Spotify no longer has (the dry run's check).
async fn mark_dead(spotify: &Spotify, outcomes: &mut [Vec<Outcome>]) -> Result<()> {
    let named: Vec<String> = outcomes
        .iter()
        .flatten()
        .filter_map(|o| match o {
            Outcome::Matched(m, _) if m.method == Method::Uri => Some(m.uri.clone()),
            _ => None,
        })
        .collect();
    if named.is_empty() {
        return Ok(());
    }
    let dead = super::import_uris::dead(spotify, &named).await?;
    for o in outcomes.iter_mut().flatten() {
        if let Outcome::Matched(m, _) = o
            && m.method == Method::Uri
            && dead.contains(&m.uri)
        {
            *o = Outcome::Unavailable(m.clone());
        }
    }
    Ok(())
}

fn decide(found: Option<Match>, threshold: f64) -> Outcome {
    match found {
        Some(m) if m.method != Method::Search || m.confidence >= threshold => {
            Outcome::Matched(m, Write::Planned)
        }
        other => Outcome::Unmatched(other),
    }
}

/// ISRC first (when the row has one), then a field search, then a plain one; the best scored
/// candidate is returned whatever its score (the caller applies the threshold).
async fn find(spotify: &Spotify, row: &Row) -> Result<Option<Match>> {
    if row.kind != Kind::Track {
        return find_by_name(spotify, row).await;
    }
    if let Some(isrc) = &row.isrc {
        let tracks = search(spotify, &format!("isrc:{isrc}")).await?;
        if let Some(t) = tracks
            .into_iter()
            .find(|t| t.isrc().is_some_and(|i| i.eq_ignore_ascii_case(isrc)))
        {
            return Ok(track_match(&t, Method::Isrc, 1.0));
        }
    }
    if row.query.title.is_empty() {
        return Ok(None);
    }
    let mut tracks = search(spotify, &matching::search_query(&row.query)).await?;
    if tracks.is_empty() {
        let plain = format!("{} {}", row.query.title, row.query.artists.join(" "));
        tracks = search(spotify, plain.trim()).await?;
    }
    Ok(matching::best(&row.query, &tracks)
        .and_then(|(t, score)| track_match(t, Method::Search, (score * 1000.0).round() / 1000.0)))
}

/// Albums, shows, episodes and artists named without a URI (data exports before 2022): a search
/// of their kind, scored on the name and (albums, shows, episodes) the artist, publisher or show.
async fn find_by_name(spotify: &Spotify, row: &Row) -> Result<Option<Match>> {
    let name = row.query.title.trim();
    if name.is_empty() {
        return Ok(None);
    }
    let by = row.query.artists.first().map(String::as_str);
    let kind = match row.kind {
        Kind::Album => SearchType::Album,
        Kind::Show => SearchType::Show,
        Kind::Episode => SearchType::Episode,
        Kind::Artist => SearchType::Artist,
        Kind::Track | Kind::Local => return Ok(None),
    };
    let q = match (row.kind, by) {
        (Kind::Album, Some(by)) => format!(
            "album:{} artist:{}",
            name.replace('"', " "),
            by.replace('"', " ")
        ),
        _ => name.replace('"', " "),
    };
    let results = spotify.search().query(&q, &[kind]).limit(10).send().await?;
    // (uri, name, by): by is the album's artists, the show's publisher; unknown for episodes.
    let candidates: Vec<(String, String, Option<String>)> = match row.kind {
        Kind::Album => results
            .albums
            .map(|p| p.items)
            .unwrap_or_default()
            .into_iter()
            .map(|a| {
                let by = a
                    .artists
                    .iter()
                    .map(|x| x.name.clone())
                    .collect::<Vec<_>>()
                    .join(", ");
                (a.uri, a.name, Some(by))
            })
            .collect(),
        Kind::Show => results
            .shows
            .map(|p| p.items)
            .unwrap_or_default()
            .into_iter()
            .map(|s| (s.uri, s.name, Some(s.publisher)))
            .collect(),
        Kind::Episode => results
            .episodes
            .map(|p| p.items)
            .unwrap_or_default()
            .into_iter()
            .map(|e| (e.uri, e.name, None))
            .collect(),
        _ => results
            .artists
            .map(|p| p.items)
            .unwrap_or_default()
            .into_iter()
            .map(|a| (a.uri, a.name, None))
            .collect(),
    };
    Ok(candidates
        .into_iter()
        .filter(|(uri, _, _)| !uri.is_empty())
        .map(|(uri, found, found_by)| {
            let score = matching::name_score(name, &found, by, found_by.as_deref());
            let shown = match &found_by {
                Some(b) if !b.is_empty() => format!("{b} – {found}"),
                _ => found,
            };
            Match {
                uri,
                method: Method::Search,
                confidence: (score * 1000.0).round() / 1000.0,
                found: shown,
            }
        })
        .max_by(|a, b| a.confidence.total_cmp(&b.confidence)))
}

async fn search(spotify: &Spotify, q: &str) -> Result<Vec<Track>> {
    // Development-Mode apps may ask for at most 10 results per search.
    let results = spotify
        .search()
        .query(q, &[SearchType::Track])
        .limit(10)
        .send()
        .await?;
    Ok(results.tracks.map(|p| p.items).unwrap_or_default())
}

fn track_match(t: &Track, method: Method, confidence: f64) -> Option<Match> {
    if t.uri.is_empty() {
        return None;
    }
    Some(Match {
        uri: t.uri.clone(),
        method,
        confidence,
        found: format!("{} – {}", t.artist_names(), t.name),
    })
}

/// Writes one target; returns the id of a playlist it created.
async fn write_target(
    spotify: &Spotify,
    target: &Target,
    outcomes: &mut [Outcome],
    journal: &mut Journal,
    journal_path: &Path,
    public: bool,
) -> Result<Option<String>> {
    let matched: Vec<usize> = (0..outcomes.len())
        .filter(|i| matches!(outcomes[*i], Outcome::Matched(..)))
        .collect();
    let uris: Vec<String> = matched
        .iter()
        .filter_map(|i| match &outcomes[*i] {
            Outcome::Matched(m, _) => Some(m.uri.clone()),
            _ => None,
        })
        .collect();
    let (states, created) = match &target.destination {
        Destination::Playlist { name, description } => {
            let known = known_playlist(spotify, journal.playlists.get(name)).await?;
            let (id, created) = if let Some(id) = known {
                (id, None)
            } else {
                let mut create = spotify.playlists().create(name.clone()).public(public);
                if let Some(d) = description {
                    create = create.description(d.clone());
                }
                let playlist = create.send().await?;
                let id = playlist.id.ok_or_else(|| {
                    anyhow!("Spotify created the playlist `{name}` but did not say its id")
                })?;
                // Remember it before adding anything: a re-run continues this playlist.
                journal.playlists.insert(name.clone(), id.to_string());
                journal.save(journal_path)?;
                let raw = id.to_string();
                (id, Some(raw))
            };
            (fill_playlist(spotify, &id, &uris).await?, created)
        }
        Destination::Existing { id } => (
            fill_playlist(spotify, &PlaylistId::parse(id)?, &uris).await?,
            None,
        ),
        Destination::Liked | Destination::Library | Destination::Artists => {
            (save_to_library(spotify, &uris).await?, None)
        }
    };
    for (i, state) in matched.iter().zip(states) {
        if let Outcome::Matched(m, w) = &mut outcomes[*i] {
            match state {
                Some(state) => *w = state,
                None => outcomes[*i] = Outcome::Unavailable(m.clone()),
            }
        }
    }
    Ok(created)
}

/// Saves the items the library does not hold yet (`/me/library` takes tracks, episodes, albums,
/// shows and artists alike); returns each item's state (`None`: Spotify does not know it).
async fn save_to_library(spotify: &Spotify, uris: &[String]) -> Result<Vec<Option<Write>>> {
    let uris: Vec<SpotifyUri> = uris
        .iter()
        .map(|u| SpotifyUri::parse(u))
        .collect::<Result<_, _>>()?;
    let present = spotify.library().contains(&uris).send().await?;
    // Saving puts the newest first: save in reverse so the first row ends up on top.
    let missing: Vec<SpotifyUri> = uris
        .iter()
        .zip(&present)
        .filter(|(_, p)| !**p)
        .map(|(u, _)| u.clone())
        .rev()
        .collect();
    let saved = if missing.is_empty() {
        Vec::new()
    } else {
        super::import_uris::save_or_split(spotify, &missing).await?
    };
    let dead: std::collections::HashSet<String> = missing
        .iter()
        .zip(&saved)
        .filter(|(_, ok)| !**ok)
        .map(|(u, _)| u.uri())
        .collect();
    Ok(uris
        .iter()
        .zip(&present)
        .map(|(u, p)| {
            if *p {
                Some(Write::Present)
            } else if dead.contains(&u.uri()) {
                None
            } else {
                Some(Write::Added)
            }
        })
        .collect())
}

/// The journal's playlist for this target, if it still exists.
async fn known_playlist(spotify: &Spotify, id: Option<&String>) -> Result<Option<PlaylistId>> {
    let Some(id) = id else { return Ok(None) };
    let id = PlaylistId::parse(id)?;
    match spotify.playlists().get(&id).fields("id").send().await {
        Ok(_) => Ok(Some(id)),
        // Deleted since the last run: start a new one.
        Err(spotkit::Error::NotFound { .. }) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// Adds the rows' items that the playlist does not hold yet, in order.
///
/// The playlist is read back first. Items are added in source order, so after an interrupted
/// run its items are a prefix of the wanted list, and the rest is appended. When the user changed
/// the playlist in between, each wanted item is added as many times as it is missing.
async fn fill_playlist(
    spotify: &Spotify,
    id: &PlaylistId,
    uris: &[String],
) -> Result<Vec<Option<Write>>> {
    let existing: Vec<String> = spotify
        .playlists()
        .items(id)
        .limit(50)
        .all()
        .await?
        .iter()
        .filter_map(|it| it.item().and_then(|i| i.uri().map(str::to_owned)))
        .collect();
    let mut have: HashMap<String, usize> = HashMap::new();
    for uri in existing {
        *have.entry(uri).or_default() += 1;
    }
    let mut add = Vec::new();
    let mut states = Vec::with_capacity(uris.len());
    for uri in uris {
        match have.get_mut(uri) {
            Some(n) if *n > 0 => {
                *n -= 1;
                states.push(Write::Present);
            }
            _ => {
                add.push(PlayableUri::parse(uri)?);
                states.push(Write::Added);
            }
        }
    }
    if add.is_empty() {
        return Ok(states.into_iter().map(Some).collect());
    }
    // One dead URI makes Spotify refuse its whole batch: the dead ones are found and left out.
    let mut added = super::import_uris::add_in_order(spotify, id, &add)
        .await?
        .into_iter();
    Ok(states
        .into_iter()
        .map(|s| match s {
            Write::Added => added.next().unwrap_or(true).then_some(Write::Added),
            other => Some(other),
        })
        .collect())
}

/// Report columns.
const REPORT_COLUMNS: [&str; 11] = [
    "Source",
    "Destination",
    "Kind",
    "Title",
    "Artists",
    "Outcome",
    "Method",
    "Confidence",
    "Spotify URI",
    "Matched As",
    "Reason",
];

fn write_report(path: &Path, targets: &[Target], outcomes: &[Vec<Outcome>]) -> Result<()> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(REPORT_COLUMNS)?;
    for (target, outs) in targets.iter().zip(outcomes) {
        for (row, outcome) in target.rows.iter().zip(outs) {
            let (state, m, reason) = match outcome {
                Outcome::Matched(m, Write::Planned) => ("matched", Some(m), String::new()),
                Outcome::Matched(m, Write::Added) => ("added", Some(m), String::new()),
                Outcome::Matched(m, Write::Present) => ("already present", Some(m), String::new()),
                Outcome::Unmatched(best) => (
                    "unmatched",
                    best.as_ref(),
                    if best.is_some() {
                        "best candidate below the confidence threshold".to_owned()
                    } else {
                        "no candidate found".to_owned()
                    },
                ),
                Outcome::Local => ("skipped", None, "local file: not on Spotify".to_owned()),
                Outcome::Invalid(why) => ("invalid", None, why.clone()),
                Outcome::Unavailable(m) => (
                    "unavailable",
                    Some(m),
                    "Spotify no longer has this item (removed from its catalogue): find it again by name, or leave it out".to_owned(),
                ),
            };
            let kind = serde_json::to_value(row.kind)?;
            w.write_record([
                row.origin.to_string(),
                target.destination.to_string(),
                kind.as_str().unwrap_or_default().to_owned(),
                row.query.title.clone(),
                row.query.artists.join(";"),
                state.to_owned(),
                m.map(|m| {
                    serde_json::to_value(m.method)
                        .map(|v| v.as_str().unwrap_or_default().to_owned())
                })
                .transpose()?
                .unwrap_or_default(),
                m.map(|m| format!("{:.3}", m.confidence))
                    .unwrap_or_default(),
                m.map(|m| m.uri.clone()).unwrap_or_default(),
                m.map(|m| m.found.clone()).unwrap_or_default(),
                reason,
            ])?;
        }
    }
    let bytes = w
        .into_inner()
        .map_err(|e| anyhow!("cannot write the report: {e}"))?;
    output::write_atomic(path, &bytes)
}

/// Counts for one destination.
#[derive(Debug, Default, Serialize)]
struct Counts {
    destination: String,
    rows: usize,
    matched: usize,
    added: usize,
    already_present: usize,
    unmatched: usize,
    local: usize,
    invalid: usize,
    unavailable: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    playlist_id: Option<String>,
}

#[derive(Debug, Serialize)]
struct Summary {
    dry_run: bool,
    report: PathBuf,
    targets: Vec<Counts>,
}

fn summarize(
    targets: &[Target],
    outcomes: &[Vec<Outcome>],
    report: &Path,
    dry_run: bool,
    created: &[(String, String)],
) -> Summary {
    let targets = targets
        .iter()
        .zip(outcomes)
        .map(|(t, outs)| {
            let name = t.destination.to_string();
            let mut c = Counts {
                playlist_id: created
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, id)| id.clone()),
                destination: name,
                rows: outs.len(),
                ..Counts::default()
            };
            for o in outs {
                match o {
                    Outcome::Matched(_, w) => {
                        c.matched += 1;
                        match w {
                            Write::Added => c.added += 1,
                            Write::Present => c.already_present += 1,
                            Write::Planned => {}
                        }
                    }
                    Outcome::Unmatched(_) => c.unmatched += 1,
                    Outcome::Local => c.local += 1,
                    Outcome::Invalid(_) => c.invalid += 1,
                    Outcome::Unavailable(_) => c.unavailable += 1,
                }
            }
            c
        })
        .collect();
    Summary {
        dry_run,
        report: report.to_path_buf(),
        targets,
    }
}

fn print_summary(summary: &Summary, targets: &[Target], outcomes: &[Vec<Outcome>]) {
    for c in &summary.targets {
        let mut parts = vec![format!("{} of {} matched", c.matched, c.rows)];
        if !summary.dry_run {
            parts.push(format!("{} added", c.added));
            if c.already_present > 0 {
                parts.push(format!("{} already there", c.already_present));
            }
        }
        for (n, what) in [
            (c.unmatched, "unmatched"),
            (c.local, "local files skipped"),
            (c.invalid, "invalid"),
            (c.unavailable, "no longer on Spotify"),
        ] {
            if n > 0 {
                parts.push(format!("{n} {what}"));
            }
        }
        eprintln!("{}: {}", c.destination, parts.join(", "));
    }
    let mut shown = 0;
    for (target, outs) in targets.iter().zip(outcomes) {
        for (row, o) in target.rows.iter().zip(outs) {
            let why = match o {
                Outcome::Unmatched(Some(best)) => {
                    format!("best guess {} ({:.2})", best.found, best.confidence)
                }
                Outcome::Unmatched(None) => "no candidate".to_owned(),
                Outcome::Invalid(why) => why.clone(),
                Outcome::Unavailable(m) => format!("{} is no longer on Spotify", m.uri),
                _ => continue,
            };
            if shown < 20 {
                eprintln!(
                    "  not imported: {} `{}` by {}: {why}",
                    row.origin,
                    row.query.title,
                    row.query.artists.join(", ")
                );
            }
            shown += 1;
        }
    }
    if shown > 20 {
        eprintln!("  … and {} more (see the report)", shown - 20);
    }
    let verb = if summary.dry_run {
        "plan (dry run, nothing changed)"
    } else {
        "report"
    };
    eprintln!("{verb}: {}", summary.report.display());
}
