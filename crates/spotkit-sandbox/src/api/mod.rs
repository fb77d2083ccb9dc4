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
pub mod input;
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
        return Err(ApiError::no_token());
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
        if state.mode == Mode::Dev {
            app_conditions(state, &grant.client_id, grant.user.as_deref())?;
        }
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

/// Spotify's checks of a Development-Mode app, made before any endpoint answers (`/me` included):
/// the owner's Premium subscription, then the app's user list. Both refusals are plain-text 403s.
/// Sources: Spotify's February 2026 migration guide (owner Premium, 5 users per app) and quota-modes
/// page (users off the list get 403); the wordings as users pasted them (see the README's table).
fn app_conditions(state: &AppState, client_id: &str, user: Option<&str>) -> Result<(), ApiError> {
    let app = state.app_conditions(client_id);
    if !app.owner_premium {
        return Err(ApiError::plain(
            axum::http::StatusCode::FORBIDDEN,
            crate::error::OWNER_NOT_PREMIUM,
        ));
    }
    if let (Some(list), Some(user)) = (&app.users, user)
        && !list.iter().any(|u| u == user)
    {
        let message = if app.old_wording {
            crate::error::USER_NOT_REGISTERED_OLD
        } else {
            crate::error::USER_NOT_REGISTERED
        };
        return Err(ApiError::plain(axum::http::StatusCode::FORBIDDEN, message));
    }
    Ok(())
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

/// The `/v1` routes: one group per handler of the spotkit client (`spotify.albums()`,
/// `spotify.playlists()`, ...), which follow the first OpenAPI tag of each operation, so a route is
/// found where the client's method for it is.
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(albums())
        .merge(artists())
        .merge(audiobooks())
        .merge(categories())
        .merge(chapters())
        .merge(episodes())
        .merge(genres())
        .merge(library_routes())
        .merge(markets())
        .merge(player_routes())
        .merge(playlist_routes())
        .merge(search_routes())
        .merge(shows())
        .merge(tracks())
        .merge(user_routes())
}

/// `spotify.albums()`: albums, saved albums, new releases.
fn albums() -> Router<AppState> {
    Router::new()
        .route("/albums", get(browse::several_albums))
        .route("/albums/{id}", get(catalog::album))
        .route("/albums/{id}/tracks", get(catalog::album_tracks))
        .route(
            "/me/albums",
            get(library::saved_albums)
                .put(library::save_albums)
                .delete(library::remove_albums),
        )
        .route("/me/albums/contains", get(library::albums_contains))
        .route("/browse/new-releases", get(browse::new_releases))
}

/// `spotify.artists()`.
fn artists() -> Router<AppState> {
    Router::new()
        .route("/artists", get(browse::several_artists))
        .route("/artists/{id}", get(catalog::artist))
        .route("/artists/{id}/albums", get(catalog::artist_albums))
        .route("/artists/{id}/top-tracks", get(browse::top_tracks))
        .route(
            "/artists/{id}/related-artists",
            get(browse::related_artists),
        )
}

/// `spotify.audiobooks()`: audiobooks and saved audiobooks.
fn audiobooks() -> Router<AppState> {
    Router::new()
        .route("/audiobooks", get(browse::several_audiobooks))
        .route("/audiobooks/{id}", get(catalog::audiobook))
        .route(
            "/audiobooks/{id}/chapters",
            get(catalog::audiobook_chapters),
        )
        .route(
            "/me/audiobooks",
            get(library::saved_audiobooks)
                .put(library::save_audiobooks)
                .delete(library::remove_audiobooks),
        )
        .route("/me/audiobooks/contains", get(library::audiobooks_contains))
}

/// `spotify.categories()`.
fn categories() -> Router<AppState> {
    Router::new()
        .route("/browse/categories", get(browse::categories))
        .route("/browse/categories/{category_id}", get(browse::category))
}

/// `spotify.chapters()`.
fn chapters() -> Router<AppState> {
    Router::new()
        .route("/chapters", get(browse::several_chapters))
        .route("/chapters/{id}", get(catalog::chapter))
}

