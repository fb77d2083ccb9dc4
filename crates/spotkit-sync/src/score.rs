//! The matcher: how well a search result or catalogue entry fits a Spotify track.
//!
//! The text work (normalising, transliterating, title cores, credits, version words,
//! similarity) is `spotkit-match`'s, shared with `spotkit import`; this module holds what is
//! particular to finding audio for a Spotify track:
//!
//! * an ISRC equal to the track's wins outright;
//! * title similarity of the *cores* of both titles (no credits in any language, no artist
//!   prefix, no "(Official Audio)" or "- Remastered 2011");
//! * artist similarity: the track's artists against the candidate's credited artists, its
//!   channel (minus " - Topic", "VEVO", "Official") and its title prefix, in whatever script
//!   each is written; a near-miss name is not enough;
//! * duration closeness: full marks within 2 s, falling sharply after, rejected beyond
//!   [`Matcher::max_duration_diff`]. **A candidate whose duration is unknown is never accepted**
//!   unless its ISRC is the track's (or [`Matcher::accept_unknown_duration`] is set): title and
//!   artist alone do not tell the recording from a re-cut or a fan upload;
//! * penalties for version words the Spotify title lacks (live, cover, karaoke, remix, sped up,
//!   nightcore, instrumental, ...), which also fail the candidate;
//! * a bonus for the official upload: the artist's own channel (`Artist - Topic`, `ArtistVEVO`,
//!   a channel named like the artist) gets [`OWN_CHANNEL_BONUS`], a verified or label channel the
//!   row marks as official [`OFFICIAL_BONUS`], so it beats a same-length re-upload;
//! * explicit vs clean: when the candidate says (a flag, or an "(Explicit)"/"(Clean)" remark)
//!   and it differs from Spotify's flag, [`EXPLICIT_MISMATCH`] is taken off. A preference only:
//!   the other version is still accepted when it is all there is.
//!
//! A candidate is accepted when every part passes its gate and the total reaches
//! [`Matcher::threshold`]; otherwise the track is unmatched and the best candidates are kept
//! with their scores for the error report.

use serde::{Deserialize, Serialize};
use spotkit_match::names::{name_similarity, names_in, split_names};
use spotkit_match::title::{explicitness, split_brackets};
use spotkit_match::{contains_words, duration, similarity, version};

use crate::track::TrackInfo;

pub use spotkit_match::normalize;
pub use spotkit_match::title::title_core;

/// Bonus for an upload on the artist's own channel (`Artist - Topic`, `ArtistVEVO`, `Artist`).
pub const OWN_CHANNEL_BONUS: f64 = 0.10;
/// Bonus for a channel the source marks official (verified, a label) that is not named like the
/// artist.
pub const OFFICIAL_BONUS: f64 = 0.05;
/// Taken off when the candidate is explicit and Spotify's track clean, or the other way round.
pub const EXPLICIT_MISMATCH: f64 = 0.08;

/// One possible source of a track: a search result or a catalogue entry.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
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
    /// Published by the artist, their label or an auto-generated "Topic" channel (a verified
    /// channel, when the source says so).
    #[serde(default)]
    pub official: bool,
    /// Album, when the source names one (YouTube Music songs do).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub album: Option<String>,
    /// Whether the source marks the lyrics explicit, when it says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explicit: Option<bool>,
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
    /// Whether the candidate's duration is known.
    pub duration_known: bool,
    /// Sum of version-word penalties.
    pub penalty: f64,
    /// Official-upload bonus.
    pub bonus: f64,
    /// The candidate says it is explicit where Spotify's track is clean, or the other way round.
    pub explicit_mismatch: bool,
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
// One short-lived value per track: boxing the match would only make every caller's patterns
// longer.
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
    /// Whether a candidate of unknown duration may be accepted on title and artist alone.
    /// `false` by default: only an equal ISRC makes such a candidate a match.
    pub accept_unknown_duration: bool,
}

impl Default for Matcher {
    fn default() -> Self {
        Matcher {
            threshold: 0.80,
            min_title: 0.70,
            min_artist: 0.80,
            max_duration_diff: 7.0,
            accept_unknown_duration: false,
        }
    }
}

/// A channel name without the decorations that mark it as the artist's, and whether it had one
/// (" - Topic", "VEVO", "Official").
fn channel_artist(channel: &str) -> (String, bool) {
    let mut c = channel.trim().to_owned();
    let mut decorated = false;
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
            decorated = true;
        }
    }
    (c, decorated)
}

