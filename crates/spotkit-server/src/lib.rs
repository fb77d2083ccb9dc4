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
//! | [`routes`] | the handlers and the OpenAPI document |
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
pub mod routes;
pub mod server;
pub mod state;

use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use tower_http::request_id::{
    MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

pub use config::Config;
pub use state::AppState;

use crate::error::AppError;
use crate::extract::ClientIp;
use crate::state::RateKey;

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
        .map_err(StartError::Connect)?;
    db.migrate().await.map_err(StartError::Migrate)?;
    AppState::new(config, db)
}

static REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

#[derive(Debug, Clone, Copy)]
struct RandomRequestId;

impl MakeRequestId for RandomRequestId {
    fn make_request_id<B>(&mut self, _: &axum::http::Request<B>) -> Option<RequestId> {
        HeaderValue::from_str(&crypto::random_token(12))
            .ok()
            .map(RequestId::new)
    }
}

/// The HTTP application.
pub fn app(state: AppState) -> Router {
    let config = state.config();
    let api = Router::new()
        .route("/me", get(routes::me::me))
        .route("/playlists", get(routes::playlists::list))
        .route("/playlists/{id}", get(routes::playlists::get))
        .route(
            "/metadata",
            get(routes::metadata::get).post(routes::metadata::post),
        )
        .route("/metadata/versions", get(routes::metadata::versions))
        // JSON overhead around the largest collection.
        .layer(DefaultBodyLimit::max(
            config.metadata_max_bytes.saturating_add(64 * 1024),
        ))
        .route_layer(middleware::from_fn_with_state(state.clone(), api_ip_limit));
    // Routes that authenticate a caller without being API routes: a bearer token here may cost
    // a Spotify call (accept_spotify_bearer), so they share the API's per-IP budget.
    let authenticated = Router::new()
        .route("/", get(routes::home))
        .route("/logout", post(routes::auth::logout))
        .route("/logout/everywhere", post(routes::auth::logout_everywhere))
        .route_layer(middleware::from_fn_with_state(state.clone(), api_ip_limit));
    let timeout = Duration::from_secs(config.request_timeout_secs.max(1));
    Router::new()
        .merge(authenticated)
        .route("/login", get(routes::auth::login))
        .route("/callback", get(routes::auth::callback))
        .route("/token", post(routes::auth::token))
        .route("/token/revoke", post(routes::auth::revoke))
        .route("/healthz", get(routes::healthz))
        .route("/readyz", get(routes::readyz))
        .route("/openapi.json", get(routes::openapi))
        .route("/docs", get(routes::docs))
        .layer(DefaultBodyLimit::max(config.max_body_bytes))
        .merge(api)
        .fallback(|| async { AppError::NotFound("no such route; see /docs".into()) })
        .method_not_allowed_fallback(|| async { AppError::MethodNotAllowed })
        .layer(middleware::from_fn_with_state(timeout, deadline))
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
        .layer(SetRequestIdLayer::new(REQUEST_ID.clone(), RandomRequestId))
        .with_state(state)
}

async fn deadline(State(timeout): State<Duration>, req: Request, next: Next) -> Response {
    match tokio::time::timeout(timeout, next.run(req)).await {
        Ok(response) => response,
        Err(_) => AppError::Timeout.into_response(),
    }
}

async fn api_ip_limit(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let ip = ClientIp::resolve(
        req.extensions(),
        req.headers(),
        &state.config().trusted_proxies,
    );
    match state.rate_limit(
        RateKey::ApiIp(ip.0),
        state.config().rate_limits.api_per_ip_per_minute,
    ) {
        Ok(()) => next.run(req).await,
        Err(e) => e.into_response(),
    }
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
