//! Transport: one request path for every Web API call.
//!
//! [`transport`](self) sends a request with the bearer token, applies the [`RetryPolicy`]
//! (429 `Retry-After`, 5xx and network backoff, one token renewal on 401; a 429 with reason
//! `QUOTA_EXCEEDED` is never retried), paces requests with an
//! optional [`RateLimit`], and decodes JSON with the failing path in the error. Each attempt runs
//! in a `spotify_request` tracing span with `method`, `path`, `attempt`, `status` and
//! `latency_ms`; the query string and the token are never recorded.

pub(crate) mod ratelimit;
pub(crate) mod retry;
mod tls;
pub(crate) mod transport;

pub use ratelimit::RateLimit;
pub use retry::{RetryPolicy, RetryWait, WaitCause};
pub use tls::{client, client_builder};

/// The `error.reason` Spotify puts in a 429 when the developer account's shared quota is used up.
pub(crate) const QUOTA_EXCEEDED: &str = "QUOTA_EXCEEDED";

/// Which condition of a Development-Mode app a plain-text 403 names, if it is one of Spotify's two.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AppRefusal {
    /// "Active premium subscription required for the owner of the app. ..."
    OwnerNotPremium,
    /// "Check settings on developer.spotify.com/dashboard, the user may not be registered." or
    /// "The user is not registered for this application. ..."
    UserNotRegistered,
}

/// Recognises Spotify's plain-text 403s about the app rather than the request: they come on every
/// endpoint, `/me` included, as text, not as the JSON error envelope.
pub(crate) fn app_refusal(body: &[u8]) -> Option<AppRefusal> {
    let text = String::from_utf8_lossy(body).to_ascii_lowercase();
    if text.trim_start().starts_with('{') {
        return None;
    }
    if text.contains("premium subscription required for the owner") {
        Some(AppRefusal::OwnerNotPremium)
    } else if text.contains("user may not be registered")
        || text.contains("not registered for this application")
    {
        Some(AppRefusal::UserNotRegistered)
    } else {
        None
    }
}

/// The `error.reason` of a Web API error body (player commands send `NO_ACTIVE_DEVICE`,
/// `PREMIUM_REQUIRED`, ...).
pub(crate) fn error_reason(body: &[u8]) -> Option<String> {
    serde_json::from_slice::<crate::model::ErrorResponse>(body)
        .ok()
        .and_then(|resp| resp.error.reason)
}

/// Spotify's error message from an error body: the Web API's `{"error":{"message":..}}`, the
/// accounts service's `{"error":"..","error_description":".."}`, or the start of the body.
pub(crate) fn error_message(body: &[u8]) -> String {
    if let Ok(resp) = serde_json::from_slice::<crate::model::ErrorResponse>(body)
        && !resp.error.message.is_empty()
    {
        let m = resp.error.message;
        return resp
            .error
            .reason
            .map_or_else(|| m.clone(), |r| format!("{m} ({r})"));
    }
    if let Ok(serde_json::Value::Object(map)) = serde_json::from_slice::<serde_json::Value>(body)
        && let Some(serde_json::Value::String(code)) = map.get("error")
    {
        return match map.get("error_description") {
            Some(serde_json::Value::String(d)) => format!("{code}: {d}"),
            _ => code.clone(),
        };
    }
    if body.is_empty() {
        "no details in the response".to_owned()
    } else {
        crate::error::snippet(body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_app_refusals() {
        // The bodies as Spotify sends them (issue #17 quotes them from users' reports).
        assert_eq!(
            app_refusal(b"Active premium subscription required for the owner of the app. When the subscription status changes, it can take a few hours before requests are allowed again."),
            Some(AppRefusal::OwnerNotPremium)
        );
        assert_eq!(
            app_refusal(b"Check settings on developer.spotify.com/dashboard, the user may not be registered."),
            Some(AppRefusal::UserNotRegistered)
        );
        assert_eq!(
            app_refusal(b"The user is not registered for this application. Please check your settings on https://developer.spotify.com/dashboard."),
            Some(AppRefusal::UserNotRegistered)
        );
        assert_eq!(
            app_refusal(br#"{"error":{"status":403,"message":"Insufficient client scope"}}"#),
            None
        );
    }

    #[test]
    fn error_messages() {
        assert_eq!(
            error_message(br#"{"error":{"status":401,"message":"The access token expired"}}"#),
            "The access token expired"
        );
        assert_eq!(
            error_message(br#"{"error":{"status":403,"message":"Player command failed","reason":"PREMIUM_REQUIRED"}}"#),
            "Player command failed (PREMIUM_REQUIRED)"
        );
        assert_eq!(
            error_message(
                br#"{"error":"invalid_grant","error_description":"Invalid refresh token"}"#
            ),
            "invalid_grant: Invalid refresh token"
        );
        assert_eq!(
            error_message(b"<html>Bad gateway</html>"),
            "<html>Bad gateway</html>"
        );
        assert_eq!(error_message(b""), "no details in the response");
    }
}
