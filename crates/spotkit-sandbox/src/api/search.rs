//! `GET /search`: free text plus Spotify's field filters (`artist:`, `album:`, `track:`, `isrc:`,
//! `year:`, `genre:`, `upc:`), case- and accent-insensitive. Development Mode: `limit` 1..=10,
//! default 5 (Feb 2026); Extended: 1..=50, default 20. `offset + limit` at most 1000.

use axum::Json;
use axum::extract::State;
use serde_json::{Map, Value};

use super::Caller;
use crate::catalog::Catalog;
use crate::config::Mode;
use crate::error::ApiError;
use crate::paging::{Limits, page_of, window};
use crate::params::Params;
use crate::render::{self, Ctx};
use crate::state::AppState;

/// The most results search serves per type: `offset + limit` may not pass it.
pub const MAX_RESULTS: usize = 1000;

/// Lower-cases and strips the accents of Latin letters, so `beyonce` finds `Beyoncé`.
pub fn fold(s: &str) -> String {
    s.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
            'ç' => 'c',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ñ' => 'n',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ý' | 'ÿ' => 'y',
            'ß' => 's',
            other => other,
        })
        .collect()
}

/// A parsed query: free words and field filters.
#[derive(Debug, Default, PartialEq)]
pub struct Query {
    words: Vec<String>,
    filters: Vec<(String, String)>,
}

impl Query {
    /// Splits on whitespace outside quotes; `field:value` and `field:"two words"` become filters.
    pub fn parse(q: &str) -> Query {
        let mut tokens = Vec::new();
        let mut cur = String::new();
        let mut quoted = false;
        for c in q.chars() {
            match c {
                '"' => quoted = !quoted,
                c if c.is_whitespace() && !quoted => {
                    if !cur.is_empty() {
                        tokens.push(std::mem::take(&mut cur));
                    }
                }
                c => cur.push(c),
            }
        }
        if !cur.is_empty() {
            tokens.push(cur);
        }
        let mut out = Query::default();
        for t in tokens {
            match t.split_once(':') {
                Some((field, value))
                    if matches!(
                        field,
                        "artist" | "album" | "track" | "isrc" | "year" | "genre" | "upc"
                    ) && !value.is_empty() =>
                {
                    out.filters.push((field.to_owned(), fold(value)));
                }
                _ => out.words.push(fold(&t)),
            }
        }
        out
    }

    fn words_in(&self, haystack: &str) -> bool {
        self.words.iter().all(|w| haystack.contains(w.as_str()))
    }
}

fn year_matches(spec: &str, date: &str) -> bool {
    let Some(year) = date.get(0..4).and_then(|y| y.parse::<u32>().ok()) else {
        return false;
    };
    match spec.split_once('-') {
        Some((a, b)) => match (a.parse::<u32>(), b.parse::<u32>()) {
            (Ok(a), Ok(b)) => (a..=b).contains(&year),
            _ => false,
        },
        None => spec.parse::<u32>().is_ok_and(|y| y == year),
    }
}

fn match_tracks(world: &Catalog, q: &Query) -> Vec<u32> {
    let mut exact = Vec::new();
    let mut rest = Vec::new();
    for (i, t) in world.tracks.iter().enumerate() {
        let album = &world.albums[t.album as usize];
        let artists: Vec<String> = t
            .artists
            .iter()
            .map(|a| fold(&world.artists[*a as usize].name))
            .collect();
        let name = fold(&t.name);
        let ok = q.filters.iter().all(|(f, v)| match f.as_str() {
            "artist" => artists.iter().any(|a| a.contains(v.as_str())),
            "album" => fold(&album.name).contains(v.as_str()),
            "track" => name.contains(v.as_str()),
            "isrc" => t.isrc.eq_ignore_ascii_case(v),
            "year" => year_matches(v, &album.release.date),
            "upc" => album.upc == *v,
            _ => false,
        });
        if !ok {
            continue;
        }
        if !q.words.is_empty() {
            let hay = format!("{name} {} {}", artists.join(" "), fold(&album.name));
            if !q.words_in(&hay) {
                continue;
            }
        }
        // Exact title matches first, as a relevance ranking would put them.
        if q.words.join(" ") == name {
            exact.push(i as u32);
        } else {
            rest.push(i as u32);
        }
    }
    exact.extend(rest);
    exact
}

fn match_names<T>(
    items: &[T],
    q: &Query,
    name: impl Fn(&T) -> String,
    filter: impl Fn(&T, &str, &str) -> bool,
) -> Vec<u32> {
    items
        .iter()
        .enumerate()
        .filter(|(_, t)| {
            q.filters.iter().all(|(f, v)| filter(t, f, v)) && q.words_in(&fold(&name(t)))
        })
        .map(|(i, _)| i as u32)
        .collect()
}

