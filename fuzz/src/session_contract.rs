//! The caller's view of a session's contract (`msync_core::session` module documentation),
//! checked on every output: the socket rules, the end of every accepted send, and the
//! deadlines of `Wait`.

use std::collections::BTreeSet;

use msync_core::session::{Event, MessageId, Output, SocketId};
use msync_core::time::Instant;

/// What the outputs so far told the caller, and what it did about them.
#[derive(Debug, Default)]
pub struct Contract {
    /// The socket announced by `Open` and neither handed out as `Close` nor reported closed.
    open: Option<SocketId>,
    /// The open socket, once the caller reported it opened.
    opened: Option<SocketId>,
    /// Sockets closed either way, oldest first.
    retired: Vec<SocketId>,
    /// The generation of the last `Open`.
    last_generation: u32,
    /// The last HTTP request or WebSocket upgrade transmitted on the open socket.
    last_request: Option<Vec<u8>>,
    /// Sends accepted and not ended yet.
    pending: BTreeSet<u64>,
    /// The deadline of the last `Wait`.
    deadline: Option<Instant>,
}

impl Contract {
    /// The socket the caller holds open, if any.
    pub fn open(&self) -> Option<SocketId> {
        self.open
    }

    /// True when the caller reported the open socket opened.
    pub fn is_opened(&self) -> bool {
        self.open.is_some() && self.opened == self.open
    }

    /// A socket the session retired (or one it never issued), chosen by `choice`.
    pub fn stale(&self, choice: u8) -> SocketId {
        match self.retired.len() {
            0 => SocketId::from_generation(0),
            len => self.retired[usize::from(choice) % len],
        }
    }

    /// The last request, if it was a WebSocket upgrade.
    pub fn upgrade_request(&self) -> Option<&[u8]> {
        self.last_request
            .as_deref()
            .filter(|request| request.starts_with(b"GET /websocket"))
    }

    /// True when the last request was an HTTP exchange (bootstrap or REST).
    pub fn http_pending(&self) -> bool {
        self.last_request.is_some() && self.upgrade_request().is_none()
    }

    /// Sends accepted and not ended yet, oldest id first.
    pub fn pending(&self) -> Vec<u64> {
        self.pending.iter().copied().collect()
    }

    /// The deadline of the last `Wait`.
    pub fn deadline(&self) -> Option<Instant> {
        self.deadline
    }

    /// `send` accepted `id`: it must not be pending already.
    pub fn accepted(&mut self, id: MessageId) {
        assert!(
            self.pending.insert(id.get()),
            "send accepted id {} while it is pending",
            id.get()
        );
    }

    /// True when a send with `id` is pending.
    pub fn is_pending(&self, id: MessageId) -> bool {
        self.pending.contains(&id.get())
    }

    /// The caller reported `socket` opened.
    pub fn reported_opened(&mut self, socket: SocketId) {
        if self.open == Some(socket) {
            self.opened = Some(socket);
        }
    }

    /// The caller reported `socket` closed.
    pub fn reported_closed(&mut self, socket: SocketId) {
        if self.open == Some(socket) {
            self.retire();
        }
    }

    fn retire(&mut self) {
        if let Some(socket) = self.open.take() {
            self.retired.push(socket);
        }
        self.opened = None;
        self.last_request = None;
    }

    /// Checks one output against the contract and records what it means.
    pub fn output(&mut self, output: &Output<'_>) {
        match output {
            Output::Open { socket, remote } => {
                assert_eq!(
                    self.open, None,
                    "Open {socket:?} before the previous socket was closed"
                );
                assert!(
                    socket.generation() > self.last_generation,
                    "Open {socket:?} reuses a generation (last {})",
                    self.last_generation
                );
                assert!(!remote.host.is_empty(), "Open {socket:?} without a host");
                self.last_generation = socket.generation();
                self.open = Some(*socket);
            }
            Output::Transmit { socket, bytes } => {
                assert_eq!(
                    self.open,
                    Some(*socket),
                    "Transmit names a socket that is not the live one"
                );
                assert_eq!(
                    self.opened,
                    Some(*socket),
                    "Transmit before the socket was reported opened"
                );
                assert!(!bytes.is_empty(), "an empty Transmit");
                if bytes.starts_with(b"GET ") || bytes.starts_with(b"POST ") {
                    self.last_request = Some(bytes.to_vec());
                }
            }
            Output::Close { socket } => {
                assert_eq!(
                    self.open,
                    Some(*socket),
                    "Close names a socket that is not the live one"
                );
                self.retire();
            }
            Output::Event(Event::SendAcked { id, .. } | Event::SendFailed { id, .. }) => {
                assert!(
                    self.pending.remove(&id.get()),
                    "send {} ended but was not pending (ended twice, or never accepted)",
                    id.get()
                );
            }
            Output::Event(Event::Closed { reason }) => {
                assert_eq!(self.open, None, "Closed ({reason:?}) with a socket open");
                assert!(
                    self.pending.is_empty(),
                    "Closed ({reason:?}) before sends {:?} ended",
                    self.pending
                );
            }
            Output::Event(_) => {}
            Output::Wait { until } => self.deadline = *until,
        }
    }
}
