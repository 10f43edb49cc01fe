//! Messages as the application sees them: [`OutgoingMessage`] to send, and borrowed views of
//! what arrives ([`ReceivedMessage`], [`Receipt`], [`Notification`], [`Kick`]).

use core::num::NonZeroU64;

use super::error::KickReason;
use crate::wire::msync::{
    ContentType, Jid, KeyValue, MessageBody, MessageType, Meta, Repeated, StatisticsBody, Value,
};

/// A client message id (`Meta.id` of a send): non-zero, unique among pending sends, kept across
/// re-sends so the server and receivers can deduplicate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct MessageId(NonZeroU64);

impl MessageId {
    /// The id `value`, or `None` for 0 (which means "not an ACK" on the wire).
    pub const fn new(value: u64) -> Option<Self> {
        match NonZeroU64::new(value) {
            Some(id) => Some(Self(id)),
            None => None,
        }
    }

    /// The number.
    pub const fn get(self) -> u64 {
        self.0.get()
    }
}

/// What kind of conversation a message belongs to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum ChatType {
    /// One-to-one (`MessageBody.type` CHAT, recipient domain `easemob.com`).
    #[default]
    Single,
    /// A group (GROUPCHAT, domain `conference.easemob.com`).
    Group,
    /// A chat room (CHATROOM, domain `conference.easemob.com`).
    ChatRoom,
}

impl ChatType {
    /// The JID domain of the recipient.
    pub(crate) const fn domain(self) -> &'static str {
        match self {
            ChatType::Single => USERS_DOMAIN,
            ChatType::Group | ChatType::ChatRoom => CONFERENCE_DOMAIN,
        }
    }

    /// `MessageBody.type`.
    pub(crate) const fn message_type(self) -> MessageType {
        match self {
            ChatType::Single => MessageType::CHAT,
            ChatType::Group => MessageType::GROUPCHAT,
            ChatType::ChatRoom => MessageType::CHATROOM,
        }
    }
}

/// The domain of user JIDs.
pub(crate) const USERS_DOMAIN: &str = "easemob.com";
/// The domain of group and chat-room JIDs.
pub(crate) const CONFERENCE_DOMAIN: &str = "conference.easemob.com";

/// The content of a message to send (one `Content`, §6.12).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum OutgoingContent<'a> {
    /// Text.
    Text(&'a str),
    /// A command: an action and parameters (not shown to users; `COMMAND`).
    Command {
        /// The action.
        action: &'a str,
        /// Its parameters.
        params: &'a [KeyValue<'a>],
    },
    /// A custom event with attributes (`CUSTOM`).
    Custom {
        /// The event name.
        event: &'a str,
        /// Its attributes.
        exts: &'a [KeyValue<'a>],
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
}

/// Who receives a group or chat-room message (`Meta.routetype`, §6.10).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Route<'a> {
    /// Everyone (`ROUTE_ALL`).
    #[default]
    All,
    /// Only users online now (`ROUTE_ONLINE`).
    OnlineOnly,
    /// Only these users of the group or room (`ROUTE_DIRECT` + `directed_users`).
    Directed(&'a [&'a str]),
}

/// A chat-room message's priority (`Meta.ext` `chatroom_msg_tag`, §6.10).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum ChatroomPriority {
    /// 0.
    High,
    /// 1.
    Normal,
    /// 2.
    Low,
}

impl ChatroomPriority {
    /// The `chatroom_msg_tag` value.
    pub(crate) const fn tag(self) -> i64 {
        match self {
            ChatroomPriority::High => 0,
            ChatroomPriority::Normal => 1,
            ChatroomPriority::Low => 2,
        }
    }
}

/// A message for [`send`](super::Session::send). Build it with a constructor, then adjust.
///
/// ```
/// use msync_core::session::{OutgoingMessage, KeyValue};
///
/// let ext = [KeyValue::string("severity", "high")];
/// let alarm = OutgoingMessage::text("ops-room", "smoke detected").group().with_ext(&ext);
/// assert_eq!(alarm.to, "ops-room");
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OutgoingMessage<'a> {
    /// The recipient's user, group or chat-room ID.
    pub to: &'a str,
    /// The kind of conversation.
    pub chat: ChatType,
    /// What to send.
    pub content: OutgoingContent<'a>,
    /// Message attributes (`MessageBody.ext`).
    pub ext: &'a [KeyValue<'a>],
    /// Who receives it.
    pub route: Route<'a>,
    /// Chat-room priority (chat rooms only).
    pub priority: Option<ChatroomPriority>,
    /// A caller-chosen id; `None` lets the session choose a unique one.
    pub id: Option<MessageId>,
}

