//! Throughput of `spotkit sync` by `--jobs`, against an in-process sandbox whose Web API and media
//! downloads are slowed by a fixed latency (a slow network is what parallel jobs help with).
//!
//! ```text
//! cargo bench -p spotkit-sync --bench jobs                 # 24 tracks, 400 ms latency, jobs 1 2 4
//! cargo bench -p spotkit-sync --bench jobs -- 40 250       # 40 tracks, 250 ms latency
//! ```
//!
//! Each run syncs the same playlist into a fresh folder with the real ffmpeg (`SPOTKIT_FFMPEG`,
//! else from PATH; a catalogue is downloaded in-process, so yt-dlp is not started) and prints
//! tracks per minute, the CPU time per track (this process, which includes the in-process
//! sandbox, and its children: ffmpeg), the load average when it started, the time before the
//! first track starts (fetching the playlist, loading the catalogue) and the mean wall time a
//! track spends in each stage. The machine's load moves wall times; CPU per track hardly moves.
//! Target (issue #15): jobs 4 at least 161 tracks/min, twice the 80.6 of 2026-12-01, in this
//! release build. The gain over jobs 1 is capped by the time before the first track, which no
//! job count shortens, and on two busy cores by ffmpeg's CPU time (see the crate README).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde_json::json;
use spotkit::Spotify;
use spotkit::model::PlaylistId;
use spotkit::token::{AccessToken, Token};
use spotkit_sandbox::{Sandbox, media};
use spotkit_sync::{Event, Format, Options, Selection, Source, Stage};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

fn main() -> Result<(), BoxError> {
    let args: Vec<u64> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .filter_map(|a| a.parse().ok())
        .collect();
    let tracks = args.first().copied().unwrap_or(24) as usize;
    let latency = args.get(1).copied().unwrap_or(400);
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(run(tracks, latency))
}

fn tool(var: &str, name: &str) -> PathBuf {
    std::env::var_os(var).map_or_else(|| PathBuf::from(name), PathBuf::from)
}

/// CPU seconds used so far by this process and by its waited-for children, from
/// `/proc/self/stat` (Linux; `None` elsewhere). Its times are in USER_HZ ticks, 100 a second.
fn cpu_secs() -> Option<(f64, f64)> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    // utime, stime, cutime, cstime are fields 14..=17 of proc(5); fields[0] is field 3.
    let tick = |n: usize| fields.get(n - 3)?.parse::<f64>().ok().map(|t| t / 100.0);
    Some((tick(14)? + tick(15)?, tick(16)? + tick(17)?))
}

/// The 1-minute load average (Linux).
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "?".to_owned())
}

/// Wall time per stage, summed over tracks, from the sync's stage events.
#[derive(Default)]
struct Stages {
    /// When the first track started: what comes before (fetching the playlist, planning,
    /// loading the catalogue) does not gain from more jobs.
    first: Option<Instant>,
    current: HashMap<String, (Stage, Instant)>,
    total: HashMap<Stage, Duration>,
}

impl Stages {
    fn close(&mut self, id: &str) {
        if let Some((stage, since)) = self.current.remove(id) {
            *self.total.entry(stage).or_default() += since.elapsed();
        }
    }

    fn on(&mut self, event: &Event) {
        match event {
            Event::Stage { id, stage, .. } => {
                self.close(id);
                let now = Instant::now();
                self.first.get_or_insert(now);
                self.current.insert(id.clone(), (*stage, now));
            }
            Event::Done { id, .. } => self.close(id),
            Event::Failed(f) => self.close(&f.id),
            _ => {}
        }
    }
}

