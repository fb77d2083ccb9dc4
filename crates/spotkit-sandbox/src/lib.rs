//! # spotkit-sandbox
//!
//! A local emulator of Spotify's accounts service and Web API. Spotify cannot be reached from the
//! machines spotkit is built and tested on, so every test, the demo and every benchmark run against
//! this; it follows Spotify's behaviour (paging, limits, scopes, error bodies, token rules, and the
//! Development-Mode vs Extended-Quota shapes) because users point spotkit at the real service.
//!
//! Module map: [`catalog`] generates the deterministic world from a seed, [`render`] turns it into
//! Spotify's JSON shapes, [`accounts`] is the OAuth side, [`api`] the Web API, [`paging`] and
//! [`fields`] the query machinery, [`faults`] the hostile network, [`quota`] the per-developer-account quota, [`control`] the `/_sandbox/` plane, [`media`] the audio
//! catalogue `spotkit sync` downloads from in tests, [`lrclib`] the lyrics service it asks.
//!
//! ```no_run
//! # async fn demo() -> Result<(), spotkit_sandbox::Error> {
//! use spotkit_sandbox::{Mode, Sandbox};
//!
//! let sandbox = Sandbox::builder().seed(7).liked(500).mode(Mode::Dev).start().await?;
//! let token = sandbox.token("demo", &["user-library-read"]).await?;
//! println!("GET {}/me/tracks with Bearer {}", sandbox.api_url(), token.access_token);
//! # Ok(()) }
//! ```
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]

use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::routing::{get, post};
use hyper_util::rt::{TokioExecutor, TokioIo};
use tower::{Layer as _, ServiceExt as _};
use tower_http::normalize_path::{NormalizePath, NormalizePathLayer};

pub mod accounts;
pub mod api;
pub mod catalog;
pub mod cli;
pub mod config;
pub mod control;
pub mod ctx;
pub mod error;
pub mod faults;
pub mod fields;
pub mod lrclib;
pub mod media;
mod names;
pub mod paging;
pub mod params;
pub mod quota;
pub mod render;
pub mod response_cache;
pub mod state;
pub mod tokens;

pub use config::{
    AppConditions, ClientApp, Config, DEFAULT_ACCOUNT, Faults, MAX_DEV_USERS, Mode, Quota,
};
pub use state::{AppState, Stats};

/// What can go wrong starting or driving a sandbox.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The address could not be bound.
    #[error(
        "could not listen on {addr}: {source}; pick another address with --addr (port 0 picks a free one)"
    )]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// The OS error.
        source: std::io::Error,
    },
    /// A token was asked for a user the catalogue does not have.
    #[error(
        "the sandbox has no user {0:?}; the demo user is \"demo\" (see GET /_sandbox/catalog for all)"
    )]
    UnknownUser(String),
    /// A token was asked with a scope Spotify does not define.
    #[error("{0:?} is not a Spotify scope")]
    UnknownScope(String),
    /// An app's Development-Mode conditions cannot be (a user list longer than 5).
    #[error("app {client_id:?}: {message}")]
    AppConditions {
        /// The app.
        client_id: String,
        /// What is wrong.
        message: String,
    },
}

/// The HTTP application: accounts service, `/v1` Web API and `/_sandbox` control plane.
pub fn app(state: AppState) -> Router {
    let v1 = api::router().route_layer(axum::middleware::from_fn_with_state(
        state.clone(),
        faults::inject,
    ));
    Router::new()
        .route("/authorize", get(accounts::authorize))
        .route("/authorize/decision", post(accounts::decision))
        .route("/api/token", post(accounts::token))
        .route("/_sandbox/stats", get(control::stats))
        .route("/_sandbox/reset-stats", post(control::reset_stats))
        .route("/_sandbox/token", post(control::token))
        .route(
            "/_sandbox/faults",
            get(control::get_faults).post(control::set_faults),
        )
        .route(
            "/_sandbox/quota",
            get(control::get_quota).post(control::set_quota),
        )
        .route("/_sandbox/quota/reset", post(control::reset_quota))
        .route("/_sandbox/apps", get(control::get_apps))
        .route("/_sandbox/apps/{client_id}", post(control::set_app))
        .route("/_sandbox/catalog", get(control::catalog))
        .route("/_sandbox/image/{id}/{size}", get(control::image))
        .route("/_sandbox/media/catalog.json", get(media::catalog))
        .route("/_sandbox/media/audio/{file}", get(media::audio))
        .route("/lrclib/api/get", get(lrclib::get))
        .route("/lrclib/api/search", get(lrclib::search))
        .nest("/v1", v1)
        .fallback(|| async {
            error::ApiError::new(axum::http::StatusCode::NOT_FOUND, "Service not found")
        })
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            faults::count,
        ))
        .with_state(state)
}

