//! The faults the scheduler injects while chaos is on, one per `Fault` event, weighted.

use msync_core::session::{Purpose, TransportError};

use super::adapter::TRANSPORT_ERRORS;
use super::net::SockState;
use super::server::Down;
use super::world::{Ev, Stale, World};
use super::ws_server::{self, Framing};

/// The kinds of fault and their weights.
const FAULTS: [(Fault, u64); 17] = [
    (Fault::Drop, 16),
    (Fault::Blackhole, 6),
    (Fault::Mute, 5),
    (Fault::TimeJump, 7),
    (Fault::Ping, 8),
    (Fault::CloseFrame, 5),
    (Fault::RepeatBatch, 8),
    (Fault::Redirect, 5),
    (Fault::SilentProvision, 4),
    (Fault::HttpFailure, 5),
    (Fault::LostNotice, 5),
    (Fault::DuplicateAck, 5),
    (Fault::StaleBurst, 10),
    (Fault::Kick, 2),
    (Fault::AppLogout, 2),
    (Fault::Outage, 2),
    (Fault::Sleep, 1),
];

#[derive(Clone, Copy, Debug)]
enum Fault {
    /// The live connection breaks.
    Drop,
    /// The live connection goes half-open: nothing gets through, no error is reported.
    Blackhole,
    /// The server stops answering on the live connection (it still reads and stores).
    Mute,
    /// The device sleeps: the clock jumps.
    TimeJump,
    /// The server pings.
    Ping,
    /// The server sends a close frame (and maybe hangs up).
    CloseFrame,
    /// The server sends its last batch again.
    RepeatBatch,
    /// The next PROVISIONs are redirected (sometimes in a loop, or beyond the hop limit).
    Redirect,
    /// The next PROVISION gets no answer.
    SilentProvision,
    /// The next HTTP requests fail.
    HttpFailure,
    /// The next NOTICEs are lost (the heartbeat's UNREAD must find the queue).
    LostNotice,
    /// The next ACK comes twice.
    DuplicateAck,
    /// An old socket delivers late events, some of them valid-looking frames.
    StaleBurst,
    /// Another device logs in: a kick (the application logs in again after `Closed`).
    Kick,
    /// The application logs out in the middle of things (and logs in again).
    AppLogout,
    /// The network is down for a while: the live connection breaks, every new one fails or
    /// hangs (long runs of failed rounds: the later backoff tiers, the bootstrap refetch).
    Outage,
    /// The device sleeps for minutes: every timer is long overdue when it wakes.
    Sleep,
}

