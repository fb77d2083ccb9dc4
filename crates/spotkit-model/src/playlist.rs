//! Playlists and their entries, in both the Development-Mode (`items`/`item`) and the
//! Extended-Quota (`tracks`/`track`) shape.

use serde::{Deserialize, Serialize};

use crate::prelude::*;

/// A playlist (`PlaylistObject`).
///
/// Development-Mode apps get the items under `items`, Extended-Quota apps under
/// `tracks`, transition responses under both; [`Playlist::items`] picks whichever is there.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Playlist {
    /// `true` if the owner allows other users to modify the playlist.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub collaborative: bool,
    /// The playlist description. _Only returned for modified, verified playlists, otherwise_ `null`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Known external URLs for this playlist.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub external_urls: ExternalUrl,
    /// A link to the Web API endpoint providing full details of the playlist.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    /// The [Spotify ID](https://developer.spotify.com/documentation/web-api/concepts/spotify-uris-ids) for the playlist.
    #[serde(
        default,
        deserialize_with = "crate::de::id",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<PlaylistId>,
    /// Images for the playlist. The array may be empty or contain up to three images. The images are returned by size in descending order. See [Working with Playlists](https://developer.spotify.com/documentation/web-api/concepts/playlists). _**Note**: If returned, the source URL for the image (`url`) is temporary and will expire in less than a day._
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub images: Vec<Image>,
    /// The name of the playlist.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub name: String,
    /// The user who owns the playlist
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub owner: PlaylistOwner,
    /// The playlist's public/private status (if it is added to the user's profile): `true` the playlist is public, `false` the playlist is private, `null` the playlist status is not relevant. For more about public/private status, see [Working with Playlists](https://developer.spotify.com/documentation/web-api/concepts/playlists)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public: Option<bool>,
    /// The version identifier for the current playlist. Can be supplied in other requests to target a specific playlist version
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub snapshot_id: String,
    /// The items of the playlist. _**Note**: This field is only available for playlists owned by the current user or playlists the user is a collaborator of._
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<PagingPlaylistTrack>,
    /// **Deprecated:** Use `items` instead. The tracks of the playlist.
    ///
    /// _Deprecated in Spotify's API definition; may be missing (e.g. for Development-Mode apps)._
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tracks: Option<PagingPlaylistTrack>,
    /// The object type: "playlist"
    #[serde(rename = "type", default, deserialize_with = "crate::de::null_default")]
    pub kind: ItemType,
    /// The [Spotify URI](https://developer.spotify.com/documentation/web-api/concepts/spotify-uris-ids) for the playlist.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub uri: String,
    /// Information about the followers of the playlist.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub followers: Option<Followers>,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A playlist as listed in the user's playlists or search results (`SimplifiedPlaylistObject`).
///
/// The `{href, total}` reference to the items is under `items` (new) or `tracks` (old);
/// [`SimplifiedPlaylist::items`] picks whichever is there.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SimplifiedPlaylist {
    /// `true` if the owner allows other users to modify the playlist.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub collaborative: bool,
    /// The playlist description. _Only returned for modified, verified playlists, otherwise_ `null`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Known external URLs for this playlist.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub external_urls: ExternalUrl,
    /// A link to the Web API endpoint providing full details of the playlist.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    /// The [Spotify ID](https://developer.spotify.com/documentation/web-api/concepts/spotify-uris-ids) for the playlist.
    #[serde(
        default,
        deserialize_with = "crate::de::id",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<PlaylistId>,
    /// Images for the playlist. The array may be empty or contain up to three images. The images are returned by size in descending order. See [Working with Playlists](https://developer.spotify.com/documentation/web-api/concepts/playlists). _**Note**: If returned, the source URL for the image (`url`) is temporary and will expire in less than a day._
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub images: Vec<Image>,
    /// The name of the playlist.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub name: String,
    /// The user who owns the playlist
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub owner: PlaylistOwner,
    /// The playlist's public/private status (if it is added to the user's profile): `true` the playlist is public, `false` the playlist is private, `null` the playlist status is not relevant. For more about public/private status, see [Working with Playlists](https://developer.spotify.com/documentation/web-api/concepts/playlists)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public: Option<bool>,
    /// The version identifier for the current playlist. Can be supplied in other requests to target a specific playlist version
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub snapshot_id: String,
    /// A collection containing a link ( `href` ) to the Web API endpoint where full details of the playlist's items can be retrieved, along with the `total` number of items in the playlist. Note, a track object may be `null`. This can happen if a track is no longer available.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<PlaylistTracksRef>,
    /// **Deprecated:** Use `items` instead. A collection containing a link ( `href` ) to the Web API endpoint where full details of the playlist's tracks can be retrieved, along with the `total` number of tracks in the playlist. Note, a track object may be `null`. This can happen if a track is no longer available.
    ///
    /// _Deprecated in Spotify's API definition; may be missing (e.g. for Development-Mode apps)._
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tracks: Option<PlaylistTracksRef>,
    /// The object type: "playlist"
    #[serde(rename = "type", default, deserialize_with = "crate::de::null_default")]
    pub kind: ItemType,
    /// The [Spotify URI](https://developer.spotify.com/documentation/web-api/concepts/spotify-uris-ids) for the playlist.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub uri: String,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

