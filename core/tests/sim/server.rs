//! The in-memory msync server: the server side of PROTOCOL.md §3–§7 for one user, with
//! at-least-once delivery, send deduplication by client id, token rotation, and the faults a
//! real gateway can show (REDIRECT, silence, delayed and duplicated ACKs, re-sent batches,
//! pings, close frames).
//!
//! Server frames are built with the core's msync encoder (the devserver is the independent
//! implementation checked against the vectors); the WebSocket and HTTP layers around them, and
//! the zlib wrapping, are the tests' own. Every rule a client must follow on the wire is
//! checked, and a violation is returned as an error that fails the seed. This file holds the
//! state, the connections and the transport layers; `server_http.rs` and `server_msync.rs`
//! answer requests.

use std::collections::{HashMap, VecDeque};

use msync_core::session::Purpose;
use msync_core::wire::msync::{
    Bytes, CommNotice, CommSyncDl, Command, Encode, ErrorCode, MSync, Status, Version,
};

use super::queues::{Item, OWN_QUEUE, Queue, Stored, encode, jid_of, zlib_stored};
use super::rng::SimRng;
use super::ws_server::{
    self, ClientFrame, Framing, MID_PING, OP_BINARY, OP_CLOSE, OP_PING, OP_PONG, OP_TEXT,
};
use crate::frames::{base64_decode, server_frame};

pub(crate) const PASSWORD: &str = "sim-password";
/// The token of token-login seeds; valid for ever.
pub(crate) const CONFIG_TOKEN: &str = "YWMtSimConfiguredToken";
/// Sends to this user are refused (`FAIL`, `blocked`).
pub(crate) const BLOCKING_PEER: &str = "mallory";

pub(crate) const OK: Status<'static> = Status {
    error_code: Some(ErrorCode::OK),
    ..Status::EMPTY
};

/// What the server stored for a client message id.
#[derive(Clone, Debug)]
pub(crate) struct SendRecord {
    /// `None`: refused.
    pub(crate) server_id: Option<u64>,
    pub(crate) to: String,
    pub(crate) text: String,
    /// How many times the frame arrived.
    pub(crate) arrivals: u32,
}

/// One piece of server output for a connection.
#[derive(Clone, Debug)]
pub(crate) struct Down {
    pub(crate) bytes: Vec<u8>,
    /// Hold it back this long (a slow server; ACK delays).
    pub(crate) delay: u64,
    /// It is one msync message (counted by the session's `frames_received`).
    pub(crate) msync: bool,
    /// The server closes the connection after it.
    pub(crate) close_after: bool,
    /// It is the server's close frame: nothing may follow it (RFC 6455 §5.5.1).
    pub(crate) close_frame: bool,
}

impl Down {
    pub(crate) fn control(bytes: Vec<u8>) -> Self {
        Self {
            bytes,
            delay: 0,
            msync: false,
            close_after: false,
            close_frame: false,
        }
    }
}

