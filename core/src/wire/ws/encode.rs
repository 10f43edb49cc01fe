//! Client frame writers: every frame is final (FIN) and masked with the key the caller draws
//! from its injected RNG ([`mask_key`](super::mask_key)), one fresh key per frame.
//!
//! Two styles:
//! - copying: [`encode_frame`], [`encode_base64_text_frame`], [`encode_pong`], [`encode_close`]
//!   write header and payload into `out`;
//! - in place: the caller writes the payload into its transmit buffer first, leaving room for
//!   the header before it (at most [`MAX_CLIENT_HEADER_LEN`](super::MAX_CLIENT_HEADER_LEN) bytes), then
//!   [`seal_frame`] / [`seal_base64_text_frame`] add the header right before the payload and
//!   mask it, without a temporary copy.

use core::ops::Range;

use super::base64_text::{base64_len, encode_in_place};
use super::close::CloseCode;
use super::error::EncodeError;
use super::frame::{
    MAX_CONTROL_PAYLOAD, OpCode, apply_mask, client_header_len, write_client_header,
};
use crate::wire::BufferTooSmall;

/// Writes a final, masked frame with `payload` into `out`; returns the frame length.
pub fn encode_frame(
    out: &mut [u8],
    opcode: OpCode,
    payload: &[u8],
    mask: [u8; 4],
) -> Result<usize, EncodeError> {
    check_control(opcode, payload.len())?;
    let header_len = client_header_len(payload.len());
    let frame = frame_slot(out, header_len, payload.len())?;
    let (header, body) = frame.split_at_mut(header_len);
    body.copy_from_slice(payload);
    finish(header, body, opcode, mask);
    Ok(header_len + payload.len())
}

/// Turns the `payload_len` bytes at `buf[payload_start..]` into a final, masked frame by
/// writing the header immediately before them and masking them in place.
///
/// Returns where the frame lies in `buf`: it starts `client_header_len(payload_len)` bytes
/// before `payload_start` (reserve [`MAX_CLIENT_HEADER_LEN`](super::MAX_CLIENT_HEADER_LEN) to fit any length).
pub fn seal_frame(
    buf: &mut [u8],
    payload_start: usize,
    payload_len: usize,
    opcode: OpCode,
    mask: [u8; 4],
) -> Result<Range<usize>, EncodeError> {
    check_control(opcode, payload_len)?;
    let header_len = client_header_len(payload_len);
    let range = sealed_range(buf.len(), payload_start, header_len, payload_len)?;
    if let Some(frame) = buf.get_mut(range.clone()) {
        let (header, body) = frame.split_at_mut(header_len);
        finish(header, body, opcode, mask);
    }
    Ok(range)
}

/// Writes a final, masked text frame whose payload is the padded base64 of `raw` (the Alipay
/// form); returns the frame length. The payload is `4 * ceil(raw.len() / 3)` bytes.
pub fn encode_base64_text_frame(
    out: &mut [u8],
    raw: &[u8],
    mask: [u8; 4],
) -> Result<usize, EncodeError> {
    let text_len = text_len(raw.len())?;
    let header_len = client_header_len(text_len);
    let frame = frame_slot(out, header_len, text_len)?;
    let (header, body) = frame.split_at_mut(header_len);
    if let Some(raw_slot) = body.get_mut(..raw.len()) {
        raw_slot.copy_from_slice(raw);
    }
    encode_in_place(body, raw.len());
    finish(header, body, OpCode::Text, mask);
    Ok(header_len + text_len)
}