/// [`app`] as served: paths are normalised before routing, so `GET /v1/me/` is `GET /v1/me`.
///
/// Spotify serves paths with a trailing slash: spotipy's `current_user()` (spotipy/client.py,
/// `me()` sends `_get("me/")`, github.com/spotipy-dev/spotipy) and tekore's `current_user()`
/// (tekore/_client/api/user.py, github.com/felix-hilden/tekore) both send `GET /v1/me/` to
/// Spotify and get the profile. A layer added with `Router::layer` runs after routing, too late
/// to change the route, so the normalisation wraps the whole router.
pub fn service(state: AppState) -> NormalizePath<Router> {
    NormalizePathLayer::trim_trailing_slash().layer(app(state))
}

/// Entry point: `Sandbox::builder()`.
#[derive(Debug)]
pub struct Sandbox;

impl Sandbox {
    /// A builder with the defaults of the `spotkit-sandbox` binary.
    pub fn builder() -> SandboxBuilder {
        SandboxBuilder {
            config: Config::default(),
        }
    }
}

/// Settings for a sandbox to start; the same knobs as the binary's flags.
#[derive(Debug, Clone)]
pub struct SandboxBuilder {
    config: Config,
}

impl SandboxBuilder {
    /// Starts from a full configuration.
    pub fn config(config: Config) -> SandboxBuilder {
        SandboxBuilder { config }
    }
    /// Address to bind (default `127.0.0.1:0`, a free port).
    #[must_use]
    pub fn addr(mut self, addr: SocketAddr) -> Self {
        self.config.addr = addr;
        self
    }
    /// Catalogue seed.
    #[must_use]
    pub fn seed(mut self, seed: u64) -> Self {
        self.config.seed = seed;
        self
    }
    /// Liked songs of the demo user.
    #[must_use]
    pub fn liked(mut self, n: usize) -> Self {
        self.config.liked = n;
        self
    }
    /// Playlists of the demo user.
    #[must_use]
    pub fn playlists(mut self, n: usize) -> Self {
        self.config.playlists = n;
        self
    }
    /// Saved albums of the demo user.
    #[must_use]
    pub fn albums(mut self, n: usize) -> Self {
        self.config.albums = n;
        self
    }
    /// API generation.
    #[must_use]
    pub fn mode(mut self, mode: Mode) -> Self {
        self.config.mode = mode;
        self
    }
    /// Send both new and old member names.
    #[must_use]
    pub fn transition(mut self, on: bool) -> Self {
        self.config.transition = on;
        self
    }
    /// Latency added to every Web API request.
    #[must_use]
    pub fn latency(mut self, latency: Duration) -> Self {
        self.config.faults.latency_ms = latency.as_millis() as u64;
        self
    }
    /// Probability of a 5xx.
    #[must_use]
    pub fn fail_5xx(mut self, p: f64) -> Self {
        self.config.faults.fail_5xx = p;
        self
    }
    /// Probability of a 429.
    #[must_use]
    pub fn fail_429(mut self, p: f64) -> Self {
        self.config.faults.fail_429 = p;
        self
    }
    /// Probability of a dropped connection.
    #[must_use]
    pub fn fail_reset(mut self, p: f64) -> Self {
        self.config.faults.fail_reset = p;
        self
    }
    /// `Retry-After` of injected 429s.
    #[must_use]
    pub fn retry_after(mut self, wait: Duration) -> Self {
        self.config.faults.retry_after_secs = wait.as_secs();
        self
    }
    /// Requests per rolling 30 s per client.
    #[must_use]
    pub fn rate_limit(mut self, limit: Option<u32>) -> Self {
        self.config.faults.rate_limit = limit;
        self
    }
    /// The per-developer-account quota: `requests` per `window` for each account (`None`: off).
    #[must_use]
    pub fn quota(mut self, requests: Option<u64>, window: Duration) -> Self {
        self.config.quota.requests = requests;
        self.config.quota.window_secs = window.as_secs();
        self
    }
    /// Registers `client_ids` under the developer account `name` (apps not placed under one share
    /// [`DEFAULT_ACCOUNT`]).
    #[must_use]
    pub fn account(mut self, name: &str, client_ids: &[&str]) -> Self {
        self.config
            .quota
            .accounts
            .entry(name.to_owned())
            .or_default()
            .extend(client_ids.iter().map(|id| (*id).to_owned()));
        self
    }
    /// A rate-limit ban: an app over [`rate_limit`](Self::rate_limit) is refused for `ban`
    /// (`None`: only until its window frees a slot).
    #[must_use]
    pub fn rate_limit_ban(mut self, ban: Option<Duration>) -> Self {
        self.config.faults.rate_limit_ban_secs = ban.map(|d| d.as_secs());
        self
    }
    /// Development-Mode conditions of the app `client_id` (owner's Premium, user list).
    #[must_use]
    pub fn app_conditions(mut self, client_id: &str, conditions: AppConditions) -> Self {
        self.config.apps.insert(client_id.to_owned(), conditions);
        self
    }
    /// Lifetime of access tokens.
    #[must_use]
    pub fn token_ttl(mut self, ttl: Duration) -> Self {
        self.config.faults.token_ttl_secs = ttl.as_secs();
        self
    }
    /// Lifetime of refresh tokens (Spotify: six months).
    #[must_use]
    pub fn refresh_token_ttl(mut self, ttl: Duration) -> Self {
        self.config.refresh_token_ttl = ttl;
        self
    }
    /// Development Mode: list followed Spotify-owned playlists in `/me/playlists` (they still
    /// answer 404 when fetched).
    #[must_use]
    pub fn list_spotify_owned(mut self, on: bool) -> Self {
        self.config.list_spotify_owned = on;
        self
    }
    /// `/authorize` approves at once.
    #[must_use]
    pub fn auto_approve(mut self, on: bool) -> Self {
        self.config.auto_approve = on;
        self
    }
    /// Registers another app.
    #[must_use]
    pub fn client(mut self, app: ClientApp) -> Self {
        self.config.clients.push(app);
        self
    }

