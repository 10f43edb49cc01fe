//! The adapter's view of the sockets: what it opened for the session, what the network still
//! carries for each, and the byte accounting that lets the simulation predict the session's
//! `frames_received` exactly.

use std::collections::VecDeque;

use msync_core::session::{Purpose, SocketId};

/// Where a socket stands, as the adapter sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SockState {
    /// `Open` handed out; the connection is being made.
    Connecting,
    /// Connected (`opened` reported).
    Open,
    /// Closed by a `Close` output, or reported closed to the session.
    Gone,
}

/// One socket the session asked for.
#[derive(Debug)]
pub(crate) struct Sock {
    pub(crate) id: SocketId,
    pub(crate) purpose: Purpose,
    pub(crate) host: String,
    pub(crate) state: SockState,
    /// Server bytes received by the adapter, not yet handed to the session.
    pub(crate) down: VecDeque<u8>,
    /// Stream offsets just after each msync message in `down`.
    marks: VecDeque<u64>,
    appended: u64,
    consumed: u64,
    /// The server closes the connection once the stream reaches this offset.
    pub(crate) eof_at: Option<u64>,
    pub(crate) read_pending: bool,
    /// Half-open: nothing gets through in either direction any more.
    pub(crate) blackhole: bool,
    /// The server's close frame arrived: the server sends nothing after it (a message held
    /// back until later was never sent).
    pub(crate) server_closed: bool,
    /// Latest arrival time scheduled on each direction (TCP keeps order).
    pub(crate) up_at: u64,
    pub(crate) down_at: u64,
}

impl Sock {
    pub(crate) fn new(id: SocketId, purpose: Purpose, host: String) -> Self {
        Self {
            id,
            purpose,
            host,
            state: SockState::Connecting,
            down: VecDeque::new(),
            marks: VecDeque::new(),
            appended: 0,
            consumed: 0,
            eof_at: None,
            read_pending: false,
            blackhole: false,
            server_closed: false,
            up_at: 0,
            down_at: 0,
        }
    }

    /// Server bytes arrived; `msync` marks them as one msync message.
    pub(crate) fn append(&mut self, bytes: &[u8], msync: bool, close_after: bool) {
        self.down.extend(bytes);
        self.appended += bytes.len() as u64;
        if msync {
            self.marks.push_back(self.appended);
        }
        if close_after {
            self.eof_at = Some(self.appended);
        }
    }

    /// Takes up to `n` bytes for one read; also returns how many msync messages end inside it.
    pub(crate) fn take(&mut self, n: usize) -> (Vec<u8>, usize) {
        let n = n.min(self.down.len());
        let end = self.appended - self.down.len() as u64 + n as u64;
        let ends = self.marks.iter().filter(|&&m| m <= end).count();
        (self.down.drain(..n).collect(), ends)
    }

    /// The session took `used` bytes of a read on the live socket; returns how many msync
    /// messages it thereby received completely.
    pub(crate) fn consumed(&mut self, used: usize) -> u32 {
        self.consumed += used as u64;
        let mut complete = 0;
        while self.marks.front().is_some_and(|&m| m <= self.consumed) {
            self.marks.pop_front();
            complete += 1;
        }
        complete
    }

    /// The rest of a read the session did not take, and everything still buffered: dropped
    /// (the socket is gone). Returns the bytes, for a late delivery.
    pub(crate) fn abandon(&mut self, rest: &[u8]) -> Vec<u8> {
        let mut bytes = rest.to_vec();
        bytes.extend(self.down.drain(..));
        self.marks.clear();
        self.eof_at = None;
        bytes
    }

    /// The server's close is due: everything before it was handed over.
    pub(crate) fn at_eof(&self) -> bool {
        self.eof_at.is_some_and(|eof| self.consumed >= eof) && self.down.is_empty()
    }
}
