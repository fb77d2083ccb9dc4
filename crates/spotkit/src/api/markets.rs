//! `Markets`: the countries Spotify is available in.

use super::get_builder;
use crate::Spotify;
use crate::model::Markets;

/// `spotify.markets()`.
#[derive(Debug, Clone, Copy)]
pub struct MarketsHandler<'a> {
    spotify: &'a Spotify,
}

impl<'a> MarketsHandler<'a> {
    pub(crate) fn new(spotify: &'a Spotify) -> Self {
        MarketsHandler { spotify }
    }

    /// `GET /markets`: the ISO 3166-1 codes of the markets Spotify is available in.
    #[deprecated(
        note = "removed for Development-Mode apps in Feb 2026; use `users().me` (its country) instead"
    )]
    pub fn list(&self) -> ListMarkets<'a> {
        ListMarkets::new(self.spotify, "markets".into())
    }
}

get_builder! {
    /// Builder for `GET /markets`.
    ListMarkets => Markets;
}
