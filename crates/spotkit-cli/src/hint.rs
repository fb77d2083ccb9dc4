//! Maps errors to one action the user can take: `spotkit: <what happened>` then `  hint: <what to do>`.
//! Also recognises a run stopped by the developer account's exhausted quota, which ends with its
//! own exit status ([`QUOTA_EXIT`]).

use std::fmt;

use spotkit::Error;

/// An error that carries its own hint.
#[derive(Debug)]
pub struct Hinted {
    message: String,
    hint: String,
    usage: bool,
}

impl Hinted {
    /// An error message and the action that fixes it.
    pub fn new(message: impl Into<String>, hint: impl Into<String>) -> Self {
        Hinted {
            message: message.into(),
            hint: hint.into(),
            usage: false,
        }
    }

    /// A wrong command line found before any request: exit status 2, like clap's own errors.
    pub fn usage(message: impl Into<String>, hint: impl Into<String>) -> Self {
        Hinted {
            usage: true,
            ..Hinted::new(message, hint)
        }
    }
}

/// Whether the chain holds a [`Hinted::usage`] error (exit status 2).
pub fn is_usage(err: &anyhow::Error) -> bool {
    err.chain()
        .any(|c| c.downcast_ref::<Hinted>().is_some_and(|h| h.usage))
}

impl fmt::Display for Hinted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Hinted {}

/// Exit status of a command stopped by the Spotify developer account's exhausted quota: sysexits'
/// `EX_TEMPFAIL` ("try again later"), so a script can tell "wait, then run it again" from a failure.
pub const QUOTA_EXIT: u8 = 75;

/// Whether the chain holds [`Error::QuotaExceeded`]: the developer account's shared quota ran out.
pub fn quota_exceeded(err: &anyhow::Error) -> bool {
    err.chain().any(|c| {
        c.downcast_ref::<Error>()
            .is_some_and(Error::is_quota_exceeded)
    })
}

/// Adds what a command kept to an error that stopped it because of the quota; other errors pass
/// unchanged. `kept` completes "stopped by Spotify's quota for your developer account; ...".
pub fn on_quota(err: anyhow::Error, kept: &str) -> anyhow::Error {
    if quota_exceeded(&err) {
        err.context(format!(
            "stopped: Spotify's request quota for your developer account is used up; {kept}"
        ))
    } else {
        err
    }
}

/// The hint for an error chain, if one applies.
pub fn hint(err: &anyhow::Error) -> Option<String> {
    for cause in err.chain() {
        if let Some(h) = cause.downcast_ref::<Hinted>() {
            return Some(h.hint.clone());
        }
        if let Some(e) = cause.downcast_ref::<Error>() {
            return for_spotkit(e);
        }
        if let Some(e) = cause.downcast_ref::<spotkit_files::Error>() {
            return for_file(e);
        }
    }
    None
}

