//! Atomic replacement of a file: the bytes go to a temp file beside the target
//! (`.spotkit-XXXXXX.tmp`), which is flushed to disk and renamed over the target. A reader, a
//! crash or a killed run sees the old file or the new one, never a part of one.
//!
//! - Permissions: [`Mode::Private`] files (tokens, secrets) are 0600; [`Mode::Shared`] files are
//!   created 0666 less the umask, as `touch` or a shell redirection would, and a file that exists
//!   keeps its mode.
//! - A target that is a symlink is written through: the file it points to is replaced (in its own
//!   folder, so the rename stays atomic) and the link stays a link.
//! - Errors name the target the caller asked for, never the temp file.
//! - Temp files: dropped unfinished, an [`AtomicFile`] deletes its own; a run killed outright
//!   leaves one behind, removed by a later write into the same folder once it has been untouched
//!   for [`STALE_AFTER`]; [`remove_unfinished`] deletes this process's own at once (for a signal
//!   handler, which exits without running destructors).

use std::collections::HashSet;
use std::fs::File;
use std::io::{self, BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

/// Who may read the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Only the owner (0600 on Unix): tokens and other secrets.
    Private,
    /// As the user's other files: 0666 less the umask for a new file, the existing file's mode
    /// for a replaced one.
    Shared,
}

/// A write that failed, naming the file it was for.
#[derive(Debug, thiserror::Error)]
#[error("cannot {doing} {}", path.display())]
pub struct Error {
    /// What failed: `create`, `write`, `replace`.
    pub doing: &'static str,
    /// The target (as the caller named it).
    pub path: PathBuf,
    /// The cause.
    #[source]
    pub source: io::Error,
}

impl Error {
    fn new(doing: &'static str, path: &Path, source: io::Error) -> Error {
        Error {
            doing,
            path: path.to_path_buf(),
            source,
        }
    }
}

/// Temp file names: hidden, and recognisable as ours by the stale-file sweep.
const TEMP_PREFIX: &str = ".spotkit-";
const TEMP_SUFFIX: &str = ".tmp";
/// A temp file untouched for this long belongs to a run that was killed (`kill -9`, power loss),
/// not to one still writing: a live writer writes its file continuously.
pub const STALE_AFTER: Duration = Duration::from_secs(15 * 60);

/// The temp files this process is writing, for [`remove_unfinished`].
static UNFINISHED: Mutex<Option<HashSet<PathBuf>>> = Mutex::new(None);

fn track(path: &Path, live: bool) {
    let mut set = UNFINISHED
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let set = set.get_or_insert_with(HashSet::new);
    if live {
        set.insert(path.to_path_buf());
    } else {
        set.remove(path);
    }
}

/// Deletes the temp files of every unfinished [`AtomicFile`] of this process; returns how many.
/// For a signal handler about to exit: the targets keep their old content.
pub fn remove_unfinished() -> usize {
    let mut set = UNFINISHED
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let Some(set) = set.as_mut() else { return 0 };
    set.drain()
        .filter(|p| std::fs::remove_file(p).is_ok())
        .count()
}

/// A file being written; [`AtomicFile::commit`] puts it in place. Dropped uncommitted, its temp
/// file is deleted and the target is untouched.
#[derive(Debug)]
pub struct AtomicFile {
    /// The open temp file (a plain `File`: `NamedTempFile`'s own `Write` would put the temp
    /// path into every error, and messages name the target).
    file: BufWriter<File>,
    /// The temp file's name; deletes it when dropped.
    tmp: tempfile::TempPath,
    /// Listed for [`remove_unfinished`] while it lives.
    _tracked: Tracked,
    /// The path the caller named (for messages).
    target: PathBuf,
    /// Where the rename goes: `target`, or the file a symlinked `target` points to.
    dest: PathBuf,
}

impl AtomicFile {
    /// Starts writing `path`. Its folder must exist.
    pub fn create(path: &Path, mode: Mode) -> Result<AtomicFile, Error> {
        let dest = resolve_links(path).map_err(|e| Error::new("create", path, e))?;
        let dir = match dest.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        remove_stale_temp_files(&dir);
        let mut builder = tempfile::Builder::new();
        builder.prefix(TEMP_PREFIX).suffix(TEMP_SUFFIX);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            // open(2) applies the umask to 0666, as for any new file.
            builder.permissions(std::fs::Permissions::from_mode(match mode {
                Mode::Private => 0o600,
                Mode::Shared => 0o666,
            }));
        }
        let (file, tmp) = builder
            .tempfile_in(&dir)
            .map_err(|e| Error::new("create", path, e))?
            .into_parts();
        let tracked = Tracked::new(&tmp);
        let fail = |e| Error::new("create", path, e);
        let keep = match mode {
            // Exactly 0600, whatever the umask.
            Mode::Private => private(),
            Mode::Shared => std::fs::metadata(&dest)
                .ok()
                .filter(std::fs::Metadata::is_file)
                .map(|m| m.permissions()),
        };
        if let Some(permissions) = keep {
            file.set_permissions(permissions).map_err(fail)?;
        }
        Ok(AtomicFile {
            file: BufWriter::new(file),
            tmp,
            _tracked: tracked,
            target: path.to_path_buf(),
            dest,
        })
    }

    /// The path the file was created for.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Flushes the data to disk and renames the temp file over the target.
    pub fn commit(self) -> Result<(), Error> {
        let AtomicFile {
            file,
            tmp,
            _tracked,
            target,
            dest,
        } = self;
        let file = file
            .into_inner()
            .map_err(|e| Error::new("write", &target, e.into_error()))?;
        file.sync_all()
            .map_err(|e| Error::new("write", &target, e))?;
        drop(file);
        tmp.persist(&dest)
            .map_err(|e| Error::new("replace", &target, e.error))?;
        #[cfg(unix)]
        if let Some(dir) = dest.parent().filter(|d| !d.as_os_str().is_empty()) {
            // Makes the rename itself durable; failing here only weakens crash safety.
            if let Ok(d) = File::open(dir) {
                let _ = d.sync_all();
            }
        }
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.file.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

/// For formats written out of order (a zip's central directory points back at its entries).
impl Seek for AtomicFile {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.file.seek(pos)
    }
}

