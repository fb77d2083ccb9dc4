//! The pipeline: checks, fetch, plan, then per track resolve → download → convert → tag →
//! rename, `--jobs` tracks at a time, then the index (M3U8s, deletions, manifest, error report).
//!
//! Crash safety: every file is produced under a `.spotkit-<id>-<pid>.*.part` name and renamed
//! into place only when converted, tagged and hashed. The manifest is rewritten atomically
//! while the run goes on; a file that made it into place but not yet into the manifest is
//! recognised on the next run by its tags (same Spotify URI and source) and adopted without a
//! download. Stale `.part` files of a killed run are removed at the start and end of a run.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures::StreamExt as _;
use serde::Serialize;
use sha2::Digest as _;
use spotkit::Spotify;

use crate::error::{Error, Result, io};
use crate::fetch::{Collection, Selection, fetch};
use crate::ffmpeg::{Ffmpeg, Format};
use crate::index::{self, DurationCheck, Entry, M3uItem, Manifest, PlaylistEntry};
use crate::names;
use crate::resolve::{Resolver, Source};
use crate::score::{Decision, Matcher, Scored};
use crate::tag::{self, Provenance};
use crate::track::{Skipped, TrackInfo};
use crate::ytdlp::YtDlp;

/// Settings of one sync.
#[derive(Debug, Clone)]
pub struct Options {
    /// Target directory.
    pub dir: PathBuf,
    /// Audio format.
    pub format: Format,
    /// Tracks processed at once.
    pub jobs: usize,
    /// Where audio is looked for.
    pub source: Source,
    /// Where YouTube Music is searched (default `https://music.youtube.com`).
    pub ytmusic_base: Option<url::Url>,
    /// File name template (see [`crate::names`]).
    pub template: String,
    /// Remove files no synced playlist keeps any more.
    pub delete: bool,
    /// Plan (and resolve) only; the directory is not touched.
    pub dry_run: bool,
    /// yt-dlp executable (default: `yt-dlp` on `PATH`).
    pub ytdlp: Option<PathBuf>,
    /// ffmpeg executable (default: `ffmpeg` on `PATH`).
    pub ffmpeg: Option<PathBuf>,
    /// Attempts after the first for transient failures.
    pub retries: u32,
    /// The matcher.
    pub matcher: Matcher,
}

impl Options {
    /// Defaults: Opus, 4 jobs, YouTube Music, `{artist} - {title}`, 3 retries.
    pub fn new(dir: PathBuf) -> Options {
        Options {
            dir,
            format: Format::Opus,
            jobs: 4,
            source: Source::YouTubeMusic,
            ytmusic_base: None,
            template: names::DEFAULT_TEMPLATE.to_owned(),
            delete: false,
            dry_run: false,
            ytdlp: None,
            ffmpeg: None,
            retries: 3,
            matcher: Matcher::default(),
        }
    }
}

/// A stage of a track's way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Looking for a source.
    Resolve,
    /// Downloading.
    Download,
    /// Converting with ffmpeg.
    Convert,
    /// Writing tags.
    Tag,
    /// Moving into place and indexing.
    Index,
}

/// A candidate as shown in reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CandidateReport {
    /// Its title.
    pub title: String,
    /// Its URL.
    pub url: String,
    /// Its score.
    pub score: f64,
}

impl From<&Scored> for CandidateReport {
    fn from(s: &Scored) -> Self {
        CandidateReport {
            title: s.candidate.title.clone(),
            url: s.candidate.url.clone(),
            score: s.score,
        }
    }
}

/// A track that could not be synced.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Failure {
    /// Spotify id.
    pub id: String,
    /// Spotify URI.
    pub uri: String,
    /// "Artist - Title".
    pub label: String,
    /// Where it failed.
    pub stage: Stage,
    /// Why.
    pub reason: String,
    /// For unmatched tracks: the best candidates with their scores.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub candidates: Vec<CandidateReport>,
}

