//! The connection state machine, sans-IO (PROTOCOL.md §7–§9; DESIGN.md "The core contract" and
//! "The single active socket").
//!
//! A [`Session`] never performs I/O, never reads a clock and never allocates. The caller feeds
//! it inputs and drains its outputs:
//!
//! - **Inputs**: API calls ([`login`](Session::login), [`send`](Session::send),
//!   [`logout`](Session::logout), [`renew_token`](Session::renew_token)); transport facts
//!   ([`opened`](Session::opened), [`received`](Session::received), [`closed`](Session::closed));
//!   and [`timeout`](Session::timeout). Every input carries `now`: Unix milliseconds when the
//!   device has them (trace ids, session ids and message ids are derived from it), otherwise any
//!   monotonic millisecond count.
//! - **Outputs**: [`poll`](Session::poll) returns one [`Output`] at a time: [`Output::Open`],
//!   [`Output::Transmit`], [`Output::Close`], [`Output::Event`], and finally [`Output::Wait`].
//!
//! **The one rule: after any input, call `poll` until it returns `Wait`.** Outputs borrow the
//! session's buffers and are valid until the next call into the session.
//!
//! # Driving a session
//!
//! ```no_run
//! use msync_core::app::{AppIdentity, AppKey};
//! use msync_core::session::{
//!     Config, Credential, DefaultSession, Event, OutgoingMessage, Output, Remote, SocketId,
//!     TransportError,
//! };
//! use msync_core::time::Instant;
//! # struct Rng;
//! # impl rand_core::RngCore for Rng {
//! #     fn next_u32(&mut self) -> u32 { 4 }
//! #     fn next_u64(&mut self) -> u64 { 4 }
//! #     fn fill_bytes(&mut self, d: &mut [u8]) { d.fill(4) }
//! # }
//! # fn now() -> Instant { Instant::from_millis(1_700_000_000_000) }
//! # fn connect(_: SocketId, _: Remote<'_>) {}
//! # fn write_all(_: SocketId, _: &[u8]) {}
//! # fn close(_: SocketId) {}
//! # enum Input {
//! #     Opened(SocketId),
//! #     Bytes(SocketId, Vec<u8>),
//! #     Closed(SocketId, TransportError),
//! #     Timer,
//! #     Send(String),
//! # }
//! # fn wait_for_input(_: Option<Instant>) -> Input { unimplemented!() }
//!
//! /// Hands every output to the world until the session waits; returns its next deadline.
//! fn drain(session: &mut DefaultSession<'_, Rng>) -> Option<Instant> {
//!     loop {
//!         match session.poll() {
//!             // Connect TCP (+ TLS when remote.tls); report opened() or closed() later.
//!             Output::Open { socket, remote } => connect(socket, remote),
//!             Output::Transmit { socket, bytes } => write_all(socket, bytes),
//!             Output::Close { socket } => close(socket),
//!             Output::Event(Event::Message(message)) => {
//!                 println!("{}: {:?}", message.from(), message.text())
//!             }
//!             Output::Event(other) => println!("{other:?}"),
//!             Output::Wait { until } => return until,
//!         }
//!     }
//! }
//!
//! let app = AppIdentity::Key(AppKey::parse("org#app").unwrap());
//! let config = Config::new(app, "alice", Credential::Token("YWMt..."), "zfb_1700000000000");
//! let mut session = DefaultSession::new(&config, Rng, now()).unwrap();
//!
//! session.login(now()).unwrap();
//! let mut until = drain(&mut session);
//! loop {
//!     // Whatever comes first: socket events, bytes, the application, or the deadline.
//!     match wait_for_input(until) {
//!         Input::Opened(socket) => session.opened(now(), socket),
//!         Input::Closed(socket, error) => session.closed(now(), socket, error),
//!         Input::Timer => session.timeout(now()),
//!         Input::Send(text) => {
//!             let _ = session.send(now(), &OutgoingMessage::text("bob", &text));
//!         }
//!         Input::Bytes(socket, bytes) => {
//!             // Offer, drain, offer the rest: the session takes one message at a time.
//!             let mut rest = &bytes[..];
//!             while !rest.is_empty() {
//!                 let used = session.received(now(), socket, rest);
//!                 rest = &rest[used..];
//!                 until = drain(&mut session);
//!             }
//!             continue;
//!         }
//!     }
//!     until = drain(&mut session);
//! }
//! ```
//!
//! [`received`](Session::received) returns how many bytes it took. It stops after each
//! complete WebSocket message that produced work, so that the message can be handed out from
//! the receive buffer without a copy; offer the rest after draining. The caller's read buffer
//! can be any size: the session copies frame payloads into its own receive buffer as they
//! arrive.
//!
//! # Sockets
//!
//! The session owns one socket slot. Each socket gets a new generation ([`SocketId`]); at most
//! one is live. A replaced socket is handed out as `Close` before the next `Open` (unless the
//! caller already reported it closed). Inputs naming any other socket are ignored and counted
//! ([`Stats::stale_inputs`]), so a late close or late bytes of a replaced socket never touch
//! the live one. The bootstrap and REST exchanges use the same slot, one after the other.
//!
//! # Guarantees
//!
//! - Every send accepted by [`send`](Session::send) ends exactly once, with
//!   [`Event::SendAcked`] or [`Event::SendFailed`]. Unacknowledged sends survive socket
//!   replacements and are re-sent first on the next connection, with their original ids.
//! - Every message the server queues is handed out once ([`Event::Message`]): a batch is
//!   acknowledged only after its last meta was handed out, and ids seen recently are dropped.
//!   A session configured with [`Receive::Nothing`] takes nothing: it never pulls or
//!   acknowledges, and the server keeps every queued message.
//! - Kicks, fatal login statuses, token expiry and logout end the session with
//!   [`Event::Closed`] and no reconnect; everything else reconnects with backoff.
//!
//! # Capacities
//!
//! Chosen by the caller through const generics ([`Session`]'s parameters, defaults in
//! [`DefaultSession`]); running out is a typed error ([`SendError`], [`CapacityError`]), never a
//! panic or a silent drop:
//!
//! | Parameter | Default | Holds | Sizing |
//! |---|---|---|---|
//! | `RX` | 16 KiB | one received WebSocket message, plus room to inflate a zlib payload after it; HTTP responses (`server.json`, token) | ≥ the largest batch the server sends (several 5 KB messages); compressed batches need compressed + inflated size (feature `zlib`) |
//! | `TX` | 4 KiB | one outgoing frame | ≥ 14 + frame, × 4/3 for Alipay base64: PROVISION is ~180 B + 2 × token; a send is ~70 B + its content and ext |
//! | `OUTBOX` | 8 | unacknowledged sends | sends in flight during the worst outage you want to ride out |
//! | `OUTBOX_BYTES` | 4 KiB | their encoded bytes | `OUTBOX` × typical message size |
//! | `DEDUPE` | 128 | recent server ids | ≥ 2 × the largest batch (the server's default pull is 50) and ≥ 100 |
//! | `QUEUES` | 4 | pull chains | queues with traffic at once: your own, the system queue `@easemob.com`, ... |
//!
//! Exactly-once delivery holds within the `DEDUPE` window: a meta whose key ack was lost with
//! a broken link comes again from the server, and is dropped as a duplicate unless more than
//! `DEDUPE` other metas were delivered in between (an application that must never see one
//! twice keeps its own record of server ids).
//!
//! Fixed bounds: tokens up to [`MAX_TOKEN_LEN`] bytes, host names from `server.json` or REDIRECT
//! up to [`MAX_HOST_NAME_LEN`], [`MAX_LEARNED_HOSTS`] per list, queue addresses up to
//! [`MAX_QUEUE_ADDRESS_LEN`]. With the feature `zlib` (default) the session also holds a zlib
//! decompressor, 10 504 bytes; without it the session is that much smaller and a compressed
//! frame is reported ([`CapacityError::CompressedFrame`]) and dropped like any frame that does
//! not decode, its batch unacknowledged. The size of [`DefaultSession`] is printed by the
//! `session_size` test and stated in the README.

