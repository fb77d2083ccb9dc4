//! Logging in: `GET /login`, `GET /callback`, `POST /logout`, and the mobile hand-off's
//! `POST /token` / `POST /token/revoke`.
//!
//! Browser: `/login` stores the Spotify `state` and PKCE verifier in a row of its own, named by a
//! short-lived login cookie (apart from the session cookie, so starting a login ends no session),
//! and redirects to Spotify; `/callback` checks `state` against that row, exchanges the code
//! (client secret + PKCE), fetches the profile once, stores the tokens encrypted, and only then
//! replaces the browser's session by a new logged-in one (session ids are rotated at login).
//!
//! Mobile: `/login?redirect_uri=<allow-listed app URI>&code_challenge=<S256>` runs the same
//! login, then sends the app a one-time code (never tokens); the app trades code + verifier at
//! `POST /token` for a server API token pair.

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use spotkit::auth::{
    AuthorizationRequest, CsrfToken, PkceChallenge, PkceVerifier, RedirectUri, parse_redirect,
};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::config::Config;
use crate::crypto::constant_time_eq;
use crate::db::now;
use crate::db::sessions::{
    PendingLogin, create_handoff_code, create_session, delete_session, end_everything_of,
    find_session, issue_api_tokens, redeem_handoff_code, revoke_api_token, revoke_replayed_handoff,
    set_handoff_family, use_refresh_token,
};
use crate::db::tokens::{delete_token, save_token, upsert_user};
use crate::error::{AppError, AppResult, ErrorBody};
use crate::extract::{Caller, ClientIp, QueryParams, ServerCaller, Via, cookie};
use crate::middleware::ip_limited;
use crate::state::{AppState, RateKey};

/// `GET /login`, `GET /callback`, `POST /token`, `POST /token/revoke` (under their own login
/// limit), and `POST /logout` and `POST /logout/everywhere`, which authenticate a caller and so
/// are under the per-IP API budget.
pub fn router(state: &AppState) -> OpenApiRouter<AppState> {
    let logout = OpenApiRouter::default()
        .routes(routes!(logout))
        .routes(routes!(logout_everywhere));
    OpenApiRouter::default()
        .routes(routes!(login))
        .routes(routes!(callback))
        .routes(routes!(token))
        .routes(routes!(revoke))
        .merge(ip_limited(logout, state))
        .layer(DefaultBodyLimit::max(state.config().max_body_bytes))
}

/// How long a started login may take.
const LOGIN_TTL_SECS: i64 = 600;

/// Query of `GET /login`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LoginQuery {
    /// Mobile hand-off: the app's redirect URI; must be on the server's allowlist exactly.
    pub redirect_uri: Option<String>,
    /// Mobile hand-off: `BASE64URL(SHA256(verifier))` of the app's PKCE verifier.
    pub code_challenge: Option<String>,
    /// Mobile hand-off: must be `S256` (the default).
    pub code_challenge_method: Option<String>,
    /// Mobile hand-off: an opaque value returned to the app with the code.
    pub state: Option<String>,
}

fn session_cookie(config: &Config, value: &str, max_age: i64) -> Result<HeaderValue, AppError> {
    cookie_header(config, config.cookie_name(), value, max_age)
}

fn login_cookie(config: &Config, value: &str, max_age: i64) -> Result<HeaderValue, AppError> {
    cookie_header(config, config.login_cookie_name(), value, max_age)
}

fn cookie_header(
    config: &Config,
    name: &str,
    value: &str,
    max_age: i64,
) -> Result<HeaderValue, AppError> {
    let secure = if config.cookie_secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}"
    ))
    .map_err(|e| AppError::Internal(format!("cannot build the {name} cookie: {e}")))
}

fn redirect(location: &str, cookies: Vec<HeaderValue>) -> Result<Response, AppError> {
    let mut response = StatusCode::FOUND.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::LOCATION,
        HeaderValue::from_str(location)
            .map_err(|e| AppError::Internal(format!("bad redirect location: {e}")))?,
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    for c in cookies {
        headers.append(header::SET_COOKIE, c);
    }
    Ok(response)
}

/// The login in progress that the login cookie names: an anonymous row with a pending login,
/// never a logged-in session (whatever cookie value is sent under that name).
async fn pending_login(
    state: &AppState,
    headers: &HeaderMap,
) -> AppResult<Option<crate::db::sessions::Session>> {
    let Some(value) = cookie(headers, state.config().login_cookie_name()) else {
        return Ok(None);
    };
    Ok(
        find_session(state.db(), &value, state.config().session_idle_timeout_secs)
            .await?
            .filter(|s| s.user_id.is_none() && s.pending.is_some()),
    )
}

