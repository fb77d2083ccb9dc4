//! Matching an imported row (title, artists, album, duration, maybe an ISRC or a URI) to a
//! Spotify track.
//!
//! Order of evidence: a Spotify URI in the row is taken as is; an ISRC is looked up with an
//! `isrc:` search; otherwise a field search (`track:… artist:…`) gives candidates that are scored
//! by [`score`] and the best one is accepted when its confidence reaches the threshold.
//!
//! Scores are deterministic functions of the text, so a re-run makes the same choices.

use spotkit::model::Track;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// What is known about a row to match.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    /// Track title.
    pub title: String,
    /// Artist names (the first is the main artist).
    pub artists: Vec<String>,
    /// Album name, if known.
    pub album: Option<String>,
    /// Duration, if known.
    pub duration_ms: Option<u64>,
}

/// Default confidence needed to accept a search match.
pub const DEFAULT_THRESHOLD: f64 = 0.75;

/// Words that mark a different recording than the one asked for, unless the title has them too.
const VERSION_WORDS: [&str; 12] = [
    "live",
    "cover",
    "karaoke",
    "remix",
    "instrumental",
    "acoustic",
    "demo",
    "nightcore",
    "sped",
    "slowed",
    "reverb",
    "edit",
];

/// Lower case, accents and punctuation removed, `feat.` parts and bracketed remarks dropped,
/// `&`/`and` unified, whitespace collapsed.
///
/// ```text
/// "Beyoncé – Halo (feat. X) [Remastered 2009]" -> "beyonce halo"
/// ```
pub fn normalize(s: &str) -> String {
    let stripped = strip_remarks(s);
    let folded: String = stripped
        .nfkd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let mut words: Vec<&str> = Vec::new();
    for w in folded.split_whitespace() {
        if matches!(w, "feat" | "ft" | "featuring") {
            break;
        }
        words.push(if w == "and" { "&" } else { w });
    }
    // `&` was turned into a space above; keep "and" out so "A & B" == "A and B".
    words.retain(|w| *w != "&");
    words.join(" ")
}

/// Removes `(...)`/`[...]` remarks and ` - Remastered ...` style suffixes, but keeps the whole
/// text when that would leave nothing.
fn strip_remarks(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut depth = 0u32;
    for c in s.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    let cut = [" - ", " – ", " — "]
        .iter()
        .filter_map(|sep| out.find(sep))
        .min()
        .map_or(out.as_str(), |i| &out[..i]);
    if cut.trim().is_empty() {
        s.to_owned()
    } else {
        cut.to_owned()
    }
}

/// The version words of a text (see [`VERSION_WORDS`]), looked up in the raw text so remarks in
/// brackets count.
fn version_words(s: &str) -> Vec<&'static str> {
    let lower = s.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    VERSION_WORDS
        .iter()
        .copied()
        .filter(|v| words.contains(v))
        .collect()
}

/// Similarity of two texts after [`normalize`], in 0..=1: the better of the normalised
/// Levenshtein similarity (typos) and the share of common words (word order, extra words).
pub fn similarity(a: &str, b: &str) -> f64 {
    let (a, b) = (normalize(a), normalize(b));
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    if a == b {
        return 1.0;
    }
    let edit = strsim::normalized_levenshtein(&a, &b);
    let wa: Vec<&str> = a.split(' ').collect();
    let wb: Vec<&str> = b.split(' ').collect();
    let common = wa.iter().filter(|w| wb.contains(w)).count();
    let words = 2.0 * common as f64 / (wa.len() + wb.len()) as f64;
    edit.max(words)
}

/// Closeness of two durations: 1 within 2 s, falling to 0 at 15 s apart.
fn duration_closeness(a: u64, b: u64) -> f64 {
    let diff = a.abs_diff(b) as f64 / 1000.0;
    if diff <= 2.0 {
        1.0
    } else {
        (1.0 - (diff - 2.0) / 13.0).max(0.0)
    }
}

