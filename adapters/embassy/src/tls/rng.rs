//! embedded-tls takes a `rand_core` 0.6 RNG; the rest of msync-rs uses `rand_core` 0.9. This is
//! the bridge: a 0.9 cryptographic RNG seen through the 0.6 traits.

/// A `rand_core` 0.9 RNG, borrowed, implementing the `rand_core` 0.6 traits.
pub(crate) struct Rng06<'r, R>(pub(crate) &'r mut R);

impl<R: rand_core::RngCore> rand_core_06::RngCore for Rng06<'_, R> {
    fn next_u32(&mut self) -> u32 {
        self.0.next_u32()
    }

    fn next_u64(&mut self) -> u64 {
        self.0.next_u64()
    }

    fn fill_bytes(&mut self, dest: &mut [u8]) {
        self.0.fill_bytes(dest);
    }

    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core_06::Error> {
        self.0.fill_bytes(dest);
        Ok(())
    }
}

impl<R: rand_core::CryptoRng> rand_core_06::CryptoRng for Rng06<'_, R> {}

#[cfg(test)]
mod tests {
    use super::Rng06;
    use rand_core_06::RngCore as _;

    /// Counts up, so that the bridge can be seen passing calls through.
    struct Counter(u8);

    impl rand_core::RngCore for Counter {
        fn next_u32(&mut self) -> u32 {
            self.0 = self.0.wrapping_add(1);
            u32::from(self.0)
        }
        fn next_u64(&mut self) -> u64 {
            u64::from(self.next_u32()) << 32
        }
        fn fill_bytes(&mut self, dest: &mut [u8]) {
            for byte in dest {
                self.0 = self.0.wrapping_add(1);
                *byte = self.0;
            }
        }
    }

    #[test]
    fn passes_every_call_through() {
        let mut inner = Counter(0);
        let mut rng = Rng06(&mut inner);
        assert_eq!(rng.next_u32(), 1);
        assert_eq!(rng.next_u64(), 2 << 32);
        let mut bytes = [0; 3];
        rng.fill_bytes(&mut bytes);
        assert_eq!(bytes, [3, 4, 5]);
        rng.try_fill_bytes(&mut bytes).unwrap();
        assert_eq!(bytes, [6, 7, 8]);
    }
}
