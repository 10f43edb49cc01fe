//! The streaming decoder for server frames: fragment reassembly, control frames, Alipay text.
//!
//! Feed it received bytes in pieces of any size; it copies data payloads into a caller-owned
//! message buffer as they arrive (so the receive buffer only needs to hold one read) and keeps
//! control payloads (at most 125 bytes) in its own small buffer. It returns one [`Event`] at a
//! time together with the number of input bytes consumed; call again with the rest.

use super::base64_text::decode_in_place;
use super::close::{CloseFrame, parse_close_payload};
use super::error::WsError;
use super::frame::{
    FrameHeader, MAX_CONTROL_PAYLOAD, OpCode, parse_frame_header, server_header_len,
};

/// Which kind of data message arrived.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum MessageKind {
    /// A binary message: the bytes are the msync frame.
    Binary,
    /// A text message: its base64 text was decoded, the bytes are the msync frame.
    Text,
}

/// Something the server sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Event<'a> {
    /// A complete message: the msync bytes (text messages already base64-decoded).
    Message {
        /// How it was framed.
        kind: MessageKind,
        /// The msync bytes, in the caller's message buffer.
        data: &'a [u8],
    },
    /// A ping: answer with a pong carrying the same payload
    /// ([`encode_pong`](super::encode_pong)).
    Ping(&'a [u8]),
    /// A pong (unsolicited pongs are allowed and need no answer).
    Pong(&'a [u8]),
    /// The server's close frame: answer with a close (echo the code), then close the socket.
    /// The decoder accepts no further frames.
    Close(CloseFrame<'a>),
}

/// The result of one [`Decoder::decode`] call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Decoded<'a> {
    /// How many input bytes were used; pass the rest in the next call.
    pub consumed: usize,
    /// The event completed by those bytes, if any.
    pub event: Option<Event<'a>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Open,
    Closed,
    Failed,
}

/// The frame whose payload is being read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct InFrame {
    fin: bool,
    opcode: OpCode,
    remaining: usize,
}

/// What completed in [`Decoder::run`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Completed {
    Control(OpCode),
    Message { kind: MessageKind, len: usize },
}

/// The longest server frame header (no mask key).
const MAX_SERVER_HEADER_LEN: usize = 10;

/// Decodes the server's frames into messages and control events.
///
/// Rules enforced (each with its own [`WsError`]): no masked server frames, no reserved bits,
/// known opcodes only, control frames final and at most 125 bytes, continuations only inside a
/// fragmented message and no new message before it ends, minimal length encoding (RFC 6455
/// §5.2 "MUST"; this decoder is strict about it), 63-bit lengths, messages no longer than the
/// maximum (counted on the wire, i.e. base64 text before decoding), UTF-8 and base64 text.
/// After an error the decoder stays failed; [`reset`](Self::reset) it for a new connection.
#[derive(Clone, Debug)]
pub struct Decoder {
    max_message: usize,
    header: [u8; MAX_SERVER_HEADER_LEN],
    header_len: usize,
    frame: Option<InFrame>,
    message: Option<MessageKind>,
    message_len: usize,
    control: [u8; MAX_CONTROL_PAYLOAD],
    control_len: usize,
    state: State,
}

impl Decoder {
    /// A decoder accepting messages up to `max_message` bytes (and never more than the message
    /// buffer passed to [`decode`](Self::decode)).
    pub const fn new(max_message: usize) -> Self {
        Self {
            max_message,
            header: [0; MAX_SERVER_HEADER_LEN],
            header_len: 0,
            frame: None,
            message: None,
            message_len: 0,
            control: [0; MAX_CONTROL_PAYLOAD],
            control_len: 0,
            state: State::Open,
        }
    }

    /// Forgets all state, for a new connection.
    pub fn reset(&mut self) {
        *self = Self::new(self.max_message);
    }

    /// Whether the server's close frame has been received.
    pub fn is_closed(&self) -> bool {
        self.state == State::Closed
    }

    /// Whether a fragmented message is partly received.
    pub fn in_message(&self) -> bool {
        self.message.is_some()
    }

