//! Protobuf wire-format primitives: varints, zigzag, tags, length-delimited fields, skipping,
//! and a bounds-checked writer.
//!
//! This is the layer under [`crate::wire::msync`]; it knows nothing about the msync schema.
//!
//! # Decoding
//!
//! [`Reader`] walks a message's bytes field by field ([`Reader::read_field`]) and hands out
//! [`Field`]s whose values ([`RawValue`]) borrow the input. Every length is checked against the
//! remaining input before it is used, so a truncated or hostile buffer yields a [`DecodeError`],
//! never a panic or an out-of-bounds read.
//!
//! - Varints are 1 to 10 bytes. A non-minimal encoding (`80 00` for 0) is accepted, as every
//!   protobuf implementation does; an 11th byte, or bits above 2^64 in the 10th, is
//!   [`DecodeError::VarintOverflow`].
//! - Field 0, field numbers above 2^29 - 1 and wire types 6 and 7 are rejected.
//! - Groups (wire types 3 and 4, deprecated proto2 syntax, unused by msync) are skipped without
//!   recursion: a depth counter finds the matching end-group tag, whose field number must equal
//!   the start-group's. An end-group tag with no group open is [`DecodeError::UnexpectedEndGroup`].
//!
//! # Encoding
//!
//! [`Encode`] is implemented by everything that can be serialized: `encoded_len` first, then
//! `encode_to` writes exactly that many bytes into a [`Writer`]. [`Encode::encode`] checks the
//! size up front and returns [`BufferTooSmall`] without touching the buffer when it does not fit.
//! Varints are always written minimally.

use core::fmt;

use crate::wire::BufferTooSmall;

/// The largest field number protobuf allows (2^29 - 1).
pub const MAX_FIELD_NUMBER: u32 = (1 << 29) - 1;

/// The most bytes a varint may occupy (a 64-bit value in groups of 7 bits).
pub const MAX_VARINT_LEN: usize = 10;

/// Why a protobuf or msync message could not be decoded (or its payload not inflated).
///
/// Every decoder in [`crate::wire::proto`] and [`crate::wire::msync`] reports one of these; none of
/// them is recoverable for the frame at hand (the session drops or rejects the frame).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum DecodeError {
    /// The input ended in the middle of a varint, a fixed-width value or a length-delimited field.
    Truncated,
    /// A varint ran past 10 bytes or past 64 bits.
    VarintOverflow,
    /// A tag carried wire type 6 or 7, which protobuf does not define.
    InvalidWireType(u8),
    /// A tag carried field number 0 or a number above [`MAX_FIELD_NUMBER`].
    InvalidFieldNumber(u64),
    /// A known field arrived with a wire type its schema type cannot have.
    WrongWireType {
        /// The field number.
        field: u32,
    },
    /// An end-group tag appeared with no group open, or closed a different group.
    UnexpectedEndGroup,
    /// A `string` field is not valid UTF-8.
    InvalidUtf8,
    /// A length does not fit in this platform's `usize`.
    LengthOverflow,
    /// `MSync.payload` is zlib-compressed (`compress_algorimth` 1); inflate it first.
    CompressedPayload,
    /// `MSync.compress_algorimth` names an algorithm other than none (0) or zlib (1).
    UnsupportedCompression(u32),
    /// The zlib stream is corrupt, truncated, or fails its Adler-32 check.
    InflateFailed,
    /// The inflated payload does not fit in the buffer the caller provided.
    InflateCapacity {
        /// The size of the caller's buffer.
        capacity: usize,
    },
    /// A bytes field holds a caller-built nested message rather than received bytes, so there is
    /// nothing to decode.
    PayloadNotRaw,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Truncated => f.write_str("message truncated"),
            Self::VarintOverflow => f.write_str("varint longer than 10 bytes or 64 bits"),
            Self::InvalidWireType(t) => write!(f, "invalid wire type {t}"),
            Self::InvalidFieldNumber(n) => write!(f, "invalid field number {n}"),
            Self::WrongWireType { field } => write!(f, "wrong wire type for field {field}"),
            Self::UnexpectedEndGroup => f.write_str("unexpected end-group tag"),
            Self::InvalidUtf8 => f.write_str("string field is not valid UTF-8"),
            Self::LengthOverflow => f.write_str("length does not fit in usize"),
            Self::CompressedPayload => f.write_str("payload is zlib-compressed; inflate it first"),
            Self::UnsupportedCompression(n) => write!(f, "unsupported compress_algorimth {n}"),
            Self::InflateFailed => f.write_str("zlib payload is corrupt"),
            Self::InflateCapacity { capacity } => {
                write!(f, "inflated payload exceeds the {capacity}-byte buffer")
            }
            Self::PayloadNotRaw => f.write_str("bytes field holds a nested message, not raw bytes"),
        }
    }
}