impl<const O: usize, const Q: usize> World<'_, O, Q> {
    /// Injects one fault and schedules the next.
    pub(crate) fn fault(&mut self) {
        if !self.chaos {
            return;
        }
        let total: u64 = FAULTS.iter().map(|(_, w)| w).sum();
        let mut roll = self.rng.below(total);
        let fault = FAULTS
            .iter()
            .find(|(_, w)| {
                let hit = roll < *w;
                roll = roll.saturating_sub(*w);
                hit
            })
            .map(|(f, _)| *f)
            .expect("weights cover the roll");
        self.inject(fault);
        let gap = self.rng.gap(self.plan.fault_gap_ms);
        self.schedule(self.now + gap, Ev::Fault);
    }

    fn inject(&mut self, fault: Fault) {
        let live = self.live.filter(|g| self.socks[g].state == SockState::Open);
        match fault {
            Fault::Drop => {
                if let Some(g) = self.live {
                    self.count("fault.drops");
                    let error = *self.rng.pick(&TRANSPORT_ERRORS);
                    self.schedule(self.now, Ev::PeerClosed(g, error));
                }
            }
            Fault::Blackhole => {
                if let Some(g) = live {
                    self.count("fault.blackholes");
                    self.note("fault.blackhole", u64::from(g), 0);
                    self.socks.get_mut(&g).expect("live").blackhole = true;
                }
            }
            Fault::Mute => {
                if let Some(g) = live
                    && self.server.mute(g)
                {
                    self.count("fault.server_mutes");
                    self.note("fault.mute", u64::from(g), 0);
                }
            }
            Fault::TimeJump => {
                let jump = self.rng.between(1_000, 100_000);
                self.count("fault.time_jumps");
                self.note("fault.time_jump", jump, 0);
                self.now += jump;
            }
            Fault::Ping => {
                let down = live.and_then(|g| self.server.ping(g));
                self.server_says(live, down, "fault.server_pings");
            }
            Fault::CloseFrame => {
                let hang_up = self.rng.chance(500);
                let down = live.and_then(|g| self.server.close_frame(g, hang_up));
                self.server_says(live, down, "fault.server_close_frames");
            }
            Fault::RepeatBatch => {
                let down = live.and_then(|g| self.server.repeat_batch(g));
                self.server_says(live, down, "fault.repeated_batches");
            }
            Fault::Redirect => {
                self.count("fault.redirects");
                let armed = &mut self.server.armed;
                match self.rng.below(10) {
                    0 => armed.redirects += 6,
                    1 => {
                        armed.redirects += 2;
                        armed.redirect_loop = true;
                    }
                    _ => {
                        armed.redirects += 1;
                        armed.redirect_loop = false;
                    }
                }
            }
            Fault::SilentProvision => {
                self.count("fault.silent_provisions");
                self.server.armed.silent_provisions += 1;
            }
            Fault::HttpFailure => {
                if self.plan.uses_bootstrap() || self.plan.uses_password() {
                    self.count("fault.http_failures");
                    self.server.armed.http_failures += self.rng.between(1, 3) as u32;
                }
            }
            Fault::LostNotice => {
                self.count("fault.lost_notices");
                self.server.armed.lost_notices += self.rng.between(1, 3) as u32;
            }
            Fault::DuplicateAck => {
                self.count("fault.duplicate_acks");
                self.server.armed.duplicate_ack = true;
            }
            Fault::StaleBurst => self.stale_burst(),
            Fault::Outage => {
                self.count("fault.outages");
                let length = self.rng.between(20_000, 600_000);
                self.note("fault.outage", length, 0);
                self.outage_until = self.now + length;
                if let Some(g) = self.live {
                    self.schedule(self.now, Ev::PeerClosed(g, TransportError::Reset));
                }
            }
            Fault::Sleep => {
                self.count("fault.sleeps");
                let length = self.rng.between(120_000, 3_600_000);
                self.note("fault.sleep", length, 0);
                self.now += length;
            }
            Fault::Kick => self.kick(),
            Fault::AppLogout => self.restart(),
        }
    }

    /// Something the server sends unprompted on the live socket, when it could.
    fn server_says(&mut self, live: Option<u32>, down: Option<Down>, what: &'static str) {
        if let (Some(g), Some(down)) = (live, down) {
            self.count(what);
            self.note(what, u64::from(g), 0);
            self.send_down(g, down);
        }
    }

    /// Late events from an old socket, now: a close, an open, garbage, or frames that would
    /// matter on the live socket (an ACK for a pending send, a NOTICE, a REDIRECT).
    fn stale_burst(&mut self) {
        let old: Vec<u32> = {
            let mut old: Vec<u32> = self
                .socks
                .iter()
                .filter(|(g, s)| s.state == SockState::Gone && Some(**g) != self.live)
                .map(|(g, _)| *g)
                .collect();
            old.sort_unstable();
            old
        };
        if old.is_empty() {
            return;
        }
        self.count("fault.stale_bursts");
        let g = *self.rng.pick(&old);
        let events = self.rng.between(1, 4);
        for _ in 0..events {
            let stale = match self.rng.below(5) {
                0 => Stale::Opened,
                1 => Stale::Closed(*self.rng.pick(&TRANSPORT_ERRORS)),
                2 => {
                    let len = self.rng.between(1, 40) as usize;
                    Stale::Bytes((0..len).map(|_| self.rng.below(256) as u8).collect())
                }
                _ => Stale::Bytes(self.forged_frame(g)),
            };
            self.stale(g, stale);
        }
    }

    /// A valid server frame that would change the session's state if it were believed.
    fn forged_frame(&mut self, g: u32) -> Vec<u8> {
        let msync = match self.ledger.some_open_send(&mut self.rng) {
            Some(id) if self.rng.chance(600) => self.server.forged_ack(id),
            _ => self.server.forged_notice(),
        };
        let framing = Framing {
            text: self.rng.chance(500),
            fragments: 1,
            ping_inside: false,
        };
        let frame = ws_server::server_message(&msync, framing);
        // An HTTP socket's late bytes look like a response instead.
        if self.socks[&g].purpose != Purpose::Gateway {
            return b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}".to_vec();
        }
        frame
    }
}
