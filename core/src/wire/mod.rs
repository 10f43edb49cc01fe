//! Pure, bounded, panic-free codecs, one module per format.
//!
//! Every decoder takes a byte slice and returns views borrowing from it (zero copies); every
//! encoder writes into a caller-provided buffer and, when that buffer is too small, reports the
//! size it needed and leaves the buffer untouched.

pub mod http;
pub mod json;
pub mod msync;
pub mod proto;
pub mod ws;

/// The caller's buffer cannot hold the output; nothing was written to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct BufferTooSmall {
    /// The number of bytes the output needs.
    pub needed: usize,
}

impl core::fmt::Display for BufferTooSmall {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "buffer too small: {} bytes needed", self.needed)
    }
}

impl core::error::Error for BufferTooSmall {}
