//! Users: the current user's profile.

use axum::Json;
use axum::extract::State;
use serde_json::Value;

use super::Caller;
use crate::error::ApiError;
use crate::render::{self, Ctx};
use crate::state::AppState;

/// `GET /me`: the profile. Email needs `user-read-email`; country, product and explicit-content
/// settings need `user-read-private` (and none of them exist for Development-Mode apps).
pub async fn me(
    State(state): State<AppState>,
    ctx: Ctx,
    caller: Caller,
) -> Result<Json<Value>, ApiError> {
    let user = caller.user()?;
    let world = state.world();
    Ok(Json(render::private_user(
        &ctx,
        &world,
        user,
        caller.has("user-read-email"),
        caller.has("user-read-private"),
    )))
}
