//! The one request path: bearer token, governor, retries, tracing, decoding.

use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use reqwest::Method;
use serde::de::DeserializeOwned;
use tracing::Instrument;
use url::Url;

use super::RetryPolicy;
use super::ratelimit::Governor;
use super::retry::{
    self, Attempt, Step, Trouble, classify_reqwest, is_retryable_status, parse_retry_after,
};
use crate::error::{Error, Result, decode_json};
use crate::token::AccessToken;
use crate::token::refresh::TokenManager;

/// A Web API request, described once and sent as many times as the policy allows.
#[derive(Debug, Clone)]
pub(crate) struct ApiRequest {
    pub(crate) method: Method,
    pub(crate) url: Url,
    pub(crate) body: Option<Bytes>,
    /// The body's media type (JSON unless said otherwise; cover images are `image/jpeg`).
    pub(crate) content_type: &'static str,
    /// Whether sending it twice does no harm (GET, PUT, DELETE, and POSTs the API makes safe).
    pub(crate) repeatable: bool,
}

impl ApiRequest {
    pub(crate) fn get(url: Url) -> Self {
        ApiRequest {
            method: Method::GET,
            url,
            body: None,
            content_type: "application/json",
            repeatable: true,
        }
    }
}

/// Everything a request needs; shared by all handlers of one client.
#[derive(Debug)]
pub(crate) struct Transport {
    pub(crate) http: reqwest::Client,
    pub(crate) api_base: Url,
    pub(crate) policy: RetryPolicy,
    pub(crate) governor: Option<Governor>,
    pub(crate) tokens: TokenManager,
}

/// One API request with the token it currently uses.
struct ApiAttempt<'a> {
    transport: &'a Transport,
    request: &'a ApiRequest,
    token: AccessToken,
    generation: u64,
}

impl Attempt for ApiAttempt<'_> {
    type Output = Bytes;

    async fn attempt(&mut self, n: u32) -> Step<Bytes> {
        if let Some(governor) = &self.transport.governor {
            governor.until_ready().await;
        }
        let span = tracing::info_span!(
            "spotify_request",
            method = %self.request.method,
            path = %self.request.url.path(),
            attempt = n,
            status = tracing::field::Empty,
            latency_ms = tracing::field::Empty,
        );
        self.transport
            .attempt(self.request, &self.token)
            .instrument(span)
            .await
    }

    async fn renew(&mut self) -> Result<()> {
        (self.token, self.generation) = self
            .transport
            .tokens
            .renew_after_rejection(self.generation)
            .await?;
        Ok(())
    }

    async fn after_wait(&mut self) -> Result<()> {
        // A long wait may have outlived the token.
        (self.token, self.generation) = self.transport.tokens.bearer().await?;
        Ok(())
    }

    fn describe(&self) -> String {
        format!("{} {}", self.request.method, self.request.url.path())
    }
}

impl Transport {
    /// `api_base` joined with a relative path such as `me/tracks`.
    pub(crate) fn endpoint(&self, path: &str) -> Result<Url> {
        self.api_base
            .join(path.trim_start_matches('/'))
            .map_err(|e| Error::Config(format!("cannot build a URL for {path:?}: {e}")))
    }

    /// Checks that a `next` link points at our API base: the bearer token must never be sent to
    /// another host.
    pub(crate) fn check_link(&self, link: &str) -> Result<Url> {
        let url = Url::parse(link).map_err(|e| Error::Decode {
            path: "next".into(),
            message: format!("not a URL: {e}"),
            snippet: crate::error::snippet(link.as_bytes()),
        })?;
        let same_origin = url.scheme() == self.api_base.scheme()
            && url.host_str() == self.api_base.host_str()
            && url.port_or_known_default() == self.api_base.port_or_known_default();
        let base_path = self.api_base.path().trim_end_matches('/');
        if same_origin && url.path().starts_with(base_path) {
            Ok(url)
        } else {
            Err(Error::Config(format!(
                "refusing to follow a paging link to {} outside the API base {}",
                url.origin().ascii_serialization(),
                self.api_base
            )))
        }
    }

