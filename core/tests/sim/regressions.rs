//! Session bugs the simulation found, each minimised to a few direct calls.

use msync_core::app::{AppIdentity, AppKey};
use msync_core::region::Endpoint;
use msync_core::session::{
    BootstrapConfig, Config, Credential, DefaultSession, EndpointConfig, Event, Output, Session,
    SocketId, TransportError,
};
use msync_core::time::Instant;
use msync_core::url::Url;

use std::collections::VecDeque;

use super::queues::{APP_KEY, Item, OWN_QUEUE, SYSTEM_QUEUE, USER};
use super::rng::SimRng;
use super::server::{CONFIG_TOKEN, Server, ServerStyle};

/// Unix ms, as a device with a wall clock passes it.
const ORIGIN: u64 = 1_700_000_000_000;

/// One drained output, owned: `Open` with its host, or anything else by its debug text.
#[derive(Debug, PartialEq)]
enum Seen {
    Open(SocketId, String),
    Close(SocketId),
    Reconnecting(u32),
    Other(String),
}

fn drain(session: &mut DefaultSession<'_, SimRng>) -> (Vec<Seen>, Option<u64>) {
    let mut seen = Vec::new();
    loop {
        match session.poll() {
            Output::Wait { until } => return (seen, until.map(Instant::as_millis)),
            Output::Open { socket, remote } => seen.push(Seen::Open(socket, remote.host.into())),
            Output::Close { socket } => seen.push(Seen::Close(socket)),
            Output::Event(Event::Reconnecting { attempt, .. }) => {
                seen.push(Seen::Reconnecting(attempt));
            }
            other => seen.push(Seen::Other(format!("{other:?}"))),
        }
    }
}

/// Fails every connection until the session backs off `rounds` times; returns when the last
/// backoff ends.
fn fail_rounds(session: &mut DefaultSession<'_, SimRng>, rounds: u32) -> u64 {
    let mut now = ORIGIN;
    let mut backoffs = 0;
    let (mut seen, mut until) = drain(session);
    loop {
        for output in &seen {
            if let Seen::Reconnecting(_) = output {
                backoffs += 1;
            }
        }
        if backoffs == rounds {
            return until.expect("the backoff's end");
        }
        match seen.iter().rev().find_map(|o| match o {
            Seen::Open(socket, _) => Some(*socket),
            _ => None,
        }) {
            Some(socket) if session.live_socket() == Some(socket) => {
                session.closed(
                    Instant::from_millis(now),
                    socket,
                    TransportError::ConnectFailed,
                );
            }
            _ => {
                now = until.expect("a backoff");
                session.timeout(Instant::from_millis(now));
            }
        }
        (seen, until) = drain(session);
    }
}

/// Logs in to `endpoints`, fails one round, and calls `logout` after its backoff ended but
/// before `timeout`: nothing may be opened.
fn assert_logout_after_an_overdue_backoff_opens_nothing(endpoints: EndpointConfig<'_>) {
    let app = AppIdentity::Key(AppKey::parse("org#app").unwrap());
    let config = Config::new(app, "alice", Credential::Token("T"), "sim").with_endpoints(endpoints);
    let mut session =
        DefaultSession::new(&config, SimRng::new(1), Instant::from_millis(ORIGIN)).unwrap();
    session.login(Instant::from_millis(ORIGIN)).unwrap();
    let backoff_ends = fail_rounds(&mut session, 1);
    session
        .logout(Instant::from_millis(backoff_ends + 1))
        .unwrap();
    let (seen, _) = drain(&mut session);
    let opens: Vec<&Seen> = seen
        .iter()
        .filter(|s| matches!(s, Seen::Open(..)))
        .collect();
    assert!(opens.is_empty(), "logout opened {opens:?} (all: {seen:?})");
}

/// Seed 7817: `logout` called after a backoff ended but before `timeout` (a driver late with
/// its timer) started the next round inside `logout`, and the ending session then handed out
/// that round's `Open` anyway — to a gateway, computed from the ending phase. Logging out must
/// not open anything.
#[test]
fn logout_after_an_overdue_backoff_opens_no_socket() {
    let endpoint = Endpoint::custom("https://rest.sim.invalid", "wss://gw.sim.invalid/websocket");
    assert_logout_after_an_overdue_backoff_opens_nothing(EndpointConfig::Custom(endpoint.unwrap()));
}

/// The same with the bootstrap: the `Open` of the pending bootstrap socket named a gateway
/// with an empty host (no gateway is known before `server.json`).
#[test]
fn logout_after_an_overdue_bootstrap_backoff_opens_no_socket() {
    let bases = [Url::parse("https://rs1.sim.invalid").unwrap()];
    assert_logout_after_an_overdue_backoff_opens_nothing(EndpointConfig::Bootstrap(
        BootstrapConfig {
            bases: &bases,
            allow_plain: false,
        },
    ));
}

