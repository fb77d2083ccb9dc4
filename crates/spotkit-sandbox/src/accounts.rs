//! The accounts service: `/authorize` (with its consent page) and `/api/token`.
//!
//! Rules follow Spotify's authorization guides as of 2026: redirect URIs must be registered and match
//! exactly, be HTTPS or a loopback IP literal (`localhost` is refused), the implicit grant is gone,
//! PKCE uses S256 only, codes are single-use, PKCE refresh tokens rotate.

use std::fmt::Write as _;
use std::net::IpAddr;
use std::time::Duration;

use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use serde::Deserialize;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::error::OAuthError;
use crate::state::{AppState, lock};
use crate::tokens::{ALL_SCOPES, Grant, Issued, RefreshProblem, Scopes};

/// Query of `GET /authorize` (and the hidden fields of the consent form).
#[derive(Debug, Deserialize, Default, Clone)]
pub struct AuthorizeParams {
    client_id: Option<String>,
    response_type: Option<String>,
    redirect_uri: Option<String>,
    scope: Option<String>,
    state: Option<String>,
    code_challenge: Option<String>,
    code_challenge_method: Option<String>,
    /// Sandbox extension: which user approves when `--auto-approve` is on (default `demo`).
    sandbox_user: Option<String>,
    /// Consent form: `approve` or `deny`.
    decision: Option<String>,
}

/// Whether a redirect URI is acceptable to Spotify at all (before registration is checked).
pub fn redirect_uri_problem(uri: &str) -> Option<&'static str> {
    let Ok(url) = url::Url::parse(uri) else {
        return Some("INVALID_CLIENT: Invalid redirect URI");
    };
    match url.scheme() {
        "http" => match url.host() {
            Some(url::Host::Ipv4(ip)) if IpAddr::V4(ip).is_loopback() => None,
            Some(url::Host::Ipv6(ip)) if IpAddr::V6(ip).is_loopback() => None,
            // Spotify refuses `localhost` and any plain-HTTP host: only loopback IP literals.
            _ => Some("INVALID_CLIENT: Insecure redirect URI"),
        },
        // HTTPS, and custom schemes (mobile apps), are allowed when registered.
        _ => None,
    }
}

fn loopback_callback(uri: &str) -> bool {
    let Ok(u) = url::Url::parse(uri) else {
        return false;
    };
    let loopback = match u.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        _ => false,
    };
    u.scheme() == "http" && loopback && u.port().is_some() && u.path() == "/callback"
}

/// Whether `requested` is the registered redirect URI `registered`. Exact, except that a loopback
/// IP literal registered without a port accepts any port ("register your redirect URI with a
/// loopback IP literal, but without any port number":
/// <https://developer.spotify.com/documentation/web-api/concepts/redirect_uri>; RFC 8252 §7.3).
fn redirect_matches(registered: &str, requested: &str) -> bool {
    if registered == requested {
        return true;
    }
    let (Ok(reg), Ok(req)) = (url::Url::parse(registered), url::Url::parse(requested)) else {
        return false;
    };
    let loopback = match reg.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        _ => false,
    };
    let mut without_port = req.clone();
    if without_port.set_port(None).is_err() {
        return false;
    }
    reg.scheme() == "http"
        && loopback
        && reg.port().is_none()
        && req.port().is_some()
        && without_port == reg
}

/// Spotify's answer to a scope it does not know: a 400 page reading "Illegal scope", and no
/// redirect back to the app (spotify/web-api issue #1262; spotify/web-api-examples issue #114:
/// "the spotify/authorize page not redirecting me and instead displaying the message 'Illegal
/// scope'"; aome510/spotify-player issue #762: "a blank white page with the text 'Illegal Scope'").
fn illegal_scope_page() -> Response {
    (
        StatusCode::BAD_REQUEST,
        Html("<!doctype html><html><head><meta charset=\"utf-8\"><title>Error</title></head><body>Illegal scope</body></html>"),
    )
        .into_response()
}