impl<'a> OutgoingMessage<'a> {
    /// A one-to-one message with `content`.
    pub const fn new(to: &'a str, content: OutgoingContent<'a>) -> Self {
        Self {
            to,
            chat: ChatType::Single,
            content,
            ext: &[],
            route: Route::All,
            priority: None,
            id: None,
        }
    }

    /// A one-to-one text message.
    pub const fn text(to: &'a str, text: &'a str) -> Self {
        Self::new(to, OutgoingContent::Text(text))
    }

    /// A one-to-one command message.
    pub const fn command(to: &'a str, action: &'a str, params: &'a [KeyValue<'a>]) -> Self {
        Self::new(to, OutgoingContent::Command { action, params })
    }

    /// A one-to-one custom message.
    pub const fn custom(to: &'a str, event: &'a str, exts: &'a [KeyValue<'a>]) -> Self {
        Self::new(to, OutgoingContent::Custom { event, exts })
    }

    /// A one-to-one location message.
    pub const fn location(to: &'a str, latitude: f64, longitude: f64, address: &'a str) -> Self {
        Self::new(
            to,
            OutgoingContent::Location {
                latitude,
                longitude,
                address,
            },
        )
    }

    /// The same message to a group.
    #[must_use]
    pub const fn group(mut self) -> Self {
        self.chat = ChatType::Group;
        self
    }

    /// The same message to a chat room.
    #[must_use]
    pub const fn chat_room(mut self) -> Self {
        self.chat = ChatType::ChatRoom;
        self
    }

    /// The same message with attributes.
    #[must_use]
    pub const fn with_ext(mut self, ext: &'a [KeyValue<'a>]) -> Self {
        self.ext = ext;
        self
    }

    /// The same message with a routing option.
    #[must_use]
    pub const fn with_route(mut self, route: Route<'a>) -> Self {
        self.route = route;
        self
    }

    /// The same message with a chat-room priority.
    #[must_use]
    pub const fn with_priority(mut self, priority: ChatroomPriority) -> Self {
        self.priority = Some(priority);
        self
    }

    /// The same message with a caller-chosen id.
    #[must_use]
    pub const fn with_id(mut self, id: MessageId) -> Self {
        self.id = Some(id);
        self
    }
}

