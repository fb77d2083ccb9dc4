//! `spotkit sync`: liked songs and playlists as tagged audio files in a folder, through yt-dlp
//! and ffmpeg (the engine is the `spotkit-sync` crate; this is its command line and progress).

use std::collections::HashMap;
use std::io::Write as _;
use std::path::PathBuf;
use std::sync::Mutex;

use anyhow::{Result, anyhow};
use indicatif::{ProgressBar, ProgressStyle};
use spotkit_sync::{Action, Event, Format, Options, Selection, Source, Stage};

use crate::config::Settings;
use crate::hint::Hinted;

/// Flags of `spotkit sync`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Needs yt-dlp (https://github.com/yt-dlp/yt-dlp) and ffmpeg on PATH, or --yt-dlp/--ffmpeg.

Examples:
  spotkit sync liked --to ~/Music/spotkit
  spotkit sync playlist \"Road Trip\" --to ~/Music/spotkit --format m4a
  spotkit sync all --to ~/Music/spotkit --delete --dry-run
  spotkit sync playlists --to /media/card --format mp3 --template '{album_artist}/{album}/{track_number} {title}'
  spotkit sync liked --to music --source catalog:http://nas.local:8080/catalog.json
  spotkit sync liked --to music --format mp3 --bitrate 320 --sponsorblock --no-lyrics")]
pub struct SyncArgs {
    #[command(subcommand)]
    what: What,
    /// The music folder (created if missing).
    #[arg(long, global = true, value_name = "DIR")]
    to: Option<PathBuf>,
    /// Audio format.
    #[arg(long, short, global = true, default_value = "opus", value_parser = parse_format)]
    format: Format,
    /// Tracks processed at once.
    #[arg(long, short, global = true, default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=32))]
    jobs: u16,
    /// Where to look for audio: youtube-music, youtube, or `catalog:<URL>` (a JSON catalogue).
    #[arg(long, global = true, default_value = "youtube-music", value_parser = parse_source)]
    source: Source,
    /// Where YouTube Music is searched (its innertube API); a local server replaying recorded
    /// answers in tests.
    #[arg(
        long = "search-base-url",
        global = true,
        env = "SPOTKIT_YTMUSIC_BASE",
        value_name = "URL",
        default_value = spotkit_sync::ytmusic::DEFAULT_BASE
    )]
    search_base_url: url::Url,
    /// File names; placeholders {artist} {artists} {title} {album} {album_artist}
    /// {track_number} {disc_number} {year} {isrc} {id}; `/` makes folders.
    #[arg(long, global = true, default_value = spotkit_sync::names::DEFAULT_TEMPLATE, value_parser = parse_template)]
    template: String,
    /// Delete files that no synced playlist keeps any more.
    #[arg(long, global = true)]
    delete: bool,
    /// Show what would be downloaded, kept and deleted; change nothing.
    #[arg(long, global = true)]
    dry_run: bool,
    /// The yt-dlp executable.
    #[arg(
        long = "yt-dlp",
        global = true,
        env = "SPOTKIT_YTDLP",
        value_name = "PATH"
    )]
    ytdlp: Option<PathBuf>,
    /// The ffmpeg executable.
    #[arg(long, global = true, env = "SPOTKIT_FFMPEG", value_name = "PATH")]
    ffmpeg: Option<PathBuf>,
    /// Look lyrics up on LRCLIB and embed them; synced ones also go beside the file as `.lrc`
    /// (the default).
    #[arg(long, global = true, overrides_with = "no_lyrics")]
    lyrics: bool,
    /// Do not look lyrics up.
    #[arg(long, global = true, overrides_with = "lyrics")]
    no_lyrics: bool,
    /// Where LRCLIB is; a local server in tests.
    #[arg(
        long = "lyrics-base-url",
        global = true,
        env = "SPOTKIT_LRCLIB_BASE",
        value_name = "URL",
        default_value = spotkit_sync::lyrics::lrclib::DEFAULT_BASE
    )]
    lyrics_base_url: url::Url,
    /// Encoder bitrate in kbit/s (opus 6-510, m4a and mp3 32-320; mp3 becomes constant-rate;
    /// not for flac).
    #[arg(long, global = true, value_name = "KBPS")]
    bitrate: Option<u32>,
    /// A cookies file (Netscape format) for yt-dlp, e.g. for age-restricted videos.
    #[arg(long, global = true, value_name = "FILE")]
    cookies: Option<PathBuf>,
    /// Cut the non-music parts SponsorBlock knows of (intros, outros, talk) out of YouTube
    /// downloads, through yt-dlp.
    #[arg(long, global = true)]
    sponsorblock: bool,
    /// Where SponsorBlock's API is.
    #[arg(
        long = "sponsorblock-base-url",
        global = true,
        env = "SPOTKIT_SPONSORBLOCK_BASE",
        value_name = "URL",
        default_value = spotkit_sync::ytdlp::SPONSORBLOCK_DEFAULT_BASE
    )]
    sponsorblock_base_url: url::Url,
}

