//! Test support for the session tests: a seeded RNG, the golden vectors, a server-side view of
//! WebSocket frames (client frames unmasked and decoded; server frames built), and a harness
//! that drains a session's outputs into owned, printable lines.
#![allow(dead_code, unreachable_pub)]

pub mod frames;

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::LazyLock;

use msync_core::app::{AppIdentity, AppKey};
use msync_core::session::{BackoffTier, Config, Credential, Event, Output, Session, SocketId};
use msync_core::time::Duration;
use msync_core::time::Instant;
use msync_core::wire::msync::{Direction, MSync, write_envelope_json, write_payload_json};
use rand_core::RngCore;
use serde_json::Value as Json;

/// The vectors' frozen clock.
pub const NOW: u64 = 1_700_000_000_000;

pub fn at(offset_ms: u64) -> Instant {
    Instant::from_millis(NOW + offset_ms)
}

/// SplitMix64: small, seeded, deterministic.
#[derive(Clone, Debug)]
pub struct Rng(pub u64);

impl RngCore for Rng {
    fn next_u32(&mut self) -> u32 {
        (self.next_u64() >> 32) as u32
    }
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn fill_bytes(&mut self, dst: &mut [u8]) {
        for chunk in dst.chunks_mut(8) {
            let bytes = self.next_u64().to_le_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
    }
}

// ---- vectors -------------------------------------------------------------------------------

const VECTORS: &str = include_str!("../../../vectors/vectors.json");

/// The vectors, parsed once per test binary.
fn vectors() -> &'static [Json] {
    static PARSED: LazyLock<Vec<Json>> = LazyLock::new(|| {
        let file: Json = serde_json::from_str(VECTORS).expect("vectors.json parses");
        file["vectors"].as_array().expect("vectors").clone()
    });
    &PARSED
}

fn find_vector(name: &str) -> &'static Json {
    vectors()
        .iter()
        .find(|v| v["name"] == name)
        .unwrap_or_else(|| panic!("no vector {name}"))
}

/// The bytes of vector `name`.
pub fn vector(name: &str) -> Vec<u8> {
    hex::decode(find_vector(name)["hex"].as_str().unwrap()).unwrap()
}

