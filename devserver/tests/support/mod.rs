//! A small raw msync client and HTTP client for testing the devserver over real sockets.

#![allow(dead_code, unreachable_pub, missing_docs)]

use std::time::Duration;

use base64::Engine as _;
use futures_util::{SinkExt as _, StreamExt as _};
use msync_devserver::pb::{
    CommNotice, CommSyncDl, CommSyncUl, CommUnreadDl, Content, Jid, Logout, MSync, MessageBody,
    Meta, Provision, StatisticsBody, m_sync::Command,
};
use msync_devserver::{Config, DevServer, RunningServer};
use prost::Message as _;
use serde_json::Value;
use tokio::io::{AsyncRead, AsyncReadExt as _, AsyncWrite, AsyncWriteExt as _};
use tokio::net::TcpStream;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;

pub const APP: &str = "org#app";
pub const USER_DOMAIN: &str = "easemob.com";
pub const CONFERENCE: &str = "conference.easemob.com";
/// How long a test waits for a frame it expects.
pub const WAIT: Duration = Duration::from_secs(5);

const VECTORS: &str = include_str!("../../../vectors/vectors.json");

/// The bytes of a golden vector.
pub fn vector(name: &str) -> Vec<u8> {
    let all: Value = serde_json::from_str(VECTORS).expect("vectors.json");
    let v = all["vectors"]
        .as_array()
        .expect("array")
        .iter()
        .find(|v| v["name"] == name)
        .unwrap_or_else(|| panic!("no vector {name}"));
    hex::decode(v["hex"].as_str().expect("hex")).expect("hex decodes")
}

/// The Alipay text form of a golden vector.
pub fn vector_text(name: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(vector(name))
}

pub async fn start(config: Config) -> RunningServer {
    DevServer::start(config).await.expect("server starts")
}

/// Registers users (password = name) in `APP`.
pub fn users(server: &RunningServer, names: &[&str]) {
    for name in names {
        server.register_user(APP, name, name).expect("register");
    }
}

pub fn jid(name: &str, domain: &str) -> Jid {
    Jid {
        app_key: Some(APP.into()),
        name: Some(name.into()),
        domain: Some(domain.into()),
        client_resource: None,
    }
}

pub fn envelope(command: Command, payload: Option<Vec<u8>>) -> MSync {
    MSync {
        command: Some(command as i32),
        payload,
        encrypt_type: vec![0],
        trace_id: Some(1),
        ..MSync::default()
    }
}

