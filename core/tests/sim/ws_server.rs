//! The server side of RFC 6455, written here independently of the core's codec: the upgrade
//! (with `Sec-WebSocket-Accept` computed from SHA-1 and base64), client frames (masked, checked,
//! unmasked; text frames base64-decoded) and server frames (unmasked, optionally fragmented).
//! Base64 and single server frames come from the tests' shared `support/frames.rs`.

use sha1::{Digest as _, Sha1};

use crate::frames::{base64_decode, base64_encode, server_frame};

const GUID: &str = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

pub(crate) const OP_CONTINUATION: u8 = 0x0;
pub(crate) const OP_TEXT: u8 = 0x1;
pub(crate) const OP_BINARY: u8 = 0x2;
pub(crate) const OP_CLOSE: u8 = 0x8;
pub(crate) const OP_PING: u8 = 0x9;
pub(crate) const OP_PONG: u8 = 0xa;

/// The payload of a ping the server puts between a message's fragments.
pub(crate) const MID_PING: &[u8] = b"mid";

/// `base64(SHA-1(key + GUID))` for the client's `Sec-WebSocket-Key` text.
pub(crate) fn accept_value(key: &str) -> String {
    let mut hasher = Sha1::new();
    hasher.update(key.as_bytes());
    hasher.update(GUID.as_bytes());
    base64_encode(&hasher.finalize())
}

/// The end of an HTTP head (`\r\n\r\n`), if complete: the head's length.
pub(crate) fn head_len(bytes: &[u8]) -> Option<usize> {
    bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| i + 4)
}

/// A header's value (name case-insensitive), from a head's text lines.
pub(crate) fn header<'a>(lines: &[&'a str], name: &str) -> Option<&'a str> {
    lines.iter().find_map(|line| {
        let (n, v) = line.split_once(':')?;
        n.trim().eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

/// Checks a complete upgrade request head and returns the `101` response.
pub(crate) fn answer_upgrade(head: &[u8], expected_host: &str) -> Result<Vec<u8>, String> {
    let text = std::str::from_utf8(head).map_err(|_| "upgrade request is not UTF-8")?;
    let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    let request_line = lines.first().copied().unwrap_or("");
    if request_line != "GET /websocket HTTP/1.1" {
        return Err(format!("bad upgrade request line {request_line:?}"));
    }
    let host = header(&lines[1..], "Host").ok_or("no Host header")?;
    let host_name = host.rsplit_once(':').map_or(host, |(name, _)| name);
    if host_name != expected_host {
        return Err(format!(
            "Host {host:?} but the socket went to {expected_host}"
        ));
    }
    let wants = |name: &str, token: &str| {
        header(&lines[1..], name).is_some_and(|v| {
            v.split(',')
                .any(|part| part.trim().eq_ignore_ascii_case(token))
        })
    };
    if !wants("Upgrade", "websocket") || !wants("Connection", "Upgrade") {
        return Err("missing Upgrade: websocket / Connection: Upgrade".into());
    }
    if header(&lines[1..], "Sec-WebSocket-Version") != Some("13") {
        return Err("Sec-WebSocket-Version is not 13".into());
    }
    let key = header(&lines[1..], "Sec-WebSocket-Key").ok_or("no Sec-WebSocket-Key")?;
    if !base64_decode(key.as_bytes()).is_ok_and(|k| k.len() == 16) {
        return Err(format!(
            "Sec-WebSocket-Key {key:?} is not 16 bytes of base64"
        ));
    }
    if header(&lines[1..], "Sec-WebSocket-Extensions").is_some() {
        return Err("the client offered an extension (no permessage-deflate, §5.4)".into());
    }
    Ok(format!(
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {}\r\n\r\n",
        accept_value(key)
    )
    .into_bytes())
}

/// One client frame, unmasked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ClientFrame {
    pub(crate) opcode: u8,
    pub(crate) payload: Vec<u8>,
}

/// Takes the first complete client frame off `buf`, checking the client rules (masked, final,
/// known opcode, control payloads ≤ 125 bytes). `Ok(None)`: more bytes are needed.
pub(crate) fn take_client_frame(buf: &mut Vec<u8>) -> Result<Option<ClientFrame>, String> {
    if buf.len() < 2 {
        return Ok(None);
    }
    let (b0, b1) = (buf[0], buf[1]);
    if b0 & 0x70 != 0 {
        return Err(format!("client frame sets reserved bits: {b0:#04x}"));
    }
    if b0 & 0x80 == 0 {
        return Err("client frames are never fragmented".into());
    }
    if b1 & 0x80 == 0 {
        return Err("client frame is not masked".into());
    }
    let opcode = b0 & 0x0f;
    if ![OP_TEXT, OP_BINARY, OP_CLOSE, OP_PING, OP_PONG].contains(&opcode) {
        return Err(format!("client frame with opcode {opcode}"));
    }
    let (len, mut at) = match b1 & 0x7f {
        126 if buf.len() >= 4 => (u16::from_be_bytes([buf[2], buf[3]]) as usize, 4),
        127 if buf.len() >= 10 => (
            u64::from_be_bytes(buf[2..10].try_into().expect("8 bytes")) as usize,
            10,
        ),
        126 | 127 => return Ok(None),
        n => (n as usize, 2),
    };
    if opcode >= OP_CLOSE && len > 125 {
        return Err("control frame longer than 125 bytes".into());
    }
    if buf.len() < at + 4 + len {
        return Ok(None);
    }
    let mask: [u8; 4] = buf[at..at + 4].try_into().expect("4 bytes");
    at += 4;
    let payload = buf[at..at + len]
        .iter()
        .enumerate()
        .map(|(i, b)| b ^ mask[i % 4])
        .collect();
    buf.drain(..at + len);
    Ok(Some(ClientFrame { opcode, payload }))
}

/// How the server frames one msync message.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Framing {
    /// Base64 text instead of binary (the session accepts both, §5.3).
    pub(crate) text: bool,
    /// Split into this many frames (1: not fragmented).
    pub(crate) fragments: usize,
    /// Put a ping between the first two fragments (allowed by RFC 6455 §5.4).
    pub(crate) ping_inside: bool,
}

/// One msync message as server frames.
pub(crate) fn server_message(msync: &[u8], framing: Framing) -> Vec<u8> {
    let (opcode, payload) = if framing.text {
        (OP_TEXT, base64_encode(msync).into_bytes())
    } else {
        (OP_BINARY, msync.to_vec())
    };
    let pieces = framing.fragments.clamp(1, payload.len().max(1));
    if pieces == 1 {
        return server_frame(true, opcode, &payload);
    }
    let size = payload.len().div_ceil(pieces);
    let mut out = Vec::new();
    for (i, piece) in payload.chunks(size).enumerate() {
        let last = (i + 1) * size >= payload.len();
        let op = if i == 0 { opcode } else { OP_CONTINUATION };
        out.extend(server_frame(last, op, piece));
        if i == 0 && framing.ping_inside && !last {
            out.extend(server_frame(true, OP_PING, MID_PING));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc6455_accept_example() {
        assert_eq!(
            accept_value("dGhlIHNhbXBsZSBub25jZQ=="),
            "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
        );
    }
}
