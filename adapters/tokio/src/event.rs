//! Owned events for the application: copies of the session's borrowed views.

use std::time::Duration;

use msync_core::session::{
    self, CapacityError, ChatType, CloseReason, Disconnect, KickReason, LoginError, ReceiptKind,
    ReceivedContent, ReceivedMessage,
};

use crate::attribute::{Attribute, collect};

/// Something the application should know, from [`Events`](crate::Events).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum ClientEvent {
    /// The connection state changed.
    State(ConnectionState),
    /// A chat message arrived (once: duplicates are dropped).
    Message(Message),
    /// A delivery or read receipt arrived.
    Receipt(Receipt),
    /// A NOTIFY meta (JSON text) arrived.
    Notification(String),
    /// The server ended this login; `State(Closed(Kicked(..)))` follows.
    Kicked(Kick),
    /// The token expires at this Unix time (ms); renew it before
    /// ([`Client::renew_token`](crate::Client::renew_token)).
    TokenWillExpire {
        /// When.
        expires_at_ms: u64,
    },
    /// The session obtained a new token (password login, or rotated by the server); read it
    /// with [`Client::token`](crate::Client::token) to store it.
    TokenUpdated,
    /// The server or the REST host refused the login; `State(Closed(..))` follows.
    LoginFailed {
        /// The typed reason.
        error: LoginError,
        /// The server's own text, possibly empty.
        reason: String,
    },
    /// A bounded capacity ran out; the session recovered as the error says.
    Capacity(CapacityError),
}

/// Where the connection stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConnectionState {
    /// Not logged in yet (before [`Client::login`](crate::Client::login)).
    Idle,
    /// Logging in.
    Connecting,
    /// Logged in.
    Online,
    /// The connection was lost; the next attempt starts after `delay`.
    Reconnecting {
        /// Failed rounds in a row, from 1.
        attempt: u32,
        /// The wait before the next attempt.
        delay: Duration,
        /// What went wrong.
        cause: Disconnect,
    },
    /// Ended for good ([`Client::login`](crate::Client::login) starts again).
    Closed(CloseReason),
}

/// A received chat message.
#[derive(Clone, Debug, PartialEq)]
pub struct Message {
    /// The server's id of the message.
    pub server_id: u64,
    /// The sender's user ID.
    pub from: String,
    /// The sender's device, when the server names it.
    pub from_resource: Option<String>,
    /// The recipient: a user, group or chat-room ID.
    pub to: String,
    /// One-to-one, group or chat room.
    pub chat: ChatType,
    /// The server's time of the message, Unix ms (0 when absent).
    pub timestamp: u64,
    /// What it holds.
    pub content: Content,
    /// Its attributes (`ext`).
    pub ext: Vec<Attribute>,
}

impl Message {
    /// The text, for a text message.
    pub fn text(&self) -> Option<&str> {
        match &self.content {
            Content::Text(text) => Some(text),
            _ => None,
        }
    }

    /// The attribute `key`, if present.
    pub fn ext(&self, key: &str) -> Option<&Attribute> {
        self.ext.iter().find(|attribute| attribute.key == key)
    }
}

/// What a received message holds.
#[derive(Clone, Debug, PartialEq)]
pub enum Content {
    /// Text.
    Text(String),
    /// A command: an action and parameters.
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
    /// Image, file, voice, video, ...: the content type number (not decoded further here).
    Other {
        /// `Content.type`.
        content_type: i32,
    },
    /// No content.
    Empty,
}

/// A delivery or read receipt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Receipt {
    /// Delivered or read.
    pub kind: ReceiptKind,
    /// Who sent the receipt.
    pub from: String,
    /// Who it is for.
    pub to: String,
    /// The server id of the message it is about.
    pub acked_server_id: Option<u64>,
    /// The server's time of the receipt, Unix ms.
    pub timestamp: u64,
}

/// A kick: the server ended this login.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Kick {
    /// Why.
    pub reason: KickReason,
    /// The device that took over, if the server names it.
    pub replace_device_name: Option<String>,
    /// The other login's extension, if any.
    pub detail: Option<String>,
}

impl From<&ReceivedMessage<'_>> for Message {
    fn from(message: &ReceivedMessage<'_>) -> Self {
        Self {
            server_id: message.server_id(),
            from: message.from().to_owned(),
            from_resource: message.from_resource().map(str::to_owned),
            to: message.to().to_owned(),
            chat: message.chat_type(),
            timestamp: message.timestamp(),
            content: Content::from(message.content()),
            ext: collect(message.ext().iter()),
        }
    }
}

impl From<ReceivedContent<'_>> for Content {
    fn from(content: ReceivedContent<'_>) -> Self {
        match content {
            ReceivedContent::Text(text) => Content::Text(text.to_owned()),
            ReceivedContent::Command { action, params } => Content::Command {
                action: action.to_owned(),
                params: collect(params.iter()),
            },
            ReceivedContent::Custom { event, exts } => Content::Custom {
                event: event.to_owned(),
                exts: collect(exts.iter()),
            },
            ReceivedContent::Location {
                latitude,
                longitude,
                address,
            } => Content::Location {
                latitude,
                longitude,
                address: address.to_owned(),
            },
            ReceivedContent::Other(content) => Content::Other {
                content_type: content.content_type.map_or(0, |kind| kind.0),
            },
            ReceivedContent::Empty => Content::Empty,
        }
    }
}

impl From<&session::Receipt<'_>> for Receipt {
    fn from(receipt: &session::Receipt<'_>) -> Self {
        Self {
            kind: receipt.kind,
            from: receipt.message.from().to_owned(),
            to: receipt.message.to().to_owned(),
            acked_server_id: receipt.acked_server_id(),
            timestamp: receipt.message.timestamp(),
        }
    }
}

impl From<&session::Kick<'_>> for Kick {
    fn from(kick: &session::Kick<'_>) -> Self {
        Self {
            reason: kick.reason,
            replace_device_name: kick.replace_device_name().map(str::to_owned),
            detail: kick.detail().map(str::to_owned),
        }
    }
}
