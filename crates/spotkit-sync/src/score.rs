//! The matcher: how well a search result or catalogue entry fits a Spotify track.
//!
//! An ISRC equal to the track's wins outright. Otherwise the score combines
//! * title similarity of the *cores* of both titles: normalised (case, accents, punctuation,
//!   `&`), without "feat." credits, without the artist prefix a video title usually carries
//!   (`Artist - Title`) and without noise such as "(Official Audio)" or "- Remastered 2011";
//! * artist similarity: the track's artists against the candidate's credited artist, its channel
//!   (minus " - Topic", "VEVO", ...) and its title prefix; a near-miss name is not enough;
//! * duration closeness: full marks within 2 s, falling sharply after that;
//! * penalties for version words the Spotify title does not have (live, cover, karaoke, remix,
//!   sped up, nightcore, instrumental, ...), and a small bonus for official or Topic channels.
//!
//! A candidate is accepted when every part passes its gate and the total reaches
//! [`Matcher::threshold`]; otherwise the track is unmatched and the best candidates are kept
//! with their scores for the error report.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization as _;
use unicode_normalization::char::is_combining_mark;

use crate::track::TrackInfo;

/// One possible source of a track: a search result or a catalogue entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    /// What to hand to yt-dlp for the download.
    #[serde(default)]
    pub url: String,
    /// Title as published.
    pub title: String,
    /// Credited artist(s), when the source lists them (music sites do, video sites mostly not).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub artist: Option<String>,
    /// Uploading channel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    /// Declared duration in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<f64>,
    /// ISRC, when the source has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub isrc: Option<String>,
    /// Album, when the source names one (YouTube Music's song rows do).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub album: Option<String>,
    /// Published by the artist, their label or an auto-generated "Topic" channel.
    #[serde(default)]
    pub official: bool,
}

/// The parts of a score, kept for reports and tuning.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Parts {
    /// Title similarity, 0..=1.
    pub title: f64,
    /// Artist similarity, 0..=1.
    pub artist: f64,
    /// Duration closeness, 0..=1 (0.6 when the candidate's duration is unknown).
    pub duration: f64,
    /// Sum of version-word penalties.
    pub penalty: f64,
    /// Official-channel bonus.
    pub bonus: f64,
    /// The ISRCs are equal.
    pub isrc: bool,
}

/// A candidate with its score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scored {
    /// The candidate.
    pub candidate: Candidate,
    /// Total score (1.0 for an ISRC match).
    pub score: f64,
    /// Whether every gate passed (each part good enough on its own).
    pub acceptable: bool,
    /// The parts.
    pub parts: Parts,
}

/// What the matcher decided for a track.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "result", rename_all = "snake_case")]
// One decision per track, moved a few times: boxing the match would buy nothing.
#[allow(clippy::large_enum_variant)]
pub enum Decision {
    /// This candidate is the track.
    Matched(Scored),
    /// No candidate was good enough; the best ones, best first.
    Unmatched {
        /// Up to three best candidates.
        best: Vec<Scored>,
    },
}

/// The scoring rules and threshold.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Matcher {
    /// Minimum total score to accept a candidate.
    pub threshold: f64,
    /// Minimum title similarity.
    pub min_title: f64,
    /// Minimum artist similarity.
    pub min_artist: f64,
    /// Largest duration difference, in seconds, a candidate may have.
    pub max_duration_diff: f64,
}

impl Default for Matcher {
    fn default() -> Self {
        Matcher {
            threshold: 0.80,
            min_title: 0.70,
            min_artist: 0.80,
            max_duration_diff: 7.0,
        }
    }
}

/// Words that mark another version of a song; a candidate carrying one the Spotify title lacks
/// is penalised.
const VERSION_WORDS: &[&str] = &[
    "live",
    "cover",
    "karaoke",
    "remix",
    "sped up",
    "speed up",
    "nightcore",
    "instrumental",
    "slowed",
    "reverb",
    "8d",
    "acoustic",
    "reprise",
    "extended",
    "bass boosted",
    "tribute",
    "in the style of",
    "piano version",
    "demo",
    "mashup",
    "parody",
];