/// In-place form of [`encode_base64_text_frame`]: the `raw_len` msync bytes at
/// `buf[payload_start..]` are replaced by their base64 (which needs
/// `4 * ceil(raw_len / 3)` bytes from `payload_start`), the header is written before them and
/// the text is masked. Returns where the frame lies in `buf`.
pub fn seal_base64_text_frame(
    buf: &mut [u8],
    payload_start: usize,
    raw_len: usize,
    mask: [u8; 4],
) -> Result<Range<usize>, EncodeError> {
    let text_len = text_len(raw_len)?;
    let header_len = client_header_len(text_len);
    let range = sealed_range(buf.len(), payload_start, header_len, text_len)?;
    if let Some(frame) = buf.get_mut(range.clone()) {
        let (header, body) = frame.split_at_mut(header_len);
        encode_in_place(body, raw_len);
        finish(header, body, OpCode::Text, mask);
    }
    Ok(range)
}

/// Writes the pong answering a ping: `payload` must be the ping's payload (at most 125 bytes).
pub fn encode_pong(out: &mut [u8], payload: &[u8], mask: [u8; 4]) -> Result<usize, EncodeError> {
    encode_frame(out, OpCode::Pong, payload, mask)
}

/// Writes a close frame: with `code` and a UTF-8 `reason` (at most 123 bytes), or empty when
/// `code` is `None` (then `reason` must be empty). To answer the server's close, echo its code.
pub fn encode_close(
    out: &mut [u8],
    code: Option<CloseCode>,
    reason: &str,
    mask: [u8; 4],
) -> Result<usize, EncodeError> {
    let Some(code) = code else {
        if !reason.is_empty() {
            return Err(EncodeError::ReasonWithoutCode);
        }
        return encode_frame(out, OpCode::Close, &[], mask);
    };
    if !code.is_sendable() {
        return Err(EncodeError::InvalidCloseCode { code: code.0 });
    }
    let mut payload = [0u8; MAX_CONTROL_PAYLOAD];
    let len = reason.len().saturating_add(2);
    let Some(slot) = payload.get_mut(..len) else {
        return Err(EncodeError::ControlPayloadTooLarge { length: len });
    };
    let (code_bytes, reason_bytes) = slot.split_at_mut(2);
    code_bytes.copy_from_slice(&code.0.to_be_bytes());
    reason_bytes.copy_from_slice(reason.as_bytes());
    encode_frame(out, OpCode::Close, slot, mask)
}

fn check_control(opcode: OpCode, payload_len: usize) -> Result<(), EncodeError> {
    if opcode.is_control() && payload_len > MAX_CONTROL_PAYLOAD {
        Err(EncodeError::ControlPayloadTooLarge {
            length: payload_len,
        })
    } else {
        Ok(())
    }
}

fn text_len(raw_len: usize) -> Result<usize, EncodeError> {
    base64_len(raw_len).ok_or(EncodeError::BufferTooSmall(BufferTooSmall {
        needed: usize::MAX,
    }))
}

/// The first `header_len + payload_len` bytes of `out`.
fn frame_slot(
    out: &mut [u8],
    header_len: usize,
    payload_len: usize,
) -> Result<&mut [u8], EncodeError> {
    let needed = header_len.saturating_add(payload_len);
    out.get_mut(..needed)
        .ok_or(EncodeError::BufferTooSmall(BufferTooSmall { needed }))
}

/// Where a frame sealed in place lies, after checking header room and buffer length.
fn sealed_range(
    buf_len: usize,
    payload_start: usize,
    header_len: usize,
    payload_len: usize,
) -> Result<Range<usize>, EncodeError> {
    let Some(start) = payload_start.checked_sub(header_len) else {
        return Err(EncodeError::NoHeaderRoom {
            needed: header_len,
            available: payload_start,
        });
    };
    let end = payload_start.saturating_add(payload_len);
    if end > buf_len {
        return Err(EncodeError::BufferTooSmall(BufferTooSmall { needed: end }));
    }
    Ok(start..end)
}

