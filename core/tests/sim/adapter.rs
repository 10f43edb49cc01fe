//! The adapter and the network: sockets that connect (or fail, or hang), bytes that travel in
//! order with latency, reads of random sizes handed to the session by its contract, and the
//! late events of sockets the session already gave up.

use msync_core::session::TransportError;

use super::net::{Sock, SockState};
use super::server::{Down, Seen};
use super::world::{Ev, Stale, World};

pub(crate) const TRANSPORT_ERRORS: [TransportError; 6] = [
    TransportError::PeerClosed,
    TransportError::Reset,
    TransportError::TimedOut,
    TransportError::WriteFailed,
    TransportError::Tls,
    TransportError::Other,
];

impl<const O: usize, const Q: usize> World<'_, O, Q> {
    /// Decides how the connection of new socket `g` goes: it opens, fails, or hangs (and
    /// sometimes completes long after the session gave up on it).
    pub(crate) fn connect_later(&mut self, g: u32) {
        let latency = self.latency();
        if self.now < self.outage_until {
            if self.rng.chance(800) {
                let at = self.now + self.rng.between(1, 2_000);
                self.schedule(at, Ev::ConnectFailed(g));
            }
        } else if self.chaos && self.rng.chance(self.plan.open_fail) {
            self.count("fault.open_fails");
            let at = self.now + self.rng.between(1, 3_000);
            self.schedule(at, Ev::ConnectFailed(g));
        } else if self.chaos && self.rng.chance(self.plan.open_hang) {
            self.count("fault.open_hangs");
            if self.rng.chance(500) {
                let at = self.now + self.rng.between(9_000, 30_000);
                self.schedule(at, Ev::Connected(g));
            }
        } else {
            self.schedule(self.now + latency, Ev::Connected(g));
        }
    }

    /// Client bytes on the live socket `g`, towards the server.
    pub(crate) fn send_up(&mut self, g: u32, bytes: Vec<u8>) {
        let latency = self.latency();
        let sock = self.socks.get_mut(&g).expect("known socket");
        assert_eq!(
            sock.state,
            SockState::Open,
            "Transmit on {:?} before it opened",
            sock.id
        );
        if sock.blackhole {
            self.count("net.blackholed_up");
            return;
        }
        let at = (self.now + latency).max(sock.up_at);
        sock.up_at = at;
        self.schedule(at, Ev::Uplink(g, bytes));
    }

    /// The session closed socket `g`: the server notices later, after the bytes written
    /// before the close (TCP's FIN follows the data); what the socket still had for the
    /// client may arrive late.
    pub(crate) fn forget_socket(&mut self, g: u32) {
        let latency = self.latency();
        let sock = self.socks.get_mut(&g).expect("known socket");
        sock.state = SockState::Gone;
        let leftover = sock.abandon(&[]);
        let at = (self.now + latency).max(sock.up_at);
        self.schedule(at, Ev::ServerForgets(g));
        self.maybe_stale_later(g, leftover);
    }

    /// After a socket went away, the platform may still deliver its events late.
    fn maybe_stale_later(&mut self, g: u32, leftover: Vec<u8>) {
        if !self.chaos || !self.rng.chance(self.plan.stale_after_close) {
            return;
        }
        let at = self.now + self.rng.between(0, 20_000);
        let stale = match self.rng.below(3) {
            0 if !leftover.is_empty() => Stale::Bytes(leftover),
            0 | 1 => Stale::Closed(*self.rng.pick(&TRANSPORT_ERRORS)),
            _ => Stale::Opened,
        };
        self.schedule(at, Ev::Stale(g, stale));
    }

    pub(crate) fn connected(&mut self, g: u32) {
        let sock = self.socks.get_mut(&g).expect("known socket");
        if self.live == Some(g) && sock.state == SockState::Connecting {
            sock.state = SockState::Open;
            let (id, host, purpose) = (sock.id, sock.host.clone(), sock.purpose);
            self.server.connect(g, &host, purpose);
            self.note("in.opened", u64::from(g), 0);
            let (overdue, stale_before) = (self.overdue(), self.session.stats().stale_inputs);
            self.session.opened(self.instant(), id);
            self.met_by_late_timer(overdue, stale_before);
            self.drain(false);
        } else {
            // The session gave up on this socket before it connected: a late open event.
            self.stale(g, Stale::Opened);
        }
    }

    /// The network or the server ended socket `g`; the adapter reports it if it is live.
    pub(crate) fn report_closed(&mut self, g: u32, error: TransportError) {
        if self.live != Some(g) {
            if self.rng.chance(500) {
                self.stale(g, Stale::Closed(error));
            }
            return;
        }
        self.live = None;
        let sock = self.socks.get_mut(&g).expect("known socket");
        sock.state = SockState::Gone;
        let (id, leftover) = (sock.id, sock.abandon(&[]));
        self.server.disconnect(g);
        self.note("in.closed", u64::from(g), error as u64);
        let (overdue, stale_before) = (self.overdue(), self.session.stats().stale_inputs);
        self.session.closed(self.instant(), id, error);
        if self.met_by_late_timer(overdue, stale_before) {
            self.closed_report_ignored = Some(g);
        }
        self.drain(false);
        self.maybe_stale_later(g, leftover);
    }

    pub(crate) fn uplink(&mut self, g: u32, bytes: &[u8]) {
        let reply = self
            .server
            .receive(g, bytes, self.now)
            .unwrap_or_else(|violation| panic!("protocol violation on socket#{g}: {violation}"));
        for seen in &reply.seen {
            self.seen(seen);
        }
        for down in reply.downs {
            self.send_down(g, down);
        }
    }

    fn seen(&mut self, seen: &Seen) {
        match seen {
            Seen::Send { id, arrival } => {
                let record = self.server.sends.get(id).expect("recorded");
                self.ledger.check_arrival(*id, record);
                self.count(if *arrival == 1 {
                    "server.sends_stored"
                } else {
                    "server.sends_again"
                });
            }
            Seen::KeyAck { ids } => {
                self.ledger.check_key_ack(ids);
                self.count("server.key_acks");
            }
            Seen::Batch {
                queue,
                key,
                metas,
                next,
            } => {
                self.note("srv.pull (queue, key)", *queue as u64, key.unwrap_or(0));
                self.note("srv.batch (metas, next)", *metas as u64, next.unwrap_or(0));
                self.count(if *metas == 0 {
                    "server.batches_empty"
                } else {
                    "server.batches"
                });
            }
            Seen::Ack { copies } => self.acks_out += u64::from(*copies),
            Seen::Statistic => self.count("server.statistic_metas"),
            Seen::Provision(status) => self.count(match *status {
                "ok" => "server.provision_ok",
                "redirect" => "server.provision_redirect",
                "silent" => "server.provision_silent",
                _ => "server.provision_token_expired",
            }),
            Seen::Unread => {
                self.note("srv.unread", self.server.unacked() as u64, 0);
                self.count("server.unread_replies");
            }
            Seen::Logout => self.count("server.logouts"),
            Seen::Pong => self.count("server.pongs"),
            Seen::Http(what) => self.count(match *what {
                "server.json" => "server.http_bootstrap",
                "token" => "server.http_token",
                _ => "server.http_failed",
            }),
        }
    }

    /// Server output for socket `g`, through the network (in order, unless held back).
    pub(crate) fn send_down(&mut self, g: u32, down: Down) {
        let latency = self.latency();
        let Some(sock) = self.socks.get_mut(&g) else {
            return;
        };
        let at = if down.delay > 0 {
            self.now + latency + down.delay
        } else {
            let at = (self.now + latency).max(sock.down_at);
            sock.down_at = at;
            at
        };
        self.schedule(at, Ev::Downlink(g, down));
    }

    pub(crate) fn downlink(&mut self, g: u32, down: Down) {
        let sock = self.socks.get_mut(&g).expect("known socket");
        if sock.blackhole {
            self.count("net.blackholed_down");
            return;
        }
        if sock.state != SockState::Open {
            if self.chaos && self.rng.chance(self.plan.stale_after_close / 2) {
                let at = self.now + self.rng.between(0, 5_000);
                self.schedule(at, Ev::Stale(g, Stale::Bytes(down.bytes)));
            }
            return;
        }
        if sock.server_closed {
            self.count("net.dropped_after_server_close");
            return;
        }
        sock.server_closed = down.close_frame;
        sock.append(&down.bytes, down.msync, down.close_after);
        self.schedule_read(g);
    }

    fn schedule_read(&mut self, g: u32) {
        let sock = self.socks.get_mut(&g).expect("known socket");
        if !sock.read_pending {
            sock.read_pending = true;
            let at = self.now + self.rng.between(0, 3);
            self.schedule(at, Ev::Read(g));
        }
    }

    /// The adapter reads a chunk: a few bytes, a few hundred, or everything buffered (several
    /// messages coalesced).
    pub(crate) fn read(&mut self, g: u32) {
        let sock = self.socks.get_mut(&g).expect("known socket");
        sock.read_pending = false;
        if sock.state != SockState::Open {
            return;
        }
        if sock.at_eof() {
            self.report_closed(g, TransportError::PeerClosed);
            return;
        }
        let available = sock.down.len();
        if available == 0 {
            return;
        }
        let n = match self.rng.below(10) {
            0 | 1 => self.rng.between(1, 8),
            2..=4 => self.rng.between(1, 64),
            5 | 6 => self.rng.between(1, 700),
            _ => available as u64,
        } as usize;
        let sock = self.socks.get_mut(&g).expect("known socket");
        let (bytes, messages) = sock.take(n);
        if bytes.len() < available {
            self.count("read.partial");
        }
        if messages >= 2 {
            self.count("read.coalesced");
        }
        self.deliver(g, &bytes);
        let sock = self.socks.get_mut(&g).expect("known socket");
        if sock.state == SockState::Open && (!sock.down.is_empty() || sock.at_eof()) {
            self.schedule_read(g);
        }
    }

    /// Hands a read to the session by its contract: offer, drain, offer the rest.
    fn deliver(&mut self, g: u32, bytes: &[u8]) {
        let mut offset = 0;
        let mut stalls = 0;
        while offset < bytes.len() {
            if self.live != Some(g) {
                // The session closed the socket while handing out this read.
                let sock = self.socks.get_mut(&g).expect("known socket");
                let leftover = sock.abandon(&bytes[offset..]);
                self.maybe_stale_later(g, leftover);
                return;
            }
            let id = self.socks[&g].id;
            let rest = &bytes[offset..];
            self.note("in.received", u64::from(g), rest.len() as u64);
            let (overdue, stale_before) = (self.overdue(), self.session.stats().stale_inputs);
            let used = self.session.received(self.instant(), id, rest);
            assert!(
                used <= rest.len(),
                "received took {used} of {} bytes",
                rest.len()
            );
            if !self.met_by_late_timer(overdue, stale_before) {
                let sock: &mut Sock = self.socks.get_mut(&g).expect("known socket");
                self.frames_delivered += sock.consumed(used);
            }
            self.drain(false);
            offset += used;
            if used == 0 {
                stalls += 1;
                assert!(stalls < 3, "received takes no bytes even after draining");
            } else {
                stalls = 0;
            }
        }
    }

    /// A late event of socket `g`, which is not live: the session must ignore it entirely.
    pub(crate) fn stale(&mut self, g: u32, stale: Stale) {
        assert_ne!(self.live, Some(g), "a stale event for the live socket");
        let id = self.socks[&g].id;
        // With a deadline overdue, the input's own `tick` may do what `timeout` would have.
        let quiet = !self.overdue();
        self.stale_injected += 1;
        match stale {
            Stale::Opened => {
                self.count("stale.opened");
                self.note("stale.opened", u64::from(g), 0);
                self.session.opened(self.instant(), id);
            }
            Stale::Closed(error) => {
                self.count("stale.closed");
                self.note("stale.closed", u64::from(g), error as u64);
                self.session.closed(self.instant(), id, error);
            }
            Stale::Bytes(bytes) => {
                self.count("stale.bytes");
                self.note("stale.bytes", u64::from(g), bytes.len() as u64);
                let used = self.session.received(self.instant(), id, &bytes);
                assert_eq!(used, bytes.len(), "a stale socket's bytes are taken whole");
            }
        }
        self.drain(quiet);
    }
}
