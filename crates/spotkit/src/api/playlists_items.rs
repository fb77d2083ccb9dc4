//! The entries of several playlists read together: [`PlaylistsHandler::items_of`].
//!
//! Reading a library's playlists one after another costs at least one round trip per playlist
//! however small it is; here the playlists and their pages share one request budget (the
//! client's `concurrency`), so the first pages of the next playlists are under way while the
//! current one is read, and the entries still come out playlist by playlist, in order.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures::stream::{self, Stream, StreamExt};
use serde::de::DeserializeOwned;
use tokio::sync::mpsc;

use super::AdditionalTypes;
use super::playlists::{PlaylistItems, PlaylistsHandler, first_items_page, first_items_url};
use crate::Spotify;
use crate::error::{Error, Result, decode_json};
use crate::model::{Page, PlaylistId, PlaylistTrack, SimplifiedPlaylist, UserId};
use crate::paging::{self, Ahead, Budget, FirstPage};

impl<'a> PlaylistsHandler<'a> {
    /// Every entry of each playlist of `playlists`, several playlists and pages at once under one
    /// request budget: a stream of [`PlaylistEntries`], one per playlist in the given order,
    /// each a stream of that playlist's entries in order.
    ///
    /// A playlist is its [`PlaylistId`] or a [`PlaylistToRead`] that also tells its size (from
    /// the list of playlists): then all its pages are asked for at once instead of the first
    /// page first, which saves a round trip per playlist.
    ///
    /// At most the client's [`concurrency`](crate::SpotifyBuilder::concurrency) requests are in
    /// flight in all (a 429 is waited out and a `QUOTA_EXCEEDED` stops, as for every request).
    /// Up to `concurrency` playlists are read ahead of the one being consumed, each holding at
    /// most `2 × concurrency` pages, so memory stays bounded whatever the library's size. A
    /// playlist that cannot be read (a 403 for another user's playlist in Development Mode, a
    /// 404) ends its own stream with the error; the other playlists are not affected.
    ///
    /// ```no_run
    /// # async fn demo(spotify: spotkit::Spotify) -> spotkit::Result<()> {
    /// use futures::{StreamExt, TryStreamExt};
    /// let ids: Vec<_> = spotify.playlists().mine().all().await?
    ///     .into_iter().filter_map(|p| p.id).collect();
    /// let mut playlists = spotify.playlists().items_of(ids).limit(50).stream();
    /// while let Some(mut entries) = playlists.next().await {
    ///     let id = entries.id().clone();
    ///     while let Some(entry) = entries.try_next().await? {
    ///         println!("{}: {:?}", id.id(), entry.added_at);
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    pub fn items_of<P: Into<PlaylistToRead>>(
        &self,
        playlists: impl IntoIterator<Item = P>,
    ) -> ItemsOf<'a> {
        ItemsOf {
            query: self.items_query(),
            playlists: playlists.into_iter().map(Into::into).collect(),
        }
    }
}

/// A playlist for [`PlaylistsHandler::items_of`]: its id and, when known, how many entries it
/// has.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PlaylistToRead {
    /// The playlist.
    pub id: PlaylistId,
    /// Its number of entries as listed (`items.total`). With it, every page is requested at
    /// once; a playlist that changed since is still read whole (pages past its end come back
    /// empty and end it, and one that grew is followed to its end). Give it only for playlists
    /// whose entries the user may read (those they own or collaborate on; a listed
    /// `collaborative` flag alone does not say this user is a collaborator): Spotify refuses
    /// the others, and each refused page would be a request spent.
    pub total: Option<u32>,
}

impl PlaylistToRead {
    /// `id`, whose size is `total` entries.
    pub fn with_total(id: PlaylistId, total: u32) -> Self {
        PlaylistToRead {
            id,
            total: Some(total),
        }
    }

    /// `playlist` as listed (its id and `items.total`), if it has an id.
    pub fn listed(playlist: &SimplifiedPlaylist) -> Option<Self> {
        Some(PlaylistToRead {
            id: playlist.id.clone()?,
            total: playlist.items().map(|r| r.total),
        })
    }