/// What the server saw a client do, for the invariants kept outside it.
#[derive(Clone, Debug)]
pub(crate) enum Seen {
    /// A send arrived (`arrival` from 1).
    Send {
        id: u64,
        arrival: u32,
    },
    /// A key acknowledged these metas (skipped kinds left out).
    KeyAck {
        ids: Vec<u64>,
    },
    /// A pull of `queue` (with `key`, as a sequence number) was answered with `metas` metas
    /// and `next` (a sequence number).
    Batch {
        queue: usize,
        key: Option<u64>,
        metas: usize,
        next: Option<u64>,
    },
    /// An ACK went out (possibly twice).
    Ack {
        copies: u32,
    },
    /// The STATISTIC INFORMATION meta was acknowledged.
    Statistic,
    /// A PROVISION was answered with this status.
    Provision(&'static str),
    /// A heartbeat or login UNREAD was answered.
    Unread,
    Logout,
    Pong,
    Http(&'static str),
}

/// The server's answer to some client bytes.
#[derive(Debug, Default)]
pub(crate) struct Reply {
    pub(crate) downs: Vec<Down>,
    pub(crate) seen: Vec<Seen>,
}

#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Login {
    /// No PROVISION yet.
    Awaiting,
    /// PROVISION received, not answered (a silent server).
    Unanswered,
    /// Answered with something other than OK: the client must send nothing more.
    Refused,
    Online,
    LoggedOut,
}

#[derive(Debug)]
pub(crate) struct Conn {
    pub(crate) host: String,
    pub(crate) purpose: Purpose,
    pub(crate) rx: Vec<u8>,
    upgraded: bool,
    pub(crate) login: Login,
    /// The server sent a close frame.
    closing: bool,
    /// The client's close frame arrived.
    client_closed: bool,
    /// Answers nothing any more (a half-dead server).
    mute: bool,
    pings: VecDeque<Vec<u8>>,
    /// The last batch and its number of metas.
    pub(crate) last_batch: Option<(Vec<u8>, u64)>,
    pub(crate) http_answered: bool,
}

/// One-shot faults the scheduler arms; the next matching request takes them.
#[derive(Debug, Default)]
pub(crate) struct Armed {
    /// Answer the next PROVISIONs with REDIRECT, one hop each.
    pub(crate) redirects: u32,
    /// The redirects point back at a host already visited (a loop).
    pub(crate) redirect_loop: bool,
    /// Leave the next PROVISIONs unanswered.
    pub(crate) silent_provisions: u32,
    /// Fail the next HTTP requests (5xx, 429 or silence).
    pub(crate) http_failures: u32,
    /// Send no NOTICE for the next new metas.
    pub(crate) lost_notices: u32,
    /// Send the next ACK twice.
    pub(crate) duplicate_ack: bool,
}

/// Per-seed behaviour.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ServerStyle {
    /// Metas per batch.
    pub(crate) batch_size: usize,
    /// ACKs held back beyond the client's ACK timeout, per mille.
    pub(crate) ack_delay_per_mille: u64,
    /// Frames sent as base64 text, per mille.
    pub(crate) text_per_mille: u64,
    /// Messages fragmented, per mille.
    pub(crate) fragment_per_mille: u64,
    /// Frames carrying what a newer server might add (an unknown body field, the envelope's
    /// `version` and `trace_id`), per mille.
    pub(crate) extras_per_mille: u64,
    /// Payloads zlib-compressed, per mille.
    pub(crate) zlib_per_mille: u64,
    /// Token lifetimes, seconds (REST tokens, rotated tokens, renewals).
    pub(crate) token_lifetime_s: (u64, u64),
    /// The OK reply sometimes rotates the token (`auth_token` with `expires_in`).
    pub(crate) rotates_tokens: bool,
    /// The OK reply assigns this resource instead of the client's.
    pub(crate) assigns_resource: bool,
}

/// The server.
#[derive(Debug)]
pub(crate) struct Server {
    pub(crate) rng: SimRng,
    pub(crate) style: ServerStyle,
    pub(crate) armed: Armed,
    pub(crate) conns: HashMap<u32, Conn>,
    pub(crate) queues: [Queue; 2],
    next_server_id: u64,
    pub(crate) sends: HashMap<u64, SendRecord>,
    /// Valid tokens and when they expire (ms; `None`: never).
    pub(crate) tokens: HashMap<String, Option<u64>>,
    issued_tokens: u64,
    /// Resources the client may log in with.
    pub(crate) resources: Vec<String>,
    /// Hosts handed out by REDIRECT, in order.
    pub(crate) redirect_targets: Vec<String>,
    /// The bootstrap document's gateways and REST hosts.
    pub(crate) doc_gateways: Vec<String>,
    pub(crate) doc_rest: Vec<String>,
    /// Metas that went out again (re-pulled after a reconnect, or a batch repeated).
    pub(crate) metas_repeated: u64,
}