/// A session with the default capacities but `Q` queue slots.
type QueueSession<'c, const Q: usize> = Session<'c, SimRng, 16384, 4096, 8, 4096, 128, Q>;

/// A session wired to the simulation's server over a lossless, instant network, driven by
/// hand so that a test can hold back one transmit.
struct Rig<'c, const Q: usize = 4> {
    session: QueueSession<'c, Q>,
    server: Server,
    now: u64,
    socket: Option<SocketId>,
    /// Server ids of the messages and notifications handed to the application, in order.
    delivered: Vec<u64>,
    /// Transmits not passed to the server yet.
    outbox: VecDeque<Vec<u8>>,
    /// Capacity events handed out.
    capacity_events: Vec<String>,
}

impl<'c, const Q: usize> Rig<'c, Q> {
    fn new(config: &'c Config<'c>, style: ServerStyle) -> Self {
        let session =
            QueueSession::new(config, SimRng::new(3), Instant::from_millis(ORIGIN)).unwrap();
        let server = Server::new(SimRng::new(4), style, "webim_sim");
        Self {
            session,
            server,
            now: ORIGIN,
            socket: None,
            delivered: Vec::new(),
            outbox: VecDeque::new(),
            capacity_events: Vec::new(),
        }
    }

    fn instant(&self) -> Instant {
        Instant::from_millis(self.now)
    }

    /// Drains the session: connects what it opens, keeps what it transmits.
    fn drain(&mut self) {
        loop {
            let opened = match self.session.poll() {
                Output::Wait { .. } => return,
                Output::Open { socket, remote } => {
                    let host = remote.host.to_owned();
                    Some((socket, host, remote.purpose))
                }
                Output::Transmit { bytes, .. } => {
                    self.outbox.push_back(bytes.to_vec());
                    None
                }
                Output::Event(Event::Message(m)) => {
                    self.delivered.push(m.server_id());
                    None
                }
                Output::Event(Event::Notification(n)) => {
                    self.delivered.push(n.meta.id.unwrap_or(0));
                    None
                }
                Output::Event(Event::Capacity(error)) => {
                    self.capacity_events.push(format!("{error:?}"));
                    None
                }
                _ => None,
            };
            if let Some((socket, host, purpose)) = opened {
                self.socket = Some(socket);
                self.server.connect(socket.generation(), &host, purpose);
                self.session.opened(self.instant(), socket);
            }
        }
    }

    /// Server bytes, offered by the contract.
    fn feed(&mut self, bytes: &[u8]) {
        let socket = self.socket.expect("a socket");
        let mut rest = bytes;
        while !rest.is_empty() {
            let used = self.session.received(self.instant(), socket, rest);
            self.drain();
            rest = &rest[used..];
        }
    }

    /// Passes the next transmit to the server and its answers back.
    fn exchange_one(&mut self) {
        let bytes = self.outbox.pop_front().expect("a transmit");
        let generation = self.socket.expect("a socket").generation();
        let reply = self.server.receive(generation, &bytes, self.now).unwrap();
        for down in reply.downs {
            self.feed(&down.bytes);
        }
    }

    /// Exchanges until the session has nothing more to say.
    fn settle(&mut self) {
        self.drain();
        while !self.outbox.is_empty() {
            self.exchange_one();
        }
    }

    fn queue(&mut self, queue: usize, item: Item) -> u64 {
        let (id, notices) = self.server.enqueue(queue, item, self.now);
        for (_, down) in notices {
            self.feed(&down.bytes);
        }
        id
    }
}

fn quiet_style() -> ServerStyle {
    ServerStyle {
        batch_size: 1,
        ack_delay_per_mille: 0,
        text_per_mille: 0,
        fragment_per_mille: 0,
        extras_per_mille: 0,
        zlib_per_mille: 0,
        token_lifetime_s: (600, 600),
        rotates_tokens: false,
        assigns_resource: false,
    }
}

/// A token login to a custom endpoint, with no heartbeat jitter.
fn quiet_config() -> Config<'static> {
    let app = AppIdentity::Key(AppKey::parse(APP_KEY).unwrap());
    let endpoint = Endpoint::custom("https://rest.sim.invalid", "wss://gw.sim.invalid/websocket");
    let mut config = Config::new(app, USER, Credential::Token(CONFIG_TOKEN), "sim")
        .with_endpoints(EndpointConfig::Custom(endpoint.unwrap()));
    config.timings.heartbeat_jitter = msync_core::time::Duration::ZERO;
    config
}

