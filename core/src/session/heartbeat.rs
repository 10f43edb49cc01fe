//! Heartbeat and dead-link detection (§7.4, §9).
//!
//! An UNREAD goes out `interval` after the later of the last received frame and the last
//! heartbeat (the first one of a connection up to `jitter` earlier, at random), and never more
//! than two intervals after the previous heartbeat, so that the server hears from the client
//! even while only the server talks. Nothing received for `dead_after` means the link is dead.

use crate::time::{Duration, Instant};

#[derive(Debug)]
pub(crate) struct Heartbeat {
    last_rx: Instant,
    last_beat: Instant,
    /// Subtracted from the first idle heartbeat's due time; cleared after it.
    first_jitter: Duration,
}

impl Heartbeat {
    pub(crate) const fn new() -> Self {
        Self {
            last_rx: Instant::from_millis(0),
            last_beat: Instant::from_millis(0),
            first_jitter: Duration::ZERO,
        }
    }

    /// A connection went online at `now`; its login UNREAD counts as a heartbeat.
    pub(crate) fn start(&mut self, now: Instant, first_jitter: Duration) {
        self.last_rx = now;
        self.last_beat = now;
        self.first_jitter = first_jitter;
    }

    /// A frame arrived.
    pub(crate) fn received(&mut self, now: Instant) {
        self.last_rx = self.last_rx.max(now);
    }

    /// A heartbeat is being sent.
    pub(crate) fn beat(&mut self, now: Instant) {
        self.last_beat = now;
        self.first_jitter = Duration::ZERO;
    }

    /// When the next heartbeat is due.
    pub(crate) fn due(&self, interval: Duration) -> Instant {
        let idle = self.last_rx.max(self.last_beat) + interval - self.first_jitter;
        let cap = self.last_beat + interval + interval;
        idle.min(cap)
    }

    /// When the link counts as dead.
    pub(crate) fn dead_at(&self, dead_after: Duration) -> Instant {
        self.last_rx + dead_after
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idle_incoming_only_and_dead() {
        let s = Duration::from_secs;
        let t = Instant::from_millis;
        let mut hb = Heartbeat::new();
        hb.start(t(0), s(2));
        assert_eq!(hb.due(s(30)), t(28_000));
        hb.beat(t(28_000));
        assert_eq!(hb.due(s(30)), t(58_000));
        for ms in (30_000..200_000).step_by(1000) {
            hb.received(t(ms));
        }
        assert_eq!(hb.due(s(30)), t(88_000), "capped at two intervals");
        assert_eq!(hb.dead_at(s(65)), t(199_000 + 65_000));
    }
}