    /// `playlist` as listed in `user`'s playlists: with its size if `user` owns it, without
    /// otherwise (Spotify refuses others' pages, and a listed `collaborative` flag does not say
    /// whether `user` is one of the collaborators). `None` if it has no id.
    pub fn listed_for(playlist: &SimplifiedPlaylist, user: Option<&UserId>) -> Option<Self> {
        let listed = Self::listed(playlist)?;
        let own = user.is_some() && playlist.owner.id.as_ref() == user;
        Some(if own { listed } else { listed.id.into() })
    }
}

impl From<PlaylistId> for PlaylistToRead {
    fn from(id: PlaylistId) -> Self {
        PlaylistToRead { id, total: None }
    }
}

/// Builder for [`PlaylistsHandler::items_of`]: the query of every playlist's requests.
#[derive(Debug)]
#[must_use = "a builder does nothing until `.stream()`"]
pub struct ItemsOf<'a, T = PlaylistTrack> {
    query: PlaylistItems<'a, T>,
    playlists: Vec<PlaylistToRead>,
}

impl<'a> ItemsOf<'a> {
    /// The same request, with every entry as the JSON Spotify sent (each member and value kept).
    pub fn raw(self) -> ItemsOf<'a, serde_json::Value> {
        ItemsOf {
            query: self.query.raw(),
            playlists: self.playlists,
        }
    }
}

impl<T: DeserializeOwned + Send + 'static> ItemsOf<'_, T> {
    /// An ISO 3166-1 country code or `from_token`.
    pub fn market(mut self, market: impl Into<String>) -> Self {
        self.query = self.query.market(market);
        self
    }

    /// A field filter for every page (keep `next`, `total`, `limit` and `offset`).
    pub fn fields(mut self, fields: impl Into<String>) -> Self {
        self.query = self.query.fields(fields);
        self
    }

    /// Item types besides tracks to return (pass `[Track, Episode]` to get podcast episodes).
    pub fn additional_types(mut self, types: impl Into<AdditionalTypes>) -> Self {
        self.query = self.query.additional_types(types);
        self
    }

    /// Entries per page (1..=50 for `/items`, 1..=100 for `/tracks`).
    pub fn limit(mut self, limit: u32) -> Self {
        self.query = self.query.limit(limit);
        self
    }

    /// Requests in flight at once, for every playlist together (default: the client's).
    pub fn concurrency(mut self, requests: usize) -> Self {
        self.query = self.query.concurrency(requests);
        self
    }

    /// One [`PlaylistEntries`] per playlist, in the order given.
    pub fn stream(self) -> impl Stream<Item = PlaylistEntries<T>> + Send + Unpin + 'static {
        let spotify = self.query.spotify().clone();
        let concurrency = self
            .query
            .requested_concurrency()
            .unwrap_or_else(|| spotify.concurrency());
        let query = self.query.query_string();
        let limit = self.query.requested_limit();
        let budget = Budget::new(concurrency, 2);
        let started = self.playlists.into_iter().map(move |p| {
            let walk = read(spotify.clone(), p, limit, query.clone(), budget.clone());
            futures::future::ready(walk)
        });
        // `buffered` starts the walks of the next playlists as soon as the stream is polled,
        // while the current one is read: the read-ahead.
        Box::pin(stream::iter(started).buffered(concurrency))
    }
}

