//! `Audiobooks`: one audiobook, several at once, an audiobook's chapters, and saving, removing
//! and checking the user's saved audiobooks.

use reqwest::Method;

use super::request::{Contains, IdsIn, IdsWrite, Several};
use super::{get_builder, paged_builder, segment};
use crate::Spotify;
use crate::model::{Audiobook, AudiobookId, SavedAudiobook, SimplifiedChapter};

/// `spotify.audiobooks()`.
#[derive(Debug, Clone, Copy)]
pub struct AudiobooksHandler<'a> {
    spotify: &'a Spotify,
}

impl<'a> AudiobooksHandler<'a> {
    pub(crate) fn new(spotify: &'a Spotify) -> Self {
        AudiobooksHandler { spotify }
    }

    /// `GET /me/audiobooks`: the user's saved audiobooks (scope `user-library-read`).
    pub fn saved(&self) -> SavedAudiobooks<'a> {
        SavedAudiobooks::new(self.spotify, "me/audiobooks".into())
    }
}

paged_builder! {
    /// Builder for `GET /me/audiobooks`.
    SavedAudiobooks => SavedAudiobook;
}

impl<'a> AudiobooksHandler<'a> {
    /// `GET /audiobooks/{id}`: one audiobook.
    pub fn get(&self, id: &AudiobookId) -> GetAudiobook<'a> {
        GetAudiobook::new(self.spotify, format!("audiobooks/{}", segment(id.id())))
    }

    /// `GET /audiobooks?ids=...`: several audiobooks, 50 ids per request, in the order asked.
    #[deprecated(
        note = "removed for Development-Mode apps in Feb 2026; use `audiobooks().get` per id instead"
    )]
    pub fn several(&self, ids: &[AudiobookId]) -> Several<'a, Audiobook> {
        Several::new(
            self.spotify,
            "audiobooks",
            ids.iter().map(|i| i.id().to_owned()).collect(),
            50,
        )
    }

    /// `GET /audiobooks/{id}/chapters`: every chapter of a audiobook.
    pub fn chapters(&self, id: &AudiobookId) -> AudiobookChapters<'a> {
        AudiobookChapters::new(
            self.spotify,
            format!("audiobooks/{}/chapters", segment(id.id())),
        )
    }

    /// `PUT /me/audiobooks`: saves audiobooks to the library, 50 per request (scope `user-library-modify`).
    #[deprecated(
        note = "removed for Development-Mode apps in Feb 2026; use `library().save` instead"
    )]
    pub fn save(&self, ids: &[AudiobookId]) -> IdsWrite<'a> {
        IdsWrite::new(
            self.spotify,
            Method::PUT,
            "me/audiobooks",
            ids.iter().map(|i| i.id().to_owned()).collect(),
            50,
            IdsIn::QueryIds,
        )
    }

    /// `DELETE /me/audiobooks`: removes audiobooks from the library, 50 per request (scope
    /// `user-library-modify`).
    #[deprecated(
        note = "removed for Development-Mode apps in Feb 2026; use `library().remove` instead"
    )]
    pub fn remove(&self, ids: &[AudiobookId]) -> IdsWrite<'a> {
        IdsWrite::new(
            self.spotify,
            Method::DELETE,
            "me/audiobooks",
            ids.iter().map(|i| i.id().to_owned()).collect(),
            50,
            IdsIn::QueryIds,
        )
    }

    /// `GET /me/audiobooks/contains`: whether each audiobook is saved, 50 per request (scope
    /// `user-library-read`).
    #[deprecated(
        note = "removed for Development-Mode apps in Feb 2026; use `library().contains` instead"
    )]
    pub fn contains(&self, ids: &[AudiobookId]) -> Contains<'a> {
        Contains::new(
            self.spotify,
            "me/audiobooks/contains".into(),
            IdsIn::QueryIds,
            ids.iter().map(|i| i.id().to_owned()).collect(),
            50,
        )
    }
}

get_builder! {
    /// Builder for `GET /audiobooks/{id}`.
    GetAudiobook => Audiobook;
    /// An ISO 3166-1 country code or `from_token`.
    market: String,
}

paged_builder! {
    /// Builder for `GET /audiobooks/{id}/chapters`.
    AudiobookChapters => SimplifiedChapter;
    /// An ISO 3166-1 country code or `from_token`.
    market: String,
}