impl Server {
    pub(crate) fn new(rng: SimRng, style: ServerStyle, resource: &str) -> Self {
        let mut tokens = HashMap::new();
        tokens.insert(CONFIG_TOKEN.to_owned(), None);
        Self {
            rng,
            style,
            armed: Armed::default(),
            conns: HashMap::new(),
            queues: Default::default(),
            next_server_id: 900_000_000_000,
            sends: HashMap::new(),
            tokens,
            issued_tokens: 0,
            resources: vec![resource.to_owned()],
            redirect_targets: Vec::new(),
            doc_gateways: vec!["gw-a.sim.invalid".into(), "gw-b.sim.invalid".into()],
            doc_rest: vec!["rest-a.sim.invalid".into(), "rest-b.sim.invalid".into()],
            metas_repeated: 0,
        }
    }

    /// A TCP connection from the client arrived (the adapter opened socket `conn`).
    pub(crate) fn connect(&mut self, conn: u32, host: &str, purpose: Purpose) {
        let fresh = Conn {
            host: host.to_owned(),
            purpose,
            rx: Vec::new(),
            upgraded: false,
            login: Login::Awaiting,
            closing: false,
            client_closed: false,
            mute: false,
            pings: VecDeque::new(),
            last_batch: None,
            http_answered: false,
        };
        assert!(
            self.conns.insert(conn, fresh).is_none(),
            "connection {conn} accepted twice"
        );
    }

    /// The connection is gone (the server noticed the close).
    pub(crate) fn disconnect(&mut self, conn: u32) {
        self.conns.remove(&conn);
    }

    /// The server stops answering on `conn` (it still reads and stores); `false` if it
    /// already had.
    pub(crate) fn mute(&mut self, conn: u32) -> bool {
        self.conns
            .get_mut(&conn)
            .is_some_and(|c| !std::mem::replace(&mut c.mute, true))
    }

    pub(crate) fn fresh_server_id(&mut self) -> u64 {
        self.next_server_id += self.rng.between(1, 1000);
        self.next_server_id
    }

    /// A new token valid for a random lifetime: the token and the lifetime in seconds.
    pub(crate) fn issue_token(&mut self, now: u64) -> (String, u64) {
        self.issued_tokens += 1;
        let token = format!("YWMtSimIssued{}", self.issued_tokens);
        let (lo, hi) = self.style.token_lifetime_s;
        let lifetime = self.rng.between(lo, hi);
        self.tokens
            .insert(token.clone(), Some(now + lifetime * 1000));
        (token, lifetime)
    }

    // ---- framing ---------------------------------------------------------------------------

    /// `MSync{command, payload}` as the server sends it, the payload zlib-compressed at times.
    pub(crate) fn frame(&mut self, command: Command, body: &dyn Encode) -> Vec<u8> {
        let mut payload = encode(body);
        let extras = self.rng.chance(self.style.extras_per_mille);
        if extras {
            // Field 30, a varint: unknown to every body of the schema.
            payload.extend_from_slice(&[0xf0, 0x01, 0x05]);
        }
        let compressed = self.rng.chance(self.style.zlib_per_mille);
        let payload = if compressed {
            zlib_stored(&payload, &mut self.rng)
        } else {
            payload
        };
        encode(&MSync {
            version: extras.then_some(Version::MSYNC_V1),
            command: Some(command),
            compress_algorimth: compressed.then_some(1),
            payload: Some(Bytes::Raw(&payload)),
            trace_id: extras.then(|| self.rng.next()),
            ..MSync::EMPTY
        })
    }

