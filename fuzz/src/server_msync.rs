//! Server msync frames built with the core's encoder from fuzzer-chosen fields, so that a
//! session under fuzzing gets frames that decode (PROVISION replies, UNREAD replies, ACKs,
//! batches of chat, kick and notification metas, NOTICE, LOGOUT, unknown commands), in every
//! form the gateway may send them: binary or base64 text, zlib-compressed, fragmented.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use msync_core::wire::msync::{
    Bytes, CommNotice, CommSyncDl, CommUnreadDl, Command, CompressType, Content, Encode, ErrorCode,
    Jid, Logout, MSync, MessageBody, MessageType, Meta, MetaQueue, NameSpace, Operation, Provision,
    RedirectInfo, Repeated, StatisticsBody, Status,
};

use crate::script::Script;
use crate::ws_frames::server_frame;

/// `value` encoded into an exact buffer.
pub fn encode(value: &dyn Encode) -> Vec<u8> {
    let mut out = vec![0; value.encoded_len()];
    let len = value.encode(&mut out).expect("an exact buffer fits");
    assert_eq!(len, out.len(), "encode disagrees with encoded_len");
    out
}

const APP_KEYS: [Option<&str>; 3] = [Some("org#app"), Some("other#app"), None];
const NAMES: [Option<&str>; 6] = [
    Some("alice"),
    Some("bob"),
    Some("ops-room"),
    Some(""),
    Some("admin"),
    None,
];
const DOMAINS: [Option<&str>; 3] = [Some("easemob.com"), Some("conference.easemob.com"), None];
const RESOURCES: [Option<&str>; 4] = [
    None,
    Some("webim_zfb_1700000000000"),
    Some("webim_srv_assigned"),
    Some("bad resource/with@"),
];
const REASONS: [Option<&str>; 7] = [
    None,
    Some(""),
    Some("Sorry, token expired"),
    Some("user not found"),
    Some("blocked"),
    Some("not in group or chatroom"),
    Some("the message has expired"),
];
const HOSTS: [Option<&str>; 5] = [
    Some("gw-r1.example"),
    Some("im-api-wechat.easemob.com"),
    Some("127.0.0.1"),
    Some(""),
    None,
];
const PORTS: [Option<u32>; 5] = [Some(443), Some(8099), Some(0), Some(70_000), None];
const EXPIRIES: [&str; 7] = [
    "60",
    "3600",
    "\"604800\"",
    "1700000120",
    "1700000060000",
    "0",
    "18446744073709551615",
];

fn jid(s: &mut Script<'_>) -> Jid<'static> {
    Jid {
        app_key: s.pick(&APP_KEYS),
        name: s.pick(&NAMES),
        domain: s.pick(&DOMAINS),
        client_resource: s.pick(&RESOURCES),
    }
}

/// Mostly OK, otherwise any code the schema has (and a few it does not).
fn error_code(s: &mut Script<'_>) -> ErrorCode {
    match s.byte() {
        byte if byte < 160 => ErrorCode::OK,
        byte => ErrorCode(i32::from(byte % 24)),
    }
}

/// A status (or none), with up to two redirect targets from `redirects`.
fn status<'a>(s: &mut Script<'_>, redirects: &'a [RedirectInfo<'a>]) -> Option<Status<'a>> {
    let shape = s.byte();
    if shape % 8 == 7 {
        return None;
    }
    let count = usize::from(shape / 8 % 3).min(redirects.len());
    Some(Status {
        error_code: Some(error_code(s)),
        reason: s.pick(&REASONS),
        redirect_info: Repeated::from_slice(&redirects[..count]),
    })
}

