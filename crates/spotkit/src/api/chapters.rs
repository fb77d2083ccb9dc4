//! `Chapters`: one or several audiobook chapters.

use super::request::Several;
use super::{get_builder, segment};
use crate::Spotify;
use crate::model::{Chapter, ChapterId};

/// `spotify.chapters()`.
#[derive(Debug, Clone, Copy)]
pub struct ChaptersHandler<'a> {
    spotify: &'a Spotify,
}

impl<'a> ChaptersHandler<'a> {
    pub(crate) fn new(spotify: &'a Spotify) -> Self {
        ChaptersHandler { spotify }
    }

    /// `GET /chapters/{id}`: one chapter.
    pub fn get(&self, id: &ChapterId) -> GetChapter<'a> {
        GetChapter::new(self.spotify, format!("chapters/{}", segment(id.id())))
    }

    /// `GET /chapters?ids=...`: several chapters, 50 ids per request, in the order asked.
    #[deprecated(
        note = "removed for Development-Mode apps in Feb 2026; use `chapters().get` per id instead"
    )]
    pub fn several(&self, ids: &[ChapterId]) -> Several<'a, Chapter> {
        Several::new(
            self.spotify,
            "chapters",
            ids.iter().map(|i| i.id().to_owned()).collect(),
            50,
        )
    }
}

get_builder! {
    /// Builder for `GET /chapters/{id}`.
    GetChapter => Chapter;
    /// An ISO 3166-1 country code or `from_token`.
    market: String,
}
