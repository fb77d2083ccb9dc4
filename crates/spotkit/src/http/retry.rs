//! When to try a request again, and how long to wait first.
//!
//! | what happened | safe to repeat (GET, PUT, DELETE, marked POSTs) | other POSTs |
//! |---|---|---|
//! | connection could not be made (request never sent) | backoff, retry | backoff, retry |
//! | 429 with `Retry-After` ≤ cap | wait it (+ ≤250 ms jitter), retry | same: Spotify did not process it |
//! | 429 with `Retry-After` > cap | [`Error::RateLimited`] at once | same |
//! | 429 with reason `QUOTA_EXCEEDED` (the developer account's quota) | [`Error::QuotaExceeded`] at once, never retried | same |
//! | 500, 502, 503, 504 | backoff, retry | fail with [`Error::Api`] |
//! | reset, timeout, broken body after sending | backoff, retry | fail with [`Error::Transport`] |
//! | 401 | renew the token once, retry once | same (the request was rejected unread) |
//! | other 4xx | fail with a typed error | same |
//!
//! Backoff is exponential with *full jitter* (a uniformly random wait between zero and
//! `base × 2^(n-1)`, capped), so a crowd of clients that failed together does not come back
//! together. At most [`RetryPolicy::max_attempts`] attempts are made for 5xx/transport trouble,
//! and at most [`RetryPolicy::max_rate_limit_waits`] waits for 429s.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use rand::Rng;

use crate::error::{Error, Result};

/// How hard spotkit tries before giving up. Start from `RetryPolicy::default()`.
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    pub(crate) max_attempts: u32,
    pub(crate) base_delay: Duration,
    pub(crate) max_delay: Duration,
    pub(crate) max_retry_after: Duration,
    pub(crate) max_rate_limit_waits: u32,
    pub(crate) max_jitter: Duration,
    pub(crate) on_wait: Option<WaitHook>,
}

/// A wait before another attempt of a request, as told to [`RetryPolicy::on_wait`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct RetryWait {
    /// Why the attempt failed.
    pub cause: WaitCause,
    /// The request, as `METHOD /path` (never the query string).
    pub request: String,
    /// The attempt that failed (1-based).
    pub attempt: u32,
    /// How long spotkit waits before the next attempt.
    pub wait: Duration,
}

/// Why a request is tried again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum WaitCause {
    /// 429: Spotify's rate limit, with the `Retry-After` it sent, if any.
    RateLimited {
        /// The answer's `Retry-After`.
        retry_after: Option<Duration>,
    },
    /// 500, 502, 503 or 504.
    ServerError,
    /// The connection failed, was reset or timed out.
    Network,
}

/// The callback of [`RetryPolicy::on_wait`].
#[derive(Clone)]
pub(crate) struct WaitHook(Arc<dyn Fn(&RetryWait) + Send + Sync>);

impl fmt::Debug for WaitHook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("WaitHook(..)")
    }
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 5,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(10),
            max_retry_after: Duration::from_secs(60),
            max_rate_limit_waits: 10,
            max_jitter: Duration::from_millis(250),
            on_wait: None,
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries (one attempt, 429s returned at once).
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            max_rate_limit_waits: 0,
            ..Self::default()
        }
    }

    /// Total attempts for server errors and network trouble (default 5, minimum 1).
    #[must_use]
    pub fn max_attempts(mut self, n: u32) -> Self {
        self.max_attempts = n.max(1);
        self
    }

    /// First backoff ceiling; doubles with every failure (default 100 ms).
    #[must_use]
    pub fn base_delay(mut self, d: Duration) -> Self {
        self.base_delay = d;
        self
    }

    /// Largest backoff ceiling (default 10 s).
    #[must_use]
    pub fn max_delay(mut self, d: Duration) -> Self {
        self.max_delay = d;
        self
    }

    /// The longest `Retry-After` spotkit waits out by itself (default 60 s). Longer ones become
    /// [`Error::RateLimited`] immediately, so a job never hangs for hours.
    #[must_use]
    pub fn max_retry_after(mut self, d: Duration) -> Self {
        self.max_retry_after = d;
        self
    }

    /// How many 429s one request may wait out (default 10).
    #[must_use]
    pub fn max_rate_limit_waits(mut self, n: u32) -> Self {
        self.max_rate_limit_waits = n;
        self
    }

    /// Calls `f` before every wait for another attempt (a 429 waited out, a backoff after a server
    /// or network error), so that a program can show why it is quiet: a long `Retry-After` is
    /// otherwise silent. Every wait is also logged at `info` level (target `spotkit::http`);
    /// each request is logged at `debug`. `f` runs on the request's task: keep it short.
    #[must_use]
    pub fn on_wait(mut self, f: impl Fn(&RetryWait) + Send + Sync + 'static) -> Self {
        self.on_wait = Some(WaitHook(Arc::new(f)));
        self
    }

    /// The exponential backoff ceiling before the `failures`-th retry (1-based).
    pub(crate) fn backoff_ceiling(&self, failures: u32) -> Duration {
        let factor = 2u32.saturating_pow(failures.saturating_sub(1).min(30));
        self.base_delay.saturating_mul(factor).min(self.max_delay)
    }

    /// A full-jitter wait before the `failures`-th retry: uniform in `[0, ceiling]`.
    pub(crate) fn backoff(&self, failures: u32, rng: &mut impl Rng) -> Duration {
        let ceiling = self.backoff_ceiling(failures);
        let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(rng.random_range(0..=nanos))
    }

    fn jitter(&self, rng: &mut impl Rng) -> Duration {
        let nanos = u64::try_from(self.max_jitter.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(rng.random_range(0..=nanos))
    }
}

