//! The read endpoints, rate limiting and a whole-library fetch through a hostile network, against
//! the sandbox over real HTTP.

mod common;

use std::time::Duration;

use common::{builder, code_client, control_get, control_post, count, demo_catalog, pkce_client};
use serde_json::{Value, json};
use spotkit::api::search::SearchType;
use spotkit::api::{AdditionalType, TimeRange};
use spotkit::model::PlaylistId;
use spotkit::{Error, PlaylistItemsEndpoint, Spotify};
use spotkit_sandbox::{Mode, Sandbox};

#[tokio::test]
async fn every_read_endpoint_in_development_mode() {
    let sandbox = Sandbox::builder()
        .seed(21)
        .liked(130)
        .mode(Mode::Dev)
        .start()
        .await
        .unwrap();
    let catalog = demo_catalog(&sandbox).await;
    let (spotify, _) = pkce_client(&sandbox).await;

    let me = spotify.users().me().await.unwrap();
    assert_eq!(me.id.as_deref(), Some("demo"));

    let liked = spotify.tracks().saved().limit(50).all().await.unwrap();
    assert_eq!(liked.len() as u64, catalog["liked"].as_u64().unwrap());
    let first_track = &liked[0].track;
    let track_id = first_track.id.clone().unwrap();
    let track = spotify
        .tracks()
        .get(&track_id)
        .market("from_token")
        .await
        .unwrap();
    assert_eq!(track.name, first_track.name);

    let albums = spotify.albums().saved().all().await.unwrap();
    assert_eq!(albums.len() as u64, catalog["albums"].as_u64().unwrap());
    let album_id = albums[0].album.id.clone().unwrap();
    let album = spotify.albums().get(&album_id).await.unwrap();
    let album_tracks = spotify
        .albums()
        .tracks(&album_id)
        .limit(2)
        .all()
        .await
        .unwrap();
    assert_eq!(album_tracks.len() as u32, album.tracks.total);

    let artist_id = first_track.artists[0].id.clone().unwrap();
    let artist = spotify.artists().get(&artist_id).await.unwrap();
    assert_eq!(artist.id.as_deref(), Some(artist_id.id()));

    assert_eq!(
        spotify.shows().saved().all().await.unwrap().len() as u64,
        catalog["shows"].as_u64().unwrap()
    );
    assert_eq!(
        spotify.episodes().saved().all().await.unwrap().len() as u64,
        catalog["episodes"].as_u64().unwrap()
    );
    assert_eq!(
        spotify.audiobooks().saved().all().await.unwrap().len() as u64,
        catalog["audiobooks"].as_u64().unwrap()
    );
    let followed = spotify
        .users()
        .followed_artists()
        .limit(3)
        .all()
        .await
        .unwrap();
    assert_eq!(
        followed.len() as u64,
        catalog["followed_artists"].as_u64().unwrap()
    );

    spotify
        .users()
        .top_artists()
        .time_range(TimeRange::ShortTerm)
        .send()
        .await
        .unwrap();
    spotify.users().top_tracks().limit(10).all().await.unwrap();
    spotify
        .player()
        .recently_played()
        .limit(10)
        .all()
        .await
        .unwrap();

    let playlists = spotify.playlists().mine().limit(5).all().await.unwrap();
    let expected = catalog["playlists"].as_array().unwrap();
    assert_eq!(playlists.len(), expected.len());
    for (got, want) in playlists.iter().zip(expected) {
        assert_eq!(got.id.as_deref(), want["id"].as_str());
        let id = PlaylistId::parse(want["id"].as_str().unwrap()).unwrap();
        let result = spotify
            .playlists()
            .items(&id)
            .additional_types([AdditionalType::Track, AdditionalType::Episode])
            .limit(7)
            .all()
            .await;
        match result {
            Ok(entries) => {
                assert_eq!(
                    entries.len() as u64,
                    want["items"].as_u64().unwrap(),
                    "playlist {}",
                    want["id"]
                );
                // Development Mode: entries carry their track or episode under `item`.
                assert!(
                    entries
                        .iter()
                        .all(|e| e.item.is_some() || e.item().is_none())
                );
            }
            // Development Mode: only playlists the user owns or collaborates on.
            Err(Error::Forbidden { .. }) => {
                assert_ne!(want["owner"], "demo", "own playlist {} refused", want["id"]);
            }
            Err(e) => panic!("{e:?}"),
        }
    }
    let id = PlaylistId::parse(expected[0]["id"].as_str().unwrap()).unwrap();
    let playlist = spotify
        .playlists()
        .get(&id)
        .market("from_token")
        .await
        .unwrap();
    assert_eq!(playlist.id.as_deref(), Some(id.id()));
    let filtered = spotify.playlists().get(&id).fields("name").await.unwrap();
    assert!(!filtered.name.is_empty());
    assert!(filtered.id.is_none());

    let results = spotify
        .search()
        .query("a", &[SearchType::Track, SearchType::Artist])
        .limit(5)
        .await
        .unwrap();
    assert!(results.tracks.is_some() && results.artists.is_some());

    // Dev mode: /tracks answers 403, and the client only ever used /items.
    let stats = control_get(&sandbox, "stats").await;
    let owned = expected.iter().filter(|p| p["owner"] == "demo").count() as u64;
    assert!(
        count(&stats, "GET /v1/playlists/{playlist_id}/items", 200) >= owned,
        "{stats}"
    );
}

