//! Settings of a sandbox run: catalogue sizes, API mode, faults, token rules and registered apps.

use std::net::SocketAddr;
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// Which generation of Spotify's API the sandbox plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Development-Mode apps after February 2026: `/items`, `items`/`item`, trimmed fields, small limits.
    #[default]
    Dev,
    /// Extended-Quota apps: the older shapes and limits.
    Extended,
}

impl Mode {
    /// `dev` or `extended`.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Dev => "dev",
            Mode::Extended => "extended",
        }
    }
}

impl std::str::FromStr for Mode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "dev" | "development" => Ok(Mode::Dev),
            "extended" | "extended-quota" => Ok(Mode::Extended),
            other => Err(format!("unknown mode {other:?}: use `dev` or `extended`")),
        }
    }
}

/// Faults injected into Web API requests. Changeable at run time through `POST /_sandbox/faults`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Faults {
    /// Added to every Web API request.
    pub latency_ms: u64,
    /// Probability of a 500/502/503.
    pub fail_5xx: f64,
    /// Probability of a 429 with `Retry-After: retry_after_secs`.
    pub fail_429: f64,
    /// Probability of dropping the connection without an answer.
    pub fail_reset: f64,
    /// `Retry-After` of injected 429s.
    pub retry_after_secs: u64,
    /// Requests per rolling 30 s per client id; `None` is unlimited.
    pub rate_limit: Option<u32>,
    /// Lifetime of newly issued access tokens.
    pub token_ttl_secs: u64,
}

impl Default for Faults {
    fn default() -> Self {
        Faults {
            latency_ms: 0,
            fail_5xx: 0.0,
            fail_429: 0.0,
            fail_reset: 0.0,
            retry_after_secs: 1,
            rate_limit: None,
            token_ttl_secs: 3600,
        }
    }
}

/// A registered Spotify app.
#[derive(Debug, Clone)]
pub struct ClientApp {
    /// Client id.
    pub id: String,
    /// Client secret.
    pub secret: String,
    /// Registered redirect URIs, matched exactly.
    pub redirect_uris: Vec<String>,
    /// Whether any loopback `http://127.0.0.1:<port>/callback` or `http://[::1]:<port>/callback` is
    /// accepted (the demo app's convenience for native apps on free ports).
    pub any_loopback_port: bool,
}

impl ClientApp {
    /// The demo app every sandbox registers.
    pub fn demo() -> ClientApp {
        ClientApp {
            id: "spotkit-demo".into(),
            secret: "spotkit-demo-secret".into(),
            redirect_uris: vec!["http://127.0.0.1:8888/callback".into()],
            any_loopback_port: true,
        }
    }

    /// Parses `ID:SECRET:REDIRECT[,REDIRECT...]`.
    pub fn parse(spec: &str) -> Result<ClientApp, String> {
        let mut parts = spec.splitn(3, ':');
        let (Some(id), Some(secret), Some(redirects)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(format!(
                "--client expects ID:SECRET:REDIRECT[,REDIRECT...], got {spec:?}"
            ));
        };
        if id.is_empty() || secret.is_empty() {
            return Err(format!(
                "--client {spec:?}: id and secret must not be empty"
            ));
        }
        Ok(ClientApp {
            id: id.into(),
            secret: secret.into(),
            redirect_uris: redirects
                .split(',')
                .filter(|r| !r.is_empty())
                .map(String::from)
                .collect(),
            any_loopback_port: false,
        })
    }
}

/// Everything a sandbox run is made of.
#[derive(Debug, Clone)]
pub struct Config {
    /// Address to bind.
    pub addr: SocketAddr,
    /// Catalogue seed.
    pub seed: u64,
    /// Liked songs of the demo user.
    pub liked: usize,
    /// Playlists in the demo user's `/me/playlists`.
    pub playlists: usize,
    /// Saved albums of the demo user.
    pub albums: usize,
    /// API generation.
    pub mode: Mode,
    /// Send both new and old member names (`items`+`tracks`, `item`+`track`).
    pub transition: bool,
    /// Faults at start.
    pub faults: Faults,
    /// `/authorize` approves without showing the consent page.
    pub auto_approve: bool,
    /// Registered apps (the demo app is always there).
    pub clients: Vec<ClientApp>,
    /// How long refresh tokens live (Spotify: six months after authorization).
    pub refresh_token_ttl: Duration,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            seed: 42,
            liked: 250,
            playlists: 12,
            albums: 40,
            mode: Mode::Dev,
            transition: false,
            faults: Faults::default(),
            auto_approve: false,
            clients: vec![ClientApp::demo()],
            refresh_token_ttl: Duration::from_secs(183 * 86_400),
        }
    }
}
