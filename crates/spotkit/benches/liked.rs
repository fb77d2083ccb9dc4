//! Liked-songs benchmark against the sandbox.
//!
//! ```text
//! cargo bench -p spotkit --bench liked              # both parts
//! cargo bench -p spotkit --bench liked -- speed     # 10 000 songs, 50 ms latency: sequential vs concurrent
//! cargo bench -p spotkit --bench liked -- memory    # 100 000 songs streamed to /dev/null: peak RSS
//! ```
//!
//! *speed* fetches 10 000 liked songs 50 per page from an in-process sandbox that adds 50 ms to
//! every Web API request, once one page after another and once with the default concurrency
//! (8), and compares both with the floor `ceil(10000/50) / concurrency × 50 ms`.
//! Target: concurrent at least 6× faster than sequential.
//!
//! *memory* runs the sandbox in a child process (so its catalogue does not count), streams
//! 100 000 liked songs as JSON lines to /dev/null and reports this process's peak resident set
//! (`VmHWM` in /proc/self/status). Target: under 64 MB.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use futures::TryStreamExt;
use spotkit::Spotify;
use spotkit::token::{AccessToken, Token};
use spotkit_sandbox::Sandbox;

const SPEED_SONGS: usize = 10_000;
const MEMORY_SONGS: usize = 100_000;
const PAGE: u32 = 50;
const DEFAULT_LATENCY_MS: u64 = 50;
const CHILD_FLAG: &str = "--serve-sandbox";

type BoxError = Box<dyn std::error::Error + Send + Sync>;

fn main() -> Result<(), BoxError> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    if let Some(i) = args.iter().position(|a| a == CHILD_FLAG) {
        let songs = args
            .get(i + 1)
            .and_then(|n| n.parse().ok())
            .unwrap_or(MEMORY_SONGS);
        return runtime.block_on(serve_sandbox(songs));
    }
    // `cargo bench` passes `--bench`; anything else selects a part.
    let parts: Vec<&str> = args
        .iter()
        .map(String::as_str)
        .filter(|a| !a.starts_with("--"))
        .collect();
    match parts.as_slice() {
        ["speed"] => runtime.block_on(speed()),
        ["memory"] => runtime.block_on(memory()),
        [] => {
            // Each part in a fresh process: the peak RSS of one must not include the other.
            for part in ["speed", "memory"] {
                let status = Command::new(std::env::current_exe()?).arg(part).status()?;
                if !status.success() {
                    return Err(format!("the {part} part failed ({status})").into());
                }
            }
            Ok(())
        }
        other => Err(format!(
            "unknown part(s) {other:?}; use `speed`, `memory` or nothing for both"
        )
        .into()),
    }
}

fn client(api: String, access_token: String) -> Result<Spotify, BoxError> {
    let token = Token::new(
        AccessToken::new(access_token),
        None,
        Some(Duration::from_secs(3600)),
        vec![],
    );
    Ok(Spotify::builder().api_base_url(api).token(token).build()?)
}

