//! Playlist and library writes through the client against the sandbox (issue 5, acceptance 3):
//! chunking to the API's per-request maximum with order kept, and Spotify's `snapshot_id`
//! semantics for reorders and removals.

mod common;

use serde_json::Value;
use spotkit::Spotify;
use spotkit::model::{PlayableUri, PlaylistId, SpotifyUri, TrackId};
use spotkit_sandbox::{Mode, RunningSandbox, Sandbox};

use common::{builder, control_get, control_post, count, token_of};

const WRITE_SCOPES: &[&str] = &[
    "user-library-read",
    "user-library-modify",
    "playlist-read-private",
    "playlist-modify-private",
    "playlist-modify-public",
];

async fn start(liked: usize) -> (RunningSandbox, Spotify) {
    let sb = Sandbox::builder()
        .seed(11)
        .liked(liked)
        .mode(Mode::Dev)
        .start()
        .await
        .unwrap();
    let issued = sb.token("demo", WRITE_SCOPES).await.unwrap();
    let spotify = builder(&sb).token(token_of(&issued)).build().unwrap();
    (sb, spotify)
}

/// The demo user's liked tracks, as many distinct track ids as the sandbox was seeded with.
async fn liked_ids(spotify: &Spotify) -> Vec<TrackId> {
    let saved = spotify.tracks().saved().limit(50).all().await.unwrap();
    let ids: Vec<TrackId> = saved
        .iter()
        .map(|s| {
            let v = serde_json::to_value(s).unwrap();
            TrackId::parse(v["track"]["id"].as_str().expect("saved track id")).unwrap()
        })
        .collect();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(
        unique.len(),
        ids.len(),
        "the seed library has distinct tracks"
    );
    ids
}

/// The URIs of a playlist's entries, in order.
async fn playlist_uris(spotify: &Spotify, id: &PlaylistId) -> Vec<String> {
    spotify
        .playlists()
        .items(id)
        .limit(50)
        .all()
        .await
        .unwrap()
        .iter()
        .map(|e| {
            let v = serde_json::to_value(e).unwrap();
            let item = if v["item"].is_object() {
                &v["item"]
            } else {
                &v["track"]
            };
            item["uri"].as_str().expect("entry uri").to_owned()
        })
        .collect()
}

async fn reset_stats(sb: &RunningSandbox) {
    control_post(sb, "reset-stats", &Value::Null).await;
}

/// Moves `len` items from `start` to before `before` in `v`, the way Spotify documents it.
fn reorder<T: Clone>(v: &[T], start: usize, len: usize, before: usize) -> Vec<T> {
    let moving: Vec<T> = v[start..start + len].to_vec();
    let mut out: Vec<T> = v[..start].to_vec();
    out.extend_from_slice(&v[start + len..]);
    let at = if before > start { before - len } else { before };
    out.splice(at..at, moving);
    out
}

#[tokio::test]
async fn playlist_round_trip_keeps_order_and_snapshot_semantics() {
    let (sb, spotify) = start(300).await;
    let tracks = liked_ids(&spotify).await;
    let uris: Vec<PlayableUri> = tracks[..250]
        .iter()
        .cloned()
        .map(PlayableUri::Track)
        .collect();
    let mut expected: Vec<String> = uris.iter().map(PlayableUri::uri).collect();

    let created = spotify
        .playlists()
        .create("round trip")
        .public(false)
        .send()
        .await
        .unwrap();
    let id = created.id.clone().unwrap();
    let first_snapshot = created.snapshot_id.clone();

    // 250 items: three requests (100, 100, 50), in order, one final snapshot.
    reset_stats(&sb).await;
    let after_add = spotify
        .playlists()
        .add_items(&id, &uris)
        .send()
        .await
        .unwrap();
    assert_ne!(after_add, first_snapshot, "a write makes a new snapshot");
    let stats = control_get(&sb, "stats").await;
    assert_eq!(
        count(&stats, "POST /v1/playlists/{playlist_id}/items", 201),
        3
    );
    assert_eq!(playlist_uris(&spotify, &id).await, expected);

    // Reorder without a snapshot: items 0..2 go before item 10.
    let s1 = spotify
        .playlists()
        .reorder_items(&id, 0, 10)
        .range_length(2)
        .send()
        .await
        .unwrap();
    assert_ne!(s1, after_add);
    expected = reorder(&expected, 0, 2, 10);
    assert_eq!(playlist_uris(&spotify, &id).await, expected);

    // Moving to the end (insert_before = length).
    let s2 = spotify
        .playlists()
        .reorder_items(&id, 5, 250)
        .send()
        .await
        .unwrap();
    expected = reorder(&expected, 5, 1, 250);
    assert_eq!(playlist_uris(&spotify, &id).await, expected);

    // With the current snapshot: positions as they are now.
    let s3 = spotify
        .playlists()
        .reorder_items(&id, 200, 0)
        .range_length(3)
        .snapshot_id(s2.clone())
        .send()
        .await
        .unwrap();
    expected = reorder(&expected, 200, 3, 0);
    assert_eq!(playlist_uris(&spotify, &id).await, expected);

    // With an older snapshot: positions are read in *that* version and the same items move
    // in the current one (Spotify applies snapshot-relative edits).
    let at_s1 = reorder(&expected_at(&uris), 0, 2, 10);
    let moving = at_s1[100].clone();
    let anchor = at_s1[20].clone();
    let s4 = spotify
        .playlists()
        .reorder_items(&id, 100, 20)
        .snapshot_id(s1.clone())
        .send()
        .await
        .unwrap();
    assert_ne!(s4, s3);
    let now = playlist_uris(&spotify, &id).await;
    let from = expected.iter().position(|u| *u == moving).unwrap();
    expected.remove(from);
    let to = expected.iter().position(|u| *u == anchor).unwrap();
    expected.insert(to, moving);
    assert_eq!(now, expected);

    // A snapshot of no version of this playlist is refused, and nothing changes.
    let err = spotify
        .playlists()
        .reorder_items(&id, 0, 3)
        .snapshot_id("bm90LWEtc25hcHNob3Q=")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(400), "{err}");
    // Out of range.
    let err = spotify
        .playlists()
        .reorder_items(&id, 249, 0)
        .range_length(5)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(400), "{err}");
    assert_eq!(playlist_uris(&spotify, &id).await, expected);

    // Remove 120 items (two requests): every occurrence goes, the rest keep their order.
    let doomed: Vec<PlayableUri> = uris.iter().step_by(2).take(120).cloned().collect();
    let doomed_uris: Vec<String> = doomed.iter().map(PlayableUri::uri).collect();
    reset_stats(&sb).await;
    let s5 = spotify
        .playlists()
        .remove_items(&id, &doomed)
        .snapshot_id(s4.clone())
        .send()
        .await
        .unwrap();
    assert_ne!(s5, s4);
    let stats = control_get(&sb, "stats").await;
    assert_eq!(
        count(&stats, "DELETE /v1/playlists/{playlist_id}/items", 200),
        2
    );
    expected.retain(|u| !doomed_uris.contains(u));
    assert_eq!(playlist_uris(&spotify, &id).await, expected);
    assert_eq!(expected.len(), 130);

    // The playlist object reports the last snapshot.
    let read = spotify.playlists().get(&id).send().await.unwrap();
    assert_eq!(read.snapshot_id, s5);
}