/// Writes the header and masks the body.
fn finish(header: &mut [u8], body: &mut [u8], opcode: OpCode, mask: [u8; 4]) {
    write_client_header(header, opcode, body.len(), mask);
    apply_mask(body, mask);
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use std::prelude::rust_2024::*;
    use std::vec;

    const KEY: [u8; 4] = [0x37, 0xfa, 0x21, 0x3d];

    #[test]
    fn rfc_hello() {
        let mut out = [0u8; 11];
        assert_eq!(encode_frame(&mut out, OpCode::Text, b"Hello", KEY), Ok(11));
        assert_eq!(
            out,
            [
                0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58
            ]
        );
    }

    #[test]
    fn seal_matches_copying_encoder() {
        for len in [0usize, 1, 125, 126, 65535, 65536, 70000] {
            let payload: Vec<u8> = (0..len).map(|i| i as u8).collect();
            let mut copied = vec![0u8; len + 14];
            let n = encode_frame(&mut copied, OpCode::Binary, &payload, KEY).unwrap();
            let mut in_place = vec![0u8; len + 14];
            in_place[14..].copy_from_slice(&payload);
            let range = seal_frame(&mut in_place, 14, len, OpCode::Binary, KEY).unwrap();
            assert_eq!(&in_place[range], &copied[..n], "len {len}");
        }
    }

    #[test]
    fn base64_seal_matches_copying_encoder() {
        for len in [0usize, 1, 2, 3, 4, 47, 48, 49, 93, 94, 95, 96, 1000] {
            let raw: Vec<u8> = (0..len).map(|i| (i * 7) as u8).collect();
            let mut copied = vec![0u8; len * 2 + 20];
            let n = encode_base64_text_frame(&mut copied, &raw, KEY).unwrap();
            let mut in_place = vec![0u8; len * 2 + 20];
            in_place[14..14 + len].copy_from_slice(&raw);
            let range = seal_base64_text_frame(&mut in_place, 14, len, KEY).unwrap();
            assert_eq!(&in_place[range], &copied[..n], "len {len}");
        }
    }

    #[test]
    fn errors_leave_buffers_untouched() {
        let mut out = [0xAAu8; 10];
        assert_eq!(
            encode_frame(&mut out, OpCode::Binary, b"Hello", KEY),
            Err(EncodeError::BufferTooSmall(BufferTooSmall { needed: 11 }))
        );
        assert_eq!(
            encode_base64_text_frame(&mut out, b"abcd", KEY),
            Err(EncodeError::BufferTooSmall(BufferTooSmall { needed: 14 }))
        );
        assert_eq!(out, [0xAA; 10]);
        assert_eq!(
            seal_frame(&mut out, 5, 5, OpCode::Binary, KEY),
            Err(EncodeError::NoHeaderRoom {
                needed: 6,
                available: 5
            })
        );
        assert_eq!(
            seal_frame(&mut out, 6, 5, OpCode::Binary, KEY),
            Err(EncodeError::BufferTooSmall(BufferTooSmall { needed: 11 }))
        );
        assert_eq!(seal_base64_text_frame(&mut out, 6, 3, KEY), Ok(0..10));
        assert_eq!(
            encode_pong(&mut [0u8; 200], &[0u8; 126], KEY),
            Err(EncodeError::ControlPayloadTooLarge { length: 126 })
        );
    }

    #[test]
    fn close_frames() {
        let mut out = [0u8; 64];
        let n = encode_close(&mut out, Some(CloseCode::NORMAL), "bye", [0; 4]).unwrap();
        assert_eq!(&out[..n], b"\x88\x85\0\0\0\0\x03\xe8bye");
        let n = encode_close(&mut out, None, "", [0; 4]).unwrap();
        assert_eq!(&out[..n], b"\x88\x80\0\0\0\0");
        assert_eq!(
            encode_close(&mut out, None, "x", KEY),
            Err(EncodeError::ReasonWithoutCode)
        );
        assert_eq!(
            encode_close(&mut out, Some(CloseCode(1005)), "", KEY),
            Err(EncodeError::InvalidCloseCode { code: 1005 })
        );
        let long = "x".repeat(124);
        assert_eq!(
            encode_close(&mut [0u8; 256], Some(CloseCode::NORMAL), &long, KEY),
            Err(EncodeError::ControlPayloadTooLarge { length: 126 })
        );
    }
}
