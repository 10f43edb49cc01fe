//! Repeated fields: a caller's slice when encoding, a lazily decoded view when decoding.

use core::fmt;

use super::field::{Empty, FieldValue, Slot, decode_single, field_len, write_field};
use super::json_view::JsonObject;
use crate::wire::proto::{DecodeError, Field, RawValue, Reader, WireType, Writer};

/// The elements of a repeated field.
///
/// Built by the caller from a slice ([`Repeated::from_slice`], or `From<&[T]>`), or produced by a
/// decoder as a view over the received message: then [`Repeated::iter`] decodes the elements
/// lazily from the raw bytes, in wire order, accepting packed and unpacked forms. The decoder
/// validated every element already, so the iterator cannot fail; [`Repeated::len`] is known
/// without iterating.
pub struct Repeated<'a, T> {
    repr: Repr<'a, T>,
}

enum Repr<'a, T> {
    Slice(&'a [T]),
    /// The message bytes from the field's first tag to the end of the message.
    Raw {
        bytes: &'a [u8],
        field: u32,
        len: usize,
    },
}

impl<'a, T> Repeated<'a, T> {
    /// No elements.
    pub const EMPTY: Self = Self {
        repr: Repr::Slice(&[]),
    };

    /// The elements of `values`, in order.
    pub const fn from_slice(values: &'a [T]) -> Self {
        Self {
            repr: Repr::Slice(values),
        }
    }

    /// The number of elements.
    pub const fn len(&self) -> usize {
        match self.repr {
            Repr::Slice(values) => values.len(),
            Repr::Raw { len, .. } => len,
        }
    }

    /// True when the field has no element (it is then absent from the wire).
    pub const fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl<'a, T: FieldValue<'a>> Repeated<'a, T> {
    /// The elements, in order.
    pub fn iter(&self) -> Iter<'a, T> {
        let repr = match self.repr {
            Repr::Slice(values) => IterRepr::Slice(values.iter()),
            Repr::Raw { bytes, field, len } => IterRepr::Raw {
                fields: Reader::new(bytes),
                packed: Reader::new(&[]),
                field,
                remaining: len,
            },
        };
        Iter { repr }
    }

    /// The first element, if any.
    pub fn first(&self) -> Option<T> {
        self.iter().next()
    }
}

impl<T> Clone for Repeated<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Repeated<'_, T> {}

impl<T> Clone for Repr<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Repr<'_, T> {}

impl<T> Default for Repeated<'_, T> {
    fn default() -> Self {
        Self::EMPTY
    }
}

impl<T> Empty for Repeated<'_, T> {
    const EMPTY: Self = Self::EMPTY;
}

impl<'a, T> From<&'a [T]> for Repeated<'a, T> {
    fn from(values: &'a [T]) -> Self {
        Self::from_slice(values)
    }
}

impl<'a, T, const N: usize> From<&'a [T; N]> for Repeated<'a, T> {
    fn from(values: &'a [T; N]) -> Self {
        Self::from_slice(values)
    }
}

/// Element-wise: a decoded view equals a slice with the same elements.
impl<'a, T: FieldValue<'a> + PartialEq> PartialEq for Repeated<'a, T> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl<'a, T: FieldValue<'a>> fmt::Debug for Repeated<'a, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<'a, T: FieldValue<'a>> IntoIterator for Repeated<'a, T> {
    type Item = T;
    type IntoIter = Iter<'a, T>;

    fn into_iter(self) -> Iter<'a, T> {
        self.iter()
    }
}

impl<'a, T: FieldValue<'a>> IntoIterator for &Repeated<'a, T> {
    type Item = T;
    type IntoIter = Iter<'a, T>;

    fn into_iter(self) -> Iter<'a, T> {
        self.iter()
    }
}

/// Iterator over a [`Repeated`] field's elements.
pub struct Iter<'a, T> {
    repr: IterRepr<'a, T>,
}

enum IterRepr<'a, T> {
    Slice(core::slice::Iter<'a, T>),
    Raw {
        fields: Reader<'a>,
        /// The rest of a packed run being read.
        packed: Reader<'a>,
        field: u32,
        remaining: usize,
    },
}

