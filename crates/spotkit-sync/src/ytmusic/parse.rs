//! A search answer's JSON → [`Row`]s.
//!
//! Results sit in `musicShelfRenderer`s of a `sectionListRenderer`, found directly under
//! `contents` (2021 answers) or under the selected tab of `tabbedSearchResultsRenderer` (since
//! late 2021); continuation answers carry `continuationContents.musicShelfContinuation`. Each
//! `musicResponsiveListItemRenderer` has two flex columns: the title, then runs separated by
//! `" • "`: the artists (linked to artist or channel pages, or plain text), the album (linked to
//! an album page), views (videos) and the duration.
//!
//! Tolerance: a row in an unexpected shape (no video id, no title: an artist or album card) is
//! skipped; a page without any of the known containers is a [`PageError`]. Nothing here panics
//! on what the server sends.

use serde_json::Value;

/// What a row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// An audio track as distributed (`MUSIC_VIDEO_TYPE_ATV`): the recording itself.
    Song,
    /// A music video or an upload.
    Video,
}

/// One search result.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Row {
    /// The YouTube video id.
    pub video_id: String,
    /// Title as shown.
    pub title: String,
    /// Credited artists (artist pages, or plain text where the credit has no page).
    pub artists: Vec<String>,
    /// The uploading channel, when the row links a user channel instead of an artist.
    pub channel: Option<String>,
    /// Album, for songs.
    pub album: Option<String>,
    /// Length in seconds.
    pub duration: Option<f64>,
    /// Marked explicit.
    pub explicit: bool,
    /// Song or video.
    pub kind: Kind,
    /// `MUSIC_VIDEO_TYPE_*` as sent.
    pub music_video_type: Option<String>,
}

/// A search answer in a shape this parser does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "YouTube Music answered the search with a page spotkit cannot read ({0}); YouTube Music may have changed its format: update spotkit, or use --source youtube meanwhile"
)]
pub struct PageError(pub String);

/// The rows of a search answer, in page order. `default_kind` is the kind of rows that do not
/// say (the filter searched with).
pub fn rows(page: &Value, default_kind: Kind) -> Result<Vec<Row>, PageError> {
    let shelves = shelves(page)?;
    Ok(shelves
        .iter()
        .flat_map(|items| items.iter())
        .filter_map(|item| item.get("musicResponsiveListItemRenderer"))
        .filter_map(|r| row(r, default_kind))
        .collect())
}

/// The `contents` arrays of every music shelf on the page (none on a "No results" page).
fn shelves(page: &Value) -> Result<Vec<&Vec<Value>>, PageError> {
    if let Some(c) = page
        .pointer("/continuationContents/musicShelfContinuation/contents")
        .and_then(Value::as_array)
    {
        return Ok(vec![c]);
    }
    let contents = page
        .get("contents")
        .ok_or_else(|| PageError("no `contents`".into()))?;
    let sections = match contents.get("tabbedSearchResultsRenderer") {
        Some(tabbed) => {
            let tabs = tabbed
                .get("tabs")
                .and_then(Value::as_array)
                .ok_or_else(|| PageError("tabbedSearchResultsRenderer without tabs".into()))?;
            let tab = tabs
                .iter()
                .find(|t| t.pointer("/tabRenderer/selected") == Some(&Value::Bool(true)))
                .or_else(|| tabs.first())
                .ok_or_else(|| PageError("no tab".into()))?;
            tab.pointer("/tabRenderer/content/sectionListRenderer/contents")
        }
        None => contents.pointer("/sectionListRenderer/contents"),
    }
    .and_then(Value::as_array)
    .ok_or_else(|| PageError("no sectionListRenderer in the answer".into()))?;
    Ok(sections
        .iter()
        .filter_map(|s| s.pointer("/musicShelfRenderer/contents"))
        .filter_map(Value::as_array)
        .collect())
}

fn str_at<'a>(v: &'a Value, pointer: &str) -> Option<&'a str> {
    v.pointer(pointer).and_then(Value::as_str)
}

