//! Transport and paging behaviour where the exact requests matter, against wiremock.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use futures::TryStreamExt;
use serde_json::{Value, json};
use spotkit::http::RetryPolicy;
use spotkit::model::PlaylistId;
use spotkit::token::{AccessToken, MemoryStore, RefreshToken, Token, TokenStore};
use spotkit::{Error, PlaylistItemsEndpoint, Spotify};
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

fn fresh(access: &str) -> Token {
    Token::new(
        AccessToken::new(access),
        Some(RefreshToken::new("r1")),
        Some(Duration::from_secs(3600)),
        vec![],
    )
}

fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .base_delay(Duration::from_millis(5))
        .max_delay(Duration::from_millis(20))
}

fn client(server: &MockServer) -> Spotify {
    Spotify::builder()
        .api_base_url(format!("{}/v1", server.uri()))
        .accounts_base_url(server.uri())
        .pkce("app")
        .token(fresh("good"))
        .retry_policy(fast_retries())
        .build()
        .unwrap()
}

fn me() -> Value {
    json!({"id": "demo", "type": "user", "uri": "spotify:user:demo", "display_name": "Demo"})
}

async fn hits(server: &MockServer, p: &str) -> usize {
    server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.url.path() == p)
        .count()
}

#[tokio::test]
async fn sends_the_bearer_token_and_decodes() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/me"))
        .and(header("authorization", "Bearer good"))
        .respond_with(ResponseTemplate::new(200).set_body_json(me()))
        .expect(1)
        .mount(&server)
        .await;
    let user = client(&server).users().me().await.unwrap();
    assert_eq!(user.id.as_deref(), Some("demo"));
}

#[tokio::test]
async fn server_errors_are_retried_then_succeed() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/me"))
        .respond_with(
            ResponseTemplate::new(502)
                .set_body_json(json!({"error": {"status": 502, "message": "Bad gateway"}})),
        )
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(path("/v1/me"))
        .respond_with(ResponseTemplate::new(200).set_body_json(me()))
        .mount(&server)
        .await;
    client(&server).users().me().await.unwrap();
    assert_eq!(hits(&server, "/v1/me").await, 3);
}

#[tokio::test]
async fn persistent_server_errors_give_up_after_five_attempts() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/me"))
        .respond_with(
            ResponseTemplate::new(503)
                .set_body_json(json!({"error": {"status": 503, "message": "Service unavailable"}})),
        )
        .mount(&server)
        .await;
    let err = client(&server).users().me().await.unwrap_err();
    match err {
        Error::Api { status, message } => {
            assert_eq!(status, 503);
            assert_eq!(message, "Service unavailable");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(hits(&server, "/v1/me").await, 5);
}

#[tokio::test]
async fn short_retry_after_is_waited_out() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/me"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "1"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path("/v1/me"))
        .respond_with(ResponseTemplate::new(200).set_body_json(me()))
        .mount(&server)
        .await;
    client(&server).users().me().await.unwrap();
    assert_eq!(hits(&server, "/v1/me").await, 2);
}

#[tokio::test]
async fn long_retry_after_fails_at_once() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/me"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "86400"))
        .mount(&server)
        .await;
    let started = std::time::Instant::now();
    let err = client(&server).users().me().await.unwrap_err();
    assert!(
        matches!(err, Error::RateLimited { retry_after, .. } if retry_after == Duration::from_secs(86400)),
        "{err:?}"
    );
    assert_eq!(hits(&server, "/v1/me").await, 1);
    // Not a timing assertion on performance: a 24 h sleep would hang the test forever.
    assert!(started.elapsed() < Duration::from_secs(30));
}

/// Spotify's quota answer (July 2026 Web API changelog). No headers have been published for it:
/// without a `Retry-After`, a rate-limit policy would wait 1 s and send again, ten times over.
#[tokio::test]
async fn a_quota_answer_without_retry_after_is_not_retried() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/me"))
        .respond_with(ResponseTemplate::new(429).set_body_json(json!(
            {"error": {"status": 429, "message": "Too many requests", "reason": "QUOTA_EXCEEDED"}}
        )))
        .mount(&server)
        .await;
    let err = client(&server).users().me().await.unwrap_err();
    assert!(
        matches!(err, Error::QuotaExceeded { retry_after: None }),
        "{err:?}"
    );
    assert!(err.to_string().contains("did not say when"), "{err}");
    assert_eq!(hits(&server, "/v1/me").await, 1);
}