/// Why an attempt failed in a way that might be worth another try.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Trouble {
    /// The connection could not be made: nothing reached the server.
    NotSent,
    /// 429, with the parsed `Retry-After` if there was one.
    RateLimited(Option<Duration>),
    /// 500/502/503/504.
    ServerError,
    /// Reset, timeout or broken body after the request may have been processed.
    Transport,
    /// 401: the access token was refused.
    Unauthorized,
}

/// Per-request retry bookkeeping.
#[derive(Debug, Default, Clone)]
pub(crate) struct Attempts {
    /// 5xx / transport failures so far.
    pub failures: u32,
    /// 429s waited out so far.
    pub rate_limit_waits: u32,
    /// Time spent waiting out 429s so far.
    pub rate_limit_waited: Duration,
    /// Whether the token was already renewed because of a 401.
    pub renewed: bool,
}

/// What to do after a failed attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Decision {
    /// Sleep this long, then try again.
    Wait(Duration),
    /// Renew the access token, then try again immediately.
    RenewToken,
    /// Give up with the attempt's own error.
    GiveUp,
    /// Give up with [`Error::RateLimited`]: the `Retry-After`, and whether it is over the cap.
    RateLimited(Duration, bool),
}

impl RetryPolicy {
    /// The retry decision for one failure. `repeatable` says whether the request may be sent
    /// twice; `can_renew` whether the client has a way to get a new access token.
    pub(crate) fn decide(
        &self,
        trouble: Trouble,
        attempts: &mut Attempts,
        repeatable: bool,
        can_renew: bool,
        rng: &mut impl Rng,
    ) -> Decision {
        match trouble {
            Trouble::RateLimited(retry_after) => {
                let wait = retry_after.unwrap_or(Duration::from_secs(1));
                if wait > self.max_retry_after {
                    return Decision::RateLimited(wait, true);
                }
                if attempts.rate_limit_waits >= self.max_rate_limit_waits {
                    return Decision::RateLimited(wait, false);
                }
                attempts.rate_limit_waits += 1;
                let wait = wait + self.jitter(rng);
                attempts.rate_limit_waited += wait;
                Decision::Wait(wait)
            }
            Trouble::Unauthorized => {
                if can_renew && !attempts.renewed {
                    attempts.renewed = true;
                    Decision::RenewToken
                } else {
                    Decision::GiveUp
                }
            }
            Trouble::NotSent | Trouble::ServerError | Trouble::Transport => {
                let may_repeat = repeatable || trouble == Trouble::NotSent;
                attempts.failures += 1;
                if !may_repeat || attempts.failures >= self.max_attempts {
                    Decision::GiveUp
                } else {
                    Decision::Wait(self.backoff(attempts.failures, rng))
                }
            }
        }
    }
}

/// The outcome of one attempt.
pub(crate) enum Step<T> {
    /// Success.
    Done(T),
    /// A failure no retry can fix.
    Fail(Error),
    /// A failure the policy may retry.
    Retry(Trouble, Error),
}

