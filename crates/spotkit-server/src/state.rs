//! [`AppState`]: what every handler shares — config, database, keys, the HTTP client, one
//! spotkit client per user, the Spotify-bearer cache and the rate limiters.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use secrecy::ExposeSecret as _;
use spotkit::Spotify;
use spotkit::token::ClientSecret;

use crate::StartError;
use crate::config::Config;
use crate::crypto::Keyring;
use crate::db::Db;
use crate::db::tokens::{RenewalLocks, UserTokenStore};
use crate::error::AppError;

/// Shared state of the server. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for AppState {
    // By hand: the clients and caches hold users' tokens.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("config", &self.inner.config)
            .field("db", &self.inner.db)
            .finish_non_exhaustive()
    }
}

struct Inner {
    config: Config,
    db: Db,
    keys: Arc<Keyring>,
    http: reqwest::Client,
    clients: Mutex<HashMap<String, Spotify>>,
    locks: Arc<RenewalLocks>,
    bearers: Mutex<HashMap<String, (BearerEntry, Instant)>>,
    /// Hashes of bearer tokens Spotify refused, until when they are refused without asking.
    rejected_bearers: Mutex<HashMap<String, Instant>>,
    limiter: RateLimiter,
}

/// How long a bearer token Spotify refused is refused without asking Spotify again: a client
/// repeating a junk token costs one Spotify call per minute, not one per request.
const REJECTED_BEARER_TTL: Duration = Duration::from_secs(60);

/// Most entries of the bearer caches (a profile is about a kilobyte).
const BEARER_CACHE_MAX: usize = 20_000;