#[tokio::test]
async fn playlist_entries_in_extended_mode() {
    let sandbox = Sandbox::builder()
        .seed(22)
        .liked(10)
        .mode(Mode::Extended)
        .start()
        .await
        .unwrap();
    let catalog = demo_catalog(&sandbox).await;
    let spotify = code_client(&sandbox).await;
    let playlists = catalog["playlists"].as_array().unwrap();
    for want in playlists.iter().take(3) {
        let id = PlaylistId::parse(want["id"].as_str().unwrap()).unwrap();
        let entries = spotify.playlists().items(&id).all().await.unwrap();
        assert_eq!(entries.len() as u64, want["items"].as_u64().unwrap());
        assert!(
            entries
                .iter()
                .all(|e| e.track.is_some() || e.item().is_none()),
            "extended shape carries `track`"
        );
    }
    // An explicit choice of the old path never touches /items.
    let id = PlaylistId::parse(playlists[0]["id"].as_str().unwrap()).unwrap();
    let issued = sandbox.token("demo", common::LIBRARY_SCOPES).await.unwrap();
    let fixed = builder(&sandbox)
        .token(common::token_of(&issued))
        .playlist_items_endpoint(PlaylistItemsEndpoint::Tracks)
        .build()
        .unwrap();
    control_post(&sandbox, "reset-stats", &json!({})).await;
    fixed.playlists().items(&id).send().await.unwrap();
    let stats = control_get(&sandbox, "stats").await;
    assert_eq!(
        count(&stats, "GET /v1/playlists/{playlist_id}/tracks", 200),
        1,
        "{stats}"
    );
    assert!(
        !stats["requests"]
            .as_object()
            .unwrap()
            .keys()
            .any(|k| k.ends_with("/items")),
        "{stats}"
    );
}

/// Extended mode: `/items` answers only for playlists the user owns or collaborates on (403 for
/// the others, per the OpenAPI definition's note), `/tracks` for all. One client reading an own
/// playlist and then a followed one of another user gets both: an `/items` that worked once must
/// not stop the fallback to `/tracks` for the next playlist.
#[tokio::test]
async fn extended_mode_reads_own_then_followed_playlists() {
    let sandbox = Sandbox::builder()
        .seed(22)
        .liked(10)
        .mode(Mode::Extended)
        .start()
        .await
        .unwrap();
    let catalog = demo_catalog(&sandbox).await;
    let spotify = code_client(&sandbox).await;
    let mut playlists: Vec<&Value> = catalog["playlists"].as_array().unwrap().iter().collect();
    // The user's own playlists first, so `/items` has worked before a followed one comes.
    playlists.sort_by_key(|p| p["owner"] != "demo" && p["collaborative"] != true);
    assert!(playlists.first().is_some_and(|p| p["owner"] == "demo"));
    assert!(
        playlists
            .iter()
            .any(|p| p["owner"] != "demo" && p["collaborative"] != true),
        "the world needs a followed playlist of another user"
    );
    for want in playlists {
        let id = PlaylistId::parse(want["id"].as_str().unwrap()).unwrap();
        let entries = spotify.playlists().items(&id).all().await.unwrap();
        assert_eq!(
            entries.len() as u64,
            want["items"].as_u64().unwrap(),
            "{want}"
        );
    }
}

#[tokio::test]
async fn a_long_retry_after_is_rate_limited_at_once() {
    let sandbox = Sandbox::builder()
        .seed(23)
        .liked(10)
        .fail_429(1.0)
        .retry_after(Duration::from_secs(3600))
        .start()
        .await
        .unwrap();
    let (spotify, _) = pkce_client(&sandbox).await;
    let started = std::time::Instant::now();
    let err = spotify.tracks().saved().all().await.unwrap_err();
    assert!(
        matches!(err, Error::RateLimited { retry_after, waits: 0, over_cap: true, .. } if retry_after == Duration::from_secs(3600)),
        "{err:?}"
    );
    assert!(err.to_string().contains("asked to wait 1h 0m"), "{err}");
    // Not a performance check: a client that slept would hang here for an hour.
    assert!(started.elapsed() < Duration::from_secs(30));
    let stats = control_get(&sandbox, "stats").await;
    assert_eq!(count(&stats, "GET /v1/me/tracks", 429), 1, "{stats}");
}

