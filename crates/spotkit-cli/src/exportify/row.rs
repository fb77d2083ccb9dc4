//! The one Exportify row: what a line of an Exportify CSV says, typed. The reader fills it from
//! any layout ([`super::read`]); the writer writes it in exportify.net's current layout
//! ([`super::write`]); the export builds it from Spotify's items (`crate::output`).

/// The columns of exportify.net's current layout (since 2025-09-02), in file order.
///
/// Source: pavelkomarov/exportify, `exportify.js` (`csvData`), and `shared/formats/README.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// `Track URI`.
    TrackUri,
    /// `Track Name`.
    TrackName,
    /// `Album Name`.
    AlbumName,
    /// `Artist Name(s)`.
    ArtistNames,
    /// `Release Date`.
    ReleaseDate,
    /// `Duration (ms)`.
    DurationMs,
    /// `Popularity`.
    Popularity,
    /// `Explicit`.
    Explicit,
    /// `Added By`.
    AddedBy,
    /// `Added At`.
    AddedAt,
    /// `Genres`.
    Genres,
    /// `Record Label`.
    RecordLabel,
    /// `Danceability` and the other audio features, up to `Time Signature`.
    AudioFeature(&'static str),
}

/// Exportify's audio-feature columns. Spotify refuses audio features to apps created after
/// November 2024, so spotkit writes these cells empty, as Exportify does when the request fails.
const AUDIO_FEATURES: [&str; 12] = [
    "Danceability",
    "Energy",
    "Key",
    "Loudness",
    "Mode",
    "Speechiness",
    "Acousticness",
    "Instrumentalness",
    "Liveness",
    "Valence",
    "Tempo",
    "Time Signature",
];

impl Column {
    /// Every column of the current layout, in order.
    pub fn all() -> impl Iterator<Item = Column> {
        [
            Column::TrackUri,
            Column::TrackName,
            Column::AlbumName,
            Column::ArtistNames,
            Column::ReleaseDate,
            Column::DurationMs,
            Column::Popularity,
            Column::Explicit,
            Column::AddedBy,
            Column::AddedAt,
            Column::Genres,
            Column::RecordLabel,
        ]
        .into_iter()
        .chain(AUDIO_FEATURES.into_iter().map(Column::AudioFeature))
    }

    /// The header cell.
    pub const fn name(self) -> &'static str {
        match self {
            Column::TrackUri => "Track URI",
            Column::TrackName => "Track Name",
            Column::AlbumName => "Album Name",
            Column::ArtistNames => "Artist Name(s)",
            Column::ReleaseDate => "Release Date",
            Column::DurationMs => "Duration (ms)",
            Column::Popularity => "Popularity",
            Column::Explicit => "Explicit",
            Column::AddedBy => "Added By",
            Column::AddedAt => "Added At",
            Column::Genres => "Genres",
            Column::RecordLabel => "Record Label",
            Column::AudioFeature(name) => name,
        }
    }

    /// Whether exportify.net always quotes the column (free text); the others are bare.
    pub fn quoted(self) -> bool {
        matches!(
            self,
            Column::TrackName
                | Column::AlbumName
                | Column::ArtistNames
                | Column::Genres
                | Column::RecordLabel
        )
    }
}

/// One line of an Exportify CSV. `None` and empty lists are empty cells (Exportify's
/// `undefined` is read as `None`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportifyRow {
    /// The track or episode: a `spotify:` URI, an open.spotify.com link or a bare id, as written.
    pub track_uri: Option<String>,
    /// Title.
    pub track_name: Option<String>,
    /// Album (for an episode: its show).
    pub album_name: Option<String>,
    /// Artists, split by the layout's rule (for an episode: its publisher).
    pub artists: Vec<String>,
    /// Release date as Spotify writes it (`2021`, `2021-03`, `2021-03-05`).
    pub release_date: Option<String>,
    /// Length in milliseconds.
    pub duration_ms: Option<u64>,
    /// Popularity, 0–100 (Extended-Quota apps only since 2026).
    pub popularity: Option<u32>,
    /// Explicit lyrics.
    pub explicit: Option<bool>,
    /// The user id of who added it (playlists).
    pub added_by: Option<String>,
    /// When it was added, as Spotify writes it (`2026-03-01T10:00:00Z`).
    pub added_at: Option<String>,
    /// Genres of the track's artists.
    pub genres: Vec<String>,
    /// The album's record label.
    pub record_label: Option<String>,
    /// ISRC (exportify.app's layouts; not a column of exportify.net's).
    pub isrc: Option<String>,
}
