//! The authorization request and what comes back from it.

use std::net::IpAddr;

use url::Url;

use super::PkceVerifier;
use crate::error::{Error, Result};

secret_type!(
    /// The `state` parameter: a random value that ties the redirect to the request that made it
    /// (RFC 6749 §10.12). 16 bytes from the CSPRNG, base64url encoded.
    CsrfToken
);

secret_type!(
    /// The one-time code from the redirect; worth a token for a few minutes.
    AuthorizationCode
);

impl CsrfToken {
    /// A fresh random `state`.
    pub fn random() -> Self {
        // oauth2 draws it from `rand`'s thread-local CSPRNG.
        CsrfToken::new(oauth2::CsrfToken::new_random().secret().clone())
    }
}

/// Where Spotify sends the browser back to: HTTPS, or plain HTTP to a loopback IP literal
/// (`127.0.0.1` or `[::1]`). Spotify rejects `localhost`, so this type does too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedirectUri(Url);

impl RedirectUri {
    /// Checks and wraps a redirect URI.
    pub fn new(uri: &str) -> Result<Self> {
        let url = Url::parse(uri)
            .map_err(|e| Error::Config(format!("redirect URI {uri:?} is not a URL: {e}")))?;
        Self::from_url(url)
    }

    /// Checks and wraps an already parsed URL.
    pub fn from_url(url: Url) -> Result<Self> {
        let bad = |why: &str| {
            Err(Error::Config(format!(
                "redirect URI {url} is not allowed: {why}"
            )))
        };
        if url.fragment().is_some() {
            return bad("it must not have a #fragment");
        }
        match url.scheme() {
            "https" => Ok(RedirectUri(url)),
            "http" => match url.host() {
                Some(url::Host::Ipv4(ip)) if IpAddr::V4(ip).is_loopback() => Ok(RedirectUri(url)),
                Some(url::Host::Ipv6(ip)) if IpAddr::V6(ip).is_loopback() => Ok(RedirectUri(url)),
                Some(url::Host::Domain(d)) if d.eq_ignore_ascii_case("localhost") => {
                    bad("Spotify rejects `localhost`; use http://127.0.0.1:PORT/callback")
                }
                _ => {
                    bad("plain http is only allowed to a loopback IP literal (127.0.0.1 or [::1])")
                }
            },
            _ => bad("use https, or http to a loopback IP literal"),
        }
    }

    /// The URL.
    pub fn url(&self) -> &Url {
        &self.0
    }

    /// The URL as a string.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl std::fmt::Display for RedirectUri {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0.as_str())
    }
}

/// A started user login: the URL to open, and the `state` and PKCE verifier it was made with.
///
/// Made by [`Auth::authorize_url`](super::Auth::authorize_url), consumed by
/// [`Auth::exchange_code`](super::Auth::exchange_code), so a verifier is never reused.
#[derive(Debug)]
pub struct AuthorizationRequest {
    url: Url,
    state: CsrfToken,
    verifier: Option<PkceVerifier>,
    redirect_uri: RedirectUri,
}

impl AuthorizationRequest {
    pub(crate) fn new(
        url: Url,
        state: CsrfToken,
        verifier: Option<PkceVerifier>,
        redirect_uri: RedirectUri,
    ) -> Self {
        AuthorizationRequest {
            url,
            state,
            verifier,
            redirect_uri,
        }
    }

    /// The URL to open in a browser. It holds the `state` and the PKCE *challenge*, never the
    /// verifier.
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// The `state` the redirect must carry.
    pub fn state(&self) -> &CsrfToken {
        &self.state
    }

    /// The redirect URI the request was made for.
    pub fn redirect_uri(&self) -> &RedirectUri {
        &self.redirect_uri
    }

    /// Whether this is a PKCE request.
    pub fn is_pkce(&self) -> bool {
        self.verifier.is_some()
    }

    /// The PKCE verifier, for code that must keep a started login somewhere between the
    /// redirect and the callback (a server's session store). Treat it like a password.
    pub fn verifier(&self) -> Option<&PkceVerifier> {
        self.verifier.as_ref()
    }