/// What a received message holds (its first `Content`).
// Views live briefly on the stack and there is no heap to box the large variant into.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ReceivedContent<'a> {
    /// Text.
    Text(&'a str),
    /// A command.
    Command {
        /// The action.
        action: &'a str,
        /// Its parameters.
        params: Repeated<'a, KeyValue<'a>>,
    },
    /// A custom event.
    Custom {
        /// The event name.
        event: &'a str,
        /// Its attributes.
        exts: Repeated<'a, KeyValue<'a>>,
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
    /// Image, file, voice, video, combined, ...: the raw content.
    Other(crate::wire::msync::Content<'a>),
    /// No content.
    Empty,
}

/// A received chat message: a view of one meta of a batch, valid until the next call into the
/// session.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ReceivedMessage<'a> {
    /// The meta as received.
    pub meta: Meta<'a>,
    /// Its decoded `MessageBody`.
    pub body: MessageBody<'a>,
}

impl<'a> ReceivedMessage<'a> {
    /// The server's message id (deduplicated by the session).
    pub fn server_id(&self) -> u64 {
        self.meta.id.unwrap_or(0)
    }

    /// The sender's user ID.
    pub fn from(&self) -> &'a str {
        name_of(self.meta.from)
            .or_else(|| name_of(self.body.from))
            .unwrap_or("")
    }

    /// The sender's device (resource), when the server names it.
    pub fn from_resource(&self) -> Option<&'a str> {
        self.meta.from.and_then(|jid| jid.client_resource)
    }

    /// The recipient: the user, group or chat room.
    pub fn to(&self) -> &'a str {
        name_of(self.meta.to)
            .or_else(|| name_of(self.body.to))
            .unwrap_or("")
    }

    /// The kind of conversation: from the body type, else from the recipient's domain.
    pub fn chat_type(&self) -> ChatType {
        match self.body.message_type {
            Some(MessageType::GROUPCHAT) => ChatType::Group,
            Some(MessageType::CHATROOM) => ChatType::ChatRoom,
            Some(MessageType::CHAT) => ChatType::Single,
            _ if self
                .meta
                .to
                .and_then(|jid| jid.domain)
                .is_some_and(|domain| domain.contains("conference")) =>
            {
                ChatType::Group
            }
            _ => ChatType::Single,
        }
    }

    /// The server's time of the message, Unix ms (0 when absent).
    pub fn timestamp(&self) -> u64 {
        self.meta.timestamp.unwrap_or(0)
    }

    /// The content, classified.
    pub fn content(&self) -> ReceivedContent<'a> {
        let Some(content) = self.body.contents.first() else {
            return ReceivedContent::Empty;
        };
        match content.content_type.unwrap_or(ContentType::TEXT) {
            ContentType::TEXT => ReceivedContent::Text(content.text.unwrap_or("")),
            ContentType::COMMAND => ReceivedContent::Command {
                action: content.action.unwrap_or(""),
                params: content.params,
            },
            ContentType::CUSTOM => ReceivedContent::Custom {
                event: content.custom_event.unwrap_or(""),
                exts: content.custom_exts,
            },
            ContentType::LOCATION => ReceivedContent::Location {
                latitude: content.latitude.unwrap_or(0.0),
                longitude: content.longitude.unwrap_or(0.0),
                address: content.address.unwrap_or(""),
            },
            _ => ReceivedContent::Other(content),
        }
    }

    /// The text, for a text message.
    pub fn text(&self) -> Option<&'a str> {
        match self.content() {
            ReceivedContent::Text(text) => Some(text),
            _ => None,
        }
    }

    /// The message attributes (`MessageBody.ext`).
    pub fn ext(&self) -> Repeated<'a, KeyValue<'a>> {
        self.body.ext
    }

    /// The value of the attribute `key`, if present.
    pub fn ext_value(&self, key: &str) -> Option<Value<'a>> {
        self.body
            .ext
            .iter()
            .find(|kv| kv.key == Some(key))
            .and_then(|kv| kv.value)
    }

    /// The server's JSON hints (`Meta.meta`), if any.
    pub fn hints(&self) -> Option<&'a [u8]> {
        self.meta.meta
    }
}

fn name_of(jid: Option<Jid<'_>>) -> Option<&str> {
    jid.and_then(|jid| jid.name).filter(|name| !name.is_empty())
}

/// A delivery or read receipt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum ReceiptKind {
    /// `DELIVER_ACK`: the message reached the peer's device.
    Delivered,
    /// `READ_ACK`: the peer read it.
    Read,
}

/// A received receipt (a CHAT meta of type `DELIVER_ACK` or `READ_ACK`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Receipt<'a> {
    /// Delivered or read.
    pub kind: ReceiptKind,
    /// The underlying meta and body (sender, time, ...).
    pub message: ReceivedMessage<'a>,
}

impl Receipt<'_> {
    /// The server id of the message this receipt is about.
    pub fn acked_server_id(&self) -> Option<u64> {
        self.message.body.ack_message_id
    }
}

/// A NOTIFY meta: JSON text with a `type` key (§7.8), not validated.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Notification<'a> {
    /// The meta as received.
    pub meta: Meta<'a>,
    /// The JSON bytes.
    pub json: &'a [u8],
}

/// A kick: the server ended this login (§7.9).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Kick<'a> {
    /// Why.
    pub reason: KickReason,
    /// The decoded STATISTIC body.
    pub body: StatisticsBody<'a>,
}

impl<'a> Kick<'a> {
    /// The device that took over (`replace_device_name`), if the server names it.
    pub fn replace_device_name(&self) -> Option<&'a str> {
        self.body.replace_device_name
    }

    /// The other login's extension (`reason`), if any.
    pub fn detail(&self) -> Option<&'a str> {
        self.body.reason
    }
}