/// `GET /search`
pub async fn search(
    State(state): State<AppState>,
    ctx: Ctx,
    _caller: Caller,
    params: Params,
) -> Result<Json<Value>, ApiError> {
    let Some(q) = params.get("q").filter(|q| !q.trim().is_empty()) else {
        return Err(ApiError::bad_request("No search query"));
    };
    let types = params.list("type");
    if types.is_empty() {
        return Err(ApiError::bad_request("Missing parameter type"));
    }
    const TYPES: &[&str] = &[
        "album",
        "artist",
        "playlist",
        "track",
        "show",
        "episode",
        "audiobook",
    ];
    if types.iter().any(|t| !TYPES.contains(&t.as_str())) {
        return Err(ApiError::bad_request("Bad search type field"));
    }
    let limits = if ctx.mode == Mode::Dev {
        Limits::new(5, 10)
    } else {
        Limits::new(20, 50)
    };
    let w = window(
        &params,
        Limits {
            max_offset: Some(MAX_RESULTS),
            ..limits
        },
    )?;
    // "Maximum offset (including limit): 1,000" (the search reference, as spotipy issue #683
    // quotes it): a page reaching past the 1000th result is refused (400, spotipy issue #868;
    // earlier reports saw 404, spotipy issue #683).
    if w.offset + w.limit > MAX_RESULTS {
        return Err(ApiError::bad_request("Bad request."));
    }
    let query = Query::parse(q);
    let world = state.world();
    let mut out = Map::new();
    for t in TYPES.iter().filter(|t| types.iter().any(|x| x == *t)) {
        let (key, page) = match *t {
            "track" => {
                let hits = match_tracks(&world, &query);
                (
                    "tracks",
                    page_of(&ctx, "/search", &params, w, &hits, |i| {
                        render::track(&ctx, &world, *i)
                    }),
                )
            }
            "album" => {
                let hits = match_names(
                    &world.albums,
                    &query,
                    |a| {
                        let artists: Vec<&str> = a
                            .artists
                            .iter()
                            .map(|x| world.artists[*x as usize].name.as_str())
                            .collect();
                        format!("{} {}", a.name, artists.join(" "))
                    },
                    |a, f, v| match f {
                        "album" => fold(&a.name).contains(v),
                        "artist" => a
                            .artists
                            .iter()
                            .any(|x| fold(&world.artists[*x as usize].name).contains(v)),
                        "year" => year_matches(v, &a.release.date),
                        "upc" => a.upc == v,
                        _ => false,
                    },
                );
                (
                    "albums",
                    page_of(&ctx, "/search", &params, w, &hits, |i| {
                        render::simplified_album(&ctx, &world, *i)
                    }),
                )
            }
            "artist" => {
                let hits = match_names(
                    &world.artists,
                    &query,
                    |a| a.name.clone(),
                    |a, f, v| match f {
                        "artist" => fold(&a.name).contains(v),
                        "genre" => a.genres.iter().any(|g| fold(g).contains(v)),
                        _ => false,
                    },
                );
                (
                    "artists",
                    page_of(&ctx, "/search", &params, w, &hits, |i| {
                        render::artist(&ctx, &world, *i)
                    }),
                )
            }
            "playlist" => {
                let hits: Vec<u32> = match_names(
                    &world.playlists,
                    &query,
                    |p| p.name.clone(),
                    |_, _, _| false,
                )
                .into_iter()
                .filter(|p| world.playlists[*p as usize].public)
                .collect();
                (
                    "playlists",
                    page_of(&ctx, "/search", &params, w, &hits, |i| {
                        render::simplified_playlist(&ctx, &world, *i)
                    }),
                )
            }
            "show" => {
                let hits = match_names(&world.shows, &query, |s| s.name.clone(), |_, _, _| false);
                (
                    "shows",
                    page_of(&ctx, "/search", &params, w, &hits, |i| {
                        render::simplified_show(&ctx, &world, *i)
                    }),
                )
            }
            "episode" => {
                let hits =
                    match_names(&world.episodes, &query, |e| e.name.clone(), |_, _, _| false);
                (
                    "episodes",
                    page_of(&ctx, "/search", &params, w, &hits, |i| {
                        render::simplified_episode(&ctx, &world, *i)
                    }),
                )
            }
            _ => {
                let hits = match_names(
                    &world.audiobooks,
                    &query,
                    |b| format!("{} {}", b.name, b.author),
                    |_, _, _| false,
                );
                (
                    "audiobooks",
                    page_of(&ctx, "/search", &params, w, &hits, |i| {
                        render::simplified_audiobook(&ctx, &world, *i)
                    }),
                )
            }
        };
        out.insert(key.into(), page);
    }
    Ok(Json(Value::Object(out)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_filters_and_quotes() {
        let q = Query::parse(r#"artist:"Zoë Quinn" year:2001-2005 Golden  Heart"#);
        assert_eq!(q.words, vec!["golden", "heart"]);
        assert_eq!(
            q.filters,
            vec![
                ("artist".into(), "zoe quinn".into()),
                ("year".into(), "2001-2005".into())
            ]
        );
        assert!(year_matches("2001-2005", "2003-04-01"));
        assert!(!year_matches("2001", "2003"));
        assert_eq!(fold("Beyoncé Ångström"), "beyonce angstrom");
    }
}
