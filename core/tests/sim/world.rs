//! The simulated world of one seed: a virtual clock, the session driven strictly by its
//! contract (drain after every input, honour `Wait`, re-offer what `received` did not take),
//! the scheduler, and the invariants checked after every step and at the end. The adapter and
//! network live in `adapter.rs`, the application and the peers in `traffic.rs`, the event
//! bookkeeping in `books.rs`, the faults in `faults.rs`.

use std::collections::{BTreeMap, HashMap};

use msync_core::session::{CloseReason, Config, Output, Purpose, Session, SocketId, State};
use msync_core::time::Instant;

use super::books::{Books, EventEffect, event_number, event_tag};
use super::ledger::Ledger;
use super::net::Sock;
use super::plan::{Plan, RESOURCE};
use super::rng::SimRng;
use super::server::{Down, Server};
use super::trace::Trace;

/// How long the run may take to settle once faults stop.
const SETTLE_LIMIT_MS: u64 = 45 * 60 * 1000;
/// How long everything must stay settled.
const QUIET_MS: u64 = 150_000;

/// The session under test, with `O` outbox slots and `Q` queue slots.
pub(crate) type SimSession<'c, const O: usize, const Q: usize> =
    Session<'c, SimRng, 16384, 4096, O, 4096, 128, Q>;

/// Something scheduled.
#[derive(Debug)]
pub(crate) enum Ev {
    Connected(u32),
    ConnectFailed(u32),
    /// The driver calls `timeout` although no deadline is due.
    Tick,
    /// Client bytes reach the server.
    Uplink(u32, Vec<u8>),
    /// Server bytes reach the adapter's socket.
    Downlink(u32, Down),
    /// The adapter reads from a socket.
    Read(u32),
    /// The connection breaks (network, server).
    PeerClosed(u32, msync_core::session::TransportError),
    /// The server notices that the client closed.
    ServerForgets(u32),
    AppSend,
    PeerMessage,
    Fault,
    /// The application hands the session a fresh token.
    Renew,
    /// The application logs in again after the session closed.
    Relogin,
    /// A late event of a socket the session no longer uses.
    Stale(u32, Stale),
}

/// A late event of an old socket.
#[derive(Debug)]
pub(crate) enum Stale {
    Opened,
    Closed(msync_core::session::TransportError),
    Bytes(Vec<u8>),
}

/// Counters for the figures, by name.
pub(crate) type Counts = BTreeMap<&'static str, u64>;

/// What the application is doing to the session's life.
#[derive(Debug, Default)]
pub(crate) struct Life {
    /// `logout` was called and its `Closed` is awaited.
    pub(crate) logout_requested: bool,
    /// The last logout of the run: no login follows.
    pub(crate) final_logout: bool,
    /// A kick was handed out; its `Closed` is awaited.
    pub(crate) kicked: bool,
    /// The session reported `Closed` and no login followed yet.
    pub(crate) closed: Option<CloseReason>,
}

/// One seed's world.
pub(crate) struct World<'c, const O: usize, const Q: usize> {
    pub(crate) plan: Plan,
    /// The clock's origin (see [`Plan::origin`]).
    pub(crate) origin: u64,
    /// Until then every connection fails or hangs (a network outage).
    pub(crate) outage_until: u64,
    pub(crate) rng: SimRng,
    pub(crate) now: u64,
    pub(crate) session: SimSession<'c, O, Q>,
    pub(crate) server: Server,
    pub(crate) socks: HashMap<u32, Sock>,
    /// The socket the adapter holds for the session (at most one).
    pub(crate) live: Option<u32>,
    last_generation: u32,
    events: BTreeMap<(u64, u64), Ev>,
    seq: u64,
    /// The session's `Wait { until }`.
    pub(crate) deadline: Option<u64>,
    pub(crate) ledger: Ledger,
    pub(crate) trace: Trace,
    pub(crate) counts: Counts,
    /// Faults and traffic are on.
    pub(crate) chaos: bool,
    pub(crate) life: Life,
    /// Inputs the simulation made naming a socket other than the live one.
    pub(crate) stale_injected: u32,
    /// A close the adapter reported that the session did not take (a late timer had retired
    /// the socket already): its `Close` is still to come.
    pub(crate) closed_report_ignored: Option<u32>,
    transmits: u32,
    /// msync messages handed completely to the session on its live socket.
    pub(crate) frames_delivered: u32,
    reconnecting_events: u32,
    /// Sessions that ended with `GaveUp` (a failed round without `Reconnecting`).
    gave_up: u32,
    acked_events: u32,
    pub(crate) acks_out: u64,
    pub(crate) texts: u64,
    pub(crate) steps: u64,
}

