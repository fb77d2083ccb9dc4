//! Search paging stops at Spotify's cap of 1000 results per type: the page that would reach past
//! it is cut to end there (the sandbox, like Spotify, refuses `offset + limit > 1000`), and an
//! offset at the cap is refused before any request is sent.

mod common;

use spotkit::Error;
use spotkit::api::search::{MAX_RESULTS, SearchType};
use spotkit_sandbox::Sandbox;

use common::{count, pkce_client};

#[tokio::test]
async fn search_pages_stop_at_the_thousandth_result() {
    let sandbox = Sandbox::builder().seed(43).liked(5).start().await.unwrap();
    let (spotify, _) = pkce_client(&sandbox).await;
    let last = spotify
        .search()
        .query("a", &[SearchType::Track])
        .offset(MAX_RESULTS - 5)
        .limit(10)
        .send()
        .await
        .unwrap();
    let tracks = last.tracks.expect("a tracks page");
    assert!(tracks.items.len() <= 5, "{}", tracks.items.len());
    let err = spotify
        .search()
        .query("a", &[SearchType::Track])
        .offset(MAX_RESULTS)
        .limit(1)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)), "{err:?}");
    assert!(err.to_string().contains("first 1000 results"), "{err}");
    let stats = serde_json::to_value(sandbox.stats()).unwrap();
    assert_eq!(count(&stats, "GET /v1/search", 200), 1);
    assert_eq!(count(&stats, "GET /v1/search", 400), 0);
}
