//! The command line, parsed by clap (derive). `main.rs` resolves it once into [`crate::config::Settings`].

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::cmd;

const AFTER_HELP: &str = "\
Exit codes:
  0  success (also when the reader of stdout went away, e.g. `| head`)
  1  the command failed (not logged in, Spotify refused, a file could not be written, ...)
  2  usage error (unknown command or flag, bad value)

Examples:
  spotkit login --client-id YOUR_CLIENT_ID
  spotkit export liked --format csv --out liked.csv
  spotkit export all --out backup/
  spotkit import exportify road_trip.csv --dry-run
  spotkit import gdpr my_spotify_data.zip
  spotkit history import my_spotify_extended_streaming_history.zip
  spotkit history stats --year 2024
  spotkit sync liked --to ~/Music/spotkit --format m4a
  spotkit search \"daft punk\" --type track,album
  spotkit demo";

/// Own your Spotify data: log in, export, import, sync, search.
#[derive(Debug, Parser)]
#[command(name = "spotkit", version, about, propagate_version = true, after_help = AFTER_HELP)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    /// The command; none in a terminal opens an interactive menu.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Flags every command understands.
#[derive(Debug, Args)]
pub struct Global {
    /// Which saved login to use (one token file per profile).
    #[arg(long, global = true, env = "SPOTKIT_PROFILE", value_parser = parse_profile)]
    pub profile: Option<String>,
    /// Your Spotify app's client id (developer.spotify.com/dashboard).
    #[arg(long, global = true, env = "SPOTKIT_CLIENT_ID")]
    pub client_id: Option<String>,
    /// Web API base URL (point it at `spotkit sandbox`).
    #[arg(long, global = true, env = "SPOTKIT_API_BASE")]
    pub api_base: Option<String>,
    /// Accounts service base URL.
    #[arg(long, global = true, env = "SPOTKIT_ACCOUNTS_BASE")]
    pub accounts_base: Option<String>,
    /// Directory holding the config file and tokens (default: the platform config dir).
    #[arg(long, global = true, env = "SPOTKIT_CONFIG_DIR")]
    pub config_dir: Option<PathBuf>,
    /// Machine-readable JSON output (no progress bars).
    #[arg(long, global = true)]
    pub json: bool,
    /// More log output (repeat for more).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Only errors.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Log in with your Spotify account (PKCE, loopback redirect or pasted URL).
    Login(cmd::login::LoginArgs),
    /// Forget the saved login of a profile.
    Logout,
    /// Who is logged in: user, scopes, token expiry, token file.
    Status,
    /// List the saved profiles.
    Profiles,
    /// Export your library: liked songs, playlists, albums, shows.
    Export(cmd::export::ExportArgs),
    /// Import playlists and your library from an Exportify CSV or Spotify's data export.
    Import(cmd::import::ImportArgs),
    /// Your listening history from Spotify's streaming-history files: import, stats, report.
    History(cmd::history::HistoryArgs),
    /// Download liked songs and playlists as tagged audio files, organised like your library.
    Sync(Box<cmd::sync::SyncArgs>),
    /// Control playback: status, play, pause, next, previous, queue, devices.
    Player(cmd::player::PlayerArgs),
    /// Search the Spotify catalogue.
    Search(cmd::search::SearchArgs),
    /// Show the config file.
    Config {
        #[command(subcommand)]
        action: ConfigAction,
    },
    /// Print shell completions.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Show the whole product on an embedded sandbox, no Spotify account needed.
    Demo(cmd::demo::Args),
    /// Run the Spotify sandbox in the foreground (same flags as `spotkit-sandbox`).
    Sandbox(spotkit_sandbox::cli::Flags),
}

/// `spotkit config ...`.
#[derive(Debug, Clone, Copy, Subcommand)]
pub enum ConfigAction {
    /// Print the path of the config file.
    Path,
    /// Print the config file's settings.
    Show,
}

/// Output formats of `spotkit export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Every field Spotify returned, one JSON document.
    Json,
    /// Exportify-compatible CSV (UTF-8 BOM, 24 columns).
    Csv,
    /// M3U8 playlist (`#EXTINF` with durations).
    M3u,
    /// One JSON object per line, written as items arrive.
    Jsonl,
}

impl Format {
    /// File extension.
    pub fn ext(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Csv => "csv",
            Format::M3u => "m3u8",
            Format::Jsonl => "jsonl",
        }
    }
}

/// A profile name becomes a file name: checked while parsing, so a bad one is a usage error.
fn parse_profile(name: &str) -> Result<String, String> {
    spotkit::token::validate_profile(name)
        .map(|()| name.to_owned())
        .map_err(|e| e.to_string())
}
