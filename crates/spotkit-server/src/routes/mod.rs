//! The HTTP routes: one module per resource, each with a `router()` that routes its handlers and
//! adds their `#[utoipa::path]` operations to the OpenAPI document (declared once, beside the
//! handler), with the limits those routes run under.
//!
//! | module | routes |
//! |---|---|
//! | [`auth`] | `/login`, `/callback`, `/logout`, `/logout/everywhere`, `/token`, `/token/revoke` |
//! | [`me`] | `/me` |
//! | [`playlists`] | `/playlists`, `/playlists/{id}` |
//! | [`metadata`] | `/metadata`, `/metadata/versions` |
//! | [`operations`] | `/healthz`, `/readyz` |
//! | [`home`] | `/` (a page, not in the document) |
//! | [`docs`] | `/openapi.json`, `/docs`: the document of all of the above |

pub mod auth;
pub mod docs;
pub mod home;
pub mod html;
pub mod me;
pub mod metadata;
pub mod operations;
pub mod playlists;

use axum::Router;
use utoipa::OpenApi as _;
use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

/// Every resource's routes, with the OpenAPI document they make up.
pub fn resources(state: &AppState) -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(docs::ApiDoc::openapi())
        .merge(auth::router(state))
        .merge(me::router(state))
        .merge(playlists::router(state))
        .merge(metadata::router(state))
        .merge(operations::router(state))
        .merge(home::router(state))
}

/// Every route of the server: the resources, and `/openapi.json` and `/docs` made from their
/// document.
pub fn router(state: &AppState) -> Router<AppState> {
    let (routes, doc) = resources(state).split_for_parts();
    routes.merge(docs::router(&doc, state))
}
