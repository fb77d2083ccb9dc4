//! Stage 1, fetch: the tracks of the selected collections through the spotkit client
//! (its streams page concurrently, in order). Local files and podcast episodes are skipped
//! with a reason; playlists Spotify refuses to list (Development-Mode apps may only read
//! playlists the user owns or collaborates on) are skipped as a whole.

use futures::{StreamExt as _, TryStreamExt as _};
use spotkit::Spotify;
use spotkit::api::playlists_items::PlaylistToRead;
use spotkit::model::{PlayableItem, PlaylistId, PlaylistTrack};

use crate::error::{Error, Result};
use crate::track::{Skipped, TrackInfo};

/// What to sync.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    /// The liked songs.
    Liked,
    /// One playlist.
    Playlist(PlaylistId),
    /// Every playlist in the library.
    Playlists,
    /// Liked songs and every playlist.
    All,
}

/// One collection's entries in order.
#[derive(Debug, Clone)]
pub struct Collection {
    /// `liked` or the playlist id (the manifest's key).
    pub key: String,
    /// Its name on Spotify.
    pub name: String,
    /// Its tracks, in order.
    pub tracks: Vec<TrackInfo>,
    /// Entries that are not synced, with why.
    pub skipped: Vec<Skipped>,
}

/// Key of the liked songs in the manifest.
pub const LIKED_KEY: &str = "liked";
/// Name of the liked songs' M3U8.
pub const LIKED_NAME: &str = "Liked Songs";

fn spotify(what: impl Into<String>) -> impl FnOnce(spotkit::Error) -> Error {
    let what = what.into();
    move |source| Error::Spotify { what, source }
}

async fn liked(spotify_client: &Spotify) -> Result<Collection> {
    let mut stream = spotify_client.tracks().saved().limit(50).stream();
    let mut c = Collection {
        key: LIKED_KEY.into(),
        name: LIKED_NAME.into(),
        tracks: Vec::new(),
        skipped: Vec::new(),
    };
    while let Some(saved) = stream
        .try_next()
        .await
        .map_err(spotify("your liked songs"))?
    {
        match TrackInfo::from_track(&saved.track) {
            Ok(t) => c.tracks.push(t),
            Err(s) => c.skipped.push(s),
        }
    }
    Ok(c)
}

/// The name of playlist `id` on Spotify.
async fn playlist_name(spotify_client: &Spotify, id: &PlaylistId) -> Result<String> {
    Ok(spotify_client
        .playlists()
        .get(id)
        .fields("name")
        .send()
        .await
        .map_err(spotify(format!("playlist {}", id.id())))?
        .name)
}

/// One playlist's collection from its entries as [`spotkit`] reads them.
async fn playlist(
    id: &PlaylistId,
    name: String,
    mut stream: impl futures::Stream<Item = spotkit::Result<PlaylistTrack>> + Unpin,
) -> Result<Collection> {
    let mut c = Collection {
        key: id.id().to_owned(),
        name: name.clone(),
        tracks: Vec::new(),
        skipped: Vec::new(),
    };
    while let Some(entry) = stream
        .try_next()
        .await
        .map_err(spotify(format!("playlist `{name}`")))?
    {
        match entry.item() {
            Some(PlayableItem::Track(track)) => match TrackInfo::from_track(track) {
                Ok(t) => c.tracks.push(t),
                Err(s) => c.skipped.push(s),
            },
            Some(PlayableItem::Episode(e)) => c.skipped.push(Skipped {
                label: e.name.clone(),
                reason: "podcast episode: only music is synced".into(),
            }),
            Some(_) => c.skipped.push(Skipped {
                label: String::new(),
                reason: "an item type spotkit does not know".into(),
            }),
            None => c.skipped.push(Skipped {
                label: String::new(),
                reason: "the item is no longer available on Spotify".into(),
            }),
        }
    }
    Ok(c)
}

/// What fetching found: the collections, and the playlists that could not be read at all.
#[derive(Debug, Clone, Default)]
pub struct Fetched {
    /// Collections in order (liked songs first, then playlists as the library lists them).
    pub collections: Vec<Collection>,
    /// Playlists skipped as a whole: (name, reason).
    pub refused: Vec<(String, String)>,
}

/// Fetches the selected collections; playlists are read together (see
/// [`spotkit::api::playlists::PlaylistsHandler::items_of`]).
pub async fn fetch(spotify_client: &Spotify, selection: &Selection) -> Result<Fetched> {
    let mut out = Fetched::default();
    if matches!(selection, Selection::Liked | Selection::All) {
        out.collections.push(liked(spotify_client).await?);
    }
    let playlists: Vec<(PlaylistToRead, Option<String>)> = match selection {
        Selection::Liked => Vec::new(),
        Selection::Playlist(id) => vec![(id.clone().into(), None)],
        Selection::Playlists | Selection::All => {
            // Who the user is, asked with the list: the user's own playlists are read with their
            // listed sizes (all pages at once), the others first page first.
            let (me, mine) = futures::try_join!(
                spotify_client.users().me().send(),
                spotify_client.playlists().mine().all()
            )
            .map_err(spotify("your playlists"))?;
            mine.into_iter()
                .filter_map(|p| {
                    let to_read = PlaylistToRead::listed_for(&p, me.id.as_ref())?;
                    Some((to_read, Some(p.name)))
                })
                .collect()
        }
    };
    let single = matches!(selection, Selection::Playlist(_));
    let mut named = Vec::with_capacity(playlists.len());
    for (to_read, name) in playlists {
        let name = match name {
            Some(n) => n,
            None => playlist_name(spotify_client, &to_read.id).await?,
        };
        named.push((to_read, name));
    }
    // Every playlist's entries under the client's one request budget, in order.
    let mut entries = spotify_client
        .playlists()
        .items_of(named.iter().map(|(p, _)| p.clone()))
        .limit(50)
        .stream();
    let mut results = Vec::with_capacity(named.len());
    for (PlaylistToRead { id, .. }, name) in named {
        let Some(stream) = entries.next().await else {
            break;
        };
        results.push((name.clone(), playlist(&id, name, stream).await));
    }
    for (label, result) in results {
        match result {
            Ok(c) => out.collections.push(c),
            Err(Error::Spotify {
                source: spotkit::Error::Forbidden { .. },
                ..
            }) if !single => out.refused.push((
                label,
                "Spotify refuses to list its items to this app (Development Mode only allows playlists you own or collaborate on)".into(),
            )),
            Err(e) => return Err(e),
        }
    }
    Ok(out)
}