impl<'a, T: FieldValue<'a>> Iterator for Iter<'a, T> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        match &mut self.repr {
            IterRepr::Slice(values) => values.next().copied(),
            IterRepr::Raw {
                fields,
                packed,
                field,
                remaining,
            } => {
                let value = next_raw::<T>(fields, packed, *field, *remaining);
                // Validation at decode time makes `None` unreachable before `remaining` is 0;
                // stopping for good keeps the iterator fused either way.
                *remaining = if value.is_some() {
                    remaining.saturating_sub(1)
                } else {
                    0
                };
                value
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let len = match &self.repr {
            IterRepr::Slice(values) => values.len(),
            IterRepr::Raw { remaining, .. } => *remaining,
        };
        (len, Some(len))
    }
}

impl<'a, T: FieldValue<'a>> ExactSizeIterator for Iter<'a, T> {}

impl<'a, T: FieldValue<'a>> core::iter::FusedIterator for Iter<'a, T> {}

fn next_raw<'a, T: FieldValue<'a>>(
    fields: &mut Reader<'a>,
    packed: &mut Reader<'a>,
    number: u32,
    remaining: usize,
) -> Option<T> {
    if remaining == 0 {
        return None;
    }
    loop {
        if !packed.is_empty() {
            return read_packed(packed).ok();
        }
        let field = fields.read_field().ok()??;
        if field.number != number {
            continue;
        }
        match field.value {
            RawValue::Len(bytes) if T::WIRE_TYPE != WireType::Len => *packed = Reader::new(bytes),
            value => return T::from_raw(value).ok(),
        }
    }
}

/// Reads one element of a packed run of varints or fixed-width values.
fn read_packed<'a, T: FieldValue<'a>>(packed: &mut Reader<'a>) -> Result<T, DecodeError> {
    let raw = match T::WIRE_TYPE {
        WireType::Varint => RawValue::Varint(packed.read_varint()?),
        WireType::I32 => RawValue::I32(packed.read_fixed32()?),
        WireType::I64 => RawValue::I64(packed.read_fixed64()?),
        // Only scalars can be packed; the caller checked.
        _ => return Err(DecodeError::WrongWireType { field: 0 }),
    };
    T::from_raw(raw)
}

impl<'a, T: FieldValue<'a>> Slot<'a> for Repeated<'a, T> {
    fn merge(&mut self, field: Field<'a>) -> Result<(), DecodeError> {
        let added = match field.value {
            RawValue::Len(bytes) if T::WIRE_TYPE != WireType::Len => {
                let mut packed = Reader::new(bytes);
                let mut count: usize = 0;
                while !packed.is_empty() {
                    read_packed::<T>(&mut packed)?;
                    count = count.saturating_add(1);
                }
                count
            }
            _ => {
                decode_single::<T>(field)?;
                1
            }
        };
        match &mut self.repr {
            Repr::Raw { len, .. } => *len = len.saturating_add(added),
            Repr::Slice(_) => {
                self.repr = Repr::Raw {
                    bytes: field.from_tag,
                    field: field.number,
                    len: added,
                };
            }
        }
        Ok(())
    }

    fn field_len(&self, number: u32) -> usize {
        self.iter().map(|value| field_len(number, &value)).sum()
    }

    fn write_field(&self, number: u32, writer: &mut Writer<'_>) {
        for value in self.iter() {
            write_field(number, &value, writer);
        }
    }

    fn write_member(&self, name: &str, object: &mut JsonObject<'_>) -> fmt::Result {
        if self.is_empty() {
            return Ok(());
        }
        let out = object.member(name)?;
        out.write_char('[')?;
        for (index, value) in self.iter().enumerate() {
            if index > 0 {
                out.write_char(',')?;
            }
            value.write_json(out)?;
        }
        out.write_char(']')
    }

    fn debug_value(&self) -> Option<&dyn fmt::Debug> {
        (!self.is_empty()).then_some(self as &dyn fmt::Debug)
    }
}
