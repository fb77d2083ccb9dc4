//! Which Exportify layout a CSV header is, and where its columns are.
//!
//! Every layout listed in `shared/formats/README.md` (two projects, 2015 to today):
//! - pavelkomarov/exportify (exportify.net): `Spotify URI` (2015–2019, every cell quoted),
//!   `Spotify ID` + `Artist IDs` (2019–2024, bare ids), `Track ID` (2024-09 to 2025-04, bare ids,
//!   at first with tab characters before `Danceability`), `Track URI` (since 2025-04);
//! - watsonbox/exportify (exportify.app): `Track URI`, `Artist URI(s)`, …, headers translated into
//!   eleven languages since 2024-08-26.
//!
//! Header cells are compared trimmed (tabs, spaces, BOMs) and case-insensitively.

use super::row::Column;

/// How artist names are joined in a layout's `Artist Name(s)` cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArtistJoin {
    /// exportify.app: `A, B`, a comma inside a name written `\,`.
    CommaSpaceEscaped,
    /// exportify.net: `;` since 2025-09, `,` before (when names lost their commas): decided per
    /// file by whether any cell holds a `;`.
    SemicolonOrComma,
}

/// Column positions of one file's header.
#[derive(Debug, Default)]
pub struct Columns {
    /// Track URI, URL or bare id.
    pub uri: Option<usize>,
    /// Track title.
    pub title: Option<usize>,
    /// Album name.
    pub album: Option<usize>,
    /// Artist names.
    pub artists: Option<usize>,
    /// Duration in milliseconds.
    pub duration: Option<usize>,
    /// ISRC.
    pub isrc: Option<usize>,
    /// Release date.
    pub release_date: Option<usize>,
    /// Popularity.
    pub popularity: Option<usize>,
    /// Explicit.
    pub explicit: Option<usize>,
    /// Who added it.
    pub added_by: Option<usize>,
    /// When it was added.
    pub added_at: Option<usize>,
    /// Genres.
    pub genres: Option<usize>,
    /// Record label.
    pub record_label: Option<usize>,
    /// How artists are joined.
    pub join: Option<ArtistJoin>,
}

/// exportify.app's header names per language, from its `src/i18n/locales/*/translation.json`
/// (watsonbox/exportify @ 2c226ea, 2026-04-13): track URI, track name, artist names, album name,
/// track duration, artist URIs (the last tells the layout apart).
const EXPORTIFY_APP: [[&str; 6]; 12] = [
    [
        "Track URI",
        "Track Name",
        "Artist Name(s)",
        "Album Name",
        "Track Duration (ms)",
        "Artist URI(s)",
    ],
    [
        "Track-URI",
        "Track-Name",
        "Künstlername(n)",
        "Album-Name",
        "Track-Dauer (ms)",
        "Künstler-URI(s)",
    ],
    [
        "URI de la canción",
        "Nombre de la canción",
        "Nombre(s) del artista",
        "Nombre del álbum",
        "Duración de la canción (ms)",
        "URI(s) del artista",
    ],
    [
        "URI du titre",
        "Nom du titre",
        "Nom(s) de l'artiste",
        "Nom de l'album",
        "Durée du titre (ms)",
        "URI(s) de l'artiste",
    ],
    [
        "URI della traccia",
        "Nome della traccia",
        "Nome dell'artista",
        "Nome dell'album",
        "Durata della traccia (ms)",
        "URI dell'artista",
    ],
    [
        "URI da faixa",
        "Nome da faixa",
        "Nome(s) do artista",
        "Nome do álbum",
        "Duração da faixa (ms)",
        "URI(s) do artista",
    ],
    [
        "Nummer URI",
        "Nummernaam",
        "Naam van artiest",
        "Naam van album",
        "Nummerduur (ms)",
        "Artiest-URI",
    ],
    [
        "Låtens URI",
        "Låtens namn",
        "Artistens namn",
        "Albumets namn",
        "Låtlängd (ms)",
        "Artistens URI",
    ],
    [
        "Parça URI",
        "Parça Adı",
        "Sanatçı Adı",
        "Albüm Adı",
        "Parça Süresi (ms)",
        "Sanatçı URI",
    ],
    [
        "URI κομματιού",
        "Όνομα κομματιού",
        "Όνομα/τα καλλιτέχνη",
        "Όνομα άλμπουμ",
        "Διάρκεια κομματιού (ms)",
        "URI καλλιτέχνη/ων",
    ],
    [
        "トラックURI",
        "トラック名",
        "アーティスト名",
        "アルバム名",
        "トラックの長さ（ミリ秒）",
        "アーティストURI",
    ],
    [
        "رابط الأغنية (URI)",
        "اسم الأغنية",
        "أسماء الفنانين",
        "اسم الألبوم",
        "مدة الأغنية (بالمللي ثانية)",
        "روابط الفنانين (URI)",
    ],
];

