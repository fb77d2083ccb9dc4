//! The core of a title: the words that name the recording.
//!
//! "Daft Punk - Get Lucky (Official Audio) ft. Pharrell Williams", "Get Lucky (feat. Pharrell
//! Williams)" and "Get Lucky - Remastered 2013" all have the core "get lucky"; "Get Lucky (Live at
//! Coachella)" keeps its remark, which names another recording.

use std::collections::HashSet;

use crate::names::{is_credit_group, is_inline_credit};
use crate::normalize::normalize;
use crate::similarity::contains_words;

/// Words that say nothing about which recording a title names ("(Official Audio)", "- Remastered
/// 2011", "\[HD\]"): dropped from cores.
pub const NOISE_WORDS: &[&str] = &[
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
    "prod",
];

fn is_noise_group(norm: &str) -> bool {
    norm.split(' ').all(|w| {
        NOISE_WORDS.contains(&w) || (w.len() == 4 && w.chars().all(|c| c.is_ascii_digit()))
    })
}

/// Splits a raw title into its unbracketed text and its bracket groups.
pub fn split_brackets(raw: &str) -> (String, Vec<String>) {
    let mut main = String::new();
    let mut groups = Vec::new();
    let mut depth = 0usize;
    let mut current = String::new();
    for c in raw.chars() {
        match c {
            '(' | '[' | '{' | '【' | '「' | '『' => {
                if depth == 0 {
                    current.clear();
                } else {
                    current.push(' ');
                }
                depth += 1;
                main.push(' ');
            }
            ')' | ']' | '}' | '】' | '」' | '』' if depth > 0 => {
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

/// The parts of a title's unbracketed text separated by " - " (and its dash, "|" and "~"
/// variants), raw.
pub fn dash_parts(main: &str) -> Vec<String> {
    main.replace(" \u{2013}", " -")
        .replace(" \u{2014}", " -")
        .replace(" |", " -")
        .replace(" ~", " -")
        .split(" -")
        .map(str::to_owned)
        .collect()
}

/// The words of a title that name the recording, normalised: no artist prefix, no credits
/// ("feat.", "ft.", "(with …)", "(mit …)", "(con …)", "(avec …)", "(part. …)"), no noise.
/// `artists` are [`normalize`]d names whose parts are dropped when a ` - ` part is one.
pub fn title_core(raw: &str, artists: &[String]) -> String {
    let (main, groups) = split_brackets(raw);
    let mut words: Vec<String> = Vec::new();
    let parts: Vec<String> = dash_parts(&main)
        .iter()
        .map(|p| normalize(p))
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
            if is_inline_credit(w) && !words.is_empty() {
                break;
            }
            words.push(w.to_owned());
        }
    }
    for g in groups {
        let norm = normalize(&g);
        if norm.is_empty() || is_noise_group(&norm) || is_credit_group(&norm) {
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

/// A title in Spotify's style without its remarks, as written (case and accents kept): bracket
/// groups and everything from the first " - " dropped ("Halo (feat. X) - Remastered 2009" →
/// "Halo "), unless that leaves nothing. For search queries; compare with [`title_core`].
pub fn without_remarks(raw: &str) -> String {
    let (main, _) = split_brackets(raw);
    let first = dash_parts(&main).into_iter().next().unwrap_or_default();
    if first.trim().is_empty() {
        raw.to_owned()
    } else {
        first
    }
}

/// What a title says about its lyrics: `Some(true)` for an "(Explicit)" / "\[Dirty\]" remark,
/// `Some(false)` for "(Clean)" / "- Clean Version" / "(Radio Clean)", `None` otherwise. Only
/// remarks count: a song may be called "Clean".
pub fn explicitness(raw: &str) -> Option<bool> {
    let (main, groups) = split_brackets(raw);
    let remarks = groups
        .iter()
        .map(|g| normalize(g))
        .chain(dash_parts(&main).into_iter().skip(1).map(|p| normalize(&p)));
    for r in remarks {
        let words: Vec<&str> = r.split(' ').collect();
        let only = |w: &str| {
            words.contains(&w)
                && words
                    .iter()
                    .all(|x| *x == w || matches!(*x, "version" | "edit" | "radio" | "album"))
        };
        if only("explicit") || only("dirty") {
            return Some(true);
        }
        if only("clean") {
            return Some(false);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

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
            title_core("Daft Punk - Get Lucky [Official Video]", &artists),
            "get lucky"
        );
        assert_eq!(
            title_core("Daft Punk - Get Lucky (Live at Coachella)", &artists),
            "get lucky live at coachella"
        );
        assert_eq!(title_core("(Intro)", &[]), "intro");
    }

    #[test]
    fn credits_in_other_languages_are_not_title_words() {
        for t in [
            "Chöre (mit Lea)",
            "Chöre [with Lea]",
            "Chöre (con Lea)",
            "Chöre (avec Lea)",
            "Chöre (part. Lea)",
            "Chöre (feat. Lea)",
            "Chöre ft. Lea",
        ] {
            assert_eq!(title_core(t, &[]), "chore", "{t}");
        }
        // ...but a title may use those words.
        assert_eq!(
            title_core("Dancing with Myself", &[]),
            "dancing with myself"
        );
        assert_eq!(title_core("Tanz mit mir", &[]), "tanz mit mir");
    }

    #[test]
    fn remarks_and_explicitness() {
        assert_eq!(
            without_remarks("Halo (feat. X) [Remastered 2009]").trim(),
            "Halo"
        );
        assert_eq!(without_remarks("Song - 2011 Remaster").trim(), "Song");
        assert_eq!(without_remarks("(Intro)"), "(Intro)");
        assert_eq!(explicitness("Song (Explicit)"), Some(true));
        assert_eq!(explicitness("Song (Clean Version)"), Some(false));
        assert_eq!(explicitness("Song - Clean"), Some(false));
        assert_eq!(explicitness("Clean"), None);
        assert_eq!(explicitness("Song (Live)"), None);
    }
}
