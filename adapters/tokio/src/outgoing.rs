//! Messages to send, owned: [`Outgoing`].

use msync_core::session::{ChatType, ChatroomPriority, OutgoingContent, OutgoingMessage, Route};
use msync_core::wire::msync::KeyValue;

use crate::attribute::Attribute;

/// A message for [`Client::send`](crate::Client::send): build it with a constructor, then
/// adjust.
///
/// ```
/// use msync_tokio::{Attribute, Outgoing};
///
/// let alarm = Outgoing::text("ops-room", "smoke detected")
///     .group()
///     .with_ext(Attribute::string("severity", "high"));
/// assert_eq!(alarm.to, "ops-room");
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Outgoing {
    /// The recipient's user, group or chat-room ID.
    pub to: String,
    /// The kind of conversation.
    pub chat: ChatType,
    /// What to send.
    pub body: Body,
    /// Message attributes (`ext`).
    pub ext: Vec<Attribute>,
    /// Who receives a group or chat-room message.
    pub route: Recipients,
    /// Chat-room priority (chat rooms only).
    pub priority: Option<ChatroomPriority>,
}

/// The content of an [`Outgoing`] message.
#[derive(Clone, Debug, PartialEq)]
pub enum Body {
    /// Text.
    Text(String),
    /// A command: an action and parameters (not shown to users).
    Command {
        /// The action.
        action: String,
        /// Its parameters.
        params: Vec<Attribute>,
    },
    /// A custom event with attributes.
    Custom {
        /// The event name.
        event: String,
        /// Its attributes.
        exts: Vec<Attribute>,
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
}

/// Who receives a group or chat-room message.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Recipients {
    /// Every member.
    #[default]
    All,
    /// Only members online now.
    OnlineOnly,
    /// Only these members.
    Only(Vec<String>),
}

impl Outgoing {
    /// A one-to-one message with `body`.
    pub fn new(to: impl Into<String>, body: Body) -> Self {
        Self {
            to: to.into(),
            chat: ChatType::Single,
            body,
            ext: Vec::new(),
            route: Recipients::All,
            priority: None,
        }
    }

    /// A one-to-one text message.
    pub fn text(to: impl Into<String>, text: impl Into<String>) -> Self {
        Self::new(to, Body::Text(text.into()))
    }

    /// A one-to-one command message.
    pub fn command(
        to: impl Into<String>,
        action: impl Into<String>,
        params: Vec<Attribute>,
    ) -> Self {
        let action = action.into();
        Self::new(to, Body::Command { action, params })
    }

    /// A one-to-one custom message.
    pub fn custom(to: impl Into<String>, event: impl Into<String>, exts: Vec<Attribute>) -> Self {
        let event = event.into();
        Self::new(to, Body::Custom { event, exts })
    }

    /// A one-to-one location message.
    pub fn location(
        to: impl Into<String>,
        latitude: f64,
        longitude: f64,
        address: impl Into<String>,
    ) -> Self {
        let address = address.into();
        Self::new(
            to,
            Body::Location {
                latitude,
                longitude,
                address,
            },
        )
    }

    /// The same message to a group.
    #[must_use]
    pub fn group(mut self) -> Self {
        self.chat = ChatType::Group;
        self
    }

    /// The same message to a chat room.
    #[must_use]
    pub fn chat_room(mut self) -> Self {
        self.chat = ChatType::ChatRoom;
        self
    }

    /// The same message with one more attribute.
    #[must_use]
    pub fn with_ext(mut self, attribute: Attribute) -> Self {
        self.ext.push(attribute);
        self
    }

    /// The same message for these recipients of the group or chat room.
    #[must_use]
    pub fn with_route(mut self, route: Recipients) -> Self {
        self.route = route;
        self
    }

    /// The same message with a chat-room priority.
    #[must_use]
    pub fn with_priority(mut self, priority: ChatroomPriority) -> Self {
        self.priority = Some(priority);
        self
    }

    /// Calls `f` with the session's borrowed form of this message.
    pub(crate) fn with_view<R>(&self, f: impl FnOnce(&OutgoingMessage<'_>) -> R) -> R {
        let ext: Vec<KeyValue<'_>> = self.ext.iter().map(Attribute::key_value).collect();
        let fields: Vec<KeyValue<'_>> = match &self.body {
            Body::Command { params: list, .. } | Body::Custom { exts: list, .. } => {
                list.iter().map(Attribute::key_value).collect()
            }
            Body::Text(_) | Body::Location { .. } => Vec::new(),
        };
        let directed: Vec<&str> = match &self.route {
            Recipients::Only(users) => users.iter().map(String::as_str).collect(),
            Recipients::All | Recipients::OnlineOnly => Vec::new(),
        };
        let content = match &self.body {
            Body::Text(text) => OutgoingContent::Text(text),
            Body::Command { action, .. } => OutgoingContent::Command {
                action,
                params: &fields,
            },
            Body::Custom { event, .. } => OutgoingContent::Custom {
                event,
                exts: &fields,
            },
            Body::Location {
                latitude,
                longitude,
                address,
            } => OutgoingContent::Location {
                latitude: *latitude,
                longitude: *longitude,
                address,
            },
        };
        let route = match &self.route {
            Recipients::All => Route::All,
            Recipients::OnlineOnly => Route::OnlineOnly,
            Recipients::Only(_) => Route::Directed(&directed),
        };
        let message = OutgoingMessage {
            to: &self.to,
            chat: self.chat,
            content,
            ext: &ext,
            route,
            priority: self.priority,
            id: None,
        };
        f(&message)
    }
}