/// Words that say nothing about which recording it is ("(Official Audio)", "- Remastered 2011").
const NOISE_WORDS: &[&str] = &[
    "official",
    "audio",
    "video",
    "music",
    "lyric",
    "lyrics",
    "visualizer",
    "visualiser",
    "hd",
    "hq",
    "4k",
    "mv",
    "remastered",
    "remaster",
    "version",
    "album",
    "explicit",
    "clean",
    "topic",
    "radio",
    "edit",
    "single",
    "original",
    "mix",
    "mono",
    "stereo",
];

/// Lowercase, accents removed, `&` as "and", punctuation as spaces, single spaces.
pub fn normalize(s: &str) -> String {
    let lowered: String = s
        .nfkd()
        .filter(|c| !is_combining_mark(*c))
        .collect::<String>()
        .to_lowercase()
        .replace(['\'', '’', '`'], "")
        .replace('&', " and ")
        .replace('ß', "ss")
        .replace('ø', "o")
        .replace('æ', "ae")
        .replace('đ', "d")
        .replace('ł', "l");
    let mut out = String::with_capacity(lowered.len());
    for c in lowered.chars() {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with(' ') && !out.is_empty() {
            out.push(' ');
        }
    }
    out.trim_end().to_owned()
}

fn is_feat(word: &str) -> bool {
    matches!(word, "feat" | "ft" | "featuring")
}

fn is_noise_group(norm: &str) -> bool {
    norm.split(' ').all(|w| {
        NOISE_WORDS.contains(&w) || (w.len() == 4 && w.chars().all(|c| c.is_ascii_digit()))
    })
}

/// Splits a raw title into its unbracketed text and its bracket groups.
fn split_brackets(raw: &str) -> (String, Vec<String>) {
    let mut main = String::new();
    let mut groups = Vec::new();
    let mut depth = 0usize;
    let mut current = String::new();
    for c in raw.chars() {
        match c {
            '(' | '[' | '{' | '【' => {
                if depth == 0 {
                    current.clear();
                } else {
                    current.push(' ');
                }
                depth += 1;
                main.push(' ');
            }
            ')' | ']' | '}' | '】' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    groups.push(std::mem::take(&mut current));
                } else {
                    current.push(' ');
                }
            }
            _ if depth > 0 => current.push(c),
            _ => main.push(c),
        }
    }
    if depth > 0 && !current.is_empty() {
        groups.push(current);
    }
    (main, groups)
}

/// The words of a title that name the recording: no artist prefix, no "feat." credits, no
/// noise. `artists` are normalised names whose parts are dropped when a ` - ` part is one.
pub fn title_core(raw: &str, artists: &[String]) -> String {
    let (main, groups) = split_brackets(raw);
    let mut words: Vec<String> = Vec::new();
    // " - " (and the dash variants) separate "Artist - Title - Remastered 2011".
    let main = main
        .replace(" \u{2013}", " -")
        .replace(" \u{2014}", " -")
        .replace(" |", " -")
        .replace(" ~", " -");
    let parts: Vec<String> = main
        .split(" -")
        .map(normalize)
        .filter(|p| !p.is_empty())
        .collect();
    let artist_words: HashSet<&str> = artists
        .iter()
        .flat_map(|a| a.split(' '))
        .chain(["and", "x", "vs", "with"])
        .collect();
    // "Artist", "Artist, Guest" or "Artist & Guest": every word from the credited names.
    let is_artist = |norm: &str| {
        artists.iter().any(|a| {
            !a.is_empty()
                && (norm == a
                    || norm.replace(' ', "") == a.replace(' ', "")
                    || (contains_words(norm, a)
                        && norm.split(' ').all(|w| artist_words.contains(w))))
        })
    };
    // A song may be called "Music" or be by an artist named like it: only drop noise or
    // artist parts when something else is left to be the title.
    let substantive = parts
        .iter()
        .filter(|p| !is_noise_group(p) && !is_artist(p))
        .count();
    for (i, norm) in parts.iter().enumerate() {
        if substantive > 0 && (is_noise_group(norm) || is_artist(norm)) {
            continue;
        }
        if substantive == 0 && parts.len() > 1 && i == 0 && is_artist(norm) {
            continue;
        }
        // Inline credits: "Title ft. Someone" drops everything from the credit on.
        for w in norm.split(' ') {
            if is_feat(w) && !words.is_empty() {
                break;
            }
            words.push(w.to_owned());
        }
    }
    for g in groups {
        let norm = normalize(&g);
        if norm.is_empty() || is_noise_group(&norm) {
            continue;
        }
        if norm
            .split(' ')
            .next()
            .is_some_and(|w| is_feat(w) || w == "with")
        {
            continue;
        }
        words.extend(norm.split(' ').map(str::to_owned));
    }
    // A lone "Remastered 2011" tail inside the unbracketed part.
    let mut out: Vec<String> = Vec::new();
    for w in words {
        if matches!(w.as_str(), "remastered" | "remaster") && !out.is_empty() {
            break;
        }
        out.push(w);
    }
    // An artist name run into the title ("YOASOBI「夜に駆ける」"): drop it from the front.
    for a in artists {
        let n = a.split(' ').count();
        if !a.is_empty() && out.len() > n && out[..n].join(" ") == *a {
            out.drain(..n);
        }
    }
    // Noise words anywhere, as long as something is left (a song may be called "Video").
    let kept: Vec<String> = out
        .iter()
        .filter(|w| !NOISE_WORDS.contains(&w.as_str()))
        .cloned()
        .collect();
    if kept.is_empty() {
        out.join(" ")
    } else {
        kept.join(" ")
    }
}