/// An online rig.
fn online_rig<'c, const Q: usize>(config: &'c Config<'c>) -> Rig<'c, Q> {
    let mut rig = Rig::<Q>::new(config, quiet_style());
    rig.session.login(rig.instant()).unwrap();
    rig.settle();
    assert_eq!(rig.session.state(), msync_core::session::State::Online);
    rig
}

/// Queues two messages on the user's queue (a NOTICE for the first only, which would
/// otherwise ask for another chain and hide the problem), delivers the first batch, holds
/// the pull with its key, and has the server repeat that batch meanwhile. Returns both ids.
fn repeat_a_batch_while_its_key_is_held<const Q: usize>(rig: &mut Rig<'_, Q>) -> (u64, u64) {
    let text = |n: u32| Item::Chat {
        from: "bob".into(),
        group: None,
        text: format!("m{n}"),
    };
    let first = rig.queue(OWN_QUEUE, text(1));
    rig.server.armed.lost_notices = 1;
    let second = rig.queue(OWN_QUEUE, text(2));
    // NOTICE -> pull -> batch [first] -> delivered -> pull with its key: hold that one.
    rig.exchange_one();
    assert_eq!(rig.delivered, [first]);
    assert_eq!(rig.outbox.len(), 1, "the key of the first batch");
    // The repeat is taken for the answer; the loop guard ends the chain.
    let repeat = rig.server.repeat_batch(1).expect("a batch to repeat");
    rig.feed(&repeat.bytes);
    (first, second)
}

/// A NOTIFY meta on the system queue (its NOTICE reaches the session).
fn notify_system<const Q: usize>(rig: &mut Rig<'_, Q>, n: u32) {
    rig.queue(
        SYSTEM_QUEUE,
        Item::Notify {
            json: format!(r#"{{"n":{n}}}"#),
        },
    );
}

/// After a heartbeat's UNREAD, `id` was handed out once and nothing is left unacknowledged.
fn assert_once_and_acknowledged<const Q: usize>(rig: &mut Rig<'_, Q>, id: u64) {
    rig.now += 61_000;
    rig.session.timeout(rig.instant());
    rig.settle();
    let times = rig.delivered.iter().filter(|&&d| d == id).count();
    assert_eq!(times, 1, "message {id} handed out {times} times");
    assert_eq!(
        rig.server.unacked(),
        0,
        "delivered metas left unacknowledged"
    );
}

/// Seed 2661: the server repeated a batch (at-least-once) while the session's next pull was
/// on its way. The session took the repeat for the answer, its loop guard (same `next_key`)
/// stopped the chain, and the real answer then arrived with no chain waiting: it was handed
/// out but its key never acknowledged. The server kept it until the next heartbeat's UNREAD;
/// by then more than `DEDUPE` (128) other ids had been handed out, so it was handed out twice.
#[test]
fn a_repeated_batch_leaves_no_delivered_meta_unacknowledged() {
    let config = quiet_config();
    let mut rig = online_rig::<4>(&config);
    let (first, second) = repeat_a_batch_while_its_key_is_held(&mut rig);
    // The held pull reaches the server; its answer is the batch [second].
    rig.settle();
    assert_eq!(rig.delivered, [first, second]);
    // Many other ids reach the application (the system queue), pushing `second` out of the
    // deduplication window; then a heartbeat.
    for n in 0..140 {
        notify_system(&mut rig, n);
        rig.settle();
    }
    assert_once_and_acknowledged(&mut rig, second);
}

/// Seed 16803, with one queue slot: as seed 2661, and a NOTICE of the system queue took the
/// slot the stopped chain left idle. The real answer then arrived with no chain awaiting it
/// and no slot to pull its queue again (`QueueTableFull`), so its key was never sent; the
/// system queue's long chain pushed its message out of the deduplication window before an
/// UNREAD found the queue again, and the message was handed out twice. A batch no chain
/// awaits is acknowledged from its own bytes, without a slot.
#[test]
fn an_unawaited_batch_is_acknowledged_without_a_queue_slot() {
    let config = quiet_config();
    let mut rig = online_rig::<1>(&config);
    let (first, second) = repeat_a_batch_while_its_key_is_held(&mut rig);
    // Many system notifications: the system queue takes the idle slot.
    for n in 0..140 {
        notify_system(&mut rig, n);
    }
    // The held pull reaches the server; its answer [second] finds no chain awaiting it.
    rig.exchange_one();
    assert_eq!(rig.delivered, [first, second]);
    rig.settle();
    assert_once_and_acknowledged(&mut rig, second);
    assert_eq!(rig.delivered.len(), 142);
    assert_eq!(rig.capacity_events, Vec::<String>::new());
}
