//! Tolerant, lossless serde models of the Spotify Web API.
//!
//! One Rust type per schema of Spotify's OpenAPI definition (named after the schema
//! without its `Object` suffix: `TrackObject` → [`Track`], `PagingSavedTrackObject` →
//! [`PagingSavedTrack`] = [`Page`]`<`[`SavedTrack`]`>`), plus the bodies of the spec's
//! responses ([`ManyTracks`], [`SearchResults`], [`ErrorResponse`], …) and of the
//! accounts service ([`TokenResponse`], [`TokenError`]).
//!
//! The models are built for the API as it really is, in all its shapes:
//!
//! * **Tolerant.** Every member is a [`Field`] (absent / `null` / value), so a
//!   Development-Mode response without `popularity`, `email` or `available_markets`
//!   parses as well as an Extended-Quota one. String enums ([`AlbumType`],
//!   [`ItemType`], …) keep values they do not know in an `Unknown(String)` variant.
//!   Playlist entries may hold a [`Track`], an [`Episode`], a local file, `null`, or
//!   an item of a type added later ([`PlayableItem::Unknown`]).
//! * **Both playlist shapes.** Playlists carry their entries under `items` (new) or
//!   `tracks` (old), entries carry the track under `item` (new) or `track` (old);
//!   transition responses carry both. Both members are kept; [`Playlist::items`] and
//!   [`PlaylistTrack::item`] pick whichever is present, preferring the new one.
//! * **Lossless.** Members this version does not model are kept in each struct's
//!   `extra` map, `null` stays `null`, a missing member stays missing, and numbers
//!   keep their spelling (`1` vs `1.0`, via [`serde_json::Number`]). Parsing and
//!   serializing again gives back the same JSON value (known members are written in
//!   the spec's order, unknown ones after them in their original order): an export
//!   never drops what Spotify added after this crate was written.
//!
//! Model structs are `#[non_exhaustive]`, as Spotify keeps adding members; build one
//! from `Default` and assign its fields (`let mut t = Track::default(); t.name =
//! "Song".to_owned().into();`).
//!
//! ```
//! use spotkit_model::{Playlist, PlayableItem};
//!
//! let json = r#"{
//!   "name": "Road trip",
//!   "items": {"items": [
//!     {"added_at": "2026-03-01T10:00:00Z", "item": {"type": "track", "name": "Song", "id": "4iV5W9uYEdYUVa79Axb7Rh"}},
//!     {"added_at": "2026-03-01T10:01:00Z", "item": null},
//!     {"item": {"type": "episode", "name": "Talk"}, "primary_color": null}
//!   ], "total": 3},
//!   "x_future_member": {"anything": true}
//! }"#;
//! let playlist: Playlist = serde_json::from_str(json)?;
//! let page = playlist.items().expect("the playlist has items");
//! let names: Vec<_> = page
//!     .iter()
//!     .filter_map(|entry| entry.item())
//!     .map(|item| item.name().unwrap_or("?"))
//!     .collect();
//! assert_eq!(names, ["Song", "Talk"]);
//! assert!(matches!(page.iter().next().and_then(|e| e.item()), Some(PlayableItem::Track(_))));
//!
//! // Nothing was lost on the way.
//! let back = serde_json::to_value(&playlist)?;
//! assert_eq!(back, serde_json::from_str::<serde_json::Value>(json)?);
//! # Ok::<(), serde_json::Error>(())
//! ```
//!
//! Typed ids ([`TrackId`], [`PlaylistId`], …) parse bare ids, `spotify:` URIs and
//! `open.spotify.com` URLs; see [`ids`]. [`schema`] maps every schema and response
//! name of the spec to its type, for tools that handle JSON by name.
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]
#![warn(missing_docs)]

mod macros;

pub mod album;
pub mod artist;
pub mod audio;
pub mod audiobook;
pub mod category;
pub mod chapter;
pub mod common;
pub mod episode;
pub mod error;
pub mod field;
pub mod ids;
pub mod paging;
pub mod playable;
pub mod player;
pub mod playlist;
pub mod recommendations;
pub mod responses;
pub mod schema;
pub mod search;
pub mod show;
pub mod token;
pub mod track;
pub mod user;

pub use album::*;
pub use artist::*;
pub use audio::*;
pub use audiobook::*;
pub use category::*;
pub use chapter::*;
pub use common::*;
pub use episode::*;
pub use error::Error;
pub use field::{Extra, Field};
pub use ids::*;
pub use paging::*;
pub use playable::*;
pub use player::*;
pub use playlist::*;
pub use recommendations::*;
pub use responses::*;
pub use search::*;
pub use show::*;
pub use token::*;
pub use track::*;
pub use user::*;

/// The `serde_json` this crate is built with (for [`Number`], [`Value`](serde_json::Value)
/// and [`Extra`] maps).
pub use serde_json;
/// A JSON number that keeps its spelling (`1` stays `1`, `1.0` stays `1.0`); the type
/// of every `number` member. Use [`Number::as_f64`] to compute with it.
pub use serde_json::Number;

/// What the model modules need from each other.
mod prelude {
    pub(crate) use crate::field::{Extra, Field};
    pub(crate) use crate::{
        album::*, artist::*, audio::*, audiobook::*, category::*, chapter::*, common::*,
        episode::*, paging::*, playable::*, player::*, playlist::*, recommendations::*, show::*,
        track::*, user::*,
    };
    pub(crate) use serde_json::Number;
}
