//! spotkit: an async client of the Spotify Web API that survives the real API.
//!
//! # Quick start
//!
//! ```no_run
//! use futures::TryStreamExt;
//! use spotkit::{Spotify, auth::{LoopbackConfig, LoopbackListener}, token::FileStore};
//!
//! # async fn demo() -> spotkit::Result<()> {
//! let spotify = Spotify::builder().pkce("your-client-id").token_store(FileStore::new()?, "default").build()?;
//! if spotify.auth().token().await?.is_none() {
//!     let listener = LoopbackListener::bind(LoopbackConfig::default().port(8888)).await?;
//!     let scopes = ["user-library-read", "playlist-read-private"];
//!     spotify.auth().login_with_loopback(listener, &scopes, std::time::Duration::from_secs(300), |url| println!("Open {url}")).await?;
//! }
//! let mut liked = spotify.tracks().saved().limit(50).stream();
//! while let Some(saved) = liked.try_next().await? {
//!     println!("{} by {}, liked {}", saved.track.name, saved.track.artist_names(), saved.added_at.date());
//! }
//! # Ok(()) }
//! ```
//!
//! # Overview
//!
//! One [`Spotify`] value (cheap to clone) owns a reqwest connection pool, the token and the
//! retry/rate settings; it hands out short-lived *handlers* per API area, named after the first
//! OpenAPI tag: [`Spotify::tracks`], [`Spotify::playlists`], [`Spotify::users`], ... Each handler
//! method returns a builder whose setters are the query parameters and which ends in `.send()`
//! (one page or object), `.stream()` or `.all()` (every item of a list).
//!
//! | module | owns |
//! |---|---|
//! | [`auth`] | PKCE / Authorization Code / Client Credentials logins, loopback redirect, paste fallback |
//! | [`token`] | [`Token`](token::Token), secret types, [`TokenStore`](token::TokenStore), [`FileStore`](token::FileStore), [`MemoryStore`](token::MemoryStore) |
//! | [`http`] | [`RetryPolicy`](http::RetryPolicy) (429 / 5xx / resets / 401) and the optional [`RateLimit`](http::RateLimit) governor |
//! | [`paging`] | sequential and concurrent (in-order) streams over [`Page`] and [`CursorPage`](paging::CursorPage) |
//! | [`api`] | the handlers and their builders |
//! | [`model`] | the response models (re-export of `spotkit-model`) |
//! | [`Error`] | one error type, sorted by what the caller can do |
//!
//! What the client does for you:
//! * tokens are renewed 60 s before they expire, *once* for any number of concurrent tasks
//!   (single-flight), and once for any number of processes sharing a token store (the store's
//!   renewal lock, see [`TokenStore`](token::TokenStore)); a rotated PKCE refresh token is stored
//!   atomically; `invalid_grant` becomes [`Error::ReauthorizationRequired`] (after one more look
//!   at the store, in case another process rotated the token) and is never retried;
//! * 429 waits `Retry-After` up to a cap (default 60 s), beyond it returns
//!   [`Error::RateLimited`] at once; a 429 whose reason is `QUOTA_EXCEEDED` (the developer
//!   account's shared quota is used up) is [`Error::QuotaExceeded`] at once and never retried;
//!   5xx, resets and timeouts are retried with exponential
//!   backoff and full jitter, but only for requests that are safe to repeat;
//! * lists are fetched several pages at a time once the first page tells the total, still in
//!   order;
//! * long writes and multi-gets are one call: adding 1 000 items to a playlist sends 100 per
//!   request in order (also at a `position`) and returns the final `snapshot_id`;
//!   `/me/library` takes 40 URIs per request, id lists 50 (albums 20);
//! * player commands fail with [`Error::NoActiveDevice`] or [`Error::PremiumRequired`] when
//!   Spotify says so;
//! * every one of the spec's 97 operations has a method, listed with its path, scopes and
//!   availability in the operation table of the crate README ([Operation
//!   coverage](https://github.com/spotkit/spotkit/tree/main/crates/spotkit#operation-coverage));
//!   those removed for Development-Mode apps in February 2026 are `#[deprecated]` with the
//!   replacement named, and still work for Extended-Quota apps;
//! * secrets never appear in `Debug`, logs or errors.
//!
//! Token requests are built by the [`oauth2`] crate and sent over spotkit's own reqwest client;
//! see [`auth`] for why and where that stops.
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]
#![warn(missing_docs)]

#[macro_use]
mod secret;

pub mod api;
pub mod auth;
mod client;
mod error;
pub mod http;
pub mod paging;
pub mod token;

pub use client::{
    DEFAULT_ACCOUNTS_BASE, DEFAULT_API_BASE, PlaylistItemsEndpoint, Spotify, SpotifyBuilder,
};
pub use error::{Error, Result};
pub use paging::Page;
/// The response models (the `spotkit-model` crate).
pub use spotkit_model as model;

/// The library guide (`docs/library.md`): every snippet in it runs as a doctest against the
/// sandbox, so the guide cannot drift from the API.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/library.md")]
pub struct LibraryGuide;
