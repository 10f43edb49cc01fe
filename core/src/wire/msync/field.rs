//! How one field value is decoded, encoded and shown as JSON, for every schema type.
//!
//! [`FieldValue`] maps a Rust type to its protobuf type: `u64` is `uint64`, `u32` is `uint32`,
//! `i32` is `int32`, `i64` is `int64`, `bool`, `f32` is `float`, `f64` is `double`, `&str` is
//! `string`, `&[u8]` and [`Bytes`](super::Bytes) are `bytes`; enums and messages implement it
//! through their macros. The (crate-internal) `Slot` trait lifts that to a field of a message:
//! `Option<T>` for an optional field, [`Repeated`](super::Repeated) for a repeated one.

use core::fmt;

use super::json_view::{self, JsonObject};
use crate::wire::proto::{DecodeError, Field, RawValue, WireType, Writer, varint_len};

/// A value that can sit in a message field: a scalar, a string, bytes, an enum or a message.
///
/// Implemented for the schema's scalar types and by every type in [`crate::wire::msync`]; the
/// encoders and decoders of the messages are generic over it.
pub trait FieldValue<'a>: Sized + Copy + fmt::Debug {
    /// The wire type the value is written with.
    const WIRE_TYPE: WireType;

    /// Converts a raw value read from the wire (validating strings and nested messages).
    fn from_raw(raw: RawValue<'a>) -> Result<Self, DecodeError>;

    /// Encoded size of the value alone: no tag and, for length-delimited types, no length prefix.
    fn value_len(&self) -> usize;

    /// Writes the value alone (see [`FieldValue::value_len`]).
    fn write_value(&self, writer: &mut Writer<'_>);

    /// Writes the value in the JSON view (see [`crate::wire::msync::json_view`]).
    fn write_json(&self, out: &mut dyn fmt::Write) -> fmt::Result;
}

/// A decoded msync message type: its schema name and its decoder.
pub trait Message<'a>: FieldValue<'a> {
    /// The message's name in the schema (`"CommSyncDL"`), used as the key in payload views.
    const NAME: &'static str;

    /// Decodes and validates the message; the same as the type's inherent `decode`.
    fn decode(bytes: &'a [u8]) -> Result<Self, DecodeError>;
}

fn wrong_kind() -> DecodeError {
    // `Slot` checks wire types before calling `from_raw`, so this only reports misuse.
    DecodeError::WrongWireType { field: 0 }
}

macro_rules! varint_value {
    ($ty:ty, |$v:ident| $from:expr, |$s:ident| $to:expr, |$j:ident, $o:ident| $json:expr) => {
        impl<'a> FieldValue<'a> for $ty {
            const WIRE_TYPE: WireType = WireType::Varint;

            fn from_raw(raw: RawValue<'a>) -> Result<Self, DecodeError> {
                match raw {
                    // Truncation to the field's width is the protobuf rule for narrower types.
                    RawValue::Varint($v) => Ok($from),
                    _ => Err(wrong_kind()),
                }
            }

            fn value_len(&self) -> usize {
                let $s = *self;
                varint_len($to)
            }

            fn write_value(&self, writer: &mut Writer<'_>) {
                let $s = *self;
                writer.put_varint($to);
            }

            fn write_json(&self, $o: &mut dyn fmt::Write) -> fmt::Result {
                let $j = *self;
                $json
            }
        }
    };
}

// 64-bit integers are JSON strings (they exceed 2^53); 32-bit ones are numbers.
varint_value!(u64, |v| v, |s| s, |j, o| write!(o, "\"{j}\""));
varint_value!(i64, |v| v as i64, |s| s as u64, |j, o| write!(o, "\"{j}\""));
varint_value!(u32, |v| v as u32, |s| u64::from(s), |j, o| write!(o, "{j}"));
// Negative `int32` values are sign-extended to ten bytes, as protobuf requires.
varint_value!(i32, |v| v as i32, |s| i64::from(s) as u64, |j, o| write!(
    o,
    "{j}"
));
varint_value!(bool, |v| v != 0, |s| u64::from(s), |j, o| write!(o, "{j}"));

/// Writes a float as a JSON number, or as the protobuf JSON strings for non-finite values.
fn write_float_json(
    out: &mut dyn fmt::Write,
    value: f64,
    display: &dyn fmt::Display,
) -> fmt::Result {
    if value.is_nan() {
        out.write_str("\"NaN\"")
    } else if value.is_infinite() {
        out.write_str(if value > 0.0 {
            "\"Infinity\""
        } else {
            "\"-Infinity\""
        })
    } else {
        write!(out, "{display}")
    }
}

macro_rules! float_value {
    ($ty:ty, $wire:ident, $put:ident, $len:literal) => {
        impl<'a> FieldValue<'a> for $ty {
            const WIRE_TYPE: WireType = WireType::$wire;

            fn from_raw(raw: RawValue<'a>) -> Result<Self, DecodeError> {
                match raw {
                    RawValue::$wire(bits) => Ok(<$ty>::from_bits(bits)),
                    _ => Err(wrong_kind()),
                }
            }

            fn value_len(&self) -> usize {
                $len
            }

            fn write_value(&self, writer: &mut Writer<'_>) {
                writer.$put(self.to_bits());
            }

            fn write_json(&self, out: &mut dyn fmt::Write) -> fmt::Result {
                write_float_json(out, f64::from(*self), self)
            }
        }
    };
}

float_value!(f32, I32, put_fixed32, 4);
float_value!(f64, I64, put_fixed64, 8);

impl<'a> FieldValue<'a> for &'a str {
    const WIRE_TYPE: WireType = WireType::Len;

    fn from_raw(raw: RawValue<'a>) -> Result<Self, DecodeError> {
        match raw {
            RawValue::Len(bytes) => {
                core::str::from_utf8(bytes).map_err(|_| DecodeError::InvalidUtf8)
            }
            _ => Err(wrong_kind()),
        }
    }

    fn value_len(&self) -> usize {
        self.len()
    }

    fn write_value(&self, writer: &mut Writer<'_>) {
        writer.put_slice(self.as_bytes());
    }

    fn write_json(&self, out: &mut dyn fmt::Write) -> fmt::Result {
        json_view::write_json_string(out, self)
    }
}

impl<'a> FieldValue<'a> for &'a [u8] {
    const WIRE_TYPE: WireType = WireType::Len;

    fn from_raw(raw: RawValue<'a>) -> Result<Self, DecodeError> {
        match raw {
            RawValue::Len(bytes) => Ok(bytes),
            _ => Err(wrong_kind()),
        }
    }

    fn value_len(&self) -> usize {
        self.len()
    }

    fn write_value(&self, writer: &mut Writer<'_>) {
        writer.put_slice(self);
    }

    fn write_json(&self, out: &mut dyn fmt::Write) -> fmt::Result {
        json_view::write_base64(out, self)
    }
}

