//! [`FileStore`]: one JSON file per profile, private to the user, replaced atomically.

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use async_trait::async_trait;

use super::{RenewalLock, Token, TokenStore, validate_profile};
use crate::error::{Error, Result};

/// Keeps each profile's token in `<dir>/<profile>.json`.
///
/// The default directory is `tokens/` under the platform config dir (`~/.config/spotkit` on
/// Linux, `~/Library/Application Support/spotkit` on macOS, `%APPDATA%\spotkit\config` on
/// Windows). On Unix the directory is created with mode 0700 and files with mode 0600. A save
/// writes a temporary file in the same directory, flushes it to disk and renames it over the
/// old file, so a crash never leaves half a token behind.
///
/// Several processes may share one directory (a cron export next to an interactive command):
/// [`lock_renewal`](TokenStore::lock_renewal) takes an exclusive OS lock (flock, `LockFileEx`) on
/// `<dir>/<profile>.lock`, so only one of them spends a PKCE refresh token and the others read
/// the token it saved. The OS drops the lock when its holder ends, however it ends.
#[derive(Debug, Clone)]
pub struct FileStore {
    dir: PathBuf,
}

impl FileStore {
    /// A store in the platform config dir.
    pub fn new() -> Result<Self> {
        let dirs =
            directories::ProjectDirs::from("", "", "spotkit").ok_or_else(|| Error::Store {
                path: None,
                message: "cannot find a home directory for the config dir; use FileStore::in_dir"
                    .into(),
                source: None,
            })?;
        Ok(Self::in_dir(dirs.config_dir().join("tokens")))
    }

    /// A store in `dir` (created on the first save).
    pub fn in_dir(dir: impl Into<PathBuf>) -> Self {
        FileStore { dir: dir.into() }
    }

    /// The directory holding the token files.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The file that holds `profile`'s token.
    pub fn path(&self, profile: &str) -> Result<PathBuf> {
        validate_profile(profile)?;
        Ok(self.dir.join(format!("{profile}.json")))
    }

    /// The lock file [`lock_renewal`](TokenStore::lock_renewal) locks for `profile`. Not the
    /// token file itself: a save renames a new file over that one, and a lock belongs to an inode.
    pub fn lock_path(&self, profile: &str) -> Result<PathBuf> {
        validate_profile(profile)?;
        Ok(self.dir.join(format!("{profile}.lock")))
    }
}

/// How long [`FileStore::lock_renewal`] waits for another process's renewal (one refresh call,
/// itself bounded by the HTTP timeouts) before giving up with an error instead of hanging.
const LOCK_WAIT: Duration = Duration::from_secs(60);
const LOCK_POLL: Duration = Duration::from_millis(20);

/// The held renewal lock of one profile; closing the file releases it.
#[derive(Debug)]
struct FileRenewalLock {
    file: File,
}

#[async_trait]
impl RenewalLock for FileRenewalLock {
    async fn release(self: Box<Self>) -> Result<()> {
        // Called through the trait: std's inherent File::unlock (Rust 1.89) would shadow it.
        // An unlock error is harmless: dropping the file below releases the lock as well.
        let _ = fs4::FileExt::unlock(&self.file);
        Ok(())
    }
}

fn open_lock_file(dir: &Path, path: &Path) -> Result<File> {
    ensure_dir(dir)?;
    let mut options = OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options
        .open(path)
        .map_err(|e| Error::store_io(path, "cannot open the token lock file", e))
}

/// `Ok(None)` while another process holds the lock.
fn try_lock(file: &File, path: &Path) -> Result<Option<()>> {
    match fs4::FileExt::try_lock(file) {
        Ok(()) => Ok(Some(())),
        Err(fs4::TryLockError::WouldBlock) => Ok(None),
        Err(fs4::TryLockError::Error(e)) => {
            Err(Error::store_io(path, "cannot lock the token lock file", e))
        }
    }
}

