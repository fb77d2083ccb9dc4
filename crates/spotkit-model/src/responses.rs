//! The wrapper bodies of the spec's `components.responses`
//! (`{"tracks": [...]}`, `{"albums": {page}}`, `{"snapshot_id": "..."}`, …).
//!
//! Responses whose body is a schema ([`Track`] for `OneTrack`, …) have no type of
//! their own; [`crate::schema`] maps every response name to its type.

use serde::{Deserialize, Serialize};

use crate::prelude::*;

/// Declares a struct with one list-or-object member.
macro_rules! wrapper {
    ($(#[$meta:meta])* $name:ident { $(#[$fmeta:meta])* $field:ident: $ty:ty }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
        #[non_exhaustive]
        pub struct $name {
            $(#[$fmeta])*
            #[serde(default, deserialize_with = "crate::de::null_default")]
            pub $field: $ty,
            /// Members this version does not model, kept verbatim.
            #[serde(flatten)]
            pub extra: Extra,
        }
    };
}

wrapper! {
    /// `ManyAlbums`: `{"albums": [...]}` from `GET /albums`.
    ManyAlbums {
        /// The albums, `None` where an id was not found.
        albums: Vec<Option<Album>>
    }
}

wrapper! {
    /// `ManyAudiobooks`: `{"audiobooks": [...]}` from `GET /audiobooks`.
    ManyAudiobooks {
        /// The audiobooks, `None` where an id was not found or is unavailable.
        audiobooks: Vec<Option<Audiobook>>
    }
}

wrapper! {
    /// `ManyChapters`: `{"chapters": [...]}` from `GET /chapters`.
    ManyChapters {
        /// The chapters, `None` where an id was not found.
        chapters: Vec<Option<Chapter>>
    }
}

wrapper! {
    /// `ManyDevices`: `{"devices": [...]}` from `GET /me/player/devices`.
    ManyDevices {
        /// The user's available devices.
        devices: Vec<Device>
    }
}

wrapper! {
    /// `ManyArtists`: `{"artists": [...]}` from `GET /artists` and related artists.
    ManyArtists {
        /// The artists, `None` where an id was not found.
        artists: Vec<Option<Artist>>
    }
}

wrapper! {
    /// `ManyAudioFeatures`: `{"audio_features": [...]}` from `GET /audio-features`.
    ManyAudioFeatures {
        /// The audio features, `None` where an id was not found.
        audio_features: Vec<Option<AudioFeatures>>
    }
}

wrapper! {
    /// `ManyEpisodes`: `{"episodes": [...]}` from `GET /episodes`.
    ManyEpisodes {
        /// The episodes, `None` where an id was not found.
        episodes: Vec<Option<Episode>>
    }
}

wrapper! {
    /// `ManyGenres`: `{"genres": [...]}` from the genre-seeds endpoint.
    ManyGenres {
        /// The genre names.
        genres: Vec<String>
    }
}

wrapper! {
    /// `ManyTracks`: `{"tracks": [...]}` from `GET /tracks` and an artist's top tracks.
    ManyTracks {
        /// The tracks, `None` where an id was not found.
        tracks: Vec<Option<Track>>
    }
}

wrapper! {
    /// `ManySimplifiedShows`: `{"shows": [...]}` from `GET /shows`.
    ManySimplifiedShows {
        /// The shows, `None` where an id was not found.
        shows: Vec<Option<SimplifiedShow>>
    }
}

wrapper! {
    /// `PagedAlbums`: `{"albums": {page}}` from `GET /browse/new-releases`.
    PagedAlbums {
        /// The page of albums.
        albums: PagingSimplifiedAlbum
    }
}

wrapper! {
    /// `PagedCategories`: `{"categories": {page}}` from `GET /browse/categories`.
    PagedCategories {
        /// The page of categories.
        categories: Page<Category>
    }
}

wrapper! {
    /// `CursorPagedArtists`: `{"artists": {cursor page}}` from `GET /me/following`.
    CursorPagedArtists {
        /// The cursor page of followed artists.
        artists: CursorPagingSimplifiedArtist
    }
}

wrapper! {
    /// `PlaylistSnapshotId`: `{"snapshot_id": "..."}` after changing a playlist.
    PlaylistSnapshotId {
        /// The version of the playlist after the change.
        snapshot_id: String
    }
}

wrapper! {
    /// `Markets`: `{"markets": [...]}` from `GET /markets`.
    Markets {
        /// ISO 3166-1 alpha-2 country codes.
        markets: Vec<String>
    }
}
