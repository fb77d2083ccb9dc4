//! One run of an import at a time: an exclusive OS lock (flock, LockFileEx) on the journal's
//! `.lock` file beside it, held for the whole run.
//!
//! Two runs of the same import at once would each create the playlists. The OS drops the lock
//! when the process ends, however it ends, so a killed run leaves no stale lock; the file's text
//! (pid, start time, input) only tells a second run which run holds it.

use std::fs::{File, OpenOptions};
use std::io::{Seek as _, Write as _};
use std::path::Path;

use anyhow::{Context as _, Result, anyhow};

use crate::hint::Hinted;

/// The held lock; dropping it lets the next run of this import start.
#[derive(Debug)]
pub struct ImportLock {
    file: File,
}

impl ImportLock {
    /// Locks the import whose journal is `journal`, or says which run holds it.
    pub fn acquire(journal: &Path, input: &Path) -> Result<ImportLock> {
        let path = journal.with_extension("lock");
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
        }
        // Opened without truncating: the text belongs to whoever holds the lock.
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .with_context(|| format!("cannot open the import lock {}", path.display()))?;
        // Called through the trait: std's inherent File::try_lock (Rust 1.89) would shadow it.
        match fs4::FileExt::try_lock(&file) {
            Ok(()) => {}
            Err(fs4::TryLockError::WouldBlock) => {
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                let holder = match text.trim() {
                    "" => "another process".to_owned(),
                    t => t.to_owned(),
                };
                return Err(anyhow!(Hinted::new(
                    format!(
                        "the same import of {} is already running ({holder}); nothing was done",
                        input.display()
                    ),
                    "wait for it to finish (or stop it), then run this command again: it continues where that run stopped",
                )));
            }
            Err(fs4::TryLockError::Error(e)) => {
                return Err(e).with_context(|| format!("cannot lock {}", path.display()));
            }
        }
        let started = time::OffsetDateTime::now_utc()
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default();
        // Written in place, not through a rename: the lock is on this file's inode.
        let text = format!("pid {}, started {started}\n", std::process::id());
        file.set_len(0)
            .and_then(|()| file.rewind())
            .and_then(|()| file.write_all(text.as_bytes()))
            .with_context(|| format!("cannot write {}", path.display()))?;
        Ok(ImportLock { file })
    }
}

impl Drop for ImportLock {
    fn drop(&mut self) {
        let _ = self.file.set_len(0);
        // Closing the file releases the lock too; unlocking first just makes it explicit.
        let _ = fs4::FileExt::unlock(&self.file);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_run_is_refused_naming_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let journal = dir.path().join("imports/abc.json");
        let first = ImportLock::acquire(&journal, Path::new("list.csv")).unwrap();
        let err = ImportLock::acquire(&journal, Path::new("list.csv")).unwrap_err();
        let msg = format!("{err:#}");
        assert!(msg.contains("already running"), "{msg}");
        assert!(
            msg.contains(&format!("pid {}", std::process::id())),
            "{msg}"
        );
        drop(first);
        ImportLock::acquire(&journal, Path::new("list.csv")).unwrap();
    }
}
