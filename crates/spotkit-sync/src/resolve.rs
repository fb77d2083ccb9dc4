//! Stage 2, resolve: a source for each track.
//!
//! - YouTube Music is searched through its own search API ([`crate::ytmusic`]), whose rows keep
//!   artists, album and duration: first by the track's ISRC (songs; YouTube Music indexes
//!   ISRCs), then "Artist Artist - Title" among songs, then among videos, stopping at the first
//!   search in which the matcher accepts a row. Its base URL can be set, so tests replay
//!   recorded answers from a local server.
//! - YouTube is searched through `yt-dlp --dump-json` (no download).
//! - `catalog:<URL>` reads candidates from a JSON catalogue (a media server of one's own, or the
//!   sandbox's `/_sandbox/media/catalog.json`):
//!
//! ```json
//! {"version": 1, "items": [{"url": "http://host/a.wav", "title": "Artist - Song",
//!   "artist": "Artist", "channel": "Artist - Topic", "duration": 215.3,
//!   "isrc": "USAAA2100001", "official": true}]}
//! ```
//!
//! The candidates of a track in a catalogue are those with its ISRC, then, of the entries whose
//! title shares a word with the track's title, the [`CATALOG_RESULTS`] that share the most with
//! its title and artists, rarer words weighing more: one page of results, ranked as a search
//! engine would. [`crate::score::Matcher`] scores only those: a catalogue of 12 000 entries has
//! 6 000 titles with "the" in them, and scoring each of them for every track made the matcher
//! most of a sync's CPU time.

use std::collections::{HashMap, HashSet};

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::score::{Candidate, Decision, Matcher, normalize, title_core};
use crate::track::TrackInfo;
use crate::ytdlp::{ToolFailure, YtDlp};
use crate::ytmusic::{Filter, Row, SearchError, YtMusic};

/// Where audio is looked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// YouTube Music's search (ISRC, then songs, then videos).
    YouTubeMusic,
    /// YouTube's search (`ytsearchN:`).
    YouTube,
    /// A JSON catalogue at this URL.
    Catalog(url::Url),
}

impl std::str::FromStr for Source {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "youtube-music" | "ytmusic" => Ok(Source::YouTubeMusic),
            "youtube" | "yt" => Ok(Source::YouTube),
            other => match other.strip_prefix("catalog:") {
                Some(url) => url::Url::parse(url)
                    .map(Source::Catalog)
                    .map_err(|e| format!("catalog:{url} is not a URL: {e}")),
                None => Err(format!(
                    "unknown source {other:?}: use youtube-music, youtube or catalog:<URL>"
                )),
            },
        }
    }
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::YouTubeMusic => f.write_str("youtube-music"),
            Source::YouTube => f.write_str("youtube"),
            Source::Catalog(u) => write!(f, "catalog:{u}"),
        }
    }
}

impl Source {
    /// Whether searching this source needs yt-dlp (YouTube Music and catalogues do not).
    pub fn searches_with_ytdlp(&self) -> bool {
        matches!(self, Source::YouTube)
    }

    /// Whether downloading from this source needs yt-dlp (a catalogue's URLs are audio files,
    /// fetched in-process by [`crate::direct`]).
    pub fn downloads_with_ytdlp(&self) -> bool {
        !matches!(self, Source::Catalog(_))
    }
}

/// How many search results are scored per search.
pub const SEARCH_RESULTS: usize = 8;

#[derive(Debug, Deserialize)]
struct CatalogDoc {
    #[serde(default)]
    version: Option<u32>,
    items: Vec<Candidate>,
}

/// How many catalogue entries beside those with the track's ISRC are scored per track: the
/// right recording shares every word of the title and the artists' names, and ranks among
/// the first few with its own live versions, covers and edits.
pub const CATALOG_RESULTS: usize = 50;

/// A loaded catalogue with its lookups.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    items: Vec<Candidate>,
    by_isrc: HashMap<String, Vec<usize>>,
    /// Normalised words of an entry's title → the entries.
    by_word: HashMap<String, Vec<usize>>,
    /// Normalised words of an entry's credited artist and channel → the entries.
    by_name_word: HashMap<String, Vec<usize>>,
}

/// The distinct non-empty words of a normalised text.
fn words_of(normalized: &str) -> HashSet<&str> {
    normalized.split(' ').filter(|w| !w.is_empty()).collect()
}

