//! Realistic responses in the Development-Mode, Extended-Quota and transition shapes
//! parse, expose what they hold through plain members and the accessors, and keep it when
//! serialized again ([`support::survives`]).

#[path = "support/survives.rs"]
mod support;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use spotkit_model::{
    AlbumType, CurrentlyPlayingContext, CurrentlyPlayingType, EpisodeId, ItemType, PagingPlaylist,
    PagingSavedTrack, PlayableItem, PlayableUri, Playlist, PlaylistTrack, PrivateUser, Product,
    Queue, ReleaseDate, ReleaseDatePrecision, RepeatState, SearchResults, Show, SimplifiedPlaylist,
    Track, TrackId, UserId, schema,
};
use support::survives;
use time::OffsetDateTime;
use time::macros::datetime;

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Parses a fixture as `T`, checks that what it holds survives serializing again, and
/// that the schema name dispatch agrees.
fn load<T: DeserializeOwned + Serialize>(file: &str, schema_name: &str) -> T {
    let text = fixture(file);
    let original: Value = serde_json::from_str(&text).unwrap();
    let parsed: T = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
    survives(&original, &serde_json::to_value(&parsed).unwrap())
        .unwrap_or_else(|e| panic!("{file} lost something in a round trip {e}"));
    let back = schema::roundtrip(schema_name, &text).unwrap();
    assert_eq!(
        back,
        serde_json::to_value(&parsed).unwrap(),
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
    assert!(p.tracks.is_none());
    assert!(p.followers.is_none());
    assert_eq!(p.item_count(), 5);
    let page = p.items().unwrap();
    assert_eq!(page.total, 5);
    assert!(page.skipped.is_empty());
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
    // Removed for Development-Mode apps: `None`, not `0` or empty.
    assert!(track.popularity.is_none() && track.available_markets.is_none());
    assert_eq!(
        track.album.release_date,
        Some(ReleaseDate {
            year: 1971,
            month: Some(12),
            day: Some(17)
        })
    );
    assert!(matches!(entries[1].item(), Some(PlayableItem::Episode(_))));
    assert!(entries[2].item().unwrap().is_local_file());
    // An entry whose item is gone stays an entry, with no item.
    assert!(entries[3].item.is_none() && entries[3].track.is_none());
    assert!(entries[3].item().is_none());
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
    assert!(p.items.is_none());
    assert_eq!(p.followers.as_ref().map(|f| f.total), Some(1204));
    assert_eq!(p.item_count(), 4);
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
    assert_eq!(track.popularity, Some(73));
    // `preview_url: null` is an `Option` member: `None`.
    assert_eq!(track.preview_url, None);
    assert_eq!(track.available_markets.as_ref().map(Vec::len), Some(7));
}

#[test]
fn transition_playlist_keeps_both_shapes() {
    let p: Playlist = load("playlist_transition.json", "OnePlaylist");
    assert!(p.items.is_some() && p.tracks.is_some());
    assert!(
        std::ptr::eq(p.items().unwrap(), p.items.as_ref().unwrap()),
        "items() prefers the new member"
    );
    assert_eq!(p.item_count(), p.items.as_ref().unwrap().total);
    for entry in p
        .items()
        .unwrap()
        .iter()
        .chain(p.tracks.as_ref().unwrap().iter())
    {
        assert_eq!(entry.item.is_some(), entry.track.is_some());
        if let Some(item) = entry.item() {
            assert!(
                std::ptr::eq(item, entry.item.as_ref().unwrap()),
                "item() prefers the new member"
            );
        }
    }
}

#[test]
fn local_tracks_parse_with_null_ids() {
    let entry: PlaylistTrack = load("item_local_track.json", "PlaylistTrackObject");
    let item = entry.item().unwrap();
    let track = item.as_track().unwrap();
    assert!(track.is_local_file() && item.is_local_file());
    assert!(track.id.is_none() && track.href.is_none());
    assert_eq!(track.uri, "spotify:local:Garage+Band:Bootlegs:Demo+3:187");
    let album = &track.album;
    assert!(album.id.is_none() && album.release_date.is_none());
    // `null` in a plain member takes the type's default.
    assert_eq!(album.album_type, AlbumType::default());
    assert_eq!(album.uri, "");
    assert_eq!(album.name, "Bootlegs");
    assert!(track.artists[0].id.is_none());
    assert_eq!(track.artist_names(), "Garage Band");
    // Nothing to add to a playlist or the queue by.
    assert_eq!(item.id(), None);
    assert_eq!(item.playable_uri(), None);
    // Who added it: a typed user id (user ids are not base62).
    assert_eq!(
        entry.added_by.as_ref().and_then(|u| u.id.as_ref()),
        Some(&UserId::parse("ana.k").unwrap())
    );
}

#[test]
fn episodes_in_playlists_parse_under_the_old_key_too() {
    let entry: PlaylistTrack = load("item_episode.json", "PlaylistTrackObject");
    assert!(entry.item.is_none());
    let item = entry.item().unwrap();
    let episode = item.as_episode().unwrap();
    assert_eq!(episode.kind, ItemType::Episode);
    assert_eq!(episode.show.name, "Rate Limited");
    assert_eq!(item.duration_ms(), Some(2_712_000));
    // The show is the nearest thing to an artist a podcast has.
    assert_eq!(item.artist_names(), "Rate Limited");
    assert_eq!(
        item.playable_uri(),
        Some(PlayableUri::Episode(
            EpisodeId::parse("512ojhOuo1ktJprKbVcKyQ").unwrap()
        ))
    );
    assert_eq!(
        item.playable_uri().map(|u| u.uri()).as_deref(),
        Some("spotify:episode:512ojhOuo1ktJprKbVcKyQ")
    );
    let released = episode.release_date.unwrap();
    assert_eq!(released.precision(), ReleaseDatePrecision::Day);
    assert_eq!(
        released.to_date(),
        Some(time::macros::date!(2026 - 02 - 11))
    );
    assert_eq!(entry.added_at, Some(datetime!(2026-03-01 10:00:00 UTC)));
}

#[test]
fn null_and_unknown_items_parse() {
    let entry: PlaylistTrack = load("item_null.json", "PlaylistTrackObject");
    assert!(
        entry.item.is_none()
            && entry.track.is_none()
            && entry.added_at.is_none()
            && entry.added_by.is_none()
    );
    assert!(entry.item().is_none());
    assert!(!entry.is_local);

    let entry: PlaylistTrack = load("item_unknown_type.json", "PlaylistTrackObject");
    let Some(PlayableItem::Unknown(raw)) = entry.item() else {
        panic!("expected an unknown item")
    };
    assert_eq!(raw["duration_ms"], 61000);
    let item = entry.item().unwrap();
    assert_eq!(
        item.uri(),
        Some("spotify:audiobook_excerpt:1hG4cQ1P4ynZ2bZ3dZ0XqD")
    );
    // Not a track or an episode: nothing to put in a playlist by.
    assert_eq!(item.playable_uri(), None);
    assert_eq!(item.artist_names(), "");
}

#[test]
fn private_user_with_and_without_the_removed_fields() {
    let full: PrivateUser = load("private_user_extended.json", "OnePrivateUser");
    assert_eq!(full.email.as_deref(), Some("ana@example.com"));
    assert_eq!(full.country.as_deref(), Some("DE"));
    assert_eq!(full.product, Some(Product::Premium));
    assert_eq!(
        full.explicit_content
            .as_ref()
            .and_then(|e| e.filter_enabled),
        Some(false)
    );
    assert!(full.account_id.is_none());

    let dev: PrivateUser = load("private_user_dev.json", "PrivateUserObject");
    assert!(
        dev.email.is_none()
            && dev.country.is_none()
            && dev.product.is_none()
            && dev.followers.is_none()
    );
    assert_eq!(dev.account_id.as_deref(), Some("aB3dE5fG7h"));
    assert_eq!(dev.id.as_ref().map(UserId::id), Some("ana.k"));
}

#[test]
fn simplified_playlists_count_items_in_both_generations() {
    let page: PagingPlaylist = load("me_playlists.json", "PagedPlaylists");
    // The first lists its items under `items` (new), the second under `tracks` (old).
    assert!(page.items[0].items.is_some() && page.items[0].tracks.is_none());
    assert!(page.items[1].items.is_none() && page.items[1].tracks.is_some());
    let totals: Vec<u32> = page.iter().map(SimplifiedPlaylist::item_count).collect();
    assert_eq!(totals, [5, 4]);
    // Neither: the documented default.
    assert_eq!(SimplifiedPlaylist::default().item_count(), 0);
    assert_eq!(Playlist::default().item_count(), 0);
}

#[test]
fn search_results_leave_null_entries_out() {
    let results: SearchResults = load("search_with_null_playlists.json", "SearchItems");
    let playlists = results.playlists.as_ref().unwrap();
    assert_eq!(playlists.total, 812);
    assert_eq!(playlists.items.len(), 1);
    assert_eq!(playlists.items[0].name, "Road trip");
    let skipped: Vec<(usize, Option<&str>)> = playlists
        .skipped
        .iter()
        .map(|s| (s.position, s.error.as_deref()))
        .collect();
    assert_eq!(skipped, [(0, None), (2, None)]);
    assert_eq!(
        playlists.next_url().map(|u| u.contains("offset=5")),
        Some(true)
    );
    // Types not searched for are not sent: `None`.
    assert!(results.artists.is_none() && results.albums.is_none());
}

#[test]
fn saved_tracks_page() {
    let page: PagingSavedTrack = load("saved_tracks.json", "PagingSavedTrackObject");
    assert_eq!(page.total, 1834);
    assert_eq!((page.limit, page.offset), (2, 0));
    assert_eq!(
        page.next.as_ref().map(|u| u.query()),
        Some(Some("offset=2&limit=2"))
    );
    assert_eq!(page.previous, None);
    let dates: Vec<OffsetDateTime> = page.iter().map(|s| s.added_at).collect();
    assert_eq!(
        dates,
        [
            datetime!(2026-01-05 21:12:09 UTC),
            datetime!(2019-07-30 08:00:00 UTC)
        ]
    );
    let tracks: Vec<Track> = page.into_iter().map(|s| s.track).collect();
    assert_eq!(tracks.len(), 2);
    assert_eq!(tracks[1].popularity, Some(73));
}

#[test]
fn player_state_and_queue() {
    let state: CurrentlyPlayingContext = load("player_state.json", "OneCurrentlyPlaying");
    assert_eq!(state.repeat_state, RepeatState::Context);
    assert_eq!(state.currently_playing_type, CurrentlyPlayingType::Track);
    assert_eq!(state.device.volume_percent, Some(59));
    assert_eq!(state.progress_ms, Some(44272));
    assert!(state.is_playing && !state.shuffle_state);
    // Spotify nests the flags under `actions.disallows`; the spec does not.
    assert!(
        state
            .actions
            .as_ref()
            .unwrap()
            .extra
            .contains_key("disallows")
    );
    assert!(state.extra.contains_key("smart_shuffle"));

    let queue: Queue = load("queue.json", "Queue");
    assert!(matches!(
        queue.currently_playing,
        Some(PlayableItem::Episode(_))
    ));
    let kinds: Vec<_> = queue.queue.iter().map(PlayableItem::type_name).collect();
    assert_eq!(
        kinds,
        [Some("track"), Some("audiobook_excerpt"), Some("track")]
    );
}

#[test]
fn unknown_enum_values_round_trip() {
    let json = r#"{"album_type":"ALBUM","release_date_precision":"week","type":"album"}"#;
    let album: spotkit_model::SimplifiedAlbum = serde_json::from_str(json).unwrap();
    assert_eq!(album.album_type, AlbumType::Unknown("ALBUM".into()));
    assert_eq!(
        album.release_date_precision,
        Some(ReleaseDatePrecision::Unknown("week".into()))
    );
    let back = serde_json::to_value(&album).unwrap();
    survives(&serde_json::from_str(json).unwrap(), &back).unwrap();
    assert_eq!(back["album_type"], "ALBUM");
    let state: CurrentlyPlayingContext =
        serde_json::from_str(r#"{"currently_playing_type":"unknown"}"#).unwrap();
    assert_eq!(state.currently_playing_type.as_str(), "unknown");
}

#[test]
fn numbers_keep_their_spelling() {
    let json = r#"{"key":-1,"loudness":-5.0,"tempo":120,"valence":0.428}"#;
    let features: spotkit_model::AudioFeatures = serde_json::from_str(json).unwrap();
    let back = serde_json::to_string(&features).unwrap();
    for member in [
        r#""key":-1"#,
        r#""loudness":-5.0"#,
        r#""tempo":120"#,
        r#""valence":0.428"#,
    ] {
        assert!(back.contains(member), "{member} in {back}");
    }
    assert_eq!(
        features.tempo.as_ref().and_then(serde_json::Number::as_f64),
        Some(120.0)
    );
}

#[test]
fn typed_ids_timestamps_and_release_dates() {
    let track: Track = load("track_extended.json", "TrackObject");
    assert_eq!(
        track.id,
        Some(TrackId::parse("7a3LWj5xSFhFRYmztS8wgK").unwrap())
    );
    assert_eq!(
        track.id.as_ref().map(TrackId::uri).as_deref(),
        Some("spotify:track:7a3LWj5xSFhFRYmztS8wgK")
    );
    assert_eq!(
        track.album.id.as_ref().map(spotkit_model::AlbumId::id),
        Some("6fQElzBNTiEMGdIeY0hy5l")
    );
    assert_eq!(
        track.artists[0]
            .id
            .as_ref()
            .map(spotkit_model::ArtistId::url)
            .as_deref(),
        Some("https://open.spotify.com/artist/0oSGxfWSnnOXhD2fKuz2Gy")
    );
    let released = track.album.release_date.unwrap();
    assert_eq!(released.precision(), ReleaseDatePrecision::Day);
    assert_eq!(
        track.album.release_date_precision,
        Some(ReleaseDatePrecision::Day)
    );
    assert_eq!(released.to_string(), "1971-12-17");
    assert!(!track.is_local_file());
    assert_eq!(
        PlayableItem::from(track.clone()).playable_uri(),
        track.id.clone().map(PlayableUri::Track)
    );

    // Timestamps with and without fractions of a second.
    let history: spotkit_model::CursorPagingPlayHistory =
        load("recently_played.json", "CursorPagingPlayHistoryObject");
    let played: Vec<OffsetDateTime> = history.iter().map(|h| h.played_at).collect();
    assert_eq!(
        played,
        [
            datetime!(2026-11-30 21:04:05.123 UTC),
            datetime!(2026-11-30 20:59:00 UTC)
        ]
    );
    // A local file in the history: no id, no error.
    assert_eq!(history.items[1].track.id, None);
    assert!(history.items[0].track.id.is_some());
}

#[test]
fn release_dates_keep_their_precision_and_odd_ones_read_as_none() {
    for (json, expected, precision) in [
        (
            r#"{"release_date":"1981"}"#,
            Some("1981"),
            Some(ReleaseDatePrecision::Year),
        ),
        (
            r#"{"release_date":"1981-12"}"#,
            Some("1981-12"),
            Some(ReleaseDatePrecision::Month),
        ),
        (
            r#"{"release_date":"1981-12-15"}"#,
            Some("1981-12-15"),
            Some(ReleaseDatePrecision::Day),
        ),
        (r#"{"release_date":null}"#, None, None),
        ("{}", None, None),
        (r#"{"release_date":"someday"}"#, None, None),
    ] {
        let album: spotkit_model::SimplifiedAlbum = serde_json::from_str(json).unwrap();
        assert_eq!(
            album.release_date.map(|d| d.to_string()).as_deref(),
            expected,
            "{json}"
        );
        assert_eq!(
            album.release_date.map(|d| d.precision()),
            precision,
            "{json}"
        );
    }
}

#[test]
fn track_helpers() {
    let track: Track = load("track_dev.json", "TrackObject");
    assert_eq!(track.artist_names(), "David Bowie");
    assert_eq!(track.isrc(), Some("USJT11500091"));

    let two: Track = serde_json::from_str(
        r#"{"artists": [{"name": "Queen"}, {"name": "David Bowie"}], "external_ids": {"isrc": ""}}"#,
    )
    .unwrap();
    assert_eq!(two.artist_names(), "Queen, David Bowie");
    assert_eq!(two.main_artist(), "Queen");
    // An empty ISRC is no ISRC; so is none at all.
    assert_eq!(two.isrc(), None);
    assert_eq!(Track::default().isrc(), None);
    assert_eq!(Track::default().artist_names(), "");
}

#[test]
fn playlist_item_count_in_both_generations() {
    let new: Playlist = serde_json::from_str(r#"{"items": {"items": [], "total": 7}}"#).unwrap();
    let old: Playlist = serde_json::from_str(r#"{"tracks": {"items": [], "total": 9}}"#).unwrap();
    let both: Playlist =
        serde_json::from_str(r#"{"items": {"total": 7}, "tracks": {"total": 9}}"#).unwrap();
    assert_eq!(
        [new.item_count(), old.item_count(), both.item_count()],
        [7, 9, 7]
    );

    let new: SimplifiedPlaylist = serde_json::from_str(r#"{"items": {"total": 7}}"#).unwrap();
    let old: SimplifiedPlaylist = serde_json::from_str(r#"{"tracks": {"total": 9}}"#).unwrap();
    let both: SimplifiedPlaylist =
        serde_json::from_str(r#"{"items": {"total": 7}, "tracks": {"total": 9}}"#).unwrap();
    assert_eq!(
        [new.item_count(), old.item_count(), both.item_count()],
        [7, 9, 7]
    );
}

#[test]
fn missing_and_null_members_take_the_documented_defaults() {
    for json in [
        "{}",
        r#"{"name": null, "duration_ms": null, "artists": null, "album": null, "is_local": null, "id": null, "popularity": null}"#,
    ] {
        let track: Track = serde_json::from_str(json).unwrap();
        assert_eq!(track.name, "");
        assert_eq!(track.duration_ms, 0);
        assert!(track.artists.is_empty() && !track.is_local);
        assert_eq!(track.album.name, "");
        assert_eq!(track.kind, ItemType::default());
        assert_eq!((track.id, track.popularity), (None, None), "{json}");
    }
    // A plain timestamp that is missing or not RFC 3339 is the Unix epoch.
    for json in [
        "{}",
        r#"{"added_at": null}"#,
        r#"{"added_at": "yesterday"}"#,
    ] {
        let saved: spotkit_model::SavedTrack = serde_json::from_str(json).unwrap();
        assert_eq!(saved.added_at, OffsetDateTime::UNIX_EPOCH, "{json}");
    }
    // An id that is not an id of its kind is `None`.
    let track: Track =
        serde_json::from_str(r#"{"id": "spotify:episode:512ojhOuo1ktJprKbVcKyQ"}"#).unwrap();
    assert_eq!(track.id, None);
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
/// each one parses as its model and what it holds survives serializing again, and none is left
/// unlisted.
#[test]
fn every_designed_fixture_survives_a_round_trip_as_its_model() {
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
        survives(&original, &back)
            .unwrap_or_else(|e| panic!("{file} as {model} lost something in a round trip {e}"));
    }
}

#[test]
fn designed_album_show_and_history_read_as_expected() {
    let album: spotkit_model::Album = load("album_extended.json", "AlbumObject");
    let linked = album.tracks.items[1].linked_from.as_ref().unwrap();
    assert_eq!(linked.kind, ItemType::Track);
    assert!(album.tracks.items[0].linked_from.is_none());

    let show: Show = load("show_with_episodes.json", "ShowObject");
    assert_eq!(show.episodes.items[0].description, "Tokens, then trees.");
    assert_eq!(show.episodes.items[0].duration_ms, 3_600_000);

    let page: spotkit_model::CursorPagingPlayHistory =
        load("recently_played.json", "CursorPagingPlayHistoryObject");
    assert_eq!(page.items.len(), 2);
    assert_eq!(page.total, Some(2));
    // `after: null`: no next page by cursor.
    assert_eq!(page.after(), None);
    assert_eq!(
        page.cursors.as_ref().and_then(|c| c.before.as_deref()),
        Some("1764536640000")
    );
}
