//! `Shows`: one podcast show, several at once, a show's episodes, and saving, removing and
//! checking the user's saved shows.

use reqwest::Method;

use super::request::{Contains, IdsIn, IdsWrite, Several};
use super::{get_builder, paged_builder, segment};
use crate::Spotify;
use crate::model::{SavedShow, Show, ShowId, SimplifiedEpisode, SimplifiedShow};

/// `spotify.shows()`.
#[derive(Debug, Clone, Copy)]
pub struct ShowsHandler<'a> {
    spotify: &'a Spotify,
}

impl<'a> ShowsHandler<'a> {
    pub(crate) fn new(spotify: &'a Spotify) -> Self {
        ShowsHandler { spotify }
    }

    /// `GET /me/shows`: the user's saved shows (scope `user-library-read`).
    pub fn saved(&self) -> SavedShows<'a> {
        SavedShows::new(self.spotify, "me/shows".into())
    }
}

paged_builder! {
    /// Builder for `GET /me/shows`.
    SavedShows => SavedShow;
}

impl<'a> ShowsHandler<'a> {
    /// `GET /shows/{id}`: one show (scope `user-read-playback-position` for resume points).
    pub fn get(&self, id: &ShowId) -> GetShow<'a> {
        GetShow::new(self.spotify, format!("shows/{}", segment(id.id())))
    }

    /// `GET /shows?ids=...`: several shows, 50 ids per request, in the order asked (scope `user-read-playback-position` for resume points).
    #[deprecated(
        note = "removed for Development-Mode apps in Feb 2026; use `shows().get` per id instead"
    )]
    pub fn several(&self, ids: &[ShowId]) -> Several<'a, SimplifiedShow> {
        Several::new(
            self.spotify,
            "shows",
            ids.iter().map(|i| i.id().to_owned()).collect(),
            50,
        )
    }

    /// `GET /shows/{id}/episodes`: every episode of a show (scope `user-read-playback-position` for resume points).
    pub fn episodes(&self, id: &ShowId) -> ShowEpisodes<'a> {
        ShowEpisodes::new(self.spotify, format!("shows/{}/episodes", segment(id.id())))
    }

    /// `PUT /me/shows`: saves shows to the library, 50 per request (scope `user-library-modify`).
    #[deprecated(
        note = "removed for Development-Mode apps in Feb 2026; use `library().save` instead"
    )]
    pub fn save(&self, ids: &[ShowId]) -> IdsWrite<'a> {
        IdsWrite::new(
            self.spotify,
            Method::PUT,
            "me/shows",
            ids.iter().map(|i| i.id().to_owned()).collect(),
            50,
            IdsIn::QueryIds,
        )
    }

    /// `DELETE /me/shows`: removes shows from the library, 50 per request (scope
    /// `user-library-modify`).
    #[deprecated(
        note = "removed for Development-Mode apps in Feb 2026; use `library().remove` instead"
    )]
    pub fn remove(&self, ids: &[ShowId]) -> IdsWrite<'a> {
        IdsWrite::new(
            self.spotify,
            Method::DELETE,
            "me/shows",
            ids.iter().map(|i| i.id().to_owned()).collect(),
            50,
            IdsIn::QueryIds,
        )
    }

    /// `GET /me/shows/contains`: whether each show is saved, 50 per request (scope
    /// `user-library-read`).
    #[deprecated(
        note = "removed for Development-Mode apps in Feb 2026; use `library().contains` instead"
    )]
    pub fn contains(&self, ids: &[ShowId]) -> Contains<'a> {
        Contains::new(
            self.spotify,
            "me/shows/contains".into(),
            IdsIn::QueryIds,
            ids.iter().map(|i| i.id().to_owned()).collect(),
            50,
        )
    }
}

get_builder! {
    /// Builder for `GET /shows/{id}`.
    GetShow => Show;
    /// An ISO 3166-1 country code or `from_token`.
    market: String,
}

paged_builder! {
    /// Builder for `GET /shows/{id}/episodes`.
    ShowEpisodes => SimplifiedEpisode;
    /// An ISO 3166-1 country code or `from_token`.
    market: String,
}
