//! Fetches a whole library with spotkit's defaults and reports what it got as one JSON line.
//! It is spotkit's contender in `scripts/bench`, next to the spotipy and rspotify programs in
//! `bench/`, and shows the "get everything" calls of the library.
//!
//! ```text
//! cargo run --release -p spotkit --example fetch_library -- \
//!     --api http://127.0.0.1:PORT/v1 --accounts http://127.0.0.1:PORT \
//!     --client-id ID --client-secret SECRET --token token.json \
//!     [--concurrency N] liked | playlists | jsonl --out liked.jsonl
//! ```
//!
//! `token.json` is a token response of the accounts service (`access_token`, `refresh_token`,
//! `expires_in`, `scope`), e.g. from the sandbox's `POST /_sandbox/token`. The workloads:
//!
//! * `liked`: every liked song, collected (`tracks().saved().limit(50).all()`);
//! * `playlists`: the user's own playlists, then every item of each (`users().me()`,
//!   `playlists().mine()`, `items_of(listed)`: the playlists read together, in order, each
//!   playlist's pages at once since the list tells its size);
//! * `jsonl`: every liked song streamed to `--out` as JSON lines (`.stream()`), so memory stays
//!   flat however big the library is.
//!
//! The report: `{"client":"spotkit","workload":..,"items":N,"playlists":P,"seconds":S}` where
//! `seconds` is the time from the first request to the last item.

use std::io::Write;
use std::time::{Duration, Instant};

use futures::{StreamExt, TryStreamExt};
use spotkit::Spotify;
use spotkit::api::playlists_items::PlaylistToRead;
use spotkit::token::{AccessToken, ClientSecret, RefreshToken, Token};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

const USAGE: &str = "usage: fetch_library --api URL --accounts URL --client-id ID \
    --client-secret SECRET --token FILE [--concurrency N] (liked | playlists | jsonl --out FILE)";

#[derive(Default)]
struct Args {
    api: String,
    accounts: String,
    client_id: String,
    client_secret: String,
    token: String,
    workload: String,
    out: Option<String>,
    concurrency: Option<usize>,
}

fn parse_args() -> Result<Args, BoxError> {
    let mut args = Args::default();
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = || {
            it.next()
                .ok_or_else(|| format!("{arg} needs a value; {USAGE}"))
        };
        match arg.as_str() {
            "--api" => args.api = value()?,
            "--accounts" => args.accounts = value()?,
            "--client-id" => args.client_id = value()?,
            "--client-secret" => args.client_secret = value()?,
            "--token" => args.token = value()?,
            "--out" => args.out = Some(value()?),
            "--concurrency" => args.concurrency = Some(value()?.parse()?),
            w if !w.starts_with('-') && args.workload.is_empty() => {
                w.clone_into(&mut args.workload);
            }
            other => return Err(format!("unexpected argument {other:?}; {USAGE}").into()),
        }
    }
    if args.api.is_empty() || args.token.is_empty() || args.workload.is_empty() {
        return Err(USAGE.into());
    }
    Ok(args)
}

/// The token response in `path` as a spotkit [`Token`].
fn load_token(path: &str) -> Result<Token, BoxError> {
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(path)?)?;
    let access = v["access_token"]
        .as_str()
        .ok_or("the token file has no access_token")?;
    let refresh = v["refresh_token"]
        .as_str()
        .map(|r| RefreshToken::new(r.to_owned()));
    let expires_in = v["expires_in"].as_u64().map(Duration::from_secs);
    let scopes = v["scope"]
        .as_str()
        .unwrap_or_default()
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    Ok(Token::new(
        AccessToken::new(access.to_owned()),
        refresh,
        expires_in,
        scopes,
    ))
}

fn main() -> Result<(), BoxError> {
    let args = parse_args()?;
    // A streaming export keeps to one thread: it holds a page or two at a time, and each more
    // thread is more memory. Collecting a library decodes pages on every core while the next
    // requests are under way: tokio's default, multi-threaded runtime.
    let runtime = if args.workload == "jsonl" {
        tokio::runtime::Builder::new_current_thread()
    } else {
        tokio::runtime::Builder::new_multi_thread()
    }
    .enable_all()
    .build()?;
    runtime.block_on(run(args))
}

async fn run(args: Args) -> Result<(), BoxError> {
    let mut builder = Spotify::builder()
        .api_base_url(&args.api)
        .token(load_token(&args.token)?);
    if let Some(n) = args.concurrency {
        builder = builder.concurrency(n);
    }
    if !args.accounts.is_empty() {
        builder = builder
            .accounts_base_url(&args.accounts)
            .authorization_code(
                &args.client_id,
                ClientSecret::new(args.client_secret.clone()),
            );
    }
    let spotify = builder.build()?;

    let started = Instant::now();
    let (items, playlists) = match args.workload.as_str() {
        "liked" => {
            let liked = spotify.tracks().saved().limit(50).all().await?;
            (liked.len(), 0)
        }
        "playlists" => {
            // The user's own playlists: Spotify answers `/items` only for playlists the user owns
            // or collaborates on, so that is what every client of the benchmark reads.
            // Who the user is and what they have are independent: asked at once.
            let (me, mut mine) = futures::try_join!(
                spotify.users().me().send(),
                spotify.playlists().mine().limit(50).all()
            )?;
            let me = me.id;
            mine.retain(|p| p.owner.id.is_some() && p.owner.id == me);
            // The user's own playlists with their listed sizes: all of a playlist's pages are
            // asked for at once, not after its first page.
            let listed: Vec<_> = mine.iter().filter_map(PlaylistToRead::listed).collect();
            // Every playlist's entries together, under the client's one request budget.
            let mut playlists = spotify.playlists().items_of(listed).limit(50).stream();
            let mut items = 0;
            while let Some(mut entries) = playlists.next().await {
                while entries.try_next().await?.is_some() {
                    items += 1;
                }
            }
            (items, mine.len())
        }
        "jsonl" => {
            let path = args.out.as_deref().ok_or("jsonl needs --out FILE")?;
            let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
            let mut stream = spotify.tracks().saved().limit(50).stream();
            let mut n = 0;
            while let Some(saved) = stream.try_next().await? {
                serde_json::to_writer(&mut out, &saved)?;
                out.write_all(b"\n")?;
                n += 1;
            }
            out.flush()?;
            (n, 0)
        }
        other => return Err(format!("unknown workload {other:?}; {USAGE}").into()),
    };
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{}",
        serde_json::json!({
            "client": "spotkit",
            "version": env!("CARGO_PKG_VERSION"),
            "workload": args.workload,
            "items": items,
            "playlists": playlists,
            "seconds": seconds,
            "concurrency": spotify.concurrency(),
        })
    );
    Ok(())
}
