//! Decodes an msync frame and everything inside it, and checks what the codec promises:
//!
//! - every repeated field (a lazily decoded view) yields exactly `len()` elements;
//! - every message re-encodes stably: encode, decode, encode gives the same bytes and the same
//!   JSON view; a buffer one byte short is refused and left untouched;
//! - the JSON views are valid JSON, and a sink that is too small gets a prefix of the view;
//! - the payload view fails exactly when the body does, and writes nothing then;
//! - a zlib payload inflates to what was compressed, with exact capacity errors.

use msync_core::wire::BufferTooSmall;
use msync_core::wire::json::parse_auth_token_reply;
use msync_core::wire::msync::*;

use crate::bounded::{BoundedString, LARGE, write_twice};
use crate::json_ref::check_str;

/// The largest inflated payload the walker accepts.
const INFLATE_CAPACITY: usize = 64 * 1024;

/// Encodes a value into an exact buffer, checking the too-small path too.
fn encode_checked(value: &dyn Encode) -> Vec<u8> {
    let len = value.encoded_len();
    let mut out = vec![0u8; len];
    assert_eq!(
        value.encode(&mut out),
        Ok(len),
        "encode disagrees with encoded_len"
    );
    if len > 0 {
        let mut short = vec![0xA5u8; len - 1];
        assert_eq!(
            value.encode(&mut short),
            Err(BufferTooSmall { needed: len })
        );
        assert!(short.iter().all(|&b| b == 0xA5), "a refused encode wrote");
    }
    out
}

/// The JSON view of a message, checked to be valid JSON.
fn json<'a, T: FieldValue<'a>>(value: &T) -> String {
    let text = write_twice(|out| write_json(value, out)).expect("the view fits the large sink");
    check_json_text(&text);
    text
}

fn check_json_text(text: &str) {
    if let Err(error) = serde_json::from_str::<serde_json::Value>(text) {
        panic!("the JSON view is not JSON ({error}): {text}");
    }
}

/// Encode, decode, encode: the encodings and the JSON views of both values are equal.
macro_rules! roundtrip {
    ($ty:ident, $value:expr) => {{
        let value = &$value;
        let first = encode_checked(value);
        let again = $ty::decode(&first).expect("a re-encoded message decodes");
        assert_eq!(
            first,
            encode_checked(&again),
            concat!(stringify!($ty), " does not re-encode stably")
        );
        assert_eq!(json(value), json(&again));
    }};
}

/// Every element of a repeated field; the count must match `len()`.
fn elements<'a, T: FieldValue<'a>>(field: &Repeated<'a, T>) -> Vec<T> {
    let items: Vec<T> = field.iter().collect();
    assert_eq!(items.len(), field.len(), "a repeated view lost elements");
    assert_eq!(field.iter().size_hint(), (field.len(), Some(field.len())));
    assert_eq!(field.first().is_some(), !field.is_empty());
    items
}

/// Decodes `bytes` as a frame (raw bytes of one WebSocket message) and checks everything in it.
pub fn check_frame(bytes: &[u8]) {
    let Ok(frame) = MSync::decode(bytes) else {
        return;
    };
    elements(&frame.encrypt_type);
    let debug = format!("{frame:?}");
    if frame.auth.is_some() || frame.encrypt_key.is_some() {
        assert!(
            debug.contains("<redacted>"),
            "Debug shows a secret: {debug}"
        );
    }
    let _ = (frame.command(), frame.is_compressed());
    roundtrip!(MSync, frame);
    let envelope = write_twice(|out| write_envelope_json(&frame, out)).expect("envelope view");
    check_json_text(&envelope);
    for direction in [Direction::Up, Direction::Down] {
        check_payload(&frame, direction);
    }
    check_inflate(&frame);
}

/// The body in one direction, and its JSON view.
fn check_payload(frame: &MSync<'_>, direction: Direction) {
    let body = match direction {
        Direction::Up => frame.up_body(),
        Direction::Down => frame.body(),
    };
    if let Ok(body) = &body {
        check_body(body);
    }
    let mut out = BoundedString::new(LARGE);
    match write_payload_json(frame, direction, &mut out) {
        Ok(()) => {
            assert!(body.is_ok(), "a view of a body that does not decode");
            check_json_text(out.as_str());
            write_twice(|out| write_payload_json(frame, direction, out));
        }
        Err(ViewError::NoPayload) => assert!(frame.payload.is_none()),
        Err(ViewError::UnknownCommand(command)) => {
            assert_eq!(
                body,
                Ok(Body::Unknown(
                    command,
                    frame.plain_payload().unwrap().unwrap()
                ))
            )
        }
        Err(ViewError::Decode(_)) => {
            assert!(
                out.as_str().is_empty(),
                "a failed view wrote {:?}",
                out.as_str()
            )
        }
        Err(ViewError::Format) => panic!("the payload view outgrew {LARGE} bytes"),
    }
}

