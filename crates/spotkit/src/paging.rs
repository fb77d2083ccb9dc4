//! Paging: every item of a list, one page at a time or several pages at once.
//!
//! Spotify lists come as offset pages ([`Page`]) or cursor pages ([`CursorPage`]). The builders
//! of [`crate::api`] end in `.send()` (one page) or `.stream()` / `.all()` (every item), which use
//! the two strategies here:
//!
//! * **sequential**: fetch a page, yield its items, follow its `next` link; stop when there is no
//!   `next` *or the page is empty* (Spotify sometimes sends a `next` past the end, which would
//!   otherwise loop forever);
//! * **concurrent** (offset pages only): the first page reveals `total` and `limit`; the remaining
//!   offsets are planned at once and fetched with bounded concurrency (default 10), and items are
//!   yielded **in order**. It stops where the sequential walk would stop (an empty page, a page
//!   without `next`) and follows `next` past the planned range if the list grew meanwhile, so
//!   both strategies yield the same items in the same order. A page that arrives early waits in
//!   a small reorder buffer (as the JSON Spotify sent) instead of blocking a request slot, and
//!   pages are decoded on their own tasks, two ahead of the caller, while the next requests are
//!   already under way; at most `concurrency` requests and `2 × concurrency` pages are in flight
//!   or buffered, so streaming a 100 000-song library needs little memory.
//!
//! ```no_run
//! # async fn demo(spotify: spotkit::Spotify) -> spotkit::Result<()> {
//! use futures::TryStreamExt;
//! let mut liked = spotify.tracks().saved().limit(50).stream();
//! while let Some(saved) = liked.try_next().await? {
//!     println!("{} - {}", saved.track.artist_names(), saved.track.name);
//! }
//! # Ok(()) }
//! ```

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::sync::Semaphore;

use futures::future::{BoxFuture, Either, select};
use std::collections::BTreeMap;

use futures::stream::{self, BoxStream, FuturesUnordered, Stream, StreamExt, TryStreamExt};
use url::Url;

use crate::error::Result;
use crate::http::transport::{ApiRequest, Transport};
pub use crate::model::{CursorPage, Page};

/// Decodes a response body into a page (directly, or out of an envelope such as
/// `{"artists": {..}}`).
pub(crate) type Decoder<P> = fn(&[u8]) -> Result<P>;

/// The first page and the URL it came from (the URL later offsets are derived from).
pub(crate) type FirstPage<P> = BoxFuture<'static, Result<(Url, P)>>;

/// What the pagers need to know about a page.
pub(crate) trait PageInfo: Send + 'static {
    type Item: Send + 'static;
    /// Entries on the page as sent, skipped ones included (an empty page ends the walk).
    fn raw_len(&self) -> usize;
    fn next_link(&self) -> Option<&str>;
    fn total(&self) -> Option<u32>;
    fn limit(&self) -> Option<u32>;
    fn offset(&self) -> Option<u32>;
    /// The readable entries.
    fn into_items(self) -> Vec<Self::Item>;
}

impl<T: Send + 'static> PageInfo for Page<T> {
    type Item = T;
    fn raw_len(&self) -> usize {
        self.items.len() + self.skipped.len()
    }
    fn next_link(&self) -> Option<&str> {
        self.next_url()
    }
    fn total(&self) -> Option<u32> {
        // A `fields` filter can drop `total` (read as 0): unknown, not empty, when the page
        // has entries.
        Some(self.total).filter(|&t| t > 0 || self.raw_len() == 0)
    }
    fn limit(&self) -> Option<u32> {
        Some(self.limit).filter(|&l| l > 0)
    }
    fn offset(&self) -> Option<u32> {
        Some(self.offset)
    }
    fn into_items(self) -> Vec<T> {
        self.items
    }
}

impl<T: Send + 'static> PageInfo for CursorPage<T> {
    type Item = T;
    fn raw_len(&self) -> usize {
        self.items.len() + self.skipped.len()
    }
    fn next_link(&self) -> Option<&str> {
        self.next_url()
    }
    fn total(&self) -> Option<u32> {
        self.total
    }
    fn limit(&self) -> Option<u32> {
        Some(self.limit).filter(|&l| l > 0)
    }
    fn offset(&self) -> Option<u32> {
        // Cursor pages have no offsets: never planned concurrently.
        None
    }
    fn into_items(self) -> Vec<T> {
        self.items
    }
}

/// GETs one page.
pub(crate) async fn fetch<P>(transport: &Transport, url: Url, decode: Decoder<P>) -> Result<P> {
    let body = transport.execute(&ApiRequest::get(url)).await?;
    decode(&body)
}

