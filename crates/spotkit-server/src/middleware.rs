//! Middleware that groups of routes run through: the whole-request deadline, the per-IP budget
//! of routes that authenticate a caller, and the request ids.

use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::HeaderValue;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use tower_http::request_id::{MakeRequestId, RequestId};
use utoipa_axum::router::OpenApiRouter;

use crate::crypto;
use crate::error::AppError;
use crate::extract::ClientIp;
use crate::state::{AppState, RateKey};

/// Answers 504 ([`AppError::Timeout`]) when the handler takes longer than the timeout.
pub async fn deadline(State(timeout): State<Duration>, req: Request, next: Next) -> Response {
    match tokio::time::timeout(timeout, next.run(req)).await {
        Ok(response) => response,
        Err(_) => AppError::Timeout.into_response(),
    }
}

/// Puts the routes of `router` under the per-IP API budget (`api_per_ip_per_minute`): every
/// route that authenticates a caller, since a bearer token may cost a Spotify call
/// (`accept_spotify_bearer`). Unmatched paths are not counted.
pub fn ip_limited(router: OpenApiRouter<AppState>, state: &AppState) -> OpenApiRouter<AppState> {
    router.route_layer(middleware::from_fn_with_state(state.clone(), api_ip_limit))
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

/// `X-Request-Id` for requests that come without one: 12 random bytes.
#[derive(Debug, Clone, Copy)]
pub struct RandomRequestId;

impl MakeRequestId for RandomRequestId {
    fn make_request_id<B>(&mut self, _: &axum::http::Request<B>) -> Option<RequestId> {
        HeaderValue::from_str(&crypto::random_token(12))
            .ok()
            .map(RequestId::new)
    }
}