    /// Consumes bytes from `input` until one event completes or the input is used up.
    ///
    /// `message_buf` receives data payloads; pass the same buffer on every call (a fragmented
    /// message is assembled in it across calls). An event borrows either it or the decoder
    /// and is valid until the next call. Every call with non-empty input consumes at least one
    /// byte or returns an event.
    pub fn decode<'a>(
        &'a mut self,
        input: &[u8],
        message_buf: &'a mut [u8],
    ) -> Result<Decoded<'a>, WsError> {
        match self.state {
            State::Failed => return Err(WsError::Failed),
            State::Closed if !input.is_empty() => return self.fail(WsError::FrameAfterClose),
            State::Closed | State::Open => {}
        }
        let (consumed, completed) = match self.run(input, message_buf) {
            Ok(progress) => progress,
            Err(e) => return self.fail(e),
        };
        let event = match completed {
            None => None,
            Some(Completed::Message { kind, len }) => match message(kind, message_buf, len) {
                Ok(data) => Some(Event::Message { kind, data }),
                Err(e) => return self.fail(e),
            },
            Some(Completed::Control(opcode)) => {
                if opcode == OpCode::Close {
                    if let Err(e) = parse_close_payload(self.control_payload()) {
                        return self.fail(e);
                    }
                    self.state = State::Closed;
                }
                let payload = self.control_payload();
                Some(match opcode {
                    OpCode::Ping => Event::Ping(payload),
                    OpCode::Pong => Event::Pong(payload),
                    // Validated above; the fallback cannot be reached.
                    _ => Event::Close(parse_close_payload(payload).unwrap_or(CloseFrame {
                        code: None,
                        reason: "",
                    })),
                })
            }
        };
        Ok(Decoded { consumed, event })
    }

    fn fail<T>(&mut self, error: WsError) -> Result<T, WsError> {
        self.state = State::Failed;
        Err(error)
    }

    fn control_payload(&self) -> &[u8] {
        self.control.get(..self.control_len).unwrap_or_default()
    }

    /// Consumes input until an event completes; returns the bytes used and the event.
    fn run(
        &mut self,
        input: &[u8],
        message_buf: &mut [u8],
    ) -> Result<(usize, Option<Completed>), WsError> {
        let max = self.max_message.min(message_buf.len());
        let mut pos = 0;
        loop {
            let rest = input.get(pos..).unwrap_or_default();
            let Some(mut frame) = self.frame else {
                if rest.is_empty() {
                    return Ok((pos, None));
                }
                pos += self.take_header_bytes(rest);
                let header = self.header.get(..self.header_len).unwrap_or_default();
                let Some(header) = parse_frame_header(header)? else {
                    continue;
                };
                self.header_len = 0;
                let frame = self.start_frame(header, max)?;
                if frame.remaining == 0 {
                    if let Some(done) = self.end_frame(frame) {
                        return Ok((pos, Some(done)));
                    }
                } else {
                    self.frame = Some(frame);
                }
                continue;
            };
            if rest.is_empty() {
                return Ok((pos, None));
            }
            let take = frame.remaining.min(rest.len());
            let src = rest.get(..take).unwrap_or_default();
            let dst = if frame.opcode.is_control() {
                let start = self.control_len;
                self.control_len += take;
                self.control.get_mut(start..self.control_len)
            } else {
                let start = self.message_len;
                self.message_len += take;
                message_buf.get_mut(start..self.message_len)
            };
            let Some(dst) = dst else {
                return Err(WsError::MessageTooLarge {
                    length: self.message_len as u64,
                    max,
                });
            };
            dst.copy_from_slice(src);
            pos += take;
            frame.remaining -= take;
            if frame.remaining > 0 {
                self.frame = Some(frame);
                continue;
            }
            self.frame = None;
            if let Some(done) = self.end_frame(frame) {
                return Ok((pos, Some(done)));
            }
        }
    }

    /// Moves header bytes from `rest` into the header buffer, never past the header's end.
    fn take_header_bytes(&mut self, rest: &[u8]) -> usize {
        let needed = match self.header_len {
            0 | 1 => 2,
            _ => server_header_len(self.header[1] & 0x7f),
        };
        let take = needed.saturating_sub(self.header_len).min(rest.len());
        let end = self.header_len + take;
        if let (Some(dst), Some(src)) =
            (self.header.get_mut(self.header_len..end), rest.get(..take))
        {
            dst.copy_from_slice(src);
            self.header_len = end;
            take
        } else {
            0
        }
    }

    /// Applies the message-level rules to a new frame.
    fn start_frame(&mut self, header: FrameHeader, max: usize) -> Result<InFrame, WsError> {
        let opcode = header.opcode;
        if opcode.is_control() {
            self.control_len = 0;
        } else {
            match (opcode, self.message) {
                (OpCode::Continuation, None) => return Err(WsError::UnexpectedContinuation),
                (OpCode::Continuation, Some(_)) => {}
                (_, Some(_)) => return Err(WsError::ExpectedContinuation),
                (_, None) => {
                    self.message = Some(if opcode == OpCode::Text {
                        MessageKind::Text
                    } else {
                        MessageKind::Binary
                    });
                    self.message_len = 0;
                }
            }
            let total = (self.message_len as u64).saturating_add(header.payload_len);
            if total > max as u64 {
                return Err(WsError::MessageTooLarge { length: total, max });
            }
        }
        // Control payloads are at most 125 bytes and data payloads at most `max`, so this
        // conversion is exact.
        let remaining = usize::try_from(header.payload_len).unwrap_or(usize::MAX);
        Ok(InFrame {
            fin: header.fin,
            opcode,
            remaining,
        })
    }

    /// What a frame's end completes, if anything.
    fn end_frame(&mut self, frame: InFrame) -> Option<Completed> {
        if frame.opcode.is_control() {
            return Some(Completed::Control(frame.opcode));
        }
        if !frame.fin {
            return None;
        }
        let kind = self.message.take()?;
        Some(Completed::Message {
            kind,
            len: self.message_len,
        })
    }
}

