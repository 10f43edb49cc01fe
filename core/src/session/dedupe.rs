//! The deduplication window: the last `N` server message ids delivered (§7.6 item 4).
//!
//! The server delivers at least once (a batch whose key was not acknowledged comes again after
//! a reconnect); the window turns that into exactly once for the application, as long as a
//! re-delivered id is among the last `N` delivered. Size it to at least twice the largest batch
//! (the server's default pull is 50 metas): the default 128 covers one batch re-delivered in
//! full plus the one before.

/// A ring of recent ids.
#[derive(Debug)]
pub(crate) struct Dedupe<const N: usize> {
    ids: [u64; N],
    len: usize,
    next: usize,
}

impl<const N: usize> Dedupe<N> {
    pub(crate) const fn new() -> Self {
        Self {
            ids: [0; N],
            len: 0,
            next: 0,
        }
    }

    /// Whether `id` was delivered recently.
    pub(crate) fn contains(&self, id: u64) -> bool {
        self.ids.iter().take(self.len).any(|&seen| seen == id)
    }

    /// Records `id` as delivered, forgetting the oldest when full.
    pub(crate) fn insert(&mut self, id: u64) {
        if let Some(slot) = self.ids.get_mut(self.next) {
            *slot = id;
            self.len = self.len.saturating_add(1).min(N);
            self.next = if self.next.saturating_add(1) >= N {
                0
            } else {
                self.next.saturating_add(1)
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_the_last_n() {
        let mut window = Dedupe::<3>::new();
        for id in 1..=4 {
            window.insert(id);
        }
        assert!(!window.contains(1));
        assert!((2..=4).all(|id| window.contains(id)));
        let mut empty = Dedupe::<0>::new();
        empty.insert(1);
        assert!(!empty.contains(1));
    }
}
