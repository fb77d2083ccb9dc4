//! rspotify 0.16 fetching a whole library from the sandbox: the Rust peer of `scripts/bench`.
//!
//! ```text
//! rspotify_client --base URL --client-id ID --client-secret S --token FILE \
//!     liked | playlists | jsonl --out FILE | export --out DIR
//! ```
//!
//! Pointed at the sandbox the way rspotify documents it, through `Config { api_base_url,
//! auth_base_url, .. }`; everything else is rspotify's default (pages of `pagination_chunks` = 50,
//! token refreshing on). Each list is read with rspotify's idiomatic paginator streams
//! (`current_user_saved_tracks`, `current_user_playlists`, `playlist_items`).
//! Prints one JSON line: `{"client":"rspotify","workload":..,"items":N,"playlists":P,"seconds":S}`.

use std::io::Write;
use std::time::Instant;

use futures::TryStreamExt;
use rspotify::clients::{BaseClient, OAuthClient};
use rspotify::model::SavedTrack;
use rspotify::http::HttpError;
use rspotify::prelude::Id;
use rspotify::{AuthCodeSpotify, ClientError, Config, Credentials, OAuth, Token};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

const USAGE: &str = "usage: rspotify_client --base URL --client-id ID --client-secret S \
    --token FILE (liked | playlists | jsonl --out FILE | export --out DIR)";

#[tokio::main]
async fn main() {
    if let Err(e) = run().await {
        eprintln!("rspotify_client: {e}");
        std::process::exit(1);
    }
}

async fn run() -> Result<(), BoxError> {
    let (mut base, mut id, mut secret, mut token_file, mut out, mut workload) = (
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        None,
        String::new(),
    );
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--base" => base = value()?,
            "--client-id" => id = value()?,
            "--client-secret" => secret = value()?,
            "--token" => token_file = value()?,
            "--out" => out = Some(value()?),
            w if !w.starts_with('-') => workload = w.to_owned(),
            other => return Err(format!("unexpected argument {other:?}; {USAGE}").into()),
        }
    }
    if base.is_empty() || token_file.is_empty() {
        return Err(USAGE.into());
    }

    let mut token: Token = serde_json::from_slice(&std::fs::read(&token_file)?)?;
    token.expires_at = Some(chrono::Utc::now() + token.expires_in);
    let config = Config {
        api_base_url: format!("{base}/v1/"),
        auth_base_url: format!("{base}/"),
        token_refreshing: true,
        ..Config::default()
    };
    let oauth = OAuth {
        redirect_uri: "http://127.0.0.1:8888/callback".into(),
        ..OAuth::default()
    };
    let spotify = AuthCodeSpotify::from_token_with_config(
        token,
        Credentials::new(&id, &secret),
        oauth,
        config,
    );

    let started = Instant::now();
    let (items, playlists) = match workload.as_str() {
        "liked" => {
            let liked: Vec<SavedTrack> = spotify
                .current_user_saved_tracks(None)
                .try_collect()
                .await?;
            (liked.len(), 0)
        }
        "playlists" => {
            // The user's own playlists: Spotify answers `/items` only for playlists the user owns
            // or collaborates on, so that is what every client of the benchmark reads.
            let me = spotify.me().await?.id;
            let mut mine: Vec<_> = spotify.current_user_playlists().try_collect().await?;
            mine.retain(|p| p.owner.id == me);
            let mut items = 0;
            for p in &mine {
                let entries: Vec<_> = spotify
                    .playlist_items(p.id.clone(), None, None)
                    .try_collect()
                    .await?;
                items += entries.len();
            }
            (items, mine.len())
        }
        "jsonl" => {
            let path = out.ok_or("jsonl needs --out FILE")?;
            let mut file = std::io::BufWriter::new(std::fs::File::create(path)?);
            let mut stream = spotify.current_user_saved_tracks(None);
            let mut n = 0;
            while let Some(saved) = stream.try_next().await? {
                serde_json::to_writer(&mut file, &saved)?;
                file.write_all(b"\n")?;
                n += 1;
            }
            file.flush()?;
            (n, 0)
        }
        "export" => {
            // The whole library into a folder, one JSON line per item, as `spotkit export all
            // --format jsonl` writes it: liked songs, every playlist, saved albums and shows.
            let dir = std::path::PathBuf::from(out.ok_or("export needs --out DIR")?);
            std::fs::create_dir_all(dir.join("playlists"))?;
            let mut items = dump(
                &dir.join("liked.jsonl"),
                spotify.current_user_saved_tracks(None),
            )
            .await?;
            let listed: Vec<_> = spotify.current_user_playlists().try_collect().await?;
            let mut playlists = 0;
            for p in &listed {
                let path = dir.join("playlists").join(format!("{}.jsonl", p.id.id()));
                match dump(&path, spotify.playlist_items(p.id.clone(), None, None)).await {
                    Ok(n) => {
                        items += n;
                        playlists += 1;
                    }
                    // rspotify reads entries through /items only, which Spotify answers only
                    // for playlists the user owns or collaborates on (403), and a private
                    // playlist of another user is not found (404): both are skipped, as
                    // spotkit's export does.
                    Err(DumpError::Client(ClientError::Http(e)))
                        if matches!(&*e, HttpError::StatusCode(r)
                            if matches!(r.status().as_u16(), 403 | 404)) =>
                    {
                        let _ = std::fs::remove_file(&path);
                    }
                    Err(e) => return Err(e.into()),
                }
            }
            items += dump(
                &dir.join("albums.jsonl"),
                spotify.current_user_saved_albums(None),
            )
            .await?;
            items += dump(&dir.join("shows.jsonl"), spotify.get_saved_show()).await?;
            (items, playlists)
        }
        other => return Err(format!("unknown workload {other:?}; {USAGE}").into()),
    };
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{}",
        serde_json::json!({
            "client": "rspotify",
            "version": "0.16.1",
            "workload": workload,
            "items": items,
            "playlists": playlists,
            "seconds": seconds,
        })
    );
    Ok(())
}

/// Why writing a list failed: the request or the file.
#[derive(Debug)]
enum DumpError {
    Client(ClientError),
    Io(std::io::Error),
}

impl std::fmt::Display for DumpError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DumpError::Client(e) => e.fmt(f),
            DumpError::Io(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for DumpError {}

/// Every item of `items` into `path`, one JSON line each; how many.
async fn dump<T: serde::Serialize>(
    path: &std::path::Path,
    mut items: impl futures::Stream<Item = Result<T, ClientError>> + Unpin,
) -> Result<usize, DumpError> {
    let mut file = std::io::BufWriter::new(std::fs::File::create(path).map_err(DumpError::Io)?);
    let mut n = 0;
    while let Some(item) = items.try_next().await.map_err(DumpError::Client)? {
        serde_json::to_writer(&mut file, &item).map_err(|e| DumpError::Io(e.into()))?;
        file.write_all(b"\n").map_err(DumpError::Io)?;
        n += 1;
    }
    file.flush().map_err(DumpError::Io)?;
    Ok(n)
}
