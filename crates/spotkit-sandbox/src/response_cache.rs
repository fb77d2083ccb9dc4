//! The response cache: rendered list pages (`/me/tracks`, `/me/albums`, a playlist's `/items`, ...) kept as bytes, so that reading a library again
//! costs a lookup instead of rendering 50 objects through `serde_json::Value` and serializing them.
//!
//! Clients, benchmarks and the soak share the machine with the sandbox; rendering a 10 000-song
//! library took the sandbox about 0.6 s of CPU per read, which the clients then waited for. A cached
//! body is the exact bytes the renderer produced, so a hit cannot differ from a miss. Entries belong
//! to one generation of the world: every write lock on it ([`AppState::world_mut`]) starts a new
//! generation, and entries of an older one are never served. Only the rendering is cached; latency,
//! faults, rate limits, scope checks and the stats run before the handler as for any request.
//!
//! [`AppState::world_mut`]: crate::state::AppState::world_mut

use std::collections::HashMap;

use axum::body::Bytes;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;
use crate::params::Params;
use crate::state::{AppState, lock};

/// Bodies kept at most, in bytes. A 10 000-song library is 200 Extended-Quota pages of ~97 KB,
/// about 20 MB; when a bigger read (workload 4 of the benchmarks, 100 000 songs) fills the budget
/// the cache starts over instead of growing with the library.
pub const BUDGET_BYTES: usize = 64 << 20;

/// What a list page's body depends on, besides the world's generation and the sandbox's mode
/// (fixed for its lifetime).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CacheKey {
    /// The user whose library is listed (0 for a playlist's entries, which are the same for
    /// every user allowed to read them).
    pub user: u32,
    /// The playlist whose entries are listed, if any.
    pub playlist: Option<u32>,
    /// `http://host:port` as the client addressed the sandbox (it is in every `href`).
    pub base: String,
    /// The route, e.g. `/me/tracks`.
    pub path: &'static str,
    /// The query pairs, in order (they are repeated in `href`, `next` and `previous`).
    pub params: Params,
}

/// Rendered pages of one world generation.
#[derive(Debug, Default)]
pub struct ResponseCache {
    generation: u64,
    bytes: usize,
    bodies: HashMap<CacheKey, Bytes>,
}

impl ResponseCache {
    /// The body cached for `key` in `generation`.
    pub fn get(&mut self, generation: u64, key: &CacheKey) -> Option<Bytes> {
        if self.generation != generation {
            return None;
        }
        self.bodies.get(key).cloned()
    }

    /// Keeps `body` for `key` in `generation` (dropping every body of an older generation).
    pub fn put(&mut self, generation: u64, key: CacheKey, body: Bytes) {
        if self.generation != generation {
            // Only a newer generation replaces the cache: a slow reader of an older world must not
            // wipe the pages of the current one.
            if generation < self.generation {
                return;
            }
            self.generation = generation;
            self.clear();
        }
        if body.len() > BUDGET_BYTES {
            return;
        }
        if self.bytes + body.len() > BUDGET_BYTES {
            self.clear();
        }
        self.bytes += body.len();
        if let Some(old) = self.bodies.insert(key, body) {
            self.bytes -= old.len();
        }
    }

    /// Number of bodies held.
    pub fn len(&self) -> usize {
        self.bodies.len()
    }

    /// Whether nothing is held.
    pub fn is_empty(&self) -> bool {
        self.bodies.is_empty()
    }

    fn clear(&mut self) {
        self.bodies.clear();
        self.bytes = 0;
    }
}

/// The body for `key` from `state`'s cache, or `render`ed, serialized and kept for the next read.
pub fn cached(
    state: &AppState,
    key: CacheKey,
    render: impl FnOnce() -> Result<serde_json::Value, ApiError>,
) -> Result<Response, ApiError> {
    let generation = state.generation();
    if let Some(body) = lock(&state.responses).get(generation, &key) {
        return Ok(json_response(body));
    }
    let body = to_body(&render()?)?;
    lock(&state.responses).put(generation, key, body.clone());
    Ok(json_response(body))
}

/// Serializes a rendered body exactly as `axum::Json` does, so a cached page is answered with the
/// same bytes and headers as the uncached handlers.
pub fn to_body(value: &serde_json::Value) -> Result<Bytes, ApiError> {
    serde_json::to_vec(value).map(Bytes::from).map_err(|e| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("could not serialize the page: {e}"),
        )
    })
}

/// A `200` with a JSON body, with `axum::Json`'s `Content-Type`.
pub fn json_response(body: Bytes) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(path: &'static str) -> CacheKey {
        CacheKey {
            user: 0,
            playlist: None,
            base: "http://h".into(),
            path,
            params: Params::parse(Some("limit=50")),
        }
    }

    #[test]
    fn serves_only_the_generation_it_was_rendered_in() {
        let mut c = ResponseCache::default();
        c.put(1, key("/me/tracks"), Bytes::from_static(b"one"));
        assert_eq!(
            c.get(1, &key("/me/tracks")),
            Some(Bytes::from_static(b"one"))
        );
        assert_eq!(c.get(1, &key("/me/albums")), None);
        assert_eq!(c.get(2, &key("/me/tracks")), None);
        // A reader of the older world finishing late neither serves nor evicts anything.
        c.put(2, key("/me/albums"), Bytes::from_static(b"two"));
        c.put(1, key("/me/tracks"), Bytes::from_static(b"stale"));
        assert_eq!(c.get(2, &key("/me/tracks")), None);
        assert_eq!(c.len(), 1);
    }

    #[test]
    fn stays_within_its_budget() {
        let mut c = ResponseCache::default();
        let big = Bytes::from(vec![b' '; BUDGET_BYTES / 2 + 1]);
        c.put(1, key("/me/tracks"), big.clone());
        c.put(1, key("/me/albums"), big.clone());
        assert_eq!(c.len(), 1);
        assert!(c.bytes <= BUDGET_BYTES);
        c.put(
            1,
            key("/me/shows"),
            Bytes::from(vec![b' '; BUDGET_BYTES + 1]),
        );
        assert_eq!(c.get(1, &key("/me/shows")), None);
    }
}
