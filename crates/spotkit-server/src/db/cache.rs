//! Short-lived, in-process copies of the two reads every authenticated request makes: which user
//! a server API token belongs to, and that user's row.
//!
//! Without them `GET /me` costs two database round trips, which on SQLite are thread hand-offs
//! to sqlx's connection workers and took most of the request's time in a profile.
//!
//! Correctness rules:
//! - An entry lives at most the configured TTL (`api_cache_ms`, default 1000 ms), so a token
//!   revoked or a user changed **through another server instance** is seen here within it.
//! - A token entry also keeps the token's own expiry and is never served past it.
//! - Writes made **by this process** take effect at once: a revocation empties the token cache,
//!   a user write drops that user's row. Each cache has a generation, bumped by those writes
//!   after they are done; a read that started before a bump does not store what it read, so a
//!   lookup racing a revocation cannot put the revoked token back.
//! - A TTL of zero turns both caches off.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use super::tokens::User;

/// Entries kept at most per cache; beyond it the cache starts again empty (a miss costs one
/// query, so a crude bound is enough).
const MAX_ENTRIES: usize = 100_000;

/// The caches of one [`Db`](super::Db).
#[derive(Debug)]
pub struct ReadCache {
    ttl: Duration,
    tokens: Generational<TokenEntry>,
    users: Generational<User>,
}

/// What an API access token stands for.
#[derive(Debug, Clone)]
struct TokenEntry {
    user_id: String,
    /// The token's own expiry (Unix seconds).
    expires_at: i64,
}

/// A read's ticket: the generation when the read started.
#[derive(Debug, Clone, Copy)]
pub struct Ticket(u64);

#[derive(Debug)]
struct Generational<T> {
    generation: AtomicU64,
    map: Mutex<HashMap<String, (T, Instant)>>,
}

impl<T> Default for Generational<T> {
    fn default() -> Self {
        Generational {
            generation: AtomicU64::new(0),
            map: Mutex::new(HashMap::new()),
        }
    }
}

impl<T: Clone> Generational<T> {
    fn get(&self, key: &str) -> Option<T> {
        let mut map = self.map.lock().unwrap_or_else(PoisonError::into_inner);
        match map.get(key) {
            Some((value, until)) if *until > Instant::now() => Some(value.clone()),
            Some(_) => {
                map.remove(key);
                None
            }
            None => None,
        }
    }

    fn ticket(&self) -> Ticket {
        Ticket(self.generation.load(Ordering::Acquire))
    }

    fn put(&self, ticket: Ticket, key: String, value: T, ttl: Duration) {
        if ttl.is_zero() {
            return;
        }
        let mut map = self.map.lock().unwrap_or_else(PoisonError::into_inner);
        // Checked under the lock, which `invalidate` also takes: a write that finished after
        // the read began wins.
        if self.generation.load(Ordering::Acquire) != ticket.0 {
            return;
        }
        if map.len() >= MAX_ENTRIES {
            map.clear();
        }
        map.insert(key, (value, Instant::now() + ttl));
    }

    fn invalidate(&self, key: Option<&str>) {
        let mut map = self.map.lock().unwrap_or_else(PoisonError::into_inner);
        self.generation.fetch_add(1, Ordering::AcqRel);
        match key {
            Some(key) => {
                map.remove(key);
            }
            None => map.clear(),
        }
    }
}

impl ReadCache {
    /// Caches that keep entries for `ttl` (zero: no caching).
    pub fn new(ttl: Duration) -> Self {
        ReadCache {
            ttl,
            tokens: Generational::default(),
            users: Generational::default(),
        }
    }

    /// The user of the API access token with this hash, if cached and not expired at `now`.
    pub fn token_user(&self, token_hash: &str, now: i64) -> Option<String> {
        self.tokens
            .get(token_hash)
            .filter(|e| e.expires_at > now)
            .map(|e| e.user_id)
    }

    /// Call before reading a token from the database; pass the ticket to [`Self::put_token`].
    pub fn token_ticket(&self) -> Ticket {
        self.tokens.ticket()
    }

    /// Remembers a valid API access token read with `ticket`.
    pub fn put_token(&self, ticket: Ticket, token_hash: String, user_id: String, expires_at: i64) {
        let entry = TokenEntry {
            user_id,
            expires_at,
        };
        self.tokens.put(ticket, token_hash, entry, self.ttl);
    }

    /// After any revocation of API tokens: forget them all.
    pub fn tokens_revoked(&self) {
        self.tokens.invalidate(None);
    }

    /// A cached user row.
    pub fn user(&self, id: &str) -> Option<User> {
        self.users.get(id)
    }

    /// Call before reading a user from the database; pass the ticket to [`Self::put_user`].
    pub fn user_ticket(&self) -> Ticket {
        self.users.ticket()
    }

    /// Remembers a user row read with `ticket`.
    pub fn put_user(&self, ticket: Ticket, user: User) {
        self.users.put(ticket, user.id.clone(), user, self.ttl);
    }

    /// After a write to the user's row.
    pub fn user_changed(&self, id: &str) {
        self.users.invalidate(Some(id));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cache() -> ReadCache {
        ReadCache::new(Duration::from_secs(60))
    }

    #[test]
    fn a_token_is_served_until_its_own_expiry() {
        let c = cache();
        c.put_token(c.token_ticket(), "h".into(), "u".into(), 100);
        assert_eq!(c.token_user("h", 99).as_deref(), Some("u"));
        assert_eq!(c.token_user("h", 100), None);
    }

    #[test]
    fn a_revocation_empties_the_token_cache() {
        let c = cache();
        c.put_token(c.token_ticket(), "h".into(), "u".into(), 100);
        c.tokens_revoked();
        assert_eq!(c.token_user("h", 0), None);
    }

    #[test]
    fn a_read_that_began_before_a_revocation_is_not_stored() {
        let c = cache();
        let ticket = c.token_ticket();
        c.tokens_revoked();
        c.put_token(ticket, "h".into(), "u".into(), 100);
        assert_eq!(c.token_user("h", 0), None);
    }

    #[test]
    fn entries_end_with_the_ttl_and_zero_turns_caching_off() {
        let c = ReadCache::new(Duration::from_millis(20));
        c.put_token(c.token_ticket(), "h".into(), "u".into(), i64::MAX);
        assert!(c.token_user("h", 0).is_some());
        std::thread::sleep(Duration::from_millis(30));
        assert_eq!(c.token_user("h", 0), None);

        let off = ReadCache::new(Duration::ZERO);
        off.put_token(off.token_ticket(), "h".into(), "u".into(), i64::MAX);
        assert_eq!(off.token_user("h", 0), None);
    }

    #[test]
    fn a_user_write_drops_only_that_user() {
        let c = cache();
        let user = |id: &str| User {
            id: id.into(),
            profile: serde_json::Value::Null,
            profile_fetched_at: 0,
            needs_reauth: false,
        };
        c.put_user(c.user_ticket(), user("a"));
        c.put_user(c.user_ticket(), user("b"));
        c.user_changed("a");
        assert!(c.user("a").is_none());
        assert!(c.user("b").is_some());
    }
}
