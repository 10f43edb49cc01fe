//! Calls into the core with opaque inputs and checks the results.

use core::fmt::Write;

mod endpoints;
mod http;
mod msync;
mod ws;

/// Runs every exercise; returns how many failed.
pub(crate) fn all() -> u32 {
    let checks = [
        endpoints::url(),
        endpoints::region(),
        endpoints::app_key(),
        msync::encode(),
        msync::decode_zlib(),
        ws::handshake(),
        ws::frames(),
        http::bootstrap(),
        http::token(),
    ];
    checks.into_iter().map(|ok| u32::from(!ok)).sum()
}

/// A fixed-size text buffer for `core::fmt` output.
pub(crate) struct Text<const N: usize> {
    bytes: [u8; N],
    len: usize,
}

impl<const N: usize> Text<N> {
    pub(crate) fn new() -> Self {
        Text {
            bytes: [0; N],
            len: 0,
        }
    }

    pub(crate) fn as_bytes(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or(&[])
    }
}

impl<const N: usize> Write for Text<N> {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        let end = self.len.checked_add(s.len()).ok_or(core::fmt::Error)?;
        let slot = self.bytes.get_mut(self.len..end).ok_or(core::fmt::Error)?;
        slot.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}
