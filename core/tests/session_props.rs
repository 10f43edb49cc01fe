//! Property test of the session's input path: any sequence of inputs (valid and corrupt
//! frames, split anywhere, on live and stale sockets, socket events, time, API calls) never
//! panics; `poll` always reaches `Wait`; `Close` comes before the next `Open`; transmits go only
//! to the socket that is open; and every accepted send ends exactly once.

mod support;

use std::collections::HashMap;

use msync_core::session::{
    Credential, DefaultSession, Event, MessageId, OutgoingMessage, Output, SocketId, TransportError,
};
use proptest::prelude::*;
use support::Rng;
use support::*;

const DOWN: [&str; 12] = [
    "provision_reply_ok_down",
    "provision_reply_token_expired_down",
    "provision_reply_redirect_down",
    "unread_reply_down",
    "send_ack_down",
    "send_nack_down",
    "notice_down",
    "sync_batch_down",
    "sync_last_down",
    "sync_batch_down_zlib",
    "kicked_login_another_device_down",
    "logout_reply_down",
];

#[derive(Clone, Debug)]
enum Op {
    /// A down vector as a binary (or text) frame, split at `cut` into two reads.
    Vector {
        index: usize,
        text: bool,
        cut: usize,
    },
    /// Random bytes.
    Garbage(Vec<u8>),
    /// Answer the last handshake request, or an HTTP response.
    Handshake,
    /// Open the live socket, answer its handshake and PROVISION (a whole login).
    Establish,
    Http(u16),
    /// Socket events, on the live socket (`stale` false) or an older one.
    Opened {
        stale: bool,
    },
    Closed {
        stale: bool,
    },
    /// Bytes on a stale socket.
    StaleBytes,
    Advance(u64),
    Send,
    /// The ACK of one of the sends so far (possibly a duplicate or an unknown id).
    Ack(u64),
    Logout,
    Login,
    Renew,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (0..DOWN.len(), any::<bool>(), 0usize..64).prop_map(|(index, text, cut)| Op::Vector { index, text, cut }),
        1 => prop::collection::vec(any::<u8>(), 0..48).prop_map(Op::Garbage),
        3 => Just(Op::Handshake),
        4 => Just(Op::Establish),
        1 => prop_oneof![Just(200u16), Just(400), Just(503)].prop_map(Op::Http),
        3 => any::<bool>().prop_map(|stale| Op::Opened { stale }),
        1 => any::<bool>().prop_map(|stale| Op::Closed { stale }),
        1 => Just(Op::StaleBytes),
        3 => prop_oneof![0u64..2_000, 2_000u64..70_000].prop_map(Op::Advance),
        2 => Just(Op::Send),
        2 => (0u64..12).prop_map(Op::Ack),
        1 => Just(Op::Logout),
        2 => Just(Op::Login),
        1 => Just(Op::Renew),
    ]
}

/// The caller's side of the socket rules, checked on every output.
#[derive(Default)]
struct Checker {
    /// The socket announced by `Open` and not closed since.
    open: Option<SocketId>,
    /// Reported opened by the test.
    opened: Option<SocketId>,
    older: Vec<SocketId>,
    last_request: Option<Vec<u8>>,
    /// Sends accepted, and how many times each ended.
    ended: HashMap<u64, u32>,
}

impl Checker {
    fn check(&mut self, output: &Output<'_>) {
        match output {
            Output::Open { socket, .. } => {
                assert_eq!(self.open, None, "Open {socket:?} while another is open");
                self.open = Some(*socket);
            }
            Output::Close { socket } => {
                assert_eq!(self.open, Some(*socket), "Close names a stale socket");
                self.retire();
            }
            Output::Transmit { socket, bytes } => {
                assert_eq!(
                    self.opened,
                    Some(*socket),
                    "Transmit to a socket not opened"
                );
                assert_eq!(self.open, Some(*socket));
                if bytes.starts_with(b"GET /websocket") {
                    self.last_request = Some(bytes.to_vec());
                }
            }
            Output::Event(Event::SendAcked { id, .. } | Event::SendFailed { id, .. }) => {
                *self.ended.entry(id.get()).or_default() += 1;
            }
            _ => {}
        }
    }

    fn retire(&mut self) {
        if let Some(socket) = self.open.take() {
            self.older.push(socket);
        }
        self.opened = None;
    }
}

/// A session under test, the checker of its outputs, its clock and the next send's id.
struct Run<'c> {
    session: DefaultSession<'c, Rng>,
    checker: Checker,
    now: u64,
    next_id: u64,
}

