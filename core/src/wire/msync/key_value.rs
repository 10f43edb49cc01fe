//! `KeyValue`: typed attributes (message ext, command params, custom exts; PROTOCOL.md §6.13).

use core::fmt;

use super::ValueType;
use super::field::{FieldValue, Slot, decode_single, field_len, write_field};
use super::json_view::JsonObject;
use crate::wire::proto::{DecodeError, Field, Writer};

message! {
    /// One typed attribute (§6.13).
    KeyValue<'a> = "KeyValue" {
        /// The attribute name.
        1 => key: Option<&'a str>,
        /// How to read the value.
        2 => value_type("type"): Option<ValueType>,
        /// The value: one of fields 3 to 6.
        3 | 4 | 5 | 6 => value: Option<Value<'a>>,
    }
}

impl<'a> KeyValue<'a> {
    /// A `STRING` attribute.
    pub const fn string(key: &'a str, value: &'a str) -> Self {
        Self {
            key: Some(key),
            value_type: Some(ValueType::STRING),
            value: Some(Value::String(value)),
        }
    }

    /// An `INT` attribute.
    pub const fn int(key: &'a str, value: i64) -> Self {
        Self {
            key: Some(key),
            value_type: Some(ValueType::INT),
            value: Some(Value::Varint(value)),
        }
    }

    /// A `BOOL` attribute.
    pub const fn bool(key: &'a str, value: bool) -> Self {
        Self {
            key: Some(key),
            value_type: Some(ValueType::BOOL),
            value: Some(Value::Varint(value as i64)),
        }
    }

    /// A `DOUBLE` attribute.
    pub const fn double(key: &'a str, value: f64) -> Self {
        Self {
            key: Some(key),
            value_type: Some(ValueType::DOUBLE),
            value: Some(Value::Double(value)),
        }
    }
}

/// The `oneof value` of a [`KeyValue`]; the last one on the wire wins.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value<'a> {
    /// Field 3 `varint_value` (int64): BOOL 0/1, INT, UINT bit-cast, LLINT.
    Varint(i64),
    /// Field 4 `float_value`.
    Float(f32),
    /// Field 5 `double_value`.
    Double(f64),
    /// Field 6 `string_value`: STRING, JSON_STRING.
    String(&'a str),
}

impl Value<'_> {
    /// The field number and JSON name of this variant.
    const fn field(&self) -> (u32, &'static str) {
        match self {
            Self::Varint(_) => (3, "varint_value"),
            Self::Float(_) => (4, "float_value"),
            Self::Double(_) => (5, "double_value"),
            Self::String(_) => (6, "string_value"),
        }
    }

    /// Applies `f` to the variant's payload as a [`FieldValue`].
    fn with_field_value<R>(&self, f: impl FnOnce(&dyn ErasedField) -> R) -> R {
        match self {
            Self::Varint(v) => f(v),
            Self::Float(v) => f(v),
            Self::Double(v) => f(v),
            Self::String(v) => f(v),
        }
    }
}

/// The parts of [`FieldValue`] the oneof needs, in object-safe form.
trait ErasedField {
    fn len_as(&self, number: u32) -> usize;
    fn write_as(&self, number: u32, writer: &mut Writer<'_>);
    fn json(&self, out: &mut dyn fmt::Write) -> fmt::Result;
}

impl<'a, T: FieldValue<'a>> ErasedField for T {
    fn len_as(&self, number: u32) -> usize {
        field_len(number, self)
    }

    fn write_as(&self, number: u32, writer: &mut Writer<'_>) {
        write_field(number, self, writer);
    }

    fn json(&self, out: &mut dyn fmt::Write) -> fmt::Result {
        self.write_json(out)
    }
}

/// The oneof occupies fields 3 to 6; the number the table passes in is ignored.
impl<'a> Slot<'a> for Option<Value<'a>> {
    fn merge(&mut self, field: Field<'a>) -> Result<(), DecodeError> {
        *self = Some(match field.number {
            3 => Value::Varint(decode_single(field)?),
            4 => Value::Float(decode_single(field)?),
            5 => Value::Double(decode_single(field)?),
            _ => Value::String(decode_single(field)?),
        });
        Ok(())
    }

    fn field_len(&self, _number: u32) -> usize {
        self.map_or(0, |value| {
            value.with_field_value(|v| v.len_as(value.field().0))
        })
    }

    fn write_field(&self, _number: u32, writer: &mut Writer<'_>) {
        if let Some(value) = self {
            value.with_field_value(|v| v.write_as(value.field().0, writer));
        }
    }

    fn write_member(&self, _name: &str, object: &mut JsonObject<'_>) -> fmt::Result {
        match self {
            Some(value) => {
                let out = object.member(value.field().1)?;
                value.with_field_value(|v| v.json(out))
            }
            None => Ok(()),
        }
    }

    fn debug_value(&self) -> Option<&dyn fmt::Debug> {
        self.as_ref().map(|value| value as &dyn fmt::Debug)
    }
}
