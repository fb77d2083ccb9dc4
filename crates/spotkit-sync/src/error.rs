//! The crate's one error type, sorted by what the caller can do about it.

use std::path::PathBuf;

/// What can stop a sync as a whole. Failures of single tracks are not errors of the run: they are
/// collected in [`crate::Summary::failed`] and `sync-errors.json`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A required external tool is missing or too old.
    #[error("{tool} {problem}; {hint}")]
    Tool {
        /// `yt-dlp` or `ffmpeg`.
        tool: &'static str,
        /// What is wrong with it.
        problem: String,
        /// How to install or upgrade it.
        hint: &'static str,
    },
    /// The target directory cannot be created or written.
    #[error("cannot write to {path}: {source}; pick a directory you can write to with --to")]
    Dir {
        /// The directory.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// Another sync is writing into the target directory.
    #[error(
        "another spotkit sync ({holder}) is writing into {dir}; wait for it to finish or stop it, then run this again"
    )]
    Busy {
        /// The directory.
        dir: PathBuf,
        /// Who holds it, as that run wrote into the lock file: pid, host and start time.
        holder: String,
    },
    /// A file inside the target directory could not be written or read.
    #[error("{action} {path}: {source}")]
    Io {
        /// What was being done ("writing", "reading", ...).
        action: &'static str,
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// The manifest in the target directory is not one spotkit wrote.
    #[error(
        "{path} is not a spotkit sync manifest ({reason}); move it away or sync into another directory"
    )]
    Manifest {
        /// Its path.
        path: PathBuf,
        /// The parse error.
        reason: String,
    },
    /// The `catalog:` source could not be read.
    #[error("cannot read the media catalogue {url}: {reason}; check the URL given with --source")]
    Catalog {
        /// Its URL.
        url: String,
        /// What went wrong.
        reason: String,
    },
    /// An option has a value that cannot work.
    #[error("{0}")]
    Config(String),
    /// Spotify refused or failed while listing the tracks.
    #[error("reading {what} from Spotify: {source}")]
    Spotify {
        /// What was being read.
        what: String,
        /// The client's error.
        #[source]
        source: spotkit::Error,
    },
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

pub(crate) fn io(action: &'static str, path: &std::path::Path, source: std::io::Error) -> Error {
    Error::Io {
        action,
        path: path.to_path_buf(),
        source,
    }
}

impl From<spotkit_files::Error> for Error {
    fn from(e: spotkit_files::Error) -> Error {
        let action = match e.doing {
            "create" => "creating",
            "replace" => "replacing",
            _ => "writing",
        };
        io(action, &e.path, e.source)
    }
}
