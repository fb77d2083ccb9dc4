//! The pipeline: checks, fetch, plan, then per track resolve → download → convert → tag →
//! rename, `--jobs` tracks at a time, then the index (M3U8s, deletions, manifest, error report).
//!
//! Crash safety: every file is produced under a `.spotkit-<id>-<pid>.*.part` name and renamed
//! into place only when converted, tagged and hashed. The manifest is rewritten atomically
//! while the run goes on; a file that made it into place but not yet into the manifest is
//! recognised on the next run by its tags (same Spotify URI and source) and adopted without a
//! download. Stale `.part` files of a killed run are removed at the start and end of a run.
//!
//! One run at a time per directory: [`crate::dir_lock`] refuses a second one, naming the first.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use futures::StreamExt as _;
use spotkit::Spotify;

use crate::dir_lock;
use crate::dry_run::dry_run;
use crate::error::{Error, Result, io};
use crate::fetch::{Selection, fetch};
use crate::ffmpeg::Ffmpeg;
use crate::files::{check_dir, remove_empty_parents, remove_stale_parts};
use crate::index::{self, Manifest};
use crate::lyrics::lrclib::Lrclib;
use crate::names;
use crate::options::Options;
use crate::outputs::{write_errors, write_playlists};
use crate::plan::plan;
use crate::report::{Event, OnEvent, Summary};
use crate::resolve::Resolver;
use crate::track::TrackInfo;
use crate::worker::{Ctx, Outcome, lock};
use crate::ytdlp::YtDlp;

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
    if let Some(kbps) = opts.bitrate {
        opts.format.check_bitrate(kbps).map_err(Error::Config)?;
    }
    if let Some(cookies) = &opts.cookies
        && !cookies.is_file()
    {
        return Err(Error::Config(format!(
            "the cookies file {} does not exist; export your browser's cookies to it in Netscape format (yt-dlp's FAQ says how) or drop --cookies",
            cookies.display()
        )));
    }
    // Held to the end of the run: two runs in one folder would delete each other's files.
    let _lock = if opts.dry_run {
        None
    } else {
        check_dir(&opts.dir)?;
        Some(dir_lock::acquire(&opts.dir)?)
    };
    // A catalogue's files are downloaded in-process: yt-dlp is for YouTube.
    let needs_ytdlp =
        opts.source.searches_with_ytdlp() || !opts.dry_run && opts.source.downloads_with_ytdlp();
    let ffmpeg = if opts.dry_run {
        None
    } else {
        Some(Ffmpeg::locate(opts.ffmpeg.as_deref(), opts.format).await?)
    };
    let ytdlp = if needs_ytdlp {
        let mut y = YtDlp::locate(opts.ytdlp.as_deref()).await?;
        if let Some(cookies) = &opts.cookies {
            y = y.with_cookies(cookies.clone());
        }
        if opts.sponsorblock
            && let Some(f) = &ffmpeg
        {
            let api = base_url(
                opts.sponsorblock_base.as_ref(),
                crate::ytdlp::SPONSORBLOCK_DEFAULT_BASE,
            )?;
            y = y.with_sponsorblock(api, f.path().to_path_buf());
        }
        Some(y)
    } else {
        None
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

    let lrclib = if opts.lyrics && !opts.dry_run {
        let base = base_url(
            opts.lrclib_base.as_ref(),
            crate::lyrics::lrclib::DEFAULT_BASE,
        )?;
        Some(Lrclib::new(http.clone(), &base))
    } else {
        None
    };

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
    for c in &plan.clashes {
        on_event(Event::Clash(c.clone()));
    }
    summary.clashes = plan.clashes.clone();

    let ctx = Ctx {
        opts,
        resolver,
        ytdlp,
        ffmpeg,
        http,
        lrclib,
        notes: Mutex::new(Vec::new()),
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
            Outcome::Written { adopted, lyrics } => {
                if adopted {
                    summary.adopted += 1;
                } else {
                    summary.downloaded += 1;
                }
                summary.lyrics += usize::from(lyrics);
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
    summary.notes = std::mem::take(&mut *lock(&ctx.notes));
    summary
        .notes
        .sort_by_key(|n| order.get(n.id.as_str()).copied().unwrap_or(usize::MAX));

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
    // The lyrics go with their audio file (not counted: the count is of tracks).
    for rel in &plan.delete_lyrics {
        let path = index::resolve(&opts.dir, rel);
        match std::fs::remove_file(&path) {
            Ok(()) => remove_empty_parents(&opts.dir, &path),
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

/// `given`, else `default` (a constant, checked by the tests).
fn base_url(given: Option<&url::Url>, default: &str) -> Result<url::Url> {
    match given {
        Some(u) => Ok(u.clone()),
        None => url::Url::parse(default)
            .map_err(|e| Error::Config(format!("the default URL {default} is invalid: {e}"))),
    }
}
