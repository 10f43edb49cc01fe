//! The frames a client sends (PROTOCOL.md §6, JS SDK layout; vectors `provision_up`, `unread_up`,
//! `statistic_information_up`, `text_*_up`, `sync_*_up`, `logout_up`).

use super::config::{Device, OsKind};
use super::message::{OutgoingContent, OutgoingMessage, Route, USERS_DOMAIN};
use crate::wire::BufferTooSmall;
use crate::wire::json::TOKEN_MARKER;
use crate::wire::msync::{
    Bytes, CommSyncUl, Command, CompressType, Content, EncryptType, Jid, KeyValue, Logout, MSync,
    MessageBody, Meta, NameSpace, Operation, OsType, Provision, Repeated, RouteType,
    StatisticsBody,
};
use crate::wire::proto::{Encode, Writer};

const NO_ENCRYPTION: [EncryptType; 1] = [EncryptType::ENCRYPT_NONE];
const NO_COMPRESSION: [CompressType; 1] = [CompressType::COMPRESS_NONE];

/// Who this client is on the wire. No `Debug`: it holds the token.
#[derive(Clone, Copy)]
pub(crate) struct Identity<'a> {
    pub(crate) app_key: &'a str,
    pub(crate) user: &'a str,
    pub(crate) resource: &'a str,
    /// `"$t$" + token`. Never logged.
    pub(crate) auth: &'a str,
    pub(crate) session_id: &'a str,
}

impl<'a> Identity<'a> {
    fn guid(&self) -> Jid<'a> {
        Jid {
            client_resource: Some(self.resource),
            ..Jid::bare(self.app_key, self.user, USERS_DOMAIN)
        }
    }

    /// The token without its marker.
    fn token(&self) -> &'a str {
        self.auth.get(TOKEN_MARKER.len()..).unwrap_or("")
    }
}

/// `{"token":"$t$<token>"}`, written in place; the token holds no JSON-special characters
/// (the token store only accepts such tokens).
struct TokenJson<'a>(&'a str);

impl Encode for TokenJson<'_> {
    fn encoded_len(&self) -> usize {
        r#"{"token":""}"#.len() + TOKEN_MARKER.len() + self.0.len()
    }

    fn encode_to(&self, writer: &mut Writer<'_>) {
        writer.put_slice(br#"{"token":""#);
        writer.put_slice(TOKEN_MARKER.as_bytes());
        writer.put_slice(self.0.as_bytes());
        writer.put_slice(br#""}"#);
    }
}

/// A PROVISION or LOGOUT envelope (the ones that carry `guid` and `auth`).
fn credential_envelope<'a>(
    who: &Identity<'a>,
    command: Command,
    payload: &'a (dyn Encode + Sync),
    trace_id: u64,
) -> MSync<'a> {
    MSync {
        guid: Some(who.guid()),
        auth: Some(who.auth),
        command: Some(command),
        payload: Some(Bytes::Nested(payload)),
        device_id: Some(0),
        encrypt_type: Repeated::from(&NO_ENCRYPTION),
        trace_id: Some(trace_id),
        ..MSync::EMPTY
    }
}