fn valid_challenge(c: &str) -> bool {
    (43..=128).contains(&c.len())
        && c.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'))
}

/// Starts a login.
#[utoipa::path(get, path = "/login", tag = "auth", params(LoginQuery),
    responses(
        (status = 302, description = "Redirect to Spotify's consent page; sets the short-lived login cookie (the session cookie is left as it is)"),
        (status = 400, description = "A disallowed redirect_uri or a bad code_challenge (no redirect happens)", body = ErrorBody),
        (status = 429, description = "Too many logins from this address", body = ErrorBody),
    ))]
pub async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    QueryParams(q): QueryParams<LoginQuery>,
) -> AppResult<Response> {
    let config = state.config();
    state.rate_limit(
        RateKey::LoginIp(ip),
        config.rate_limits.login_per_ip_per_minute,
    )?;
    // Everything about the app is checked before any redirect, so a bad request never bounces
    // a user anywhere.
    let (app_redirect_uri, app_code_challenge) = match (&q.redirect_uri, &q.code_challenge) {
        (None, None) => (None, None),
        (Some(uri), challenge) => {
            if !config
                .mobile_redirect_uris
                .iter()
                .any(|allowed| allowed == uri)
            {
                return Err(AppError::field(
                    "redirect_uri",
                    format!(
                        "redirect_uri {uri:?} is not on this server's allowlist (mobile_redirect_uris); it must match exactly"
                    ),
                ));
            }
            let Some(challenge) = challenge else {
                return Err(AppError::field(
                    "code_challenge",
                    "a mobile login needs a PKCE code_challenge (S256)",
                ));
            };
            if q.code_challenge_method.as_deref().unwrap_or("S256") != "S256" {
                return Err(AppError::field(
                    "code_challenge_method",
                    "only S256 is supported",
                ));
            }
            if !valid_challenge(challenge) {
                return Err(AppError::field(
                    "code_challenge",
                    "code_challenge must be 43-128 base64url characters (BASE64URL(SHA256(verifier)))",
                ));
            }
            (Some(uri.clone()), Some(challenge.clone()))
        }
        (None, Some(_)) => {
            return Err(AppError::field(
                "redirect_uri",
                "code_challenge is only used with a mobile redirect_uri",
            ));
        }
    };
    if q.state.as_ref().is_some_and(|s| s.len() > 512) {
        return Err(AppError::field(
            "state",
            "state is longer than 512 characters",
        ));
    }
    let redirect_uri = RedirectUri::new(&config.redirect_uri())?;
    let client = state.login_client()?;
    let scopes: Vec<&str> = config.spotify.scopes.iter().map(String::as_str).collect();
    let request = client.auth().authorize_url(&redirect_uri, &scopes)?;
    let pending = PendingLogin {
        state: request.state().secret().to_owned(),
        verifier: request.verifier().map(|v| v.secret().to_owned()),
        app_redirect_uri,
        app_code_challenge,
        app_state: q.state.clone(),
        expires_at: now() + LOGIN_TTL_SECS,
    };
    // The login lives in its own row and cookie: the browser's session (if any) stays valid
    // until /callback succeeds, which then replaces it by a new one. An earlier login of this
    // browser that never finished is dropped.
    if let Some(old) = pending_login(&state, &headers).await? {
        delete_session(state.db(), &old.id_hash).await?;
    }
    let (login_id, _) = create_session(state.db(), None, Some(&pending), LOGIN_TTL_SECS).await?;
    let mut to_spotify = request.url().clone();
    if pending.app_redirect_uri.is_some() {
        // A custom scheme can be claimed by any app on the device (RFC 8252 §8.6), and Spotify
        // skips its consent screen for a user who approved before: forcing it shows the user
        // which app is asking before anything is sent to the redirect URI.
        to_spotify
            .query_pairs_mut()
            .append_pair("show_dialog", "true");
    }
    redirect(
        to_spotify.as_str(),
        vec![login_cookie(config, &login_id, LOGIN_TTL_SECS)?],
    )
}