impl core::error::Error for DecodeError {}

/// How a field's value is laid out on the wire (the low three bits of a tag).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum WireType {
    /// A varint (`int32`, `uint64`, `bool`, enums, ...).
    Varint = 0,
    /// Eight little-endian bytes (`fixed64`, `double`, ...).
    I64 = 1,
    /// A varint length followed by that many bytes (strings, bytes, messages, packed repeats).
    Len = 2,
    /// Start of a group (deprecated).
    StartGroup = 3,
    /// End of a group (deprecated).
    EndGroup = 4,
    /// Four little-endian bytes (`fixed32`, `float`, ...).
    I32 = 5,
}

impl WireType {
    /// The wire type with this number, if protobuf defines one.
    pub const fn from_bits(bits: u8) -> Option<Self> {
        match bits {
            0 => Some(Self::Varint),
            1 => Some(Self::I64),
            2 => Some(Self::Len),
            3 => Some(Self::StartGroup),
            4 => Some(Self::EndGroup),
            5 => Some(Self::I32),
            _ => None,
        }
    }
}

/// A field key: field number and wire type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Tag {
    /// The field number, 1 ..= [`MAX_FIELD_NUMBER`].
    pub field: u32,
    /// How the value is encoded.
    pub wire_type: WireType,
}

impl Tag {
    /// The tag as the varint value that goes on the wire.
    pub const fn to_u64(self) -> u64 {
        ((self.field as u64) << 3) | self.wire_type as u64
    }

    /// Splits a tag varint, rejecting field 0, numbers above [`MAX_FIELD_NUMBER`] and wire types
    /// 6 and 7.
    pub const fn from_u64(value: u64) -> Result<Self, DecodeError> {
        let field = value >> 3;
        if field == 0 || field > MAX_FIELD_NUMBER as u64 {
            return Err(DecodeError::InvalidFieldNumber(field));
        }
        let bits = (value & 0x7) as u8;
        match WireType::from_bits(bits) {
            Some(wire_type) => Ok(Self {
                field: field as u32,
                wire_type,
            }),
            None => Err(DecodeError::InvalidWireType(bits)),
        }
    }
}

/// The number of bytes the minimal varint encoding of `value` takes (1 ..= 10).
pub const fn varint_len(value: u64) -> usize {
    // One byte per started group of 7 significant bits; zero still takes one byte.
    let bits = 64 - (value | 1).leading_zeros() as usize;
    bits.div_ceil(7)
}

/// Decodes a varint from the start of `bytes`: the value and the number of bytes it took.
pub fn decode_varint(bytes: &[u8]) -> Result<(u64, usize), DecodeError> {
    let mut value: u64 = 0;
    for (index, &byte) in bytes.iter().take(MAX_VARINT_LEN).enumerate() {
        let low = u64::from(byte & 0x7f);
        if index == MAX_VARINT_LEN - 1 && (byte & 0x80 != 0 || low > 1) {
            return Err(DecodeError::VarintOverflow);
        }
        value |= low << (7 * index);
        if byte & 0x80 == 0 {
            return Ok((value, index + 1));
        }
    }
    Err(DecodeError::Truncated)
}

