//! The Alipay text form (PROTOCOL.md §5.3): standard base64 of the msync bytes, encoded and
//! decoded in place so no second buffer is needed.
//!
//! Encoding grows the data by 4/3 and runs backwards from the end; decoding shrinks it and runs
//! forwards. Both go through small stack blocks, so the output never overwrites input that has
//! not been read yet.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};

/// Raw bytes per encoding block (a multiple of 3).
const RAW_BLOCK: usize = 48;
/// Base64 characters per decoding block (a multiple of 4).
const TEXT_BLOCK: usize = 64;

/// The padded base64 length of `raw_len` bytes, `4 * ceil(raw_len / 3)`; `None` on overflow.
pub const fn base64_len(raw_len: usize) -> Option<usize> {
    raw_len.div_ceil(3).checked_mul(4)
}

/// Replaces the `raw_len` bytes at the start of `buf` by their padded base64 and returns the
/// encoded length; `None` (nothing changed) when `buf` cannot hold [`base64_len`] bytes.
pub(crate) fn encode_in_place(buf: &mut [u8], raw_len: usize) -> Option<usize> {
    let encoded_len = base64_len(raw_len)?;
    if buf.len() < encoded_len || raw_len > buf.len() {
        return None;
    }
    let groups = raw_len / 3;
    // The partial last group (with padding) first: it lies after every full group's output.
    let tail_raw = groups * 3;
    if tail_raw < raw_len {
        let mut raw = [0u8; 2];
        let tail = buf.get(tail_raw..raw_len)?;
        let raw = raw.get_mut(..tail.len())?;
        raw.copy_from_slice(tail);
        let out = buf.get_mut(groups * 4..encoded_len)?;
        STANDARD.encode_slice(&*raw, out).ok()?;
    }
    // Then the full groups, block by block from the end: block `b` reads raw bytes at
    // `b * 48` and writes text at `b * 64`, past every raw byte of the blocks before it.
    let blocks = groups.div_ceil(RAW_BLOCK / 3);
    for block in (0..blocks).rev() {
        let raw_start = block * RAW_BLOCK;
        let raw_end = (raw_start + RAW_BLOCK).min(tail_raw);
        let mut raw = [0u8; RAW_BLOCK];
        let raw = raw.get_mut(..raw_end - raw_start)?;
        raw.copy_from_slice(buf.get(raw_start..raw_end)?);
        let text_start = raw_start / 3 * 4;
        let text_end = raw_end / 3 * 4;
        STANDARD
            .encode_slice(&*raw, buf.get_mut(text_start..text_end)?)
            .ok()?;
    }
    Some(encoded_len)
}

/// The base64 text was malformed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct InvalidBase64;

/// Replaces the base64 text filling `buf` by the bytes it encodes and returns their length.
///
/// Standard alphabet; the `=` padding may be present (then the length must be a multiple of
/// 4) or missing. No whitespace. On error `buf` holds partial output.
pub(crate) fn decode_in_place(buf: &mut [u8]) -> Result<usize, InvalidBase64> {
    let padding = buf.iter().rev().take(2).take_while(|&&b| b == b'=').count();
    if padding > 0 && !buf.len().is_multiple_of(4) {
        return Err(InvalidBase64);
    }
    let text_len = buf.len() - padding;
    if text_len % 4 == 1 {
        return Err(InvalidBase64);
    }
    let mut read = 0;
    let mut write = 0;
    while read < text_len {
        let end = (read + TEXT_BLOCK).min(text_len);
        let mut text = [0u8; TEXT_BLOCK];
        let text = text.get_mut(..end - read).ok_or(InvalidBase64)?;
        text.copy_from_slice(buf.get(read..end).ok_or(InvalidBase64)?);
        let mut raw = [0u8; TEXT_BLOCK / 4 * 3];
        let n = STANDARD_NO_PAD
            .decode_slice(&*text, &mut raw)
            .map_err(|_| InvalidBase64)?;
        let decoded = raw.get(..n).ok_or(InvalidBase64)?;
        buf.get_mut(write..write + n)
            .ok_or(InvalidBase64)?
            .copy_from_slice(decoded);
        read = end;
        write += n;
    }
    Ok(write)
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use std::prelude::rust_2024::*;
    use std::vec;

    /// The base64 crate's own padded encoding, as the reference.
    fn reference(raw: &[u8]) -> String {
        let mut out = vec![0u8; base64_len(raw.len()).unwrap()];
        STANDARD.encode_slice(raw, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn encode(raw: &[u8]) -> Vec<u8> {
        let len = base64_len(raw.len()).unwrap();
        let mut buf = vec![0xEE; len];
        buf[..raw.len()].copy_from_slice(raw);
        assert_eq!(encode_in_place(&mut buf, raw.len()), Some(len));
        buf
    }

    #[test]
    fn encodes_like_the_base64_crate() {
        for len in 0..200 {
            let raw: Vec<u8> = (0..len).map(|i| (i * 37 + 11) as u8).collect();
            let want = reference(&raw);
            assert_eq!(encode(&raw), want.as_bytes(), "len {len}");
        }
    }

    #[test]
    fn unread_up_vector() {
        let raw = [
            0x40, 0x01, 0x58, 0x00, 0xa0, 0x01, 0x81, 0xa0, 0x80, 0x80, 0xa0, 0xab, 0xfe, 0xf9,
            0x62,
        ];
        assert_eq!(encode(&raw), b"QAFYAKABgaCAgKCr/vli");
    }

    #[test]
    fn decodes_padded_and_unpadded() {
        for len in 0..200 {
            let raw: Vec<u8> = (0..len).map(|i| (i * 53 + 7) as u8).collect();
            let text = reference(&raw);
            let mut padded = text.clone().into_bytes();
            let n = decode_in_place(&mut padded).unwrap();
            assert_eq!(&padded[..n], &raw[..], "len {len}");
            let mut unpadded = text.trim_end_matches('=').as_bytes().to_vec();
            let n = decode_in_place(&mut unpadded).unwrap();
            assert_eq!(&unpadded[..n], &raw[..], "len {len}");
        }
    }

    #[test]
    fn rejects_bad_text() {
        for bad in [
            &b"Q"[..],
            b"QQ=",
            b"Q===",
            b"QQ=A",
            b"QU=I",
            b"QQ==QQ==",
            b"QR==",
            b"QUJD\n",
            b"QUJ-",
            b"\xc3\xa9AA",
        ] {
            let mut buf = bad.to_vec();
            assert_eq!(decode_in_place(&mut buf), Err(InvalidBase64), "{bad:?}");
        }
    }

    #[test]
    fn encode_needs_room() {
        let mut buf = [1u8, 2, 3];
        assert_eq!(encode_in_place(&mut buf, 3), None);
        assert_eq!(buf, [1, 2, 3]);
    }
}
