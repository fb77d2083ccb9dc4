//! # spotkit-server
//!
//! A token broker and API for web and mobile apps that use Spotify. It logs users in with
//! Spotify (Authorization Code with a client secret *and* PKCE, `state` bound to the browser
//! session), keeps their tokens encrypted in a database and fresh (renewed ahead of expiry,
//! single-flight per user, across instances on PostgreSQL), and serves their profile,
//! playlists (every page, one shape for both API generations) and per-track JSON metadata.
//! Every Spotify call goes through the [`spotkit`] client.
//!
//! | module | owns |
//! |---|---|
//! | [`config`] | [`Config`]: TOML file + `SPOTKIT_SERVER_*` environment |
//! | [`state`] | [`AppState`]: database, keys, one spotkit client per user, rate limits |
//! | [`db`] | one `sqlx` code path for SQLite and PostgreSQL, migrations, token store |
//! | [`crypto`] | XChaCha20-Poly1305 token encryption with key ids, hashes of bearer values |
//! | [`extract`] | who is calling (cookie session, server API token, Spotify bearer), the client IP, and the JSON-body and query extractors whose rejections use the error envelope |
//! | [`routes`] | one router per resource: the handlers and their OpenAPI operations, the document |
//! | [`middleware`] | the request deadline, the per-IP API budget, request ids |
//! | [`server`] | the connection loop: header-read and idle timeouts, the connection cap |
//! | [`error`] | [`AppError`] and the one error envelope |
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let config = spotkit_server::Config::load(Some(std::path::Path::new("server.toml")))?;
//! let state = spotkit_server::connect(config).await?;
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! spotkit_server::serve(listener, state, std::future::pending()).await?;
//! # Ok(()) }
//! ```
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]
#![warn(missing_docs)]

pub mod config;
pub mod crypto;
pub mod db;
pub mod error;
pub mod extract;
pub mod middleware;
pub mod routes;
pub mod server;
pub mod state;

use std::time::Duration;

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, header};
use tower_http::request_id::{PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

pub use config::Config;
pub use state::AppState;

use crate::error::AppError;

/// What can fail while starting the server.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StartError {
    /// The database could not be opened.
    #[error("cannot open the database: {0}; check database_url")]
    Connect(#[source] sqlx::Error),
    /// Migrations failed.
    #[error("cannot migrate the database: {0}")]
    Migrate(#[source] sqlx::migrate::MigrateError),
    /// The `[keys]` table cannot be used.
    #[error("invalid setting `keys`: {0}")]
    Keys(#[source] crypto::KeyError),
    /// The HTTP client for Spotify could not be built (TLS set-up).
    #[error("cannot build the HTTP client for Spotify: {0}; check the system's TLS certificates")]
    HttpClient(String),
}

/// Opens and migrates the database and builds the state.
pub async fn connect(config: Config) -> Result<AppState, StartError> {
    let db = db::Db::connect(&config.database_url, config.database_max_connections)
        .await
        .map_err(StartError::Connect)?
        .with_cache_ttl(Duration::from_millis(config.api_cache_ms));
    db.migrate().await.map_err(StartError::Migrate)?;
    AppState::new(config, db)
}

static REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The HTTP application: every route ([`routes::router`]) and what runs around all of them.
pub fn app(state: AppState) -> Router {
    let timeout = Duration::from_secs(state.config().request_timeout_secs.max(1));
    routes::router(&state)
        .fallback(|| async { AppError::NotFound("no such route; see /docs".into()) })
        .method_not_allowed_fallback(|| async { AppError::MethodNotAllowed })
        .layer(axum::middleware::from_fn_with_state(
            timeout,
            middleware::deadline,
        ))
        // Browser hardening for every answer (handlers may set their own): no MIME sniffing,
        // no framing, no scripts or other loads (the pages are self-contained HTML with inline
        // CSS), no referrer, and nothing stored by caches (most answers are per-user, /me
        // carries the CSRF token).
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
            ),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(
            TraceLayer::new_for_http().make_span_with(|req: &Request| {
                let id = req
                    .headers()
                    .get(&REQUEST_ID)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("-");
                // The path only: query strings can carry codes.
                tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
            }),
        )
        .layer(PropagateRequestIdLayer::new(REQUEST_ID.clone()))
        .layer(SetRequestIdLayer::new(
            REQUEST_ID.clone(),
            middleware::RandomRequestId,
        ))
        .with_state(state)
}

/// Serves `state` on `listener` until `shutdown` completes, then finishes the requests in flight.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let sweeper = {
        let db = state.db().clone();
        let idle = state.config().session_idle_timeout_secs;
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(600));
            loop {
                tick.tick().await;
                if let Err(e) = db.sweep(idle).await {
                    tracing::warn!(error = %e, "could not delete expired sessions");
                }
            }
        })
    };
    let limits = server::Limits::from_config(state.config());
    let result = server::serve_router(listener, app(state), limits, shutdown).await;
    sweeper.abort();
    result
}