#[tokio::test]
async fn typed_client_errors_carry_spotifys_message() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/tracks/4iV5W9uYEdYUVa79Axb7Rh"))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_json(json!({"error": {"status": 404, "message": "Resource not found"}})),
        )
        .mount(&server)
        .await;
    Mock::given(path("/v1/me/top/tracks"))
        .respond_with(ResponseTemplate::new(403).set_body_json(
            json!({"error": {"status": 403, "message": "Insufficient client scope"}}),
        ))
        .mount(&server)
        .await;
    Mock::given(path("/v1/search"))
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_json(json!({"error": {"status": 400, "message": "Invalid limit"}})),
        )
        .mount(&server)
        .await;
    let spotify = client(&server);
    let id = spotkit::model::TrackId::parse("4iV5W9uYEdYUVa79Axb7Rh").unwrap();
    assert!(
        matches!(spotify.tracks().get(&id).await, Err(Error::NotFound { message }) if message == "Resource not found")
    );
    let err = spotify.users().top_tracks().send().await.unwrap_err();
    assert!(matches!(&err, Error::Forbidden { message } if message == "Insufficient client scope"));
    assert!(err.to_string().contains("scopes"));
    let err = spotify
        .search()
        .query("x", &[spotkit::api::search::SearchType::Track])
        .limit(99)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Api { status: 400, .. }));
    // Client errors are never retried.
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn bad_bodies_name_the_json_path() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/me/tracks"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"items": [], "total": "one"})),
        )
        .mount(&server)
        .await;
    let err = client(&server).tracks().saved().send().await.unwrap_err();
    match err {
        Error::Decode { path, .. } => assert_eq!(path, "total"),
        other => panic!("{other:?}"),
    }
}

/// Answers the token endpoint with a slow, counted refresh.
struct SlowToken;
impl Respond for SlowToken {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        ResponseTemplate::new(200)
            .set_delay(Duration::from_millis(300))
            .set_body_json(json!({"access_token": "renewed", "token_type": "Bearer", "expires_in": 3600, "refresh_token": "r2"}))
    }
}

#[tokio::test]
async fn expired_token_is_refreshed_once_for_many_tasks() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/token"))
        .respond_with(SlowToken)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/v1/me"))
        .and(header("authorization", "Bearer renewed"))
        .respond_with(ResponseTemplate::new(200).set_body_json(me()))
        .expect(50)
        .mount(&server)
        .await;
    let store = Arc::new(MemoryStore::new());
    // Expires within the 60 s skew (an hour-long token near its end, as a store hands it back:
    // only its expiry is known): renewed before use.
    let soon = Token::new(
        AccessToken::new("old"),
        Some(RefreshToken::new("r1")),
        None,
        vec![],
    )
    .with_expires_at(Some(SystemTime::now() + Duration::from_secs(30)));
    store.save("default", &soon).await.unwrap();
    let spotify = Spotify::builder()
        .api_base_url(format!("{}/v1", server.uri()))
        .accounts_base_url(server.uri())
        .pkce("app")
        .shared_token_store(store.clone(), "default")
        .build()
        .unwrap();
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let s = spotify.clone();
            tokio::spawn(async move { s.users().me().await })
        })
        .collect();
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    assert_eq!(
        store
            .load("default")
            .await
            .unwrap()
            .unwrap()
            .refresh_token()
            .unwrap()
            .secret(),
        "r2"
    );
}

