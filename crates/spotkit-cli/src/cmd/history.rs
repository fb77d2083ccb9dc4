//! `spotkit history import|stats|report`: your listening history as a local database.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, anyhow};
use clap::{Args, Subcommand};
use serde::Serialize;
use spotkit_sync::run_lock::{LockError, RunLock, started_now};

use crate::config::Settings;
use crate::hint::Hinted;
use crate::history::parse::{is_history_file, parse_file};
use crate::history::report;
use crate::history::stats::{self, Range, parse_date};
use crate::history::store::{Counts, Store};
use crate::{output, source};

/// `spotkit history ...`.
#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// The history database (default: `history/<profile>.sqlite3` in the data dir).
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// What to do.
    #[command(subcommand)]
    pub action: Action,
}

/// The history subcommands.
#[derive(Debug, Subcommand)]
pub enum Action {
    /// Read streaming-history files (my_spotify_data.zip, my_spotify_extended_streaming_history.zip,
    /// their folders, or single StreamingHistory*.json / endsong_*.json /
    /// Streaming_History_*.json files) into the database. Plays already there are not added again.
    Import(ImportArgs),
    /// Totals, top tracks, artists, albums and shows, skips, listening by hour and month, streaks.
    Stats(StatsArgs),
    /// Write a self-contained HTML page with charts (no network needed to view it).
    Report(ReportArgs),
    /// Find Spotify URIs for account-data plays (which name their track only): from your
    /// extended history first, then by search (needs `spotkit login`). Each title and artist is
    /// looked up once, a miss included; a rerun continues where the last one stopped.
    Enrich(crate::cmd::history_enrich::EnrichArgs),
}

/// `spotkit history import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Zip archives, folders or history files.
    #[arg(required = true, value_name = "ZIP|FOLDER|FILE")]
    pub inputs: Vec<PathBuf>,
    /// Also store the fields that identify you or your connection (`ip_addr`, `username`,
    /// `user_agent_decrypted`); dropped by default.
    #[arg(long)]
    pub keep_personal: bool,
}

/// The time range of `stats` and `report` (UTC days).
#[derive(Debug, Clone, Args)]
pub struct RangeArgs {
    /// First day included (`YYYY-MM-DD`, UTC).
    #[arg(long, value_name = "DATE", conflicts_with = "year")]
    pub from: Option<String>,
    /// Last day included (`YYYY-MM-DD`, UTC).
    #[arg(long, value_name = "DATE", conflicts_with = "year")]
    pub to: Option<String>,
    /// One calendar year (UTC).
    #[arg(long)]
    pub year: Option<i32>,
    /// Length of each top list.
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub top: usize,
    /// Group tracks by Spotify URI where one is known (extended history, `history enrich`)
    /// instead of by title and artist (which merges a song's single and album versions).
    #[arg(long)]
    pub by_uri: bool,
}

/// `spotkit history stats`.
#[derive(Debug, Args)]
pub struct StatsArgs {
    /// The range.
    #[command(flatten)]
    pub range: RangeArgs,
}

/// `spotkit history report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The HTML file to write.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// The range.
    #[command(flatten)]
    pub range: RangeArgs,
}

/// Runs `spotkit history ...`.
pub async fn run(settings: &Settings, args: HistoryArgs) -> Result<()> {
    let db = args.db.clone().unwrap_or_else(|| {
        settings
            .data_dir
            .join("history")
            .join(format!("{}.sqlite3", settings.profile))
    });
    match args.action {
        Action::Import(a) => import_run(settings, &db, &a),
        Action::Enrich(a) => crate::cmd::history_enrich::run(settings, &db, &a, lock).await,
        Action::Stats(a) => {
            let stats = compute(&db, &a.range)?;
            if settings.json {
                output::print_json(&stats)
            } else {
                print_stats(&stats);
                Ok(())
            }
        }
        Action::Report(a) => {
            let stats = compute(&db, &a.range)?;
            output::write_atomic(&a.out, report::render(&stats).as_bytes())?;
            if settings.json {
                output::print_json(&serde_json::json!({ "report": a.out }))
            } else {
                if !settings.quiet {
                    eprintln!("wrote {}", a.out.display());
                }
                Ok(())
            }
        }
    }
}

/// What `import --json` prints.
#[derive(Debug, Serialize)]
struct ImportOut {
    database: String,
    files: Vec<FileOut>,
    #[serde(flatten)]
    counts: Counts,
    /// Plays in the database after the import.
    total_plays: i64,
    personal_fields: &'static str,
}

#[derive(Debug, Serialize)]
struct FileOut {
    file: String,
    plays: usize,
}