fn for_spotkit(e: &Error) -> Option<String> {
    Some(match e {
        Error::ReauthorizationRequired { .. } | Error::Unauthorized { .. } => {
            "your login is no longer valid: run `spotkit login` again".to_owned()
        }
        Error::RateLimited {
            retry_after,
            over_cap: true,
            ..
        } => format!(
            "Spotify asked to wait {} (until about {}); spotkit does not wait that long by itself, so \
             nothing is stuck: run the same command again then",
            human_duration(retry_after.as_secs()),
            clock_after(*retry_after)
        ),
        Error::RateLimited {
            retry_after,
            waits,
            ..
        } => format!(
            "Spotify kept rate limiting your app (client id) through {waits} waits; other programs \
             using the same client id count against the same limit; wait a few minutes (Spotify's \
             last answer asked for {}, until about {}) and run the command again",
            human_duration(retry_after.as_secs()),
            clock_after(*retry_after)
        ),
        Error::QuotaExceeded { retry_after } => {
            let when = match retry_after {
                Some(wait) => {
                    format!(
                        "wait {} (until about {})",
                        human_duration(wait.as_secs()),
                        clock_after(*wait)
                    )
                }
                None => "wait a few hours (Spotify did not say how long)".to_owned(),
            };
            format!(
                "the quota is shared by every app of the Spotify developer account that owns your \
                 client id, so running slower would not have helped; {when}, then run the same \
                 command again; spread large exports and imports over several days, or apply for \
                 Extended Quota in the developer dashboard if your app needs more"
            )
        }
        Error::NoActiveDevice { .. } => "open Spotify on a device and play something, or pick one with `--device` (`spotkit player devices` lists them)".to_owned(),
        Error::PremiumRequired { .. } => "Spotify only lets Premium accounts control playback; `spotkit player status` and `devices` still work".to_owned(),
        Error::OwnerPremiumRequired { .. } => "the Spotify account that created this app at https://developer.spotify.com/dashboard needs an active Premium subscription (Development-Mode apps require it since February 2026): subscribe with that account and wait a few hours, or use an app of an account with Premium (`spotkit login --client-id ...`)".to_owned(),
        Error::UserNotRegistered { .. } => "the app's owner must add you: https://developer.spotify.com/dashboard → your app → Settings → User Management → Add new user, with your name and the e-mail address of your Spotify account (at most 5 users in Development Mode); then run the command again, no new login needed".to_owned(),
        Error::Forbidden { .. } => "since 2026 Spotify refuses some endpoints and fields to Development-Mode apps, and only returns playlists you own or collaborate on; check the scopes you logged in with (`spotkit status`) and log in again with `spotkit login --scopes ...` if one is missing".to_owned(),
        Error::NotFound { .. } => "check the id, URI or URL; `spotkit export playlists` lists your playlists".to_owned(),
        Error::Transport { .. } => "check the network (or --api-base / --accounts-base) and try again".to_owned(),
        Error::OAuth { .. } => "check --client-id and that http://127.0.0.1:PORT/callback is registered as a redirect URI of your app".to_owned(),
        Error::Store { path, source, .. } => return Some(store_hint(path.as_deref(), source.as_deref())),
        Error::Api { status, .. } if *status >= 500 => format!(
            "a fault on Spotify's side ({status}) that lasted through spotkit's retries; try again in a few \
             minutes, and check https://developer.spotify.com/status if it goes on"
        ),
        _ => return None,
    })
}

/// The hint for a token store failure, by its cause.
fn store_hint(path: Option<&std::path::Path>, io: Option<&std::io::Error>) -> String {
    use std::io::ErrorKind;
    let file = path.map_or_else(|| "the token file".to_owned(), |p| p.display().to_string());
    match io.map(std::io::Error::kind) {
        // No I/O error: the file was read, but its content is not a token.
        None if path.is_some() => {
            format!("delete {file} and run `spotkit login` again (the saved login cannot be used)")
        }
        Some(ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem) => format!(
            "spotkit may not read or write {file}: check its permissions and those of its folder \
             (`spotkit config path` shows the config dir), or point SPOTKIT_CONFIG_DIR elsewhere"
        ),
        Some(ErrorKind::StorageFull | ErrorKind::QuotaExceeded) => {
            format!("the disk holding {file} is full: free some space and run the command again")
        }
        _ => format!(
            "check {file} and its folder (`spotkit config path` shows the config dir); deleting the \
             token file and running `spotkit login` again starts afresh"
        ),
    }
}

/// When a wait that starts now ends, as a person reads it: `14:20 UTC`, with the date when it is
/// not today (`2026-12-06 14:20 UTC`).
pub fn clock_after(wait: std::time::Duration) -> String {
    let now = time::OffsetDateTime::now_utc();
    let at = now + wait;
    if at.date() == now.date() {
        format!("{:02}:{:02} UTC", at.hour(), at.minute())
    } else {
        format!("{} {:02}:{:02} UTC", at.date(), at.hour(), at.minute())
    }
}

