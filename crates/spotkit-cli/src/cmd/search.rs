//! `spotkit search`: the catalogue, as a table or `--json` (the response as Spotify sent it).

use std::io::Write;

use anyhow::{Context, Result};
use spotkit::api::search::SearchType;
use spotkit::model::join_names;

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
    #[arg(value_parser = parse_query)]
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
    /// Results per type: at most 10 for Development-Mode apps, 50 with Extended Quota.
    #[arg(long, short, default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=50))]
    limit: u32,
}

/// Spotify answers an empty query with `400: No search query`: caught while parsing instead.
fn parse_query(query: &str) -> Result<String, String> {
    if query.trim().is_empty() {
        return Err(
            "the query is empty; give words to search for, e.g. `spotkit search \"daft punk\"`"
                .to_owned(),
        );
    }
    Ok(query.to_owned())
}

/// Since 2026 Development-Mode apps may ask for 10 results per type at most and get `400: Invalid
/// limit` above that (Spotify's Development-Mode changes of February 2026, see
/// docs/getting-started.md); the CLI cannot know the app's mode before asking, so it explains the refusal.
fn over_the_limit(err: spotkit::Error, limit: u32) -> anyhow::Error {
    match &err {
        spotkit::Error::Api { status: 400, .. } if limit > 10 => {
            anyhow::Error::new(crate::hint::Hinted::new(
                format!("Spotify refused `--limit {limit}`: {err}"),
                "apps in Development Mode may ask for at most 10 results per type (Extended-Quota \
                 apps up to 50): run it again with `--limit 10` or less",
            ))
        }
        _ => anyhow::Error::new(err),
    }
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
        .map_err(|e| over_the_limit(e, args.limit))
        .with_context(|| format!("searching for `{}`", args.query))?;
    if settings.json {
        return print_json(&results);
    }
    let mut rows: Vec<[String; 3]> = Vec::new();
    // Spotify puts `null`s in search results; pages leave them out of `items`.
    for t in results.tracks.iter().flatten() {
        let by = t.artist_names();
        rows.push(["track".into(), format!("{} — {by}", t.name), t.uri.clone()]);
    }
    for a in results.albums.iter().flatten() {
        let by = join_names(&a.artists);
        rows.push(["album".into(), format!("{} — {by}", a.name), a.uri.clone()]);
    }
    for a in results.artists.iter().flatten() {
        rows.push(["artist".into(), a.name.clone(), a.uri.clone()]);
    }
    for p in results.playlists.iter().flatten() {
        let owner = p
            .owner
            .display_name
            .as_deref()
            .or(p.owner.id.as_deref())
            .unwrap_or_default();
        rows.push([
            "playlist".into(),
            format!("{} (by {owner})", p.name),
            p.uri.clone(),
        ]);
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
