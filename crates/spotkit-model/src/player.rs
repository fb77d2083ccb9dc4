//! Playback state, devices, queue and listening history.

use serde::{Deserialize, Serialize};

use crate::macros::string_enum;
use crate::prelude::*;

/// The playback state (`CurrentlyPlayingContextObject`, from `GET /me/player`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CurrentlyPlayingContext {
    /// The device that is currently active.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub device: Field<Device>,
    /// off, track, context
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub repeat_state: Field<RepeatState>,
    /// If shuffle is on or off.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub shuffle_state: Field<bool>,
    /// A Context Object. Can be `null`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub context: Field<Context>,
    /// Unix Millisecond Timestamp when playback state was last changed (play, pause, skip, scrub, new song, etc.).
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub timestamp: Field<i64>,
    /// Progress into the currently playing track or episode. Can be `null`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub progress_ms: Field<u64>,
    /// If something is currently playing, return `true`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub is_playing: Field<bool>,
    /// The currently playing track or episode. Can be `null`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub item: Field<PlayableItem>,
    /// The object type of the currently playing item. Can be one of `track`, `episode`, `ad` or `unknown`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub currently_playing_type: Field<CurrentlyPlayingType>,
    /// Allows to update the user interface based on which playback actions are available within the current context.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub actions: Field<Disallows>,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The currently playing item (`CurrentlyPlayingObject`, from `GET /me/player/currently-playing`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CurrentlyPlaying {
    /// A Context Object. Can be `null`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub context: Field<Context>,
    /// Unix Millisecond Timestamp when data was fetched
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub timestamp: Field<i64>,
    /// Progress into the currently playing track or episode. Can be `null`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub progress_ms: Field<u64>,
    /// If something is currently playing, return `true`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub is_playing: Field<bool>,
    /// The currently playing track or episode. Can be `null`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub item: Field<PlayableItem>,
    /// The object type of the currently playing item. Can be one of `track`, `episode`, `ad` or `unknown`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub currently_playing_type: Field<CurrentlyPlayingType>,
    /// Allows to update the user interface based on which playback actions are available within the current context.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub actions: Field<Disallows>,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The user's queue (`QueueObject`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Queue {
    /// The currently playing track or episode. Can be `null`.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub currently_playing: Field<PlayableItem>,
    /// The tracks or episodes in the queue. Can be empty.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub queue: Field<Vec<PlayableItem>>,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A recently played track (`PlayHistoryObject`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PlayHistory {
    /// The track the user listened to.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub track: Field<Track>,
    /// The date and time the track was played.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub played_at: Field<String>,
    /// The context the track was played from.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub context: Field<Context>,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A device that can play (`DeviceObject`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Device {
    /// The device ID. This ID is unique and persistent to some extent. However, this is not guaranteed and any cached `device_id` should periodically be cleared out and refetched as necessary.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub id: Field<String>,
    /// If this device is the currently active device.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub is_active: Field<bool>,
    /// If this device is currently in a private session.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub is_private_session: Field<bool>,
    /// Whether controlling this device is restricted. At present if this is "true" then no Web API commands will be accepted by this device.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub is_restricted: Field<bool>,
    /// A human-readable name for the device. Some devices have a name that the user can configure (e.g. \"Loudest speaker\") and some devices have a generic name associated with the manufacturer or device model.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub name: Field<String>,
    /// Device type, such as "computer", "smartphone" or "speaker".
    #[serde(rename = "type", default, skip_serializing_if = "Field::is_absent")]
    pub kind: Field<String>,
    /// The current volume in percent.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub volume_percent: Field<u32>,
    /// If this device can be used to set the volume.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub supports_volume: Field<bool>,
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
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub interrupting_playback: Field<bool>,
    /// Pausing. Optional field.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub pausing: Field<bool>,
    /// Resuming. Optional field.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub resuming: Field<bool>,
    /// Seeking playback location. Optional field.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub seeking: Field<bool>,
    /// Skipping to the next context. Optional field.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub skipping_next: Field<bool>,
    /// Skipping to the previous context. Optional field.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub skipping_prev: Field<bool>,
    /// Toggling repeat context flag. Optional field.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub toggling_repeat_context: Field<bool>,
    /// Toggling shuffle flag. Optional field.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub toggling_shuffle: Field<bool>,
    /// Toggling repeat track flag. Optional field.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub toggling_repeat_track: Field<bool>,
    /// Transfering playback between devices. Optional field.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub transferring_playback: Field<bool>,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

/// What the playback was started from: album, artist, playlist, show (`ContextObject`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Context {
    /// The object type, e.g. "artist", "playlist", "album", "show".
    #[serde(rename = "type", default, skip_serializing_if = "Field::is_absent")]
    pub kind: Field<ItemType>,
    /// A link to the Web API endpoint providing full details of the track.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub href: Field<String>,
    /// External URLs for this context.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub external_urls: Field<ExternalUrl>,
    /// The [Spotify URI](https://developer.spotify.com/documentation/web-api/concepts/spotify-uris-ids) for the context.
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub uri: Field<String>,
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
