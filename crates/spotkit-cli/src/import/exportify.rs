//! Exportify CSV files (one playlist per file; a folder or Exportify's "Export All" zip holds
//! several).
//!
//! Every layout of both Exportify projects is read ([`super::exportify_layout`] knows their
//! headers); any CSV with a `Track Name` or `Track URI` column works too. Rows shorter than the
//! header (Exportify leaves out the audio-feature cells when that request fails) read the missing
//! cells as empty; `undefined` (Exportify's word for a missing value) reads as empty. The playlist
//! is named after the file (`road_trip.csv` → `road trip`), and `liked_songs.csv`,
//! `Liked_Songs.csv` and exportify.app's `liked.csv` go to liked songs.

use spotkit::model::PlayableUri;

use super::exportify_layout::{Columns, split_artists};
use super::{Destination, InputFile, Kind, Origin, Row, SourceError, Target, decode_text};
use crate::matching::Query;

/// Reads Exportify CSV files into one target each.
pub fn parse(files: &[InputFile], single_name: Option<&str>) -> Result<Vec<Target>, SourceError> {
    files
        .iter()
        .map(|f| {
            let destination = destination_for(&f.base, single_name.filter(|_| files.len() == 1));
            Ok(Target {
                destination,
                rows: parse_file(f)?,
            })
        })
        .collect()
}

fn destination_for(base: &str, name: Option<&str>) -> Destination {
    let stem = base.rsplit_once('.').map_or(base, |(s, _)| s);
    let liked = ["liked_songs", "liked"]
        .iter()
        .any(|l| stem.eq_ignore_ascii_case(l));
    if name.is_none() && liked {
        return Destination::Liked;
    }
    Destination::Playlist {
        name: name.map_or_else(|| stem.replace('_', " "), str::to_owned),
        description: None,
    }
}

/// A cell as the reader sees it: trimmed, `undefined` and empty as `None`.
fn value(cell: Option<&str>) -> Option<&str> {
    cell.map(str::trim)
        .filter(|s| !s.is_empty() && *s != "undefined")
}

/// Rows of one CSV file; structural errors (encoding, quotes, long rows, unknown header, links
/// to other sites) stop the import, row-level problems are kept as invalid rows.
pub fn parse_file(file: &InputFile) -> Result<Vec<Row>, SourceError> {
    let text = decode_text(&file.name, &file.bytes)?;
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| csv_error(&file.name, &e))?
        .clone();
    let cols = Columns::from_header(header.iter());
    if !cols.usable() {
        return Err(SourceError::at(
            &file.name,
            Some(1),
            format!(
                "this is not an Exportify CSV: the header has no `Track URI` or `Track Name` column (it has: {})",
                header.iter().take(6).collect::<Vec<_>>().join(", ")
            ),
        ));
    }
    let mut records = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| csv_error(&file.name, &e))?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        check_length(&file.name, line, header.len(), &record)?;
        records.push((line, record));
    }
    let semicolons = cols.artists.is_some_and(|a| {
        records
            .iter()
            .any(|(_, r)| r.get(a).is_some_and(|c| c.contains(';')))
    });
    records
        .iter()
        .map(|(line, record)| row(&file.name, *line, &cols, semicolons, record))
        .collect()
}

/// A row shorter than the header is Exportify's (audio features left out) unless a cell spans
/// lines, which is a quote left open; a longer row is a quote missing, unless the extra cells
/// are empty (a spreadsheet's trailing commas).
fn check_length(
    file: &str,
    line: usize,
    expected: usize,
    record: &csv::StringRecord,
) -> Result<(), SourceError> {
    let len = record.len();
    let open_quote = len < expected && record.iter().any(|c| c.contains('\n'));
    let long = len > expected && record.iter().skip(expected).any(|c| !c.trim().is_empty());
    if open_quote || long {
        return Err(SourceError::at(
            file,
            Some(line),
            format!(
                "this row has {len} cells but the header has {expected}; a quote is probably not closed (cells containing `,` or `\"` must be quoted, with `\"` written as `\"\"`)"
            ),
        ));
    }
    Ok(())
}

