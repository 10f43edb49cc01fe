//! Transport inputs: `opened`, `received`, `closed` (the per-socket byte plumbing: HTTP
//! responses, the WebSocket handshake, WebSocket frames).

use core::ops::Range;

use super::error::{CapacityError, Disconnect, TransportError};
use super::lifecycle::Notice;
use super::output::SocketId;
use super::phase::{EndStep, HttpStage, Inbound, Phase, WsStage};
use super::transport::append;
use crate::time::Instant;
use crate::wire::http::{HttpError, Progress, ResponseLimits, ResponseReader};
use crate::wire::ws::{
    self, CloseCode, HandshakeStatus, MAX_HANDSHAKE_RESPONSE, WsError, check_handshake_response,
};

/// The largest HTTP response head accepted.
const HTTP_MAX_HEAD: usize = 4096;

/// What a WebSocket event left to do, copied out of the decoder's borrow.
enum WsEvent {
    /// A complete msync frame of this length at the start of the receive buffer.
    Message(usize),
    Ping,
    Pong,
    /// A close frame, with its status code if it had one.
    Close(Option<CloseCode>),
}

/// Where `inner` lies within `outer`, when it is a sub-slice of it.
pub(super) fn subrange(outer: &[u8], inner: &[u8]) -> Option<Range<usize>> {
    range_within(outer.as_ptr() as usize, outer.len(), inner)
}

/// Where `inner` lies within the buffer starting at address `base` with `len` bytes.
fn range_within(base: usize, len: usize, inner: &[u8]) -> Option<Range<usize>> {
    let start = (inner.as_ptr() as usize).checked_sub(base)?;
    let end = start.checked_add(inner.len())?;
    (end <= len).then_some(start..end)
}