/// How well `track` matches `query`, in 0..=1.
///
/// Title counts most, then artists (the best-matching pair), then duration and album when both
/// sides know them; a version word (live, remix, karaoke, …) present on one side only costs 0.3.
pub fn score(query: &Query, track: &Track) -> f64 {
    let name = track.name.as_str();
    let title = similarity(&query.title, name);
    let names: Vec<&str> = track.artists.iter().map(|a| a.name.as_str()).collect();
    let artist = if query.artists.is_empty() {
        None
    } else {
        Some(
            query
                .artists
                .iter()
                .flat_map(|q| names.iter().map(move |n| similarity(q, n)))
                .fold(0.0, f64::max),
        )
    };
    // 0 is what a missing duration reads as: unknown, not zero-length.
    let duration = match (query.duration_ms, track.duration_ms) {
        (Some(q), t) if t > 0 => Some(duration_closeness(q, t)),
        _ => None,
    };
    let album = match (&query.album, track.album.name.as_str()) {
        (Some(q), a) if !q.is_empty() && !a.is_empty() => Some(similarity(q, a)),
        _ => None,
    };
    let mut parts = vec![(title, 0.5)];
    parts.extend(artist.map(|s| (s, 0.3)));
    parts.extend(duration.map(|s| (s, 0.15)));
    parts.extend(album.map(|s| (s, 0.05)));
    let weight: f64 = parts.iter().map(|(_, w)| w).sum();
    let mut total = parts.iter().map(|(s, w)| s * w).sum::<f64>() / weight;
    let (asked, found) = (version_words(&query.title), version_words(name));
    if asked != found {
        total -= 0.3;
    }
    // A wrong main artist or title caps the score whatever the other fields say.
    if title < 0.6 || artist.is_some_and(|a| a < 0.5) {
        total = total.min(0.5);
    }
    total.clamp(0.0, 1.0)
}

/// The best candidate and its score.
pub fn best<'a>(query: &Query, candidates: &'a [Track]) -> Option<(&'a Track, f64)> {
    candidates
        .iter()
        .map(|t| (t, score(query, t)))
        .max_by(|a, b| a.1.total_cmp(&b.1))
}

/// The search query for a row: field filters on title and main artist (quotes removed: Spotify's
/// search has no escaping).
pub fn search_query(query: &Query) -> String {
    let clean = |s: &str| s.replace('"', " ");
    let title = clean(&strip_remarks(&query.title));
    match query.artists.first() {
        Some(artist) => format!("track:{} artist:{}", title.trim(), clean(artist).trim()),
        None => format!("track:{}", title.trim()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn track(name: &str, artists: &[&str], ms: u64) -> Track {
        serde_json::from_value(serde_json::json!({
            "name": name, "duration_ms": ms,
            "artists": artists.iter().map(|a| serde_json::json!({"name": a})).collect::<Vec<_>>(),
            "album": {"name": "Album"}
        }))
        .unwrap()
    }

    fn q(title: &str, artist: &str, ms: Option<u64>) -> Query {
        Query {
            title: title.into(),
            artists: vec![artist.into()],
            album: None,
            duration_ms: ms,
        }
    }

    #[test]
    fn normalization_folds_case_accents_and_remarks() {
        assert_eq!(normalize("Beyoncé"), "beyonce");
        assert_eq!(normalize("Halo (feat. X) [Remastered 2009]"), "halo");
        assert_eq!(normalize("Song - 2011 Remaster"), "song");
        assert_eq!(
            normalize("Simon & Garfunkel"),
            normalize("Simon and Garfunkel")
        );
        assert_eq!(normalize("Track feat. Someone"), "track");
        assert_eq!(normalize("(Intro)"), "intro");
    }

    #[test]
    fn exact_match_scores_one_and_wrong_artist_is_capped() {
        let t = track("Halo", &["Beyoncé"], 261_000);
        assert!((score(&q("halo", "Beyonce", Some(261_500)), &t) - 1.0).abs() < 1e-9);
        assert!(score(&q("Halo", "Someone Else", Some(261_000)), &t) <= 0.5);
    }

    #[test]
    fn versions_and_durations_lose() {
        let right = track("Halo", &["Beyoncé"], 261_000);
        let live = track("Halo - Live", &["Beyoncé"], 290_000);
        let karaoke = track("Halo (Karaoke Version)", &["Beyoncé"], 261_000);
        let query = q("Halo", "Beyoncé", Some(261_000));
        let cands = [live.clone(), karaoke.clone(), right.clone()];
        let (top, s) = best(&query, &cands).unwrap();
        assert_eq!(top.name, "Halo");
        assert!(s > DEFAULT_THRESHOLD);
        assert!(score(&query, &karaoke) < DEFAULT_THRESHOLD);
        assert!(score(&query, &live) < DEFAULT_THRESHOLD);
        // Asked for the live version: the live one wins.
        let (top, _) = best(&q("Halo (Live)", "Beyoncé", None), &cands).unwrap();
        assert_eq!(top.name, "Halo - Live");
    }

    #[test]
    fn search_query_uses_field_filters() {
        assert_eq!(
            search_query(&q("Halo (feat. \"X\")", "Beyoncé", None)),
            "track:Halo artist:Beyoncé"
        );
    }
}