fn token_f1(a: &str, b: &str) -> f64 {
    let ta: Vec<&str> = a.split(' ').filter(|w| !w.is_empty()).collect();
    let tb: Vec<&str> = b.split(' ').filter(|w| !w.is_empty()).collect();
    if ta.is_empty() || tb.is_empty() {
        return 0.0;
    }
    let common = ta.iter().filter(|w| tb.contains(w)).count() as f64;
    if common == 0.0 {
        return 0.0;
    }
    let p = common / tb.len() as f64;
    let r = common / ta.len() as f64;
    2.0 * p * r / (p + r)
}

/// Similarity of two normalised strings, 0..=1.
fn similarity(a: &str, b: &str) -> f64 {
    if a == b {
        return 1.0;
    }
    strsim::normalized_levenshtein(a, b).max(token_f1(a, b))
}

fn contains_words(haystack: &str, needle: &str) -> bool {
    !needle.is_empty() && format!(" {haystack} ").contains(&format!(" {needle} "))
}

/// A channel name without the decorations that mark it as the artist's.
fn channel_artist(channel: &str) -> String {
    let mut c = channel.trim().to_owned();
    for suffix in [
        " - Topic",
        "VEVO",
        "Vevo",
        " Official",
        " official",
        "Official",
    ] {
        if let Some(s) = c.strip_suffix(suffix) {
            c = s.trim().to_owned();
        }
    }
    normalize(&c)
}

fn duration_score(spotify: f64, candidate: Option<f64>) -> (f64, Option<f64>) {
    match candidate {
        None => (0.6, None),
        Some(c) => {
            let diff = (c - spotify).abs();
            let score = if diff <= 2.0 {
                1.0
            } else {
                (-((diff - 2.0) / 3.5).powi(2)).exp()
            };
            (score, Some(diff))
        }
    }
}