async fn speed() -> Result<(), BoxError> {
    // SPOTKIT_BENCH_LATENCY_MS=0 shows the per-request CPU cost on its own.
    let latency_ms = std::env::var("SPOTKIT_BENCH_LATENCY_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_LATENCY_MS);
    let latency = Duration::from_millis(latency_ms);
    let sandbox = Sandbox::builder()
        .seed(1)
        .liked(SPEED_SONGS)
        .latency(latency)
        .start()
        .await?;
    let token = sandbox.token("demo", &["user-library-read"]).await?;
    let spotify = client(sandbox.api_url(), token.access_token)?;
    let concurrency = spotify.concurrency();

    let t0 = Instant::now();
    let sequential = spotify
        .tracks()
        .saved()
        .limit(PAGE)
        .concurrency(1)
        .all()
        .await?;
    let seq = t0.elapsed();
    let t1 = Instant::now();
    let concurrent = spotify.tracks().saved().limit(PAGE).all().await?;
    let conc = t1.elapsed();

    let same = serde_json::to_value(&sequential)? == serde_json::to_value(&concurrent)?;
    let pages = SPEED_SONGS.div_ceil(PAGE as usize) as u32;
    let floor = latency * pages / concurrency as u32;
    let ratio = seq.as_secs_f64() / conc.as_secs_f64();
    println!(
        "liked songs: {SPEED_SONGS} in pages of {PAGE}, {} ms latency per request",
        latency.as_millis()
    );
    println!("  sequential:              {:>8.3} s", seq.as_secs_f64());
    println!(
        "  concurrent ({concurrency} at once):   {:>8.3} s",
        conc.as_secs_f64()
    );
    println!(
        "  speed-up:                {ratio:>8.2}x  (target >= 6x: {})",
        if ratio >= 6.0 { "met" } else { "MISSED" }
    );
    println!(
        "  floor ceil({SPEED_SONGS}/{PAGE})/{concurrency} x {} ms = {:.3} s; concurrent is {:.2}x the floor",
        latency.as_millis(),
        floor.as_secs_f64(),
        conc.as_secs_f64() / floor.as_secs_f64()
    );
    println!("  same items in the same order: {same}");
    if sequential.len() != SPEED_SONGS || !same {
        return Err(format!(
            "fetched {} songs sequentially, {} concurrently, same = {same}",
            sequential.len(),
            concurrent.len()
        )
        .into());
    }
    Ok(())
}

/// The child process: a sandbox with `songs` liked songs; prints its API URL and a token, then
/// serves until its stdin closes (the parent exited or finished).
async fn serve_sandbox(songs: usize) -> Result<(), BoxError> {
    let sandbox = Sandbox::builder()
        .seed(2)
        .liked(songs)
        .playlists(1)
        .albums(1)
        .start()
        .await?;
    let token = sandbox.token("demo", &["user-library-read"]).await?;
    println!("{}", sandbox.api_url());
    println!("{}", token.access_token);
    std::io::stdout().flush()?;
    tokio::task::spawn_blocking(|| {
        let mut sink = String::new();
        while std::io::stdin().read_line(&mut sink).is_ok_and(|n| n > 0) {}
    })
    .await?;
    Ok(())
}

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

async fn memory() -> Result<(), BoxError> {
    let mut child = Command::new(std::env::current_exe()?)
        .args([CHILD_FLAG, &MEMORY_SONGS.to_string()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()?;
    let mut lines = BufReader::new(child.stdout.take().ok_or("no child stdout")?).lines();
    let api = lines.next().ok_or("the sandbox child exited")??;
    let access = lines.next().ok_or("the sandbox child sent no token")??;
    let spotify = client(api, access)?;

    let before = peak_rss_kib();
    let t0 = Instant::now();
    let mut out = std::io::BufWriter::new(std::fs::File::create("/dev/null")?);
    let mut songs = 0usize;
    let mut stream = spotify.tracks().saved().limit(PAGE).stream();
    while let Some(saved) = stream.try_next().await? {
        serde_json::to_writer(&mut out, &saved)?;
        out.write_all(b"\n")?;
        songs += 1;
    }
    out.flush()?;
    let elapsed = t0.elapsed();
    let peak = peak_rss_kib();
    drop(child.stdin.take());
    let _ = child.wait();

    println!(
        "streamed {songs} liked songs to /dev/null in {:.2} s",
        elapsed.as_secs_f64()
    );
    match (before, peak) {
        (Some(b), Some(p)) => {
            let mib = p as f64 / 1024.0;
            println!(
                "  peak RSS (VmHWM): {mib:.1} MiB (before streaming {:.1} MiB); target < 64 MB: {}",
                b as f64 / 1024.0,
                if p * 1024 < 64_000_000 {
                    "met"
                } else {
                    "MISSED"
                }
            );
        }
        _ => println!("  peak RSS: /proc/self/status is not available on this system"),
    }
    if songs != MEMORY_SONGS {
        return Err(format!("streamed {songs} songs, expected {MEMORY_SONGS}").into());
    }
    Ok(())
}
