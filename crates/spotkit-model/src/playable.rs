//! [`PlayableItem`]: what a playlist entry, the queue or the player holds.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::prelude::*;

/// A track, an episode, or an item of a type this version does not know.
///
/// Chosen by the object's `type` member: `"track"` → [`PlayableItem::Track`],
/// `"episode"` → [`PlayableItem::Episode`], anything else (or a value that is not an
/// object) → [`PlayableItem::Unknown`] holding the JSON as it was. An object without
/// `type` (e.g. trimmed by a `fields` filter) is an episode if it has a `show`, else
/// a track.
///
/// Local files are tracks whose `is_local` is `true` and whose ids are `null`.
/// A `null` entry is not a `PlayableItem`: it parses as `Field::Null` (or `None`).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum PlayableItem {
    /// A track (`type: "track"`), including local files.
    Track(Box<Track>),
    /// A podcast episode (`type: "episode"`).
    Episode(Box<Episode>),
    /// Anything else, kept verbatim.
    Unknown(Value),
}

impl PlayableItem {
    /// The track, if this is one.
    pub fn as_track(&self) -> Option<&Track> {
        match self {
            Self::Track(t) => Some(t),
            _ => None,
        }
    }

    /// The episode, if this is one.
    pub fn as_episode(&self) -> Option<&Episode> {
        match self {
            Self::Episode(e) => Some(e),
            _ => None,
        }
    }

    /// The `type` member as sent (`"track"`, `"episode"`, …), if any.
    pub fn type_name(&self) -> Option<&str> {
        match self {
            Self::Track(t) => t.kind.get().map(ItemType::as_str),
            Self::Episode(e) => e.kind.get().map(ItemType::as_str),
            Self::Unknown(v) => v.get("type").and_then(Value::as_str),
        }
    }

    /// A string member of whatever this is.
    fn str_member<'a>(
        &'a self,
        track: impl FnOnce(&'a Track) -> &'a Field<String>,
        episode: impl FnOnce(&'a Episode) -> &'a Field<String>,
        key: &str,
    ) -> Option<&'a str> {
        match self {
            Self::Track(t) => track(t).as_deref(),
            Self::Episode(e) => episode(e).as_deref(),
            Self::Unknown(v) => v.get(key).and_then(Value::as_str),
        }
    }

    /// The Spotify id (`None` for local files).
    pub fn id(&self) -> Option<&str> {
        self.str_member(|t| &t.id, |e| &e.id, "id")
    }

    /// The Spotify URI (`spotify:local:…` for local files).
    pub fn uri(&self) -> Option<&str> {
        self.str_member(|t| &t.uri, |e| &e.uri, "uri")
    }

    /// The name.
    pub fn name(&self) -> Option<&str> {
        self.str_member(|t| &t.name, |e| &e.name, "name")
    }

    /// The duration in milliseconds.
    pub fn duration_ms(&self) -> Option<u64> {
        match self {
            Self::Track(t) => t.duration_ms.get().copied(),
            Self::Episode(e) => e.duration_ms.get().copied(),
            Self::Unknown(v) => v.get("duration_ms").and_then(Value::as_u64),
        }
    }

    /// `true` for a local file (a track with `is_local: true`).
    pub fn is_local_file(&self) -> bool {
        self.as_track().is_some_and(Track::is_local_file)
    }
}

impl From<Track> for PlayableItem {
    fn from(track: Track) -> Self {
        Self::Track(Box::new(track))
    }
}

impl From<Episode> for PlayableItem {
    fn from(episode: Episode) -> Self {
        Self::Episode(Box::new(episode))
    }
}

impl Serialize for PlayableItem {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Track(t) => t.serialize(serializer),
            Self::Episode(e) => e.serialize(serializer),
            Self::Unknown(v) => v.serialize(serializer),
        }
    }
}

/// Which variant an object becomes.
enum Kind {
    Track,
    Episode,
    Unknown,
}

fn kind_of(value: &Value) -> Kind {
    let Some(object) = value.as_object() else {
        return Kind::Unknown;
    };
    match object.get("type") {
        Some(Value::String(t)) if t == "track" => Kind::Track,
        Some(Value::String(t)) if t == "episode" => Kind::Episode,
        Some(_) => Kind::Unknown,
        None if object.contains_key("show") => Kind::Episode,
        None => Kind::Track,
    }
}

/// Parses `value` as `T`, reporting the path inside the item on failure (the outer
/// path up to the item is added by the caller's deserializer).
fn parse<'de, T: Deserialize<'de>, E: serde::de::Error>(value: Value, what: &str) -> Result<T, E> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        E::custom(format_args!(
            "invalid {what} at `{path}`: {}",
            e.into_inner()
        ))
    })
}

impl<'de> Deserialize<'de> for PlayableItem {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // The object is buffered once to look at `type` before choosing the type;
        // items are small, and this keeps unknown types verbatim.
        let value = Value::deserialize(deserializer)?;
        match kind_of(&value) {
            Kind::Track => parse::<Track, D::Error>(value, "track").map(Self::from),
            Kind::Episode => parse::<Episode, D::Error>(value, "episode").map(Self::from),
            Kind::Unknown => Ok(Self::Unknown(value)),
        }
    }
}
