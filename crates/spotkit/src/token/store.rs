//! The [`TokenStore`] trait.

use async_trait::async_trait;

use super::Token;
use crate::error::{Error, Result};

/// Somewhere to keep one [`Token`] per profile (for example one per Spotify account).
///
/// # Contract
///
/// - `save` is atomic: a reader sees either the old or the new token, never half of one. A
///   PKCE refresh rotates the refresh token, so losing a `save` means the user has to log in
///   again.
/// - `load` returns what the last `save` of *any* process stored, not a copy cached at start:
///   spotkit re-reads the store before every renewal and once more when Spotify answers
///   `invalid_grant`, to pick up a token another process renewed.
/// - A store that several processes share (a file, a database) implements
///   [`lock_renewal`](Self::lock_renewal). Spotify rotates a PKCE refresh token on every
///   refresh and the old one dies at once, so two processes refreshing the same login at the
///   same moment log one of them out. Under the lock spotkit re-reads the token, refreshes only
///   if it is still stale, and saves before it releases. [`FileStore`](super::FileStore) locks
///   a file beside the token; spotkit-server's store takes a database advisory lock.
/// - Without that lock, the `invalid_grant` re-read still rescues the loser of most races, but
///   not all of them: implement the lock.
#[async_trait]
pub trait TokenStore: Send + Sync + std::fmt::Debug {
    /// The token of `profile`, or `None` when there is none.
    async fn load(&self, profile: &str) -> Result<Option<Token>>;
    /// Stores `token` as the token of `profile`, replacing any previous one.
    async fn save(&self, profile: &str, token: &Token) -> Result<()>;
    /// Forgets the token of `profile`; deleting a missing token is not an error.
    async fn delete(&self, profile: &str) -> Result<()>;

    /// Takes a lock that makes the renewal of `profile`'s token single-flight across every
    /// process sharing this store (for example a database advisory lock). The renewal task
    /// holds it while it re-reads the stored token, refreshes it if it is still stale, and
    /// saves the result, so a second process waiting on the lock finds the fresh token and
    /// does not spend the refresh token again.
    ///
    /// The default takes no lock: one [`Spotify`](crate::Spotify) client already renews
    /// single-flight among its own tasks, which is enough for a store owned by one process.
    async fn lock_renewal(&self, profile: &str) -> Result<Option<Box<dyn RenewalLock>>> {
        let _ = profile;
        Ok(None)
    }
}

/// A lock taken by [`TokenStore::lock_renewal`], held for the duration of one renewal.
#[async_trait]
pub trait RenewalLock: Send {
    /// Releases the lock. Dropping the value must release it as well (possibly later), so a
    /// failed renewal cannot keep other processes waiting forever.
    async fn release(self: Box<Self>) -> Result<()>;
}

/// Checks that a profile name is usable as a file name on every platform:
/// 1–64 characters from `A-Z a-z 0-9 _ - .`, not starting with `.`.
pub fn validate_profile(profile: &str) -> Result<()> {
    let ok = !profile.is_empty()
        && profile.len() <= 64
        && !profile.starts_with('.')
        && profile
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if ok {
        Ok(())
    } else {
        Err(Error::Config(format!(
            "profile name {profile:?} is not allowed; use 1-64 letters, digits, `_`, `-` or `.` \
             (not starting with `.`)"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_names() {
        for good in ["default", "work-2", "a.b_c"] {
            assert!(validate_profile(good).is_ok(), "{good}");
        }
        for bad in ["", "../x", "a/b", ".hidden", "a b", &"x".repeat(65)] {
            assert!(validate_profile(bad).is_err(), "{bad}");
        }
    }
}
