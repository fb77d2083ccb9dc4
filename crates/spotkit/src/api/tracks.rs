//! `Tracks`: one track, several at once, the user's saved ("liked") tracks (read, save, remove,
//! check), audio features and analysis, and recommendations.

use reqwest::Method;

use super::request::{Contains, IdsIn, IdsWrite, Several};
use super::{get_builder, paged_builder, segment};
use crate::Spotify;
use crate::error::Result;
use crate::model::{
    ArtistId, AudioAnalysis, AudioFeatures, Recommendations, SavedTrack, Track, TrackId,
};

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

impl<'a> TracksHandler<'a> {
    /// `GET /tracks?ids=...`: several tracks, 50 ids per request, in the order asked.
    #[deprecated(
        note = "removed for Development-Mode apps in Feb 2026; use `tracks().get` per id instead"
    )]
    pub fn several(&self, ids: &[TrackId]) -> Several<'a, Track> {
        Several::new(self.spotify, "tracks", ids_of(ids), 50)
    }

    /// `PUT /me/tracks`: saves ("likes") tracks, 50 per request (scope `user-library-modify`).
    #[deprecated(
        note = "removed for Development-Mode apps in Feb 2026; use `library().save` instead"
    )]
    pub fn save(&self, ids: &[TrackId]) -> IdsWrite<'a> {
        IdsWrite::new(
            self.spotify,
            Method::PUT,
            "me/tracks",
            ids_of(ids),
            50,
            IdsIn::Body,
        )
    }

    /// `DELETE /me/tracks`: removes saved tracks, 50 per request (scope `user-library-modify`).
    #[deprecated(
        note = "removed for Development-Mode apps in Feb 2026; use `library().remove` instead"
    )]
    pub fn remove(&self, ids: &[TrackId]) -> IdsWrite<'a> {
        IdsWrite::new(
            self.spotify,
            Method::DELETE,
            "me/tracks",
            ids_of(ids),
            50,
            IdsIn::QueryIds,
        )
    }

    /// `GET /me/tracks/contains`: whether each track is saved, 50 per request (scope
    /// `user-library-read`).
    #[deprecated(
        note = "removed for Development-Mode apps in Feb 2026; use `library().contains` instead"
    )]
    pub fn contains(&self, ids: &[TrackId]) -> Contains<'a> {
        Contains::new(
            self.spotify,
            "me/tracks/contains".into(),
            IdsIn::QueryIds,
            ids_of(ids),
            50,
        )
    }

    /// `GET /audio-features/{id}`: the audio features of one track.
    #[deprecated(note = "removed for Development-Mode apps in Feb 2026; no replacement exists")]
    pub fn audio_features(&self, id: &TrackId) -> GetAudioFeatures<'a> {
        GetAudioFeatures::new(self.spotify, format!("audio-features/{}", segment(id.id())))
    }

    /// `GET /audio-features?ids=...`: the audio features of several tracks, 100 per request.
    #[deprecated(note = "removed for Development-Mode apps in Feb 2026; no replacement exists")]
    pub fn several_audio_features(&self, ids: &[TrackId]) -> Several<'a, AudioFeatures> {
        Several::new(self.spotify, "audio-features", ids_of(ids), 100)
    }

    /// `GET /audio-analysis/{id}`: the detailed audio analysis of one track.
    #[deprecated(note = "removed for Development-Mode apps in Feb 2026; no replacement exists")]
    pub fn audio_analysis(&self, id: &TrackId) -> GetAudioAnalysis<'a> {
        GetAudioAnalysis::new(self.spotify, format!("audio-analysis/{}", segment(id.id())))
    }

    /// `GET /recommendations`: tracks generated from seed artists, genres and tracks (up to 5
    /// seeds in all). Tunable attributes (`min_energy`, `target_tempo`, ...) go through
    /// [`Recommend::tune`].
    #[deprecated(note = "removed for Development-Mode apps in Feb 2026; no replacement exists")]
    pub fn recommendations(&self) -> Recommend<'a> {
        Recommend {
            spotify: self.spotify,
            pairs: Vec::new(),
        }
    }
}

fn ids_of(ids: &[TrackId]) -> Vec<String> {
    ids.iter().map(|i| i.id().to_owned()).collect()
}

get_builder! {
    /// Builder for `GET /audio-features/{id}`.
    GetAudioFeatures => AudioFeatures;
}

get_builder! {
    /// Builder for `GET /audio-analysis/{id}`.
    GetAudioAnalysis => AudioAnalysis;
}

/// Builder for `GET /recommendations`.
#[derive(Debug)]
#[must_use = "a builder does nothing until `.send()` or `.await`"]
pub struct Recommend<'a> {
    spotify: &'a Spotify,
    pairs: Vec<(String, String)>,
}

impl Recommend<'_> {
    fn push(mut self, key: &str, value: String) -> Self {
        self.pairs.retain(|(k, _)| k != key);
        self.pairs.push((key.to_owned(), value));
        self
    }

    /// Seed artists.
    pub fn seed_artists(self, ids: &[ArtistId]) -> Self {
        let v = ids.iter().map(ArtistId::id).collect::<Vec<_>>().join(",");
        self.push("seed_artists", v)
    }

    /// Seed genres (from `genres().seeds()`).
    pub fn seed_genres(self, genres: &[&str]) -> Self {
        self.push("seed_genres", genres.join(","))
    }

    /// Seed tracks.
    pub fn seed_tracks(self, ids: &[TrackId]) -> Self {
        self.push("seed_tracks", ids_of(ids).join(","))
    }

    /// Number of tracks (1..=100, default 20).
    pub fn limit(self, limit: u32) -> Self {
        self.push("limit", limit.to_string())
    }

    /// An ISO 3166-1 country code or `from_token`.
    pub fn market(self, market: impl Into<String>) -> Self {
        self.push("market", market.into())
    }

    /// A tunable attribute, named as in the API: `tune("min_energy", 0.4)`,
    /// `tune("target_tempo", 120.0)`.
    pub fn tune(self, attribute: &str, value: f64) -> Self {
        self.push(attribute, value.to_string())
    }

    /// Fetches the recommendations.
    pub async fn send(self) -> Result<Recommendations> {
        let url = super::url_with_query(self.spotify, "recommendations", &self.pairs)?;
        super::request::send(self.spotify, Method::GET, url, super::request::NO_BODY).await
    }
}

super::into_future!(Recommend => Recommendations);
