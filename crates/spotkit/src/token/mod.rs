//! Tokens and where they are kept.
//!
//! [`Token`] is what the accounts service hands out: an [`AccessToken`], maybe a
//! [`RefreshToken`], an expiry and the granted scopes. Both tokens are [`secrecy`] secrets: their
//! `Debug` prints `AccessToken([redacted])` and the value is only reachable through
//! [`AccessToken::secret`]. A [`TokenStore`] keeps one token per *profile*; spotkit ships a
//! [`FileStore`] (one JSON file per profile, mode 0600, written atomically) and a [`MemoryStore`].
//!
//! ```
//! # async fn demo() -> spotkit::Result<()> {
//! use spotkit::token::{MemoryStore, Token, TokenStore};
//! let store = MemoryStore::new();
//! assert!(store.load("default").await?.is_none());
//! # Ok(()) }
//! ```

mod file;
mod memory;
pub(crate) mod refresh;
mod store;

pub use file::FileStore;
pub use memory::MemoryStore;
pub use store::{RenewalLock, TokenStore, validate_profile};

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

secret_type!(
    /// A bearer token for the Web API.
    AccessToken
);
secret_type!(
    /// A long-lived token that buys new access tokens. PKCE logins rotate it on every refresh.
    RefreshToken
);
secret_type!(
    /// An app's client secret (Authorization Code and Client Credentials grants).
    ClientSecret
);

/// An access token with everything needed to decide when to renew it.
///
/// A `Token` serializes (for token stores) to JSON *including its secrets*; only hand that
/// JSON to places that protect it like a password.
#[derive(Clone, Debug)]
#[allow(clippy::struct_field_names)] // the OAuth names, as everywhere else
pub struct Token {
    access_token: AccessToken,
    refresh_token: Option<RefreshToken>,
    expires_at: Option<SystemTime>,
    scopes: Vec<String>,
    /// How long the access token was valid when it was issued. Kept in memory only (a stored
    /// token has just its expiry); it caps the renewal margin, see [`Token::renewal_margin`].
    lifetime: Option<Duration>,
}

impl Token {
    /// A token from its parts. `expires_in` is counted from now.
    pub fn new(
        access_token: AccessToken,
        refresh_token: Option<RefreshToken>,
        expires_in: Option<Duration>,
        scopes: Vec<String>,
    ) -> Self {
        Token {
            access_token,
            refresh_token,
            expires_at: expires_in.map(|d| SystemTime::now() + d),
            scopes,
            lifetime: expires_in,
        }
    }

    /// Replaces the expiry instant (for stores and tests).
    #[must_use]
    pub fn with_expires_at(mut self, expires_at: Option<SystemTime>) -> Self {
        self.expires_at = expires_at;
        // The lifetime given to `new` no longer describes this expiry.
        self.lifetime = None;
        self
    }

    /// The bearer token.
    pub fn access_token(&self) -> &AccessToken {
        &self.access_token
    }

    /// The refresh token, if the grant issued one (Client Credentials never does).
    pub fn refresh_token(&self) -> Option<&RefreshToken> {
        self.refresh_token.as_ref()
    }

    /// When the access token stops working, if known.
    pub fn expires_at(&self) -> Option<SystemTime> {
        self.expires_at
    }

    /// The scopes Spotify granted.
    pub fn scopes(&self) -> &[String] {
        &self.scopes
    }

    /// Whether the access token is still good for at least `skew`.
    /// A token without a known expiry is assumed good until Spotify says otherwise.
    pub fn is_fresh(&self, skew: Duration) -> bool {
        match self.expires_at {
            None => true,
            Some(at) => at
                .checked_sub(skew)
                .is_some_and(|deadline| SystemTime::now() < deadline),
        }
    }

    /// How long before its expiry this token counts as due for renewal: `skew`, but at most half
    /// the token's lifetime when that is known. Without the cap, a token that lives shorter than
    /// the skew (an accounts service handing out 30 s tokens against the default 60 s skew)
    /// would look stale the moment it arrives, and every request would renew it.
    pub(crate) fn renewal_margin(&self, skew: Duration) -> Duration {
        self.lifetime
            .map_or(skew, |lifetime| skew.min(lifetime / 2))
    }

    /// Merges a refresh response into this token with the service's rotation rules: a new
    /// refresh token replaces the old one; when none comes back the old one is kept; empty
    /// scopes keep the old scopes.
    pub(crate) fn merge_refreshed(&self, mut new: Token) -> Token {
        if new.refresh_token.is_none() {
            new.refresh_token.clone_from(&self.refresh_token);
        }
        if new.scopes.is_empty() {
            new.scopes.clone_from(&self.scopes);
        }
        new
    }
}