/// What the plan does with a track or file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Download, convert and tag it.
    Download,
    /// Already there and matching the manifest.
    Keep,
    /// Delete the file (`--delete`, no synced playlist keeps it).
    Delete,
    /// No source good enough (dry run).
    Unmatched,
}

/// One line of the plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanItem {
    /// What happens.
    pub action: Action,
    /// Spotify id.
    pub id: String,
    /// "Artist - Title".
    pub label: String,
    /// File, relative to the target directory.
    pub file: String,
    /// The chosen source (dry run, downloads).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Its score.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
}

/// A playlist as synced.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlaylistReport {
    /// Name on Spotify.
    pub name: String,
    /// Its M3U8, relative to the target directory.
    pub m3u: String,
    /// Tracks in it (synced or not).
    pub tracks: usize,
    /// Tracks with a file.
    pub present: usize,
}

/// What a sync did (or, with `dry_run`, would do).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    /// Plan only.
    pub dry_run: bool,
    /// Distinct tracks in the selection.
    pub tracks: usize,
    /// Files downloaded and written.
    pub downloaded: usize,
    /// Files found in place from an interrupted run and taken into the manifest.
    pub adopted: usize,
    /// Files already present and kept.
    pub kept: usize,
    /// Files deleted.
    pub deleted: usize,
    /// Tracks that failed.
    pub failed: Vec<Failure>,
    /// Entries skipped (local files, episodes).
    pub skipped: Vec<Skipped>,
    /// Playlists Spotify would not list: (name, reason).
    pub refused: Vec<(String, String)>,
    /// The playlists written.
    pub playlists: Vec<PlaylistReport>,
    /// The plan (always filled for a dry run).
    pub plan: Vec<PlanItem>,
}

/// Progress, for bars and `--json` event streams.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    /// The tools were found.
    Checked {
        /// yt-dlp's version, when it is needed.
        ytdlp: Option<String>,
        /// ffmpeg's version line, when it is needed.
        ffmpeg: Option<String>,
    },
    /// The tracks were read from Spotify.
    Fetched {
        /// Collections read.
        collections: usize,
        /// Distinct tracks.
        tracks: usize,
        /// Entries skipped.
        skipped: usize,
    },
    /// The plan was made.
    Planned {
        /// Tracks to download.
        download: usize,
        /// Files kept.
        keep: usize,
        /// Files to delete.
        delete: usize,
    },
    /// A track entered a stage.
    Stage {
        /// Spotify id.
        id: String,
        /// "Artist - Title".
        label: String,
        /// The stage.
        stage: Stage,
    },
    /// A track's file is in place.
    Done {
        /// Spotify id.
        id: String,
        /// "Artist - Title".
        label: String,
        /// Its file.
        file: String,
        /// Taken over from an interrupted run instead of downloaded.
        adopted: bool,
    },
    /// A track failed.
    Failed(Failure),
    /// A file was deleted.
    Deleted {
        /// The file.
        file: String,
    },
    /// A plan line (dry run).
    Plan(PlanItem),
    /// The end.
    Finished {
        /// Files downloaded.
        downloaded: usize,
        /// Files kept.
        kept: usize,
        /// Files deleted.
        deleted: usize,
        /// Tracks failed.
        failed: usize,
    },
}

/// Receives events; called from the pipeline's tasks.
pub type OnEvent<'a> = &'a (dyn Fn(Event) + Send + Sync);

struct Work {
    track: TrackInfo,
    file: String,
    /// A previous file of this track in another format, removed once the new one is in place.
    replaces: Option<String>,
}

enum Outcome {
    Written { adopted: bool },
    Failed(Failure),
}

/// One album's cover, fetched at most once however many tracks ask at the same time.
type CoverCell = Arc<tokio::sync::OnceCell<Option<Vec<u8>>>>;

struct Ctx<'a> {
    opts: &'a Options,
    resolver: Resolver,
    ytdlp: Option<YtDlp>,
    ffmpeg: Option<Ffmpeg>,
    http: reqwest::Client,
    covers: Mutex<HashMap<String, CoverCell>>,
    manifest: Mutex<Manifest>,
    last_save: Mutex<Instant>,
    on_event: OnEvent<'a>,
}

