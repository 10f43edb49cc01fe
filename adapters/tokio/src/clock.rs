//! The driver's clock on tokio timers: Unix milliseconds that never go backwards.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use msync_core::driver::Clock;
use msync_core::time::Instant;

/// Unix milliseconds read once from the system clock, then advanced by tokio's monotonic
/// clock (so a wall-clock jump cannot move the session's timers). Sleeps are tokio timers.
#[derive(Clone, Copy, Debug)]
pub struct TokioClock {
    origin: tokio::time::Instant,
    origin_unix_ms: u64,
}

impl TokioClock {
    /// A clock starting at the system's current Unix time.
    pub fn new() -> Self {
        let unix = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        Self {
            origin: tokio::time::Instant::now(),
            origin_unix_ms: u64::try_from(unix.as_millis()).unwrap_or(u64::MAX),
        }
    }
}

impl Default for TokioClock {
    fn default() -> Self {
        Self::new()
    }
}

impl Clock for TokioClock {
    fn now(&self) -> Instant {
        let elapsed = u64::try_from(self.origin.elapsed().as_millis()).unwrap_or(u64::MAX);
        Instant::from_millis(self.origin_unix_ms.saturating_add(elapsed))
    }

    async fn sleep_until(&self, deadline: Instant) {
        let after_origin = deadline.as_millis().saturating_sub(self.origin_unix_ms);
        match self.origin.checked_add(Duration::from_millis(after_origin)) {
            Some(at) => tokio::time::sleep_until(at).await,
            // Beyond what tokio can represent: never.
            None => std::future::pending().await,
        }
    }
}
