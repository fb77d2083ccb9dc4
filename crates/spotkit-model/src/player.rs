//! Playback state, devices, queue and listening history.

use serde::{Deserialize, Serialize};

use crate::macros::string_enum;
use crate::prelude::*;

/// The playback state (`CurrentlyPlayingContextObject`, from `GET /me/player`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CurrentlyPlayingContext {
    /// The device that is currently active.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub device: Device,
    /// off, track, context
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub repeat_state: RepeatState,
    /// If shuffle is on or off.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub shuffle_state: bool,
    /// A Context Object. Can be `null`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<Context>,
    /// Unix Millisecond Timestamp when playback state was last changed (play, pause, skip, scrub, new song, etc.).
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub timestamp: i64,
    /// Progress into the currently playing track or episode. Can be `null`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub progress_ms: Option<u64>,
    /// If something is currently playing, return `true`.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub is_playing: bool,
    /// The currently playing track or episode. Can be `null`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<PlayableItem>,
    /// The object type of the currently playing item. Can be one of `track`, `episode`, `ad` or `unknown`.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub currently_playing_type: CurrentlyPlayingType,
    /// Allows to update the user interface based on which playback actions are available within the current context.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actions: Option<Disallows>,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The currently playing item (`CurrentlyPlayingObject`, from `GET /me/player/currently-playing`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CurrentlyPlaying {
    /// A Context Object. Can be `null`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<Context>,
    /// Unix Millisecond Timestamp when data was fetched
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub timestamp: i64,
    /// Progress into the currently playing track or episode. Can be `null`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub progress_ms: Option<u64>,
    /// If something is currently playing, return `true`.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub is_playing: bool,
    /// The currently playing track or episode. Can be `null`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<PlayableItem>,
    /// The object type of the currently playing item. Can be one of `track`, `episode`, `ad` or `unknown`.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub currently_playing_type: CurrentlyPlayingType,
    /// Allows to update the user interface based on which playback actions are available within the current context.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actions: Option<Disallows>,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The user's queue (`QueueObject`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Queue {
    /// The currently playing track or episode. Can be `null`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currently_playing: Option<PlayableItem>,
    /// The tracks or episodes in the queue. Can be empty.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub queue: Vec<PlayableItem>,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A recently played track (`PlayHistoryObject`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PlayHistory {
    /// The track the user listened to.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub track: Track,
    /// The date and time the track was played.
    #[serde(
        default = "crate::de::epoch",
        deserialize_with = "crate::de::timestamp",
        serialize_with = "crate::de::ser_timestamp"
    )]
    pub played_at: OffsetDateTime,
    /// The context the track was played from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<Context>,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Default for PlayHistory {
    /// Empty, saved at the Unix epoch.
    fn default() -> Self {
        PlayHistory {
            track: Track::default(),
            played_at: OffsetDateTime::UNIX_EPOCH,
            context: None,
            extra: Extra::new(),
        }
    }
}

/// A device that can play (`DeviceObject`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Device {
    /// The device ID. This ID is unique and persistent to some extent. However, this is not guaranteed and any cached `device_id` should periodically be cleared out and refetched as necessary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<DeviceId>,
    /// If this device is the currently active device.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub is_active: bool,
    /// If this device is currently in a private session.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub is_private_session: bool,
    /// Whether controlling this device is restricted. At present if this is "true" then no Web API commands will be accepted by this device.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub is_restricted: bool,
    /// A human-readable name for the device. Some devices have a name that the user can configure (e.g. \"Loudest speaker\") and some devices have a generic name associated with the manufacturer or device model.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub name: String,
    /// Device type, such as "computer", "smartphone" or "speaker".
    #[serde(rename = "type", default, deserialize_with = "crate::de::null_default")]
    pub kind: String,
    /// The current volume in percent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume_percent: Option<u32>,
    /// If this device can be used to set the volume.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub supports_volume: bool,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Which playback actions are not allowed (`DisallowsObject`).
///
/// Spotify actually nests these under `actions.disallows`; that shape is kept in `extra`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Disallows {
    /// Interrupting playback. Optional field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interrupting_playback: Option<bool>,
    /// Pausing. Optional field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pausing: Option<bool>,
    /// Resuming. Optional field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resuming: Option<bool>,
    /// Seeking playback location. Optional field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seeking: Option<bool>,
    /// Skipping to the next context. Optional field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skipping_next: Option<bool>,
    /// Skipping to the previous context. Optional field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skipping_prev: Option<bool>,
    /// Toggling repeat context flag. Optional field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub toggling_repeat_context: Option<bool>,
    /// Toggling shuffle flag. Optional field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub toggling_shuffle: Option<bool>,
    /// Toggling repeat track flag. Optional field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub toggling_repeat_track: Option<bool>,
    /// Transfering playback between devices. Optional field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transferring_playback: Option<bool>,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

/// What the playback was started from: album, artist, playlist, show (`ContextObject`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Context {
    /// The object type, e.g. "artist", "playlist", "album", "show".
    #[serde(rename = "type", default, deserialize_with = "crate::de::null_default")]
    pub kind: ItemType,
    /// A link to the Web API endpoint providing full details of the track.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    /// External URLs for this context.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub external_urls: ExternalUrl,
    /// The [Spotify URI](https://developer.spotify.com/documentation/web-api/concepts/spotify-uris-ids) for the context.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub uri: String,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

string_enum! {
    /// The repeat mode of playback (`repeat_state`).
    pub enum RepeatState {
        /// Repeat is off.
        Off => "off",
        /// The current track repeats.
        Track => "track",
        /// The current context repeats.
        Context => "context",
    }
}

string_enum! {
    /// What is playing (`currently_playing_type`).
    ///
    /// Spotify also sends `unknown`, which becomes `Unknown("unknown")`.
    pub enum CurrentlyPlayingType {
        /// A track.
        Track => "track",
        /// A podcast episode.
        Episode => "episode",
        /// An advertisement.
        Ad => "ad",
    }
}
