//! Keeps a fresh access token and renews it single-flight.
//!
//! Any number of tasks share one [`TokenManager`]. When they find the token expired (or within
//! the skew of expiring), or Spotify answers 401, the first of them starts *one* renewal and the
//! others join it: every waiter gets the same new token or the same error. The renewal runs in
//! its own task, so a caller that gives up (drops its future) cannot cancel a refresh halfway,
//! after the accounts service already rotated the refresh token but before it was stored.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use futures::FutureExt;
use futures::future::{BoxFuture, Shared};

use super::{AccessToken, Token, TokenStore};
use crate::auth::OAuth;
use crate::error::{Error, Result};

/// How a new access token is obtained.
#[derive(Debug, Clone)]
pub(crate) enum Renewal {
    /// Only the token given; once it expires the user must supply another.
    None,
    /// Refresh-token grant (PKCE or Authorization Code logins).
    Refresh(Arc<OAuth>),
    /// Client Credentials: ask for a fresh app token.
    ClientCredentials(Arc<OAuth>),
}

/// A bearer token plus the generation it belongs to (bumped by every renewal).
pub(crate) type Bearer = (AccessToken, u64);
type SharedRenewal = Shared<BoxFuture<'static, Result<Bearer>>>;

#[derive(Debug)]
struct State {
    token: Option<Token>,
    /// Whether the store was consulted yet.
    loaded: bool,
    generation: u64,
    inflight: Option<SharedRenewal>,
}

#[derive(Debug)]
struct Inner {
    renewal: Renewal,
    store: Option<Arc<dyn TokenStore>>,
    profile: String,
    skew: Duration,
    state: Mutex<State>,
}

/// The shared token keeper of one [`crate::Spotify`].
#[derive(Debug, Clone)]
pub(crate) struct TokenManager {
    inner: Arc<Inner>,
}

#[derive(Debug, Clone, Copy)]
enum Reason {
    /// No fresh token in memory.
    Stale,
    /// Spotify refused the token of this generation.
    Rejected(u64),
    /// The caller asked for a renewal whatever the token's state.
    Force,
}

