//! The JSON view of the golden vectors (vectors/README.md): fields exactly when present, enums
//! by name, 64-bit integers as strings, bytes as base64. Used to compare prost's decoding with
//! the vectors' `decoded` / `payload_decoded`.

use base64::Engine as _;
use serde_json::{Map, Value, json};

use crate::pb::{
    CommNotice, CommSyncDl, CommSyncUl, CommUnreadDl, Content, EncryptType, Jid, Logout, MSync,
    MessageBody, Meta, Provision, StatisticsBody, Status, content, m_sync, message_body, meta,
    provision, statistics_body, status,
};

#[derive(Default)]
struct View(Map<String, Value>);

fn b64(bytes: &[u8]) -> Value {
    Value::String(base64::engine::general_purpose::STANDARD.encode(bytes))
}

fn name_or_number(name: Option<&str>, n: i32) -> Value {
    name.map_or_else(|| json!(n), |s| json!(s))
}

impl View {
    fn put(mut self, key: &str, value: Option<Value>) -> Self {
        if let Some(v) = value {
            self.0.insert(key.to_owned(), v);
        }
        self
    }
    fn str(self, key: &str, v: &Option<String>) -> Self {
        self.put(key, v.as_ref().map(|s| json!(s)))
    }
    fn u64(self, key: &str, v: Option<u64>) -> Self {
        self.put(key, v.map(|n| json!(n.to_string())))
    }
    fn u32(self, key: &str, v: Option<u32>) -> Self {
        self.put(key, v.map(|n| json!(n)))
    }
    fn bool(self, key: &str, v: Option<bool>) -> Self {
        self.put(key, v.map(|b| json!(b)))
    }
    fn bytes(self, key: &str, v: &Option<Vec<u8>>) -> Self {
        self.put(key, v.as_deref().map(b64))
    }
    fn en(self, key: &str, v: Option<i32>, name: fn(i32) -> Option<&'static str>) -> Self {
        self.put(key, v.map(|n| name_or_number(name(n), n)))
    }
    fn ens(self, key: &str, v: &[i32], name: fn(i32) -> Option<&'static str>) -> Self {
        let list: Vec<Value> = v.iter().map(|&n| name_or_number(name(n), n)).collect();
        self.put(key, (!list.is_empty()).then_some(Value::Array(list)))
    }
    fn msg<M>(self, key: &str, v: Option<&M>, f: fn(&M) -> Value) -> Self {
        self.put(key, v.map(f))
    }
    fn msgs<M>(self, key: &str, v: &[M], f: fn(&M) -> Value) -> Self {
        let list: Vec<Value> = v.iter().map(f).collect();
        self.put(key, (!list.is_empty()).then_some(Value::Array(list)))
    }
    fn done(self) -> Value {
        Value::Object(self.0)
    }
}

fn command_name(n: i32) -> Option<&'static str> {
    m_sync::Command::try_from(n).ok().map(|c| c.as_str_name())
}

/// The view of an envelope.
pub(super) fn msync(m: &MSync) -> Value {
    View::default()
        .en("version", m.version, |n| {
            m_sync::Version::try_from(n).ok().map(|v| v.as_str_name())
        })
        .msg("guid", m.guid.as_ref(), jid)
        .str("auth", &m.auth)
        .u32("compress_algorimth", m.compress_algorimth)
        .str("user_agent", &m.user_agent)
        .en("command", m.command, command_name)
        .bytes("payload", &m.payload)
        .u32("device_id", m.device_id)
        .ens("encrypt_type", &m.encrypt_type, |n| {
            EncryptType::try_from(n).ok().map(|e| e.as_str_name())
        })
        .u64("trace_id", m.trace_id)
        .done()
}

fn jid(j: &Jid) -> Value {
    View::default()
        .str("app_key", &j.app_key)
        .str("name", &j.name)
        .str("domain", &j.domain)
        .str("client_resource", &j.client_resource)
        .done()
}

fn status_view(s: &Status) -> Value {
    View::default()
        .en("error_code", s.error_code, |n| {
            status::ErrorCode::try_from(n).ok().map(|e| e.as_str_name())
        })
        .str("reason", &s.reason)
        .msgs("redirect_info", &s.redirect_info, |r| {
            View::default()
                .str("host", &r.host)
                .u32("port", r.port)
                .done()
        })
        .done()
}

fn compress_name(n: i32) -> Option<&'static str> {
    provision::CompressType::try_from(n)
        .ok()
        .map(|c| c.as_str_name())
}

