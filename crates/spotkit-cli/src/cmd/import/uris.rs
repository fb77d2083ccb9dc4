//! Whether the Spotify URIs an import names still exist, and adding items when some do not.
//!
//! Spotify refuses a whole playlist add (`400 Payload contains a non-existing ID`) when one URI
//! of it is gone from the catalogue. So the dry run looks every named item up (a multi-get where
//! the app may still use one, else one request per item), and the write phase, when an add is
//! refused that way, splits the batch in halves until the dead items are found, then adds the
//! rest in order.

use std::collections::HashSet;

use anyhow::Result;
use futures::StreamExt;
use spotkit::Spotify;
use spotkit::model::{PlayableUri, PlaylistId, SpotifyUri};

/// Lookups in flight at once when items are checked one by one.
const CONCURRENCY: usize = 8;

/// Whether `e` is Spotify's answer to an item that does not exist.
pub fn is_missing(e: &spotkit::Error) -> bool {
    match e {
        spotkit::Error::NotFound { .. } => true,
        spotkit::Error::Api {
            status: 400,
            message,
        } => {
            let m = message.to_lowercase();
            m.contains("non-existing") || m.contains("invalid id") || m.contains("not found")
        }
        _ => false,
    }
}

/// The URIs among `uris` that Spotify does not know (any kind: track, episode, album, show,
/// artist).
pub async fn dead(spotify: &Spotify, uris: &[String]) -> Result<HashSet<String>> {
    let mut distinct: Vec<SpotifyUri> = Vec::new();
    let mut seen = HashSet::new();
    for u in uris {
        if seen.insert(u.as_str())
            && let Ok(parsed) = SpotifyUri::parse(u)
        {
            distinct.push(parsed);
        }
    }
    let mut dead = HashSet::new();
    let tracks: Vec<_> = distinct
        .iter()
        .filter_map(|u| match u {
            SpotifyUri::Track(id) => Some(id.clone()),
            _ => None,
        })
        .collect();
    // Extended-Quota apps still have the multi-get (50 a request); Development-Mode apps get a
    // 403 and check one by one.
    let mut one_by_one = distinct.clone();
    if !tracks.is_empty() {
        #[allow(deprecated)] // Still served to Extended-Quota apps; the 403 says when it is not.
        let several = spotify.tracks().several(&tracks).send().await;
        match several {
            Ok(found) => {
                for (id, t) in tracks.iter().zip(found) {
                    if t.is_none() {
                        dead.insert(SpotifyUri::Track(id.clone()).uri());
                    }
                }
                one_by_one.retain(|u| !matches!(u, SpotifyUri::Track(_)));
            }
            Err(spotkit::Error::Forbidden { .. }) => {}
            Err(e) => return Err(e.into()),
        }
    }
    let mut checks = futures::stream::iter(one_by_one.into_iter().map(|u| async move {
        let found = exists(spotify, &u).await;
        (u, found)
    }))
    .buffer_unordered(CONCURRENCY);
    while let Some((u, found)) = checks.next().await {
        if !found? {
            dead.insert(u.uri());
        }
    }
    Ok(dead)
}

async fn exists(spotify: &Spotify, uri: &SpotifyUri) -> Result<bool> {
    let answer = match uri {
        SpotifyUri::Track(id) => spotify.tracks().get(id).send().await.map(drop),
        SpotifyUri::Episode(id) => spotify.episodes().get(id).send().await.map(drop),
        SpotifyUri::Album(id) => spotify.albums().get(id).send().await.map(drop),
        SpotifyUri::Show(id) => spotify.shows().get(id).send().await.map(drop),
        SpotifyUri::Artist(id) => spotify.artists().get(id).send().await.map(drop),
        _ => return Ok(true),
    };
    match answer {
        Ok(()) => Ok(true),
        Err(e) if is_missing(&e) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// Most items one playlist add takes.
const ADD_CHUNK: usize = 100;

/// Appends `uris` to a playlist in order, 100 at a time; a batch refused for a dead item is
/// split until the dead ones are found. Returns, for each URI, whether it was added (`false`:
/// Spotify does not know it).
pub async fn add_in_order(
    spotify: &Spotify,
    id: &PlaylistId,
    uris: &[PlayableUri],
) -> Result<Vec<bool>> {
    let mut added = Vec::with_capacity(uris.len());
    for chunk in uris.chunks(ADD_CHUNK) {
        added.extend(add_or_split(spotify, id, chunk).await?);
    }
    Ok(added)
}

async fn add_or_split(
    spotify: &Spotify,
    id: &PlaylistId,
    uris: &[PlayableUri],
) -> Result<Vec<bool>> {
    send_or_split(uris, |batch| async move {
        spotify
            .playlists()
            .add_items(id, batch)
            .send()
            .await
            .map(drop)
    })
    .await
}

/// Saves `uris` to the library (`/me/library`); a batch refused for a dead item is split the same
/// way. Returns whether each was saved.
pub async fn save_or_split(spotify: &Spotify, uris: &[SpotifyUri]) -> Result<Vec<bool>> {
    send_or_split(uris, |batch| spotify.library().save(batch).send()).await
}

/// Sends `items` with `send`; a batch refused for a dead item is split in halves until the dead
/// ones are found. Returns, for each item in order, whether it was sent.
async fn send_or_split<'a, T, F, Fut>(items: &'a [T], mut send: F) -> Result<Vec<bool>>
where
    F: FnMut(&'a [T]) -> Fut,
    Fut: std::future::Future<Output = spotkit::Result<()>>,
{
    // An explicit stack instead of recursion (async recursion needs boxing): halves are
    // processed first-half-first, so the items keep their order.
    let mut out = Vec::with_capacity(items.len());
    let mut stack = vec![items];
    while let Some(batch) = stack.pop() {
        match send(batch).await {
            Ok(()) => out.extend(std::iter::repeat_n(true, batch.len())),
            Err(e) if is_missing(&e) && batch.len() > 1 => {
                let (first, second) = batch.split_at(batch.len() / 2);
                stack.push(second);
                stack.push(first);
            }
            Err(e) if is_missing(&e) => out.push(false),
            Err(e) => return Err(e.into()),
        }
    }
    Ok(out)
}
