//! The outbox: sends waiting for their ACK, in send order (§7.5, §8.3 item 6).
//!
//! Each send is encoded once, as its `CommSyncUL` bytes, into a byte arena; a re-send after a
//! socket replacement only wraps the same bytes in a new envelope (new trace id), so its
//! `Meta.id` is the original. Entries stay in send order (the arena is compacted when one
//! leaves), which is the order re-sends go out in.
//!
//! An entry ends exactly once: acknowledged, rejected, timed out or failed with the session.
//! Ended entries wait here until the session hands their event out, then leave.

use heapless::Vec;

use super::error::CloseReason;
use super::message::MessageId;
use crate::time::{Duration, Instant};

/// How a send ended, waiting to be reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Ended {
    Acked {
        server_id: u64,
        timestamp: u64,
    },
    TimedOut,
    /// The session ended first.
    WithSession(CloseReason),
    /// Its frame does not fit the transmit buffer with the live gateway's encoding.
    FrameTooLarge {
        needed: usize,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum EntryState {
    /// To be sent (first time, or again on a new connection).
    Queued,
    /// Sent on the current connection at this time.
    InFlight { sent_at: Instant },
    /// Finished; its event is due.
    Done(Ended),
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Entry {
    pub(crate) id: MessageId,
    offset: usize,
    len: usize,
    pub(crate) created: Instant,
    pub(crate) state: EntryState,
}

/// `SLOTS` pending sends in a `BYTES`-byte arena.
pub(crate) struct Outbox<const SLOTS: usize, const BYTES: usize> {
    arena: [u8; BYTES],
    used: usize,
    entries: Vec<Entry, SLOTS>,
}

impl<const SLOTS: usize, const BYTES: usize> core::fmt::Debug for Outbox<SLOTS, BYTES> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Outbox")
            .field("used", &self.used)
            .field("entries", &self.entries)
            .finish()
    }
}

/// Why an entry cannot be added now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Full {
    Slots,
    Bytes { free: usize },
}