/// The initial order of `uris` as strings.
fn expected_at(uris: &[PlayableUri]) -> Vec<String> {
    uris.iter().map(PlayableUri::uri).collect()
}

#[tokio::test]
async fn adding_at_a_position_keeps_chunks_in_order() {
    let (sb, spotify) = start(300).await;
    let tracks = liked_ids(&spotify).await;
    let created = spotify
        .playlists()
        .create("positions")
        .send()
        .await
        .unwrap();
    let id = created.id.clone().unwrap();
    let head: Vec<PlayableUri> = tracks[..20]
        .iter()
        .cloned()
        .map(PlayableUri::Track)
        .collect();
    spotify
        .playlists()
        .add_items(&id, &head)
        .send()
        .await
        .unwrap();
    // 250 items inserted at 10: chunks land at 10, 110, 210.
    let middle: Vec<PlayableUri> = tracks[20..270]
        .iter()
        .cloned()
        .map(PlayableUri::Track)
        .collect();
    reset_stats(&sb).await;
    spotify
        .playlists()
        .add_items(&id, &middle)
        .position(10)
        .send()
        .await
        .unwrap();
    let stats = control_get(&sb, "stats").await;
    assert_eq!(
        count(&stats, "POST /v1/playlists/{playlist_id}/items", 201),
        3
    );
    let mut expected: Vec<String> = head[..10].iter().map(PlayableUri::uri).collect();
    expected.extend(middle.iter().map(PlayableUri::uri));
    expected.extend(head[10..].iter().map(PlayableUri::uri));
    assert_eq!(playlist_uris(&spotify, &id).await, expected);

    // Replacing with 150 items: one replace and one append, order kept.
    let replacement: Vec<PlayableUri> = tracks[100..250]
        .iter()
        .cloned()
        .map(PlayableUri::Track)
        .collect();
    spotify
        .playlists()
        .replace_items(&id, &replacement)
        .send()
        .await
        .unwrap();
    let expected: Vec<String> = replacement.iter().map(PlayableUri::uri).collect();
    assert_eq!(playlist_uris(&spotify, &id).await, expected);

    // No items is a caller mistake, caught before any request.
    let err = spotify
        .playlists()
        .add_items(&id, &[])
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, spotkit::Error::InvalidInput(_)), "{err:?}");
}

#[tokio::test]
async fn library_writes_of_a_thousand_items_are_chunked_by_forty() {
    let (sb, spotify) = start(1000).await;
    let tracks = liked_ids(&spotify).await;
    assert_eq!(tracks.len(), 1000);
    let uris: Vec<SpotifyUri> = tracks.iter().cloned().map(SpotifyUri::Track).collect();

    reset_stats(&sb).await;
    spotify.library().remove(&uris).send().await.unwrap();
    let held = spotify.library().contains(&uris).send().await.unwrap();
    assert_eq!(held, vec![false; 1000]);
    spotify.library().save(&uris).send().await.unwrap();
    let held = spotify.library().contains(&uris).send().await.unwrap();
    assert_eq!(held, vec![true; 1000]);
    let stats = control_get(&sb, "stats").await;
    let per_route = |key: &str| -> u64 {
        stats["requests"][key]
            .as_object()
            .map_or(0, |m| m.values().filter_map(Value::as_u64).sum())
    };
    assert_eq!(per_route("DELETE /v1/me/library"), 25);
    assert_eq!(per_route("PUT /v1/me/library"), 25);
    assert_eq!(per_route("GET /v1/me/library/contains"), 50);
}
