//! The one error type of spotkit.
//!
//! [`Error`] is sorted by what the caller can *do* about a failure, not by which dependency
//! produced it: wait ([`Error::RateLimited`]), stop until the developer account's quota clears
//! ([`Error::QuotaExceeded`]), log in again ([`Error::ReauthorizationRequired`]),
//! fix permissions or the request ([`Error::Forbidden`], [`Error::NotFound`], [`Error::Api`]),
//! report a model gap ([`Error::Decode`]), retry later ([`Error::Transport`]), fix the local
//! machine ([`Error::Store`]), fix a value passed in ([`Error::Encode`]) or keep the runtime
//! alive ([`Error::Internal`]). Every message says what happened and what to do next, in the
//! library's terms: commands of a CLI built on spotkit are the CLI's to suggest.
//!
//! No variant ever carries a token, client secret, authorization code or PKCE verifier.
//! `Error` is `Clone` (causes are kept behind `Arc`) so that one failed refresh can be handed to
//! every task that was waiting for it.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// The message of [`Error::RateLimited`]: what spotkit did, then what to do.
fn rate_limited_message(
    retry_after: Duration,
    waits: u32,
    waited: Duration,
    over_cap: bool,
) -> String {
    let ask = human_secs(retry_after);
    if over_cap {
        format!(
            "Spotify is rate limiting this app and asked to wait {ask} before the next request, \
             longer than spotkit waits by itself, so it stopped without waiting; try again after that"
        )
    } else if waits == 0 {
        format!(
            "Spotify is rate limiting this app and asked to wait {ask} before the next request \
             (spotkit is set not to wait out rate limits); try again after that"
        )
    } else {
        format!(
            "Spotify is still rate limiting this app after spotkit waited {waits} times as it \
             asked ({} in all), and asks for another {ask}; spotkit stopped there: try again later",
            human_secs(waited)
        )
    }
}

/// `42s`, `5m 3s`, `3h 0m`: a wait as a person reads it.
fn human_secs(d: Duration) -> String {
    let secs = d.as_secs();
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    match (h, m) {
        (0, 0) => format!("{s}s"),
        (0, _) => format!("{m}m {s}s"),
        _ => format!("{h}h {m}m"),
    }
}

