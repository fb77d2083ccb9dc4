//! Tolerant serde models of the Spotify Web API.
//!
//! One Rust type per schema of Spotify's OpenAPI definition (named after the schema
//! without its `Object` suffix: `TrackObject` → [`Track`], `PagingSavedTrackObject` →
//! [`PagingSavedTrack`] = [`Page`]`<`[`SavedTrack`]`>`), plus the bodies of the spec's
//! responses ([`ManyTracks`], [`SearchResults`], [`ErrorResponse`], …) and of the
//! accounts service ([`TokenResponse`], [`TokenError`]).
//!
//! The models are built for the API as it really is, in all its shapes:
//!
//! * **Plain where Spotify always answers.** Most members are plain types (`String`,
//!   `u32`, `bool`, `Vec<T>`, nested structs): `track.name`, `track.album.name`,
//!   `saved.track`. A plain member Spotify leaves out or sends as `null` takes its
//!   default (`""`, `0`, `false`, an empty list, a default object), so one odd body
//!   never fails a parse.
//! * **`Option` where Spotify may not answer.** Members Spotify may leave out or send
//!   as `null`, and those it removed for Development-Mode apps (`popularity`,
//!   `available_markets`, `email`, `followers`, …), are `Option`s: "not sent" stays
//!   apart from `0` or empty.
//! * **Typed.** Ids are typed and lenient (`Option<`[`TrackId`]`>`, …: `None` for the
//!   `null` ids of local files and for strings that are not ids of the kind);
//!   `added_at`/`played_at` are [`OffsetDateTime`]s (the Unix epoch where missing,
//!   except a playlist entry's [`PlaylistTrack::added_at`], an `Option`); release dates
//!   are [`ReleaseDate`]s that know their precision; page links are [`Url`]s. String
//!   enums ([`AlbumType`], [`ItemType`], …) keep values they do not know in an
//!   `Unknown(String)` variant. Playlist entries may hold a [`Track`], an [`Episode`], a
//!   local file, nothing, or an item of a type added later ([`PlayableItem::Unknown`]).
//! * **Both playlist shapes.** Playlists carry their entries under `items` (new) or
//!   `tracks` (old), entries carry the track under `item` (new) or `track` (old);
//!   transition responses carry both. Both members are kept; [`Playlist::items`],
//!   [`Playlist::item_count`] and [`PlaylistTrack::item`] pick whichever is present,
//!   preferring the new one.
//! * **Pages never fail on one entry.** A [`Page`]'s or [`CursorPage`]'s `items` holds
//!   the entries that read; `null` entries and entries that do not read as the item
//!   type are left out and listed, by position, in its `skipped`.
//! * **Unknown members kept.** Members this version does not model are kept in each
//!   struct's `extra` map and written back on serializing, so an export does not drop
//!   what Spotify added after this crate was written.
//!
//! Serializing a model writes what it holds, not the body it was read from: `null`s and
//! missing members may come back as defaults or be left out, timestamps are written as
//! RFC 3339, and pages leave out their skipped entries. For the exact body Spotify sent,
//! use the client's raw path (`spotkit`'s `Spotify::get::<serde_json::Value>`).
//!
//! Model structs are `#[non_exhaustive]`, as Spotify keeps adding members; build one
//! from `Default` and assign its fields (`let mut t = Track::default(); t.name =
//! "Song".to_owned();`).
//!
//! ```
//! use spotkit_model::{PlayableItem, Playlist, ReleaseDatePrecision};
//!
//! let json = r#"{
//!   "name": "Road trip",
//!   "followers": null,
//!   "items": {"items": [
//!     {"added_at": "2026-03-01T10:00:00Z", "item": {"type": "track", "name": "Song",
//!       "id": "4iV5W9uYEdYUVa79Axb7Rh", "artists": [{"name": "Ana"}, {"name": "Bo"}],
//!       "album": {"name": "LP", "release_date": "1981-12", "release_date_precision": "month"}}},
//!     {"added_at": "2026-03-01T10:01:00Z", "item": null},
//!     {"item": {"type": "episode", "name": "Talk"}},
//!     null
//!   ], "total": 4},
//!   "x_future_member": {"anything": true}
//! }"#;
//! let playlist: Playlist = serde_json::from_str(json)?;
//! assert_eq!(playlist.name, "Road trip");
//! assert_eq!(playlist.followers, None); // may be left out: an `Option`
//! assert_eq!(playlist.item_count(), 4);
//!
//! let page = playlist.items().expect("the playlist has items");
//! let names: Vec<&str> = page
//!     .iter()
//!     .filter_map(|entry| entry.item())
//!     .filter_map(PlayableItem::name)
//!     .collect();
//! assert_eq!(names, ["Song", "Talk"]); // the entry whose item is `null` has none
//! assert_eq!(page.skipped.iter().map(|s| s.position).collect::<Vec<_>>(), [3]);
//!
//! let first = &page.items[0];
//! assert_eq!(first.added_at.map(|at| (at.year(), at.hour())), Some((2026, 10)));
//! let track = first.item().and_then(PlayableItem::as_track).expect("a track");
//! assert_eq!(track.artist_names(), "Ana, Bo");
//! assert_eq!(track.id.as_ref().map(|id| id.uri()), Some("spotify:track:4iV5W9uYEdYUVa79Axb7Rh".to_owned()));
//! let released = track.album.release_date.expect("a release date");
//! assert_eq!((released.year, released.precision()), (1981, ReleaseDatePrecision::Month));
//! assert_eq!(track.popularity, None);
//!
//! // What this version does not know survives serializing again.
//! let back = serde_json::to_value(&playlist)?;
//! assert_eq!(back["x_future_member"], serde_json::json!({"anything": true}));
//! # Ok::<(), serde_json::Error>(())
//! ```
//!
//! Typed ids ([`TrackId`], [`PlaylistId`], …) parse bare ids, `spotify:` URIs and
//! `open.spotify.com` URLs; see [`ids`]. [`schema`] maps every schema and response
//! name of the spec to its type, for tools that handle JSON by name.
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]
#![warn(missing_docs)]

mod de;
mod macros;
mod page_read;

pub mod album;
pub mod artist;
pub mod audio;
pub mod audiobook;
pub mod category;
pub mod chapter;
pub mod common;
pub mod episode;
pub mod error;
mod extra;
pub mod ids;
pub mod paging;
pub mod playable;
pub mod player;
pub mod playlist;
pub mod recommendations;
pub mod release_date;
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
pub use ids::*;
pub use paging::*;
pub use playable::*;
pub use player::*;
pub use playlist::*;
pub use recommendations::*;
pub use release_date::{InvalidReleaseDate, ReleaseDate};
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
    pub(crate) use crate::ReleaseDate;
    pub(crate) use crate::common::Extra;
    pub(crate) use crate::ids::*;
    pub(crate) use crate::{
        album::*, artist::*, audio::*, audiobook::*, category::*, chapter::*, common::*,
        episode::*, paging::*, playable::*, player::*, playlist::*, recommendations::*, show::*,
        track::*, user::*,
    };
    pub(crate) use serde_json::Number;
    pub(crate) use time::OffsetDateTime;
}

/// The `time` crate's timestamp type, of every `added_at`/`played_at` member.
pub use time::OffsetDateTime;
/// The `url` crate's URL type, of every page's `next` and `previous`.
pub use url::Url;
