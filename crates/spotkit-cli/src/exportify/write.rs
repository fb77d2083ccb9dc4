//! Writes [`ExportifyRow`]s as exportify.net writes its current layout, byte for byte: the bare
//! header, free-text columns always quoted (`"` doubled), the others bare unless they hold a
//! separator, artists joined with `;` (a `;` inside a name dropped), genres with `,`, `\n` line
//! ends.

use std::io::{self, Write};

use super::row::{Column, ExportifyRow};

/// Whether the file starts with a UTF-8 byte-order mark.
///
/// exportify.net (pavelkomarov/exportify, `exportify.js` @ 048eb3f, 2026-01-02) saves a single
/// playlist as `new Blob(["\uFEFF" + csv])` so that Excel reads it as UTF-8, but adds its "Export
/// All" entries with `zip.file(fileName + ".csv", csv)`: no BOM. spotkit does the same: one-file
/// exports with, the files of a multi-file export (`export playlists`, `export all`) without.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bom {
    /// A single download.
    With,
    /// An entry of "Export All".
    Without,
}

/// Writes the header and `rows`.
pub fn write(w: &mut impl Write, rows: &[ExportifyRow], bom: Bom) -> io::Result<()> {
    if bom == Bom::With {
        w.write_all("\u{feff}".as_bytes())?;
    }
    let header: Vec<&str> = Column::all().map(Column::name).collect();
    writeln!(w, "{}", header.join(","))?;
    for row in rows {
        let cells: Vec<String> = Column::all().map(|c| quote(c, &cell(row, c))).collect();
        writeln!(w, "{}", cells.join(","))?;
    }
    Ok(())
}

/// The text of one cell.
fn cell(row: &ExportifyRow, column: Column) -> String {
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    match column {
        Column::TrackUri => text(&row.track_uri),
        Column::TrackName => text(&row.track_name),
        Column::AlbumName => text(&row.album_name),
        Column::ArtistNames => row
            .artists
            .iter()
            .map(|a| a.replace(';', ""))
            .collect::<Vec<_>>()
            .join(";"),
        Column::ReleaseDate => text(&row.release_date),
        Column::DurationMs => row.duration_ms.map(|d| d.to_string()).unwrap_or_default(),
        Column::Popularity => row.popularity.map(|p| p.to_string()).unwrap_or_default(),
        Column::Explicit => row.explicit.map(|e| e.to_string()).unwrap_or_default(),
        Column::AddedBy => text(&row.added_by),
        Column::AddedAt => text(&row.added_at),
        Column::Genres => row.genres.join(","),
        Column::RecordLabel => text(&row.record_label),
        Column::AudioFeature(_) => String::new(),
    }
}

/// One cell the way Exportify writes it.
fn quote(column: Column, cell: &str) -> String {
    if column.quoted() || cell.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_and_escaped() {
        assert_eq!(
            quote(Column::TrackName, r#"say "hi", ok"#),
            r#""say ""hi"", ok""#
        );
        assert_eq!(quote(Column::TrackName, ""), r#""""#);
        assert_eq!(
            quote(Column::TrackUri, "spotify:track:x"),
            "spotify:track:x"
        );
        assert_eq!(quote(Column::AddedBy, "a,b"), r#""a,b""#);
    }

    #[test]
    fn what_is_written_reads_back_the_same() {
        let row = ExportifyRow {
            track_uri: Some("spotify:track:4uLU6hMCjMI75M1A2tKUQC".into()),
            track_name: Some("Say \"Hi\", ok".into()),
            album_name: Some("A, B".into()),
            artists: vec!["Tyler, The Creator".into(), "Kali".into()],
            release_date: Some("2020-03".into()),
            duration_ms: Some(200_000),
            popularity: Some(7),
            explicit: Some(false),
            added_by: Some("demo".into()),
            added_at: Some("2026-03-01T10:00:00Z".into()),
            genres: vec!["pop".into(), "indie rock".into()],
            record_label: Some("Label".into()),
            isrc: None,
        };
        for bom in [Bom::With, Bom::Without] {
            let mut bytes = Vec::new();
            write(&mut bytes, std::slice::from_ref(&row), bom).unwrap();
            assert_eq!(bytes.starts_with("\u{feff}".as_bytes()), bom == Bom::With);
            let back = super::super::read::read("t.csv", &bytes).unwrap();
            assert_eq!(back.len(), 1);
            assert_eq!(back[0].line, 2);
            assert_eq!(back[0].row, row);
        }
    }
}
