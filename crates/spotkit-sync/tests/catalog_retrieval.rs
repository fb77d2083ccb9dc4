//! Catalogue retrieval (`resolve::Catalog::candidates`) over a whole sandbox media catalogue,
//! the entries as `/_sandbox/media/catalog.json` serves them: every track's right recording is
//! among the entries retrieved for it, no track gets more than a page of them, and the matcher
//! decides the same on them as on the track's own candidate list.

use spotkit_sandbox::catalog::{Catalog, Sizes};
use spotkit_sandbox::media;
use spotkit_sync::resolve::{CATALOG_RESULTS, Catalog as SyncCatalog};
use spotkit_sync::score::{Candidate, Decision, Matcher};
use spotkit_sync::track::TrackInfo;

/// A catalogue entry as sync reads it from the served JSON.
fn entry(c: &media::Candidate) -> Candidate {
    Candidate {
        url: format!("http://127.0.0.1/_sandbox/media/audio/{}.wav", c.id),
        title: c.title.clone(),
        artist: Some(c.artist.clone()),
        channel: Some(c.channel.clone()),
        duration: Some(c.duration),
        isrc: c.isrc.clone(),
        official: c.official,
        ..Candidate::default()
    }
}

fn picked(decision: &Decision) -> Option<&str> {
    match decision {
        Decision::Matched(s) => Some(s.candidate.url.as_str()),
        Decision::Unmatched { .. } => None,
    }
}

#[test]
fn every_right_recording_is_retrieved_and_decisions_do_not_change() {
    // The size of the sandbox the CLI and the jobs bench start (seed 3): about 12 000 entries.
    let world = Catalog::generate(&Sizes {
        seed: 3,
        liked: 250,
        playlists: 12,
        albums: 40,
    });
    let own: Vec<Vec<media::Candidate>> = world
        .tracks
        .iter()
        .map(|t| media::candidates(&world, t))
        .collect();
    let catalog = SyncCatalog::new(own.iter().flatten().map(entry).collect());
    assert!(catalog.len() > 10_000, "{} entries", catalog.len());

    let matcher = Matcher::default();
    let (mut most, mut total, mut tracks, mut checked) = (0, 0usize, 0u32, 0);
    // Every third track, and every thirtieth decided twice: a debug build is slow at both.
    for (i, (t, cands)) in world.tracks.iter().zip(&own).enumerate().step_by(3) {
        let track = TrackInfo {
            id: t.id.clone(),
            uri: format!("spotify:track:{}", t.id),
            title: t.name.clone(),
            artists: t
                .artists
                .iter()
                .map(|a| world.artists[*a as usize].name.clone())
                .collect(),
            album: world.albums[t.album as usize].name.clone(),
            album_artists: Vec::new(),
            album_id: None,
            track_number: None,
            disc_number: None,
            release_date: None,
            isrc: Some(t.isrc.clone()),
            duration_ms: u64::from(t.duration_ms),
            cover_url: None,
            explicit: None,
        };
        let found = catalog.candidates(&track);
        let isrc_entries = cands.iter().filter(|c| c.isrc.is_some()).count();
        assert!(
            found.len() <= CATALOG_RESULTS + isrc_entries,
            "{}: {} candidates",
            t.name,
            found.len()
        );
        most = most.max(found.len());
        total += found.len();
        tracks += 1;
        if let Some(right) = cands.iter().find(|c| c.kind.is_right()) {
            let url = entry(right).url;
            assert!(
                found.iter().any(|c| c.url == url),
                "{} by {:?}: the right recording was not retrieved\n{}",
                t.name,
                track.artists,
                media::describe(cands)
            );
        }
        if i % 30 == 0 {
            let own_list: Vec<Candidate> = cands.iter().map(entry).collect();
            let alone = matcher.decide(&track, &own_list);
            let retrieved = matcher.decide(&track, &found);
            assert_eq!(
                picked(&retrieved),
                picked(&alone),
                "{} by {:?}\n{}",
                t.name,
                track.artists,
                media::describe(cands)
            );
            checked += 1;
        }
    }
    println!(
        "{tracks} tracks, {} entries: at most {most} candidates a track, {:.1} on average; {checked} decisions compared",
        catalog.len(),
        total as f64 / f64::from(tracks)
    );
}