async fn run(n: usize, latency_ms: u64) -> Result<(), BoxError> {
    let sb = Sandbox::builder().seed(3).liked(10).start().await?;
    let token = sb
        .token(
            "demo",
            &[
                "playlist-read-private",
                "playlist-modify-private",
                "user-library-read",
            ],
        )
        .await?;
    let http = spotkit::http::client().unwrap();
    let uris: Vec<String> = {
        let world = sb.state().world();
        world
            .tracks
            .iter()
            .filter(|t| media::has_good_candidate(&t.id))
            .take(n)
            .map(|t| format!("spotify:track:{}", t.id))
            .collect()
    };
    let created: serde_json::Value = http
        .post(format!("{}/me/playlists", sb.api_url()))
        .bearer_auth(&token.access_token)
        .json(&json!({"name": "Bench", "public": false}))
        .send()
        .await?
        .json()
        .await?;
    let id = created["id"].as_str().ok_or("no playlist id")?.to_owned();
    http.post(format!("{}/playlists/{id}/items", sb.api_url()))
        .bearer_auth(&token.access_token)
        .json(&json!({ "uris": uris }))
        .send()
        .await?
        .error_for_status()?;
    let mut faults = sb.state().faults();
    faults.latency_ms = latency_ms;
    sb.set_faults(faults);

    let spotify = Spotify::builder()
        .api_base_url(sb.api_url())
        .token(Token::new(
            AccessToken::new(token.access_token.clone()),
            None,
            Some(Duration::from_secs(3600)),
            vec![],
        ))
        .build()?;
    let source: Source = format!("catalog:{}/_sandbox/media/catalog.json", sb.url()).parse()?;
    println!("spotkit sync: {n} tracks, {latency_ms} ms latency per request and download, opus");
    let mut base = None;
    let mut stage_lines = Vec::new();
    for jobs in [1usize, 2, 4] {
        let dir = tempfile::tempdir()?;
        let mut opts = Options::new(dir.path().join("music"));
        opts.format = Format::Opus;
        opts.jobs = jobs;
        opts.source = source.clone();
        opts.ytdlp = Some(tool("SPOTKIT_YTDLP", "yt-dlp"));
        opts.ffmpeg = Some(tool("SPOTKIT_FFMPEG", "ffmpeg"));
        // Lyrics from the sandbox's LRCLIB, never the internet's.
        opts.lrclib_base = Some(sb.lrclib_url().parse()?);
        let stages = Mutex::new(Stages::default());
        let load = load_average();
        let cpu_before = cpu_secs();
        let started = Instant::now();
        let summary = spotkit_sync::sync(
            &spotify,
            &Selection::Playlist(PlaylistId::parse(&id)?),
            &opts,
            &|e| {
                stages
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .on(&e);
            },
        )
        .await?;
        let secs = started.elapsed().as_secs_f64();
        let cpu = cpu_before.zip(cpu_secs()).map_or_else(
            || "CPU n/a".to_owned(),
            |((s0, c0), (s1, c1))| {
                format!(
                    "CPU/track {:.3} s (spotkit+sandbox {:.3}, ffmpeg {:.3})",
                    (s1 - s0 + c1 - c0) / n as f64,
                    (s1 - s0) / n as f64,
                    (c1 - c0) / n as f64
                )
            },
        );
        if summary.downloaded != n {
            return Err(format!(
                "jobs {jobs}: {} of {n} downloaded ({} failed)",
                summary.downloaded,
                summary.failed.len()
            )
            .into());
        }
        let per_min = n as f64 / secs * 60.0;
        let speedup = per_min / *base.get_or_insert(per_min);
        println!(
            "jobs {jobs}: {secs:6.1} s  {per_min:6.1} tracks/min  ({speedup:.2}x jobs 1)  {cpu}  load {load}"
        );
        let stages = stages
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let setup = stages
            .first
            .map_or(0.0, |f| f.duration_since(started).as_secs_f64());
        let total = stages.total;
        let per_stage: Vec<String> = [
            Stage::Resolve,
            Stage::Download,
            Stage::Convert,
            Stage::Tag,
            Stage::Index,
        ]
        .iter()
        .map(|s| {
            let d = total.get(s).copied().unwrap_or_default();
            format!("{s:?} {:.3}", d.as_secs_f64() / n as f64)
        })
        .collect();
        stage_lines.push(format!(
            "  jobs {jobs}: {setup:.1} s before the first track; wall s per track in: {}",
            per_stage.join(", ")
        ));
    }
    for l in stage_lines {
        println!("{l}");
    }
    Ok(())
}
