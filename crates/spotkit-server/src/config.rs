//! Settings: a TOML file (`--config server.toml`) overlaid with `SPOTKIT_SERVER_*` variables.
//!
//! [`Config`] is the raw shape of the file; [`Config::load`] reads the file, applies the
//! environment (`SPOTKIT_SERVER_DATABASE_URL`, `SPOTKIT_SERVER_SPOTIFY__CLIENT_ID` — a double
//! underscore enters a table, lists are comma-separated) and checks the result, so the rest of the
//! server only sees a validated value.
//!
//! ```
//! let config = spotkit_server::Config::from_toml(r#"
//!     public_url = "https://music.example.com"
//!     [spotify]
//!     client_id = "abc"
//!     client_secret = "s3cret"
//!     [keys]
//!     current = "k1"
//!     k1 = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="
//! "#, std::iter::empty()).unwrap();
//! assert_eq!(config.redirect_uri(), "https://music.example.com/callback");
//! ```

use std::collections::BTreeMap;
use std::net::{IpAddr, SocketAddr};

use ipnet::IpNet;
use std::path::Path;

use secrecy::SecretString;
use serde::{Deserialize, Serialize};

/// Everything that can be wrong with the configuration.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read the config file {path}: {error}; check the --config path")]
    Read {
        /// The path given.
        path: String,
        /// The OS error.
        error: std::io::Error,
    },
    /// The file (or an environment value) does not parse or has a wrong type.
    #[error("invalid configuration: {0}")]
    Parse(String),
    /// A setting has an unusable value.
    #[error("invalid setting `{key}`: {message}")]
    Invalid {
        /// The setting's name, as in the file.
        key: &'static str,
        /// What is wrong and what to do.
        message: String,
    },
}

/// The Spotify app the server logs users in with.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SpotifyConfig {
    /// The app's client id.
    pub client_id: String,
    /// The app's client secret (confidential client).
    #[serde(serialize_with = "redacted")]
    pub client_secret: SecretString,
    /// Web API base URL (default Spotify's; the sandbox's `/v1` in tests).
    pub api_base_url: String,
    /// Accounts service base URL.
    pub accounts_base_url: String,
    /// Scopes asked for at login.
    pub scopes: Vec<String>,
    /// Renew access tokens this many seconds before they expire.
    pub refresh_ahead_secs: u64,
}

impl Default for SpotifyConfig {
    fn default() -> Self {
        SpotifyConfig {
            client_id: String::new(),
            client_secret: SecretString::from(String::new()),
            api_base_url: spotkit::DEFAULT_API_BASE.into(),
            accounts_base_url: spotkit::DEFAULT_ACCOUNTS_BASE.into(),
            scopes: vec![
                "user-read-private".into(),
                "user-read-email".into(),
                "playlist-read-private".into(),
                "playlist-read-collaborative".into(),
            ],
            refresh_ahead_secs: 300,
        }
    }
}

fn redacted<S: serde::Serializer>(_: &SecretString, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str("")
}

/// Rate limits (requests per minute; 0 turns a limit off).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RateLimitConfig {
    /// Per client IP on `/login`, `/callback` and `/token`.
    pub login_per_ip_per_minute: u32,
    /// Per client IP on the API routes and on `/`, `/logout` and `/logout/everywhere`.
    pub api_per_ip_per_minute: u32,
    /// Per user on the API routes.
    pub api_per_user_per_minute: u32,
}

impl Default for RateLimitConfig {
    fn default() -> Self {
        RateLimitConfig {
            login_per_ip_per_minute: 60,
            api_per_ip_per_minute: 1200,
            api_per_user_per_minute: 600,
        }
    }
}

