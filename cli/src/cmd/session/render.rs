//! Received messages as one JSON object (`msync listen`, `msync chat --json`) and as a line of
//! text (`msync chat`).

use msync_tokio::{Attribute, AttributeValue, ChatType, Content, Message};
use serde::Serialize;
use serde_json::{Map, Value};

/// A received message as `msync listen` prints it: one JSON line.
#[derive(Clone, Debug, Serialize)]
pub struct MessageJson {
    /// The server's message id, as a string (it does not fit a JSON number exactly).
    pub id: String,
    /// The sender's user ID.
    pub from: String,
    /// The recipient: a user, group or chat-room ID.
    pub to: String,
    /// `single`, `group` or `chat_room`.
    pub chat_type: &'static str,
    /// The server's time of the message, Unix ms.
    pub timestamp: u64,
    /// What it holds, with its `type`.
    pub body: BodyJson,
    /// The message's attributes, by key.
    pub ext: Map<String, Value>,
}

impl From<&Message> for MessageJson {
    fn from(message: &Message) -> Self {
        Self {
            id: message.server_id.to_string(),
            from: message.from.clone(),
            to: message.to.clone(),
            chat_type: chat_type_name(message.chat),
            timestamp: message.timestamp,
            body: BodyJson::from(&message.content),
            ext: attributes_json(&message.ext),
        }
    }
}

/// `single`, `group` or `chat_room`.
pub fn chat_type_name(chat: ChatType) -> &'static str {
    match chat {
        ChatType::Single => "single",
        ChatType::Group => "group",
        ChatType::ChatRoom => "chat_room",
    }
}

/// The content of a message, as JSON: an object whose `type` comes first.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum BodyJson {
    /// Text.
    Text {
        /// The text.
        text: String,
    },
    /// A command message.
    Cmd {
        /// The action.
        action: String,
        /// Its parameters.
        params: Map<String, Value>,
    },
    /// A custom message.
    Custom {
        /// The event name.
        event: String,
        /// Its fields.
        exts: Map<String, Value>,
    },
    /// A location.
    Location {
        /// Latitude.
        latitude: f64,
        /// Longitude.
        longitude: f64,
        /// Address text.
        address: String,
    },
    /// Image, file, voice, video, ...: not decoded further.
    Other {
        /// `Content.type`.
        content_type: i32,
    },
    /// No content.
    Empty,
}

impl From<&Content> for BodyJson {
    fn from(content: &Content) -> Self {
        match content {
            Content::Text(text) => BodyJson::Text { text: text.clone() },
            Content::Command { action, params } => BodyJson::Cmd {
                action: action.clone(),
                params: attributes_json(params),
            },
            Content::Custom { event, exts } => BodyJson::Custom {
                event: event.clone(),
                exts: attributes_json(exts),
            },
            Content::Location {
                latitude,
                longitude,
                address,
            } => BodyJson::Location {
                latitude: *latitude,
                longitude: *longitude,
                address: address.clone(),
            },
            Content::Other { content_type } => BodyJson::Other {
                content_type: *content_type,
            },
            Content::Empty => BodyJson::Empty,
        }
    }
}

/// Attributes as a JSON object: numbers, booleans and strings as such, JSON attributes parsed
/// (kept as a string when they do not parse).
pub fn attributes_json(attributes: &[Attribute]) -> Map<String, Value> {
    attributes
        .iter()
        .map(|attribute| (attribute.key.clone(), value_json(&attribute.value)))
        .collect()
}

fn value_json(value: &AttributeValue) -> Value {
    match value {
        AttributeValue::Bool(v) => Value::Bool(*v),
        AttributeValue::Int(v) => Value::from(*v),
        AttributeValue::UInt(v) => Value::from(*v),
        // Through its shortest text, so that 0.1f32 shows as 0.1.
        AttributeValue::Float(v) => float_json(v.to_string().parse().unwrap_or(f64::NAN)),
        AttributeValue::Double(v) => float_json(*v),
        AttributeValue::String(v) => Value::String(v.clone()),
        AttributeValue::Json(v) => {
            serde_json::from_str(v).unwrap_or_else(|_| Value::String(v.clone()))
        }
    }
}

