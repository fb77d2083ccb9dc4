//! The command line of `spotkit import`: flags, sources and the parts of a data export.

use std::path::PathBuf;

use crate::matching::DEFAULT_THRESHOLD;

/// Flags of `spotkit import`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  spotkit import exportify road_trip.csv --dry-run
  spotkit import exportify exportify-backup/            # every CSV in the folder
  spotkit import exportify spotify_playlists.zip --report report.csv
  spotkit import gdpr my_spotify_data.zip
  spotkit import gdpr MyData/ --only playlists

Re-running the same command after a failure continues where it stopped and adds nothing twice.")]
pub struct ImportArgs {
    #[command(subcommand)]
    pub source: Source,
    /// Show what would be created and which rows match, without changing anything on Spotify.
    #[arg(long, global = true)]
    pub dry_run: bool,
    /// Where to write the report (one CSV line per row with its outcome).
    #[arg(long, global = true)]
    pub report: Option<PathBuf>,
    /// Confidence (0–1) a search match needs to be accepted.
    #[arg(long, global = true, default_value_t = DEFAULT_THRESHOLD, value_parser = confidence)]
    pub min_confidence: f64,
    /// Add every track to this existing playlist (id, URI, link or name) instead of creating playlists.
    #[arg(long, global = true)]
    pub into: Option<String>,
    /// Create the playlists as public (default: private).
    #[arg(long, global = true)]
    pub public: bool,
}

/// Parses `--min-confidence`: a number from 0 to 1.
pub(crate) fn confidence(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if (0.0..=1.0).contains(&v) => Ok(v),
        _ => Err(format!(
            "`{s}` is not a confidence between 0 and 1 (e.g. 0.8)"
        )),
    }
}

/// What to import.
#[derive(Debug, Clone, clap::Subcommand)]
pub enum Source {
    /// Exportify CSV: one file (one playlist), a folder of them, or Exportify's "Export All" zip.
    Exportify {
        /// The CSV file, folder or zip.
        path: PathBuf,
        /// Name of the playlist to create (one file only; default: from the file name).
        #[arg(long)]
        name: Option<String>,
    },
    /// Spotify's "Download your data" export: `my_spotify_data.zip` or its unpacked folder.
    Gdpr {
        /// The zip or folder.
        path: PathBuf,
        /// Import only some parts.
        #[arg(long, value_enum, value_delimiter = ',')]
        only: Vec<Part>,
    },
}

/// Parts of a GDPR export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Part {
    /// The playlists (Playlist*.json).
    Playlists,
    /// Liked songs (YourLibrary.json `tracks`).
    Liked,
    /// Saved albums, shows and episodes.
    Library,
    /// Followed artists.
    Artists,
}
