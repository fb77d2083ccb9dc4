//! Who is calling: [`Caller`] (session cookie, server API token, or — only with
//! `accept_spotify_bearer` — a Spotify access token as `Authorization: Bearer`), [`ServerCaller`]
//! (the same, minus Spotify tokens: for data this server keeps) and [`ClientIp`] (the peer, or
//! what a trusted proxy put in `X-Forwarded-For`); and [`JsonBody`] and [`QueryParams`], whose
//! rejections use the error envelope.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use ipnet::IpNet;
use spotkit::Spotify;

use crate::crypto::{constant_time_eq, hash};
use crate::db::sessions::{ACCESS_PREFIX, api_token_user, find_session};
use crate::db::tokens::mark_needs_reauth;
use crate::error::AppError;
use crate::state::{AppState, RateKey};

/// The client's IP address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientIp(pub IpAddr);

impl ClientIp {
    /// Resolves the client IP of a request: the socket peer, unless the peer is a trusted
    /// proxy; then `X-Forwarded-For` is walked from the right (each proxy appends the address
    /// it got the request from) past trusted proxies to the first entry that is not one. An
    /// entry that is not an IP address ends the walk at the last trusted hop: everything left
    /// of it may have been written by the client.
    pub fn resolve(
        parts_ext: &axum::http::Extensions,
        headers: &HeaderMap,
        trusted: &[IpNet],
    ) -> ClientIp {
        let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
        let peer = parts_ext
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::from([127, 0, 0, 1]), |c| c.0.ip().to_canonical());
        if !is_trusted(&peer) {
            return ClientIp(peer);
        }
        // Several headers count as one list, in order; a value that is not text is one
        // unparsable entry.
        let entries: Vec<Option<&str>> = headers
            .get_all("x-forwarded-for")
            .iter()
            .flat_map(|v| match v.to_str() {
                Ok(text) => text.split(',').map(Some).collect::<Vec<_>>(),
                Err(_) => vec![None],
            })
            .collect();
        let mut client = peer;
        for entry in entries.iter().rev() {
            let Some(ip) = entry.and_then(parse_forwarded) else {
                break;
            };
            client = ip;
            if !is_trusted(&ip) {
                break;
            }
        }
        ClientIp(client)
    }
}

/// One `X-Forwarded-For` entry: an address, maybe with a port (`1.2.3.4:80`, `[::1]:80`).
fn parse_forwarded(entry: &str) -> Option<IpAddr> {
    let entry = entry.trim();
    entry
        .parse::<IpAddr>()
        .or_else(|_| entry.parse::<SocketAddr>().map(|s| s.ip()))
        .ok()
        .map(|ip| ip.to_canonical())
}

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(ClientIp::resolve(
            &parts.extensions,
            &parts.headers,
            &state.config().trusted_proxies,
        ))
    }
}

/// How a caller authenticated.
#[derive(Clone)]
pub enum Via {
    /// The session cookie.
    Session {
        /// SHA-256 of the session id.
        id_hash: String,
        /// The session's CSRF token.
        csrf: String,
    },
    /// A server API token (`ska_...`).
    ApiToken,
    /// A Spotify access token (`accept_spotify_bearer`), validated against `/v1/me`. Spotify
    /// does not say which app it was issued to, so it proves less than the other two: it is
    /// only used to pass Spotify's own data through, never for data this server keeps.
    SpotifyBearer {
        /// The token, sent on to Spotify.
        token: String,
        /// The profile Spotify returned for it when it was validated.
        profile: Arc<serde_json::Value>,
        /// When that profile was fetched (Unix seconds).
        fetched_at: i64,
    },
}

impl std::fmt::Debug for Via {
    // By hand: the derived form would print the session's CSRF token and a raw bearer token.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Via::Session { .. } => f.write_str("Session { .. }"),
            Via::ApiToken => f.write_str("ApiToken"),
            Via::SpotifyBearer { .. } => f.write_str("SpotifyBearer { .. }"),
        }
    }
}

/// An authenticated caller.
#[derive(Clone)]
pub struct Caller {
    /// Spotify user id.
    pub user_id: String,
    /// How.
    pub via: Via,
}

impl std::fmt::Debug for Caller {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let via = match &self.via {
            Via::Session { .. } => "session",
            Via::ApiToken => "api_token",
            Via::SpotifyBearer { .. } => "spotify_bearer",
        };
        f.debug_struct("Caller")
            .field("user_id", &self.user_id)
            .field("via", &via)
            .finish()
    }
}

/// The value of cookie `name`, if sent.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

