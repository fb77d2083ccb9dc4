//! Operation coverage (issue 5, acceptance 1).
//!
//! 1. `OPERATIONS` (the project's table of operations) is checked against Spotify's OpenAPI
//!    definition both ways when the conformance data is present: every operationId once, same
//!    method, path and scopes, removed for Development Mode exactly where the spec deprecates.
//! 2. Every operation is called through its client method against an in-process sandbox over
//!    HTTP — once successfully and at least once failing the documented way (missing scope →
//!    403, unknown id → 400/404, removed for Development Mode → 403, a limit → 400, no active
//!    device → 404, not Premium → 403). Deprecated operations succeed in `Mode::Extended` and
//!    are refused in `Mode::Dev`. Each case records the operationId it exercised, and the test
//!    fails unless every operation of the table has both a success and a failure.
#![allow(deprecated)] // the deprecated operations are exercised on purpose

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;

use serde_json::Value;
use spotkit::api::AdditionalType;
use spotkit::api::artists::IncludeGroup;
use spotkit::api::operations::{Availability, OPERATIONS};
use spotkit::api::player::RepeatState;
use spotkit::api::search::SearchType;
use spotkit::auth::ClientSecret;
use spotkit::model::{
    AlbumId, ArtistId, AudiobookId, CategoryId, ChapterId, EpisodeId, PlayableUri, PlaylistId,
    ShowId, SpotifyUri, TrackId, UserId,
};
use spotkit::token::{AccessToken, Token};
use spotkit::{Error, Spotify};
use spotkit_sandbox::{Mode, RunningSandbox, Sandbox};

use common::operations::spec_operations;
use common::{builder, token_of};

#[test]
fn operation_table_matches_the_spec_both_ways() {
    let Some(spec) = spec_operations() else {
        return; // no conformance data: skipped, and said so
    };
    assert_eq!(spec.len(), 97, "the fixed spec has 97 operations");
    let mut seen = BTreeSet::new();
    for op in OPERATIONS {
        assert!(
            seen.insert(op.operation_id),
            "{} is listed twice",
            op.operation_id
        );
        let s = spec
            .iter()
            .find(|s| s.operation_id == op.operation_id)
            .unwrap_or_else(|| panic!("{} is not in the spec", op.operation_id));
        assert_eq!(op.method, s.method, "method of {}", op.operation_id);
        assert_eq!(op.path, s.path, "path of {}", op.operation_id);
        assert_eq!(
            op.availability == Availability::ExtendedQuotaOnly,
            s.deprecated,
            "availability of {} (the spec deprecates exactly what Development Mode lost)",
            op.operation_id
        );
        assert_eq!(op.scopes, s.scopes, "scopes of {}", op.operation_id);
        let tag = op.client_method.split("()").next().unwrap_or("");
        // Handlers follow the first tag, except where the spec tags an operation oddly and the
        // method lives with its object (documented in the table).
        assert!(!tag.is_empty(), "{} has no handler", op.operation_id);
    }
    for s in &spec {
        assert!(
            OPERATIONS.iter().any(|o| o.operation_id == s.operation_id),
            "{} ({} {}) has no client method in OPERATIONS",
            s.operation_id,
            s.method,
            s.path
        );
    }
}

#[test]
fn handlers_follow_the_first_tag() {
    let Some(spec) = spec_operations() else {
        return; // no conformance data: skipped, and said so
    };
    for s in spec {
        let Some(op) = OPERATIONS.iter().find(|o| o.operation_id == s.operation_id) else {
            continue;
        };
        let handler = op.client_method.split("()").next().unwrap_or("");
        assert_eq!(
            handler,
            s.tag.to_lowercase(),
            "{} is tagged {} but lives on {}()",
            s.operation_id,
            s.tag,
            handler
        );
    }
}

/// Which operations had a success and which a documented failure.
#[derive(Default)]
struct Coverage {
    hits: Mutex<BTreeMap<&'static str, (u32, u32)>>,
}

impl Coverage {
    fn ok(&self, op: &'static str, call: &str) {
        Self::check_method(op, call);
        self.hits.lock().unwrap().entry(op).or_default().0 += 1;
    }
    fn failed(&self, op: &'static str, call: &str) {
        Self::check_method(op, call);
        self.hits.lock().unwrap().entry(op).or_default().1 += 1;
    }
    /// A case counts only if it calls the method the table names for its operation.
    fn check_method(op: &str, call: &str) {
        let entry = OPERATIONS
            .iter()
            .find(|o| o.operation_id == op)
            .unwrap_or_else(|| panic!("a case names {op}, which is not in OPERATIONS"));
        let call: String = call.chars().filter(|c| !c.is_whitespace()).collect();
        let mut methods = entry.client_method.split(" / ");
        let first = methods.next().unwrap_or_default();
        let handler = first.split("()").next().unwrap_or_default();
        let named = std::iter::once(first.to_owned())
            .chain(methods.map(|m| format!("{handler}().{m}")))
            .any(|m| call.contains(&format!("{m}(")));
        assert!(
            named,
            "the case for {op} calls `{call}`, not {}",
            entry.client_method
        );
    }
    fn check(&self) {
        let hits = self.hits.lock().unwrap();
        let mut missing = Vec::new();
        for op in OPERATIONS {
            match hits.get(op.operation_id) {
                Some((ok, fail)) if *ok > 0 && *fail > 0 => {}
                Some((ok, fail)) => missing.push(format!(
                    "{} (successes {ok}, failures {fail})",
                    op.operation_id
                )),
                None => missing.push(format!("{} (never called)", op.operation_id)),
            }
        }
        for id in hits.keys() {
            assert!(
                OPERATIONS.iter().any(|o| o.operation_id == *id),
                "a case names {id}, which is not in OPERATIONS"
            );
        }
        assert!(
            missing.is_empty(),
            "operations without a success and a failure case:\n{}",
            missing.join("\n")
        );
    }
}

