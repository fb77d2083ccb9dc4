//! `Users`: the current user's profile, followed artists, top artists and tracks, other users'
//! profiles, and following artists, users and playlists.

use futures::Stream;
use serde::Serialize;

use reqwest::Method;

use super::request::{Contains, IdsIn, IdsWrite, request_builder};
use super::{TimeRange, get_builder, paged_builder, segment, stream_cursor, url_with_query};
use crate::Spotify;
use crate::error::{Result, decode_json};
use crate::model::{
    Artist, ArtistId, CursorPage, CursorPagedArtists, PlaylistId, PrivateUser, PublicUser, Track,
    UserId,
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
            kind: FollowType::Artist,
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
    kind: FollowType,
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

    /// Start after this artist (the `after` cursor of the previous page is an artist id).
    pub fn after(mut self, artist: &ArtistId) -> Self {
        self.after = Some(artist.id().to_owned());
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

super::into_future!(FollowedArtists => CursorPage<Artist>);

/// The `type` of a follow request: what [`Followable`] ids are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum FollowType {
    /// Artists.
    Artist,
    /// Users.
    User,
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for crate::model::ArtistId {}
    impl Sealed for crate::model::UserId {}
}

/// An id that can be followed: [`ArtistId`] or [`UserId`]. It carries its [`FollowType`], so
/// [`UsersHandler::follow`] and friends send the right `type` and one call cannot mix artists
/// and users.
pub trait Followable: sealed::Sealed {
    /// The `type` Spotify wants for this kind of id.
    const FOLLOW_TYPE: FollowType;
    /// The bare id.
    fn follow_id(&self) -> &str;
}

impl Followable for ArtistId {
    const FOLLOW_TYPE: FollowType = FollowType::Artist;
    fn follow_id(&self) -> &str {
        self.id()
    }
}

impl Followable for UserId {
    const FOLLOW_TYPE: FollowType = FollowType::User;
    fn follow_id(&self) -> &str {
        self.id()
    }
}

fn follow_ids<I: Followable>(ids: &[I]) -> Vec<String> {
    ids.iter().map(|i| i.follow_id().to_owned()).collect()
}

/// The body of `PUT /playlists/{playlist_id}/followers`: `{}` or `{"public": bool}`.
#[derive(Debug, Default, Serialize)]
pub(crate) struct FollowPlaylistBody {
    #[serde(skip_serializing_if = "Option::is_none")]
    public: Option<bool>,
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
        .with_body(FollowPlaylistBody::default())
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

    /// `PUT /me/following`: follows artists (`&[ArtistId]`) or users (`&[UserId]`), 50 ids per
    /// request (scope `user-follow-modify`).
    #[deprecated(
        note = "removed for Development-Mode apps in Feb 2026; use `library().save` with artist or user URIs instead"
    )]
    pub fn follow<I: Followable>(&self, ids: &[I]) -> IdsWrite<'a> {
        IdsWrite::new(
            self.spotify,
            Method::PUT,
            "me/following",
            follow_ids(ids),
            50,
            IdsIn::QueryIds,
        )
        .of_type(I::FOLLOW_TYPE)
    }

    /// `DELETE /me/following`: unfollows artists (`&[ArtistId]`) or users (`&[UserId]`), 50 ids
    /// per request (scope `user-follow-modify`).
    #[deprecated(
        note = "removed for Development-Mode apps in Feb 2026; use `library().remove` with artist or user URIs instead"
    )]
    pub fn unfollow<I: Followable>(&self, ids: &[I]) -> IdsWrite<'a> {
        IdsWrite::new(
            self.spotify,
            Method::DELETE,
            "me/following",
            follow_ids(ids),
            50,
            IdsIn::QueryIds,
        )
        .of_type(I::FOLLOW_TYPE)
    }

    /// `GET /me/following/contains`: whether the user follows each artist (`&[ArtistId]`) or
    /// user (`&[UserId]`), 50 per request (scope `user-follow-read`).
    #[deprecated(
        note = "removed for Development-Mode apps in Feb 2026; use `library().contains` with artist or user URIs instead"
    )]
    pub fn follows<I: Followable>(&self, ids: &[I]) -> Contains<'a> {
        Contains::new(
            self.spotify,
            "me/following/contains".into(),
            IdsIn::QueryIds,
            follow_ids(ids),
            50,
        )
        .of_type(I::FOLLOW_TYPE)
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
            IdsIn::QueryIds,
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
    FollowPlaylist => (), PUT, body: FollowPlaylistBody;
}

