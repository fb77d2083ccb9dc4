//! [`Options`]: the settings of one sync.

use std::path::PathBuf;

use crate::ffmpeg::Format;
use crate::names;
use crate::resolve::Source;
use crate::score::Matcher;

/// Settings of one sync.
#[derive(Debug, Clone)]
pub struct Options {
    /// Target directory.
    pub dir: PathBuf,
    /// Audio format.
    pub format: Format,
    /// Tracks processed at once.
    pub jobs: usize,
    /// Where audio is looked for.
    pub source: Source,
    /// Where YouTube Music is searched (default `https://music.youtube.com`).
    pub ytmusic_base: Option<url::Url>,
    /// File name template (see [`crate::names`]).
    pub template: String,
    /// Remove files no synced playlist keeps any more.
    pub delete: bool,
    /// Plan (and resolve) only; the directory is not touched.
    pub dry_run: bool,
    /// yt-dlp executable (default: `yt-dlp` on `PATH`).
    pub ytdlp: Option<PathBuf>,
    /// ffmpeg executable (default: `ffmpeg` on `PATH`).
    pub ffmpeg: Option<PathBuf>,
    /// Attempts after the first for transient failures.
    pub retries: u32,
    /// The matcher.
    pub matcher: Matcher,
    /// Look lyrics up on LRCLIB, embed them and write `.lrc` files beside synced ones.
    pub lyrics: bool,
    /// Where LRCLIB is (default [`crate::lyrics::lrclib::DEFAULT_BASE`]).
    pub lrclib_base: Option<url::Url>,
    /// Encoder bitrate in kbit/s instead of the format's default (not for FLAC).
    pub bitrate: Option<u32>,
    /// A Netscape-format cookies file handed to yt-dlp (`--cookies`).
    pub cookies: Option<PathBuf>,
    /// Cut the non-music parts SponsorBlock knows of out of YouTube downloads (through yt-dlp).
    pub sponsorblock: bool,
    /// Where SponsorBlock's API is (default [`crate::ytdlp::SPONSORBLOCK_DEFAULT_BASE`]).
    pub sponsorblock_base: Option<url::Url>,
}

impl Options {
    /// Defaults: Opus, 4 jobs, YouTube Music, `{artist} - {title}`, 3 retries, lyrics from
    /// LRCLIB, no SponsorBlock.
    pub fn new(dir: PathBuf) -> Options {
        Options {
            dir,
            format: Format::Opus,
            jobs: 4,
            source: Source::YouTubeMusic,
            ytmusic_base: None,
            template: names::DEFAULT_TEMPLATE.to_owned(),
            delete: false,
            dry_run: false,
            ytdlp: None,
            ffmpeg: None,
            retries: 3,
            matcher: Matcher::default(),
            lyrics: true,
            lrclib_base: None,
            bitrate: None,
            cookies: None,
            sponsorblock: false,
            sponsorblock_base: None,
        }
    }
}