/// Rarity weight of a word found in `postings` of `total` entries (inverse document frequency).
fn rarity(postings: usize, total: usize) -> f64 {
    ((total as f64 + 1.0) / (postings as f64 + 0.5)).ln()
}

impl Catalog {
    /// Builds the lookups of a list of candidates.
    pub fn new(items: Vec<Candidate>) -> Catalog {
        let mut by_isrc: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_word: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_name_word: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, c) in items.iter().enumerate() {
            if let Some(isrc) = &c.isrc {
                by_isrc
                    .entry(isrc.to_ascii_uppercase())
                    .or_default()
                    .push(i);
            }
            for w in words_of(&normalize(&c.title)) {
                by_word.entry(w.to_owned()).or_default().push(i);
            }
            let names = normalize(&format!(
                "{} {}",
                c.artist.as_deref().unwrap_or_default(),
                c.channel.as_deref().unwrap_or_default()
            ));
            for w in words_of(&names) {
                by_name_word.entry(w.to_owned()).or_default().push(i);
            }
        }
        Catalog {
            items,
            by_isrc,
            by_word,
            by_name_word,
        }
    }

    /// Downloads and parses a catalogue.
    pub async fn fetch(http: &reqwest::Client, url: &url::Url) -> Result<Catalog> {
        let fail = |reason: String| Error::Catalog {
            url: url.to_string(),
            reason,
        };
        let mut last = String::new();
        for attempt in 0..3u32 {
            if attempt > 0 {
                tokio::time::sleep(std::time::Duration::from_millis(500 << attempt)).await;
            }
            let resp = match http.get(url.clone()).send().await {
                Ok(r) => r,
                Err(e) => {
                    last = e.to_string();
                    continue;
                }
            };
            let status = resp.status();
            if status.is_server_error() || status.as_u16() == 429 {
                last = format!("HTTP {status}");
                continue;
            }
            if !status.is_success() {
                return Err(fail(format!("HTTP {status}")));
            }
            let bytes = resp.bytes().await.map_err(|e| fail(e.to_string()))?;
            let doc: CatalogDoc = serde_json::from_slice(&bytes)
                .map_err(|e| fail(format!("not a catalogue: {e}")))?;
            if doc.version.is_some_and(|v| v != 1) {
                return Err(fail(format!("version {:?} is not supported", doc.version)));
            }
            return Ok(Catalog::new(
                doc.items
                    .into_iter()
                    .filter(|c| !c.url.is_empty())
                    .collect(),
            ));
        }
        Err(fail(last))
    }

    /// The entries that may be this track: those with its ISRC, then up to
    /// [`CATALOG_RESULTS`] that share a word with its title, ranked by the rarity-weighted
    /// words they share with its title (in their title) and its artists (in their title,
    /// credited artist or channel). Ties keep the catalogue's order.
    pub fn candidates(&self, track: &TrackInfo) -> Vec<Candidate> {
        let mut picked: Vec<usize> = Vec::new();
        if let Some(isrc) = &track.isrc {
            picked.extend(
                self.by_isrc
                    .get(&isrc.to_ascii_uppercase())
                    .into_iter()
                    .flatten(),
            );
        }
        let total = self.items.len();
        let artists: Vec<String> = track.artists.iter().map(|a| normalize(a)).collect();
        let core = title_core(&track.title, &artists);
        // Entry → weight of the words it shares; only entries sharing a title word take part.
        let mut weight: HashMap<usize, f64> = HashMap::new();
        for w in words_of(&core) {
            let postings = self.by_word.get(w).map_or(&[][..], Vec::as_slice);
            let r = rarity(postings.len(), total);
            for i in postings {
                *weight.entry(*i).or_default() += r;
            }
        }
        let name_words: HashSet<&str> = artists.iter().flat_map(|a| words_of(a)).collect();
        for w in name_words {
            // A name word counts once per entry, whether in its title or its credits.
            let in_title = self.by_word.get(w).map_or(&[][..], Vec::as_slice);
            let in_names = self.by_name_word.get(w).map_or(&[][..], Vec::as_slice);
            let r = rarity(in_title.len().max(in_names.len()), total);
            let mut credited: HashSet<usize> = HashSet::new();
            for i in in_title.iter().chain(in_names) {
                if credited.insert(*i)
                    && let Some(v) = weight.get_mut(i)
                {
                    *v += r;
                }
            }
        }
        let mut ranked: Vec<(usize, f64)> = weight.into_iter().collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut seen: HashSet<usize> = picked.iter().copied().collect();
        picked.extend(
            ranked
                .into_iter()
                .map(|(i, _)| i)
                .filter(|i| seen.insert(*i))
                .take(CATALOG_RESULTS),
        );
        picked.into_iter().map(|i| self.items[i].clone()).collect()
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// `true` without entries.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

/// Resolves tracks against one source.
#[derive(Debug, Clone)]
pub struct Resolver {
    source: Source,
    catalog: Option<std::sync::Arc<Catalog>>,
    ytdlp: Option<YtDlp>,
    ytmusic: Option<YtMusic>,
    matcher: Matcher,
}

/// A resolution that failed (not "no match": the source could not be asked).
#[derive(Debug, Clone)]
pub struct ResolveFailure {
    /// What went wrong.
    pub message: String,
    /// A retry may help.
    pub transient: bool,
}

impl From<ToolFailure> for ResolveFailure {
    fn from(f: ToolFailure) -> Self {
        ResolveFailure {
            message: format!("searching failed: {}", f.message),
            transient: f.transient,
        }
    }
}

impl From<SearchError> for ResolveFailure {
    fn from(e: SearchError) -> Self {
        ResolveFailure {
            transient: e.is_transient(),
            message: e.to_string(),
        }
    }
}

impl Resolver {
    /// A resolver for `source`: a catalogue is fetched now; YouTube searches need `ytdlp`;
    /// YouTube Music is searched at `ytmusic_base` (default [`crate::ytmusic::DEFAULT_BASE`]).
    pub async fn new(
        source: Source,
        http: &reqwest::Client,
        ytdlp: Option<YtDlp>,
        matcher: Matcher,
        ytmusic_base: Option<url::Url>,
    ) -> Result<Resolver> {
        let catalog = match &source {
            Source::Catalog(url) => Some(std::sync::Arc::new(Catalog::fetch(http, url).await?)),
            _ => None,
        };
        let ytmusic = match &source {
            Source::YouTubeMusic => {
                let base = match ytmusic_base {
                    Some(b) => b,
                    None => url::Url::parse(crate::ytmusic::DEFAULT_BASE)
                        .map_err(|e| Error::Config(format!("the YouTube Music URL: {e}")))?,
                };
                Some(YtMusic::new(http.clone(), base))
            }
            _ => None,
        };
        if source.searches_with_ytdlp() && ytdlp.is_none() {
            return Err(Error::Config(format!(
                "the {source} source searches through yt-dlp, which was not given"
            )));
        }
        Ok(Resolver {
            source,
            catalog,
            ytdlp,
            ytmusic,
            matcher,
        })
    }

    /// The search a track is looked up with: "Artist Artist - Title" (as a `ytsearch8:` for
    /// yt-dlp's YouTube search).
    pub fn query(&self, track: &TrackInfo) -> String {
        let q = format!("{} - {}", track.artists.join(" "), track.title);
        match self.source {
            Source::YouTube => format!("ytsearch{SEARCH_RESULTS}:{q}"),
            Source::YouTubeMusic | Source::Catalog(_) => q,
        }
    }

    /// Looks up the candidates of a track and decides.
    pub async fn resolve(&self, track: &TrackInfo) -> Result<Decision, ResolveFailure> {
        if let Some(ytmusic) = &self.ytmusic {
            return self.resolve_ytmusic(ytmusic, track).await;
        }
        let candidates = match (&self.catalog, &self.ytdlp) {
            (Some(catalog), _) => catalog.candidates(track),
            (None, Some(ytdlp)) => ytdlp.search(&self.query(track), SEARCH_RESULTS).await?,
            (None, None) => Vec::new(),
        };
        Ok(self.matcher.decide(track, &candidates))
    }

    /// The searches YouTube Music is asked, in order: the ISRC among songs (when the track has
    /// one), the text among songs, the text among videos.
    pub fn ytmusic_searches(&self, track: &TrackInfo) -> Vec<(String, Filter)> {
        let mut searches = Vec::with_capacity(3);
        if let Some(isrc) = track
            .isrc
            .as_deref()
            .map(str::trim)
            .filter(|i| !i.is_empty())
        {
            searches.push((isrc.to_ascii_uppercase(), Filter::Songs));
        }
        let text = self.query(track);
        searches.push((text.clone(), Filter::Songs));
        searches.push((text, Filter::Videos));
        searches
    }

    /// Each search in turn until the matcher accepts one of its first [`SEARCH_RESULTS`] rows;
    /// unmatched, the best of every row seen are reported. Rows of an ISRC search carry no ISRC
    /// of their own: they are scored like any other, only found sooner.
    async fn resolve_ytmusic(
        &self,
        ytmusic: &YtMusic,
        track: &TrackInfo,
    ) -> Result<Decision, ResolveFailure> {
        let mut seen: Vec<Candidate> = Vec::new();
        for (query, filter) in self.ytmusic_searches(track) {
            let rows = ytmusic.search(&query, filter).await?;
            let candidates: Vec<Candidate> = rows
                .iter()
                .take(SEARCH_RESULTS)
                .map(Row::to_candidate)
                .collect();
            let decision = self.matcher.decide(track, &candidates);
            if matches!(decision, Decision::Matched(_)) {
                return Ok(decision);
            }
            for c in candidates {
                if !seen.iter().any(|s| s.url == c.url) {
                    seen.push(c);
                }
            }
        }
        Ok(self.matcher.decide(track, &seen))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn track(title: &str, artist: &str, isrc: Option<&str>) -> TrackInfo {
        TrackInfo {
            id: "t".into(),
            uri: "spotify:track:t".into(),
            title: title.into(),
            artists: vec![artist.into()],
            album: "Harbour Songs".into(),
            album_artists: Vec::new(),
            album_id: None,
            track_number: None,
            disc_number: None,
            release_date: None,
            isrc: isrc.map(str::to_owned),
            duration_ms: 201_000,
            cover_url: None,
            explicit: None,
        }
    }

    fn entry(n: usize, title: &str, artist: &str) -> Candidate {
        Candidate {
            url: format!("http://127.0.0.1/{n}.wav"),
            title: title.into(),
            artist: Some(artist.into()),
            channel: Some(format!("{artist} - Topic")),
            duration: Some(201.0),
            ..Candidate::default()
        }
    }

    /// A designed catalogue shaped like the sandbox's (12 008 entries, "the" in half of the
    /// titles): 6 000 titles with "the", 400 other artists' songs called "The Lighthouse", and
    /// the right recording last.
    fn crowded() -> Catalog {
        let mut items: Vec<Candidate> = (0..6000)
            .map(|n| entry(n, &format!("The Song Number {n}"), &format!("Band {n}")))
            .collect();
        items.extend((0..400).map(|n| entry(6000 + n, "The Lighthouse", &format!("Singer {n}"))));
        items.push(entry(6400, "The Lighthouse (Live)", "Mira Vale"));
        items.push(entry(6401, "The Lighthouse", "Mira Vale"));
        Catalog::new(items)
    }

    #[test]
    fn a_common_word_does_not_make_every_entry_a_candidate() {
        let catalog = crowded();
        let t = track("The Lighthouse", "Mira Vale", None);
        let found = catalog.candidates(&t);
        assert!(
            found.len() <= CATALOG_RESULTS,
            "{} candidates scored for one track",
            found.len()
        );
        // The artist's own recordings rank first however many songs share the title.
        let first: Vec<&str> = found[..2].iter().map(|c| c.url.as_str()).collect();
        assert_eq!(
            first,
            ["http://127.0.0.1/6400.wav", "http://127.0.0.1/6401.wav"]
        );
        let matched = match Matcher::default().decide(&t, &found) {
            Decision::Matched(s) => s.candidate.url,
            Decision::Unmatched { best } => panic!("unmatched: {best:?}"),
        };
        assert_eq!(matched, "http://127.0.0.1/6401.wav");
    }

    #[test]
    fn entries_with_the_isrc_come_first_and_are_never_cut() {
        let mut items: Vec<Candidate> = (0..200)
            .map(|n| entry(n, "The Lighthouse", "Mira Vale"))
            .collect();
        let mut other = entry(200, "Lighthouse Keeper", "Someone Else");
        other.isrc = Some("usaaa2100001".into());
        items.push(other);
        let catalog = Catalog::new(items);
        let found = catalog.candidates(&track("The Lighthouse", "Mira Vale", Some("USAAA2100001")));
        assert_eq!(found[0].url, "http://127.0.0.1/200.wav");
        assert_eq!(found.len(), CATALOG_RESULTS + 1);
    }

    #[test]
    fn a_title_of_noise_only_has_no_text_candidates() {
        let catalog = crowded();
        assert!(catalog.candidates(&track("", "Mira Vale", None)).is_empty());
    }
}
