//! What the [`Client`](crate::Client) hands the application: owned, bounded copies of the
//! session's events (which borrow the session's buffers and live only briefly).

use heapless::String;
use msync_core::session::{
    CapacityError, ChatType, CloseReason, Disconnect, Event, KickReason, LoginError, MessageId,
    ReceiptKind, ReceivedMessage, RejectReason, SendFailure,
};
use msync_core::time::{Duration, Instant};

use crate::body::{Body, Content, Needs};
use crate::store::Attributes;

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

/// A received chat message, copied: `TEXT` bytes of text (its content's text and its
/// attributes' keys and string values together) and `ATTRS` attributes (a command's parameters
/// or a custom event's fields, plus the message's ext).
#[derive(Clone, PartialEq)]
pub struct Message<const TEXT: usize, const ATTRS: usize = 4> {
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
    body: Body<TEXT, ATTRS>,
}

impl<const TEXT: usize, const ATTRS: usize> Message<TEXT, ATTRS> {
    /// What it holds.
    pub fn content(&self) -> Content<'_> {
        self.body.content()
    }

    /// Its attributes (`ext`).
    pub fn ext(&self) -> Attributes<'_> {
        self.body.ext()
    }

    /// The text, for a text message.
    pub fn text(&self) -> Option<&str> {
        match self.content() {
            Content::Text(text) => Some(text),
            _ => None,
        }
    }
}

impl<const TEXT: usize, const ATTRS: usize> core::fmt::Debug for Message<TEXT, ATTRS> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Message")
            .field("from", &self.from)
            .field("to", &self.to)
            .field("chat", &self.chat)
            .field("server_id", &self.server_id)
            .field("timestamp", &self.timestamp)
            .field("content", &self.content())
            .field("ext", &self.ext())
            .finish()
    }
}