#[tokio::test]
async fn a_401_refreshes_once_and_retries_once() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/token"))
        .respond_with(SlowToken)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/v1/me"))
        .and(header("authorization", "Bearer good"))
        .respond_with(ResponseTemplate::new(401).set_body_json(
            json!({"error": {"status": 401, "message": "The access token expired"}}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/v1/me"))
        .and(header("authorization", "Bearer renewed"))
        .respond_with(ResponseTemplate::new(200).set_body_json(me()))
        .expect(1)
        .mount(&server)
        .await;
    client(&server).users().me().await.unwrap();
}

#[tokio::test]
async fn a_second_401_is_unauthorized() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/token"))
        .respond_with(SlowToken)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/v1/me"))
        .respond_with(
            ResponseTemplate::new(401).set_body_json(
                json!({"error": {"status": 401, "message": "Invalid access token"}}),
            ),
        )
        .expect(2)
        .mount(&server)
        .await;
    let err = client(&server).users().me().await.unwrap_err();
    assert!(
        matches!(&err, Error::Unauthorized { message } if message == "Invalid access token"),
        "{err:?}"
    );
    assert!(err.needs_login());
}

fn page(items: &[u32], offset: u32, total: u32, next: Option<&str>) -> Value {
    json!({
        "items": items.iter().map(|i| json!({"added_at": format!("2026-01-01T00:00:{:02}Z", i % 60), "track": {"name": format!("song {i}")}})).collect::<Vec<_>>(),
        "offset": offset, "limit": 2, "total": total, "next": next,
    })
}

#[tokio::test]
async fn sequential_paging_stops_on_an_empty_page_even_with_next() {
    let server = MockServer::start().await;
    let base = format!("{}/v1/me/tracks", server.uri());
    Mock::given(path("/v1/me/tracks"))
        .and(query_param("offset", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(
            &[],
            2,
            9,
            Some(&format!("{base}?offset=4&limit=2")),
        )))
        .mount(&server)
        .await;
    Mock::given(path("/v1/me/tracks"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(
            &[0, 1],
            0,
            9,
            Some(&format!("{base}?offset=2&limit=2")),
        )))
        .mount(&server)
        .await;
    let items = client(&server)
        .tracks()
        .saved()
        .limit(2)
        .concurrency(1)
        .all()
        .await
        .unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(hits(&server, "/v1/me/tracks").await, 2);
}

/// Serves `/v1/me/tracks` pages of `total` numbered songs, slower for early pages so that
/// concurrent responses arrive out of order.
struct Library {
    base: String,
    total: u32,
}
impl Respond for Library {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let q: std::collections::HashMap<_, _> = req.url.query_pairs().into_owned().collect();
        let offset: u32 = q.get("offset").and_then(|v| v.parse().ok()).unwrap_or(0);
        let limit: u32 = q.get("limit").and_then(|v| v.parse().ok()).unwrap_or(20);
        let end = (offset + limit).min(self.total);
        let items: Vec<u32> = (offset..end).collect();
        let next = (end < self.total).then(|| format!("{}?offset={end}&limit={limit}", self.base));
        let mut body = page(&items, offset, self.total, next.as_deref());
        body["limit"] = limit.into();
        let delay = 5 * u64::from(self.total.saturating_sub(offset) / limit.max(1)).min(20);
        ResponseTemplate::new(200)
            .set_body_json(body)
            .set_delay(Duration::from_millis(delay))
    }
}

#[tokio::test]
async fn concurrent_paging_yields_in_order_and_equals_sequential() {
    let server = MockServer::start().await;
    let base = format!("{}/v1/me/tracks", server.uri());
    Mock::given(path("/v1/me/tracks"))
        .respond_with(Library { base, total: 95 })
        .mount(&server)
        .await;
    let spotify = client(&server);
    let name = |s: &spotkit::model::SavedTrack| s.track.name.clone();
    let seq: Vec<String> = spotify
        .tracks()
        .saved()
        .limit(10)
        .concurrency(1)
        .all()
        .await
        .unwrap()
        .iter()
        .map(name)
        .collect();
    let before = hits(&server, "/v1/me/tracks").await;
    let conc: Vec<String> = spotify
        .tracks()
        .saved()
        .limit(10)
        .concurrency(4)
        .stream()
        .map_ok(|s| name(&s))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(seq.len(), 95);
    assert_eq!(seq, conc);
    assert_eq!(seq[94], "song 94");
    assert_eq!(hits(&server, "/v1/me/tracks").await - before, 10);
    // Starting at an offset.
    let tail = spotify
        .tracks()
        .saved()
        .limit(10)
        .offset(83)
        .all()
        .await
        .unwrap();
    assert_eq!(
        tail.iter().map(name).collect::<Vec<_>>(),
        seq[83..].to_vec()
    );
}

#[tokio::test]
async fn paging_links_to_other_hosts_are_refused() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/me/tracks"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(
            &[0, 1],
            0,
            4,
            Some("https://evil.example/v1/me/tracks?offset=2"),
        )))
        .mount(&server)
        .await;
    let err = client(&server)
        .tracks()
        .saved()
        .concurrency(1)
        .all()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Config(_)), "{err:?}");
}