impl<'c, const O: usize, const Q: usize> World<'c, O, Q> {
    pub(crate) fn new(seed: u64, plan: Plan, config: &'c Config<'c>, echo: bool) -> Self {
        let mut rng = SimRng::new(seed);
        let session_rng = rng.fork(1);
        let server_rng = rng.fork(2);
        let origin = plan.origin();
        let session = Session::new(config, session_rng, Instant::from_millis(origin))
            .expect("the simulation's configuration is valid");
        Self {
            plan,
            origin,
            outage_until: 0,
            rng,
            now: origin,
            session,
            server: Server::new(server_rng, plan.server, RESOURCE),
            socks: HashMap::new(),
            live: None,
            last_generation: 0,
            events: BTreeMap::new(),
            seq: 0,
            deadline: None,
            ledger: Ledger::default(),
            trace: Trace::new(origin, echo),
            counts: Counts::new(),
            chaos: true,
            life: Life::default(),
            stale_injected: 0,
            closed_report_ignored: None,
            transmits: 0,
            frames_delivered: 0,
            reconnecting_events: 0,
            gave_up: 0,
            acked_events: 0,
            acks_out: 0,
            texts: 0,
            steps: 0,
        }
    }

    pub(crate) fn count(&mut self, name: &'static str) {
        *self.counts.entry(name).or_default() += 1;
    }

    pub(crate) fn note(&mut self, tag: &'static str, a: u64, b: u64) {
        self.trace.note(self.now, tag, a, b);
    }

    pub(crate) fn instant(&self) -> Instant {
        Instant::from_millis(self.now)
    }

    pub(crate) fn schedule(&mut self, at: u64, ev: Ev) {
        self.seq += 1;
        self.events.insert((at.max(self.now), self.seq), ev);
    }

    pub(crate) fn latency(&mut self) -> u64 {
        let (lo, hi) = self.plan.latency;
        self.rng.between(lo, hi)
    }

    // ---- the run ---------------------------------------------------------------------------

    /// Chaos for `steps` steps, then settling, then (maybe) logout, then the end-of-run checks.
    pub(crate) fn run(&mut self, steps: u64) {
        self.note("login", 0, 0);
        self.session.login(self.instant()).expect("login starts");
        self.drain(false);
        let (send, peer, fault) = (
            self.rng.gap(self.plan.send_gap_ms),
            self.rng.gap(self.plan.peer_gap_ms),
            self.rng.gap(self.plan.fault_gap_ms),
        );
        self.schedule(self.now + send, Ev::AppSend);
        self.schedule(self.now + peer, Ev::PeerMessage);
        self.schedule(self.now + fault, Ev::Fault);
        let tick = self.rng.gap(self.plan.tick_gap_ms);
        self.schedule(self.now + tick, Ev::Tick);
        for _ in 0..steps {
            self.step();
        }
        self.chaos = false;
        self.note("faults off", 0, 0);
        self.settle();
        if self.plan.logout_at_end {
            self.final_logout();
        }
        self.final_checks();
    }

    /// One step: the earlier of the session's deadline and the next scheduled event (a
    /// deadline already reached goes first, so that no input finds an unhandled deadline).
    pub(crate) fn step(&mut self) {
        self.steps += 1;
        let next = self
            .events
            .first_key_value()
            .map(|((at, _), _)| (*at).max(self.now));
        let timer_first = match (self.deadline, next) {
            (Some(deadline), Some(at)) => deadline.max(self.now) <= at,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => panic!("nothing is scheduled and the session waits for nothing"),
        };
        // A busy driver is sometimes late with its timer: the next input comes first.
        let late = timer_first
            && next.is_some()
            && self.plan.lazy_timers
            && self.chaos
            && self.rng.chance(250);
        if late {
            self.count("driver.late_timers");
        }
        if timer_first && !late {
            let deadline = self.deadline.expect("a deadline");
            self.now = self.now.max(deadline);
            self.note("timeout", 0, 0);
            self.session.timeout(self.instant());
            self.drain(false);
            assert!(
                self.deadline.is_none_or(|d| d > self.now),
                "after timeout({}), Wait names {:?}, a deadline already reached",
                self.now - self.origin,
                self.deadline.map(|d| d - self.origin)
            );
        } else {
            let ((at, _), ev) = self.events.pop_first().expect("an event");
            self.now = self.now.max(at);
            self.handle(ev);
        }
        self.check_step();
    }