/// An entry of a playlist (`PlaylistTrackObject`): the track or episode plus who added it when.
///
/// The track or episode is under `item` (new) or `track` (old), or both in transition
/// responses; [`PlaylistTrack::item`] picks whichever is there.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PlaylistTrack {
    /// The date and time the track or episode was added. _**Note**: some very old playlists may return `null` in this field._
    #[serde(
        default,
        deserialize_with = "crate::de::timestamp_opt",
        serialize_with = "crate::de::ser_timestamp_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub added_at: Option<OffsetDateTime>,
    /// The Spotify user who added the track or episode. _**Note**: some very old playlists may return `null` in this field._
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub added_by: Option<PlaylistUser>,
    /// Whether this track or episode is a [local file](https://developer.spotify.com/documentation/web-api/concepts/playlists/#local-files) or not.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub is_local: bool,
    /// Information about the track or episode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<PlayableItem>,
    /// **Deprecated:** Use `item` instead. Information about the track or episode.
    ///
    /// _Deprecated in Spotify's API definition; may be missing (e.g. for Development-Mode apps)._
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub track: Option<PlayableItem>,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Where to fetch a playlist's items and how many there are (`PlaylistTracksRefObject`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PlaylistTracksRef {
    /// A link to the Web API endpoint where full details of the playlist's tracks can be retrieved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    /// Number of tracks in the playlist.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub total: u32,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The user who added a playlist item (`PlaylistUserObject`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PlaylistUser {
    /// Known public external URLs for this user.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub external_urls: ExternalUrl,
    /// A link to the Web API endpoint for this user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    /// The [Spotify user ID](https://developer.spotify.com/documentation/web-api/concepts/spotify-uris-ids) for this user.
    #[serde(
        default,
        deserialize_with = "crate::de::id",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<UserId>,
    /// The object type.
    #[serde(rename = "type", default, deserialize_with = "crate::de::null_default")]
    pub kind: ItemType,
    /// The [Spotify URI](https://developer.spotify.com/documentation/web-api/concepts/spotify-uris-ids) for this user.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub uri: String,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The owner of a playlist (`PlaylistOwnerObject`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PlaylistOwner {
    /// Known public external URLs for this user.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub external_urls: ExternalUrl,
    /// A link to the Web API endpoint for this user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    /// The [Spotify user ID](https://developer.spotify.com/documentation/web-api/concepts/spotify-uris-ids) for this user.
    #[serde(
        default,
        deserialize_with = "crate::de::id",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<UserId>,
    /// The object type.
    #[serde(rename = "type", default, deserialize_with = "crate::de::null_default")]
    pub kind: ItemType,
    /// The [Spotify URI](https://developer.spotify.com/documentation/web-api/concepts/spotify-uris-ids) for this user.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub uri: String,
    /// The name displayed on the user's profile. `null` if not available.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Featured playlists with their localized message (`PagingFeaturedPlaylistObject`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FeaturedPlaylists {
    /// The localized message of a playlist.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The `playlists` member.
    #[serde(default, deserialize_with = "crate::de::null_default")]
    pub playlists: PagingPlaylist,
    /// Members this version does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The name Spotify's newer docs use for a playlist entry ([`PlaylistTrack`]).
pub type PlaylistItem = PlaylistTrack;

impl Playlist {
    /// The page of entries: `items` (Development Mode) if present, else `tracks`
    /// (Extended Quota).
    pub fn items(&self) -> Option<&Page<PlaylistTrack>> {
        self.items.as_ref().or(self.tracks.as_ref())
    }

    /// Mutable access to the page of entries, like [`Playlist::items`].
    pub fn items_mut(&mut self) -> Option<&mut Page<PlaylistTrack>> {
        if self.items.is_some() {
            self.items.as_mut()
        } else {
            self.tracks.as_mut()
        }
    }

    /// How many entries the playlist has, under either API generation.
    pub fn item_count(&self) -> u32 {
        self.items().map_or(0, |page| page.total)
    }
}

impl SimplifiedPlaylist {
    /// The `{href, total}` reference to the entries: `items` (Development Mode) if
    /// present, else `tracks` (Extended Quota).
    pub fn items(&self) -> Option<&PlaylistTracksRef> {
        self.items.as_ref().or(self.tracks.as_ref())
    }

    /// How many entries the playlist has, under either API generation (`0` when Spotify
    /// sent neither `items` nor `tracks`).
    pub fn item_count(&self) -> u32 {
        self.items().map_or(0, |r| r.total)
    }
}

impl PlaylistTrack {
    /// The track or episode: `item` (Development Mode) if present, else `track`
    /// (Extended Quota). `None` when both are `null` or absent (e.g. an item that
    /// is no longer available).
    pub fn item(&self) -> Option<&PlayableItem> {
        self.item.as_ref().or(self.track.as_ref())
    }
}