/// exportify.net's names (the current one first, then older eras) and generic ones a hand-made
/// CSV may use.
const URI: &[&str] = &[
    Column::TrackUri.name(),
    "Spotify URI",
    "Spotify ID",
    "Track ID",
    "URI",
];
const TITLE: &[&str] = &[Column::TrackName.name(), "Title", "Name"];
const ALBUM: &[&str] = &[Column::AlbumName.name(), "Album"];
const ARTISTS: &[&str] = &[
    Column::ArtistNames.name(),
    "Artist Name",
    "Artist",
    "Artists",
];
const DURATION: &[&str] = &[Column::DurationMs.name(), "Track Duration (ms)"];
/// exportify.app before 2021 wrote `Artist URI`; its later layouts `Artist URI(s)`.
const OLD_APP_ARTIST_URI: &str = "Artist URI";

/// A header cell as compared: without BOMs, tabs and surrounding spaces.
fn clean(cell: &str) -> &str {
    cell.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
}

impl Columns {
    /// The columns of `header`.
    pub fn from_header<'a>(header: impl IntoIterator<Item = &'a str>) -> Columns {
        let cells: Vec<&str> = header.into_iter().map(clean).collect();
        let find = |names: &[&str]| {
            cells
                .iter()
                .position(|h| names.iter().any(|n| h.eq_ignore_ascii_case(n)))
        };
        let mut cols = Columns {
            uri: find(URI),
            title: find(TITLE),
            album: find(ALBUM),
            artists: find(ARTISTS),
            duration: find(DURATION),
            isrc: find(&["ISRC"]),
            release_date: find(&[Column::ReleaseDate.name()]),
            popularity: find(&[Column::Popularity.name()]),
            explicit: find(&[Column::Explicit.name()]),
            added_by: find(&[Column::AddedBy.name()]),
            added_at: find(&[Column::AddedAt.name()]),
            genres: find(&[Column::Genres.name()]),
            record_label: find(&[Column::RecordLabel.name()]),
            join: None,
        };
        // exportify.app, in whichever language: its artist-URI column gives it away.
        if let Some(names) = EXPORTIFY_APP.iter().find(|n| find(&[n[5]]).is_some()) {
            cols.uri = cols.uri.or(find(&[names[0]]));
            cols.title = cols.title.or(find(&[names[1]]));
            cols.artists = find(&[names[2]]).or(cols.artists);
            cols.album = find(&[names[3]]).or(cols.album);
            cols.duration = find(&[names[4]]).or(cols.duration);
            cols.join = Some(ArtistJoin::CommaSpaceEscaped);
        } else if find(&[OLD_APP_ARTIST_URI]).is_some() {
            cols.join = Some(ArtistJoin::CommaSpaceEscaped);
        } else if cols.artists.is_some() {
            cols.join = Some(ArtistJoin::SemicolonOrComma);
        }
        cols
    }

    /// Whether the header names anything a track can be found by.
    pub fn usable(&self) -> bool {
        self.uri.is_some() || self.title.is_some()
    }
}

