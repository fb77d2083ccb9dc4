//! The ceiling for `scripts/bench-server`: the smallest axum service (`GET /` answers `hello`)
//! on the same runtime, machine and wrk settings as the server, so the server's figure can be
//! read against what this machine can serve at all.
//!
//! `cargo run --release -p spotkit-server --example hello -- 127.0.0.1:0` prints the address it
//! listens on and serves until killed.

use axum::Router;
use axum::routing::get;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:0".to_owned());
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    println!("listening on http://{}", listener.local_addr()?);
    let app = Router::new().route("/", get(|| async { "hello" }));
    axum::serve(listener, app).await
}
