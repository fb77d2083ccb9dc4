//! Issued authorization codes, access tokens and refresh tokens, with Spotify's rules:
//! codes are single-use and live ten minutes; PKCE refresh tokens rotate (the old one dies);
//! refresh tokens of confidential clients stay; refresh tokens expire six months after authorization.

use std::collections::{BTreeSet, HashMap};
use std::time::{Duration, Instant};

use rand::Rng;
use rand::distr::Alphanumeric;

/// Scopes granted to a token.
pub type Scopes = BTreeSet<String>;

/// Every scope Spotify defines.
pub const ALL_SCOPES: &[&str] = &[
    "ugc-image-upload",
    "user-read-playback-state",
    "user-modify-playback-state",
    "user-read-currently-playing",
    "app-remote-control",
    "streaming",
    "playlist-read-private",
    "playlist-read-collaborative",
    "playlist-modify-private",
    "playlist-modify-public",
    "user-follow-modify",
    "user-follow-read",
    "user-read-playback-position",
    "user-top-read",
    "user-read-recently-played",
    "user-library-modify",
    "user-library-read",
    "user-read-email",
    "user-read-private",
    "user-personalized",
    "user-soa-link",
    "user-soa-unlink",
    "soa-manage-entitlements",
    "soa-manage-partner",
    "soa-create-partner",
];

/// Who a token speaks for.
#[derive(Debug, Clone)]
pub struct Grant {
    /// The user, or `None` for a client-credentials token.
    pub user: Option<String>,
    /// The app.
    pub client_id: String,
    /// Granted scopes.
    pub scopes: Scopes,
}

#[derive(Debug, Clone)]
struct Access {
    grant: Grant,
    expires: Instant,
}

#[derive(Debug, Clone)]
struct Refresh {
    grant: Grant,
    /// PKCE (public client) tokens rotate on use.
    rotating: bool,
    /// Six months after the original authorization, whatever rotations happened since.
    expires: Instant,
}

/// A pending authorization code.
#[derive(Debug, Clone)]
pub struct Code {
    /// Grant it will turn into.
    pub grant: Grant,
    /// The redirect URI it was issued for (must match at the token endpoint).
    pub redirect_uri: String,
    /// PKCE challenge (S256), if the request used PKCE.
    pub code_challenge: Option<String>,
    expires: Instant,
}

/// Why a token was not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenProblem {
    /// Not issued by this sandbox (or revoked).
    Invalid,
    /// Past its lifetime.
    Expired,
}

/// Why a refresh token was not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefreshProblem {
    /// Unknown or expired.
    Invalid,
    /// A rotating (PKCE) refresh token already used once: Spotify answers "Refresh token revoked".
    Revoked,
    /// Issued to another client.
    WrongClient,
}

/// A freshly issued token pair.
#[derive(Debug, Clone)]
pub struct Issued {
    /// Access token.
    pub access_token: String,
    /// Refresh token, when one is issued or rotated.
    pub refresh_token: Option<String>,
    /// Lifetime in seconds.
    pub expires_in: u64,
    /// Space-separated scopes.
    pub scope: String,
}

/// The token registry.
#[derive(Debug, Default)]
pub struct Tokens {
    access: HashMap<String, Access>,
    refresh: HashMap<String, Refresh>,
    /// Rotating refresh tokens already used, until the authorization they belonged to would have
    /// expired: presenting one again is told apart from an unknown token.
    rotated: HashMap<String, Instant>,
    codes: HashMap<String, Code>,
}

fn random_token(len: usize) -> String {
    rand::rng()
        .sample_iter(&Alphanumeric)
        .take(len)
        .map(char::from)
        .collect()
}

/// How long an authorization code stays valid.
pub const CODE_TTL: Duration = Duration::from_secs(600);

impl Tokens {
    /// Stores a new authorization code and returns it.
    pub fn issue_code(
        &mut self,
        grant: Grant,
        redirect_uri: String,
        code_challenge: Option<String>,
    ) -> String {
        let code = format!("AQ{}", random_token(180));
        self.codes.insert(
            code.clone(),
            Code {
                grant,
                redirect_uri,
                code_challenge,
                expires: Instant::now() + CODE_TTL,
            },
        );
        code
    }

    /// Takes a code out (single use): `None` when unknown, used or expired.
    pub fn take_code(&mut self, code: &str) -> Option<Code> {
        let found = self.codes.remove(code)?;
        (found.expires > Instant::now()).then_some(found)
    }

