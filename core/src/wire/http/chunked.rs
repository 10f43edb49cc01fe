//! Incremental, in-place decoding of a `Transfer-Encoding: chunked` body (RFC 9112 §7.1).
//!
//! The decoded bytes are moved down over the chunk framing as they arrive, so the body ends up
//! contiguous right after the header section. Chunk extensions are ignored, trailer fields are
//! skipped, line endings must be CRLF.

use super::response::HttpError;

/// The longest chunk-size line accepted (size, extensions and CRLF).
const MAX_CHUNK_LINE: usize = 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    /// Expecting a chunk-size line.
    Size,
    /// Inside chunk data with this many bytes still to come.
    Data(u64),
    /// Expecting the CRLF after chunk data.
    DataEnd,
    /// Skipping trailer lines until the empty line.
    Trailers,
    /// The terminating empty line was read.
    Done,
}

/// Progress of the decoder over one response buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Chunked {
    /// Offset of the next unread framing or data byte.
    read: usize,
    /// Offset one past the last decoded body byte.
    write: usize,
    /// Decoded body bytes so far.
    body_len: u64,
    /// Trailer bytes seen so far.
    trailer_len: usize,
    phase: Phase,
}

/// Limits applied while decoding.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ChunkLimits {
    pub(crate) max_body: usize,
    pub(crate) max_trailers: usize,
}

impl Chunked {
    /// A decoder whose body starts at `body_start` in the response buffer.
    pub(crate) const fn new(body_start: usize) -> Self {
        Self {
            read: body_start,
            write: body_start,
            body_len: 0,
            trailer_len: 0,
            phase: Phase::Size,
        }
    }

    /// Decodes what `buf` (the received bytes so far) allows. Returns the end offset of the
    /// decoded body once the whole chunked body, trailers included, has been read.
    pub(crate) fn advance(
        &mut self,
        buf: &mut [u8],
        limits: ChunkLimits,
    ) -> Result<Option<usize>, HttpError> {
        loop {
            let pending = buf.get(self.read..).unwrap_or_default();
            match self.phase {
                Phase::Done => return Ok(Some(self.write)),
                Phase::Size => {
                    let Some((line_len, size)) = chunk_size_line(pending)? else {
                        return Ok(None);
                    };
                    self.read = self.read.saturating_add(line_len);
                    if size == 0 {
                        self.phase = Phase::Trailers;
                    } else {
                        let total = self.body_len.saturating_add(size);
                        if total > limits.max_body as u64 {
                            return Err(HttpError::BodyTooLarge {
                                length: total,
                                max: limits.max_body,
                            });
                        }
                        self.body_len = total;
                        self.phase = Phase::Data(size);
                    }
                }
                Phase::Data(remaining) => {
                    let available = pending
                        .len()
                        .min(usize::try_from(remaining).unwrap_or(usize::MAX));
                    if available == 0 {
                        return Ok(None);
                    }
                    if !move_down(buf, self.read, available, self.write) {
                        return Err(HttpError::MalformedChunk);
                    }
                    self.read = self.read.saturating_add(available);
                    self.write = self.write.saturating_add(available);
                    let left = remaining.saturating_sub(available as u64);
                    self.phase = if left == 0 {
                        Phase::DataEnd
                    } else {
                        Phase::Data(left)
                    };
                }
                Phase::DataEnd => match pending {
                    [b'\r', b'\n', ..] => {
                        self.read = self.read.saturating_add(2);
                        self.phase = Phase::Size;
                    }
                    [] | [b'\r'] => return Ok(None),
                    _ => return Err(HttpError::MalformedChunk),
                },
                Phase::Trailers => {
                    let Some(line_end) = find_crlf(pending) else {
                        // Unfinished, it can still be the terminating empty line, or a
                        // trailer line whose CRLF still fits the limit.
                        let room = limits.max_trailers.saturating_sub(self.trailer_len);
                        if !matches!(pending, [] | [b'\r']) && pending.len() >= room {
                            return Err(HttpError::TrailersTooLarge {
                                max: limits.max_trailers,
                            });
                        }
                        return Ok(None);
                    };
                    let line_len = line_end.saturating_add(2);
                    self.read = self.read.saturating_add(line_len);
                    if line_end == 0 {
                        self.phase = Phase::Done;
                    } else {
                        self.trailer_len = self.trailer_len.saturating_add(line_len);
                        if self.trailer_len > limits.max_trailers {
                            return Err(HttpError::TrailersTooLarge {
                                max: limits.max_trailers,
                            });
                        }
                    }
                }
            }
        }
    }

