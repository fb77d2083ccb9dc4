//! Spotify's per-developer-account request quota (July 2026): every Web API request made with a
//! token of an app counts against the quota of the developer account the app is registered under
//! ([`Quota::account_of`]); once an account has used its window's allowance, its requests are
//! answered `429` with `"reason": "QUOTA_EXCEEDED"` until the window closes or the quota is reset
//! through the control plane.
//!
//! This is not the rate limit of [`crate::faults`]: that one is per app over a rolling 30 s, this
//! one is per account over a long window, and the two can be on together.

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::config::Quota;
use crate::state::{AppState, lock};

/// One account's use of the current window.
#[derive(Debug, Clone, Copy)]
pub struct Window {
    /// When the window opened (the account's first request in it).
    pub opened: Instant,
    /// Requests counted in it.
    pub used: u64,
}

/// Counts one request of `account`; `Some(retry_after_secs)` when the account's quota for the
/// current window is used up (the request is then not counted).
pub fn spend(state: &AppState, quota: &Quota, account: &str) -> Option<u64> {
    let limit = quota.requests?;
    let length = Duration::from_secs(quota.window_secs);
    let now = Instant::now();
    let mut usage = lock(&state.quota_usage);
    let window = usage.entry(account.to_owned()).or_insert(Window {
        opened: now,
        used: 0,
    });
    if now.duration_since(window.opened) >= length {
        *window = Window {
            opened: now,
            used: 0,
        };
    }
    if window.used >= limit {
        let left = length.saturating_sub(now.duration_since(window.opened));
        // Whole seconds, rounded up as Retry-After is, and never 0: a client told "0" would ask
        // again at once and be refused again.
        return Some((left.as_secs() + u64::from(left.subsec_nanos() > 0)).max(1));
    }
    window.used += 1;
    None
}

/// Forgets every account's use: each starts a fresh window with its next request.
pub fn reset(state: &AppState) {
    lock(&state.quota_usage).clear();
}

/// One account's standing, as `GET /_sandbox/quota` shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Usage {
    /// Requests counted in the current window.
    pub used: u64,
    /// Requests left in it (`null` when the quota is off).
    pub remaining: Option<u64>,
    /// Seconds until the window closes.
    pub resets_in_secs: u64,
}

/// The standing of every account that has made a request in an open window.
pub fn usage(state: &AppState, quota: &Quota) -> BTreeMap<String, Usage> {
    let length = Duration::from_secs(quota.window_secs);
    let now = Instant::now();
    let usage: HashMap<String, Window> = lock(&state.quota_usage).clone();
    usage
        .into_iter()
        .filter(|(_, w)| now.duration_since(w.opened) < length)
        .map(|(account, w)| {
            let left = length.saturating_sub(now.duration_since(w.opened));
            (
                account,
                Usage {
                    used: w.used,
                    remaining: quota.requests.map(|r| r.saturating_sub(w.used)),
                    resets_in_secs: left.as_secs() + u64::from(left.subsec_nanos() > 0),
                },
            )
        })
        .collect()
}
