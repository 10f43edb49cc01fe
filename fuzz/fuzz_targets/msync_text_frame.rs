//! The Alipay path (PROTOCOL.md §5.3): the input is the base64 text of a server text frame.
//!
//! - Wrapped in a text frame, it goes through the streaming WebSocket decoder, which must
//!   accept exactly the texts a reference base64 decoder accepts (padded to a multiple of 4, or
//!   unpadded; canonical) and yield the same bytes; those are then walked as an msync frame.
//! - Taken as raw msync bytes, it is sent as the client sends it (`encode_base64_text_frame`,
//!   and `seal_base64_text_frame` in place, which must agree), unmasked into a server frame,
//!   and must decode back to itself.
#![no_main]

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use libfuzzer_sys::fuzz_target;
use msync_core::wire::ws::{
    Decoded, Decoder, Event, MAX_CLIENT_HEADER_LEN, MessageKind, WsError, base64_len,
    client_header_len, encode_base64_text_frame, seal_base64_text_frame,
};
use msync_core_fuzz::msync_walk::check_frame;
use msync_core_fuzz::ws_frames::{server_frame, unmask_client_frame};

/// FIN and the text opcode.
const TEXT: u8 = 0x81;

fuzz_target!(|text: &[u8]| {
    let reference = if text.ends_with(b"=") {
        STANDARD.decode(text).ok()
    } else {
        STANDARD_NO_PAD.decode(text).ok()
    };
    let frame = server_frame(TEXT, text);
    let mut decoder = Decoder::new(text.len());
    let mut buf = vec![0u8; text.len()];
    match decoder.decode(&frame, &mut buf) {
        Ok(Decoded {
            consumed,
            event:
                Some(Event::Message {
                    kind: MessageKind::Text,
                    data,
                }),
        }) => {
            assert_eq!(consumed, frame.len());
            assert_eq!(
                Some(data),
                reference.as_deref(),
                "base64 differs from reference"
            );
            check_frame(data);
        }
        Err(WsError::InvalidUtf8 | WsError::InvalidBase64) => {
            assert_eq!(reference, None, "valid base64 refused");
        }
        other => panic!("a text frame gave {other:?}"),
    }
    check_client_text_roundtrip(text);
});

/// Raw bytes sent as a client text frame come back unchanged through the server-side decoder.
fn check_client_text_roundtrip(raw: &[u8]) {
    let mask = [0x5a, raw.len() as u8, 0xc3, 0x01];
    let text_len = base64_len(raw.len()).unwrap();
    let frame_len = client_header_len(text_len) + text_len;
    let mut out = vec![0u8; frame_len];
    assert_eq!(encode_base64_text_frame(&mut out, raw, mask), Ok(frame_len));
    let mut short = vec![0u8; frame_len - 1];
    assert!(encode_base64_text_frame(&mut short, raw, mask).is_err());

    let mut in_place = vec![0u8; MAX_CLIENT_HEADER_LEN + text_len];
    in_place[MAX_CLIENT_HEADER_LEN..][..raw.len()].copy_from_slice(raw);
    let range = seal_base64_text_frame(&mut in_place, MAX_CLIENT_HEADER_LEN, raw.len(), mask)
        .expect("room for the header and the text");
    assert_eq!(
        &in_place[range],
        &out[..],
        "in-place and copying encoders differ"
    );

    let server = unmask_client_frame(&out);
    let mut decoder = Decoder::new(text_len);
    let mut buf = vec![0u8; text_len];
    let decoded = decoder
        .decode(&server, &mut buf)
        .expect("our own text frame decodes");
    assert_eq!(
        decoded,
        Decoded {
            consumed: server.len(),
            event: Some(Event::Message {
                kind: MessageKind::Text,
                data: raw
            }),
        }
    );
}
