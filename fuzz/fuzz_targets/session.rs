//! The session's input path: a `Session` driven through a fuzzer-chosen sequence of inputs,
//! draining `poll` until `Wait` after each, as the module documentation tells callers to.
//!
//! Input: 3 header bytes, then a script of steps (`Script`: an exhausted input reads as zeros).
//! Header: flags, RNG seed (2). Flags: bits 0–1 the endpoints (0 the Alipay preset, base64
//! text frames; 1 a custom binary `ws://` endpoint; 2 the bootstrap; 3 the bootstrap with a
//! plain base and an App ID), bit 2 password credential (REST token first), bit 3
//! `Receive::Nothing`, bit 4 small capacities (RX 2 KiB, TX 2 KiB, 2 sends in 512 B, dedupe 4,
//! one queue), bit 5 no STATISTIC meta, bit 6 give up after 3 rounds, bit 7 no send deadline.
//!
//! Each step is an opcode byte (modulo 17) and its arguments; see `Driver::step`. Inputs:
//! login, opened, closed, received (fuzzer bytes; the `101` for the last upgrade request,
//! followed by server frames; msync frames built with the core's encoder from fuzzer fields,
//! as binary or base64 text, compressed, fragmented; control frames; HTTP responses; an ACK of
//! a pending send), timeout after a fuzzer-chosen step or at the last deadline, send, logout,
//! renew_token, and opened/closed/received naming a retired socket. Received bytes are offered
//! in fuzzer-chosen pieces, each offered again after draining until taken.
//!
//! Checks (`Contract` for the outputs): `poll` reaches `Wait` within 1 000 outputs; `Open`
//! only after the previous socket was closed (by `Close`, or reported closed), with a new
//! generation and a host; `Transmit` and `Close` name only the live socket, and `Transmit` only
//! once it was reported opened; every accepted send ends once (`SendAcked` or `SendFailed`
//! for a pending id; `send` refuses an id only while it is pending, and accepts the one given);
//! `Closed` comes with no socket open and no send pending; `Wait`'s deadline is later than the
//! `now` of the input before it; `received` never claims more than it was offered, and takes
//! something once drained; an input naming a retired socket is counted stale (its bytes all
//! taken). At the end, logout and time close the session with every accepted send ended.
#![no_main]

use libfuzzer_sys::fuzz_target;
use msync_core::app::{AppId, AppIdentity, AppKey};
use msync_core::region::Endpoint;
use msync_core::session::{
    BootstrapConfig, ChatroomPriority, Config, Credential, EndpointConfig, KeyValue, MessageId,
    OutgoingContent, OutgoingMessage, Output, Receive, Route, SendError, Session, SocketId, State,
    TransportError,
};
use msync_core::time::Instant;
use msync_core::url::Url;
use msync_core_fuzz::script::Script;
use msync_core_fuzz::server_http::{handshake_response, http_response};
use msync_core_fuzz::server_msync::{
    ack_ok, control_frame, msync_frame, provision_ok, websocket_message,
};
use msync_core_fuzz::session_contract::Contract;
use msync_core_fuzz::split::Splitter;
use msync_core_fuzz::ws_frames::server_frame;

/// The session clock's start, Unix ms.
const NOW: u64 = 1_700_000_000_000;
/// Steps per input.
const MAX_STEPS: usize = 256;
/// Outputs one drain may take before `poll` must have returned `Wait`.
const MAX_OUTPUTS: usize = 1_000;

fuzz_target!(|input: &[u8]| {
    let mut script = Script::new(input);
    let flags = script.byte();
    let seed = u64::from(script.u16());
    let bases = [Url::parse("http://127.0.0.1:8099").expect("a valid base")];
    let config = config(flags, &bases);
    if flags & 0x10 != 0 {
        Driver::<2048, 2048, 2, 512, 4, 1>::new(&config, seed).run(script);
    } else {
        Driver::<16384, 4096, 8, 4096, 128, 4>::new(&config, seed).run(script);
    }
});