/// Writes the minimal varint encoding of `value` into a 10-byte scratch array and returns the
/// used prefix length.
pub fn encode_varint(mut value: u64, out: &mut [u8; MAX_VARINT_LEN]) -> usize {
    let mut len = 0;
    for slot in out.iter_mut() {
        len += 1;
        if value < 0x80 {
            *slot = value as u8;
            break;
        }
        *slot = (value as u8 & 0x7f) | 0x80;
        value >>= 7;
    }
    len
}

/// Zigzag-encodes an `sint32` so that small magnitudes get short varints.
pub const fn zigzag_encode_32(value: i32) -> u32 {
    ((value << 1) ^ (value >> 31)) as u32
}

/// Inverse of [`zigzag_encode_32`].
pub const fn zigzag_decode_32(value: u32) -> i32 {
    ((value >> 1) as i32) ^ -((value & 1) as i32)
}

/// Zigzag-encodes an `sint64`.
pub const fn zigzag_encode_64(value: i64) -> u64 {
    ((value << 1) ^ (value >> 63)) as u64
}

/// Inverse of [`zigzag_encode_64`].
pub const fn zigzag_decode_64(value: u64) -> i64 {
    ((value >> 1) as i64) ^ -((value & 1) as i64)
}

/// A field's value as it was on the wire, borrowing the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RawValue<'a> {
    /// Wire type 0.
    Varint(u64),
    /// Wire type 1, already converted from little-endian.
    I64(u64),
    /// Wire type 2: the bytes after the length prefix.
    Len(&'a [u8]),
    /// Wire type 3: the bytes between the start-group and its matching end-group tag.
    Group(&'a [u8]),
    /// Wire type 5, already converted from little-endian.
    I32(u32),
}

impl RawValue<'_> {
    /// The wire type this value was read with.
    pub const fn wire_type(&self) -> WireType {
        match self {
            Self::Varint(_) => WireType::Varint,
            Self::I64(_) => WireType::I64,
            Self::Len(_) => WireType::Len,
            Self::Group(_) => WireType::StartGroup,
            Self::I32(_) => WireType::I32,
        }
    }
}

/// One field read by [`Reader::read_field`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Field<'a> {
    /// The field number.
    pub number: u32,
    /// The value.
    pub value: RawValue<'a>,
    /// The message bytes from this field's tag to the end of the message; repeated-field views
    /// start here.
    pub from_tag: &'a [u8],
}