    /// One msync message for `conn`, framed at random (a ping between its fragments is
    /// registered as outstanding).
    pub(crate) fn message(&mut self, conn: u32, msync: Vec<u8>) -> Down {
        let framing = Framing {
            text: self.rng.chance(self.style.text_per_mille),
            fragments: if self.rng.chance(self.style.fragment_per_mille) {
                self.rng.between(2, 4) as usize
            } else {
                1
            },
            ping_inside: self.rng.chance(100),
        };
        if framing.ping_inside
            && framing.fragments > 1
            && let Some(c) = self.conns.get_mut(&conn)
        {
            c.pings.push_back(MID_PING.to_vec());
        }
        Down {
            bytes: ws_server::server_message(&msync, framing),
            delay: 0,
            msync: true,
            close_after: false,
            close_frame: false,
        }
    }

    // ---- what the scheduler does to the server ---------------------------------------------

    /// Queues `item` for the user; returns its server id and the NOTICEs for the online
    /// connections.
    pub(crate) fn enqueue(
        &mut self,
        queue: usize,
        item: Item,
        now: u64,
    ) -> (u64, Vec<(u32, Down)>) {
        let server_id = self.fresh_server_id();
        let q = &mut self.queues[queue];
        q.next_seq += 1;
        q.pending.push_back(Stored {
            seq: q.next_seq,
            server_id,
            timestamp: now,
            item,
            sent: 0,
        });
        if self.armed.lost_notices > 0 {
            self.armed.lost_notices -= 1;
            return (server_id, Vec::new());
        }
        let mut online: Vec<u32> = self
            .conns
            .iter()
            .filter(|(_, c)| c.login == Login::Online && !c.mute && !c.closing)
            .map(|(id, _)| *id)
            .collect();
        online.sort_unstable();
        let notice = CommNotice {
            queue: Some(jid_of(queue)),
        };
        let downs = online
            .into_iter()
            .map(|conn| {
                let msync = self.frame(Command::NOTICE, &notice);
                (conn, self.message(conn, msync))
            })
            .collect();
        (server_id, downs)
    }

    /// Metas not acknowledged yet, over all queues.
    pub(crate) fn unacked(&self) -> usize {
        self.queues.iter().map(|q| q.pending.len()).sum()
    }

    /// The last batch sent on `conn` again (at-least-once: a server may repeat itself).
    pub(crate) fn repeat_batch(&mut self, conn: u32) -> Option<Down> {
        let c = self.conns.get(&conn)?;
        if c.mute || c.login != Login::Online {
            return None;
        }
        let (batch, metas) = c.last_batch.clone()?;
        self.metas_repeated += metas;
        Some(self.message(conn, batch))
    }

    /// A ping on `conn`; its pong must echo the payload.
    pub(crate) fn ping(&mut self, conn: u32) -> Option<Down> {
        let len = self.rng.between(0, 8) as usize;
        let payload = self.rng.next().to_be_bytes()[..len].to_vec();
        let c = self.conns.get_mut(&conn)?;
        if c.mute || !c.upgraded || c.closing || c.purpose != Purpose::Gateway {
            return None;
        }
        c.pings.push_back(payload.clone());
        Some(Down::control(server_frame(true, OP_PING, &payload)))
    }

    /// A close frame on `conn` (going away); the server drops the connection after it when
    /// `hang_up`.
    pub(crate) fn close_frame(&mut self, conn: u32, hang_up: bool) -> Option<Down> {
        let c = self.conns.get_mut(&conn)?;
        if c.mute || !c.upgraded || c.closing || c.purpose != Purpose::Gateway {
            return None;
        }
        c.closing = true;
        let mut down = Down::control(server_frame(true, OP_CLOSE, &1001u16.to_be_bytes()));
        down.close_after = hang_up;
        down.close_frame = true;
        Some(down)
    }

    /// An ACK for client id `id` with a server id nobody assigned (late bytes of an old
    /// socket must never reach the outbox).
    pub(crate) fn forged_ack(&mut self, id: u64) -> Vec<u8> {
        let ack = CommSyncDl {
            status: Some(OK),
            meta_id: Some(id),
            server_id: Some(1),
            timestamp: Some(0),
            ..CommSyncDl::EMPTY
        };
        self.frame(Command::SYNC, &ack)
    }