impl Caller {
    /// Authenticates a request (without rate limiting it).
    pub async fn authenticate(headers: &HeaderMap, state: &AppState) -> Result<Caller, AppError> {
        if let Some(value) = headers.get(header::AUTHORIZATION) {
            let value = value.to_str().map_err(|_| {
                AppError::Unauthenticated("the Authorization header is not text".into())
            })?;
            let Some(token) = value
                .strip_prefix("Bearer ")
                .map(str::trim)
                .filter(|t| !t.is_empty())
            else {
                return Err(AppError::Unauthenticated(
                    "use `Authorization: Bearer <token>` with a server API token from POST /token"
                        .into(),
                ));
            };
            if token.starts_with(ACCESS_PREFIX) {
                let user = api_token_user(state.db(), token).await?.ok_or_else(|| {
                    AppError::Unauthenticated(
                        "the API token is unknown, expired or revoked; refresh it at POST /token or log in again".into(),
                    )
                })?;
                return Ok(Caller {
                    user_id: user,
                    via: Via::ApiToken,
                });
            }
            if !state.config().accept_spotify_bearer {
                // Refused before any Spotify call: Spotify cannot say which app a token belongs
                // to, so accepting one would let every app the user approved act as the user.
                return Err(AppError::Unauthenticated(
                    "this server accepts only its own credentials: a server API token (ska_...) from POST /token, or the session cookie from /login; Spotify access tokens are refused (accept_spotify_bearer is off)".into(),
                ));
            }
            return spotify_bearer(token, state).await;
        }
        if let Some(value) = cookie(headers, state.config().cookie_name())
            && let Some(session) =
                find_session(state.db(), &value, state.config().session_idle_timeout_secs).await?
            && let Some(user_id) = session.user_id
        {
            return Ok(Caller {
                user_id,
                via: Via::Session {
                    id_hash: session.id_hash,
                    csrf: session.csrf,
                },
            });
        }
        Err(AppError::Unauthenticated(
            "log in at /login (browser), or send `Authorization: Bearer <token>`".into(),
        ))
    }

    /// For writes: a cookie-authenticated request must carry the session's CSRF token.
    /// Bearer-authenticated requests cannot be forged by another site, so they pass.
    pub fn check_csrf(&self, headers: &HeaderMap) -> Result<(), AppError> {
        match &self.via {
            Via::Session { csrf, .. } => {
                let sent = headers
                    .get("x-csrf-token")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("");
                if constant_time_eq(sent, csrf) {
                    Ok(())
                } else {
                    Err(AppError::Csrf)
                }
            }
            Via::ApiToken | Via::SpotifyBearer { .. } => Ok(()),
        }
    }

    /// The spotkit client acting as this caller.
    pub fn spotify(&self, state: &AppState) -> Result<Spotify, AppError> {
        match &self.via {
            Via::SpotifyBearer { token, .. } => state.bearer_client(token),
            Via::Session { .. } | Via::ApiToken => state.user_client(&self.user_id),
        }
    }

    /// Turns a spotkit error into the response, and records a dead login: after
    /// `invalid_grant` the user is marked as needing to log in again.
    pub async fn spotify_error(&self, state: &AppState, e: spotkit::Error) -> AppError {
        if matches!(e, spotkit::Error::ReauthorizationRequired { .. })
            && !matches!(self.via, Via::SpotifyBearer { .. })
        {
            tracing::info!(user = %self.user_id, reason = %e, "the Spotify login is gone; the user must log in again");
            state.forget_client(&self.user_id);
            if let Err(db) = mark_needs_reauth(state.db(), &self.user_id).await {
                return AppError::Database(db);
            }
        }
        AppError::Spotify(e)
    }
}

async fn spotify_bearer(token: &str, state: &AppState) -> Result<Caller, AppError> {
    let token_hash = hash(token);
    let bearer = |user_id: String, profile: Arc<serde_json::Value>, fetched_at: i64| Caller {
        user_id,
        via: Via::SpotifyBearer {
            token: token.to_owned(),
            profile,
            fetched_at,
        },
    };
    if let Some(v) = state.cached_bearer(&token_hash) {
        return Ok(bearer(v.user_id, v.profile, v.fetched_at));
    }
    let refused = || {
        AppError::Unauthenticated(
            "Spotify did not accept the bearer token; send a valid Spotify access token or a server API token".into(),
        )
    };
    if state.bearer_rejected(&token_hash) {
        return Err(refused());
    }
    let client = state.bearer_client(token)?;
    let profile = match client.users().me().send().await {
        Ok(p) => p,
        Err(
            spotkit::Error::Unauthorized { .. } | spotkit::Error::ReauthorizationRequired { .. },
        ) => {
            // Only Spotify's "no" is remembered; a failure to reach it is not the token's fault.
            state.reject_bearer(token_hash);
            return Err(refused());
        }
        Err(other) => return Err(AppError::Spotify(other)),
    };
    let profile = serde_json::to_value(&profile).map_err(|e| AppError::Internal(e.to_string()))?;
    let user_id = profile
        .get("id")
        .and_then(serde_json::Value::as_str)
        .ok_or_else(|| AppError::Internal("Spotify's profile has no id".into()))?
        .to_owned();
    // Nothing is written to the database: a token of unknown origin must not change what the
    // server keeps for the user.
    let entry = crate::state::BearerEntry {
        user_id,
        profile: Arc::new(profile),
        fetched_at: crate::db::now(),
    };
    state.cache_bearer(token_hash, entry.clone());
    Ok(bearer(entry.user_id, entry.profile, entry.fetched_at))
}

