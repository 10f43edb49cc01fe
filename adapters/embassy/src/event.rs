//! What the [`Client`](crate::Client) hands the application: owned, bounded copies of the
//! session's events (which borrow the session's buffers and live only briefly).

use heapless::String;
use msync_core::session::{
    CapacityError, ChatType, CloseReason, Disconnect, Event, KickReason, LoginError, MessageId,
    ReceiptKind, ReceivedContent, ReceivedMessage, RejectReason, SendFailure,
};
use msync_core::time::{Duration, Instant};

/// The longest user, group or chat-room ID an event carries (the cloud allows 64).
pub const MAX_NAME_LEN: usize = 64;

/// A user, group or chat-room ID.
pub type Name = String<MAX_NAME_LEN>;

/// The server's acknowledgement of a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Ack {
    /// The id the client gave the message (kept across re-sends).
    pub id: MessageId,
    /// The server's id of the message.
    pub server_id: u64,
    /// The server's time of the message, Unix ms (0 when absent).
    pub timestamp: u64,
}

/// Why a send ended without acknowledgement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum SendFailed {
    /// The server refused the message.
    Rejected(RejectReason),
    /// No acknowledgement within the send deadline, across re-sends.
    TimedOut,
    /// The session ended first; the message may or may not have reached the server.
    SessionEnded(CloseReason),
    /// The frame does not fit the session's transmit buffer for this gateway.
    FrameTooLarge {
        /// Bytes needed.
        needed: usize,
    },
}

impl From<SendFailure<'_>> for SendFailed {
    fn from(failure: SendFailure<'_>) -> Self {
        match failure {
            SendFailure::Rejected { reason, .. } => SendFailed::Rejected(reason),
            SendFailure::TimedOut => SendFailed::TimedOut,
            SendFailure::SessionEnded(reason) => SendFailed::SessionEnded(reason),
            SendFailure::FrameTooLarge { needed } => SendFailed::FrameTooLarge { needed },
        }
    }
}

/// A received chat message, copied. `TEXT` bounds its text.
#[derive(Clone, Debug, PartialEq)]
pub struct Message<const TEXT: usize> {
    /// The sender's user ID.
    pub from: Name,
    /// The recipient: this user, or the group or chat room.
    pub to: Name,
    /// One-to-one, group or chat room.
    pub chat: ChatType,
    /// The server's message id.
    pub server_id: u64,
    /// The server's time of the message, Unix ms.
    pub timestamp: u64,
    /// What it holds.
    pub content: Content<TEXT>,
}

/// What a received message holds.
#[derive(Clone, Debug, PartialEq)]
pub enum Content<const TEXT: usize> {
    /// Text.
    Text(String<TEXT>),
    /// A command message's action (its parameters are not copied).
    Command(String<TEXT>),
    /// A custom message's event name (its attributes are not copied).
    Custom(String<TEXT>),
    /// A location.
    Location {
        /// Latitude.
        latitude: f64,
        /// Longitude.
        longitude: f64,
    },
    /// Image, file, voice, video, ...: not copied.
    Other,
    /// No content.
    Empty,
}

/// Something the application should know, owned. `TEXT` bounds message text.
#[derive(Clone, Debug, PartialEq)]
pub enum ClientEvent<const TEXT: usize> {
    /// A login started.
    Connecting,
    /// Logged in.
    Online,
    /// The connection was lost or a login round failed; the next attempt comes after `delay`.
    Reconnecting {
        /// Failed rounds in a row, from 1.
        attempt: u32,
        /// The wait before the next attempt.
        delay: Duration,
        /// What went wrong.
        cause: Disconnect,
    },
    /// The session ended for good (until the next login).
    Closed {
        /// Why.
        reason: CloseReason,
    },
    /// The server refused the login; `Closed` follows.
    LoginFailed {
        /// Why.
        error: LoginError,
    },
    /// A chat message arrived.
    Message(Message<TEXT>),
    /// A message arrived whose IDs or text do not fit the client's bounded copy (`TEXT`,
    /// [`MAX_NAME_LEN`]): it was received (and is acknowledged to the server) but not copied.
    Oversized {
        /// The server's message id.
        server_id: u64,
        /// The text's length in bytes.
        len: usize,
    },
    /// A delivery or read receipt arrived.
    Receipt {
        /// Delivered or read.
        kind: ReceiptKind,
        /// Who sent the receipt (`None` if the ID is longer than [`MAX_NAME_LEN`]).
        from: Option<Name>,
        /// The server id of the message it is about.
        server_id: Option<u64>,
    },
    /// A NOTIFY meta (JSON) arrived; its JSON is not copied.
    Notification,
    /// The server ended this login; `Closed` follows.
    Kicked {
        /// Why.
        reason: KickReason,
    },
    /// The token expires then; renew it or log in again with a new one.
    TokenWillExpire {
        /// When (session time).
        expires_at: Instant,
    },
    /// The session obtained a new token.
    TokenUpdated,
    /// A bounded capacity ran out; the session recovered as the error describes.
    Capacity(CapacityError),
    /// A send ended whose caller had stopped waiting for it.
    SendEnded {
        /// Its id.
        id: MessageId,
        /// How it ended.
        result: Result<Ack, SendFailed>,
    },
}