/// The server's settings, as in the config file. Its `Debug` output blanks the client secret,
/// the keys and the database password.
#[derive(Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Address to listen on.
    pub listen: SocketAddr,
    /// The URL users reach the server at (used for the Spotify redirect URI and cookies).
    pub public_url: String,
    /// `sqlite://path/to/file.db` (created if missing) or `postgres://...`.
    pub database_url: String,
    /// Largest database pool.
    pub database_max_connections: u32,
    /// Mark the session cookie `Secure` and use the `__Host-` name. Turn off only for
    /// plain-HTTP loopback development: browsers refuse `__Host-` cookies without `Secure`.
    pub cookie_secure: bool,
    /// Session lifetime in seconds.
    pub session_ttl_secs: u64,
    /// A session not used for this long ends, seconds (its last use is recorded at most once a
    /// minute). 0: sessions end only at `session_ttl_secs`.
    pub session_idle_timeout_secs: u64,
    /// Redirect URIs of mobile apps allowed for the hand-off (exact match).
    pub mobile_redirect_uris: Vec<String>,
    /// Lifetime of the one-time hand-off code, seconds.
    pub handoff_code_ttl_secs: u64,
    /// Lifetime of server API access tokens, seconds.
    pub api_token_ttl_secs: u64,
    /// Lifetime of server API refresh tokens, seconds.
    pub api_refresh_ttl_secs: u64,
    /// Most a token family (the chain of refreshes from one mobile login) lives, seconds,
    /// however often it is refreshed; then the app must log in again.
    pub api_family_max_age_secs: u64,
    /// Put Spotify's tokens in the mobile redirect instead of a one-time code, for apps that still
    /// expect that. Off by default: tokens in a URL end up in logs and browser history.
    pub legacy_token_redirect: bool,
    /// Where the browser lands after login.
    pub post_login_redirect: String,
    /// Largest metadata `collection`, bytes.
    pub metadata_max_bytes: usize,
    /// Most metadata versions one user may store (every version of every document counts);
    /// further writes answer 429 `metadata_quota_exceeded`. 0: no limit.
    pub metadata_max_documents_per_user: u64,
    /// Most bytes of metadata collections one user may store, all versions together; a write
    /// that would go beyond answers 413 `metadata_quota_exceeded`. 0: no limit.
    pub metadata_max_bytes_per_user: u64,
    /// Largest request body on other routes, bytes.
    pub max_body_bytes: usize,
    /// Time allowed for one request, seconds (from its headers to the response).
    pub request_timeout_secs: u64,
    /// Time a client has to send a request's headers, seconds; slower connections are closed.
    pub header_read_timeout_secs: u64,
    /// A connection with no request in flight and no bytes either way for this long is closed,
    /// seconds (also a connection that never sends anything).
    pub idle_timeout_secs: u64,
    /// Most connections open at once; further ones are closed as soon as they are accepted.
    /// Keep it below the process's file-descriptor limit (`ulimit -n`).
    pub max_connections: usize,
    /// Accept Spotify access tokens as `Authorization: Bearer` on the routes that only pass
    /// Spotify's own data through (`/me`, `/playlists`). Off by default: Spotify cannot tell
    /// this server which app a token was issued to, so any app the user ever approved (or
    /// anyone holding a leaked token) could act as the user. Even when on, such tokens never
    /// reach data this server keeps (`/metadata`, sessions, API tokens).
    pub accept_spotify_bearer: bool,
    /// How long a validated Spotify bearer token is trusted without asking Spotify again, seconds.
    pub bearer_cache_secs: u64,
    /// How long a user's profile is served from the database before it is fetched again, seconds.
    pub profile_cache_secs: u64,
    /// How long this process keeps which user a server API token belongs to, and the user's
    /// row, without reading the database again, milliseconds. Revocations and user changes made
    /// through this instance apply at once; made through another instance sharing the
    /// database, within this time. 0 reads the database on every request.
    pub api_cache_ms: u64,
    /// Reverse proxies whose `X-Forwarded-For` is believed: addresses (`10.0.0.1`) or CIDR
    /// ranges (`10.0.0.0/8`, `fd00::/8`). The client is the right-most entry that is not one of
    /// them; an entry that is not an address stops the walk at the last trusted hop.
    #[serde(
        serialize_with = "serialize_nets",
        deserialize_with = "deserialize_nets"
    )]
    pub trusted_proxies: Vec<IpNet>,
    /// Log as JSON lines.
    pub log_json: bool,
    /// The Spotify app.
    pub spotify: SpotifyConfig,
    /// Rate limits.
    pub rate_limits: RateLimitConfig,
    /// Token encryption keys: `current = "<id>"` plus `<id> = "<base64 of 32 bytes>"` entries.
    /// Old keys stay listed so tokens encrypted with them can still be read.
    #[serde(serialize_with = "redacted_keys")]
    pub keys: BTreeMap<String, SecretString>,
}