    /// A NOTICE for the user's queue.
    pub(crate) fn forged_notice(&mut self) -> Vec<u8> {
        let notice = CommNotice {
            queue: Some(jid_of(OWN_QUEUE)),
        };
        self.frame(Command::NOTICE, &notice)
    }

    // ---- client bytes ----------------------------------------------------------------------

    /// Client bytes on `conn`. Errors are protocol violations by the client.
    pub(crate) fn receive(&mut self, conn: u32, bytes: &[u8], now: u64) -> Result<Reply, String> {
        let mut reply = Reply::default();
        let Some(c) = self.conns.get_mut(&conn) else {
            return Ok(reply);
        };
        c.rx.extend_from_slice(bytes);
        match c.purpose {
            Purpose::Bootstrap | Purpose::Rest => self.http(conn, now, &mut reply)?,
            Purpose::Gateway => self.websocket(conn, now, &mut reply)?,
        }
        // A mute server answers nothing; after its close frame, a server sends nothing more.
        if self.conns.get(&conn).is_some_and(|c| c.mute || c.closing) {
            reply.downs.clear();
        }
        Ok(reply)
    }

    fn websocket(&mut self, conn: u32, now: u64, reply: &mut Reply) -> Result<(), String> {
        let c = self.conns.get_mut(&conn).expect("connected");
        if !c.upgraded {
            let Some(head) = ws_server::head_len(&c.rx) else {
                return Ok(());
            };
            let response = ws_server::answer_upgrade(&c.rx[..head], &c.host)?;
            c.rx.drain(..head);
            c.upgraded = true;
            if !c.rx.is_empty() {
                return Err("client data before the 101 response".into());
            }
            reply.downs.push(Down::control(response));
            return Ok(());
        }
        loop {
            let c = self.conns.get_mut(&conn).expect("connected");
            let Some(frame) = ws_server::take_client_frame(&mut c.rx)? else {
                return Ok(());
            };
            if c.client_closed {
                return Err("a frame after the client's close frame".into());
            }
            self.client_frame(conn, frame, now, reply)?;
        }
    }

    fn client_frame(
        &mut self,
        conn: u32,
        frame: ClientFrame,
        now: u64,
        reply: &mut Reply,
    ) -> Result<(), String> {
        let c = self.conns.get_mut(&conn).expect("connected");
        match frame.opcode {
            OP_CLOSE => {
                c.client_closed = true;
                Ok(())
            }
            OP_PONG => {
                // Pings can overtake each other (a held-back message may carry one).
                let Some(index) = c.pings.iter().position(|p| *p == frame.payload) else {
                    return Err(format!(
                        "pong {:02x?} answers no ping (outstanding {:02x?})",
                        frame.payload, c.pings
                    ));
                };
                c.pings.remove(index);
                reply.seen.push(Seen::Pong);
                Ok(())
            }
            OP_PING => {
                reply
                    .downs
                    .push(Down::control(server_frame(true, OP_PONG, &frame.payload)));
                Ok(())
            }
            OP_TEXT | OP_BINARY => {
                // §5.3: base64 text to `im-api-alipay*`, binary to every other gateway.
                let wants_text = c.host.starts_with("im-api-alipay");
                if (frame.opcode == OP_TEXT) != wants_text {
                    return Err(format!(
                        "opcode {} to {} (§5.3 frame type)",
                        frame.opcode, c.host
                    ));
                }
                let msync = if frame.opcode == OP_TEXT {
                    base64_decode(&frame.payload)
                        .map_err(|e| format!("client text frame is not base64: {e}"))?
                } else {
                    frame.payload
                };
                self.msync(conn, &msync, now, reply)
            }
            other => Err(format!("unexpected opcode {other}")),
        }
    }
}