/// Opens an `impl` block of [`Session`] with its full parameter list; the session's behaviour is
/// split over files by job, each adding one such block.
macro_rules! session_impl {
    ($($body:tt)*) => {
        impl<
            'cfg,
            R: rand_core::RngCore,
            const RX: usize,
            const TX: usize,
            const OUTBOX: usize,
            const OUTBOX_BYTES: usize,
            const DEDUPE: usize,
            const QUEUES: usize,
        > $crate::session::Session<'cfg, R, RX, TX, OUTBOX, OUTBOX_BYTES, DEDUPE, QUEUES>
        {
            $($body)*
        }
    };
}

mod backoff;
mod config;
mod dedupe;
mod emit;
mod error;
mod frames;
mod heartbeat;
mod hosts;
mod ids;
mod inbound;
mod inputs;
mod lifecycle;
mod login;
mod message;
mod outbox;
mod output;
mod phase;
mod poll;
mod pull;
mod receive;
mod slot;
mod timers;
mod token;
mod transport;

use heapless::{Deque, String};

pub use config::{
    BackoffTier, BootstrapConfig, Config, Credential, DEFAULT_BACKOFF_TIERS,
    DEFAULT_BOOTSTRAP_BASES, Device, EndpointConfig, Options, OsKind, Receive, ReconnectPolicy,
    Timings,
};
pub use error::{
    CapacityError, CloseReason, ConfigError, Disconnect, KickReason, LoginError, RejectReason,
    SendError, SendFailure, StateError, TokenError, TransportError,
};
pub use hosts::{MAX_HOST_NAME_LEN, MAX_LEARNED_HOSTS};
pub use message::{
    ChatType, ChatroomPriority, Kick, MessageId, Notification, OutgoingContent, OutgoingMessage,
    Receipt, ReceiptKind, ReceivedContent, ReceivedMessage, Route,
};
pub use output::{Event, Output, Purpose, Remote, SocketId, State};
pub use pull::{MAX_PULLS_PER_CHAIN, MAX_QUEUE_ADDRESS_LEN};
pub use token::MAX_TOKEN_LEN;

