//! Downloads of media files that are files already (catalogue entries): streamed to disk over
//! the run's HTTP client, in-process.
//!
//! yt-dlp is the downloader for YouTube, where extracting a stream is the hard part. A
//! catalogue entry's URL *is* the audio file, and starting yt-dlp for it costs about half a
//! second of Python CPU per track, the largest single cost of a sync on two cores (see the
//! `jobs` benchmark in the crate README).
//!
//! What yt-dlp's generic extractor would have refused is refused here too: an error status, a
//! page instead of a file (an HTML login or error page answered with 200), a body that ends
//! before its `Content-Length`, or one that stalls. A failure removes what was written, so the
//! caller never converts half a file.

use std::path::Path;
use std::time::Duration;

use futures::StreamExt;
use tokio::io::AsyncWriteExt;

use crate::ytdlp::ToolFailure;

/// The largest file accepted: an hour of CD-quality WAV is about 635 MB. Anything bigger is not
/// one track.
pub const MAX_BYTES: u64 = 1 << 30;

/// How long the body may send nothing before the download counts as failed (yt-dlp is run with
/// `--socket-timeout 30`). The whole download has no time limit: large files on slow links
/// take what they take.
const STALL: Duration = Duration::from_secs(30);

/// Streams `url` into `out` (created or truncated). On failure `out` is removed, and the
/// failure says whether trying again may help (network trouble, a stall, a short body, 429,
/// 5xx) or not (another status, not an audio file, too large, a file that cannot be written).
pub async fn download(http: &reqwest::Client, url: &str, out: &Path) -> Result<(), ToolFailure> {
    download_capped(http, url, out, MAX_BYTES).await
}

async fn download_capped(
    http: &reqwest::Client,
    url: &str,
    out: &Path,
    max: u64,
) -> Result<(), ToolFailure> {
    let result = stream_to(http, url, out, max).await;
    if result.is_err() {
        let _ = std::fs::remove_file(out);
    }
    result
}

fn failure(message: String, transient: bool) -> ToolFailure {
    ToolFailure { message, transient }
}

/// A media type that is a document, not audio or video: a web page, an API's error object.
fn is_document(content_type: &str) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence.starts_with("text/")
        || essence.ends_with("/json")
        || essence.ends_with("+json")
        || essence.ends_with("/xml")
        || essence.ends_with("+xml")
}