/// The view of a PROVISION body.
pub(super) fn provision_view(p: &Provision) -> Value {
    View::default()
        .en("os_type", p.os_type, |n| {
            provision::OsType::try_from(n).ok().map(|o| o.as_str_name())
        })
        .str("version", &p.version)
        .ens("compress_type", &p.compress_type, compress_name)
        .ens("encrypt_type", &p.encrypt_type, |n| {
            EncryptType::try_from(n).ok().map(|e| e.as_str_name())
        })
        .msg("status", p.status.as_ref(), status_view)
        .str("device_uuid", &p.device_uuid)
        .str("device_name", &p.device_name)
        .str("resource", &p.resource)
        .str("action_version", &p.action_version)
        .bytes("auth_token", &p.auth_token)
        .str("session_id", &p.session_id)
        .ens(
            "protocol_compress_type",
            &p.protocol_compress_type,
            compress_name,
        )
        .en(
            "protocol_compress_direction",
            p.protocol_compress_direction,
            |n| {
                provision::CompressDirection::try_from(n)
                    .ok()
                    .map(|d| d.as_str_name())
            },
        )
        .done()
}

fn meta_view(m: &Meta) -> Value {
    View::default()
        .u64("id", m.id)
        .msg("from", m.from.as_ref(), jid)
        .msg("to", m.to.as_ref(), jid)
        .u64("timestamp", m.timestamp)
        .en("ns", m.ns, |n| {
            meta::NameSpace::try_from(n).ok().map(|s| s.as_str_name())
        })
        .bytes("payload", &m.payload)
        .en("routetype", m.routetype, |n| {
            meta::RouteType::try_from(n).ok().map(|r| r.as_str_name())
        })
        .done()
}

/// The view of a SYNC up body.
pub(super) fn sync_ul(s: &CommSyncUl) -> Value {
    View::default()
        .msg("meta", s.meta.as_ref(), meta_view)
        .u64("key", s.key)
        .msg("queue", s.queue.as_ref(), jid)
        .done()
}

/// The view of a SYNC down body.
pub(super) fn sync_dl(s: &CommSyncDl) -> Value {
    View::default()
        .msg("status", s.status.as_ref(), status_view)
        .u64("meta_id", s.meta_id)
        .u64("server_id", s.server_id)
        .msgs("metas", &s.metas, meta_view)
        .u64("next_key", s.next_key)
        .msg("queue", s.queue.as_ref(), jid)
        .bool("is_last", s.is_last)
        .u64("timestamp", s.timestamp)
        .done()
}

/// The view of a NOTICE body.
pub(super) fn notice(n: &CommNotice) -> Value {
    View::default().msg("queue", n.queue.as_ref(), jid).done()
}

/// The view of an UNREAD down body.
pub(super) fn unread_dl(u: &CommUnreadDl) -> Value {
    View::default()
        .msg("status", u.status.as_ref(), status_view)
        .msgs("unread", &u.unread, |q| {
            View::default()
                .msg("queue", q.queue.as_ref(), jid)
                .u32("n", q.n)
                .done()
        })
        .u64("timestamp", u.timestamp)
        .done()
}

/// The view of a LOGOUT body.
pub(super) fn logout(l: &Logout) -> Value {
    View::default()
        .str("session_id", &l.session_id)
        .str("reason", &l.reason)
        .msg("status", l.status.as_ref(), status_view)
        .done()
}

fn content_view(c: &Content) -> Value {
    View::default()
        .en("type", c.r#type, |n| {
            content::Type::try_from(n).ok().map(|t| t.as_str_name())
        })
        .str("text", &c.text)
        .done()
}

/// The view of a CHAT meta's body.
pub(super) fn message_body_view(b: &MessageBody) -> Value {
    View::default()
        .en("type", b.r#type, |n| {
            message_body::Type::try_from(n)
                .ok()
                .map(|t| t.as_str_name())
        })
        .msg("from", b.from.as_ref(), jid)
        .msg("to", b.to.as_ref(), jid)
        .msgs("contents", &b.contents, content_view)
        .done()
}

/// The view of a STATISTIC meta's body.
pub(super) fn statistics(s: &StatisticsBody) -> Value {
    View::default()
        .en("operation", s.operation, |n| {
            statistics_body::Operation::try_from(n)
                .ok()
                .map(|o| o.as_str_name())
        })
        .str("replace_device_name", &s.replace_device_name)
        .str("session_id", &s.session_id)
        .str("reason", &s.reason)
        .done()
}