/// Something the application should know, owned. `TEXT` and `ATTRS` bound a message's copy
/// (see [`Message`]).
#[derive(Clone, Debug, PartialEq)]
pub enum ClientEvent<const TEXT: usize, const ATTRS: usize = 4> {
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
    Message(Message<TEXT, ATTRS>),
    /// A message arrived that does not fit the client's bounded copy: more than `TEXT` bytes
    /// of text, more than `ATTRS` attributes, or a sender or recipient ID longer than
    /// [`MAX_NAME_LEN`]. It was received (and is acknowledged to the server) but not copied.
    Oversized {
        /// The server's message id.
        server_id: u64,
        /// The sender (`None` when the ID is longer than [`MAX_NAME_LEN`]).
        from: Option<Name>,
        /// The bytes of text it needs: its content's text (text, action, event name or
        /// address) and its attributes' keys and string values (compare with `TEXT`).
        bytes: usize,
        /// Its attributes: the content's (command parameters, custom fields) and its ext
        /// (compare with `ATTRS`).
        attributes: usize,
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

impl<const TEXT: usize, const ATTRS: usize> ClientEvent<TEXT, ATTRS> {
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
fn copy_message<const TEXT: usize, const ATTRS: usize>(
    message: &ReceivedMessage<'_>,
) -> ClientEvent<TEXT, ATTRS> {
    let content = message.content();
    let from = Name::try_from(message.from()).ok();
    let to = Name::try_from(message.to()).ok();
    match (from, to, Body::copy(&content, message.ext())) {
        (Some(from), Some(to), Some(body)) => ClientEvent::Message(Message {
            from,
            to,
            chat: message.chat_type(),
            server_id: message.server_id(),
            timestamp: message.timestamp(),
            body,
        }),
        (from, _, _) => {
            let needs = Needs::of(&content, message.ext());
            ClientEvent::Oversized {
                server_id: message.server_id(),
                from,
                bytes: needs.bytes,
                attributes: needs.attributes,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use msync_core::wire::msync::{
        Content as WireContent, ContentType, Jid, KeyValue, MessageBody, MessageType, Meta,
        Repeated, Value,
    };

    use super::*;

    fn jid(name: &str) -> Option<Jid<'_>> {
        Some(Jid {
            name: Some(name),
            ..Jid::EMPTY
        })
    }

    /// A received command from `from` to `to`, its parameters and ext.
    fn command<'a>(
        from: &'a str,
        contents: &'a [WireContent<'a>],
        ext: &'a [KeyValue<'a>],
    ) -> ReceivedMessage<'a> {
        ReceivedMessage {
            meta: Meta {
                id: Some(77),
                from: jid(from),
                to: jid("bob"),
                timestamp: Some(1_700_000_000_123),
                ..Meta::EMPTY
            },
            body: MessageBody {
                message_type: Some(MessageType::GROUPCHAT),
                contents: Repeated::from_slice(contents),
                ext: Repeated::from_slice(ext),
                ..MessageBody::EMPTY
            },
        }
    }

    const PARAMS: [KeyValue<'static>; 3] = [
        KeyValue::bool("on", true),
        KeyValue::int("level", -3),
        KeyValue::string("color", "red"),
    ];
    const EXT: [KeyValue<'static>; 1] = [KeyValue::double("ratio", 0.25)];

    fn led() -> [WireContent<'static>; 1] {
        [WireContent {
            content_type: Some(ContentType::COMMAND),
            action: Some("led"),
            params: Repeated::from_slice(&PARAMS),
            ..WireContent::EMPTY
        }]
    }

    #[test]
    fn a_command_is_copied_with_every_parameter_and_its_ext() {
        let contents = led();
        let event =
            ClientEvent::<32, 4>::from_event(&Event::Message(command("alice", &contents, &EXT)));
        let ClientEvent::Message(message) = event else {
            panic!("not copied: {event:?}");
        };
        assert_eq!(message.from, "alice");
        assert_eq!(message.to, "bob");
        assert_eq!(message.chat, ChatType::Group);
        assert_eq!(message.server_id, 77);
        assert_eq!(message.timestamp, 1_700_000_000_123);
        let Content::Command { action, params } = message.content() else {
            panic!("not a command: {message:?}");
        };
        assert_eq!(action, "led");
        assert!(params.iter().eq(PARAMS));
        assert_eq!(params.get("level"), Some(Value::Varint(-3)));
        assert!(message.ext().iter().eq(EXT));
        assert_eq!(message.text(), None);
    }

    /// What the command from `from` needs: 23 bytes and 4 attributes.
    fn oversized<const TEXT: usize, const ATTRS: usize>(
        from: Option<&str>,
    ) -> ClientEvent<TEXT, ATTRS> {
        ClientEvent::Oversized {
            server_id: 77,
            from: from.map(|from| Name::try_from(from).unwrap()),
            bytes: 3 + 2 + 5 + 5 + 3 + 5,
            attributes: 4,
        }
    }

    #[test]
    fn a_message_that_does_not_fit_is_reported_with_what_it_needs() {
        let contents = led();
        let received = Event::Message(command("alice", &contents, &EXT));
        let fits = ClientEvent::<23, 4>::from_event(&received);
        assert!(matches!(fits, ClientEvent::Message(_)), "{fits:?}");
        assert_eq!(
            ClientEvent::<22, 4>::from_event(&received),
            oversized(Some("alice"))
        );
        assert_eq!(
            ClientEvent::<23, 3>::from_event(&received),
            oversized(Some("alice"))
        );

        let long = "x".repeat(MAX_NAME_LEN + 1);
        let received = Event::Message(command(&long, &contents, &EXT));
        assert_eq!(ClientEvent::<23, 4>::from_event(&received), oversized(None));
    }

    #[test]
    fn custom_location_and_other_contents_are_copied() {
        let exts = [KeyValue::string("zone", "kitchen")];
        let contents = [
            WireContent {
                content_type: Some(ContentType::CUSTOM),
                custom_event: Some("alarm"),
                custom_exts: Repeated::from_slice(&exts),
                ..WireContent::EMPTY
            },
            WireContent {
                content_type: Some(ContentType::LOCATION),
                latitude: Some(31.25),
                longitude: Some(121.5),
                address: Some("Shanghai"),
                ..WireContent::EMPTY
            },
            WireContent {
                content_type: Some(ContentType::IMAGE),
                ..WireContent::EMPTY
            },
        ];
        let copy = |content: &WireContent<'_>| {
            let message = command("alice", core::slice::from_ref(content), &[]);
            match ClientEvent::<32, 2>::from_event(&Event::Message(message)) {
                ClientEvent::Message(message) => message,
                other => panic!("not copied: {other:?}"),
            }
        };
        let custom = copy(&contents[0]);
        assert!(matches!(
            custom.content(),
            Content::Custom { event: "alarm", exts: copied } if copied.iter().eq(exts)
        ));
        assert!(custom.ext().is_empty());
        assert_eq!(
            copy(&contents[1]).content(),
            Content::Location {
                latitude: 31.25,
                longitude: 121.5,
                address: "Shanghai",
            }
        );
        assert_eq!(copy(&contents[2]).content(), Content::Other);
    }
}
