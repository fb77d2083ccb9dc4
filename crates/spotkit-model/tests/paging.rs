//! Pages: entries that are `null` or do not read are left out of `items` and listed, by
//! position, in `skipped`; the rest of the page reads on. Both page types iterate owned and
//! borrowed.

use spotkit_model::{CursorPage, Page, PlayHistory, SavedTrack, SkippedEntry, Track};

const SAVED: &str = r#"{
  "href": "https://api.spotify.com/v1/me/tracks?offset=0&limit=4",
  "items": [
    {"added_at": "2026-01-05T21:12:09Z", "track": {"name": "One"}},
    null,
    {"added_at": "2026-01-06T08:00:00Z", "track": {"name": "Bad", "duration_ms": "long"}},
    {"added_at": "2026-01-07T08:00:00Z", "track": {"name": "Two"}}
  ],
  "limit": 4, "offset": 0, "total": 4,
  "next": "https://api.spotify.com/v1/me/tracks?offset=4&limit=4",
  "previous": null
}"#;

#[test]
fn null_and_unreadable_entries_are_skipped_with_their_positions() {
    let page: Page<SavedTrack> = serde_json::from_str(SAVED).unwrap();
    let names: Vec<&str> = page.iter().map(|s| s.track.name.as_str()).collect();
    assert_eq!(names, ["One", "Two"]);
    assert_eq!(page.skipped.len(), 2);
    let skipped: Vec<&SkippedEntry> = page.skipped.iter().collect();
    assert_eq!(
        (skipped[0].position, skipped[0].error.as_deref()),
        (1, None)
    );
    assert_eq!(skipped[1].position, 2);
    let error = skipped[1].error.as_deref().unwrap();
    assert!(
        error.contains("duration_ms") || error.contains("invalid type"),
        "{error}"
    );
    // What Spotify sent, counted.
    assert_eq!(page.items.len() + page.skipped.len(), 4);
    assert_eq!(page.total, 4);
    assert_eq!(
        page.next_url(),
        Some("https://api.spotify.com/v1/me/tracks?offset=4&limit=4")
    );

    // Serializing writes the entries that read; reading that again skips nothing.
    let again: Page<SavedTrack> =
        serde_json::from_value(serde_json::to_value(&page).unwrap()).unwrap();
    assert!(again.skipped.is_empty());
    assert_eq!(again.items, page.items);
}

#[test]
fn a_page_with_no_or_null_items_is_empty() {
    for json in [
        "{}",
        r#"{"items": null, "total": null, "next": "not a url"}"#,
    ] {
        let page: Page<Track> = serde_json::from_str(json).unwrap();
        assert!(page.items.is_empty() && page.skipped.is_empty(), "{json}");
        assert_eq!((page.total, page.limit, page.offset), (0, 0, 0));
        assert_eq!(page.next, None);
    }
}

#[test]
fn cursor_pages_skip_the_same_way() {
    let page: CursorPage<PlayHistory> = serde_json::from_str(
        r#"{"items": [null, {"track": {"name": "One"}, "played_at": "2026-11-30T21:04:05Z"}, 5],
            "cursors": {"after": "1764536645000"}, "limit": 3}"#,
    )
    .unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].track.name, "One");
    let positions: Vec<(usize, bool)> = page
        .skipped
        .iter()
        .map(|s| (s.position, s.error.is_some()))
        .collect();
    assert_eq!(positions, [(0, false), (2, true)]);
    assert_eq!(page.after(), Some("1764536645000"));
    assert_eq!(page.total, None);
}

#[test]
fn pages_iterate_borrowed_and_owned() {
    let page: Page<SavedTrack> = serde_json::from_str(SAVED).unwrap();
    let mut borrowed = Vec::new();
    for saved in &page {
        borrowed.push(saved.track.name.clone());
    }
    let owned: Vec<Track> = page.clone().into_iter().map(|s| s.track).collect();
    assert_eq!(borrowed, ["One", "Two"]);
    assert_eq!(
        owned.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
        ["One", "Two"]
    );
    assert_eq!(page.into_items().len(), 2);

    let cursor: CursorPage<PlayHistory> =
        serde_json::from_str(r#"{"items": [{"track": {"name": "A"}}, {"track": {"name": "B"}}]}"#)
            .unwrap();
    let borrowed: Vec<&str> = (&cursor)
        .into_iter()
        .map(|h| h.track.name.as_str())
        .collect();
    assert_eq!(borrowed, ["A", "B"]);
    let mut owned = Vec::new();
    for history in cursor {
        owned.push(history.track.name);
    }
    assert_eq!(owned, ["A", "B"]);
}
