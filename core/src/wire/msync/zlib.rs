//! Inflating zlib payloads (`MSync.compress_algorimth` 1, PROTOCOL.md §5.4 item 2).
//!
//! The stream is RFC 1950: a two-byte header, raw deflate data, and an Adler-32 of the output,
//! which is checked. Output goes into a caller-provided buffer; a payload that inflates to more
//! than the buffer holds is [`DecodeError::InflateCapacity`], never a partial result.

use core::fmt;

use miniz_oxide::inflate::TINFLStatus;
use miniz_oxide::inflate::core::{DecompressorOxide, decompress, inflate_flags};

use crate::wire::proto::DecodeError;

/// Decompression state (about 11 KB). Keep one in a `static` or in the session on devices with
/// a small stack; [`inflate_zlib`] puts a fresh one on the stack instead.
pub struct Inflater {
    state: DecompressorOxide,
}

impl Inflater {
    /// A fresh decompressor.
    pub fn new() -> Self {
        Self {
            state: DecompressorOxide::new(),
        }
    }

    /// Inflates the zlib stream `input` into `out` and returns the number of bytes written.
    /// The state is reset first, so one `Inflater` serves any number of payloads.
    pub fn inflate(&mut self, input: &[u8], out: &mut [u8]) -> Result<usize, DecodeError> {
        self.state.init();
        let flags = inflate_flags::TINFL_FLAG_PARSE_ZLIB_HEADER
            | inflate_flags::TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF;
        let (status, _consumed, written) = decompress(&mut self.state, input, out, 0, flags);
        match status {
            TINFLStatus::Done => Ok(written),
            TINFLStatus::HasMoreOutput => Err(DecodeError::InflateCapacity {
                capacity: out.len(),
            }),
            _ => Err(DecodeError::InflateFailed),
        }
    }
}

impl Default for Inflater {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for Inflater {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Inflater")
    }
}

/// Inflates the zlib stream `input` into `out` with a decompressor on the stack (about 11 KB);
/// returns the number of bytes written.
pub fn inflate_zlib(input: &[u8], out: &mut [u8]) -> Result<usize, DecodeError> {
    Inflater::new().inflate(input, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `Hello, zlib!` compressed with zlib's defaults.
    const HELLO: [u8; 20] = [
        120, 156, 243, 72, 205, 201, 201, 215, 81, 168, 202, 201, 76, 82, 4, 0, 27, 101, 4, 19,
    ];

    #[test]
    fn inflates_into_exact_buffer() {
        let mut out = [0; 12];
        assert_eq!(inflate_zlib(&HELLO, &mut out), Ok(12));
        assert_eq!(&out, b"Hello, zlib!");
    }

    #[test]
    fn too_small_buffer_is_capacity_error() {
        let mut out = [0; 11];
        assert_eq!(
            inflate_zlib(&HELLO, &mut out),
            Err(DecodeError::InflateCapacity { capacity: 11 })
        );
        assert_eq!(
            inflate_zlib(&HELLO, &mut []),
            Err(DecodeError::InflateCapacity { capacity: 0 })
        );
    }

    #[test]
    fn corrupt_truncated_or_bad_checksum_fails() {
        let mut out = [0; 64];
        let mut bad_sum = HELLO;
        bad_sum[19] ^= 1;
        assert_eq!(
            inflate_zlib(&bad_sum, &mut out),
            Err(DecodeError::InflateFailed)
        );
        assert_eq!(
            inflate_zlib(&HELLO[..10], &mut out),
            Err(DecodeError::InflateFailed)
        );
        assert_eq!(
            inflate_zlib(&[0x78], &mut out),
            Err(DecodeError::InflateFailed)
        );
        assert_eq!(inflate_zlib(&[], &mut out), Err(DecodeError::InflateFailed));
        let mut bad_header = HELLO;
        bad_header[1] ^= 1;
        assert_eq!(
            inflate_zlib(&bad_header, &mut out),
            Err(DecodeError::InflateFailed)
        );
    }

    #[test]
    fn one_inflater_serves_many_payloads() {
        let mut inflater = Inflater::new();
        let mut out = [0; 12];
        for _ in 0..3 {
            assert_eq!(inflater.inflate(&HELLO, &mut out), Ok(12));
        }
    }
}
