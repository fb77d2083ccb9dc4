//! Maps errors to one action the user can take: `spotkit: <what happened>` then `  hint: <what to do>`.

use std::fmt;

use spotkit::Error;

/// An error that carries its own hint.
#[derive(Debug)]
pub struct Hinted {
    message: String,
    hint: String,
}

impl Hinted {
    /// An error message and the action that fixes it.
    pub fn new(message: impl Into<String>, hint: impl Into<String>) -> Self {
        Hinted {
            message: message.into(),
            hint: hint.into(),
        }
    }
}

impl fmt::Display for Hinted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Hinted {}

/// The hint for an error chain, if one applies.
pub fn hint(err: &anyhow::Error) -> Option<String> {
    for cause in err.chain() {
        if let Some(h) = cause.downcast_ref::<Hinted>() {
            return Some(h.hint.clone());
        }
        if let Some(e) = cause.downcast_ref::<Error>() {
            return for_spotkit(e);
        }
    }
    None
}

fn for_spotkit(e: &Error) -> Option<String> {
    Some(match e {
        Error::ReauthorizationRequired { .. } | Error::Unauthorized { .. } => {
            "your login is no longer valid: run `spotkit login` again".to_owned()
        }
        Error::RateLimited { retry_after } => {
            let secs = retry_after.as_secs();
            let at = time::OffsetDateTime::now_utc() + *retry_after;
            format!(
                "Spotify asked to wait {} (until about {:02}:{:02} UTC); try again then",
                human_duration(secs),
                at.hour(),
                at.minute()
            )
        }
        Error::NoActiveDevice { .. } => "open Spotify on a device and play something, or pick one with `--device` (`spotkit player devices` lists them)".to_owned(),
        Error::PremiumRequired { .. } => "Spotify only lets Premium accounts control playback; `spotkit player status` and `devices` still work".to_owned(),
        Error::Forbidden { .. } => "since 2026 Spotify refuses some endpoints and fields to Development-Mode apps, and only returns playlists you own or collaborate on; check the scopes you logged in with (`spotkit status`) and log in again with `spotkit login --scopes ...` if one is missing".to_owned(),
        Error::NotFound { .. } => "check the id, URI or URL; `spotkit export playlists` lists your playlists".to_owned(),
        Error::Transport { .. } => "check the network (or --api-base / --accounts-base) and try again".to_owned(),
        Error::OAuth { .. } => "check --client-id and that http://127.0.0.1:PORT/callback is registered as a redirect URI of your app".to_owned(),
        Error::Store { .. } => "check the permissions of the config dir (`spotkit config path`)".to_owned(),
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
    fn rate_limit_hint_says_how_long() {
        let e = anyhow::Error::new(Error::RateLimited {
            retry_after: std::time::Duration::from_secs(3 * 3600 + 60),
        });
        let h = hint(&e).unwrap();
        assert!(h.contains("3h 1m"), "{h}");
    }

    #[test]
    fn hinted_wins_and_reauth_points_to_login() {
        let e = anyhow::Error::new(Hinted::new("x", "do y"));
        assert_eq!(hint(&e).as_deref(), Some("do y"));
        let e = anyhow::Error::new(Error::ReauthorizationRequired { reason: "r".into() });
        assert!(hint(&e).unwrap().contains("spotkit login"));
    }
}