fn redirect(s: &mut Script<'_>) -> RedirectInfo<'static> {
    RedirectInfo {
        host: s.pick(&HOSTS),
        port: s.pick(&PORTS),
    }
}

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A server msync frame (its bytes, before WebSocket framing) of a fuzzer-chosen kind.
/// `pending` are client ids of sends in flight, so that ACKs can match them.
pub fn msync_frame(s: &mut Script<'_>, pending: &[u64]) -> Vec<u8> {
    let (command, body) = match s.byte() % 8 {
        0 => (Command::PROVISION, provision_reply(s)),
        1 => (Command::UNREAD, unread_reply(s)),
        2 => (Command::SYNC, ack(s, pending)),
        3 | 4 => (Command::SYNC, batch(s)),
        5 => (Command::NOTICE, notice(s)),
        6 => (Command::LOGOUT, logout_reply(s)),
        _ => (Command(i32::from(s.byte() % 8)), s.short_bytes().to_vec()),
    };
    envelope(s, command, &body)
}

/// The envelope around `body`: maybe zlib-compressed, maybe with a trace id.
fn envelope(s: &mut Script<'_>, command: Command, body: &[u8]) -> Vec<u8> {
    let style = s.byte();
    let compressed;
    let (algorithm, payload) = match style % 8 {
        0 | 1 => (Some(1), {
            compressed = miniz_oxide::deflate::compress_to_vec_zlib(body, 6);
            &compressed[..]
        }),
        2 => (Some(u32::from(style >> 3)), body),
        _ => (None, body),
    };
    encode(&MSync {
        command: Some(command),
        payload: Some(Bytes::Raw(payload)),
        compress_algorimth: algorithm,
        trace_id: (style & 0x80 != 0).then_some(7_130_316_800_000_004_097),
        ..MSync::EMPTY
    })
}

/// A plain frame: `command` and `body`, nothing else.
fn plain_frame(command: Command, body: &dyn Encode) -> Vec<u8> {
    let body = encode(body);
    encode(&MSync {
        command: Some(command),
        payload: Some(Bytes::Raw(&body)),
        ..MSync::EMPTY
    })
}

const OK: Option<Status<'static>> = Some(Status {
    error_code: Some(ErrorCode::OK),
    ..Status::EMPTY
});

/// A PROVISION reply that says OK, with a session id.
pub fn provision_ok() -> Vec<u8> {
    let body = Provision {
        status: OK,
        session_id: Some("fuzz-session"),
        ..Provision::EMPTY
    };
    plain_frame(Command::PROVISION, &body)
}

/// The OK ACK of the send with client id `id`.
pub fn ack_ok(id: u64, server_id: u64) -> Vec<u8> {
    let body = CommSyncDl {
        status: OK,
        meta_id: Some(id),
        server_id: Some(server_id),
        timestamp: Some(1_700_000_000_000),
        ..CommSyncDl::EMPTY
    };
    plain_frame(Command::SYNC, &body)
}

fn provision_reply(s: &mut Script<'_>) -> Vec<u8> {
    let redirects = [redirect(s), redirect(s)];
    let status = status(s, &redirects);
    let auth_token = match s.byte() % 4 {
        0 | 1 => None,
        2 => Some(format!(
            r#"{{"token":"$t$ROTATED{}","expires_in":{}}}"#,
            s.byte(),
            s.pick(&EXPIRIES)
        )),
        _ => Some(lossy(s.short_bytes())),
    };
    let selection = [CompressType(i32::from(s.byte() % 4))];
    let selected = if s.one_in(8) { &selection[..] } else { &[] };
    encode(&Provision {
        status,
        resource: s.pick(&RESOURCES),
        session_id: s.pick(&[Some("fuzz-session"), None, Some("")]),
        auth_token: auth_token
            .as_deref()
            .map(|json| Bytes::Raw(json.as_bytes())),
        protocol_compress_type: Repeated::from_slice(selected),
        ..Provision::EMPTY
    })
}

fn unread_reply(s: &mut Script<'_>) -> Vec<u8> {
    let redirects = [redirect(s)];
    let status = status(s, &redirects);
    let queues: Vec<MetaQueue<'_>> = (0..s.byte() % 4)
        .map(|_| MetaQueue {
            queue: Some(jid(s)),
            n: Some(u32::from(s.byte())),
        })
        .collect();
    encode(&CommUnreadDl {
        status,
        unread: Repeated::from_slice(&queues),
        timestamp: Some(1_700_000_000_000 + u64::from(s.u16())),
    })
}

/// An ACK: of a pending send (by index), or of any small id.
fn ack(s: &mut Script<'_>, pending: &[u64]) -> Vec<u8> {
    let (choice, other) = (usize::from(s.byte()), u64::from(s.byte() % 20));
    let meta_id = match pending.len() {
        len if len > 0 && choice < 192 => pending[choice % len],
        _ => other,
    };
    let redirects = [];
    encode(&CommSyncDl {
        status: status(s, &redirects),
        meta_id: Some(meta_id),
        server_id: Some(u64::from(s.u16()) + 1),
        timestamp: Some(1_700_000_000_000),
        ..CommSyncDl::EMPTY
    })
}