/// A raw request over the limit (the client itself chunks, so it never sends one): 400.
async fn raw_status(call: impl std::future::Future<Output = spotkit::Result<Value>>, status: u16) {
    let err = call.await.expect_err("over the limit");
    assert_eq!(err.status(), Some(status), "{err}");
}

/// The start of a value's `Debug`, for failure messages.
fn short(v: &impl std::fmt::Debug) -> String {
    format!("{v:?}").chars().take(400).collect()
}

/// `ok!(cov, "op-id", call)`: the call succeeds; yields its value.
macro_rules! ok {
    ($cov:expr, $op:literal, $call:expr) => {{
        match $call.await {
            Ok(v) => {
                $cov.ok($op, stringify!($call));
                v
            }
            Err(e) => panic!("{}: expected success, got {e:?}", $op),
        }
    }};
}

/// `fails!(cov, "op-id", call, pattern)`: the call fails with an error matching `pattern`.
macro_rules! fails {
    ($cov:expr, $op:literal, $call:expr, $pat:pat) => {{
        match $call.await {
            Err($pat) => $cov.failed($op, stringify!($call)),
            other => panic!(
                "{}: expected {}, got {}",
                $op,
                stringify!($pat),
                short(&other)
            ),
        }
    }};
}

/// `status!(cov, "op-id", call, 400 | 404)`: the call fails with one of these statuses.
macro_rules! status {
    ($cov:expr, $op:literal, $call:expr, $statuses:pat) => {{
        match $call.await {
            Err(e) if matches!(e.status(), Some($statuses)) => $cov.failed($op, stringify!($call)),
            other => panic!(
                "{}: expected status {}, got {}",
                $op,
                stringify!($statuses),
                short(&other)
            ),
        }
    }};
}

/// `removed!(cov, "op-id", call)`: refused in Development Mode with 403.
macro_rules! removed {
    ($cov:expr, $op:literal, $call:expr) => {
        fails!($cov, $op, $call, Error::Forbidden { .. })
    };
}

const ALL_SCOPES: &[&str] = &[
    "ugc-image-upload",
    "user-read-playback-state",
    "user-modify-playback-state",
    "user-read-currently-playing",
    "playlist-read-private",
    "playlist-read-collaborative",
    "playlist-modify-private",
    "playlist-modify-public",
    "user-follow-modify",
    "user-follow-read",
    "user-read-playback-position",
    "user-top-read",
    "user-read-recently-played",
    "user-library-modify",
    "user-library-read",
    "user-read-email",
    "user-read-private",
];

/// An id no sandbox catalog holds (valid base62, 22 characters).
const UNKNOWN: &str = "0000000000000000000000";

async fn client(sandbox: &RunningSandbox, user: &str, scopes: &[&str]) -> Spotify {
    let issued = sandbox.token(user, scopes).await.unwrap();
    builder(sandbox).token(token_of(&issued)).build().unwrap()
}

/// A client whose access token the sandbox never issued (and no refresh token): 401.
fn bogus(sandbox: &RunningSandbox) -> Spotify {
    let token = Token::new(
        AccessToken::new("not-a-token-the-sandbox-issued".to_owned()),
        None,
        Some(std::time::Duration::from_secs(3600)),
        Vec::new(),
    );
    builder(sandbox).token(token).build().unwrap()
}

async fn sandbox(mode: Mode) -> RunningSandbox {
    Sandbox::builder()
        .seed(5)
        .liked(120)
        .playlists(6)
        .mode(mode)
        .start()
        .await
        .unwrap()
}

/// Ids of the demo user's library, read through the raw GET so a model bug cannot hide them.
struct Ids {
    track: TrackId,
    album: AlbumId,
    artist: ArtistId,
    show: ShowId,
    episode: EpisodeId,
    audiobook: AudiobookId,
    chapter: ChapterId,
}

fn str_at<'v>(v: &'v Value, pointer: &str) -> &'v str {
    v.pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("no string at {pointer} in {v}"))
}

async fn ids(spotify: &Spotify) -> Ids {
    let liked: Value = spotify.get("me/tracks", &[("limit", "1")]).await.unwrap();
    let shows: Value = spotify.get("me/shows", &[("limit", "1")]).await.unwrap();
    let show = str_at(&shows, "/items/0/show/id").to_owned();
    let episodes: Value = spotify
        .get(&format!("shows/{show}/episodes"), &[("limit", "1")])
        .await
        .unwrap();
    let books: Value = spotify
        .get("me/audiobooks", &[("limit", "1")])
        .await
        .unwrap();
    let book = str_at(&books, "/items/0/audiobook/id").to_owned();
    let chapters: Value = spotify
        .get(&format!("audiobooks/{book}/chapters"), &[("limit", "1")])
        .await
        .unwrap();
    Ids {
        track: TrackId::parse(str_at(&liked, "/items/0/track/id")).unwrap(),
        album: AlbumId::parse(str_at(&liked, "/items/0/track/album/id")).unwrap(),
        artist: ArtistId::parse(str_at(&liked, "/items/0/track/artists/0/id")).unwrap(),
        show: ShowId::parse(&show).unwrap(),
        episode: EpisodeId::parse(str_at(&episodes, "/items/0/id")).unwrap(),
        audiobook: AudiobookId::parse(&book).unwrap(),
        chapter: ChapterId::parse(str_at(&chapters, "/items/0/id")).unwrap(),
    }
}

/// The smallest JPEG Spotify's example uses (1×1).
const JPEG: &[u8] = &[
    0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01,
    0x00, 0x01, 0x00, 0x00, 0xFF, 0xD9,
];