fn error_page(message: &str) -> Response {
    let body = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>Error</title></head>\
         <body><h1>Oops! Something went wrong</h1><p id=\"error\">{}</p></body></html>",
        escape(message)
    );
    (StatusCode::BAD_REQUEST, Html(body)).into_response()
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn redirect_with(redirect_uri: &str, pairs: &[(&str, &str)]) -> Response {
    let Ok(mut url) = url::Url::parse(redirect_uri) else {
        return error_page("INVALID_CLIENT: Invalid redirect URI");
    };
    {
        let mut q = url.query_pairs_mut();
        for (k, v) in pairs {
            q.append_pair(k, v);
        }
    }
    Redirect::to(url.as_str()).into_response()
}

/// A validated authorization request.
struct Checked {
    client_id: String,
    redirect_uri: String,
    scopes: Scopes,
    state: Option<String>,
    code_challenge: Option<String>,
}

/// Validates an authorization request. `Err` is the response to send (a 400 page before the
/// redirect URI is trusted, a redirect carrying `error=` after).
fn check(state: &AppState, p: &AuthorizeParams) -> Result<Checked, Box<Response>> {
    let Some(client) = p.client_id.as_deref().and_then(|id| state.client(id)) else {
        return Err(Box::new(error_page("INVALID_CLIENT: Invalid client")));
    };
    let Some(redirect_uri) = p.redirect_uri.clone() else {
        return Err(Box::new(error_page("INVALID_CLIENT: Invalid redirect URI")));
    };
    if let Some(problem) = redirect_uri_problem(&redirect_uri) {
        return Err(Box::new(error_page(problem)));
    }
    let registered = client
        .redirect_uris
        .iter()
        .any(|r| redirect_matches(r, &redirect_uri))
        || (client.any_loopback_port && loopback_callback(&redirect_uri));
    if !registered {
        return Err(Box::new(error_page("INVALID_CLIENT: Invalid redirect URI")));
    }
    let state_param = p.state.clone();
    let fail = |error: &str| {
        let mut pairs = vec![("error", error)];
        if let Some(s) = state_param.as_deref() {
            pairs.push(("state", s));
        }
        redirect_with(&redirect_uri, &pairs)
    };
    match p.response_type.as_deref() {
        Some("code") => {}
        // The implicit grant was removed; Spotify refuses `token` like any other type.
        _ => return Err(Box::new(fail("unsupported_response_type"))),
    }
    let mut scopes = Scopes::new();
    for s in p
        .scope
        .as_deref()
        .unwrap_or("")
        .split([' ', '+', ','])
        .filter(|s| !s.is_empty())
    {
        if !ALL_SCOPES.contains(&s) {
            return Err(Box::new(illegal_scope_page()));
        }
        scopes.insert(s.to_owned());
    }
    let code_challenge = match (
        p.code_challenge.as_deref(),
        p.code_challenge_method.as_deref(),
    ) {
        (None, None) => None,
        (Some(ch), Some("S256")) if (43..=128).contains(&ch.len()) => Some(ch.to_owned()),
        _ => return Err(Box::new(fail("invalid_request"))),
    };
    Ok(Checked {
        client_id: client.id.clone(),
        redirect_uri: redirect_uri.clone(),
        scopes,
        state: p.state.clone(),
        code_challenge,
    })
}

fn approve(state: &AppState, c: Checked, user: &str) -> Response {
    if state.world().user_idx(user).is_none() {
        return error_page("Unknown user");
    }
    let grant = Grant {
        user: Some(user.to_owned()),
        client_id: c.client_id,
        scopes: c.scopes,
    };
    let code = lock(&state.tokens).issue_code(grant, c.redirect_uri.clone(), c.code_challenge);
    let mut pairs = vec![("code", code.as_str())];
    if let Some(s) = c.state.as_deref() {
        pairs.push(("state", s));
    }
    redirect_with(&c.redirect_uri, &pairs)
}

