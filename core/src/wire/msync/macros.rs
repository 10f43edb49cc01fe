//! Declarative tables that generate the schema types.
//!
//! Each message is written once, as a field table in field-number order (the order the encoder
//! writes them); [`message!`] derives the struct, decoding, encoding, JSON view and a redacting
//! `Debug` from it. Each enum is a table of names and numbers for [`proto_enum!`].

/// Defines one msync message.
///
/// ```text
/// message! {
///     /// docs
///     Name<'a> = "SchemaName" {
///         /// docs
///         1 => field: Option<&'a str>,
///         2 => other_field("jsonName"): Option<u64>,  // JSON name differs from the Rust one
///         3 => token [secret]: Option<&'a str>,       // redacted in Debug
///         4 | 5 => choice: Option<SomeOneof<'a>>,      // a oneof over several numbers
///     }
/// }
/// ```
///
/// Field types are `Option<T>` or `Repeated<'a, T>` for a [`FieldValue`] `T` (or a oneof slot).
///
/// [`FieldValue`]: crate::wire::msync::FieldValue
macro_rules! message {
    (
        $(#[$meta:meta])*
        $name:ident $(<$lt:lifetime>)? = $schema:literal {
            $(
                $(#[$field_meta:meta])*
                $($num:literal)|+ => $field:ident $(($json:literal))? $([$secret:ident])? : $ty:ty,
            )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq)]
        pub struct $name $(<$lt>)? {
            $(
                $(#[$field_meta])*
                pub $field: $ty,
            )*
        }

        impl $(<$lt>)? $name $(<$lt>)? {
            /// The message with no field present (what an empty payload decodes to).
            pub const EMPTY: Self = Self {
                $( $field: <$ty as $crate::wire::msync::field::Empty>::EMPTY, )*
            };
        }

        impl<'a> $name $(<$lt>)? {
            /// Decodes and validates the message, every nested level included. Unknown fields are
            /// skipped; a known field with the wrong wire type is an error.
            #[allow(clippy::manual_range_patterns, clippy::match_single_binding)]
            pub fn decode(
                bytes: &'a [u8],
            ) -> Result<Self, $crate::wire::proto::DecodeError> {
                #[allow(unused_imports)]
                use $crate::wire::msync::field::Slot as _;
                #[allow(unused_mut)]
                let mut message = Self::EMPTY;
                let mut reader = $crate::wire::proto::Reader::new(bytes);
                while let Some(field) = reader.read_field()? {
                    match field.number {
                        $( $($num)|+ => message.$field.merge(field)?, )*
                        _ => {}
                    }
                }
                Ok(message)
            }
        }

        impl $(<$lt>)? Default for $name $(<$lt>)? {
            fn default() -> Self {
                Self::EMPTY
            }
        }

        impl $(<$lt>)? $crate::wire::proto::Encode for $name $(<$lt>)? {
            #[allow(clippy::identity_op)]
            fn encoded_len(&self) -> usize {
                #[allow(unused_imports)]
                use $crate::wire::msync::field::Slot as _;
                0 $( + self.$field.field_len(message!(@first $($num)|+)) )*
            }

            fn encode_to(&self, _writer: &mut $crate::wire::proto::Writer<'_>) {
                #[allow(unused_imports)]
                use $crate::wire::msync::field::Slot as _;
                $( self.$field.write_field(message!(@first $($num)|+), _writer); )*
            }
        }

        impl<'a> $crate::wire::msync::FieldValue<'a> for $name $(<$lt>)? {
            const WIRE_TYPE: $crate::wire::proto::WireType = $crate::wire::proto::WireType::Len;

            fn from_raw(
                raw: $crate::wire::proto::RawValue<'a>,
            ) -> Result<Self, $crate::wire::proto::DecodeError> {
                match raw {
                    $crate::wire::proto::RawValue::Len(bytes) => Self::decode(bytes),
                    _ => Err($crate::wire::proto::DecodeError::WrongWireType { field: 0 }),
                }
            }

            fn value_len(&self) -> usize {
                $crate::wire::proto::Encode::encoded_len(self)
            }

            fn write_value(&self, writer: &mut $crate::wire::proto::Writer<'_>) {
                $crate::wire::proto::Encode::encode_to(self, writer)
            }

            fn write_json(&self, _out: &mut dyn core::fmt::Write) -> core::fmt::Result {
                #[allow(unused_imports)]
                use $crate::wire::msync::field::Slot as _;
                let mut _object = $crate::wire::msync::json_view::JsonObject::begin(_out)?;
                $( self.$field.write_member(message!(@json $($json)? ; $field), &mut _object)?; )*
                _object.end()
            }
        }

        impl<'a> $crate::wire::msync::Message<'a> for $name $(<$lt>)? {
            const NAME: &'static str = $schema;

            fn decode(bytes: &'a [u8]) -> Result<Self, $crate::wire::proto::DecodeError> {
                Self::decode(bytes)
            }
        }

        impl $(<$lt>)? core::fmt::Debug for $name $(<$lt>)? {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                #[allow(unused_imports)]
                use $crate::wire::msync::field::Slot as _;
                let mut _debug = f.debug_struct(stringify!($name));
                $(
                    if let Some(value) = self.$field.debug_value() {
                        _debug.field(
                            stringify!($field),
                            message!(@redact $($secret)? ; value),
                        );
                    }
                )*
                _debug.finish()
            }
        }
    };

    (@first $first:literal $(| $rest:literal)*) => { $first };
    (@json $json:literal ; $field:ident) => { $json };
    (@json ; $field:ident) => { stringify!($field) };
    (@redact secret ; $value:ident) => {{
        let _ = $value;
        &$crate::wire::msync::field::Redacted
    }};
    (@redact ; $value:ident) => { $value };
}

