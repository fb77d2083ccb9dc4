//! The LRCLIB client (API shape: <https://lrclib.net/docs>).
//!
//! A track is looked up by its signature first (`GET /api/get?track_name&artist_name&album_name&duration`,
//! which LRCLIB answers only when the duration is within ±2 s of its record), then, when that finds
//! nothing (404), by `GET /api/search?track_name&artist_name`, taking a result within
//! [`MAX_DURATION_DIFF`] of the track ([`choose`]). Every request carries [`USER_AGENT`], as LRCLIB
//! asks of applications.

use std::time::Duration;

use reqwest::StatusCode;
use serde::Deserialize;

/// Where LRCLIB is, unless `--lyrics-base-url` / `SPOTKIT_LRCLIB_BASE` says otherwise.
pub const DEFAULT_BASE: &str = "https://lrclib.net";

/// Names the application, its version and its home page, as LRCLIB's documentation asks.
pub const USER_AGENT: &str = concat!(
    "spotkit/",
    env!("CARGO_PKG_VERSION"),
    " (",
    env!("CARGO_PKG_REPOSITORY"),
    ")"
);

/// Largest difference, in seconds, between a search result's duration and the track's.
pub const MAX_DURATION_DIFF: f64 = 2.0;

/// One LRCLIB lyrics record (the fields spotkit reads).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Record {
    /// LRCLIB's id.
    pub id: u64,
    /// Title.
    #[serde(default)]
    pub track_name: String,
    /// Artist.
    #[serde(default)]
    pub artist_name: String,
    /// Album.
    #[serde(default)]
    pub album_name: Option<String>,
    /// Duration in seconds.
    #[serde(default)]
    pub duration: Option<f64>,
    /// An instrumental: no lyrics on purpose.
    #[serde(default)]
    pub instrumental: bool,
    /// Lyrics without timestamps.
    #[serde(default)]
    pub plain_lyrics: Option<String>,
    /// Lyrics as LRC text.
    #[serde(default)]
    pub synced_lyrics: Option<String>,
}

/// What a track is looked up by.
#[derive(Debug, Clone, PartialEq)]
pub struct Query<'a> {
    /// Title.
    pub title: &'a str,
    /// The main artist.
    pub artist: &'a str,
    /// Album.
    pub album: &'a str,
    /// Duration in seconds.
    pub duration_secs: f64,
}

/// Why a look-up failed (a 404 is no failure: it means LRCLIB has no lyrics).
#[derive(Debug, thiserror::Error)]
pub enum LyricsError {
    /// No answer.
    #[error(
        "LRCLIB could not be reached at {url} ({source}); check the network or --lyrics-base-url, or pass --no-lyrics"
    )]
    Network {
        /// The request.
        url: String,
        /// What reqwest said.
        source: reqwest::Error,
    },
    /// An error status other than 404.
    #[error("LRCLIB answered {status} to {url}; try again later, or pass --no-lyrics")]
    Status {
        /// The request.
        url: String,
        /// The status.
        status: u16,
    },
    /// A body that is not the JSON LRCLIB documents.
    #[error(
        "LRCLIB's answer to {url} is not the JSON it documents ({reason}); is --lyrics-base-url an LRCLIB server?"
    )]
    Body {
        /// The request.
        url: String,
        /// The decoding error.
        reason: String,
    },
}

impl LyricsError {
    /// A failure that trying again may fix (no answer, 429, 5xx).
    pub fn transient(&self) -> bool {
        match self {
            LyricsError::Network { .. } => true,
            LyricsError::Status { status, .. } => *status == 429 || *status >= 500,
            LyricsError::Body { .. } => false,
        }
    }
}

/// An LRCLIB server.
#[derive(Debug, Clone)]
pub struct Lrclib {
    http: reqwest::Client,
    base: String,
}

impl Lrclib {
    /// A client of the server at `base` (e.g. [`DEFAULT_BASE`]) using `http`, which should come
    /// from `spotkit::http::client_builder()`.
    pub fn new(http: reqwest::Client, base: &url::Url) -> Lrclib {
        Lrclib {
            http,
            base: base.as_str().trim_end_matches('/').to_owned(),
        }
    }

    /// The record for the track: by its signature, else the best search result; `None` when
    /// LRCLIB has none.
    pub async fn find(&self, q: &Query<'_>) -> Result<Option<Record>, LyricsError> {
        let duration = q.duration_secs.round().to_string();
        let exact: Option<Record> = self
            .get_json(
                "/api/get",
                &[
                    ("artist_name", q.artist),
                    ("track_name", q.title),
                    ("album_name", q.album),
                    ("duration", &duration),
                ],
            )
            .await?;
        if exact.is_some() {
            return Ok(exact);
        }
        let results: Vec<Record> = self
            .get_json(
                "/api/search",
                &[("track_name", q.title), ("artist_name", q.artist)],
            )
            .await?
            .unwrap_or_default();
        Ok(choose(&results, q.duration_secs).cloned())
    }