/// The Alipay text form of vector `name`.
pub fn vector_text(name: &str) -> String {
    find_vector(name)["alipay_text_frame_base64"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Each vector's name by its bytes, built once.
fn vector_names() -> &'static HashMap<Vec<u8>, String> {
    static NAMES: LazyLock<HashMap<Vec<u8>, String>> = LazyLock::new(|| {
        vectors()
            .iter()
            .map(|v| {
                (
                    hex::decode(v["hex"].as_str().unwrap()).unwrap(),
                    v["name"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    });
    &NAMES
}

pub use frames::{base64_decode, base64_encode, server_frame};

// ---- WebSocket, server side ----------------------------------------------------------------

/// A server frame: binary, unmasked.
pub fn server_binary(payload: &[u8]) -> Vec<u8> {
    server_frame(true, 0x2, payload)
}

/// A server frame: text holding the base64 of `msync` (the Alipay form).
pub fn server_text(msync: &[u8]) -> Vec<u8> {
    server_frame(true, 0x1, base64_encode(msync).as_bytes())
}

/// One client frame, unmasked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientFrame {
    pub opcode: u8,
    pub payload: Vec<u8>,
}

impl ClientFrame {
    /// The msync bytes: binary as is, text base64-decoded.
    pub fn msync(&self) -> Vec<u8> {
        match self.opcode {
            0x2 => self.payload.clone(),
            0x1 => base64_decode(&self.payload).expect("text frames hold base64"),
            other => panic!("not a data frame: opcode {other}"),
        }
    }
}

/// Splits client bytes into frames, checking FIN and the mask bit.
pub fn client_frames(mut bytes: &[u8]) -> Vec<ClientFrame> {
    let mut frames = Vec::new();
    while !bytes.is_empty() {
        assert!(bytes[0] & 0x80 != 0, "client frames are final");
        assert!(bytes[1] & 0x80 != 0, "client frames are masked");
        let (len, mut at) = match bytes[1] & 0x7f {
            126 => (u16::from_be_bytes([bytes[2], bytes[3]]) as usize, 4),
            127 => (
                u64::from_be_bytes(bytes[2..10].try_into().unwrap()) as usize,
                10,
            ),
            n => (n as usize, 2),
        };
        let mask: [u8; 4] = bytes[at..at + 4].try_into().unwrap();
        at += 4;
        let payload = bytes[at..at + len]
            .iter()
            .enumerate()
            .map(|(i, b)| b ^ mask[i % 4])
            .collect();
        frames.push(ClientFrame {
            opcode: bytes[0] & 0x0f,
            payload,
        });
        bytes = &bytes[at + len..];
    }
    frames
}

/// The `101` answer to a client's upgrade request.
pub fn handshake_response(request: &[u8]) -> Vec<u8> {
    let text = std::str::from_utf8(request).unwrap();
    let key = text
        .lines()
        .find_map(|line| line.strip_prefix("Sec-WebSocket-Key: "))
        .expect("a key");
    let key: [u8; 16] = base64_decode(key.trim().as_bytes())
        .unwrap()
        .try_into()
        .unwrap();
    let accept = msync_core::wire::ws::accept_value(&key);
    format!(
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {}\r\n\r\n",
        std::str::from_utf8(&accept).unwrap()
    )
    .into_bytes()
}

/// An HTTP/1.1 response with a JSON body.
pub fn http_json(status: u16, body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// The JSON views of an msync frame sent by the client: envelope and payload.
pub fn up_views(msync: &[u8]) -> (Json, Json) {
    let frame = MSync::decode(msync).expect("client frames decode");
    let mut envelope = String::new();
    write_envelope_json(&frame, &mut envelope).unwrap();
    let mut payload = String::new();
    let payload = match write_payload_json(&frame, Direction::Up, &mut payload) {
        Ok(()) => serde_json::from_str(&payload).unwrap(),
        Err(_) => Json::Null,
    };
    (serde_json::from_str(&envelope).unwrap(), payload)
}

// ---- the harness ---------------------------------------------------------------------------

/// One output, owned.
#[derive(Clone, Debug, PartialEq)]
pub enum Out {
    Open { socket: SocketId, remote: String },
    Transmit { socket: SocketId, bytes: Vec<u8> },
    Close { socket: SocketId },
    Event(String),
    Wait(Option<u64>),
}

/// A short, exact description of an event.
pub fn describe_event(event: &Event<'_>) -> String {
    match event {
        Event::Message(m) => format!(
            "Message id={} from={} to={} {:?} text={:?}",
            m.server_id(),
            m.from(),
            m.to(),
            m.chat_type(),
            m.text()
        ),
        Event::SendAcked {
            id,
            server_id,
            timestamp,
        } => format!(
            "SendAcked id={} server_id={server_id} ts={timestamp}",
            id.get()
        ),
        Event::SendFailed { id, error } => format!("SendFailed id={} {error:?}", id.get()),
        Event::Kicked(kick) => format!(
            "Kicked {:?} device={:?}",
            kick.reason,
            kick.replace_device_name()
        ),
        Event::LoginFailed { error, reason } => format!("LoginFailed {error:?} {reason:?}"),
        Event::Receipt(r) => format!("Receipt {:?} of {:?}", r.kind, r.acked_server_id()),
        Event::Notification(n) => format!("Notification {}", String::from_utf8_lossy(n.json)),
        other => format!("{other:?}"),
    }
}

pub fn own(output: Output<'_>) -> Out {
    match output {
        Output::Open { socket, remote } => Out::Open {
            socket,
            remote: format!(
                "{}:{} {} {:?}",
                remote.host,
                remote.port,
                if remote.tls { "tls" } else { "plain" },
                remote.purpose
            ),
        },
        Output::Transmit { socket, bytes } => Out::Transmit {
            socket,
            bytes: bytes.to_vec(),
        },
        Output::Close { socket } => Out::Close { socket },
        Output::Event(event) => Out::Event(describe_event(&event)),
        Output::Wait { until } => Out::Wait(until.map(|t| t.as_millis())),
    }
}

impl Out {
    /// The golden-list form: transmitted frames decoded and named after the vector they equal.
    pub fn describe(&self) -> String {
        match self {
            Out::Open { socket, remote } => format!("Open #{} {remote}", socket.generation()),
            Out::Close { socket } => format!("Close #{}", socket.generation()),
            Out::Event(text) => format!("Event {text}"),
            Out::Wait(None) => "Wait -".into(),
            Out::Wait(Some(t)) => format!("Wait +{}", t.wrapping_sub(NOW) as i64),
            Out::Transmit { socket, bytes } => {
                format!(
                    "Transmit #{} {}",
                    socket.generation(),
                    describe_transmit(bytes)
                )
            }
        }
    }
}

fn describe_transmit(bytes: &[u8]) -> String {
    if bytes.starts_with(b"GET ") || bytes.starts_with(b"POST ") {
        let text = String::from_utf8_lossy(bytes);
        return text.lines().next().unwrap_or("").to_owned();
    }
    let names = vector_names();
    let mut parts = Vec::new();
    for frame in client_frames(bytes) {
        parts.push(match frame.opcode {
            0x1 | 0x2 => {
                let msync = frame.msync();
                let kind = if frame.opcode == 0x1 {
                    "text"
                } else {
                    "binary"
                };
                match names.get(&msync) {
                    Some(name) => format!("{kind} ={name}"),
                    None => {
                        let (envelope, payload) = up_views(&msync);
                        let mut line =
                            format!("{kind} {}", envelope["command"].as_str().unwrap_or("SYNC"));
                        if !payload.is_null() {
                            let _ = write!(line, " {payload}");
                        }
                        line
                    }
                }
            }
            0x8 => format!("close {:02x?}", frame.payload),
            0x9 => "ping".into(),
            0xa => format!("pong {:02x?}", frame.payload),
            other => format!("opcode {other}"),
        });
    }
    parts.join(" + ")
}

/// Drives one session: drains outputs into a log, feeds bytes the way a driver does.
pub struct Harness<
    'c,
    const RX: usize,
    const TX: usize,
    const O: usize,
    const B: usize,
    const D: usize,
    const Q: usize,
> {
    pub session: Session<'c, Rng, RX, TX, O, B, D, Q>,
    pub now: u64,
    /// Every output so far.
    pub log: Vec<Out>,
    /// Index in `log` up to which `take_lines` returned.
    seen: usize,
}

pub type DefaultHarness<'c> = Harness<'c, 16384, 4096, 8, 4096, 128, 4>;

impl<
    'c,
    const RX: usize,
    const TX: usize,
    const O: usize,
    const B: usize,
    const D: usize,
    const Q: usize,
> Harness<'c, RX, TX, O, B, D, Q>
{
    pub fn new(session: Session<'c, Rng, RX, TX, O, B, D, Q>) -> Self {
        Self {
            session,
            now: NOW,
            log: Vec::new(),
            seen: 0,
        }
    }

    pub fn instant(&self) -> Instant {
        Instant::from_millis(self.now)
    }

    /// Polls until `Wait`, logging every output; returns the new outputs.
    pub fn drain(&mut self) -> Vec<Out> {
        let start = self.log.len();
        for _ in 0..10_000 {
            let out = own(self.session.poll());
            let done = matches!(out, Out::Wait(_));
            self.log.push(out);
            if done {
                return self.log[start..].to_vec();
            }
        }
        panic!("poll never returned Wait");
    }

    /// The golden-list lines logged since the last call.
    pub fn lines(&mut self) -> Vec<String> {
        let lines = self.log[self.seen..].iter().map(Out::describe).collect();
        self.seen = self.log.len();
        lines
    }

    /// Feeds `bytes` the way a driver does: offer, drain, offer the rest.
    pub fn feed(&mut self, socket: SocketId, bytes: &[u8]) {
        let mut rest = bytes;
        let mut stalls = 0;
        loop {
            let used = self.session.received(self.instant(), socket, rest);
            self.drain();
            rest = &rest[used..];
            if rest.is_empty() {
                return;
            }
            stalls = if used == 0 { stalls + 1 } else { 0 };
            assert!(stalls < 3, "the session stopped taking bytes");
        }
    }

    pub fn opened(&mut self, socket: SocketId) {
        self.session.opened(self.instant(), socket);
        self.drain();
    }

    pub fn closed(&mut self, socket: SocketId, error: msync_core::session::TransportError) {
        self.session.closed(self.instant(), socket, error);
        self.drain();
    }

    /// Moves the clock to `NOW + offset` and fires the timers.
    pub fn advance_to(&mut self, offset_ms: u64) {
        self.now = NOW + offset_ms;
        self.session.timeout(self.instant());
        self.drain();
    }

    /// The last `Open` socket in the log.
    pub fn last_open(&self) -> SocketId {
        self.log
            .iter()
            .rev()
            .find_map(|out| match out {
                Out::Open { socket, .. } => Some(*socket),
                _ => None,
            })
            .expect("an Open")
    }

    /// The transmitted byte strings since log index `from`.
    pub fn transmits_since(&self, from: usize) -> Vec<Vec<u8>> {
        self.log[from..]
            .iter()
            .filter_map(|out| match out {
                Out::Transmit { bytes, .. } => Some(bytes.clone()),
                _ => None,
            })
            .collect()
    }

    /// The msync frames transmitted since log index `from`.
    pub fn msync_since(&self, from: usize) -> Vec<ClientFrame> {
        self.transmits_since(from)
            .iter()
            .filter(|bytes| !bytes.starts_with(b"GET ") && !bytes.starts_with(b"POST "))
            .flat_map(|bytes| client_frames(bytes))
            .filter(|frame| frame.opcode == 0x1 || frame.opcode == 0x2)
            .collect()
    }

    /// The last transmitted bytes.
    pub fn last_transmit(&self) -> Vec<u8> {
        self.transmits_since(0).pop().expect("a Transmit")
    }

    /// Opens the WebSocket: `opened`, answers the handshake.
    pub fn accept_websocket(&mut self, socket: SocketId) {
        self.opened(socket);
        let request = self.last_transmit();
        assert!(request.starts_with(b"GET "), "a handshake request");
        self.feed(socket, &handshake_response(&request));
    }

    /// Delivers `msync` from the server on `socket` as one binary frame (a reply or a push).
    pub fn reply(&mut self, socket: SocketId, msync: &[u8]) {
        self.feed(socket, &server_binary(msync));
    }

    /// Calls `login` at the harness's clock and drains; returns the socket it opened.
    pub fn login(&mut self) -> SocketId {
        self.session.login(self.instant()).unwrap();
        self.drain();
        self.last_open()
    }

    /// Opens the WebSocket on `socket` and answers its PROVISION with
    /// `provision_reply_ok_down`.
    pub fn provision_ok(&mut self, socket: SocketId) {
        self.accept_websocket(socket);
        self.reply(socket, &vector("provision_reply_ok_down"));
    }
}

// ---- transcripts ---------------------------------------------------------------------------

/// Backoff delays of exactly 2 s, so that transcripts do not depend on the RNG.
pub static FIXED_BACKOFF: [BackoffTier; 1] = [BackoffTier {
    from_attempt: 1,
    min: Duration::from_secs(2),
    max: Duration::from_secs(2),
    granularity: Duration::from_secs(1),
}];

/// The vectors' identity: `org#app`, `alice`, token `TOKEN`, device `webim`/`zfb_<now>`;
/// no heartbeat jitter and a fixed backoff; LOGOUT reason `logout` as in `logout_up`.
pub fn vector_config() -> Config<'static> {
    let app = AppIdentity::Key(AppKey::parse("org#app").unwrap());
    let mut config = Config::new(
        app,
        "alice",
        Credential::Token("TOKEN"),
        "zfb_1700000000000",
    );
    config.timings.heartbeat_jitter = Duration::ZERO;
    config.reconnect.tiers = &FIXED_BACKOFF;
    config.options.logout_reason = "logout";
    config
}

#[track_caller]
pub fn assert_transcript(actual: Vec<String>, expected: &[&str]) {
    if actual != expected {
        let width = expected.iter().map(|l| l.len()).max().unwrap_or(0).min(70);
        let mut report = String::from("transcript differs (expected | actual):\n");
        for i in 0..actual.len().max(expected.len()) {
            let e = expected.get(i).copied().unwrap_or("<none>");
            let a = actual.get(i).map(String::as_str).unwrap_or("<none>");
            let mark = if e == a { ' ' } else { '!' };
            report.push_str(&format!("{mark} {e:width$} | {a}\n"));
        }
        panic!("{report}");
    }
}

/// A harness for `config` with the seeded RNG.
pub fn harness<'a>(config: &'a Config<'a>) -> DefaultHarness<'a> {
    DefaultHarness::new(msync_core::session::DefaultSession::new(config, Rng(1), at(0)).unwrap())
}

/// Logs in with the vector frames (token login, `provision_reply_ok_down`) and returns the
/// socket; the login transcript itself is checked by `token_login_reproduces_the_vectors`.
pub fn go_online(h: &mut DefaultHarness<'_>) -> SocketId {
    let socket = h.login();
    h.provision_ok(socket);
    h.lines();
    socket
}

// ---- server frames built with the core's encoder -------------------------------------------

use msync_core::wire::msync::{
    Bytes, CommSyncDl, CommUnreadDl, Command, Encode, ErrorCode, Status,
};

/// `value` encoded by the core into a buffer of exactly its `encoded_len`.
pub fn encode(value: &dyn Encode) -> Vec<u8> {
    let mut out = vec![0; value.encoded_len()];
    value.encode(&mut out).unwrap();
    out
}

fn down(command: Command, payload: &(dyn msync_core::wire::proto::Encode + Sync)) -> Vec<u8> {
    encode(&MSync {
        command: Some(command),
        payload: Some(Bytes::Nested(payload)),
        ..MSync::EMPTY
    })
}

const OK: Status<'static> = Status {
    error_code: Some(ErrorCode::OK),
    ..Status::EMPTY
};

/// An UNREAD reply listing no queue.
pub fn empty_unread_reply(timestamp: u64) -> Vec<u8> {
    down(
        Command::UNREAD,
        &CommUnreadDl {
            status: Some(OK),
            timestamp: Some(timestamp),
            ..CommUnreadDl::EMPTY
        },
    )
}

/// A PROVISION reply with status REDIRECT to `host:port`.
pub fn redirect_reply(host: &str, port: u32) -> Vec<u8> {
    use msync_core::wire::msync::{Provision, RedirectInfo};
    let target = [RedirectInfo {
        host: Some(host),
        port: Some(port),
    }];
    down(
        Command::PROVISION,
        &Provision {
            status: Some(Status {
                error_code: Some(ErrorCode::REDIRECT),
                redirect_info: (&target).into(),
                ..Status::EMPTY
            }),
            ..Provision::EMPTY
        },
    )
}

/// The ACK of the send with client id `id`.
pub fn ack(id: u64, server_id: u64) -> Vec<u8> {
    down(
        Command::SYNC,
        &CommSyncDl {
            status: Some(OK),
            meta_id: Some(id),
            server_id: Some(server_id),
            timestamp: Some(NOW),
            ..CommSyncDl::EMPTY
        },
    )
}

/// The client message id (`Meta.id`) of a SYNC send frame, if it is one.
pub fn sent_id(msync: &[u8]) -> Option<u64> {
    let (_, payload) = up_views(msync);
    payload["CommSyncUL"]["meta"]["id"]
        .as_str()
        .filter(|_| payload["CommSyncUL"]["meta"]["ns"] == "CHAT")
        .and_then(|id| id.parse().ok())
}

/// The command of an up frame.
pub fn command_of(msync: &[u8]) -> String {
    up_views(msync).0["command"]
        .as_str()
        .unwrap_or("SYNC")
        .to_owned()
}
