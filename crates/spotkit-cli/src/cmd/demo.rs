//! `spotkit demo`: starts the embedded sandbox and shows what spotkit does, with no Spotify account.

use anyhow::{Context, Result, bail};
use serde_json::Value;

/// Flags of `spotkit demo`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Liked songs in the demo library.
    #[arg(long, default_value_t = 250)]
    liked: usize,
    /// Catalogue seed.
    #[arg(long, default_value_t = 42)]
    seed: u64,
}

async fn get(http: &reqwest::Client, url: &str, token: &str) -> Result<Value> {
    let response = http
        .get(url)
        .bearer_auth(token)
        .send()
        .await
        .with_context(|| format!("GET {url}"))?;
    let status = response.status();
    let body: Value = response
        .json()
        .await
        .with_context(|| format!("reading the answer of GET {url}"))?;
    if !status.is_success() {
        bail!("GET {url} answered {status}: {body}");
    }
    Ok(body)
}

/// Runs the demo.
pub async fn run(args: Args) -> Result<()> {
    let sandbox = spotkit_sandbox::Sandbox::builder()
        .seed(args.seed)
        .liked(args.liked)
        .auto_approve(true)
        .start()
        .await
        .context("starting the embedded sandbox")?;
    println!("Sandbox running at {}", sandbox.url());
    let token = sandbox
        .token(
            "demo",
            &[
                "user-read-private",
                "user-read-email",
                "user-library-read",
                "playlist-read-private",
            ],
        )
        .await?;
    let http = reqwest::Client::new();
    let api = sandbox.api_url();
    let me = get(&http, &format!("{api}/me"), &token.access_token).await?;
    let playlists = get(
        &http,
        &format!("{api}/me/playlists?limit=1"),
        &token.access_token,
    )
    .await?;
    let liked = get(
        &http,
        &format!("{api}/me/tracks?limit=1"),
        &token.access_token,
    )
    .await?;
    println!(
        "Logged in as {} ({})",
        me["display_name"].as_str().unwrap_or("?"),
        me["id"].as_str().unwrap_or("?")
    );
    println!("Playlists:   {}", playlists["total"]);
    println!("Liked songs: {}", liked["total"]);
    Ok(())
}