/// Starts reading one playlist on its own task; its pages come through a channel of one.
fn read<T: DeserializeOwned + Send + 'static>(
    spotify: Spotify,
    playlist: PlaylistToRead,
    limit: Option<u32>,
    query: std::result::Result<String, String>,
    budget: Budget,
) -> PlaylistEntries<T> {
    let (tx, rx) = mpsc::channel(1);
    let transport = spotify.transport().clone();
    let PlaylistToRead { id, total } = playlist;
    let segment = super::segment(id.id());
    // Its pages planned from the listed size, when the page size is known too (Spotify's
    // default differs between `/items` and `/tracks`) and the list spans more than one page.
    let ahead = match (total, limit, &query) {
        (Some(total), Some(limit), Ok(query)) if total > limit => {
            first_items_url(&spotify, &segment, query)
                .ok()
                .map(|url| Ahead { url, limit, total })
        }
        _ => None,
    };
    let first: FirstPage<Page<T>> = {
        let budget = budget.clone();
        Box::pin(async move {
            let query = query.map_err(Error::Internal)?;
            // The first page (or the `/items` then `/tracks` attempts) one request at a time.
            budget
                .run(first_items_page(&spotify, &segment, &query))
                .await
        })
    };
    let task = tokio::spawn(async move {
        let mut pages =
            paging::pages(transport, first, ahead, decode_json::<Page<T>>, budget).boxed();
        while let Some(page) = pages.next().await {
            let failed = page.is_err();
            if tx.send(page.map(|p| p.items)).await.is_err() || failed {
                break;
            }
        }
    });
    PlaylistEntries {
        id,
        pages: rx,
        current: Vec::new().into_iter(),
        task: Some(task),
    }
}

/// The entries of one playlist of [`PlaylistsHandler::items_of`], in order: a stream that ends
/// after the last entry or after the first error. Dropping it stops the playlist's requests.
#[derive(Debug)]
pub struct PlaylistEntries<T> {
    id: PlaylistId,
    pages: mpsc::Receiver<Result<Vec<T>>>,
    current: std::vec::IntoIter<T>,
    /// The task reading the pages, until it has ended.
    task: Option<tokio::task::JoinHandle<()>>,
}

impl<T> PlaylistEntries<T> {
    /// The playlist these entries are from.
    pub fn id(&self) -> &PlaylistId {
        &self.id
    }
}

impl<T> Drop for PlaylistEntries<T> {
    fn drop(&mut self) {
        if let Some(task) = &self.task {
            task.abort();
        }
    }
}

impl<T> Unpin for PlaylistEntries<T> {}

impl<T> Stream for PlaylistEntries<T> {
    type Item = Result<T>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<T>>> {
        loop {
            if let Some(item) = self.current.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            match self.pages.poll_recv(cx) {
                Poll::Ready(Some(Ok(items))) => self.current = items.into_iter(),
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                Poll::Pending => return Poll::Pending,
                // The task is gone: the playlist is complete only if it ended by itself.
                Poll::Ready(None) => {
                    let Some(task) = self.task.as_mut() else {
                        return Poll::Ready(None);
                    };
                    let joined = std::task::ready!(Pin::new(task).poll(cx));
                    self.task = None;
                    return match joined {
                        Ok(()) => Poll::Ready(None),
                        Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
                        Err(_) => Poll::Ready(Some(Err(Error::Internal(
                            "the tokio runtime shut down while a playlist was being read; keep \
                             the runtime alive until the stream ends"
                                .into(),
                        )))),
                    };
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listed(owner: &str, collaborative: bool) -> SimplifiedPlaylist {
        serde_json::from_value(serde_json::json!({
            "id": "37i9dQZF1DX8mBRYewE6or",
            "collaborative": collaborative,
            "owner": {"id": owner},
            "items": {"href": "https://api.spotify.com/v1/playlists/37i9dQZF1DX8mBRYewE6or/items", "total": 120},
        }))
        .unwrap()
    }

    #[test]
    fn a_listed_size_is_kept_for_the_users_own_playlists_only() {
        let me = UserId::parse("me").unwrap();
        let size =
            |p: &SimplifiedPlaylist, user| PlaylistToRead::listed_for(p, user).unwrap().total;
        assert_eq!(size(&listed("me", false), Some(&me)), Some(120));
        assert_eq!(size(&listed("someone", false), Some(&me)), None);
        // Collaborative, but whether "me" collaborates is not in the list.
        assert_eq!(size(&listed("someone", true), Some(&me)), None);
        assert_eq!(size(&listed("me", false), None), None);
    }
}
