//! Logging in: Authorization Code with PKCE, Authorization Code with a client secret, Client
//! Credentials, and refresh.
//!
//! The grant is chosen when the [`Spotify`] client is built
//! ([`SpotifyBuilder::pkce`](crate::SpotifyBuilder::pkce),
//! [`authorization_code`](crate::SpotifyBuilder::authorization_code),
//! [`client_credentials`](crate::SpotifyBuilder::client_credentials)); the interactive part of a
//! user login goes through [`Auth`] (`spotify.auth()`):
//!
//! 1. [`Auth::authorize_url`] makes an [`AuthorizationRequest`]: the URL to open, a random
//!    `state`, and (PKCE) a random S256 code verifier, kept together so they cannot be mixed up;
//! 2. the browser comes back to a [`RedirectUri`]: receive it with a [`LoopbackListener`], or
//!    let the user paste it ([`parse_redirect`]);
//! 3. [`Auth::exchange_code`] trades the code for a [`Token`] and saves it to the token store.
//!
//! ```no_run
//! # async fn demo() -> spotkit::Result<()> {
//! use spotkit::auth::{LoopbackConfig, LoopbackListener};
//! use std::time::Duration;
//! let spotify = spotkit::Spotify::builder().pkce("my-client-id").build()?;
//! let listener = LoopbackListener::bind(LoopbackConfig::default()).await?;
//! let request = spotify.auth().authorize_url(listener.redirect_uri(), &["user-library-read"])?;
//! println!("open {}", request.url());
//! let code = listener.receive(&request, Duration::from_secs(300)).await?;
//! spotify.auth().exchange_code(request, code).await?;
//! # Ok(()) }
//! ```
//!
//! ## Why the `oauth2` crate, and where it stops
//! Requests to the accounts service are built and parsed by [`oauth2`] 5 (form bodies, Basic
//! auth, PKCE challenge, RFC 6749 error codes such as `invalid_grant`), and sent through its
//! `AsyncHttpClient` trait implemented over spotkit's own reqwest client, so token calls get the
//! same timeouts, 429 handling and tracing as API calls. spotkit keeps its own [`secrecy`]-backed
//! secret types and builds the `oauth2` client per call, so `oauth2`'s plain-`String` secrets only
//! live for the duration of one request.
//!
//! Token requests are repeated only when that cannot burn a one-time value: connection failures
//! (nothing was sent) and 429s always; 5xx/resets only for Client Credentials. An authorization
//! code is single-use and a PKCE refresh rotates the refresh token, so repeating those after the
//! server may have processed them could turn a hiccup into a forced re-login.

mod code;
mod loopback;
mod pkce;

pub use code::{AuthorizationCode, AuthorizationRequest, CsrfToken, RedirectUri};
pub use loopback::{LoopbackConfig, LoopbackListener, parse_redirect};
pub use pkce::{PkceChallenge, PkceVerifier};

pub use crate::token::{AccessToken, ClientSecret, RefreshToken, Token};

/// The scopes Spotify defines (<https://developer.spotify.com/documentation/web-api/concepts/scopes>).
/// Asking `/authorize` for any other scope gets an "Illegal scope" page in the browser, which
/// never redirects back to the app, so a loopback login would only wait for its timeout: check
/// scopes against this list before sending the user there.
pub const SCOPES: &[&str] = &[
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

use std::time::Duration;

use futures::future::BoxFuture;
use oauth2::basic::{BasicClient, BasicErrorResponseType, BasicTokenResponse};
use oauth2::{EndpointNotSet, EndpointSet, RequestTokenError, TokenResponse};
use tracing::Instrument;
use url::Url;

use crate::client::Spotify;
use crate::error::{Error, Result};
use crate::http::RetryPolicy;
use crate::http::retry::{
    self, Attempt, Step, Trouble, classify_reqwest, is_retryable_status, parse_retry_after,
};
use crate::token::refresh::Renewal;

/// The `oauth2` client with an authorization and a token endpoint set (named once, as in
/// oauth2-rs's own examples).
type OAuthClient =
    BasicClient<EndpointSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointSet>;

/// An app registered with Spotify, and where its accounts service lives.
#[derive(Debug)]
pub(crate) struct OAuth {
    client_id: String,
    secret: Option<ClientSecret>,
    /// Send a PKCE challenge even though the client has a secret (RFC 9700 recommends PKCE for
    /// confidential clients too).
    pkce: bool,
    authorize_url: Url,
    token_url: Url,
    http: reqwest::Client,
    policy: RetryPolicy,
}

/// Which request went to the token endpoint, for error messages and retry rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Grant {
    Code,
    Refresh,
    ClientCredentials,
}

