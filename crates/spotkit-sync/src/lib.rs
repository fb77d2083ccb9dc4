//! # spotkit-sync
//!
//! Spotify playlists and liked songs as tagged local audio files, organised like the library
//! (what spotDL does): the engine behind `spotkit sync`.
//!
//! The pipeline, one module per stage, streaming with bounded concurrency (`--jobs`):
//!
//! 1. [`fetch`]: the tracks through the spotkit client; local files and episodes are skipped;
//! 2. [`resolve`]: a source per track, searched on YouTube Music through its search API
//!    ([`ytmusic`]), on YouTube with `yt-dlp --dump-json`, or read from a JSON catalogue
//!    (`catalog:<URL>`), chosen by [`score::Matcher`];
//! 3. download into a `.part` name inside the target, with [`ytdlp`] from YouTube and in-process
//!    ([`direct`]) from a catalogue, whose URLs are the audio files; convert with [`ffmpeg`],
//! 4. [`tag`] with lofty (cover art cached per album, lyrics from LRCLIB through [`lyrics`],
//!    looked up while the download runs), then rename into place, with an `.lrc` file beside
//!    it when the lyrics are synced;
//! 5. [`index`]: the manifest (`spotkit-sync.json`) and one M3U8 per playlist, written atomically.
//!
//! Re-runs are incremental (a file present and matching the manifest is kept), `--delete`
//! removes files no synced playlist keeps, and a run killed at any point leaves no half file
//! under a final name: the next run ends with the same directory as an uninterrupted one.
//! Failures of single tracks never stop the run; they are retried where transient and listed in
//! `sync-errors.json`.
//!
//! ```no_run
//! # async fn demo(spotify: spotkit::Spotify) -> Result<(), spotkit_sync::Error> {
//! use spotkit_sync::{Options, Selection, sync};
//!
//! let options = Options::new("Music/spotkit".into());
//! let summary = sync(&spotify, &Selection::Liked, &options, &|event| println!("{event:?}")).await?;
//! println!("{} downloaded, {} failed", summary.downloaded, summary.failed.len());
//! # Ok(()) }
//! ```
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]
#![warn(missing_docs)]

mod dir_lock;
pub mod direct;
mod dry_run;
mod error;
pub mod fetch;
pub mod ffmpeg;
mod files;
pub mod index;
pub mod lyrics;
pub mod names;
mod options;
mod outputs;
mod plan;
mod report;
pub mod resolve;
mod run;
pub mod run_lock;
pub mod score;
pub mod tag;
pub mod track;
mod worker;
pub mod ytdlp;
mod ytdlp_resident;
pub mod ytmusic;

pub use error::{Error, Result};
pub use fetch::Selection;
pub use ffmpeg::Format;
pub use options::Options;
pub use report::{
    Action, CandidateReport, Clash, Event, Failure, Note, PlanItem, PlaylistReport, Stage, Summary,
};
pub use resolve::Source;
pub use run::sync;
