//! Spotify's two listening-history layouts, read into one [`Play`] shape.
//!
//! - Account data (`StreamingHistory<N>.json`, since 2023 `StreamingHistory_music_<N>.json`,
//!   `_podcast_<N>`, `_audiobook_<N>`): `{endTime: "YYYY-MM-DD HH:MM" (UTC), msPlayed,
//!   artistName, trackName}` or `{podcastName, episodeName}` or `{audiobookName, chapterName,
//!   authorName}`. Names only, no URIs.
//! - Extended (`endsong_<N>.json` until about 2023, `Streaming_History_Audio_<years>.json` and
//!   `Streaming_History_Video_<years>.json` now): `{ts: RFC 3339 UTC, ms_played,
//!   master_metadata_*, spotify_track_uri, episode_*, audiobook_*, reason_start, reason_end,
//!   shuffle, skipped, offline, offline_timestamp, incognito_mode, platform, conn_country}` and
//!   the personal fields `ip_addr` (`ip_addr_decrypted`), `username`, `user_agent_decrypted`.
//!
//! Each entry's family is told by its time field (`ts` or `endTime`), not by the file name, so a
//! renamed file still reads. Unknown fields are ignored (Spotify adds some now and then); a file
//! that is not a JSON array of plays is an error naming the file, line, column and entry.

use serde::Deserialize;

use crate::source::SourceError;

/// Which export a play came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Family {
    /// Account data: minute precision, names only.
    Account = 0,
    /// Extended streaming history: second precision, URIs and playback details.
    Extended = 1,
}

/// What was played.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ItemKind {
    /// A song (or a music video).
    Track = 0,
    /// A podcast episode.
    Episode = 1,
    /// An audiobook chapter.
    Audiobook = 2,
    /// Extended history entries without any name or URI (content no longer available).
    Unknown = 3,
}

impl ItemKind {
    /// The kind stored in the database.
    pub fn from_code(code: i64) -> ItemKind {
        match code {
            0 => ItemKind::Track,
            1 => ItemKind::Episode,
            2 => ItemKind::Audiobook,
            _ => ItemKind::Unknown,
        }
    }

    /// Its name in JSON output.
    pub fn name(self) -> &'static str {
        match self {
            ItemKind::Track => "track",
            ItemKind::Episode => "episode",
            ItemKind::Audiobook => "audiobook",
            ItemKind::Unknown => "unknown",
        }
    }
}

/// What was played: a track, an episode or a chapter, by the names (and URI) the export gives.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Item {
    /// What it is.
    pub kind: ItemKind,
    /// Track, episode or chapter title.
    pub name: String,
    /// Artist (tracks), show (episodes) or audiobook title (chapters).
    pub creator: String,
    /// Album (tracks, extended only) or author (audiobooks, account data only).
    pub collection: String,
    /// `spotify:track:…`, `spotify:episode:…` or the chapter's URI (extended only; else empty).
    pub uri: String,
}

/// One play, as both layouts have it.
#[derive(Debug, Clone, PartialEq)]
pub struct Play {
    /// Account data or extended.
    pub family: Family,
    /// When the play ended, Unix seconds UTC (account data: the start of the minute).
    pub ts: i64,
    /// How long it played.
    pub ms_played: i64,
    /// What was played.
    pub item: Item,
    /// Playback details (extended only).
    pub detail: Detail,
    /// Personal fields, kept only with `--keep-personal`.
    pub personal: Personal,
}

/// Playback details of an extended-history play.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Detail {
    /// `platform` (e.g. `android`, `iOS 14.7.1 (iPhone10,3)`).
    pub platform: Option<String>,
    /// `conn_country`: the country the play was streamed from.
    pub conn_country: Option<String>,
    /// `reason_start` (`clickrow`, `trackdone`, …).
    pub reason_start: Option<String>,
    /// `reason_end` (`endplay`, `fwdbtn`, …).
    pub reason_end: Option<String>,
    /// `shuffle`.
    pub shuffle: Option<bool>,
    /// `skipped` (null in older files).
    pub skipped: Option<bool>,
    /// `offline`.
    pub offline: Option<bool>,
    /// `offline_timestamp` as given (seconds in current files, milliseconds in `endsong`).
    pub offline_timestamp: Option<i64>,
    /// `incognito_mode`.
    pub incognito: Option<bool>,
}

/// The fields that identify the listener or their connection.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Personal {
    /// `ip_addr` / `ip_addr_decrypted`.
    pub ip_addr: Option<String>,
    /// `username`.
    pub username: Option<String>,
    /// `user_agent_decrypted`.
    pub user_agent: Option<String>,
}

