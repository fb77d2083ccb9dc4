//! The matcher against labelled cases: hand-written ones shaped like YouTube search results
//! (`tests/fixtures/scoring.json`) and the sandbox media catalogue's tracks, whose decoy kinds
//! (live, cover, karaoke, sped up, nightcore, remix, instrumental, wrong duration, near name,
//! other artist, re-upload) are known. Precision and recall are printed and must stay at
//! ≥ 0.98 and ≥ 0.95.

use serde::Deserialize;
use spotkit_sandbox::catalog::{Catalog, Sizes};
use spotkit_sandbox::media;
use spotkit_sync::score::{Candidate, Decision, Matcher};
use spotkit_sync::track::TrackInfo;

#[derive(Debug, Deserialize)]
struct Fixture {
    cases: Vec<FixtureCase>,
}

#[derive(Debug, Deserialize)]
struct FixtureTrack {
    title: String,
    artists: Vec<String>,
    album: String,
    duration: f64,
    #[serde(default)]
    isrc: Option<String>,
}

#[derive(Debug, Deserialize)]
struct FixtureCase {
    track: FixtureTrack,
    candidates: Vec<Candidate>,
    answer: Option<usize>,
}

struct Case {
    name: String,
    kind: &'static str,
    track: TrackInfo,
    candidates: Vec<Candidate>,
    answer: Option<usize>,
}

fn info(
    title: &str,
    artists: Vec<String>,
    album: &str,
    secs: f64,
    isrc: Option<String>,
) -> TrackInfo {
    TrackInfo {
        id: "x".into(),
        uri: "spotify:track:x".into(),
        title: title.into(),
        artists,
        album: album.into(),
        album_artists: Vec::new(),
        album_id: None,
        track_number: None,
        disc_number: None,
        release_date: None,
        isrc,
        duration_ms: (secs * 1000.0).round() as u64,
        cover_url: None,
        explicit: None,
    }
}

fn fixture_cases() -> Vec<Case> {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/scoring.json"
    ))
    .expect("fixture");
    let fixture: Fixture = serde_json::from_str(&text).expect("valid fixture");
    fixture
        .cases
        .into_iter()
        .map(|c| {
            let mut candidates = c.candidates;
            for (i, cand) in candidates.iter_mut().enumerate() {
                cand.url = format!("https://www.youtube.com/watch?v=case{i}");
            }
            Case {
                name: format!("{} - {}", c.track.artists.join(", "), c.track.title),
                kind: "hand-labelled",
                track: info(
                    &c.track.title,
                    c.track.artists,
                    &c.track.album,
                    c.track.duration,
                    c.track.isrc,
                ),
                candidates,
                answer: c.answer,
            }
        })
        .collect()
}

fn sandbox_cases(n: usize) -> Vec<Case> {
    let world = Catalog::generate(&Sizes {
        seed: 2026,
        liked: 100,
        playlists: 2,
        albums: 5,
    });
    world
        .tracks
        .iter()
        .step_by(world.tracks.len() / n)
        .take(n)
        .map(|t| {
            let cands = media::candidates(&world, t);
            let answer = cands.iter().position(|c| c.kind.is_right());
            let candidates = cands
                .iter()
                .map(|c| Candidate {
                    url: format!("http://127.0.0.1/_sandbox/media/audio/{}.wav", c.id),
                    title: c.title.clone(),
                    artist: Some(c.artist.clone()).filter(|a| !a.is_empty()),
                    channel: Some(c.channel.clone()),
                    duration: Some(c.duration),
                    isrc: c.isrc.clone(),
                    album: None,
                    official: c.official,
                    ..Candidate::default()
                })
                .collect();
            let artists = t
                .artists
                .iter()
                .map(|a| world.artists[*a as usize].name.clone())
                .collect();
            Case {
                name: format!("{} ({})\n{}", t.name, t.id, media::describe(&cands)),
                kind: "sandbox",
                track: info(
                    &t.name,
                    artists,
                    &world.albums[t.album as usize].name,
                    f64::from(t.duration_ms) / 1000.0,
                    Some(t.isrc.clone()),
                ),
                candidates,
                answer,
            }
        })
        .collect()
}

#[derive(Debug, Default)]
struct Tally {
    cases: usize,
    positives: usize,
    true_pos: usize,
    false_pos: usize,
    false_neg: usize,
}

