//! The Web API under `/v1`, one module per area of the spec.

use axum::Router;
use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use axum::routing::{get, post, put};

use crate::catalog::is_base62_id;
use crate::config::Mode;
use crate::error::ApiError;
use crate::state::{AppState, lock};
use crate::tokens::{Scopes, TokenProblem};

pub mod browse;
pub mod catalog;
pub mod library;
pub mod player;
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
    use library as lib;
    Router::new()
        .route("/me", get(users::me))
        .route("/users/{user_id}", get(browse::user))
        .route(
            "/users/{user_id}/playlists",
            get(playlists::user_playlists).post(playlists::create_playlist_for_user),
        )
        .route(
            "/me/playlists",
            get(playlists::my_playlists).post(playlists::create_playlist),
        )
        .route(
            "/playlists/{playlist_id}",
            get(playlists::get_playlist).put(playlists::change_details),
        )
        .route(
            "/playlists/{playlist_id}/items",
            get(playlists::items)
                .post(playlists::add_items)
                .put(playlists::update_items)
                .delete(playlists::remove_items),
        )
        .route(
            "/playlists/{playlist_id}/tracks",
            get(playlists::tracks)
                .post(playlists::legacy_add_items)
                .put(playlists::legacy_update_items)
                .delete(playlists::legacy_remove_items),
        )
        .route(
            "/playlists/{playlist_id}/images",
            get(playlists::images).put(playlists::upload_image),
        )
        .route(
            "/playlists/{playlist_id}/followers",
            put(playlists::follow).delete(playlists::unfollow),
        )
        .route(
            "/playlists/{playlist_id}/followers/contains",
            get(playlists::followers_contains),
        )
        .route(
            "/me/library",
            put(lib::save_library).delete(lib::remove_library),
        )
        .route("/me/library/contains", get(lib::contains))
        .route(
            "/me/tracks",
            get(lib::saved_tracks)
                .put(lib::save_tracks)
                .delete(lib::remove_tracks),
        )
        .route("/me/tracks/contains", get(lib::tracks_contains))
        .route(
            "/me/albums",
            get(lib::saved_albums)
                .put(lib::save_albums)
                .delete(lib::remove_albums),
        )
        .route("/me/albums/contains", get(lib::albums_contains))
        .route(
            "/me/shows",
            get(lib::saved_shows)
                .put(lib::save_shows)
                .delete(lib::remove_shows),
        )
        .route("/me/shows/contains", get(lib::shows_contains))
        .route(
            "/me/episodes",
            get(lib::saved_episodes)
                .put(lib::save_episodes)
                .delete(lib::remove_episodes),
        )
        .route("/me/episodes/contains", get(lib::episodes_contains))
        .route(
            "/me/audiobooks",
            get(lib::saved_audiobooks)
                .put(lib::save_audiobooks)
                .delete(lib::remove_audiobooks),
        )
        .route("/me/audiobooks/contains", get(lib::audiobooks_contains))
        .route(
            "/me/following",
            get(lib::followed_artists)
                .put(lib::follow)
                .delete(lib::unfollow),
        )
        .route("/me/following/contains", get(lib::following_contains))
        .route("/me/top/artists", get(lib::top_artists))
        .route("/me/top/tracks", get(lib::top_tracks))
        .route("/me/player", get(player::state).put(player::transfer))
        .route("/me/player/devices", get(player::devices))
        .route(
            "/me/player/currently-playing",
            get(player::currently_playing),
        )
        .route("/me/player/play", put(player::play))
        .route("/me/player/pause", put(player::pause))
        .route("/me/player/next", post(player::next))
        .route("/me/player/previous", post(player::previous))
        .route("/me/player/seek", put(player::seek))
        .route("/me/player/repeat", put(player::repeat))
        .route("/me/player/volume", put(player::volume))
        .route("/me/player/shuffle", put(player::shuffle))
        .route("/me/player/recently-played", get(lib::recently_played))
        .route(
            "/me/player/queue",
            get(player::queue).post(player::add_to_queue),
        )
        .route("/tracks", get(browse::several_tracks))
        .route("/tracks/{id}", get(catalog::track))
        .route("/albums", get(browse::several_albums))
        .route("/albums/{id}", get(catalog::album))
        .route("/albums/{id}/tracks", get(catalog::album_tracks))
        .route("/artists", get(browse::several_artists))
        .route("/artists/{id}", get(catalog::artist))
        .route("/artists/{id}/albums", get(catalog::artist_albums))
        .route("/artists/{id}/top-tracks", get(browse::top_tracks))
        .route(
            "/artists/{id}/related-artists",
            get(browse::related_artists),
        )
        .route("/shows", get(browse::several_shows))
        .route("/shows/{id}", get(catalog::show))
        .route("/shows/{id}/episodes", get(catalog::show_episodes))
        .route("/episodes", get(browse::several_episodes))
        .route("/episodes/{id}", get(catalog::episode))
        .route("/audiobooks", get(browse::several_audiobooks))
        .route("/audiobooks/{id}", get(catalog::audiobook))
        .route(
            "/audiobooks/{id}/chapters",
            get(catalog::audiobook_chapters),
        )
        .route("/chapters", get(browse::several_chapters))
        .route("/chapters/{id}", get(catalog::chapter))
        .route("/browse/categories", get(browse::categories))
        .route("/browse/categories/{category_id}", get(browse::category))
        .route(
            "/browse/categories/{category_id}/playlists",
            get(browse::category_playlists),
        )
        .route(
            "/browse/featured-playlists",
            get(browse::featured_playlists),
        )
        .route("/browse/new-releases", get(browse::new_releases))
        .route("/markets", get(browse::markets))
        .route("/recommendations", get(browse::recommendations))
        .route(
            "/recommendations/available-genre-seeds",
            get(browse::genre_seeds),
        )
        .route("/audio-features", get(browse::several_audio_features))
        .route("/audio-features/{id}", get(browse::audio_features))
        .route("/audio-analysis/{id}", get(browse::audio_analysis))
        .route("/search", get(search::search))
}
