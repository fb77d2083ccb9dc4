//! One sync at a time per target directory: an exclusive OS lock (flock, LockFileEx) on
//! `.spotkit-sync.lock` inside it, held for the whole run.
//!
//! The OS drops the lock when the process ends, however it ends, so a killed run leaves no
//! stale lock behind. The file's text (pid, host, start time) only tells a second run whom it
//! is waiting for; it is emptied when the run ends, so synced folders stay byte for byte alike.

use std::fs::{File, OpenOptions};
use std::io::{Seek as _, Write as _};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result, io};

/// Name of the lock file inside the target directory.
pub(crate) const LOCK: &str = ".spotkit-sync.lock";

/// The held lock; dropping it releases the directory.
#[derive(Debug)]
pub(crate) struct DirLock {
    file: File,
    path: PathBuf,
}

/// Locks `dir` for this process, or says which run holds it.
pub(crate) fn acquire(dir: &Path) -> Result<DirLock> {
    let path = dir.join(LOCK);
    // Opened without truncating: the text belongs to whoever holds the lock.
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|e| io("opening", &path, e))?;
    // Called through the trait: std's inherent File::try_lock (Rust 1.89) would shadow it.
    match fs4::FileExt::try_lock(&file) {
        Ok(()) => {}
        Err(fs4::TryLockError::WouldBlock) => {
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            let holder = match text.trim() {
                "" => "process unknown".to_owned(),
                t => t.to_owned(),
            };
            return Err(Error::Busy {
                dir: dir.to_path_buf(),
                holder,
            });
        }
        Err(fs4::TryLockError::Error(e)) => return Err(io("locking", &path, e)),
    }
    let started = time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    // Written in place, not through a rename: the lock is on this file's inode.
    let text = format!(
        "pid {} on {}, started {started}\n",
        std::process::id(),
        hostname()
    );
    file.set_len(0)
        .and_then(|()| file.rewind())
        .and_then(|()| file.write_all(text.as_bytes()))
        .map_err(|e| io("writing", &path, e))?;
    Ok(DirLock { file, path })
}

impl Drop for DirLock {
    fn drop(&mut self) {
        if let Err(e) = self.file.set_len(0) {
            tracing::warn!("emptying {}: {e}", self.path.display());
        }
        // Closing the file releases the lock too; unlocking first just makes it explicit.
        let _ = fs4::FileExt::unlock(&self.file);
    }
}

/// This machine's name, for the lock file; best effort, without another dependency.
fn hostname() -> String {
    ["/proc/sys/kernel/hostname", "/etc/hostname"]
        .iter()
        .find_map(|p| std::fs::read_to_string(p).ok())
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .unwrap_or_else(|| "this machine".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_names_the_first_and_a_dropped_one_frees_the_directory() {
        let dir = tempfile::tempdir().unwrap();
        let first = acquire(dir.path()).unwrap();
        let Err(Error::Busy { holder, .. }) = acquire(dir.path()) else {
            panic!("the directory is locked")
        };
        assert!(
            holder.starts_with(&format!("pid {} on ", std::process::id())),
            "{holder}"
        );
        drop(first);
        assert_eq!(std::fs::read(dir.path().join(LOCK)).unwrap(), b"");
        let again = acquire(dir.path()).unwrap();
        drop(again);
    }
}