/// What to sync.
#[derive(Debug, Clone, clap::Subcommand)]
pub enum What {
    /// Your liked songs.
    Liked,
    /// One playlist, by id, `spotify:playlist:` URI, open.spotify.com URL or exact name.
    Playlist {
        /// Id, URI, URL or name.
        playlist: String,
    },
    /// Every playlist in your library.
    Playlists,
    /// Liked songs and every playlist.
    All,
}

fn parse_format(s: &str) -> Result<Format, String> {
    s.parse()
}

fn parse_source(s: &str) -> Result<Source, String> {
    s.parse()
}

/// What a sync stopped by the quota kept: Spotify is read before anything in the folder changes.
const NOTHING_SYNCED: &str = "nothing was downloaded, changed or deleted in the music folder";

/// Runs `spotkit sync`.
pub async fn run(settings: &Settings, args: SyncArgs) -> Result<()> {
    let Some(dir) = args.to.clone() else {
        return Err(anyhow!(Hinted::new(
            "no music folder given",
            "pass --to DIR, e.g. `spotkit sync liked --to ~/Music/spotkit`",
        )));
    };
    // Mistakes in the flags are said before Spotify is asked anything.
    if let Some(kbps) = args.bitrate {
        args.format.check_bitrate(kbps).map_err(|e| {
            anyhow!(Hinted::new(
                e,
                "see `spotkit sync --help` for each format's range"
            ))
        })?;
    }
    if let Some(cookies) = args.cookies.as_ref().filter(|c| !c.is_file()) {
        return Err(anyhow!(Hinted::new(
            format!("the cookies file {} does not exist", cookies.display()),
            "export your browser's cookies to a file in Netscape format (yt-dlp's FAQ says how), or drop --cookies",
        )));
    }
    let spotify = settings.logged_in_client().await?;
    let selection = match &args.what {
        What::Liked => Selection::Liked,
        What::Playlists => Selection::Playlists,
        What::All => Selection::All,
        What::Playlist { playlist } => Selection::Playlist(
            crate::cmd::export::resolve_playlist(&spotify, playlist)
                .await
                .map_err(|e| crate::hint::on_quota(e, NOTHING_SYNCED))?,
        ),
    };
    let mut opts = Options::new(dir.clone());
    opts.format = args.format;
    opts.jobs = usize::from(args.jobs);
    opts.source = args.source.clone();
    opts.ytmusic_base = Some(args.search_base_url.clone());
    opts.template = args.template.clone();
    opts.delete = args.delete;
    opts.dry_run = args.dry_run;
    opts.ytdlp = args.ytdlp.clone();
    opts.ffmpeg = args.ffmpeg.clone();
    opts.lyrics = !args.no_lyrics;
    opts.lrclib_base = Some(args.lyrics_base_url.clone());
    opts.bitrate = args.bitrate;
    opts.cookies = args.cookies.clone();
    opts.sponsorblock = args.sponsorblock;
    opts.sponsorblock_base = Some(args.sponsorblock_base_url.clone());

    let progress = Progress::new(settings.json || settings.quiet || args.dry_run);
    let json = settings.json;
    let on_event = |event: Event| {
        if json {
            if let Ok(line) = serde_json::to_string(&event) {
                let mut out = std::io::stdout().lock();
                let _ = writeln!(out, "{line}");
            }
        } else {
            progress.update(&event);
        }
    };
    let summary = spotkit_sync::sync(&spotify, &selection, &opts, &on_event).await;
    progress.finish();
    let summary = summary.map_err(|e| {
        if matches!(&e, spotkit_sync::Error::Spotify { source, .. } if source.is_quota_exceeded()) {
            // Spotify is only read while listing the tracks, before any download or deletion.
            return crate::hint::on_quota(anyhow::Error::new(e), NOTHING_SYNCED);
        }
        let hint = match &e {
            spotkit_sync::Error::Tool { .. } => {
                "`spotkit sync` drives yt-dlp and ffmpeg; install them as said above"
            }
            spotkit_sync::Error::Dir { .. } => "pick a folder you can write to with --to",
            _ => "",
        };
        if hint.is_empty() {
            anyhow::Error::new(e)
        } else {
            anyhow!(Hinted::new(e.to_string(), hint))
        }
    })?;

    if json {
        // The last line of the event stream (docs/sync.md: one JSON object per line).
        #[derive(serde::Serialize)]
        struct Line<'a> {
            event: &'static str,
            #[serde(flatten)]
            summary: &'a spotkit_sync::Summary,
        }
        let line = serde_json::to_string(&Line {
            event: "summary",
            summary: &summary,
        })?;
        writeln!(std::io::stdout().lock(), "{line}")?;
    } else if summary.dry_run {
        print_plan(&summary)?;
    } else if !settings.quiet {
        for p in &summary.playlists {
            eprintln!(
                "{}: {} of {} tracks -> {}",
                p.name, p.present, p.tracks, p.m3u
            );
        }
        for c in &summary.clashes {
            eprintln!("{}", clash_line(c));
        }
        for (name, reason) in &summary.refused {
            eprintln!("skipped playlist `{name}`: {reason}");
        }
        if !summary.skipped.is_empty() {
            eprintln!(
                "skipped {} entries (local files, podcast episodes)",
                summary.skipped.len()
            );
        }
        eprintln!(
            "downloaded {}, kept {}, deleted {}{}, failed {}{} -> {}",
            summary.downloaded,
            summary.kept,
            summary.deleted,
            if summary.adopted > 0 {
                format!(", recovered {}", summary.adopted)
            } else {
                String::new()
            },
            summary.failed.len(),
            if summary.lyrics > 0 {
                format!(", with lyrics {}", summary.lyrics)
            } else {
                String::new()
            },
            dir.display()
        );
        for f in &summary.failed {
            eprintln!("  failed: {}: {}", f.label, f.reason);
        }
        for n in &summary.notes {
            eprintln!("  note: {}: {}", n.label, n.note);
        }
    }
    if summary.failed.is_empty() {
        Ok(())
    } else {
        Err(anyhow!(Hinted::new(
            format!(
                "{} of {} tracks could not be synced",
                summary.failed.len(),
                summary.tracks
            ),
            format!(
                "{} lists them with the best candidates found; run the same command again to retry",
                dir.join(spotkit_sync::index::ERRORS).display()
            ),
        )))
    }
}