/// One import (or enrich) at a time per database: a second one is refused at once, naming the
/// first (SQLite would make it wait, then fail, with a less helpful "database is locked").
fn lock(db: &Path) -> Result<RunLock> {
    let mut path = db.as_os_str().to_owned();
    path.push(".lock");
    let path = PathBuf::from(path);
    match RunLock::acquire(
        &path,
        &format!("pid {}, started {}", std::process::id(), started_now()),
    ) {
        Ok(lock) => Ok(lock),
        Err(LockError::Held { holder }) => Err(anyhow!(Hinted::new(
            format!(
                "another history import or enrich into {} is running ({}); nothing was changed",
                db.display(),
                if holder.is_empty() {
                    "another process"
                } else {
                    &holder
                }
            ),
            "wait for it to finish, then run this command again: plays it already added are not added twice",
        ))),
        Err(LockError::Io {
            doing,
            path,
            source,
        }) => Err(source).with_context(|| format!("{doing} the lock {}", path.display())),
    }
}

fn import_run(settings: &Settings, db: &Path, args: &ImportArgs) -> Result<()> {
    if let Some(dir) = db.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let _lock = lock(db)?;
    let mut store = Store::open(db)?;
    let source = args
        .inputs
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let bar = output::progress("importing plays", settings.json || settings.quiet);
    let mut import = store.begin_import(&source, args.keep_personal)?;
    let mut files = Vec::new();
    for input in &args.inputs {
        // A file named on the command line is read whatever its name; folders and zips are
        // searched for history files by name.
        let named_file = input.is_file() && !is_zip(input);
        let keep = |base: &str| named_file || is_history_file(base);
        let before = files.len();
        source::for_each_input(input, &keep, &mut |f| {
            bar.set_message(format!("importing {}", f.base));
            let plays = parse_file(&f.name, &f.bytes)?;
            import
                .add(&plays, |n| bar.inc(n))
                .map_err(|e| source::SourceError::at(&f.name, None, e.to_string()))?;
            files.push(FileOut {
                file: f.name,
                plays: plays.len(),
            });
            Ok(())
        })?;
        if files.len() == before {
            return Err(anyhow!(Hinted::new(
                format!(
                    "no streaming history in {}; nothing was imported",
                    input.display()
                ),
                "pass the account data export (my_spotify_data.zip with StreamingHistory*.json) or the extended streaming history (my_spotify_extended_streaming_history.zip with Streaming_History_Audio_*.json or endsong_*.json), or those files",
            )));
        }
    }
    let counts = import.commit()?;
    bar.finish_and_clear();
    let total: i64 = store
        .conn()
        .query_row("SELECT count(*) FROM plays", [], |r| r.get(0))
        .context("counting plays")?;
    let out = ImportOut {
        database: store.path().to_owned(),
        files,
        counts,
        total_plays: total,
        personal_fields: if args.keep_personal {
            "kept"
        } else {
            "dropped"
        },
    };
    if settings.json {
        return output::print_json(&out);
    }
    if !settings.quiet {
        println!(
            "{} plays read from {} files: {} added, {} already there{}{}. {} plays in {}.",
            counts.read,
            out.files.len(),
            counts.added - counts.replaced_account_plays,
            counts.already_present,
            if counts.covered_by_extended > 0 {
                format!(
                    ", {} account-data plays already in the extended history",
                    counts.covered_by_extended
                )
            } else {
                String::new()
            },
            if counts.replaced_account_plays > 0 {
                format!(
                    ", {} account-data plays replaced by their extended record",
                    counts.replaced_account_plays
                )
            } else {
                String::new()
            },
            total,
            out.database
        );
        if !args.keep_personal {
            println!(
                "IP addresses, user names and user agents were not stored (--keep-personal keeps them)."
            );
        }
    }
    Ok(())
}

fn is_zip(path: &Path) -> bool {
    let mut magic = [0u8; 2];
    std::fs::File::open(path)
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut magic))
        .is_ok()
        && magic == *b"PK"
}

