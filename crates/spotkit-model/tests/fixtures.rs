//! Realistic responses in the Development-Mode, Extended-Quota and transition shapes
//! parse, expose what they hold through the accessors, and serialize back unchanged.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use spotkit_model::{
    CurrentlyPlayingContext, CurrentlyPlayingType, Field, ItemType, PagingPlaylist,
    PagingSavedTrack, PlayableItem, Playlist, PlaylistTrack, PrivateUser, Product, Queue,
    RepeatState, SearchResults, Track, schema,
};

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Parses a fixture as `T`, checks that it serializes back to the same JSON, and
/// that the schema name dispatch agrees.
fn load<T: DeserializeOwned + Serialize>(file: &str, schema_name: &str) -> T {
    let text = fixture(file);
    let original: Value = serde_json::from_str(&text).unwrap();
    let parsed: T = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
    assert_eq!(
        serde_json::to_value(&parsed).unwrap(),
        original,
        "{file} changed in a round trip"
    );
    assert_eq!(
        schema::roundtrip(schema_name, &text).unwrap(),
        original,
        "{file} as {schema_name}"
    );
    parsed
}

fn names(page: &spotkit_model::Page<PlaylistTrack>) -> Vec<Option<&str>> {
    page.iter()
        .map(|e| e.item().and_then(PlayableItem::name))
        .collect()
}

#[test]
fn dev_mode_playlist_uses_items_and_item() {
    let p: Playlist = load("playlist_dev.json", "OnePlaylist");
    assert!(p.tracks.is_absent());
    assert!(p.followers.is_absent());
    let page = p.items().unwrap();
    assert_eq!(page.total.get(), Some(&5));
    assert_eq!(
        names(page),
        [
            Some("Life on Mars? - 2015 Remaster"),
            Some("Episode 42: Offsets considered harmful"),
            Some("Demo 3"),
            None,
            Some("Preface")
        ]
    );
    let entries: Vec<&PlaylistTrack> = page.iter().collect();
    let track = entries[0].item().and_then(PlayableItem::as_track).unwrap();
    assert!(track.popularity.is_absent() && track.available_markets.is_absent());
    assert_eq!(
        track.album.get().and_then(|a| a.release_date.as_deref()),
        Some("1971-12-17")
    );
    assert!(matches!(entries[1].item(), Some(PlayableItem::Episode(_))));
    assert!(entries[2].item().unwrap().is_local_file());
    assert!(entries[3].item.is_null() && entries[3].item().is_none());
    assert!(matches!(entries[4].item(), Some(PlayableItem::Unknown(_))));
    assert_eq!(
        entries[4].item().and_then(PlayableItem::type_name),
        Some("audiobook_excerpt")
    );
    // Unknown members of entries survive.
    assert!(
        entries[0].extra.contains_key("primary_color")
            && entries[0].extra.contains_key("video_thumbnail")
    );
}

#[test]
fn extended_quota_playlist_uses_tracks_and_track() {
    let p: Playlist = load("playlist_extended.json", "PlaylistObject");
    assert!(p.items.is_absent());
    assert_eq!(p.followers.get().and_then(|f| f.total.get()), Some(&1204));
    let page = p.items().unwrap();
    assert_eq!(
        names(page),
        [
            Some("Life on Mars? - 2015 Remaster"),
            Some("Episode 42: Offsets considered harmful"),
            Some("Demo 3"),
            None
        ]
    );
    let track = page
        .iter()
        .next()
        .and_then(PlaylistTrack::item)
        .and_then(PlayableItem::as_track)
        .unwrap();
    assert_eq!(track.popularity.get(), Some(&73));
    assert!(track.preview_url.is_null());
    assert_eq!(track.available_markets.get().map(Vec::len), Some(7));
}

#[test]
fn transition_playlist_keeps_both_shapes() {
    let p: Playlist = load("playlist_transition.json", "OnePlaylist");
    assert!(p.items.is_value() && p.tracks.is_value());
    assert!(
        std::ptr::eq(p.items().unwrap(), p.items.get().unwrap()),
        "items() prefers the new member"
    );
    for entry in p
        .items()
        .unwrap()
        .iter()
        .chain(p.tracks.get().unwrap().iter())
    {
        assert_eq!(entry.item.is_value(), entry.track.is_value());
        if let Some(item) = entry.item() {
            assert!(
                std::ptr::eq(item, entry.item.get().unwrap()),
                "item() prefers the new member"
            );
        }
    }
}