#[tokio::test]
async fn every_operation_succeeds_and_fails_as_documented() {
    let cov = Coverage::default();
    dev_mode_cases(&cov).await;
    extended_mode_cases(&cov).await;
    cov.check();
}

#[allow(clippy::too_many_lines)] // one case list per mode reads best as a list
async fn dev_mode_cases(cov: &Coverage) {
    let sb = sandbox(Mode::Dev).await;
    let s = client(&sb, "demo", ALL_SCOPES).await;
    let bare = client(&sb, "demo", &["user-read-private"]).await;
    let ids = ids(&s).await;
    let unknown_track = TrackId::parse(UNKNOWN).unwrap();
    let unknown_album = AlbumId::parse(UNKNOWN).unwrap();
    let unknown_playlist = PlaylistId::parse(UNKNOWN).unwrap();
    let me = UserId::parse("demo").unwrap();

    // Catalog reads: success, then an unknown id.
    ok!(cov, "get-an-album", s.albums().get(&ids.album).market("SE"));
    status!(
        cov,
        "get-an-album",
        s.albums().get(&unknown_album),
        400 | 404
    );
    ok!(
        cov,
        "get-an-albums-tracks",
        s.albums().tracks(&ids.album).limit(5)
    );
    status!(
        cov,
        "get-an-albums-tracks",
        s.albums().tracks(&unknown_album),
        400 | 404
    );
    ok!(cov, "get-an-artist", s.artists().get(&ids.artist));
    status!(
        cov,
        "get-an-artist",
        s.artists().get(&ArtistId::parse(UNKNOWN).unwrap()),
        400 | 404
    );
    ok!(
        cov,
        "get-an-artists-albums",
        s.artists()
            .albums(&ids.artist)
            .include_groups([IncludeGroup::Album, IncludeGroup::Single])
    );
    status!(
        cov,
        "get-an-artists-albums",
        s.artists().albums(&ids.artist).limit(51),
        400
    );
    ok!(cov, "get-a-show", s.shows().get(&ids.show));
    status!(
        cov,
        "get-a-show",
        s.shows().get(&ShowId::parse(UNKNOWN).unwrap()),
        400 | 404
    );
    ok!(cov, "get-a-shows-episodes", s.shows().episodes(&ids.show));
    status!(
        cov,
        "get-a-shows-episodes",
        s.shows().episodes(&ShowId::parse(UNKNOWN).unwrap()),
        400 | 404
    );
    ok!(cov, "get-an-episode", s.episodes().get(&ids.episode));
    status!(
        cov,
        "get-an-episode",
        s.episodes().get(&EpisodeId::parse(UNKNOWN).unwrap()),
        400 | 404
    );
    ok!(cov, "get-an-audiobook", s.audiobooks().get(&ids.audiobook));
    status!(
        cov,
        "get-an-audiobook",
        s.audiobooks().get(&AudiobookId::parse(UNKNOWN).unwrap()),
        400 | 404
    );
    ok!(
        cov,
        "get-audiobook-chapters",
        s.audiobooks().chapters(&ids.audiobook)
    );
    status!(
        cov,
        "get-audiobook-chapters",
        s.audiobooks()
            .chapters(&AudiobookId::parse(UNKNOWN).unwrap()),
        400 | 404
    );
    ok!(cov, "get-a-chapter", s.chapters().get(&ids.chapter));
    status!(
        cov,
        "get-a-chapter",
        s.chapters().get(&ChapterId::parse(UNKNOWN).unwrap()),
        400 | 404
    );
    ok!(cov, "get-track", s.tracks().get(&ids.track));
    status!(cov, "get-track", s.tracks().get(&unknown_track), 400 | 404);
    ok!(
        cov,
        "search",
        s.search().query("a", &[SearchType::Track]).limit(10)
    );
    // Development Mode caps search at 10 per page.
    status!(
        cov,
        "search",
        s.search().query("a", &[SearchType::Track]).limit(11),
        400
    );

    // The user's own data: success, then a token without the scope.
    ok!(cov, "get-current-users-profile", s.users().me());
    // An app-only (client credentials) token has no user: 403.
    let app = builder(&sb)
        .client_credentials(common::CLIENT_ID, ClientSecret::new(common::CLIENT_SECRET))
        .build()
        .unwrap();
    fails!(
        cov,
        "get-current-users-profile",
        app.users().me(),
        Error::Forbidden { .. }
    );
    ok!(cov, "get-users-saved-albums", s.albums().saved());
    fails!(
        cov,
        "get-users-saved-albums",
        bare.albums().saved(),
        Error::Forbidden { .. }
    );
    ok!(cov, "get-users-saved-tracks", s.tracks().saved());
    fails!(
        cov,
        "get-users-saved-tracks",
        bare.tracks().saved(),
        Error::Forbidden { .. }
    );
    ok!(cov, "get-users-saved-episodes", s.episodes().saved());
    fails!(
        cov,
        "get-users-saved-episodes",
        bare.episodes().saved(),
        Error::Forbidden { .. }
    );
    ok!(cov, "get-users-saved-shows", s.shows().saved());
    fails!(
        cov,
        "get-users-saved-shows",
        bare.shows().saved(),
        Error::Forbidden { .. }
    );
    ok!(cov, "get-users-saved-audiobooks", s.audiobooks().saved());
    fails!(
        cov,
        "get-users-saved-audiobooks",
        bare.audiobooks().saved(),
        Error::Forbidden { .. }
    );
    ok!(cov, "get-followed", s.users().followed_artists());
    fails!(
        cov,
        "get-followed",
        bare.users().followed_artists(),
        Error::Forbidden { .. }
    );
    ok!(cov, "get-users-top-artists", s.users().top_artists());
    fails!(
        cov,
        "get-users-top-artists",
        bare.users().top_artists(),
        Error::Forbidden { .. }
    );
    ok!(cov, "get-users-top-tracks", s.users().top_tracks());
    fails!(
        cov,
        "get-users-top-tracks",
        bare.users().top_tracks(),
        Error::Forbidden { .. }
    );
    ok!(
        cov,
        "get-a-list-of-current-users-playlists",
        s.playlists().mine()
    );
    status!(
        cov,
        "get-a-list-of-current-users-playlists",
        s.playlists().mine().limit(51),
        400
    );
    ok!(cov, "get-recently-played", s.player().recently_played());
    fails!(
        cov,
        "get-recently-played",
        bare.player().recently_played(),
        Error::Forbidden { .. }
    );

    // Library by URI.
    let uris = [
        SpotifyUri::Track(ids.track.clone()),
        SpotifyUri::Album(ids.album.clone()),
    ];
    ok!(cov, "save-library-items", s.library().save(&uris));
    fails!(
        cov,
        "save-library-items",
        bare.library().save(&uris),
        Error::Forbidden { .. }
    );
    let held = ok!(cov, "check-library-contains", s.library().contains(&uris));
    assert_eq!(held, vec![true, true]);
    fails!(
        cov,
        "check-library-contains",
        client(&sb, "demo", &["user-read-private"])
            .await
            .library()
            .contains(&uris),
        Error::Forbidden { .. }
    );
    ok!(cov, "remove-library-items", s.library().remove(&uris[1..]));
    fails!(
        cov,
        "remove-library-items",
        bare.library().remove(&uris),
        Error::Forbidden { .. }
    );
    assert_eq!(
        s.library().contains(&uris).await.unwrap(),
        vec![true, false]
    );

    // Playlists.
    let created = ok!(
        cov,
        "create-playlist",
        s.playlists()
            .create("coverage")
            .public(false)
            .description("made by the coverage test")
    );
    fails!(
        cov,
        "create-playlist",
        bare.playlists().create("nope"),
        Error::Forbidden { .. }
    );
    let pid = created.id.clone().expect("created playlist has an id");
    ok!(cov, "get-playlist", s.playlists().get(&pid));
    status!(
        cov,
        "get-playlist",
        s.playlists().get(&unknown_playlist),
        400 | 404
    );
    ok!(
        cov,
        "change-playlist-details",
        s.playlists().change_details(&pid).name("renamed")
    );
    fails!(
        cov,
        "change-playlist-details",
        bare.playlists().change_details(&pid).name("x"),
        Error::Forbidden { .. }
    );
    let items = [
        PlayableUri::Track(ids.track.clone()),
        PlayableUri::Episode(ids.episode.clone()),
    ];
    let snap = ok!(
        cov,
        "add-items-to-playlist",
        s.playlists().add_items(&pid, &items)
    );
    assert!(!snap.is_empty());
    fails!(
        cov,
        "add-items-to-playlist",
        bare.playlists().add_items(&pid, &items),
        Error::Forbidden { .. }
    );
    ok!(
        cov,
        "get-playlists-items",
        s.playlists()
            .items(&pid)
            .additional_types([AdditionalType::Track, AdditionalType::Episode])
    );
    status!(
        cov,
        "get-playlists-items",
        s.playlists().items(&unknown_playlist),
        400 | 403 | 404
    );
    ok!(
        cov,
        "reorder-or-replace-playlists-items",
        s.playlists().reorder_items(&pid, 0, 2)
    );
    status!(
        cov,
        "reorder-or-replace-playlists-items",
        s.playlists().reorder_items(&pid, 50, 0),
        400
    );
    ok!(
        cov,
        "reorder-or-replace-playlists-items",
        s.playlists().replace_items(&pid, &items)
    );
    ok!(
        cov,
        "remove-items-playlist",
        s.playlists().remove_items(&pid, &items[..1])
    );
    fails!(
        cov,
        "remove-items-playlist",
        bare.playlists().remove_items(&pid, &items),
        Error::Forbidden { .. }
    );
    ok!(
        cov,
        "upload-custom-playlist-cover",
        s.playlists().upload_cover_image(&pid, JPEG)
    );
    fails!(
        cov,
        "upload-custom-playlist-cover",
        client(
            &sb,
            "demo",
            &["playlist-modify-private", "playlist-modify-public"]
        )
        .await
        .playlists()
        .upload_cover_image(&pid, JPEG),
        Error::Forbidden { .. }
    );
    ok!(cov, "get-playlist-cover", s.playlists().cover_image(&pid));
    status!(
        cov,
        "get-playlist-cover",
        s.playlists().cover_image(&unknown_playlist),
        400 | 404
    );

    // Player: nothing is active at first.
    fails!(
        cov,
        "pause-a-users-playback",
        s.player().pause(),
        Error::NoActiveDevice { .. }
    );
    let state = ok!(
        cov,
        "get-information-about-the-users-current-playback",
        s.player().state()
    );
    assert!(state.is_none(), "no playback yet: 204 → None");
    fails!(
        cov,
        "get-information-about-the-users-current-playback",
        bare.player().state(),
        Error::Forbidden { .. }
    );
    let now = ok!(
        cov,
        "get-the-users-currently-playing-track",
        s.player().currently_playing()
    );
    assert!(now.is_none());
    fails!(
        cov,
        "get-the-users-currently-playing-track",
        bare.player().currently_playing(),
        Error::Forbidden { .. }
    );
    let devices = ok!(cov, "get-a-users-available-devices", s.player().devices());
    assert!(!devices.is_empty());
    fails!(
        cov,
        "get-a-users-available-devices",
        bare.player().devices(),
        Error::Forbidden { .. }
    );
    let device = devices[0].id.clone().expect("device id");
    fails!(
        cov,
        "skip-users-playback-to-next-track",
        s.player().next(),
        Error::NoActiveDevice { .. }
    );
    fails!(
        cov,
        "skip-users-playback-to-previous-track",
        s.player().previous(),
        Error::NoActiveDevice { .. }
    );
    fails!(
        cov,
        "seek-to-position-in-currently-playing-track",
        s.player().seek(1000),
        Error::NoActiveDevice { .. }
    );
    fails!(
        cov,
        "set-repeat-mode-on-users-playback",
        s.player().repeat(RepeatState::Context),
        Error::NoActiveDevice { .. }
    );
    fails!(
        cov,
        "set-volume-for-users-playback",
        s.player().volume(30),
        Error::NoActiveDevice { .. }
    );
    fails!(
        cov,
        "toggle-shuffle-for-users-playback",
        s.player().shuffle(true),
        Error::NoActiveDevice { .. }
    );
    fails!(
        cov,
        "add-to-queue",
        s.player().add_to_queue(&items[0]),
        Error::NoActiveDevice { .. }
    );
    let free = client(&sb, "mixtape_mara", ALL_SCOPES).await;
    fails!(
        cov,
        "start-a-users-playback",
        free.player().play().uris(&items),
        Error::PremiumRequired { .. }
    );
    fails!(
        cov,
        "transfer-a-users-playback",
        bare.player().transfer(&device),
        Error::Forbidden { .. }
    );
    ok!(
        cov,
        "transfer-a-users-playback",
        s.player().transfer(&device)
    );
    ok!(
        cov,
        "start-a-users-playback",
        s.player()
            .play()
            .context(&SpotifyUri::Album(ids.album.clone()))
            .offset_position(0)
            .position_ms(0)
            .device_id(&device)
    );
    assert!(s.player().state().await.unwrap().is_some());
    ok!(cov, "pause-a-users-playback", s.player().pause());
    ok!(
        cov,
        "seek-to-position-in-currently-playing-track",
        s.player().seek(1000)
    );
    ok!(
        cov,
        "set-repeat-mode-on-users-playback",
        s.player().repeat(RepeatState::Off)
    );
    ok!(cov, "set-volume-for-users-playback", s.player().volume(30));
    ok!(
        cov,
        "toggle-shuffle-for-users-playback",
        s.player().shuffle(false)
    );
    ok!(cov, "add-to-queue", s.player().add_to_queue(&items[0]));
    ok!(cov, "get-queue", s.player().queue());
    fails!(
        cov,
        "get-queue",
        bare.player().queue(),
        Error::Forbidden { .. }
    );
    ok!(cov, "skip-users-playback-to-next-track", s.player().next());
    ok!(
        cov,
        "skip-users-playback-to-previous-track",
        s.player().previous()
    );

    // Every deprecated operation is refused in Development Mode.
    let tid = &ids.track;
    removed!(
        cov,
        "get-multiple-albums",
        s.albums().several(std::slice::from_ref(&ids.album))
    );
    removed!(
        cov,
        "get-multiple-artists",
        s.artists().several(std::slice::from_ref(&ids.artist))
    );
    removed!(
        cov,
        "get-an-artists-top-tracks",
        s.artists().top_tracks(&ids.artist).market("SE")
    );
    removed!(
        cov,
        "get-an-artists-related-artists",
        s.artists().related_artists(&ids.artist)
    );
    removed!(
        cov,
        "get-multiple-shows",
        s.shows().several(std::slice::from_ref(&ids.show))
    );
    removed!(
        cov,
        "get-multiple-episodes",
        s.episodes().several(std::slice::from_ref(&ids.episode))
    );
    removed!(
        cov,
        "get-multiple-audiobooks",
        s.audiobooks().several(std::slice::from_ref(&ids.audiobook))
    );
    removed!(
        cov,
        "save-audiobooks-user",
        s.audiobooks().save(std::slice::from_ref(&ids.audiobook))
    );
    removed!(
        cov,
        "remove-audiobooks-user",
        s.audiobooks().remove(std::slice::from_ref(&ids.audiobook))
    );
    removed!(
        cov,
        "check-users-saved-audiobooks",
        s.audiobooks()
            .contains(std::slice::from_ref(&ids.audiobook))
    );
    removed!(
        cov,
        "get-several-chapters",
        s.chapters().several(std::slice::from_ref(&ids.chapter))
    );
    removed!(
        cov,
        "get-several-tracks",
        s.tracks().several(std::slice::from_ref(tid))
    );
    removed!(cov, "get-playlists-tracks", s.playlists().tracks(&pid));
    removed!(
        cov,
        "add-tracks-to-playlist",
        s.playlists().add_tracks(&pid, &items)
    );
    removed!(
        cov,
        "reorder-or-replace-playlists-tracks",
        s.playlists().reorder_tracks(&pid, 0, 1)
    );
    removed!(
        cov,
        "remove-tracks-playlist",
        s.playlists().remove_tracks(&pid, &items)
    );
    removed!(
        cov,
        "save-albums-user",
        s.albums().save(std::slice::from_ref(&ids.album))
    );
    removed!(
        cov,
        "remove-albums-user",
        s.albums().remove(std::slice::from_ref(&ids.album))
    );
    removed!(
        cov,
        "check-users-saved-albums",
        s.albums().contains(std::slice::from_ref(&ids.album))
    );
    removed!(
        cov,
        "save-tracks-user",
        s.tracks().save(std::slice::from_ref(tid))
    );
    removed!(
        cov,
        "remove-tracks-user",
        s.tracks().remove(std::slice::from_ref(tid))
    );
    removed!(
        cov,
        "check-users-saved-tracks",
        s.tracks().contains(std::slice::from_ref(tid))
    );
    removed!(
        cov,
        "save-episodes-user",
        s.episodes().save(std::slice::from_ref(&ids.episode))
    );
    removed!(
        cov,
        "remove-episodes-user",
        s.episodes().remove(std::slice::from_ref(&ids.episode))
    );
    removed!(
        cov,
        "check-users-saved-episodes",
        s.episodes().contains(std::slice::from_ref(&ids.episode))
    );
    removed!(
        cov,
        "save-shows-user",
        s.shows().save(std::slice::from_ref(&ids.show))
    );
    removed!(
        cov,
        "remove-shows-user",
        s.shows().remove(std::slice::from_ref(&ids.show))
    );
    removed!(
        cov,
        "check-users-saved-shows",
        s.shows().contains(std::slice::from_ref(&ids.show))
    );
    removed!(cov, "get-users-profile", s.users().get(&me));
    removed!(cov, "get-list-users-playlists", s.playlists().of_user(&me));
    removed!(
        cov,
        "create-playlist-for-user",
        s.playlists().create_for_user(&me, "old way")
    );
    removed!(cov, "follow-playlist", s.users().follow_playlist(&pid));
    removed!(cov, "unfollow-playlist", s.users().unfollow_playlist(&pid));
    removed!(cov, "get-featured-playlists", s.playlists().featured());
    removed!(cov, "get-categories", s.categories().list());
    removed!(
        cov,
        "get-a-category",
        s.categories().get(&CategoryId::new("toplists"))
    );
    removed!(
        cov,
        "get-a-categories-playlists",
        s.playlists().of_category(&CategoryId::new("toplists"))
    );
    removed!(cov, "get-new-releases", s.albums().new_releases());
    removed!(
        cov,
        "follow-artists-users",
        s.users().follow(std::slice::from_ref(&ids.artist))
    );
    removed!(
        cov,
        "unfollow-artists-users",
        s.users().unfollow(std::slice::from_ref(&ids.artist))
    );
    removed!(
        cov,
        "check-current-user-follows",
        s.users().follows(std::slice::from_ref(&ids.artist))
    );
    removed!(
        cov,
        "check-if-user-follows-playlist",
        s.users().follows_playlist(&pid, &me)
    );
    removed!(
        cov,
        "get-several-audio-features",
        s.tracks().several_audio_features(std::slice::from_ref(tid))
    );
    removed!(cov, "get-audio-features", s.tracks().audio_features(tid));
    removed!(cov, "get-audio-analysis", s.tracks().audio_analysis(tid));
    removed!(
        cov,
        "get-recommendations",
        s.tracks()
            .recommendations()
            .seed_tracks(std::slice::from_ref(tid))
    );
    removed!(cov, "get-recommendation-genres", s.genres().seeds());
    removed!(cov, "get-available-markets", s.markets().list());
}