/// How well a credited name fits one of the track's artists.
fn fits(artist: &str, place: &str) -> f64 {
    if names_in(&normalize(place), &normalize(artist)) {
        1.0
    } else {
        name_similarity(artist, place)
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
        // place a candidate names its artist, raw so a name in another script is compared
        // as such.
        let mut places: Vec<String> = Vec::new();
        if let Some(a) = &c.artist {
            places.push(a.clone());
            places.extend(split_names(a));
        }
        let channel = c.channel.as_deref().map(channel_artist);
        if let Some((ch, _)) = &channel {
            places.push(ch.clone());
        }
        let (main_text, _) = split_brackets(&c.title);
        if let Some((prefix, _)) = main_text.split_once(" - ") {
            places.push(prefix.to_owned());
            places.extend(split_names(prefix));
        }
        places.retain(|p| !normalize(p).is_empty());
        let full_title = normalize(&c.title);
        let artist_sim = |raw: &str, norm: &str| -> f64 {
            if norm.is_empty() {
                return 0.0;
            }
            if contains_words(&full_title, norm) {
                return 1.0;
            }
            places.iter().map(|p| fits(raw, p)).fold(0.0, f64::max)
        };
        let artist = track
            .artists
            .iter()
            .zip(&artists)
            .enumerate()
            .map(|(i, (raw, norm))| {
                let s = artist_sim(raw, norm);
                if i == 0 { s } else { 0.9 * s }
            })
            .fold(0.0, f64::max);

        let spotify_secs = track.duration_secs();
        let diff = c.duration.map(|d| (d - spotify_secs).abs());
        let duration = c
            .duration
            .map_or(0.6, |d| duration::closeness(spotify_secs, d));

        let spotify_words = normalize(&format!("{} {}", track.title, track.album));
        let cand_words = normalize(&format!(
            "{} {}",
            c.title,
            c.channel.as_deref().unwrap_or("")
        ));
        let penalty = version::recording_words(&cand_words)
            .into_iter()
            .filter(|w| !contains_words(&spotify_words, w))
            .count() as f64
            * 0.5;

        // The official upload: the artist's own channel first, then one the source vouches for.
        let own_channel = channel.as_ref().is_some_and(|(name, decorated)| {
            let named_like = track.artists.iter().any(|a| fits(a, name) >= 0.95);
            named_like && (*decorated || normalize(name) != normalize(&c.title))
        });
        let bonus = if own_channel {
            OWN_CHANNEL_BONUS
        } else if c.official {
            OFFICIAL_BONUS
        } else {
            0.0
        };

        let spotify_explicit = track.explicit.or_else(|| explicitness(&track.title));
        let cand_explicit = c.explicit.or_else(|| explicitness(&c.title));
        let explicit_mismatch =
            matches!((spotify_explicit, cand_explicit), (Some(a), Some(b)) if a != b);

        let different_isrc = matches!((&track.isrc, &c.isrc), (Some(_), Some(_))) && !isrc;
        let parts = Parts {
            title,
            artist,
            duration,
            duration_known: diff.is_some(),
            penalty,
            bonus,
            explicit_mismatch,
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
            - if different_isrc { 0.1 } else { 0.0 }
            - if explicit_mismatch {
                EXPLICIT_MISMATCH
            } else {
                0.0
            };
        let duration_ok = match diff {
            Some(d) => d <= self.max_duration_diff,
            None => self.accept_unknown_duration,
        };
        let acceptable =
            title >= self.min_title && artist >= self.min_artist && duration_ok && penalty == 0.0;
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
        // Best first, those passing every gate before the others; ties keep the source's order
        // (search ranking), so the result is stable.
        scored.sort_by(|a, b| {
            b.parts
                .isrc
                .cmp(&a.parts.isrc)
                .then(b.acceptable.cmp(&a.acceptable))
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
            explicit: None,
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
            official: false,
            ..Candidate::default()
        }
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
        // Beyond the gate the own-channel bonus does not save it.
        assert!(at(10.0) < at(4.0));
        let far = cand("Artist - Song", "Artist - Topic", 210.0);
        assert!(matches!(m.decide(&t, &[far]), Decision::Unmatched { .. }));
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

    fn picked(d: &Decision) -> Option<&Candidate> {
        match d {
            Decision::Matched(s) => Some(&s.candidate),
            Decision::Unmatched { .. } => None,
        }
    }

    /// Seen on a real row: a 297 s fan upload without a known length was accepted at 0.88 for
    /// a 289.7 s track on title and artist alone.
    #[test]
    fn an_unknown_duration_never_passes_without_an_isrc() {
        let m = Matcher::default();
        let t = track("Song", &["Artist"], 289.7);
        let mut c = cand("Artist - Song", "Artist", 0.0);
        c.duration = None;
        let s = m.score(&t, &c);
        assert!(!s.acceptable, "{s:?}");
        assert_eq!(picked(&m.decide(&t, &[c.clone()])), None);
        // An equal ISRC is still enough.
        c.isrc = t.isrc.clone();
        assert_eq!(picked(&m.decide(&t, &[c.clone()])), Some(&c));
    }

    #[test]
    fn credits_in_other_languages_are_credits() {
        let m = Matcher::default();
        for (spotify, youtube) in [
            ("Chöre (mit Lea)", "Chöre"),
            ("Chöre", "Chöre (mit Lea)"),
            ("Despacito (con Daddy Yankee)", "Despacito"),
            ("Djadja (avec Maluma)", "Djadja"),
            ("Vai Malandra (part. Tropkillaz)", "Vai Malandra"),
        ] {
            let t = track(spotify, &["Mark Forster", "Lea"], 200.0);
            let mut c = cand(youtube, "Mark Forster - Topic", 200.0);
            c.artist = Some("Mark Forster, Lea".into());
            let s = m.score(&t, &c);
            assert!(
                s.acceptable && s.score >= m.threshold,
                "{spotify} / {youtube}: {s:?}"
            );
        }
    }

    #[test]
    fn artists_credited_in_another_script_match() {
        let m = Matcher::default();
        for (latin, other, title) in [
            ("Zemfira", "Земфира", "Iskala"),
            ("Omer Adam", "עומר אדם", "Tel Aviv"),
            ("Aimyon", "あいみょん", "Marigold"),
        ] {
            let t = track(title, &[latin], 200.0);
            let mut c = cand(title, "", 200.5);
            c.channel = None;
            c.artist = Some(other.into());
            let s = m.score(&t, &c);
            assert!(
                s.acceptable && s.score >= m.threshold,
                "{latin} / {other}: {s:?}"
            );
            // ...and another artist in that script does not.
            let mut wrong = c.clone();
            wrong.artist = Some(
                if other == "עומר אדם" {
                    "אייל גולן"
                } else {
                    "Кино"
                }
                .into(),
            );
            assert!(!m.score(&t, &wrong).acceptable, "{latin} / {wrong:?}");
        }
    }

    /// On the `youtube` source same-length lyric re-uploads used to beat official uploads.
    #[test]
    fn official_uploads_beat_same_length_re_uploads() {
        let m = Matcher::default();
        let t = track("Song", &["Artist"], 200.0);
        let lyric = cand("Artist - Song (Lyrics)", "7clouds", 200.0);
        for official in [
            cand("Artist - Song (Official Audio)", "Artist", 200.0),
            cand("Song", "Artist - Topic", 200.0),
            cand("Artist - Song", "ArtistVEVO", 200.0),
            cand("Artist - Song", "Artist Official", 200.0),
            Candidate {
                official: true,
                ..cand("Artist - Song", "Some Label Records", 200.0)
            },
        ] {
            let d = m.decide(&t, &[lyric.clone(), official.clone()]);
            assert_eq!(picked(&d), Some(&official), "{d:#?}");
        }
    }

    #[test]
    fn explicitness_like_spotifys_is_preferred() {
        let m = Matcher::default();
        let clean = cand("Song (Clean)", "Artist - Topic", 200.0);
        let dirty = cand("Song (Explicit)", "Artist - Topic", 200.0);
        let mut t = track("Song", &["Artist"], 200.0);
        t.explicit = Some(true);
        assert_eq!(
            picked(&m.decide(&t, &[clean.clone(), dirty.clone()])),
            Some(&dirty)
        );
        t.explicit = Some(false);
        assert_eq!(
            picked(&m.decide(&t, &[dirty.clone(), clean.clone()])),
            Some(&clean)
        );
        // A flag from the source counts like a title remark.
        let flagged = Candidate {
            explicit: Some(false),
            ..cand("Song", "Artist - Topic", 200.0)
        };
        let plain = Candidate {
            explicit: Some(true),
            ..cand("Song", "Artist - Topic", 200.0)
        };
        assert_eq!(
            picked(&m.decide(&t, &[plain, flagged.clone()])),
            Some(&flagged)
        );
        // Only a preference: the other version is taken when it is all there is.
        t.explicit = Some(true);
        assert_eq!(
            picked(&m.decide(&t, std::slice::from_ref(&clean))),
            Some(&clean)
        );
    }
}