/// Spotify's redirect back.
#[utoipa::path(get, path = "/callback", tag = "auth",
    params(
        ("code" = Option<String>, Query, description = "Spotify's authorization code"),
        ("state" = Option<String>, Query, description = "The state of the login"),
        ("error" = Option<String>, Query, description = "Spotify's error, e.g. access_denied"),
    ),
    responses(
        (status = 302, description = "Logged in: to the app (browser: with a new session cookie; mobile: with a one-time code); the login cookie is cleared"),
        (status = 400, description = "No login in progress in this browser, wrong state, or Spotify refused", body = ErrorBody),
        (status = 429, description = "Too many logins from this address", body = ErrorBody),
    ))]
pub async fn callback(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> AppResult<Response> {
    let config = state.config();
    state.rate_limit(
        RateKey::LoginIp(ip),
        config.rate_limits.login_per_ip_per_minute,
    )?;
    let missing = || AppError::BadRequest {
        code: "login_session_missing",
        message: "no login was started in this browser (or it expired); start again at /login"
            .into(),
    };
    let session = pending_login(&state, &headers).await?.ok_or_else(missing)?;
    let pending = session
        .pending
        .clone()
        .filter(|p| p.expires_at > now())
        .ok_or_else(missing)?;
    let request = AuthorizationRequest::resume(
        CsrfToken::new(pending.state.clone()),
        pending.verifier.clone().map(PkceVerifier::new),
        RedirectUri::new(&config.redirect_uri())?,
    );
    let login_failed = |e: spotkit::Error| AppError::BadRequest {
        code: "login_failed",
        message: e.to_string(),
    };
    let code = parse_redirect(query.as_deref().unwrap_or(""), &request).map_err(login_failed)?;
    // The started login is spent whatever happens next.
    delete_session(state.db(), &session.id_hash).await?;
    let client = state.login_client()?;
    let token = client
        .auth()
        .exchange_code(request, code)
        .await
        .map_err(|e| match e {
            spotkit::Error::ReauthorizationRequired { .. } | spotkit::Error::OAuth { .. } => {
                login_failed(e)
            }
            other => AppError::Spotify(other),
        })?;
    let profile = client.users().me().send().await?;
    let profile = serde_json::to_value(&profile).map_err(|e| AppError::Internal(e.to_string()))?;
    let user_id = profile
        .get("id")
        .and_then(serde_json::Value::as_str)
        .ok_or_else(|| AppError::Internal("Spotify's profile has no id".into()))?
        .to_owned();
    upsert_user(state.db(), &user_id, &profile, true).await?;
    save_token(state.db(), state.keys(), &user_id, &token).await?;
    state.forget_client(&user_id);
    tracing::info!(user = %user_id, mobile = pending.app_redirect_uri.is_some(), "logged in");

    let clear_login = login_cookie(config, "", 0)?;
    if let (Some(app_uri), Some(challenge)) =
        (&pending.app_redirect_uri, &pending.app_code_challenge)
    {
        let mut target = url::Url::parse(app_uri)
            .map_err(|e| AppError::Internal(format!("allow-listed URI does not parse: {e}")))?;
        let code = if config.legacy_token_redirect {
            None
        } else {
            Some(
                create_handoff_code(
                    state.db(),
                    &user_id,
                    app_uri,
                    challenge,
                    config.handoff_code_ttl_secs as i64,
                )
                .await?,
            )
        };
        {
            let mut q = target.query_pairs_mut();
            if config.legacy_token_redirect {
                q.append_pair("access_token", token.access_token().secret());
                if let Some(r) = token.refresh_token() {
                    q.append_pair("refresh_token", r.secret());
                }
                if let Some(at) = token.expires_at()
                    && let Ok(left) = at.duration_since(std::time::SystemTime::now())
                {
                    q.append_pair("expires_in", &left.as_secs().to_string());
                }
            } else if let Some(code) = &code {
                q.append_pair("code", code);
            }
            if let Some(s) = &pending.app_state {
                q.append_pair("state", s);
            }
        }
        // The browser's own session, if any, is none of the app's business: left as it is.
        return redirect(target.as_str(), vec![clear_login]);
    }
    // A new session id at every login (an id fixed by someone else before is never used); the
    // browser's previous session ends.
    if let Some(old) = cookie(&headers, config.cookie_name())
        && let Some(old) = find_session(state.db(), &old, config.session_idle_timeout_secs).await?
    {
        delete_session(state.db(), &old.id_hash).await?;
    }
    let ttl = config.session_ttl_secs as i64;
    let (sid, _) = create_session(state.db(), Some(&user_id), None, ttl).await?;
    redirect(
        &config.post_login_redirect,
        vec![session_cookie(config, &sid, ttl)?, clear_login],
    )
}

/// Ends the session (cookie, with the CSRF header) or revokes the API token used.
#[utoipa::path(post, path = "/logout", tag = "auth",
    params(("X-CSRF-Token" = Option<String>, Header, description = "The session's CSRF token (cookie sessions)")),
    responses(
        (status = 204, description = "Logged out; the cookie is cleared"),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Missing or wrong CSRF token", body = ErrorBody),
        (status = 429, description = "Too many requests", body = ErrorBody),
    ),
    security(("session" = []), ("bearer" = [])))]
