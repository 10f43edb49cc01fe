//! The single socket slot (DESIGN.md "The single active socket", PROTOCOL.md §8.3).
//!
//! Sockets are named by generation; at most one is live. Opening always replaces: the live
//! socket is queued for `Close` first, and `Close` outputs are drained before `Open` ones. A
//! socket opened and closed before its `Open` was announced is simply forgotten. Inputs naming
//! any socket but the live one are stale: ignored and counted.

use heapless::Vec;

use super::output::SocketId;

/// The slot's bookkeeping.
#[derive(Debug)]
pub(crate) struct Slot {
    last_generation: u32,
    live: Option<SocketId>,
    /// The live socket's `Open` has not been handed out yet.
    announce_open: bool,
    /// Sockets to hand out as `Close`, oldest first (at most one in practice; two for safety).
    closing: Vec<SocketId, 2>,
    /// Inputs that named a socket other than the live one.
    pub(crate) stale_inputs: u32,
}

impl Slot {
    pub(crate) const fn new() -> Self {
        Self {
            last_generation: 0,
            live: None,
            announce_open: false,
            closing: Vec::new(),
            stale_inputs: 0,
        }
    }

    /// The live socket, if any.
    pub(crate) fn live(&self) -> Option<SocketId> {
        self.live
    }

    /// True when `socket` is the live socket; otherwise counts a stale input.
    pub(crate) fn accept(&mut self, socket: SocketId) -> bool {
        if self.live == Some(socket) {
            true
        } else {
            self.stale_inputs = self.stale_inputs.saturating_add(1);
            false
        }
    }

    /// Retires the live socket (closing it if it was announced) and opens a new generation.
    pub(crate) fn open(&mut self) -> SocketId {
        self.close();
        self.last_generation = self.last_generation.checked_add(1).unwrap_or(1);
        let socket = SocketId::from_generation(self.last_generation);
        self.live = Some(socket);
        self.announce_open = true;
        socket
    }

    /// Retires the live socket; an announced one is handed out as `Close`.
    pub(crate) fn close(&mut self) {
        let Some(socket) = self.live.take() else {
            return;
        };
        if core::mem::take(&mut self.announce_open) {
            return;
        }
        if self.closing.is_full() {
            // Cannot happen (closes are drained before the next open is announced); keep the
            // newest, whose owner may still be connected.
            self.closing.remove(0);
        }
        let _ = self.closing.push(socket);
    }

    /// The caller reported the live socket closed: retire it without a `Close`.
    pub(crate) fn lost(&mut self) {
        self.live = None;
        self.announce_open = false;
    }

    /// The next `Close` to hand out.
    pub(crate) fn take_close(&mut self) -> Option<SocketId> {
        if self.closing.is_empty() {
            None
        } else {
            Some(self.closing.remove(0))
        }
    }

    /// The `Open` to hand out, once every `Close` is out.
    pub(crate) fn take_open(&mut self) -> Option<SocketId> {
        if !self.closing.is_empty() || !self.announce_open {
            return None;
        }
        self.announce_open = false;
        self.live
    }

    /// True while the live socket's `Open` is not handed out yet.
    pub(crate) fn open_pending(&self) -> bool {
        self.announce_open
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_comes_before_open_and_stale_inputs_count() {
        let mut slot = Slot::new();
        let a = slot.open();
        assert_eq!(slot.take_close(), None);
        assert_eq!(slot.take_open(), Some(a));
        let b = slot.open();
        assert_eq!(slot.take_open(), None, "close first");
        assert_eq!(slot.take_close(), Some(a));
        assert_eq!(slot.take_open(), Some(b));
        assert!(!slot.accept(a));
        assert!(slot.accept(b));
        assert_eq!(slot.stale_inputs, 1);
    }

    #[test]
    fn unannounced_socket_is_forgotten() {
        let mut slot = Slot::new();
        let _a = slot.open();
        let b = slot.open();
        assert_eq!(slot.take_close(), None);
        assert_eq!(slot.take_open(), Some(b));
        slot.lost();
        assert_eq!(slot.live(), None);
        assert_eq!(slot.take_close(), None);
    }
}
