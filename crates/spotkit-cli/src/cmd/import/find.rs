//! Phase 2 of an import: every row matched, by its URI, the journal, an ISRC or a scored
//! search; and the dry run's check that the URIs a source names still exist.

use std::collections::HashMap;

use anyhow::{Context, Result};
use futures::StreamExt;
use spotkit::Spotify;
use spotkit::api::search::SearchType;
use spotkit::model::Track;

use super::journal::{Journal, row_key};
use super::outcome::{Match, Method, Outcome, Write};
use crate::import::{Kind, Row, Target};
use crate::matching;
use crate::output;

/// Matches every row; searches run concurrently (the client bounds and paces them).
pub async fn match_rows(
    spotify: &Spotify,
    targets: &[Target],
    journal: &mut Journal,
    threshold: f64,
    hidden: bool,
) -> Result<Vec<Vec<Outcome>>> {
    let mut outcomes: Vec<Vec<Outcome>> = Vec::with_capacity(targets.len());
    let mut to_search: Vec<(usize, usize, &Row)> = Vec::new();
    for (t, target) in targets.iter().enumerate() {
        let mut out = Vec::with_capacity(target.rows.len());
        for (r, row) in target.rows.iter().enumerate() {
            out.push(if let Some(reason) = &row.invalid {
                Outcome::Invalid(reason.clone())
            } else if row.kind == Kind::Local {
                Outcome::Local
            } else if let Some(uri) = &row.uri {
                Outcome::Matched(
                    Match {
                        uri: uri.clone(),
                        method: Method::Uri,
                        confidence: 1.0,
                        found: String::new(),
                    },
                    Write::Planned,
                )
            } else if let Some(cached) = journal.matches.get(&row_key(row)) {
                decide(cached.clone(), threshold)
            } else {
                to_search.push((t, r, row));
                Outcome::Unmatched(None)
            });
        }
        outcomes.push(out);
    }
    if to_search.is_empty() {
        return Ok(outcomes);
    }
    // The same entry often appears several times (a song in liked songs and in playlists):
    // searched once.
    let mut rows_of: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
    let mut distinct = Vec::new();
    for (t, r, row) in to_search {
        let key = row_key(row);
        let at = rows_of.entry(key.clone()).or_default();
        if at.is_empty() {
            distinct.push((t, r, key, row));
        }
        at.push((t, r));
    }
    let bar = output::progress("Matching by search", hidden);
    let mut results = futures::stream::iter(
        distinct
            .into_iter()
            .map(|(t, r, key, row)| async move { (t, r, key, find(spotify, row).await) }),
    )
    .buffer_unordered(8);
    while let Some((t, r, key, found)) = results.next().await {
        let found =
            found.with_context(|| format!("searching for {}", targets[t].rows[r].origin))?;
        for (t, r) in rows_of.get(&key).into_iter().flatten() {
            outcomes[*t][*r] = decide(found.clone(), threshold);
            bar.inc(1);
        }
        journal.matches.insert(key, found);
    }
    bar.finish_and_clear();
    Ok(outcomes)
}

/// Marks the rows whose source URI Spotify no longer has (the dry run's check).
pub async fn mark_dead(spotify: &Spotify, outcomes: &mut [Vec<Outcome>]) -> Result<()> {
    let named: Vec<String> = outcomes
        .iter()
        .flatten()
        .filter_map(|o| match o {
            Outcome::Matched(m, _) if m.method == Method::Uri => Some(m.uri.clone()),
            _ => None,
        })
        .collect();
    if named.is_empty() {
        return Ok(());
    }
    let dead = super::uris::dead(spotify, &named).await?;
    for o in outcomes.iter_mut().flatten() {
        if let Outcome::Matched(m, _) = o
            && m.method == Method::Uri
            && dead.contains(&m.uri)
        {
            *o = Outcome::Unavailable(m.clone());
        }
    }
    Ok(())
}

fn decide(found: Option<Match>, threshold: f64) -> Outcome {
    match found {
        Some(m) if m.method != Method::Search || m.confidence >= threshold => {
            Outcome::Matched(m, Write::Planned)
        }
        other => Outcome::Unmatched(other),
    }
}

