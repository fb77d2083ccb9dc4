//! Every schema and response name of the spec, mapped to its Rust type.
//!
//! For tools that handle JSON by name (like the `parse` example of `spotkit`):
//!
//! ```
//! use spotkit_model::schema;
//!
//! let back = schema::roundtrip("OneTrack", r#"{"name": "Song", "preview_url": null, "x": 1}"#)?;
//! assert_eq!(back["name"], "Song");
//! assert_eq!(back["x"], 1); // unknown members are kept
//! assert_eq!(back["duration_ms"], 0); // members left out come back as their defaults
//! assert_eq!(back.get("preview_url"), None); // an `Option` that is `None` is left out
//!
//! let err = schema::roundtrip("TrackObject", r#"{"album": {"images": [{"height": "big"}]}}"#).unwrap_err();
//! assert!(err.to_string().contains("at `album.images[0].height`"));
//! # Ok::<(), spotkit_model::Error>(())
//! ```

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::Error;
use crate::prelude::*;
use crate::{
    CursorPagedArtists, ErrorResponse, FeaturedPlaylists, ManyAlbums, ManyArtists,
    ManyAudioFeatures, ManyAudiobooks, ManyChapters, ManyDevices, ManyEpisodes, ManyGenres,
    ManySimplifiedShows, ManyTracks, Markets, PagedAlbums, PagedCategories, PlaylistSnapshotId,
    SearchResults, TokenError, TokenResponse,
};

/// Parses `json` as `T` and serializes it again.
fn roundtrip_as<T: DeserializeOwned + Serialize>(name: &str, json: &str) -> Result<Value, Error> {
    let parse_error = |path: String, message: String| Error::Parse {
        schema: name.to_owned(),
        path,
        message,
    };
    let mut de = serde_json::Deserializer::from_str(json);
    let value: T = serde_path_to_error::deserialize(&mut de)
        .map_err(|e| parse_error(e.path().to_string(), e.into_inner().to_string()))?;
    de.end()
        .map_err(|e| parse_error(".".to_owned(), e.to_string()))?;
    serde_json::to_value(&value)
        .map_err(|e| parse_error(".".to_owned(), format!("cannot serialize it again: {e}")))
}

macro_rules! schemas {
    ($($name:literal => $ty:ty,)*) => {
        /// Every name [`roundtrip`] accepts: the 90 schema names and the response names
        /// of the spec's `components` (a response named like a schema is listed once),
        /// plus `TokenResponse` and `TokenError`.
        pub const NAMES: &[&str] = &[$($name,)*];

        /// Parses `json` as the type of the schema or response `name` and serializes it
        /// again, giving the JSON a program using this crate would write back.
        ///
        /// Fails with [`Error::UnknownSchema`] for a name not in [`NAMES`], and with
        /// [`Error::Parse`] (naming the path, e.g. `items[3].track.duration_ms`) when
        /// the JSON does not fit the type.
        pub fn roundtrip(name: &str, json: &str) -> Result<Value, Error> {
            match name {
                $($name => roundtrip_as::<$ty>(name, json),)*
                _ => Err(Error::UnknownSchema { name: name.to_owned() }),
            }
        }
    };
}