impl OAuth {
    pub(crate) fn new(
        client_id: String,
        secret: Option<ClientSecret>,
        pkce: bool,
        accounts_base: &Url,
        http: reqwest::Client,
        policy: RetryPolicy,
    ) -> Result<Self> {
        let join = |path: &str| {
            accounts_base
                .join(path)
                .map_err(|e| Error::Config(format!("bad accounts base URL {accounts_base}: {e}")))
        };
        Ok(OAuth {
            client_id,
            pkce: pkce || secret.is_none(),
            secret,
            authorize_url: join("authorize")?,
            token_url: join("api/token")?,
            http,
            policy,
        })
    }

    pub(crate) fn client_id(&self) -> &str {
        &self.client_id
    }

    pub(crate) fn has_secret(&self) -> bool {
        self.secret.is_some()
    }

    fn client(&self) -> OAuthClient {
        let client = BasicClient::new(oauth2::ClientId::new(self.client_id.clone()))
            .set_auth_uri(oauth2::AuthUrl::from_url(self.authorize_url.clone()))
            .set_token_uri(oauth2::TokenUrl::from_url(self.token_url.clone()));
        match &self.secret {
            // Basic auth header (oauth2's default AuthType) for confidential clients; without a
            // secret oauth2 puts `client_id` in the form body, as Spotify's PKCE flow wants.
            Some(s) => client.set_client_secret(oauth2::ClientSecret::new(s.secret().to_owned())),
            None => client,
        }
    }

    fn token_http(&self, grant: Grant) -> TokenHttp {
        TokenHttp {
            http: self.http.clone(),
            policy: self.policy.clone(),
            repeatable: grant == Grant::ClientCredentials,
        }
    }

    /// Builds the authorization URL: PKCE S256 for public clients (and for confidential ones that
    /// asked for it), plain code otherwise.
    pub(crate) fn authorize(
        &self,
        redirect_uri: &RedirectUri,
        scopes: &[&str],
        show_dialog: bool,
    ) -> AuthorizationRequest {
        let client = self
            .client()
            .set_redirect_uri(oauth2::RedirectUrl::from_url(redirect_uri.url().clone()));
        let state = CsrfToken::random();
        let state_for_oauth = state.secret().to_owned();
        let mut req = client
            .authorize_url(move || oauth2::CsrfToken::new(state_for_oauth))
            .add_scopes(scopes.iter().map(|s| oauth2::Scope::new((*s).to_owned())));
        let verifier = if self.pkce {
            let verifier = PkceVerifier::random();
            let challenge = PkceChallenge::s256(&verifier);
            req = req.set_pkce_challenge(challenge.to_oauth2());
            Some(verifier)
        } else {
            None
        };
        if show_dialog {
            req = req.add_extra_param("show_dialog", "true");
        }
        let (url, _) = req.url();
        AuthorizationRequest::new(url, state, verifier, redirect_uri.clone())
    }

    /// Trades an authorization code for a token.
    pub(crate) async fn exchange(
        &self,
        request: &AuthorizationRequest,
        code: &AuthorizationCode,
    ) -> Result<Token> {
        let client = self
            .client()
            .set_redirect_uri(oauth2::RedirectUrl::from_url(
                request.redirect_uri().url().clone(),
            ));
        let mut req =
            client.exchange_code(oauth2::AuthorizationCode::new(code.secret().to_owned()));
        if let Some(v) = request.verifier() {
            req = req.set_pkce_verifier(oauth2::PkceCodeVerifier::new(v.secret().to_owned()));
        }
        let http = self.token_http(Grant::Code);
        let response = req
            .request_async(&http)
            .await
            .map_err(|e| token_error(e, Grant::Code))?;
        Ok(to_token(&response))
    }

