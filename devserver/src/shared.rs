//! What every task of a running server shares: configuration, state, faults, the frame log.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, OnceLock, PoisonError, Weak};

use tokio_util::sync::CancellationToken;

use crate::config::Config;
use crate::faults::Faults;
use crate::framelog::{FrameLog, FrameRecord};
use crate::ids::IdGen;
use crate::listener::Listener;
use crate::store::State;

/// Locks a mutex; a panic elsewhere while holding it does not make the data unusable here.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The server's shared core.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) config: Config,
    pub(crate) state: Mutex<State>,
    pub(crate) faults: Mutex<Faults>,
    pub(crate) frames: Mutex<FrameLog>,
    pub(crate) ids: IdGen,
    /// The bound address (the same across restarts).
    pub(crate) addr: SocketAddr,
    /// Cancelled when the current listener generation ends (restart or shutdown): every
    /// connection of that generation drops.
    epoch: Mutex<CancellationToken>,
    next_connection: AtomicU64,
    /// The listener, for the admin path's restart (set once at start).
    pub(crate) listener: OnceLock<Weak<Listener>>,
}

impl Shared {
    /// A server core for this configuration, bound to `addr`.
    pub(crate) fn new(config: Config, addr: SocketAddr) -> Self {
        let mut state = State::default();
        for app in &config.apps {
            state.declare_app(&app.app_key, &app.client_id, &app.client_secret);
        }
        Self {
            config,
            state: Mutex::new(state),
            faults: Mutex::new(Faults::default()),
            frames: Mutex::new(FrameLog::default()),
            ids: IdGen::default(),
            addr,
            epoch: Mutex::new(CancellationToken::new()),
            next_connection: AtomicU64::new(1),
            listener: OnceLock::new(),
        }
    }

    /// A number for a new connection.
    pub(crate) fn next_connection(&self) -> u64 {
        self.next_connection.fetch_add(1, Ordering::Relaxed)
    }

    /// The token of the current listener generation.
    pub(crate) fn epoch(&self) -> CancellationToken {
        lock(&self.epoch).clone()
    }

    /// Ends the current generation (dropping all its connections) and starts a new one.
    pub(crate) fn next_epoch(&self) -> CancellationToken {
        let mut epoch = lock(&self.epoch);
        epoch.cancel();
        *epoch = CancellationToken::new();
        epoch.clone()
    }

    /// Ends the current generation without starting another (shutdown).
    pub(crate) fn end_epoch(&self) {
        lock(&self.epoch).cancel();
    }

    /// Appends to the frame log.
    pub(crate) fn log_frame(&self, record: FrameRecord) {
        lock(&self.frames).push(record, self.config.frame_log_capacity);
    }

    /// `http` or `https`.
    pub(crate) fn http_scheme(&self) -> &'static str {
        if self.config.tls { "https" } else { "http" }
    }

    /// `ws` or `wss`.
    pub(crate) fn ws_scheme(&self) -> &'static str {
        if self.config.tls { "wss" } else { "ws" }
    }
}