impl<const SLOTS: usize, const BYTES: usize> Outbox<SLOTS, BYTES> {
    pub(crate) const fn new() -> Self {
        Self {
            arena: [0; BYTES],
            used: 0,
            entries: Vec::new(),
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    pub(crate) fn contains(&self, id: u64) -> bool {
        self.entries.iter().any(|e| e.id.get() == id)
    }

    /// The free arena to encode the next entry into, if a slot is free.
    pub(crate) fn free_space(&mut self) -> Result<&mut [u8], Full> {
        if self.entries.is_full() {
            return Err(Full::Slots);
        }
        Ok(self.arena.get_mut(self.used..).unwrap_or_default())
    }

    /// Adds the `len` bytes just encoded at the start of [`Outbox::free_space`].
    pub(crate) fn commit(&mut self, id: MessageId, len: usize, now: Instant) -> Result<(), Full> {
        let free = BYTES.saturating_sub(self.used);
        if len > free {
            return Err(Full::Bytes { free });
        }
        let entry = Entry {
            id,
            offset: self.used,
            len,
            created: now,
            state: EntryState::Queued,
        };
        self.entries.push(entry).map_err(|_| Full::Slots)?;
        self.used = self.used.saturating_add(len);
        Ok(())
    }

    /// The encoded `CommSyncUL` of an entry.
    pub(crate) fn bytes(&self, index: usize) -> &[u8] {
        self.entries
            .get(index)
            .and_then(|e| self.arena.get(e.offset..e.offset.saturating_add(e.len)))
            .unwrap_or_default()
    }

    /// The oldest entry waiting to be sent.
    pub(crate) fn next_queued(&self) -> Option<usize> {
        self.entries
            .iter()
            .position(|e| e.state == EntryState::Queued)
    }

    pub(crate) fn set_state(&mut self, index: usize, state: EntryState) {
        if let Some(entry) = self.entries.get_mut(index) {
            entry.state = state;
        }
    }

    /// Ends the in-flight or queued entry `id`; `false` when no such entry waits (a duplicate
    /// or unknown ACK).
    pub(crate) fn end(&mut self, id: u64, ended: Ended) -> bool {
        match self
            .entries
            .iter_mut()
            .find(|e| e.id.get() == id && !matches!(e.state, EntryState::Done(_)))
        {
            Some(entry) => {
                entry.state = EntryState::Done(ended);
                true
            }
            None => false,
        }
    }

    /// Removes the entry `id` if it has not ended yet (its event is handed out by the caller).
    pub(crate) fn take_pending(&mut self, id: u64) -> bool {
        match self
            .entries
            .iter()
            .position(|e| e.id.get() == id && !matches!(e.state, EntryState::Done(_)))
        {
            Some(index) => {
                self.remove(index);
                true
            }
            None => false,
        }
    }

    /// The oldest ended entry and how it ended, removed.
    pub(crate) fn take_ended(&mut self) -> Option<(MessageId, Ended)> {
        let index = self
            .entries
            .iter()
            .position(|e| matches!(e.state, EntryState::Done(_)))?;
        let entry = *self.entries.get(index)?;
        self.remove(index);
        match entry.state {
            EntryState::Done(ended) => Some((entry.id, ended)),
            _ => None,
        }
    }

    fn remove(&mut self, index: usize) {
        if index >= self.entries.len() {
            return;
        }
        let entry = self.entries.remove(index);
        let end = entry.offset.saturating_add(entry.len);
        self.arena.copy_within(end..self.used, entry.offset);
        self.used = self.used.saturating_sub(entry.len);
        for later in self.entries.iter_mut().skip(index) {
            later.offset = later.offset.saturating_sub(entry.len);
        }
    }

    /// The connection is gone: everything in flight is sent again on the next one.
    pub(crate) fn requeue(&mut self) {
        for entry in &mut self.entries {
            if let EntryState::InFlight { .. } = entry.state {
                entry.state = EntryState::Queued;
            }
        }
    }

    /// Ends every pending entry with the session.
    pub(crate) fn fail_all(&mut self, reason: CloseReason) {
        for entry in &mut self.entries {
            if !matches!(entry.state, EntryState::Done(_)) {
                entry.state = EntryState::Done(Ended::WithSession(reason));
            }
        }
    }

    /// Whether an ended entry waits to be reported.
    pub(crate) fn has_ended(&self) -> bool {
        self.entries
            .iter()
            .any(|e| matches!(e.state, EntryState::Done(_)))
    }

    /// The earliest moment an in-flight entry's ACK is overdue.
    pub(crate) fn ack_deadline(&self, ack_timeout: Duration) -> Option<Instant> {
        self.entries
            .iter()
            .filter_map(|e| match e.state {
                EntryState::InFlight { sent_at } => Some(sent_at + ack_timeout),
                _ => None,
            })
            .min()
    }

    /// The earliest moment a pending entry reaches its overall deadline.
    pub(crate) fn send_deadline(&self, deadline: Option<Duration>) -> Option<Instant> {
        let deadline = deadline?;
        self.entries
            .iter()
            .filter(|e| !matches!(e.state, EntryState::Done(_)))
            .map(|e| e.created + deadline)
            .min()
    }

    /// Ends the entries past their overall deadline.
    pub(crate) fn expire(&mut self, now: Instant, deadline: Option<Duration>) {
        let Some(deadline) = deadline else {
            return;
        };
        for entry in &mut self.entries {
            if !matches!(entry.state, EntryState::Done(_)) && entry.created + deadline <= now {
                entry.state = EntryState::Done(Ended::TimedOut);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: u64) -> MessageId {
        MessageId::new(n).unwrap()
    }

    fn add<const S: usize, const B: usize>(outbox: &mut Outbox<S, B>, n: u64, bytes: &[u8]) {
        let space = outbox.free_space().unwrap();
        space[..bytes.len()].copy_from_slice(bytes);
        outbox
            .commit(id(n), bytes.len(), Instant::from_millis(0))
            .unwrap();
    }

    #[test]
    fn keeps_order_and_compacts() {
        let mut outbox = Outbox::<3, 8>::new();
        add(&mut outbox, 1, b"aa");
        add(&mut outbox, 2, b"bbb");
        add(&mut outbox, 3, b"cc");
        assert_eq!(outbox.free_space(), Err(Full::Slots));
        assert!(outbox.end(2, Ended::TimedOut));
        assert!(!outbox.end(2, Ended::TimedOut), "ends once");
        assert_eq!(outbox.take_ended(), Some((id(2), Ended::TimedOut)));
        assert_eq!(outbox.bytes(0), b"aa");
        assert_eq!(outbox.bytes(1), b"cc");
        assert_eq!(outbox.free_space().unwrap().len(), 4);
        assert_eq!(
            outbox.commit(id(4), 5, Instant::from_millis(0)),
            Err(Full::Bytes { free: 4 })
        );
    }

    #[test]
    fn requeue_and_deadlines() {
        let mut outbox = Outbox::<2, 8>::new();
        add(&mut outbox, 1, b"a");
        outbox.set_state(
            0,
            EntryState::InFlight {
                sent_at: Instant::from_millis(10),
            },
        );
        assert_eq!(
            outbox.ack_deadline(Duration::from_millis(5)),
            Some(Instant::from_millis(15))
        );
        outbox.requeue();
        assert_eq!(outbox.next_queued(), Some(0));
        outbox.expire(Instant::from_millis(100), Some(Duration::from_millis(50)));
        assert_eq!(outbox.take_ended(), Some((id(1), Ended::TimedOut)));
        assert_eq!(outbox.len(), 0);
    }
}
