//! The LRCLIB client against designed local servers: the signature look-up first, the search
//! when it finds nothing, the choice among search results, the request shape (query, User-Agent)
//! and what errors say.

use std::sync::{Arc, Mutex};

use axum::http::{HeaderMap, StatusCode};
use axum::routing::get;
use serde_json::{Value, json};
use spotkit_sync::lyrics::lrclib::{Lrclib, LyricsError, Query, USER_AGENT};

/// What the server saw: (path, query string, User-Agent).
type Seen = Arc<Mutex<Vec<(String, String, String)>>>;

/// A server answering `/api/get` and `/api/search` with the given status and JSON; the
/// server's task ends with the test's runtime.
async fn server(get_answer: (u16, Value), search_answer: (u16, Value)) -> (url::Url, Seen) {
    let seen: Seen = Arc::default();
    let handler = |answer: (u16, Value), seen: Seen| {
        move |uri: axum::http::Uri, headers: HeaderMap| {
            let answer = answer.clone();
            async move {
                seen.lock().unwrap().push((
                    uri.path().to_owned(),
                    uri.query().unwrap_or_default().to_owned(),
                    headers
                        .get("user-agent")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or_default()
                        .to_owned(),
                ));
                (
                    StatusCode::from_u16(answer.0).unwrap(),
                    axum::Json(answer.1),
                )
            }
        }
    };
    let app = axum::Router::new()
        .route("/lrc/api/get", get(handler(get_answer, seen.clone())))
        .route("/lrc/api/search", get(handler(search_answer, seen.clone())));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    // A base with a path and a trailing slash, as a user may write it.
    (
        url::Url::parse(&format!("http://{addr}/lrc/")).unwrap(),
        seen,
    )
}

fn record(id: u64, duration: f64, synced: Option<&str>, plain: Option<&str>) -> Value {
    json!({
        "id": id, "trackName": "Paper Lanterns", "artistName": "The Velvet Foxes",
        "albumName": "Low Tide", "duration": duration, "instrumental": synced.is_none() && plain.is_none(),
        "plainLyrics": plain, "syncedLyrics": synced,
    })
}

const QUERY: Query<'static> = Query {
    title: "Paper Lanterns",
    artist: "The Velvet Foxes",
    album: "Low Tide & Co",
    duration_secs: 214.6,
};

fn not_found() -> (u16, Value) {
    (
        404,
        json!({"code": 404, "name": "TrackNotFound", "message": "Failed to find specified track"}),
    )
}

#[tokio::test]
async fn the_signature_comes_first_and_says_who_asks() {
    let (base, seen) = server(
        (
            200,
            record(1, 215.0, Some("[00:01.00] light"), Some("light")),
        ),
        (200, json!([])),
    )
    .await;
    let lrclib = Lrclib::new(spotkit::http::client().unwrap(), &base);
    let found = lrclib.find(&QUERY).await.unwrap().unwrap();
    assert_eq!(found.id, 1);
    assert_eq!(found.synced_lyrics.as_deref(), Some("[00:01.00] light"));
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 1, "no search after a hit: {seen:?}");
    let (path, query, agent) = &seen[0];
    assert_eq!(path, "/lrc/api/get");
    assert_eq!(
        query,
        "artist_name=The+Velvet+Foxes&track_name=Paper+Lanterns&album_name=Low+Tide+%26+Co&duration=215"
    );
    assert_eq!(agent, USER_AGENT);
    assert!(agent.starts_with("spotkit/") && agent.contains("https://"));
}

#[tokio::test]
async fn a_404_falls_back_to_the_search_which_keeps_to_two_seconds() {
    let results = json!([
        record(10, 240.0, Some("[00:01.00] live"), Some("live")), // 25 s off: a live cut
        record(11, 216.0, None, Some("plain")),                   // plain only
        record(12, 213.0, Some("[00:01.00] far"), Some("far")),   // synced, 1.6 s off
        record(13, 214.0, Some("[00:01.00] near"), Some("near")), // synced, 0.6 s off
    ]);
    let (base, seen) = server(not_found(), (200, results)).await;
    let lrclib = Lrclib::new(spotkit::http::client().unwrap(), &base);
    let found = lrclib.find(&QUERY).await.unwrap().unwrap();
    assert_eq!(found.id, 13);
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[1].0, "/lrc/api/search");
    assert_eq!(
        seen[1].1,
        "track_name=Paper+Lanterns&artist_name=The+Velvet+Foxes"
    );
}

#[tokio::test]
async fn nothing_within_two_seconds_or_nothing_at_all_is_no_lyrics() {
    let (base, _) = server(
        not_found(),
        (
            200,
            json!([record(10, 240.0, Some("[00:01.00] live"), None)]),
        ),
    )
    .await;
    let lrclib = Lrclib::new(spotkit::http::client().unwrap(), &base);
    assert_eq!(lrclib.find(&QUERY).await.unwrap(), None);
    let (base, _) = server(not_found(), not_found()).await;
    let lrclib = Lrclib::new(spotkit::http::client().unwrap(), &base);
    assert_eq!(lrclib.find(&QUERY).await.unwrap(), None);
}

#[tokio::test]
async fn errors_say_what_happened_and_whether_to_retry() {
    let (base, _) = server((503, json!({"message": "busy"})), (200, json!([]))).await;
    let lrclib = Lrclib::new(spotkit::http::client().unwrap(), &base);
    let e = lrclib.find(&QUERY).await.unwrap_err();
    assert!(matches!(e, LyricsError::Status { status: 503, .. }), "{e}");
    assert!(e.transient());
    assert!(e.to_string().contains("--no-lyrics"), "{e}");

    let (base, _) = server((200, json!({"not": "a record"})), (200, json!([]))).await;
    let lrclib = Lrclib::new(spotkit::http::client().unwrap(), &base);
    let e = lrclib.find(&QUERY).await.unwrap_err();
    assert!(matches!(e, LyricsError::Body { .. }), "{e}");
    assert!(!e.transient());

    // Nothing listens on port 9 of loopback.
    let lrclib = Lrclib::new(
        spotkit::http::client().unwrap(),
        &url::Url::parse("http://127.0.0.1:9").unwrap(),
    );
    let e = lrclib.find(&QUERY).await.unwrap_err();
    assert!(matches!(e, LyricsError::Network { .. }), "{e}");
    assert!(e.transient());
    assert!(e.to_string().contains("could not be reached"), "{e}");
}