/// Shorthand for `Result<T, spotkit::Error>`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong while talking to Spotify or keeping its tokens.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Spotify answered 429 (its rate limit) and spotkit stopped waiting: the `Retry-After` was
    /// longer than [`RetryPolicy::max_retry_after`](crate::http::RetryPolicy::max_retry_after),
    /// or the request had already waited out
    /// [`RetryPolicy::max_rate_limit_waits`](crate::http::RetryPolicy::max_rate_limit_waits) 429s.
    #[error("{}", rate_limited_message(*retry_after, *waits, *waited, *over_cap))]
    RateLimited {
        /// How long Spotify's last answer asked to wait (its `Retry-After` header; 1 s when it
        /// sent none).
        retry_after: Duration,
        /// How many 429s of this request spotkit had already waited out before it stopped.
        waits: u32,
        /// The time spent in those waits.
        waited: Duration,
        /// Whether it stopped because `retry_after` is longer than the longest wait it takes by
        /// itself (otherwise: because it had waited as often as it may).
        over_cap: bool,
    },

    /// 429 with reason `QUOTA_EXCEEDED`: the developer account that owns this app has used up
    /// the request quota that all its Development-Mode apps share (Spotify, July 2026). Unlike
    /// [`Error::RateLimited`] this is not about how fast this client sends: every request fails
    /// until the quota clears, so spotkit never retries it.
    #[error(
        "Spotify refused the request because the request quota of the developer account that owns \
         this app is used up (429 QUOTA_EXCEEDED); the account's Development-Mode apps all share \
         it, so sending more slowly does not help; {}",
        retry_after.map_or_else(
            || "Spotify did not say when it clears: stop, and try again later".to_owned(),
            |d| format!("stop, and try again after it clears in about {}s", d.as_secs()),
        )
    )]
    QuotaExceeded {
        /// How long until the quota may clear, from the answer's `Retry-After`, when it had one.
        retry_after: Option<Duration>,
    },

    /// The stored login can no longer be used: the refresh token was rejected
    /// (`invalid_grant`), is missing, or no token was ever stored.
    #[error("{reason}; log in again to get a new token")]
    ReauthorizationRequired {
        /// What exactly was wrong, without any secret.
        reason: String,
    },

    /// Spotify rejected the access token even after one refresh.
    #[error("Spotify rejected the access token ({message}); log in again if this persists")]
    Unauthorized {
        /// Spotify's error message.
        message: String,
    },

    /// 403: the token lacks a scope, the user is not allowed, or the endpoint is closed to this
    /// app (Development-Mode apps get 403 on several old endpoints).
    #[error(
        "Spotify refused the request (403: {message}); check the scopes you logged in with and \
         whether your app's quota mode allows this endpoint"
    )]
    Forbidden {
        /// Spotify's error message.
        message: String,
    },

    /// 403 in plain text on every endpoint, `/me` included: the Development-Mode app may not be used
    /// at all because the Spotify account that owns it has no active Premium subscription
    /// (required since February 2026). Nothing the request or the user's login can change.
    #[error(
        "Spotify refuses every request of this app because the Spotify account that owns the app \
         has no active Premium subscription (403: {message}); once the owner subscribes it can \
         take a few hours before requests are allowed again"
    )]
    OwnerPremiumRequired {
        /// Spotify's message, as sent.
        message: String,
    },

    /// 403 in plain text on every endpoint, `/me` included: the logged-in user is not on the
    /// Development-Mode app's user list (User Management in Spotify's developer dashboard, at
    /// most 5 users). Logging in again does not help; adding the user to the list does.
    #[error(
        "Spotify refuses this user for this app: the user is not on the app's user list in \
         Spotify's developer dashboard (403: {message}); the app's owner must add the user's name \
         and Spotify e-mail address under the app's User Management (at most 5 users in \
         Development Mode)"
    )]
    UserNotRegistered {
        /// Spotify's message, as sent (the older or the newer wording).
        message: String,
    },

    /// 404: the id does not exist or is not visible to this user.
    #[error("Spotify has no such resource (404: {message}); check the id or URI")]
    NotFound {
        /// Spotify's error message.
        message: String,
    },

    /// 404 with reason `NO_ACTIVE_DEVICE`: a player command found no device playing or paused.
    #[error(
        "no active Spotify device ({message}); start Spotify on a device, or choose one of the \
         user's devices by its id"
    )]
    NoActiveDevice {
        /// Spotify's error message.
        message: String,
    },

    /// 403 with reason `PREMIUM_REQUIRED`: player commands need a Spotify Premium account.
    #[error("this needs Spotify Premium ({message}); log in with a Premium account")]
    PremiumRequired {
        /// Spotify's error message.
        message: String,
    },

    /// Any other unsuccessful status, with Spotify's own status and message.
    #[error("Spotify answered {status}: {message}")]
    Api {
        /// The HTTP status code.
        status: u16,
        /// Spotify's error message (or the start of the body when it sent none).
        message: String,
    },

    /// The accounts service refused a grant for a reason other than an expired login
    /// (for example `invalid_client`: wrong client id or secret, or an unregistered redirect URI).
    #[error(
        "the Spotify accounts service refused the request ({code}{}); check the client id, \
         secret and redirect URI registered for your app",
        description.as_deref().map(|d| format!(": {d}")).unwrap_or_default()
    )]
    OAuth {
        /// The RFC 6749 error code, e.g. `invalid_client`.
        code: String,
        /// Spotify's `error_description`, if any.
        description: Option<String>,
    },

    /// The authorization callback was unusable: wrong `state`, the user denied access, the
    /// pasted URL had no code, or nobody came back before the timeout.
    #[error("the login did not complete: {message}")]
    Callback {
        /// What went wrong.
        message: String,
    },

    /// A response did not match the expected shape.
    #[error(
        "could not read Spotify's response at `{path}`: {message} (body starts: {snippet}); \
         please report this with the body so the model can be fixed"
    )]
    Decode {
        /// JSON path of the failing member (`.` for the document itself).
        path: String,
        /// What serde said.
        message: String,
        /// The start of the body, for a bug report.
        snippet: String,
    },

    /// Network trouble that survived every retry: connection refused or reset, timeout, broken body.
    #[error("could not reach Spotify ({message}); check the network and try again")]
    Transport {
        /// What failed.
        message: String,
        /// The underlying error.
        #[source]
        source: Option<Arc<reqwest::Error>>,
    },

    /// Reading or writing a token store failed.
    #[error("token store {}: {message}", path.as_ref().map_or_else(|| "(memory)".to_owned(), |p| p.display().to_string()))]
    Store {
        /// The file involved, if any.
        path: Option<PathBuf>,
        /// What went wrong and what to do.
        message: String,
        /// The underlying I/O error.
        #[source]
        source: Option<Arc<std::io::Error>>,
    },

    /// An argument was unusable, e.g. a string that is not a Spotify id, URI or URL.
    #[error("{0}")]
    InvalidInput(String),

    /// The client was configured in a way that cannot work (bad base URL, no credentials for a
    /// grant, a `next` link pointing to another host, ...).
    #[error("spotkit is misconfigured: {0}")]
    Config(String),

    /// A request could not be encoded (its JSON body or its query string). spotkit's own
    /// builders always encode; this comes from a value passed to [`Spotify::get`](crate::Spotify::get)
    /// whose `Serialize` fails or is not a flat list of pairs.
    #[error("could not encode the {what}: {source}")]
    Encode {
        /// What was being encoded, e.g. `query for me/tracks`.
        what: String,
        /// What the encoder said.
        #[source]
        source: Arc<dyn std::error::Error + Send + Sync>,
    },

    /// Something spotkit relies on went away under it: the tokio runtime shut down while a
    /// request was in flight, or a background task failed. Keep the runtime alive until the
    /// calls you started have finished.
    #[error("spotkit could not finish the call: {0}")]
    Internal(String),
}

