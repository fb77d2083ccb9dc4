//! Spotify's "Download your data" export (`my_spotify_data.zip` or its unpacked folder).
//!
//! `YourLibrary.json` gives liked songs (`tracks`), saved albums, shows and episodes, and
//! followed artists; `Playlist1.json`, `Playlist2.json`, … give the playlists with their items
//! (`track`, `episode` or `localTrack`). Other files (streaming history, account data) are
//! ignored. Field names changed a little between export years: unknown fields are ignored and
//! missing ones tolerated, but a file of the wrong shape is an error naming its line and column.

use serde::Deserialize;
use serde::de::DeserializeOwned;
use spotkit::model::{PlayableUri, SpotifyUri};

use super::{Destination, InputFile, Kind, Origin, Row, SourceError, Target, decode_text};
use crate::matching::Query;

/// Whether a file name belongs to the import (`YourLibrary.json`, `Playlist<N>.json`).
pub fn wanted(base: &str) -> bool {
    let lower = base.to_lowercase();
    lower == "yourlibrary.json"
        || (lower.starts_with("playlist")
            && std::path::Path::new(&lower)
                .extension()
                .is_some_and(|e| e == "json")
            && !lower.contains("stream"))
}

#[derive(Debug, Deserialize)]
struct Library {
    #[serde(default)]
    tracks: Option<Vec<LibTrack>>,
    #[serde(default)]
    albums: Option<Vec<LibAlbum>>,
    #[serde(default)]
    artists: Option<Vec<LibArtist>>,
    #[serde(default)]
    shows: Option<Vec<LibShow>>,
    #[serde(default)]
    episodes: Option<Vec<LibEpisode>>,
}

#[derive(Debug, Deserialize)]
struct LibTrack {
    artist: Option<String>,
    album: Option<String>,
    track: Option<String>,
    uri: Option<String>,
}

#[derive(Debug, Deserialize)]
struct LibAlbum {
    artist: Option<String>,
    album: Option<String>,
    uri: Option<String>,
}

#[derive(Debug, Deserialize)]
struct LibArtist {
    name: Option<String>,
    uri: Option<String>,
}

#[derive(Debug, Deserialize)]
struct LibShow {
    name: Option<String>,
    publisher: Option<String>,
    uri: Option<String>,
}