    /// Moves the bytes not read yet down to the end of the decoded body, so framing that was
    /// already read stops taking buffer space. Returns the new fill level of `buf`.
    pub(crate) fn compact(&mut self, buf: &mut [u8], filled: usize) -> usize {
        let Some(unread) = filled.checked_sub(self.read) else {
            return filled;
        };
        if self.write < self.read && move_down(buf, self.read, unread, self.write) {
            self.read = self.write;
            return self.write.saturating_add(unread);
        }
        filled
    }
}

/// Moves `len` bytes at `from` down to `to` (`to <= from`), checking every bound first.
fn move_down(buf: &mut [u8], from: usize, len: usize, to: usize) -> bool {
    let Some(end) = from.checked_add(len) else {
        return false;
    };
    if to > from || end > buf.len() {
        return false;
    }
    if to != from {
        buf.copy_within(from..end, to);
    }
    true
}

/// The offset of the first CRLF in `bytes`.
fn find_crlf(bytes: &[u8]) -> Option<usize> {
    bytes.windows(2).position(|w| w == b"\r\n")
}

/// Parses `size [ws] [; extensions] CRLF`. Returns the line length (CRLF included) and the
/// size, or `None` when the line is not complete yet.
fn chunk_size_line(bytes: &[u8]) -> Result<Option<(usize, u64)>, HttpError> {
    let window = bytes.get(..MAX_CHUNK_LINE).unwrap_or(bytes);
    let Some(line_end) = find_crlf(window) else {
        // Without a CRLF, any LF is bare, and so is a CR that is not the last byte.
        let bare_line_break = window
            .iter()
            .enumerate()
            .any(|(i, &b)| b == b'\n' || (b == b'\r' && i.saturating_add(1) < window.len()));
        let too_many_digits = window.iter().take_while(|b| b.is_ascii_hexdigit()).count() > 16;
        return if bare_line_break || too_many_digits || window.len() >= MAX_CHUNK_LINE {
            Err(HttpError::MalformedChunk)
        } else {
            Ok(None)
        };
    };
    let line = window.get(..line_end).unwrap_or_default();
    let digits = line.iter().take_while(|b| b.is_ascii_hexdigit()).count();
    if digits == 0 || digits > 16 {
        return Err(HttpError::MalformedChunk);
    }
    let (hex, rest) = line.split_at_checked(digits).unwrap_or_default();
    let size = hex.iter().try_fold(0u64, |acc, &b| {
        let digit = u64::from(hex_value(b));
        acc.checked_mul(16).and_then(|v| v.checked_add(digit))
    });
    let Some(size) = size else {
        return Err(HttpError::MalformedChunk);
    };
    let rest = trim_leading_ws(rest);
    let extensions_ok = match rest.split_first() {
        None => true,
        // Extensions are ignored, but may not contain bare CR/LF or other controls.
        Some((b';', ext)) => ext.iter().all(|&b| b == b'\t' || (b >= 0x20 && b != 0x7f)),
        Some(_) => false,
    };
    if !extensions_ok {
        return Err(HttpError::MalformedChunk);
    }
    Ok(Some((line_end.saturating_add(2), size)))
}

fn trim_leading_ws(bytes: &[u8]) -> &[u8] {
    let skip = bytes
        .iter()
        .take_while(|b| matches!(b, b' ' | b'\t'))
        .count();
    bytes.get(skip..).unwrap_or_default()
}

