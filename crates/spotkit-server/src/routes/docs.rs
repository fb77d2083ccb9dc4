//! The OpenAPI document and the pages made from it: `GET /openapi.json` and `GET /docs`.
//!
//! The paths come from the resource routers (each `#[utoipa::path]` is declared once, where its
//! handler is routed); [`ApiDoc`] adds what belongs to no resource: the title, the tags, the
//! security schemes and the schemas only reachable through others.

use std::fmt::Write as _;

use axum::Router;
use axum::body::Bytes;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, header};
use axum::response::{Html, IntoResponse};
use axum::routing::get;
use utoipa::openapi::OpenApi as Document;
use utoipa::{Modify, OpenApi};

use super::html::escape;
use super::playlists;
use crate::error::{AppError, ErrorBody, ErrorDetail};
use crate::state::AppState;

/// `GET /openapi.json` and `GET /docs` for `doc`, both rendered once, here.
pub fn router(doc: &Document, state: &AppState) -> Router<AppState> {
    let json = serde_json::to_vec(doc)
        .map(Bytes::from)
        .map_err(|e| format!("cannot serialise the OpenAPI document: {e}"));
    let page = Bytes::from(page(doc));
    Router::new()
        .route(
            "/openapi.json",
            get(move || {
                let json = json.clone();
                async move {
                    match json {
                        Ok(body) => (
                            [(
                                header::CONTENT_TYPE,
                                HeaderValue::from_static("application/json"),
                            )],
                            body,
                        )
                            .into_response(),
                        Err(message) => AppError::Internal(message).into_response(),
                    }
                }
            }),
        )
        .route(
            "/docs",
            get(move || {
                let page = page.clone();
                async move { Html(page) }
            }),
        )
        .layer(DefaultBodyLimit::max(state.config().max_body_bytes))
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

/// The parts of the OpenAPI document that belong to no resource; the paths are added by the
/// resource routers (see [`super::router`], which serves the whole document).
#[derive(Debug, OpenApi)]
#[openapi(
    info(title = "spotkit-server", description = "Token broker and API for apps that use Spotify: login, encrypted token storage with refresh, playlists, per-track metadata."),
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

/// The API reference, rendered from the OpenAPI document (self-contained: no scripts from
/// elsewhere).
fn page(doc: &Document) -> String {
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
    body
}
