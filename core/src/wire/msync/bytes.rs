//! `bytes` fields that carry an encoded message: received bytes, or a message to embed.

use core::fmt;

use super::field::FieldValue;
use super::json_view;
use crate::wire::proto::{DecodeError, Encode, RawValue, WireType, Writer, encodings_equal};

/// The content of a `bytes` field that carries another encoding (`MSync.payload`,
/// `Meta.payload`, `Provision.auth_token`).
///
/// Decoders produce [`Bytes::Raw`]. An encoder can embed a message directly with
/// [`Bytes::Nested`]: it is serialized in place, inside the enclosing frame, so a whole
/// `SYNC{CommSyncUL{Meta{payload = MessageBody}}}` frame is written into one buffer with no
/// temporary one.
///
/// Equality compares encodings (a nested message equals the raw bytes it encodes to). `Debug`
/// shows only the length, since these fields can carry tokens.
#[derive(Clone, Copy)]
pub enum Bytes<'a> {
    /// Bytes as received, or pre-encoded by the caller.
    Raw(&'a [u8]),
    /// A value serialized when the enclosing message is encoded.
    Nested(&'a (dyn Encode + Sync)),
}

impl<'a> Bytes<'a> {
    /// The bytes, when they are raw (always the case for decoded messages).
    pub fn as_raw(&self) -> Option<&'a [u8]> {
        match *self {
            Self::Raw(bytes) => Some(bytes),
            Self::Nested(_) => None,
        }
    }

    /// The raw bytes, or [`DecodeError::PayloadNotRaw`] for a nested value.
    pub fn raw(&self) -> Result<&'a [u8], DecodeError> {
        self.as_raw().ok_or(DecodeError::PayloadNotRaw)
    }

    /// The encoded length.
    pub fn len(&self) -> usize {
        self.encoded_len()
    }

    /// True when the encoding is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl<'a> From<&'a [u8]> for Bytes<'a> {
    fn from(bytes: &'a [u8]) -> Self {
        Self::Raw(bytes)
    }
}

impl<'a> From<&'a str> for Bytes<'a> {
    fn from(text: &'a str) -> Self {
        Self::Raw(text.as_bytes())
    }
}

impl Encode for Bytes<'_> {
    fn encoded_len(&self) -> usize {
        match self {
            Self::Raw(bytes) => bytes.len(),
            Self::Nested(value) => value.encoded_len(),
        }
    }

    fn encode_to(&self, writer: &mut Writer<'_>) {
        match self {
            Self::Raw(bytes) => writer.put_slice(bytes),
            Self::Nested(value) => value.encode_to(writer),
        }
    }
}

impl PartialEq for Bytes<'_> {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Self::Raw(a), Self::Raw(b)) => a == b,
            _ => encodings_equal(self, other),
        }
    }
}

impl fmt::Debug for Bytes<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Raw(bytes) => write!(f, "Bytes({} bytes)", bytes.len()),
            Self::Nested(value) => write!(f, "Bytes(nested, {} bytes)", value.encoded_len()),
        }
    }
}

impl<'a> FieldValue<'a> for Bytes<'a> {
    const WIRE_TYPE: WireType = WireType::Len;

    fn from_raw(raw: RawValue<'a>) -> Result<Self, DecodeError> {
        <&'a [u8]>::from_raw(raw).map(Self::Raw)
    }

    fn value_len(&self) -> usize {
        self.encoded_len()
    }

    fn write_value(&self, writer: &mut Writer<'_>) {
        self.encode_to(writer);
    }

    fn write_json(&self, out: &mut dyn fmt::Write) -> fmt::Result {
        json_view::write_base64_of(out, self)
    }
}
