//! Trace ids (§6.17), client message ids (§6.18) and session ids (§6.19).

use core::fmt::Write as _;

use heapless::String;

use crate::time::Instant;

/// 2020-01-01T00:00:00Z in Unix ms: a `now` at or after it is taken for wall-clock time.
pub(crate) const WALL_CLOCK_MIN_MS: u64 = 1_577_836_800_000;

/// Whether `now` looks like Unix milliseconds.
pub(crate) const fn is_wall_clock(now: Instant) -> bool {
    now.as_millis() >= WALL_CLOCK_MIN_MS
}

/// JS SDK trace ids: `(unix_ms << 22) | (1 << 12) | seq`, `seq` a 12-bit counter within the ms.
#[derive(Debug)]
pub(crate) struct TraceIds {
    last_ms: u64,
    seq: u64,
}

impl TraceIds {
    pub(crate) const fn new() -> Self {
        Self { last_ms: 0, seq: 0 }
    }

    pub(crate) fn next(&mut self, now: Instant) -> u64 {
        let ms = now.as_millis();
        if ms != self.last_ms {
            self.last_ms = ms;
            self.seq = 0;
        }
        let id = (ms << 22) | (1 << 12) | (self.seq & 0xfff);
        self.seq = self.seq.wrapping_add(1);
        id
    }
}

/// Client message ids: `(unix_ms << 20) | counter`, strictly increasing, when `now` is wall
/// time (unique across restarts while the clock moves forward); otherwise 32 random high bits
/// drawn once per session and a 32-bit counter.
#[derive(Debug)]
pub(crate) struct MessageIds {
    last: u64,
    random_high: u64,
    counter: u32,
}

impl MessageIds {
    pub(crate) const fn new(random_high: u32) -> Self {
        Self {
            last: 0,
            random_high: (random_high as u64) << 32,
            counter: 0,
        }
    }

    /// The next candidate id (non-zero); the caller skips ids still pending.
    pub(crate) fn next(&mut self, now: Instant) -> u64 {
        if is_wall_clock(now) {
            let base = now.as_millis().saturating_mul(1 << 20);
            self.last = base.max(self.last.saturating_add(1));
            self.last
        } else {
            self.counter = self.counter.wrapping_add(1).max(1);
            self.random_high | u64::from(self.counter)
        }
    }
}

/// A session id `"<unix_ms>:"`.
pub(crate) type SessionIdText = String<24>;

pub(crate) fn session_id(now: Instant) -> SessionIdText {
    let mut text = SessionIdText::new();
    // 20 digits and a colon always fit in 24 bytes.
    let _ = write!(text, "{}:", now.as_millis());
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trace_ids_match_the_vectors() {
        let mut ids = TraceIds::new();
        let now = Instant::from_millis(1_700_000_000_000);
        assert_eq!(ids.next(now), 7_130_316_800_000_004_096);
        assert_eq!(ids.next(now), 7_130_316_800_000_004_097);
        let later = Instant::from_millis(1_700_000_000_001);
        assert_eq!(ids.next(later) & 0xfff, 0);
    }

    #[test]
    fn message_ids_increase_and_never_zero() {
        let mut ids = MessageIds::new(7);
        let now = Instant::from_millis(1_700_000_000_000);
        let a = ids.next(now);
        let b = ids.next(now);
        assert!(b > a && a != 0);
        let mut mono = MessageIds::new(0);
        assert_eq!(mono.next(Instant::from_millis(5)), 1);
        assert_eq!(session_id(now).as_str(), "1700000000000:");
    }
}
