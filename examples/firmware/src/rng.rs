//! One hardware RNG for two users (the session and the TLS handshake).

use core::cell::RefCell;

use embassy_stm32::peripherals::RNG;
use embassy_stm32::rng::Rng;
use embassy_sync::blocking_mutex::Mutex;
use embassy_sync::blocking_mutex::raw::CriticalSectionRawMutex;

/// The RNG peripheral behind a critical-section mutex.
pub type SharedPeripheral = Mutex<CriticalSectionRawMutex, RefCell<Rng<'static, RNG>>>;

/// A handle on the shared RNG: a `rand_core` 0.9 cryptographic RNG.
#[derive(Clone, Copy)]
pub struct SharedRng(pub &'static SharedPeripheral);

impl rand_core::RngCore for SharedRng {
    fn next_u32(&mut self) -> u32 {
        let mut bytes = [0; 4];
        self.fill_bytes(&mut bytes);
        u32::from_le_bytes(bytes)
    }

    fn next_u64(&mut self) -> u64 {
        let mut bytes = [0; 8];
        self.fill_bytes(&mut bytes);
        u64::from_le_bytes(bytes)
    }

    fn fill_bytes(&mut self, dest: &mut [u8]) {
        self.0
            .lock(|rng| rand_core::RngCore::fill_bytes(&mut *rng.borrow_mut(), dest));
    }
}

impl rand_core::CryptoRng for SharedRng {}
