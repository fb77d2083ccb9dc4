//! Matching an imported row (title, artists, album, duration, maybe an ISRC or a URI) to a
//! Spotify track.
//!
//! Order of evidence: a Spotify URI in the row is taken as is; an ISRC is looked up with an
//! `isrc:` search; otherwise a field search (`track:… artist:…`) gives candidates that are scored
//! by [`score`] and the best one is accepted when its confidence reaches the threshold.
//!
//! Scores are deterministic functions of the text, so a re-run makes the same choices.
//!
//! The text work (normalising, transliteration, title cores, credits, version words, similarity,
//! duration closeness) is `spotkit-match`'s, shared with `spotkit sync`; this module holds the
//! import's weights and its search query.

use spotkit::model::Track;
use spotkit_match::names::name_similarity;
use spotkit_match::title::{title_core, without_remarks};
use spotkit_match::{duration, normalize, similarity, version};

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

/// Similarity of two titles' cores (no credits, remarks that say nothing, artist prefixes).
fn title_similarity(a: &str, b: &str, artists: &[String]) -> f64 {
    similarity(&title_core(a, artists), &title_core(b, artists))
}

/// How well `track` matches `query`, in 0..=1.
///
/// Title counts most, then artists (the best-matching pair), then duration and album when both
/// sides know them; a version word (live, remix, karaoke, remastered, …) present on one side
/// only costs 0.3.
pub fn score(query: &Query, track: &Track) -> f64 {
    let name = track.name.as_str();
    let names: Vec<&str> = track.artists.iter().map(|a| a.name.as_str()).collect();
    let credited: Vec<String> = query
        .artists
        .iter()
        .map(String::as_str)
        .chain(names.iter().copied())
        .map(normalize)
        .collect();
    let title = title_similarity(&query.title, name, &credited);
    let artist = if query.artists.is_empty() {
        None
    } else {
        Some(
            query
                .artists
                .iter()
                .flat_map(|q| names.iter().map(move |n| name_similarity(q, n)))
                .fold(0.0, f64::max),
        )
    };
    // 0 is what a missing duration reads as: unknown, not zero-length.
    let duration = match (query.duration_ms, track.duration_ms) {
        (Some(q), t) if t > 0 => Some(duration::closeness(q as f64 / 1000.0, t as f64 / 1000.0)),
        _ => None,
    };
    let album = match (&query.album, track.album.name.as_str()) {
        (Some(q), a) if !q.is_empty() && !a.is_empty() => Some(title_similarity(q, a, &[])),
        _ => None,
    };
    let mut parts = vec![(title, 0.5)];
    parts.extend(artist.map(|s| (s, 0.3)));
    parts.extend(duration.map(|s| (s, 0.15)));
    parts.extend(album.map(|s| (s, 0.05)));
    let weight: f64 = parts.iter().map(|(_, w)| w).sum();
    let mut total = parts.iter().map(|(s, w)| s * w).sum::<f64>() / weight;
    let (asked, found) = (
        version::version_words(&normalize(&query.title)),
        version::version_words(&normalize(name)),
    );
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

/// How well a found album, show, episode or artist matches a name from a data export, in
/// 0..=1: the name counts most, the artist (or publisher) when both sides give one.
pub fn name_score(name: &str, found: &str, by: Option<&str>, found_by: Option<&str>) -> f64 {
    let title = similarity(&normalize(name), &normalize(found));
    match (by, found_by) {
        (Some(b), Some(f)) if !b.trim().is_empty() && !f.trim().is_empty() => {
            let artist = f
                .split(", ")
                .map(|f| name_similarity(b, f))
                .fold(name_similarity(b, f), f64::max);
            let total = 0.7 * title + 0.3 * artist;
            if artist < 0.5 { total.min(0.5) } else { total }
        }
        _ => title,
    }
}

/// The search query for a row: field filters on title and main artist (quotes removed: Spotify's
/// search has no escaping).
pub fn search_query(query: &Query) -> String {
    let clean = |s: &str| s.replace('"', " ");
    let title = clean(&without_remarks(&query.title));
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
    fn names_score_with_their_artist() {
        assert!(name_score("Fish", "Fish", Some("ShitKid"), Some("ShitKid")) > 0.99);
        assert!(name_score("Fish", "Fish", Some("ShitKid"), Some("Someone")) <= 0.5);
        assert!(name_score("AJR", "AJR", None, None) > 0.99);
        assert!(name_score("AJR", "Bon Iver", None, None) < DEFAULT_THRESHOLD);
    }

    #[test]
    fn search_query_uses_field_filters() {
        assert_eq!(
            search_query(&q("Halo (feat. \"X\")", "Beyoncé", None)),
            "track:Halo artist:Beyoncé"
        );
    }

    #[test]
    fn import_reads_text_like_sync() {
        // `&` and "and", German credits, a name in another script: spotkit-match's rules.
        let t = track("The Boxer", &["Simon & Garfunkel"], 308_000);
        assert!(score(&q("The Boxer", "Simon and Garfunkel", Some(308_000)), &t) > 0.99);
        let t = track("Chöre", &["Mark Forster"], 200_000);
        assert!(score(&q("Chöre (mit Lea)", "Mark Forster", None), &t) > DEFAULT_THRESHOLD);
        let t = track("Iskala", &["Zemfira"], 200_000);
        assert!(score(&q("Искала", "Земфира", None), &t) > DEFAULT_THRESHOLD);
    }
}