/// A file that could not be written, by its cause.
fn for_file(e: &spotkit_files::Error) -> Option<String> {
    use std::io::ErrorKind;
    let dir = e
        .path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .map_or_else(|| ".".to_owned(), |d| d.display().to_string());
    Some(match e.source.kind() {
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded => format!(
            "the disk holding {dir} is full: free some space (or pass another --out), then run the same command again; the old file, if any, is untouched"
        ),
        ErrorKind::ReadOnlyFilesystem => {
            format!("{dir} is on a read-only file system: pass an --out path on a writable disk")
        }
        ErrorKind::PermissionDenied => format!(
            "you may not write in {dir}: pass an --out path in a folder of yours, or change the folder's permissions"
        ),
        ErrorKind::NotFound => format!("the folder {dir} does not exist: create it first"),
        ErrorKind::IsADirectory => {
            "that path is a folder: pass a file name (e.g. `--out liked.csv`)".to_owned()
        }
        _ => return None,
    })
}

/// `3h 5m`, `42s`.
pub fn human_duration(secs: u64) -> String {
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    match (h, m) {
        (0, 0) => format!("{s}s"),
        (0, _) => format!("{m}m {s}s"),
        _ => format!("{h}h {m}m"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn app_refusals_name_the_dashboard_step() {
        let e = anyhow::Error::new(Error::OwnerPremiumRequired {
            message: "Active premium subscription required for the owner of the app.".into(),
        });
        let h = hint(&e).unwrap();
        for part in ["developer.spotify.com/dashboard", "Premium", "few hours"] {
            assert!(h.contains(part), "{part}: {h}");
        }
        let e = anyhow::Error::new(Error::UserNotRegistered {
            message: "The user is not registered for this application.".into(),
        });
        let h = hint(&e).unwrap();
        for part in ["User Management", "Add new user", "e-mail", "5 users"] {
            assert!(h.contains(part), "{part}: {h}");
        }
    }

    #[test]
    fn rate_limit_hint_says_how_long() {
        let e = anyhow::Error::new(Error::RateLimited {
            retry_after: std::time::Duration::from_secs(3 * 3600 + 60),
            waits: 0,
            waited: std::time::Duration::ZERO,
            over_cap: true,
        });
        let h = hint(&e).unwrap();
        assert!(h.contains("3h 1m"), "{h}");
        assert!(h.contains(" UTC"), "{h}");
        // A day-long ban ends tomorrow: the date is part of the time.
        let at = time::OffsetDateTime::now_utc() + std::time::Duration::from_secs(86_400);
        assert!(
            clock_after(std::time::Duration::from_secs(86_400)).starts_with(&at.date().to_string())
        );
    }

    #[test]
    fn quota_hint_says_shared_wait_spread_and_extended_quota() {
        let e = anyhow::Error::new(Error::QuotaExceeded {
            retry_after: Some(std::time::Duration::from_secs(2 * 3600)),
        })
        .context("reading liked songs");
        assert!(quota_exceeded(&e));
        let h = hint(&e).unwrap();
        for part in ["developer account", "2h 0m", "spread", "Extended Quota"] {
            assert!(h.contains(part), "{part}: {h}");
        }
        let e = on_quota(e, "nothing was written");
        assert!(e.to_string().contains("nothing was written"), "{e}");
        let e = anyhow::Error::new(Error::QuotaExceeded { retry_after: None });
        assert!(hint(&e).unwrap().contains("did not say"));
        let other = on_quota(anyhow::anyhow!("disk full"), "kept");
        assert_eq!(other.to_string(), "disk full");
        assert!(!quota_exceeded(&other));
    }

    #[test]
    fn hinted_wins_and_reauth_points_to_login() {
        let e = anyhow::Error::new(Hinted::new("x", "do y"));
        assert_eq!(hint(&e).as_deref(), Some("do y"));
        let e = anyhow::Error::new(Error::ReauthorizationRequired { reason: "r".into() });
        assert!(hint(&e).unwrap().contains("spotkit login"));
    }
}
