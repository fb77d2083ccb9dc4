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
        let title = track.name.get().cloned().unwrap_or_default();
        let artists: Vec<String> = track
            .artists
            .get()
            .map(|list| list.iter().filter_map(|a| a.name.get().cloned()).collect())
            .unwrap_or_default();
        let label = if artists.is_empty() {
            title.clone()
        } else {
            format!("{} - {title}", artists.join(", "))
        };
        if track.is_local_file() {
            return Err(Skipped {
                label,
                reason: "local file: it exists only on the computer that added it".into(),
            });
        }
        let Some(id) = track.id.get().cloned() else {
            return Err(Skipped {
                label,
                reason: "no Spotify id (the track is unavailable)".into(),
            });
        };
        let album = track.album.get();
        let cover_url = album.and_then(|a| a.images.get()).and_then(|imgs| {
            imgs.iter()
                .max_by_key(|i| i.width.get().copied().unwrap_or(0))
                .and_then(|i| i.url.get().cloned())
        });
        Ok(TrackInfo {
            uri: track
                .uri
                .get()
                .cloned()
                .unwrap_or_else(|| format!("spotify:track:{id}")),
            id,
            title,
            artists,
            album: album
                .and_then(|a| a.name.get().cloned())
                .unwrap_or_default(),
            album_artists: album
                .and_then(|a| a.artists.get())
                .map(|list| list.iter().filter_map(|a| a.name.get().cloned()).collect())
                .unwrap_or_default(),
            album_id: album.and_then(|a| a.id.get().cloned()),
            track_number: track.track_number.get().copied(),
            disc_number: track.disc_number.get().copied(),
            release_date: album.and_then(|a| a.release_date.get().cloned()),
            isrc: track
                .external_ids
                .get()
                .and_then(|x| x.isrc.get().cloned())
                .filter(|s| !s.is_empty()),
            duration_ms: track.duration_ms.get().copied().unwrap_or(0),
            cover_url,
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