/// `GET /authorize`
pub async fn authorize(
    State(state): State<AppState>,
    Query(p): Query<AuthorizeParams>,
) -> Response {
    let checked = match check(&state, &p) {
        Ok(c) => c,
        Err(response) => return *response,
    };
    if state.auto_approve {
        let user = p
            .sandbox_user
            .clone()
            .unwrap_or_else(|| crate::catalog::DEMO_USER.into());
        return approve(&state, checked, &user);
    }
    consent_page(&state, &p, &checked)
}

fn consent_page(state: &AppState, p: &AuthorizeParams, c: &Checked) -> Response {
    let mut hidden = String::new();
    let fields = [
        ("client_id", p.client_id.as_deref()),
        ("response_type", p.response_type.as_deref()),
        ("redirect_uri", p.redirect_uri.as_deref()),
        ("scope", p.scope.as_deref()),
        ("state", p.state.as_deref()),
        ("code_challenge", p.code_challenge.as_deref()),
        ("code_challenge_method", p.code_challenge_method.as_deref()),
    ];
    for (name, value) in fields {
        if let Some(v) = value {
            let _ = write!(
                hidden,
                "<input type=\"hidden\" name=\"{name}\" value=\"{}\">",
                escape(v)
            );
        }
    }
    let mut users = String::new();
    for u in &state.world().users {
        let _ = write!(
            users,
            "<option value=\"{0}\">{1} ({0})</option>",
            escape(&u.id),
            escape(&u.display_name)
        );
    }
    let scopes = c.scopes.iter().fold(String::new(), |mut out, s| {
        let _ = write!(out, "<li>{}</li>", escape(s));
        out
    });
    let body = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>Authorize {client} - spotkit sandbox</title></head>\
         <body><h1>Authorize <span id=\"client\">{client}</span></h1>\
         <p>This sandbox app wants to access your (simulated) Spotify account.</p>\
         <ul id=\"scopes\">{scopes}</ul>\
         <form method=\"post\" action=\"/authorize/decision\">{hidden}\
         <label>Log in as <select name=\"sandbox_user\" id=\"user\">{users}</select></label>\
         <button type=\"submit\" name=\"decision\" value=\"approve\" id=\"approve\">Agree</button>\
         <button type=\"submit\" name=\"decision\" value=\"deny\" id=\"deny\">Cancel</button>\
         </form></body></html>",
        client = escape(&c.client_id)
    );
    Html(body).into_response()
}

/// `POST /authorize/decision`: the consent form.
pub async fn decision(State(state): State<AppState>, Form(p): Form<AuthorizeParams>) -> Response {
    let checked = match check(&state, &p) {
        Ok(c) => c,
        Err(response) => return *response,
    };
    if p.decision.as_deref() == Some("approve") {
        let user = p
            .sandbox_user
            .clone()
            .unwrap_or_else(|| crate::catalog::DEMO_USER.into());
        approve(&state, checked, &user)
    } else {
        let mut pairs = vec![("error", "access_denied")];
        if let Some(s) = checked.state.as_deref() {
            pairs.push(("state", s));
        }
        redirect_with(&checked.redirect_uri, &pairs)
    }
}

/// Form of `POST /api/token`.
#[derive(Debug, Deserialize, Default)]
pub struct TokenForm {
    grant_type: Option<String>,
    code: Option<String>,
    redirect_uri: Option<String>,
    code_verifier: Option<String>,
    refresh_token: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
}

/// Client identity presented at the token endpoint.
struct ClientAuth {
    id: String,
    /// `Some(true)` right secret, `Some(false)` wrong secret, `None` no secret (public client).
    secret_ok: Option<bool>,
}