/// A cursor over the fields of one message; every read is bounds-checked.
#[derive(Clone, Copy, Debug)]
pub struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    /// A reader over the encoded fields of one message.
    pub const fn new(bytes: &'a [u8]) -> Self {
        Self { rest: bytes }
    }

    /// True when every byte has been consumed.
    pub const fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    /// The bytes not yet consumed.
    pub const fn remaining(&self) -> &'a [u8] {
        self.rest
    }

    /// Reads one varint.
    pub fn read_varint(&mut self) -> Result<u64, DecodeError> {
        let (value, len) = decode_varint(self.rest)?;
        self.advance(len)?;
        Ok(value)
    }

    /// Reads one tag.
    pub fn read_tag(&mut self) -> Result<Tag, DecodeError> {
        Tag::from_u64(self.read_varint()?)
    }

    /// Reads `N` raw bytes.
    fn read_array<const N: usize>(&mut self) -> Result<[u8; N], DecodeError> {
        let (head, rest) = self
            .rest
            .split_first_chunk::<N>()
            .ok_or(DecodeError::Truncated)?;
        self.rest = rest;
        Ok(*head)
    }

    /// Reads a little-endian 32-bit value (wire type 5).
    pub fn read_fixed32(&mut self) -> Result<u32, DecodeError> {
        self.read_array().map(u32::from_le_bytes)
    }

    /// Reads a little-endian 64-bit value (wire type 1).
    pub fn read_fixed64(&mut self) -> Result<u64, DecodeError> {
        self.read_array().map(u64::from_le_bytes)
    }

    /// Reads a length prefix and the bytes it covers (wire type 2).
    pub fn read_len_delimited(&mut self) -> Result<&'a [u8], DecodeError> {
        let len = usize::try_from(self.read_varint()?).map_err(|_| DecodeError::LengthOverflow)?;
        let (value, rest) = self
            .rest
            .split_at_checked(len)
            .ok_or(DecodeError::Truncated)?;
        self.rest = rest;
        Ok(value)
    }

    /// Reads the value that follows `tag`. For a start-group tag this skips to the matching
    /// end-group tag; an end-group tag on its own is [`DecodeError::UnexpectedEndGroup`].
    pub fn read_value(&mut self, tag: Tag) -> Result<RawValue<'a>, DecodeError> {
        Ok(match tag.wire_type {
            WireType::Varint => RawValue::Varint(self.read_varint()?),
            WireType::I64 => RawValue::I64(self.read_fixed64()?),
            WireType::Len => RawValue::Len(self.read_len_delimited()?),
            WireType::I32 => RawValue::I32(self.read_fixed32()?),
            WireType::StartGroup => RawValue::Group(self.skip_group(tag.field)?),
            WireType::EndGroup => return Err(DecodeError::UnexpectedEndGroup),
        })
    }

    /// Skips a group body without recursion and returns it (without the end-group tag).
    fn skip_group(&mut self, field: u32) -> Result<&'a [u8], DecodeError> {
        let start = self.rest;
        let mut depth: usize = 0;
        loop {
            let body_len = start.len() - self.rest.len();
            let tag = self.read_tag()?;
            match tag.wire_type {
                WireType::StartGroup => depth = depth.saturating_add(1),
                WireType::EndGroup if depth == 0 => {
                    if tag.field != field {
                        return Err(DecodeError::UnexpectedEndGroup);
                    }
                    return start.get(..body_len).ok_or(DecodeError::Truncated);
                }
                WireType::EndGroup => depth -= 1,
                _ => {
                    self.read_value(tag)?;
                }
            }
        }
    }

    /// Reads the next field, or `None` at the end of the message.
    pub fn read_field(&mut self) -> Result<Option<Field<'a>>, DecodeError> {
        if self.rest.is_empty() {
            return Ok(None);
        }
        let from_tag = self.rest;
        let tag = self.read_tag()?;
        let value = self.read_value(tag)?;
        Ok(Some(Field {
            number: tag.field,
            value,
            from_tag,
        }))
    }

    fn advance(&mut self, len: usize) -> Result<(), DecodeError> {
        self.rest = self.rest.get(len..).ok_or(DecodeError::Truncated)?;
        Ok(())
    }
}

/// Writes an encoding into a caller's buffer.
///
/// The writer counts every byte it is given in [`Writer::position`] but stores only those that
/// fall inside its buffer: [`Encode::encode`] sizes the buffer exactly, so nothing is lost there,
/// and the crate uses windows on the output to compare or base64 a nested message in small
/// pieces without a temporary buffer.
#[derive(Debug)]
pub struct Writer<'b> {
    out: &'b mut [u8],
    /// Offset in the output stream of `out[0]`.
    window_start: usize,
    /// Bytes produced so far.
    position: usize,
}

impl<'b> Writer<'b> {
    /// A writer whose output starts at `out[0]`.
    pub const fn new(out: &'b mut [u8]) -> Self {
        Self {
            out,
            window_start: 0,
            position: 0,
        }
    }

    /// A writer that keeps only the output bytes `window_start .. window_start + out.len()`.
    pub(crate) const fn window(out: &'b mut [u8], window_start: usize) -> Self {
        Self {
            out,
            window_start,
            position: 0,
        }
    }

    /// The number of bytes written so far.
    pub const fn position(&self) -> usize {
        self.position
    }