session_impl! {
    /// The caller opened `socket` (TCP and, for TLS remotes, the TLS handshake).
    pub fn opened(&mut self, now: Instant, socket: SocketId) {
        self.tick(now);
        if !self.slot.accept(socket) || self.slot.open_pending() {
            return;
        }
        match &mut self.phase {
            Phase::Http(http) if matches!(http.stage, HttpStage::Opening) => {
                http.stage = HttpStage::Request;
            }
            Phase::Ws(link) => {
                if let WsStage::Opening { deadline } = link.stage {
                    let mut key = [0u8; 16];
                    self.rng.fill_bytes(&mut key);
                    link.stage = WsStage::Handshake {
                        key,
                        sent: false,
                        filled: 0,
                        deadline,
                    };
                }
            }
            _ => {}
        }
    }

    /// The caller reports `socket` closed or failed. A stale socket's report is ignored.
    pub fn closed(&mut self, now: Instant, socket: SocketId, error: TransportError) {
        self.tick(now);
        if !self.slot.accept(socket) {
            return;
        }
        self.slot.lost();
        self.ws_ready = false;
        match &mut self.phase {
            Phase::Http(http) => {
                let (kind, index) = (http.kind, http.index);
                if let HttpStage::Response { filled, reader } = &mut http.stage {
                    // A response framed by the end of the connection ends here.
                    let base = self.rx.as_ptr() as usize;
                    if let Ok(Progress::Complete(response)) =
                        reader.advance(&mut self.rx, filled, true)
                    {
                        let status = response.status;
                        let body = range_within(base, RX, response.body);
                        self.http_response(kind, index, status, body);
                        return;
                    }
                }
                self.http_failed(kind, index);
            }
            Phase::Ws(link) => {
                if link.stage == WsStage::Online {
                    self.link_lost(Disconnect::Transport(error));
                } else {
                    self.gateway_failed(Disconnect::Transport(error));
                }
            }
            Phase::Ending(ending) if !matches!(ending.step, EndStep::Report) => {
                ending.step = EndStep::Finish;
            }
            _ => {}
        }
    }

    /// Bytes arrived on `socket`. Returns how many were taken: offer the rest again after
    /// draining [`poll`](super::Session::poll). Bytes of a stale socket are all taken and
    /// dropped.
    pub fn received(&mut self, now: Instant, socket: SocketId, bytes: &[u8]) -> usize {
        self.tick(now);
        if !self.slot.accept(socket) || self.slot.open_pending() {
            return bytes.len();
        }
        if self.inbound != Inbound::None {
            return 0;
        }
        match &self.phase {
            Phase::Http(http) if matches!(http.stage, HttpStage::Response { .. }) => {
                self.http_received(bytes)
            }
            Phase::Ws(link) if matches!(link.stage, WsStage::Handshake { sent: true, .. }) => {
                self.handshake_received(bytes)
            }
            _ if self.ws_ready => self.ws_received(bytes),
            _ => bytes.len(),
        }
    }

    fn http_received(&mut self, bytes: &[u8]) -> usize {
        let Phase::Http(http) = &mut self.phase else {
            return bytes.len();
        };
        let (kind, index) = (http.kind, http.index);
        let HttpStage::Response { filled, reader } = &mut http.stage else {
            return bytes.len();
        };
        let taken = append(&mut self.rx, *filled, bytes);
        *filled = filled.saturating_add(taken);
        let base = self.rx.as_ptr() as usize;
        match reader.advance(&mut self.rx, filled, false) {
            Ok(Progress::Complete(response)) => {
                let status = response.status;
                let body = range_within(base, RX, response.body);
                self.http_response(kind, index, status, body);
            }
            Ok(Progress::NeedMore) if taken == bytes.len() => {}
            Ok(Progress::NeedMore) | Err(HttpError::BufferFull { .. }) => {
                self.notify(Notice::Capacity(CapacityError::HttpResponseTooLarge {
                    capacity: RX,
                }));
                self.http_failed(kind, index);
            }
            Err(_) => self.http_failed(kind, index),
        }
        bytes.len()
    }

    fn handshake_received(&mut self, bytes: &[u8]) -> usize {
        let Phase::Ws(link) = &mut self.phase else {
            return bytes.len();
        };
        let WsStage::Handshake { key, filled, .. } = &mut link.stage else {
            return bytes.len();
        };
        let before = *filled;
        let taken = append(&mut self.rx, before, bytes);
        *filled = before.saturating_add(taken);
        let head = self.rx.get(..*filled).unwrap_or_default();
        match check_handshake_response(head, key) {
            Ok(HandshakeStatus::Complete { consumed }) => {
                link.stage = WsStage::Provisioning {
                    sent: false,
                    deadline: self.now + self.config.timings.provision_timeout,
                };
                self.ws_ready = true;
                self.decoder.reset();
                // The rest is WebSocket data: the caller offers it again.
                consumed.saturating_sub(before).min(bytes.len())
            }
            Ok(HandshakeStatus::NeedMore) if taken == bytes.len() && *filled < MAX_HANDSHAKE_RESPONSE => {
                taken
            }
            _ => {
                self.gateway_failed(Disconnect::HandshakeFailed);
                bytes.len()
            }
        }
    }

    /// Decodes WebSocket data up to the end of one message (one event per call: its outputs go
    /// out before the next message is read, so they do not depend on how bytes were split into
    /// reads).
    fn ws_received(&mut self, bytes: &[u8]) -> usize {
        let mut position = 0;
        let event = loop {
            let Some(rest) = bytes.get(position..).filter(|rest| !rest.is_empty()) else {
                return position;
            };
            let decoded = match self.decoder.decode(rest, &mut self.rx) {
                Ok(decoded) => decoded,
                Err(error) => {
                    self.ws_failed(error);
                    return bytes.len();
                }
            };
            position = position.saturating_add(decoded.consumed);
            match decoded.event {
                None if decoded.consumed == 0 => return position,
                None => {}
                Some(ws::Event::Message { data, .. }) => break WsEvent::Message(data.len()),
                Some(ws::Event::Ping(payload)) => {
                    let mut pong = heapless::Vec::new();
                    let _ = pong.extend_from_slice(payload);
                    self.due.pong = Some(pong);
                    break WsEvent::Ping;
                }
                Some(ws::Event::Pong(_)) => break WsEvent::Pong,
                Some(ws::Event::Close(frame)) => break WsEvent::Close(frame.code),
            }
        };
        self.heartbeat.received(self.now);
        match event {
            WsEvent::Message(len) => self.dispatch(len),
            WsEvent::Close(code) => self.due.server_closed = Some(code),
            WsEvent::Ping | WsEvent::Pong => {}
        }
        position
    }

    /// The server broke the WebSocket rules, or a message did not fit.
    fn ws_failed(&mut self, error: WsError) {
        let cause = match error {
            WsError::MessageTooLarge { length, max } => {
                self.notify(Notice::Capacity(CapacityError::FrameTooLarge {
                    length,
                    capacity: max,
                }));
                Disconnect::FrameTooLarge
            }
            _ => Disconnect::ProtocolError,
        };
        self.socket_failed(cause);
    }

    /// The live WebSocket must go: reconnect if it was online, try the next gateway if it was
    /// logging in, finish if the session is ending.
    pub(super) fn socket_failed(&mut self, cause: Disconnect) {
        match &mut self.phase {
            Phase::Ws(link) if link.stage == WsStage::Online => self.link_lost(cause),
            Phase::Ws(_) => self.gateway_failed(cause),
            Phase::Ending(ending) => {
                if !matches!(ending.step, EndStep::Report) {
                    ending.step = EndStep::Finish;
                }
            }
            _ => self.drop_link(),
        }
    }

    /// The HTTP response reader for a new exchange.
    pub(super) fn response_reader() -> ResponseReader<{ super::phase::HTTP_MAX_HEADERS }> {
        ResponseReader::new(ResponseLimits {
            max_head: HTTP_MAX_HEAD,
            max_body: RX,
        })
    }
}
