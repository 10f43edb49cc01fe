//! The streaming WebSocket decoder on a stream of server frames, split at fuzzer-chosen points.
//!
//! Input: 5 header bytes, then the stream. Header: message buffer size (x16), split seed (2),
//! longest piece (0: one piece), `max_message` (x16; 255: unlimited).
//!
//! Checks: the split stream yields exactly the events and the error of the stream fed whole;
//! every call makes progress and consumes no more than it was given; a failed decoder stays
//! failed; nothing follows a close; messages fit the limits. `parse_frame` agrees with its
//! own prefixes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use msync_core::wire::ws::{
    CloseFrame, Decoded, Decoder, Event, MessageKind, WsError, parse_frame, parse_frame_header,
};
use msync_core_fuzz::split::{Splitter, take};

/// An event copied out of the decoder's buffers.
#[derive(Debug, PartialEq)]
enum Owned {
    Message(MessageKind, Vec<u8>),
    Ping(Vec<u8>),
    Pong(Vec<u8>),
    Close(Option<u16>, String),
}

fn own(event: Event<'_>) -> Owned {
    match event {
        Event::Message { kind, data } => Owned::Message(kind, data.to_vec()),
        Event::Ping(payload) => Owned::Ping(payload.to_vec()),
        Event::Pong(payload) => Owned::Pong(payload.to_vec()),
        Event::Close(CloseFrame { code, reason }) => {
            Owned::Close(code.map(|code| code.0), reason.to_owned())
        }
    }
}

fuzz_target!(|input: &[u8]| {
    let Some(([buf_size, seed_lo, seed_hi, max_piece, max_message], stream)) = take::<5>(input)
    else {
        return;
    };
    let capacity = usize::from(buf_size) * 16;
    let max_message = match max_message {
        255 => usize::MAX,
        n => usize::from(n) * 16,
    };
    let whole = run(&[stream], max_message, capacity);
    let pieces = Splitter::new(u16::from_le_bytes([seed_lo, seed_hi]), max_piece).pieces(stream);
    let split = run(&pieces, max_message, capacity);
    assert_eq!(
        whole, split,
        "splitting the stream changed what it decodes to"
    );
    check_parse_frame(stream, max_message.min(capacity));
});

/// Feeds the pieces in order; returns the events and the error that ended the stream, if any.
fn run(pieces: &[&[u8]], max_message: usize, capacity: usize) -> (Vec<Owned>, Option<WsError>) {
    let mut decoder = Decoder::new(max_message);
    let mut buf = vec![0u8; capacity];
    let mut events = Vec::new();
    for piece in pieces {
        let mut pos = 0;
        let mut idle_events = 0;
        while pos < piece.len() {
            let closed = decoder.is_closed();
            let rest = &piece[pos..];
            match decoder.decode(rest, &mut buf) {
                Ok(Decoded { consumed, event }) => {
                    assert!(consumed <= rest.len(), "consumed more than given");
                    assert!(consumed > 0 || event.is_some(), "no progress");
                    idle_events = if consumed == 0 { idle_events + 1 } else { 0 };
                    assert!(idle_events < 2, "events without consuming input");
                    if let Some(event) = event {
                        if let Event::Message { data, .. } = event {
                            assert!(data.len() <= max_message.min(capacity));
                        }
                        events.push(own(event));
                    }
                    pos += consumed;
                }
                Err(error) => {
                    if closed {
                        assert_eq!(error, WsError::FrameAfterClose);
                    }
                    assert_eq!(decoder.decode(b"\x82\x00", &mut buf), Err(WsError::Failed));
                    return (events, Some(error));
                }
            }
        }
    }
    let closed = matches!(events.last(), Some(Owned::Close(..)));
    assert_eq!(decoder.is_closed(), closed);
    assert_eq!(
        decoder.decode(&[], &mut buf),
        Ok(Decoded {
            consumed: 0,
            event: None
        })
    );
    (events, None)
}

/// The stateless parser: a frame it returns lies within the input and matches its header, and
/// every shorter prefix of that frame asks for more bytes.
fn check_parse_frame(stream: &[u8], max_payload: usize) {
    let Ok(Some((frame, len))) = parse_frame(stream, max_payload) else {
        return;
    };
    let header = parse_frame_header(stream).unwrap().unwrap();
    assert_eq!(len, header.header_len + frame.payload.len());
    assert_eq!(header.payload_len, frame.payload.len() as u64);
    assert_eq!((header.fin, header.opcode), (frame.fin, frame.opcode));
    assert_eq!(&stream[header.header_len..len], frame.payload);
    for prefix in 0..len {
        assert_eq!(parse_frame(&stream[..prefix], max_payload), Ok(None));
    }
}