    /// Appends raw bytes.
    pub fn put_slice(&mut self, bytes: &[u8]) {
        let skip = self.window_start.saturating_sub(self.position);
        let offset = self.position.saturating_sub(self.window_start);
        if let (Some(src), Some(dst)) = (bytes.get(skip..), self.out.get_mut(offset..)) {
            let n = src.len().min(dst.len());
            if let (Some(src), Some(dst)) = (src.get(..n), dst.get_mut(..n)) {
                dst.copy_from_slice(src);
            }
        }
        self.position = self.position.saturating_add(bytes.len());
    }

    /// Appends the minimal varint encoding of `value`.
    pub fn put_varint(&mut self, value: u64) {
        let mut scratch = [0; MAX_VARINT_LEN];
        let len = encode_varint(value, &mut scratch);
        self.put_slice(scratch.get(..len).unwrap_or_default());
    }

    /// Appends a tag.
    pub fn put_tag(&mut self, field: u32, wire_type: WireType) {
        self.put_varint(Tag { field, wire_type }.to_u64());
    }

    /// Appends a little-endian 32-bit value.
    pub fn put_fixed32(&mut self, value: u32) {
        self.put_slice(&value.to_le_bytes());
    }

    /// Appends a little-endian 64-bit value.
    pub fn put_fixed64(&mut self, value: u64) {
        self.put_slice(&value.to_le_bytes());
    }

    /// Appends a length prefix and `bytes`.
    pub fn put_len_delimited(&mut self, bytes: &[u8]) {
        self.put_varint(bytes.len() as u64);
        self.put_slice(bytes);
    }
}

/// Something that can be serialized in protobuf wire format.
///
/// Contract: `encode_to` writes exactly `encoded_len()` bytes. Both are deterministic, so a value
/// can be measured, then written, then measured again as part of an enclosing message.
pub trait Encode {
    /// The exact number of bytes [`Encode::encode_to`] writes.
    fn encoded_len(&self) -> usize;

    /// Writes the encoding into `writer`.
    fn encode_to(&self, writer: &mut Writer<'_>);

    /// Writes the encoding at the start of `out` and returns its length. If `out` is shorter
    /// than [`Encode::encoded_len`], returns [`BufferTooSmall`] with the size needed and leaves
    /// `out` untouched. To leave room for a header, pass a sub-slice (`&mut buf[header..]`).
    fn encode(&self, out: &mut [u8]) -> Result<usize, BufferTooSmall> {
        let needed = self.encoded_len();
        let dst = out.get_mut(..needed).ok_or(BufferTooSmall { needed })?;
        let mut writer = Writer::new(dst);
        self.encode_to(&mut writer);
        debug_assert_eq!(
            writer.position(),
            needed,
            "encoded_len disagrees with encode_to"
        );
        Ok(needed)
    }
}

/// The size of one windowed piece in [`encodings_equal`] and [`for_each_chunk`].
const CHUNK: usize = 48;

/// Calls `f` with consecutive pieces of `value`'s encoding (each [`CHUNK`] bytes, the last one
/// shorter), re-encoding into a small stack window: no buffer of the full size is needed.
pub(crate) fn for_each_chunk<E>(
    value: &dyn Encode,
    mut f: impl FnMut(&[u8]) -> Result<(), E>,
) -> Result<(), E> {
    let total = value.encoded_len();
    let mut start = 0;
    while start < total {
        let mut window = [0u8; CHUNK];
        let len = (total - start).min(CHUNK);
        let piece = window.get_mut(..len).unwrap_or_default();
        value.encode_to(&mut Writer::window(piece, start));
        f(piece)?;
        start += len;
    }
    Ok(())
}

/// True when two encoders produce the same bytes, compared piece by piece.
pub(crate) fn encodings_equal(a: &dyn Encode, b: &dyn Encode) -> bool {
    let total = a.encoded_len();
    if total != b.encoded_len() {
        return false;
    }
    let mut start = 0;
    while start < total {
        let (mut wa, mut wb) = ([0u8; CHUNK], [0u8; CHUNK]);
        a.encode_to(&mut Writer::window(&mut wa, start));
        b.encode_to(&mut Writer::window(&mut wb, start));
        if wa != wb {
            return false;
        }
        start += CHUNK;
    }
    true
}

/// Raw bytes encode as themselves (pre-encoded content).
impl Encode for &[u8] {
    fn encoded_len(&self) -> usize {
        self.len()
    }

