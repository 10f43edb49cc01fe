//! Typed attributes (message ext, command parameters, custom-event fields), owned.

use msync_core::wire::msync::{KeyValue, Value, ValueType};

/// One attribute: a key and a typed value.
#[derive(Clone, Debug, PartialEq)]
pub struct Attribute {
    /// The name.
    pub key: String,
    /// The value.
    pub value: AttributeValue,
}

/// An attribute's value, by the wire's value types.
#[derive(Clone, Debug, PartialEq)]
pub enum AttributeValue {
    /// `BOOL`.
    Bool(bool),
    /// `INT` or `LLINT`.
    Int(i64),
    /// `UINT`.
    UInt(u64),
    /// `FLOAT`.
    Float(f32),
    /// `DOUBLE`.
    Double(f64),
    /// `STRING`.
    String(String),
    /// `JSON_STRING`: JSON text.
    Json(String),
}

impl Attribute {
    /// An attribute of any value.
    pub fn new(key: impl Into<String>, value: AttributeValue) -> Self {
        Self {
            key: key.into(),
            value,
        }
    }

    /// A string attribute.
    pub fn string(key: impl Into<String>, value: impl Into<String>) -> Self {
        Self::new(key, AttributeValue::String(value.into()))
    }

    /// An integer attribute.
    pub fn int(key: impl Into<String>, value: i64) -> Self {
        Self::new(key, AttributeValue::Int(value))
    }

    /// A boolean attribute.
    pub fn bool(key: impl Into<String>, value: bool) -> Self {
        Self::new(key, AttributeValue::Bool(value))
    }

    /// A floating-point attribute.
    pub fn double(key: impl Into<String>, value: f64) -> Self {
        Self::new(key, AttributeValue::Double(value))
    }

    /// A JSON attribute (the text is sent as it is).
    pub fn json(key: impl Into<String>, json: impl Into<String>) -> Self {
        Self::new(key, AttributeValue::Json(json.into()))
    }

    /// The wire form, borrowing this attribute.
    pub(crate) fn key_value(&self) -> KeyValue<'_> {
        let (value_type, value) = match &self.value {
            AttributeValue::Bool(v) => (ValueType::BOOL, Value::Varint(i64::from(*v))),
            AttributeValue::Int(v) => (ValueType::INT, Value::Varint(*v)),
            AttributeValue::UInt(v) => (ValueType::UINT, Value::Varint(*v as i64)),
            AttributeValue::Float(v) => (ValueType::FLOAT, Value::Float(*v)),
            AttributeValue::Double(v) => (ValueType::DOUBLE, Value::Double(*v)),
            AttributeValue::String(v) => (ValueType::STRING, Value::String(v)),
            AttributeValue::Json(v) => (ValueType::JSON_STRING, Value::String(v)),
        };
        KeyValue {
            key: Some(&self.key),
            value_type: Some(value_type),
            value: Some(value),
        }
    }

    /// The owned form of a received attribute; `None` when it has no key or no value.
    pub(crate) fn from_key_value(kv: &KeyValue<'_>) -> Option<Self> {
        let key = kv.key?;
        let value = match (kv.value_type, kv.value?) {
            (Some(ValueType::BOOL), Value::Varint(v)) => AttributeValue::Bool(v != 0),
            (Some(ValueType::UINT), Value::Varint(v)) => AttributeValue::UInt(v as u64),
            (_, Value::Varint(v)) => AttributeValue::Int(v),
            (_, Value::Float(v)) => AttributeValue::Float(v),
            (_, Value::Double(v)) => AttributeValue::Double(v),
            (Some(ValueType::JSON_STRING), Value::String(v)) => AttributeValue::Json(v.to_owned()),
            (_, Value::String(v)) => AttributeValue::String(v.to_owned()),
        };
        Some(Self::new(key, value))
    }
}

/// The owned attributes of a received list.
pub(crate) fn collect<'a>(list: impl IntoIterator<Item = KeyValue<'a>>) -> Vec<Attribute> {
    list.into_iter()
        .filter_map(|kv| Attribute::from_key_value(&kv))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_type_survives_the_wire_form() {
        let attributes = [
            Attribute::bool("b", true),
            Attribute::int("i", -7),
            Attribute::new("u", AttributeValue::UInt(u64::MAX)),
            Attribute::new("f", AttributeValue::Float(1.5)),
            Attribute::double("d", 2.25),
            Attribute::string("s", "text"),
            Attribute::json("j", r#"{"a":1}"#),
        ];
        let wire: Vec<KeyValue<'_>> = attributes.iter().map(Attribute::key_value).collect();
        assert_eq!(collect(wire), attributes);
    }
}
