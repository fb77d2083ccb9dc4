//! `spotkit search`: the catalogue, as a table or `--json` (the response as Spotify sent it).

use std::io::Write;

use anyhow::{Context, Result};
use spotkit::api::search::SearchType;
use spotkit::model::Page;

use crate::config::Settings;
use crate::output::print_json;

/// What to search for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    /// Tracks.
    Track,
    /// Albums.
    Album,
    /// Artists.
    Artist,
    /// Playlists.
    Playlist,
}

/// Flags of `spotkit search`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  spotkit search \"daft punk\"\n  spotkit search \"around the world\" --type track,album --limit 5 --json"
)]
pub struct SearchArgs {
    /// The query (Spotify's syntax: `artist:`, `album:`, `year:` filters work).
    query: String,
    /// Types to search (comma separated).
    #[arg(
        long = "type",
        short,
        value_enum,
        value_delimiter = ',',
        default_value = "track"
    )]
    types: Vec<Kind>,
    /// Results per type (Development-Mode apps: at most 10).
    #[arg(long, short, default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=50))]
    limit: u32,
}

/// Runs `spotkit search`.
pub async fn run(settings: &Settings, args: SearchArgs) -> Result<()> {
    let spotify = settings.logged_in_client().await?;
    let types: Vec<SearchType> = args
        .types
        .iter()
        .map(|k| match k {
            Kind::Track => SearchType::Track,
            Kind::Album => SearchType::Album,
            Kind::Artist => SearchType::Artist,
            Kind::Playlist => SearchType::Playlist,
        })
        .collect();
    let results = spotify
        .search()
        .query(args.query.clone(), &types)
        .limit(args.limit)
        .send()
        .await
        .with_context(|| format!("searching for `{}`", args.query))?;
    if settings.json {
        return print_json(&results);
    }
    let mut rows: Vec<[String; 3]> = Vec::new();
    let s = |v: Option<&String>| v.cloned().unwrap_or_default();
    if let Some(page) = results.tracks.get() {
        for t in items(page) {
            let artists = t
                .artists
                .get()
                .map(|a| {
                    a.iter()
                        .filter_map(|a| a.name.get().cloned())
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default();
            rows.push([
                "track".into(),
                format!("{} — {artists}", s(t.name.get())),
                s(t.uri.get()),
            ]);
        }
    }
    if let Some(page) = results.albums.get() {
        for a in items(page) {
            let artists = a
                .artists
                .get()
                .map(|a| {
                    a.iter()
                        .filter_map(|a| a.name.get().cloned())
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default();
            rows.push([
                "album".into(),
                format!("{} — {artists}", s(a.name.get())),
                s(a.uri.get()),
            ]);
        }
    }
    if let Some(page) = results.artists.get() {
        for a in items(page) {
            rows.push(["artist".into(), s(a.name.get()), s(a.uri.get())]);
        }
    }
    if let Some(page) = results.playlists.get() {
        for p in items(page) {
            let owner = p
                .owner
                .get()
                .and_then(|o| o.display_name.get().or(o.id.get()))
                .cloned()
                .unwrap_or_default();
            rows.push([
                "playlist".into(),
                format!("{} (by {owner})", s(p.name.get())),
                s(p.uri.get()),
            ]);
        }
    }
    if rows.is_empty() {
        println!("No results for `{}`", args.query);
        return Ok(());
    }
    let width = rows
        .iter()
        .map(|r| r[1].chars().count())
        .max()
        .unwrap_or(0)
        .min(70);
    let mut table = String::new();
    for [kind, name, uri] in rows {
        let name: String = name.chars().take(70).collect();
        table = format!("{table}{kind:<8}  {name:<width$}  {uri}\n");
    }
    // Written in one go so a closed pipe (`| head`) is an error main treats as success.
    std::io::stdout().lock().write_all(table.as_bytes())?;
    Ok(())
}

/// The page's items, skipping the `null`s Spotify puts in search results.
fn items<T>(page: &Page<T>) -> impl Iterator<Item = &T> {
    page.items.get().into_iter().flatten().flatten()
}