    async fn get_json<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, &str)],
    ) -> Result<Option<T>, LyricsError> {
        let url = format!("{}{path}", self.base);
        let shown = || {
            let mut u = url.clone();
            for (i, (k, v)) in query.iter().enumerate() {
                u.push(if i == 0 { '?' } else { '&' });
                u.push_str(k);
                u.push('=');
                u.push_str(v);
            }
            u
        };
        let resp = self
            .http
            .get(&url)
            .query(query)
            .header(reqwest::header::USER_AGENT, USER_AGENT)
            // LRCLIB's /api/get may ask other sources first: slow, but bounded.
            .timeout(Duration::from_secs(30))
            .send()
            .await
            .map_err(|source| LyricsError::Network {
                url: shown(),
                source,
            })?;
        match resp.status() {
            StatusCode::NOT_FOUND => return Ok(None),
            s if !s.is_success() => {
                return Err(LyricsError::Status {
                    url: shown(),
                    status: s.as_u16(),
                });
            }
            _ => {}
        }
        let bytes = resp.bytes().await.map_err(|source| LyricsError::Network {
            url: shown(),
            source,
        })?;
        serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| LyricsError::Body {
                url: shown(),
                reason: e.to_string(),
            })
    }
}

/// The search result to use for a track of `duration_secs`: among those within
/// [`MAX_DURATION_DIFF`], synced lyrics before plain ones before none, then the closest duration,
/// then LRCLIB's order.
pub fn choose(results: &[Record], duration_secs: f64) -> Option<&Record> {
    let rank = |r: &Record| {
        let has = |s: &Option<String>| s.as_deref().is_some_and(|s| !s.trim().is_empty());
        if has(&r.synced_lyrics) {
            0
        } else if has(&r.plain_lyrics) {
            1
        } else {
            2
        }
    };
    results
        .iter()
        .filter_map(|r| {
            let diff = (r.duration? - duration_secs).abs();
            (diff <= MAX_DURATION_DIFF).then_some((rank(r), diff, r))
        })
        .min_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)))
        .map(|(_, _, r)| r)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(id: u64, duration: f64, synced: bool, plain: bool) -> Record {
        Record {
            id,
            track_name: "Song".into(),
            artist_name: "Artist".into(),
            album_name: None,
            duration: Some(duration),
            instrumental: !synced && !plain,
            plain_lyrics: plain.then(|| "words".into()),
            synced_lyrics: synced.then(|| "[00:01.00] words".into()),
        }
    }

    #[test]
    fn choose_keeps_to_two_seconds_and_prefers_synced_then_closest() {
        let results = [
            rec(1, 180.0, true, true),  // 20 s off: another cut
            rec(2, 201.5, false, true), // plain only
            rec(3, 198.5, true, true),  // synced, 1.5 s off
            rec(4, 199.5, true, true),  // synced, 0.5 s off: the one
            rec(5, 200.0, false, false),
        ];
        assert_eq!(choose(&results, 200.0).map(|r| r.id), Some(4));
        assert_eq!(choose(&results[..3], 200.0).map(|r| r.id), Some(3));
        assert_eq!(choose(&results[..2], 200.0).map(|r| r.id), Some(2));
        assert_eq!(choose(&results[..1], 200.0), None);
        assert_eq!(choose(&[], 200.0), None);
        // Exactly 2 s apart is still the same recording.
        assert_eq!(
            choose(&[rec(6, 202.0, true, true)], 200.0).map(|r| r.id),
            Some(6)
        );
    }

    #[test]
    fn records_decode_from_lrclibs_documented_shape() {
        let r: Record = serde_json::from_str(
            r#"{"id":77,"trackName":"Paper Lanterns","artistName":"The Quiet Hours",
                "albumName":"Low Tide","duration":233,
                "instrumental":false,"plainLyrics":"Light the way","syncedLyrics":"[00:17.12] Light the way"}"#,
        )
        .unwrap();
        assert_eq!(r.duration, Some(233.0));
        assert_eq!(r.synced_lyrics.as_deref(), Some("[00:17.12] Light the way"));
        let none: Record = serde_json::from_str(
            r#"{"id":1,"trackName":"x","artistName":"y","albumName":"z","duration":10.5,
                "instrumental":true,"plainLyrics":null,"syncedLyrics":null}"#,
        )
        .unwrap();
        assert!(none.instrumental && none.synced_lyrics.is_none());
    }
}