fn serialize_nets<S: serde::Serializer>(nets: &[IpNet], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(nets.iter().map(ToString::to_string))
}

/// `10.0.0.1` (one address) or `10.0.0.0/8`.
fn deserialize_nets<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<IpNet>, D::Error> {
    let raw = Vec::<String>::deserialize(d)?;
    raw.iter()
        .map(|s| parse_net(s).map_err(serde::de::Error::custom))
        .collect()
}

fn parse_net(s: &str) -> Result<IpNet, String> {
    let s = s.trim();
    s.parse::<IpNet>()
        .or_else(|_| s.parse::<IpAddr>().map(IpNet::from))
        .map_err(|_| {
            format!(
                "trusted_proxies: {s:?} is neither an IP address nor a CIDR range; use e.g. \"10.0.0.1\" or \"10.0.0.0/8\""
            )
        })
}

fn redacted_keys<S: serde::Serializer>(
    keys: &BTreeMap<String, SecretString>,
    s: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = s.serialize_map(Some(keys.len()))?;
    for k in keys.keys() {
        map.serialize_entry(k, "")?;
    }
    map.end()
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Through the serialised form, which blanks the client secret and the keys already; a
        // PostgreSQL URL can carry a password too.
        let mut value = toml::Value::try_from(self).map_err(|_| std::fmt::Error)?;
        if let Some(table) = value.as_table_mut() {
            table.insert(
                "database_url".into(),
                toml::Value::String(redact_url(&self.database_url)),
            );
        }
        write!(f, "Config {value}")
    }
}

/// `url` with its password (if any) replaced by `***`.
pub fn redact_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        Ok(_) => url.to_owned(),
        // Unparsable: it may still hold a password somewhere.
        Err(_) => "<unparsable URL>".into(),
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            public_url: "http://127.0.0.1:8080".into(),
            database_url: "sqlite://spotkit-server.db".into(),
            database_max_connections: 16,
            cookie_secure: true,
            session_ttl_secs: 30 * 86_400,
            session_idle_timeout_secs: 7 * 86_400,
            mobile_redirect_uris: Vec::new(),
            handoff_code_ttl_secs: 120,
            api_token_ttl_secs: 3600,
            api_refresh_ttl_secs: 30 * 86_400,
            api_family_max_age_secs: 90 * 86_400,
            legacy_token_redirect: false,
            post_login_redirect: "/".into(),
            metadata_max_bytes: 1024 * 1024,
            metadata_max_documents_per_user: 10_000,
            metadata_max_bytes_per_user: 100 * 1024 * 1024,
            max_body_bytes: 64 * 1024,
            request_timeout_secs: 30,
            header_read_timeout_secs: 10,
            idle_timeout_secs: 60,
            max_connections: 1024,
            accept_spotify_bearer: false,
            bearer_cache_secs: 300,
            profile_cache_secs: 3600,
            api_cache_ms: 1000,
            trusted_proxies: Vec::new(),
            log_json: false,
            spotify: SpotifyConfig::default(),
            rate_limits: RateLimitConfig::default(),
            keys: BTreeMap::new(),
        }
    }
}

/// The prefix of environment overrides.
pub const ENV_PREFIX: &str = "SPOTKIT_SERVER_";

/// The environment variable with the config file's path (read by the command line, not a
/// setting).
pub const CONFIG_PATH_ENV: &str = "SPOTKIT_SERVER_CONFIG";