fn check_body(body: &Body<'_>) {
    match body {
        Body::SyncUl(b) => {
            if let Some(meta) = &b.meta {
                check_meta(meta);
            }
            roundtrip!(CommSyncUl, *b);
        }
        Body::SyncDl(b) => {
            if let Some(status) = &b.status {
                check_status(status);
            }
            for meta in elements(&b.metas) {
                check_meta(&meta);
            }
            let _ = b.ack_of();
            roundtrip!(CommSyncDl, *b);
        }
        Body::UnreadUl(b) => roundtrip!(CommUnreadUl, *b),
        Body::UnreadDl(b) => {
            if let Some(status) = &b.status {
                check_status(status);
            }
            elements(&b.unread);
            roundtrip!(CommUnreadDl, *b);
        }
        Body::Notice(b) => roundtrip!(CommNotice, *b),
        Body::Provision(b) => {
            elements(&b.compress_type);
            elements(&b.encrypt_type);
            elements(&b.protocol_compress_type);
            if let Some(status) = &b.status {
                check_status(status);
            }
            let token = b.auth_token.and_then(|token| token.as_raw());
            if let Some(Ok(reply)) = token.map(parse_auth_token_reply)
                && let Some(token) = reply.token()
            {
                check_str(token.expose());
            }
            roundtrip!(Provision, *b);
        }
        Body::Logout(b) => {
            if let Some(status) = &b.status {
                check_status(status);
            }
            roundtrip!(Logout, *b);
        }
        Body::Unknown(..) => {}
    }
}

fn check_status(status: &Status<'_>) {
    elements(&status.redirect_info);
    let _ = status.code();
    roundtrip!(Status, *status);
}

fn check_meta(meta: &Meta<'_>) {
    elements(&meta.ext);
    elements(&meta.directed_users);
    match meta.body() {
        Ok(MetaBody::Chat(body)) => {
            for content in elements(&body.contents) {
                elements(&content.params);
                elements(&content.custom_exts);
                roundtrip!(Content, content);
            }
            elements(&body.ext);
            elements(&body.ack_message_ids);
            roundtrip!(MessageBody, body);
        }
        Ok(MetaBody::Statistic(body)) => roundtrip!(StatisticsBody, body),
        Ok(MetaBody::Json(_) | MetaBody::Other(..)) | Err(_) => {}
    }
    roundtrip!(Meta, *meta);
}

/// Inflation: a zlib payload decodes like the plain one, and any plain payload, compressed
/// here, inflates back to itself.
fn check_inflate(frame: &MSync<'_>) {
    let mut inflater = Inflater::new();
    let mut out = vec![0u8; INFLATE_CAPACITY];
    if frame.is_compressed() {
        if let Ok(Some(inflated)) = frame.inflate_payload(&mut inflater, &mut out) {
            let len = inflated.len();
            let compressed = frame.payload.unwrap().as_raw().unwrap();
            let mut exact = vec![0u8; len];
            assert_eq!(inflater.inflate(compressed, &mut exact), Ok(len));
            assert_eq!(&exact[..], &out[..len]);
            if len > 0 {
                let mut short = vec![0u8; len - 1];
                assert_eq!(
                    inflate_zlib(compressed, &mut short),
                    Err(DecodeError::InflateCapacity { capacity: len - 1 })
                );
            }
        }
        if let Ok(body) = frame.body_inflated(&mut inflater, &mut out) {
            check_body(&body);
        }
        return;
    }
    let Ok(Some(plain)) = frame.plain_payload() else {
        return;
    };
    let compressed = miniz_oxide::deflate::compress_to_vec_zlib(plain, 6);
    let zipped = MSync {
        compress_algorimth: Some(1),
        payload: Some(Bytes::Raw(&compressed)),
        ..*frame
    };
    let bytes = encode_checked(&zipped);
    let zipped = MSync::decode(&bytes).expect("the compressed frame decodes");
    assert_eq!(zipped.body(), Err(DecodeError::CompressedPayload));
    let inflated = zipped.inflate_payload(&mut inflater, &mut out);
    assert_eq!(inflated, Ok(Some(plain)), "zlib round trip");
    let (plain_body, inflated_body) = (frame.body(), zipped.body_inflated(&mut inflater, &mut out));
    assert_eq!(plain_body.is_ok(), inflated_body.is_ok());
}
