//! The bounded storage of a message's copy: its strings in one byte store of `TEXT` bytes and
//! its attributes in a table of `ATTRS` entries; and [`Attributes`], the view the application
//! reads attributes through.

use heapless::{String, Vec};
use msync_core::wire::msync::{KeyValue, Value, ValueType};

/// Where a string lies in the store.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Span {
    start: usize,
    end: usize,
}

impl Span {
    /// The string in `text` (the store's text; empty if it is not there).
    pub(crate) fn of(self, text: &str) -> &str {
        text.get(self.start..self.end).unwrap_or_default()
    }
}

/// An attribute's value as stored: numbers as they are, strings as spans.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Stored {
    Varint(i64),
    Float(f32),
    Double(f64),
    String(Span),
}

/// One stored attribute. A directed recipient is stored as a key without value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Entry {
    key: Option<Span>,
    value_type: Option<ValueType>,
    value: Option<Stored>,
}

impl Entry {
    /// The attribute, borrowing the store's `text`.
    fn view(self, text: &str) -> KeyValue<'_> {
        KeyValue {
            key: self.key.map(|key| key.of(text)),
            value_type: self.value_type,
            value: self.value.map(|value| match value {
                Stored::Varint(v) => Value::Varint(v),
                Stored::Float(v) => Value::Float(v),
                Stored::Double(v) => Value::Double(v),
                Stored::String(span) => Value::String(span.of(text)),
            }),
        }
    }
}

/// The store has no room left (bytes or entries).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Full;

/// Strings (`TEXT` bytes in all) and attributes (`ATTRS` entries), appended in order.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Store<const TEXT: usize, const ATTRS: usize> {
    text: String<TEXT>,
    entries: Vec<Entry, ATTRS>,
}

impl<const TEXT: usize, const ATTRS: usize> Store<TEXT, ATTRS> {
    pub(crate) const fn new() -> Self {
        Self {
            text: String::new(),
            entries: Vec::new(),
        }
    }

    /// Appends a string.
    pub(crate) fn push_str(&mut self, s: &str) -> Result<Span, Full> {
        let start = self.text.len();
        self.text.push_str(s).map_err(|_| Full)?;
        Ok(Span {
            start,
            end: self.text.len(),
        })
    }

    /// Appends an attribute.
    pub(crate) fn push(&mut self, attribute: &KeyValue<'_>) -> Result<(), Full> {
        let key = attribute.key.map(|key| self.push_str(key)).transpose()?;
        let value = match attribute.value {
            None => None,
            Some(Value::Varint(v)) => Some(Stored::Varint(v)),
            Some(Value::Float(v)) => Some(Stored::Float(v)),
            Some(Value::Double(v)) => Some(Stored::Double(v)),
            Some(Value::String(s)) => Some(Stored::String(self.push_str(s)?)),
        };
        let entry = Entry {
            key,
            value_type: attribute.value_type,
            value,
        };
        self.entries.push(entry).map_err(|_| Full)
    }

    /// Appends a name (a directed recipient): an attribute with a key only.
    pub(crate) fn push_name(&mut self, name: &str) -> Result<(), Full> {
        self.push(&KeyValue {
            key: Some(name),
            value_type: None,
            value: None,
        })
    }

    /// The string at `span`.
    pub(crate) fn str(&self, span: Span) -> &str {
        span.of(&self.text)
    }

    /// The attributes `skip..skip + count`, in the order they were appended.
    pub(crate) fn attributes(&self, skip: usize, count: usize) -> Attributes<'_> {
        let entries = self.entries.get(skip..).unwrap_or_default();
        Attributes {
            text: &self.text,
            entries: entries.get(..count).unwrap_or(entries),
        }
    }

    /// The number of attributes.
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }
}

/// Attributes of a copied message (its ext, a command's parameters, a custom event's fields),
/// in wire order. Each is the core's [`KeyValue`]: a key, the value type and a
/// [`Value`] (`Varint` for booleans and integers, `Float`, `Double`, `String` for strings and
/// JSON).
#[derive(Clone, Copy)]
pub struct Attributes<'a> {
    text: &'a str,
    entries: &'a [Entry],
}

impl<'a> Attributes<'a> {
    /// How many there are.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The attributes, in order.
    pub fn iter(&self) -> impl Iterator<Item = KeyValue<'a>> + use<'a> {
        let text = self.text;
        self.entries.iter().map(move |entry| entry.view(text))
    }

    /// The value of the first attribute named `key`.
    pub fn get(&self, key: &str) -> Option<Value<'a>> {
        self.iter()
            .find(|attribute| attribute.key == Some(key))
            .and_then(|attribute| attribute.value)
    }
}

impl PartialEq for Attributes<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.iter().eq(other.iter())
    }
}

impl core::fmt::Debug for Attributes<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_of_every_value_kind_come_back_as_they_went_in() {
        let attributes = [
            KeyValue::bool("on", true),
            KeyValue::int("level", -3),
            KeyValue {
                key: Some("ratio"),
                value_type: Some(ValueType::FLOAT),
                value: Some(Value::Float(0.5)),
            },
            KeyValue::double("lat", 31.25),
            KeyValue::string("zone", "kitchen"),
            KeyValue {
                key: None,
                value_type: None,
                value: None,
            },
        ];
        let mut store: Store<64, 6> = Store::new();
        for attribute in &attributes {
            store.push(attribute).unwrap();
        }
        let view = store.attributes(0, 6);
        assert!(view.iter().eq(attributes.iter().copied()));
        assert_eq!(view.get("zone"), Some(Value::String("kitchen")));
        assert_eq!(view.get("absent"), None);
        assert_eq!(store.attributes(3, 2).len(), 2);
        assert_eq!(store.attributes(5, 4).len(), 1);
        assert!(store.attributes(7, 1).is_empty());
    }

    #[test]
    fn a_full_store_refuses_more() {
        let mut store: Store<8, 1> = Store::new();
        assert_eq!(
            store.push_str("12345678").map(|span| store.str(span).len()),
            Ok(8)
        );
        assert_eq!(store.push_str("9"), Err(Full));
        let mut store: Store<8, 1> = Store::new();
        store.push(&KeyValue::int("a", 1)).unwrap();
        assert_eq!(store.push(&KeyValue::int("b", 2)), Err(Full));
    }
}
