//! `spotkit demo`: starts the embedded sandbox, logs in through the real PKCE + loopback flow
//! against it, reads the library and exports it in every format with the same code as
//! `spotkit export`: no Spotify account needed.

use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use spotkit::Spotify;
use spotkit::auth::{LoopbackConfig, LoopbackListener};
use spotkit::token::MemoryStore;

use crate::cli::Format;
use crate::cmd::export;
use crate::exportify::write::Bom;

/// Flags of `spotkit demo`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Liked songs in the demo library.
    #[arg(long, default_value_t = 2_000)]
    liked: usize,
    /// Catalogue seed (same seed, same library).
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Latency the sandbox adds to every request, in milliseconds (try 50 to see concurrent paging).
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
}

/// The scopes the demo asks for.
const SCOPES: &[&str] = &[
    "user-read-private",
    "user-read-email",
    "user-library-read",
    "playlist-read-private",
    "playlist-read-collaborative",
];

/// Runs the demo.
pub async fn run(args: Args) -> Result<()> {
    let sandbox = spotkit_sandbox::Sandbox::builder()
        .seed(args.seed)
        .liked(args.liked)
        .latency(Duration::from_millis(args.latency_ms))
        .auto_approve(true)
        .start()
        .await
        .context("starting the embedded sandbox")?;
    println!("Sandbox (a local Spotify emulator) at {}", sandbox.url());

    let spotify = Spotify::builder()
        .pkce("spotkit-demo")
        .api_base_url(sandbox.api_url())
        .accounts_base_url(sandbox.accounts_url())
        .token_store(MemoryStore::new(), "demo")
        .build()
        .context("building the client")?;

    // The real login: PKCE, a loopback redirect on a free port, and a "browser" that follows the
    // consent redirect back to it (the sandbox approves at once).
    let listener = LoopbackListener::bind(LoopbackConfig::default().port(0))
        .await
        .context("binding the loopback redirect")?;
    println!(
        "Logging in with PKCE; redirect URI {}",
        listener.redirect_uri()
    );
    spotify
        .auth()
        .login_with_loopback(listener, SCOPES, Duration::from_secs(30), |url| {
            let url = url.to_string();
            // The "browser": follows the consent redirect, which lands on the loopback listener.
            tokio::spawn(async move {
                let followed = match spotkit::http::client() {
                    Ok(browser) => browser.get(&url).send().await.map(drop).map_err(|e| e.to_string()),
                    Err(e) => Err(e.to_string()),
                };
                if let Err(e) = followed {
                    tracing::warn!(error = %e, "the simulated browser could not follow the login redirect");
                }
            });
        })
        .await
        .context("logging in to the sandbox")?;
    println!("Logged in; token kept in memory only");

    let started = Instant::now();
    let me = spotify
        .users()
        .me()
        .send()
        .await
        .context("reading the profile")?;
    let playlists = spotify
        .playlists()
        .mine()
        .all()
        .await
        .context("listing playlists")?;
    let liked = spotify
        .tracks()
        .saved()
        .all()
        .await
        .context("reading liked songs")?;
    println!(
        "Logged in as {} ({})",
        me.display_name.as_deref().unwrap_or("?"),
        me.id.as_deref().unwrap_or("?")
    );
    println!("Playlists:   {}", playlists.len());
    println!(
        "Liked songs: {} (read in {:.2?})",
        liked.len(),
        started.elapsed()
    );

    let dir = tempfile::Builder::new()
        .prefix("spotkit-demo-")
        .tempdir()
        .context("creating the export folder")?
        .keep();
    let started = Instant::now();
    let mut files = 0;
    let mut local = 0;
    let mut episodes = 0;
    let mut skipped = 0;
    for format in [Format::Json, Format::Csv, Format::M3u, Format::Jsonl] {
        let sub = dir.join(format.ext());
        let liked = sub.join(format!("liked.{}", format.ext()));
        let mut written =
            vec![export::export_liked(&spotify, format, &liked, Bom::Without, true).await?];
        written.extend(
            export::export_playlists(&spotify, &sub.join("playlists"), format, true).await?,
        );
        files += written.iter().filter(|w| w.skipped.is_none()).count();
        skipped = written.iter().filter(|w| w.skipped.is_some()).count();
        local = written.iter().map(|w| w.local).sum::<usize>();
        episodes = written.iter().map(|w| w.episodes).sum::<usize>();
    }
    println!(
        "Exported liked songs and {} playlists as json, csv, m3u8 and jsonl: {files} files in {:.2?}; local files and episodes kept and flagged ({local} local, {episodes} episodes)",
        playlists.len() - skipped,
        started.elapsed(),
    );
    if skipped > 0 {
        println!(
            "Skipped {skipped} playlists you follow but do not own: Development-Mode apps cannot read their items (Spotify, February 2026)"
        );
    }
    println!("Export folder: {}", dir.display());
    Ok(())
}
