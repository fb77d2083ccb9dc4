//! The matcher on real, labelled YouTube Music searches (the conformance data's
//! `matcher/real-cases.jsonl`; see that folder's README). Each case's `ytdlp.rich` rows (title,
//! artists, album, duration, as a reader that keeps the search page's fields gets them) go through
//! [`candidate_from_json`] and [`Matcher::decide`], as in a sync. Cases labelled `ambiguous` are
//! left out. Recall is correct picks among cases that have a correct candidate, precision correct
//! picks among all picks; both are printed with and without the 27 tracks of one album
//! (group `…:berlinist-gris`), which are easy and correlated.

use serde_json::Value;
use spotkit_sync::score::{Decision, Matcher};
use spotkit_sync::track::TrackInfo;
use spotkit_sync::ytdlp::candidate_from_json;

#[derive(Debug, Default)]
struct Tally {
    cases: usize,
    positives: usize,
    picks: usize,
    correct: usize,
}

impl Tally {
    fn recall(&self) -> f64 {
        if self.positives == 0 {
            1.0
        } else {
            self.correct as f64 / self.positives as f64
        }
    }
    fn precision(&self) -> f64 {
        if self.picks == 0 {
            1.0
        } else {
            self.correct as f64 / self.picks as f64
        }
    }
    fn line(&self, what: &str) -> String {
        format!(
            "{what}: {} cases, {} with a correct candidate, {} picks, {} correct: recall {:.3}, precision {:.3}",
            self.cases,
            self.positives,
            self.picks,
            self.correct,
            self.recall(),
            self.precision()
        )
    }
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect()
}

fn track_of(t: &Value) -> TrackInfo {
    let s = |k: &str| t[k].as_str().map(str::to_owned);
    let id = s("spotify_id").unwrap_or_default();
    TrackInfo {
        uri: format!("spotify:track:{id}"),
        id,
        title: s("name").unwrap_or_default(),
        artists: strings(&t["artists"]),
        album: s("album").unwrap_or_default(),
        album_artists: strings(&t["album_artists"]),
        album_id: None,
        track_number: None,
        disc_number: None,
        release_date: s("release_date"),
        isrc: s("isrc"),
        duration_ms: t["duration_ms"].as_u64().unwrap_or(0),
        cover_url: None,
        explicit: t["explicit"].as_bool(),
    }
}

#[test]
fn matcher_recall_and_precision_on_real_youtube_music_searches() {
    let Some(path) = spotkit_conformance::file("matcher/real-cases.jsonl") else {
        return;
    };
    let text = std::fs::read_to_string(path).expect("readable real-cases.jsonl");
    let matcher = Matcher::default();
    let (mut all, mut other) = (Tally::default(), Tally::default());
    // The same searches as yt-dlp's flat output prints them today (title only): a wrong pick
    // there is a wrong download.
    let mut title_only = Tally::default();
    let mut skipped = 0;
    let mut mistakes = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let case: Value = serde_json::from_str(line).expect("a JSON case");
        let label = &case["label"];
        if label["ambiguous"].as_bool() == Some(true) {
            skipped += 1;
            continue;
        }
        let one_album = case["group"]
            .as_str()
            .is_some_and(|g| g.ends_with(":berlinist-gris"));
        let track = track_of(&case["track"]);
        let rows = case["ytdlp"]["rich"].as_array().expect("rich rows");
        let candidates: Vec<_> = rows
            .iter()
            .map(|r| candidate_from_json(r).expect("a rich row is a candidate"))
            .collect();
        let correct: Vec<usize> = ["correct_indices", "acceptable_indices"]
            .iter()
            .flat_map(|k| label[k].as_array().into_iter().flatten())
            .filter_map(Value::as_u64)
            .map(|i| i as usize)
            .collect();
        let decision = matcher.decide(&track, &candidates);
        let picked = match &decision {
            Decision::Matched(s) => candidates.iter().position(|c| *c == s.candidate),
            Decision::Unmatched { .. } => None,
        };
        let flat: Vec<_> = case["ytdlp"]["title_only"]
            .as_array()
            .expect("title-only rows")
            .iter()
            .map(|r| candidate_from_json(r).expect("a flat row is a candidate"))
            .collect();
        let flat_pick = match matcher.decide(&track, &flat) {
            Decision::Matched(s) => flat.iter().position(|c| *c == s.candidate),
            Decision::Unmatched { .. } => None,
        };
        title_only.cases += 1;
        title_only.positives += usize::from(!correct.is_empty());
        title_only.picks += usize::from(flat_pick.is_some());
        title_only.correct += usize::from(flat_pick.is_some_and(|p| correct.contains(&p)));
        let tallies: &mut [&mut Tally] = if one_album {
            &mut [&mut all]
        } else {
            &mut [&mut all, &mut other]
        };
        for t in tallies.iter_mut() {
            t.cases += 1;
            t.positives += usize::from(!correct.is_empty());
            t.picks += usize::from(picked.is_some());
            t.correct += usize::from(picked.is_some_and(|p| correct.contains(&p)));
        }
        if picked.is_some_and(|p| !correct.contains(&p))
            || (picked.is_none() && !correct.is_empty())
        {
            mistakes.push(format!(
                "{} ({:?} by {:?}, {} s): picked {picked:?}, correct {correct:?}\n{decision:#?}",
                case["case_id"].as_str().unwrap_or("?"),
                track.title,
                track.artists,
                track.duration_secs()
            ));
        }
    }
    println!("{}", all.line("all scored cases"));
    println!("{}", other.line("without the one-album cases"));
    println!("ambiguous cases left out: {skipped}");
    println!(
        "{}",
        title_only.line("title-only rows (yt-dlp's flat output)")
    );
    for m in &mistakes {
        println!("MISTAKE {m}");
    }
    assert_eq!(skipped, 2, "the README names 2 ambiguous cases");
    assert_eq!(
        all.cases - other.cases,
        27,
        "the README names 27 one-album cases"
    );
    assert!(
        title_only.precision() >= 0.99,
        "title-only rows: precision {:.3}",
        title_only.precision()
    );
    for (what, t) in [("all", &all), ("without the one album", &other)] {
        assert!(t.recall() >= 0.95, "{what}: recall {:.3}", t.recall());
        assert!(
            t.precision() >= 0.99,
            "{what}: precision {:.3}",
            t.precision()
        );
    }
}
