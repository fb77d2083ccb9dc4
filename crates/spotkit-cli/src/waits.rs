//! Tells the user, on stderr, that a command is waiting out Spotify's rate limit: without it a
//! steady 429 with `Retry-After: 5` is almost a minute of silence (issue #21). Every wait (also
//! the short backoffs after server and network errors) is in the `-v` log; this is the line shown
//! without `-v`.

use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use spotkit::http::{RetryWait, WaitCause};

use crate::hint::human_duration;

/// Waits shorter than this pass without a line (the `-v` log still has them).
const SHOWN_FROM: Duration = Duration::from_secs(2);

/// The end of the last wait shown: the requests in flight are refused together, and one line per
/// round of waits is enough.
static SHOWN_UNTIL: Mutex<Option<SystemTime>> = Mutex::new(None);

/// The [`spotkit::http::RetryPolicy::on_wait`] callback of the CLI.
pub fn show(wait: &RetryWait) {
    let WaitCause::RateLimited { .. } = wait.cause else {
        return;
    };
    if wait.wait < SHOWN_FROM {
        return;
    }
    let until = SystemTime::now() + wait.wait;
    {
        let Ok(mut shown) = SHOWN_UNTIL.lock() else {
            return;
        };
        if shown.is_some_and(|s| until <= s + Duration::from_secs(1)) {
            return;
        }
        *shown = Some(until);
    }
    eprintln!("{}", line(wait, time::OffsetDateTime::from(until)));
}

fn line(wait: &RetryWait, until: time::OffsetDateTime) -> String {
    format!(
        "spotkit: Spotify is rate limiting this app; waiting {} as it asked (until {:02}:{:02}:{:02} UTC), then trying again ({} was refused {} time{})",
        human_duration(wait.wait.as_secs().max(1)),
        until.hour(),
        until.minute(),
        until.second(),
        wait.request,
        wait.attempt,
        if wait.attempt == 1 { "" } else { "s" },
    )
}