/// How many requests a walk may have in flight and how many pages it may hold.
///
/// One walk gets its own budget; several walks read together (every playlist with its items)
/// share one `requests` semaphore, so the client's `concurrency` bounds them all at once.
#[derive(Debug, Clone)]
pub(crate) struct Budget {
    /// Permits for requests in flight (shared between walks that read together); closed once
    /// a request meets the exhausted quota.
    requests: Arc<Semaphore>,
    /// How many permits `requests` has in all.
    pub(crate) concurrency: usize,
    /// Pages of this walk in flight or waiting in its reorder buffer.
    pub(crate) window: usize,
    /// The `Retry-After` of the `QUOTA_EXCEEDED` that closed `requests`.
    quota: Arc<OnceLock<Option<Duration>>>,
}

impl Budget {
    /// A budget for one walk: `concurrency` requests, twice as many pages.
    pub(crate) fn single(concurrency: usize) -> Self {
        Self::new(concurrency, 2)
    }

    /// `concurrency` requests in all, `pages_per_request × concurrency` pages per walk.
    pub(crate) fn new(concurrency: usize, pages_per_request: usize) -> Self {
        let concurrency = concurrency.max(1);
        Budget {
            requests: Arc::new(Semaphore::new(concurrency)),
            concurrency,
            window: pages_per_request.max(1) * concurrency,
            quota: Arc::new(OnceLock::new()),
        }
    }

    /// Runs `request` (one request at a time) under a permit. Once a request met the exhausted
    /// quota (`QUOTA_EXCEEDED`, which is never retried), no other request of the budget starts:
    /// they would only spend more of the account's requests on refusals.
    pub(crate) async fn run<T>(&self, request: impl Future<Output = Result<T>>) -> Result<T> {
        let quota_error = |quota: &OnceLock<Option<Duration>>| crate::Error::QuotaExceeded {
            retry_after: quota.get().copied().flatten(),
        };
        let Ok(_permit) = self.requests.acquire().await else {
            return Err(quota_error(&self.quota));
        };
        let out = request.await;
        if let Err(crate::Error::QuotaExceeded { retry_after }) = &out {
            let _ = self.quota.set(*retry_after);
            self.requests.close();
        }
        out
    }

    /// GETs one page under the budget; the page is decoded after the permit is back.
    pub(crate) async fn fetch<P>(
        &self,
        transport: &Transport,
        url: Url,
        decode: Decoder<P>,
    ) -> Result<P> {
        let body = self.run(transport.execute(&ApiRequest::get(url))).await?;
        decode(&body)
    }
}

/// A page fetch running as its own task, so decoding one page (the CPU part of a walk) happens
/// on any worker thread and never delays the request of the next; aborted when dropped, so a
/// caller that stops reading leaves no request running.
struct Spawned<T>(tokio::task::JoinHandle<Result<T>>);

impl<T: Send + 'static> Spawned<T> {
    fn new(fut: impl Future<Output = Result<T>> + Send + 'static) -> Self {
        Spawned(tokio::spawn(fut))
    }
}

impl<T> Drop for Spawned<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl<T> Future for Spawned<T> {
    type Output = Result<T>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        Pin::new(&mut self.0).poll(cx).map(|joined| match joined {
            Ok(result) => result,
            // A panic in the task is a bug: surface it where the caller would have seen it.
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            Err(_) => Err(crate::Error::Internal(
                "the tokio runtime shut down while a page was being fetched; keep the runtime \
                 alive until the walk ends"
                    .into(),
            )),
        })
    }
}

/// The plain first-page future: GET `url`.
pub(crate) fn first_page<P: PageInfo>(
    transport: Arc<Transport>,
    url: Url,
    decode: Decoder<P>,
) -> FirstPage<P> {
    Box::pin(async move {
        let page = fetch(&transport, url.clone(), decode).await?;
        Ok((url, page))
    })
}

/// The offsets of the pages after a first page at `first_offset`, for a list of `total` items
/// fetched `limit` at a time: `first_offset + limit, first_offset + 2·limit, … < total`.
pub(crate) fn plan_offsets(
    first_offset: u32,
    limit: u32,
    total: u32,
) -> impl Iterator<Item = u32> + Send + 'static {
    let start = first_offset.saturating_add(limit.max(1));
    (start..total.max(start)).step_by(limit.max(1) as usize)
}