fn runs(column: &Value) -> &[Value] {
    column
        .pointer("/musicResponsiveListItemFlexColumnRenderer/text/runs")
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// `m:ss` or `h:mm:ss` in seconds.
pub fn parse_duration(text: &str) -> Option<f64> {
    let parts: Vec<&str> = text.trim().split(':').collect();
    if !(2..=3).contains(&parts.len())
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    parts
        .iter()
        .try_fold(0u64, |acc, p| Some(acc * 60 + p.parse::<u64>().ok()?))
        .map(|s| s as f64)
}

fn is_views(text: &str) -> bool {
    let t = text.trim().to_ascii_lowercase();
    t.ends_with(" views") || t.ends_with(" view") || t.ends_with(" plays")
}

fn row(r: &Value, default_kind: Kind) -> Option<Row> {
    let columns = r.get("flexColumns").and_then(Value::as_array)?;
    let title_runs = runs(columns.first()?);
    let title: String = title_runs
        .iter()
        .filter_map(|run| run.get("text").and_then(Value::as_str))
        .collect();
    if title.trim().is_empty() {
        return None;
    }
    let watch = title_runs
        .first()
        .and_then(|run| run.pointer("/navigationEndpoint/watchEndpoint"))
        .or_else(|| {
            r.pointer(
                "/overlay/musicItemThumbnailOverlayRenderer/content/musicPlayButtonRenderer/playNavigationEndpoint/watchEndpoint",
            )
        });
    let video_id = str_at(r, "/playlistItemData/videoId")
        .or_else(|| watch.and_then(|w| str_at(w, "/videoId")))?
        .to_owned();
    let music_video_type = watch
        .and_then(|w| {
            str_at(
                w,
                "/watchEndpointMusicSupportedConfigs/watchEndpointMusicConfig/musicVideoType",
            )
        })
        .map(str::to_owned);
    let mut kind = match music_video_type.as_deref() {
        Some("MUSIC_VIDEO_TYPE_ATV") => Kind::Song,
        Some(_) => Kind::Video,
        None => default_kind,
    };

    let mut artists = Vec::new();
    let mut channel = None;
    let mut album = None;
    let mut duration = None;
    let mut group = 0usize;
    let mut artist_group = 0usize;
    for run in columns.get(1).map(runs).unwrap_or_default() {
        let Some(text) = run.get("text").and_then(Value::as_str) else {
            continue;
        };
        let trimmed = text.trim();
        if trimmed == "•" {
            group += 1;
            continue;
        }
        let page_type = str_at(
            run,
            "/navigationEndpoint/browseEndpoint/browseEndpointContextSupportedConfigs/browseEndpointContextMusicConfig/pageType",
        );
        match page_type {
            Some("MUSIC_PAGE_TYPE_ARTIST") => artists.push(trimmed.to_owned()),
            Some("MUSIC_PAGE_TYPE_USER_CHANNEL") => channel = Some(trimmed.to_owned()),
            Some("MUSIC_PAGE_TYPE_ALBUM") => album = Some(trimmed.to_owned()),
            Some(_) => {}
            None => {
                if trimmed.is_empty() || matches!(trimmed, "&" | "," | "and") {
                    continue;
                }
                if let Some(d) = parse_duration(trimmed) {
                    duration = Some(d);
                } else if is_views(trimmed) {
                    // Views say nothing about which recording it is.
                } else if group == 0 && artists.is_empty() && matches!(trimmed, "Song" | "Video") {
                    // Unfiltered searches start with the row's type: "Song • Artist • …".
                    kind = if trimmed == "Song" {
                        Kind::Song
                    } else {
                        Kind::Video
                    };
                    artist_group = 1;
                } else if group == artist_group {
                    artists.push(trimmed.to_owned());
                }
            }
        }
    }
    if duration.is_none() {
        // Some layouts put the length in a fixed column.
        duration = r
            .pointer("/fixedColumns/0/musicResponsiveListItemFixedColumnRenderer/text/runs/0/text")
            .and_then(Value::as_str)
            .and_then(parse_duration);
    }
    let explicit = r
        .get("badges")
        .and_then(Value::as_array)
        .is_some_and(|badges| {
            badges.iter().any(|b| {
                str_at(b, "/musicInlineBadgeRenderer/icon/iconType") == Some("MUSIC_EXPLICIT_BADGE")
            })
        });
    Some(Row {
        video_id,
        title,
        artists,
        channel,
        album,
        duration,
        explicit,
        kind,
        music_video_type,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("3:28"), Some(208.0));
        assert_eq!(parse_duration("1:02:03"), Some(3723.0));
        assert_eq!(parse_duration("253K views"), None);
        assert_eq!(parse_duration("3:"), None);
        assert_eq!(parse_duration("12"), None);
    }
}
