//! `GET /me`: the caller's profile (served from the database, fetched again when older than
//! `profile_cache_secs`) and the state of their Spotify token.

use std::time::UNIX_EPOCH;

use axum::Json;
use axum::extract::DefaultBodyLimit;
use axum::extract::State;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::db::now;
use crate::db::tokens::{upsert_user, user};
use crate::error::{AppError, AppResult, ErrorBody};
use crate::extract::{Caller, Via};
use crate::middleware::ip_limited;
use crate::state::AppState;

/// `GET /me`, under the per-IP API budget.
pub fn router(state: &AppState) -> OpenApiRouter<AppState> {
    let routes = OpenApiRouter::default()
        .routes(routes!(me))
        .layer(DefaultBodyLimit::max(state.config().max_body_bytes));
    ip_limited(routes, state)
}

/// The answer of `GET /me`.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    /// Spotify user id.
    pub id: String,
    /// Display name, if the user has one.
    pub display_name: Option<String>,
    /// The profile as Spotify sent it (`PrivateUserObject`).
    #[schema(value_type = Object)]
    pub profile: Value,
    /// When the profile was fetched from Spotify (Unix seconds).
    pub profile_fetched_at: i64,
    /// When the stored Spotify access token expires (Unix seconds); `null` for callers that
    /// sent their own Spotify token. The server renews it before then.
    pub token_expires_at: Option<i64>,
    /// The stored Spotify login was refused (`invalid_grant`): log in again.
    pub needs_reauth: bool,
    /// `session`, `api_token` or `spotify_bearer`.
    pub auth: String,
    /// Cookie sessions only: send this as `X-CSRF-Token` on writes.
    pub csrf_token: Option<String>,
}

/// The caller's profile and token expiry.
#[utoipa::path(get, path = "/me", tag = "user",
    responses(
        (status = 200, description = "The profile", body = Me),
        (status = 401, description = "Not authenticated, or the Spotify login must be renewed (code reauth_required)", body = ErrorBody),
        (status = 429, description = "Too many requests", body = ErrorBody),
        (status = 502, description = "Spotify could not be reached", body = ErrorBody),
    ),
    security(("session" = []), ("bearer" = [])))]
pub async fn me(State(state): State<AppState>, caller: Caller) -> AppResult<Json<Me>> {
    if let Via::SpotifyBearer {
        profile,
        fetched_at,
        ..
    } = &caller.via
    {
        // Only what Spotify returned for that token: nothing the server keeps about the user
        // is shown to a token of unknown origin.
        return Ok(Json(Me {
            id: caller.user_id.clone(),
            display_name: profile
                .get("display_name")
                .and_then(Value::as_str)
                .map(str::to_owned),
            profile: Value::clone(profile),
            profile_fetched_at: *fetched_at,
            token_expires_at: None,
            needs_reauth: false,
            auth: "spotify_bearer".into(),
            csrf_token: None,
        }));
    }
    let mut row = user(state.db(), &caller.user_id).await?.ok_or_else(|| {
        AppError::Unauthenticated("this account is not known here any more; log in again".into())
    })?;
    let stale = now() - row.profile_fetched_at > state.config().profile_cache_secs as i64;
    let client = caller.spotify(&state)?;
    if stale && !row.needs_reauth {
        match client.users().me().send().await {
            Ok(profile) => {
                let profile = serde_json::to_value(&profile)
                    .map_err(|e| AppError::Internal(e.to_string()))?;
                upsert_user(state.db(), &caller.user_id, &profile, false).await?;
                row.profile = profile;
                row.profile_fetched_at = now();
            }
            Err(e) => return Err(caller.spotify_error(&state, e).await),
        }
    }
    let token_expires_at = match client.auth().token().await {
        Ok(t) => t
            .and_then(|t| t.expires_at())
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map(|d| d.as_secs() as i64),
        Err(e) => return Err(caller.spotify_error(&state, e).await),
    };
    let (auth, csrf_token) = match &caller.via {
        Via::Session { csrf, .. } => ("session", Some(csrf.clone())),
        Via::ApiToken | Via::SpotifyBearer { .. } => ("api_token", None),
    };
    Ok(Json(Me {
        display_name: row
            .profile
            .get("display_name")
            .and_then(Value::as_str)
            .map(str::to_owned),
        id: row.id,
        profile: row.profile,
        profile_fetched_at: row.profile_fetched_at,
        token_expires_at,
        needs_reauth: row.needs_reauth,
        auth: auth.into(),
        csrf_token,
    }))
}
