//! Errors of the WebSocket frame codec.

use core::fmt;

use super::close::CloseCode;
use crate::wire::BufferTooSmall;

/// Why the server's byte stream was rejected. The connection must be failed: send a close with
/// [`WsError::close_code`] if possible, then drop the socket. The decoder stays failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum WsError {
    /// A server frame had the mask bit set (RFC 6455 §5.1: servers never mask).
    MaskedFrame,
    /// RSV1..3 set although no extension was negotiated.
    ReservedBits {
        /// The three bits, as in the first header byte (`0x70` mask).
        bits: u8,
    },
    /// An opcode RFC 6455 does not define.
    UnknownOpcode {
        /// The opcode.
        opcode: u8,
    },
    /// A control frame with more than 125 payload bytes.
    ControlFrameTooLarge {
        /// The declared payload length.
        length: u64,
    },
    /// A control frame without FIN.
    FragmentedControlFrame,
    /// A continuation frame with no fragmented message open.
    UnexpectedContinuation,
    /// A new text or binary frame while a fragmented message is still open.
    ExpectedContinuation,
    /// A frame or reassembled message longer than the configured maximum.
    MessageTooLarge {
        /// The declared length (of the message so far plus this frame).
        length: u64,
        /// The maximum.
        max: usize,
    },
    /// A payload length not written in the shortest form (RFC 6455 §5.2 requires it).
    NonMinimalLength,
    /// A 64-bit payload length with the most significant bit set.
    LengthTopBitSet,
    /// A text message that is not UTF-8.
    InvalidUtf8,
    /// A text message that is not standard base64 (the Alipay text form).
    InvalidBase64,
    /// A close frame with a one-byte payload.
    InvalidClosePayload,
    /// A close frame with a status code that may not be sent on the wire.
    InvalidCloseCode {
        /// The code.
        code: u16,
    },
    /// A close frame whose reason is not UTF-8.
    InvalidCloseReason,
    /// A frame arrived after the server's close frame.
    FrameAfterClose,
    /// The decoder failed earlier and accepts nothing more.
    Failed,
}

impl WsError {
    /// The status code to put in the close frame sent in reply (RFC 6455 §7.4.1).
    pub const fn close_code(&self) -> CloseCode {
        match self {
            Self::MessageTooLarge { .. } => CloseCode::MESSAGE_TOO_BIG,
            Self::InvalidUtf8 | Self::InvalidBase64 | Self::InvalidCloseReason => {
                CloseCode::INVALID_PAYLOAD
            }
            _ => CloseCode::PROTOCOL_ERROR,
        }
    }
}

impl fmt::Display for WsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MaskedFrame => f.write_str("masked frame from the server"),
            Self::ReservedBits { bits } => write!(f, "reserved bits {bits:#04x} set"),
            Self::UnknownOpcode { opcode } => write!(f, "unknown opcode {opcode:#x}"),
            Self::ControlFrameTooLarge { length } => {
                write!(f, "control frame of {length} bytes (max 125)")
            }
            Self::FragmentedControlFrame => f.write_str("fragmented control frame"),
            Self::UnexpectedContinuation => f.write_str("continuation frame without a message"),
            Self::ExpectedContinuation => {
                f.write_str("new data frame while a fragmented message is open")
            }
            Self::MessageTooLarge { length, max } => {
                write!(f, "message of {length} bytes exceeds the {max}-byte limit")
            }
            Self::NonMinimalLength => f.write_str("payload length not minimally encoded"),
            Self::LengthTopBitSet => f.write_str("64-bit payload length with the top bit set"),
            Self::InvalidUtf8 => f.write_str("text message is not UTF-8"),
            Self::InvalidBase64 => f.write_str("text message is not valid base64"),
            Self::InvalidClosePayload => f.write_str("close frame with a 1-byte payload"),
            Self::InvalidCloseCode { code } => write!(f, "invalid close code {code}"),
            Self::InvalidCloseReason => f.write_str("close reason is not UTF-8"),
            Self::FrameAfterClose => f.write_str("frame after the close frame"),
            Self::Failed => f.write_str("WebSocket decoder already failed"),
        }
    }
}

impl core::error::Error for WsError {}

/// Why a client frame could not be written. Nothing was written to the buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum EncodeError {
    /// The buffer is too small for the frame.
    BufferTooSmall(BufferTooSmall),
    /// In-place sealing: fewer bytes before the payload than the frame header needs.
    NoHeaderRoom {
        /// The header length needed.
        needed: usize,
        /// The bytes available before the payload.
        available: usize,
    },
    /// A control frame payload over 125 bytes.
    ControlPayloadTooLarge {
        /// The payload length.
        length: usize,
    },
    /// A close code that may not be sent (1005, 1006, 1015, or outside the valid ranges).
    InvalidCloseCode {
        /// The code.
        code: u16,
    },
    /// A close reason given without a close code.
    ReasonWithoutCode,
}

impl From<BufferTooSmall> for EncodeError {
    fn from(e: BufferTooSmall) -> Self {
        Self::BufferTooSmall(e)
    }
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::BufferTooSmall(e) => e.fmt(f),
            Self::NoHeaderRoom { needed, available } => write!(
                f,
                "frame header needs {needed} bytes before the payload, {available} available"
            ),
            Self::ControlPayloadTooLarge { length } => {
                write!(f, "control frame payload of {length} bytes (max 125)")
            }
            Self::InvalidCloseCode { code } => write!(f, "close code {code} may not be sent"),
            Self::ReasonWithoutCode => f.write_str("close reason without a close code"),
        }
    }
}

impl core::error::Error for EncodeError {}