    fn encode_to(&self, writer: &mut Writer<'_>) {
        writer.put_slice(self);
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use std::{vec, vec::Vec};

    use super::*;

    fn fields(bytes: &[u8]) -> Result<Vec<(u32, RawValue<'_>)>, DecodeError> {
        let mut reader = Reader::new(bytes);
        let mut out = Vec::new();
        while let Some(field) = reader.read_field()? {
            out.push((field.number, field.value));
        }
        Ok(out)
    }

    #[test]
    fn varint_lengths_one_to_ten() {
        for bits in 0..64 {
            let value = 1u64 << bits;
            let mut buf = [0; MAX_VARINT_LEN];
            let len = encode_varint(value, &mut buf);
            assert_eq!(len, varint_len(value));
            assert_eq!(len, bits / 7 + 1);
            assert_eq!(decode_varint(&buf[..len]), Ok((value, len)));
        }
        assert_eq!(varint_len(0), 1);
        assert_eq!(varint_len(u64::MAX), 10);
    }

    #[test]
    fn varint_max_is_ten_bytes_ending_in_one() {
        let bytes = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01];
        assert_eq!(decode_varint(&bytes), Ok((u64::MAX, 10)));
    }

    #[test]
    fn varint_eleventh_byte_is_overflow() {
        let bytes = [
            0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00,
        ];
        assert_eq!(decode_varint(&bytes), Err(DecodeError::VarintOverflow));
    }

    #[test]
    fn varint_tenth_byte_above_bit_64_is_overflow() {
        let bytes = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02];
        assert_eq!(decode_varint(&bytes), Err(DecodeError::VarintOverflow));
    }

    #[test]
    fn varint_non_minimal_is_accepted() {
        assert_eq!(decode_varint(&[0x80, 0x00]), Ok((0, 2)));
        assert_eq!(decode_varint(&[0x81, 0x80, 0x00]), Ok((1, 3)));
    }

    #[test]
    fn varint_truncated() {
        assert_eq!(decode_varint(&[]), Err(DecodeError::Truncated));
        assert_eq!(decode_varint(&[0x80, 0x80]), Err(DecodeError::Truncated));
    }

    #[test]
    fn zigzag_known_values() {
        assert_eq!(zigzag_encode_32(0), 0);
        assert_eq!(zigzag_encode_32(-1), 1);
        assert_eq!(zigzag_encode_32(1), 2);
        assert_eq!(zigzag_encode_32(i32::MIN), u32::MAX);
        assert_eq!(zigzag_encode_64(i64::MAX), u64::MAX - 1);
        assert_eq!(zigzag_decode_64(u64::MAX), i64::MIN);
        assert_eq!(zigzag_decode_32(3), -2);
    }

    #[test]
    fn tag_rejects_field_zero_and_bad_wire_types() {
        assert_eq!(Tag::from_u64(0x02), Err(DecodeError::InvalidFieldNumber(0)));
        assert_eq!(Tag::from_u64(0x0e), Err(DecodeError::InvalidWireType(6)));
        assert_eq!(Tag::from_u64(0x0f), Err(DecodeError::InvalidWireType(7)));
        let too_big = (u64::from(MAX_FIELD_NUMBER) + 1) << 3;
        assert_eq!(
            Tag::from_u64(too_big),
            Err(DecodeError::InvalidFieldNumber(
                u64::from(MAX_FIELD_NUMBER) + 1
            ))
        );
        let max = Tag {
            field: MAX_FIELD_NUMBER,
            wire_type: WireType::I32,
        };
        assert_eq!(Tag::from_u64(max.to_u64()), Ok(max));
    }