/// `url` with its `offset` and `limit` replaced.
pub(crate) fn with_offset(url: &Url, offset: u32, limit: u32) -> Url {
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| k != "offset" && k != "limit")
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let mut out = url.clone();
    {
        let mut q = out.query_pairs_mut();
        q.clear();
        for (k, v) in &kept {
            q.append_pair(k, v);
        }
        q.append_pair("offset", &offset.to_string());
        q.append_pair("limit", &limit.to_string());
    }
    out
}

/// Runs the futures of `jobs` with at most `in_flight` at a time and yields their outputs in
/// the order of `jobs`.
///
/// Unlike `StreamExt::buffered`, a finished page does not hold a request slot while it waits for
/// an earlier, slower one: it moves to a reorder buffer and the next request starts at once. The
/// buffer is bounded too (`in_flight + buffered ≤ window`), so a stuck page cannot make memory grow.
pub(crate) fn in_order<I, F>(
    jobs: I,
    in_flight: usize,
    window: usize,
) -> impl Stream<Item = F::Output> + Send + 'static
where
    I: Iterator<Item = F> + Send + 'static,
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    struct Window<I, O> {
        jobs: std::iter::Enumerate<I>,
        running: FuturesUnordered<BoxFuture<'static, (usize, O)>>,
        done: BTreeMap<usize, O>,
        next: usize,
        exhausted: bool,
    }
    let in_flight = in_flight.max(1);
    let window = window.max(in_flight);
    let state = Window {
        jobs: jobs.enumerate(),
        running: FuturesUnordered::new(),
        done: BTreeMap::new(),
        next: 0,
        exhausted: false,
    };
    stream::unfold(state, move |mut w| async move {
        loop {
            while !w.exhausted
                && w.running.len() < in_flight
                && w.running.len() + w.done.len() < window
            {
                match w.jobs.next() {
                    Some((i, job)) => w.running.push(Box::pin(async move { (i, job.await) })),
                    None => w.exhausted = true,
                }
            }
            if let Some(out) = w.done.remove(&w.next) {
                w.next += 1;
                return Some((out, w));
            }
            // The job due next is running (everything earlier was yielded), so this cannot end
            // while jobs remain.
            let (i, out) = w.running.next().await?;
            w.done.insert(i, out);
        }
    })
}

enum State<P> {
    Start(FirstPage<P>, Option<Ahead>),
    Planned {
        pages: BoxStream<'static, Result<P>>,
        /// The `next` link of the last page yielded.
        last_next: Option<Url>,
    },
    Follow(Url),
    Done,
}

/// A list's size known before its first page (a playlist's `items.total` in the user's list of
/// playlists): the pages after the first are asked for together with it instead of after it.
#[derive(Debug, Clone)]
pub(crate) struct Ahead {
    /// The URL the first page will come from (its later pages are this with another offset).
    pub(crate) url: Url,
    /// Entries per page, as requested.
    pub(crate) limit: u32,
    /// How many entries the list had when it was listed.
    pub(crate) total: u32,
}

/// Pages decoded ahead of the one the caller reads: decoding overlaps the caller's work, and
/// the other pages of the window wait as JSON.
const DECODED_AHEAD: usize = 2;

/// The pages of `url` at `offsets`, each requested under `budget` on its own task and decoded
/// just before the caller reaches it, in order.
fn planned<P: PageInfo>(
    transport: &Arc<Transport>,
    url: Url,
    offsets: impl Iterator<Item = u32> + Send + 'static,
    limit: u32,
    decode: Decoder<P>,
    budget: &Budget,
) -> BoxStream<'static, Result<P>> {
    let t = transport.clone();
    // The budget bounds the requests. Pages wait in the reorder window as the bytes Spotify sent
    // (a page's models take about four times its JSON), and are decoded on their own tasks just
    // before the caller reaches them, while the next requests are already under way (on a fast
    // link decoding is the critical path).
    let window = budget.window;
    let budget = budget.clone();
    let fetches = offsets.map(move |off| {
        let t = t.clone();
        let budget = budget.clone();
        let request = ApiRequest::get(with_offset(&url, off, limit));
        Spawned::new(async move { budget.run(t.execute(&request)).await })
    });
    in_order(fetches, window, window)
        .map(move |body| Spawned::new(async move { decode(&body?) }))
        .buffered(DECODED_AHEAD)
        .boxed()
}

