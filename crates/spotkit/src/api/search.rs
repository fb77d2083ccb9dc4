//! `Search`: search the catalog.

use serde::Serialize;

use super::{CommaSeparated, url_with_query};
use crate::Spotify;
use crate::error::{Error, Result};
use crate::model::SearchResults;

/// What to search for (`type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum SearchType {
    /// `album`
    Album,
    /// `artist`
    Artist,
    /// `playlist`
    Playlist,
    /// `track`
    Track,
    /// `show`
    Show,
    /// `episode`
    Episode,
    /// `audiobook`
    Audiobook,
}

/// `include_external`: the only value Spotify defines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
enum IncludeExternal {
    Audio,
}

/// The most results Spotify serves per type of a search: "Maximum offset (including limit): 1,000";
/// a page reaching past it is refused with 400 (404 in older reports).
pub const MAX_RESULTS: u32 = 1000;

/// `spotify.search()`.
#[derive(Debug, Clone, Copy)]
pub struct SearchHandler<'a> {
    spotify: &'a Spotify,
}

impl<'a> SearchHandler<'a> {
    pub(crate) fn new(spotify: &'a Spotify) -> Self {
        SearchHandler { spotify }
    }

    /// `GET /search`: one page of results per requested type. Development-Mode apps may ask
    /// for at most 10 results per type (default 5).
    pub fn query(&self, q: impl Into<String>, types: &[SearchType]) -> Search<'a> {
        Search {
            spotify: self.spotify,
            q: q.into(),
            kind: CommaSeparated(types.to_vec()),
            market: None,
            limit: None,
            offset: None,
            include_external: None,
        }
    }
}

/// Builder for `GET /search`.
#[derive(Debug, Serialize)]
#[must_use = "a builder does nothing until `.send()` or `.await`"]
pub struct Search<'a> {
    #[serde(skip)]
    spotify: &'a Spotify,
    q: String,
    #[serde(rename = "type")]
    kind: CommaSeparated<SearchType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    market: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    limit: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    offset: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    include_external: Option<IncludeExternal>,
}

impl Search<'_> {
    /// An ISO 3166-1 country code or `from_token`.
    pub fn market(mut self, market: impl Into<String>) -> Self {
        self.market = Some(market.into());
        self
    }

    /// Results per type (Development Mode: 1..=10, default 5; Extended Quota: up to 50).
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Index of the first result per type. Spotify serves only the first [`MAX_RESULTS`]
    /// results: a page that would reach past them is cut to end there, and an offset at or past
    /// the cap is an [`Error::InvalidInput`] instead of Spotify's 400.
    pub fn offset(mut self, offset: u32) -> Self {
        self.offset = Some(offset);
        self
    }

    /// Include externally hosted audio content in the results.
    pub fn include_external_audio(mut self) -> Self {
        self.include_external = Some(IncludeExternal::Audio);
        self
    }

    /// Keeps the request within Spotify's cap of [`MAX_RESULTS`] results per type.
    fn within_cap(mut self) -> Result<Self> {
        let Some(offset) = self.offset else {
            return Ok(self);
        };
        if offset >= MAX_RESULTS {
            return Err(Error::InvalidInput(format!(
                "Spotify serves only the first {MAX_RESULTS} results of a search, so there is no \
                 page at offset {offset}; narrow the query (e.g. `artist:` or `year:` filters) \
                 instead of paging further"
            )));
        }
        // Without a limit Spotify's default is at least 5; past the cap it would refuse the page.
        let limit = self.limit.unwrap_or(5);
        if offset + limit > MAX_RESULTS {
            self.limit = Some(MAX_RESULTS - offset);
        }
        Ok(self)
    }

    /// Runs the search.
    pub async fn send(self) -> Result<SearchResults> {
        let search = self.within_cap()?;
        let url = url_with_query(search.spotify, "search", &search)?;
        search.spotify.transport().get_json(url).await
    }
}

super::into_future!(Search => SearchResults);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_stop_at_spotifys_cap_of_1000_results() {
        let spotify = Spotify::builder()
            .api_base_url("http://127.0.0.1:1/v1")
            .build()
            .unwrap();
        let q = || spotify.search().query("a", &[SearchType::Track]);
        let cut = q().offset(995).limit(10).within_cap().unwrap();
        assert_eq!(cut.limit, Some(5));
        let cut = q().offset(998).within_cap().unwrap();
        assert_eq!(cut.limit, Some(2));
        let kept = q().offset(990).limit(10).within_cap().unwrap();
        assert_eq!(kept.limit, Some(10));
        assert!(matches!(
            q().offset(1000).limit(1).within_cap(),
            Err(Error::InvalidInput(_))
        ));
    }

    #[test]
    fn search_types_and_include_external_are_serialized_by_serde() {
        let spotify = Spotify::builder()
            .api_base_url("http://127.0.0.1:1/v1")
            .build()
            .unwrap();
        let search = spotify
            .search()
            .query(
                "abba",
                &[
                    SearchType::Album,
                    SearchType::Artist,
                    SearchType::Playlist,
                    SearchType::Track,
                    SearchType::Show,
                    SearchType::Episode,
                    SearchType::Audiobook,
                ],
            )
            .include_external_audio();
        assert_eq!(
            serde_urlencoded::to_string(&search).unwrap(),
            "q=abba&type=album%2Cartist%2Cplaylist%2Ctrack%2Cshow%2Cepisode%2Caudiobook\
             &include_external=audio"
        );
    }
}
