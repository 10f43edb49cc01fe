//! The driver's clock on embassy-time.

use msync_core::driver::Clock;
use msync_core::time::Instant;

/// Session time from embassy-time: the milliseconds since boot plus an offset.
///
/// With the Unix time known at start (an RTC, SNTP, a phone that provisioned the device), use
/// [`EmbassyClock::from_unix_millis`]: the session then derives message ids from real time, as
/// the official SDKs do. Without it, [`EmbassyClock::since_boot`] counts from boot, which the
/// session accepts too (ids stay unique per session, not across reboots).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct EmbassyClock {
    /// Session time at embassy-time's zero.
    offset_ms: u64,
}

impl EmbassyClock {
    /// Milliseconds since boot.
    pub const fn since_boot() -> Self {
        Self { offset_ms: 0 }
    }

    /// Unix milliseconds, given the Unix time now.
    pub fn from_unix_millis(unix_ms_now: u64) -> Self {
        Self {
            offset_ms: unix_ms_now.saturating_sub(embassy_time::Instant::now().as_millis()),
        }
    }
}

impl Clock for EmbassyClock {
    fn now(&self) -> Instant {
        Instant::from_millis(
            self.offset_ms
                .saturating_add(embassy_time::Instant::now().as_millis()),
        )
    }

    async fn sleep_until(&self, deadline: Instant) {
        let since_boot = deadline.as_millis().saturating_sub(self.offset_ms);
        match embassy_time::Instant::try_from_millis(since_boot) {
            Some(at) => embassy_time::Timer::at(at).await,
            // Beyond what embassy-time can represent: never.
            None => core::future::pending().await,
        }
    }
}
