//! Issue #18 (Medium): half-sent and idle connections are closed, and there is a cap on open
//! connections; checked through real sockets against the served app.

mod common;

use std::time::{Duration, Instant};

use common::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

fn addr(server: &TestServer) -> String {
    server.url.trim_start_matches("http://").to_owned()
}

/// Waits up to `within` for the server to close `s`; returns how long it took.
async fn closed_within(s: &mut TcpStream, within: Duration) -> Option<Duration> {
    let start = Instant::now();
    let mut buf = [0u8; 1024];
    loop {
        match tokio::time::timeout_at((start + within).into(), s.read(&mut buf)).await {
            Err(_) => return None,
            Ok(Ok(0) | Err(_)) => return Some(start.elapsed()),
            // A 408 or similar before closing is fine.
            Ok(Ok(_)) => {}
        }
    }
}

async fn healthz(server: &TestServer) -> u16 {
    spotkit::http::client_builder()
        .unwrap()
        .timeout(Duration::from_secs(3))
        .build()
        .unwrap()
        .get(format!("{}/healthz", server.url))
        .send()
        .await
        .map_or(0, |r| r.status().as_u16())
}

#[tokio::test]
async fn idle_and_half_sent_connections_are_closed() {
    let sandbox = sandbox().await;
    let server = server_with(&sandbox, None, |c| {
        c.request_timeout_secs = 5;
        c.header_read_timeout_secs = 1;
        c.idle_timeout_secs = 2;
    })
    .await;
    // Silent from the start.
    let mut idle = TcpStream::connect(addr(&server)).await.unwrap();
    // Headers begun, never finished, one byte at a time (each byte resets no timer).
    let mut slow = TcpStream::connect(addr(&server)).await.unwrap();
    let trickle = tokio::spawn(async move {
        let start = Instant::now();
        for b in b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaa" {
            if slow.write_all(&[*b]).await.is_err() {
                return Some(start.elapsed());
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        closed_within(&mut slow, Duration::from_secs(4))
            .await
            .map(|d| d + start.elapsed())
    });
    // Kept alive after one request, then silent.
    let mut kept = TcpStream::connect(addr(&server)).await.unwrap();
    kept.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let mut buf = [0u8; 1024];
    let n = kept.read(&mut buf).await.unwrap();
    assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"));

    let t = closed_within(&mut idle, Duration::from_secs(6)).await;
    assert!(t.is_some(), "a silent connection stays open");
    let t = closed_within(&mut kept, Duration::from_secs(6)).await;
    assert!(t.is_some(), "an idle kept-alive connection stays open");
    let t = trickle.await.unwrap();
    assert!(
        t.is_some_and(|t| t < Duration::from_secs(5)),
        "headers trickled in slowly keep the connection open: {t:?}"
    );
}

#[tokio::test]
async fn hundreds_of_half_sent_connections_do_not_starve_the_server() {
    let sandbox = sandbox().await;
    let server = server_with(&sandbox, None, |c| {
        c.header_read_timeout_secs = 1;
        c.idle_timeout_secs = 1;
        c.max_connections = 100;
    })
    .await;
    let mut held = Vec::new();
    for _ in 0..300 {
        if let Ok(mut s) = TcpStream::connect(addr(&server)).await {
            let _ = s.write_all(b"GET /healthz HTTP/1.1\r\nHost:").await;
            held.push(s);
        }
    }
    // Beyond the cap, connections are closed at once.
    let mut extra = TcpStream::connect(addr(&server)).await.unwrap();
    assert!(
        closed_within(&mut extra, Duration::from_millis(500))
            .await
            .is_some(),
        "a connection beyond max_connections is kept open"
    );
    // The held ones time out, and the server answers again.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(healthz(&server).await, 200);
    let mut open = 0;
    for s in &mut held {
        if closed_within(s, Duration::from_millis(20)).await.is_none() {
            open += 1;
        }
    }
    assert_eq!(open, 0, "half-sent connections still open");
}