fn float_json(v: f64) -> Value {
    serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number)
}

/// One line of text for a person: `[group 42] alice: hello  ext {"k":1}`.
pub fn message_line(message: &Message) -> String {
    let place = match message.chat {
        ChatType::Single => String::new(),
        ChatType::Group => format!("[group {}] ", message.to),
        ChatType::ChatRoom => format!("[room {}] ", message.to),
    };
    let compact = |map: Map<String, Value>| Value::Object(map).to_string();
    let body = match &message.content {
        Content::Text(text) => text.clone(),
        Content::Command { action, params } => {
            format!("(cmd {action} {})", compact(attributes_json(params)))
        }
        Content::Custom { event, exts } => {
            format!("(custom {event} {})", compact(attributes_json(exts)))
        }
        Content::Location {
            latitude,
            longitude,
            address,
        } => format!("(location {latitude}, {longitude} {address})"),
        Content::Other { content_type } => format!("(content type {content_type})"),
        Content::Empty => "(empty)".to_owned(),
    };
    let ext = if message.ext.is_empty() {
        String::new()
    } else {
        format!("  ext {}", compact(attributes_json(&message.ext)))
    };
    format!("{place}{}: {body}{ext}", message.from)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn message(content: Content, ext: Vec<Attribute>) -> Message {
        Message {
            server_id: 1_234_567_890_123_456_789,
            from: "bob".into(),
            from_resource: None,
            to: "alice".into(),
            chat: ChatType::Single,
            timestamp: 1_700_000_000_000,
            content,
            ext,
        }
    }

    #[test]
    fn json_line_has_every_field() {
        let ext = vec![
            Attribute::int("n", 3),
            Attribute::bool("ok", true),
            Attribute::new("f", AttributeValue::Float(0.1)),
            Attribute::json("j", r#"{"k":"v"}"#),
            Attribute::json("broken", "{"),
            Attribute::string("s", "文字 🎉"),
        ];
        let json = serde_json::to_value(MessageJson::from(&message(
            Content::Text("hi 👋".into()),
            ext,
        )))
        .unwrap();
        assert_eq!(
            json,
            json!({
                "id": "1234567890123456789", "from": "bob", "to": "alice", "chat_type": "single",
                "timestamp": 1_700_000_000_000u64, "body": {"type": "text", "text": "hi 👋"},
                "ext": {"n": 3, "ok": true, "f": 0.1, "j": {"k": "v"}, "broken": "{", "s": "文字 🎉"},
            })
        );
    }

    #[test]
    fn bodies_by_type() {
        let cmd = Content::Command {
            action: "reboot".into(),
            params: vec![Attribute::int("delay", 5)],
        };
        assert_eq!(
            serde_json::to_string(&BodyJson::from(&cmd)).unwrap(),
            r#"{"type":"cmd","action":"reboot","params":{"delay":5}}"#
        );
        let custom = Content::Custom {
            event: "alarm".into(),
            exts: vec![Attribute::string("zone", "kitchen")],
        };
        assert_eq!(
            serde_json::to_value(BodyJson::from(&custom)).unwrap(),
            json!({"type": "custom", "event": "alarm", "exts": {"zone": "kitchen"}})
        );
        assert_eq!(
            serde_json::to_value(BodyJson::from(&Content::Empty)).unwrap(),
            json!({"type": "empty"})
        );
        let mut group = message(cmd, vec![Attribute::int("n", 1)]);
        group.chat = ChatType::Group;
        group.to = "42".into();
        assert_eq!(
            message_line(&group),
            r#"[group 42] bob: (cmd reboot {"delay":5})  ext {"n":1}"#
        );
    }
}