    /// Rebuilds a login started earlier (possibly by another process) from the parts kept with
    /// the user's session: its `state`, PKCE verifier and redirect URI. The authorization URL is
    /// not needed any more, so [`AuthorizationRequest::url`] of the result is the redirect URI.
    pub fn resume(
        state: CsrfToken,
        verifier: Option<PkceVerifier>,
        redirect_uri: RedirectUri,
    ) -> Self {
        AuthorizationRequest {
            url: redirect_uri.url().clone(),
            state,
            verifier,
            redirect_uri,
        }
    }

    /// Whether a redirect query carries this request's `state`.
    pub(crate) fn state_matches(&self, query: &str) -> bool {
        url::form_urlencoded::parse(query.as_bytes())
            .any(|(k, v)| k == "state" && CsrfToken::new(v.into_owned()) == self.state)
    }

    /// Checks the query of a redirect against this request and returns its code.
    pub(crate) fn code_from_query(&self, query: &str) -> Result<AuthorizationCode> {
        let mut code = None;
        let mut state = None;
        let mut error = None;
        for (k, v) in url::form_urlencoded::parse(query.as_bytes()) {
            match &*k {
                "code" => code = Some(v.into_owned()),
                "state" => state = Some(v.into_owned()),
                "error" => error = Some(v.into_owned()),
                _ => {}
            }
        }
        // Check `state` first: an error or code with a foreign state is someone else's redirect.
        match state {
            Some(s) if self.state.secret() == s => {}
            Some(_) => {
                return Err(Error::Callback {
                    message: "the redirect's `state` does not match this login (a stale tab or a \
                              forged request); start the login again"
                        .into(),
                });
            }
            None => {
                return Err(Error::Callback {
                    message:
                        "the redirect has no `state`; paste the whole URL the browser was sent to"
                            .into(),
                });
            }
        }
        if let Some(e) = error {
            let message = if e == "access_denied" {
                "access was denied on Spotify's consent page; run the login again and choose Agree"
                    .to_owned()
            } else {
                format!("Spotify reported `{e}` in the redirect; start the login again")
            };
            return Err(Error::Callback { message });
        }
        match code {
            Some(c) if !c.is_empty() => Ok(AuthorizationCode::new(c)),
            _ => Err(Error::Callback {
                message: "the redirect has no `code`; paste the whole URL the browser was sent to"
                    .into(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirect_uri_rules() {
        for ok in [
            "http://127.0.0.1:8888/callback",
            "http://127.0.0.1/callback",
            "http://[::1]:9000/callback",
            "https://example.com/cb",
        ] {
            assert!(RedirectUri::new(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://localhost:8888/callback",
            "http://LOCALHOST/callback",
            "http://192.168.1.2/callback",
            "http://0.0.0.0:8888/callback",
            "ftp://127.0.0.1/callback",
            "https://example.com/cb#frag",
            "not a url",
        ] {
            assert!(RedirectUri::new(bad).is_err(), "{bad}");
        }
        let e = RedirectUri::new("http://localhost:8888/callback").unwrap_err();
        assert!(e.to_string().contains("127.0.0.1"), "{e}");
    }

    fn request() -> AuthorizationRequest {
        AuthorizationRequest::new(
            Url::parse("https://accounts.example/authorize").unwrap(),
            CsrfToken::new("st8"),
            None,
            RedirectUri::new("http://127.0.0.1:1/callback").unwrap(),
        )
    }

    #[test]
    fn query_checks() {
        let r = request();
        assert_eq!(
            r.code_from_query("code=abc&state=st8").unwrap().secret(),
            "abc"
        );
        assert!(matches!(
            r.code_from_query("code=abc&state=other"),
            Err(Error::Callback { .. })
        ));
        assert!(matches!(
            r.code_from_query("code=abc"),
            Err(Error::Callback { .. })
        ));
        let denied = r
            .code_from_query("error=access_denied&state=st8")
            .unwrap_err();
        assert!(denied.to_string().contains("denied"), "{denied}");
        assert!(r.code_from_query("state=st8").is_err());
        // A forged error with the wrong state is reported as a state problem.
        let forged = r
            .code_from_query("error=access_denied&state=zzz")
            .unwrap_err();
        assert!(forged.to_string().contains("state"), "{forged}");
    }

    #[test]
    fn random_states_differ() {
        let a = CsrfToken::random();
        assert!(a.secret().len() >= 22);
        assert_ne!(a, CsrfToken::random());
    }
}
