//! WebSocket codec: golden frames from `vectors/`, the handshake, and property tests that
//! round-trip client frames through a test-side (masked) parser and server frames through the
//! streaming decoder at arbitrary split points.

#[path = "support/frames.rs"]
mod frames;

use frames::{base64_encode, server_frame};
use msync_core::wire::BufferTooSmall;
use msync_core::wire::http::{Authority, RequestError};
use msync_core::wire::ws::{
    CloseCode, CloseFrame, DEFAULT_HANDSHAKE_HEADERS, Decoder, EncodeError, Event, HandshakeError,
    HandshakeRequest, HandshakeStatus, MessageKind, OpCode, WsError, accept_value, apply_mask,
    check_handshake_response, client_header_len, encode_base64_text_frame, encode_close,
    encode_frame, encode_pong, parse_frame, seal_base64_text_frame, seal_frame,
    write_handshake_request,
};
use proptest::prelude::*;

// ---------------------------------------------------------------------------------------------
// Test-side helpers: a client (masked) frame parser (server frames: `support/frames.rs`).

#[derive(Debug, PartialEq)]
struct ClientFrame {
    fin: bool,
    opcode: u8,
    mask: [u8; 4],
    payload: Vec<u8>,
    len: usize,
}

/// Parses a client frame the way a server would: the mask bit must be set, lengths minimal.
fn parse_client_frame(bytes: &[u8]) -> ClientFrame {
    let fin = bytes[0] & 0x80 != 0;
    assert_eq!(bytes[0] & 0x70, 0, "reserved bits");
    let opcode = bytes[0] & 0x0f;
    assert!(bytes[1] & 0x80 != 0, "client frames are masked");
    let (len, mut pos) = match bytes[1] & 0x7f {
        126 => (u16::from_be_bytes([bytes[2], bytes[3]]) as usize, 4),
        127 => (
            u64::from_be_bytes(bytes[2..10].try_into().unwrap()) as usize,
            10,
        ),
        n => (n as usize, 2),
    };
    match pos {
        4 => assert!(len >= 126),
        10 => assert!(len > 0xffff),
        _ => {}
    }
    let mask: [u8; 4] = bytes[pos..pos + 4].try_into().unwrap();
    pos += 4;
    assert_eq!(pos, client_header_len(len));
    let mut payload = bytes[pos..pos + len].to_vec();
    apply_mask(&mut payload, mask);
    ClientFrame {
        fin,
        opcode,
        mask,
        payload,
        len: pos + len,
    }
}

/// Deterministic pseudo-random bytes (xorshift), so large payloads are cheap to generate.
fn bytes_from_seed(len: usize, seed: u64) -> Vec<u8> {
    let mut state = seed | 1;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect()
}

/// An event with owned data, for comparisons.
#[derive(Clone, Debug, PartialEq)]
enum Ev {
    Message(MessageKind, Vec<u8>),
    Ping(Vec<u8>),
    Pong(Vec<u8>),
    Close(Option<u16>, String),
}

fn owned(event: Event<'_>) -> Ev {
    match event {
        Event::Message { kind, data } => Ev::Message(kind, data.to_vec()),
        Event::Ping(p) => Ev::Ping(p.to_vec()),
        Event::Pong(p) => Ev::Pong(p.to_vec()),
        Event::Close(CloseFrame { code, reason }) => Ev::Close(code.map(|c| c.0), reason.into()),
    }
}

/// Feeds `wire` to a fresh decoder in pieces of the given sizes (cycled).
fn feed(wire: &[u8], chunks: &[usize], max: usize) -> Result<Vec<Ev>, (WsError, Vec<Ev>)> {
    let mut decoder = Decoder::new(max);
    let mut buf = vec![0u8; max];
    let mut events = Vec::new();
    let mut pos = 0;
    let mut sizes = chunks.iter().copied().cycle();
    while pos < wire.len() {
        let end = (pos + sizes.next().unwrap_or(wire.len()).max(1)).min(wire.len());
        let mut piece = &wire[pos..end];
        while !piece.is_empty() {
            match decoder.decode(piece, &mut buf) {
                Ok(d) => {
                    assert!(d.consumed > 0 || d.event.is_some(), "no progress");
                    assert!(d.consumed <= piece.len());
                    if let Some(e) = d.event {
                        events.push(owned(e));
                    }
                    piece = &piece[d.consumed..];
                }
                Err(e) => {
                    // A failed decoder stays failed.
                    assert_eq!(decoder.decode(b"\x82\x00", &mut buf), Err(WsError::Failed));
                    return Err((e, events));
                }
            }
        }
        pos = end;
    }
    Ok(events)
}

