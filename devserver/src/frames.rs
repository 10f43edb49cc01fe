//! The server's down frames, built as PROTOCOL.md lays them out (field for field, as the golden
//! vectors show), and the decoding of up frames.

use prost::Message;

use crate::pb::{
    CommNotice, CommSyncDl, CommUnreadDl, Jid, Logout, MSync, Meta, MetaQueue, Provision,
    RedirectInfo, StatisticsBody, Status, m_sync::Command, meta::NameSpace, status::ErrorCode,
};

/// Domain of user JIDs.
pub(crate) const USER_DOMAIN: &str = "easemob.com";
/// Domain of group and chat-room JIDs.
pub(crate) const CONFERENCE_DOMAIN: &str = "conference.easemob.com";

/// A bare JID.
pub(crate) fn jid(app_key: &str, name: &str, domain: &str) -> Jid {
    Jid {
        app_key: Some(app_key.to_owned()),
        name: Some(name.to_owned()),
        domain: Some(domain.to_owned()),
        client_resource: None,
    }
}

/// A status with a code and, unless empty, a reason.
pub(crate) fn status(code: ErrorCode, reason: &str) -> Status {
    Status {
        error_code: Some(code as i32),
        reason: (!reason.is_empty()).then(|| reason.to_owned()),
        redirect_info: Vec::new(),
    }
}

fn ok() -> Status {
    status(ErrorCode::Ok, "")
}

/// A down envelope: `command` and `payload`, nothing else.
pub(crate) fn envelope(command: Command, body: &impl Message) -> MSync {
    MSync {
        command: Some(command as i32),
        payload: Some(body.encode_to_vec()),
        ..MSync::default()
    }
}

/// ACK of a stored send: `{status OK, meta_id, server_id, timestamp}`.
pub(crate) fn ack(meta_id: u64, server_id: u64, timestamp: u64) -> MSync {
    envelope(
        Command::Sync,
        &CommSyncDl {
            status: Some(ok()),
            meta_id: Some(meta_id),
            server_id: Some(server_id),
            timestamp: Some(timestamp),
            ..CommSyncDl::default()
        },
    )
}

/// A refused send: `{status, meta_id, server_id}`.
pub(crate) fn nack(meta_id: u64, server_id: u64, refusal: Status) -> MSync {
    envelope(
        Command::Sync,
        &CommSyncDl {
            status: Some(refusal),
            meta_id: Some(meta_id),
            server_id: Some(server_id),
            ..CommSyncDl::default()
        },
    )
}

/// A SYNC reply that is neither ACK nor batch: just a status (e.g. a malformed request).
pub(crate) fn sync_status(problem: Status) -> MSync {
    envelope(
        Command::Sync,
        &CommSyncDl {
            status: Some(problem),
            ..CommSyncDl::default()
        },
    )
}

/// A batch of metas: `{status OK, metas, next_key, queue, is_last false}`.
pub(crate) fn batch(queue: Jid, metas: Vec<Meta>, next_key: u64) -> MSync {
    envelope(
        Command::Sync,
        &CommSyncDl {
            status: Some(ok()),
            metas,
            next_key: Some(next_key),
            queue: Some(queue),
            is_last: Some(false),
            ..CommSyncDl::default()
        },
    )
}

/// The end of a queue: `{status OK, queue, is_last true}`.
pub(crate) fn drained(queue: Jid) -> MSync {
    envelope(
        Command::Sync,
        &CommSyncDl {
            status: Some(ok()),
            queue: Some(queue),
            is_last: Some(true),
            ..CommSyncDl::default()
        },
    )
}

/// A kick: a batch holding one STATISTIC meta, `{status OK, metas, next_key, queue}`.
pub(crate) fn kick(
    queue: Jid,
    meta_id: u64,
    timestamp: u64,
    body: &StatisticsBody,
    next_key: u64,
) -> MSync {
    let meta = Meta {
        id: Some(meta_id),
        timestamp: Some(timestamp),
        ns: Some(NameSpace::Statistic as i32),
        payload: Some(body.encode_to_vec()),
        ..Meta::default()
    };
    envelope(
        Command::Sync,
        &CommSyncDl {
            status: Some(ok()),
            metas: vec![meta],
            next_key: Some(next_key),
            queue: Some(queue),
            ..CommSyncDl::default()
        },
    )
}

