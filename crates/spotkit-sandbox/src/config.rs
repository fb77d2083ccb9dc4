//! Settings of a sandbox run: catalogue sizes, API mode, faults, token rules and registered apps.

use std::collections::BTreeMap;
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
    /// Added to every Web API request, and to media downloads unless `media_latency_ms` is set.
    pub latency_ms: u64,
    /// Added to every media download (`/_sandbox/media/audio/`) instead of `latency_ms`: a slow
    /// media server behind a fast API, which is what tests of long-running syncs need.
    pub media_latency_ms: Option<u64>,
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
    /// When set, an app that goes over `rate_limit` is refused for this many seconds, each 429
    /// saying in `Retry-After` how long is left, instead of until its 30 s window frees a slot.
    /// Spotify has asked users for 79 892 s, 81 654 s and 86 400 s (see the README).
    pub rate_limit_ban_secs: Option<u64>,
    /// Lifetime of newly issued access tokens.
    pub token_ttl_secs: u64,
}

impl Default for Faults {
    fn default() -> Self {
        Faults {
            latency_ms: 0,
            media_latency_ms: None,
            fail_5xx: 0.0,
            fail_429: 0.0,
            fail_reset: 0.0,
            retry_after_secs: 1,
            rate_limit: None,
            rate_limit_ban_secs: None,
            token_ttl_secs: 3600,
        }
    }
}

/// The developer account an app belongs to when [`Quota::accounts`] does not name one.
pub const DEFAULT_ACCOUNT: &str = "default";

/// Spotify's request quota per developer account, shared by every app (client id) registered
/// under that account.
///
/// Since July 2026 a developer account may hold up to 25 Development-Mode apps, and they all draw
/// on one quota; when it is used up Spotify answers `429` with `"reason": "QUOTA_EXCEEDED"`
/// (<https://developer.spotify.com/blog/2026-07-23-web-api-quota-updates>). Spotify has not
/// published the quota's size or period, so both are settings here. Changeable at run time through
/// `POST /_sandbox/quota`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Quota {
    /// Web API requests each developer account may make per window; `None` is unlimited.
    pub requests: Option<u64>,
    /// Length of a window in seconds. A window opens with the first request an account makes
    /// after the previous one closed (or after a reset), and Retry-After says when it closes.
    pub window_secs: u64,
    /// Developer account → the client ids registered under it. Apps not listed belong to
    /// [`DEFAULT_ACCOUNT`], so by default every app shares one quota.
    pub accounts: BTreeMap<String, Vec<String>>,
}

impl Default for Quota {
    fn default() -> Self {
        Quota {
            requests: None,
            window_secs: 86_400,
            accounts: BTreeMap::new(),
        }
    }
}

impl Quota {
    /// The developer account `client_id` is registered under.
    pub fn account_of(&self, client_id: &str) -> &str {
        self.accounts
            .iter()
            .find(|(_, ids)| ids.iter().any(|id| id == client_id))
            .map_or(DEFAULT_ACCOUNT, |(name, _)| name.as_str())
    }

    /// Parses `--account NAME:ID[,ID...]` into `accounts`.
    pub fn add_account(&mut self, spec: &str) -> Result<(), String> {
        let Some((name, ids)) = spec.split_once(':') else {
            return Err(format!(
                "--account expects NAME:CLIENT_ID[,CLIENT_ID...], got {spec:?}"
            ));
        };
        let ids: Vec<String> = ids
            .split(',')
            .filter(|id| !id.is_empty())
            .map(String::from)
            .collect();
        if name.is_empty() || ids.is_empty() {
            return Err(format!(
                "--account {spec:?}: name and at least one client id are needed"
            ));
        }
        self.accounts
            .entry(name.to_owned())
            .or_default()
            .extend(ids);
        Ok(())
    }
}

/// Most users a Development-Mode app's user list takes (the dashboard's User Management), since
/// February 2026 (<https://developer.spotify.com/documentation/web-api/concepts/quota-modes>).
pub const MAX_DEV_USERS: usize = 5;

/// What Spotify checks about a Development-Mode app before it answers any Web API request, `/me`
/// included: that the developer account owning the app has Premium, and that the user is on the
/// app's user list. Either refusal is a plain-text 403 (see the README). Changeable at run time
/// through `POST /_sandbox/apps`; only checked in `--mode dev`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AppConditions {
    /// Whether the app owner's Spotify account has an active Premium subscription.
    pub owner_premium: bool,
    /// The users allowed to use the app, at most [`MAX_DEV_USERS`]; `None` lets every user of the
    /// sandbox in (the list is not modelled).
    pub users: Option<Vec<String>>,
    /// Refuse users off the list with the wording Spotify used before 2025
    /// ([`USER_NOT_REGISTERED_OLD`](crate::error::USER_NOT_REGISTERED_OLD)).
    pub old_wording: bool,
}

impl Default for AppConditions {
    fn default() -> Self {
        AppConditions {
            owner_premium: true,
            users: None,
            old_wording: false,
        }
    }
}

impl AppConditions {
    /// Refuses a user list longer than Development Mode allows, as the dashboard does.
    pub fn check(&self) -> Result<(), String> {
        match &self.users {
            Some(users) if users.len() > MAX_DEV_USERS => Err(format!(
                "a Development-Mode app takes at most {MAX_DEV_USERS} users, got {}",
                users.len()
            )),
            _ => Ok(()),
        }
    }

    /// Parses `--app-users CLIENT_ID:USER[,USER...]` into `(client id, users)`.
    pub fn parse_users(spec: &str) -> Result<(String, Vec<String>), String> {
        let Some((id, users)) = spec.split_once(':') else {
            return Err(format!(
                "--app-users expects CLIENT_ID:USER[,USER...], got {spec:?}"
            ));
        };
        let users: Vec<String> = users
            .split(',')
            .filter(|u| !u.is_empty())
            .map(String::from)
            .collect();
        if id.is_empty() {
            return Err(format!("--app-users {spec:?}: the client id is empty"));
        }
        let conditions = AppConditions {
            users: Some(users.clone()),
            ..AppConditions::default()
        };
        conditions.check()?;
        Ok((id.to_owned(), users))
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
    /// The per-developer-account quota at start (off by default).
    pub quota: Quota,
    /// `/authorize` approves without showing the consent page.
    pub auto_approve: bool,
    /// Registered apps (the demo app is always there).
    pub clients: Vec<ClientApp>,
    /// How long refresh tokens live (Spotify: six months after authorization).
    pub refresh_token_ttl: Duration,
    /// Development-Mode conditions per client id (apps not listed: owner has Premium, no user list).
    pub apps: BTreeMap<String, AppConditions>,
    /// Development Mode: list the Spotify-owned playlists a user follows in `/me/playlists`
    /// (they still answer 404). Off: hidden, as users report Spotify does.
    pub list_spotify_owned: bool,
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
            quota: Quota::default(),
            auto_approve: false,
            clients: vec![ClientApp::demo()],
            refresh_token_ttl: Duration::from_secs(183 * 86_400),
            apps: BTreeMap::new(),
            list_spotify_owned: false,
        }
    }
}