/// A caller with one of this server's own credentials (session cookie or server API token): the
/// extractor of every route that reads or writes data the server keeps. A Spotify access token
/// is refused here even with `accept_spotify_bearer`, since any app the user approved can hold
/// one.
#[derive(Debug, Clone)]
pub struct ServerCaller(pub Caller);

impl FromRequestParts<AppState> for ServerCaller {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let caller = Caller::from_request_parts(parts, state).await?;
        if matches!(caller.via, Via::SpotifyBearer { .. }) {
            return Err(AppError::Unauthenticated(
                "this data is kept by this server and needs one of its own credentials: a server API token (ska_...) from POST /token or the session cookie from /login; a Spotify access token is not enough".into(),
            ));
        }
        Ok(ServerCaller(caller))
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let caller = Caller::authenticate(&parts.headers, state).await?;
        state.rate_limit(
            RateKey::User(caller.user_id.clone()),
            state.config().rate_limits.api_per_user_per_minute,
        )?;
        Ok(caller)
    }
}

/// A JSON body extractor whose rejections use the error envelope and name the failing field.
#[derive(Debug, Clone, Copy, Default)]
pub struct JsonBody<T>(pub T);

impl<S, T> axum::extract::FromRequest<S> for JsonBody<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        use axum::extract::rejection::BytesRejection;
        use axum::http::StatusCode;
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                v.split(';')
                    .next()
                    .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
            });
        if !is_json {
            return Err(AppError::BadRequest {
                code: "unsupported_media_type",
                message: "send the body as JSON with Content-Type: application/json".into(),
            });
        }
        let bytes = match axum::body::Bytes::from_request(req, state).await {
            Ok(b) => b,
            Err(BytesRejection::FailedToBufferBody(e))
                if e.status() == StatusCode::PAYLOAD_TOO_LARGE =>
            {
                return Err(AppError::TooLarge {
                    field: None,
                    message: "the request body is larger than this server accepts".into(),
                });
            }
            Err(e) => {
                return Err(AppError::BadRequest {
                    code: "bad_body",
                    message: format!("could not read the request body: {e}"),
                });
            }
        };
        serde_json::from_slice(&bytes)
            .map(JsonBody)
            .map_err(|e| AppError::BadRequest {
                code: "invalid_json",
                message: format!("the body is not the expected JSON: {e}"),
            })
    }
}

/// A query-string extractor whose rejections use the error envelope.
#[derive(Debug, Clone, Copy, Default)]
pub struct QueryParams<T>(pub T);

impl<S, T> axum::extract::FromRequestParts<S> for QueryParams<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _state: &S,
    ) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or_default();
        serde_urlencoded::from_str(query)
            .map(QueryParams)
            .map_err(|e| AppError::BadRequest {
                code: "invalid_query",
                message: format!("the query string is not valid here: {e}"),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwarded_for_only_from_trusted_proxies() {
        let proxy: IpAddr = "10.0.0.1".parse().unwrap();
        let mut ext = axum::http::Extensions::new();
        ext.insert(ConnectInfo(SocketAddr::from((proxy, 4000))));
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            "203.0.113.9, 198.51.100.7".parse().unwrap(),
        );
        assert_eq!(ClientIp::resolve(&ext, &headers, &[]).0, proxy);
        let trusted = [IpNet::from(proxy)];
        assert_eq!(
            ClientIp::resolve(&ext, &headers, &trusted).0,
            "198.51.100.7".parse::<IpAddr>().unwrap()
        );
        // An entry that is not an address stops the walk at the last trusted hop.
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            "203.0.113.9, unknown, 10.0.0.2".parse().unwrap(),
        );
        let range: [IpNet; 1] = ["10.0.0.0/8".parse().unwrap()];
        assert_eq!(
            ClientIp::resolve(&ext, &headers, &range).0,
            "10.0.0.2".parse::<IpAddr>().unwrap()
        );
        headers.insert(
            "x-forwarded-for",
            "203.0.113.9, [2001:db8::1]:443".parse().unwrap(),
        );
        assert_eq!(
            ClientIp::resolve(&ext, &headers, &range).0,
            "2001:db8::1".parse::<IpAddr>().unwrap()
        );
    }

    #[test]
    fn cookies_by_name() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            "a=1; __Host-spotkit_session=xyz; b=2".parse().unwrap(),
        );
        assert_eq!(
            cookie(&headers, "__Host-spotkit_session").as_deref(),
            Some("xyz")
        );
        assert_eq!(cookie(&headers, "c"), None);
    }
}