impl Config {
    /// Reads `path` (if given) and applies the process environment.
    pub fn load(path: Option<&Path>) -> Result<Config, ConfigError> {
        let text = match path {
            Some(p) => std::fs::read_to_string(p).map_err(|error| ConfigError::Read {
                path: p.display().to_string(),
                error,
            })?,
            None => String::new(),
        };
        Config::from_toml(&text, std::env::vars())
    }

    /// Parses TOML text and applies `env` (pairs like the process environment; only
    /// `SPOTKIT_SERVER_*` names are used).
    pub fn from_toml(
        text: &str,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Config, ConfigError> {
        let mut table: toml::Table =
            toml::from_str(text).map_err(|e| ConfigError::Parse(e.to_string()))?;
        let defaults = toml::Table::try_from(Config::default())
            .map_err(|e| ConfigError::Parse(e.to_string()))?;
        for (name, value) in env {
            let Some(key) = name.strip_prefix(ENV_PREFIX) else {
                continue;
            };
            if name == CONFIG_PATH_ENV {
                continue;
            }
            let path: Vec<String> = key
                .to_ascii_lowercase()
                .split("__")
                .map(str::to_owned)
                .collect();
            overlay(&mut table, &defaults, &path, &value, &name)?;
        }
        let config: Config = toml::Value::Table(table)
            .try_into()
            .map_err(|e: toml::de::Error| ConfigError::Parse(e.to_string()))?;
        config.validate()?;
        Ok(config)
    }

    fn validate(&self) -> Result<(), ConfigError> {
        let url = url::Url::parse(&self.public_url).map_err(|e| ConfigError::Invalid {
            key: "public_url",
            message: format!(
                "{:?} is not a URL ({e}); use e.g. https://music.example.com",
                self.public_url
            ),
        })?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(ConfigError::Invalid {
                key: "public_url",
                message: "use an http(s) URL".into(),
            });
        }
        spotkit::auth::RedirectUri::new(&self.redirect_uri()).map_err(|e| {
            ConfigError::Invalid {
                key: "public_url",
                message: format!("the callback URL it gives is not one Spotify accepts: {e}"),
            }
        })?;
        if self.spotify.client_id.is_empty() {
            return Err(ConfigError::Invalid {
                key: "spotify.client_id",
                message:
                    "set the client id of your Spotify app (SPOTKIT_SERVER_SPOTIFY__CLIENT_ID)"
                        .into(),
            });
        }
        if secrecy::ExposeSecret::expose_secret(&self.spotify.client_secret).is_empty() {
            return Err(ConfigError::Invalid {
                key: "spotify.client_secret",
                message: "set the client secret of your Spotify app (SPOTKIT_SERVER_SPOTIFY__CLIENT_SECRET)".into(),
            });
        }
        if !(self.database_url.starts_with("sqlite:")
            || self.database_url.starts_with("postgres://")
            || self.database_url.starts_with("postgresql://"))
        {
            return Err(ConfigError::Invalid {
                key: "database_url",
                message: "use sqlite://path/to/file.db or postgres://user@host/db".into(),
            });
        }
        for uri in &self.mobile_redirect_uris {
            if url::Url::parse(uri).is_err() {
                return Err(ConfigError::Invalid {
                    key: "mobile_redirect_uris",
                    message: format!("{uri:?} is not a URL; use e.g. com.example.app://callback"),
                });
            }
        }
        if !self.post_login_redirect.starts_with('/') || self.post_login_redirect.starts_with("//")
        {
            return Err(ConfigError::Invalid {
                key: "post_login_redirect",
                message: "use a path on this server, such as /".into(),
            });
        }
        crate::crypto::Keyring::from_config(&self.keys)
            .map(|_| ())
            .map_err(|e| ConfigError::Invalid {
                key: "keys",
                message: e.to_string(),
            })
    }

    /// The redirect URI registered with Spotify: `public_url` + `/callback`.
    pub fn redirect_uri(&self) -> String {
        format!("{}/callback", self.public_url.trim_end_matches('/'))
    }

