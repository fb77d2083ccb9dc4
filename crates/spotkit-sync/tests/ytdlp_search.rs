//! The real yt-dlp, run as `spotkit sync --source youtube` runs it for a search
//! (`--dump-json --flat-playlist`), on a feed served over loopback: in a resident worker and as a
//! process of its own, with the same candidates both ways, and in the worker without starting
//! yt-dlp again.
//!
//! The feed is designed: hand-written RSS 2.0 with audio enclosures, the shape of a podcast
//! feed. yt-dlp's generic extractor reads it as a playlist, the way its YouTube extractor reads
//! a `ytsearch8:` page, and YouTube cannot be reached from a test.
//!
//! Skipped, saying why, without yt-dlp (`common::ytdlp`); `scripts/test` installs it.

use axum::http::header;
use axum::routing::get;
use spotkit_sync::ytdlp::YtDlp;

mod common;
use common::ytdlp;

/// The designed feed; `{base}` is the server's address.
const FEED: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel>
<title>Mira Vale - The Lighthouse</title><link>{base}/</link>
<item><title>Mira Vale - The Lighthouse</title><link>{base}/a.wav</link>
<enclosure url="{base}/a.wav" type="audio/wav" length="88244"/><guid>a</guid></item>
<item><title>Mira Vale - The Lighthouse (Live)</title><link>{base}/b.wav</link>
<enclosure url="{base}/b.wav" type="audio/wav" length="88244"/><guid>b</guid></item>
<item><title>The Lighthouse (Karaoke Version)</title><link>{base}/c.wav</link>
<enclosure url="{base}/c.wav" type="audio/wav" length="88244"/><guid>c</guid></item>
</channel></rss>
"#;

#[tokio::test]
async fn the_real_ytdlp_searches_in_a_resident_worker() {
    let Some(path) = ytdlp() else { return };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let feed = FEED.replace("{base}", &base);
    let app = axum::Router::new().route(
        "/search.xml",
        get(move || {
            let body = feed.clone();
            async move { ([(header::CONTENT_TYPE, "application/rss+xml")], body) }
        }),
    );
    tokio::spawn(async move { axum::serve(listener, app).await });
    let query = format!("{base}/search.xml");

    // A copy of the executable: the worker imports the same yt_dlp package (the copy keeps
    // its `#!` line), and the copy can be broken once the worker is up.
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("yt-dlp");
    std::fs::copy(&path, &copy).unwrap();
    let resident = YtDlp::locate(Some(&copy)).await.unwrap();
    if !resident.has_resident_workers() {
        assert!(
            std::env::var_os("SPOTKIT_YTDLP").is_none(),
            "scripts/setup.d/20-sync.sh installs yt-dlp with pip, a Python script that can have workers: {path:?}"
        );
        println!("SKIPPED: {path:?} is not a Python script or zipapp, so it runs no workers");
        return;
    }
    let processes = YtDlp::locate(Some(&path))
        .await
        .unwrap()
        .one_process_per_call();

    let by_process = processes.search(&query, 8).await.unwrap();
    let titles: Vec<&str> = by_process.iter().map(|c| c.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Mira Vale - The Lighthouse",
            "Mira Vale - The Lighthouse (Live)",
            "The Lighthouse (Karaoke Version)"
        ]
    );
    assert!(by_process[0].url.starts_with(&format!("{base}/a.wav")));
    assert_eq!(resident.search(&query, 8).await.unwrap(), by_process);
    assert_eq!(resident.search(&query, 2).await.unwrap(), by_process[..2]);

    // The worker is up: a search that started yt-dlp again would run this and fail.
    std::fs::write(
        &copy,
        "#!/bin/sh\necho 'ERROR: started again' >&2\nexit 3\n",
    )
    .unwrap();
    assert_eq!(resident.search(&query, 8).await.unwrap(), by_process);
    // yt-dlp's own errors come back from the worker as they do from a process.
    let missing = resident
        .search(&format!("{base}/gone.xml"), 8)
        .await
        .unwrap_err();
    assert!(missing.message.contains("404"), "{}", missing.message);
    assert!(
        !missing.message.contains("started again"),
        "{}",
        missing.message
    );
}
