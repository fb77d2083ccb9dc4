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
}

impl Options {
    /// Defaults: Opus, 4 jobs, YouTube Music, `{artist} - {title}`, 3 retries.
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
        }
    }
}
