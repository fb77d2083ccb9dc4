//! The figures of `spotkit history stats` (and of the report), computed in one pass over the
//! plays of a time range.
//!
//! Definitions (`docs/history.md` repeats them for users):
//! - Every entry of the export is a play, whatever its length; time is the sum of `ms_played`.
//! - Times are UTC: extended `ts` is UTC, account-data `endTime` is UTC to the minute; a play is
//!   placed at the hour, weekday, month and day its end time falls in.
//! - Tracks are grouped by (title, artist) (with `by_uri`: by Spotify URI where one is known,
//!   from the extended history or `spotkit history enrich`, else by title and artist), artists by name, albums by (album, artist; extended
//!   history only, account data has no album), shows by name (episodes).
//! - A skip is an extended play with `skipped: true` (`known` counts plays where the flag is not
//!   null; account data has none). `short_plays` counts plays under 30 s, the threshold at which
//!   Spotify counts a stream.
//! - A streak is a run of consecutive UTC days with at least one play.
//! - Rankings: by the metric, then the other metric, then by name, highest first.

use std::collections::HashMap;

use rusqlite::Connection;
use serde::Serialize;

use super::parse::ItemKind;

/// A time range, `[from, to)` in Unix seconds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Range {
    /// Inclusive start.
    pub from: Option<i64>,
    /// Exclusive end.
    pub to: Option<i64>,
}

/// Everything `stats` prints.
#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    /// The range asked for (`YYYY-MM-DD`, inclusive), when any.
    pub range: RangeOut,
    /// Totals.
    pub totals: Totals,
    /// The earliest play in the range.
    pub first_play: Option<PlayOut>,
    /// The latest play in the range.
    pub last_play: Option<PlayOut>,
    /// Top tracks by time and by plays.
    pub top_tracks: Top,
    /// Top artists.
    pub top_artists: Top,
    /// Top albums (extended history only).
    pub top_albums: Top,
    /// Top podcast shows.
    pub top_shows: Top,
    /// Skips.
    pub skips: Skips,
    /// Per month (`YYYY-MM`), months with plays only, oldest first.
    pub by_month: Vec<MonthTotal>,
    /// Monday-first weekdays × 24 UTC hours.
    pub hour_weekday: HourWeekday,
    /// Listening streaks.
    pub streaks: Streaks,
}

/// The range as given.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RangeOut {
    /// First day included.
    pub from: Option<String>,
    /// Last day included.
    pub to: Option<String>,
}

/// Totals of the range.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Totals {
    /// Plays.
    pub plays: u64,
    /// Milliseconds played.
    pub ms_played: i64,
    /// Hours played (rounded to 0.1).
    pub hours: f64,
    /// Plays of tracks, episodes, audiobook chapters, and entries without names.
    pub plays_by_kind: Kinds,
    /// Milliseconds by kind.
    pub ms_by_kind: Kinds,
    /// Distinct tracks (title, artist).
    pub distinct_tracks: u64,
    /// Distinct artists.
    pub distinct_artists: u64,
    /// Distinct shows.
    pub distinct_shows: u64,
    /// Days with at least one play.
    pub days_with_plays: u64,
}

/// A figure per kind of item.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Kinds {
    /// Tracks.
    pub track: i64,
    /// Podcast episodes.
    pub episode: i64,
    /// Audiobook chapters.
    pub audiobook: i64,
    /// Entries without a name.
    pub unknown: i64,
}

impl Kinds {
    fn add(&mut self, kind: ItemKind, v: i64) {
        match kind {
            ItemKind::Track => self.track += v,
            ItemKind::Episode => self.episode += v,
            ItemKind::Audiobook => self.audiobook += v,
            ItemKind::Unknown => self.unknown += v,
        }
    }
}

/// One play.
#[derive(Debug, Clone, Serialize)]
pub struct PlayOut {
    /// End time, RFC 3339 UTC.
    pub time: String,
    /// `track`, `episode`, `audiobook`, `unknown`.
    pub kind: &'static str,
    /// Title.
    pub name: String,
    /// Artist, show or audiobook.
    pub creator: String,
    /// Milliseconds played.
    pub ms_played: i64,
}

/// One ranking, two ways.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Top {
    /// By time played.
    pub by_time: Vec<Entry>,
    /// By number of plays.
    pub by_plays: Vec<Entry>,
}

/// One ranked entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// Track, artist, album or show.
    pub name: String,
    /// The artist of a track or album (absent for artists and shows).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub artist: Option<String>,
    /// The track's Spotify URI (tracks grouped by URI only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uri: Option<String>,
    /// Plays.
    pub plays: u64,
    /// Milliseconds played.
    pub ms_played: i64,
}