fn load_blocking(path: &Path) -> Result<Option<Token>> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::store_io(path, "cannot read the token file", e)),
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = std::fs::metadata(path)
            && meta.permissions().mode() & 0o077 != 0
        {
            tracing::warn!(path = %path.display(), "token file is readable by other users; it will be rewritten with mode 0600 on the next save");
        }
    }
    let de = &mut serde_json::Deserializer::from_slice(&bytes);
    serde_path_to_error::deserialize(de)
        .map(Some)
        .map_err(|e| Error::Store {
            path: Some(path.to_owned()),
            // Only the path and serde's message: the content may be a half-readable secret.
            message: format!(
                "the token file is corrupt (at `{}`: {}); delete it and log in again",
                e.path(),
                e.inner()
            ),
            source: None,
        })
}

fn ensure_dir(dir: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(|e| Error::store_io(dir, "cannot create the token directory", e))?;
        // The directory may predate us (or have been made by someone else's umask): tighten it.
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
            .map_err(|e| Error::store_io(dir, "cannot make the token directory private", e))?;
    }
    #[cfg(not(unix))]
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::store_io(dir, "cannot create the token directory", e))?;
    Ok(())
}

fn save_blocking(dir: &Path, path: &Path, json: &[u8]) -> Result<()> {
    ensure_dir(dir)?;
    // 0600 from its creation, before any byte is written; replaced atomically.
    spotkit_files::write_atomic(path, json, spotkit_files::Mode::Private).map_err(|e| {
        let message = match e.doing {
            "create" => "cannot create a temporary token file beside it",
            "replace" => "cannot move the new token file into place",
            _ => "cannot write the token file",
        };
        Error::store_io(e.path, message, e.source)
    })
}

async fn blocking<T: Send + 'static>(f: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| Error::Store {
            path: None,
            message: format!("the token store task failed: {e}"),
            source: None,
        })?
}

#[async_trait]
impl TokenStore for FileStore {
    async fn load(&self, profile: &str) -> Result<Option<Token>> {
        let path = self.path(profile)?;
        blocking(move || load_blocking(&path)).await
    }

    async fn save(&self, profile: &str, token: &Token) -> Result<()> {
        let path = self.path(profile)?;
        let dir = self.dir.clone();
        let json = serde_json::to_vec_pretty(token).map_err(|e| Error::Store {
            path: Some(path.clone()),
            message: format!("cannot encode the token: {e}"),
            source: None,
        })?;
        blocking(move || save_blocking(&dir, &path, &json)).await
    }

    async fn delete(&self, profile: &str) -> Result<()> {
        let path = self.path(profile)?;
        blocking(move || match std::fs::remove_file(&path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(Error::store_io(&path, "cannot delete the token file", e)),
        })
        .await
    }

    async fn lock_renewal(&self, profile: &str) -> Result<Option<Box<dyn RenewalLock>>> {
        let path = self.lock_path(profile)?;
        let dir = self.dir.clone();
        let file = {
            let path = path.clone();
            blocking(move || open_lock_file(&dir, &path)).await?
        };
        // Polled rather than a blocking lock: bounded, and cancellable with the task.
        let started = Instant::now();
        loop {
            if try_lock(&file, &path)?.is_some() {
                return Ok(Some(Box::new(FileRenewalLock { file })));
            }
            if started.elapsed() >= LOCK_WAIT {
                return Err(Error::Store {
                    path: Some(path),
                    message: format!(
                        "another process has been renewing this token for {} s; \
                         end the other spotkit process that uses this login and try again",
                        LOCK_WAIT.as_secs()
                    ),
                    source: None,
                });
            }
            tokio::time::sleep(LOCK_POLL).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::token::{AccessToken, RefreshToken};
    use std::time::Duration;

    fn token(access: &str) -> Token {
        Token::new(
            AccessToken::new(access),
            Some(RefreshToken::new("refresh")),
            Some(Duration::from_secs(3600)),
            vec!["user-library-read".into(), "playlist-read-private".into()],
        )
    }

    #[tokio::test]
    async fn round_trip_and_delete() {
        let tmp = tempfile::tempdir().unwrap();
        let store = FileStore::in_dir(tmp.path().join("nested/tokens"));
        assert!(store.load("default").await.unwrap().is_none());
        store.save("default", &token("a1")).await.unwrap();
        let back = store.load("default").await.unwrap().unwrap();
        assert_eq!(back.access_token().secret(), "a1");
        assert_eq!(back.scopes().len(), 2);
        store.delete("default").await.unwrap();
        assert!(store.load("default").await.unwrap().is_none());
        store.delete("default").await.unwrap();
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn permissions_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("tokens");
        std::fs::create_dir(&dir).unwrap();
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        let store = FileStore::in_dir(&dir);
        store.save("p", &token("a")).await.unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&store.path("p").unwrap()), 0o600);
        // An existing world-readable file is replaced by a private one.
        std::fs::set_permissions(
            store.path("p").unwrap(),
            std::fs::Permissions::from_mode(0o644),
        )
        .unwrap();
        store.save("p", &token("b")).await.unwrap();
        assert_eq!(mode(&store.path("p").unwrap()), 0o600);
    }

