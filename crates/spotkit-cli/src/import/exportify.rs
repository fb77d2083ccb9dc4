//! Exportify CSV files into import targets (one playlist per file; a folder or Exportify's
//! "Export All" zip holds several). The CSV itself is read by [`crate::exportify::read`].
//!
//! A file goes to liked songs when its name says so (`Liked_Songs.csv`, `liked_songs.csv`,
//! exportify.app's `liked.csv`); any other file makes a playlist named after it
//! (`Road_Trip.csv` → `Road Trip`, case kept). Beside spotkit's own exports, `index.json` gives
//! each file's exact playlist name, which a file name cannot always keep.

use std::collections::HashMap;

use spotkit::model::PlayableUri;

use super::{Destination, Kind, Origin, Row, Target};
use crate::export_index::{self, Index};
use crate::exportify::{ExportifyRow, names, read};
use crate::matching::Query;
use crate::source::{InputFile, SourceError};

/// Reads Exportify CSV files into one target each; `index.json` files among them name the CSVs
/// they list.
pub fn parse(files: &[InputFile], single_name: Option<&str>) -> Result<Vec<Target>, SourceError> {
    let named = indexed_names(files);
    let csvs: Vec<&InputFile> = files.iter().filter(|f| !is_index(f)).collect();
    let single = single_name.filter(|_| csvs.len() == 1);
    csvs.iter()
        .map(|f| {
            let destination = match (single, named.get(&f.name)) {
                (Some(name), _) => playlist(name),
                (None, Some(listed)) => listed.clone(),
                (None, None) => destination_for(&f.base),
            };
            Ok(Target {
                destination,
                rows: parse_file(f)?,
            })
        })
        .collect()
}

fn is_index(f: &InputFile) -> bool {
    f.base == export_index::FILE
}

fn playlist(name: &str) -> Destination {
    Destination::Playlist {
        name: name.to_owned(),
        description: None,
    }
}

/// File name (as shown) → destination, from every spotkit `index.json` among `files`. An
/// `index.json` that is not spotkit's is ignored: names then come from the file names.
fn indexed_names(files: &[InputFile]) -> HashMap<String, Destination> {
    let mut out = HashMap::new();
    for f in files.iter().filter(|f| is_index(f)) {
        let Ok(index) = serde_json::from_slice::<Index>(&f.bytes) else {
            tracing::debug!("{} is not a spotkit export index; ignored", f.name);
            continue;
        };
        let dir = &f.name[..f.name.len() - export_index::FILE.len()];
        for entry in index.files {
            let Some(file) = entry.file else { continue };
            let destination = match entry.kind {
                Some(export_index::Kind::Liked) => Destination::Liked,
                Some(export_index::Kind::Playlist) => playlist(&entry.name),
                // Indexes before `kind` was written: only playlists were named.
                None if entry.id.is_some() => playlist(&entry.name),
                _ => continue,
            };
            // The index sits beside its files: `dir/index.json` lists `dir/<file>`.
            out.insert(format!("{dir}{}", file.to_string_lossy()), destination);
        }
    }
    out
}

fn destination_for(base: &str) -> Destination {
    let stem = base.rsplit_once('.').map_or(base, |(s, _)| s);
    if names::is_liked(stem) {
        return Destination::Liked;
    }
    playlist(&stem.replace('_', " "))
}

/// Rows of one CSV file; structural errors (encoding, quotes, long rows, unknown header, links
/// to other sites) stop the import, row-level problems are kept as invalid rows.
pub fn parse_file(file: &InputFile) -> Result<Vec<Row>, SourceError> {
    read::read(&file.name, &file.bytes)?
        .into_iter()
        .map(|r| row(&file.name, r.line, r.row))
        .collect()
}

fn row(file: &str, line: usize, source: ExportifyRow) -> Result<Row, SourceError> {
    let mut out = Row {
        origin: Origin {
            file: file.to_owned(),
            line: Some(line),
            pointer: None,
        },
        kind: Kind::Track,
        query: Query {
            title: source.track_name.unwrap_or_default(),
            artists: source.artists,
            album: source.album_name,
            duration_ms: source.duration_ms,
        },
        uri: None,
        isrc: source.isrc,
        invalid: None,
    };
    if let Some(raw) = &source.track_uri {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::InputFile;

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
