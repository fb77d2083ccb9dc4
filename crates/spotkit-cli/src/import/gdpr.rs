//! Spotify's "Download your data" export (`my_spotify_data.zip` or its unpacked folder).
//!
//! `YourLibrary.json` gives liked songs (`tracks`), saved albums, shows and episodes, and
//! followed artists; `Playlist1.json`, `Playlist2.json`, … give the playlists with their items
//! (`track`, `episode` or `localTrack`); `Follow.json` may name followed artists (exports before
//! 2022, names only). Exports before 2022 carry no URIs: those entries keep their names and are
//! matched by search. Other files (`PlaylistInABottle.json`, `Wrapped2023.json`, account data)
//! are ignored; streaming history is recognised so that a history file alone is refused with a
//! message saying what it is. Field names changed a little between export years: unknown fields
//! are ignored and missing ones tolerated, but a file of the wrong shape is an error naming its
//! line and column.

use serde::Deserialize;
use serde::de::DeserializeOwned;
use spotkit::model::{PlayableUri, SpotifyUri};

use super::{Destination, Kind, Origin, Row, Target};
use crate::matching::Query;
use crate::source::{InputFile, SourceError, decode_text};

/// The stem of a file name without a copy suffix (`YourLibrary (1).json` → `yourlibrary`), or
/// `None` when it is not a `.json` file.
fn json_stem(base: &str) -> Option<String> {
    let lower = base.to_lowercase();
    let stem = lower.strip_suffix(".json")?;
    // Browsers and file managers mark copies `name (1)`, `name-1` or `name copy`.
    let stem = stem.trim_end_matches(|c: char| c.is_ascii_digit() || " ()-_".contains(c));
    let stem = stem.strip_suffix(" copy").unwrap_or(stem);
    Some(stem.trim_end().to_owned())
}

/// What a file of the export is, by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// `Playlist<N>.json`.
    Playlists,
    /// `YourLibrary.json` (and renamed copies).
    Library,
    /// `Follow.json`.
    Follow,
    /// Listening history: `StreamingHistory*.json`, `endsong_<N>.json`,
    /// `Streaming_History_Audio_*.json`: not importable.
    History,
}

/// The part of the export a file name is, if any.
pub fn part_of(base: &str) -> Option<Part> {
    let lower = base.to_lowercase();
    let stem = json_stem(base)?;
    if lower.starts_with("streaminghistory")
        || lower.starts_with("streaming_history")
        || lower.starts_with("endsong")
    {
        return Some(Part::History);
    }
    // Only `Playlist<N>.json`: `PlaylistInABottle.json` (a 2023 campaign) is not a playlist file.
    let digits = lower
        .strip_prefix("playlist")
        .and_then(|r| r.strip_suffix(".json"));
    if stem == "playlist" && digits.is_some_and(|d| d.starts_with(|c: char| c.is_ascii_digit())) {
        return Some(Part::Playlists);
    }
    match stem.as_str() {
        "yourlibrary" => Some(Part::Library),
        "follow" => Some(Part::Follow),
        _ => None,
    }
}

/// Whether a file name belongs to the import (or is history, to be named in a refusal).
pub fn wanted(base: &str) -> bool {
    part_of(base).is_some()
}

/// When the input holds only streaming history: the first file's name and what it is.
pub fn history_only(files: &[InputFile]) -> Option<(String, &'static str)> {
    let history: Vec<&InputFile> = files
        .iter()
        .filter(|f| part_of(&f.base) == Some(Part::History))
        .collect();
    if history.is_empty() || history.len() < files.len() {
        return None;
    }
    let extended = history.iter().any(|f| {
        let lower = f.base.to_lowercase();
        lower.starts_with("endsong") || lower.starts_with("streaming_history")
    });
    let what = if extended {
        "Spotify's extended streaming history (every play, from the separate \"extended streaming history\" request)"
    } else {
        "Spotify's streaming history (the last year's plays, from the account data export)"
    };
    Some((history[0].name.clone(), what))
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
#[serde(rename_all = "camelCase")]
struct Follow {
    #[serde(default)]
    following_artists: Option<Vec<String>>,
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
    let mut followed = Vec::new();
    for f in files {
        match part_of(&f.base) {
            Some(Part::Library) => library.extend(parse_library(f)?),
            Some(Part::Playlists) => playlists.extend(parse_playlists(f)?),
            Some(Part::Follow) => followed.extend(parse_follow(f)?),
            Some(Part::History) | None => {}
        }
    }
    playlists.extend(library);
    if !followed.is_empty() {
        if let Some(t) = playlists
            .iter_mut()
            .find(|t| t.destination == Destination::Artists)
        {
            t.rows.extend(followed);
        } else {
            playlists.push(Target {
                destination: Destination::Artists,
                rows: followed,
            });
        }
    }
    Ok(playlists)
}

/// `Follow.json`'s `followingArtists`: names only, matched by search.
fn parse_follow(file: &InputFile) -> Result<Vec<Row>, SourceError> {
    let follow: Follow = read(
        file,
        r#"{"followingArtists": ["name", ...]} as in Spotify's Follow.json"#,
    )?;
    Ok(follow
        .following_artists
        .unwrap_or_default()
        .into_iter()
        .enumerate()
        .map(|(i, name)| {
            let mut row = Row {
                origin: origin(file, format!("/followingArtists/{i}")),
                kind: Kind::Artist,
                query: Query::default(),
                uri: None,
                isrc: None,
                invalid: None,
            };
            if name.trim().is_empty() {
                row.invalid = Some("an artist without a name".to_owned());
            }
            row.query.title = name;
            row
        })
        .collect())
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
    if matches!(row.kind, Kind::Track | Kind::Episode)
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
            // Exports before 2022: names only, matched by search.
            None if row.query.title.trim().is_empty() => {
                row.invalid = Some("no Spotify URI and no name".to_owned());
            }
            None => {}
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
        assert!(!wanted("Userdata.json") && !wanted("PlaylistInABottle.json"));
        assert_eq!(part_of("YourLibrary (1).json"), Some(Part::Library));
        assert_eq!(part_of("Playlist1 (2).json"), Some(Part::Playlists));
        assert_eq!(
            part_of("StreamingHistory_music_0.json"),
            Some(Part::History)
        );
        assert_eq!(part_of("endsong_3.json"), Some(Part::History));
        assert_eq!(
            part_of("Streaming_History_Audio_2022.json"),
            Some(Part::History)
        );
        assert_eq!(part_of("Playlist.json"), None);
    }
}
