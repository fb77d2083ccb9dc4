//! Phase 3 of an import: playlists created (or continued) and filled in order, library items
//! saved; what is there already is not added again.

use std::collections::HashMap;
use std::path::Path;

use anyhow::{Result, anyhow};
use spotkit::Spotify;
use spotkit::model::{PlayableUri, PlaylistId, SpotifyUri};

use super::journal::Journal;
use super::outcome::{Outcome, Write};
use crate::import::{Destination, Target};

/// Writes one target; returns the id of a playlist it created.
pub async fn write_target(
    spotify: &Spotify,
    target: &Target,
    outcomes: &mut [Outcome],
    journal: &mut Journal,
    journal_path: &Path,
    public: bool,
) -> Result<Option<String>> {
    let matched: Vec<usize> = (0..outcomes.len())
        .filter(|i| matches!(outcomes[*i], Outcome::Matched(..)))
        .collect();
    let uris: Vec<String> = matched
        .iter()
        .filter_map(|i| match &outcomes[*i] {
            Outcome::Matched(m, _) => Some(m.uri.clone()),
            _ => None,
        })
        .collect();
    let (states, created) = match &target.destination {
        Destination::Playlist { name, description } => {
            let known = known_playlist(spotify, journal.playlists.get(name)).await?;
            let (id, created) = if let Some(id) = known {
                (id, None)
            } else {
                let mut create = spotify.playlists().create(name.clone()).public(public);
                if let Some(d) = description {
                    create = create.description(d.clone());
                }
                let playlist = create.send().await?;
                let id = playlist.id.ok_or_else(|| {
                    anyhow!("Spotify created the playlist `{name}` but did not say its id")
                })?;
                // Remember it before adding anything: a re-run continues this playlist.
                journal.playlists.insert(name.clone(), id.to_string());
                journal.save(journal_path)?;
                let raw = id.to_string();
                (id, Some(raw))
            };
            (fill_playlist(spotify, &id, &uris).await?, created)
        }
        Destination::Existing { id } => (
            fill_playlist(spotify, &PlaylistId::parse(id)?, &uris).await?,
            None,
        ),
        Destination::Liked | Destination::Library | Destination::Artists => {
            (save_to_library(spotify, &uris).await?, None)
        }
    };
    for (i, state) in matched.iter().zip(states) {
        if let Outcome::Matched(m, w) = &mut outcomes[*i] {
            match state {
                Some(state) => *w = state,
                None => outcomes[*i] = Outcome::Unavailable(m.clone()),
            }
        }
    }
    Ok(created)
}

/// Saves the items the library does not hold yet (`/me/library` takes tracks, episodes, albums,
/// shows and artists alike); returns each item's state (`None`: Spotify does not know it).
async fn save_to_library(spotify: &Spotify, uris: &[String]) -> Result<Vec<Option<Write>>> {
    let uris: Vec<SpotifyUri> = uris
        .iter()
        .map(|u| SpotifyUri::parse(u))
        .collect::<Result<_, _>>()?;
    let present = spotify.library().contains(&uris).send().await?;
    // Saving puts the newest first: save in reverse so the first row ends up on top.
    let missing: Vec<SpotifyUri> = uris
        .iter()
        .zip(&present)
        .filter(|(_, p)| !**p)
        .map(|(u, _)| u.clone())
        .rev()
        .collect();
    let saved = if missing.is_empty() {
        Vec::new()
    } else {
        super::uris::save_or_split(spotify, &missing).await?
    };
    let dead: std::collections::HashSet<String> = missing
        .iter()
        .zip(&saved)
        .filter(|(_, ok)| !**ok)
        .map(|(u, _)| u.uri())
        .collect();
    Ok(uris
        .iter()
        .zip(&present)
        .map(|(u, p)| {
            if *p {
                Some(Write::Present)
            } else if dead.contains(&u.uri()) {
                None
            } else {
                Some(Write::Added)
            }
        })
        .collect())
}

/// The journal's playlist for this target, if it still exists.
async fn known_playlist(spotify: &Spotify, id: Option<&String>) -> Result<Option<PlaylistId>> {
    let Some(id) = id else { return Ok(None) };
    let id = PlaylistId::parse(id)?;
    match spotify.playlists().get(&id).fields("id").send().await {
        Ok(_) => Ok(Some(id)),
        // Deleted since the last run: start a new one.
        Err(spotkit::Error::NotFound { .. }) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// Adds the rows' items that the playlist does not hold yet, in order.
///
/// The playlist is read back first. Items are added in source order, so after an interrupted
/// run its items are a prefix of the wanted list, and the rest is appended. When the user changed
/// the playlist in between, each wanted item is added as many times as it is missing.
async fn fill_playlist(
    spotify: &Spotify,
    id: &PlaylistId,
    uris: &[String],
) -> Result<Vec<Option<Write>>> {
    let existing: Vec<String> = spotify
        .playlists()
        .items(id)
        .limit(50)
        .all()
        .await?
        .iter()
        .filter_map(|it| it.item().and_then(|i| i.uri().map(str::to_owned)))
        .collect();
    let mut have: HashMap<String, usize> = HashMap::new();
    for uri in existing {
        *have.entry(uri).or_default() += 1;
    }
    let mut add = Vec::new();
    let mut states = Vec::with_capacity(uris.len());
    for uri in uris {
        match have.get_mut(uri) {
            Some(n) if *n > 0 => {
                *n -= 1;
                states.push(Write::Present);
            }
            _ => {
                add.push(PlayableUri::parse(uri)?);
                states.push(Write::Added);
            }
        }
    }
    if add.is_empty() {
        return Ok(states.into_iter().map(Some).collect());
    }
    // One dead URI makes Spotify refuse its whole batch: the dead ones are found and left out.
    let mut added = super::uris::add_in_order(spotify, id, &add)
        .await?
        .into_iter();
    Ok(states
        .into_iter()
        .map(|s| match s {
            Write::Added => added.next().unwrap_or(true).then_some(Write::Added),
            other => Some(other),
        })
        .collect())
}
