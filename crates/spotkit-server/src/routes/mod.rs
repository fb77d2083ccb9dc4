//! The HTTP routes, one module per resource, plus the small operational ones here:
//! `/healthz`, `/readyz`, `/openapi.json`, `/docs` and the home page.

pub mod auth;
pub mod me;
pub mod metadata;
pub mod playlists;

use std::fmt::Write as _;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::{Html, IntoResponse, Response};
use serde::Serialize;
use utoipa::{Modify, OpenApi, ToSchema};

use crate::error::{AppError, AppResult, ErrorBody, ErrorDetail};
use crate::extract::Caller;
use crate::state::AppState;

/// `GET /healthz` and `/readyz`.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// `ok`.
    pub status: String,
}

/// The process is up.
#[utoipa::path(get, path = "/healthz", tag = "operations",
    responses((status = 200, description = "Alive", body = Health)))]
pub async fn healthz() -> Json<Health> {
    Json(Health {
        status: "ok".into(),
    })
}

/// The process can serve: the database answers.
#[utoipa::path(get, path = "/readyz", tag = "operations",
    responses(
        (status = 200, description = "Ready", body = Health),
        (status = 503, description = "The database does not answer", body = ErrorBody),
    ))]
pub async fn readyz(State(state): State<AppState>) -> AppResult<Json<Health>> {
    match state.db().ping().await {
        Ok(()) => Ok(Json(Health {
            status: "ok".into(),
        })),
        Err(e) => {
            tracing::warn!(error = %e, "readiness check failed");
            Err(AppError::Unavailable(
                "the database does not answer; see the server log".into(),
            ))
        }
    }
}

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{
            ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme,
        };
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "A server API token (ska_...) from POST /token; a Spotify access token only where the server enables accept_spotify_bearer, and never for /metadata",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new("__Host-spotkit_session"))),
        );
    }
}

/// The OpenAPI document of the server.
#[derive(Debug, OpenApi)]
#[openapi(
    info(title = "spotkit-server", description = "Token broker and API for apps that use Spotify: login, encrypted token storage with refresh, playlists, per-track metadata."),
    paths(
        auth::login, auth::callback, auth::logout, auth::logout_everywhere, auth::token, auth::revoke,
        me::me, playlists::list, playlists::get,
        metadata::get, metadata::post, metadata::versions,
        healthz, readyz,
    ),
    components(schemas(ErrorBody, ErrorDetail, playlists::PlaylistDetail, playlists::PlaylistSummary, playlists::Entry, playlists::Owner)),
    modifiers(&Security),
    tags(
        (name = "auth", description = "Browser login, logout, and the mobile hand-off"),
        (name = "user", description = "The caller"),
        (name = "playlists", description = "The caller's playlists, every page"),
        (name = "metadata", description = "Versioned per-track JSON documents"),
        (name = "operations", description = "Health and readiness"),
    )
)]
pub struct ApiDoc;

/// `GET /openapi.json`.
pub async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `GET /docs`: the API reference, rendered from the OpenAPI document (self-contained: no
/// scripts from elsewhere).
pub async fn docs() -> Html<String> {
    let doc = ApiDoc::openapi();
    let mut body = String::from(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>spotkit-server API</title>\
         <style>body{font-family:sans-serif;max-width:60em;margin:2em auto}code{background:#eee}\
         h3{margin-bottom:.2em}</style></head><body><h1>spotkit-server API</h1>\
         <p>Machine-readable: <a href=\"/openapi.json\">/openapi.json</a>. Errors are always \
         <code>{\"error\":{\"status\":..,\"code\":\"..\",\"message\":\"..\"}}</code>.</p>",
    );
    for (path, item) in &doc.paths.paths {
        let ops = [
            ("GET", item.get.as_ref()),
            ("POST", item.post.as_ref()),
            ("PUT", item.put.as_ref()),
            ("DELETE", item.delete.as_ref()),
        ];
        for (method, op) in ops {
            let Some(op) = op else { continue };
            let _ = write!(
                body,
                "<h3><code>{method} {}</code></h3><p>{}</p><ul>",
                escape(path),
                escape(
                    op.description
                        .as_deref()
                        .or(op.summary.as_deref())
                        .unwrap_or("")
                )
            );
            for (status, response) in &op.responses.responses {
                let text = match response {
                    utoipa::openapi::RefOr::T(r) => r.description.clone(),
                    utoipa::openapi::RefOr::Ref(r) => r.ref_location.clone(),
                };
                let _ = write!(
                    body,
                    "<li><code>{}</code> {}</li>",
                    escape(status),
                    escape(&text)
                );
            }
            body.push_str("</ul>");
        }
    }
    body.push_str("</body></html>");
    Html(body)
}

/// `GET /`: a minimal page that shows who is logged in (and links to the login).
pub async fn home(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let who = match Caller::authenticate(&headers, &state).await {
        // The page shows what the server keeps, so a Spotify token does not count here.
        Ok(Caller {
            via: crate::extract::Via::SpotifyBearer { .. },
            ..
        })
        | Err(_) => None,
        Ok(caller) => crate::db::tokens::user(state.db(), &caller.user_id)
            .await
            .ok()
            .flatten()
            .map(|u| {
                let name = u
                    .profile
                    .get("display_name")
                    .and_then(|v| v.as_str())
                    .unwrap_or(&u.id)
                    .to_owned();
                (u.id, name)
            }),
    };
    let body = match who {
        Some((id, name)) => format!(
            "<p>Logged in as <span id=\"user\" data-user-id=\"{}\">{}</span>. \
             <a href=\"/me\">/me</a> · <a href=\"/playlists\">/playlists</a></p>",
            escape(&id),
            escape(&name)
        ),
        None => "<p id=\"anonymous\">Not logged in. <a id=\"login\" href=\"/login\">Log in with Spotify</a></p>".into(),
    };
    (
        [(header::CACHE_CONTROL, "no-store")],
        Html(format!(
            "<!doctype html><html><head><meta charset=\"utf-8\"><title>spotkit-server</title></head>\
             <body><h1>spotkit-server</h1>{body}<p><a href=\"/docs\">API docs</a></p></body></html>"
        )),
    )
        .into_response()
}
