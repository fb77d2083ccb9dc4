//! `Users`: the current user's profile, followed artists, top artists and tracks.

use futures::Stream;
use serde::Serialize;

use reqwest::Method;

use super::request::{Contains, IdsIn, IdsWrite, request_builder};
use super::{TimeRange, get_builder, paged_builder, segment, stream_cursor, url_with_query};
use crate::Spotify;
use crate::error::{Result, decode_json};
use crate::model::{
    Artist, CursorPage, CursorPagedArtists, PlaylistId, PrivateUser, PublicUser, Track, UserId,
};

/// `spotify.users()`.
#[derive(Debug, Clone, Copy)]
pub struct UsersHandler<'a> {
    spotify: &'a Spotify,
}

impl<'a> UsersHandler<'a> {
    pub(crate) fn new(spotify: &'a Spotify) -> Self {
        UsersHandler { spotify }
    }

    /// `GET /me`: the current user's profile (email, country and product need scopes
    /// `user-read-email`/`user-read-private`, and Development-Mode apps no longer get them).
    pub fn me(&self) -> GetMe<'a> {
        GetMe::new(self.spotify, "me".into())
    }

    /// `GET /me/following?type=artist`: the artists the user follows (cursor paging; scope
    /// `user-follow-read`).
    pub fn followed_artists(&self) -> FollowedArtists<'a> {
        FollowedArtists {
            spotify: self.spotify,
            kind: "artist",
            after: None,
            limit: None,
        }
    }

    /// `GET /me/top/artists`: the user's top artists (scope `user-top-read`).
    pub fn top_artists(&self) -> TopArtists<'a> {
        TopArtists::new(self.spotify, "me/top/artists".into())
    }

    /// `GET /me/top/tracks`: the user's top tracks (scope `user-top-read`).
    pub fn top_tracks(&self) -> TopTracks<'a> {
        TopTracks::new(self.spotify, "me/top/tracks".into())
    }
}

get_builder! {
    /// Builder for `GET /me`.
    GetMe => PrivateUser;
}

paged_builder! {
    /// Builder for `GET /me/top/artists`.
    TopArtists => Artist;
    /// The time frame (default: medium term).
    time_range: TimeRange,
}

paged_builder! {
    /// Builder for `GET /me/top/tracks`.
    TopTracks => Track;
    /// The time frame (default: medium term).
    time_range: TimeRange,
}

/// Builder for `GET /me/following?type=artist`.
#[derive(Debug, Serialize)]
#[must_use = "a builder does nothing until `.send()`, `.stream()`, `.all()` or `.await`"]
pub struct FollowedArtists<'a> {
    #[serde(skip)]
    spotify: &'a Spotify,
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    after: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    limit: Option<u32>,
}

fn followed_page(body: &[u8]) -> Result<CursorPage<Artist>> {
    let envelope: CursorPagedArtists = decode_json(body)?;
    Ok(envelope.artists)
}

impl FollowedArtists<'_> {
    /// Artists per page (1..=50, default 20).
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Start after this artist id (the `after` cursor of the previous page).
    pub fn after(mut self, artist_id: impl Into<String>) -> Self {
        self.after = Some(artist_id.into());
        self
    }

    /// Fetches one page.
    pub async fn send(self) -> Result<CursorPage<Artist>> {
        let url = url_with_query(self.spotify, "me/following", &self)?;
        let body = self
            .spotify
            .transport()
            .execute(&crate::http::transport::ApiRequest::get(url))
            .await?;
        followed_page(&body)
    }

    /// Every followed artist, following the cursors.
    pub fn stream(self) -> impl Stream<Item = Result<Artist>> + Send + Unpin + 'static {
        stream_cursor(
            self.spotify,
            url_with_query(self.spotify, "me/following", &self),
            followed_page,
        )
    }

    /// Every followed artist, collected.
    pub async fn all(self) -> Result<Vec<Artist>> {
        futures::TryStreamExt::try_collect(self.stream()).await
    }
}

impl<'a> std::future::IntoFuture for FollowedArtists<'a> {
    type Output = Result<CursorPage<Artist>>;
    type IntoFuture = futures::future::BoxFuture<'a, Self::Output>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// What `follow`/`unfollow`/`follows` act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FollowType {
    /// Artists.
    Artist,
    /// Users.
    User,
}

impl FollowType {
    fn as_str(self) -> &'static str {
        match self {
            FollowType::Artist => "artist",
            FollowType::User => "user",
        }
    }
}