    /// Sends `request` until it succeeds or the policy gives up; returns the body of the 2xx.
    pub(crate) async fn execute(&self, request: &ApiRequest) -> Result<Bytes> {
        let (token, generation) = self.tokens.bearer().await?;
        let mut attempt = ApiAttempt {
            transport: self,
            request,
            token,
            generation,
        };
        retry::run(
            &self.policy,
            request.repeatable,
            self.tokens.can_renew(),
            &mut attempt,
        )
        .await
    }

    async fn attempt(&self, request: &ApiRequest, token: &AccessToken) -> Step<Bytes> {
        let started = Instant::now();
        let mut builder = self
            .http
            .request(request.method.clone(), request.url.clone())
            .bearer_auth(token.secret())
            .header(reqwest::header::ACCEPT, "application/json");
        if let Some(body) = &request.body {
            builder = builder
                .header(reqwest::header::CONTENT_TYPE, request.content_type)
                .body(body.clone());
        }
        let response = match builder.send().await {
            Ok(r) => r,
            Err(e) => return Step::Retry(classify_reqwest(&e), Error::transport(describe(&e), e)),
        };
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await;
        let span = tracing::Span::current();
        span.record("status", status.as_u16());
        span.record("latency_ms", started.elapsed().as_millis() as u64);
        tracing::debug!(
            "{} {} answered {} in {} ms",
            request.method,
            request.url.path(),
            status.as_u16(),
            started.elapsed().as_millis()
        );
        let body = match body {
            Ok(b) => b,
            Err(e) => {
                return Step::Retry(
                    Trouble::Transport,
                    Error::transport("the response body broke off", e),
                );
            }
        };
        if status.is_success() {
            return Step::Done(body);
        }
        let code = status.as_u16();
        let message = super::error_message(&body);
        match code {
            401 => Step::Retry(Trouble::Unauthorized, Error::Unauthorized { message }),
            403 if super::app_refusal(&body) == Some(super::AppRefusal::OwnerNotPremium) => {
                Step::Fail(Error::OwnerPremiumRequired { message })
            }
            403 if super::app_refusal(&body) == Some(super::AppRefusal::UserNotRegistered) => {
                Step::Fail(Error::UserNotRegistered { message })
            }
            403 if super::error_reason(&body).as_deref() == Some("PREMIUM_REQUIRED") => {
                Step::Fail(Error::PremiumRequired { message })
            }
            403 => Step::Fail(Error::Forbidden { message }),
            404 if super::error_reason(&body).as_deref() == Some("NO_ACTIVE_DEVICE") => {
                Step::Fail(Error::NoActiveDevice { message })
            }
            404 => Step::Fail(Error::NotFound { message }),
            429 => {
                let after = headers
                    .get(reqwest::header::RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| parse_retry_after(v, SystemTime::now()));
                // Spotify tells its per-account quota apart from the rate limit only by this
                // reason (https://developer.spotify.com/blog/2026-07-23-web-api-quota-updates).
                // Waiting out a short Retry-After and sending again would only spend more of the
                // account's requests on refusals, so it is never retried.
                if super::error_reason(&body).as_deref() == Some(super::QUOTA_EXCEEDED) {
                    return Step::Fail(Error::QuotaExceeded { retry_after: after });
                }
                Step::Retry(
                    Trouble::RateLimited(after),
                    Error::rate_limited(after.unwrap_or(Duration::from_secs(1))),
                )
            }
            c if is_retryable_status(c) => {
                Step::Retry(Trouble::ServerError, Error::Api { status: c, message })
            }
            c => Step::Fail(Error::Api { status: c, message }),
        }
    }

    /// GETs `url` and decodes the JSON body.
    pub(crate) async fn get_json<T: DeserializeOwned>(&self, url: Url) -> Result<T> {
        let body = self.execute(&ApiRequest::get(url)).await?;
        decode_json(&body)
    }
}

/// A short, secret-free description of a reqwest failure.
fn describe(e: &reqwest::Error) -> &'static str {
    if e.is_connect() {
        "could not connect"
    } else if e.is_timeout() {
        "the request timed out"
    } else {
        "the connection failed mid-request"
    }
}
