//! Clock, identifiers and secrets: server message ids, group ids, tokens, uuids.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use ring::rand::{SecureRandom, SystemRandom};

/// Milliseconds since the Unix epoch.
pub(crate) fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

/// Hands out strictly increasing ids shaped like the cloud's: `(ms << 22) | counter`.
#[derive(Debug, Default)]
pub(crate) struct IdGen {
    last: AtomicU64,
}

impl IdGen {
    /// A new id, greater than every id handed out before.
    pub(crate) fn next(&self) -> u64 {
        let floor = now_ms() << 22;
        let mut current = self.last.load(Ordering::Relaxed);
        loop {
            let next = floor.max(current.saturating_add(1));
            match self.last.compare_exchange_weak(
                current,
                next,
                Ordering::Relaxed,
                Ordering::Relaxed,
            ) {
                Ok(_) => return next,
                Err(seen) => current = seen,
            }
        }
    }
}

fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    // The system RNG failing is not something a dev server can recover from sensibly; fall back
    // to the clock so that tokens are at least distinct.
    if SystemRandom::new().fill(&mut bytes).is_err() {
        for (i, b) in now_ms().to_le_bytes().iter().cycle().take(N).enumerate() {
            if let Some(slot) = bytes.get_mut(i) {
                *slot = *b ^ (i as u8);
            }
        }
    }
    bytes
}

/// A fresh opaque access token, in the cloud's style (`YWMt` followed by base64url).
pub(crate) fn new_token() -> String {
    let bytes: [u8; 30] = random_bytes();
    format!(
        "YWMt{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    )
}

/// A fresh random UUID (version 4) in its usual text form.
pub(crate) fn new_uuid() -> String {
    let mut b: [u8; 16] = random_bytes();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_strictly_increase_and_carry_the_clock() {
        let ids = IdGen::default();
        let a = ids.next();
        let b = ids.next();
        assert!(b > a);
        assert!(a >> 22 >= 1_700_000_000_000);
    }

    #[test]
    fn tokens_and_uuids_are_distinct_and_well_formed() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert!(a.starts_with("YWMt") && a.len() == 44);
        let u = new_uuid();
        assert_eq!(u.len(), 36);
        assert_eq!(u.as_bytes()[14], b'4');
    }
}
