//! Throughput of `spotkit sync` by `--jobs`, against an in-process sandbox whose Web API and media
//! downloads are slowed by a fixed latency (a slow network is what parallel jobs help with).
//!
//! ```text
//! cargo bench -p spotkit-sync --bench jobs                 # 24 tracks, 400 ms latency, jobs 1 2 4
//! cargo bench -p spotkit-sync --bench jobs -- 40 250       # 40 tracks, 250 ms latency
//! ```
//!
//! Each run syncs the same playlist into a fresh folder with the real yt-dlp and ffmpeg
//! (`SPOTKIT_YTDLP` / `SPOTKIT_FFMPEG`, else from PATH) and prints tracks per minute. Target:
//! jobs 4 at least 2.5× jobs 1 (on two cores, the tools' own CPU time caps the gain).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde_json::json;
use spotkit::Spotify;
use spotkit::model::PlaylistId;
use spotkit::token::{AccessToken, Token};
use spotkit_sandbox::{Sandbox, media};
use spotkit_sync::{Format, Options, Selection, Source};

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
        let started = Instant::now();
        let summary = spotkit_sync::sync(
            &spotify,
            &Selection::Playlist(PlaylistId::parse(&id)?),
            &opts,
            &|_| {},
        )
        .await?;
        let secs = started.elapsed().as_secs_f64();
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
        println!("jobs {jobs}: {secs:6.1} s  {per_min:6.1} tracks/min  ({speedup:.2}x jobs 1)");
    }
    Ok(())
}