/// ISRC first (when the row has one), then a field search, then a plain one; the best scored
/// candidate is returned whatever its score (the caller applies the threshold).
async fn find(spotify: &Spotify, row: &Row) -> Result<Option<Match>> {
    if row.kind != Kind::Track {
        return find_by_name(spotify, row).await;
    }
    if let Some(isrc) = &row.isrc {
        let tracks = search(spotify, &format!("isrc:{isrc}")).await?;
        if let Some(t) = tracks
            .into_iter()
            .find(|t| t.isrc().is_some_and(|i| i.eq_ignore_ascii_case(isrc)))
        {
            return Ok(track_match(&t, Method::Isrc, 1.0));
        }
    }
    find_track(spotify, &row.query).await
}

/// A track by its names (and duration, album when known): a field search, then a plain one
/// when that finds nothing; the best scored candidate whatever its score (the caller applies
/// the threshold). Also what `spotkit history enrich` matches account-data plays with.
pub async fn find_track(spotify: &Spotify, query: &matching::Query) -> Result<Option<Match>> {
    if query.title.is_empty() {
        return Ok(None);
    }
    let mut tracks = search(spotify, &matching::search_query(query)).await?;
    if tracks.is_empty() {
        let plain = format!("{} {}", query.title, query.artists.join(" "));
        tracks = search(spotify, plain.trim()).await?;
    }
    Ok(matching::best(query, &tracks)
        .and_then(|(t, score)| track_match(t, Method::Search, (score * 1000.0).round() / 1000.0)))
}

/// Albums, shows, episodes and artists named without a URI (data exports before 2022): a search
/// of their kind, scored on the name and (albums, shows, episodes) the artist, publisher or show.
async fn find_by_name(spotify: &Spotify, row: &Row) -> Result<Option<Match>> {
    let name = row.query.title.trim();
    if name.is_empty() {
        return Ok(None);
    }
    let by = row.query.artists.first().map(String::as_str);
    let kind = match row.kind {
        Kind::Album => SearchType::Album,
        Kind::Show => SearchType::Show,
        Kind::Episode => SearchType::Episode,
        Kind::Artist => SearchType::Artist,
        Kind::Track | Kind::Local => return Ok(None),
    };
    let q = match (row.kind, by) {
        (Kind::Album, Some(by)) => format!(
            "album:{} artist:{}",
            name.replace('"', " "),
            by.replace('"', " ")
        ),
        _ => name.replace('"', " "),
    };
    let results = spotify.search().query(&q, &[kind]).limit(10).send().await?;
    // (uri, name, by): by is the album's artists, the show's publisher; unknown for episodes.
    let candidates: Vec<(String, String, Option<String>)> = match row.kind {
        Kind::Album => results
            .albums
            .map(|p| p.items)
            .unwrap_or_default()
            .into_iter()
            .map(|a| {
                let by = a
                    .artists
                    .iter()
                    .map(|x| x.name.clone())
                    .collect::<Vec<_>>()
                    .join(", ");
                (a.uri, a.name, Some(by))
            })
            .collect(),
        Kind::Show => results
            .shows
            .map(|p| p.items)
            .unwrap_or_default()
            .into_iter()
            .map(|s| (s.uri, s.name, Some(s.publisher)))
            .collect(),
        Kind::Episode => results
            .episodes
            .map(|p| p.items)
            .unwrap_or_default()
            .into_iter()
            .map(|e| (e.uri, e.name, None))
            .collect(),
        _ => results
            .artists
            .map(|p| p.items)
            .unwrap_or_default()
            .into_iter()
            .map(|a| (a.uri, a.name, None))
            .collect(),
    };
    Ok(candidates
        .into_iter()
        .filter(|(uri, _, _)| !uri.is_empty())
        .map(|(uri, found, found_by)| {
            let score = matching::name_score(name, &found, by, found_by.as_deref());
            let shown = match &found_by {
                Some(b) if !b.is_empty() => format!("{b} – {found}"),
                _ => found,
            };
            Match {
                uri,
                method: Method::Search,
                confidence: (score * 1000.0).round() / 1000.0,
                found: shown,
            }
        })
        .max_by(|a, b| a.confidence.total_cmp(&b.confidence)))
}

async fn search(spotify: &Spotify, q: &str) -> Result<Vec<Track>> {
    // Development-Mode apps may ask for at most 10 results per search.
    let results = spotify
        .search()
        .query(q, &[SearchType::Track])
        .limit(10)
        .send()
        .await?;
    Ok(results.tracks.map(|p| p.items).unwrap_or_default())
}

fn track_match(t: &Track, method: Method, confidence: f64) -> Option<Match> {
    if t.uri.is_empty() {
        return None;
    }
    Some(Match {
        uri: t.uri.clone(),
        method,
        confidence,
        found: format!("{} – {}", t.artist_names(), t.name),
    })
}
