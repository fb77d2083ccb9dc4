//! `spotkit history enrich`: Spotify URIs for account-data plays, which name their track only.
//!
//! First the extended history is asked (free: the same title and artist played there has its
//! URI), then Spotify's search, one request pair per distinct title and artist, scored by the
//! import's matcher ([`crate::cmd::import::find::find_track`]). Every answer is written to the
//! `lookups` table as it arrives, "no match" included, so a rerun (after Ctrl-C, an error or the
//! quota) searches only the names not asked yet.

use std::path::Path;

use anyhow::{Context as _, Result, anyhow};
use clap::Args;
use futures::StreamExt as _;
use serde::Serialize;
use spotkit_sync::run_lock::started_now;

use crate::cmd::import::args::confidence;
use crate::cmd::import::find::find_track;
use crate::config::Settings;
use crate::hint::Hinted;
use crate::history::lookups::{self, Answer, Summary};
use crate::history::store::Store;
use crate::matching::{DEFAULT_THRESHOLD, Query};
use crate::output;

/// `spotkit history enrich`.
#[derive(Debug, Args)]
pub struct EnrichArgs {
    /// Confidence (0–1) a search match needs to be accepted (the same score as `spotkit import`).
    #[arg(long, default_value_t = DEFAULT_THRESHOLD, value_parser = confidence)]
    pub min_confidence: f64,
}

/// What `enrich --json` prints.
#[derive(Debug, Serialize)]
struct EnrichOut {
    database: String,
    /// Names given a URI by the extended history in this run.
    from_extended_now: usize,
    /// Names searched in this run.
    searched_now: usize,
    #[serde(flatten)]
    lookups: Summary,
}

/// Runs `spotkit history enrich` on `db`; `lock` is the history database's run lock.
pub async fn run<L>(
    settings: &Settings,
    db: &Path,
    args: &EnrichArgs,
    lock: impl FnOnce(&Path) -> Result<L>,
) -> Result<()> {
    if !db.exists() {
        return Err(anyhow!(Hinted::new(
            format!("no listening history at {}", db.display()),
            "import it first: spotkit history import my_spotify_data.zip",
        )));
    }
    // One writer per database: an import or another enrich waits for nothing and stops.
    let _lock = lock(db)?;
    let mut store = Store::open(db)?;
    let shown = store.path().to_owned();
    let ctx = || format!("the history database {shown}");
    let conn = store.conn_mut();
    let free = lookups::from_extended(conn, &started_now()).with_context(ctx)?;
    lookups::apply_threshold(conn, args.min_confidence).with_context(ctx)?;
    let pending = lookups::pending(conn).with_context(ctx)?;
    let mut searched = 0;
    if !pending.is_empty() {
        let spotify = settings.logged_in_client().await?;
        let bar = output::progress(
            "looking up account-data tracks",
            settings.json || settings.quiet,
        );
        // As `spotkit import` matches rows: eight searches in flight, the client paces them
        // (rate limits, Retry-After) and stops on QUOTA_EXCEEDED.
        let spotify = &spotify;
        let mut results = futures::stream::iter(pending.into_iter().map(|name| async move {
            let query = Query {
                title: name.name.clone(),
                artists: if name.creator.is_empty() {
                    Vec::new()
                } else {
                    vec![name.creator.clone()]
                },
                album: None,
                duration_ms: None,
            };
            let found = find_track(spotify, &query).await;
            (name, found)
        }))
        .buffer_unordered(8);
        let mut failure = None;
        while let Some((name, found)) = results.next().await {
            let found = match found {
                Ok(m) => m.map_or(
                    Answer {
                        candidate: None,
                        confidence: 0.0,
                        found: String::new(),
                    },
                    |m| Answer {
                        candidate: Some(m.uri),
                        confidence: m.confidence,
                        found: m.found,
                    },
                ),
                Err(e) => {
                    failure =
                        Some(e.context(format!("searching for {} – {}", name.creator, name.name)));
                    break;
                }
            };
            lookups::record(conn, &name, &found, args.min_confidence, &started_now())
                .with_context(ctx)?;
            searched += 1;
            bar.inc(1);
        }
        bar.finish_and_clear();
        if let Some(e) = failure {
            let kept = format!(
                "the {searched} names looked up in this run are kept in {shown}: run `spotkit history enrich` again to look up the rest"
            );
            if crate::hint::quota_exceeded(&e) {
                return Err(crate::hint::on_quota(e, &kept));
            }
            return Err(e.context(kept));
        }
    }
    let summary = lookups::summary(store.conn()).with_context(ctx)?;
    let out = EnrichOut {
        database: shown,
        from_extended_now: free,
        searched_now: searched,
        lookups: summary,
    };
    if settings.json {
        return output::print_json(&out);
    }
    if !settings.quiet {
        let s = &out.lookups;
        println!(
            "{} account-data tracks (title, artist): {} with a URI from your extended history, {} matched by search, {} without a match{}. {} searched in this run.",
            s.names,
            s.from_extended,
            s.from_search,
            s.unmatched,
            if s.pending > 0 {
                format!(", {} not looked up yet", s.pending)
            } else {
                String::new()
            },
            searched
        );
    }
    Ok(())
}