fn fail(track: &TrackInfo, stage: Stage, reason: impl Into<String>) -> Failure {
    Failure {
        id: track.id.clone(),
        uri: track.uri.clone(),
        label: track.label(),
        stage,
        reason: reason.into(),
        candidates: Vec::new(),
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Runs a sync of `selection` into `opts.dir`.
pub async fn sync(
    spotify: &Spotify,
    selection: &Selection,
    opts: &Options,
    on_event: OnEvent<'_>,
) -> Result<Summary> {
    names::check_template(&opts.template).map_err(Error::Config)?;
    if opts.jobs == 0 {
        return Err(Error::Config("--jobs must be at least 1".into()));
    }
    if !opts.dry_run {
        check_dir(&opts.dir)?;
    }
    let needs_search = opts.source.searches_with_ytdlp();
    let ytdlp = if needs_search || !opts.dry_run {
        Some(YtDlp::locate(opts.ytdlp.as_deref()).await?)
    } else {
        None
    };
    let ffmpeg = if opts.dry_run {
        None
    } else {
        Some(Ffmpeg::locate(opts.ffmpeg.as_deref(), opts.format).await?)
    };
    on_event(Event::Checked {
        ytdlp: ytdlp.as_ref().map(|y| y.version().to_owned()),
        ffmpeg: ffmpeg.as_ref().map(|f| f.version().to_owned()),
    });
    let http = spotkit::http::client_builder()
        .map_err(|e| Error::Config(e.to_string()))?
        .timeout(Duration::from_secs(60))
        .build()
        .map_err(|e| Error::Config(format!("cannot build an HTTP client: {e}")))?;
    let resolver = Resolver::new(
        opts.source.clone(),
        &http,
        ytdlp.clone(),
        opts.matcher,
        opts.ytmusic_base.clone(),
    )
    .await?;

    let fetched = fetch(spotify, selection).await?;
    let mut summary = Summary {
        dry_run: opts.dry_run,
        refused: fetched.refused.clone(),
        ..Summary::default()
    };
    let mut unique: Vec<TrackInfo> = Vec::new();
    let mut seen = HashSet::new();
    for c in &fetched.collections {
        summary.skipped.extend(c.skipped.iter().cloned());
        for t in &c.tracks {
            if seen.insert(t.id.clone()) {
                unique.push(t.clone());
            }
        }
    }
    summary.tracks = unique.len();
    on_event(Event::Fetched {
        collections: fetched.collections.len(),
        tracks: unique.len(),
        skipped: summary.skipped.len(),
    });

    let manifest = Manifest::load(&opts.dir)?;
    let plan = plan(&manifest, &unique, &fetched.collections, selection, opts);
    on_event(Event::Planned {
        download: plan.work.len(),
        keep: plan.keep.len(),
        delete: plan.delete.len(),
    });
    summary.kept = plan.keep.len();

    let ctx = Ctx {
        opts,
        resolver,
        ytdlp,
        ffmpeg,
        http,
        covers: Mutex::new(HashMap::new()),
        manifest: Mutex::new(manifest),
        last_save: Mutex::new(Instant::now()),
        on_event,
    };

    if opts.dry_run {
        return Ok(dry_run(&ctx, plan, summary).await);
    }

    remove_stale_parts(&opts.dir);
    let outcomes: Vec<Outcome> = futures::stream::iter(plan.work.iter())
        .map(|w| ctx.process(w))
        .buffer_unordered(opts.jobs)
        .collect()
        .await;
    for o in outcomes {
        match o {
            Outcome::Written { adopted } => {
                if adopted {
                    summary.adopted += 1;
                } else {
                    summary.downloaded += 1;
                }
            }
            Outcome::Failed(f) => summary.failed.push(f),
        }
    }
    // Failures in playlist order, so the report reads like the playlist.
    let order: HashMap<&str, usize> = unique
        .iter()
        .enumerate()
        .map(|(i, t)| (t.id.as_str(), i))
        .collect();
    summary
        .failed
        .sort_by_key(|f| order.get(f.id.as_str()).copied().unwrap_or(usize::MAX));

    let mut manifest = lock(&ctx.manifest).clone();
    summary.playlists = write_playlists(&opts.dir, &mut manifest, &fetched.collections, &plan)?;
    for rel in &plan.delete {
        let path = index::resolve(&opts.dir, rel);
        match std::fs::remove_file(&path) {
            Ok(()) => {
                summary.deleted += 1;
                on_event(Event::Deleted { file: rel.clone() });
                remove_empty_parents(&opts.dir, &path);
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io("deleting", &path, e)),
        }
    }
    manifest
        .tracks
        .retain(|id, _| !plan.delete_ids.contains(id.as_str()));
    manifest.save(&opts.dir)?;
    write_errors(&opts.dir, &summary)?;
    // Tools of a run killed earlier may have finished writing their temporary files since.
    remove_stale_parts(&opts.dir);
    on_event(Event::Finished {
        downloaded: summary.downloaded,
        kept: summary.kept,
        deleted: summary.deleted,
        failed: summary.failed.len(),
    });
    Ok(summary)
}

fn check_dir(dir: &Path) -> Result<()> {
    let err = |source| Error::Dir {
        path: dir.to_path_buf(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(err)?;
    let probe = dir.join(format!(".spotkit-write-test-{}.part", std::process::id()));
    std::fs::write(&probe, b"").map_err(err)?;
    std::fs::remove_file(&probe).map_err(err)?;
    Ok(())
}

/// Removes `.spotkit-*.part` files below `dir` (temporary files of this program only).
fn remove_stale_parts(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let Ok(kind) = e.file_type() else { continue };
        let name = e.file_name().to_string_lossy().into_owned();
        if kind.is_dir() {
            remove_stale_parts(&e.path());
        } else if kind.is_file()
            && name.starts_with(".spotkit-")
            && Path::new(&name)
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("part"))
        {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

fn remove_empty_parents(root: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d == root || !d.starts_with(root) || std::fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

struct Plan {
    work: Vec<Work>,
    keep: Vec<(TrackInfo, String)>,
    /// Files to delete (relative).
    delete: Vec<String>,
    delete_ids: HashSet<String>,
    /// Playlists to drop from the manifest (deleted on Spotify), with their M3U8s.
    drop_playlists: Vec<String>,
}

fn file_ok(dir: &Path, e: &Entry) -> bool {
    std::fs::metadata(index::resolve(dir, &e.file)).is_ok_and(|m| m.is_file() && m.len() == e.size)
}

fn plan(
    manifest: &Manifest,
    unique: &[TrackInfo],
    collections: &[Collection],
    selection: &Selection,
    opts: &Options,
) -> Plan {
    let ext = opts.format.ext();
    // Every name the manifest holds stays taken by its track.
    let mut taken: HashMap<String, String> = manifest
        .tracks
        .iter()
        .map(|(id, e)| (names::fold(&e.file), id.clone()))
        .collect();
    let mut work = Vec::new();
    let mut keep = Vec::new();
    for t in unique {
        let old = manifest.tracks.get(&t.id);
        if let Some(e) = old.filter(|e| e.format == opts.format && file_ok(&opts.dir, e)) {
            keep.push((t.clone(), e.file.clone()));
            continue;
        }
        let file = if let Some(e) = old.filter(|e| e.format == opts.format) {
            e.file.clone()
        } else {
            let stem = names::render(&opts.template, t);
            let file = format!("{stem}.{ext}");
            if taken.get(&names::fold(&file)).is_some_and(|id| id != &t.id) {
                format!("{stem} [{}].{ext}", t.id)
            } else {
                file
            }
        };
        taken.insert(names::fold(&file), t.id.clone());
        work.push(Work {
            track: t.clone(),
            replaces: old.map(|e| e.file.clone()).filter(|f| f != &file),
            file,
        });
    }
    let mut drop_playlists = Vec::new();
    let mut delete = Vec::new();
    let mut delete_ids = HashSet::new();
    if opts.delete {
        let mut playlists = manifest.playlists.clone();
        for c in collections {
            playlists.insert(
                c.key.clone(),
                PlaylistEntry {
                    name: c.name.clone(),
                    m3u: String::new(),
                    tracks: c.tracks.iter().map(|t| t.id.clone()).collect(),
                },
            );
        }
        // Listing the whole library tells which playlists are gone from it.
        if matches!(selection, Selection::Playlists | Selection::All) {
            let present: HashSet<&str> = collections.iter().map(|c| c.key.as_str()).collect();
            for key in manifest.playlists.keys() {
                if key != crate::fetch::LIKED_KEY && !present.contains(key.as_str()) {
                    drop_playlists.push(key.clone());
                    playlists.remove(key);
                }
            }
        }
        let kept: HashSet<&str> = playlists
            .values()
            .flat_map(|p| p.tracks.iter().map(String::as_str))
            .collect();
        for (id, e) in &manifest.tracks {
            if !kept.contains(id.as_str()) {
                delete.push(e.file.clone());
                delete_ids.insert(id.clone());
            }
        }
    }
    Plan {
        work,
        keep,
        delete,
        delete_ids,
        drop_playlists,
    }
}

async fn dry_run(ctx: &Ctx<'_>, plan: Plan, mut summary: Summary) -> Summary {
    let resolved: Vec<(usize, PlanItem)> = futures::stream::iter(plan.work.iter().enumerate())
        .map(|(i, w)| async move {
            let decision = ctx.resolver.resolve(&w.track).await;
            let (action, source, score) = match decision {
                Ok(Decision::Matched(s)) => (
                    Action::Download,
                    Some(s.candidate.url.clone()),
                    Some(s.score),
                ),
                Ok(Decision::Unmatched { best }) => {
                    (Action::Unmatched, None, best.first().map(|b| b.score))
                }
                Err(e) => {
                    tracing::warn!("resolving {} failed: {}", w.track.label(), e.message);
                    (Action::Download, None, None)
                }
            };
            (
                i,
                PlanItem {
                    action,
                    id: w.track.id.clone(),
                    label: w.track.label(),
                    file: w.file.clone(),
                    source,
                    score,
                },
            )
        })
        .buffer_unordered(ctx.opts.jobs)
        .collect()
        .await;
    let mut resolved = resolved;
    resolved.sort_by_key(|(i, _)| *i);
    let mut items: Vec<PlanItem> = resolved.into_iter().map(|(_, p)| p).collect();
    items.extend(plan.keep.iter().map(|(t, file)| PlanItem {
        action: Action::Keep,
        id: t.id.clone(),
        label: t.label(),
        file: file.clone(),
        source: None,
        score: None,
    }));
    let manifest = lock(&ctx.manifest);
    for (id, e) in &manifest.tracks {
        if plan.delete_ids.contains(id) {
            items.push(PlanItem {
                action: Action::Delete,
                id: id.clone(),
                label: e.label.clone(),
                file: e.file.clone(),
                source: None,
                score: None,
            });
        }
    }
    for item in &items {
        (ctx.on_event)(Event::Plan(item.clone()));
    }
    summary.deleted = 0;
    summary.plan = items;
    summary
}

fn sha256_file(path: &Path) -> std::io::Result<(String, u64)> {
    use std::io::Read as _;
    let mut f = std::fs::File::open(path)?;
    let mut hasher = sha2::Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut size = 0u64;
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        size += n as u64;
        hasher.update(&buf[..n]);
    }
    let hex = hasher
        .finalize()
        .iter()
        .fold(String::with_capacity(64), |mut s, b| {
            use std::fmt::Write as _;
            let _ = write!(s, "{b:02x}");
            s
        });
    Ok((hex, size))
}

async fn backoff(attempt: u32) {
    tokio::time::sleep(Duration::from_millis(250u64 << attempt.min(6))).await;
}

impl Ctx<'_> {
    fn stage(&self, track: &TrackInfo, stage: Stage) {
        (self.on_event)(Event::Stage {
            id: track.id.clone(),
            label: track.label(),
            stage,
        });
    }

    async fn process(&self, w: &Work) -> Outcome {
        match self.try_process(w).await {
            Ok((entry, adopted)) => {
                (self.on_event)(Event::Done {
                    id: w.track.id.clone(),
                    label: w.track.label(),
                    file: entry.file.clone(),
                    adopted,
                });
                Outcome::Written { adopted }
            }
            Err(f) => {
                (self.on_event)(Event::Failed(f.clone()));
                Outcome::Failed(f)
            }
        }
    }

    async fn resolve(&self, track: &TrackInfo) -> Result<Scored, Failure> {
        self.stage(track, Stage::Resolve);
        let mut attempt = 0;
        loop {
            match self.resolver.resolve(track).await {
                Ok(Decision::Matched(s)) => return Ok(s),
                Ok(Decision::Unmatched { best }) => {
                    let mut f = fail(
                        track,
                        Stage::Resolve,
                        if best.is_empty() {
                            "no candidate found".to_owned()
                        } else {
                            format!(
                                "no candidate good enough (best score {:.2}, {} needed)",
                                best[0].score, self.opts.matcher.threshold
                            )
                        },
                    );
                    f.candidates = best.iter().map(CandidateReport::from).collect();
                    return Err(f);
                }
                Err(e) if e.transient && attempt < self.opts.retries => {
                    backoff(attempt).await;
                    attempt += 1;
                }
                Err(e) => return Err(fail(track, Stage::Resolve, e.message)),
            }
        }
    }

    async fn try_process(&self, w: &Work) -> Result<(Entry, bool), Failure> {
        let t = &w.track;
        let chosen = self.resolve(t).await?;
        let dir = &self.opts.dir;
        let target = index::resolve(dir, &w.file);
        let parent = target.parent().unwrap_or(dir).to_path_buf();
        let duration_ok = chosen
            .candidate
            .duration
            .is_none_or(|d| (d - t.duration_secs()).abs() <= self.opts.matcher.max_duration_diff);

        // A file renamed into place by a run that was killed before it updated the manifest.
        if let Ok(existing) = tag::read(&target)
            && existing.spotify_uri.as_deref() == Some(t.uri.as_str())
            && existing.source.as_deref() == Some(chosen.candidate.url.as_str())
            && Format::from_path(&target) == Some(self.opts.format)
        {
            let entry = self
                .entry(w, &chosen, &target, existing.duration_secs, duration_ok)
                .map_err(|e| fail(t, Stage::Index, e))?;
            self.record(w, entry.clone());
            return Ok((entry, true));
        }

        std::fs::create_dir_all(&parent).map_err(|e| {
            fail(
                t,
                Stage::Download,
                format!("cannot create {}: {e}", parent.display()),
            )
        })?;
        let pid = std::process::id();
        let src = parent.join(format!(".spotkit-{}-{pid}.src.part", t.id));
        let out = parent.join(format!(
            ".spotkit-{}-{pid}.{}.part",
            t.id,
            self.opts.format.ext()
        ));
        let result = self
            .produce(w, &chosen, &src, &out, &target, duration_ok)
            .await;
        let _ = std::fs::remove_file(&src);
        if result.is_err() {
            let _ = std::fs::remove_file(&out);
        }
        let entry = result?;
        self.record(w, entry.clone());
        Ok((entry, false))
    }

    async fn produce(
        &self,
        w: &Work,
        chosen: &Scored,
        src: &Path,
        out: &Path,
        target: &Path,
        duration_ok: bool,
    ) -> Result<Entry, Failure> {
        let t = &w.track;
        let (Some(ytdlp), Some(ffmpeg)) = (&self.ytdlp, &self.ffmpeg) else {
            return Err(fail(
                t,
                Stage::Download,
                "yt-dlp and ffmpeg are needed to download",
            ));
        };
        self.stage(t, Stage::Download);
        let direct = matches!(self.opts.source, Source::Catalog(_));
        let mut attempt = 0;
        loop {
            match ytdlp.download(&chosen.candidate.url, src, direct).await {
                Ok(()) => break,
                Err(e) if e.transient && attempt < self.opts.retries => {
                    tracing::info!("download of {} failed, retrying: {}", t.label(), e.message);
                    let _ = std::fs::remove_file(src);
                    backoff(attempt).await;
                    attempt += 1;
                }
                Err(e) => {
                    return Err(fail(
                        t,
                        Stage::Download,
                        format!(
                            "yt-dlp could not download {}: {}",
                            chosen.candidate.url, e.message
                        ),
                    ));
                }
            }
        }
        self.stage(t, Stage::Convert);
        ffmpeg
            .convert(src, out, self.opts.format)
            .await
            .map_err(|e| fail(t, Stage::Convert, e))?;
        self.stage(t, Stage::Tag);
        let cover = self.cover(t).await;
        let file_secs = tag::read(out).map_or(0.0, |r| r.duration_secs);
        let check = DurationCheck {
            spotify: t.duration_secs(),
            source: chosen.candidate.duration,
            file: (file_secs * 10.0).round() / 10.0,
            ok: duration_ok,
        };
        let provenance = Provenance {
            source_url: chosen.candidate.url.clone(),
            duration_check: check.describe(),
        };
        tag::write(out, self.opts.format, t, cover.as_deref(), &provenance)
            .map_err(|e| fail(t, Stage::Tag, e))?;
        self.stage(t, Stage::Index);
        // fsync before the rename: after a crash the final name holds all of the data or nothing.
        std::fs::File::open(out)
            .and_then(|f| f.sync_all())
            .map_err(|e| {
                fail(
                    t,
                    Stage::Index,
                    format!("cannot flush {}: {e}", out.display()),
                )
            })?;
        let entry = self
            .entry(w, chosen, out, file_secs, duration_ok)
            .map_err(|e| fail(t, Stage::Index, e))?;
        std::fs::rename(out, target).map_err(|e| {
            fail(
                t,
                Stage::Index,
                format!("cannot move the file to {}: {e}", target.display()),
            )
        })?;
        if let Some(old) = &w.replaces {
            let old_path = index::resolve(&self.opts.dir, old);
            let _ = std::fs::remove_file(&old_path);
            remove_empty_parents(&self.opts.dir, &old_path);
        }
        Ok(entry)
    }

    fn entry(
        &self,
        w: &Work,
        chosen: &Scored,
        path: &Path,
        file_secs: f64,
        duration_ok: bool,
    ) -> Result<Entry, String> {
        let (sha256, size) =
            sha256_file(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        Ok(Entry {
            file: w.file.clone(),
            uri: w.track.uri.clone(),
            label: w.track.label(),
            source: chosen.candidate.url.clone(),
            score: chosen.score,
            isrc_match: chosen.parts.isrc,
            format: self.opts.format,
            sha256,
            size,
            duration: DurationCheck {
                spotify: w.track.duration_secs(),
                source: chosen.candidate.duration,
                file: (file_secs * 10.0).round() / 10.0,
                ok: duration_ok,
            },
        })
    }

    /// Puts an entry into the manifest and saves it now and then (a killed run loses at most
    /// the last second; those files are adopted by the next run).
    fn record(&self, w: &Work, entry: Entry) {
        let mut m = lock(&self.manifest);
        m.tracks.insert(w.track.id.clone(), entry);
        let mut last = lock(&self.last_save);
        if last.elapsed() >= Duration::from_secs(1) {
            if let Err(e) = m.save(&self.opts.dir) {
                tracing::warn!("{e}");
            }
            *last = Instant::now();
        }
    }

    /// The album's cover, fetched once per album.
    async fn cover(&self, t: &TrackInfo) -> Option<Vec<u8>> {
        let url = t.cover_url.clone()?;
        let key = t.album_id.clone().unwrap_or_else(|| url.clone());
        let cell = lock(&self.covers).entry(key).or_default().clone();
        cell.get_or_init(|| async {
            for attempt in 0..3u32 {
                if attempt > 0 {
                    backoff(attempt).await;
                }
                match self.http.get(&url).send().await {
                    Ok(r) if r.status().is_success() => {
                        if let Ok(b) = r.bytes().await {
                            return Some(b.to_vec());
                        }
                    }
                    Ok(r) if r.status().is_client_error() => return None,
                    _ => {}
                }
            }
            tracing::warn!("no cover art for {}: {url} could not be fetched", t.label());
            None
        })
        .await
        .clone()
    }
}

impl Format {
    /// The format a file name's extension says.
    pub fn from_path(path: &Path) -> Option<Format> {
        path.extension()?.to_str()?.parse().ok()
    }
}

fn write_playlists(
    dir: &Path,
    manifest: &mut Manifest,
    collections: &[Collection],
    plan: &Plan,
) -> Result<Vec<PlaylistReport>> {
    for key in &plan.drop_playlists {
        if let Some(p) = manifest.playlists.remove(key) {
            let _ = std::fs::remove_file(index::resolve(dir, &p.m3u));
        }
    }
    // M3U8 names, unique among all playlists of the manifest.
    let mut taken: HashMap<String, String> = manifest
        .playlists
        .iter()
        .filter(|(k, _)| !collections.iter().any(|c| &c.key == *k))
        .map(|(k, p)| (names::fold(&p.m3u), k.clone()))
        .collect();
    let mut reports = Vec::new();
    for c in collections {
        let stem = names::sanitize(&c.name);
        let mut m3u = format!("{stem}.m3u8");
        if taken.get(&names::fold(&m3u)).is_some_and(|k| k != &c.key)
            || m3u == index::MANIFEST
            || m3u == index::ERRORS
        {
            m3u = format!("{stem} [{}].m3u8", c.key);
        }
        taken.insert(names::fold(&m3u), c.key.clone());
        let items: Vec<M3uItem> = c
            .tracks
            .iter()
            .filter_map(|t| {
                manifest.tracks.get(&t.id).map(|e| M3uItem {
                    seconds: t.duration_ms.div_ceil(1000),
                    label: t.label(),
                    path: e.file.clone(),
                })
            })
            .collect();
        index::write_atomic(
            &index::resolve(dir, &m3u),
            index::m3u8(&c.name, &items).as_bytes(),
        )?;
        if let Some(old) = manifest.playlists.get(&c.key)
            && old.m3u != m3u
        {
            let _ = std::fs::remove_file(index::resolve(dir, &old.m3u));
        }
        reports.push(PlaylistReport {
            name: c.name.clone(),
            m3u: m3u.clone(),
            tracks: c.tracks.len(),
            present: items.len(),
        });
        manifest.playlists.insert(
            c.key.clone(),
            PlaylistEntry {
                name: c.name.clone(),
                m3u,
                tracks: c.tracks.iter().map(|t| t.id.clone()).collect(),
            },
        );
    }
    Ok(reports)
}

fn write_errors(dir: &Path, summary: &Summary) -> Result<()> {
    #[derive(Serialize)]
    struct Report<'a> {
        errors: &'a [Failure],
        skipped: &'a [Skipped],
        refused_playlists: Vec<BTreeMap<&'static str, &'a str>>,
    }
    let report = Report {
        errors: &summary.failed,
        skipped: &summary.skipped,
        refused_playlists: summary
            .refused
            .iter()
            .map(|(n, r)| BTreeMap::from([("name", n.as_str()), ("reason", r.as_str())]))
            .collect(),
    };
    let mut bytes = serde_json::to_vec_pretty(&report)
        .map_err(|e| Error::Config(format!("cannot encode the error report: {e}")))?;
    bytes.push(b'\n');
    index::write_atomic(&dir.join(index::ERRORS), &bytes)
}
