//! Bodies of the accounts service (`https://accounts.spotify.com/api/token`).

use serde::{Deserialize, Serialize};

use crate::common::Extra;
use crate::macros::string_enum;

/// A successful token response.
///
/// `Debug` never shows the tokens. Refresh responses of the Authorization-Code flow
/// usually carry no `refresh_token` (keep the old one); PKCE refreshes rotate it.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TokenResponse {
    /// The access token for the Web API.
    pub access_token: String,
    /// How to send the token: always `Bearer`.
    pub token_type: String,
    /// Seconds until the access token expires (usually 3600).
    pub expires_in: u64,
    /// A refresh token, when the grant issues (or rotates) one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    /// The granted scopes, space-separated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

impl TokenResponse {
    /// A response with the required members only.
    pub fn new(
        access_token: impl Into<String>,
        token_type: impl Into<String>,
        expires_in: u64,
    ) -> Self {
        Self {
            access_token: access_token.into(),
            token_type: token_type.into(),
            expires_in,
            refresh_token: None,
            scope: None,
            extra: Extra::new(),
        }
    }

    /// The granted scopes, one by one.
    pub fn scopes(&self) -> impl Iterator<Item = &str> {
        self.scope
            .as_deref()
            .unwrap_or_default()
            .split_ascii_whitespace()
    }
}

impl std::fmt::Debug for TokenResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Tokens are secrets: show only whether they are there. Unknown members may
        // be secrets too (e.g. an `id_token`), so only their names are shown.
        let refresh = match self.refresh_token {
            None => "none",
            Some(_) => "[redacted]",
        };
        f.debug_struct("TokenResponse")
            .field("access_token", &"[redacted]")
            .field("token_type", &self.token_type)
            .field("expires_in", &self.expires_in)
            .field("refresh_token", &refresh)
            .field("scope", &self.scope)
            .field("extra", &self.extra.keys().collect::<Vec<_>>())
            .finish()
    }
}

string_enum! {
    /// The `error` code of a failed token request (RFC 6749, section 5.2).
    pub enum TokenErrorCode {
        /// The request is malformed.
        InvalidRequest => "invalid_request",
        /// Client authentication failed (wrong client id or secret).
        InvalidClient => "invalid_client",
        /// The code, refresh token or PKCE verifier is invalid, expired or revoked:
        /// the user has to log in again.
        InvalidGrant => "invalid_grant",
        /// The client may not use this grant type.
        UnauthorizedClient => "unauthorized_client",
        /// The grant type is not supported.
        UnsupportedGrantType => "unsupported_grant_type",
        /// A requested scope is invalid.
        InvalidScope => "invalid_scope",
    }
}

/// The body of a failed token request: `{"error": "invalid_grant", "error_description": "..."}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TokenError {
    /// The error code.
    pub error: TokenErrorCode,
    /// A human-readable explanation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_description: Option<String>,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

impl TokenError {
    /// An error body with just a code.
    pub fn new(error: impl Into<TokenErrorCode>) -> Self {
        Self {
            error: error.into(),
            error_description: None,
            extra: Extra::new(),
        }
    }
}

impl std::fmt::Display for TokenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.error.as_str())?;
        if let Some(description) = &self.error_description {
            write!(f, ": {description}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_tokens() {
        let json = r#"{"access_token":"SECRET-A","token_type":"Bearer","expires_in":3600,
                       "refresh_token":"SECRET-R","scope":"a b","id_token":"SECRET-I"}"#;
        let t: TokenResponse = serde_json::from_str(json).unwrap();
        let debug = format!("{t:?}");
        assert!(!debug.contains("SECRET"), "{debug}");
        assert!(debug.contains("id_token"));
        assert_eq!(t.scopes().collect::<Vec<_>>(), ["a", "b"]);
    }

    #[test]
    fn token_error_codes() {
        let e: TokenError = serde_json::from_str(
            r#"{"error":"invalid_grant","error_description":"Invalid refresh token"}"#,
        )
        .unwrap();
        assert_eq!(e.error, TokenErrorCode::InvalidGrant);
        assert_eq!(e.to_string(), "invalid_grant: Invalid refresh token");
        let e: TokenError = serde_json::from_str(r#"{"error":"slow_down"}"#).unwrap();
        assert_eq!(e.error, TokenErrorCode::Unknown("slow_down".into()));
        assert_eq!(
            serde_json::to_string(&e).unwrap(),
            r#"{"error":"slow_down"}"#
        );
    }
}
