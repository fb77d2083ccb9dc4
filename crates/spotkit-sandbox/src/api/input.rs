//! What Web API handlers read from a request besides its path and query: an optional JSON body
//! ([`JsonBody`]) and `spotify:` URIs ([`parse_uri`]). Kept apart so the route modules share them
//! without importing each other.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use serde_json::Value;

use crate::catalog::is_base62_id;
use crate::error::ApiError;

/// An optional JSON body: `None` when the body is empty (or only whitespace), 400
/// `Error parsing JSON.` when it is not JSON, as Spotify answers.
#[derive(Debug, Clone)]
pub struct JsonBody(pub Option<Value>);

impl JsonBody {
    /// Parses raw body bytes.
    pub fn parse(body: &[u8]) -> Result<JsonBody, ApiError> {
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(JsonBody(None));
        }
        serde_json::from_slice(body)
            .map(|v| JsonBody(Some(v)))
            .map_err(|_| ApiError::bad_request("Error parsing JSON."))
    }
}

impl<S: Send + Sync> FromRequest<S> for JsonBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let body = Bytes::from_request(req, state)
            .await
            .map_err(|e| ApiError::bad_request(format!("Could not read the body: {e}")))?;
        JsonBody::parse(&body)
    }
}

/// A `spotify:KIND:ID` URI split into kind and id; 400 when it is not one, or when its id is not
/// base62 (user ids excepted).
pub fn parse_uri(uri: &str) -> Result<(&str, &str), ApiError> {
    let mut parts = uri.split(':');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some("spotify"), Some(kind), Some(id), None) => {
            if kind != "user" && !is_base62_id(id) {
                return Err(ApiError::bad_request(format!(
                    "Invalid base62 id in uri: {uri}"
                )));
            }
            Ok((kind, id))
        }
        _ => Err(ApiError::bad_request(format!("Invalid uri: {uri}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_bodies_are_none_and_bad_json_is_400() {
        assert!(JsonBody::parse(b" \n").unwrap().0.is_none());
        assert_eq!(
            JsonBody::parse(br#"{"a":1}"#).unwrap().0,
            Some(serde_json::json!({"a": 1}))
        );
        let e = JsonBody::parse(b"{nope").unwrap_err();
        assert_eq!(e.status.as_u16(), 400);
        assert_eq!(e.message, "Error parsing JSON.");
    }

    #[test]
    fn uris_split_into_kind_and_id() {
        assert_eq!(
            parse_uri("spotify:track:4uLU6hMCjMI75M1A2tKUQC").unwrap(),
            ("track", "4uLU6hMCjMI75M1A2tKUQC")
        );
        assert_eq!(
            parse_uri("spotify:user:some.one").unwrap(),
            ("user", "some.one")
        );
        assert!(parse_uri("spotify:track:not-base62!").is_err());
        assert!(parse_uri("https://open.spotify.com/track/x").is_err());
    }
}