    /// The session cookie's name: `__Host-` prefixed when `Secure`.
    pub fn cookie_name(&self) -> &'static str {
        if self.cookie_secure {
            "__Host-spotkit_session"
        } else {
            "spotkit_session"
        }
    }

    /// The name of the short-lived cookie of a login in progress (`state` and PKCE verifier,
    /// between `/login` and `/callback`): apart from the session cookie, so that starting a
    /// login does not end the session the browser has.
    pub fn login_cookie_name(&self) -> &'static str {
        if self.cookie_secure {
            "__Host-spotkit_login"
        } else {
            "spotkit_login"
        }
    }
}

/// Sets `path` in `table` from an environment string, typed like the default at that place.
fn overlay(
    table: &mut toml::Table,
    defaults: &toml::Table,
    path: &[String],
    raw: &str,
    name: &str,
) -> Result<(), ConfigError> {
    let (head, rest) = path
        .split_first()
        .ok_or_else(|| ConfigError::Parse(format!("{name}: empty key")))?;
    let default = defaults.get(head);
    // A table with defaults has a fixed set of settings; only free-form tables (`keys`, empty by
    // default) take any name. Naming the variable beats serde's "unknown field `venv`" when some
    // unrelated tool's SPOTKIT_SERVER_* variable is in the environment.
    if default.is_none() && !defaults.is_empty() {
        return Err(ConfigError::Parse(format!(
            "the environment variable {name} names no spotkit-server setting (`{head}` is unknown); \
             unset it, or see docs/server.md for the settings"
        )));
    }
    if rest.is_empty() {
        let value = match default {
            Some(toml::Value::Boolean(_)) => toml::Value::Boolean(match raw {
                "1" | "true" | "yes" | "on" => true,
                "0" | "false" | "no" | "off" => false,
                _ => {
                    return Err(ConfigError::Parse(format!(
                        "{name}: expected true or false, got {raw:?}"
                    )));
                }
            }),
            Some(toml::Value::Integer(_)) => toml::Value::Integer(raw.parse().map_err(|_| {
                ConfigError::Parse(format!("{name}: expected a whole number, got {raw:?}"))
            })?),
            Some(toml::Value::Array(_)) => toml::Value::Array(
                raw.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| toml::Value::String(s.to_owned()))
                    .collect(),
            ),
            Some(toml::Value::Table(_)) => {
                return Err(ConfigError::Parse(format!(
                    "{name}: names a table; add `__KEY`"
                )));
            }
            // Strings, and free-form tables' entries (the `keys` table).
            _ => toml::Value::String(raw.to_owned()),
        };
        table.insert(head.clone(), value);
        return Ok(());
    }
    let entry = table
        .entry(head.clone())
        .or_insert_with(|| toml::Value::Table(toml::Table::new()));
    let toml::Value::Table(sub) = entry else {
        return Err(ConfigError::Parse(format!(
            "{name}: `{head}` is not a table"
        )));
    };
    let empty = toml::Table::new();
    let sub_defaults = match default {
        Some(toml::Value::Table(t)) => t,
        _ => &empty,
    };
    overlay(sub, sub_defaults, rest, raw, name)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = r#"
        public_url = "http://127.0.0.1:9000"
        [spotify]
        client_id = "id"
        client_secret = "secret"
        [keys]
        current = "k1"
        k1 = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="
    "#;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect()
    }

    #[test]
    fn environment_overrides_the_file() {
        let c = Config::from_toml(
            BASE,
            env(&[
                ("SPOTKIT_SERVER_DATABASE_URL", "postgres://u@127.0.0.1/db"),
                ("SPOTKIT_SERVER_COOKIE_SECURE", "false"),
                ("SPOTKIT_SERVER_SESSION_TTL_SECS", "60"),
                ("SPOTKIT_SERVER_MOBILE_REDIRECT_URIS", "app://cb, other://x"),
                ("SPOTKIT_SERVER_SPOTIFY__CLIENT_ID", "from-env"),
                ("SPOTKIT_SERVER_RATE_LIMITS__API_PER_USER_PER_MINUTE", "5"),
                (
                    "SPOTKIT_SERVER_KEYS__K2",
                    "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
                ),
                ("OTHER", "ignored"),
                (CONFIG_PATH_ENV, "/etc/spotkit-server.toml"),
            ]),
        )
        .unwrap();
        assert_eq!(c.database_url, "postgres://u@127.0.0.1/db");
        assert!(!c.cookie_secure);
        assert_eq!(c.cookie_name(), "spotkit_session");
        assert_eq!(c.session_ttl_secs, 60);
        assert_eq!(c.mobile_redirect_uris, ["app://cb", "other://x"]);
        assert_eq!(c.spotify.client_id, "from-env");
        assert_eq!(c.rate_limits.api_per_user_per_minute, 5);
        assert_eq!(c.keys.len(), 3);
        assert_eq!(c.redirect_uri(), "http://127.0.0.1:9000/callback");
    }

    #[test]
    fn bad_values_name_the_setting() {
        let e =
            Config::from_toml(BASE, env(&[("SPOTKIT_SERVER_COOKIE_SECURE", "maybe")])).unwrap_err();
        assert!(
            e.to_string().contains("SPOTKIT_SERVER_COOKIE_SECURE"),
            "{e}"
        );
        let e = Config::from_toml(&BASE.replace("127.0.0.1:9000", "localhost:9000"), env(&[]))
            .unwrap_err();
        assert!(e.to_string().contains("public_url"), "{e}");
        let e = Config::from_toml(&format!("{BASE}\nunknown = 1"), env(&[])).unwrap_err();
        assert!(e.to_string().contains("unknown"), "{e}");
        let e = Config::from_toml(BASE, env(&[("SPOTKIT_SERVER_DATABASE_URL", "mysql://x")]))
            .unwrap_err();
        assert!(e.to_string().contains("database_url"), "{e}");
        // A stray variable with the prefix (another tool's) is named, with what to do.
        for stray in ["SPOTKIT_SERVER_VENV", "SPOTKIT_SERVER_SPOTIFY__CLIENTID"] {
            let e = Config::from_toml(BASE, env(&[(stray, "/x")])).unwrap_err();
            assert!(e.to_string().contains(stray), "{e}");
            assert!(e.to_string().contains("unset it"), "{e}");
        }
        let no_keys = BASE.split("[keys]").next().unwrap();
        let e = Config::from_toml(no_keys, env(&[])).unwrap_err();
        assert!(e.to_string().contains("keys"), "{e}");
    }

    #[test]
    fn trusted_proxies_take_addresses_and_ranges() {
        let c = Config::from_toml(
            &format!("trusted_proxies = [\"10.0.0.1\", \"192.168.0.0/16\", \"fd00::/8\"]\n{BASE}"),
            env(&[]),
        )
        .unwrap();
        let nets: Vec<String> = c.trusted_proxies.iter().map(ToString::to_string).collect();
        assert_eq!(nets, ["10.0.0.1/32", "192.168.0.0/16", "fd00::/8"]);
        let c = Config::from_toml(
            BASE,
            env(&[("SPOTKIT_SERVER_TRUSTED_PROXIES", "127.0.0.0/8, ::1")]),
        )
        .unwrap();
        assert_eq!(c.trusted_proxies.len(), 2);
        // The serialised form reads back (Debug and the defaults table go through it).
        let again: Config = toml::from_str(&toml::to_string(&c).unwrap()).unwrap();
        assert_eq!(again.trusted_proxies, c.trusted_proxies);
        let e = Config::from_toml(&format!("trusted_proxies = [\"proxy\"]\n{BASE}"), env(&[]))
            .unwrap_err();
        assert!(e.to_string().contains("CIDR"), "{e}");
    }

    #[test]
    fn serialized_config_hides_secrets() {
        let c = Config::from_toml(BASE, env(&[])).unwrap();
        let text = toml::to_string(&c).unwrap();
        assert!(!text.contains("secret\""), "{text}");
        assert!(!text.contains("MDEy"), "{text}");
    }
}
