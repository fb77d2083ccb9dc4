//! One run at a time: an exclusive OS lock (flock, LockFileEx) on a lock file, held for the
//! whole run. Shared by `spotkit sync` (one per target directory) and `spotkit import` (one per
//! journal).
//!
//! The OS drops the lock when the process ends, however it ends, so a killed run leaves no
//! stale lock behind. The file's text (who holds it) only tells a second run whom it is waiting
//! for; it is emptied when the run ends.

use std::fs::{File, OpenOptions};
use std::io::{Seek as _, Write as _};
use std::path::{Path, PathBuf};

/// Why a lock was not taken.
#[derive(Debug)]
pub enum LockError {
    /// Another run holds it; its text says who (empty when it wrote none).
    Held {
        /// The holder's text, trimmed.
        holder: String,
    },
    /// The lock file could not be opened, locked or written.
    Io {
        /// What was being done ("opening", "locking", "writing").
        doing: &'static str,
        /// The lock file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
}

/// A held lock; dropping it lets the next run start.
#[derive(Debug)]
pub struct RunLock {
    file: File,
    path: PathBuf,
}

impl RunLock {
    /// Locks `path` (created if missing) and writes `holder` into it for a second run to read.
    pub fn acquire(path: &Path, holder: &str) -> Result<RunLock, LockError> {
        let io = |doing, source| LockError::Io {
            doing,
            path: path.to_path_buf(),
            source,
        };
        // Opened without truncating: the text belongs to whoever holds the lock.
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
            .map_err(|e| io("opening", e))?;
        // Called through the trait: std's inherent File::try_lock (Rust 1.89) would shadow it.
        match fs4::FileExt::try_lock(&file) {
            Ok(()) => {}
            Err(fs4::TryLockError::WouldBlock) => {
                let text = std::fs::read_to_string(path).unwrap_or_default();
                return Err(LockError::Held {
                    holder: text.trim().to_owned(),
                });
            }
            Err(fs4::TryLockError::Error(e)) => return Err(io("locking", e)),
        }
        // Written in place, not through a rename: the lock is on this file's inode.
        file.set_len(0)
            .and_then(|()| file.rewind())
            .and_then(|()| file.write_all(format!("{holder}\n").as_bytes()))
            .map_err(|e| io("writing", e))?;
        Ok(RunLock {
            file,
            path: path.to_path_buf(),
        })
    }
}

impl Drop for RunLock {
    fn drop(&mut self) {
        if let Err(e) = self.file.set_len(0) {
            tracing::warn!("emptying {}: {e}", self.path.display());
        }
        // Closing the file releases the lock too; unlocking first just makes it explicit.
        let _ = fs4::FileExt::unlock(&self.file);
    }
}

/// When this run started, as written into a lock file.
pub fn started_now() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}
