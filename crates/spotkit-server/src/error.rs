//! [`AppError`]: every failure of a request, and the one JSON envelope it is answered with:
//!
//! ```json
//! {"error": {"status": 401, "code": "reauth_required", "message": "..."}}
//! ```
//!
//! Validation errors add `"field"`. Where Spotify is the cause (a 404 for a playlist, a 429), its
//! status and message are passed through; a 429 for the Spotify app's exhausted developer-account
//! quota is `spotify_quota_exceeded`, apart from `spotify_rate_limited`. Database and crypto
//! causes are logged, never sent.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

/// The body of every error response.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// What went wrong.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// The HTTP status, repeated for clients that only see the body.
    pub status: u16,
    /// A stable, machine-readable code, e.g. `reauth_required`, `invalid_field`.
    pub code: String,
    /// What happened and what to do, for people.
    pub message: String,
    /// For `invalid_field`: the request field at fault.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// Everything a handler can fail with.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AppError {
    /// The request is malformed in a way not tied to one field.
    #[error("{message}")]
    BadRequest {
        /// Stable code.
        code: &'static str,
        /// Message.
        message: String,
    },
    /// One field is missing or invalid.
    #[error("{message}")]
    InvalidField {
        /// The field, as the client names it.
        field: &'static str,
        /// Message.
        message: String,
    },
    /// No (valid) credentials.
    #[error("{0}")]
    Unauthenticated(String),
    /// The user's Spotify login is gone (`invalid_grant` or never stored): log in again.
    #[error("{0}")]
    ReauthRequired(String),
    /// A cookie-authenticated write without the session's CSRF token.
    #[error(
        "this request changes data and is authenticated by a cookie: send the session's CSRF token in the X-CSRF-Token header (GET /me returns it as csrf_token)"
    )]
    Csrf,
    /// The route exists but does not take the request's method.
    #[error("this route does not take that method; see /docs")]
    MethodNotAllowed,
    /// The thing does not exist for this user.
    #[error("{0}")]
    NotFound(String),
    /// The request conflicts with stored state.
    #[error("{message}")]
    Conflict {
        /// Stable code.
        code: &'static str,
        /// Message.
        message: String,
    },
    /// The body (or one field of it) is larger than allowed.
    #[error("{message}")]
    TooLarge {
        /// The field at fault, if one.
        field: Option<&'static str>,
        /// Message.
        message: String,
    },
    /// The user stores as much metadata as the server allows (`documents`: the count of
    /// versions, answered 429; otherwise the bytes, answered 413).
    #[error("{message}")]
    QuotaExceeded {
        /// The count of versions is at its limit (else the bytes would go beyond theirs).
        documents: bool,
        /// Message.
        message: String,
    },
    /// Too many requests from this IP or user.
    #[error("too many requests; wait {retry_after} s and try again")]
    RateLimited {
        /// Seconds until a request is allowed again.
        retry_after: u64,
    },
    /// Spotify (or talking to it) failed.
    #[error(transparent)]
    Spotify(#[from] spotkit::Error),
    /// The database failed.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// The request took longer than the configured timeout.
    #[error("the request took too long and was stopped; try again")]
    Timeout,
    /// The server is not ready (database unreachable).
    #[error("{0}")]
    Unavailable(String),
    /// Anything else that is our fault.
    #[error("{0}")]
    Internal(String),
}

impl From<crate::crypto::CryptoError> for AppError {
    fn from(e: crate::crypto::CryptoError) -> Self {
        AppError::Internal(e.to_string())
    }
}

impl AppError {
    /// Shorthand for [`AppError::InvalidField`].
    pub fn field(field: &'static str, message: impl Into<String>) -> AppError {
        AppError::InvalidField {
            field,
            message: message.into(),
        }
    }