    /// Generates the catalogue, binds, and serves in the background of the current Tokio runtime.
    pub async fn start(self) -> Result<RunningSandbox, Error> {
        for (client_id, conditions) in &self.config.apps {
            conditions.check().map_err(|message| Error::AppConditions {
                client_id: client_id.clone(),
                message,
            })?;
        }
        let state = AppState::new(&self.config);
        let listener = tokio::net::TcpListener::bind(self.config.addr)
            .await
            .map_err(|source| Error::Bind {
                addr: self.config.addr,
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| Error::Bind {
            addr: self.config.addr,
            source,
        })?;
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let task = tokio::spawn(serve(
            listener,
            service(state.clone()),
            state.clone(),
            stopped,
        ));
        // Report the address clients should use: a wildcard bind is reachable on loopback.
        let host = if addr.ip().is_unspecified() {
            match addr {
                SocketAddr::V4(_) => "127.0.0.1".to_owned(),
                SocketAddr::V6(_) => "[::1]".to_owned(),
            }
        } else if addr.is_ipv6() {
            format!("[{}]", addr.ip())
        } else {
            addr.ip().to_string()
        };
        Ok(RunningSandbox {
            url: format!("http://{host}:{}", addr.port()),
            addr,
            state,
            stop,
            task: Some(task),
        })
    }
}

/// Accepts connections until told to stop. Each connection is served by hyper directly so that a
/// simulated reset can drop it without an answer.
async fn serve(
    listener: tokio::net::TcpListener,
    router: NormalizePath<Router>,
    state: AppState,
    mut stopped: tokio::sync::watch::Receiver<bool>,
) {
    let mut sweep = tokio::time::interval(Duration::from_secs(60));
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _peer)) = accepted else { continue };
                let _ = stream.set_nodelay(true);
                let router = router.clone();
                let mut conn_stopped = stopped.clone();
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
                        let router = router.clone();
                        async move {
                            let response = match router.oneshot(req).await {
                                Ok(response) => response,
                                Err(never) => match never {},
                            };
                            if response.extensions().get::<faults::DropConnection>().is_some() {
                                Err(std::io::Error::new(std::io::ErrorKind::ConnectionReset, "injected connection reset"))
                            } else {
                                Ok(response)
                            }
                        }
                    });
                    let builder = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new());
                    let conn = builder.serve_connection_with_upgrades(TokioIo::new(stream), service);
                    tokio::select! {
                        result = conn => {
                            if let Err(e) = result {
                                tracing::debug!(error = %e, "connection ended with an error");
                            }
                        }
                        _ = conn_stopped.changed() => {}
                    }
                });
            }
            _ = sweep.tick() => lock_sweep(&state),
            _ = stopped.changed() => break,
        }
    }
}

