//! Byte helpers shared by the core's integration tests, written independently of the core's
//! codecs: standard base64 (the Alipay text form) and unmasked server WebSocket frames.
//! `support/mod.rs` includes this file; tests that do not use `support` include it alone
//! (`#[path = "support/frames.rs"] mod frames;`).
#![allow(dead_code, unreachable_pub)]

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

/// `bytes` as standard, padded base64.
pub fn base64_encode(bytes: &[u8]) -> String {
    let mut out = vec![0; bytes.len().div_ceil(3) * 4];
    let len = STANDARD
        .encode_slice(bytes, &mut out)
        .expect("room for base64");
    out.truncate(len);
    String::from_utf8(out).expect("base64 is ASCII")
}

/// The bytes of standard base64 `text`.
pub fn base64_decode(text: &[u8]) -> Result<Vec<u8>, base64::DecodeSliceError> {
    let mut out = vec![0; text.len()];
    let len = STANDARD.decode_slice(text, &mut out)?;
    out.truncate(len);
    Ok(out)
}

/// One unmasked server frame with the minimal length encoding.
pub fn server_frame(fin: bool, opcode: u8, payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(payload.len() + 10);
    out.push(if fin { 0x80 } else { 0 } | opcode);
    match payload.len() {
        n if n < 126 => out.push(n as u8),
        n if n <= 0xffff => {
            out.push(126);
            out.extend_from_slice(&(n as u16).to_be_bytes());
        }
        n => {
            out.push(127);
            out.extend_from_slice(&(n as u64).to_be_bytes());
        }
    }
    out.extend_from_slice(payload);
    out
}