pub async fn logout(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
) -> AppResult<Response> {
    caller.check_csrf(&headers)?;
    match &caller.via {
        Via::Session { id_hash, .. } => {
            delete_session(state.db(), id_hash).await?;
        }
        Via::ApiToken => {
            if let Some(token) = headers
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "))
            {
                revoke_api_token(state.db(), token.trim()).await?;
            }
        }
        Via::SpotifyBearer { .. } => {}
    }
    let mut response = StatusCode::NO_CONTENT.into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, session_cookie(state.config(), "", 0)?);
    Ok(response)
}

/// Ends every session and revokes every server API token of the caller, on every device, and
/// forgets the stored Spotify token: the next use anywhere needs a new login.
#[utoipa::path(post, path = "/logout/everywhere", tag = "auth",
    params(("X-CSRF-Token" = Option<String>, Header, description = "The session's CSRF token (cookie sessions)")),
    responses(
        (status = 204, description = "Logged out everywhere; the cookie is cleared"),
        (status = 401, description = "Not logged in with a session or a server API token", body = ErrorBody),
        (status = 403, description = "Missing or wrong CSRF token", body = ErrorBody),
        (status = 429, description = "Too many requests", body = ErrorBody),
    ),
    security(("session" = []), ("bearer" = [])))]
pub async fn logout_everywhere(
    State(state): State<AppState>,
    ServerCaller(caller): ServerCaller,
    headers: HeaderMap,
) -> AppResult<Response> {
    caller.check_csrf(&headers)?;
    let n = end_everything_of(state.db(), &caller.user_id).await?;
    delete_token(state.db(), &caller.user_id).await?;
    state.forget_client(&caller.user_id);
    tracing::info!(user = %caller.user_id, ended = n, "logged out everywhere");
    let mut response = StatusCode::NO_CONTENT.into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, session_cookie(state.config(), "", 0)?);
    Ok(response)
}

/// Body of `POST /token` (form-encoded, like OAuth).
#[derive(Debug, Deserialize, ToSchema)]
pub struct TokenForm {
    /// `authorization_code` or `refresh_token`.
    pub grant_type: Option<String>,
    /// The one-time code from the redirect.
    pub code: Option<String>,
    /// The PKCE verifier whose challenge was sent to `/login`.
    pub code_verifier: Option<String>,
    /// The redirect URI the code was delivered to (required with `authorization_code`).
    pub redirect_uri: Option<String>,
    /// A server refresh token (`skr_...`).
    pub refresh_token: Option<String>,
}

/// A server API token pair.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    /// `ska_...`: send as `Authorization: Bearer`.
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the access token expires.
    pub expires_in: i64,
    /// `skr_...`: single use; `POST /token` with `grant_type=refresh_token` for a new pair.
    pub refresh_token: String,
}

fn parse_form<T: serde::de::DeserializeOwned>(headers: &HeaderMap, body: &Bytes) -> AppResult<T> {
    let ctype = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if ctype.starts_with("application/json") {
        serde_json::from_slice(body).map_err(|e| AppError::BadRequest {
            code: "invalid_request",
            message: format!("the body is not the expected JSON: {e}"),
        })
    } else {
        serde_urlencoded::from_bytes(body).map_err(|e| AppError::BadRequest {
            code: "invalid_request",
            message: format!("the body is not the expected form: {e}"),
        })
    }
}

fn invalid_grant(message: &str) -> AppError {
    AppError::BadRequest {
        code: "invalid_grant",
        message: message.into(),
    }
}

/// Trades a one-time code (+ PKCE verifier) or a refresh token for a server API token pair.
#[utoipa::path(post, path = "/token", tag = "auth",
    request_body(content = TokenForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "A new token pair", body = TokenResponse),
        (status = 400, description = "invalid_grant (unknown, used or expired code — a replayed code also revokes the tokens it gave; wrong verifier or redirect URI), invalid_field (missing redirect_uri, malformed code_verifier) or invalid_request", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 429, description = "Too many requests", body = ErrorBody),
    ))]