/// One request as the retry loop sees it: something that can be attempted again, and that may
/// know how to renew its credentials.
pub(crate) trait Attempt {
    type Output;
    /// Makes attempt number `n` (1-based).
    fn attempt(&mut self, n: u32) -> impl Future<Output = Step<Self::Output>> + Send;
    /// Renews the access token after a 401.
    fn renew(&mut self) -> impl Future<Output = Result<()>> + Send;
    /// Runs after a wait, before the next attempt (e.g. to pick up a token renewed meanwhile).
    fn after_wait(&mut self) -> impl Future<Output = Result<()>> + Send;
    /// The request as `METHOD /path`, for logs and [`RetryWait`].
    fn describe(&self) -> String;
}

/// Attempts `request` until it succeeds or the policy gives up.
pub(crate) async fn run<A: Attempt + Send>(
    policy: &RetryPolicy,
    repeatable: bool,
    can_renew: bool,
    request: &mut A,
) -> Result<A::Output> {
    let mut attempts = Attempts::default();
    let mut n = 0;
    loop {
        n += 1;
        let (trouble, error) = match request.attempt(n).await {
            Step::Done(out) => return Ok(out),
            Step::Fail(e) => return Err(e),
            Step::Retry(t, e) => (t, e),
        };
        let decision = policy.decide(
            trouble,
            &mut attempts,
            repeatable,
            can_renew,
            &mut rand::rng(),
        );
        match decision {
            Decision::Wait(wait) => {
                let request_line = request.describe();
                let cause = match trouble {
                    Trouble::RateLimited(retry_after) => WaitCause::RateLimited { retry_after },
                    Trouble::ServerError => WaitCause::ServerError,
                    _ => WaitCause::Network,
                };
                let why = match (cause, &error) {
                    (
                        WaitCause::RateLimited {
                            retry_after: Some(after),
                        },
                        _,
                    ) => {
                        format!("429 rate limited, Retry-After {}s", after.as_secs())
                    }
                    (WaitCause::RateLimited { retry_after: None }, _) => {
                        "429 rate limited, no Retry-After".to_owned()
                    }
                    (_, e) => e.to_string(),
                };
                // `info`: a retry is what `-v` of a program built on spotkit should show.
                tracing::info!(
                    "{request_line}: attempt {n} failed ({why}); waiting {:.1}s before attempt {}",
                    wait.as_secs_f64(),
                    n + 1
                );
                if let Some(hook) = &policy.on_wait {
                    (hook.0)(&RetryWait {
                        cause,
                        request: request_line,
                        attempt: n,
                        wait,
                    });
                }
                tokio::time::sleep(wait).await;
                request.after_wait().await?;
            }
            Decision::RenewToken => {
                tracing::debug!(attempt = n, "access token refused; renewing it once");
                request.renew().await?;
            }
            Decision::RateLimited(retry_after, over_cap) => {
                tracing::info!(
                    "{}: attempt {n} rate limited (Retry-After {}s); giving up: {}",
                    request.describe(),
                    retry_after.as_secs(),
                    if over_cap {
                        "longer than the longest wait spotkit takes"
                    } else {
                        "waited out as many 429s as allowed"
                    }
                );
                return Err(Error::RateLimited {
                    retry_after,
                    waits: attempts.rate_limit_waits,
                    waited: attempts.rate_limit_waited,
                    over_cap,
                });
            }
            Decision::GiveUp => return Err(error),
        }
    }
}

/// Parses a `Retry-After` value: delta-seconds (Spotify's form; fractions tolerated) or an
/// IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`) relative to `now`.
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    if let Ok(secs) = value.parse::<f64>() {
        return (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs.min(1e9)));
    }
    let at = parse_http_date(value)?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// IMF-fixdate only (RFC 9110 §5.6.7); the obsolete forms are not sent by Spotify.