fn print_plan(summary: &spotkit_sync::Summary) -> Result<()> {
    let mut out = std::io::stdout().lock();
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for item in &summary.plan {
        let word = match item.action {
            Action::Download => "download",
            Action::Keep => "keep",
            Action::Delete => "delete",
            Action::Unmatched => "unmatched",
            Action::DownloadAside => "aside",
        };
        *counts.entry(word).or_default() += 1;
        let mut notes = Vec::new();
        if let Some(theirs) = &item.instead_of {
            notes.push(format!("{theirs} is not spotkit's: left as it is"));
        }
        match (&item.source, item.score) {
            (Some(src), Some(score)) => notes.push(format!("score {score:.2}, {src}")),
            (None, Some(score)) => notes.push(format!("best score {score:.2}")),
            _ => {}
        }
        let extra = if notes.is_empty() {
            String::new()
        } else {
            format!("  ({})", notes.join("; "))
        };
        writeln!(out, "{word:<9} {}  ->  {}{extra}", item.label, item.file)?;
    }
    // Clashes of M3U8s (those of tracks are plan lines above).
    for c in &summary.clashes {
        if !summary
            .plan
            .iter()
            .any(|p| p.instead_of.as_ref() == Some(&c.file))
        {
            writeln!(out, "{}", clash_line(c))?;
        }
    }
    writeln!(
        out,
        "dry run: {} to download, {} to keep, {} to delete, {} without a match; nothing was changed",
        counts.get("download").unwrap_or(&0) + counts.get("aside").unwrap_or(&0),
        counts.get("keep").unwrap_or(&0),
        counts.get("delete").unwrap_or(&0),
        counts.get("unmatched").unwrap_or(&0),
    )?;
    Ok(())
}

/// A file spotkit left alone, as the summary and the dry run say it.
fn clash_line(c: &spotkit_sync::Clash) -> String {
    format!(
        "{} is not spotkit's: left as it is; {} synced as {}",
        c.file, c.label, c.used
    )
}

/// The overall bar plus per-stage counts.
struct Progress {
    bar: ProgressBar,
    counts: Mutex<HashMap<Stage, usize>>,
}

impl Progress {
    fn new(hidden: bool) -> Progress {
        let bar = if hidden {
            ProgressBar::hidden()
        } else {
            let bar = ProgressBar::new(0);
            if let Ok(style) = ProgressStyle::with_template(
                "{spinner} [{bar:30}] {pos}/{len} tracks {msg} ({elapsed})",
            ) {
                bar.set_style(style.progress_chars("=> "));
            }
            bar.set_message("reading your library");
            bar.enable_steady_tick(std::time::Duration::from_millis(120));
            bar
        };
        Progress {
            bar,
            counts: Mutex::new(HashMap::new()),
        }
    }

    fn update(&self, event: &Event) {
        let mut counts = self
            .counts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        match event {
            Event::Planned { download, keep, .. } => {
                self.bar.set_length(*download as u64);
                self.bar.set_message(format!("({keep} already there)"));
            }
            Event::Stage { stage, .. } => {
                *counts.entry(*stage).or_default() += 1;
            }
            Event::Done { .. } | Event::Failed(_) => {
                self.bar.inc(1);
                if let Event::Failed(f) = event {
                    self.bar
                        .println(format!("  failed: {}: {}", f.label, f.reason));
                }
            }
            _ => {}
        }
        if matches!(
            event,
            Event::Stage { .. } | Event::Done { .. } | Event::Failed(_)
        ) {
            let c = |s| counts.get(&s).copied().unwrap_or(0);
            self.bar.set_message(format!(
                "resolved {} · downloaded {} · converted {} · tagged {}",
                c(Stage::Resolve),
                c(Stage::Download),
                c(Stage::Convert),
                c(Stage::Tag)
            ));
        }
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// Checked while parsing, so a bad template is a usage error (exit 2) before anything is read.
fn parse_template(template: &str) -> Result<String, String> {
    spotkit_sync::names::check_template(template).map(|()| template.to_owned())
}
