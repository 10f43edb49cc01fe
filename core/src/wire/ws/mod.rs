//! WebSocket (RFC 6455), client side, as the msync gateways speak it (PROTOCOL.md §5).
//!
//! - Handshake: [`write_handshake_request`] and [`check_handshake_response`] (no subprotocol,
//!   no extension, `content-type: application/json` by default).
//! - Sending: every client frame is final and masked with a fresh key from the injected RNG
//!   ([`mask_key`]); binary frames carry msync bytes, text frames carry their base64 (the
//!   Alipay form, [`encode_base64_text_frame`]). The `seal_*` functions frame a payload that
//!   was written in place in the transmit buffer.
//! - Receiving: [`Decoder`] turns the server's bytes, split anywhere, into [`Event`]s:
//!   complete messages (binary, or base64 text already decoded), pings (answer with
//!   [`encode_pong`]), pongs and the close frame (answer with [`encode_close`]).
//!
//! Fragmented sending, extensions and subprotocols are not implemented (the protocol uses
//! none of them).

mod base64_text;
mod close;
mod decoder;
mod encode;
mod error;
mod frame;
mod handshake;

pub use base64_text::base64_len;
pub use close::{CloseCode, CloseFrame};
pub use decoder::{Decoded, Decoder, Event, MessageKind};
pub use encode::{
    encode_base64_text_frame, encode_close, encode_frame, encode_pong, seal_base64_text_frame,
    seal_frame,
};
pub use error::{EncodeError, WsError};
pub use frame::{
    Frame, FrameHeader, MAX_CLIENT_HEADER_LEN, MAX_CONTROL_PAYLOAD, OpCode, apply_mask,
    client_header_len, mask_key, parse_frame, parse_frame_header,
};
pub use handshake::{
    DEFAULT_HANDSHAKE_HEADERS, HandshakeError, HandshakeRequest, HandshakeStatus,
    MAX_HANDSHAKE_RESPONSE, WEBSOCKET_GUID, accept_value, check_handshake_response, handshake_key,
    write_handshake_request,
};