async fn stream_to(
    http: &reqwest::Client,
    url: &str,
    out: &Path,
    max: u64,
) -> Result<(), ToolFailure> {
    let network = |e: reqwest::Error| failure(format!("cannot download {url}: {e}"), true);
    let response = http
        .get(url)
        // Replaces the run client's whole-request limit, which is sized for API calls.
        .timeout(Duration::from_secs(24 * 3600))
        .send()
        .await
        .map_err(network)?;
    let status = response.status();
    if !status.is_success() {
        return Err(failure(
            format!("{url} answered {status}"),
            status.is_server_error() || status.as_u16() == 429,
        ));
    }
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    if is_document(&content_type) {
        return Err(failure(
            format!(
                "{url} is not an audio file (it answered Content-Type: {content_type}); check the catalogue entry"
            ),
            false,
        ));
    }
    let expected = response.content_length();
    if let Some(len) = expected.filter(|len| *len > max) {
        return Err(failure(
            format!("{url} is {len} bytes, more than the {max} a track may have"),
            false,
        ));
    }
    let disk = |e: std::io::Error| failure(format!("cannot write {}: {e}", out.display()), false);
    let mut file = tokio::fs::File::create(out).await.map_err(disk)?;
    let mut body = response.bytes_stream();
    let mut written: u64 = 0;
    loop {
        let chunk = match tokio::time::timeout(STALL, body.next()).await {
            Ok(Some(chunk)) => chunk.map_err(network)?,
            Ok(None) => break,
            Err(_) => {
                return Err(failure(
                    format!(
                        "{url} sent nothing for {} s after {written} bytes",
                        STALL.as_secs()
                    ),
                    true,
                ));
            }
        };
        written += chunk.len() as u64;
        if written > max {
            return Err(failure(
                format!("{url} is more than the {max} bytes a track may have"),
                false,
            ));
        }
        file.write_all(&chunk).await.map_err(disk)?;
    }
    file.flush().await.map_err(disk)?;
    if let Some(len) = expected.filter(|len| *len != written) {
        return Err(failure(
            format!("{url} ended after {written} of {len} bytes"),
            true,
        ));
    }
    if written == 0 {
        return Err(failure(format!("{url} answered an empty file"), false));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::Router;
    use axum::http::{StatusCode, header};
    use axum::routing::get;
    use tokio::io::AsyncReadExt;

    async fn serve(app: Router) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await });
        format!("http://{addr}")
    }

    /// A server that answers every connection with `head` + `body` and closes it: for bodies
    /// that end before their `Content-Length`, which a well-behaved server never sends.
    async fn raw(head: &'static str, body: &'static [u8]) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            while let Ok((mut s, _)) = listener.accept().await {
                let mut buf = [0u8; 4096];
                let _ = s.read(&mut buf).await;
                let _ = s.write_all(head.as_bytes()).await;
                let _ = s.write_all(body).await;
                let _ = s.shutdown().await;
            }
        });
        format!("http://{addr}")
    }

    #[tokio::test]
    async fn streams_the_body_and_sorts_failures() {
        let base = serve(
            Router::new()
                .route(
                    "/a.wav",
                    get(|| async { ([(header::CONTENT_TYPE, "audio/wav")], vec![7u8; 300_000]) }),
                )
                .route("/gone", get(|| async { StatusCode::NOT_FOUND }))
                .route("/busy", get(|| async { StatusCode::SERVICE_UNAVAILABLE }))
                .route(
                    "/login",
                    get(|| async {
                        (
                            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                            "<html>Please sign in</html>",
                        )
                    }),
                )
                .route(
                    "/empty",
                    get(|| async { ([(header::CONTENT_TYPE, "audio/wav")], Vec::new()) }),
                ),
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

        // Nothing half-written stays behind: the earlier file at `out` is gone too.
        std::fs::write(&out, b"old").unwrap();
        let page = download(&http, &format!("{base}/login"), &out)
            .await
            .unwrap_err();
        assert!(
            !page.transient && page.message.contains("not an audio file"),
            "{}",
            page.message
        );
        assert!(!out.exists());
        let empty = download(&http, &format!("{base}/empty"), &out)
            .await
            .unwrap_err();
        assert!(
            !empty.transient && empty.message.contains("empty"),
            "{}",
            empty.message
        );
        assert!(!out.exists());

        // Larger than a track may be: by its Content-Length, before anything is written.
        let big = download_capped(&http, &format!("{base}/a.wav"), &out, 1000)
            .await
            .unwrap_err();
        assert!(
            !big.transient && big.message.contains("300000 bytes"),
            "{}",
            big.message
        );
        assert!(!out.exists());
    }

    #[tokio::test]
    async fn a_body_cut_short_is_a_transient_failure_and_leaves_nothing() {
        let http = spotkit::http::client().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("a.part");
        let short = raw(
            "HTTP/1.1 200 OK\r\nContent-Type: audio/wav\r\nContent-Length: 1000\r\nConnection: close\r\n\r\n",
            b"RIFF0123456789",
        )
        .await;
        let e = download(&http, &format!("{short}/a.wav"), &out)
            .await
            .unwrap_err();
        assert!(e.transient, "{}", e.message);
        assert!(!out.exists());

        // Without a Content-Length, the cap is checked as the body arrives.
        let no_length = raw(
            "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n\r\n",
            &[1u8; 5000],
        )
        .await;
        let e = download_capped(&http, &format!("{no_length}/a.wav"), &out, 1000)
            .await
            .unwrap_err();
        assert!(
            !e.transient && e.message.contains("more than"),
            "{}",
            e.message
        );
        assert!(!out.exists());
        download(&http, &format!("{no_length}/a.wav"), &out)
            .await
            .unwrap();
        assert_eq!(std::fs::read(&out).unwrap().len(), 5000);
    }

    #[test]
    fn documents_are_told_from_media() {
        for doc in [
            "text/html",
            "text/plain; charset=utf-8",
            "application/json",
            "application/problem+json",
            "Application/XML",
        ] {
            assert!(is_document(doc), "{doc}");
        }
        for media in [
            "audio/wav",
            "audio/mpeg",
            "video/mp4",
            "application/octet-stream",
            "application/ogg",
            "",
        ] {
            assert!(!is_document(media), "{media}");
        }
    }
}