fn parse_http_date(s: &str) -> Option<SystemTime> {
    // "Sun, 06 Nov 1994 08:49:37 GMT"
    let rest = s.split_once(", ")?.1;
    let mut parts = rest.split(' ');
    let day: u32 = parts.next()?.parse().ok()?;
    let month = match parts.next()? {
        "Jan" => 1,
        "Feb" => 2,
        "Mar" => 3,
        "Apr" => 4,
        "May" => 5,
        "Jun" => 6,
        "Jul" => 7,
        "Aug" => 8,
        "Sep" => 9,
        "Oct" => 10,
        "Nov" => 11,
        "Dec" => 12,
        _ => return None,
    };
    let year: i64 = parts.next()?.parse().ok()?;
    let mut hms = parts.next()?.split(':');
    let h: u64 = hms.next()?.parse().ok()?;
    let m: u64 = hms.next()?.parse().ok()?;
    let sec: u64 = hms.next()?.parse().ok()?;
    if parts.next()? != "GMT"
        || parts.next().is_some()
        || !(1..=31).contains(&day)
        || h > 23
        || m > 59
        || sec > 60
    {
        return None;
    }
    // Days from civil (Howard Hinnant's algorithm).
    let (y, mo) = if month <= 2 {
        (year - 1, month + 9)
    } else {
        (year, month - 3)
    };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * i64::from(mo) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let secs = u64::try_from(days).ok()? * 86_400 + h * 3600 + m * 60 + sec;
    Some(SystemTime::UNIX_EPOCH + Duration::from_secs(secs))
}

/// Classifies a reqwest failure: was anything sent?
pub(crate) fn classify_reqwest(err: &reqwest::Error) -> Trouble {
    if err.is_connect() {
        Trouble::NotSent
    } else {
        Trouble::Transport
    }
}

