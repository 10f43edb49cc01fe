//! A message's content and attributes, copied into a bounded [`Store`]: what a sent or received
//! message carries besides its addresses. [`Content`] is the application's view of it.

use msync_core::session::ReceivedContent;
use msync_core::wire::msync::{KeyValue, Repeated, Value};

use crate::store::{Attributes, Span, Store};

/// What a copied message holds, borrowed from it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Content<'a> {
    /// Text.
    Text(&'a str),
    /// A command: an action and its parameters (not shown to users).
    Command {
        /// The action.
        action: &'a str,
        /// Its parameters.
        params: Attributes<'a>,
    },
    /// A custom event and its fields.
    Custom {
        /// The event name.
        event: &'a str,
        /// Its fields.
        exts: Attributes<'a>,
    },
    /// A location.
    Location {
        /// Latitude.
        latitude: f64,
        /// Longitude.
        longitude: f64,
        /// Address text.
        address: &'a str,
    },
    /// Image, file, voice, video, ...: not copied.
    Other,
    /// No content.
    Empty,
}

/// The one string of `content` (text, action, event name or address).
fn text_of<'a>(content: &ReceivedContent<'a>) -> &'a str {
    match *content {
        ReceivedContent::Text(text)
        | ReceivedContent::Command { action: text, .. }
        | ReceivedContent::Custom { event: text, .. }
        | ReceivedContent::Location { address: text, .. } => text,
        ReceivedContent::Other(_) | ReceivedContent::Empty => "",
    }
}

/// The attributes of `content` (command parameters, custom fields).
fn fields_of<'a>(content: &ReceivedContent<'a>) -> Repeated<'a, KeyValue<'a>> {
    match *content {
        ReceivedContent::Command { params: fields, .. }
        | ReceivedContent::Custom { exts: fields, .. } => fields,
        _ => Repeated::EMPTY,
    }
}

/// The kind of a content, its string in the store.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    Text(Span),
    Command(Span),
    Custom(Span),
    Location {
        latitude: f64,
        longitude: f64,
        address: Span,
    },
    Other,
    Empty,
}

/// What a message needs to be copied whole; compare with `TEXT` and `ATTRS`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Needs {
    /// Its content's text and its attributes' keys and string values, in bytes.
    pub(crate) bytes: usize,
    /// Its attributes (content fields and ext).
    pub(crate) attributes: usize,
}

impl Needs {
    /// What `content` and `ext` need.
    pub(crate) fn of(content: &ReceivedContent<'_>, ext: Repeated<'_, KeyValue<'_>>) -> Self {
        let fields = fields_of(content);
        let bytes = fields
            .iter()
            .chain(ext.iter())
            .map(|attribute| {
                let value = match attribute.value {
                    Some(Value::String(s)) => s.len(),
                    _ => 0,
                };
                attribute.key.map_or(0, str::len).saturating_add(value)
            })
            .fold(text_of(content).len(), usize::saturating_add);
        Self {
            bytes,
            attributes: fields.len().saturating_add(ext.len()),
        }
    }
}

/// A message's content and attributes, copied. The store's attributes are, in order: the
/// content's fields (command parameters, custom fields), the message's ext, then (outgoing
/// messages) the directed recipients.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Body<const TEXT: usize, const ATTRS: usize> {
    kind: Kind,
    store: Store<TEXT, ATTRS>,
    fields: usize,
    ext: usize,
}

impl<const TEXT: usize, const ATTRS: usize> Body<TEXT, ATTRS> {
    /// The copy of `content` (the core's view of a content, whichever way the message goes)
    /// and `ext`, or `None` when it does not fit (see [`Needs::of`] for what it needs).
    pub(crate) fn copy(
        content: &ReceivedContent<'_>,
        ext: Repeated<'_, KeyValue<'_>>,
    ) -> Option<Self> {
        let mut store = Store::new();
        let text = store.push_str(text_of(content)).ok()?;
        let kind = match *content {
            ReceivedContent::Text(_) => Kind::Text(text),
            ReceivedContent::Command { .. } => Kind::Command(text),
            ReceivedContent::Custom { .. } => Kind::Custom(text),
            ReceivedContent::Location {
                latitude,
                longitude,
                ..
            } => Kind::Location {
                latitude,
                longitude,
                address: text,
            },
            ReceivedContent::Other(_) => Kind::Other,
            ReceivedContent::Empty => Kind::Empty,
        };
        let fields = fields_of(content);
        for attribute in fields.iter().chain(ext.iter()) {
            store.push(&attribute).ok()?;
        }
        Some(Self {
            kind,
            store,
            fields: fields.len(),
            ext: ext.len(),
        })
    }

    /// Appends a directed recipient; `None` when it does not fit.
    pub(crate) fn push_recipient(&mut self, name: &str) -> Option<()> {
        self.store.push_name(name).ok()
    }

    /// The content.
    pub(crate) fn content(&self) -> Content<'_> {
        let fields = self.store.attributes(0, self.fields);
        match self.kind {
            Kind::Text(text) => Content::Text(self.store.str(text)),
            Kind::Command(action) => Content::Command {
                action: self.store.str(action),
                params: fields,
            },
            Kind::Custom(event) => Content::Custom {
                event: self.store.str(event),
                exts: fields,
            },
            Kind::Location {
                latitude,
                longitude,
                address,
            } => Content::Location {
                latitude,
                longitude,
                address: self.store.str(address),
            },
            Kind::Other => Content::Other,
            Kind::Empty => Content::Empty,
        }
    }

    /// The content's fields and the message's ext, in this order.
    pub(crate) fn attributes(&self) -> impl Iterator<Item = KeyValue<'_>> {
        self.store.attributes(0, self.fields + self.ext).iter()
    }

    /// How many of [`attributes`](Self::attributes) are the content's.
    pub(crate) fn field_count(&self) -> usize {
        self.fields
    }

    /// The message's ext.
    pub(crate) fn ext(&self) -> Attributes<'_> {
        self.store.attributes(self.fields, self.ext)
    }

    /// The directed recipients.
    pub(crate) fn recipients(&self) -> impl Iterator<Item = &str> {
        let skip = self.fields + self.ext;
        self.store
            .attributes(skip, self.store.len().saturating_sub(skip))
            .iter()
            .map(|attribute| attribute.key.unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_command_with_parameters_and_ext_is_copied_whole() {
        let params = [KeyValue::bool("on", true), KeyValue::string("color", "red")];
        let ext = [KeyValue::int("n", 7)];
        let (params, ext) = (Repeated::from_slice(&params), Repeated::from_slice(&ext));
        let content = ReceivedContent::Command {
            action: "led",
            params,
        };
        let body: Body<16, 3> = Body::copy(&content, ext).unwrap();
        match body.content() {
            Content::Command {
                action,
                params: copied,
            } => {
                assert_eq!(action, "led");
                assert!(copied.iter().eq(params.iter()));
                assert_eq!(copied.get("color"), Some(Value::String("red")));
            }
            other => panic!("not a command: {other:?}"),
        }
        assert!(body.ext().iter().eq(ext.iter()));
        assert_eq!(body.recipients().count(), 0);
        assert_eq!(
            Needs::of(&content, ext),
            Needs {
                bytes: 3 + 2 + 5 + 3 + 1,
                attributes: 3
            }
        );
        // One byte or one entry less does not fit.
        assert!(Body::<13, 3>::copy(&content, ext).is_none());
        assert!(Body::<14, 2>::copy(&content, ext).is_none());
        assert!(Body::<14, 3>::copy(&content, ext).is_some());
    }
}