/// Skips.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Skips {
    /// Plays with `skipped: true`.
    pub skipped: u64,
    /// Plays whose `skipped` flag is known (not null).
    pub known: u64,
    /// `skipped / known`, rounded to 0.001 (null when none is known).
    pub rate: Option<f64>,
    /// Plays shorter than 30 seconds.
    pub short_plays: u64,
}

/// One month.
#[derive(Debug, Clone, Serialize)]
pub struct MonthTotal {
    /// `YYYY-MM`.
    pub month: String,
    /// Plays.
    pub plays: u64,
    /// Milliseconds played.
    pub ms_played: i64,
}

/// Listening by weekday and hour (UTC).
#[derive(Debug, Clone, Default, Serialize)]
pub struct HourWeekday {
    /// Row names, Monday first.
    pub weekdays: [&'static str; 7],
    /// Plays, `[weekday][hour]`.
    pub plays: [[u64; 24]; 7],
    /// Milliseconds played, `[weekday][hour]`.
    pub ms_played: [[i64; 24]; 7],
}

/// Streaks of days with listening.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Streaks {
    /// The longest run (the earliest of equal runs).
    pub longest: Option<Streak>,
}

/// A run of consecutive days.
#[derive(Debug, Clone, Serialize)]
pub struct Streak {
    /// Days.
    pub days: u64,
    /// First day, `YYYY-MM-DD`.
    pub from: String,
    /// Last day.
    pub to: String,
}

/// Per-group sums while scanning.
#[derive(Debug, Default, Clone, Copy)]
struct Sum {
    plays: u64,
    ms: i64,
}

impl Sum {
    fn add(&mut self, ms: i64) {
        self.plays += 1;
        self.ms += ms;
    }
}

struct ItemRow {
    kind: ItemKind,
    name: String,
    creator: String,
    collection: String,
    /// The export's URI, else the one `enrich` found for the names (empty when none).
    uri: String,
}