/// An entry of either layout; every field optional, the checks come after.
#[derive(Debug, Deserialize)]
struct Raw {
    #[serde(rename = "endTime")]
    end_time: Option<String>,
    #[serde(rename = "msPlayed")]
    ms_played_account: Option<i64>,
    #[serde(rename = "artistName")]
    artist_name: Option<String>,
    #[serde(rename = "trackName")]
    track_name: Option<String>,
    #[serde(rename = "podcastName")]
    podcast_name: Option<String>,
    #[serde(rename = "episodeName")]
    episode_name_account: Option<String>,
    #[serde(rename = "audiobookName")]
    audiobook_name: Option<String>,
    #[serde(rename = "chapterName")]
    chapter_name: Option<String>,
    #[serde(rename = "authorName")]
    author_name: Option<String>,

    ts: Option<String>,
    ms_played: Option<i64>,
    username: Option<String>,
    platform: Option<String>,
    conn_country: Option<String>,
    ip_addr: Option<String>,
    ip_addr_decrypted: Option<String>,
    user_agent_decrypted: Option<String>,
    master_metadata_track_name: Option<String>,
    master_metadata_album_artist_name: Option<String>,
    master_metadata_album_album_name: Option<String>,
    spotify_track_uri: Option<String>,
    episode_name: Option<String>,
    episode_show_name: Option<String>,
    spotify_episode_uri: Option<String>,
    audiobook_title: Option<String>,
    audiobook_uri: Option<String>,
    audiobook_chapter_uri: Option<String>,
    audiobook_chapter_title: Option<String>,
    reason_start: Option<String>,
    reason_end: Option<String>,
    shuffle: Option<bool>,
    skipped: Option<bool>,
    offline: Option<bool>,
    offline_timestamp: Option<i64>,
    incognito_mode: Option<bool>,
}

/// Whether a file name is a listening-history file of either layout (what a folder or zip walk
/// picks up; files named on the command line are read whatever their name).
pub fn is_history_file(base: &str) -> bool {
    let lower = base.to_lowercase();
    std::path::Path::new(&lower)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        && (lower.starts_with("streaminghistory")
            || lower.starts_with("streaming_history")
            || lower.starts_with("endsong"))
}

/// Reads one history file. `name` is shown in errors.
pub fn parse_file(name: &str, bytes: &[u8]) -> Result<Vec<Play>, SourceError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(SourceError::at(
            name,
            None,
            "the file is empty: it is not a Spotify streaming history file (a JSON array of plays); download the export again",
        ));
    }
    let raw: Vec<Raw> = match serde_json::from_slice(bytes) {
        Ok(raw) => raw,
        Err(e) => return Err(json_error(name, bytes, &e)),
    };
    raw.into_iter()
        .enumerate()
        .map(|(i, r)| convert(r).map_err(|msg| entry_error(name, i, &msg)))
        .collect()
}

/// A JSON error with its position, and the entry it is in when serde can tell.
fn json_error(name: &str, bytes: &[u8], e: &serde_json::Error) -> SourceError {
    // Parsed again on this (rare) path only, for the entry index serde_path_to_error records.
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let path = serde_path_to_error::deserialize::<_, Vec<Raw>>(&mut de)
        .err()
        .map(|e| e.path().to_string().trim_end_matches(".?").to_owned())
        .filter(|p| p != "." && p != "?" && !p.is_empty());
    let at = format!("line {} column {}", e.line(), e.column());
    let entry = path.map(|p| format!(", entry {p}")).unwrap_or_default();
    let what = match e.classify() {
        serde_json::error::Category::Eof => {
            "the file ends in the middle of the JSON (cut off while downloading or unpacking?); download the export again".to_owned()
        }
        serde_json::error::Category::Syntax => {
            format!("the file is not valid JSON ({e}); download the export again")
        }
        _ => format!(
            "this is not a Spotify streaming history file (a JSON array of plays with `endTime` or `ts`): {e}; pass StreamingHistory*.json, endsong_*.json or Streaming_History_*.json"
        ),
    };
    SourceError {
        file: format!("{name} ({at}{entry})"),
        line: None,
        message: what,
    }
}

fn entry_error(name: &str, index: usize, msg: &str) -> SourceError {
    SourceError {
        file: format!("{name} (entry [{index}])"),
        line: None,
        message: format!(
            "{msg}: this is not a Spotify streaming history entry; pass StreamingHistory*.json, endsong_*.json or Streaming_History_*.json"
        ),
    }
}

/// Blank strings count as missing (Spotify writes `null`, spreadsheets write `""`).
fn text(s: Option<String>) -> Option<String> {
    s.filter(|s| !s.trim().is_empty())
}

