//! `GET /`: a minimal page that shows who is logged in (and links to the login). Not part of
//! the API, so not in the OpenAPI document.

use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use utoipa_axum::router::OpenApiRouter;

use super::html::escape;
use crate::extract::{Caller, Via};
use crate::middleware::ip_limited;
use crate::state::AppState;

/// `GET /`, under the per-IP API budget (a bearer token here may cost a Spotify call).
pub fn router(state: &AppState) -> OpenApiRouter<AppState> {
    let routes = OpenApiRouter::default()
        .route("/", get(home))
        .layer(DefaultBodyLimit::max(state.config().max_body_bytes));
    ip_limited(routes, state)
}

/// `GET /`.
pub async fn home(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let who = match Caller::authenticate(&headers, &state).await {
        // The page shows what the server keeps, so a Spotify token does not count here.
        Ok(Caller {
            via: Via::SpotifyBearer { .. },
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
