//! Spotify's error bodies.
//!
//! The Web API answers `{"error":{"status":N,"message":"..."}}`, pretty-printed, as
//! `application/json; charset=utf-8`; the accounts service answers
//! `{"error":"invalid_grant","error_description":"..."}`. Both are reproduced with Spotify's wording.
//! Two refusals of a Development-Mode app's conditions are plain text, not JSON ([`ApiError::plain`]).

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// A Web API error, rendered as Spotify's envelope.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Spotify's message.
    pub message: String,
    /// `reason` member, which Spotify adds to player errors (`NO_ACTIVE_DEVICE`, `PREMIUM_REQUIRED`)
    /// and to quota answers (`QUOTA_EXCEEDED`).
    pub reason: Option<&'static str>,
    /// `Retry-After` seconds, for 429.
    pub retry_after: Option<u64>,
    /// Sent as the bare `text/plain` message instead of the JSON envelope.
    pub plain: bool,
    /// The `WWW-Authenticate` challenge of a 401 names no `error` (no token was sent at all).
    pub bare_challenge: bool,
}

/// Spotify's plain-text 403 for a Development-Mode app whose owner has no Premium subscription
/// (Spotify requires one since 2026).
pub const OWNER_NOT_PREMIUM: &str = "Active premium subscription required for the owner of the app. \
     When the subscription status changes, it can take a few hours before requests are allowed again.";

/// Spotify's plain-text 403 for a user who is not on a Development-Mode app's user list (the wording
/// Spotify used until 2025; [`USER_NOT_REGISTERED`] is the newer one).
pub const USER_NOT_REGISTERED_OLD: &str =
    "Check settings on developer.spotify.com/dashboard, the user may not be registered.";

/// Spotify's newer plain-text 403 for a user who is not on a Development-Mode app's user list.
pub const USER_NOT_REGISTERED: &str = "The user is not registered for this application. \
     Please check your settings on https://developer.spotify.com/dashboard.";

impl ApiError {
    /// An error with a status and message.
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        ApiError {
            status,
            message: message.into(),
            reason: None,
            retry_after: None,
            plain: false,
            bare_challenge: false,
        }
    }
    /// A refusal sent as plain text, the way Spotify sends its Development-Mode app conditions
    /// ([`OWNER_NOT_PREMIUM`], [`USER_NOT_REGISTERED`]).
    pub fn plain(status: StatusCode, message: impl Into<String>) -> Self {
        ApiError {
            plain: true,
            ..Self::new(status, message)
        }
    }
    /// 401 for a request without any token: the challenge is `Bearer realm="spotify"` alone.
    pub fn no_token() -> Self {
        ApiError {
            bare_challenge: true,
            ..Self::unauthorized("No token provided")
        }
    }
    /// 400 with a message.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }
    /// 401 with a message.
    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, message)
    }
    /// 403 with a message.
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, message)
    }
    /// 403 "Insufficient client scope", Spotify's answer to a missing scope.
    pub fn scope() -> Self {
        Self::forbidden("Insufficient client scope")
    }
    /// 404 "Resource not found".
    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "Resource not found")
    }
    /// 400 for an id that is not base62.
    pub fn invalid_id() -> Self {
        Self::bad_request("Invalid base62 id")
    }
    /// 429 with `Retry-After`.
    pub fn rate_limited(retry_after: u64) -> Self {
        ApiError {
            retry_after: Some(retry_after),
            ..Self::new(StatusCode::TOO_MANY_REQUESTS, "API rate limit exceeded")
        }
    }
    /// 429 for a developer account whose shared quota is used up: the body Spotify's July 2026
    /// changelog shows (<https://developer.spotify.com/documentation/web-api/references/changes/july-2026>),
    /// and `Retry-After` like the other 429s (Spotify has published no headers for it).
    pub fn quota_exceeded(retry_after: u64) -> Self {
        ApiError {
            retry_after: Some(retry_after),
            ..Self::new(StatusCode::TOO_MANY_REQUESTS, "Too many requests")
        }
        .with_reason("QUOTA_EXCEEDED")
    }
    /// Adds a `reason`.
    #[must_use]
    pub fn with_reason(mut self, reason: &'static str) -> Self {
        self.reason = Some(reason);
        self
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = if self.plain {
            (
                self.status,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                self.message.clone(),
            )
                .into_response()
        } else {
            let mut error = json!({ "status": self.status.as_u16(), "message": self.message });
            if let Some(reason) = self.reason {
                error["reason"] = reason.into();
            }
            // Spotify pretty-prints its error bodies (two-space indent) and names the charset.
            let body = serde_json::to_string_pretty(&json!({ "error": error }))
                .unwrap_or_else(|_| String::from("{}"));
            (
                self.status,
                [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
                body,
            )
                .into_response()
        };
        if let Some(secs) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        if self.status == StatusCode::UNAUTHORIZED {
            // Without any token Spotify names only the realm; with a bad one, the error too.
            let challenge = if self.bare_challenge {
                "Bearer realm=\"spotify\"".to_owned()
            } else {
                format!(
                    "Bearer realm=\"spotify\", error=\"invalid_token\", error_description=\"{}\"",
                    self.message.replace('"', "'")
                )
            };
            if let Ok(value) = HeaderValue::from_str(&challenge) {
                response
                    .headers_mut()
                    .insert(header::WWW_AUTHENTICATE, value);
            }
        }
        response
    }
}

/// An accounts-service (OAuth) error: `{"error": code, "error_description": text}`.
#[derive(Debug, Clone)]
pub struct OAuthError {
    /// HTTP status (Spotify uses 400 for all of these).
    pub status: StatusCode,
    /// RFC 6749 error code.
    pub error: &'static str,
    /// Spotify's description.
    pub description: String,
}

impl OAuthError {
    /// A 400 with an error code and description.
    pub fn new(error: &'static str, description: impl Into<String>) -> Self {
        OAuthError {
            status: StatusCode::BAD_REQUEST,
            error,
            description: description.into(),
        }
    }
}

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        (
            self.status,
            Json(json!({ "error": self.error, "error_description": self.description })),
        )
            .into_response()
    }
}
