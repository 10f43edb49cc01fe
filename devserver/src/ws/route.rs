//! Routing a chat message: who receives it, in which queue, and storing it there.

use prost::Message as _;

use crate::frames::{CONFERENCE_DOMAIN, USER_DOMAIN, jid, notice, status};
use crate::hub::{Hub, Outbound};
use crate::pb::{MessageBody, Meta, Status, message_body, meta::RouteType, status::ErrorCode};
use crate::store::App;

/// Reason for content over the size limit (PROTOCOL.md §7.5).
const TOO_LARGE: &str = "Sorry, data is too large";

/// Where one message goes.
#[derive(Debug)]
pub(crate) struct Route {
    /// User, group or chat-room id the message is addressed to.
    pub(crate) target: String,
    /// Addressed to a group or chat room.
    pub(crate) conference: bool,
    /// The users whose mailboxes receive it.
    pub(crate) recipients: Vec<String>,
}

impl Route {
    /// Domain of the target and of the queues.
    pub(crate) fn domain(&self) -> &'static str {
        if self.conference {
            CONFERENCE_DOMAIN
        } else {
            USER_DOMAIN
        }
    }

    /// The queue a recipient finds the message in: the group's or room's, else their own.
    fn queue_name<'a>(&'a self, recipient: &'a str) -> &'a str {
        if self.conference {
            &self.target
        } else {
            recipient
        }
    }
}

/// Bytes of a message's content plus ext, the size the cloud limits.
fn content_size(body: &MessageBody) -> usize {
    body.contents
        .iter()
        .map(prost::Message::encoded_len)
        .sum::<usize>()
        + body
            .ext
            .iter()
            .map(prost::Message::encoded_len)
            .sum::<usize>()
}

/// Decides who receives a CHAT meta from `sender`, or the status refusing it.
pub(crate) fn route(
    app: &App,
    hub: &Hub,
    app_key: &str,
    sender: &str,
    meta: &Meta,
    max_content: usize,
) -> Result<Route, Status> {
    let refuse = |code, reason: &str| Err(status(code, reason));
    let to = meta.to.clone().unwrap_or_default();
    let target = to.name.unwrap_or_default();
    if target.is_empty() {
        return refuse(ErrorCode::MissingParameter, "meta.to required");
    }
    let body = match MessageBody::decode(meta.payload.as_deref().unwrap_or_default()) {
        Ok(body) => body,
        Err(e) => return refuse(ErrorCode::PbParserError, &format!("bad MessageBody: {e}")),
    };
    if content_size(&body) > max_content {
        return refuse(ErrorCode::PermissionDenied, TOO_LARGE);
    }
    let conference = to
        .domain
        .as_deref()
        .is_some_and(|d| d.contains("conference"));
    let mut recipients = if conference {
        let Some(room) = app.rooms.get(&target) else {
            return if body.r#type == Some(message_body::Type::Chatroom as i32) {
                refuse(ErrorCode::Fail, &format!("grpID {target} does not exist!"))
            } else {
                refuse(ErrorCode::Fail, "group not found")
            };
        };
        if !room.members.contains(sender) {
            return refuse(ErrorCode::Fail, "not in group or chatroom");
        }
        let mut members: Vec<String> = room
            .members
            .iter()
            .filter(|m| *m != sender)
            .cloned()
            .collect();
        if meta.routetype == Some(RouteType::RouteDirect as i32) {
            members.retain(|m| meta.directed_users.contains(m));
        }
        members
    } else {
        if !app.users.contains_key(&target) {
            return refuse(
                ErrorCode::Fail,
                &format!("username {target} doesn't exist!"),
            );
        }
        vec![target.clone()]
    };
    if meta.routetype == Some(RouteType::RouteOnline as i32) {
        recipients.retain(|r| !hub.sessions(app_key, r).is_empty());
    }
    Ok(Route {
        target,
        conference,
        recipients,
    })
}

/// Appends the delivered meta to each recipient's queue and sends a NOTICE to each of their
/// online sessions.
pub(crate) fn deliver(
    app: &mut App,
    hub: &Hub,
    app_key: &str,
    route: &Route,
    delivered: &Meta,
    cap: usize,
) {
    let domain = route.domain();
    for recipient in &route.recipients {
        let queue = route.queue_name(recipient);
        let key = (recipient.clone(), (queue.to_owned(), domain.to_owned()));
        let dropped = app
            .mailboxes
            .entry(key)
            .or_default()
            .push(delivered.clone(), cap);
        if dropped > 0 {
            tracing::warn!(%recipient, dropped, "queue full; oldest metas dropped");
        }
        for session in hub.sessions(app_key, recipient) {
            session.push(Outbound::Frame(notice(jid(app_key, queue, domain))));
        }
    }
}