    /// The status, code and client-facing message.
    fn parts(&self) -> (StatusCode, &'static str, String) {
        use spotkit::Error as S;
        match self {
            AppError::BadRequest { code, message } => (StatusCode::BAD_REQUEST, code, message.clone()),
            AppError::InvalidField { message, .. } => (StatusCode::BAD_REQUEST, "invalid_field", message.clone()),
            AppError::Unauthenticated(m) => (StatusCode::UNAUTHORIZED, "unauthenticated", m.clone()),
            AppError::ReauthRequired(m) => (StatusCode::UNAUTHORIZED, "reauth_required", m.clone()),
            AppError::Csrf => (StatusCode::FORBIDDEN, "csrf_failed", self.to_string()),
            AppError::MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", self.to_string()),
            AppError::NotFound(m) => (StatusCode::NOT_FOUND, "not_found", m.clone()),
            AppError::Conflict { code, message } => (StatusCode::CONFLICT, code, message.clone()),
            AppError::TooLarge { message, .. } => (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", message.clone()),
            AppError::RateLimited { .. } => (StatusCode::TOO_MANY_REQUESTS, "rate_limited", self.to_string()),
            AppError::QuotaExceeded { documents: true, message } => (StatusCode::TOO_MANY_REQUESTS, "metadata_quota_exceeded", message.clone()),
            AppError::QuotaExceeded { documents: false, message } => (StatusCode::PAYLOAD_TOO_LARGE, "metadata_quota_exceeded", message.clone()),
            AppError::Timeout => (StatusCode::SERVICE_UNAVAILABLE, "timeout", self.to_string()),
            AppError::Unavailable(m) => (StatusCode::SERVICE_UNAVAILABLE, "unavailable", m.clone()),
            AppError::Database(_) | AppError::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "the server failed to handle this request; it has been logged".into(),
            ),
            AppError::Spotify(e) => match e {
                S::ReauthorizationRequired { .. } => (
                    StatusCode::UNAUTHORIZED,
                    "reauth_required",
                    "the Spotify login of this account has expired or was revoked; log in again at /login".into(),
                ),
                S::Unauthorized { message } => (
                    StatusCode::UNAUTHORIZED,
                    "spotify_unauthorized",
                    format!("Spotify rejected the access token: {message}"),
                ),
                S::RateLimited { .. } => (StatusCode::TOO_MANY_REQUESTS, "spotify_rate_limited", e.to_string()),
                // The Spotify app's developer account ran out of its shared quota: nothing this
                // user or the calling app did wrong, and not a login problem, so no grant is touched.
                S::QuotaExceeded { .. } => (StatusCode::TOO_MANY_REQUESTS, "spotify_quota_exceeded", e.to_string()),
                S::Forbidden { message } | S::PremiumRequired { message } => {
                    (StatusCode::FORBIDDEN, "spotify_forbidden", message.clone())
                }
                S::NotFound { message } => (StatusCode::NOT_FOUND, "not_found", message.clone()),
                S::Api { status, message } => (
                    StatusCode::from_u16(*status).unwrap_or(StatusCode::BAD_GATEWAY),
                    "spotify_error",
                    message.clone(),
                ),
                S::Transport { .. } => (StatusCode::BAD_GATEWAY, "spotify_unreachable", "could not reach Spotify; try again later".into()),
                S::Store { .. } => (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "the server failed to handle this request; it has been logged".into(),
                ),
                _ => (StatusCode::BAD_GATEWAY, "spotify_error", "Spotify's answer could not be used; try again later".into()),
            },
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, code, message) = self.parts();
        if status.is_server_error() {
            // The cause (never a token: spotkit and our errors keep secrets out) goes to the log.
            tracing::error!(error = %self, code, "request failed");
        } else {
            tracing::debug!(error = %self, code, "request refused");
        }
        let field = match &self {
            AppError::InvalidField { field, .. } => Some((*field).to_owned()),
            AppError::TooLarge { field, .. } => field.map(str::to_owned),
            _ => None,
        };
        let body = ErrorBody {
            error: ErrorDetail {
                status: status.as_u16(),
                code: code.to_owned(),
                message,
                field,
            },
        };
        let mut response = (status, Json(body)).into_response();
        let retry_after = match &self {
            AppError::RateLimited { retry_after } => Some(*retry_after),
            AppError::Spotify(spotkit::Error::RateLimited { retry_after, .. }) => {
                Some(retry_after.as_secs().max(1))
            }
            AppError::Spotify(spotkit::Error::QuotaExceeded { retry_after }) => {
                retry_after.map(|d| d.as_secs().max(1))
            }
            _ => None,
        };
        if let Some(secs) = retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"spotkit-server\""),
            );
        }
        response
    }
}

/// `Result` of handlers.
pub type AppResult<T> = Result<T, AppError>;