    fn handle(&mut self, ev: Ev) {
        match ev {
            Ev::Connected(g) => self.connected(g),
            Ev::ConnectFailed(g) => {
                self.report_closed(g, msync_core::session::TransportError::ConnectFailed)
            }
            Ev::Uplink(g, bytes) => self.uplink(g, &bytes),
            Ev::Downlink(g, down) => self.downlink(g, down),
            Ev::Read(g) => self.read(g),
            Ev::PeerClosed(g, error) => self.report_closed(g, error),
            Ev::ServerForgets(g) => self.server.disconnect(g),
            Ev::AppSend => self.app_send(),
            Ev::PeerMessage => self.peer_message(),
            Ev::Fault => self.fault(),
            Ev::Renew => self.renew(),
            Ev::Tick => self.tick(),
            Ev::Relogin => self.relogin(),
            Ev::Stale(g, stale) => self.stale(g, stale),
        }
    }

    /// Whether a deadline has passed without `timeout` (a late driver).
    pub(crate) fn overdue(&self) -> bool {
        self.deadline.is_some_and(|d| d <= self.now)
    }

    /// After an input naming the live socket: whether the session counted it stale, which it
    /// may only do when an overdue deadline retired the socket first (its `tick` runs before
    /// the input). Such an input is then expected to be counted.
    pub(crate) fn met_by_late_timer(&mut self, overdue: bool, stale_before: u32) -> bool {
        if self.session.stats().stale_inputs == stale_before {
            return false;
        }
        assert!(
            overdue,
            "an input for the live socket was counted stale, and no deadline was overdue"
        );
        self.stale_injected += 1;
        self.count("driver.inputs_met_by_late_timer");
        true
    }

    /// A `timeout` call the driver makes on its own: harmless unless something is due.
    fn tick(&mut self) {
        let overdue = self.overdue();
        self.note("tick", 0, 0);
        self.session.timeout(self.instant());
        self.drain(!overdue);
        self.count("driver.spurious_ticks");
        let gap = self.rng.gap(self.plan.tick_gap_ms);
        self.schedule(self.now + gap, Ev::Tick);
    }

    /// Runs with faults off until every send ended, every queued meta was delivered and
    /// acknowledged, and the session stayed online for a quiet period.
    fn settle(&mut self) {
        let start = self.now;
        let reconnects_before = self.reconnecting_events;
        let mut settled_since: Option<u64> = None;
        loop {
            let settled = self.session.state() == State::Online
                && self.session.pending_sends() == 0
                && self.ledger.open_sends() == 0
                && self.ledger.undelivered() == 0
                && self.server.unacked() == 0;
            if settled {
                let since = *settled_since.get_or_insert(self.now);
                if self.now - since >= QUIET_MS {
                    return;
                }
            } else {
                settled_since = None;
            }
            assert!(
                self.now - start < SETTLE_LIMIT_MS,
                "did not settle within {} min of the faults stopping: state {:?}, pending sends \
                 {}, open sends {}, undelivered {}, unacknowledged on the server {}, {} \
                 reconnects since",
                SETTLE_LIMIT_MS / 60_000,
                self.session.state(),
                self.session.pending_sends(),
                self.ledger.open_sends(),
                self.ledger.undelivered(),
                self.server.unacked(),
                self.reconnecting_events - reconnects_before,
            );
            self.step();
        }
    }

    /// The run's last `logout`: LOGOUT, its reply, `Close`, `Closed { LoggedOut }`, and then
    /// nothing more.
    fn final_logout(&mut self) {
        self.note("logout", 0, 0);
        self.life.logout_requested = true;
        self.life.final_logout = true;
        self.session
            .logout(self.instant())
            .expect("logout from online");
        self.drain(false);
        let start = self.now;
        while self.life.closed.is_none() {
            assert!(self.now - start < 60_000, "logout did not finish");
            self.step();
        }
        assert_eq!(self.session.state(), State::Closed(CloseReason::LoggedOut));
        assert_eq!(self.live, None, "a socket is still open after Closed");
        assert_eq!(self.deadline, None, "a closed session waits for nothing");
    }

