//! Start-up cost of a big sandbox: time until it serves, and peak memory.
//!
//! `cargo run --release -p spotkit-sandbox --example startup -- 100000`
//! prints the time from start to the first answered request and the process's peak RSS
//! (targets: under 5 s and under 500 MB for 100 000 liked songs).

use std::time::Instant;

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let liked: usize = std::env::args().nth(1).map_or(Ok(100_000), |a| a.parse())?;
    let started = Instant::now();
    let sandbox = spotkit_sandbox::Sandbox::builder()
        .liked(liked)
        .start()
        .await?;
    let token = sandbox.token("demo", &["user-library-read"]).await?;
    let url = format!(
        "{}/me/tracks?offset={}&limit=50",
        sandbox.api_url(),
        liked.saturating_sub(50)
    );
    // A raw HTTP/1.1 request keeps this example free of an HTTP client dependency.
    let addr = sandbox.addr();
    let path = url
        .split_once(&addr.to_string())
        .map_or("/", |(_, p)| p)
        .to_owned();
    let mut stream = tokio::net::TcpStream::connect(addr).await?;
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {}\r\nConnection: close\r\n\r\n",
        token.access_token
    );
    tokio::io::AsyncWriteExt::write_all(&mut stream, request.as_bytes()).await?;
    let mut response = Vec::new();
    tokio::io::AsyncReadExt::read_to_end(&mut stream, &mut response).await?;
    let elapsed = started.elapsed();
    let ok = response.starts_with(b"HTTP/1.1 200");
    println!("liked songs:        {liked}");
    println!(
        "ready and answered: {elapsed:.2?} (target < 5 s) {}",
        if ok { "" } else { "— request FAILED" }
    );
    match peak_rss_kib() {
        Some(kib) => println!(
            "peak RSS:           {:.1} MB (target < 500 MB)",
            kib as f64 / 1024.0
        ),
        None => println!("peak RSS:           unavailable on this platform"),
    }
    if !ok {
        std::process::exit(1);
    }
    Ok(())
}
