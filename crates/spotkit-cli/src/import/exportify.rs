//! Exportify CSV files (one playlist per file; a folder or Exportify's "Export All" zip holds
//! several).
//!
//! Two layouts are recognised by their header: the current one (`Track URI,Track Name,Album
//! Name,Artist Name(s),...`, artists joined with `;`) and the older one (`Spotify ID,Artist
//! IDs,Track Name,...`, artists joined with `,`). Any CSV with a `Track Name` column works too;
//! an `ISRC` column is used when present. The playlist is named after the file, the way Exportify
//! named it (`road_trip.csv` → `road trip`), and `liked_songs.csv` goes to liked songs.

use spotkit::model::PlayableUri;

use super::{Destination, InputFile, Kind, Origin, Row, SourceError, Target, decode_text};
use crate::matching::Query;

/// Columns the reader understands, found by header name (case-insensitive).
#[derive(Debug, Default)]
struct Columns {
    uri: Option<usize>,
    bare_id: Option<usize>,
    title: Option<usize>,
    album: Option<usize>,
    artists: Option<usize>,
    duration: Option<usize>,
    isrc: Option<usize>,
    /// The older layout joined artists with `,`.
    comma_artists: bool,
}

impl Columns {
    fn from_header(header: &csv::StringRecord) -> Columns {
        let find = |names: &[&str]| {
            header.iter().position(|h| {
                let h = h.trim().trim_start_matches('\u{feff}');
                names.iter().any(|n| h.eq_ignore_ascii_case(n))
            })
        };
        let bare_id = find(&["Spotify ID"]);
        Columns {
            uri: find(&["Track URI", "Spotify URI", "URI"]),
            bare_id,
            title: find(&["Track Name", "Title", "Name"]),
            album: find(&["Album Name", "Album"]),
            artists: find(&["Artist Name(s)", "Artist Name", "Artist", "Artists"]),
            duration: find(&["Duration (ms)", "Track Duration (ms)"]),
            isrc: find(&["ISRC"]),
            comma_artists: bare_id.is_some(),
        }
    }
}

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
    if name.is_none() && stem.eq_ignore_ascii_case("liked_songs") {
        return Destination::Liked;
    }
    Destination::Playlist {
        name: name.map_or_else(|| stem.replace('_', " "), str::to_owned),
        description: None,
    }
}

/// Rows of one CSV file; structural errors (encoding, quotes, ragged rows, unknown header, links
/// to other sites) stop the import, row-level problems are kept as invalid rows.
pub fn parse_file(file: &InputFile) -> Result<Vec<Row>, SourceError> {
    let text = decode_text(&file.name, &file.bytes)?;
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| csv_error(&file.name, &e))?
        .clone();
    let cols = Columns::from_header(&header);
    if cols.title.is_none() && cols.uri.is_none() && cols.bare_id.is_none() {
        return Err(SourceError::at(
            &file.name,
            Some(1),
            format!(
                "this is not an Exportify CSV: the header has no `Track URI` or `Track Name` column (it has: {})",
                header.iter().take(6).collect::<Vec<_>>().join(", ")
            ),
        ));
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| csv_error(&file.name, &e))?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        rows.push(row(&file.name, line, &cols, &record)?);
    }
    Ok(rows)
}

fn row(
    file: &str,
    line: usize,
    cols: &Columns,
    record: &csv::StringRecord,
) -> Result<Row, SourceError> {
    let cell = |i: Option<usize>| {
        i.and_then(|i| record.get(i))
            .map(str::trim)
            .filter(|s| !s.is_empty())
    };
    let artists =
        cell(cols.artists).map_or_else(Vec::new, |a| split_artists(a, cols.comma_artists));
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
    let raw_uri = cell(cols.uri)
        .map(str::to_owned)
        .or_else(|| cell(cols.bare_id).map(|id| format!("spotify:track:{id}")));
    if let Some(raw) = raw_uri {
        classify_uri(file, line, &raw, &mut out)?;
    }
    if out.uri.is_none()
        && out.kind != Kind::Local
        && out.invalid.is_none()
        && out.query.title.is_empty()
    {
        out.invalid = Some("no track URI and no track name".to_owned());
    }
    Ok(out)
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

/// Exportify joins artists with `;` (older versions: `,`, which is also inside names such as
/// "Tyler, The Creator", so `,` is only split for the older layout).
fn split_artists(cell: &str, comma: bool) -> Vec<String> {
    let sep = if cell.contains(';') {
        ';'
    } else if comma {
        ','
    } else {
        return vec![cell.to_owned()];
    };
    cell.split(sep)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
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