/// Encoded size of one field: tag, length prefix where the wire type has one, and value.
pub(crate) fn field_len<'a, T: FieldValue<'a>>(number: u32, value: &T) -> usize {
    let tag_len = varint_len(u64::from(number) << 3);
    let value_len = value.value_len();
    let prefix_len = match T::WIRE_TYPE {
        WireType::Len => varint_len(value_len as u64),
        _ => 0,
    };
    tag_len + prefix_len + value_len
}

/// Writes one field: tag, length prefix where the wire type has one, and value.
pub(crate) fn write_field<'a, T: FieldValue<'a>>(number: u32, value: &T, writer: &mut Writer<'_>) {
    writer.put_tag(number, T::WIRE_TYPE);
    if T::WIRE_TYPE == WireType::Len {
        writer.put_varint(value.value_len() as u64);
    }
    value.write_value(writer);
}

/// Converts a field's value after checking that its wire type is the one `T` is written with.
pub(crate) fn decode_single<'a, T: FieldValue<'a>>(field: Field<'a>) -> Result<T, DecodeError> {
    if field.value.wire_type() != T::WIRE_TYPE {
        return Err(DecodeError::WrongWireType {
            field: field.number,
        });
    }
    T::from_raw(field.value)
}

/// A field's "absent" value, usable in constants.
pub trait Empty {
    /// No value / no element.
    const EMPTY: Self;
}

impl<T> Empty for Option<T> {
    const EMPTY: Self = None;
}

/// Stands in for a secret in `Debug` output.
pub(crate) struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// One field of a message: how it absorbs wire fields and writes itself out.
pub(crate) trait Slot<'a> {
    /// Absorbs one occurrence of the field (the last occurrence of a singular field wins).
    fn merge(&mut self, field: Field<'a>) -> Result<(), DecodeError>;

    /// Encoded size of the field (all its tags included); 0 when absent.
    fn field_len(&self, number: u32) -> usize;

    /// Writes the field when present.
    fn write_field(&self, number: u32, writer: &mut Writer<'_>);

    /// Writes `"name":value` into a JSON object when present.
    fn write_member(&self, name: &str, object: &mut JsonObject<'_>) -> fmt::Result;

    /// The value to show in `Debug`, or `None` when absent.
    fn debug_value(&self) -> Option<&dyn fmt::Debug>;
}

impl<'a, T: FieldValue<'a>> Slot<'a> for Option<T> {
    fn merge(&mut self, field: Field<'a>) -> Result<(), DecodeError> {
        *self = Some(decode_single(field)?);
        Ok(())
    }

    fn field_len(&self, number: u32) -> usize {
        self.as_ref().map_or(0, |value| field_len(number, value))
    }

    fn write_field(&self, number: u32, writer: &mut Writer<'_>) {
        if let Some(value) = self {
            write_field(number, value, writer);
        }
    }

    fn write_member(&self, name: &str, object: &mut JsonObject<'_>) -> fmt::Result {
        match self {
            Some(value) => value.write_json(object.member(name)?),
            None => Ok(()),
        }
    }

    fn debug_value(&self) -> Option<&dyn fmt::Debug> {
        self.as_ref().map(|value| value as &dyn fmt::Debug)
    }
}