/// A JS-style PROVISION: `$t$` token in `auth` and `auth_token`.
pub fn provision(user: &str, resource: &str, token: &str) -> MSync {
    let body = Provision {
        os_type: Some(16),
        version: Some("4.21.1".into()),
        compress_type: vec![0],
        encrypt_type: vec![0],
        device_uuid: Some(resource.into()),
        device_name: Some("test-device".into()),
        resource: Some(resource.into()),
        action_version: Some("v5.2".into()),
        auth_token: Some(format!(r#"{{"token":"$t${token}"}}"#).into_bytes()),
        session_id: Some(format!("{resource}:")),
        ..Provision::default()
    };
    let mut guid = jid(user, USER_DOMAIN);
    guid.client_resource = Some(resource.into());
    MSync {
        guid: Some(guid),
        auth: Some(format!("$t${token}")),
        device_id: Some(0),
        ..envelope(Command::Provision, Some(body.encode_to_vec()))
    }
}

pub fn unread() -> MSync {
    envelope(Command::Unread, None)
}

pub fn text_body(kind: i32, from: &str, to: &str, text: &str) -> MessageBody {
    MessageBody {
        r#type: Some(kind),
        from: Some(Jid {
            name: Some(from.into()),
            ..Jid::default()
        }),
        to: Some(Jid {
            name: Some(to.into()),
            ..Jid::default()
        }),
        contents: vec![Content {
            r#type: Some(0),
            text: Some(text.into()),
            ..Content::default()
        }],
        ..MessageBody::default()
    }
}

/// A send: SYNC with one CHAT meta. `to_domain` picks 1:1 or group / chat room.
pub fn send(id: u64, from: &str, to: &str, to_domain: &str, text: &str) -> MSync {
    let kind = if to_domain == CONFERENCE { 2 } else { 1 };
    let meta = Meta {
        id: Some(id),
        to: Some(jid(to, to_domain)),
        ns: Some(1),
        payload: Some(text_body(kind, from, to, text).encode_to_vec()),
        routetype: Some(0),
        ..Meta::default()
    };
    let body = CommSyncUl {
        meta: Some(meta),
        ..CommSyncUl::default()
    };
    envelope(Command::Sync, Some(body.encode_to_vec()))
}

pub fn pull(queue: Jid, key: Option<u64>) -> MSync {
    let body = CommSyncUl {
        queue: Some(queue),
        key,
        ..CommSyncUl::default()
    };
    envelope(Command::Sync, Some(body.encode_to_vec()))
}

pub fn logout() -> MSync {
    let body = Logout {
        session_id: Some("s:".into()),
        reason: Some("inner:logout".into()),
        status: None,
    };
    envelope(Command::Logout, Some(body.encode_to_vec()))
}

pub fn command(frame: &MSync) -> Command {
    Command::try_from(frame.command.expect("command")).expect("known command")
}

pub fn payload(frame: &MSync) -> &[u8] {
    frame.payload.as_deref().unwrap_or_default()
}

pub fn sync_dl(frame: &MSync) -> CommSyncDl {
    assert_eq!(command(frame), Command::Sync, "{frame:?}");
    CommSyncDl::decode(payload(frame)).expect("CommSyncDL")
}

pub fn provision_reply(frame: &MSync) -> Provision {
    assert_eq!(command(frame), Command::Provision, "{frame:?}");
    Provision::decode(payload(frame)).expect("Provision")
}

pub fn unread_dl(frame: &MSync) -> CommUnreadDl {
    assert_eq!(command(frame), Command::Unread, "{frame:?}");
    CommUnreadDl::decode(payload(frame)).expect("CommUnreadDL")
}

pub fn notice_queue(frame: &MSync) -> Jid {
    assert_eq!(command(frame), Command::Notice, "{frame:?}");
    CommNotice::decode(payload(frame))
        .expect("CommNotice")
        .queue
        .expect("queue")
}

pub fn message_body(meta: &Meta) -> MessageBody {
    MessageBody::decode(meta.payload.as_deref().unwrap_or_default()).expect("MessageBody")
}

pub fn statistics(meta: &Meta) -> StatisticsBody {
    StatisticsBody::decode(meta.payload.as_deref().unwrap_or_default()).expect("StatisticsBody")
}

pub fn error_code(status: Option<&msync_devserver::pb::Status>) -> (i32, String) {
    let status = status.expect("status");
    (
        status.error_code.unwrap_or(-1),
        status.reason.clone().unwrap_or_default(),
    )
}

/// A raw msync client over any stream.
pub struct Client<S> {
    ws: WebSocketStream<S>,
    /// Send base64 text frames (Alipay style) instead of binary.
    pub text: bool,
}

/// How a connection ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Closed {
    /// A close frame with this code.
    Code(u16, String),
    /// The stream ended or failed without a close frame.
    Dropped,
}

pub async fn connect(
    server: &RunningServer,
) -> Client<tokio_tungstenite::MaybeTlsStream<TcpStream>> {
    let (ws, _) = tokio_tungstenite::connect_async(server.ws_url())
        .await
        .expect("ws connects");
    Client { ws, text: false }
}

/// Connects and logs in; returns the client and the PROVISION reply.
pub async fn login(
    server: &RunningServer,
    user: &str,
    resource: &str,
) -> Client<tokio_tungstenite::MaybeTlsStream<TcpStream>> {
    let token = server
        .issue_token(APP, user, None)
        .expect("token")
        .access_token;
    let mut client = connect(server).await;
    client.send(&provision(user, resource, &token)).await;
    let reply = provision_reply(&client.recv().await);
    assert_eq!(
        error_code(reply.status.as_ref()),
        (0, String::new()),
        "{user} logs in"
    );
    client
}

impl<S: AsyncRead + AsyncWrite + Unpin> Client<S> {
    pub fn new(ws: WebSocketStream<S>) -> Self {
        Self { ws, text: false }
    }

    pub async fn send(&mut self, frame: &MSync) {
        self.send_bytes(frame.encode_to_vec()).await;
    }

    pub async fn send_bytes(&mut self, bytes: Vec<u8>) {
        let message = if self.text {
            Message::text(base64::engine::general_purpose::STANDARD.encode(&bytes))
        } else {
            Message::binary(bytes)
        };
        self.ws.send(message).await.expect("send");
    }

    pub async fn send_message(&mut self, message: Message) {
        // The server may already have closed; that is what some tests provoke.
        let _ = self.ws.send(message).await;
    }

    /// The next msync frame (binary, or base64 text, which must match `self.text`).
    pub async fn recv(&mut self) -> MSync {
        self.recv_within(WAIT)
            .await
            .expect("a frame arrives in time")
    }

    /// The next msync frame, or `None` if none arrives within `wait`.
    pub async fn recv_within(&mut self, wait: Duration) -> Option<MSync> {
        loop {
            let next = tokio::time::timeout(wait, self.ws.next()).await.ok()??;
            match next.expect("websocket ok") {
                Message::Binary(bytes) => {
                    assert!(!self.text, "binary reply to a text client");
                    return Some(MSync::decode(bytes.as_ref()).expect("MSync"));
                }
                Message::Text(text) => {
                    assert!(self.text, "text reply to a binary client");
                    let bytes = base64::engine::general_purpose::STANDARD
                        .decode(text.as_str())
                        .expect("base64");
                    return Some(MSync::decode(bytes.as_slice()).expect("MSync"));
                }
                Message::Close(frame) => panic!("closed unexpectedly: {frame:?}"),
                _ => {}
            }
        }
    }

    /// The next msync frame, or `None` once the connection is closed or dropped.
    pub async fn recv_or_close(&mut self) -> Option<MSync> {
        loop {
            match self.ws.next().await {
                None | Some(Err(_) | Ok(Message::Close(_))) => return None,
                Some(Ok(Message::Binary(bytes))) => {
                    return Some(MSync::decode(bytes.as_ref()).expect("MSync"));
                }
                Some(Ok(_)) => {}
            }
        }
    }

    /// Waits for the server to end the connection; frames before that are returned too.
    pub async fn closed(&mut self) -> (Vec<MSync>, Closed) {
        let mut frames = Vec::new();
        loop {
            match tokio::time::timeout(WAIT, self.ws.next())
                .await
                .expect("closes in time")
            {
                None | Some(Err(_)) => return (frames, Closed::Dropped),
                Some(Ok(Message::Close(frame))) => {
                    let (code, reason) = frame.map_or((0, String::new()), |f| {
                        (u16::from(f.code), f.reason.to_string())
                    });
                    return (frames, Closed::Code(code, reason));
                }
                Some(Ok(Message::Binary(bytes))) => {
                    frames.push(MSync::decode(bytes.as_ref()).expect("MSync"));
                }
                Some(Ok(_)) => {}
            }
        }
    }

    /// Round trip: UNREAD -> UNREAD reply.
    pub async fn unread(&mut self) -> CommUnreadDl {
        self.send(&unread()).await;
        unread_dl(&self.recv().await)
    }

    /// Pulls a queue to the end, acknowledging every batch; returns the metas.
    pub async fn drain(&mut self, queue: Jid) -> Vec<Meta> {
        let mut metas = Vec::new();
        let mut key = None;
        loop {
            self.send(&pull(queue.clone(), key)).await;
            let batch = sync_dl(&self.recv().await);
            assert_eq!(
                batch.queue.as_ref().and_then(|q| q.name.clone()),
                queue.name
            );
            if batch.is_last == Some(true) {
                assert!(batch.metas.is_empty(), "a drained batch carries no metas");
                return metas;
            }
            assert!(
                !batch.metas.is_empty(),
                "a batch that is not last carries metas"
            );
            key = batch.next_key;
            metas.extend(batch.metas);
        }
    }
}

/// A minimal HTTP/1.1 client: one request per connection, JSON in and out.
pub async fn http(
    server: &RunningServer,
    method: &str,
    path: &str,
    body: Option<&str>,
    bearer: Option<&str>,
) -> (u16, Value) {
    try_http(server, method, path, body, bearer)
        .await
        .expect("HTTP exchange")
}

/// `POST` of a JSON value.
pub async fn post(
    server: &RunningServer,
    path: &str,
    body: &Value,
    bearer: Option<&str>,
) -> (u16, Value) {
    http(server, "POST", path, Some(&body.to_string()), bearer).await
}

/// Like [`http`], but `None` when the exchange fails (e.g. while the server restarts).
pub async fn try_http(
    server: &RunningServer,
    method: &str,
    path: &str,
    body: Option<&str>,
    bearer: Option<&str>,
) -> Option<(u16, Value)> {
    let stream = TcpStream::connect(server.local_addr()).await.ok()?;
    let host = server.local_addr().to_string();
    http_over(stream, &host, method, path, body, bearer).await
}

pub async fn http_over<S: AsyncRead + AsyncWrite + Unpin>(
    mut stream: S,
    host: &str,
    method: &str,
    path: &str,
    body: Option<&str>,
    bearer: Option<&str>,
) -> Option<(u16, Value)> {
    let body = body.unwrap_or("");
    let auth = bearer
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nContent-Type: application/json\r\n{auth}Content-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.ok()?;
    let mut response = Vec::new();
    // A read error after the response (a TLS peer closing without close_notify) is fine.
    let _ = tokio::time::timeout(WAIT, stream.read_to_end(&mut response))
        .await
        .ok()?;
    let text = String::from_utf8_lossy(&response);
    let (head, rest) = text.split_once("\r\n\r\n")?;
    let status: u16 = head.split(' ').nth(1).and_then(|s| s.parse().ok())?;
    let chunked = head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked");
    let body = if chunked {
        dechunk(rest)
    } else {
        rest.to_owned()
    };
    let json = serde_json::from_str(&body).unwrap_or(Value::String(body));
    Some((status, json))
}

fn dechunk(mut rest: &str) -> String {
    let mut out = String::new();
    while let Some((size, tail)) = rest.split_once("\r\n") {
        let Ok(size) = usize::from_str_radix(size.trim(), 16) else {
            break;
        };
        if size == 0 || tail.len() < size {
            break;
        }
        out.push_str(&tail[..size]);
        rest = tail[size..].trim_start_matches("\r\n");
    }
    out
}