schemas! {
    "LinkedTrackObject" => LinkedTrack,
    "TrackRestrictionObject" => TrackRestriction,
    "AlbumRestrictionObject" => AlbumRestriction,
    "EpisodeRestrictionObject" => EpisodeRestriction,
    "ChapterRestrictionObject" => ChapterRestriction,
    "ArtistObject" => Artist,
    "SimplifiedArtistObject" => SimplifiedArtist,
    "PlayHistoryObject" => PlayHistory,
    "PlaylistTrackObject" => PlaylistTrack,
    "QueueObject" => Queue,
    "CurrentlyPlayingContextObject" => CurrentlyPlayingContext,
    "DisallowsObject" => Disallows,
    "ErrorObject" => ApiError,
    "PrivateUserObject" => PrivateUser,
    "PublicUserObject" => PublicUser,
    "AudioAnalysisObject" => AudioAnalysis,
    "TimeIntervalObject" => TimeInterval,
    "SectionObject" => Section,
    "SegmentObject" => Segment,
    "TimeSignature" => TimeSignature,
    "Tempo" => Tempo,
    "Loudness" => Loudness,
    "Key" => Key,
    "Mode" => Mode,
    "AudioFeaturesObject" => AudioFeatures,
    "SimplifiedTrackObject" => SimplifiedTrack,
    "DeviceObject" => Device,
    "CursorObject" => Cursor,
    "CursorPagingObject" => CursorPage<Value>,
    "CursorPagingPlayHistoryObject" => CursorPagingPlayHistory,
    "CursorPagingSimplifiedArtistObject" => CursorPagingSimplifiedArtist,
    "PagingObject" => Page<Value>,
    "PagingPlaylistObject" => PagingPlaylist,
    "PagingFeaturedPlaylistObject" => FeaturedPlaylists,
    "PagingArtistDiscographyAlbumObject" => PagingArtistDiscographyAlbum,
    "PagingSimplifiedAlbumObject" => PagingSimplifiedAlbum,
    "PagingSavedAlbumObject" => PagingSavedAlbum,
    "PagingSimplifiedTrackObject" => PagingSimplifiedTrack,
    "PagingSavedTrackObject" => PagingSavedTrack,
    "PagingTrackObject" => PagingTrack,
    "PagingPlaylistTrackObject" => PagingPlaylistTrack,
    "PagingSimplifiedShowObject" => PagingSimplifiedShow,
    "PagingSavedShowObject" => PagingSavedShow,
    "PagingSimplifiedEpisodeObject" => PagingSimplifiedEpisode,
    "PagingSavedEpisodeObject" => PagingSavedEpisode,
    "PagingSimplifiedAudiobookObject" => PagingSimplifiedAudiobook,
    "PagingArtistObject" => PagingArtist,
    "PagingSimplifiedChapterObject" => PagingSimplifiedChapter,
    "RecommendationsObject" => Recommendations,
    "RecommendationSeedObject" => RecommendationSeed,
    "SavedAlbumObject" => SavedAlbum,
    "SavedTrackObject" => SavedTrack,
    "SavedEpisodeObject" => SavedEpisode,
    "SavedShowObject" => SavedShow,
    "PlaylistObject" => Playlist,
    "SimplifiedPlaylistObject" => SimplifiedPlaylist,
    "PlaylistTracksRefObject" => PlaylistTracksRef,
    "PlaylistUserObject" => PlaylistUser,
    "PlaylistOwnerObject" => PlaylistOwner,
    "CategoryObject" => Category,
    "TrackObject" => Track,
    "EpisodeObject" => Episode,
    "SimplifiedEpisodeObject" => SimplifiedEpisode,
    "EpisodeBase" => EpisodeBase,
    "ResumePointObject" => ResumePoint,
    "ShowBase" => ShowBase,
    "ShowObject" => Show,
    "SimplifiedShowObject" => SimplifiedShow,
    "AudiobookBase" => AudiobookBase,
    "AudiobookObject" => Audiobook,
    "SimplifiedAudiobookObject" => SimplifiedAudiobook,
    "AlbumBase" => AlbumBase,
    "SimplifiedAlbumObject" => SimplifiedAlbum,
    "ArtistDiscographyAlbumObject" => ArtistDiscographyAlbum,
    "ChapterObject" => Chapter,
    "SimplifiedChapterObject" => SimplifiedChapter,
    "ChapterBase" => ChapterBase,
    "AlbumObject" => Album,
    "ContextObject" => Context,
    "CopyrightObject" => Copyright,
    "AuthorObject" => Author,
    "NarratorObject" => Narrator,
    "ExternalIdObject" => ExternalId,
    "ExternalUrlObject" => ExternalUrl,
    "FollowersObject" => Followers,
    "ImageObject" => Image,
    "ExplicitContentSettingsObject" => ExplicitContentSettings,
    "CurrentlyPlayingObject" => CurrentlyPlaying,
    "SavedAudiobookObject" => SavedAudiobook,
    "PagingSavedAudiobookObject" => PagingSavedAudiobook,
    "Unauthorized" => ErrorResponse,
    "Forbidden" => ErrorResponse,
    "NotFound" => ErrorResponse,
    "BadRequest" => ErrorResponse,
    "TooManyRequests" => ErrorResponse,
    "ManyAlbums" => ManyAlbums,
    "ManyAudiobooks" => ManyAudiobooks,
    "ManyChapters" => ManyChapters,
    "ManyDevices" => ManyDevices,
    "PagedAlbums" => PagedAlbums,
    "PagedPlaylists" => PagingPlaylist,
    "PagedFeaturedPlaylists" => FeaturedPlaylists,
    "PagedCategories" => PagedCategories,
    "CursorPagedArtists" => CursorPagedArtists,
    "CursorPagedPlayHistory" => CursorPagingPlayHistory,
    "ManyArtists" => ManyArtists,
    "ManyAudioFeatures" => ManyAudioFeatures,
    "ManyEpisodes" => ManyEpisodes,
    "ManyGenres" => ManyGenres,
    "OneEpisode" => Episode,
    "OneChapter" => Chapter,
    "OneAudiobook" => Audiobook,
    "OneAlbum" => Album,
    "ArrayOfImages" => Vec<Image>,
    "OnePrivateUser" => PrivateUser,
    "OnePublicUser" => PublicUser,
    "OneTrack" => Track,
    "OneShow" => Show,
    "OneCategory" => Category,
    "OnePlaylist" => Playlist,
    "OneAudioFeatures" => AudioFeatures,
    "OneAudioAnalysis" => AudioAnalysis,
    "OneArtist" => Artist,
    "ManyTracks" => ManyTracks,
    "ManySimplifiedShows" => ManySimplifiedShows,
    "SearchItems" => SearchResults,
    "OneRecommendations" => Recommendations,
    "ArrayOfBooleans" => Vec<bool>,
    "SingletonArrayOfBoolean" => Vec<bool>,
    "Queue" => Queue,
    "OneCurrentlyPlaying" => CurrentlyPlayingContext,
    "OneCurrentlyPlayingTrack" => CurrentlyPlaying,
    "PlaylistSnapshotId" => PlaylistSnapshotId,
    "Markets" => Markets,
    "TokenResponse" => TokenResponse,
    "TokenError" => TokenError,
}
