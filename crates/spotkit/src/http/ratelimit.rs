//! An optional client-side request governor.
//!
//! Spotify's limit is a rolling 30-second window per app. A bulk job that fires as fast as it
//! can bounces off 429s and then waits out `Retry-After`; pacing requests below the limit is
//! faster overall. [`RateLimit`] spaces request *starts* evenly (a GCRA without burst), which
//! guarantees at most `requests` starts in any window of length `per`.

use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// At most `requests` request starts per `per` (for Spotify: a 30 s window).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    requests: u32,
    per: Duration,
}

impl RateLimit {
    /// At most `requests` (minimum 1) request starts in any window of length `per`.
    pub fn new(requests: u32, per: Duration) -> Self {
        RateLimit {
            requests: requests.max(1),
            per,
        }
    }

    /// The gap between two request starts. With starts exactly `per/(n-1)` apart, any closed
    /// window of length `per` holds at most `n` of them.
    pub(crate) fn interval(&self) -> Duration {
        self.per / self.requests.saturating_sub(1).max(1)
    }
}

/// Hands out start times; shared by every request of a client.
#[derive(Debug)]
pub(crate) struct Governor {
    interval: Duration,
    next_free: Mutex<Option<Instant>>,
}

impl Governor {
    pub(crate) fn new(limit: RateLimit) -> Self {
        Governor {
            interval: limit.interval(),
            next_free: Mutex::new(None),
        }
    }

    /// Reserves the next start slot and sleeps until it comes.
    pub(crate) async fn until_ready(&self) {
        let slot = {
            let mut next = self
                .next_free
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let now = Instant::now();
            let slot = next.map_or(now, |n| n.max(now));
            *next = Some(slot + self.interval);
            slot
        };
        tokio::time::sleep_until(slot).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn interval_keeps_window_count() {
        assert_eq!(
            RateLimit::new(4, Duration::from_secs(30)).interval(),
            Duration::from_secs(10)
        );
        assert_eq!(
            RateLimit::new(1, Duration::from_secs(30)).interval(),
            Duration::from_secs(30)
        );
        assert_eq!(
            RateLimit::new(0, Duration::from_secs(30)).interval(),
            Duration::from_secs(30)
        );
    }

    #[tokio::test(start_paused = true)]
    async fn starts_are_spaced_and_window_is_respected() {
        let g = Arc::new(Governor::new(RateLimit::new(11, Duration::from_secs(10))));
        let t0 = Instant::now();
        let mut tasks = Vec::new();
        for _ in 0..25 {
            let g = g.clone();
            tasks.push(tokio::spawn(async move {
                g.until_ready().await;
                Instant::now() - t0
            }));
        }
        let mut starts = Vec::new();
        for t in tasks {
            starts.push(t.await.unwrap());
        }
        starts.sort();
        assert_eq!(starts[0], Duration::ZERO);
        assert_eq!(starts[24], Duration::from_secs(24));
        // Any 10 s window holds at most 11 starts.
        for (i, s) in starts.iter().enumerate() {
            let in_window = starts[i..]
                .iter()
                .filter(|t| **t <= *s + Duration::from_secs(10))
                .count();
            assert!(in_window <= 11, "window at {s:?} has {in_window}");
        }
    }
}