fn client_auth(
    state: &AppState,
    headers: &HeaderMap,
    form: &TokenForm,
) -> Result<ClientAuth, OAuthError> {
    let basic = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .map(|b64| {
            STANDARD
                .decode(b64.trim())
                .ok()
                .and_then(|raw| String::from_utf8(raw).ok())
                .and_then(|s| s.split_once(':').map(|(a, b)| (a.to_owned(), b.to_owned())))
                .ok_or_else(|| OAuthError::new("invalid_client", "Invalid client"))
        })
        .transpose()?;
    let (id, secret) = match basic {
        Some((id, secret)) => (id, Some(secret)),
        None => match form.client_id.clone() {
            Some(id) => (id, form.client_secret.clone()),
            None => return Err(OAuthError::new("invalid_client", "Invalid client")),
        },
    };
    let Some(client) = state.client(&id) else {
        return Err(OAuthError::new("invalid_client", "Invalid client"));
    };
    Ok(ClientAuth {
        secret_ok: secret.map(|s| s == client.secret),
        id,
    })
}

fn pkce_matches(verifier: &str, challenge: &str) -> bool {
    let digest = Sha256::digest(verifier.as_bytes());
    URL_SAFE_NO_PAD.encode(digest) == challenge
}

fn token_json(issued: &Issued, with_scope: bool) -> serde_json::Value {
    let mut body = json!({
        "access_token": issued.access_token,
        "token_type": "Bearer",
        "expires_in": issued.expires_in,
    });
    if let Some(rt) = &issued.refresh_token {
        body["refresh_token"] = rt.clone().into();
    }
    if with_scope {
        body["scope"] = issued.scope.clone().into();
    }
    body
}

/// `POST /api/token`
pub async fn token(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let form: TokenForm = serde_urlencoded::from_bytes(&body).unwrap_or_default();
    match grant(&state, &headers, &form) {
        Ok((grant_type, body)) => {
            let mut stats = state.stats();
            *stats.grants.entry(grant_type.into()).or_default() += 1;
            if grant_type == "refresh_token" {
                stats.refreshes += 1;
            }
            drop(stats);
            (
                [
                    (header::CACHE_CONTROL, "no-store"),
                    (header::PRAGMA, "no-cache"),
                ],
                axum::Json(body),
            )
                .into_response()
        }
        Err(e) => e.into_response(),
    }
}