impl<const TEXT: usize> ClientEvent<TEXT> {
    /// The owned form of `event`.
    pub fn from_event(event: &Event<'_>) -> Self {
        match event {
            Event::Connecting => ClientEvent::Connecting,
            Event::Online => ClientEvent::Online,
            Event::Reconnecting {
                attempt,
                delay,
                cause,
            } => ClientEvent::Reconnecting {
                attempt: *attempt,
                delay: *delay,
                cause: *cause,
            },
            Event::Closed { reason } => ClientEvent::Closed { reason: *reason },
            Event::LoginFailed { error, .. } => ClientEvent::LoginFailed { error: *error },
            Event::Message(message) => copy_message(message),
            Event::Receipt(receipt) => ClientEvent::Receipt {
                kind: receipt.kind,
                from: Name::try_from(receipt.message.from()).ok(),
                server_id: receipt.acked_server_id(),
            },
            Event::Notification(_) => ClientEvent::Notification,
            Event::SendAcked {
                id,
                server_id,
                timestamp,
            } => ClientEvent::SendEnded {
                id: *id,
                result: Ok(Ack {
                    id: *id,
                    server_id: *server_id,
                    timestamp: *timestamp,
                }),
            },
            Event::SendFailed { id, error } => ClientEvent::SendEnded {
                id: *id,
                result: Err(SendFailed::from(*error)),
            },
            Event::Kicked(kick) => ClientEvent::Kicked {
                reason: kick.reason,
            },
            Event::TokenWillExpire { expires_at } => ClientEvent::TokenWillExpire {
                expires_at: *expires_at,
            },
            Event::TokenUpdated => ClientEvent::TokenUpdated,
            Event::Capacity(error) => ClientEvent::Capacity(*error),
        }
    }
}

/// The copy of a message, or `Oversized` when a part does not fit.
fn copy_message<const TEXT: usize>(message: &ReceivedMessage<'_>) -> ClientEvent<TEXT> {
    let server_id = message.server_id();
    let content = message.content();
    let copied = (|| {
        let content = match content {
            ReceivedContent::Text(text) => Content::Text(String::try_from(text).ok()?),
            ReceivedContent::Command { action, .. } => {
                Content::Command(String::try_from(action).ok()?)
            }
            ReceivedContent::Custom { event, .. } => Content::Custom(String::try_from(event).ok()?),
            ReceivedContent::Location {
                latitude,
                longitude,
                ..
            } => Content::Location {
                latitude,
                longitude,
            },
            ReceivedContent::Other(_) => Content::Other,
            ReceivedContent::Empty => Content::Empty,
        };
        Some(Message {
            from: Name::try_from(message.from()).ok()?,
            to: Name::try_from(message.to()).ok()?,
            chat: message.chat_type(),
            server_id,
            timestamp: message.timestamp(),
            content,
        })
    })();
    match copied {
        Some(message) => ClientEvent::Message(message),
        None => ClientEvent::Oversized {
            server_id,
            len: match content {
                ReceivedContent::Text(text) => text.len(),
                ReceivedContent::Command { action, .. } => action.len(),
                ReceivedContent::Custom { event, .. } => event.len(),
                _ => 0,
            },
        },
    }
}