fn playlist_page() -> Value {
    json!({"items": [{"added_at": "2026-01-01T00:00:00Z", "item": {"type": "track", "name": "a"}}], "offset": 0, "limit": 50, "total": 1, "next": null})
}

#[tokio::test]
async fn playlist_items_fall_back_from_items_to_tracks_and_remember() {
    let server = MockServer::start().await;
    let id = PlaylistId::parse("37i9dQZF1DXcBWIGoYBM5M").unwrap();
    Mock::given(path(format!("/v1/playlists/{}/items", id.id())))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_json(json!({"error": {"status": 404, "message": "Not found"}})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path(format!("/v1/playlists/{}/tracks", id.id())))
        .respond_with(ResponseTemplate::new(200).set_body_json(playlist_page()))
        .expect(2)
        .mount(&server)
        .await;
    let spotify = client(&server);
    assert_eq!(spotify.playlists().items(&id).all().await.unwrap().len(), 1);
    assert_eq!(
        spotify.playlists().items(&id).send().await.unwrap().total,
        1
    );
}

#[tokio::test]
async fn playlist_items_prefer_items_and_respect_an_explicit_choice() {
    let server = MockServer::start().await;
    let id = PlaylistId::parse("37i9dQZF1DXcBWIGoYBM5M").unwrap();
    Mock::given(path(format!("/v1/playlists/{}/items", id.id())))
        .and(query_param("additional_types", "track,episode"))
        .respond_with(ResponseTemplate::new(200).set_body_json(playlist_page()))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path(format!("/v1/playlists/{}/tracks", id.id())))
        .respond_with(
            ResponseTemplate::new(403)
                .set_body_json(json!({"error": {"status": 403, "message": "Forbidden"}})),
        )
        .expect(1)
        .mount(&server)
        .await;
    use spotkit::api::AdditionalType::{Episode, Track};
    let spotify = client(&server);
    spotify
        .playlists()
        .items(&id)
        .additional_types([Track, Episode])
        .all()
        .await
        .unwrap();
    let fixed = Spotify::builder()
        .api_base_url(format!("{}/v1", server.uri()))
        .token(fresh("good"))
        .playlist_items_endpoint(PlaylistItemsEndpoint::Tracks)
        .build()
        .unwrap();
    assert!(matches!(
        fixed.playlists().items(&id).send().await,
        Err(Error::Forbidden { .. })
    ));
}

#[tokio::test]
async fn followed_artists_follow_cursors() {
    let server = MockServer::start().await;
    let base = format!("{}/v1/me/following", server.uri());
    Mock::given(path("/v1/me/following"))
        .and(query_param("after", "b"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"artists": {
            "items": [{"name": "C", "id": "c"}], "next": null, "cursors": {"after": null}, "limit": 2, "total": 3
        }})))
        .mount(&server)
        .await;
    Mock::given(path("/v1/me/following"))
        .and(query_param("type", "artist"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"artists": {
            "items": [{"name": "A", "id": "a"}, {"name": "B", "id": "b"}],
            "next": format!("{base}?type=artist&after=b&limit=2"), "cursors": {"after": "b"}, "limit": 2, "total": 3
        }})))
        .mount(&server)
        .await;
    let spotify = client(&server);
    let names: Vec<_> = spotify
        .users()
        .followed_artists()
        .limit(2)
        .all()
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.name)
        .collect();
    assert_eq!(names, ["A", "B", "C"]);
    let first = spotify.users().followed_artists().limit(2).await.unwrap();
    assert_eq!(first.after(), Some("b"));
}

#[tokio::test]
async fn governor_paces_requests() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/me"))
        .respond_with(ResponseTemplate::new(200).set_body_json(me()))
        .mount(&server)
        .await;
    let spotify = Spotify::builder()
        .api_base_url(format!("{}/v1", server.uri()))
        .token(fresh("good"))
        .rate_limit(Some(spotkit::http::RateLimit::new(
            3,
            Duration::from_millis(400),
        )))
        .build()
        .unwrap();
    let t0 = SystemTime::now();
    for _ in 0..3 {
        spotify.users().me().await.unwrap();
    }
    // Starts 0, 200, 400 ms: the third request cannot have started before 400 ms.
    assert!(t0.elapsed().unwrap() >= Duration::from_millis(400));
}