fn config<'a>(flags: u8, bases: &'a [Url<'a>]) -> Config<'a> {
    let app = AppIdentity::Key(AppKey::parse("org#app").expect("a valid app key"));
    let credential = if flags & 0x04 != 0 {
        Credential::Password("secret")
    } else {
        Credential::Token("TOKEN")
    };
    let mut config = Config::new(app, "alice", credential, "zfb_1700000000000");
    match flags & 3 {
        0 => {}
        1 => {
            let endpoint =
                Endpoint::custom("http://127.0.0.1:8099", "ws://127.0.0.1:8099/websocket");
            config.endpoints = EndpointConfig::Custom(endpoint.expect("a valid endpoint"));
        }
        2 => config.endpoints = EndpointConfig::Bootstrap(BootstrapConfig::DEFAULT),
        _ => {
            config.app = AppIdentity::Id(AppId::parse("0123456789abcdef").expect("a valid id"));
            config.endpoints = EndpointConfig::Bootstrap(BootstrapConfig {
                bases,
                allow_plain: true,
            });
        }
    }
    if flags & 0x08 != 0 {
        config.options.receive = Receive::Nothing;
    }
    if flags & 0x20 != 0 {
        config.options.statistic_information = false;
    }
    if flags & 0x40 != 0 {
        config.reconnect.max_attempts = Some(3);
    }
    if flags & 0x80 != 0 {
        config.timings.send_deadline = None;
    }
    config
}

fn at(ms: u64) -> Instant {
    Instant::from_millis(ms)
}

/// Xorshift64*: the session's injected randomness, seeded from the header.
struct XorShift(u64);

impl rand_core::RngCore for XorShift {
    fn next_u32(&mut self) -> u32 {
        (self.next_u64() >> 32) as u32
    }

    fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn fill_bytes(&mut self, dst: &mut [u8]) {
        dst.iter_mut()
            .for_each(|byte| *byte = self.next_u64() as u8);
    }
}

const TRANSPORT_ERRORS: [TransportError; 7] = [
    TransportError::PeerClosed,
    TransportError::ConnectFailed,
    TransportError::Tls,
    TransportError::Reset,
    TransportError::WriteFailed,
    TransportError::TimedOut,
    TransportError::Other,
];

/// The session, the caller's record of what it was told, and the clock.
struct Driver<
    'c,
    const RX: usize,
    const TX: usize,
    const O: usize,
    const B: usize,
    const D: usize,
    const Q: usize,
> {
    session: Session<'c, XorShift, RX, TX, O, B, D, Q>,
    contract: Contract,
    now: u64,
}

impl<
    'c,
    const RX: usize,
    const TX: usize,
    const O: usize,
    const B: usize,
    const D: usize,
    const Q: usize,
> Driver<'c, RX, TX, O, B, D, Q>
{
    /// A session for `config`, idle, at the clock's start.
    fn new(config: &'c Config<'c>, seed: u64) -> Self {
        // Xorshift must not start at 0.
        let rng = XorShift(seed | 1 << 32);
        let session = Session::new(config, rng, at(NOW))
            .expect("every configuration the header chooses is valid");
        Self {
            session,
            contract: Contract::default(),
            now: NOW,
        }
    }

    /// Runs the script's steps, then ends the session.
    fn run(mut self, mut script: Script<'_>) {
        for _ in 0..MAX_STEPS {
            if script.is_empty() {
                break;
            }
            self.step(&mut script);
        }
        self.finish();
    }

    fn instant(&self) -> Instant {
        at(self.now)
    }

    /// Polls until `Wait`, checking every output.
    fn drain(&mut self) {
        for _ in 0..MAX_OUTPUTS {
            let output = self.session.poll();
            self.contract.output(&output);
            if let Output::Wait { until } = output {
                if let Some(until) = until {
                    assert!(
                        until.as_millis() > self.now,
                        "Wait until {} after an input at {}: a deadline that already passed",
                        until.as_millis(),
                        self.now
                    );
                }
                return;
            }
        }
        panic!("poll did not reach Wait within {MAX_OUTPUTS} outputs");
    }

    /// Offers `bytes` on `socket` in pieces, each offered again after draining until taken.
    fn feed(&mut self, socket: SocketId, bytes: &[u8], splitter: &mut Splitter) {
        for piece in splitter.pieces(bytes) {
            let mut rest = piece;
            let mut stalls = 0;
            while !rest.is_empty() {
                let used = self.session.received(self.instant(), socket, rest);
                assert!(
                    used <= rest.len(),
                    "received claimed {used} of {} bytes",
                    rest.len()
                );
                self.drain();
                rest = &rest[used..];
                stalls = if used == 0 { stalls + 1 } else { 0 };
                assert!(stalls < 2, "received took nothing after a drain");
            }
        }
    }

    /// Offers `bytes` on the open socket, if any, split as the script says (a seed and the
    /// longest piece, read whether or not a socket is open).
    fn feed_live(&mut self, s: &mut Script<'_>, bytes: &[u8]) {
        let mut splitter = Splitter::new(s.u16(), s.byte());
        if let Some(socket) = self.contract.open() {
            self.feed(socket, bytes, &mut splitter);
        }
    }

    /// Lets `ms` pass and calls `timeout`.
    fn advance(&mut self, ms: u64) {
        self.now = self.now.saturating_add(ms);
        self.session.timeout(self.instant());
        self.drain();
    }

    fn step(&mut self, s: &mut Script<'_>) {
        let now = self.instant();
        match s.byte() % 17 {
            0 => {
                let _ = self.session.login(now);
                self.drain();
            }
            1 => {
                if let Some(socket) = self.contract.open() {
                    self.session.opened(now, socket);
                    self.contract.reported_opened(socket);
                    self.drain();
                }
            }
            2 => {
                let error = s.pick(&TRANSPORT_ERRORS);
                if let Some(socket) = self.contract.open() {
                    self.session.closed(now, socket, error);
                    self.contract.reported_closed(socket);
                    self.drain();
                }
            }
            3 => {
                let bytes = s.short_bytes();
                self.feed_live(s, bytes);
            }
            4 => {
                let variant = s.byte();
                let messages = self.server_messages(s);
                match self.contract.upgrade_request() {
                    Some(request) => {
                        let mut bytes = handshake_response(request, variant);
                        bytes.extend(messages);
                        self.feed_live(s, &bytes);
                    }
                    None => self.feed_live(s, &[]),
                }
            }
            5 => {
                let bytes = self.server_messages(s);
                self.feed_live(s, &bytes);
            }
            6 => {
                let bytes = control_frame(s);
                self.feed_live(s, &bytes);
            }
            7 => {
                let bytes = http_response(s);
                let bytes = if self.contract.http_pending() {
                    &bytes[..]
                } else {
                    &[]
                };
                self.feed_live(s, bytes);
            }
            8 => {
                let value = u64::from(s.byte());
                let unit = s.pick(&[1, 100, 1_000, 60_000]);
                self.advance(value * unit);
            }
            9 => {
                // To the last deadline, or just before or after it.
                let offset = s.pick(&[0, 0, -1, 1]);
                let target = self.contract.deadline().map_or(self.now, |until| {
                    until.as_millis().saturating_add_signed(offset)
                });
                self.advance(target.saturating_sub(self.now));
            }
            10 => self.send(s),
            11 => {
                let _ = self.session.logout(now);
                self.drain();
            }
            12 => self.renew_token(s),
            13 => self.stale_input(s),
            14 => self.establish(),
            15 => {
                let (choice, server_id) = (usize::from(s.byte()), u64::from(s.u16()) + 1);
                let pending = self.contract.pending();
                let bytes = match pending.len() {
                    0 => Vec::new(),
                    len => server_frame(0x82, &ack_ok(pending[choice % len], server_id)),
                };
                self.feed_live(s, &bytes);
            }
            _ => {
                let count = s.byte() % 4 + 1;
                let mut bytes = Vec::new();
                for _ in 0..count {
                    bytes.extend(self.server_messages(s));
                }
                self.feed_live(s, &bytes);
            }
        }
    }

    /// Up to three server messages (msync frames built from the script), back to back.
    fn server_messages(&self, s: &mut Script<'_>) -> Vec<u8> {
        let pending = self.contract.pending();
        let mut bytes = Vec::new();
        for _ in 0..s.byte() % 4 {
            let msync = msync_frame(s, &pending);
            bytes.extend(websocket_message(s, &msync));
        }
        bytes
    }

    fn send(&mut self, s: &mut Script<'_>) {
        let to = s.pick(&["bob", "", "ops-room", "alice"]);
        let repeat = match s.byte() {
            byte if byte >= 240 => usize::from(byte - 239) * 64,
            _ => 1,
        };
        let text = String::from_utf8_lossy(s.short_bytes()).repeat(repeat);
        let attributes = [KeyValue::string("k", "v"), KeyValue::int("n", 7)];
        let users = ["bob", "carol"];
        let content = match s.byte() % 4 {
            0 => OutgoingContent::Text(&text),
            1 => OutgoingContent::Command {
                action: &text,
                params: &attributes,
            },
            2 => OutgoingContent::Custom {
                event: &text,
                exts: &attributes,
            },
            _ => OutgoingContent::Location {
                latitude: f64::from(s.byte()),
                longitude: -1.5,
                address: &text,
            },
        };
        let mut message = OutgoingMessage::new(to, content);
        match s.byte() % 3 {
            1 => message = message.group(),
            2 => message = message.chat_room().with_priority(ChatroomPriority::Low),
            _ => {}
        }
        if s.flag() {
            message = message.with_ext(&attributes);
        }
        match s.byte() % 4 {
            0 => message = message.with_route(Route::Directed(&users)),
            1 => message = message.with_route(Route::OnlineOnly),
            _ => {}
        }
        let id = MessageId::new(u64::from(s.byte() % 24));
        if let Some(id) = id {
            message = message.with_id(id);
        }
        match self.session.send(self.instant(), &message) {
            Ok(accepted) => {
                if let Some(id) = id {
                    assert_eq!(accepted, id, "send replaced the caller's id");
                }
                self.contract.accepted(accepted);
            }
            Err(SendError::DuplicateId) => assert!(
                id.is_some_and(|id| self.contract.is_pending(id)),
                "DuplicateId for an id that is not pending"
            ),
            Err(_) => {}
        }
        self.drain();
    }

    fn renew_token(&mut self, s: &mut Script<'_>) {
        let long = "T".repeat(600);
        let fuzzed = String::from_utf8_lossy(s.short_bytes()).into_owned();
        let token = s.pick(&["RENEWED", "", "bad token", &long, &fuzzed]);
        let expires_in = s.pick(&[
            None,
            Some(0),
            Some(60),
            Some(3_600),
            Some(NOW / 1_000 + 120),
            Some(NOW + 60_000),
            Some(u64::MAX),
        ]);
        let _ = self.session.renew_token(self.instant(), token, expires_in);
        self.drain();
    }

    /// An input naming a retired socket (or one never issued): counted, bytes all taken.
    fn stale_input(&mut self, s: &mut Script<'_>) {
        let socket = self.contract.stale(s.byte());
        let kind = s.byte() % 3;
        let bytes = s.short_bytes();
        let before = self.session.stats().stale_inputs;
        let now = self.instant();
        match kind {
            0 => self.session.opened(now, socket),
            1 => self.session.closed(now, socket, TransportError::Reset),
            _ => assert_eq!(
                self.session.received(now, socket, bytes),
                bytes.len(),
                "a stale socket's bytes were not all taken"
            ),
        }
        assert_eq!(
            self.session.stats().stale_inputs,
            before.saturating_add(1),
            "an input naming {socket:?} was not counted stale"
        );
        self.drain();
    }

    /// Opens the open socket if not yet, answers its upgrade and then its PROVISION with OK.
    fn establish(&mut self) {
        let Some(socket) = self.contract.open() else {
            return;
        };
        if !self.contract.is_opened() {
            self.session.opened(self.instant(), socket);
            self.contract.reported_opened(socket);
            self.drain();
        }
        if let Some(request) = self.contract.upgrade_request().map(<[u8]>::to_vec) {
            let mut bytes = handshake_response(&request, 0);
            bytes.extend(server_frame(0x82, &provision_ok()));
            self.feed(socket, &bytes, &mut Splitter::whole());
        }
    }

    /// Logs out and lets time pass: the session closes, every accepted send ended.
    fn finish(&mut self) {
        if self.session.state() == State::Idle {
            let _ = self.session.login(self.instant());
            self.drain();
        }
        let _ = self.session.logout(self.instant());
        self.drain();
        for _ in 0..8 {
            if matches!(self.session.state(), State::Closed(_)) {
                break;
            }
            self.advance(10 * 60_000);
        }
        let state = self.session.state();
        assert!(
            matches!(state, State::Closed(_)),
            "logout did not close the session: {state:?}"
        );
        assert_eq!(
            self.session.pending_sends(),
            0,
            "sends pending after Closed"
        );
        assert_eq!(
            self.contract.pending(),
            Vec::<u64>::new(),
            "sends that never ended"
        );
    }
}