impl AppState {
    /// Builds the state around a connected (and migrated) database.
    pub fn new(config: Config, db: Db) -> Result<AppState, StartError> {
        let keys = Keyring::from_config(&config.keys).map_err(StartError::Keys)?;
        let http = spotkit::http::client_builder()
            .map_err(|e| StartError::HttpClient(e.to_string()))?
            // Bearer tokens must never follow a redirect anywhere.
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(config.request_timeout_secs.max(1)))
            .connect_timeout(Duration::from_secs(10))
            .pool_idle_timeout(Duration::from_secs(60))
            .user_agent(concat!("spotkit-server/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| StartError::HttpClient(e.to_string()))?;
        Ok(AppState {
            inner: Arc::new(Inner {
                config,
                db,
                keys: Arc::new(keys),
                http,
                clients: Mutex::new(HashMap::new()),
                locks: Arc::new(RenewalLocks::default()),
                bearers: Mutex::new(HashMap::new()),
                rejected_bearers: Mutex::new(HashMap::new()),
                limiter: RateLimiter::default(),
            }),
        })
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The database.
    pub fn db(&self) -> &Db {
        &self.inner.db
    }

    /// The token keys.
    pub fn keys(&self) -> &Keyring {
        &self.inner.keys
    }

    fn builder(&self) -> spotkit::SpotifyBuilder {
        let c = &self.inner.config.spotify;
        Spotify::builder()
            .api_base_url(&c.api_base_url)
            .accounts_base_url(&c.accounts_base_url)
            .http_client(self.inner.http.clone())
            .refresh_skew(Duration::from_secs(c.refresh_ahead_secs))
    }

    /// A client for one login: confidential app with PKCE, no token store (the callback stores
    /// the token once it knows whose it is).
    pub fn login_client(&self) -> Result<Spotify, AppError> {
        let c = &self.inner.config.spotify;
        Ok(self
            .builder()
            .authorization_code_pkce(
                &c.client_id,
                ClientSecret::new(c.client_secret.expose_secret()),
            )
            .build()?)
    }

    /// The client of a logged-in user, shared by all of that user's requests so that a refresh
    /// is single-flight among them.
    pub fn user_client(&self, user_id: &str) -> Result<Spotify, AppError> {
        let mut clients = self
            .inner
            .clients
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(c) = clients.get(user_id) {
            return Ok(c.clone());
        }
        let c = &self.inner.config.spotify;
        let store = UserTokenStore::new(
            self.inner.db.clone(),
            self.inner.keys.clone(),
            user_id.to_owned(),
            self.inner.locks.clone(),
        );
        let client = self
            .builder()
            .authorization_code(
                &c.client_id,
                ClientSecret::new(c.client_secret.expose_secret()),
            )
            .token_store(store, "user")
            .build()?;
        if clients.len() >= 10_000 {
            // A crude bound: tokens are in the database, a dropped client only costs a reload.
            clients.clear();
        }
        clients.insert(user_id.to_owned(), client.clone());
        Ok(client)
    }

    /// Forgets the cached client of a user (after logout, re-login or a dead refresh token).
    pub fn forget_client(&self, user_id: &str) {
        self.inner
            .clients
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(user_id);
    }

    /// A client around a Spotify access token the caller brought (no renewal possible).
    pub fn bearer_client(&self, access_token: &str) -> Result<Spotify, AppError> {
        let token = spotkit::token::Token::new(
            spotkit::token::AccessToken::new(access_token),
            None,
            None,
            Vec::new(),
        );
        Ok(self.builder().token(token).build()?)
    }

    /// What a Spotify bearer token was validated as, if still cached.
    pub fn cached_bearer(&self, token_hash: &str) -> Option<BearerEntry> {
        let mut map = self
            .inner
            .bearers
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        match map.get(token_hash) {
            Some((entry, until)) if *until > Instant::now() => Some(entry.clone()),
            Some(_) => {
                map.remove(token_hash);
                None
            }
            None => None,
        }
    }

    /// Remembers what a Spotify bearer token was validated as.
    pub fn cache_bearer(&self, token_hash: String, entry: BearerEntry) {
        let ttl = Duration::from_secs(self.inner.config.bearer_cache_secs);
        let mut map = self
            .inner
            .bearers
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        // Entries hold a profile (about a kilobyte): bounded to keep memory in check.
        if map.len() >= BEARER_CACHE_MAX {
            let now = Instant::now();
            map.retain(|_, (_, until)| *until > now);
            if map.len() >= BEARER_CACHE_MAX {
                map.clear();
            }
        }
        map.insert(token_hash, (entry, Instant::now() + ttl));
    }

    /// Whether Spotify refused this bearer token (by hash) within the last minute.
    pub fn bearer_rejected(&self, token_hash: &str) -> bool {
        let mut map = self
            .inner
            .rejected_bearers
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        match map.get(token_hash) {
            Some(until) if *until > Instant::now() => true,
            Some(_) => {
                map.remove(token_hash);
                false
            }
            None => false,
        }
    }

    /// Remembers for a minute that Spotify refused this bearer token (by hash).
    pub fn reject_bearer(&self, token_hash: String) {
        let mut map = self
            .inner
            .rejected_bearers
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let now = Instant::now();
        if map.len() >= BEARER_CACHE_MAX {
            map.retain(|_, until| *until > now);
            if map.len() >= BEARER_CACHE_MAX {
                // Many distinct junk tokens: the per-IP limit bounds what they cost.
                map.clear();
            }
        }
        map.insert(token_hash, now + REJECTED_BEARER_TTL);
    }

    /// Counts one request against `key`'s per-minute budget.
    pub fn rate_limit(&self, key: RateKey, per_minute: u32) -> Result<(), AppError> {
        self.inner.limiter.check(key, per_minute)
    }
}

/// A validated Spotify bearer token: whose it is and the profile Spotify returned for it.
#[derive(Debug, Clone)]
pub struct BearerEntry {
    /// Spotify user id.
    pub user_id: String,
    /// The profile (`GET /v1/me`).
    pub profile: Arc<serde_json::Value>,
    /// When it was fetched (Unix seconds).
    pub fetched_at: i64,
}

/// What a rate limit counts. IPv6 addresses count per /64: one subscriber usually gets a whole
/// /64 (or more) and can pick any address in it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RateKey {
    /// Login routes per client IP.
    LoginIp(IpAddr),
    /// API routes per client IP.
    ApiIp(IpAddr),
    /// API routes per user.
    User(String),
}

impl RateKey {
    /// The bucket `self` counts against: IPv6 addresses cut to their /64.
    fn bucket(self) -> RateKey {
        fn prefix(ip: IpAddr) -> IpAddr {
            match ip.to_canonical() {
                IpAddr::V6(v6) => IpAddr::V6(std::net::Ipv6Addr::from(
                    v6.to_bits() & !((1u128 << 64) - 1),
                )),
                v4 @ IpAddr::V4(_) => v4,
            }
        }
        match self {
            RateKey::LoginIp(ip) => RateKey::LoginIp(prefix(ip)),
            RateKey::ApiIp(ip) => RateKey::ApiIp(prefix(ip)),
            user @ RateKey::User(_) => user,
        }
    }
}

/// Token buckets: `per_minute` requests per minute, bursts up to `per_minute`.
#[derive(Debug, Default)]
struct RateLimiter {
    buckets: Mutex<HashMap<RateKey, (f64, Instant)>>,
}

impl RateLimiter {
    fn check(&self, key: RateKey, per_minute: u32) -> Result<(), AppError> {
        if per_minute == 0 {
            return Ok(());
        }
        let capacity = f64::from(per_minute);
        let rate = capacity / 60.0;
        let now = Instant::now();
        let mut buckets = self.buckets.lock().unwrap_or_else(PoisonError::into_inner);
        if buckets.len() > 100_000 {
            buckets.retain(|_, (_, at)| now.duration_since(*at) < Duration::from_secs(120));
        }
        let (tokens, at) = buckets.entry(key.bucket()).or_insert((capacity, now));
        *tokens = (*tokens + now.duration_since(*at).as_secs_f64() * rate).min(capacity);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            let retry_after = ((1.0 - *tokens) / rate).ceil().max(1.0) as u64;
            Err(AppError::RateLimited { retry_after })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_refuse_beyond_the_budget() {
        let l = RateLimiter::default();
        let ip = RateKey::LoginIp(IpAddr::from([127, 0, 0, 1]));
        for _ in 0..3 {
            l.check(ip.clone(), 3).unwrap();
        }
        let e = l.check(ip.clone(), 3).unwrap_err();
        assert!(
            matches!(e, AppError::RateLimited { retry_after } if (1..=20).contains(&retry_after))
        );
        // Other keys have their own budget; 0 is unlimited.
        l.check(RateKey::User("u".into()), 3).unwrap();
        for _ in 0..100 {
            l.check(ip.clone(), 0).unwrap();
        }
    }

    #[test]
    fn ipv6_counts_per_64() {
        let l = RateLimiter::default();
        let a: IpAddr = "2001:db8:1:2::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:ffff::9".parse().unwrap();
        let other: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        l.check(RateKey::ApiIp(a), 1).unwrap();
        assert!(l.check(RateKey::ApiIp(b), 1).is_err(), "same /64");
        l.check(RateKey::ApiIp(other), 1).unwrap();
    }
}
