//! Shared state of a running sandbox.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::Instant;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::catalog::{Catalog, Sizes};
use crate::config::{AppConditions, ClientApp, Config, Faults, Mode, Quota};
use crate::tokens::Tokens;

/// Counters served at `/_sandbox/stats`.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Stats {
    /// `"GET /v1/me/tracks"` → status → count.
    pub requests: BTreeMap<String, BTreeMap<u16, u64>>,
    /// Grant type → successful grants.
    pub grants: BTreeMap<String, u64>,
    /// Successful refresh-token grants.
    pub refreshes: u64,
    /// Injected faults by kind (`5xx`, `429`, `reset`, `rate_limited`, `quota_exceeded`).
    pub faults: BTreeMap<String, u64>,
    /// Web API (`/v1`) requests being answered right now.
    pub in_flight: u64,
    /// The most Web API requests answered at once since the last reset: what a client's
    /// concurrency limit really allowed.
    pub peak_in_flight: u64,
}

/// Everything handlers share. Cheap to clone.
#[derive(Debug, Clone)]
pub struct AppState(Arc<Inner>);

#[derive(Debug)]
pub struct Inner {
    pub mode: Mode,
    pub transition: bool,
    pub auto_approve: bool,
    pub list_spotify_owned: bool,
    pub clients: Vec<ClientApp>,
    pub refresh_token_ttl: std::time::Duration,
    pub world: RwLock<Catalog>,
    /// Bumped on every write lock of `world`: the version rendered pages belong to.
    pub generation: AtomicU64,
    /// Rendered list pages of the current generation (the response cache).
    pub responses: Mutex<crate::response_cache::ResponseCache>,
    pub tokens: Mutex<Tokens>,
    pub faults: RwLock<Faults>,
    pub stats: Mutex<Stats>,
    pub fault_rng: Mutex<ChaCha8Rng>,
    /// Per client id: times of the Web API requests in the current 30 s window.
    pub windows: Mutex<HashMap<String, VecDeque<Instant>>>,
    /// Per client id: when its rate-limit ban ends (see `Faults::rate_limit_ban_secs`).
    pub bans: Mutex<HashMap<String, Instant>>,
    /// Development-Mode conditions per client id.
    pub apps: RwLock<BTreeMap<String, AppConditions>>,
    /// The per-developer-account quota's settings.
    pub quota: RwLock<Quota>,
    /// Per developer account: its use of the current quota window.
    pub quota_usage: Mutex<HashMap<String, crate::quota::Window>>,
    /// Simulated players by user index.
    pub players: Mutex<HashMap<u32, crate::api::player::Player>>,
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

/// Locks a mutex, recovering the data if a panicking thread poisoned it: the sandbox's state stays
/// usable (each handler leaves it consistent before anything can panic).
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl AppState {
    /// Generates the catalogue and builds the state for `config`.
    pub fn new(config: &Config) -> AppState {
        let catalog = Catalog::generate(&Sizes {
            seed: config.seed,
            liked: config.liked,
            playlists: config.playlists,
            albums: config.albums,
        });
        let mut clients = config.clients.clone();
        if !clients.iter().any(|c| c.id == "spotkit-demo") {
            clients.insert(0, ClientApp::demo());
        }
        AppState(Arc::new(Inner {
            mode: config.mode,
            transition: config.transition,
            auto_approve: config.auto_approve,
            list_spotify_owned: config.list_spotify_owned,
            clients,
            refresh_token_ttl: config.refresh_token_ttl,
            world: RwLock::new(catalog),
            generation: AtomicU64::new(0),
            responses: Mutex::new(crate::response_cache::ResponseCache::default()),
            tokens: Mutex::new(Tokens::default()),
            faults: RwLock::new(config.faults.clone()),
            stats: Mutex::new(Stats::default()),
            fault_rng: Mutex::new(ChaCha8Rng::seed_from_u64(config.seed ^ 0x5eed_fa17)),
            windows: Mutex::new(HashMap::new()),
            bans: Mutex::new(HashMap::new()),
            apps: RwLock::new(config.apps.clone()),
            quota: RwLock::new(config.quota.clone()),
            quota_usage: Mutex::new(HashMap::new()),
            players: Mutex::new(HashMap::new()),
        }))
    }

    /// Reads the world.
    pub fn world(&self) -> RwLockReadGuard<'_, Catalog> {
        self.world
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Writes the world. Starts a new generation, so no page rendered from the old world is served
    /// again (see [`crate::response_cache`]).
    pub fn world_mut(&self) -> RwLockWriteGuard<'_, Catalog> {
        let guard = self
            .world
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        // Bumped while the write lock is held, so a generation read under a read lock always names
        // the world that read lock shows (readers cannot run until this writer is done).
        self.generation.fetch_add(1, Ordering::SeqCst);
        guard
    }

    /// The world's generation; read it while holding [`world`](Self::world)'s read lock.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// Current fault settings.
    pub fn faults(&self) -> Faults {
        self.faults
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Replaces the fault settings. Turning the rate-limit ban off lifts the bans in force.
    pub fn set_faults(&self, faults: Faults) {
        if faults.rate_limit_ban_secs.is_none() {
            lock(&self.bans).clear();
        }
        *self
            .faults
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = faults;
    }

    /// Current quota settings.
    pub fn quota(&self) -> Quota {
        self.quota
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Replaces the quota settings (the accounts' use so far is kept).
    pub fn set_quota(&self, quota: Quota) {
        *self
            .quota
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = quota;
    }

    /// The Development-Mode conditions of the app `client_id` (defaults when none were set).
    pub fn app_conditions(&self, client_id: &str) -> AppConditions {
        self.apps
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(client_id)
            .cloned()
            .unwrap_or_default()
    }

    /// Sets the Development-Mode conditions of the app `client_id`; refuses a user list longer
    /// than Development Mode allows.
    pub fn set_app_conditions(
        &self,
        client_id: &str,
        conditions: AppConditions,
    ) -> Result<(), String> {
        conditions.check()?;
        self.apps
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(client_id.to_owned(), conditions);
        Ok(())
    }

    /// Every app's Development-Mode conditions that were set.
    pub fn all_app_conditions(&self) -> BTreeMap<String, AppConditions> {
        self.apps
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Counts something in the stats.
    pub fn stats(&self) -> MutexGuard<'_, Stats> {
        lock(&self.stats)
    }

    /// The registered app with this id.
    pub fn client(&self, id: &str) -> Option<&ClientApp> {
        self.clients.iter().find(|c| c.id == id)
    }
}