    /// The refresh-token grant. Taking a [`RefreshToken`] (not a [`Token`]) means a token that
    /// came without one cannot be refreshed by construction.
    pub(crate) async fn refresh(&self, refresh_token: &RefreshToken) -> Result<Token> {
        let client = self.client();
        let rt = oauth2::RefreshToken::new(refresh_token.secret().to_owned());
        let http = self.token_http(Grant::Refresh);
        let response = client
            .exchange_refresh_token(&rt)
            .request_async(&http)
            .await
            .map_err(|e| token_error(e, Grant::Refresh))?;
        Ok(to_token(&response))
    }

    /// The Client Credentials grant (needs a client secret).
    pub(crate) async fn client_credentials(&self) -> Result<Token> {
        if self.secret.is_none() {
            return Err(Error::Config(
                "the Client Credentials grant needs a client secret".into(),
            ));
        }
        let client = self.client();
        let http = self.token_http(Grant::ClientCredentials);
        let response = client
            .exchange_client_credentials()
            .request_async(&http)
            .await
            .map_err(|e| token_error(e, Grant::ClientCredentials))?;
        Ok(to_token(&response))
    }
}

fn to_token(response: &BasicTokenResponse) -> Token {
    Token::new(
        AccessToken::new(response.access_token().secret().clone()),
        response
            .refresh_token()
            .map(|r| RefreshToken::new(r.secret().clone())),
        response.expires_in(),
        response
            .scopes()
            .map(|s| s.iter().map(|s| s.to_string()).collect())
            .unwrap_or_default(),
    )
}

fn token_error(
    err: RequestTokenError<Error, oauth2::basic::BasicErrorResponse>,
    grant: Grant,
) -> Error {
    match err {
        RequestTokenError::ServerResponse(resp) => {
            let description = resp.error_description().cloned();
            if *resp.error() == BasicErrorResponseType::InvalidGrant {
                let what = match grant {
                    Grant::Refresh => "Spotify rejected the refresh token",
                    Grant::Code => {
                        "Spotify rejected the authorization code (used twice, expired, or a verifier/redirect URI mismatch)"
                    }
                    Grant::ClientCredentials => "Spotify rejected the client credentials grant",
                };
                Error::ReauthorizationRequired {
                    reason: match description {
                        Some(d) => format!("{what} (invalid_grant: {d})"),
                        None => format!("{what} (invalid_grant)"),
                    },
                }
            } else {
                Error::OAuth {
                    code: resp.error().to_string(),
                    description,
                }
            }
        }
        RequestTokenError::Request(e) => e,
        RequestTokenError::Parse(e, body) => Error::Decode {
            path: e.path().to_string(),
            message: e.inner().to_string(),
            // Never echo a token response: it may hold a token even when it fails to parse.
            snippet: format!(
                "({} bytes from the accounts service, not shown)",
                body.len()
            ),
        },
        RequestTokenError::Other(message) => Error::OAuth {
            code: "invalid_response".into(),
            description: Some(message),
        },
    }
}

/// `oauth2`'s HTTP client trait over our reqwest client, with spotkit's retry rules.
#[derive(Debug, Clone)]
pub(crate) struct TokenHttp {
    http: reqwest::Client,
    policy: RetryPolicy,
    repeatable: bool,
}

impl<'c> oauth2::AsyncHttpClient<'c> for TokenHttp {
    type Error = Error;
    type Future = BoxFuture<'c, Result<oauth2::HttpResponse, Error>>;

    fn call(&'c self, request: oauth2::HttpRequest) -> Self::Future {
        Box::pin(self.execute(request))
    }
}