/// Whether a status is a transient server error worth retrying.
pub(crate) fn is_retryable_status(status: u16) -> bool {
    matches!(status, 500 | 502 | 503 | 504)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    fn rng() -> StdRng {
        StdRng::seed_from_u64(7)
    }

    #[test]
    fn retry_after_forms() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777 - 10);
        assert_eq!(parse_retry_after("5", now), Some(Duration::from_secs(5)));
        assert_eq!(parse_retry_after(" 0 ", now), Some(Duration::ZERO));
        assert_eq!(
            parse_retry_after("1.5", now),
            Some(Duration::from_millis(1500))
        );
        // RFC 9110's example date is 784111777 s after the epoch.
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now),
            Some(Duration::from_secs(10))
        );
        let later = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777 + 100);
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", later),
            Some(Duration::ZERO)
        );
        for bad in [
            "",
            "-3",
            "soon",
            "NaN",
            "Sun, 06 Nov 1994 08:49:37 PST",
            "Sun, 32 Nov 1994 08:49:37 GMT",
        ] {
            assert_eq!(parse_retry_after(bad, now), None, "{bad}");
        }
    }

    #[test]
    fn http_date_matches_known_epochs() {
        let t = parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT").unwrap();
        assert_eq!(t, SystemTime::UNIX_EPOCH);
        let t = parse_http_date("Tue, 29 Feb 2028 12:00:00 GMT").unwrap();
        assert_eq!(
            t.duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs(),
            1_835_438_400
        );
    }

    #[test]
    fn short_retry_after_is_waited_with_small_jitter() {
        let p = RetryPolicy::default();
        let mut a = Attempts::default();
        let mut r = rng();
        match p.decide(
            Trouble::RateLimited(Some(Duration::from_secs(2))),
            &mut a,
            false,
            true,
            &mut r,
        ) {
            Decision::Wait(d) => {
                assert!(
                    d >= Duration::from_secs(2) && d <= Duration::from_millis(2250),
                    "{d:?}"
                );
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(a.rate_limit_waits, 1);
        assert_eq!(a.failures, 0, "429s do not use up the failure budget");
    }

    #[test]
    fn long_retry_after_fails_at_once() {
        let p = RetryPolicy::default();
        let mut a = Attempts::default();
        assert_eq!(
            p.decide(
                Trouble::RateLimited(Some(Duration::from_secs(61))),
                &mut a,
                true,
                true,
                &mut rng()
            ),
            Decision::RateLimited(Duration::from_secs(61), true)
        );
        let p = p.max_retry_after(Duration::from_secs(100));
        assert!(matches!(
            p.decide(
                Trouble::RateLimited(Some(Duration::from_secs(61))),
                &mut a,
                true,
                true,
                &mut rng()
            ),
            Decision::Wait(_)
        ));
    }

    #[test]
    fn rate_limit_waits_are_bounded() {
        let p = RetryPolicy::default().max_rate_limit_waits(2);
        let mut a = Attempts::default();
        let mut r = rng();
        let t = Trouble::RateLimited(Some(Duration::from_secs(1)));
        assert!(matches!(
            p.decide(t, &mut a, true, true, &mut r),
            Decision::Wait(_)
        ));
        assert!(matches!(
            p.decide(t, &mut a, true, true, &mut r),
            Decision::Wait(_)
        ));
        assert_eq!(
            p.decide(t, &mut a, true, true, &mut r),
            Decision::RateLimited(Duration::from_secs(1), false)
        );
    }

    #[test]
    fn server_errors_retry_only_when_repeatable() {
        let p = RetryPolicy::default();
        let mut r = rng();
        let mut a = Attempts::default();
        assert_eq!(
            p.decide(Trouble::ServerError, &mut a, false, true, &mut r),
            Decision::GiveUp
        );
        let mut a = Attempts::default();
        assert_eq!(
            p.decide(Trouble::Transport, &mut a, false, true, &mut r),
            Decision::GiveUp
        );
        // Nothing was sent: even a POST may go again.
        let mut a = Attempts::default();
        assert!(matches!(
            p.decide(Trouble::NotSent, &mut a, false, true, &mut r),
            Decision::Wait(_)
        ));
    }

    #[test]
    fn five_attempts_at_most() {
        let p = RetryPolicy::default();
        let mut r = rng();
        let mut a = Attempts::default();
        let mut waits = 0;
        while let Decision::Wait(_) = p.decide(Trouble::ServerError, &mut a, true, true, &mut r) {
            waits += 1;
        }
        assert_eq!(waits, 4, "5 attempts = 4 retries");
    }

    #[test]
    fn unauthorized_renews_once() {
        let p = RetryPolicy::default();
        let mut r = rng();
        let mut a = Attempts::default();
        assert_eq!(
            p.decide(Trouble::Unauthorized, &mut a, true, true, &mut r),
            Decision::RenewToken
        );
        assert_eq!(
            p.decide(Trouble::Unauthorized, &mut a, true, true, &mut r),
            Decision::GiveUp
        );
        let mut a = Attempts::default();
        assert_eq!(
            p.decide(Trouble::Unauthorized, &mut a, true, false, &mut r),
            Decision::GiveUp
        );
    }

    /// Replays scripted outcomes; counts renewals.
    struct Script {
        steps: std::collections::VecDeque<Step<u32>>,
        calls: u32,
        renewals: u32,
    }

    impl Script {
        fn new(steps: Vec<Step<u32>>) -> Self {
            Script {
                steps: steps.into(),
                calls: 0,
                renewals: 0,
            }
        }
    }

    impl Attempt for Script {
        type Output = u32;
        async fn attempt(&mut self, n: u32) -> Step<u32> {
            self.calls += 1;
            assert_eq!(n, self.calls);
            self.steps.pop_front().unwrap_or(Step::Done(n))
        }
        async fn renew(&mut self) -> Result<()> {
            self.renewals += 1;
            Ok(())
        }
        async fn after_wait(&mut self) -> Result<()> {
            Ok(())
        }
        fn describe(&self) -> String {
            "GET /v1/test".to_owned()
        }
    }

    /// Issue #21: a steady 429 with a short `Retry-After` is waited out `max_rate_limit_waits`
    /// times, each wait is told to the hook, and the error says so (not "over the cap").
    #[tokio::test(start_paused = true)]
    async fn steady_short_429s_are_waited_out_reported_then_given_up() {
        let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
        let log = Arc::clone(&seen);
        let p = RetryPolicy::default().on_wait(move |w| log.lock().unwrap().push(w.clone()));
        let mut s = Script::new((0..20).map(|_| too_many(5)).collect());
        let err = run(&p, true, true, &mut s).await.unwrap_err();
        assert_eq!(s.calls, 11);
        match &err {
            Error::RateLimited {
                retry_after,
                waits,
                waited,
                over_cap,
            } => {
                assert_eq!(*retry_after, Duration::from_secs(5));
                assert_eq!(*waits, 10);
                assert!(*waited >= Duration::from_secs(50), "{waited:?}");
                assert!(!over_cap);
            }
            other => panic!("{other:?}"),
        }
        assert!(!err.to_string().contains("cap"), "{err}");
        let seen = seen.lock().unwrap();
        assert_eq!(seen.len(), 10);
        assert_eq!(
            seen[0].cause,
            WaitCause::RateLimited {
                retry_after: Some(Duration::from_secs(5))
            }
        );
        assert_eq!(seen[0].request, "GET /v1/test");
        assert_eq!(seen[9].attempt, 10);
    }

    fn server_error() -> Step<u32> {
        Step::Retry(
            Trouble::ServerError,
            Error::Api {
                status: 503,
                message: "x".into(),
            },
        )
    }

    fn too_many(secs: u64) -> Step<u32> {
        Step::Retry(
            Trouble::RateLimited(Some(Duration::from_secs(secs))),
            Error::rate_limited(Duration::from_secs(secs)),
        )
    }

    #[tokio::test(start_paused = true)]
    async fn backoff_waits_stay_under_the_ceilings() {
        let p = RetryPolicy::default();
        let mut s = Script::new(vec![
            server_error(),
            server_error(),
            server_error(),
            server_error(),
        ]);
        let t0 = tokio::time::Instant::now();
        assert_eq!(run(&p, true, true, &mut s).await.unwrap(), 5);
        let elapsed = t0.elapsed();
        // Full jitter: 0..=100, 0..=200, 0..=400, 0..=800 ms.
        assert!(elapsed <= Duration::from_millis(1500), "{elapsed:?}");
        assert_eq!(s.calls, 5);
    }

    #[tokio::test(start_paused = true)]
    async fn gives_up_after_five_attempts_with_the_last_error() {
        let p = RetryPolicy::default();
        let mut s = Script::new((0..10).map(|_| server_error()).collect());
        let err = run(&p, true, true, &mut s).await.unwrap_err();
        assert!(matches!(err, Error::Api { status: 503, .. }));
        assert_eq!(s.calls, 5);
        // Not repeatable: one attempt only.
        let mut s = Script::new((0..10).map(|_| server_error()).collect());
        assert!(run(&p, false, true, &mut s).await.is_err());
        assert_eq!(s.calls, 1);
    }

    #[tokio::test(start_paused = true)]
    async fn retry_after_is_waited_out_then_capped() {
        let p = RetryPolicy::default();
        let mut s = Script::new(vec![too_many(2)]);
        let t0 = tokio::time::Instant::now();
        assert_eq!(run(&p, false, true, &mut s).await.unwrap(), 2);
        let elapsed = t0.elapsed();
        assert!(
            elapsed >= Duration::from_secs(2) && elapsed <= Duration::from_millis(2250),
            "{elapsed:?}"
        );

        let mut s = Script::new(vec![too_many(3600)]);
        let t0 = tokio::time::Instant::now();
        let err = run(&p, true, true, &mut s).await.unwrap_err();
        assert!(
            matches!(err, Error::RateLimited { retry_after, waits: 0, over_cap: true, .. } if retry_after == Duration::from_secs(3600))
        );
        assert_eq!(
            t0.elapsed(),
            Duration::ZERO,
            "a long Retry-After must not be slept"
        );
        assert_eq!(s.calls, 1);
    }

    #[tokio::test(start_paused = true)]
    async fn unauthorized_renews_once_then_fails() {
        let p = RetryPolicy::default();
        let unauthorized = || {
            Step::Retry(
                Trouble::Unauthorized,
                Error::Unauthorized {
                    message: "expired".into(),
                },
            )
        };
        let mut s = Script::new(vec![unauthorized()]);
        assert_eq!(run(&p, true, true, &mut s).await.unwrap(), 2);
        assert_eq!(s.renewals, 1);
        let mut s = Script::new(vec![unauthorized(), unauthorized()]);
        assert!(matches!(
            run(&p, true, true, &mut s).await,
            Err(Error::Unauthorized { .. })
        ));
        assert_eq!((s.calls, s.renewals), (2, 1));
        let mut s = Script::new(vec![unauthorized()]);
        assert!(run(&p, true, false, &mut s).await.is_err());
        assert_eq!(s.renewals, 0);
    }

    #[test]
    fn backoff_stays_within_full_jitter_bounds() {
        let p = RetryPolicy::default();
        let mut r = rng();
        for failures in 1..=12 {
            let ceiling = p.backoff_ceiling(failures);
            assert!(ceiling <= p.max_delay);
            for _ in 0..200 {
                assert!(p.backoff(failures, &mut r) <= ceiling);
            }
        }
        assert_eq!(p.backoff_ceiling(1), Duration::from_millis(100));
        assert_eq!(p.backoff_ceiling(4), Duration::from_millis(800));
        assert_eq!(p.backoff_ceiling(40), Duration::from_secs(10));
        // Full jitter really spreads: over many draws both halves of the range occur.
        let draws: Vec<_> = (0..500).map(|_| p.backoff(4, &mut r)).collect();
        assert!(draws.iter().any(|d| *d < Duration::from_millis(200)));
        assert!(draws.iter().any(|d| *d > Duration::from_millis(600)));
    }
}