/// `spotify.episodes()`: episodes and saved episodes.
fn episodes() -> Router<AppState> {
    Router::new()
        .route("/episodes", get(browse::several_episodes))
        .route("/episodes/{id}", get(catalog::episode))
        .route(
            "/me/episodes",
            get(library::saved_episodes)
                .put(library::save_episodes)
                .delete(library::remove_episodes),
        )
        .route("/me/episodes/contains", get(library::episodes_contains))
}

/// `spotify.genres()`.
fn genres() -> Router<AppState> {
    Router::new().route(
        "/recommendations/available-genre-seeds",
        get(browse::genre_seeds),
    )
}

/// `spotify.library()`: the 2026 `/me/library` writes and check.
fn library_routes() -> Router<AppState> {
    Router::new()
        .route(
            "/me/library",
            put(library::save_library).delete(library::remove_library),
        )
        .route("/me/library/contains", get(library::contains))
}

/// `spotify.markets()`.
fn markets() -> Router<AppState> {
    Router::new().route("/markets", get(browse::markets))
}

/// `spotify.player()`.
fn player_routes() -> Router<AppState> {
    Router::new()
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
        .route("/me/player/recently-played", get(library::recently_played))
        .route(
            "/me/player/queue",
            get(player::queue).post(player::add_to_queue),
        )
}

/// `spotify.playlists()`: playlists, their items and covers, and the browse lists of playlists.
fn playlist_routes() -> Router<AppState> {
    Router::new()
        .route(
            "/me/playlists",
            get(playlists::my_playlists).post(playlists::create_playlist),
        )
        .route(
            "/users/{user_id}/playlists",
            get(playlists::user_playlists).post(playlists::create_playlist_for_user),
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
            "/browse/featured-playlists",
            get(browse::featured_playlists),
        )
        .route(
            "/browse/categories/{category_id}/playlists",
            get(browse::category_playlists),
        )
}

/// `spotify.search()`.
fn search_routes() -> Router<AppState> {
    Router::new().route("/search", get(search::search))
}

/// `spotify.shows()`: shows and saved shows.
fn shows() -> Router<AppState> {
    Router::new()
        .route("/shows", get(browse::several_shows))
        .route("/shows/{id}", get(catalog::show))
        .route("/shows/{id}/episodes", get(catalog::show_episodes))
        .route(
            "/me/shows",
            get(library::saved_shows)
                .put(library::save_shows)
                .delete(library::remove_shows),
        )
        .route("/me/shows/contains", get(library::shows_contains))
}

/// `spotify.tracks()`: tracks, saved tracks, and the removed audio features and recommendations.
fn tracks() -> Router<AppState> {
    Router::new()
        .route("/tracks", get(browse::several_tracks))
        .route("/tracks/{id}", get(catalog::track))
        .route(
            "/me/tracks",
            get(library::saved_tracks)
                .put(library::save_tracks)
                .delete(library::remove_tracks),
        )
        .route("/me/tracks/contains", get(library::tracks_contains))
        .route("/audio-features", get(browse::several_audio_features))
        .route("/audio-features/{id}", get(browse::audio_features))
        .route("/audio-analysis/{id}", get(browse::audio_analysis))
        .route("/recommendations", get(browse::recommendations))
}

/// `spotify.users()`: profiles, follows, top items.
fn user_routes() -> Router<AppState> {
    Router::new()
        .route("/me", get(users::me))
        .route("/users/{user_id}", get(browse::user))
        .route(
            "/playlists/{playlist_id}/followers",
            put(playlists::follow).delete(playlists::unfollow),
        )
        .route(
            "/playlists/{playlist_id}/followers/contains",
            get(playlists::followers_contains),
        )
        .route(
            "/me/following",
            get(library::followed_artists)
                .put(library::follow)
                .delete(library::unfollow),
        )
        .route("/me/following/contains", get(library::following_contains))
        .route("/me/top/artists", get(library::top_artists))
        .route("/me/top/tracks", get(library::top_tracks))
}
