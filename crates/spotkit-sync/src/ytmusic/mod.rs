//! YouTube Music search through its innertube API, the way its web app (`WEB_REMIX`) searches:
//! `POST {base}/youtubei/v1/search` with the query and a filter (songs or videos). Unlike
//! `yt-dlp --flat-playlist`, which keeps only the id and title of a YouTube Music row, the rows
//! read here keep the artists, album, duration, explicit badge and whether the row is an audio
//! track or a video: what the matcher needs to decide.
//!
//! Why a small client of our own and not the `rustypipe` crate (well kept, and it parses far more
//! of YouTube): every network source `spotkit sync` uses takes a base URL, so that tests replay
//! recorded answers from `127.0.0.1`, as the Web API client does. rustypipe has no base-URL
//! setting; reaching a local server needs a proxy with a test root certificate in front of it.
//! Search is one request and one page shape, which fits in a few hundred lines
//! (ytmusicapi, the Python library spotDL uses, reads the same rows the same way).
//!
//! - [`client`]: the request (base URL, client context, visitor id from the home page);
//! - [`parse`]: the answer's JSON into [`Row`]s, tolerant of rows it does not know;
//! - [`filter`]: the songs/videos `params`, both ways.

pub mod client;
pub mod filter;
pub mod parse;

pub use client::{DEFAULT_BASE, SearchError, YtMusic};
pub use filter::Filter;
pub use parse::{Kind, PageError, Row};

use crate::score::Candidate;

impl Row {
    /// The row as a matcher candidate; the URL is the video's, which yt-dlp downloads.
    pub fn to_candidate(&self) -> Candidate {
        Candidate {
            url: format!("https://www.youtube.com/watch?v={}", self.video_id),
            title: self.title.clone(),
            artist: (!self.artists.is_empty()).then(|| self.artists.join(", ")),
            channel: self.channel.clone(),
            duration: self.duration,
            isrc: None,
            album: self.album.clone(),
            // Audio tracks come from the labels' distribution; a video row linked to an artist
            // page is on the artist's own channel.
            official: self.kind == Kind::Song || !self.artists.is_empty() && self.channel.is_none(),
            // YouTube Music badges explicit rows; no badge does not say the row is clean.
            explicit: self.explicit.then_some(true),
        }
    }
}