/// Everything the demo user has, as JSON (through the models: what they keep).
async fn whole_library(spotify: &Spotify) -> Value {
    let liked = spotify.tracks().saved().limit(50).all().await.unwrap();
    let albums = spotify.albums().saved().limit(50).all().await.unwrap();
    let playlists = spotify.playlists().mine().limit(50).all().await.unwrap();
    let mut entries = Vec::new();
    for p in &playlists {
        let id = PlaylistId::parse(p.id.as_deref().unwrap()).unwrap();
        // Development Mode refuses entries of playlists the user only follows.
        match spotify.playlists().items(&id).limit(50).all().await {
            Ok(items) => entries.push(serde_json::to_value(items).unwrap()),
            Err(Error::Forbidden { .. }) => entries.push(Value::String("forbidden".into())),
            Err(e) => panic!("{e:?}"),
        }
    }
    let followed = spotify
        .users()
        .followed_artists()
        .limit(50)
        .all()
        .await
        .unwrap();
    serde_json::to_value(json!({
        "liked": liked, "albums": albums, "playlists": playlists, "entries": entries, "followed": followed,
    }))
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_whole_library_through_faults_equals_the_fault_free_fetch() {
    let sandbox = Sandbox::builder()
        .seed(25)
        .liked(1500)
        .playlists(10)
        .albums(120)
        .start()
        .await
        .unwrap();
    let (spotify, _) = pkce_client(&sandbox).await;
    let clean = whole_library(&spotify).await;
    assert_eq!(clean["liked"].as_array().unwrap().len(), 1500);

    control_post(
        &sandbox,
        "faults",
        &json!({"fail_5xx": 0.1, "fail_429": 0.05, "fail_reset": 0.02, "retry_after_secs": 1}),
    )
    .await;
    control_post(&sandbox, "reset-stats", &json!({})).await;
    let hostile = whole_library(&spotify).await;
    let stats = control_get(&sandbox, "stats").await;
    // The faults really happened...
    for kind in ["5xx", "429", "reset"] {
        assert!(
            stats["faults"][kind].as_u64().unwrap_or(0) > 0,
            "no {kind} injected: {stats}"
        );
    }
    // ...and changed nothing.
    assert!(
        clean == hostile,
        "the fetch under faults differs from the fault-free one"
    );
}

/// A caller that stops reading a concurrent walk stops it: no request starts after the stream is
/// dropped, and at most the first page and one window (`2 × concurrency` pages in flight or
/// buffered) were asked for.
#[tokio::test]
async fn dropping_a_walk_stops_its_requests() {
    use futures::StreamExt;
    let sandbox = Sandbox::builder()
        .seed(5)
        .liked(2000)
        .latency(Duration::from_millis(150))
        .start()
        .await
        .unwrap();
    let (spotify, _) = pkce_client(&sandbox).await;
    let mut stream = spotify.tracks().saved().limit(50).stream();
    // The 51st item is on the second page: the planned pages are in flight by then.
    for _ in 0..51 {
        stream.next().await.unwrap().unwrap();
    }
    drop(stream);
    let pages = || async {
        let stats = control_get(&sandbox, "stats").await;
        count(&stats, "GET /v1/me/tracks", 200)
    };
    tokio::time::sleep(Duration::from_millis(600)).await;
    let after_drop = pages().await;
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(pages().await, after_drop, "requests went on after the drop");
    assert!(
        (2..=17).contains(&after_drop),
        "{after_drop} pages asked for; 2000 songs are 40"
    );
}

/// The concurrency setting bounds the requests at the server, whatever the decoding does: the
/// sandbox's gauge of requests answered at once reaches the limit and never passes it.
#[tokio::test]
async fn a_walk_never_has_more_requests_in_flight_than_its_concurrency() {
    let sandbox = Sandbox::builder()
        .seed(6)
        .liked(1500)
        .latency(Duration::from_millis(40))
        .start()
        .await
        .unwrap();
    let (spotify, _) = pkce_client(&sandbox).await;
    for concurrency in [3, 8] {
        control_post(&sandbox, "reset-stats", &json!({})).await;
        let liked = spotify
            .tracks()
            .saved()
            .limit(50)
            .concurrency(concurrency)
            .all()
            .await
            .unwrap();
        assert_eq!(liked.len(), 1500);
        let stats = control_get(&sandbox, "stats").await;
        assert_eq!(
            stats["peak_in_flight"].as_u64(),
            Some(concurrency as u64),
            "{stats}"
        );
        assert_eq!(stats["in_flight"].as_u64(), Some(0), "{stats}");
    }
}
