//! [`TrackInfo`]: everything the pipeline needs about one Spotify track, taken once from the
//! API's model so the later stages do not deal with absent/null fields.

use serde::{Deserialize, Serialize};
use spotkit::model::Track;

/// One Spotify track, as the sync pipeline sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrackInfo {
    /// Spotify id.
    pub id: String,
    /// `spotify:track:...`
    pub uri: String,
    /// Track name as on Spotify (with "feat." credits and version suffixes).
    pub title: String,
    /// Track artists, main artist first.
    pub artists: Vec<String>,
    /// Album name.
    pub album: String,
    /// Album artists.
    pub album_artists: Vec<String>,
    /// Album id (cover art is cached per album).
    pub album_id: Option<String>,
    /// Track number on its disc.
    pub track_number: Option<u32>,
    /// Disc number.
    pub disc_number: Option<u32>,
    /// Album release date (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`).
    pub release_date: Option<String>,
    /// ISRC, when Spotify sent one.
    pub isrc: Option<String>,
    /// Length in milliseconds.
    pub duration_ms: u64,
    /// URL of the largest album image.
    pub cover_url: Option<String>,
    /// Whether Spotify marks the lyrics explicit (`None`: not known, e.g. an older manifest).
    #[serde(default)]
    pub explicit: Option<bool>,
}

/// Why a playlist entry is not synced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    /// What the entry is (a name, as far as known).
    pub label: String,
    /// Why it is skipped.
    pub reason: String,
}

impl TrackInfo {
    /// The pipeline's view of a track; `Err` says why it cannot be synced (local files have no
    /// Spotify id to match and nothing to download).
    pub fn from_track(track: &Track) -> Result<TrackInfo, Skipped> {
        let title = track.name.clone();
        let label = if track.artists.is_empty() {
            title.clone()
        } else {
            format!("{} - {title}", track.artist_names())
        };
        if track.is_local_file() {
            return Err(Skipped {
                label,
                reason: "local file: it exists only on the computer that added it".into(),
            });
        }
        let Some(id) = track.id.as_ref().map(ToString::to_string) else {
            return Err(Skipped {
                label,
                reason: "no Spotify id (the track is unavailable)".into(),
            });
        };
        let album = &track.album;
        let names = |artists: &[spotkit::model::SimplifiedArtist]| {
            artists.iter().map(|a| a.name.clone()).collect::<Vec<_>>()
        };
        Ok(TrackInfo {
            uri: if track.uri.is_empty() {
                format!("spotify:track:{id}")
            } else {
                track.uri.clone()
            },
            id,
            title,
            artists: names(&track.artists),
            album: album.name.clone(),
            album_artists: names(&album.artists),
            album_id: album.id.as_ref().map(ToString::to_string),
            // Spotify numbers from 1; 0 is what a missing number reads as.
            track_number: Some(track.track_number).filter(|&n| n > 0),
            disc_number: Some(track.disc_number).filter(|&n| n > 0),
            release_date: album.release_date.map(|d| d.to_string()),
            isrc: track.isrc().map(str::to_owned),
            duration_ms: track.duration_ms,
            cover_url: album.largest_image().map(|i| i.url.clone()),
            explicit: Some(track.explicit),
        })
    }

    /// Main artist (empty when Spotify gave none).
    pub fn artist(&self) -> &str {
        self.artists.first().map_or("", String::as_str)
    }

    /// Duration in seconds.
    pub fn duration_secs(&self) -> f64 {
        self.duration_ms as f64 / 1000.0
    }

    /// "Artist, Artist - Title", for messages.
    pub fn label(&self) -> String {
        format!("{} - {}", self.artists.join(", "), self.title)
    }
}