fn convert(r: Raw) -> Result<Play, String> {
    if let Some(ts) = r.ts {
        let ts = parse_ts(&ts).ok_or_else(|| format!("`ts` is `{ts}`, not a UTC time"))?;
        let ms_played = r.ms_played.ok_or("`ms_played` is missing")?;
        let item = if let Some(name) = text(r.master_metadata_track_name) {
            Item {
                kind: ItemKind::Track,
                name,
                creator: r.master_metadata_album_artist_name.unwrap_or_default(),
                collection: r.master_metadata_album_album_name.unwrap_or_default(),
                uri: r.spotify_track_uri.unwrap_or_default(),
            }
        } else if let Some(name) = text(r.episode_name) {
            Item {
                kind: ItemKind::Episode,
                name,
                creator: r.episode_show_name.unwrap_or_default(),
                collection: String::new(),
                uri: r.spotify_episode_uri.unwrap_or_default(),
            }
        } else if let Some(title) = text(r.audiobook_title) {
            Item {
                kind: ItemKind::Audiobook,
                name: r.audiobook_chapter_title.unwrap_or_default(),
                creator: title,
                collection: String::new(),
                uri: text(r.audiobook_chapter_uri)
                    .or(r.audiobook_uri)
                    .unwrap_or_default(),
            }
        } else {
            // No names: a URI may remain (content since removed), or nothing at all.
            let uri = text(r.spotify_track_uri)
                .or(text(r.spotify_episode_uri))
                .or(text(r.audiobook_chapter_uri))
                .unwrap_or_default();
            Item {
                kind: ItemKind::Unknown,
                name: String::new(),
                creator: String::new(),
                collection: String::new(),
                uri,
            }
        };
        return Ok(Play {
            family: Family::Extended,
            ts,
            ms_played,
            item,
            detail: Detail {
                platform: r.platform,
                conn_country: r.conn_country,
                reason_start: r.reason_start,
                reason_end: r.reason_end,
                shuffle: r.shuffle,
                skipped: r.skipped,
                offline: r.offline,
                offline_timestamp: r.offline_timestamp,
                incognito: r.incognito_mode,
            },
            personal: Personal {
                ip_addr: r.ip_addr.or(r.ip_addr_decrypted),
                username: r.username,
                user_agent: r.user_agent_decrypted,
            },
        });
    }
    let Some(end) = r.end_time else {
        return Err("the entry has neither `ts` nor `endTime`".to_owned());
    };
    let ts = parse_end_time(&end)
        .ok_or_else(|| format!("`endTime` is `{end}`, not a `YYYY-MM-DD HH:MM` time"))?;
    let ms_played = r.ms_played_account.ok_or("`msPlayed` is missing")?;
    let item = if let Some(name) = r.track_name {
        Item {
            kind: ItemKind::Track,
            name,
            creator: r.artist_name.unwrap_or_default(),
            collection: String::new(),
            uri: String::new(),
        }
    } else if let Some(name) = r.episode_name_account {
        Item {
            kind: ItemKind::Episode,
            name,
            creator: r.podcast_name.unwrap_or_default(),
            collection: String::new(),
            uri: String::new(),
        }
    } else if r.audiobook_name.is_some() || r.chapter_name.is_some() {
        Item {
            kind: ItemKind::Audiobook,
            name: r.chapter_name.unwrap_or_default(),
            creator: r.audiobook_name.unwrap_or_default(),
            collection: r.author_name.unwrap_or_default(),
            uri: String::new(),
        }
    } else {
        return Err("the entry names no track, episode or audiobook".to_owned());
    };
    Ok(Play {
        family: Family::Account,
        ts,
        ms_played,
        item,
        detail: Detail::default(),
        personal: Personal::default(),
    })
}

/// `2021-09-21T19:38:59Z` (what Spotify writes; other RFC 3339 offsets are accepted too).
pub fn parse_ts(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    // The fast path: Spotify's fixed `YYYY-MM-DDTHH:MM:SSZ`.
    if b.len() == 20 && b[4] == b'-' && b[7] == b'-' && b[10] == b'T' && b[19] == b'Z' {
        let date = civil(num(&b[0..4])?, num(&b[5..7])?, num(&b[8..10])?)?;
        let (h, m, sec) = (num(&b[11..13])?, num(&b[14..16])?, num(&b[17..19])?);
        if h > 23 || m > 59 || sec > 60 || b[13] != b':' || b[16] != b':' {
            return None;
        }
        return Some(date * 86_400 + h * 3600 + m * 60 + sec);
    }
    time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339)
        .ok()
        .map(time::OffsetDateTime::unix_timestamp)
}