/// A temp file listed in `UNFINISHED` until dropped.
#[derive(Debug)]
struct Tracked(PathBuf);

impl Tracked {
    fn new(path: &Path) -> Tracked {
        track(path, true);
        Tracked(path.to_path_buf())
    }
}

impl Drop for Tracked {
    fn drop(&mut self) {
        track(&self.0, false);
    }
}

/// Writes `bytes` to `path` atomically.
pub fn write_atomic(path: &Path, bytes: &[u8], mode: Mode) -> Result<(), Error> {
    let mut file = AtomicFile::create(path, mode)?;
    file.write_all(bytes)
        .map_err(|e| Error::new("write", path, e))?;
    file.commit()
}

#[cfg(unix)]
#[allow(clippy::unnecessary_wraps)] // `None` on other platforms.
fn private() -> Option<std::fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    Some(std::fs::Permissions::from_mode(0o600))
}

/// Elsewhere, the temp file's default (owner-only on Windows) is kept.
#[cfg(not(unix))]
fn private() -> Option<std::fs::Permissions> {
    None
}

/// The file a path names, following symlinks (a dangling link names the file it would create).
fn resolve_links(path: &Path) -> io::Result<PathBuf> {
    let mut current = path.to_path_buf();
    // Linux gives up after 40 links (ELOOP); so does this.
    for _ in 0..40 {
        match std::fs::symlink_metadata(&current) {
            Ok(m) if m.file_type().is_symlink() => {
                let link = std::fs::read_link(&current)?;
                current = match current.parent() {
                    Some(dir) if link.is_relative() => dir.join(link),
                    _ => link,
                };
            }
            Ok(m) if m.is_dir() => {
                return Err(io::Error::new(
                    io::ErrorKind::IsADirectory,
                    "it is a directory",
                ));
            }
            _ => return Ok(current),
        }
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

/// Removes what killed runs left in `dir`: our own temp files, untouched for [`STALE_AFTER`].
/// Best effort: a file that cannot be read or removed is left alone.
fn remove_stale_temp_files(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let now = SystemTime::now();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if !(name.starts_with(TEMP_PREFIX) && name.ends_with(TEMP_SUFFIX)) {
            continue;
        }
        let stale = entry
            .metadata()
            .ok()
            .filter(std::fs::Metadata::is_file)
            .and_then(|m| m.modified().ok())
            .and_then(|modified| now.duration_since(modified).ok())
            .is_some_and(|age| age >= STALE_AFTER);
        if stale && std::fs::remove_file(entry.path()).is_ok() {
            tracing::debug!(file = %entry.path().display(), "removed a killed run's temp file");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut left: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        left.sort();
        left
    }

    #[test]
    fn a_killed_runs_temp_files_go_with_the_next_write_live_ones_stay() {
        let dir = tempfile::tempdir().unwrap();
        let old = SystemTime::now() - STALE_AFTER - Duration::from_secs(1);
        for name in [".spotkit-killed.tmp", "notes.tmp", ".spotkit-keep.json"] {
            let f = File::create(dir.path().join(name)).unwrap();
            f.set_modified(old).unwrap();
        }
        std::fs::write(dir.path().join(".spotkit-live.tmp"), b"being written").unwrap();
        write_atomic(&dir.path().join("liked.csv"), b"x", Mode::Shared).unwrap();
        assert_eq!(
            names(dir.path()),
            [
                ".spotkit-keep.json",
                ".spotkit-live.tmp",
                "liked.csv",
                "notes.tmp"
            ]
        );
    }

    #[test]
    fn dropped_unfinished_leaves_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.json");
        std::fs::write(&path, b"old").unwrap();
        let mut f = AtomicFile::create(&path, Mode::Shared).unwrap();
        f.write_all(b"new").unwrap();
        drop(f);
        assert_eq!(std::fs::read(&path).unwrap(), b"old");
        assert_eq!(names(dir.path()), ["a.json"]);
    }

    #[cfg(unix)]
    #[test]
    fn modes_and_symlinks() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        let secret = dir.path().join("token.json");
        write_atomic(&secret, b"{}", Mode::Private).unwrap();
        assert_eq!(mode(&secret), 0o600);
        // An existing file keeps its mode.
        let shared = dir.path().join("liked.csv");
        std::fs::write(&shared, b"old").unwrap();
        std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o664)).unwrap();
        write_atomic(&shared, b"new", Mode::Shared).unwrap();
        assert_eq!(mode(&shared), 0o664);
        // A symlink is written through; the link stays.
        let link = dir.path().join("link.csv");
        std::os::unix::fs::symlink("liked.csv", &link).unwrap();
        write_atomic(&link, b"through", Mode::Shared).unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read(&shared).unwrap(), b"through");
        // Errors name the target.
        let err =
            write_atomic(&dir.path().join("no/such/dir.csv"), b"x", Mode::Shared).unwrap_err();
        assert!(err.to_string().ends_with("no/such/dir.csv"), "{err}");
    }
}
