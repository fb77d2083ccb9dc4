//! The Web API under `/v1`, one module per area of the spec.

use axum::Router;
use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use axum::routing::get;

use crate::catalog::is_base62_id;
use crate::config::Mode;
use crate::error::ApiError;
use crate::state::{AppState, lock};
use crate::tokens::{Scopes, TokenProblem};

pub mod catalog;
pub mod library;
pub mod playlists;
pub mod search;
pub mod users;

/// The caller, from its bearer token.
#[derive(Debug, Clone)]
pub struct Caller {
    /// User index, `None` for client-credentials tokens.
    pub user: Option<u32>,
    /// The app.
    pub client_id: String,
    /// Granted scopes.
    pub scopes: Scopes,
}

impl Caller {
    /// The user, or 403 for an app-only token (client credentials carry no user and no scopes).
    pub fn user(&self) -> Result<u32, ApiError> {
        self.user.ok_or_else(ApiError::scope)
    }

    /// Whether the token carries `scope`.
    pub fn has(&self, scope: &str) -> bool {
        self.scopes.contains(scope)
    }

    /// 403 "Insufficient client scope" unless the token carries `scope`.
    pub fn require(&self, scope: &str) -> Result<(), ApiError> {
        if self.has(scope) {
            Ok(())
        } else {
            Err(ApiError::scope())
        }
    }

    /// The user, with `scope` required.
    pub fn user_with(&self, scope: &str) -> Result<u32, ApiError> {
        let user = self.user()?;
        self.require(scope)?;
        Ok(user)
    }
}

/// Reads a bearer token the way Spotify does.
pub fn bearer(parts: &Parts) -> Result<&str, ApiError> {
    let Some(value) = parts.headers.get(header::AUTHORIZATION) else {
        return Err(ApiError::unauthorized("No token provided"));
    };
    let value = value.to_str().unwrap_or("");
    match value.split_once(' ') {
        Some((scheme, token))
            if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() =>
        {
            Ok(token.trim())
        }
        _ => Err(ApiError::bad_request(
            "Only valid bearer authentication supported",
        )),
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = bearer(parts)?;
        let tokens = lock(&state.tokens);
        let grant = tokens.check(token).map_err(|problem| match problem {
            TokenProblem::Expired => ApiError::unauthorized("The access token expired"),
            TokenProblem::Invalid => ApiError::unauthorized("Invalid access token"),
        })?;
        let user = match &grant.user {
            Some(id) => Some(
                state
                    .world()
                    .user_idx(id)
                    .ok_or_else(|| ApiError::unauthorized("Invalid access token"))?,
            ),
            None => None,
        };
        Ok(Caller {
            user,
            client_id: grant.client_id.clone(),
            scopes: grant.scopes.clone(),
        })
    }
}

/// Checks an id path segment: 400 "Invalid base62 id" when malformed.
pub fn check_id(id: &str) -> Result<(), ApiError> {
    if is_base62_id(id) {
        Ok(())
    } else {
        Err(ApiError::invalid_id())
    }
}

/// 403 "Forbidden" for an operation Spotify removed for Development-Mode apps.
pub fn extended_only(state: &AppState) -> Result<(), ApiError> {
    if state.mode == Mode::Dev {
        Err(ApiError::forbidden("Forbidden"))
    } else {
        Ok(())
    }
}

/// All Web API routes (relative to `/v1`).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/me", get(users::me))
        .route("/users/{user_id}/playlists", get(playlists::user_playlists))
        .route("/me/playlists", get(playlists::my_playlists))
        .route("/playlists/{playlist_id}", get(playlists::get_playlist))
        .route("/playlists/{playlist_id}/items", get(playlists::items))
        .route("/playlists/{playlist_id}/tracks", get(playlists::tracks))
        .route("/me/tracks", get(library::saved_tracks))
        .route("/me/albums", get(library::saved_albums))
        .route("/me/shows", get(library::saved_shows))
        .route("/me/episodes", get(library::saved_episodes))
        .route("/me/audiobooks", get(library::saved_audiobooks))
        .route("/me/library/contains", get(library::contains))
        .route("/me/following", get(library::followed_artists))
        .route("/me/top/artists", get(library::top_artists))
        .route("/me/top/tracks", get(library::top_tracks))
        .route("/me/player/recently-played", get(library::recently_played))
        .route("/tracks/{id}", get(catalog::track))
        .route("/albums/{id}", get(catalog::album))
        .route("/albums/{id}/tracks", get(catalog::album_tracks))
        .route("/artists/{id}", get(catalog::artist))
        .route("/artists/{id}/albums", get(catalog::artist_albums))
        .route("/shows/{id}", get(catalog::show))
        .route("/shows/{id}/episodes", get(catalog::show_episodes))
        .route("/episodes/{id}", get(catalog::episode))
        .route("/audiobooks/{id}", get(catalog::audiobook))
        .route(
            "/audiobooks/{id}/chapters",
            get(catalog::audiobook_chapters),
        )
        .route("/chapters/{id}", get(catalog::chapter))
        .route("/search", get(search::search))
}