    #[test]
    fn reads_every_wire_type() {
        // 1: varint 150, 2: fixed64, 3: "hi", 4: group { 1: varint 1 }, 5: fixed32
        let bytes = [
            0x08, 0x96, 0x01, // field 1 varint
            0x11, 1, 2, 3, 4, 5, 6, 7, 8, // field 2 fixed64
            0x1a, 0x02, b'h', b'i', // field 3 len
            0x23, 0x08, 0x01, 0x24, // field 4 group
            0x2d, 9, 0, 0, 0, // field 5 fixed32
        ];
        assert_eq!(
            fields(&bytes),
            Ok(vec![
                (1, RawValue::Varint(150)),
                (2, RawValue::I64(0x0807_0605_0403_0201)),
                (3, RawValue::Len(b"hi")),
                (4, RawValue::Group(&[0x08, 0x01])),
                (5, RawValue::I32(9)),
            ])
        );
    }

    #[test]
    fn nested_groups_are_skipped_iteratively() {
        // field 1 group { field 2 group { field 3 varint 7 } } then field 4 varint 1
        let bytes = [0x0b, 0x13, 0x18, 0x07, 0x14, 0x0c, 0x20, 0x01];
        let got = fields(&bytes).unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(got[1], (4, RawValue::Varint(1)));
    }

    #[test]
    fn deep_groups_do_not_recurse() {
        let depth = 100_000;
        let mut bytes = vec![0x0b; depth];
        bytes.extend(std::iter::repeat_n(0x0c, depth));
        assert_eq!(fields(&bytes).unwrap().len(), 1);
    }

    #[test]
    fn mismatched_or_stray_end_group_is_rejected() {
        assert_eq!(fields(&[0x0b, 0x14]), Err(DecodeError::UnexpectedEndGroup));
        assert_eq!(fields(&[0x0c]), Err(DecodeError::UnexpectedEndGroup));
        assert_eq!(fields(&[0x0b, 0x08, 0x01]), Err(DecodeError::Truncated));
    }

    #[test]
    fn length_past_the_end_is_truncated() {
        assert_eq!(fields(&[0x0a, 0x05, 1, 2]), Err(DecodeError::Truncated));
        assert_eq!(fields(&[0x09, 1, 2, 3]), Err(DecodeError::Truncated));
        assert_eq!(fields(&[0x0d, 1, 2, 3]), Err(DecodeError::Truncated));
        // A length near u64::MAX must not wrap around.
        let mut huge = vec![0x0a];
        huge.extend([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
        assert!(matches!(
            fields(&huge),
            Err(DecodeError::Truncated | DecodeError::LengthOverflow)
        ));
    }

    #[test]
    fn writer_window_keeps_only_its_range() {
        let mut window = [0u8; 3];
        let mut writer = Writer::window(&mut window, 2);
        writer.put_slice(&[1, 2, 3]);
        writer.put_slice(&[4, 5, 6]);
        assert_eq!(writer.position(), 6);
        assert_eq!(window, [3, 4, 5]);
    }

    #[test]
    fn encode_too_small_leaves_buffer_untouched() {
        let value: &[u8] = &[1, 2, 3, 4];
        assert_eq!(value.encoded_len(), 4);
        let mut out = [0xaa; 3];
        assert_eq!(value.encode(&mut out), Err(BufferTooSmall { needed: 4 }));
        assert_eq!(out, [0xaa; 3]);
        let mut out = [0; 5];
        assert_eq!(value.encode(&mut out), Ok(4));
        assert_eq!(out, [1, 2, 3, 4, 0]);
    }

    #[test]
    fn chunked_comparison() {
        let a: Vec<u8> = (0..=200).collect();
        let mut b = a.clone();
        assert!(encodings_equal(&a.as_slice(), &b.as_slice()));
        b[150] ^= 1;
        assert!(!encodings_equal(&a.as_slice(), &b.as_slice()));
        assert!(!encodings_equal(&a.as_slice(), &&a[..10]));
        let mut collected = Vec::new();
        for_each_chunk::<()>(&a.as_slice(), |piece| {
            collected.extend_from_slice(piece);
            Ok(())
        })
        .unwrap();
        assert_eq!(collected, a);
    }
}