impl TokenHttp {
    async fn execute(&self, request: oauth2::HttpRequest) -> Result<oauth2::HttpResponse> {
        let (parts, body) = request.into_parts();
        let mut attempt = TokenAttempt {
            http: &self.http,
            url: parts.uri.to_string(),
            parts,
            body,
        };
        // A 401 from the accounts service is an answer (bad client), not an expired token.
        retry::run(&self.policy, self.repeatable, false, &mut attempt).await
    }
}

/// One token request as the retry loop sees it.
struct TokenAttempt<'a> {
    http: &'a reqwest::Client,
    url: String,
    parts: http::request::Parts,
    body: Vec<u8>,
}

impl Attempt for TokenAttempt<'_> {
    type Output = oauth2::HttpResponse;

    async fn attempt(&mut self, n: u32) -> Step<oauth2::HttpResponse> {
        let span = tracing::info_span!(
            "spotify_token_request",
            path = %self.parts.uri.path(),
            attempt = n,
            status = tracing::field::Empty,
        );
        let sent = async {
            let response = self
                .http
                .request(self.parts.method.clone(), &self.url)
                .headers(self.parts.headers.clone())
                .body(self.body.clone())
                .send()
                .await?;
            let status = response.status();
            tracing::Span::current().record("status", status.as_u16());
            let headers = response.headers().clone();
            let bytes = response.bytes().await?;
            Ok::<_, reqwest::Error>((status, headers, bytes))
        }
        .instrument(span)
        .await;
        let (status, headers, bytes) = match sent {
            Ok(x) => x,
            Err(e) => {
                return Step::Retry(
                    classify_reqwest(&e),
                    Error::transport("the token request failed", e),
                );
            }
        };
        let code = status.as_u16();
        if code == 429 {
            let after = headers
                .get(reqwest::header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| parse_retry_after(v, std::time::SystemTime::now()));
            // The quota answer is documented for the Web API only; should the accounts service
            // ever send it, it gets the same treatment: no retries.
            if crate::http::error_reason(&bytes).as_deref() == Some(crate::http::QUOTA_EXCEEDED) {
                return Step::Fail(Error::QuotaExceeded { retry_after: after });
            }
            let retry_after = after.unwrap_or(Duration::from_secs(1));
            Step::Retry(
                Trouble::RateLimited(after),
                Error::rate_limited(retry_after),
            )
        } else if status.is_success() || matches!(code, 400 | 401 | 403) {
            // 400/401/403 carry RFC 6749 error bodies: oauth2 parses them.
            let mut out = http::Response::new(bytes.to_vec());
            *out.status_mut() = status;
            *out.headers_mut() = headers;
            Step::Done(out)
        } else {
            let error = Error::Api {
                status: code,
                message: crate::http::error_message(&bytes),
            };
            if is_retryable_status(code) {
                Step::Retry(Trouble::ServerError, error)
            } else {
                Step::Fail(error)
            }
        }
    }

    async fn renew(&mut self) -> Result<()> {
        Ok(())
    }

    async fn after_wait(&mut self) -> Result<()> {
        Ok(())
    }

    fn describe(&self) -> String {
        format!("{} {}", self.parts.method, self.parts.uri.path())
    }
}

/// Login and token management for one [`Spotify`] client: `spotify.auth()`.
#[derive(Debug, Clone, Copy)]
pub struct Auth<'a> {
    spotify: &'a Spotify,
}

impl<'a> Auth<'a> {
    pub(crate) fn new(spotify: &'a Spotify) -> Self {
        Auth { spotify }
    }