fn range_of(args: &RangeArgs) -> Result<Range> {
    let day = |flag: &str, s: &str| {
        parse_date(s).ok_or_else(|| {
            anyhow!(Hinted::new(
                format!("{flag} {s} is not a date"),
                "give dates as YYYY-MM-DD, e.g. --from 2024-01-01",
            ))
        })
    };
    if let Some(year) = args.year {
        let from = day("--year", &format!("{year:04}-01-01"))?;
        let to = day("--year", &format!("{:04}-01-01", year + 1))?;
        return Ok(Range {
            from: Some(from * 86_400),
            to: Some(to * 86_400),
        });
    }
    let from = args.from.as_deref().map(|s| day("--from", s)).transpose()?;
    let to = args.to.as_deref().map(|s| day("--to", s)).transpose()?;
    if let (Some(f), Some(t)) = (from, to)
        && t < f
    {
        return Err(anyhow!(Hinted::new(
            "--to is before --from",
            "give the first day with --from and the last with --to",
        )));
    }
    Ok(Range {
        from: from.map(|d| d * 86_400),
        to: to.map(|d| (d + 1) * 86_400),
    })
}

fn compute(db: &Path, args: &RangeArgs) -> Result<stats::Stats> {
    let range = range_of(args)?;
    if !db.exists() {
        return Err(anyhow!(Hinted::new(
            format!("no listening history at {}", db.display()),
            "import it first: spotkit history import my_spotify_data.zip (or the extended streaming history)",
        )));
    }
    let store = Store::open(db)?;
    stats::compute(store.conn(), range, args.top, args.by_uri)
        .with_context(|| format!("reading the history database {}", db.display()))
}

fn hours(ms: i64) -> String {
    format!("{:.1} h", ms as f64 / 3_600_000.0)
}

fn print_stats(s: &stats::Stats) {
    let t = &s.totals;
    let range = match (&s.range.from, &s.range.to) {
        (None, None) => "all time".to_owned(),
        (f, to) => format!(
            "{} to {}",
            f.as_deref().unwrap_or("start"),
            to.as_deref().unwrap_or("end")
        ),
    };
    println!("Listening history, {range} (UTC)");
    println!(
        "  {} plays, {} ({} tracks, {} episodes, {} audiobook chapters)",
        t.plays,
        hours(t.ms_played),
        t.plays_by_kind.track,
        t.plays_by_kind.episode,
        t.plays_by_kind.audiobook
    );
    println!(
        "  {} distinct tracks, {} artists, {} shows, on {} days",
        t.distinct_tracks, t.distinct_artists, t.distinct_shows, t.days_with_plays
    );
    if let Some(p) = &s.first_play {
        println!("  first play: {} {} — {}", p.time, p.name, p.creator);
    }
    if let Some(p) = &s.last_play {
        println!("  last play:  {} {} — {}", p.time, p.name, p.creator);
    }
    if let Some(st) = &s.streaks.longest {
        println!(
            "  longest streak: {} days ({} to {})",
            st.days, st.from, st.to
        );
    }
    match s.skips.rate {
        Some(rate) => println!(
            "  skips: {} of {} plays with a skip flag ({:.1}%); {} plays under 30 s",
            s.skips.skipped,
            s.skips.known,
            rate * 100.0,
            s.skips.short_plays
        ),
        None => println!("  plays under 30 s: {}", s.skips.short_plays),
    }
    let list = |title: &str, entries: &[stats::Entry]| {
        if entries.is_empty() {
            return;
        }
        println!("\n{title}");
        for (i, e) in entries.iter().enumerate() {
            let who = e
                .artist
                .as_deref()
                .filter(|a| !a.is_empty())
                .map(|a| format!(" — {a}"))
                .unwrap_or_default();
            println!(
                "  {:>2}. {}{who}  ({} plays, {})",
                i + 1,
                e.name,
                e.plays,
                hours(e.ms_played)
            );
        }
    };
    list("Top tracks by time", &s.top_tracks.by_time);
    list("Top tracks by plays", &s.top_tracks.by_plays);
    list("Top artists by time", &s.top_artists.by_time);
    list("Top artists by plays", &s.top_artists.by_plays);
    list("Top albums by time", &s.top_albums.by_time);
    list("Top shows by time", &s.top_shows.by_time);
    if !s.by_month.is_empty() {
        println!("\nBy month");
        for m in &s.by_month {
            println!(
                "  {}  {:>6} plays  {}",
                m.month,
                m.plays,
                hours(m.ms_played)
            );
        }
    }
    let hw = &s.hour_weekday;
    println!("\nHours by weekday and hour (UTC)");
    println!(
        "       {}",
        (0..24).fold(String::new(), |mut s, h| {
            let _ = write!(s, "{h:>4}");
            s
        })
    );
    for (d, name) in hw.weekdays.iter().enumerate() {
        println!(
            "  {:<4} {}",
            &name[..3],
            hw.ms_played[d].iter().fold(String::new(), |mut s, ms| {
                let _ = write!(s, "{:>4.0}", *ms as f64 / 3_600_000.0);
                s
            })
        );
    }
}
