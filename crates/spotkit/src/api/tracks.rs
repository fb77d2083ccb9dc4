//! `Tracks`: one track and the user's saved ("liked") tracks.

use super::{get_builder, paged_builder, segment};
use crate::Spotify;
use crate::model::{SavedTrack, Track, TrackId};

/// `spotify.tracks()`.
#[derive(Debug, Clone, Copy)]
pub struct TracksHandler<'a> {
    spotify: &'a Spotify,
}

impl<'a> TracksHandler<'a> {
    pub(crate) fn new(spotify: &'a Spotify) -> Self {
        TracksHandler { spotify }
    }

    /// `GET /tracks/{id}`: one track.
    pub fn get(&self, id: &TrackId) -> GetTrack<'a> {
        GetTrack::new(self.spotify, format!("tracks/{}", segment(id.id())))
    }

    /// `GET /me/tracks`: the user's saved tracks, newest first (scope `user-library-read`).
    pub fn saved(&self) -> SavedTracks<'a> {
        SavedTracks::new(self.spotify, "me/tracks".into())
    }
}

get_builder! {
    /// Builder for `GET /tracks/{id}`.
    GetTrack => Track;
    /// An ISO 3166-1 country code or `from_token`: relink the track to one playable there.
    market: String,
}

paged_builder! {
    /// Builder for `GET /me/tracks`.
    SavedTracks => SavedTrack;
    /// An ISO 3166-1 country code or `from_token`.
    market: String,
}
