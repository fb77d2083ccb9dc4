//! Command-line flags of `spotkit-sandbox`, shared with `spotkit sandbox`.

use std::net::SocketAddr;
use std::time::Duration;

use crate::config::{AppConditions, ClientApp, Config, Faults, Mode, Quota};
use crate::{Error, SandboxBuilder};

/// Runs a local emulator of Spotify's accounts service and Web API.
#[derive(Debug, Clone, clap::Args)]
pub struct Flags {
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, default_value = "127.0.0.1:0")]
    pub addr: SocketAddr,
    /// Seed of the generated catalogue (same seed, same library).
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Liked songs of the demo user.
    #[arg(long, default_value_t = 250)]
    pub liked: usize,
    /// Playlists of the demo user (one has more than 1000 items).
    #[arg(long, default_value_t = 12)]
    pub playlists: usize,
    /// Saved albums of the demo user.
    #[arg(long, default_value_t = 40)]
    pub albums: usize,
    /// API generation: `dev` (Development Mode, Feb 2026) or `extended` (Extended Quota).
    #[arg(long, default_value = "dev")]
    pub mode: Mode,
    /// Send both the new and the old member names (`items`+`tracks`, `item`+`track`).
    #[arg(long)]
    pub transition: bool,
    /// Milliseconds added to every Web API request.
    #[arg(long, default_value_t = 0)]
    pub latency_ms: u64,
    /// Milliseconds added to every media download instead of --latency-ms.
    #[arg(long)]
    pub media_latency_ms: Option<u64>,
    /// Probability of a 500/502/503 per Web API request.
    #[arg(long = "fail-5xx", default_value_t = 0.0)]
    pub fail_5xx: f64,
    /// Probability of a 429 per Web API request.
    #[arg(long = "fail-429", default_value_t = 0.0)]
    pub fail_429: f64,
    /// Probability of dropping the connection per Web API request.
    #[arg(long, default_value_t = 0.0)]
    pub fail_reset: f64,
    /// `Retry-After` seconds of injected 429s.
    #[arg(long, default_value_t = 1)]
    pub retry_after: u64,
    /// Web API requests allowed per rolling 30 s per client (429 beyond).
    #[arg(long)]
    pub rate_limit: Option<u32>,
    /// Ban an app that goes over --rate-limit for this many seconds (Spotify has asked for up to
    /// 86400): every request meanwhile gets a 429 whose Retry-After counts down.
    #[arg(long, value_name = "SECS", requires = "rate_limit")]
    pub rate_limit_ban: Option<u64>,
    /// The owner of this app has no Premium subscription: every Web API request of the app gets
    /// Spotify's plain-text 403 (`--mode dev`; repeatable).
    #[arg(long = "owner-without-premium", value_name = "CLIENT_ID")]
    pub owner_without_premium: Vec<String>,
    /// The app's Development-Mode user list, at most 5 users: CLIENT_ID:USER[,USER...]; other
    /// users get Spotify's plain-text 403 (`--mode dev`; repeatable).
    #[arg(long = "app-users", value_name = "CLIENT_ID:USERS")]
    pub app_users: Vec<String>,
    /// Web API requests each developer account may make per quota window (429 QUOTA_EXCEEDED
    /// beyond); the apps registered under one account share it.
    #[arg(long)]
    pub quota: Option<u64>,
    /// Length of the quota window in seconds.
    #[arg(long, default_value_t = 86_400)]
    pub quota_window: u64,
    /// Put apps under a developer account: NAME:CLIENT_ID[,CLIENT_ID...] (repeatable); apps not
    /// placed share the account `default`.
    #[arg(long = "account", value_name = "NAME:CLIENT_IDS")]
    pub accounts: Vec<String>,
    /// Lifetime of access tokens in seconds.
    #[arg(long, default_value_t = 3600)]
    pub token_ttl: u64,
    /// Approve authorization requests without showing the consent page.
    #[arg(long)]
    pub auto_approve: bool,
    /// Development Mode: list the Spotify-owned (editorial, algorithmic) playlists the user
    /// follows in /me/playlists; fetching them still answers 404.
    #[arg(long)]
    pub list_spotify_owned: bool,
    /// Register another app: ID:SECRET:REDIRECT[,REDIRECT...] (repeatable).
    #[arg(long = "client", value_name = "ID:SECRET:REDIRECTS")]
    pub clients: Vec<String>,
}

/// `spotkit-sandbox` flags.
#[derive(Debug, clap::Parser)]
#[command(
    name = "spotkit-sandbox",
    version,
    about = "A local emulator of Spotify's accounts service and Web API"
)]
pub struct Args {
    #[command(flatten)]
    flags: Flags,
}

impl Args {
    /// The configuration these flags describe.
    pub fn into_config(self) -> Result<Config, String> {
        self.flags.into_config()
    }
}

fn probability(name: &str, p: f64) -> Result<f64, String> {
    if (0.0..=1.0).contains(&p) {
        Ok(p)
    } else {
        Err(format!(
            "--{name} is a probability between 0 and 1, got {p}"
        ))
    }
}

impl Flags {
    /// The configuration these flags describe.
    pub fn into_config(self) -> Result<Config, String> {
        let mut clients = vec![ClientApp::demo()];
        for spec in &self.clients {
            clients.push(ClientApp::parse(spec)?);
        }
        let faults = Faults {
            latency_ms: self.latency_ms,
            media_latency_ms: self.media_latency_ms,
            fail_5xx: probability("fail-5xx", self.fail_5xx)?,
            fail_429: probability("fail-429", self.fail_429)?,
            fail_reset: probability("fail-reset", self.fail_reset)?,
            retry_after_secs: self.retry_after,
            rate_limit: self.rate_limit,
            rate_limit_ban_secs: self.rate_limit_ban,
            token_ttl_secs: self.token_ttl,
        };
        let mut quota = Quota {
            requests: self.quota,
            window_secs: self.quota_window,
            ..Quota::default()
        };
        for spec in &self.accounts {
            quota.add_account(spec)?;
        }
        if faults.fail_5xx + faults.fail_429 + faults.fail_reset > 1.0 {
            return Err("--fail-5xx, --fail-429 and --fail-reset add up to more than 1".into());
        }
        let mut apps = std::collections::BTreeMap::<String, AppConditions>::new();
        for id in &self.owner_without_premium {
            apps.entry(id.clone()).or_default().owner_premium = false;
        }
        for spec in &self.app_users {
            let (id, users) = AppConditions::parse_users(spec)?;
            apps.entry(id).or_default().users = Some(users);
        }
        Ok(Config {
            addr: self.addr,
            seed: self.seed,
            liked: self.liked,
            playlists: self.playlists,
            albums: self.albums,
            mode: self.mode,
            transition: self.transition,
            faults,
            quota,
            auto_approve: self.auto_approve,
            list_spotify_owned: self.list_spotify_owned,
            clients,
            apps,
            ..Config::default()
        })
    }
}

/// Starts a sandbox, calls `ready` with its URL, and serves until Ctrl-C or SIGTERM.
pub async fn run(config: Config, ready: impl FnOnce(&str)) -> Result<(), Error> {
    let sandbox = SandboxBuilder::config(config).start().await?;
    tracing::info!(url = sandbox.url(), "serving; stop with Ctrl-C");
    ready(sandbox.url());
    shutdown_signal().await;
    sandbox.shutdown().await;
    Ok(())
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
    // Give in-flight responses a moment before the accept loop stops.
    tokio::time::sleep(Duration::from_millis(50)).await;
}