impl FollowPlaylist<'_> {
    /// Whether the playlist shows on the user's public profile (default true).
    pub fn public(self, public: bool) -> Self {
        self.with_body(FollowPlaylistBody {
            public: Some(public),
        })
    }
}

request_builder! {
    /// Builder for `DELETE /playlists/{playlist_id}/followers`.
    UnfollowPlaylist => (), DELETE;
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const A: &str = "0OdUWJ0sBjDrqHygGUXeCF";
    const B: &str = "4Z8W4fKeB5YxbusRsdQVPb";

    #[test]
    fn follow_ids_carry_their_type() {
        let artists = [ArtistId::parse(A).unwrap(), ArtistId::parse(B).unwrap()];
        assert_eq!(follow_ids(&artists), [A, B]);
        assert_eq!(ArtistId::FOLLOW_TYPE, FollowType::Artist);
        let users = [UserId::parse("wizzler").unwrap()];
        assert_eq!(follow_ids(&users), ["wizzler"]);
        assert_eq!(UserId::FOLLOW_TYPE, FollowType::User);
    }

    #[test]
    fn follow_calls_send_the_type_of_their_ids() {
        let spotify = Spotify::builder()
            .api_base_url("http://127.0.0.1:1/v1")
            .build()
            .unwrap();
        let users = spotify.users();
        let artists = [ArtistId::parse(A).unwrap(), ArtistId::parse(B).unwrap()];
        let user = [UserId::parse("wizzler").unwrap()];
        let base = "http://127.0.0.1:1/v1/me/following";
        #[allow(deprecated)]
        let (follow, unfollow, follows) = (
            users.follow(&artists).first_url(),
            users.unfollow(&user).first_url(),
            users.follows(&user).first_url(),
        );
        assert_eq!(follow.as_str(), format!("{base}?type=artist&ids={A}%2C{B}"));
        assert_eq!(unfollow.as_str(), format!("{base}?type=user&ids=wizzler"));
        assert_eq!(
            follows.as_str(),
            format!("{base}/contains?type=user&ids=wizzler")
        );
    }

    #[test]
    fn follow_type_and_followed_artists_query() {
        assert_eq!(
            serde_urlencoded::to_string([("type", FollowType::Artist)]).unwrap(),
            "type=artist"
        );
        assert_eq!(
            serde_urlencoded::to_string([("type", FollowType::User)]).unwrap(),
            "type=user"
        );
        let spotify = Spotify::builder()
            .api_base_url("http://127.0.0.1:1/v1")
            .build()
            .unwrap();
        let b = spotify
            .users()
            .followed_artists()
            .after(&ArtistId::parse(A).unwrap())
            .limit(2);
        assert_eq!(
            serde_urlencoded::to_string(&b).unwrap(),
            format!("type=artist&after={A}&limit=2")
        );
    }

    #[test]
    fn follow_playlist_body_is_what_spotify_expects() {
        // What `json!` built before: `{}` by default, `{"public": p}` when set.
        assert_eq!(
            serde_json::to_value(FollowPlaylistBody::default()).unwrap(),
            json!({})
        );
        assert_eq!(
            serde_json::to_value(FollowPlaylistBody {
                public: Some(false)
            })
            .unwrap(),
            json!({ "public": false })
        );
    }
}