impl Matcher {
    /// Scores one candidate against a track.
    pub fn score(&self, track: &TrackInfo, c: &Candidate) -> Scored {
        let artists: Vec<String> = track.artists.iter().map(|a| normalize(a)).collect();
        let isrc = match (&track.isrc, &c.isrc) {
            (Some(a), Some(b)) => a.eq_ignore_ascii_case(b.trim()),
            _ => false,
        };
        let spotify_core = title_core(&track.title, &artists);
        let cand_core = title_core(&c.title, &artists);
        let title = similarity(&spotify_core, &cand_core);

        // Artist: the main artist (or, a little less, another credited one) against every
        // place a candidate names its artist.
        let mut places: Vec<String> = Vec::new();
        if let Some(a) = &c.artist {
            places.push(normalize(a));
            places.extend(
                a.split([',', '&', '/', ';'])
                    .map(normalize)
                    .filter(|s| !s.is_empty()),
            );
        }
        if let Some(ch) = &c.channel {
            places.push(channel_artist(ch));
        }
        let (main_text, _) = split_brackets(&c.title);
        if let Some((prefix, _)) = main_text.split_once(" - ") {
            places.push(normalize(prefix));
        }
        let full_title = normalize(&c.title);
        let artist_sim = |a: &String| -> f64 {
            if a.is_empty() {
                return 0.0;
            }
            let spaceless = a.replace(' ', "");
            let mut best: f64 = 0.0;
            for p in &places {
                if p.is_empty() {
                    continue;
                }
                if p == a || p.replace(' ', "") == spaceless || contains_words(p, a) {
                    return 1.0;
                }
                best = best.max(strsim::normalized_levenshtein(a, p));
            }
            if contains_words(&full_title, a) {
                return 1.0;
            }
            best
        };
        let artist = artists
            .iter()
            .enumerate()
            .map(|(i, a)| {
                if i == 0 {
                    artist_sim(a)
                } else {
                    0.9 * artist_sim(a)
                }
            })
            .fold(0.0, f64::max);

        let (duration, diff) = duration_score(track.duration_secs(), c.duration);

        let spotify_words = normalize(&format!("{} {}", track.title, track.album));
        let cand_words = normalize(&format!(
            "{} {}",
            c.title,
            c.channel.as_deref().unwrap_or("")
        ));
        let penalty = VERSION_WORDS
            .iter()
            .filter(|w| contains_words(&cand_words, w) && !contains_words(&spotify_words, w))
            .count() as f64
            * 0.5;
        let bonus = if c.official
            || c.channel
                .as_deref()
                .is_some_and(|ch| ch.ends_with(" - Topic") || ch.ends_with("VEVO"))
        {
            0.05
        } else {
            0.0
        };
        let different_isrc = matches!((&track.isrc, &c.isrc), (Some(_), Some(_))) && !isrc;
        let parts = Parts {
            title,
            artist,
            duration,
            penalty,
            bonus,
            isrc,
        };
        if isrc {
            return Scored {
                candidate: c.clone(),
                score: 1.0,
                acceptable: true,
                parts,
            };
        }
        let score = 0.40 * title + 0.30 * artist + 0.30 * duration + bonus
            - penalty
            - if different_isrc { 0.1 } else { 0.0 };
        let acceptable = title >= self.min_title
            && artist >= self.min_artist
            && diff.is_none_or(|d| d <= self.max_duration_diff)
            && penalty == 0.0;
        Scored {
            candidate: c.clone(),
            score: (score * 1000.0).round() / 1000.0,
            acceptable,
            parts,
        }
    }