pub async fn token(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    body: Bytes,
) -> AppResult<Response> {
    let config = state.config();
    state.rate_limit(
        RateKey::LoginIp(ip),
        config.rate_limits.login_per_ip_per_minute,
    )?;
    let form: TokenForm = parse_form(&headers, &body)?;
    let mut redeemed = None;
    let (user_id, family) = match form.grant_type.as_deref() {
        Some("authorization_code") => {
            let code = form
                .code
                .as_deref()
                .ok_or_else(|| AppError::field("code", "code is required"))?;
            let verifier = form
                .code_verifier
                .as_deref()
                .ok_or_else(|| AppError::field("code_verifier", "code_verifier is required"))?;
            let verifier = PkceVerifier::new(verifier);
            // Checked before anything else: PkceChallenge::s256 panics on a verifier of the
            // wrong length.
            if !verifier.is_valid() {
                return Err(AppError::field(
                    "code_verifier",
                    "code_verifier must be 43-128 characters of A-Z a-z 0-9 - . _ ~ (RFC 7636)",
                ));
            }
            // Redeeming marks the code used first: a code is worth one attempt, right or wrong.
            let Some(handoff) = redeem_handoff_code(state.db(), code).await? else {
                if revoke_replayed_handoff(state.db(), code).await? {
                    tracing::warn!(
                        "a used hand-off code was presented again; its tokens are revoked"
                    );
                }
                return Err(invalid_grant(
                    "the code is unknown, expired or already used; log in again",
                ));
            };
            let computed = PkceChallenge::s256(&verifier);
            if !constant_time_eq(computed.as_str(), &handoff.code_challenge) {
                return Err(invalid_grant(
                    "code_verifier does not match the code_challenge sent to /login",
                ));
            }
            // Required, since /login always had one (RFC 6749 §4.1.3).
            match form.redirect_uri.as_deref() {
                None => {
                    return Err(AppError::field(
                        "redirect_uri",
                        "redirect_uri is required: send the one the code was delivered to",
                    ));
                }
                Some(r) if r != handoff.redirect_uri => {
                    return Err(invalid_grant(
                        "redirect_uri differs from the one the code was sent to",
                    ));
                }
                Some(_) => {}
            }
            redeemed = Some(code);
            (handoff.user_id, None)
        }
        Some("refresh_token") => {
            let refresh = form
                .refresh_token
                .as_deref()
                .ok_or_else(|| AppError::field("refresh_token", "refresh_token is required"))?;
            let (user, family) =
                use_refresh_token(state.db(), refresh)
                    .await?
                    .ok_or_else(|| {
                        invalid_grant(
                            "the refresh token is unknown, expired, used or revoked; log in again",
                        )
                    })?;
            (user, Some(family))
        }
        _ => {
            return Err(AppError::field(
                "grant_type",
                "grant_type must be authorization_code or refresh_token",
            ));
        }
    };
    let pair = issue_api_tokens(
        state.db(),
        &user_id,
        family.as_ref(),
        config.api_token_ttl_secs as i64,
        config.api_refresh_ttl_secs as i64,
        config.api_family_max_age_secs as i64,
    )
    .await?;
    if let Some(code) = redeemed {
        set_handoff_family(state.db(), code, &pair.family).await?;
    }
    let body = TokenResponse {
        access_token: pair.access_token,
        token_type: "Bearer".into(),
        expires_in: pair.expires_in,
        refresh_token: pair.refresh_token,
    };
    Ok(([(header::CACHE_CONTROL, "no-store")], axum::Json(body)).into_response())
}

/// Body of `POST /token/revoke`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RevokeForm {
    /// An access or refresh token; its whole family is revoked.
    pub token: Option<String>,
}

/// Revokes a server API token (RFC 7009 style: unknown tokens are not an error).
#[utoipa::path(post, path = "/token/revoke", tag = "auth",
    request_body(content = RevokeForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 204, description = "Revoked (or unknown)"),
        (status = 400, description = "No token given", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 429, description = "Too many requests", body = ErrorBody),
    ))]
pub async fn revoke(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    body: Bytes,
) -> AppResult<StatusCode> {
    state.rate_limit(
        RateKey::LoginIp(ip),
        state.config().rate_limits.login_per_ip_per_minute,
    )?;
    let form: RevokeForm = parse_form(&headers, &body)?;
    let token = form
        .token
        .ok_or_else(|| AppError::field("token", "token is required"))?;
    revoke_api_token(state.db(), &token).await?;
    Ok(StatusCode::NO_CONTENT)
}