#[allow(clippy::too_many_lines)]
async fn extended_mode_cases(cov: &Coverage) {
    let sb = sandbox(Mode::Extended).await;
    let s = client(&sb, "demo", ALL_SCOPES).await;
    let bare = client(&sb, "demo", &["user-read-private"]).await;
    let ids = ids(&s).await;
    let me = UserId::parse("demo").unwrap();
    let tid = &ids.track;
    let unknown = TrackId::parse(UNKNOWN).unwrap();

    // Multi-gets: chunked, in order, `None` for unknown ids.
    let many = ok!(
        cov,
        "get-several-tracks",
        s.tracks()
            .several(&[tid.clone(), unknown.clone(), tid.clone()])
    );
    assert_eq!(many.len(), 3);
    assert!(many[0].is_some() && many[1].is_none() && many[2].is_some());
    raw_status(
        s.get::<Value>("tracks", &[("ids", vec![tid.id(); 51].join(","))]),
        400,
    )
    .await;
    let albums = ok!(
        cov,
        "get-multiple-albums",
        s.albums().several(&vec![ids.album.clone(); 45])
    );
    assert_eq!(
        albums.len(),
        45,
        "45 ids are fetched in three chunks of at most 20"
    );
    raw_status(
        s.get::<Value>("albums", &[("ids", vec![ids.album.id(); 21].join(","))]),
        400,
    )
    .await;
    ok!(
        cov,
        "get-multiple-artists",
        s.artists().several(std::slice::from_ref(&ids.artist))
    );
    raw_status(
        s.get::<Value>("artists", &[("ids", vec![ids.artist.id(); 51].join(","))]),
        400,
    )
    .await;
    ok!(
        cov,
        "get-an-artists-top-tracks",
        s.artists().top_tracks(&ids.artist).market("SE")
    );
    status!(
        cov,
        "get-an-artists-top-tracks",
        s.artists()
            .top_tracks(&ArtistId::parse(UNKNOWN).unwrap())
            .market("SE"),
        400 | 404
    );
    ok!(
        cov,
        "get-an-artists-related-artists",
        s.artists().related_artists(&ids.artist)
    );
    status!(
        cov,
        "get-an-artists-related-artists",
        s.artists()
            .related_artists(&ArtistId::parse(UNKNOWN).unwrap()),
        400 | 404
    );
    ok!(
        cov,
        "get-multiple-shows",
        s.shows().several(std::slice::from_ref(&ids.show))
    );
    raw_status(
        s.get::<Value>("shows", &[("ids", vec![ids.show.id(); 51].join(","))]),
        400,
    )
    .await;
    ok!(
        cov,
        "get-multiple-episodes",
        s.episodes().several(std::slice::from_ref(&ids.episode))
    );
    raw_status(
        s.get::<Value>("episodes", &[("ids", vec![ids.episode.id(); 51].join(","))]),
        400,
    )
    .await;
    ok!(
        cov,
        "get-multiple-audiobooks",
        s.audiobooks().several(std::slice::from_ref(&ids.audiobook))
    );
    raw_status(
        s.get::<Value>(
            "audiobooks",
            &[("ids", vec![ids.audiobook.id(); 51].join(","))],
        ),
        400,
    )
    .await;
    ok!(
        cov,
        "get-several-chapters",
        s.chapters().several(std::slice::from_ref(&ids.chapter))
    );
    raw_status(
        s.get::<Value>("chapters", &[("ids", vec![ids.chapter.id(); 51].join(","))]),
        400,
    )
    .await;

    // Per-type library endpoints: chunked writes, then checks; without the scope → 403.
    let ab = std::slice::from_ref(&ids.audiobook);
    ok!(cov, "save-audiobooks-user", s.audiobooks().save(ab));
    fails!(
        cov,
        "save-audiobooks-user",
        bare.audiobooks().save(ab),
        Error::Forbidden { .. }
    );
    assert_eq!(
        ok!(
            cov,
            "check-users-saved-audiobooks",
            s.audiobooks().contains(ab)
        ),
        vec![true]
    );
    fails!(
        cov,
        "check-users-saved-audiobooks",
        bare.audiobooks().contains(ab),
        Error::Forbidden { .. }
    );
    ok!(cov, "remove-audiobooks-user", s.audiobooks().remove(ab));
    fails!(
        cov,
        "remove-audiobooks-user",
        bare.audiobooks().remove(ab),
        Error::Forbidden { .. }
    );
    assert_eq!(s.audiobooks().contains(ab).await.unwrap(), vec![false]);

    let al = std::slice::from_ref(&ids.album);
    ok!(cov, "save-albums-user", s.albums().save(al));
    fails!(
        cov,
        "save-albums-user",
        bare.albums().save(al),
        Error::Forbidden { .. }
    );
    assert_eq!(
        ok!(cov, "check-users-saved-albums", s.albums().contains(al)),
        vec![true]
    );
    fails!(
        cov,
        "check-users-saved-albums",
        bare.albums().contains(al),
        Error::Forbidden { .. }
    );
    ok!(cov, "remove-albums-user", s.albums().remove(al));
    fails!(
        cov,
        "remove-albums-user",
        bare.albums().remove(al),
        Error::Forbidden { .. }
    );

    let tr = std::slice::from_ref(tid);
    ok!(cov, "save-tracks-user", s.tracks().save(tr));
    fails!(
        cov,
        "save-tracks-user",
        bare.tracks().save(tr),
        Error::Forbidden { .. }
    );
    assert_eq!(
        ok!(cov, "check-users-saved-tracks", s.tracks().contains(tr)),
        vec![true]
    );
    fails!(
        cov,
        "check-users-saved-tracks",
        bare.tracks().contains(tr),
        Error::Forbidden { .. }
    );
    ok!(cov, "remove-tracks-user", s.tracks().remove(tr));
    fails!(
        cov,
        "remove-tracks-user",
        bare.tracks().remove(tr),
        Error::Forbidden { .. }
    );
    assert_eq!(s.tracks().contains(tr).await.unwrap(), vec![false]);

    let ep = std::slice::from_ref(&ids.episode);
    ok!(cov, "save-episodes-user", s.episodes().save(ep));
    fails!(
        cov,
        "save-episodes-user",
        bare.episodes().save(ep),
        Error::Forbidden { .. }
    );
    assert_eq!(
        ok!(cov, "check-users-saved-episodes", s.episodes().contains(ep)),
        vec![true]
    );
    fails!(
        cov,
        "check-users-saved-episodes",
        bare.episodes().contains(ep),
        Error::Forbidden { .. }
    );
    ok!(cov, "remove-episodes-user", s.episodes().remove(ep));
    fails!(
        cov,
        "remove-episodes-user",
        bare.episodes().remove(ep),
        Error::Forbidden { .. }
    );

    let sh = std::slice::from_ref(&ids.show);
    ok!(cov, "save-shows-user", s.shows().save(sh));
    fails!(
        cov,
        "save-shows-user",
        bare.shows().save(sh),
        Error::Forbidden { .. }
    );
    assert_eq!(
        ok!(cov, "check-users-saved-shows", s.shows().contains(sh)),
        vec![true]
    );
    fails!(
        cov,
        "check-users-saved-shows",
        bare.shows().contains(sh),
        Error::Forbidden { .. }
    );
    ok!(cov, "remove-shows-user", s.shows().remove(sh));
    fails!(
        cov,
        "remove-shows-user",
        bare.shows().remove(sh),
        Error::Forbidden { .. }
    );

    // Users and follows.
    ok!(cov, "get-users-profile", s.users().get(&me));
    status!(
        cov,
        "get-users-profile",
        s.users().get(&UserId::parse("nobody-here-at-all").unwrap()),
        400 | 404
    );
    let artist = [ids.artist.clone()];
    ok!(cov, "follow-artists-users", s.users().follow(&artist));
    fails!(
        cov,
        "follow-artists-users",
        bare.users().follow(&artist),
        Error::Forbidden { .. }
    );
    assert_eq!(
        ok!(
            cov,
            "check-current-user-follows",
            s.users().follows(&artist)
        ),
        vec![true]
    );
    fails!(
        cov,
        "check-current-user-follows",
        bare.users().follows(&artist),
        Error::Forbidden { .. }
    );
    ok!(cov, "unfollow-artists-users", s.users().unfollow(&artist));
    fails!(
        cov,
        "unfollow-artists-users",
        bare.users().unfollow(&artist),
        Error::Forbidden { .. }
    );
    assert_eq!(s.users().follows(&artist).await.unwrap(), vec![false]);

    // Playlists through the old paths.
    let created = ok!(
        cov,
        "create-playlist-for-user",
        s.playlists().create_for_user(&me, "old paths")
    );
    fails!(
        cov,
        "create-playlist-for-user",
        bare.playlists().create_for_user(&me, "x"),
        Error::Forbidden { .. }
    );
    let pid = created.id.clone().expect("id");
    ok!(cov, "get-list-users-playlists", s.playlists().of_user(&me));
    status!(
        cov,
        "get-list-users-playlists",
        s.playlists()
            .of_user(&UserId::parse("nobody-here-at-all").unwrap()),
        400 | 404
    );
    let items = [
        PlayableUri::Track(tid.clone()),
        PlayableUri::Episode(ids.episode.clone()),
    ];
    ok!(
        cov,
        "add-tracks-to-playlist",
        s.playlists().add_tracks(&pid, &items)
    );
    fails!(
        cov,
        "add-tracks-to-playlist",
        bare.playlists().add_tracks(&pid, &items),
        Error::Forbidden { .. }
    );
    ok!(cov, "get-playlists-tracks", s.playlists().tracks(&pid));
    status!(
        cov,
        "get-playlists-tracks",
        s.playlists().tracks(&PlaylistId::parse(UNKNOWN).unwrap()),
        400 | 404
    );
    ok!(
        cov,
        "reorder-or-replace-playlists-tracks",
        s.playlists().reorder_tracks(&pid, 1, 0)
    );
    status!(
        cov,
        "reorder-or-replace-playlists-tracks",
        s.playlists().reorder_tracks(&pid, 10, 0),
        400
    );
    ok!(
        cov,
        "remove-tracks-playlist",
        s.playlists().remove_tracks(&pid, &items[..1])
    );
    fails!(
        cov,
        "remove-tracks-playlist",
        bare.playlists().remove_tracks(&pid, &items),
        Error::Forbidden { .. }
    );
    ok!(
        cov,
        "follow-playlist",
        s.users().follow_playlist(&pid).public(false)
    );
    fails!(
        cov,
        "follow-playlist",
        bare.users().follow_playlist(&pid),
        Error::Forbidden { .. }
    );
    assert_eq!(
        ok!(
            cov,
            "check-if-user-follows-playlist",
            s.users().follows_playlist(&pid, &me)
        ),
        vec![true]
    );
    status!(
        cov,
        "check-if-user-follows-playlist",
        s.users()
            .follows_playlist(&PlaylistId::parse(UNKNOWN).unwrap(), &me),
        400 | 404
    );
    ok!(cov, "unfollow-playlist", s.users().unfollow_playlist(&pid));
    fails!(
        cov,
        "unfollow-playlist",
        bare.users().unfollow_playlist(&pid),
        Error::Forbidden { .. }
    );

    // Browse.
    ok!(
        cov,
        "get-featured-playlists",
        s.playlists().featured().limit(5)
    );
    status!(
        cov,
        "get-featured-playlists",
        s.playlists().featured().limit(51),
        400
    );
    let cats = ok!(cov, "get-categories", s.categories().list().limit(5));
    status!(cov, "get-categories", s.categories().list().limit(51), 400);
    let cats = serde_json::to_value(&cats).unwrap();
    let cat = CategoryId::new(str_at(&cats, "/categories/items/0/id"));
    ok!(cov, "get-a-category", s.categories().get(&cat));
    status!(
        cov,
        "get-a-category",
        s.categories().get(&CategoryId::new("no-such-category")),
        400 | 404
    );
    ok!(
        cov,
        "get-a-categories-playlists",
        s.playlists().of_category(&cat)
    );
    status!(
        cov,
        "get-a-categories-playlists",
        s.playlists()
            .of_category(&CategoryId::new("no-such-category")),
        400 | 404
    );
    ok!(cov, "get-new-releases", s.albums().new_releases().limit(5));
    status!(
        cov,
        "get-new-releases",
        s.albums().new_releases().limit(51),
        400
    );
    ok!(cov, "get-available-markets", s.markets().list());
    fails!(
        cov,
        "get-available-markets",
        bogus(&sb).markets().list(),
        Error::Unauthorized { .. }
    );

    // Audio and recommendations.
    ok!(cov, "get-audio-features", s.tracks().audio_features(tid));
    status!(
        cov,
        "get-audio-features",
        s.tracks().audio_features(&unknown),
        400 | 404
    );
    ok!(
        cov,
        "get-several-audio-features",
        s.tracks().several_audio_features(tr)
    );
    raw_status(
        s.get::<Value>("audio-features", &[("ids", vec![tid.id(); 101].join(","))]),
        400,
    )
    .await;
    ok!(cov, "get-audio-analysis", s.tracks().audio_analysis(tid));
    status!(
        cov,
        "get-audio-analysis",
        s.tracks().audio_analysis(&unknown),
        400 | 404
    );
    let genres = ok!(cov, "get-recommendation-genres", s.genres().seeds());
    fails!(
        cov,
        "get-recommendation-genres",
        bogus(&sb).genres().seeds(),
        Error::Unauthorized { .. }
    );
    let genres = genres.genres;
    let genre = genres.first().map_or("pop", String::as_str);
    ok!(
        cov,
        "get-recommendations",
        s.tracks()
            .recommendations()
            .seed_genres(&[genre])
            .seed_tracks(tr)
            .limit(10)
            .tune("min_energy", 0.1)
    );
    // No seed at all is a bad request.
    status!(
        cov,
        "get-recommendations",
        s.tracks().recommendations().limit(10),
        400
    );
}
