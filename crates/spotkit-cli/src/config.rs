//! Resolves flags, environment and the config file once into [`Settings`]; builds the client.
//!
//! The config file is `config.json` in the config dir (`SPOTKIT_CONFIG_DIR`, `--config-dir`, or
//! the platform config dir). Tokens live in `tokens/<profile>.json` beside it. `spotkit login`
//! records which client id and base URLs a profile logged in with, so later commands refresh the
//! token with the same app.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow};
use serde::{Deserialize, Serialize};
use spotkit::Spotify;
use spotkit::http::RetryPolicy;
use spotkit::token::FileStore;

use crate::cli::Global;

/// The profile used when none is given.
pub const DEFAULT_PROFILE: &str = "default";

/// Settings of one profile in the config file.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct ProfileConfig {
    /// Client id of the Spotify app.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// Web API base URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_base: Option<String>,
    /// Accounts service base URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accounts_base: Option<String>,
}

/// The config file.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct ConfigFile {
    /// The profile used when `--profile` is not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    /// Defaults for every profile.
    #[serde(flatten)]
    pub defaults: ProfileConfig,
    /// Per-profile settings, written by `spotkit login`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub profiles: BTreeMap<String, ProfileConfig>,
}

/// Everything a command needs, resolved once.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The config dir.
    pub dir: PathBuf,
    /// Where spotkit keeps data it builds (the listening-history database): `SPOTKIT_DATA_DIR`,
    /// else the config dir when one was given (so a test or a portable setup keeps everything in
    /// one folder), else the platform data dir.
    pub data_dir: PathBuf,
    /// The config file as read.
    pub file: ConfigFile,
    /// The profile in use.
    pub profile: String,
    /// The client id, if known.
    pub client_id: Option<String>,
    /// Web API base URL override.
    pub api_base: Option<String>,
    /// Accounts base URL override.
    pub accounts_base: Option<String>,
    /// Machine output.
    pub json: bool,
    /// No progress and no chatter.
    pub quiet: bool,
}

impl Settings {
    /// Resolves the global flags against the config file.
    pub fn resolve(global: &Global) -> Result<Settings> {
        let dir = match &global.config_dir {
            Some(d) => d.clone(),
            None => directories::ProjectDirs::from("", "", "spotkit")
                .map(|d| d.config_dir().to_path_buf())
                .ok_or_else(|| {
                    anyhow!("cannot find a home directory; set SPOTKIT_CONFIG_DIR to a directory for spotkit's config")
                })?,
        };
        let data_dir = match (std::env::var_os("SPOTKIT_DATA_DIR"), &global.config_dir) {
            (Some(d), _) if !d.is_empty() => PathBuf::from(d),
            (_, Some(d)) => d.clone(),
            _ => directories::ProjectDirs::from("", "", "spotkit")
                .map(|d| d.data_dir().to_path_buf())
                .ok_or_else(|| {
                    anyhow!("cannot find a home directory; set SPOTKIT_DATA_DIR to a directory for spotkit's data")
                })?,
        };
        let file = read_config(&dir.join("config.json"))?;
        let profile = global
            .profile
            .clone()
            .or_else(|| file.profile.clone())
            .unwrap_or_else(|| DEFAULT_PROFILE.to_owned());
        spotkit::token::validate_profile(&profile)?;
        let saved = file.profiles.get(&profile).cloned().unwrap_or_default();
        let pick = |flag: &Option<String>, saved: &Option<String>, default: &Option<String>| {
            flag.clone()
                .or_else(|| saved.clone())
                .or_else(|| default.clone())
        };
        Ok(Settings {
            client_id: pick(
                &global.client_id,
                &saved.client_id,
                &file.defaults.client_id,
            ),
            api_base: pick(&global.api_base, &saved.api_base, &file.defaults.api_base),
            accounts_base: pick(
                &global.accounts_base,
                &saved.accounts_base,
                &file.defaults.accounts_base,
            ),
            dir,
            data_dir,
            file,
            profile,
            json: global.json,
            quiet: global.quiet,
        })
    }

    /// The config file's path.
    pub fn config_path(&self) -> PathBuf {
        self.dir.join("config.json")
    }

    /// The token store.
    pub fn store(&self) -> FileStore {
        FileStore::in_dir(self.dir.join("tokens"))
    }

    /// The token file of the profile in use.
    pub fn token_path(&self) -> Result<PathBuf> {
        Ok(self.store().path(&self.profile)?)
    }

    /// A client for the profile; `client_id` is required (it renews the token).
    pub fn client(&self) -> Result<Spotify> {
        let client_id = self.client_id.as_deref().ok_or_else(|| {
            anyhow!(crate::hint::Hinted::new(
                format!("no client id for profile `{}`", self.profile),
                "pass --client-id or set SPOTKIT_CLIENT_ID to the client id of your app at https://developer.spotify.com/dashboard, then run `spotkit login`",
            ))
        })?;
        let mut builder = Spotify::builder()
            .pkce(client_id)
            .retry_policy(self.retry_policy())
            .token_store(self.store(), &self.profile);
        if let Some(api) = &self.api_base {
            builder = builder.api_base_url(api.clone());
        }
        if let Some(acc) = &self.accounts_base {
            builder = builder.accounts_base_url(acc.clone());
        }
        builder.build().context("building the Spotify client")
    }

    /// spotkit's default retries; long 429 waits are shown on stderr as they start (unless
    /// `--quiet`), so a command that waits is not silent.
    fn retry_policy(&self) -> RetryPolicy {
        let policy = RetryPolicy::default();
        if self.quiet {
            return policy;
        }
        policy.on_wait(crate::waits::show)
    }

    /// A client that must already hold a token (else: "not logged in").
    pub async fn logged_in_client(&self) -> Result<Spotify> {
        let spotify = self.client()?;
        if spotify.auth().token().await?.is_none() {
            return Err(anyhow!(crate::hint::Hinted::new(
                format!("not logged in (profile `{}`)", self.profile),
                "run `spotkit login` first",
            )));
        }
        Ok(spotify)
    }

    /// Records the profile's client id and base URLs (after a login).
    pub fn remember_profile(&self) -> Result<()> {
        let mut file = self.file.clone();
        file.profiles.insert(
            self.profile.clone(),
            ProfileConfig {
                client_id: self.client_id.clone(),
                api_base: self.api_base.clone(),
                accounts_base: self.accounts_base.clone(),
            },
        );
        write_config(&self.config_path(), &file)
    }

    /// Drops the profile from the config file (after a logout).
    pub fn forget_profile(&self) -> Result<()> {
        let mut file = self.file.clone();
        if file.profiles.remove(&self.profile).is_some() {
            write_config(&self.config_path(), &file)?;
        }
        Ok(())
    }
}

fn read_config(path: &Path) -> Result<ConfigFile> {
    match std::fs::read(path) {
        Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| {
            anyhow!(crate::hint::Hinted::new(
                format!("the config file {} is not valid: {e}", path.display()),
                format!(
                    "fix line {} of {} (JSON: {{\"client_id\": \"...\", \"profile\": \"...\"}}), or delete it: \
                     `spotkit login` writes a new one",
                    e.line(),
                    path.display()
                ),
            ))
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(ConfigFile::default()),
        Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
    }
}

fn write_config(path: &Path, file: &ConfigFile) -> Result<()> {
    let mut bytes = serde_json::to_vec_pretty(file)?;
    bytes.push(b'\n');
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the directory {}", dir.display()))?;
    }
    // Beside the tokens, and kept as private as they are.
    spotkit_files::write_atomic(path, &bytes, spotkit_files::Mode::Private)?;
    Ok(())
}
