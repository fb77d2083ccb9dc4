//! Downloads of media files that are files already (catalogue entries): streamed to disk over
//! the run's HTTP client, in-process.
//!
//! yt-dlp is the downloader for YouTube, where extracting a stream is the hard part. A
//! catalogue entry's URL *is* the audio file, and starting yt-dlp for it costs about half a
//! second of Python CPU per track, the largest single cost of a sync on two cores (see the
//! `jobs` benchmark in the crate README).

use std::path::Path;

use futures::StreamExt;
use tokio::io::AsyncWriteExt;

use crate::ytdlp::ToolFailure;

/// Streams `url` into `out` (created or truncated). A failure says whether trying again may
/// help (network trouble, 429, 5xx) or not (a 4xx, a file that cannot be written).
pub async fn download(http: &reqwest::Client, url: &str, out: &Path) -> Result<(), ToolFailure> {
    let network = |e: reqwest::Error| ToolFailure {
        message: format!("cannot download {url}: {e}"),
        transient: true,
    };
    let response = http.get(url).send().await.map_err(network)?;
    let status = response.status();
    if !status.is_success() {
        return Err(ToolFailure {
            message: format!("{url} answered {status}"),
            transient: status.is_server_error() || status.as_u16() == 429,
        });
    }
    let disk = |e: std::io::Error| ToolFailure {
        message: format!("cannot write {}: {e}", out.display()),
        transient: false,
    };
    let mut file = tokio::fs::File::create(out).await.map_err(disk)?;
    let mut body = response.bytes_stream();
    while let Some(chunk) = body.next().await {
        file.write_all(&chunk.map_err(network)?)
            .await
            .map_err(disk)?;
    }
    file.flush().await.map_err(disk)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::Router;
    use axum::http::StatusCode;
    use axum::routing::get;

    async fn serve(app: Router) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await });
        format!("http://{addr}")
    }

    #[tokio::test]
    async fn streams_the_body_and_sorts_failures() {
        let base = serve(
            Router::new()
                .route("/a.wav", get(|| async { vec![7u8; 300_000] }))
                .route("/gone", get(|| async { StatusCode::NOT_FOUND }))
                .route("/busy", get(|| async { StatusCode::SERVICE_UNAVAILABLE })),
        )
        .await;
        let http = spotkit::http::client().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("a.part");
        download(&http, &format!("{base}/a.wav"), &out)
            .await
            .unwrap();
        assert_eq!(std::fs::read(&out).unwrap(), vec![7u8; 300_000]);
        let gone = download(&http, &format!("{base}/gone"), &out)
            .await
            .unwrap_err();
        assert!(
            !gone.transient && gone.message.contains("404"),
            "{}",
            gone.message
        );
        let busy = download(&http, &format!("{base}/busy"), &out)
            .await
            .unwrap_err();
        assert!(busy.transient, "{}", busy.message);
    }
}