/// Every item of a list. With `concurrency > 1` offset pages after the first are fetched
/// `concurrency` at a time; with `1` (or for cursor pages) it walks the `next` links.
pub(crate) fn items<P: PageInfo>(
    transport: Arc<Transport>,
    first: FirstPage<P>,
    decode: Decoder<P>,
    concurrency: usize,
) -> impl Stream<Item = Result<P::Item>> + Send + Unpin + 'static {
    // Boxed once so callers can use `try_next()` without pinning it themselves.
    Box::pin(
        pages(transport, first, None, decode, Budget::single(concurrency))
            .map_ok(|page| stream::iter(page.into_items().into_iter().map(Ok)))
            .try_flatten(),
    )
}

/// Every page of a list, in order (see [`items`]). Ends at the first empty page.
///
/// Every request after `first` takes a permit of `budget` (the caller bounds `first` itself).
/// With `ahead`, the pages after the first are requested while the first is (the plan is
/// dropped if the first page shows another URL, page size or no further pages).
pub(crate) fn pages<P: PageInfo>(
    transport: Arc<Transport>,
    first: FirstPage<P>,
    ahead: Option<Ahead>,
    decode: Decoder<P>,
    budget: Budget,
) -> impl Stream<Item = Result<P>> + Send + 'static {
    stream::try_unfold(State::Start(first, ahead), move |state| {
        let transport = transport.clone();
        let budget = budget.clone();
        async move {
            let mut state = state;
            loop {
                match state {
                    State::Done => return Ok(None),
                    State::Start(first, ahead) => {
                        let mut early = ahead
                            .filter(|a| budget.concurrency > 1 && a.limit > 0)
                            .map(|a| {
                                let offsets = plan_offsets(0, a.limit, a.total);
                                let pages = planned(
                                    &transport,
                                    a.url.clone(),
                                    offsets,
                                    a.limit,
                                    decode,
                                    &budget,
                                );
                                (a, pages.peekable())
                            });
                        let (url, page) = match early.as_mut() {
                            None => first.await?,
                            // The first page's request is polled first, so it is first in line
                            // for the budget; one poll of the plan starts its requests on their
                            // own tasks.
                            Some((_, pages)) => {
                                let raced = match select(first, Pin::new(pages).peek()).await {
                                    Either::Left((out, _)) => Ok(out),
                                    Either::Right((_, first)) => Err(first),
                                };
                                match raced {
                                    Ok(out) => out?,
                                    Err(first) => first.await?,
                                }
                            }
                        };
                        if page.raw_len() == 0 {
                            return Ok(None);
                        }
                        let next = page
                            .next_link()
                            .map(|l| transport.check_link(l))
                            .transpose()?;
                        // The early plan holds if the first page is what it assumed.
                        let early = early.filter(|(a, _)| {
                            a.url == url
                                && page.limit() == Some(a.limit)
                                && page.offset() == Some(0)
                        });
                        let next_state =
                            match (next, early, page.total(), page.limit(), page.offset()) {
                                (Some(next), Some((_, pages)), ..) => State::Planned {
                                    pages: pages.boxed(),
                                    last_next: Some(next),
                                },
                                (Some(next), None, Some(total), Some(limit), Some(offset))
                                    if budget.concurrency > 1 && limit > 0 =>
                                {
                                    let offsets = plan_offsets(offset, limit, total);
                                    State::Planned {
                                        pages: planned(
                                            &transport, url, offsets, limit, decode, &budget,
                                        ),
                                        last_next: Some(next),
                                    }
                                }
                                (Some(next), ..) => State::Follow(next),
                                (None, ..) => State::Done,
                            };
                        return Ok(Some((page, next_state)));
                    }
                    State::Planned {
                        mut pages,
                        last_next,
                    } => match pages.next().await {
                        Some(page) => {
                            let page = page?;
                            if page.raw_len() == 0 {
                                return Ok(None);
                            }
                            let next = page
                                .next_link()
                                .map(|l| transport.check_link(l))
                                .transpose()?;
                            // Where the sequential walk would stop, stop too.
                            let next_state = if next.is_some() {
                                State::Planned {
                                    pages,
                                    last_next: next,
                                }
                            } else {
                                State::Done
                            };
                            return Ok(Some((page, next_state)));
                        }
                        // The plan is done; if the list grew meanwhile, keep walking.
                        None => state = last_next.map_or(State::Done, State::Follow),
                    },
                    State::Follow(url) => {
                        let page = budget.fetch(&transport, url, decode).await?;
                        if page.raw_len() == 0 {
                            return Ok(None);
                        }
                        let next = page
                            .next_link()
                            .map(|l| transport.check_link(l))
                            .transpose()?;
                        return Ok(Some((page, next.map_or(State::Done, State::Follow))));
                    }
                }
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[tokio::test]
    async fn a_cancelled_page_task_is_internal_not_configuration() {
        let task = Spawned::<()>::new(futures::future::pending());
        // What a runtime shutdown does to the task: cancels it without a panic.
        task.0.abort();
        let err = task.await.unwrap_err();
        assert!(matches!(err, crate::Error::Internal(_)), "{err:?}");
        assert!(err.to_string().contains("runtime shut down"), "{err}");
    }

    #[test]
    fn offsets_after_the_first_page() {
        assert_eq!(plan_offsets(0, 50, 120).collect::<Vec<_>>(), [50, 100]);
        assert_eq!(plan_offsets(0, 50, 100).collect::<Vec<_>>(), [50]);
        assert_eq!(plan_offsets(0, 50, 50).count(), 0);
        assert_eq!(plan_offsets(0, 50, 0).count(), 0);
        assert_eq!(plan_offsets(10, 20, 75).collect::<Vec<_>>(), [30, 50, 70]);
        assert_eq!(plan_offsets(0, 0, 3).collect::<Vec<_>>(), [1, 2]);
        assert_eq!(plan_offsets(u32::MAX - 1, 50, u32::MAX).count(), 0);
    }

    proptest! {
        /// The first page plus the planned pages cover `first..total` exactly once.
        #[test]
        fn plan_covers_every_item_once(first in 0u32..500, limit in 1u32..100, extra in 0u32..5000) {
            let total = first + extra;
            let mut covered = Vec::new();
            let first_end = (first + limit).min(total);
            covered.extend(first..first_end);
            for off in plan_offsets(first, limit, total) {
                covered.extend(off..(off + limit).min(total));
            }
            let expected: Vec<u32> = (first..total).collect();
            prop_assert_eq!(covered, expected);
        }
    }

    #[tokio::test(start_paused = true)]
    async fn in_order_yields_in_job_order_and_bounds_concurrency() {
        use std::sync::Arc;
        use std::sync::atomic::{AtomicUsize, Ordering};
        let running = Arc::new(AtomicUsize::new(0));
        let peak = Arc::new(AtomicUsize::new(0));
        // Job 0 is slow: later jobs finish first but must still come out after it.
        let jobs = (0..40u64).map({
            let running = running.clone();
            let peak = peak.clone();
            move |i| {
                let running = running.clone();
                let peak = peak.clone();
                async move {
                    let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                    peak.fetch_max(now, Ordering::SeqCst);
                    let ms = if i == 0 { 500 } else { 10 + (i * 7) % 30 };
                    tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
                    running.fetch_sub(1, Ordering::SeqCst);
                    i
                }
            }
        });
        let t0 = tokio::time::Instant::now();
        let out: Vec<u64> = in_order(jobs, 4, 8).collect().await;
        assert_eq!(out, (0..40).collect::<Vec<_>>());
        assert!(peak.load(Ordering::SeqCst) <= 4);
        // While job 0 was stuck, only the window (8) could be started; the rest ran after.
        assert!(t0.elapsed() >= std::time::Duration::from_millis(500));
    }

    #[tokio::test(start_paused = true)]
    async fn in_order_does_not_block_slots_behind_a_slow_head() {
        // 1 slow head + 6 quick jobs, 2 slots, window 8: the quick ones run one after another in
        // the second slot while the head is busy, so everything is done when the head is (virtual
        // time, so this is exact). `buffered(2)` would take 300 + 5 x 20 ms.
        let jobs = (0..7u64).map(|i| async move {
            tokio::time::sleep(std::time::Duration::from_millis(if i == 0 {
                300
            } else {
                20
            }))
            .await;
            i
        });
        let t0 = tokio::time::Instant::now();
        let out: Vec<u64> = in_order(jobs, 2, 8).collect().await;
        assert_eq!(out, (0..7).collect::<Vec<_>>());
        assert_eq!(t0.elapsed(), std::time::Duration::from_millis(300));
    }

    #[test]
    fn offset_replacement_keeps_other_parameters() {
        let url =
            Url::parse("http://x/v1/me/tracks?market=SE&offset=0&limit=20&fields=a%2Cb").unwrap();
        let out = with_offset(&url, 40, 20);
        let pairs: Vec<_> = out
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("market".to_owned(), "SE".to_owned()),
                ("fields".to_owned(), "a,b".to_owned()),
                ("offset".to_owned(), "40".to_owned()),
                ("limit".to_owned(), "20".to_owned()),
            ]
        );
    }
}
