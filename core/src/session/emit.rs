//! What goes out next on the live socket, chosen lazily in a fixed order and written into the
//! transmit buffer (DESIGN.md: no queue of encoded frames).
//!
//! Order: the HTTP request; the WebSocket handshake; PROVISION alone until its reply; then
//! control replies (pong, close echo), UNREAD, the STATISTIC meta, sends in order (re-sends
//! first, since they are the oldest), pulls and key acknowledgements. While ending: the last
//! frame (LOGOUT or a kick's key acknowledgement). The key acknowledgement of a batch no chain
//! awaited goes out before all of these, as soon as its last meta was handed out, while the
//! batch is still in the receive buffer.

use core::ops::Range;

use super::config::Config;
use super::error::Disconnect;
use super::frames::{self, Identity};
use super::hosts::Hosts;
use super::ids::session_id;
use super::outbox::{Ended, EntryState};
use super::output::SocketId;
use super::phase::{EndStep, FinalFrame, HttpStage, Phase, WsStage};
use super::pull::bare;
use super::token::Tokens;
use super::transport::{TooLarge, write_msync};
use crate::region::FrameEncoding;
use crate::wire::msync::{Bytes, CommSyncDl};
use crate::wire::ws::{encode_close, encode_pong, mask_key};

/// What the transmit step did.
pub(super) enum Emit {
    /// A frame is in the transmit buffer at this range.
    Frame(Range<usize>),
    /// State changed without a frame; look again.
    Progressed,
    /// Nothing to send.
    Nothing,
}

impl From<Result<Range<usize>, TooLarge>> for Emit {
    fn from(result: Result<Range<usize>, TooLarge>) -> Self {
        match result {
            Ok(range) => Emit::Frame(range),
            Err(_) => Emit::Progressed,
        }
    }
}

/// The identity frames carry; `None` while an App ID's app key is unknown. Takes the session's
/// fields one by one so that the transmit buffer stays free to borrow.
fn identity<'a>(
    config: &'a Config<'a>,
    hosts: &'a Hosts,
    resource: &'a str,
    tokens: &'a Tokens,
    session_id: &'a str,
) -> Option<Identity<'a>> {
    Some(Identity {
        app_key: hosts.app_key(config)?.as_str(),
        user: config.user,
        resource,
        auth: tokens.auth(),
        session_id,
    })
}