/// Computes the figures of `range`, each ranking `top` long; tracks grouped by URI where known
/// when `by_uri`.
pub fn compute(
    conn: &Connection,
    range: Range,
    top: usize,
    by_uri: bool,
) -> rusqlite::Result<Stats> {
    let mut items: HashMap<i64, ItemRow> = HashMap::new();
    {
        let mut stmt = conn.prepare(
            "SELECT i.id, i.kind, i.name, i.creator, i.collection,
                    CASE WHEN i.uri <> '' THEN i.uri ELSE coalesce(l.uri, '') END
             FROM items i LEFT JOIN lookups l
               ON i.uri = '' AND l.kind = i.kind AND l.name = i.name AND l.creator = i.creator",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            items.insert(
                r.get(0)?,
                ItemRow {
                    kind: ItemKind::from_code(r.get(1)?),
                    name: r.get(2)?,
                    creator: r.get(3)?,
                    collection: r.get(4)?,
                    uri: r.get(5)?,
                },
            );
        }
    }
    let mut per_item: HashMap<i64, Sum> = HashMap::new();
    let mut totals = Totals::default();
    let mut skips = Skips::default();
    let mut hw = HourWeekday {
        weekdays: [
            "Monday",
            "Tuesday",
            "Wednesday",
            "Thursday",
            "Friday",
            "Saturday",
            "Sunday",
        ],
        ..HourWeekday::default()
    };
    let mut per_day: HashMap<i64, Sum> = HashMap::new();
    let mut first: Option<(i64, i64, i64)> = None;
    let mut last: Option<(i64, i64, i64)> = None;
    let mut stmt = conn.prepare_cached(
        "SELECT ts, ms_played, item_id, skipped FROM plays WHERE ts >= ?1 AND ts < ?2",
    )?;
    let mut rows = stmt.query([range.from.unwrap_or(i64::MIN), range.to.unwrap_or(i64::MAX)])?;
    // Ties on time are broken by the names (then the item), so the answer does not depend on
    // the order rows were imported in.
    let order = |a: &(i64, i64, i64), b: &(i64, i64, i64)| {
        let name = |id: &i64| items.get(id).map(|i| (&i.name, &i.creator));
        a.0.cmp(&b.0)
            .then_with(|| name(&a.2).cmp(&name(&b.2)))
            .then(a.1.cmp(&b.1))
    };
    while let Some(r) = rows.next()? {
        let ts: i64 = r.get(0)?;
        let ms: i64 = r.get(1)?;
        let item: i64 = r.get(2)?;
        let skipped: Option<bool> = r.get(3)?;
        per_item.entry(item).or_default().add(ms);
        totals.plays += 1;
        totals.ms_played += ms;
        if let Some(s) = skipped {
            skips.known += 1;
            skips.skipped += u64::from(s);
        }
        if ms < 30_000 {
            skips.short_plays += 1;
        }
        let day = ts.div_euclid(86_400);
        let hour = (ts.rem_euclid(86_400) / 3600) as usize;
        // 1970-01-01 was a Thursday (index 3 with Monday first).
        let weekday = (day + 3).rem_euclid(7) as usize;
        hw.plays[weekday][hour] += 1;
        hw.ms_played[weekday][hour] += ms;
        per_day.entry(day).or_default().add(ms);
        let key = (ts, ms, item);
        if first
            .as_ref()
            .is_none_or(|f| order(&key, f) == std::cmp::Ordering::Less)
        {
            first = Some(key);
        }
        if last
            .as_ref()
            .is_none_or(|l| order(&key, l) == std::cmp::Ordering::Greater)
        {
            last = Some(key);
        }
    }
    totals.hours = (totals.ms_played as f64 / 3_600_000.0 * 10.0).round() / 10.0;
    skips.rate = (skips.known > 0)
        .then(|| (skips.skipped as f64 / skips.known as f64 * 1000.0).round() / 1000.0);

    // Key: the URI (by_uri and known) or the names; value: the names shown (the smallest pair
    // among a URI's items, so the answer does not depend on the order of the scan) and the sum.
    let mut tracks: HashMap<TrackKey<'_>, ((&str, &str), Sum)> = HashMap::new();
    let mut artists: HashMap<&str, Sum> = HashMap::new();
    let mut albums: HashMap<(&str, &str), Sum> = HashMap::new();
    let mut shows: HashMap<&str, Sum> = HashMap::new();
    for (id, sum) in &per_item {
        let Some(it) = items.get(id) else { continue };
        totals.plays_by_kind.add(it.kind, sum.plays as i64);
        totals.ms_by_kind.add(it.kind, sum.ms);
        let merge = |s: &mut Sum| {
            s.plays += sum.plays;
            s.ms += sum.ms;
        };
        match it.kind {
            ItemKind::Track => {
                let names = (it.name.as_str(), it.creator.as_str());
                let key = if by_uri && !it.uri.is_empty() {
                    TrackKey::Uri(&it.uri)
                } else {
                    TrackKey::Names(names)
                };
                let e = tracks.entry(key).or_insert((names, Sum::default()));
                e.0 = e.0.min(names);
                merge(&mut e.1);
                if !it.creator.is_empty() {
                    merge(artists.entry(&it.creator).or_default());
                }
                if !it.collection.is_empty() {
                    merge(albums.entry((&it.collection, &it.creator)).or_default());
                }
            }
            ItemKind::Episode if !it.creator.is_empty() => {
                merge(shows.entry(&it.creator).or_default());
            }
            _ => {}
        }
    }
    totals.distinct_tracks = tracks.len() as u64;
    totals.distinct_artists = artists.len() as u64;
    totals.distinct_shows = shows.len() as u64;
    totals.days_with_plays = per_day.len() as u64;

    let mut months: HashMap<(i32, u8), Sum> = HashMap::new();
    for (day, sum) in &per_day {
        let (y, m) = year_month(*day);
        let e = months.entry((y, m)).or_default();
        e.plays += sum.plays;
        e.ms += sum.ms;
    }
    let mut by_month: Vec<MonthTotal> = months
        .into_iter()
        .map(|((y, m), s)| MonthTotal {
            month: format!("{y:04}-{m:02}"),
            plays: s.plays,
            ms_played: s.ms,
        })
        .collect();
    by_month.sort_by(|a, b| a.month.cmp(&b.month));

    let mut days: Vec<i64> = per_day.keys().copied().collect();
    days.sort_unstable();
    let mut longest: Option<(i64, i64)> = None;
    let mut start = 0;
    for i in 0..days.len() {
        if i + 1 == days.len() || days[i + 1] != days[i] + 1 {
            let run = (days[start], days[i]);
            if longest.is_none_or(|(a, b)| run.1 - run.0 > b - a) {
                longest = Some(run);
            }
            start = i + 1;
        }
    }

    let play_out = |k: Option<(i64, i64, i64)>| {
        k.map(|(ts, ms, id)| {
            let it = items.get(&id);
            PlayOut {
                time: rfc3339(ts),
                kind: it.map_or("unknown", |i| i.kind.name()),
                name: it.map(|i| i.name.clone()).unwrap_or_default(),
                creator: it.map(|i| i.creator.clone()).unwrap_or_default(),
                ms_played: ms,
            }
        })
    };
    let pair = |(n, a): (&str, &str)| (n.to_owned(), Some(a.to_owned()));
    let pair3 = |(n, a): (&str, &str)| (n.to_owned(), Some(a.to_owned()), None);
    let one = |n: &str| (n.to_owned(), None, None);
    Ok(Stats {
        range: RangeOut {
            from: range.from.map(|t| date(t.div_euclid(86_400))),
            to: range.to.map(|t| date(t.div_euclid(86_400) - 1)),
        },
        totals,
        first_play: play_out(first),
        last_play: play_out(last),
        top_tracks: rank(
            tracks.into_iter().map(|(key, (names, s))| {
                let (name, artist) = pair(names);
                let uri = match key {
                    TrackKey::Uri(u) => Some(u.to_owned()),
                    TrackKey::Names(_) => None,
                };
                ((name, artist, uri), s)
            }),
            top,
        ),
        top_artists: rank(artists.into_iter().map(|(k, s)| (one(k), s)), top),
        top_albums: rank(albums.into_iter().map(|(k, s)| (pair3(k), s)), top),
        top_shows: rank(shows.into_iter().map(|(k, s)| (one(k), s)), top),
        skips,
        by_month,
        hour_weekday: hw,
        streaks: Streaks {
            longest: longest.map(|(a, b)| Streak {
                days: (b - a + 1) as u64,
                from: date(a),
                to: date(b),
            }),
        },
    })
}

