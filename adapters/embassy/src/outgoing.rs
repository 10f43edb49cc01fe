//! The bounded copy of an [`OutgoingMessage`] that travels from a [`Client`](crate::Client) to
//! the runner through the channels.

use heapless::Vec;
use msync_core::session::{
    ChatType, ChatroomPriority, MessageId, OutgoingContent, OutgoingMessage, ReceivedContent, Route,
};
use msync_core::wire::msync::{KeyValue, Repeated};

use crate::body::{Body, Content};
use crate::event::Name;

/// Who receives it, the directed recipients kept in the body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Recipients {
    All,
    OnlineOnly,
    Directed,
}

/// An [`OutgoingMessage`], copied: `TEXT` bytes of strings, `ATTRS` attributes and directed
/// recipients.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Outgoing<const TEXT: usize, const ATTRS: usize> {
    to: Name,
    chat: ChatType,
    recipients: Recipients,
    priority: Option<ChatroomPriority>,
    id: Option<MessageId>,
    body: Body<TEXT, ATTRS>,
}

impl<const TEXT: usize, const ATTRS: usize> Outgoing<TEXT, ATTRS> {
    /// The copy of `message`, or `None` when a part does not fit.
    pub(crate) fn copy(message: &OutgoingMessage<'_>) -> Option<Self> {
        // Every field, so that a new one is not forgotten here.
        let OutgoingMessage {
            to,
            chat,
            content,
            ext,
            route,
            priority,
            id,
        } = *message;
        let content = match content {
            OutgoingContent::Text(text) => ReceivedContent::Text(text),
            OutgoingContent::Command { action, params } => ReceivedContent::Command {
                action,
                params: Repeated::from_slice(params),
            },
            OutgoingContent::Custom { event, exts } => ReceivedContent::Custom {
                event,
                exts: Repeated::from_slice(exts),
            },
            OutgoingContent::Location {
                latitude,
                longitude,
                address,
            } => ReceivedContent::Location {
                latitude,
                longitude,
                address,
            },
        };
        let mut body = Body::copy(&content, Repeated::from_slice(ext))?;
        let recipients = match route {
            Route::All => Recipients::All,
            Route::OnlineOnly => Recipients::OnlineOnly,
            Route::Directed(users) => {
                for user in users {
                    body.push_recipient(user)?;
                }
                Recipients::Directed
            }
        };
        Some(Self {
            to: Name::try_from(to).ok()?,
            chat,
            recipients,
            priority,
            id,
            body,
        })
    }

    /// Calls `f` with the message, borrowing this copy.
    pub(crate) fn with_view<R>(&self, f: impl FnOnce(&OutgoingMessage<'_>) -> R) -> R {
        // The body holds at most ATTRS attributes and ATTRS recipients: the pushes fit.
        let mut attributes: Vec<KeyValue<'_>, ATTRS> = Vec::new();
        for attribute in self.body.attributes() {
            let _ = attributes.push(attribute);
        }
        let mut users: Vec<&str, ATTRS> = Vec::new();
        for user in self.body.recipients() {
            let _ = users.push(user);
        }
        let (fields, ext) = attributes
            .split_at_checked(self.body.field_count())
            .unwrap_or_default();
        let content = match self.body.content() {
            Content::Text(text) => OutgoingContent::Text(text),
            Content::Command { action, .. } => OutgoingContent::Command {
                action,
                params: fields,
            },
            Content::Custom { event, .. } => OutgoingContent::Custom {
                event,
                exts: fields,
            },
            Content::Location {
                latitude,
                longitude,
                address,
            } => OutgoingContent::Location {
                latitude,
                longitude,
                address,
            },
            // Never: the copy of an OutgoingContent is one of the above.
            Content::Other | Content::Empty => OutgoingContent::Text(""),
        };
        let route = match self.recipients {
            Recipients::All => Route::All,
            Recipients::OnlineOnly => Route::OnlineOnly,
            Recipients::Directed => Route::Directed(&users),
        };
        f(&OutgoingMessage {
            to: &self.to,
            chat: self.chat,
            content,
            ext,
            route,
            priority: self.priority,
            id: self.id,
        })
    }
}

#[cfg(test)]
mod tests {
    use msync_core::session::ChatroomPriority;

    use super::*;

    fn round_trip<const TEXT: usize, const ATTRS: usize>(message: &OutgoingMessage<'_>) {
        let copy = Outgoing::<TEXT, ATTRS>::copy(message).expect("fits");
        copy.with_view(|view| assert_eq!(view, message));
    }

    #[test]
    fn every_kind_of_message_survives_the_copy() {
        let params = [KeyValue::bool("on", true), KeyValue::int("level", 3)];
        let ext = [KeyValue::string("trace", "t-1")];
        let users = ["bob", "carol"];
        round_trip::<64, 4>(&OutgoingMessage::text("bob", "hello"));
        round_trip::<64, 4>(&OutgoingMessage::command("bob", "led", &params).with_ext(&ext));
        round_trip::<64, 4>(
            &OutgoingMessage::custom("ops", "alarm", &params)
                .group()
                .with_route(Route::Directed(&users)),
        );
        round_trip::<64, 4>(
            &OutgoingMessage::location("room", 31.2, 121.5, "Shanghai")
                .chat_room()
                .with_ext(&ext)
                .with_route(Route::OnlineOnly)
                .with_priority(ChatroomPriority::Low)
                .with_id(MessageId::new(42).unwrap()),
        );
    }

    #[test]
    fn a_part_too_long_is_refused() {
        let params = [KeyValue::int("a", 1), KeyValue::int("b", 2)];
        let long = "x".repeat(65);
        assert!(Outgoing::<8, 4>::copy(&OutgoingMessage::text("bob", "123456789")).is_none());
        assert!(Outgoing::<8, 1>::copy(&OutgoingMessage::command("bob", "x", &params)).is_none());
        assert!(Outgoing::<64, 4>::copy(&OutgoingMessage::text(&long, "hi")).is_none());
        let users = ["a", "b", "c"];
        let directed = OutgoingMessage::text("g", "hi")
            .group()
            .with_route(Route::Directed(&users));
        assert!(Outgoing::<64, 2>::copy(&directed).is_none());
        assert!(Outgoing::<64, 3>::copy(&directed).is_some());
    }
}
