//! `Player`: recently played tracks.

use futures::Stream;
use serde::Serialize;

use super::{stream_cursor, url_with_query};
use crate::Spotify;
use crate::error::{Result, decode_json};
use crate::model::{CursorPage, PlayHistory};

/// `spotify.player()`.
#[derive(Debug, Clone, Copy)]
pub struct PlayerHandler<'a> {
    spotify: &'a Spotify,
}

impl<'a> PlayerHandler<'a> {
    pub(crate) fn new(spotify: &'a Spotify) -> Self {
        PlayerHandler { spotify }
    }

    /// `GET /me/player/recently-played`: the user's recently played tracks, newest first
    /// (cursor paging; scope `user-read-recently-played`).
    pub fn recently_played(&self) -> RecentlyPlayed<'a> {
        RecentlyPlayed {
            spotify: self.spotify,
            limit: None,
            after: None,
            before: None,
        }
    }
}

/// Builder for `GET /me/player/recently-played`.
#[derive(Debug, Serialize)]
#[must_use = "a builder does nothing until `.send()`, `.stream()`, `.all()` or `.await`"]
pub struct RecentlyPlayed<'a> {
    #[serde(skip)]
    spotify: &'a Spotify,
    #[serde(skip_serializing_if = "Option::is_none")]
    limit: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    after: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    before: Option<i64>,
}

const PATH: &str = "me/player/recently-played";

impl RecentlyPlayed<'_> {
    /// Items per page (1..=50, default 20).
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Only plays after this Unix time in milliseconds (exclusive with `before`).
    pub fn after(mut self, unix_ms: i64) -> Self {
        self.after = Some(unix_ms);
        self.before = None;
        self
    }

    /// Only plays before this Unix time in milliseconds (exclusive with `after`).
    pub fn before(mut self, unix_ms: i64) -> Self {
        self.before = Some(unix_ms);
        self.after = None;
        self
    }

    /// Fetches one page.
    pub async fn send(self) -> Result<CursorPage<PlayHistory>> {
        let url = url_with_query(self.spotify, PATH, &self)?;
        self.spotify.transport().get_json(url).await
    }

    /// Every play, following the `next` links.
    pub fn stream(self) -> impl Stream<Item = Result<PlayHistory>> + Send + Unpin + 'static {
        stream_cursor(
            self.spotify,
            url_with_query(self.spotify, PATH, &self),
            decode_json::<CursorPage<PlayHistory>>,
        )
    }

    /// Every play, collected.
    pub async fn all(self) -> Result<Vec<PlayHistory>> {
        futures::TryStreamExt::try_collect(self.stream()).await
    }
}

impl<'a> std::future::IntoFuture for RecentlyPlayed<'a> {
    type Output = Result<CursorPage<PlayHistory>>;
    type IntoFuture = futures::future::BoxFuture<'a, Self::Output>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}