fn batch(s: &mut Script<'_>) -> Vec<u8> {
    let payloads: Vec<(NameSpace, Vec<u8>)> = (0..s.byte() % 5).map(|_| meta_payload(s)).collect();
    let metas: Vec<Meta<'_>> = payloads
        .iter()
        .map(|(ns, payload)| Meta {
            id: Some(u64::from(s.byte() % 32) + 1_000),
            from: Some(jid(s)),
            to: Some(jid(s)),
            timestamp: Some(1_700_000_000_000),
            ns: (!s.one_in(8)).then_some(*ns),
            payload: Some(Bytes::Raw(payload)),
            ..Meta::EMPTY
        })
        .collect();
    let redirects = [];
    encode(&CommSyncDl {
        status: status(s, &redirects),
        metas: Repeated::from_slice(&metas),
        next_key: (!s.one_in(4)).then(|| u64::from(s.u16())),
        queue: (!s.one_in(8)).then(|| jid(s)),
        is_last: s.pick(&[None, Some(true), Some(false)]),
        timestamp: Some(1_700_000_000_000),
        ..CommSyncDl::EMPTY
    })
}

/// A meta's namespace and payload: a chat message or receipt, a kick, a notification, or
/// bytes of another namespace.
fn meta_payload(s: &mut Script<'_>) -> (NameSpace, Vec<u8>) {
    match s.byte() % 4 {
        0 | 1 => {
            let text = lossy(s.short_bytes());
            let contents = [Content::text(&text)];
            let body = MessageBody {
                message_type: Some(MessageType(i32::from(s.byte() % 10))),
                from: Some(Jid::name_only("bob")),
                to: Some(Jid::name_only("alice")),
                contents: Repeated::from_slice(&contents),
                ack_message_id: s.one_in(2).then_some(1_001),
                ..MessageBody::EMPTY
            };
            (NameSpace::CHAT, encode(&body))
        }
        2 => {
            let body = StatisticsBody {
                operation: Some(Operation(i32::from(s.byte() % 6))),
                replace_device_name: s.pick(&[None, Some("webim"), Some("ios")]),
                reason: s.pick(&REASONS),
                ..StatisticsBody::EMPTY
            };
            (NameSpace::STATISTIC, encode(&body))
        }
        _ => (NameSpace(i32::from(s.byte() % 8)), s.short_bytes().to_vec()),
    }
}

fn notice(s: &mut Script<'_>) -> Vec<u8> {
    encode(&CommNotice {
        queue: (!s.one_in(8)).then(|| jid(s)),
    })
}

fn logout_reply(s: &mut Script<'_>) -> Vec<u8> {
    let redirects = [];
    encode(&Logout {
        status: status(s, &redirects),
        ..Logout::EMPTY
    })
}

/// `msync` as the gateway sends it: one binary or base64 text message, maybe fragmented at a
/// fuzzer-chosen point with a ping between the fragments.
pub fn websocket_message(s: &mut Script<'_>, msync: &[u8]) -> Vec<u8> {
    let style = s.byte();
    let (opcode, data) = if style & 1 == 1 {
        (0x1, STANDARD.encode(msync).into_bytes())
    } else {
        (0x2, msync.to_vec())
    };
    if style & 2 == 0 {
        return server_frame(0x80 | opcode, &data);
    }
    let cut = usize::from(s.u16()) % (data.len() + 1);
    let (head, tail) = data.split_at(cut);
    let mut out = server_frame(opcode, head);
    if style & 4 != 0 {
        out.extend(server_frame(0x89, b"mid-message"));
    }
    out.extend(server_frame(0x80, tail));
    out
}

/// A control frame: ping, pong or close (with a code and reason, or empty), or a reserved
/// opcode.
pub fn control_frame(s: &mut Script<'_>) -> Vec<u8> {
    let kind = s.byte();
    let payload = s.short_bytes();
    match kind % 5 {
        0 => server_frame(0x89, &payload[..payload.len().min(125)]),
        1 => server_frame(0x8A, &payload[..payload.len().min(125)]),
        2 => {
            let mut close = s.u16().to_be_bytes().to_vec();
            close.extend_from_slice(&payload[..payload.len().min(100)]);
            server_frame(0x88, &close)
        }
        3 => server_frame(0x88, &[]),
        _ => server_frame(0x80 | (kind >> 4), payload),
    }
}