    // ---- draining --------------------------------------------------------------------------

    /// Polls until `Wait`. `quiet`: the input was stale or a timeout before the deadline, so
    /// nothing may come out but the same `Wait`.
    pub(crate) fn drain(&mut self, quiet: bool) {
        let before = self.deadline;
        for _ in 0..100_000 {
            let output = match self.session.poll() {
                Output::Wait { until } => {
                    self.deadline = until.map(Instant::as_millis);
                    if quiet {
                        assert_eq!(
                            self.deadline, before,
                            "an input that must change nothing (stale, or a timeout before the deadline) moved the deadline"
                        );
                    }
                    return;
                }
                Output::Event(event) => {
                    assert!(
                        !quiet,
                        "an input that must change nothing (stale, or a timeout before the deadline) produced {event:?}"
                    );
                    self.trace
                        .note(self.now, event_tag(&event), event_number(&event), 0);
                    let books = Books {
                        ledger: &mut self.ledger,
                        counts: &mut self.counts,
                        server: &self.server,
                        plan: &self.plan,
                        queue_slots: Q,
                    };
                    let effect = books.event(&event);
                    self.apply(effect);
                    continue;
                }
                Output::Open { socket, remote } => {
                    Owned::Open(socket, remote.purpose, remote.host.to_owned())
                }
                Output::Transmit { socket, bytes } => Owned::Transmit(socket, bytes.to_vec()),
                Output::Close { socket } => Owned::Close(socket),
            };
            assert!(
                !quiet,
                "an input that must change nothing (stale, or a timeout before the deadline) produced {output:?}"
            );
            match output {
                Owned::Open(socket, purpose, host) => self.on_open(socket, purpose, host),
                Owned::Transmit(socket, bytes) => self.on_transmit(socket, bytes),
                Owned::Close(socket) => self.on_close(socket),
            }
        }
        panic!("poll never returned Wait");
    }

    /// What an event means for the world.
    fn apply(&mut self, effect: EventEffect) {
        match effect {
            EventEffect::None => {}
            EventEffect::Reconnecting => self.reconnecting_events += 1,
            EventEffect::Acked => self.acked_events += 1,
            EventEffect::Kicked => self.life.kicked = true,
            EventEffect::TokenWillExpire => {
                // The application renews the token, most of the time.
                if !self.plan.uses_password() && (!self.chaos || self.rng.chance(850)) {
                    let at = self.now + self.rng.between(0, 2_000);
                    self.schedule(at, Ev::Renew);
                }
            }
            EventEffect::Closed(reason) => self.closed(reason),
        }
    }

    /// `Closed`: only after something that ends a session; the application logs in again
    /// unless this was the run's last logout.
    fn closed(&mut self, reason: CloseReason) {
        let expected = match reason {
            CloseReason::LoggedOut => self.life.logout_requested,
            CloseReason::Kicked(_) => self.life.kicked,
            CloseReason::TokenExpired
            | CloseReason::LoginRejected(msync_core::session::LoginError::TokenExpired) => {
                self.plan.server.rotates_tokens
            }
            CloseReason::GaveUp { attempts } => self.plan.max_attempts == Some(attempts),
            _ => false,
        };
        assert!(expected, "the session closed for good: {reason:?}");
        if let CloseReason::GaveUp { .. } = reason {
            self.gave_up += 1;
        }
        assert!(self.life.closed.is_none(), "Closed reported twice");
        self.life.closed = Some(reason);
        self.count(match reason {
            CloseReason::LoggedOut => "closed.logged_out",
            CloseReason::Kicked(_) => "closed.kicked",
            CloseReason::GaveUp { .. } => "closed.gave_up",
            _ => "closed.token_expired",
        });
        if !self.life.final_logout {
            let at = self.now + self.rng.between(200, 10_000);
            self.schedule(at, Ev::Relogin);
        }
    }