#[test]
fn local_tracks_parse_with_null_ids() {
    let entry: PlaylistTrack = load("item_local_track.json", "PlaylistTrackObject");
    let track = entry.item().and_then(PlayableItem::as_track).unwrap();
    assert!(track.is_local_file());
    assert!(track.id.is_null() && track.href.is_null());
    assert_eq!(
        track.uri.as_deref(),
        Some("spotify:local:Garage+Band:Bootlegs:Demo+3:187")
    );
    let album = track.album.get().unwrap();
    assert!(album.id.is_null() && album.album_type.is_null() && album.release_date.is_null());
    assert!(track.artists.get().unwrap()[0].id.is_null());
    assert_eq!(entry.item().and_then(PlayableItem::id), None);
}

#[test]
fn episodes_in_playlists_parse_under_the_old_key_too() {
    let entry: PlaylistTrack = load("item_episode.json", "PlaylistTrackObject");
    assert!(entry.item.is_absent());
    let episode = entry.item().and_then(PlayableItem::as_episode).unwrap();
    assert_eq!(episode.kind.get(), Some(&ItemType::Episode));
    assert_eq!(
        episode.show.get().and_then(|s| s.name.as_deref()),
        Some("Rate Limited")
    );
    assert_eq!(
        entry.item().and_then(PlayableItem::duration_ms),
        Some(2_712_000)
    );
}

#[test]
fn null_and_unknown_items_parse() {
    let entry: PlaylistTrack = load("item_null.json", "PlaylistTrackObject");
    assert!(
        entry.item.is_null()
            && entry.track.is_null()
            && entry.added_at.is_null()
            && entry.added_by.is_null()
    );
    assert!(entry.item().is_none());

    let entry: PlaylistTrack = load("item_unknown_type.json", "PlaylistTrackObject");
    let Some(PlayableItem::Unknown(raw)) = entry.item() else {
        panic!("expected an unknown item")
    };
    assert_eq!(raw["duration_ms"], 61000);
    assert_eq!(
        entry.item().and_then(PlayableItem::uri),
        Some("spotify:audiobook_excerpt:1hG4cQ1P4ynZ2bZ3dZ0XqD")
    );
}

#[test]
fn private_user_with_and_without_the_removed_fields() {
    let full: PrivateUser = load("private_user_extended.json", "OnePrivateUser");
    assert_eq!(full.email.as_deref(), Some("ana@example.com"));
    assert_eq!(full.country.as_deref(), Some("DE"));
    assert_eq!(full.product.get(), Some(&Product::Premium));
    assert_eq!(
        full.explicit_content
            .get()
            .and_then(|e| e.filter_enabled.get()),
        Some(&false)
    );
    assert!(full.account_id.is_absent());

    let dev: PrivateUser = load("private_user_dev.json", "PrivateUserObject");
    assert!(
        dev.email.is_absent()
            && dev.country.is_absent()
            && dev.product.is_absent()
            && dev.followers.is_absent()
    );
    assert_eq!(dev.account_id.as_deref(), Some("aB3dE5fG7h"));
    assert_eq!(dev.id.as_deref(), Some("ana.k"));
}

#[test]
fn simplified_playlists_in_both_shapes() {
    let page: PagingPlaylist = load("me_playlists.json", "PagedPlaylists");
    let totals: Vec<_> = page
        .iter()
        .map(|p| p.items().and_then(|r| r.total.get()).copied())
        .collect();
    assert_eq!(totals, [Some(5), Some(4)]);
}

#[test]
fn search_results_keep_null_entries() {
    let results: SearchResults = load("search_with_null_playlists.json", "SearchItems");
    let playlists = results.playlists.get().unwrap();
    assert_eq!(playlists.items.get().map(Vec::len), Some(3));
    assert_eq!(playlists.iter().count(), 1);
    assert_eq!(
        playlists.next_url().map(|u| u.contains("offset=5")),
        Some(true)
    );
    assert!(results.artists.is_absent());
}

#[test]
fn saved_tracks_page() {
    let page: PagingSavedTrack = load("saved_tracks.json", "PagingSavedTrackObject");
    assert_eq!(page.total.get(), Some(&1834));
    let dates: Vec<_> = page
        .iter()
        .map(|s| s.added_at.as_deref().unwrap())
        .collect();
    assert_eq!(dates, ["2026-01-05T21:12:09Z", "2019-07-30T08:00:00Z"]);
    let tracks: Vec<Track> = page
        .into_items()
        .into_iter()
        .filter_map(|s| s.track.into_option())
        .collect();
    assert_eq!(tracks.len(), 2);
}