/// The on-disk shape of a token; versioned so the format can change later.
#[derive(Serialize, Deserialize)]
struct TokenRecord {
    version: u32,
    access_token: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    refresh_token: Option<String>,
    /// Seconds since the Unix epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    expires_at: Option<u64>,
    #[serde(default)]
    scope: String,
}

impl Serialize for Token {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        TokenRecord {
            version: 1,
            access_token: self.access_token.secret().to_owned(),
            refresh_token: self.refresh_token.as_ref().map(|r| r.secret().to_owned()),
            expires_at: self
                .expires_at
                .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                .map(|d| d.as_secs()),
            scope: self.scopes.join(" "),
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Token {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let record = TokenRecord::deserialize(deserializer)?;
        if record.version != 1 {
            return Err(serde::de::Error::custom(format!(
                "unsupported token record version {}",
                record.version
            )));
        }
        Ok(Token {
            access_token: AccessToken::new(record.access_token),
            refresh_token: record.refresh_token.map(RefreshToken::new),
            expires_at: record
                .expires_at
                .map(|s| UNIX_EPOCH + Duration::from_secs(s)),
            scopes: record.scope.split_whitespace().map(str::to_owned).collect(),
            lifetime: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token() -> Token {
        Token::new(
            AccessToken::new("access-secret-123"),
            Some(RefreshToken::new("refresh-secret-456")),
            Some(Duration::from_secs(3600)),
            vec!["user-library-read".into()],
        )
    }

    #[test]
    fn debug_never_shows_secrets() {
        let t = token();
        let dbg = format!("{t:?}");
        assert!(!dbg.contains("access-secret-123"), "{dbg}");
        assert!(!dbg.contains("refresh-secret-456"), "{dbg}");
        assert!(dbg.contains("AccessToken([redacted])"));
        assert_eq!(
            format!("{:?}", ClientSecret::new("s3cr3t")),
            "ClientSecret([redacted])"
        );
    }

    #[test]
    fn freshness_respects_skew() {
        let t = token().with_expires_at(Some(SystemTime::now() + Duration::from_secs(30)));
        assert!(t.is_fresh(Duration::from_secs(10)));
        assert!(!t.is_fresh(Duration::from_secs(60)));
        let expired = token().with_expires_at(Some(SystemTime::now() - Duration::from_secs(1)));
        assert!(!expired.is_fresh(Duration::ZERO));
        let unknown = token().with_expires_at(None);
        assert!(unknown.is_fresh(Duration::from_secs(60)));
    }

    #[test]
    fn renewal_margin_is_at_most_half_the_lifetime() {
        let skew = Duration::from_secs(60);
        let short = Token::new(
            AccessToken::new("a"),
            None,
            Some(Duration::from_secs(30)),
            vec![],
        );
        assert_eq!(short.renewal_margin(skew), Duration::from_secs(15));
        // A 30 s token is usable when it arrives, although it lives shorter than the skew.
        assert!(short.is_fresh(short.renewal_margin(skew)));
        assert!(!short.is_fresh(skew));
        assert_eq!(token().renewal_margin(skew), skew);
        // A token whose lifetime is unknown (loaded from a store) keeps the full skew.
        let stored: Token = serde_json::from_str(&serde_json::to_string(&short).unwrap()).unwrap();
        assert_eq!(stored.renewal_margin(skew), skew);
        let reset = short.with_expires_at(Some(SystemTime::now() + Duration::from_secs(30)));
        assert_eq!(reset.renewal_margin(skew), skew);
    }

    #[test]
    fn rotation_merge_rules() {
        let old = token();
        let rotated = Token::new(
            AccessToken::new("a2"),
            Some(RefreshToken::new("r2")),
            Some(Duration::from_secs(3600)),
            vec![],
        );
        let merged = old.merge_refreshed(rotated);
        assert_eq!(merged.refresh_token().map(RefreshToken::secret), Some("r2"));
        assert_eq!(merged.scopes(), ["user-library-read"]);
        let kept = old.merge_refreshed(Token::new(AccessToken::new("a3"), None, None, vec![]));
        assert_eq!(
            kept.refresh_token().map(RefreshToken::secret),
            Some("refresh-secret-456")
        );
        assert_eq!(kept.access_token().secret(), "a3");
    }

    #[test]
    fn serde_round_trip() {
        let t = token();
        let json = serde_json::to_string(&t).unwrap();
        let back: Token = serde_json::from_str(&json).unwrap();
        assert_eq!(back.access_token(), t.access_token());
        assert_eq!(back.refresh_token(), t.refresh_token());
        assert_eq!(back.scopes(), t.scopes());
        let secs = |t: &Token| {
            t.expires_at()
                .unwrap()
                .duration_since(UNIX_EPOCH)
                .unwrap()
                .as_secs()
        };
        assert_eq!(secs(&back), secs(&t));
        assert!(serde_json::from_str::<Token>(r#"{"version":2,"access_token":"x"}"#).is_err());
    }
}