    #[tokio::test]
    async fn save_replaces_atomically_and_leaves_no_temp_files() {
        let tmp = tempfile::tempdir().unwrap();
        let store = FileStore::in_dir(tmp.path());
        store.save("p", &token("old")).await.unwrap();
        let path = store.path("p").unwrap();
        // Hold the old file open: after an atomic rename it still reads the complete old
        // content (same inode), and the path shows the complete new content.
        let old_content = std::fs::read_to_string(&path).unwrap();
        #[cfg(unix)]
        let old_inode = {
            use std::os::unix::fs::MetadataExt;
            std::fs::metadata(&path).unwrap().ino()
        };
        store.save("p", &token("new")).await.unwrap();
        assert!(old_content.contains("\"old\""));
        let new_content = std::fs::read_to_string(&path).unwrap();
        assert!(new_content.contains("\"new\""));
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            assert_ne!(
                std::fs::metadata(&path).unwrap().ino(),
                old_inode,
                "file was rewritten in place"
            );
        }
        let names: Vec<_> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(names, ["p.json"]);
    }

    #[tokio::test]
    async fn concurrent_saves_never_tear() {
        let tmp = tempfile::tempdir().unwrap();
        let store = std::sync::Arc::new(FileStore::in_dir(tmp.path()));
        let mut tasks = Vec::new();
        for i in 0..20 {
            let store = store.clone();
            tasks.push(tokio::spawn(async move {
                store.save("p", &token(&format!("a{i}"))).await.unwrap();
                // Every load sees a whole token.
                store.load("p").await.unwrap().unwrap();
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        let last = store.load("p").await.unwrap().unwrap();
        assert!(last.access_token().secret().starts_with('a'));
    }

    #[tokio::test]
    async fn corrupt_file_is_an_error_naming_the_file() {
        let tmp = tempfile::tempdir().unwrap();
        let store = FileStore::in_dir(tmp.path());
        let path = store.path("broken").unwrap();
        std::fs::write(&path, b"{\"version\":1,\"access_token\":\"secret-part").unwrap();
        let err = store.load("broken").await.unwrap_err();
        let msg = err.to_string();
        assert!(matches!(err, Error::Store { .. }));
        assert!(msg.contains(&path.display().to_string()), "{msg}");
        assert!(msg.contains("corrupt"), "{msg}");
        assert!(!msg.contains("secret-part"), "{msg}");
        std::fs::write(&path, b"[]").unwrap();
        assert!(store.load("broken").await.is_err());
    }

    #[tokio::test]
    async fn bad_profile_names_never_touch_the_disk() {
        let tmp = tempfile::tempdir().unwrap();
        let store = FileStore::in_dir(tmp.path().join("t"));
        assert!(matches!(
            store.save("../escape", &token("a")).await,
            Err(Error::Config(_))
        ));
        assert!(!tmp.path().join("escape.json").exists());
    }
}