/// Splits an artist cell by the layout's rule; `semicolons` says whether the file's artist cells
/// use `;` anywhere (exportify.net since 2025-09).
pub fn split_artists(cell: &str, join: Option<ArtistJoin>, semicolons: bool) -> Vec<String> {
    let parts: Vec<String> = match join {
        Some(ArtistJoin::CommaSpaceEscaped) => {
            let mut parts = Vec::new();
            let mut current = String::new();
            let mut chars = cell.chars().peekable();
            while let Some(c) = chars.next() {
                match c {
                    '\\' if chars.peek() == Some(&',') => {
                        current.push(',');
                        chars.next();
                    }
                    ',' => parts.push(std::mem::take(&mut current)),
                    _ => current.push(c),
                }
            }
            parts.push(current);
            parts
        }
        Some(ArtistJoin::SemicolonOrComma) if semicolons => {
            cell.split(';').map(str::to_owned).collect()
        }
        Some(ArtistJoin::SemicolonOrComma) => cell.split(',').map(str::to_owned).collect(),
        None => vec![cell.to_owned()],
    };
    parts
        .into_iter()
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_columns_in_every_layout() {
        let net = Columns::from_header("\u{feff}Track ID,Track Name,Album Name,Artist Name(s),Release Date,Duration (ms),Record Label,\t\t\t\tDanceability".split(','));
        assert_eq!(
            (net.uri, net.title, net.artists, net.duration),
            (Some(0), Some(1), Some(3), Some(5))
        );
        assert_eq!(net.join, Some(ArtistJoin::SemicolonOrComma));
        let de = Columns::from_header([
            "Track-URI",
            "Track-Name",
            "Künstler-URI(s)",
            "Künstlername(n)",
            "Album-URI",
            "Album-Name",
            "Track-Dauer (ms)",
            "ISRC",
        ]);
        assert_eq!(
            (de.uri, de.title, de.artists, de.album, de.duration, de.isrc),
            (Some(0), Some(1), Some(3), Some(5), Some(6), Some(7))
        );
        assert_eq!(de.join, Some(ArtistJoin::CommaSpaceEscaped));
        let app = Columns::from_header([
            "Track URI",
            "Track Name",
            "Artist URI(s)",
            "Artist Name(s)",
            "Album URI",
            "Album Name",
        ]);
        assert_eq!(app.join, Some(ArtistJoin::CommaSpaceEscaped));
        let old_app =
            Columns::from_header(["Track URI", "Track Name", "Artist URI", "Artist Name"]);
        assert_eq!(
            (old_app.artists, old_app.join),
            (Some(3), Some(ArtistJoin::CommaSpaceEscaped))
        );
        let original = Columns::from_header([
            "Spotify URI",
            "Track Name",
            "Artist Name",
            "Album Name",
            "Track Duration (ms)",
        ]);
        assert_eq!(
            (original.uri, original.artists, original.duration),
            (Some(0), Some(2), Some(4))
        );
        assert!(!Columns::from_header(["hello", "world"]).usable());
    }

    #[test]
    fn splits_artists_by_the_layout_rule() {
        let app = Some(ArtistJoin::CommaSpaceEscaped);
        assert_eq!(
            split_artists(r"Tyler\, The Creator, Kali Uchis", app, false),
            ["Tyler, The Creator", "Kali Uchis"]
        );
        let net = Some(ArtistJoin::SemicolonOrComma);
        assert_eq!(
            split_artists("Tyler, The Creator;Kali", net, true),
            ["Tyler, The Creator", "Kali"]
        );
        assert_eq!(
            split_artists("Jay Worthy,Leven Kali", net, false),
            ["Jay Worthy", "Leven Kali"]
        );
        assert_eq!(split_artists("Solo", None, false), ["Solo"]);
    }
}