impl Error {
    /// The HTTP status Spotify answered with, when the error came from a response.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::RateLimited { .. } | Error::QuotaExceeded { .. } => Some(429),
            Error::Unauthorized { .. } => Some(401),
            Error::Forbidden { .. }
            | Error::PremiumRequired { .. }
            | Error::OwnerPremiumRequired { .. }
            | Error::UserNotRegistered { .. } => Some(403),
            Error::NotFound { .. } | Error::NoActiveDevice { .. } => Some(404),
            Error::Api { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Whether this is the developer account's shared quota running out ([`Error::QuotaExceeded`]):
    /// the caller should stop its run, not slow it down.
    pub fn is_quota_exceeded(&self) -> bool {
        matches!(self, Error::QuotaExceeded { .. })
    }

    /// Whether logging in again is the way out.
    pub fn needs_login(&self) -> bool {
        matches!(
            self,
            Error::ReauthorizationRequired { .. } | Error::Unauthorized { .. }
        )
    }

    pub(crate) fn transport(message: impl Into<String>, source: reqwest::Error) -> Self {
        Error::Transport {
            message: message.into(),
            source: Some(Arc::new(source.without_url())),
        }
    }

    pub(crate) fn encode(
        what: impl Into<String>,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        Error::Encode {
            what: what.into(),
            source: Arc::new(source),
        }
    }

    /// A 429's error before the retry policy decided (it replaces this with what it did).
    pub(crate) fn rate_limited(retry_after: Duration) -> Self {
        Error::RateLimited {
            retry_after,
            waits: 0,
            waited: Duration::ZERO,
            over_cap: false,
        }
    }

    pub(crate) fn store_io(
        path: impl Into<PathBuf>,
        message: impl Into<String>,
        source: std::io::Error,
    ) -> Self {
        Error::Store {
            path: Some(path.into()),
            message: message.into(),
            source: Some(Arc::new(source)),
        }
    }

    /// Builds a [`Error::Decode`] from a `serde_path_to_error` failure and the raw body.
    pub(crate) fn decode(err: &serde_path_to_error::Error<serde_json::Error>, body: &[u8]) -> Self {
        Error::Decode {
            path: err.path().to_string(),
            message: err.inner().to_string(),
            snippet: snippet(body),
        }
    }
}

impl From<crate::model::Error> for Error {
    /// Model errors are about input (ids, URIs, schema names): their message says what to fix.
    fn from(e: crate::model::Error) -> Self {
        Error::InvalidInput(e.to_string())
    }
}

/// The first ~200 characters of a body, for error messages (lossy UTF-8, on a char boundary).
pub(crate) fn snippet(body: &[u8]) -> String {
    const MAX: usize = 200;
    let text = String::from_utf8_lossy(body);
    if text.chars().count() <= MAX {
        text.into_owned()
    } else {
        let mut s: String = text.chars().take(MAX).collect();
        s.push('…');
        s
    }
}

/// Decodes JSON with the failing path in the error.
///
/// Path tracking costs time on every member, and bodies almost always decode: so decode plainly
/// first and only decode again with `serde_path_to_error` to explain a failure.
pub(crate) fn decode_json<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T> {
    serde_json::from_slice(body).or_else(|_| {
        let de = &mut serde_json::Deserializer::from_slice(body);
        serde_path_to_error::deserialize(de).map_err(|e| Error::decode(&e, body))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Outer {
        items: Vec<Inner>,
    }
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Inner {
        id: String,
    }

    #[test]
    fn decode_names_the_failing_path() {
        let body = br#"{"items":[{"id":"a"},{"id":7}]}"#;
        let err = decode_json::<Outer>(body).unwrap_err();
        match &err {
            Error::Decode { path, snippet, .. } => {
                assert_eq!(path, "items[1].id");
                assert!(snippet.contains("\"id\":7"));
            }
            other => panic!("unexpected {other:?}"),
        }
        assert!(err.to_string().contains("items[1].id"));
    }

    #[test]
    fn messages_give_no_cli_advice() {
        let io = || Some(Arc::new(std::io::Error::other("disk full")));
        let all = [
            Error::RateLimited {
                retry_after: Duration::from_secs(5),
                waits: 10,
                waited: Duration::from_secs(52),
                over_cap: false,
            },
            Error::QuotaExceeded { retry_after: None },
            Error::ReauthorizationRequired {
                reason: "no token is stored".into(),
            },
            Error::Unauthorized {
                message: "m".into(),
            },
            Error::Forbidden {
                message: "m".into(),
            },
            Error::NotFound {
                message: "m".into(),
            },
            Error::NoActiveDevice {
                message: "m".into(),
            },
            Error::PremiumRequired {
                message: "m".into(),
            },
            Error::OwnerPremiumRequired {
                message: "m".into(),
            },
            Error::UserNotRegistered {
                message: "m".into(),
            },
            Error::Api {
                status: 500,
                message: "m".into(),
            },
            Error::OAuth {
                code: "invalid_client".into(),
                description: None,
            },
            Error::Callback {
                message: "m".into(),
            },
            Error::Transport {
                message: "m".into(),
                source: None,
            },
            Error::Store {
                path: None,
                message: "m".into(),
                source: io(),
            },
            Error::Config("m".into()),
            Error::encode("request body", std::io::Error::other("m")),
            Error::Internal("m".into()),
        ];
        for e in all {
            let text = e.to_string();
            // `()`: a library call such as `player().devices()` is advice for a program, which
            // a CLI shows its users in its own terms.
            for cli in ["spotkit login", "`spotkit", "`--", " --", "()"] {
                assert!(!text.contains(cli), "{cli:?} in {text}");
            }
        }
    }

    #[test]
    fn encode_and_internal_are_not_configuration() {
        let e = Error::encode("query for me/tracks", std::io::Error::other("bad pair"));
        assert_eq!(
            e.to_string(),
            "could not encode the query for me/tracks: bad pair"
        );
        assert!(std::error::Error::source(&e).is_some());
        assert!(!e.to_string().contains("misconfigured"));
        let e = Error::Internal("the tokio runtime shut down".into());
        assert!(!e.to_string().contains("misconfigured"), "{e}");
    }

    #[test]
    fn snippet_is_bounded_and_char_safe() {
        let long = "é".repeat(500);
        let s = snippet(long.as_bytes());
        assert_eq!(s.chars().count(), 201);
        assert!(s.ends_with('…'));
    }

    #[test]
    fn messages_say_what_to_do() {
        let e = Error::ReauthorizationRequired {
            reason: "the refresh token was revoked".into(),
        };
        assert!(e.to_string().contains("log in again"));
        // The library says what to do in its own terms; CLI commands are the CLI's hints.
        assert!(!e.to_string().contains("spotkit login"), "{e}");
        let e = Error::RateLimited {
            retry_after: Duration::from_secs(3600),
            waits: 0,
            waited: Duration::ZERO,
            over_cap: true,
        };
        assert!(e.to_string().contains("asked to wait 1h 0m"), "{e}");
        assert!(
            e.to_string()
                .contains("longer than spotkit waits by itself"),
            "{e}"
        );
        // Issue #21: ten 5 s waits are not "longer than the cap".
        let e = Error::RateLimited {
            retry_after: Duration::from_secs(5),
            waits: 10,
            waited: Duration::from_secs(52),
            over_cap: false,
        };
        assert!(
            e.to_string()
                .contains("waited 10 times as it asked (52s in all)"),
            "{e}"
        );
        assert!(!e.to_string().contains("cap"), "{e}");
        assert!(!e.to_string().contains("longer than"), "{e}");
        assert_eq!(e.status(), Some(429));
        let e = Error::QuotaExceeded {
            retry_after: Some(Duration::from_secs(90)),
        };
        assert!(e.to_string().contains("developer account"), "{e}");
        assert!(e.to_string().contains("about 90s"), "{e}");
        assert_eq!(e.status(), Some(429));
        let e = Error::QuotaExceeded { retry_after: None };
        assert!(e.to_string().contains("did not say when"), "{e}");
    }
}
