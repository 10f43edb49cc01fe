//! Two-pass text output shared by the HTTP, WebSocket handshake and JSON writers: the writer runs
//! once to measure, and a second time to write only when the output fits, so a caller buffer that
//! is too small is left untouched.

use crate::wire::BufferTooSmall;

/// A byte sink that either only counts (measuring pass) or also writes (writing pass).
pub(crate) struct Out<'b> {
    buf: Option<&'b mut [u8]>,
    len: usize,
}

impl Out<'_> {
    /// Appends raw bytes.
    pub(crate) fn bytes(&mut self, bytes: &[u8]) {
        let end = self.len.saturating_add(bytes.len());
        if let Some(dst) = self
            .buf
            .as_deref_mut()
            .and_then(|buf| buf.get_mut(self.len..end))
        {
            dst.copy_from_slice(bytes);
        }
        self.len = end;
    }

    /// Appends one byte.
    pub(crate) fn byte(&mut self, byte: u8) {
        self.bytes(&[byte]);
    }

    /// Appends a string's UTF-8 bytes.
    pub(crate) fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }

    /// Appends `n` in decimal, without leading zeros.
    pub(crate) fn decimal(&mut self, n: u64) {
        let mut digits = [0u8; 20];
        let mut rest = n;
        let mut count = 0;
        for slot in digits.iter_mut().rev() {
            // `rest % 10` is below 10, so the cast is lossless.
            *slot = b'0' + (rest % 10) as u8;
            rest /= 10;
            count += 1;
            if rest == 0 {
                break;
            }
        }
        let start = digits.len().saturating_sub(count);
        if let Some(text) = digits.get(start..) {
            self.bytes(text);
        }
    }
}

impl core::fmt::Write for Out<'_> {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        self.str(s);
        Ok(())
    }
}

/// The hex digit of the low nibble of `nibble`, upper- or lower-case.
pub(crate) fn hex_digit(nibble: u8, upper: bool) -> u8 {
    let digits = if upper {
        b"0123456789ABCDEF"
    } else {
        b"0123456789abcdef"
    };
    digits
        .get(usize::from(nibble & 0xf))
        .copied()
        .unwrap_or(b'0')
}

/// Runs `write` against a measuring sink, then, when the result fits `out`, against `out`.
///
/// Returns the number of bytes written. `write` must be deterministic (it runs twice).
pub(crate) fn write_measured(
    out: &mut [u8],
    write: impl Fn(&mut Out<'_>),
) -> Result<usize, BufferTooSmall> {
    let mut measure = Out { buf: None, len: 0 };
    write(&mut measure);
    let needed = measure.len;
    if needed > out.len() {
        return Err(BufferTooSmall { needed });
    }
    let mut sink = Out {
        buf: Some(out),
        len: 0,
    };
    write(&mut sink);
    Ok(sink.len)
}

/// The number of bytes `write` produces.
pub(crate) fn measure(write: impl Fn(&mut Out<'_>)) -> usize {
    let mut measure = Out { buf: None, len: 0 };
    write(&mut measure);
    measure.len
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use std::prelude::rust_2024::*;

    #[test]
    fn decimal_covers_zero_and_extremes() {
        let mut buf = [0u8; 64];
        let n = write_measured(&mut buf, |o| {
            o.decimal(0);
            o.byte(b' ');
            o.decimal(1_700_000_000_000);
            o.byte(b' ');
            o.decimal(u64::MAX);
        })
        .unwrap();
        assert_eq!(&buf[..n], b"0 1700000000000 18446744073709551615");
    }

    #[test]
    fn too_small_leaves_buffer_untouched() {
        let mut buf = [0xAAu8; 4];
        let err = write_measured(&mut buf, |o| o.str("hello")).unwrap_err();
        assert_eq!(err, BufferTooSmall { needed: 5 });
        assert_eq!(buf, [0xAA; 4]);
        assert_eq!(measure(|o| o.str("hello")), 5);
    }
}