    fn user_app(self) -> Result<&'a OAuth> {
        match self.spotify.tokens().renewal() {
            Renewal::Refresh(oauth) => Ok(oauth),
            Renewal::ClientCredentials(_) => Err(Error::Config(
                "this client uses the Client Credentials grant, which has no user login; build it \
                 with SpotifyBuilder::pkce or ::authorization_code"
                    .into(),
            )),
            Renewal::None => Err(Error::Config(
                "this client was built without a client id; use SpotifyBuilder::pkce or \
                 ::authorization_code"
                    .into(),
            )),
        }
    }

    /// Starts a user login: the URL to open plus the `state` and PKCE verifier that belong to it.
    /// Public clients (built with `pkce`) use PKCE S256; confidential ones the client secret.
    pub fn authorize_url(
        &self,
        redirect_uri: &RedirectUri,
        scopes: &[&str],
    ) -> Result<AuthorizationRequest> {
        Ok(self.user_app()?.authorize(redirect_uri, scopes, false))
    }

    /// Like [`Auth::authorize_url`], but Spotify asks the user again even if they approved before
    /// (useful to switch accounts).
    pub fn authorize_url_with_dialog(
        &self,
        redirect_uri: &RedirectUri,
        scopes: &[&str],
    ) -> Result<AuthorizationRequest> {
        Ok(self.user_app()?.authorize(redirect_uri, scopes, true))
    }

    /// Trades the code from the redirect for a token, saves it to the token store and makes it
    /// the client's token. The request is consumed: a code and verifier are good for one try.
    pub async fn exchange_code(
        &self,
        request: AuthorizationRequest,
        code: AuthorizationCode,
    ) -> Result<Token> {
        let token = self.user_app()?.exchange(&request, &code).await?;
        self.spotify.tokens().install(token.clone()).await?;
        Ok(token)
    }

    /// The whole loopback login: builds the request for `listener`'s redirect URI, hands the URL
    /// to `open` (print it, or launch a browser), waits for the callback and exchanges the code.
    pub async fn login_with_loopback(
        &self,
        listener: LoopbackListener,
        scopes: &[&str],
        timeout: Duration,
        open: impl FnOnce(&Url),
    ) -> Result<Token> {
        let request = self.authorize_url(listener.redirect_uri(), scopes)?;
        open(request.url());
        let code = listener.receive(&request, timeout).await?;
        self.exchange_code(request, code).await
    }

    /// The headless fallback: the user opened [`AuthorizationRequest::url`] elsewhere and pasted
    /// the URL the browser was sent back to (or just its query string).
    pub async fn login_with_pasted_url(
        &self,
        request: AuthorizationRequest,
        pasted: &str,
    ) -> Result<Token> {
        let code = parse_redirect(pasted, &request)?;
        self.exchange_code(request, code).await
    }

    /// Requests an app token now (clients built with `client_credentials`).
    pub async fn client_credentials(&self) -> Result<Token> {
        match self.spotify.tokens().renewal() {
            Renewal::ClientCredentials(_) => self.spotify.tokens().force_renewal().await,
            _ => Err(Error::Config(
                "this client was not built with SpotifyBuilder::client_credentials".into(),
            )),
        }
    }

    /// Renews the access token now, whatever its expiry (PKCE: the refresh token rotates).
    pub async fn refresh(&self) -> Result<Token> {
        self.spotify.tokens().force_renewal().await
    }

    /// The current token, loading it from the token store if needed.
    pub async fn token(&self) -> Result<Option<Token>> {
        self.spotify.tokens().current().await
    }

    /// Replaces the token (and saves it to the token store).
    pub async fn set_token(&self, token: Token) -> Result<()> {
        self.spotify.tokens().install(token).await
    }

    /// Forgets the token, in memory and in the token store.
    pub async fn logout(&self) -> Result<()> {
        self.spotify.tokens().forget().await
    }

    /// The client id the client was built with, if any.
    pub fn client_id(&self) -> Option<&'a str> {
        match self.spotify.tokens().renewal() {
            Renewal::Refresh(o) | Renewal::ClientCredentials(o) => Some(o.client_id()),
            Renewal::None => None,
        }
    }

    /// Whether the client authenticates with a client secret (otherwise PKCE, or none).
    pub fn is_confidential(&self) -> bool {
        match self.spotify.tokens().renewal() {
            Renewal::Refresh(o) | Renewal::ClientCredentials(o) => o.has_secret(),
            Renewal::None => false,
        }
    }
}