/// What tracks are grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum TrackKey<'a> {
    Uri(&'a str),
    Names((&'a str, &'a str)),
}

/// A group's name, artist and URI.
type Named = (String, Option<String>, Option<String>);

fn rank(groups: impl Iterator<Item = (Named, Sum)>, top: usize) -> Top {
    let all: Vec<Entry> = groups
        .map(|((name, artist, uri), s)| Entry {
            name,
            artist,
            uri,
            plays: s.plays,
            ms_played: s.ms,
        })
        .collect();
    let names = |a: &Entry, b: &Entry| {
        a.name
            .cmp(&b.name)
            .then_with(|| a.artist.cmp(&b.artist))
            .then_with(|| a.uri.cmp(&b.uri))
    };
    let mut by_time = all.clone();
    by_time.sort_by(|a, b| {
        b.ms_played
            .cmp(&a.ms_played)
            .then(b.plays.cmp(&a.plays))
            .then_with(|| names(a, b))
    });
    by_time.truncate(top);
    let mut by_plays = all;
    by_plays.sort_by(|a, b| {
        b.plays
            .cmp(&a.plays)
            .then(b.ms_played.cmp(&a.ms_played))
            .then_with(|| names(a, b))
    });
    by_plays.truncate(top);
    Top { by_time, by_plays }
}

fn to_date(day: i64) -> time::Date {
    // Days since 1970 → Julian day; out-of-range values (not from a real export) clamp.
    let julian = i32::try_from(day + 2_440_588).unwrap_or(2_440_588);
    time::Date::from_julian_day(julian).unwrap_or(time::Date::MIN)
}

fn year_month(day: i64) -> (i32, u8) {
    let d = to_date(day);
    (d.year(), d.month() as u8)
}

/// `YYYY-MM-DD` of a day number (days since 1970-01-01).
pub fn date(day: i64) -> String {
    let d = to_date(day);
    format!("{:04}-{:02}-{:02}", d.year(), d.month() as u8, d.day())
}

/// RFC 3339 UTC of Unix seconds.
pub fn rfc3339(ts: i64) -> String {
    let secs = ts.rem_euclid(86_400);
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        date(ts.div_euclid(86_400)),
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// Parses `YYYY-MM-DD` into its day number.
pub fn parse_date(s: &str) -> Option<i64> {
    super::parse::parse_end_time(&format!("{s} 00:00")).map(|t| t / 86_400)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip() {
        assert_eq!(date(0), "1970-01-01");
        assert_eq!(parse_date("2024-02-29"), Some(19_782));
        assert_eq!(date(19_782), "2024-02-29");
        assert_eq!(rfc3339(1_704_164_645), "2024-01-02T03:04:05Z");
        assert_eq!(parse_date("2024-02-30"), None);
    }
}