// ---------------------------------------------------------------------------------------------
// Golden vectors.

struct Vector {
    name: String,
    down: bool,
    bytes: Vec<u8>,
    text: String,
}

fn vectors() -> Vec<Vector> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../vectors/vectors.json");
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    doc["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| Vector {
            name: v["name"].as_str().unwrap().into(),
            down: v["direction"] == "server->client",
            bytes: hex::decode(v["hex"].as_str().unwrap()).unwrap(),
            text: v["alipay_text_frame_base64"].as_str().unwrap().into(),
        })
        .collect()
}

#[test]
fn golden_vectors_as_client_frames() {
    let vectors = vectors();
    assert_eq!(vectors.len(), 21);
    for (i, v) in vectors.iter().enumerate() {
        let mask = (i as u32).wrapping_mul(0x9E37_79B9).to_be_bytes();
        let mut out = vec![0u8; v.bytes.len() * 2 + 14];
        let n = encode_base64_text_frame(&mut out, &v.bytes, mask).unwrap();
        let frame = parse_client_frame(&out[..n]);
        assert_eq!(
            (frame.fin, frame.opcode, frame.len),
            (true, 1, n),
            "{}",
            v.name
        );
        assert_eq!(frame.payload, v.text.as_bytes(), "{}", v.name);
        assert_eq!(frame.mask, mask);

        let n = encode_frame(&mut out, OpCode::Binary, &v.bytes, mask).unwrap();
        let frame = parse_client_frame(&out[..n]);
        assert_eq!((frame.opcode, &frame.payload), (2, &v.bytes), "{}", v.name);
    }
}

#[test]
fn golden_vectors_as_server_frames() {
    for v in vectors().iter().filter(|v| v.down) {
        let unpadded = v.text.trim_end_matches('=');
        for (wire, kind) in [
            (server_frame(true, 2, &v.bytes), MessageKind::Binary),
            (server_frame(true, 1, v.text.as_bytes()), MessageKind::Text),
            (
                server_frame(true, 1, unpadded.as_bytes()),
                MessageKind::Text,
            ),
        ] {
            let events = feed(&wire, &[wire.len()], 4096).unwrap();
            assert_eq!(events, [Ev::Message(kind, v.bytes.clone())], "{}", v.name);
        }
    }
}

#[test]
fn in_place_text_sealing_matches_vectors() {
    for v in vectors().iter().filter(|v| !v.down) {
        let mut tx = vec![0u8; 14 + v.text.len()];
        tx[14..14 + v.bytes.len()].copy_from_slice(&v.bytes);
        let range = seal_base64_text_frame(&mut tx, 14, v.bytes.len(), [1, 2, 3, 4]).unwrap();
        let frame = parse_client_frame(&tx[range.clone()]);
        assert_eq!(frame.payload, v.text.as_bytes(), "{}", v.name);
        assert_eq!(frame.len, range.len());
    }
}

// ---------------------------------------------------------------------------------------------
// Handshake.

const RFC_KEY: [u8; 16] = *b"the sample nonce";