impl Run<'_> {
    fn drain(&mut self) {
        for _ in 0..5_000 {
            let output = self.session.poll();
            self.checker.check(&output);
            if let Output::Wait { .. } = output {
                return;
            }
        }
        panic!("poll did not reach Wait");
    }

    fn feed(&mut self, socket: SocketId, bytes: &[u8]) {
        let mut rest = bytes;
        let mut stalls = 0;
        while !rest.is_empty() {
            let used = self.session.received(at(self.now), socket, rest);
            assert!(used <= rest.len());
            self.drain();
            rest = &rest[used..];
            stalls = if used == 0 { stalls + 1 } else { 0 };
            assert!(stalls < 2, "received took nothing after a drain");
        }
    }

    fn apply(&mut self, op: Op) {
        let now = at(self.now);
        let live = self.checker.open;
        let stale = self
            .checker
            .older
            .last()
            .copied()
            .unwrap_or(SocketId::from_generation(99));
        match op {
            Op::Vector { index, text, cut } => {
                let msync = vector(DOWN[index]);
                let frame = if text {
                    server_text(&msync)
                } else {
                    server_binary(&msync)
                };
                if let Some(socket) = live {
                    let cut = cut.min(frame.len());
                    self.feed(socket, &frame[..cut]);
                    self.feed(socket, &frame[cut..]);
                }
            }
            Op::Garbage(bytes) => {
                if let Some(socket) = live {
                    self.feed(socket, &bytes);
                }
            }
            Op::Handshake => {
                if let (Some(socket), Some(request)) = (live, self.checker.last_request.take()) {
                    self.feed(socket, &handshake_response(&request));
                }
            }
            Op::Establish => {
                if let Some(socket) = live {
                    if self.checker.opened != Some(socket) {
                        self.session.opened(now, socket);
                        self.checker.opened = Some(socket);
                        self.drain();
                    }
                    if let Some(request) = self.checker.last_request.take() {
                        self.feed(socket, &handshake_response(&request));
                        let reply = server_binary(&vector("provision_reply_ok_down"));
                        if self.checker.open == Some(socket) {
                            self.feed(socket, &reply);
                        }
                    }
                }
            }
            Op::Http(status) => {
                if let Some(socket) = live {
                    let body = if status == 200 {
                        r#"{"access_token":"TOKEN","expires_in":60}"#
                    } else {
                        r#"{"error":"invalid_grant","error_description":"invalid password"}"#
                    };
                    self.feed(socket, &http_json(status, body));
                }
            }
            Op::Opened { stale: use_stale } => {
                let socket = if use_stale { Some(stale) } else { live };
                if let Some(socket) = socket {
                    self.session.opened(now, socket);
                    if Some(socket) == self.checker.open {
                        self.checker.opened = Some(socket);
                    }
                    self.drain();
                }
            }
            Op::Closed { stale: use_stale } => {
                let socket = if use_stale { Some(stale) } else { live };
                if let Some(socket) = socket {
                    self.session.closed(now, socket, TransportError::Reset);
                    if Some(socket) == self.checker.open {
                        self.checker.retire();
                    }
                    self.drain();
                }
            }
            Op::StaleBytes => {
                let used =
                    self.session
                        .received(now, stale, &server_binary(&vector("notice_down")));
                assert!(used > 0);
                self.drain();
            }
            Op::Advance(ms) => {
                self.now += ms;
                self.session.timeout(at(self.now));
                self.drain();
            }
            Op::Send => {
                let id = MessageId::new(self.next_id).unwrap();
                self.next_id += 1;
                let message = OutgoingMessage::text("bob", "hi").with_id(id);
                if self.session.send(now, &message).is_ok() {
                    self.checker.ended.entry(id.get()).or_default();
                }
                self.drain();
            }
            Op::Ack(id) => {
                if let Some(socket) = live {
                    self.feed(socket, &server_binary(&ack(id, 7)));
                }
            }
            Op::Logout => {
                let _ = self.session.logout(now);
                self.drain();
            }
            Op::Login => {
                let _ = self.session.login(now);
                self.drain();
            }
            Op::Renew => {
                let _ = self.session.renew_token(now, "RENEWED", Some(3600));
                self.drain();
            }
        }
    }
}

fn run(ops: Vec<Op>, password: bool, seed: u64) {
    let mut config = vector_config();
    if password {
        config.credential = Credential::Password("secret");
    }
    let mut run = Run {
        session: DefaultSession::new(&config, Rng(seed), at(0)).unwrap(),
        checker: Checker::default(),
        now: 0,
        next_id: 1,
    };
    run.session.login(at(run.now)).unwrap();
    run.drain();
    for op in ops {
        run.apply(op);
    }
    // End the session: every accepted send has ended exactly once.
    let _ = run.session.logout(at(run.now));
    run.drain();
    run.now += 10 * 60_000;
    run.session.timeout(at(run.now));
    run.drain();
    assert_eq!(run.session.pending_sends(), 0);
    for (id, count) in &run.checker.ended {
        assert_eq!(*count, 1, "send {id} ended {count} times");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn any_input_sequence_keeps_the_rules(
        ops in prop::collection::vec(op(), 1..120),
        password in any::<bool>(),
        seed in any::<u64>(),
    ) {
        run(ops, password, seed);
    }
}