impl<'a> UsersHandler<'a> {
    /// `GET /users/{user_id}`: a user's public profile.
    #[deprecated(
        note = "removed for Development-Mode apps in Feb 2026; use `users().me` for the current user instead"
    )]
    pub fn get(&self, id: &UserId) -> GetUser<'a> {
        GetUser::new(self.spotify, format!("users/{}", segment(id.id())))
    }

    /// `PUT /playlists/{playlist_id}/followers`: follows a playlist (scopes
    /// `playlist-modify-public`/`playlist-modify-private`).
    #[deprecated(
        note = "removed for Development-Mode apps in Feb 2026; use `library().save` with the playlist URI instead"
    )]
    pub fn follow_playlist(&self, id: &PlaylistId) -> FollowPlaylist<'a> {
        FollowPlaylist::new(
            self.spotify,
            format!("playlists/{}/followers", segment(id.id())),
        )
        .with_body(serde_json::json!({}))
    }

    /// `DELETE /playlists/{playlist_id}/followers`: unfollows a playlist (scopes
    /// `playlist-modify-public`/`playlist-modify-private`).
    #[deprecated(
        note = "removed for Development-Mode apps in Feb 2026; use `library().remove` with the playlist URI instead"
    )]
    pub fn unfollow_playlist(&self, id: &PlaylistId) -> UnfollowPlaylist<'a> {
        UnfollowPlaylist::new(
            self.spotify,
            format!("playlists/{}/followers", segment(id.id())),
        )
    }

    /// `PUT /me/following`: follows artists or users, 50 ids per request (scope
    /// `user-follow-modify`).
    #[deprecated(
        note = "removed for Development-Mode apps in Feb 2026; use `library().save` with artist or user URIs instead"
    )]
    pub fn follow(&self, kind: FollowType, ids: &[&str]) -> IdsWrite<'a> {
        IdsWrite::new(
            self.spotify,
            Method::PUT,
            "me/following",
            ids.iter().map(|&i| i.to_owned()).collect(),
            50,
            IdsIn::Query("ids"),
        )
        .with_query("type", kind.as_str().to_owned())
    }

    /// `DELETE /me/following`: unfollows artists or users, 50 ids per request (scope
    /// `user-follow-modify`).
    #[deprecated(
        note = "removed for Development-Mode apps in Feb 2026; use `library().remove` with artist or user URIs instead"
    )]
    pub fn unfollow(&self, kind: FollowType, ids: &[&str]) -> IdsWrite<'a> {
        IdsWrite::new(
            self.spotify,
            Method::DELETE,
            "me/following",
            ids.iter().map(|&i| i.to_owned()).collect(),
            50,
            IdsIn::Query("ids"),
        )
        .with_query("type", kind.as_str().to_owned())
    }

    /// `GET /me/following/contains`: whether the user follows each artist or user, 50 per
    /// request (scope `user-follow-read`).
    #[deprecated(
        note = "removed for Development-Mode apps in Feb 2026; use `library().contains` with artist or user URIs instead"
    )]
    pub fn follows(&self, kind: FollowType, ids: &[&str]) -> Contains<'a> {
        Contains::new(
            self.spotify,
            "me/following/contains".into(),
            "ids",
            ids.iter().map(|&i| i.to_owned()).collect(),
            50,
        )
        .with_query("type", kind.as_str().to_owned())
    }

    /// `GET /playlists/{playlist_id}/followers/contains`: whether the current user follows a
    /// playlist (one `bool`).
    #[deprecated(
        note = "removed for Development-Mode apps in Feb 2026; use `library().contains` with the playlist URI instead"
    )]
    pub fn follows_playlist(&self, id: &PlaylistId, user: &UserId) -> Contains<'a> {
        Contains::new(
            self.spotify,
            format!("playlists/{}/followers/contains", segment(id.id())),
            "ids",
            vec![user.id().to_owned()],
            1,
        )
    }
}

get_builder! {
    /// Builder for `GET /users/{user_id}`.
    GetUser => PublicUser;
}

request_builder! {
    /// Builder for `PUT /playlists/{playlist_id}/followers`.
    FollowPlaylist => (), PUT;
}

impl FollowPlaylist<'_> {
    /// Whether the playlist shows on the user's public profile (default true).
    pub fn public(self, public: bool) -> Self {
        self.with_body(serde_json::json!({ "public": public }))
    }
}

request_builder! {
    /// Builder for `DELETE /playlists/{playlist_id}/followers`.
    UnfollowPlaylist => (), DELETE;
}