/// The value of an ASCII hex digit (0 for anything else; callers check first).
const fn hex_value(b: u8) -> u8 {
    match b {
        b'0'..=b'9' => b - b'0',
        b'a'..=b'f' => b - b'a' + 10,
        b'A'..=b'F' => b - b'A' + 10,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use std::prelude::rust_2024::*;

    const LIMITS: ChunkLimits = ChunkLimits {
        max_body: 1024,
        max_trailers: 64,
    };

    fn decode(input: &[u8]) -> Result<Option<Vec<u8>>, HttpError> {
        let mut buf = input.to_vec();
        let mut c = Chunked::new(0);
        Ok(c.advance(&mut buf, LIMITS)?.map(|end| buf[..end].to_vec()))
    }

    #[test]
    fn decodes_with_extensions_and_trailers() {
        let got = decode(b"4;name=value\r\nWiki\r\n5 ; x\r\npedia\r\n0\r\nX-T: 1\r\n\r\n").unwrap();
        assert_eq!(got.as_deref(), Some(&b"Wikipedia"[..]));
        let got = decode(b"A\r\n0123456789\r\n0\r\n\r\n").unwrap();
        assert_eq!(got.as_deref(), Some(&b"0123456789"[..]));
    }

    #[test]
    fn partial_then_more() {
        assert_eq!(decode(b"4\r\nWi").unwrap(), None);
        assert_eq!(decode(b"4\r\nWiki\r\n0\r\n").unwrap(), None);
        assert_eq!(decode(b"4\r\nWiki\r").unwrap(), None);
    }

    #[test]
    fn rejects_bad_framing() {
        for bad in [
            &b"\r\n"[..],
            b"x\r\n",
            b"4\r\nWikiXY",
            b"4 4\r\n",
            b"11111111111111111\r\n",
            b"4;\x01\r\n",
            b"4\n",
        ] {
            assert!(decode(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn body_limit() {
        assert_eq!(
            decode(b"401\r\n"),
            Err(HttpError::BodyTooLarge {
                length: 0x401,
                max: 1024
            })
        );
        assert_eq!(
            decode(b"FFFFFFFFFFFFFFFF\r\n"),
            Err(HttpError::BodyTooLarge {
                length: u64::MAX,
                max: 1024
            })
        );
    }

    #[test]
    fn trailer_limit() {
        let mut long = b"0\r\n".to_vec();
        long.extend_from_slice(&[b'a'; 70]);
        assert_eq!(decode(&long), Err(HttpError::TrailersTooLarge { max: 64 }));
    }

    /// Decodes `input` offered one more byte at a time, as a slow connection delivers it.
    fn decode_bytewise(input: &[u8]) -> Result<Option<Vec<u8>>, HttpError> {
        let mut c = Chunked::new(0);
        let mut buf = Vec::new();
        for &byte in input {
            buf.push(byte);
            if let Some(end) = c.advance(&mut buf, LIMITS)? {
                return Ok(Some(buf[..end].to_vec()));
            }
        }
        Ok(None)
    }

    /// Trailers of exactly the limit are accepted however the bytes arrive: the unfinished
    /// terminator (a lone CR) after them is not counted as trailer bytes (found by the
    /// `http_response` fuzz target); one byte more is refused either way.
    #[test]
    fn trailers_at_the_limit_in_any_pieces() {
        let mut exact = b"0\r\n".to_vec();
        exact.extend_from_slice(&[b'a'; 62]);
        exact.extend_from_slice(b"\r\n\r\n");
        assert_eq!(decode(&exact), Ok(Some(Vec::new())));
        assert_eq!(decode_bytewise(&exact), Ok(Some(Vec::new())));

        let mut over = b"0\r\n".to_vec();
        over.extend_from_slice(&[b'a'; 63]);
        over.extend_from_slice(b"\r\n\r\n");
        let refused = Err(HttpError::TrailersTooLarge { max: 64 });
        assert_eq!(decode(&over), refused);
        assert_eq!(decode_bytewise(&over), refused);
    }
}