fn row(
    file: &str,
    line: usize,
    cols: &Columns,
    semicolons: bool,
    record: &csv::StringRecord,
) -> Result<Row, SourceError> {
    let cell = |i: Option<usize>| value(i.and_then(|i| record.get(i)));
    let artists =
        cell(cols.artists).map_or_else(Vec::new, |a| split_artists(a, cols.join, semicolons));
    let mut out = Row {
        origin: Origin {
            file: file.to_owned(),
            line: Some(line),
            pointer: None,
        },
        kind: Kind::Track,
        query: Query {
            title: cell(cols.title).unwrap_or_default().to_owned(),
            artists,
            album: cell(cols.album).map(str::to_owned),
            duration_ms: cell(cols.duration).and_then(|d| d.parse().ok()),
        },
        uri: None,
        isrc: cell(cols.isrc).map(str::to_uppercase),
        invalid: None,
    };
    if let Some(raw) = cell(cols.uri) {
        classify_uri(file, line, raw, &mut out)?;
    }
    if out.uri.is_none()
        && out.kind != Kind::Local
        && out.invalid.is_none()
        && out.query.title.is_empty()
    {
        out.invalid =
            Some("no track URI and no track name (an item Spotify no longer has)".to_owned());
    }
    Ok(out)
}

/// Whether `s` is a bare Spotify id (22 base-62 characters), as Exportify wrote 2019–2025.
fn is_bare_id(s: &str) -> bool {
    s.len() == 22 && s.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// Sorts the URI cell: a local file, a track/episode URI or open.spotify.com link, a link to
/// another site (an error: the file is not a Spotify export), or an invalid value (row skipped).
fn classify_uri(file: &str, line: usize, raw: &str, row: &mut Row) -> Result<(), SourceError> {
    if raw.starts_with("spotify:local:") {
        row.kind = Kind::Local;
        return Ok(());
    }
    if let Some(host) = foreign_host(raw) {
        return Err(SourceError::at(
            file,
            Some(line),
            format!(
                "`{raw}` is a link to {host}, not to Spotify; import a Spotify export (Exportify CSV or Spotify's data download), or remove the Track URI column to match by name"
            ),
        ));
    }
    let full;
    let raw = if is_bare_id(raw) {
        full = format!("spotify:track:{raw}");
        &full
    } else {
        raw
    };
    match PlayableUri::parse(raw) {
        Ok(uri) => {
            if matches!(uri, PlayableUri::Episode(_)) {
                row.kind = Kind::Episode;
            }
            row.uri = Some(uri.uri());
        }
        Err(e) => row.invalid = Some(format!("bad Spotify URI: {e}")),
    }
    Ok(())
}

/// The host of a URL that does not point to Spotify.
pub fn foreign_host(raw: &str) -> Option<String> {
    if !raw.contains("://") {
        return None;
    }
    let host = url::Url::parse(raw).ok()?.host_str()?.to_owned();
    (host != "open.spotify.com" && host != "play.spotify.com").then_some(host)
}

fn csv_error(file: &str, e: &csv::Error) -> SourceError {
    let line = e.position().map(|p| p.line() as usize);
    let message = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!(
            "this row has {len} cells but the header has {expected_len}; a quote is probably not closed (cells containing `,` or `\"` must be quoted, with `\"` written as `\"\"`)"
        ),
        csv::ErrorKind::Utf8 { .. } => {
            "the file is not UTF-8 text; save it as UTF-8 and try again".to_owned()
        }
        _ => format!("cannot read the CSV: {e}"),
    };
    SourceError::at(file, line, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, text: &str) -> InputFile {
        InputFile {
            name: name.into(),
            base: name.into(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    #[test]
    fn reads_current_layout_with_bom_and_quotes() {
        let csv = "\u{feff}Track URI,Track Name,Album Name,Artist Name(s),Release Date,Duration (ms)\n\
            spotify:track:4uLU6hMCjMI75M1A2tKUQC,\"Say \"\"Hi\"\", ok\",\"A, B\",\"Tyler, The Creator;Kali\",2020,200000\n\
            spotify:local:X:Y:Z:100,Local,,,,\n\
            ,Only A Name,,Someone,,\n\
            spotify:track:bad!,Broken,,,,\n";
        let targets = parse(&[file("road_trip.csv", csv)], None).unwrap();
        assert_eq!(
            targets[0].destination,
            Destination::Playlist {
                name: "road trip".into(),
                description: None
            }
        );
        let rows = &targets[0].rows;
        assert_eq!(rows.len(), 4);
        assert_eq!(
            rows[0].uri.as_deref(),
            Some("spotify:track:4uLU6hMCjMI75M1A2tKUQC")
        );
        assert_eq!(rows[0].query.title, "Say \"Hi\", ok");
        assert_eq!(rows[0].query.artists, ["Tyler, The Creator", "Kali"]);
        assert_eq!(rows[0].query.duration_ms, Some(200_000));
        assert_eq!(rows[0].origin.line, Some(2));
        assert_eq!(rows[1].kind, Kind::Local);
        assert_eq!(rows[2].uri, None);
        assert_eq!(rows[2].origin.to_string(), "road_trip.csv:4");
        assert!(
            rows[3]
                .invalid
                .as_deref()
                .unwrap()
                .contains("bad Spotify URI")
        );
    }

    #[test]
    fn reads_old_layout_and_liked_songs() {
        let csv = "Spotify ID,Artist IDs,Track Name,Album Name,Artist Name(s),Release Date,Duration (ms)\n\
            4uLU6hMCjMI75M1A2tKUQC,\"a,b\",Song,Album,\"A,B\",2020,1000\n";
        let targets = parse(&[file("liked_songs.csv", csv)], None).unwrap();
        assert_eq!(targets[0].destination, Destination::Liked);
        assert_eq!(targets[0].rows[0].query.artists, ["A", "B"]);
        assert_eq!(
            targets[0].rows[0].uri.as_deref(),
            Some("spotify:track:4uLU6hMCjMI75M1A2tKUQC")
        );
    }

    #[test]
    fn reads_short_rows_undefined_ids_and_links() {
        // `Track ID` era: bare ids, tabs in the header, two BOMs; a short row (no audio
        // features), an unavailable item, a link.
        let csv = "\u{feff}\u{feff}Track ID,Track Name,Album Name,Artist Name(s),Record Label,\t\t\t\tDanceability,Energy\n\
            4uLU6hMCjMI75M1A2tKUQC,\"Song\",\"Al\",\"A,B\",\"undefined\"\n\
            ,\"undefined\",\"undefined\",\"undefined\",,,\n\
            https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC?si=x,\"Linked\",,,,0.5,0.6\n";
        let rows = &parse(&[file("p.csv", csv)], None).unwrap()[0].rows;
        assert_eq!(rows.len(), 3);
        assert_eq!(
            rows[0].uri.as_deref(),
            Some("spotify:track:4uLU6hMCjMI75M1A2tKUQC")
        );
        assert_eq!(rows[0].query.artists, ["A", "B"]);
        assert_eq!(rows[1].query.title, "");
        assert!(rows[1].invalid.is_some());
        assert_eq!(
            rows[2].uri.as_deref(),
            Some("spotify:track:4uLU6hMCjMI75M1A2tKUQC")
        );
        // exportify.app in German: `\,` inside a name, `, ` between names.
        let de = "\"Track-URI\",\"Track-Name\",\"Künstler-URI(s)\",\"Künstlername(n)\"\n\
            \"spotify:track:4uLU6hMCjMI75M1A2tKUQC\",\"Lied\",\"x\",\"Tyler\\, The Creator, Kali\"\n";
        let rows = &parse(&[file("Liste.csv", de)], None).unwrap()[0].rows;
        assert_eq!(rows[0].query.artists, ["Tyler, The Creator", "Kali"]);
        assert_eq!(rows[0].query.title, "Lied");
    }

    #[test]
    fn structural_errors_name_file_and_line() {
        let unclosed = "Track URI,Track Name,Artist Name(s)\nspotify:track:4uLU6hMCjMI75M1A2tKUQC,\"Open,A\nx,y,z\n";
        let err = parse(&[file("p.csv", unclosed)], None).unwrap_err();
        assert!(err.to_string().starts_with("p.csv:2: "), "{err}");
        let other_site = "Track URI,Track Name\nhttps://music.apple.com/us/album/x/1?i=2,Song\n";
        let err = parse(&[file("p.csv", other_site)], None).unwrap_err();
        assert!(err.to_string().contains("p.csv:2: "), "{err}");
        assert!(err.to_string().contains("music.apple.com"), "{err}");
        let not_csv = "hello,world\n1,2\n";
        let err = parse(&[file("p.csv", not_csv)], None).unwrap_err();
        assert!(err.to_string().contains("not an Exportify CSV"), "{err}");
    }
}
