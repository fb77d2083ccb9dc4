//! One run of an import at a time: a [`RunLock`] on the journal's `.lock` file beside it, held
//! for the whole run. Two runs of the same import at once would each create the playlists.

use std::path::Path;

use anyhow::{Context as _, Result, anyhow};
use spotkit_sync::run_lock::{LockError, RunLock, started_now};

use crate::hint::Hinted;

/// The held lock; dropping it lets the next run of this import start.
#[derive(Debug)]
pub struct ImportLock {
    _lock: RunLock,
}

impl ImportLock {
    /// Locks the import whose journal is `journal`, or says which run holds it.
    pub fn acquire(journal: &Path, input: &Path) -> Result<ImportLock> {
        let path = journal.with_extension("lock");
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
        }
        let holder = format!("pid {}, started {}", std::process::id(), started_now());
        match RunLock::acquire(&path, &holder) {
            Ok(lock) => Ok(ImportLock { _lock: lock }),
            Err(LockError::Held { holder }) => {
                let holder = if holder.is_empty() {
                    "another process".to_owned()
                } else {
                    holder
                };
                Err(anyhow!(Hinted::new(
                    format!(
                        "the same import of {} is already running ({holder}); nothing was done",
                        input.display()
                    ),
                    "wait for it to finish (or stop it), then run this command again: it continues where that run stopped",
                )))
            }
            Err(LockError::Io {
                doing,
                path,
                source,
            }) => {
                Err(source).with_context(|| format!("{doing} the import lock {}", path.display()))
            }
        }
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