    /// Issues an access token (and, for user grants, a refresh token).
    pub fn issue(
        &mut self,
        grant: Grant,
        ttl: Duration,
        refresh: Option<(bool, Duration)>,
    ) -> Issued {
        let access_token = format!("BQ{}", random_token(150));
        let scope = grant.scopes.iter().cloned().collect::<Vec<_>>().join(" ");
        let refresh_token = refresh.map(|(rotating, lifetime)| {
            let token = format!("AQ{}", random_token(130));
            self.refresh.insert(
                token.clone(),
                Refresh {
                    grant: grant.clone(),
                    rotating,
                    expires: Instant::now() + lifetime,
                },
            );
            token
        });
        self.access.insert(
            access_token.clone(),
            Access {
                grant,
                expires: Instant::now() + ttl,
            },
        );
        Issued {
            access_token,
            refresh_token,
            expires_in: ttl.as_secs(),
            scope,
        }
    }

    /// Uses a refresh token: a new access token, and for rotating tokens a new refresh token
    /// (the presented one dies). The original authorization's expiry carries over.
    pub fn refresh(
        &mut self,
        token: &str,
        client_id: &str,
        ttl: Duration,
    ) -> Result<Issued, RefreshProblem> {
        let Some(found) = self.refresh.get(token) else {
            return Err(match self.rotated.get(token) {
                Some(until) if *until > Instant::now() => RefreshProblem::Revoked,
                _ => RefreshProblem::Invalid,
            });
        };
        if found.expires <= Instant::now() {
            self.refresh.remove(token);
            return Err(RefreshProblem::Invalid);
        }
        if found.grant.client_id != client_id {
            return Err(RefreshProblem::WrongClient);
        }
        let found = found.clone();
        if found.rotating {
            self.refresh.remove(token);
            self.rotated.insert(token.to_owned(), found.expires);
            let remaining = found.expires.saturating_duration_since(Instant::now());
            Ok(self.issue(found.grant, ttl, Some((true, remaining))))
        } else {
            let mut issued = self.issue(found.grant, ttl, None);
            issued.refresh_token = None;
            Ok(issued)
        }
    }

    /// Looks a bearer token up.
    pub fn check(&self, token: &str) -> Result<&Grant, TokenProblem> {
        let found = self.access.get(token).ok_or(TokenProblem::Invalid)?;
        if found.expires <= Instant::now() {
            return Err(TokenProblem::Expired);
        }
        Ok(&found.grant)
    }

    /// Drops expired access tokens so long runs with short lifetimes stay small.
    pub fn sweep(&mut self) {
        let now = Instant::now();
        // Keep expired tokens for a while so clients still get "expired" rather than "invalid".
        let horizon = Duration::from_secs(3600);
        self.access.retain(|_, a| a.expires + horizon > now);
        self.codes.retain(|_, c| c.expires > now);
        self.rotated.retain(|_, until| *until > now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant() -> Grant {
        Grant {
            user: Some("demo".into()),
            client_id: "app".into(),
            scopes: Scopes::new(),
        }
    }

    #[test]
    fn rotating_refresh_kills_the_old_token() {
        let mut t = Tokens::default();
        let first = t.issue(
            grant(),
            Duration::from_secs(60),
            Some((true, Duration::from_secs(600))),
        );
        let old = first.refresh_token.expect("issued");
        let second = t
            .refresh(&old, "app", Duration::from_secs(60))
            .expect("first use works");
        assert!(second.refresh_token.is_some());
        // Used again: revoked, which Spotify words apart from an unknown token.
        assert_eq!(
            t.refresh(&old, "app", Duration::from_secs(60)).err(),
            Some(RefreshProblem::Revoked)
        );
        assert_eq!(
            t.refresh("never-issued", "app", Duration::from_secs(60))
                .err(),
            Some(RefreshProblem::Invalid)
        );
    }

    #[test]
    fn confidential_refresh_keeps_the_token() {
        let mut t = Tokens::default();
        let first = t.issue(
            grant(),
            Duration::from_secs(60),
            Some((false, Duration::from_secs(600))),
        );
        let rt = first.refresh_token.expect("issued");
        let again = t
            .refresh(&rt, "app", Duration::from_secs(60))
            .expect("works");
        assert!(again.refresh_token.is_none());
        assert!(t.refresh(&rt, "app", Duration::from_secs(60)).is_ok());
        assert_eq!(
            t.refresh(&rt, "other", Duration::from_secs(60)).err(),
            Some(RefreshProblem::WrongClient)
        );
    }

    #[test]
    fn codes_are_single_use() {
        let mut t = Tokens::default();
        let code = t.issue_code(grant(), "http://127.0.0.1:1/callback".into(), None);
        assert!(t.take_code(&code).is_some());
        assert!(t.take_code(&code).is_none());
    }

    #[test]
    fn expired_access_token_is_reported_as_expired() {
        let mut t = Tokens::default();
        let issued = t.issue(grant(), Duration::ZERO, None);
        assert_eq!(
            t.check(&issued.access_token).err(),
            Some(TokenProblem::Expired)
        );
        assert_eq!(t.check("nope").err(), Some(TokenProblem::Invalid));
    }
}
