//! `Episodes`: one podcast episode, several at once, and saving, removing and checking the
//! user's saved episodes.

use reqwest::Method;

use super::request::{Contains, IdsIn, IdsWrite, Several};
use super::{get_builder, paged_builder, segment};
use crate::Spotify;
use crate::model::{Episode, EpisodeId, SavedEpisode};

/// `spotify.episodes()`.
#[derive(Debug, Clone, Copy)]
pub struct EpisodesHandler<'a> {
    spotify: &'a Spotify,
}

impl<'a> EpisodesHandler<'a> {
    pub(crate) fn new(spotify: &'a Spotify) -> Self {
        EpisodesHandler { spotify }
    }

    /// `GET /me/episodes`: the user's saved episodes (scopes `user-library-read`,
    /// `user-read-playback-position`).
    pub fn saved(&self) -> SavedEpisodes<'a> {
        SavedEpisodes::new(self.spotify, "me/episodes".into())
    }
}

paged_builder! {
    /// Builder for `GET /me/episodes`.
    SavedEpisodes => SavedEpisode;
    /// An ISO 3166-1 country code or `from_token`.
    market: String,
}

impl<'a> EpisodesHandler<'a> {
    /// `GET /episodes/{id}`: one episode (scope `user-read-playback-position` for resume points).
    pub fn get(&self, id: &EpisodeId) -> GetEpisode<'a> {
        GetEpisode::new(self.spotify, format!("episodes/{}", segment(id.id())))
    }

    /// `GET /episodes?ids=...`: several episodes, 50 ids per request, in the order asked (scope `user-read-playback-position` for resume points).
    #[deprecated(
        note = "removed for Development-Mode apps in Feb 2026; use `episodes().get` per id instead"
    )]
    pub fn several(&self, ids: &[EpisodeId]) -> Several<'a, Episode> {
        Several::new(
            self.spotify,
            "episodes",
            ids.iter().map(|i| i.id().to_owned()).collect(),
            50,
        )
    }

    /// `PUT /me/episodes`: saves episodes to the library, 50 per request (scope `user-library-modify`).
    #[deprecated(
        note = "removed for Development-Mode apps in Feb 2026; use `library().save` instead"
    )]
    pub fn save(&self, ids: &[EpisodeId]) -> IdsWrite<'a> {
        IdsWrite::new(
            self.spotify,
            Method::PUT,
            "me/episodes",
            ids.iter().map(|i| i.id().to_owned()).collect(),
            50,
            IdsIn::QueryIds,
        )
    }

    /// `DELETE /me/episodes`: removes episodes from the library, 50 per request (scope
    /// `user-library-modify`).
    #[deprecated(
        note = "removed for Development-Mode apps in Feb 2026; use `library().remove` instead"
    )]
    pub fn remove(&self, ids: &[EpisodeId]) -> IdsWrite<'a> {
        IdsWrite::new(
            self.spotify,
            Method::DELETE,
            "me/episodes",
            ids.iter().map(|i| i.id().to_owned()).collect(),
            50,
            IdsIn::QueryIds,
        )
    }

    /// `GET /me/episodes/contains`: whether each episode is saved, 50 per request (scope
    /// `user-library-read`).
    #[deprecated(
        note = "removed for Development-Mode apps in Feb 2026; use `library().contains` instead"
    )]
    pub fn contains(&self, ids: &[EpisodeId]) -> Contains<'a> {
        Contains::new(
            self.spotify,
            "me/episodes/contains".into(),
            IdsIn::QueryIds,
            ids.iter().map(|i| i.id().to_owned()).collect(),
            50,
        )
    }
}

get_builder! {
    /// Builder for `GET /episodes/{id}`.
    GetEpisode => Episode;
    /// An ISO 3166-1 country code or `from_token`.
    market: String,
}