session_impl! {
    /// The next frame for the live socket, if one is due.
    pub(super) fn next_transmit(&mut self) -> Emit {
        if self.slot.live().is_none() || self.slot.open_pending() {
            return Emit::Nothing;
        }
        let emit = match &self.phase {
            Phase::Http(http) if matches!(http.stage, HttpStage::Request) => {
                self.emit_http_request()
            }
            Phase::Ws(link) => match link.stage {
                WsStage::Handshake { sent: false, key, .. } => self.emit_handshake(key),
                WsStage::Provisioning { sent: false, .. } => self.emit_provision(link.frame),
                WsStage::Provisioning { .. } => self.emit_control(),
                WsStage::Online => self.emit_online(link.frame),
                _ => Emit::Nothing,
            },
            Phase::Ending(ending) => match ending.step {
                EndStep::Flush(last) => self.emit_final(last),
                _ => Emit::Nothing,
            },
            _ => Emit::Nothing,
        };
        if let Emit::Frame(_) = emit {
            self.stats.frames_sent = self.stats.frames_sent.saturating_add(1);
        }
        emit
    }

    fn emit_http_request(&mut self) -> Emit {
        let Phase::Http(http) = &self.phase else {
            return Emit::Nothing;
        };
        let (kind, index) = (http.kind, http.index);
        match self.write_http_request(kind, index) {
            Ok(len) => {
                if let Phase::Http(http) = &mut self.phase {
                    http.stage = HttpStage::Response {
                        filled: 0,
                        reader: Self::response_reader(),
                    };
                }
                Emit::Frame(0..len)
            }
            Err(_) => {
                self.http_failed(kind, index);
                Emit::Progressed
            }
        }
    }

    fn emit_handshake(&mut self, key: [u8; 16]) -> Emit {
        match self.write_handshake(key) {
            Ok(len) => {
                if let Phase::Ws(link) = &mut self.phase
                    && let WsStage::Handshake { sent, .. } = &mut link.stage
                {
                    *sent = true;
                }
                Emit::Frame(0..len)
            }
            Err(_) => {
                self.gateway_failed(Disconnect::HandshakeFailed);
                Emit::Progressed
            }
        }
    }

    fn emit_provision(&mut self, frame: FrameEncoding) -> Emit {
        self.tokens.activate();
        self.session_id = session_id(self.now);
        let trace_id = self.trace_ids.next(self.now);
        let mask = mask_key(&mut self.rng);
        let who = identity(self.config, &self.hosts, &self.resource, &self.tokens, &self.session_id);
        let written = match who {
            Some(who) => frames::with_provision(&who, &self.config.device, trace_id, |m| {
                write_msync(&mut self.tx, m, frame, mask)
            }),
            None => Err(TooLarge { needed: 0 }),
        };
        match written {
            Ok(range) => {
                if let Phase::Ws(link) = &mut self.phase
                    && let WsStage::Provisioning { sent, .. } = &mut link.stage
                {
                    *sent = true;
                }
                Emit::Frame(range)
            }
            Err(_) => {
                self.gateway_failed(Disconnect::ProtocolError);
                Emit::Progressed
            }
        }
    }

    /// A pong or the echo of the server's close; after the echo, the socket is replaced.
    fn emit_control(&mut self) -> Emit {
        if self.due.replace_after_echo {
            self.due.replace_after_echo = false;
            self.socket_failed(Disconnect::ServerClosed);
            return Emit::Progressed;
        }
        let mask = mask_key(&mut self.rng);
        if let Some(code) = self.due.server_closed.take() {
            self.due.replace_after_echo = true;
            return match encode_close(&mut self.tx, code, "", mask) {
                Ok(len) => Emit::Frame(0..len),
                Err(_) => Emit::Progressed,
            };
        }
        if let Some(payload) = self.due.pong.take() {
            return match encode_pong(&mut self.tx, &payload, mask) {
                Ok(len) => Emit::Frame(0..len),
                Err(_) => Emit::Progressed,
            };
        }
        Emit::Nothing
    }

    fn emit_online(&mut self, frame: FrameEncoding) -> Emit {
        match self.emit_control() {
            Emit::Nothing => {}
            other => return other,
        }
        if self.due.unread {
            self.due.unread = false;
            let trace_id = self.trace_ids.next(self.now);
            let mask = mask_key(&mut self.rng);
            return write_msync(&mut self.tx, &frames::unread(trace_id), frame, mask).into();
        }
        if self.due.statistic {
            self.due.statistic = false;
            let trace_id = self.trace_ids.next(self.now);
            let mask = mask_key(&mut self.rng);
            // The clock as its id (JS SDK), stepped past any pending send's id so that its
            // ACK can never be taken for a send's.
            let mut meta_id = self.now.as_millis();
            while self.outbox.contains(meta_id) {
                meta_id = meta_id.wrapping_add(1);
            }
            return frames::with_statistic_information(meta_id, trace_id, |m| {
                write_msync(&mut self.tx, m, frame, mask)
            })
            .into();
        }
        if let Some(index) = self.outbox.next_queued() {
            let trace_id = self.trace_ids.next(self.now);
            let mask = mask_key(&mut self.rng);
            let envelope = frames::sync_envelope(Bytes::Raw(self.outbox.bytes(index)), trace_id);
            let state = match write_msync(&mut self.tx, &envelope, frame, mask) {
                Ok(range) => {
                    self.outbox.set_state(index, EntryState::InFlight { sent_at: self.now });
                    return Emit::Frame(range);
                }
                Err(TooLarge { needed }) => EntryState::Done(Ended::FrameTooLarge { needed }),
            };
            self.outbox.set_state(index, state);
            return Emit::Progressed;
        }
        if let Some((index, key)) = self.pulls.next_due() {
            return self.emit_pull(index, key, frame);
        }
        Emit::Nothing
    }

    fn emit_pull(&mut self, index: usize, key: Option<u64>, frame: FrameEncoding) -> Emit {
        let trace_id = self.trace_ids.next(self.now);
        let mask = mask_key(&mut self.rng);
        let written = match self.pulls.address(index) {
            Some(queue) => frames::with_pull(queue, key, trace_id, |m| {
                write_msync(&mut self.tx, m, frame, mask)
            }),
            None => Err(TooLarge { needed: 0 }),
        };
        self.pulls.sent(index, self.now);
        written.into()
    }

    fn emit_final(&mut self, last: FinalFrame) -> Emit {
        let frame = match &self.phase {
            Phase::Ending(_) => self.link_frame_encoding(),
            _ => return Emit::Nothing,
        };
        let (written, next) = match last {
            FinalFrame::Logout { token_expired } => {
                let reason = if token_expired {
                    "inner:token expired"
                } else {
                    self.config.options.logout_reason
                };
                let trace_id = self.trace_ids.next(self.now);
                let mask = mask_key(&mut self.rng);
                let who =
                    identity(self.config, &self.hosts, &self.resource, &self.tokens, &self.session_id);
                let written = match who {
                    Some(who) => frames::with_logout(&who, reason, trace_id, |m| {
                        write_msync(&mut self.tx, m, frame, mask)
                    }),
                    None => Err(TooLarge { needed: 0 }),
                };
                let deadline = self.now + self.config.timings.logout_timeout;
                (written, EndStep::AwaitLogoutReply { deadline })
            }
            FinalFrame::KeyAck { queue, key } => {
                let trace_id = self.trace_ids.next(self.now);
                let mask = mask_key(&mut self.rng);
                let written = match self.pulls.address(queue) {
                    Some(address) => frames::with_pull(address, Some(key), trace_id, |m| {
                        write_msync(&mut self.tx, m, frame, mask)
                    }),
                    None => Err(TooLarge { needed: 0 }),
                };
                (written, EndStep::Finish)
            }
        };
        if let Phase::Ending(ending) = &mut self.phase {
            ending.step = if written.is_ok() { next } else { EndStep::Finish };
        }
        written.into()
    }

    /// The key acknowledgement of a batch no chain awaited, `{key, queue}` with the queue read
    /// from the batch (`payload`, still in the receive buffer). `None` when the WebSocket is
    /// gone, or when the batch names no queue (then an UNREAD finds the queue again).
    pub(super) fn emit_unawaited_key_ack(
        &mut self,
        payload: Range<usize>,
        key: u64,
    ) -> Option<(SocketId, Range<usize>)> {
        let socket = self.slot.live().filter(|_| self.ws_ready && !self.slot.open_pending())?;
        let frame = match &self.phase {
            Phase::Ws(link) => link.frame,
            _ => self.link_frame_encoding(),
        };
        let trace_id = self.trace_ids.next(self.now);
        let mask = mask_key(&mut self.rng);
        let batch = CommSyncDl::decode(self.rx.get(payload).unwrap_or_default());
        let Some(queue) = batch.ok().and_then(|batch| batch.queue) else {
            self.due.unread = true;
            return None;
        };
        let written = frames::with_pull(bare(&queue), Some(key), trace_id, |m| {
            write_msync(&mut self.tx, m, frame, mask)
        });
        let range = written.ok()?;
        self.stats.frames_sent = self.stats.frames_sent.saturating_add(1);
        Some((socket, range))
    }

    /// How frames go to the gateway the live socket is connected to.
    fn link_frame_encoding(&self) -> FrameEncoding {
        self.hosts
            .gateway(self.config, self.login_cursor.gateway)
            .map_or(FrameEncoding::Binary, |target| target.frame)
    }
}