impl TokenManager {
    pub(crate) fn new(
        renewal: Renewal,
        store: Option<Arc<dyn TokenStore>>,
        profile: String,
        skew: Duration,
        initial: Option<Token>,
    ) -> Self {
        let loaded = initial.is_some();
        TokenManager {
            inner: Arc::new(Inner {
                renewal,
                store,
                profile,
                skew,
                state: Mutex::new(State {
                    token: initial,
                    loaded,
                    generation: 0,
                    inflight: None,
                }),
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.inner
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether a 401 can be fixed by renewing.
    pub(crate) fn can_renew(&self) -> bool {
        !matches!(self.inner.renewal, Renewal::None)
    }

    /// The profile the token belongs to.
    pub(crate) fn profile(&self) -> &str {
        &self.inner.profile
    }

    /// The renewal strategy.
    pub(crate) fn renewal(&self) -> &Renewal {
        &self.inner.renewal
    }

    /// A copy of the token in memory (after loading it from the store if needed).
    pub(crate) async fn current(&self) -> Result<Option<Token>> {
        let needs_load = !self.lock().loaded;
        if needs_load && let Some(store) = &self.inner.store {
            let stored = store.load(&self.inner.profile).await?;
            let mut st = self.lock();
            if !st.loaded {
                st.token = stored;
                st.loaded = true;
            }
        }
        Ok(self.lock().token.clone())
    }

    /// A bearer token that is good for at least the skew, renewing it if needed.
    pub(crate) async fn bearer(&self) -> Result<Bearer> {
        self.obtain(Reason::Stale).await
    }

    /// Spotify refused the token of `generation`: renew once (joining a renewal that is already
    /// under way), unless a newer token already exists.
    pub(crate) async fn renew_after_rejection(&self, generation: u64) -> Result<Bearer> {
        self.obtain(Reason::Rejected(generation)).await
    }

    /// Forces a renewal now (for `spotify.auth().refresh()`).
    pub(crate) async fn force_renewal(&self) -> Result<Token> {
        self.obtain(Reason::Force).await?;
        self.lock()
            .token
            .clone()
            .ok_or_else(|| Error::ReauthorizationRequired {
                reason: "no token after renewal".into(),
            })
    }

    /// Installs a token obtained by a login and saves it to the store.
    pub(crate) async fn install(&self, token: Token) -> Result<()> {
        if let Some(store) = &self.inner.store {
            store.save(&self.inner.profile, &token).await?;
        }
        let mut st = self.lock();
        st.token = Some(token);
        st.loaded = true;
        st.generation += 1;
        Ok(())
    }

    /// Forgets the token here and in the store.
    pub(crate) async fn forget(&self) -> Result<()> {
        if let Some(store) = &self.inner.store {
            store.delete(&self.inner.profile).await?;
        }
        let mut st = self.lock();
        st.token = None;
        st.loaded = true;
        st.generation += 1;
        Ok(())
    }

    async fn obtain(&self, reason: Reason) -> Result<Bearer> {
        let shared = {
            let mut st = self.lock();
            if let Some(t) = &st.token {
                let usable = match reason {
                    Reason::Stale => t.is_fresh(t.renewal_margin(self.inner.skew)),
                    // A newer token than the refused one exists: use it.
                    Reason::Rejected(g) => g != st.generation && t.is_fresh(Duration::ZERO),
                    Reason::Force => false,
                };
                if usable {
                    return Ok((t.access_token().clone(), st.generation));
                }
            }
            if let Some(f) = &st.inflight {
                f.clone()
            } else {
                let inner = self.inner.clone();
                let task = tokio::spawn(renew(inner, reason));
                let fut: BoxFuture<'static, Result<Bearer>> = async move {
                    task.await.unwrap_or_else(|e| {
                        Err(Error::Internal(format!(
                            "the token renewal task failed: {e}"
                        )))
                    })
                }
                .boxed();
                let shared = fut.shared();
                st.inflight = Some(shared.clone());
                shared
            }
        };
        shared.await
    }
}

/// The body of the single renewal task. Always clears `inflight` before it finishes.
async fn renew(inner: Arc<Inner>, reason: Reason) -> Result<Bearer> {
    let result = renew_inner(&inner, reason).await;
    let mut st = inner.state.lock().unwrap_or_else(PoisonError::into_inner);
    st.inflight = None;
    match result {
        Ok(Some(token)) => {
            let bearer = token.access_token().clone();
            st.token = Some(token);
            st.loaded = true;
            st.generation += 1;
            Ok((bearer, st.generation))
        }
        Ok(None) => {
            // The stored token turned out to be fresh: adopted without a network call.
            let t = st
                .token
                .as_ref()
                .ok_or_else(|| Error::ReauthorizationRequired {
                    reason: "no token".into(),
                })?;
            Ok((t.access_token().clone(), st.generation))
        }
        Err(Renewed {
            token: Some(token),
            error,
        }) => {
            // Renewed, but saving failed: keep using the new token, report the store problem.
            st.token = Some(token);
            st.generation += 1;
            Err(error)
        }
        Err(Renewed { token: None, error }) => Err(error),
    }
}

/// A renewal failure, possibly after a new token was already obtained.
struct Renewed {
    token: Option<Token>,
    error: Error,
}

impl From<Error> for Renewed {
    fn from(error: Error) -> Self {
        Renewed { token: None, error }
    }
}

/// Runs one renewal under the store's cross-process renewal lock, if it has one.
async fn renew_inner(inner: &Inner, reason: Reason) -> Result<Option<Token>, Renewed> {
    let lock = match &inner.store {
        Some(store) => store.lock_renewal(&inner.profile).await?,
        None => None,
    };
    let result = renew_locked(inner, reason).await;
    if let Some(lock) = lock
        && let Err(e) = lock.release().await
    {
        // The renewal itself is done (and saved); the lock also goes when its holder drops.
        tracing::warn!(profile = %inner.profile, error = %e, "could not release the token renewal lock");
    }
    result
}

/// `Ok(None)`: the token in memory (possibly just loaded) is good, nothing renewed.
async fn renew_locked(inner: &Inner, reason: Reason) -> Result<Option<Token>, Renewed> {
    let (mut current, loaded, generation) = {
        let st = inner.state.lock().unwrap_or_else(PoisonError::into_inner);
        (st.token.clone(), st.loaded, st.generation)
    };
    // Look at the store: on first use it has the login; later it may hold a token that another
    // process renewed (with PKCE the refresh token we hold may already be spent).
    if let Some(store) = &inner.store {
        let stored = store.load(&inner.profile).await?;
        if let Some(stored) = stored {
            let newer = current
                .as_ref()
                .is_none_or(|c| c.access_token() != stored.access_token());
            if newer || !loaded {
                let good = match reason {
                    Reason::Stale => stored.is_fresh(stored.renewal_margin(inner.skew)),
                    // Another process renewed since we used ours.
                    Reason::Rejected(_) => newer && loaded && stored.is_fresh(Duration::ZERO),
                    Reason::Force => false,
                };
                let mut st = inner.state.lock().unwrap_or_else(PoisonError::into_inner);
                st.token = Some(stored.clone());
                st.loaded = true;
                if newer && st.generation == generation && loaded {
                    st.generation += 1;
                }
                drop(st);
                if good {
                    return Ok(None);
                }
                current = Some(stored);
            }
        } else {
            inner
                .state
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .loaded = true;
        }
    }

    let new = match &inner.renewal {
        Renewal::ClientCredentials(oauth) => {
            tracing::debug!(profile = %inner.profile, "requesting a client-credentials token");
            oauth.client_credentials().await?
        }
        Renewal::Refresh(oauth) => {
            let Some(current) = current else {
                return Err(Error::ReauthorizationRequired {
                    reason: format!("no token is stored for profile {:?}", inner.profile),
                }
                .into());
            };
            let Some(refresh_token) = current.refresh_token() else {
                return Err(Error::ReauthorizationRequired {
                    reason: "the access token expired and no refresh token was issued with it"
                        .into(),
                }
                .into());
            };
            tracing::debug!(profile = %inner.profile, "refreshing the access token");
            match oauth.refresh(refresh_token).await {
                Ok(fresh) => current.merge_refreshed(fresh),
                Err(error @ Error::ReauthorizationRequired { .. }) => {
                    return rescue_from_store(inner, oauth, &current, error).await;
                }
                Err(error) => return Err(error.into()),
            }
        }
        Renewal::None => {
            return Err(Error::ReauthorizationRequired {
                reason: if current.is_some() {
                    "the access token expired and this client has no way to renew it".into()
                } else {
                    format!("no token is stored for profile {:?}", inner.profile)
                },
            }
            .into());
        }
    };
    if let Some(store) = &inner.store
        && let Err(error) = store.save(&inner.profile, &new).await
    {
        return Err(Renewed {
            token: Some(new),
            error,
        });
    }
    Ok(Some(new))
}

/// Spotify said `invalid_grant` to our refresh token. Before declaring the login dead, look at
/// the store once more: another process (or a store without a cross-process lock) may have
/// rotated the PKCE refresh token and saved its successor. A fresh stored token is adopted; a
/// stale one with another refresh token is refreshed once. Otherwise the original error stands.
async fn rescue_from_store(
    inner: &Inner,
    oauth: &OAuth,
    spent: &Token,
    error: Error,
) -> Result<Option<Token>, Renewed> {
    let Some(store) = &inner.store else {
        return Err(error.into());
    };
    let Some(stored) = store.load(&inner.profile).await? else {
        return Err(error.into());
    };
    let (Some(theirs), Some(ours)) = (stored.refresh_token(), spent.refresh_token()) else {
        return Err(error.into());
    };
    if theirs.secret() == ours.secret() {
        return Err(error.into());
    }
    tracing::debug!(profile = %inner.profile, "the refresh token was rotated elsewhere; using the stored one");
    if stored.is_fresh(stored.renewal_margin(inner.skew)) {
        return Ok(Some(stored));
    }
    let fresh = oauth.refresh(theirs).await?;
    let new = stored.merge_refreshed(fresh);
    if let Err(error) = store.save(&inner.profile, &new).await {
        return Err(Renewed {
            token: Some(new),
            error,
        });
    }
    Ok(Some(new))
}