#[derive(Debug, Deserialize)]
struct LibEpisode {
    name: Option<String>,
    show: Option<String>,
    uri: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Playlists {
    playlists: Vec<Playlist>,
}

#[derive(Debug, Deserialize)]
struct Playlist {
    name: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    items: Option<Vec<Item>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Item {
    #[serde(default)]
    track: Option<ItemTrack>,
    #[serde(default)]
    episode: Option<ItemEpisode>,
    #[serde(default)]
    local_track: Option<serde_json::Value>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ItemTrack {
    track_name: Option<String>,
    artist_name: Option<String>,
    album_name: Option<String>,
    track_uri: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ItemEpisode {
    episode_name: Option<String>,
    show_name: Option<String>,
    episode_uri: Option<String>,
}

/// Reads the export's files into targets: every playlist, then liked songs, saved albums and
/// shows, and followed artists.
pub fn parse(files: &[InputFile]) -> Result<Vec<Target>, SourceError> {
    let mut playlists = Vec::new();
    let mut library = Vec::new();
    for f in files {
        if f.base.eq_ignore_ascii_case("yourlibrary.json") {
            library.extend(parse_library(f)?);
        } else {
            playlists.extend(parse_playlists(f)?);
        }
    }
    playlists.extend(library);
    Ok(playlists)
}

fn read<T: DeserializeOwned>(file: &InputFile, expected: &str) -> Result<T, SourceError> {
    let text = decode_text(&file.name, &file.bytes)?;
    let de = &mut serde_json::Deserializer::from_str(&text);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let inner = e.inner();
        let path = e.path().to_string();
        let at = if path == "." {
            String::new()
        } else {
            format!(" at `{path}`")
        };
        let what = if inner.is_eof() {
            "the file ends too early (cut off?); download the export again".to_owned()
        } else if inner.is_syntax() {
            format!("this is not valid JSON ({inner})")
        } else {
            format!("unexpected JSON{at}: {inner}; expected {expected}")
        };
        SourceError::at(
            &file.name,
            Some(inner.line()),
            format!("{what} (column {})", inner.column()),
        )
    })
}

fn origin(file: &InputFile, pointer: String) -> Origin {
    Origin {
        file: file.name.clone(),
        line: None,
        pointer: Some(pointer),
    }
}

fn parse_playlists(file: &InputFile) -> Result<Vec<Target>, SourceError> {
    let doc: Playlists = read(
        file,
        r#"{"playlists": [{"name": ..., "items": [...]}]} as in Spotify's Playlist1.json"#,
    )?;
    Ok(doc
        .playlists
        .into_iter()
        .enumerate()
        .map(|(p, playlist)| Target {
            destination: Destination::Playlist {
                name: playlist.name,
                description: playlist.description.filter(|d| !d.is_empty()),
            },
            rows: playlist
                .items
                .unwrap_or_default()
                .into_iter()
                .enumerate()
                .map(|(i, item)| item_row(origin(file, format!("/playlists/{p}/items/{i}")), item))
                .collect(),
        })
        .collect())
}

fn item_row(origin: Origin, item: Item) -> Row {
    let mut row = Row {
        origin,
        kind: Kind::Track,
        query: Query::default(),
        uri: None,
        isrc: None,
        invalid: None,
    };
    if let Some(t) = item.track {
        row.query = Query {
            title: t.track_name.unwrap_or_default(),
            artists: t.artist_name.into_iter().collect(),
            album: t.album_name,
            duration_ms: None,
        };
        set_playable(&mut row, t.track_uri.as_deref());
    } else if let Some(e) = item.episode {
        row.kind = Kind::Episode;
        row.query = Query {
            title: e.episode_name.unwrap_or_default(),
            artists: e.show_name.into_iter().collect(),
            album: None,
            duration_ms: None,
        };
        set_playable(&mut row, e.episode_uri.as_deref());
        if row.uri.is_none() && row.invalid.is_none() {
            row.invalid = Some("an episode without a URI cannot be matched".to_owned());
        }
    } else if let Some(local) = item.local_track {
        row.kind = Kind::Local;
        local
            .get("trackName")
            .or_else(|| local.get("uri"))
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .clone_into(&mut row.query.title);
    } else {
        row.invalid = Some("the entry has no track, episode or local track".to_owned());
    }
    if row.kind == Kind::Track
        && row.uri.is_none()
        && row.invalid.is_none()
        && row.query.title.is_empty()
    {
        row.invalid = Some("no track URI and no track name".to_owned());
    }
    row
}

fn set_playable(row: &mut Row, uri: Option<&str>) {
    let Some(raw) = uri.map(str::trim).filter(|u| !u.is_empty()) else {
        return;
    };
    if raw.starts_with("spotify:local:") {
        row.kind = Kind::Local;
        return;
    }
    match PlayableUri::parse(raw) {
        Ok(u) => row.uri = Some(u.uri()),
        Err(e) => row.invalid = Some(format!("bad Spotify URI: {e}")),
    }
}

fn parse_library(file: &InputFile) -> Result<Vec<Target>, SourceError> {
    let lib: Library = read(
        file,
        r#"{"tracks": [...], "albums": [...], ...} as in Spotify's YourLibrary.json"#,
    )?;
    let mut liked = Vec::new();
    for (i, t) in lib.tracks.unwrap_or_default().into_iter().enumerate() {
        let mut row = item_row(
            origin(file, format!("/tracks/{i}")),
            Item {
                track: Some(ItemTrack {
                    track_name: t.track,
                    artist_name: t.artist,
                    album_name: t.album,
                    track_uri: t.uri,
                }),
                episode: None,
                local_track: None,
            },
        );
        row.origin.pointer = Some(format!("/tracks/{i}"));
        liked.push(row);
    }
    let mut saved = Vec::new();
    let by_uri = |pointer: String,
                  kind: Kind,
                  title: Option<String>,
                  by: Option<String>,
                  uri: Option<String>| {
        let mut row = Row {
            origin: origin(file, pointer),
            kind,
            query: Query {
                title: title.unwrap_or_default(),
                artists: by.into_iter().collect(),
                album: None,
                duration_ms: None,
            },
            uri: None,
            isrc: None,
            invalid: None,
        };
        match uri.as_deref().map(SpotifyUri::parse) {
            Some(Ok(u)) => row.uri = Some(u.uri()),
            Some(Err(e)) => row.invalid = Some(format!("bad Spotify URI: {e}")),
            None => row.invalid = Some("no Spotify URI".to_owned()),
        }
        row
    };
    for (i, a) in lib.albums.unwrap_or_default().into_iter().enumerate() {
        saved.push(by_uri(
            format!("/albums/{i}"),
            Kind::Album,
            a.album,
            a.artist,
            a.uri,
        ));
    }
    for (i, s) in lib.shows.unwrap_or_default().into_iter().enumerate() {
        saved.push(by_uri(
            format!("/shows/{i}"),
            Kind::Show,
            s.name,
            s.publisher,
            s.uri,
        ));
    }
    for (i, e) in lib.episodes.unwrap_or_default().into_iter().enumerate() {
        saved.push(by_uri(
            format!("/episodes/{i}"),
            Kind::Episode,
            e.name,
            e.show,
            e.uri,
        ));
    }
    let artists: Vec<Row> = lib
        .artists
        .unwrap_or_default()
        .into_iter()
        .enumerate()
        .map(|(i, a)| by_uri(format!("/artists/{i}"), Kind::Artist, a.name, None, a.uri))
        .collect();
    let mut out = Vec::new();
    for (destination, rows) in [
        (Destination::Liked, liked),
        (Destination::Library, saved),
        (Destination::Artists, artists),
    ] {
        if !rows.is_empty() {
            out.push(Target { destination, rows });
        }
    }
    Ok(out)
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
    fn reads_playlists_and_library() {
        let playlists = r#"{"playlists": [{"name": "Mix", "lastModifiedDate": "2024-01-01",
            "description": null, "numberOfFollowers": 0, "items": [
              {"track": {"trackName": "Song", "artistName": "A", "albumName": "Al",
                         "trackUri": "spotify:track:4uLU6hMCjMI75M1A2tKUQC"},
               "episode": null, "localTrack": null, "addedDate": "2024-01-01"},
              {"track": null, "episode": {"episodeName": "E", "showName": "S",
                         "episodeUri": "spotify:episode:512ojhOuo1ktJprKbVcKyQ"}, "localTrack": null},
              {"track": null, "episode": null, "localTrack": {"uri": "spotify:local:a:b:c:1"}},
              {"track": {"trackName": "No Uri", "artistName": "B", "albumName": "X", "trackUri": ""}}
            ]}]}"#;
        let library = r#"{"tracks": [{"artist": "A", "album": "Al", "track": "Song",
            "uri": "spotify:track:4uLU6hMCjMI75M1A2tKUQC"}],
            "albums": [{"artist": "A", "album": "Al", "uri": "spotify:album:4aawyAB9vmqN3uQ7FjRGTy"}],
            "artists": [], "bannedTracks": [], "other": ["x"]}"#;
        let targets = parse(&[
            file("Playlist1.json", playlists),
            file("YourLibrary.json", library),
        ])
        .unwrap();
        assert_eq!(targets.len(), 3);
        let rows = &targets[0].rows;
        assert_eq!(
            rows[0].uri.as_deref(),
            Some("spotify:track:4uLU6hMCjMI75M1A2tKUQC")
        );
        assert_eq!(rows[1].kind, Kind::Episode);
        assert_eq!(rows[2].kind, Kind::Local);
        assert_eq!(rows[3].uri, None);
        assert_eq!(rows[3].query.title, "No Uri");
        assert_eq!(
            rows[3].origin.to_string(),
            "Playlist1.json#/playlists/0/items/3"
        );
        assert_eq!(targets[1].destination, Destination::Liked);
        assert_eq!(targets[2].destination, Destination::Library);
        assert_eq!(targets[2].rows[0].kind, Kind::Album);
    }

    #[test]
    fn wrong_shape_and_truncation_name_the_line() {
        let err = parse(&[file(
            "Playlist1.json",
            "{\n  \"playlists\": {\"name\": 1}\n}",
        )])
        .unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with("Playlist1.json:2: "), "{msg}");
        assert!(msg.contains("playlists"), "{msg}");
        let err =
            parse(&[file("YourLibrary.json", "{\"tracks\": [{\"artist\": \"A\"")]).unwrap_err();
        assert!(err.to_string().contains("ends too early"), "{err}");
        assert!(wanted("Playlist12.json") && wanted("YourLibrary.json"));
        assert!(!wanted("StreamingHistory0.json") && !wanted("Userdata.json"));
    }
}