pub use crate::wire::msync::{KeyValue, Value};

use backoff::Backoff;
use dedupe::Dedupe;
use heartbeat::Heartbeat;
use hosts::Hosts;
use ids::{MessageIds, SessionIdText, TraceIds};
use lifecycle::Notice;
use outbox::Outbox;
use phase::{Inbound, Phase};
use pull::PullTable;
use token::Tokens;

use crate::time::Instant;
#[cfg(feature = "zlib")]
use crate::wire::msync::Inflater;
use crate::wire::ws::{CloseCode, Decoder, MAX_CONTROL_PAYLOAD};

/// The longest resource (PROTOCOL.md §6.4).
pub const MAX_RESOURCE_LEN: usize = 128;

/// Owned events waiting for `poll` (state changes and the like; at most a few per input).
const NOTICE_CAPACITY: usize = 8;

/// A session with the default capacities (see the module documentation's table).
pub type DefaultSession<'cfg, R> = Session<'cfg, R>;

/// Counters for diagnostics and tests.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Stats {
    /// Transport inputs ([`opened`](Session::opened), [`received`](Session::received),
    /// [`closed`](Session::closed)) that named a socket other than the live one; each was
    /// ignored (`received` takes and drops all its bytes). That is a socket the session had
    /// already retired: one it handed out as [`Output::Close`] (the caller's own `closed` for
    /// it included), one replaced before its `Open` went out, or one of an older generation.
    ///
    /// Every input first handles the deadlines its `now` reached, and only then looks at its
    /// socket. So an input arriving after an overdue deadline (dead link, ACK or pull timeout,
    /// open or PROVISION timeout, a backoff's end) whose own tick retires the socket it names
    /// counts as stale, although that socket was live when the caller read from it: its bytes
    /// are dropped, not decoded. A driver that calls [`timeout`](Session::timeout) on time sees
    /// this only when the deadline and the input coincide. `timeout` and API calls never count.
    pub stale_inputs: u32,
    /// Received metas dropped as duplicates.
    pub duplicates_dropped: u32,
    /// msync frames received.
    pub frames_received: u32,
    /// Frames handed out as `Transmit` (including handshakes and HTTP requests).
    pub frames_sent: u32,
    /// Received msync frames that did not decode (ignored).
    pub malformed_frames: u32,
    /// ACKs that matched no pending send (duplicates, the STATISTIC meta).
    pub unmatched_acks: u32,
    /// Login rounds that failed (each followed by a backoff).
    pub failed_rounds: u32,
    /// Owned events dropped because the caller did not drain.
    pub events_dropped: u32,
}

/// Frames that are due on the online connection, produced lazily by `poll`.
#[derive(Debug, Default)]
struct Due {
    /// A ping's payload to echo in a pong.
    pong: Option<heapless::Vec<u8, MAX_CONTROL_PAYLOAD>>,
    /// The server sent a close frame, with this status code if it had one: echo the code
    /// (RFC 6455 §5.5.1), then replace the socket.
    server_closed: Option<Option<CloseCode>>,
    /// The close echo went out: replace the socket now.
    replace_after_echo: bool,
    /// An UNREAD (login, heartbeat, rediscovery).
    unread: bool,
    /// The STATISTIC INFORMATION meta after the login UNREAD.
    statistic: bool,
}

