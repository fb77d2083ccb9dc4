//! What a sync tells its caller: progress [`Event`]s while it runs, the [`Summary`] at the end,
//! and the pieces both are made of (plan lines, failures, playlists).

use serde::Serialize;

use crate::score::Scored;
use crate::track::Skipped;

/// A stage of a track's way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Looking for a source.
    Resolve,
    /// Downloading.
    Download,
    /// Converting with ffmpeg.
    Convert,
    /// Writing tags.
    Tag,
    /// Moving into place and indexing.
    Index,
}

/// A candidate as shown in reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CandidateReport {
    /// Its title.
    pub title: String,
    /// Its URL.
    pub url: String,
    /// Its score.
    pub score: f64,
}

impl From<&Scored> for CandidateReport {
    fn from(s: &Scored) -> Self {
        CandidateReport {
            title: s.candidate.title.clone(),
            url: s.candidate.url.clone(),
            score: s.score,
        }
    }
}

/// Something that went wrong for a track that was synced all the same (lyrics that could not be
/// looked up, an `.lrc` name held by a file spotkit did not make).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Note {
    /// Spotify id.
    pub id: String,
    /// "Artist - Title".
    pub label: String,
    /// What happened.
    pub note: String,
}

/// A track that could not be synced.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Failure {
    /// Spotify id.
    pub id: String,
    /// Spotify URI.
    pub uri: String,
    /// "Artist - Title".
    pub label: String,
    /// Where it failed.
    pub stage: Stage,
    /// Why.
    pub reason: String,
    /// For unmatched tracks: the best candidates with their scores.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub candidates: Vec<CandidateReport>,
}

/// What the plan does with a track or file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Download, convert and tag it.
    Download,
    /// Already there and matching the manifest.
    Keep,
    /// Delete the file (`--delete`, no synced playlist keeps it).
    Delete,
    /// No source good enough (dry run).
    Unmatched,
    /// Download it under another name: a file spotkit did not make holds the usual one (see
    /// [`PlanItem::instead_of`]) and is left alone.
    DownloadAside,
}

/// One line of the plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanItem {
    /// What happens.
    pub action: Action,
    /// Spotify id.
    pub id: String,
    /// "Artist - Title".
    pub label: String,
    /// File, relative to the target directory.
    pub file: String,
    /// The chosen source (dry run, downloads).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Its score.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    /// The name it would have had, held by a file spotkit did not make.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instead_of: Option<String>,
}

/// A file spotkit would have written over but did not make (it is not in the manifest): it is
/// left alone and the track or M3U8 goes beside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Clash {
    /// The file left alone, relative to the target directory.
    pub file: String,
    /// The name used instead.
    pub used: String,
    /// The track ("Artist - Title") or playlist it was for.
    pub label: String,
}

/// A playlist as synced.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlaylistReport {
    /// Name on Spotify.
    pub name: String,
    /// Its M3U8, relative to the target directory.
    pub m3u: String,
    /// Tracks in it (synced or not).
    pub tracks: usize,
    /// Tracks with a file.
    pub present: usize,
}

/// What a sync did (or, with `dry_run`, would do).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    /// Plan only.
    pub dry_run: bool,
    /// Distinct tracks in the selection.
    pub tracks: usize,
    /// Files downloaded and written.
    pub downloaded: usize,
    /// Files found in place from an interrupted run and taken into the manifest.
    pub adopted: usize,
    /// Files already present and kept.
    pub kept: usize,
    /// Files deleted.
    pub deleted: usize,
    /// Tracks that failed.
    pub failed: Vec<Failure>,
    /// Entries skipped (local files, episodes).
    pub skipped: Vec<Skipped>,
    /// Playlists Spotify would not list: (name, reason).
    pub refused: Vec<(String, String)>,
    /// The playlists written.
    pub playlists: Vec<PlaylistReport>,
    /// The plan (always filled for a dry run).
    pub plan: Vec<PlanItem>,
    /// Files spotkit did not make at names it would have used: left alone, synced beside.
    pub clashes: Vec<Clash>,
    /// Files written with lyrics (embedded; synced ones also as `.lrc`).
    pub lyrics: usize,
    /// Tracks synced with something missing, and why.
    pub notes: Vec<Note>,
}

/// Progress, for bars and `--json` event streams.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    /// The tools were found.
    Checked {
        /// yt-dlp's version, when it is needed.
        ytdlp: Option<String>,
        /// ffmpeg's version line, when it is needed.
        ffmpeg: Option<String>,
    },
    /// The tracks were read from Spotify.
    Fetched {
        /// Collections read.
        collections: usize,
        /// Distinct tracks.
        tracks: usize,
        /// Entries skipped.
        skipped: usize,
    },
    /// The plan was made.
    Planned {
        /// Tracks to download.
        download: usize,
        /// Files kept.
        keep: usize,
        /// Files to delete.
        delete: usize,
    },
    /// A track entered a stage.
    Stage {
        /// Spotify id.
        id: String,
        /// "Artist - Title".
        label: String,
        /// The stage.
        stage: Stage,
    },
    /// A track's file is in place.
    Done {
        /// Spotify id.
        id: String,
        /// "Artist - Title".
        label: String,
        /// Its file.
        file: String,
        /// Taken over from an interrupted run instead of downloaded.
        adopted: bool,
    },
    /// A track failed.
    Failed(Failure),
    /// A track was synced with something missing.
    Note(Note),
    /// A file was deleted.
    Deleted {
        /// The file.
        file: String,
    },
    /// A plan line (dry run).
    Plan(PlanItem),
    /// A file spotkit did not make holds a name it would use: left alone, synced beside.
    Clash(Clash),
    /// The end.
    Finished {
        /// Files downloaded.
        downloaded: usize,
        /// Files kept.
        kept: usize,
        /// Files deleted.
        deleted: usize,
        /// Tracks failed.
        failed: usize,
    },
}

/// Receives events; called from the pipeline's tasks.
pub type OnEvent<'a> = &'a (dyn Fn(Event) + Send + Sync);