    fn on_open(&mut self, socket: SocketId, purpose: Purpose, host: String) {
        let g = socket.generation();
        self.note("out.open", u64::from(g), purpose as u64);
        assert_eq!(
            self.live, None,
            "Open {socket:?} while socket#{:?} is live: Close must come first",
            self.live
        );
        assert!(g > self.last_generation, "Open reuses generation {g}");
        self.last_generation = g;
        let doc = match purpose {
            Purpose::Rest => &self.server.doc_rest,
            _ => &self.server.doc_gateways,
        };
        assert!(
            self.plan
                .host_allowed(purpose, &host, doc, &self.server.redirect_targets),
            "Open {socket:?} to {host} for {purpose:?}: a host nobody named"
        );
        self.count(match purpose {
            Purpose::Bootstrap => "open.bootstrap",
            Purpose::Rest => "open.rest",
            Purpose::Gateway => "open.gateway",
        });
        self.socks.insert(g, Sock::new(socket, purpose, host));
        self.live = Some(g);
        self.connect_later(g);
    }

    fn on_transmit(&mut self, socket: SocketId, bytes: Vec<u8>) {
        let g = socket.generation();
        self.note("out.transmit", u64::from(g), bytes.len() as u64);
        assert_eq!(
            self.live,
            Some(g),
            "Transmit on {socket:?}, which is not the live socket"
        );
        self.transmits += 1;
        self.send_up(g, bytes);
    }

    fn on_close(&mut self, socket: SocketId) {
        let g = socket.generation();
        self.note("out.close", u64::from(g), 0);
        if self.live.is_none() && self.closed_report_ignored == Some(g) {
            // The adapter reported it closed, but a late timer had retired it first.
            self.closed_report_ignored = None;
            return;
        }
        assert_eq!(
            self.live,
            Some(g),
            "Close names {socket:?}, which is not the live socket"
        );
        self.live = None;
        self.forget_socket(g);
    }

    // ---- checks ----------------------------------------------------------------------------

    /// After every step: the adapter and the session agree on the live socket, and the
    /// session's counters match what the simulation did.
    fn check_step(&mut self) {
        let live = self.session.live_socket().map(SocketId::generation);
        assert_eq!(
            live, self.live,
            "the session's live socket differs from the adapter's"
        );
        let stats = self.session.stats();
        assert_eq!(
            stats.stale_inputs, self.stale_injected,
            "stale inputs counted by the session / injected"
        );
        assert_eq!(
            stats.frames_sent, self.transmits,
            "frames_sent / Transmit outputs"
        );
        assert_eq!(
            stats.frames_received, self.frames_delivered,
            "frames_received / msync messages handed over on the live socket"
        );
        assert_eq!(
            stats.events_dropped, 0,
            "events dropped although every input was drained"
        );
        assert_eq!(
            stats.malformed_frames, 0,
            "well-formed frames counted as malformed"
        );
        assert_eq!(
            stats.failed_rounds,
            self.reconnecting_events + self.gave_up,
            "failed rounds / Reconnecting events and give-ups"
        );
    }

    fn final_checks(&mut self) {
        self.ledger.check_complete();
        let stats = self.session.stats();
        assert!(
            u64::from(stats.duplicates_dropped) <= self.server.metas_repeated,
            "{} duplicates dropped but only {} metas went out again",
            stats.duplicates_dropped,
            self.server.metas_repeated
        );
        assert!(
            u64::from(stats.unmatched_acks) + u64::from(self.acked_events) <= self.acks_out,
            "{} unmatched + {} matched ACKs, but the server sent {}",
            stats.unmatched_acks,
            self.acked_events,
            self.acks_out
        );
        let totals = [
            ("stats.stale_inputs", u64::from(stats.stale_inputs)),
            (
                "stats.duplicates_dropped",
                u64::from(stats.duplicates_dropped),
            ),
            ("stats.frames_received", u64::from(stats.frames_received)),
            ("stats.frames_sent", u64::from(stats.frames_sent)),
            ("stats.unmatched_acks", u64::from(stats.unmatched_acks)),
            ("stats.failed_rounds", u64::from(stats.failed_rounds)),
            ("server.metas_redelivered", self.server.metas_repeated),
            ("world.steps", self.steps),
            ("world.virtual_seconds", (self.now - self.origin) / 1000),
        ];
        for (name, value) in totals {
            *self.counts.entry(name).or_default() += value;
        }
        let outcomes: Vec<_> = self.ledger.outcomes.iter().map(|(k, v)| (*k, *v)).collect();
        for (name, value) in outcomes {
            *self.counts.entry(name).or_default() += value;
        }
    }
}

/// An output copied out of the session's buffers.
#[derive(Debug)]
enum Owned {
    Open(SocketId, Purpose, String),
    Transmit(SocketId, Vec<u8>),
    Close(SocketId),
}