/// Login progress across attempts and rounds.
#[derive(Debug, Default)]
struct LoginCursor {
    /// The gateway to try next (wraps around the list).
    gateway: usize,
    /// Gateway attempts in the current round.
    round_attempts: u8,
    /// REDIRECT hops followed in this login.
    redirect_hops: u8,
    /// Fingerprints of the redirect targets visited in this login.
    visited: heapless::Vec<u32, 8>,
    /// A password login already fetched a fresh token after "token expired" this round.
    refreshed_token: bool,
}

/// The msync client session: see the module documentation.
///
/// `R` supplies randomness (WebSocket keys and masks, jitter, message-id salt). The const
/// parameters are the capacities of the table in the module documentation.
pub struct Session<
    'cfg,
    R,
    const RX: usize = 16384,
    const TX: usize = 4096,
    const OUTBOX: usize = 8,
    const OUTBOX_BYTES: usize = 4096,
    const DEDUPE: usize = 128,
    const QUEUES: usize = 4,
> {
    config: &'cfg Config<'cfg>,
    rng: R,
    now: Instant,
    phase: Phase,
    slot: slot::Slot,
    /// The live socket finished its WebSocket handshake.
    ws_ready: bool,
    decoder: Decoder,
    rx: [u8; RX],
    tx: [u8; TX],
    #[cfg(feature = "zlib")]
    inflater: Inflater,
    inbound: Inbound,
    due: Due,
    outbox: Outbox<OUTBOX, OUTBOX_BYTES>,
    pulls: PullTable<QUEUES>,
    dedupe: Dedupe<DEDUPE>,
    heartbeat: Heartbeat,
    backoff: Backoff,
    tokens: Tokens,
    hosts: Hosts,
    login_cursor: LoginCursor,
    trace_ids: TraceIds,
    message_ids: MessageIds,
    resource: String<MAX_RESOURCE_LEN>,
    session_id: SessionIdText,
    notices: Deque<Notice, NOTICE_CAPACITY>,
    stats: Stats,
}

session_impl! {
    /// A session for `config`, idle until [`login`](Session::login). Checks the configuration.
    pub fn new(config: &'cfg Config<'cfg>, mut rng: R, now: Instant) -> Result<Self, ConfigError> {
        let resource = lifecycle::validate(config, TX)?;
        let message_ids = MessageIds::new(rng.next_u32());
        Ok(Self {
            config,
            rng,
            now,
            phase: Phase::Idle,
            slot: slot::Slot::new(),
            ws_ready: false,
            decoder: Decoder::new(RX),
            rx: [0; RX],
            tx: [0; TX],
            #[cfg(feature = "zlib")]
            inflater: Inflater::new(),
            inbound: Inbound::None,
            due: Due::default(),
            outbox: Outbox::new(),
            pulls: PullTable::new(),
            dedupe: Dedupe::new(),
            heartbeat: Heartbeat::new(),
            backoff: Backoff::new(),
            tokens: Tokens::new(),
            hosts: Hosts::new(),
            login_cursor: LoginCursor::default(),
            trace_ids: TraceIds::new(),
            message_ids,
            resource,
            session_id: SessionIdText::new(),
            notices: Deque::new(),
            stats: Stats::default(),
        })
    }

    /// The current state.
    pub fn state(&self) -> State {
        self.phase.state()
    }

    /// Counters.
    pub fn stats(&self) -> Stats {
        Stats {
            stale_inputs: self.slot.stale_inputs,
            ..self.stats
        }
    }

    /// The resource in use (the configured one, or the server's).
    pub fn resource(&self) -> &str {
        &self.resource
    }

    /// The newest token (for the application to store, e.g. after [`Event::TokenUpdated`]).
    /// It is a credential: keep it out of logs.
    pub fn token(&self) -> &str {
        self.tokens.newest()
    }

    /// When the token expires (session time), if known.
    pub fn token_expires_at(&self) -> Option<Instant> {
        self.tokens.expiry().map(|expiry| expiry.expires_at)
    }

    /// The number of sends not yet reported as acknowledged or failed.
    pub fn pending_sends(&self) -> usize {
        self.outbox.len()
    }

    /// The live socket, if any.
    pub fn live_socket(&self) -> Option<SocketId> {
        self.slot.live()
    }

    /// The configuration.
    pub fn config(&self) -> &'cfg Config<'cfg> {
        self.config
    }
}

impl<
    R,
    const RX: usize,
    const TX: usize,
    const O: usize,
    const B: usize,
    const D: usize,
    const Q: usize,
> core::fmt::Debug for Session<'_, R, RX, TX, O, B, D, Q>
{
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Session")
            .field("state", &self.phase.state())
            .field("live", &self.slot.live())
            .field("pending_sends", &self.outbox.len())
            .field("stats", &self.stats)
            .finish_non_exhaustive()
    }
}
