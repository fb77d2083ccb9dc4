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
/// A `null` entry is not a `PlayableItem`: the member holding it is `None`.
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
            Self::Track(t) => Some(t.kind.as_str()).filter(|k| !k.is_empty()),
            Self::Episode(e) => Some(e.kind.as_str()).filter(|k| !k.is_empty()),
            Self::Unknown(v) => v.get("type").and_then(Value::as_str),
        }
    }

    /// A string member of whatever this is (`None` when empty or missing).
    fn str_member<'a>(
        &'a self,
        track: impl FnOnce(&'a Track) -> &'a str,
        episode: impl FnOnce(&'a Episode) -> &'a str,
        key: &str,
    ) -> Option<&'a str> {
        match self {
            Self::Track(t) => Some(track(t)),
            Self::Episode(e) => Some(episode(e)),
            Self::Unknown(v) => v.get(key).and_then(Value::as_str),
        }
        .filter(|s| !s.is_empty())
    }

    /// The bare Spotify id (`None` for local files and unknown items without one).
    pub fn id(&self) -> Option<&str> {
        match self {
            Self::Track(t) => t.id.as_ref().map(TrackId::id),
            Self::Episode(e) => e.id.as_ref().map(EpisodeId::id),
            Self::Unknown(v) => v.get("id").and_then(Value::as_str),
        }
    }

    /// The Spotify URI (`spotify:local:…` for local files).
    pub fn uri(&self) -> Option<&str> {
        self.str_member(|t| &t.uri, |e| &e.uri, "uri")
    }

    /// The typed URI to add this item to a playlist or the queue with (`None` for local
    /// files and unknown items).
    pub fn playable_uri(&self) -> Option<PlayableUri> {
        match self {
            Self::Track(t) => t.id.clone().map(PlayableUri::Track),
            Self::Episode(e) => e.id.clone().map(PlayableUri::Episode),
            Self::Unknown(_) => None,
        }
    }

    /// The name.
    pub fn name(&self) -> Option<&str> {
        self.str_member(|t| &t.name, |e| &e.name, "name")
    }

    /// The artists' names joined with `", "` for a track, the show's name for an
    /// episode (the nearest thing to an artist a podcast has), `""` otherwise.
    pub fn artist_names(&self) -> String {
        match self {
            Self::Track(t) => t.artist_names(),
            Self::Episode(e) => e.show.name.clone(),
            Self::Unknown(_) => String::new(),
        }
    }

    /// The duration in milliseconds.
    pub fn duration_ms(&self) -> Option<u64> {
        match self {
            Self::Track(t) => Some(t.duration_ms),
            Self::Episode(e) => Some(e.duration_ms),
            Self::Unknown(v) => v.get("duration_ms").and_then(Value::as_u64),
        }
    }

    /// The duration.
    pub fn duration(&self) -> Option<std::time::Duration> {
        self.duration_ms().map(std::time::Duration::from_millis)
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