    /// Scores every candidate and decides.
    pub fn decide(&self, track: &TrackInfo, candidates: &[Candidate]) -> Decision {
        let mut scored: Vec<Scored> = candidates.iter().map(|c| self.score(track, c)).collect();
        // Best first; ties keep the source's order (search ranking), so the result is stable.
        scored.sort_by(|a, b| {
            b.parts
                .isrc
                .cmp(&a.parts.isrc)
                .then(b.score.total_cmp(&a.score))
        });
        match scored.first() {
            Some(best) if best.parts.isrc || (best.acceptable && best.score >= self.threshold) => {
                Decision::Matched(best.clone())
            }
            _ => Decision::Unmatched {
                best: scored.into_iter().take(3).collect(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn track(title: &str, artists: &[&str], secs: f64) -> TrackInfo {
        TrackInfo {
            id: "id".into(),
            uri: "spotify:track:id".into(),
            title: title.into(),
            artists: artists.iter().map(|s| (*s).to_owned()).collect(),
            album: "Album".into(),
            album_artists: Vec::new(),
            album_id: None,
            track_number: None,
            disc_number: None,
            release_date: None,
            isrc: Some("USAAA2100001".into()),
            duration_ms: (secs * 1000.0) as u64,
            cover_url: None,
        }
    }

    fn cand(title: &str, channel: &str, secs: f64) -> Candidate {
        Candidate {
            url: "u".into(),
            title: title.into(),
            artist: None,
            channel: Some(channel.into()),
            duration: Some(secs),
            isrc: None,
            album: None,
            official: false,
        }
    }

    #[test]
    fn normalisation_folds_case_accents_and_punctuation() {
        assert_eq!(normalize("Beyoncé & JAY-Z"), "beyonce and jay z");
        assert_eq!(normalize("Don't Stop Me Now!"), "dont stop me now");
        assert_eq!(normalize("Sigur Rós — Hoppípolla"), "sigur ros hoppipolla");
    }

    #[test]
    fn cores_drop_credits_prefixes_and_noise() {
        let artists = vec![normalize("Daft Punk")];
        assert_eq!(
            title_core(
                "Daft Punk - Get Lucky (Official Audio) ft. Pharrell Williams",
                &artists
            ),
            "get lucky"
        );
        assert_eq!(
            title_core("Get Lucky (feat. Pharrell Williams)", &artists),
            "get lucky"
        );
        assert_eq!(
            title_core("Get Lucky - Remastered 2013", &artists),
            "get lucky"
        );
        assert_eq!(
            title_core("Daft Punk - Get Lucky (Live at Coachella)", &artists),
            "get lucky live at coachella"
        );
    }

    #[test]
    fn isrc_wins_outright() {
        let t = track("Song", &["Artist"], 200.0);
        let mut c = cand("Completely different", "x", 500.0);
        c.isrc = Some("usaaa2100001".into());
        let s = Matcher::default().score(&t, &c);
        assert!(s.parts.isrc);
        assert!((s.score - 1.0).abs() < f64::EPSILON);
    }

    #[test]
    fn duration_falls_sharply_after_a_few_seconds() {
        let t = track("Song", &["Artist"], 200.0);
        let m = Matcher::default();
        let at = |d| {
            m.score(&t, &cand("Artist - Song", "Artist - Topic", 200.0 + d))
                .score
        };
        assert!(at(1.0) > 0.99);
        assert!(at(4.0) > 0.85);
        assert!(at(10.0) < m.threshold);
    }

    #[test]
    fn version_words_absent_from_the_spotify_title_are_penalised() {
        let m = Matcher::default();
        let t = track("Song", &["Artist"], 200.0);
        for title in [
            "Artist - Song (Live)",
            "Artist - Song (Karaoke)",
            "Song - Artist (Cover)",
            "Artist - Song (sped up)",
            "Nightcore - Song",
        ] {
            let s = m.score(&t, &cand(title, "someone", 200.0));
            assert!(!s.acceptable, "{title}: {s:?}");
        }
        // ...but not when Spotify's own title has it.
        let live = track("Song - Live", &["Artist"], 200.0);
        assert!(
            m.score(&live, &cand("Artist - Song (Live)", "Artist", 200.0))
                .acceptable
        );
    }

    #[test]
    fn a_near_miss_artist_is_not_the_artist() {
        let m = Matcher::default();
        let t = track("Blue Water", &["The Velvet Foxes"], 200.0);
        let s = m.score(
            &t,
            &cand(
                "The Velvet Owls - Blue Water",
                "The Velvet Owls - Topic",
                200.0,
            ),
        );
        assert!(!s.acceptable, "{s:?}");
        let s = m.score(&t, &cand("Blue Water", "TheVelvetFoxesVEVO", 200.0));
        assert!(s.acceptable, "{s:?}");
    }

    #[test]
    fn decide_picks_the_best_acceptable_one_or_none() {
        let m = Matcher::default();
        let t = track("Song", &["Artist"], 200.0);
        let good = cand("Artist - Song (Official Audio)", "Artist", 200.5);
        let live = cand("Artist - Song (Live at KEXP)", "KEXP", 260.0);
        match m.decide(&t, &[live.clone(), good.clone()]) {
            Decision::Matched(s) => assert_eq!(s.candidate, good),
            other @ Decision::Unmatched { .. } => panic!("{other:?}"),
        }
        match m.decide(&t, &[live]) {
            Decision::Unmatched { best } => assert_eq!(best.len(), 1),
            other @ Decision::Matched(_) => panic!("{other:?}"),
        }
    }
}