#[test]
fn player_state_and_queue() {
    let state: CurrentlyPlayingContext = load("player_state.json", "OneCurrentlyPlaying");
    assert_eq!(state.repeat_state.get(), Some(&RepeatState::Context));
    assert_eq!(
        state.currently_playing_type.get(),
        Some(&CurrentlyPlayingType::Track)
    );
    assert_eq!(
        state.device.get().and_then(|d| d.volume_percent.get()),
        Some(&59)
    );
    // Spotify nests the flags under `actions.disallows`; the spec does not.
    assert!(state.actions.get().unwrap().extra.contains_key("disallows"));
    assert!(state.extra.contains_key("smart_shuffle"));

    let queue: Queue = load("queue.json", "Queue");
    assert!(matches!(
        queue.currently_playing,
        Field::Value(PlayableItem::Episode(_))
    ));
    let kinds: Vec<_> = queue
        .queue
        .get()
        .unwrap()
        .iter()
        .map(PlayableItem::type_name)
        .collect();
    assert_eq!(
        kinds,
        [Some("track"), Some("audiobook_excerpt"), Some("track")]
    );
}

#[test]
fn unknown_enum_values_round_trip() {
    let json = r#"{"album_type":"ALBUM","release_date_precision":"week","type":"album"}"#;
    let album: spotkit_model::SimplifiedAlbum = serde_json::from_str(json).unwrap();
    assert_eq!(
        album.album_type.get(),
        Some(&spotkit_model::AlbumType::Unknown("ALBUM".into()))
    );
    assert_eq!(serde_json::to_string(&album).unwrap(), json);
    let state: CurrentlyPlayingContext =
        serde_json::from_str(r#"{"currently_playing_type":"unknown"}"#).unwrap();
    assert_eq!(
        state
            .currently_playing_type
            .get()
            .map(CurrentlyPlayingType::as_str),
        Some("unknown")
    );
}

#[test]
fn numbers_keep_their_spelling() {
    // (Known members are written in the spec's order, so compare in that order.)
    let json = r#"{"key":-1,"loudness":-5.0,"tempo":120,"valence":0.428}"#;
    let features: spotkit_model::AudioFeatures = serde_json::from_str(json).unwrap();
    assert_eq!(serde_json::to_string(&features).unwrap(), json);
    assert_eq!(
        features.tempo.get().and_then(serde_json::Number::as_f64),
        Some(120.0)
    );
}

/// Every designed fixture, and the model it is read as. A new file must be listed here.
const EVERY_FIXTURE: &[(&str, &str)] = &[
    ("album_extended.json", "AlbumObject"),
    ("artist_dev.json", "ArtistObject"),
    ("audiobook.json", "AudiobookObject"),
    ("devices.json", "ManyDevices"),
    ("error_with_reason.json", "NotFound"),
    ("item_episode.json", "PlaylistTrackObject"),
    ("item_local_track.json", "PlaylistTrackObject"),
    ("item_null.json", "PlaylistTrackObject"),
    ("item_unknown_type.json", "PlaylistTrackObject"),
    ("me_playlists.json", "PagingPlaylistObject"),
    ("player_state.json", "CurrentlyPlayingContextObject"),
    ("playlist_dev.json", "PlaylistObject"),
    ("playlist_extended.json", "PlaylistObject"),
    ("playlist_transition.json", "PlaylistObject"),
    ("private_user_dev.json", "PrivateUserObject"),
    ("private_user_extended.json", "PrivateUserObject"),
    ("queue.json", "QueueObject"),
    ("recently_played.json", "CursorPagingPlayHistoryObject"),
    ("saved_tracks.json", "PagingSavedTrackObject"),
    ("search_with_null_playlists.json", "SearchItems"),
    ("show_with_episodes.json", "ShowObject"),
    ("token_response_pkce.json", "TokenResponse"),
    ("track_dev.json", "TrackObject"),
    ("track_extended.json", "TrackObject"),
];

/// The designed fixtures cover the shapes the models read on a bare clone (no conformance data):
/// each one parses as its model and serializes back unchanged, and none is left unlisted.
#[test]
fn every_designed_fixture_round_trips_as_its_model() {
    let dir = format!("{}/tests/fixtures", env!("CARGO_MANIFEST_DIR"));
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    on_disk.sort();
    let listed: Vec<String> = EVERY_FIXTURE.iter().map(|(f, _)| (*f).to_owned()).collect();
    assert_eq!(on_disk, listed, "list every fixture file in EVERY_FIXTURE");
    for (file, model) in EVERY_FIXTURE {
        let text = fixture(file);
        let original: Value = serde_json::from_str(&text).unwrap();
        let back = schema::roundtrip(model, &text).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(back, original, "{file} as {model} changed in a round trip");
    }
}

#[test]
fn designed_album_show_and_history_read_as_expected() {
    let album: Value = schema::roundtrip("AlbumObject", &fixture("album_extended.json")).unwrap();
    assert_eq!(album["tracks"]["items"][1]["linked_from"]["type"], "track");
    let history = fixture("recently_played.json");
    let page: spotkit_model::CursorPagingPlayHistory = serde_json::from_str(&history).unwrap();
    assert_eq!(page.items.get().map(Vec::len), Some(2));
}