fn grant(
    state: &AppState,
    headers: &HeaderMap,
    form: &TokenForm,
) -> Result<(&'static str, serde_json::Value), OAuthError> {
    let ttl = Duration::from_secs(state.faults().token_ttl_secs);
    let grant_type = match form.grant_type.as_deref() {
        None => {
            return Err(OAuthError::new(
                "unsupported_grant_type",
                "grant_type parameter is missing",
            ));
        }
        Some(g @ ("authorization_code" | "refresh_token" | "client_credentials")) => g,
        Some(_) => {
            return Err(OAuthError::new(
                "unsupported_grant_type",
                "grant_type must be client_credentials, authorization_code or refresh_token",
            ));
        }
    };
    let client = client_auth(state, headers, form)?;
    if client.secret_ok == Some(false) {
        return Err(OAuthError::new("invalid_client", "Invalid client secret"));
    }
    match grant_type {
        "client_credentials" => {
            if client.secret_ok != Some(true) {
                return Err(OAuthError::new("invalid_client", "Invalid client secret"));
            }
            let scopes = Scopes::new();
            let issued = lock(&state.tokens).issue(
                Grant {
                    user: None,
                    client_id: client.id,
                    scopes,
                },
                ttl,
                None,
            );
            Ok(("client_credentials", token_json(&issued, false)))
        }
        "authorization_code" => {
            let Some(code) = form.code.as_deref() else {
                return Err(OAuthError::new("invalid_request", "code must be supplied"));
            };
            let mut tokens = lock(&state.tokens);
            let Some(found) = tokens.take_code(code) else {
                return Err(OAuthError::new(
                    "invalid_grant",
                    "Invalid authorization code",
                ));
            };
            if found.grant.client_id != client.id {
                return Err(OAuthError::new(
                    "invalid_grant",
                    "Invalid authorization code",
                ));
            }
            if form.redirect_uri.as_deref() != Some(found.redirect_uri.as_str()) {
                return Err(OAuthError::new("invalid_grant", "Invalid redirect URI"));
            }
            let rotating = match (&found.code_challenge, form.code_verifier.as_deref()) {
                (Some(challenge), Some(verifier)) => {
                    if !pkce_matches(verifier, challenge) {
                        return Err(OAuthError::new(
                            "invalid_grant",
                            "code_verifier was incorrect",
                        ));
                    }
                    // A public client (no secret) gets rotating refresh tokens.
                    client.secret_ok.is_none()
                }
                (Some(_), None) => {
                    return Err(OAuthError::new("invalid_request", "code_verifier required"));
                }
                (None, _) => {
                    if client.secret_ok != Some(true) {
                        return Err(OAuthError::new("invalid_client", "Invalid client secret"));
                    }
                    false
                }
            };
            let issued = tokens.issue(found.grant, ttl, Some((rotating, state.refresh_token_ttl)));
            Ok(("authorization_code", token_json(&issued, true)))
        }
        _ => {
            let Some(refresh) = form.refresh_token.as_deref() else {
                return Err(OAuthError::new(
                    "invalid_request",
                    "refresh_token must be supplied",
                ));
            };
            let mut tokens = lock(&state.tokens);
            match tokens.refresh(refresh, &client.id, ttl) {
                Ok(issued) => {
                    // Confidential clients must prove the secret; public (PKCE) clients cannot.
                    if issued.refresh_token.is_none() && client.secret_ok != Some(true) {
                        return Err(OAuthError::new("invalid_client", "Invalid client secret"));
                    }
                    Ok(("refresh_token", token_json(&issued, true)))
                }
                Err(RefreshProblem::Invalid | RefreshProblem::WrongClient) => {
                    Err(OAuthError::new("invalid_grant", "Invalid refresh token"))
                }
                // A rotated PKCE token used again: Spotify's wording as rspotify issue #396 shows it.
                Err(RefreshProblem::Revoked) => {
                    Err(OAuthError::new("invalid_grant", "Refresh token revoked"))
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirect_uri_rules() {
        assert_eq!(redirect_uri_problem("https://example.com/cb"), None);
        assert_eq!(redirect_uri_problem("http://127.0.0.1:8888/callback"), None);
        assert_eq!(redirect_uri_problem("http://[::1]:8888/callback"), None);
        assert_eq!(redirect_uri_problem("myapp://callback"), None);
        assert!(redirect_uri_problem("http://localhost:8888/callback").is_some());
        assert!(redirect_uri_problem("http://example.com/cb").is_some());
        assert!(redirect_uri_problem("not a url").is_some());
    }

    #[test]
    fn a_loopback_uri_registered_without_port_takes_any_port() {
        assert!(redirect_matches(
            "http://127.0.0.1/callback",
            "http://127.0.0.1:43123/callback"
        ));
        assert!(redirect_matches(
            "http://[::1]/callback",
            "http://[::1]:8080/callback"
        ));
        assert!(!redirect_matches(
            "http://127.0.0.1/callback",
            "http://127.0.0.1:43123/other"
        ));
        // A registered port is matched exactly.
        assert!(!redirect_matches(
            "http://127.0.0.1:8888/callback",
            "http://127.0.0.1:8889/callback"
        ));
        assert!(!redirect_matches(
            "https://example.com/cb",
            "https://example.com:8443/cb"
        ));
    }

    #[test]
    fn loopback_callbacks_of_any_port() {
        assert!(loopback_callback("http://127.0.0.1:5555/callback"));
        assert!(loopback_callback("http://[::1]:5555/callback"));
        assert!(!loopback_callback("http://127.0.0.1:5555/other"));
        assert!(!loopback_callback("http://localhost:5555/callback"));
    }

    #[test]
    fn pkce_rfc7636_appendix_b() {
        assert!(pkce_matches(
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        ));
    }
}
