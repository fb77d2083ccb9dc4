//! The YouTube Music client on designed answers (`fixtures/ytmusic`, written by hand): the parser
//! on odd shapes, and the HTTP side against a local server (request shape, errors).

use std::sync::{Arc, Mutex};

use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use serde_json::Value;
use spotkit_sync::ytmusic::{Filter, Kind, SearchError, YtMusic, parse};

fn fixture(name: &str) -> Value {
    let path = format!(
        "{}/tests/fixtures/ytmusic/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

#[test]
fn odd_rows_are_read_or_skipped() {
    let rows = parse::rows(&fixture("odd-rows.json"), Kind::Song).unwrap();
    let ids: Vec<&str> = rows.iter().map(|r| r.video_id.as_str()).collect();
    // The artist card (no video id) and the untitled row are skipped.
    assert_eq!(ids, ["dsgnd000001", "dsgnd000002", "dsgnd000003"]);
    assert_eq!(rows[0].artists, ["The Velvet Foxes", "Mira Sol"]);
    assert_eq!(rows[0].album.as_deref(), Some("Night Market"));
    assert_eq!(rows[0].duration, Some(221.0));
    assert_eq!(rows[0].kind, Kind::Song);
    assert!(!rows[0].explicit);
    // The id from the title's link when the row has no playlistItemData.
    assert!(rows[1].explicit);
    // No video type: the filter's kind; the length from the fixed column.
    assert_eq!(rows[2].kind, Kind::Song);
    assert_eq!(rows[2].duration, Some(3723.0));
    assert_eq!(rows[2].music_video_type, None);
}

#[test]
fn unfiltered_rows_say_their_type() {
    let rows = parse::rows(&fixture("unfiltered.json"), Kind::Video).unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].kind, Kind::Song);
    assert_eq!(rows[0].artists, ["The Velvet Foxes"]);
    assert_eq!(rows[1].kind, Kind::Video);
    assert!(rows[1].artists.is_empty());
    assert_eq!(rows[1].channel.as_deref(), Some("Harbor Tapes"));
    assert_eq!(rows[1].duration, Some(230.0));
    let c = rows[1].to_candidate();
    assert_eq!(c.url, "https://www.youtube.com/watch?v=dsgnd000012");
    assert!(!c.official, "an upload on a user channel is not official");
    assert!(rows[0].to_candidate().official);
}

#[test]
fn continuations_empty_pages_and_strangers() {
    let rows = parse::rows(&fixture("continuation.json"), Kind::Song).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].kind, Kind::Video, "MUSIC_VIDEO_TYPE_OMV");
    assert_eq!(rows[0].duration, Some(182.0));
    assert!(
        parse::rows(&fixture("no-results.json"), Kind::Song)
            .unwrap()
            .is_empty()
    );
    let err = parse::rows(&fixture("not-a-search.json"), Kind::Song).unwrap_err();
    assert!(err.to_string().contains("cannot read"), "{err}");
    assert!(parse::rows(&Value::Null, Kind::Song).is_err());
    assert!(parse::rows(&serde_json::json!({"contents": []}), Kind::Song).is_err());
}

/// What the designed server saw of one search request: headers, JSON body, query string.
type Seen = Arc<Mutex<Vec<(HeaderMap, Value, String)>>>;

/// A designed server: a home page with a `ytcfg`, and a search that answers `status` with
/// `body`; every search request is kept.
async fn server(status: u16, body: &'static str) -> (url::Url, Seen) {
    let seen: Seen = Arc::default();
    let log = seen.clone();
    let app = axum::Router::new()
        .route(
            "/",
            get(|| async {
                r#"<html><script>ytcfg.set({"INNERTUBE_CLIENT_VERSION":"1.20990101.00.00","VISITOR_DATA":"Cgdlc2lnbmVk"});</script></html>"#
            }),
        )
        .route(
            "/youtubei/v1/search",
            post(
                move |uri: axum::http::Uri, headers: HeaderMap, request: String| async move {
                    log.lock().unwrap().push((
                        headers,
                        serde_json::from_str(&request).unwrap_or(Value::Null),
                        uri.query().unwrap_or_default().to_owned(),
                    ));
                    (StatusCode::from_u16(status).unwrap(), body)
                },
            ),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (url::Url::parse(&format!("http://{addr}")).unwrap(), seen)
}

#[tokio::test]
async fn a_search_is_asked_like_the_web_app_asks_it() {
    let page = std::fs::read_to_string(format!(
        "{}/tests/fixtures/ytmusic/odd-rows.json",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let (base, seen) = server(200, page.leak()).await;
    let client = YtMusic::new(spotkit::http::client().unwrap(), base);
    let rows = client
        .search("The Velvet Foxes - Paper Lanterns", Filter::Songs)
        .await
        .unwrap();
    assert_eq!(rows.len(), 3);
    client.search("USAAA2100001", Filter::Videos).await.unwrap();
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 2);
    let (headers, body, query) = &seen[0];
    assert_eq!(query, "prettyPrint=false");
    assert_eq!(body["query"], "The Velvet Foxes - Paper Lanterns");
    assert_eq!(
        Filter::from_params(body["params"].as_str().unwrap()),
        Some(Filter::Songs)
    );
    assert_eq!(body["context"]["client"]["clientName"], "WEB_REMIX");
    // The version and visitor id of the home page's ytcfg, read once.
    assert_eq!(
        body["context"]["client"]["clientVersion"],
        "1.20990101.00.00"
    );
    assert_eq!(body["context"]["client"]["visitorData"], "Cgdlc2lnbmVk");
    assert_eq!(headers["x-goog-visitor-id"], "Cgdlc2lnbmVk");
    assert_eq!(headers["x-youtube-client-name"], "67");
    assert!(
        headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    assert_eq!(
        Filter::from_params(seen[1].1["params"].as_str().unwrap()),
        Some(Filter::Videos)
    );
}

#[tokio::test]
async fn failures_say_whether_a_retry_helps() {
    let http = spotkit::http::client().unwrap();
    for (status, body, transient, says) in [
        (429, "{}", true, "HTTP 429"),
        (503, "{}", true, "HTTP 503"),
        (400, "{}", false, "HTTP 400"),
        (200, "<html>not json</html>", false, "not JSON"),
        (
            200,
            r#"{"contents": {"somethingNew": {}}}"#,
            false,
            "cannot read",
        ),
    ] {
        let (base, _) = server(status, body).await;
        let err = YtMusic::new(http.clone(), base)
            .search("q", Filter::Songs)
            .await
            .unwrap_err();
        assert_eq!(err.is_transient(), transient, "{err}");
        assert!(err.to_string().contains(says), "{err}");
    }
    // Nobody listening: a network failure, worth a retry.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let err = YtMusic::new(http, url::Url::parse(&format!("http://{addr}")).unwrap())
        .search("q", Filter::Songs)
        .await
        .unwrap_err();
    assert!(matches!(err, SearchError::Network { .. }), "{err}");
    assert!(err.is_transient());
}
