//! Spotify's error bodies.
//!
//! The Web API answers `{"error":{"status":N,"message":"..."}}`; the accounts service answers
//! `{"error":"invalid_grant","error_description":"..."}`. Both are reproduced with Spotify's wording.

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
}

impl ApiError {
    /// An error with a status and message.
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        ApiError {
            status,
            message: message.into(),
            reason: None,
            retry_after: None,
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
        let mut error = json!({ "status": self.status.as_u16(), "message": self.message });
        if let Some(reason) = self.reason {
            error["reason"] = reason.into();
        }
        let mut response = (self.status, Json(json!({ "error": error }))).into_response();
        if let Some(secs) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        if self.status == StatusCode::UNAUTHORIZED {
            let challenge = format!(
                "Bearer realm=\"spotify\", error=\"invalid_token\", error_description=\"{}\"",
                self.message.replace('"', "'")
            );
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