fn lock_sweep(state: &AppState) {
    state::lock(&state.tokens).sweep();
}

/// A token issued by [`RunningSandbox::token`].
#[derive(Debug, Clone)]
pub struct SandboxToken {
    /// Bearer token.
    pub access_token: String,
    /// Refresh token.
    pub refresh_token: Option<String>,
    /// Lifetime in seconds.
    pub expires_in: u64,
    /// Granted scopes, space-separated.
    pub scope: String,
}

/// A sandbox serving in the background; stops when dropped.
#[derive(Debug)]
pub struct RunningSandbox {
    url: String,
    addr: SocketAddr,
    state: AppState,
    stop: tokio::sync::watch::Sender<bool>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl RunningSandbox {
    /// Base URL, `http://127.0.0.1:PORT` (also the accounts service's base).
    pub fn url(&self) -> &str {
        &self.url
    }
    /// Web API base, `http://127.0.0.1:PORT/v1`.
    pub fn api_url(&self) -> String {
        format!("{}/v1", self.url)
    }
    /// Accounts service base (`/authorize`, `/api/token` below it).
    pub fn accounts_url(&self) -> &str {
        &self.url
    }
    /// The emulated LRCLIB's base, `http://127.0.0.1:PORT/lrclib` (see [`lrclib`]).
    pub fn lrclib_url(&self) -> String {
        format!("{}/lrclib", self.url)
    }
    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
    /// The shared state (for in-process inspection).
    pub fn state(&self) -> &AppState {
        &self.state
    }
    /// Current counters.
    pub fn stats(&self) -> Stats {
        self.state.stats().clone()
    }
    /// Replaces the fault settings.
    pub fn set_faults(&self, faults: Faults) {
        self.state.set_faults(faults);
    }
    /// Sets the Development-Mode conditions of the app `client_id`, as
    /// `POST /_sandbox/apps/{client_id}` does; refuses a user list longer than 5.
    pub fn set_app_conditions(
        &self,
        client_id: &str,
        conditions: AppConditions,
    ) -> Result<(), String> {
        self.state.set_app_conditions(client_id, conditions)
    }
    /// Replaces the quota settings.
    pub fn set_quota(&self, quota: Quota) {
        self.state.set_quota(quota);
    }
    /// Forgets every developer account's quota use, as `POST /_sandbox/quota/reset` does.
    pub fn reset_quota(&self) {
        quota::reset(&self.state);
    }
    /// Issues a token for `user` with `scopes` (confidential-client refresh semantics), as
    /// `POST /_sandbox/token` does.
    #[allow(
        clippy::unused_async,
        reason = "kept async so it can move behind the HTTP control plane"
    )]
    pub async fn token(&self, user: &str, scopes: &[&str]) -> Result<SandboxToken, Error> {
        self.issue(user, scopes, false)
    }
    /// Like [`token`](Self::token) with a rotating (PKCE) refresh token.
    #[allow(
        clippy::unused_async,
        reason = "kept async so it can move behind the HTTP control plane"
    )]
    pub async fn pkce_token(&self, user: &str, scopes: &[&str]) -> Result<SandboxToken, Error> {
        self.issue(user, scopes, true)
    }

    fn issue(&self, user: &str, scopes: &[&str], rotating: bool) -> Result<SandboxToken, Error> {
        if self.state.world().user_idx(user).is_none() {
            return Err(Error::UnknownUser(user.into()));
        }
        if let Some(bad) = scopes.iter().find(|s| !tokens::ALL_SCOPES.contains(s)) {
            return Err(Error::UnknownScope((*bad).into()));
        }
        let grant = tokens::Grant {
            user: Some(user.into()),
            client_id: "spotkit-demo".into(),
            scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
        };
        let ttl = Duration::from_secs(self.state.faults().token_ttl_secs);
        let issued = state::lock(&self.state.tokens).issue(
            grant,
            ttl,
            Some((rotating, self.state.refresh_token_ttl)),
        );
        Ok(SandboxToken {
            access_token: issued.access_token,
            refresh_token: issued.refresh_token,
            expires_in: issued.expires_in,
            scope: issued.scope,
        })
    }

    /// Stops serving and waits for the accept loop to end.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for RunningSandbox {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}