fn request(authority: Authority<'_>) -> HandshakeRequest<'_> {
    HandshakeRequest {
        authority,
        path: "/websocket",
        key: RFC_KEY,
        extra_headers: DEFAULT_HANDSHAKE_HEADERS,
    }
}

#[test]
fn golden_handshake_requests() {
    let mut out = [0u8; 512];
    let n = write_handshake_request(
        &mut out,
        &request(Authority::new("im-api-alipay.easemob.com", 443, true)),
    )
    .unwrap();
    assert_eq!(
        std::str::from_utf8(&out[..n]).unwrap(),
        "GET /websocket HTTP/1.1\r\n\
         Host: im-api-alipay.easemob.com\r\n\
         Upgrade: websocket\r\n\
         Connection: Upgrade\r\n\
         Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\
         Sec-WebSocket-Version: 13\r\n\
         content-type: application/json\r\n\
         \r\n"
    );
    let plain = HandshakeRequest {
        extra_headers: &[],
        ..request(Authority::new("127.0.0.1", 8080, false))
    };
    let n = write_handshake_request(&mut out, &plain).unwrap();
    let text = std::str::from_utf8(&out[..n]).unwrap();
    assert!(text.starts_with("GET /websocket HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n"));
    assert!(text.ends_with("Sec-WebSocket-Version: 13\r\n\r\n"));

    let mut small = [0xAAu8; 100];
    assert!(matches!(
        write_handshake_request(&mut small, &plain),
        Err(RequestError::BufferTooSmall(BufferTooSmall { needed })) if needed == n
    ));
    assert_eq!(small, [0xAA; 100]);
    let injected = HandshakeRequest {
        extra_headers: &[("x-a", "1\r\nEvil: 1")],
        ..plain
    };
    assert_eq!(
        write_handshake_request(&mut out, &injected),
        Err(RequestError::InvalidHeader)
    );
    let bad_host = request(Authority {
        host: "a b",
        port: None,
    });
    assert_eq!(
        write_handshake_request(&mut out, &bad_host),
        Err(RequestError::InvalidHost)
    );
}

const GOOD_RESPONSE: &str = "HTTP/1.1 101 Switching Protocols\r\n\
    Upgrade: websocket\r\n\
    Connection: Upgrade\r\n\
    Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n";

#[test]
fn handshake_response_keeps_following_frame_bytes() {
    assert_eq!(&accept_value(&RFC_KEY), b"s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    let mut input = GOOD_RESPONSE.as_bytes().to_vec();
    input.extend_from_slice(b"\x82\x02hi");
    let head = GOOD_RESPONSE.len();
    assert_eq!(
        check_handshake_response(&input, &RFC_KEY),
        Ok(HandshakeStatus::Complete { consumed: head })
    );
    for cut in 0..head {
        assert_eq!(
            check_handshake_response(&input[..cut], &RFC_KEY),
            Ok(HandshakeStatus::NeedMore),
            "cut {cut}"
        );
    }
    let lenient = "HTTP/1.1 101 OK\r\nupgrade: WebSocket\r\nconnection: keep-alive, upgrade\r\n\
                   sec-websocket-accept:  s3pPLMBiTxaQ9kYGzzhZRbK+xOo= \r\n\
                   Sec-WebSocket-Extensions:\r\n\r\n";
    assert!(matches!(
        check_handshake_response(lenient.as_bytes(), &RFC_KEY),
        Ok(HandshakeStatus::Complete { .. })
    ));
}

#[test]
fn handshake_response_errors() {
    let replace = |from: &str, to: &str| GOOD_RESPONSE.replace(from, to);
    let cases = [
        (
            replace("101 Switching Protocols", "200 OK"),
            HandshakeError::NotSwitchingProtocols { status: 200 },
        ),
        (
            replace("Upgrade: websocket\r\n", ""),
            HandshakeError::MissingUpgrade,
        ),
        (
            replace("Upgrade: websocket", "Upgrade: h2c"),
            HandshakeError::MissingUpgrade,
        ),
        (
            replace("Connection: Upgrade\r\n", ""),
            HandshakeError::MissingConnectionUpgrade,
        ),
        (
            replace("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n", ""),
            HandshakeError::MissingAccept,
        ),
        (replace("s3pPLMBi", "s3pPLMBj"), HandshakeError::BadAccept),
        (
            replace(
                "\r\n\r\n",
                "\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n",
            ),
            HandshakeError::BadAccept,
        ),
        (
            replace(
                "\r\n\r\n",
                "\r\nSec-WebSocket-Extensions: permessage-deflate\r\n\r\n",
            ),
            HandshakeError::UnexpectedExtension,
        ),
        (
            replace("\r\n\r\n", "\r\nSec-WebSocket-Protocol: chat\r\n\r\n"),
            HandshakeError::UnexpectedSubprotocol,
        ),
        (replace("HTTP/1.1", "HTTX/1.1"), HandshakeError::Malformed),
        (
            replace(
                "\r\n\r\n",
                &format!("\r\n{}\r\n", "X-A: 1\r\n".repeat(40).trim_end()),
            ),
            HandshakeError::TooManyHeaders,
        ),
    ];
    for (response, want) in cases {
        assert_eq!(
            check_handshake_response(response.as_bytes(), &RFC_KEY),
            Err(want),
            "{response}"
        );
    }
    let huge = format!("HTTP/1.1 101 OK\r\nX-A: {}", "a".repeat(5000));
    assert_eq!(
        check_handshake_response(huge.as_bytes(), &RFC_KEY),
        Err(HandshakeError::ResponseTooLarge)
    );
}

// ---------------------------------------------------------------------------------------------
// Control frames.

#[test]
fn ping_pong_and_close_replies() {
    let wire = [
        server_frame(true, 9, b"are you there"),
        server_frame(true, 10, b""),
        server_frame(true, 8, b"\x03\xe9going away"),
    ]
    .concat();
    let events = feed(&wire, &[3], 64).unwrap();
    assert_eq!(
        events,
        [
            Ev::Ping(b"are you there".to_vec()),
            Ev::Pong(Vec::new()),
            Ev::Close(Some(1001), "going away".into())
        ]
    );
    let mut out = [0u8; 64];
    let n = encode_pong(&mut out, b"are you there", [9, 8, 7, 6]).unwrap();
    let pong = parse_client_frame(&out[..n]);
    assert_eq!(
        (pong.opcode, pong.payload.as_slice()),
        (10, &b"are you there"[..])
    );
    let n = encode_close(&mut out, Some(CloseCode(1001)), "", [1, 1, 1, 1]).unwrap();
    let close = parse_client_frame(&out[..n]);
    assert_eq!(
        (close.opcode, close.payload.as_slice()),
        (8, &b"\x03\xe9"[..])
    );
}

#[test]
fn close_code_rules() {
    for (payload, want) in [
        (&b"\x03\xed"[..], WsError::InvalidCloseCode { code: 1005 }),
        (b"\x03\xee", WsError::InvalidCloseCode { code: 1006 }),
        (b"\x03\xf7", WsError::InvalidCloseCode { code: 1015 }),
        (b"\x03\xe7", WsError::InvalidCloseCode { code: 999 }),
        (b"\x13\x88", WsError::InvalidCloseCode { code: 5000 }),
        (b"\x03", WsError::InvalidClosePayload),
        (b"\x03\xe8\xc3", WsError::InvalidCloseReason),
    ] {
        let wire = server_frame(true, 8, payload);
        assert_eq!(feed(&wire, &[1], 64).unwrap_err().0, want);
    }
    let wire = server_frame(true, 8, b"");
    assert_eq!(
        feed(&wire, &[1], 64).unwrap(),
        [Ev::Close(None, String::new())]
    );
}

#[test]
fn frame_errors_have_their_own_variants() {
    let big_control = [&b"\x89\x7e\x00\x7e"[..], &[0u8; 126]].concat();
    let cases: [(Vec<u8>, WsError); 12] = [
        (b"\x82\x85abcd12345".to_vec(), WsError::MaskedFrame),
        (b"\xa2\x00".to_vec(), WsError::ReservedBits { bits: 0x20 }),
        (b"\x8b\x00".to_vec(), WsError::UnknownOpcode { opcode: 0xb }),
        (big_control, WsError::ControlFrameTooLarge { length: 126 }),
        (b"\x09\x00".to_vec(), WsError::FragmentedControlFrame),
        (b"\x80\x00".to_vec(), WsError::UnexpectedContinuation),
        (b"\x02\x00\x81\x00".to_vec(), WsError::ExpectedContinuation),
        (
            b"\x82\x7e\x01\x01".to_vec(),
            WsError::MessageTooLarge {
                length: 257,
                max: 256,
            },
        ),
        (b"\x82\x7e\x00\x05".to_vec(), WsError::NonMinimalLength),
        (
            b"\x82\x7f\xff\x00\x00\x00\x00\x00\x00\x00".to_vec(),
            WsError::LengthTopBitSet,
        ),
        (b"\x81\x01\xff".to_vec(), WsError::InvalidUtf8),
        (b"\x81\x04ab!d".to_vec(), WsError::InvalidBase64),
    ];
    for (wire, want) in cases {
        assert_eq!(feed(&wire, &[1], 256).unwrap_err().0, want, "{wire:02x?}");
        assert_eq!(feed(&wire, &[wire.len()], 256).unwrap_err().0, want);
    }
}

// ---------------------------------------------------------------------------------------------
// Properties.

/// Payload lengths around every length-encoding boundary, plus small random ones.
fn payload_len() -> impl Strategy<Value = usize> {
    prop_oneof![
        4 => 0usize..200,
        1 => 120usize..132,
        1 => 65_530usize..65_542,
        1 => 65_536usize..70_000,
    ]
}

/// One message as the server sends it: payload, fragment boundaries, pings between fragments.
#[derive(Clone, Debug)]
struct Message {
    text: bool,
    padded: bool,
    raw: Vec<u8>,
    cuts: Vec<usize>,
    pings: Vec<Option<Vec<u8>>>,
}

fn message() -> impl Strategy<Value = Message> {
    (
        any::<bool>(),
        any::<bool>(),
        payload_len(),
        any::<u64>(),
        prop::collection::vec(any::<prop::sample::Index>(), 0..4),
        prop::collection::vec(
            prop::option::of(prop::collection::vec(any::<u8>(), 0..126)),
            4,
        ),
    )
        .prop_map(|(text, padded, len, seed, cuts, pings)| {
            let raw = bytes_from_seed(len, seed);
            let wire_len = if text {
                raw.len().div_ceil(3) * 4
            } else {
                raw.len()
            };
            let mut cuts: Vec<usize> = cuts.iter().map(|i| i.index(wire_len + 1)).collect();
            cuts.sort_unstable();
            Message {
                text,
                padded,
                raw,
                cuts,
                pings,
            }
        })
}

/// Serialises messages as server frames and lists the events a client must see.
fn server_bytes(messages: &[Message]) -> (Vec<u8>, Vec<Ev>) {
    let mut wire = Vec::new();
    let mut events = Vec::new();
    for m in messages {
        let payload = if m.text {
            let text = base64_encode(&m.raw);
            if m.padded {
                text.into_bytes()
            } else {
                text.trim_end_matches('=').as_bytes().to_vec()
            }
        } else {
            m.raw.clone()
        };
        let mut bounds = vec![0];
        bounds.extend(m.cuts.iter().map(|&c| c.min(payload.len())));
        bounds.push(payload.len());
        let fragments = bounds.len() - 1;
        for i in 0..fragments {
            let opcode = if i > 0 {
                0
            } else if m.text {
                1
            } else {
                2
            };
            let last = i + 1 == fragments;
            wire.extend(server_frame(
                last,
                opcode,
                &payload[bounds[i]..bounds[i + 1]],
            ));
            if !last && let Some(ping) = &m.pings[i] {
                wire.extend(server_frame(true, 9, ping));
                events.push(Ev::Ping(ping.clone()));
            }
        }
        let kind = if m.text {
            MessageKind::Text
        } else {
            MessageKind::Binary
        };
        events.push(Ev::Message(kind, m.raw.clone()));
    }
    (wire, events)
}

const MAX_MESSAGE: usize = 100_000;

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn client_frames_round_trip(
        opcode in prop::sample::select(vec![OpCode::Binary, OpCode::Text, OpCode::Ping]),
        len in payload_len(),
        seed in any::<u64>(),
        mask in any::<[u8; 4]>(),
    ) {
        let len = if opcode == OpCode::Ping { len.min(125) } else { len };
        let payload = bytes_from_seed(len, seed);
        let mut out = vec![0u8; len + 14];
        let n = encode_frame(&mut out, opcode, &payload, mask).unwrap();
        let frame = parse_client_frame(&out[..n]);
        prop_assert_eq!(frame.opcode, opcode.as_u8());
        prop_assert!(frame.fin);
        prop_assert_eq!(frame.mask, mask);
        prop_assert_eq!(frame.payload, payload.clone());
        prop_assert_eq!(frame.len, n);

        // The in-place form produces the same bytes from any payload offset with room.
        let offset = 14 + (seed % 7) as usize;
        let mut tx = vec![0u8; offset + len];
        tx[offset..].copy_from_slice(&payload);
        let range = seal_frame(&mut tx, offset, len, opcode, mask).unwrap();
        prop_assert_eq!(&tx[range], &out[..n]);

        // Too small a buffer is reported with the exact size and left untouched.
        let mut small = vec![0x5Au8; n - 1];
        prop_assert_eq!(
            encode_frame(&mut small, opcode, &payload, mask),
            Err(EncodeError::BufferTooSmall(BufferTooSmall { needed: n }))
        );
        prop_assert!(small.iter().all(|&b| b == 0x5A));
    }

    #[test]
    fn base64_text_frames_round_trip(len in payload_len(), seed in any::<u64>(), mask in any::<[u8; 4]>()) {
        let raw = bytes_from_seed(len, seed);
        let text = base64_encode(&raw);
        let text_len = text.len();
        prop_assert_eq!(text_len, 4 * len.div_ceil(3));
        let mut out = vec![0u8; text.len() + 14];
        let n = encode_base64_text_frame(&mut out, &raw, mask).unwrap();
        let frame = parse_client_frame(&out[..n]);
        prop_assert_eq!(frame.opcode, 1);
        prop_assert_eq!(frame.payload, text.into_bytes());

        let mut tx = vec![0u8; 14 + text_len];
        tx[14..14 + len].copy_from_slice(&raw);
        let range = seal_base64_text_frame(&mut tx, 14, len, mask).unwrap();
        prop_assert_eq!(&tx[range], &out[..n]);
    }

    #[test]
    fn server_messages_decode_at_any_split(
        messages in prop::collection::vec(message(), 1..4),
        chunks in prop::collection::vec(1usize..300, 1..8),
    ) {
        let (wire, expected) = server_bytes(&messages);
        prop_assert_eq!(feed(&wire, &[wire.len()], MAX_MESSAGE).unwrap(), expected.clone());
        prop_assert_eq!(feed(&wire, &chunks, MAX_MESSAGE).unwrap(), expected);
    }

    #[test]
    fn small_messages_decode_byte_by_byte(
        messages in prop::collection::vec(message(), 1..4)
            .prop_filter("small", |ms| ms.iter().all(|m| m.raw.len() < 300)),
    ) {
        let (wire, expected) = server_bytes(&messages);
        prop_assert_eq!(feed(&wire, &[1], MAX_MESSAGE).unwrap(), expected);
    }

    #[test]
    fn any_prefix_needs_more_and_yields_a_prefix_of_the_events(
        messages in prop::collection::vec(message(), 1..4),
        cut in any::<prop::sample::Index>(),
        chunks in prop::collection::vec(1usize..300, 1..8),
    ) {
        let (wire, expected) = server_bytes(&messages);
        let cut = cut.index(wire.len());
        let events = feed(&wire[..cut], &chunks, MAX_MESSAGE).unwrap();
        prop_assert!(events.len() < expected.len());
        prop_assert_eq!(&expected[..events.len()], &events[..]);
    }

    #[test]
    fn oversized_messages_are_rejected_with_length_and_max(
        len in 200usize..2000,
        max in 1usize..199,
    ) {
        let wire = server_frame(true, 2, &vec![0u8; len]);
        let (error, _) = feed(&wire, &[7], max).unwrap_err();
        prop_assert_eq!(error, WsError::MessageTooLarge { length: len as u64, max });
    }

    #[test]
    fn random_bytes_never_panic(
        bytes in prop::collection::vec(any::<u8>(), 0..600),
        chunks in prop::collection::vec(1usize..64, 1..5),
        max in 0usize..300,
    ) {
        let _ = feed(&bytes, &chunks, max);
        let _ = parse_frame(&bytes, max);
        let _ = check_handshake_response(&bytes, &RFC_KEY);
    }

    #[test]
    fn random_frames_after_valid_headers_never_panic(
        frames in prop::collection::vec(
            (
                prop::sample::select(vec![0x00u8, 0x01, 0x02, 0x80, 0x81, 0x82, 0x88, 0x89, 0x8a]),
                any::<u8>(),
                prop::collection::vec(any::<u8>(), 0..40),
            ),
            1..6,
        ),
        chunks in prop::collection::vec(1usize..16, 1..5),
    ) {
        let wire: Vec<u8> = frames
            .iter()
            .flat_map(|(first, second, rest)| [vec![*first, *second], rest.clone()].concat())
            .collect();
        let _ = feed(&wire, &chunks, 128);
    }

    #[test]
    fn random_handshake_headers_never_panic(
        lines in prop::collection::vec("[ -~]{0,40}", 0..10),
    ) {
        let response = format!("HTTP/1.1 101 OK\r\n{}\r\n\r\n", lines.join("\r\n"));
        let _ = check_handshake_response(response.as_bytes(), &RFC_KEY);
    }
}