/// `2018-03-17 04:30` (account data, UTC, minute precision).
pub fn parse_end_time(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() != 16 || b[4] != b'-' || b[7] != b'-' || b[10] != b' ' || b[13] != b':' {
        return None;
    }
    let date = civil(num(&b[0..4])?, num(&b[5..7])?, num(&b[8..10])?)?;
    let (h, m) = (num(&b[11..13])?, num(&b[14..16])?);
    if h > 23 || m > 59 {
        return None;
    }
    Some(date * 86_400 + h * 3600 + m * 60)
}

fn num(digits: &[u8]) -> Option<i64> {
    digits.iter().try_fold(0i64, |acc, d| {
        d.is_ascii_digit().then(|| acc * 10 + i64::from(d - b'0'))
    })
}

/// Days since 1970-01-01 of a valid calendar date.
fn civil(y: i64, m: i64, d: i64) -> Option<i64> {
    let month = time::Month::try_from(u8::try_from(m).ok()?).ok()?;
    let date = time::Date::from_calendar_date(i32::try_from(y).ok()?, month, u8::try_from(d).ok()?)
        .ok()?;
    Some(i64::from(date.to_julian_day()) - 2_440_588)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Designed entries, modelled on the real layouts' field sets (not copied from any export).
    const ACCOUNT: &str = r#"[
      {"endTime": "2024-01-02 03:04", "artistName": "Artist A", "trackName": "Song A", "msPlayed": 1000},
      {"endTime": "2024-01-02 03:05", "podcastName": "Show", "episodeName": "Ep 1", "msPlayed": 2000},
      {"endTime": "2024-01-02 03:06", "audiobookName": "Book", "chapterName": "Ch 1", "authorName": "Au", "msPlayed": 3000}
    ]"#;
    const EXTENDED: &str = r#"[{"ts": "2024-01-02T03:04:05Z", "username": "someone", "platform": "android",
      "ms_played": 1000, "conn_country": "DE", "ip_addr": "192.0.2.1",
      "master_metadata_track_name": "Song A", "master_metadata_album_artist_name": "Artist A",
      "master_metadata_album_album_name": "Album A", "spotify_track_uri": "spotify:track:0000000000000000000001",
      "episode_name": null, "episode_show_name": null, "spotify_episode_uri": null,
      "reason_start": "clickrow", "reason_end": "fwdbtn", "shuffle": false, "skipped": true,
      "offline": false, "offline_timestamp": 1704164645, "incognito_mode": false}]"#;

    #[test]
    fn reads_both_layouts() {
        let plays = parse_file("a.json", ACCOUNT.as_bytes()).unwrap();
        assert_eq!(plays.len(), 3);
        assert_eq!(plays[0].ts, 1_704_164_640);
        assert_eq!(plays[1].item.kind, ItemKind::Episode);
        assert_eq!(plays[2].item.creator, "Book");
        let ext = parse_file("e.json", EXTENDED.as_bytes()).unwrap();
        assert_eq!(ext[0].ts, 1_704_164_645);
        assert_eq!(ext[0].family, Family::Extended);
        assert_eq!(ext[0].detail.skipped, Some(true));
        assert_eq!(ext[0].personal.ip_addr.as_deref(), Some("192.0.2.1"));
    }

    #[test]
    fn times_are_utc() {
        assert_eq!(parse_ts("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_ts("2000-03-01T00:00:01Z"), Some(951_868_801));
        assert_eq!(parse_ts("2000-03-01T01:00:01+01:00"), Some(951_868_801));
        assert_eq!(parse_ts("2000-02-30T00:00:00Z"), None);
        assert_eq!(parse_end_time("2000-03-01 00:01"), Some(951_868_860));
        assert_eq!(parse_end_time("2000-03-01T00:01"), None);
    }

    #[test]
    fn bad_input_names_file_and_position() {
        let err = parse_file("h.json", &ACCOUNT.as_bytes()[..120]).unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.starts_with("h.json (line 3 column 12, entry [1])"),
            "{msg}"
        );
        assert!(msg.contains("cut off"), "{msg}");
        let err = parse_file("h.json", b"  \n").unwrap_err();
        assert!(err.to_string().contains("empty"), "{err}");
        let err = parse_file("YourLibrary.json", br#"{"tracks": []}"#).unwrap_err();
        assert!(
            err.to_string().contains("not a Spotify streaming history"),
            "{err}"
        );
        let err = parse_file(
            "x.json",
            br#"[{"endTime": "2024-01-02 03:04", "msPlayed": "x"}]"#,
        )
        .unwrap_err();
        assert!(err.to_string().contains("entry [0]"), "{err}");
        let err = parse_file("x.json", br#"[{"a": 1}]"#).unwrap_err();
        assert!(err.to_string().contains("entry [0]"), "{err}");
    }
}