impl Tally {
    fn precision(&self) -> f64 {
        let picked = self.true_pos + self.false_pos;
        if picked == 0 {
            1.0
        } else {
            self.true_pos as f64 / picked as f64
        }
    }
    fn recall(&self) -> f64 {
        if self.positives == 0 {
            1.0
        } else {
            self.true_pos as f64 / self.positives as f64
        }
    }
}

#[test]
fn matcher_precision_and_recall_on_the_labelled_suite() {
    let matcher = Matcher::default();
    let mut cases = fixture_cases();
    cases.extend(sandbox_cases(200));
    assert!(cases.len() >= 100, "the suite has {} cases", cases.len());
    let mut overall = Tally::default();
    let mut by_kind: std::collections::BTreeMap<&str, Tally> = std::collections::BTreeMap::new();
    let mut mistakes = Vec::new();
    for case in &cases {
        let decision = matcher.decide(&case.track, &case.candidates);
        let picked = match &decision {
            Decision::Matched(s) => case.candidates.iter().position(|c| *c == s.candidate),
            Decision::Unmatched { .. } => None,
        };
        for t in [&mut overall, by_kind.entry(case.kind).or_default()] {
            t.cases += 1;
            t.positives += usize::from(case.answer.is_some());
            match (picked, case.answer) {
                (Some(p), Some(a)) if p == a => t.true_pos += 1,
                (Some(_), Some(_)) => {
                    t.false_pos += 1;
                    t.false_neg += 1;
                }
                (Some(_), None) => t.false_pos += 1,
                (None, Some(_)) => t.false_neg += 1,
                (None, None) => {}
            }
        }
        if picked != case.answer {
            mistakes.push(format!(
                "{}: picked {picked:?}, answer {:?}\n{decision:#?}",
                case.name, case.answer
            ));
        }
    }
    for (kind, t) in &by_kind {
        println!(
            "{kind}: {} cases, {} with a right answer: precision {:.3}, recall {:.3}",
            t.cases,
            t.positives,
            t.precision(),
            t.recall()
        );
    }
    println!(
        "matcher on {} labelled cases: precision {:.3}, recall {:.3} ({} true, {} false positives, {} missed)",
        overall.cases,
        overall.precision(),
        overall.recall(),
        overall.true_pos,
        overall.false_pos,
        overall.false_neg
    );
    for m in &mistakes {
        println!("MISTAKE {m}");
    }
    assert!(by_kind["hand-labelled"].cases >= 30);
    assert!(
        overall.positives < overall.cases,
        "the suite has cases without a right answer"
    );
    assert!(
        overall.precision() >= 0.98,
        "precision {:.3}",
        overall.precision()
    );
    assert!(overall.recall() >= 0.95, "recall {:.3}", overall.recall());
}

#[test]
fn every_decoy_kind_is_rejected_on_its_own() {
    let matcher = Matcher::default();
    let world = Catalog::generate(&Sizes {
        seed: 99,
        liked: 50,
        playlists: 1,
        albums: 1,
    });
    let mut seen = std::collections::BTreeMap::new();
    for t in world.tracks.iter().take(600) {
        let artists: Vec<String> = t
            .artists
            .iter()
            .map(|a| world.artists[*a as usize].name.clone())
            .collect();
        let track = info(
            &t.name,
            artists,
            "",
            f64::from(t.duration_ms) / 1000.0,
            Some(t.isrc.clone()),
        );
        for c in media::candidates(&world, t) {
            // A re-upload is the same recording cut a little differently: acceptable when nothing
            // better exists, so only its ranking below the right one is tested (above).
            if c.kind.is_right() || c.kind == media::Kind::Reupload {
                continue;
            }
            let cand = Candidate {
                url: c.id.clone(),
                title: c.title.clone(),
                artist: Some(c.artist.clone()).filter(|a| !a.is_empty()),
                channel: Some(c.channel.clone()),
                duration: Some(c.duration),
                isrc: c.isrc.clone(),
                album: None,
                official: c.official,
                ..Candidate::default()
            };
            let entry = seen
                .entry(format!("{:?}", c.kind))
                .or_insert((0usize, 0usize));
            entry.0 += 1;
            if matches!(matcher.decide(&track, &[cand]), Decision::Matched(_)) {
                entry.1 += 1;
            }
        }
    }
    println!("decoys accepted when alone, by kind: {seen:?}");
    assert_eq!(seen.len(), 10, "{seen:?}");
    for (kind, (n, accepted)) in &seen {
        assert!(
            (*accepted as f64) <= 0.02 * (*n as f64),
            "{kind}: {accepted} of {n} accepted alone"
        );
    }
}