/// Defines one protobuf enum as a newtype over its number with a constant per known value.
///
/// Unknown numbers are kept (the newtype holds any `i32`), print as numbers in JSON and `Debug`,
/// and re-encode unchanged. Known values match as constants: `match cmd { Command::SYNC => .. }`.
///
/// ```text
/// proto_enum! {
///     /// docs
///     Name {
///         /// docs
///         CONST = 0,
///         OTHER = 1 as "JSON_NAME",   // when the schema name is not a Rust identifier
///     }
/// }
/// ```
macro_rules! proto_enum {
    (
        $(#[$meta:meta])*
        $name:ident {
            $(
                $(#[$value_meta:meta])*
                $value:ident = $number:literal $(as $json:literal)?,
            )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[cfg_attr(feature = "defmt", derive(defmt::Format))]
        pub struct $name(pub i32);

        impl $name {
            $(
                $(#[$value_meta])*
                pub const $value: Self = Self($number);
            )+

            /// The schema name of this value, or `None` for a number the schema does not define.
            pub const fn name(self) -> Option<&'static str> {
                match self.0 {
                    $( $number => Some(proto_enum!(@json $value $($json)?)), )+
                    _ => None,
                }
            }

            /// The value with this schema name.
            pub fn from_name(name: &str) -> Option<Self> {
                match name {
                    $( proto_enum!(@json $value $($json)?) => Some(Self::$value), )+
                    _ => None,
                }
            }
        }

        impl core::fmt::Debug for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                match self.name() {
                    Some(name) => f.write_str(name),
                    None => write!(f, "{}({})", stringify!($name), self.0),
                }
            }
        }

        impl core::fmt::Display for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                match self.name() {
                    Some(name) => f.write_str(name),
                    None => write!(f, "{}", self.0),
                }
            }
        }

        impl<'a> $crate::wire::msync::FieldValue<'a> for $name {
            const WIRE_TYPE: $crate::wire::proto::WireType =
                $crate::wire::proto::WireType::Varint;

            fn from_raw(
                raw: $crate::wire::proto::RawValue<'a>,
            ) -> Result<Self, $crate::wire::proto::DecodeError> {
                <i32 as $crate::wire::msync::FieldValue<'a>>::from_raw(raw).map(Self)
            }

            fn value_len(&self) -> usize {
                <i32 as $crate::wire::msync::FieldValue<'a>>::value_len(&self.0)
            }

            fn write_value(&self, writer: &mut $crate::wire::proto::Writer<'_>) {
                <i32 as $crate::wire::msync::FieldValue<'a>>::write_value(&self.0, writer)
            }

            fn write_json(&self, out: &mut dyn core::fmt::Write) -> core::fmt::Result {
                match self.name() {
                    Some(name) => write!(out, "\"{name}\""),
                    None => write!(out, "{}", self.0),
                }
            }
        }
    };

    (@json $value:ident $json:literal) => { $json };
    (@json $value:ident) => { stringify!($value) };
}