/// NOTICE for a queue.
pub(crate) fn notice(queue: Jid) -> MSync {
    envelope(Command::Notice, &CommNotice { queue: Some(queue) })
}

/// UNREAD reply: `{status OK, unread [{queue, n}], timestamp}`.
pub(crate) fn unread_reply(unread: Vec<(Jid, u32)>, timestamp: u64) -> MSync {
    let unread = unread.into_iter().map(|(queue, n)| MetaQueue {
        queue: Some(queue),
        n: Some(n),
    });
    envelope(
        Command::Unread,
        &CommUnreadDl {
            status: Some(ok()),
            unread: unread.collect(),
            timestamp: Some(timestamp),
        },
    )
}

/// UNREAD reply carrying only a status (e.g. a refusal).
pub(crate) fn unread_status(problem: Status) -> MSync {
    envelope(
        Command::Unread,
        &CommUnreadDl {
            status: Some(problem),
            ..CommUnreadDl::default()
        },
    )
}

/// PROVISION reply accepting a login: `{status OK, resource, auth_token?, session_id}`.
pub(crate) fn provision_ok(resource: &str, auth_token: Option<Vec<u8>>, session_id: &str) -> MSync {
    envelope(
        Command::Provision,
        &Provision {
            status: Some(ok()),
            resource: Some(resource.to_owned()),
            auth_token,
            session_id: Some(session_id.to_owned()),
            ..Provision::default()
        },
    )
}

/// PROVISION reply refusing a login: `{status}`.
pub(crate) fn provision_refused(refusal: Status) -> MSync {
    envelope(
        Command::Provision,
        &Provision {
            status: Some(refusal),
            ..Provision::default()
        },
    )
}

/// PROVISION reply sending the client to another gateway.
pub(crate) fn provision_redirect(host: &str, port: u16) -> MSync {
    let mut redirect = status(ErrorCode::Redirect, "");
    redirect.redirect_info.push(RedirectInfo {
        host: Some(host.to_owned()),
        port: Some(u32::from(port)),
    });
    provision_refused(redirect)
}

/// LOGOUT reply: `{status}`.
pub(crate) fn logout_reply(result: Status) -> MSync {
    envelope(
        Command::Logout,
        &Logout {
            status: Some(result),
            ..Logout::default()
        },
    )
}

/// LOGOUT reply accepting the logout.
pub(crate) fn logout_ok() -> MSync {
    logout_reply(ok())
}

/// The `auth_token` JSON of a PROVISION reply: the token and its absolute expiry in ms.
pub(crate) fn auth_token_json(token: &str, expires_at_ms: u64) -> Vec<u8> {
    let token = serde_json::Value::String(token.to_owned());
    format!(r#"{{"token":{token},"expires_in":{expires_at_ms}}}"#).into_bytes()
}

/// The meta a recipient pulls for a message someone sent: the sent meta's `ns`, `payload`,
/// `ext` and `meta`, with the server's id and time, the sender's full JID as `from` and the
/// normalised recipient as `to` (routing fields are not repeated).
pub(crate) fn delivered_meta(
    sent: &Meta,
    from: Jid,
    to: Jid,
    server_id: u64,
    timestamp: u64,
) -> Meta {
    Meta {
        id: Some(server_id),
        from: Some(from),
        to: Some(to),
        timestamp: Some(timestamp),
        ns: sent.ns,
        payload: sent.payload.clone(),
        ext: sent.ext.clone(),
        meta: sent.meta.clone(),
        ..Meta::default()
    }
}

/// The command of an envelope, if it is one of the five known.
pub(crate) fn command_of(frame: &MSync) -> Option<Command> {
    frame.command.and_then(|c| Command::try_from(c).ok())
}

/// A short name for a command number, known or not.
pub(crate) fn command_name(command: Option<i32>) -> String {
    match command.map(Command::try_from) {
        Some(Ok(c)) => c.as_str_name().to_owned(),
        Some(Err(_)) => format!("COMMAND({})", command.unwrap_or_default()),
        None => "NO_COMMAND".to_owned(),
    }
}

/// Decodes a body, mapping failure to the `PB_PARSER_ERROR` status to answer with.
pub(crate) fn decode_body<M: Message + Default>(payload: Option<&[u8]>) -> Result<M, Status> {
    M::decode(payload.unwrap_or_default())
        .map_err(|e| status(ErrorCode::PbParserError, &format!("bad payload: {e}")))
}

#[cfg(test)]
mod tests;