/// The msync bytes of a complete message of `len` bytes in `buf`.
fn message(kind: MessageKind, buf: &mut [u8], len: usize) -> Result<&[u8], WsError> {
    let data = buf.get_mut(..len).unwrap_or_default();
    if kind == MessageKind::Binary {
        return Ok(data);
    }
    if core::str::from_utf8(data).is_err() {
        return Err(WsError::InvalidUtf8);
    }
    let decoded = decode_in_place(data).map_err(|_| WsError::InvalidBase64)?;
    Ok(data.get(..decoded).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use crate::wire::ws::close::CloseCode;
    use std::prelude::rust_2024::*;
    use std::vec;

    /// Decodes `input` fed in one piece; returns owned events.
    fn decode_all(
        decoder: &mut Decoder,
        buf: &mut [u8],
        input: &[u8],
    ) -> Result<Vec<String>, WsError> {
        let mut out = Vec::new();
        let mut pos = 0;
        while pos < input.len() {
            let d = decoder.decode(&input[pos..], buf)?;
            assert!(d.consumed > 0 || d.event.is_some());
            pos += d.consumed;
            if let Some(e) = d.event {
                out.push(std::format!("{e:?}"));
            }
        }
        Ok(out)
    }

    #[test]
    fn fragmented_with_interleaved_ping() {
        let mut d = Decoder::new(64);
        let mut buf = [0u8; 64];
        let input = b"\x02\x02ab\x89\x01p\x00\x01c\x80\x01d";
        let events = decode_all(&mut d, &mut buf, input).unwrap();
        assert_eq!(
            events,
            [
                "Ping([112])".to_string(),
                std::format!(
                    "{:?}",
                    Event::Message {
                        kind: MessageKind::Binary,
                        data: b"abcd"
                    }
                )
            ]
        );
    }

    #[test]
    fn alipay_text_message() {
        let mut d = Decoder::new(64);
        let mut buf = [0u8; 64];
        let mut input = vec![0x81, 20];
        input.extend_from_slice(b"QAFYAKABgaCAgKCr/vli");
        let got = d.decode(&input, &mut buf).unwrap();
        assert_eq!(got.consumed, 22);
        assert_eq!(
            got.event,
            Some(Event::Message {
                kind: MessageKind::Text,
                data: &[
                    0x40, 0x01, 0x58, 0x00, 0xa0, 0x01, 0x81, 0xa0, 0x80, 0x80, 0xa0, 0xab, 0xfe,
                    0xf9, 0x62
                ]
            })
        );
    }

    #[test]
    fn close_then_nothing_more() {
        let mut d = Decoder::new(64);
        let mut buf = [0u8; 64];
        let got = d.decode(b"\x88\x02\x03\xe8\x82\x00", &mut buf).unwrap();
        assert_eq!(got.consumed, 4);
        assert_eq!(
            got.event,
            Some(Event::Close(CloseFrame {
                code: Some(CloseCode::NORMAL),
                reason: ""
            }))
        );
        assert!(d.is_closed());
        assert_eq!(
            d.decode(b"\x82\x00", &mut buf),
            Err(WsError::FrameAfterClose)
        );
        assert_eq!(d.decode(b"", &mut buf), Err(WsError::Failed));
        d.reset();
        assert!(d.decode(b"\x82\x00", &mut buf).unwrap().event.is_some());
    }

    #[test]
    fn message_rules() {
        let cases: [(&[u8], WsError); 5] = [
            (b"\x00\x00", WsError::UnexpectedContinuation),
            (b"\x01\x00\x02\x00", WsError::ExpectedContinuation),
            (
                b"\x82\x7e\x00\x80",
                WsError::MessageTooLarge {
                    length: 128,
                    max: 64,
                },
            ),
            (b"\x81\x02\xc3\x28", WsError::InvalidUtf8),
            (b"\x81\x01Q", WsError::InvalidBase64),
        ];
        for (input, want) in cases {
            let mut d = Decoder::new(64);
            let mut buf = [0u8; 100];
            assert_eq!(
                decode_all(&mut d, &mut buf, input),
                Err(want),
                "{input:02x?}"
            );
        }
    }

    #[test]
    fn fragments_add_up_against_the_buffer_size() {
        let mut d = Decoder::new(1000);
        let mut buf = [0u8; 16];
        let input = [&b"\x02\x10"[..], &[0u8; 16], b"\x80\x01x"].concat();
        assert_eq!(
            decode_all(&mut d, &mut buf, &input),
            Err(WsError::MessageTooLarge {
                length: 17,
                max: 16
            })
        );
    }
}
