//! Real Web API and accounts-service bodies (2015–2026, recorded by other projects and pasted by
//! users into public issues) parse into their models, and everything they hold survives
//! serializing again ([`support::survives`]: known and unknown members alike; only `null`s may
//! turn into defaults or, in pages, be left out).
//!
//! The bodies are conformance data (`real-responses/` in the folder named by
//! `SPOTKIT_CONFORMANCE_DIR`; its `SOURCES.md` names where each came from). They are not copied
//! into the repository; without them this test is skipped, and says so.

#[path = "support/survives.rs"]
mod support;

use std::path::Path;

use serde_json::Value;
use spotkit_model::schema;
use support::{short, survives};

/// The model each file is read as, by the object type that starts its name
/// (`<object type>__<source>.json`). Longest prefixes first.
const KINDS: &[(&str, &str)] = &[
    ("album_tracks_paging", "PagingSimplifiedTrackObject"),
    ("album_full", "AlbumObject"),
    ("artist_top_tracks", "ManyTracks"),
    ("artist_full", "ArtistObject"),
    ("artist", "ArtistObject"),
    ("audiobook_chapters_paging", "PagingSimplifiedChapterObject"),
    ("audiobook", "AudiobookObject"),
    ("categories_paging", "PagedCategories"),
    ("chapter", "ChapterObject"),
    ("currently_playing", "CurrentlyPlayingObject"),
    ("devices", "ManyDevices"),
    ("episode_simplified", "SimplifiedEpisodeObject"),
    ("episode_full", "EpisodeObject"),
    ("episode", "EpisodeObject"),
    ("error_400", "BadRequest"),
    ("error_401", "Unauthorized"),
    ("error_403", "Forbidden"),
    ("error_404", "NotFound"),
    ("error_429", "TooManyRequests"),
    ("featured_playlists", "PagedFeaturedPlaylists"),
    ("new_releases", "PagedAlbums"),
    ("paging_with_null_item", "PagingPlaylistObject"),
    ("playback_state", "CurrentlyPlayingContextObject"),
    ("playlist_fields_filtered", "PlaylistObject"),
    ("playlist_full", "PlaylistObject"),
    ("playlist_items", "PagingPlaylistTrackObject"),
    ("playlist_simplified", "SimplifiedPlaylistObject"),
    ("queue", "QueueObject"),
    (
        "recently_played_cursor_paging",
        "CursorPagingPlayHistoryObject",
    ),
    ("saved_albums_paging", "PagingSavedAlbumObject"),
    ("saved_tracks_paging", "PagingSavedTrackObject"),
    ("search", "SearchItems"),
    ("several_tracks", "ManyTracks"),
    ("show_episodes_paging", "PagingSimplifiedEpisodeObject"),
    ("show", "ShowObject"),
    ("simplified_playlists_paging", "PagingPlaylistObject"),
    ("token_error", "TokenError"),
    ("top_artists_paging", "PagingArtistObject"),
    ("track_simplified", "SimplifiedTrackObject"),
    ("track_full", "TrackObject"),
    ("track", "TrackObject"),
    ("user_private", "PrivateUserObject"),
    ("user_public", "PublicUserObject"),
];

fn kind(file: &str) -> Option<&'static str> {
    let object = file.split("__").next()?;
    KINDS
        .iter()
        .find(|(prefix, _)| object == *prefix || object.starts_with(&format!("{prefix}_")))
        .map(|(_, name)| *name)
}

#[test]
fn every_real_response_parses_and_survives_a_round_trip() {
    let Some(dir) = spotkit_conformance::dir("real-responses") else {
        return; // no conformance data: skipped, and said so
    };
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("list {}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 50,
        "only {} bodies in {}: is the conformance data complete?",
        files.len(),
        dir.display()
    );
    let mut failures = Vec::new();
    for path in &files {
        let name = file_name(path);
        let Some(model) = kind(&name) else {
            failures.push(format!(
                "{name}: no model is named for this kind of body (add it to KINDS)"
            ));
            continue;
        };
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{name}: {e}"));
        let original: Value = match serde_json::from_str(&text) {
            Ok(v) => v,
            Err(e) => {
                failures.push(format!("{name}: not JSON: {e}"));
                continue;
            }
        };
        // A page entry that did not read is left out of the output while the input has it
        // (not null) there: `survives` reports that as a shorter array.
        match schema::roundtrip(model, &text) {
            Ok(back) => {
                if let Err(difference) = survives(&original, &back) {
                    failures.push(format!(
                        "{name} as {model}: lost in a round trip {difference}\n  out: {}",
                        short(&back)
                    ));
                }
            }
            Err(e) => failures.push(format!("{name} as {model}: {e}")),
        }
    }
    println!(
        "{} real bodies parsed and survived a round trip",
        files.len() - failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {} real bodies failed:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}