/// A SYNC envelope around an encoded or nested `CommSyncUL`.
pub(crate) fn sync_envelope(payload: Bytes<'_>, trace_id: u64) -> MSync<'_> {
    MSync {
        command: Some(Command::SYNC),
        payload: Some(payload),
        encrypt_type: Repeated::from(&NO_ENCRYPTION),
        trace_id: Some(trace_id),
        ..MSync::EMPTY
    }
}

/// Calls `write` with the PROVISION frame (vector `provision_up`, no LZ4 offer).
pub(crate) fn with_provision<T>(
    who: &Identity<'_>,
    device: &Device<'_>,
    trace_id: u64,
    write: impl FnOnce(&MSync<'_>) -> T,
) -> T {
    let token = TokenJson(who.token());
    let (os_type, os_custom_value) = match device.os {
        OsKind::Other => (OsType::OS_OTHER, None),
        OsKind::Custom(value) => (OsType::OS_CUSTOM, Some(u32::from(value))),
    };
    let provision = Provision {
        os_type: Some(os_type),
        version: Some(device.sdk_version),
        compress_type: Repeated::from(&NO_COMPRESSION),
        encrypt_type: Repeated::from(&NO_ENCRYPTION),
        device_uuid: Some(device.uuid),
        device_name: Some(device.name),
        resource: Some(who.resource),
        action_version: Some(device.action_version),
        auth_token: Some(Bytes::Nested(&token)),
        os_custom_value,
        session_id: Some(who.session_id),
        reason: device.login_extension,
        ..Provision::EMPTY
    };
    write(&credential_envelope(
        who,
        Command::PROVISION,
        &provision,
        trace_id,
    ))
}

/// Calls `write` with the LOGOUT frame (vector `logout_up`).
pub(crate) fn with_logout<T>(
    who: &Identity<'_>,
    reason: &str,
    trace_id: u64,
    write: impl FnOnce(&MSync<'_>) -> T,
) -> T {
    let logout = Logout {
        session_id: Some(who.session_id),
        reason: Some(reason),
        status: None,
    };
    write(&credential_envelope(
        who,
        Command::LOGOUT,
        &logout,
        trace_id,
    ))
}

/// The UNREAD heartbeat (vector `unread_up`: no payload at all).
pub(crate) fn unread(trace_id: u64) -> MSync<'static> {
    MSync {
        command: Some(Command::UNREAD),
        encrypt_type: Repeated::from(&NO_ENCRYPTION),
        trace_id: Some(trace_id),
        ..MSync::EMPTY
    }
}

/// Calls `write` with the STATISTIC INFORMATION frame (vector `statistic_information_up`).
pub(crate) fn with_statistic_information<T>(
    meta_id: u64,
    trace_id: u64,
    write: impl FnOnce(&MSync<'_>) -> T,
) -> T {
    let statistics = StatisticsBody {
        operation: Some(Operation::INFORMATION),
        ..StatisticsBody::EMPTY
    };
    let sync = CommSyncUl {
        meta: Some(Meta {
            id: Some(meta_id),
            ns: Some(NameSpace::STATISTIC),
            payload: Some(Bytes::Nested(&statistics)),
            ..Meta::EMPTY
        }),
        ..CommSyncUl::EMPTY
    };
    write(&sync_envelope(Bytes::Nested(&sync), trace_id))
}

/// Calls `write` with a pull (vectors `sync_pull_up`, `sync_key_ack_up`).
pub(crate) fn with_pull<T>(
    queue: Jid<'_>,
    key: Option<u64>,
    trace_id: u64,
    write: impl FnOnce(&MSync<'_>) -> T,
) -> T {
    let sync = CommSyncUl {
        key,
        queue: Some(queue),
        ..CommSyncUl::EMPTY
    };
    write(&sync_envelope(Bytes::Nested(&sync), trace_id))
}

/// Encodes the `CommSyncUL` of a send (vectors `text_single_up`, `text_group_up`) into `out`;
/// returns its length.
pub(crate) fn encode_send(
    out: &mut [u8],
    message: &OutgoingMessage<'_>,
    id: u64,
    app_key: &str,
    user: &str,
) -> Result<usize, BufferTooSmall> {
    let contents = [match message.content {
        OutgoingContent::Text(text) => Content::text(text),
        OutgoingContent::Command { action, params } => Content::command(action, params),
        OutgoingContent::Custom { event, exts } => Content::custom(event, exts),
        OutgoingContent::Location {
            latitude,
            longitude,
            address,
        } => Content::location(latitude, longitude, address),
    }];
    let body = MessageBody {
        message_type: Some(message.chat.message_type()),
        from: Some(Jid::name_only(user)),
        to: Some(Jid::name_only(message.to)),
        contents: Repeated::from(&contents),
        ext: Repeated::from(message.ext),
        ..MessageBody::EMPTY
    };
    let priority = message
        .priority
        .map(|p| [KeyValue::int("chatroom_msg_tag", p.tag())]);
    let (routetype, directed_users) = match message.route {
        Route::All => (RouteType::ROUTE_ALL, Repeated::EMPTY),
        Route::OnlineOnly => (RouteType::ROUTE_ONLINE, Repeated::EMPTY),
        Route::Directed(users) => (RouteType::ROUTE_DIRECT, Repeated::from(users)),
    };
    let sync = CommSyncUl {
        meta: Some(Meta {
            id: Some(id),
            to: Some(Jid::bare(app_key, message.to, message.chat.domain())),
            ns: Some(NameSpace::CHAT),
            payload: Some(Bytes::Nested(&body)),
            routetype: Some(routetype),
            ext: priority.as_ref().map_or(Repeated::EMPTY, Repeated::from),
            directed_users,
            ..Meta::EMPTY
        }),
        ..CommSyncUl::EMPTY
    };
    sync.encode(out)
}
