//! One sync at a time per target directory: a [`RunLock`] on `.spotkit-sync.lock` inside it,
//! held for the whole run. Its text (pid, host, start time) is emptied when the run ends, so
//! synced folders stay byte for byte alike.

use std::path::Path;

use crate::error::{Error, Result, io};
use crate::run_lock::{LockError, RunLock, started_now};

/// Name of the lock file inside the target directory.
pub(crate) const LOCK: &str = ".spotkit-sync.lock";

/// Locks `dir` for this process, or says which run holds it; dropping the lock releases it.
pub(crate) fn acquire(dir: &Path) -> Result<RunLock> {
    let holder = format!(
        "pid {} on {}, started {}",
        std::process::id(),
        hostname(),
        started_now()
    );
    RunLock::acquire(&dir.join(LOCK), &holder).map_err(|e| match e {
        LockError::Held { holder } => Error::Busy {
            dir: dir.to_path_buf(),
            holder: if holder.is_empty() {
                "process unknown".to_owned()
            } else {
                holder
            },
        },
        LockError::Io {
            doing,
            path,
            source,
        } => io(doing, &path, source),
    })
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
