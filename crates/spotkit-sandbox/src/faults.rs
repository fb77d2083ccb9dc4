//! Hostile-network simulation for Web API requests: added latency, a rolling-window rate limit per
//! client, the per-developer-account quota ([`crate::quota`]), and random 5xx, 429 and dropped
//! connections. Also counts every request for the stats.

use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rand::Rng;

use crate::error::ApiError;
use crate::state::{AppState, lock};

/// The rate limit's window.
pub const WINDOW: Duration = Duration::from_secs(30);

/// Marks a response whose connection must be dropped without sending it (a simulated reset).
#[derive(Debug, Clone, Copy)]
pub struct DropConnection;

/// The client id of the request's bearer token, if it is a valid one.
fn client_of(state: &AppState, req: &Request) -> Option<String> {
    let token = req
        .headers()
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .map(|(_, t)| t.trim().to_owned());
    token.and_then(|t| {
        lock(&state.tokens)
            .check(&t)
            .ok()
            .map(|g| g.client_id.clone())
    })
}

/// Counts the request; `Some(retry_after)` when the client is over its limit.
fn rate_limit(state: &AppState, client: String, limit: u32) -> Option<u64> {
    let now = Instant::now();
    let mut windows = lock(&state.windows);
    let times = windows.entry(client).or_default();
    while times
        .front()
        .is_some_and(|t| now.duration_since(*t) >= WINDOW)
    {
        times.pop_front();
    }
    if times.len() >= limit as usize {
        // The earliest moment a slot frees up, rounded up to whole seconds as Retry-After is.
        let oldest = times.front().copied().unwrap_or(now);
        let wait = WINDOW.saturating_sub(now.duration_since(oldest));
        return Some(wait.as_secs() + u64::from(wait.subsec_nanos() > 0));
    }
    times.push_back(now);
    None
}

/// Seconds left of `client`'s rate-limit ban, rounded up; `None` when it is not banned.
fn banned(state: &AppState, client: &str) -> Option<u64> {
    let now = Instant::now();
    let mut bans = lock(&state.bans);
    let until = *bans.get(client)?;
    if until <= now {
        bans.remove(client);
        return None;
    }
    let left = until - now;
    Some(left.as_secs() + u64::from(left.subsec_nanos() > 0))
}

/// Bans `client` for `secs` seconds (a client over the rate limit when bans are on).
fn ban(state: &AppState, client: String, secs: u64) {
    lock(&state.bans).insert(client, Instant::now() + Duration::from_secs(secs));
}

fn count_fault(state: &AppState, kind: &str) {
    *state.stats().faults.entry(kind.into()).or_default() += 1;
}

/// Middleware for `/v1`: latency, rate limit, random faults.
pub async fn inject(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let faults = state.faults();
    if faults.latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(faults.latency_ms)).await;
    }
    let quota = state.quota();
    let client = if faults.rate_limit.is_some() || quota.requests.is_some() {
        client_of(&state, &req)
    } else {
        None
    };
    // The rate limit is checked first: a request it refuses never reaches Spotify's quota
    // accounting, so it does not spend quota.
    if let Some(limit) = faults.rate_limit {
        let who = client.clone().unwrap_or_else(|| "anonymous".into());
        // A banned app is refused whatever its window holds, with the time the ban has left.
        if let Some(left) = banned(&state, &who) {
            count_fault(&state, "rate_limited");
            return ApiError::rate_limited(left).into_response();
        }
        if let Some(retry_after) = rate_limit(&state, who.clone(), limit) {
            count_fault(&state, "rate_limited");
            let retry_after = match faults.rate_limit_ban_secs {
                Some(secs) => {
                    ban(&state, who, secs);
                    secs
                }
                None => retry_after,
            };
            return ApiError::rate_limited(retry_after).into_response();
        }
    }
    // Requests without a valid token belong to no app, hence to no developer account; they are
    // answered 401 further on.
    if let Some(client) = &client
        && let Some(retry_after) = crate::quota::spend(&state, &quota, quota.account_of(client))
    {
        count_fault(&state, "quota_exceeded");
        return ApiError::quota_exceeded(retry_after).into_response();
    }
    let roll: f64 = lock(&state.fault_rng).random();
    let mut edge = faults.fail_reset;
    if roll < edge {
        count_fault(&state, "reset");
        let mut response = StatusCode::INTERNAL_SERVER_ERROR.into_response();
        response.extensions_mut().insert(DropConnection);
        return response;
    }
    edge += faults.fail_5xx;
    if roll < edge {
        count_fault(&state, "5xx");
        let (status, message) = match lock(&state.fault_rng).random_range(0..3) {
            0 => (StatusCode::INTERNAL_SERVER_ERROR, "Server error."),
            1 => (StatusCode::BAD_GATEWAY, "Bad gateway."),
            _ => (StatusCode::SERVICE_UNAVAILABLE, "Service unavailable"),
        };
        return ApiError::new(status, message).into_response();
    }
    edge += faults.fail_429;
    if roll < edge {
        count_fault(&state, "429");
        return ApiError::rate_limited(faults.retry_after_secs).into_response();
    }
    next.run(req).await
}

/// A Web API request being answered; counted out when dropped, so a request whose client went
/// away (the handler future is dropped) leaves the gauge too.
struct InFlight(AppState);

impl InFlight {
    fn enter(state: &AppState) -> Self {
        let mut stats = state.stats();
        stats.in_flight += 1;
        stats.peak_in_flight = stats.peak_in_flight.max(stats.in_flight);
        InFlight(state.clone())
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        let mut stats = self.0.stats();
        // A reset meanwhile zeroed the gauge.
        stats.in_flight = stats.in_flight.saturating_sub(1);
    }
}

/// Middleware for every route: counts requests per route and status, and Web API requests in
/// flight.
pub async fn count(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| req.uri().path().to_owned(), |p| p.as_str().to_owned());
    let key = format!("{} {route}", req.method());
    let _in_flight = route.starts_with("/v1/").then(|| InFlight::enter(&state));
    let response = next.run(req).await;
    if response.extensions().get::<DropConnection>().is_none() {
        let mut stats = state.stats();
        *stats
            .requests
            .entry(key)
            .or_default()
            .entry(response.status().as_u16())
            .or_default() += 1;
    }
    response
}
