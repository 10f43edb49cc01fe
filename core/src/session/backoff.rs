//! Reconnect backoff (§7.12, §9): failed rounds in a row pick a tier, the tier a random delay.

use rand_core::RngCore;

use super::config::ReconnectPolicy;
use crate::time::Duration;

/// Failed rounds in a row; reset by a PROVISION OK.
#[derive(Debug)]
pub(crate) struct Backoff {
    failures: u32,
}

impl Backoff {
    pub(crate) const fn new() -> Self {
        Self { failures: 0 }
    }

    /// Failed rounds in a row.
    pub(crate) fn failures(&self) -> u32 {
        self.failures
    }

    pub(crate) fn reset(&mut self) {
        self.failures = 0;
    }

    /// Counts a failed round; returns its number, or `None` when the policy gives up.
    pub(crate) fn fail(&mut self, policy: &ReconnectPolicy) -> Option<u32> {
        self.failures = self.failures.saturating_add(1);
        match policy.max_attempts {
            Some(max) if self.failures > max => None,
            _ => Some(self.failures),
        }
    }

    /// The delay before attempt `attempt` (from 1).
    pub(crate) fn delay<R: RngCore>(
        policy: &ReconnectPolicy,
        attempt: u32,
        rng: &mut R,
    ) -> Duration {
        let Some(tier) = policy
            .tiers
            .iter()
            .rfind(|tier| tier.from_attempt <= attempt)
        else {
            return Duration::ZERO;
        };
        let step = tier.granularity.as_millis().max(1);
        let min = tier.min.as_millis();
        let steps = tier.max.as_millis().saturating_sub(min) / step;
        let pick = rng.next_u64() % steps.saturating_add(1).max(1);
        Duration::from_millis(min.saturating_add(pick.saturating_mul(step)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Counter(u64);
    impl RngCore for Counter {
        fn next_u32(&mut self) -> u32 {
            self.next_u64() as u32
        }
        fn next_u64(&mut self) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            self.0 >> 11
        }
        fn fill_bytes(&mut self, dst: &mut [u8]) {
            for b in dst {
                *b = self.next_u32() as u8;
            }
        }
    }

    #[test]
    fn tiers_bound_the_delay() {
        let policy = ReconnectPolicy::DEFAULT;
        let mut rng = Counter(1);
        for _ in 0..200 {
            let d = Backoff::delay(&policy, 3, &mut rng).as_millis();
            assert!((1000..=2000).contains(&d));
            let d = Backoff::delay(&policy, 10, &mut rng).as_millis();
            assert!((3000..=6000).contains(&d) && d.is_multiple_of(1000));
            let d = Backoff::delay(&policy, 50, &mut rng).as_millis();
            assert!((5000..=10000).contains(&d) && d.is_multiple_of(1000));
        }
    }

    #[test]
    fn gives_up_after_the_cap() {
        let policy = ReconnectPolicy {
            max_attempts: Some(2),
            ..ReconnectPolicy::DEFAULT
        };
        let mut backoff = Backoff::new();
        assert_eq!(backoff.fail(&policy), Some(1));
        assert_eq!(backoff.fail(&policy), Some(2));
        assert_eq!(backoff.fail(&policy), None);
        backoff.reset();
        assert_eq!(backoff.failures(), 0);
    }
}
