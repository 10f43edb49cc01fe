//! WebSocket: the upgrade handshake both ways, an Alipay base64 text frame out and a server frame
//! in.

use core::fmt::Write;
use core::hint::black_box;

use msync_core::region::GATEWAY_PATH;
use msync_core::url::Url;
use msync_core::wire::msync::{Command, MSync};
use msync_core::wire::ws::{
    DEFAULT_HANDSHAKE_HEADERS, Decoder, Event, HandshakeRequest, HandshakeStatus, MessageKind,
    accept_value, check_handshake_response, encode_base64_text_frame, write_handshake_request,
};

use super::Text;
use super::msync::UNREAD_UP;

/// `unread_up` as the Alipay SDK sends it: the base64 of the frame, in a text message.
const UNREAD_UP_BASE64: &[u8] = b"QAFYAKABgaCAgKCr/vli";

pub(crate) fn handshake() -> bool {
    let Ok(gateway) = Url::parse(black_box("wss://im-api-alipay.easemob.com/websocket")) else {
        return false;
    };
    let key = black_box([7u8; 16]);
    let request = HandshakeRequest {
        authority: gateway.authority(),
        path: gateway.path(),
        key,
        extra_headers: DEFAULT_HANDSHAKE_HEADERS,
    };
    let mut out = [0u8; 512];
    let Ok(len) = write_handshake_request(&mut out, &request) else {
        return false;
    };
    let sent = out.get(..len).unwrap_or_default();
    let expected_start = b"GET /websocket HTTP/1.1\r\nHost: im-api-alipay.easemob.com\r\n";

    let accept = accept_value(&key);
    let mut reply = Text::<256>::new();
    let written = reply
        .write_str("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n")
        .and_then(|()| reply.write_str("Connection: Upgrade\r\nSec-WebSocket-Accept: "))
        .and_then(|()| reply.write_str(core::str::from_utf8(&accept).unwrap_or_default()))
        .and_then(|()| reply.write_str("\r\n\r\n"))
        .is_ok();
    let reply = reply.as_bytes();
    written
        && gateway.path() == GATEWAY_PATH
        && sent.starts_with(expected_start)
        && check_handshake_response(black_box(reply), &key)
            == Ok(HandshakeStatus::Complete {
                consumed: reply.len(),
            })
}

pub(crate) fn frames() -> bool {
    // Out: a masked text frame carrying the base64 of the msync bytes.
    let mask = black_box([0x11, 0x22, 0x33, 0x44]);
    let mut out = [0u8; 64];
    let Ok(len) = encode_base64_text_frame(&mut out, &UNREAD_UP, mask) else {
        return false;
    };
    let header_ok =
        out.get(..2) == Some(&[0x81, 0x80 | 20][..]) && out.get(2..6) == Some(&mask[..]);
    let unmasked_ok = out
        .get(6..len)
        .unwrap_or_default()
        .iter()
        .zip(mask.iter().cycle())
        .map(|(byte, key)| byte ^ key)
        .eq(UNREAD_UP_BASE64.iter().copied());

    // In: the same text from the server (unmasked), split across two reads.
    let mut server_frame = [0u8; 22];
    server_frame[0] = 0x81;
    server_frame[1] = 20;
    server_frame[2..].copy_from_slice(UNREAD_UP_BASE64);
    let first = black_box(&server_frame[..9]);
    let mut decoder = Decoder::new(256);
    let mut message = [0u8; 256];
    let consumed = match decoder.decode(first, &mut message) {
        Ok(step) if step.event.is_none() => step.consumed,
        _ => return false,
    };
    let Some(rest) = server_frame.get(consumed..) else {
        return false;
    };
    let received_ok = match decoder.decode(rest, &mut message) {
        Ok(step) => match step.event {
            Some(Event::Message {
                kind: MessageKind::Text,
                data,
            }) => {
                data == UNREAD_UP
                    && MSync::decode(data).is_ok_and(|frame| frame.command == Some(Command::UNREAD))
            }
            _ => false,
        },
        Err(_) => false,
    };
    header_ok && unmasked_ok && received_ok
}
