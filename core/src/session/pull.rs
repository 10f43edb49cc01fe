//! The queue table: one pull chain per queue (§7.6, §7.7).
//!
//! A NOTICE or an UNREAD reply names a queue; its chain is a first pull (no key), then a batch,
//! then — only after the batch reached the application — `{key: next_key, queue}`, which
//! acknowledges it and asks for more, until `is_last`. A NOTICE during a chain asks for one more
//! chain after it. An empty `is_last` batch after a first pull, while a key is remembered for
//! the queue, is followed by one pull with that key (§7.6 item 5).
//!
//! The loop guard stops a chain whose batch repeats the previous `next_key`, or after
//! [`MAX_PULLS_PER_CHAIN`] pulls (the next UNREAD finds the queue again). A repeat is taken for
//! the answer even while a pull is outstanding: were it ignored, the chain would keep waiting
//! and, against a server that only ever repeats itself, end in the pull timeout's reconnect,
//! again and again. The real answer, if one comes, then finds no chain awaiting it; the session
//! acknowledges such a batch from its own bytes once its metas reached the application, with no
//! slot of this table (`inbound.rs`).
//!
//! When every slot is busy, a new queue is not lost: the table remembers the overflow and the
//! session sends UNREAD to rediscover it once a chain ends.

use heapless::Vec;

use crate::time::{Duration, Instant};
use crate::wire::msync::Jid;
use crate::wire::proto::Encode;

/// Bytes to store one queue's bare address (its protobuf encoding): app key, name, domain.
pub const MAX_QUEUE_ADDRESS_LEN: usize = 160;

/// Pulls per chain before the loop guard stops it.
pub const MAX_PULLS_PER_CHAIN: u16 = 1000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Chain {
    /// Nothing to do.
    Idle,
    /// A pull (with this key) is to be sent.
    Due { key: Option<u64> },
    /// A pull was sent; its batch is awaited.
    Awaiting { key: Option<u64>, sent_at: Instant },
    /// Its batch is being delivered.
    Delivering { key: Option<u64> },
}

#[derive(Clone, Debug)]
struct Queue {
    address: Vec<u8, MAX_QUEUE_ADDRESS_LEN>,
    chain: Chain,
    /// A NOTICE arrived during the chain: run another after it.
    again: bool,
    /// The last non-zero `next_key` seen for this queue.
    remembered_key: Option<u64>,
    /// The `next_key` of the chain's previous batch (loop guard).
    previous_next_key: Option<u64>,
    pulls: u16,
}

/// Why a queue could not be added.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum AddError {
    /// Every slot runs a chain; rediscover later.
    Full,
    /// The address does not fit [`MAX_QUEUE_ADDRESS_LEN`].
    TooLong,
}

/// Up to `N` queues.
#[derive(Debug)]
pub(crate) struct PullTable<const N: usize> {
    queues: Vec<Queue, N>,
    overflow: bool,
}

/// The bare form of a queue address.
pub(crate) fn bare<'a>(jid: &Jid<'a>) -> Jid<'a> {
    Jid {
        client_resource: None,
        ..*jid
    }
}

impl<const N: usize> PullTable<N> {
    pub(crate) const fn new() -> Self {
        Self {
            queues: Vec::new(),
            overflow: false,
        }
    }

    fn find(&self, jid: &Jid<'_>) -> Option<usize> {
        self.queues
            .iter()
            .position(|q| Jid::decode(&q.address).is_ok_and(|stored| stored.same_bare(jid)))
    }

    /// A NOTICE or UNREAD reply named `jid`: start its chain, or ask for another one after the
    /// current chain.
    pub(crate) fn request(&mut self, jid: &Jid<'_>) -> Result<(), AddError> {
        if let Some(index) = self.find(jid) {
            if let Some(queue) = self.queues.get_mut(index) {
                if queue.chain == Chain::Idle {
                    queue.chain = Chain::Due { key: None };
                    queue.pulls = 0;
                    queue.previous_next_key = None;
                } else {
                    queue.again = true;
                }
            }
            return Ok(());
        }
        let bare = bare(jid);
        let len = bare.encoded_len();
        let mut address = Vec::new();
        if len > MAX_QUEUE_ADDRESS_LEN || address.resize(len, 0).is_err() {
            return Err(AddError::TooLong);
        }
        if bare.encode(&mut address).is_err() {
            return Err(AddError::TooLong);
        }
        let queue = Queue {
            address,
            chain: Chain::Due { key: None },
            again: false,
            remembered_key: None,
            previous_next_key: None,
            pulls: 0,
        };
        if self.queues.is_full() {
            // Reuse an idle slot (its remembered key is forgotten), else report overflow.
            match self.queues.iter().position(|q| q.chain == Chain::Idle) {
                Some(index) => {
                    self.queues.swap_remove(index);
                }
                None => {
                    self.overflow = true;
                    return Err(AddError::Full);
                }
            }
        }
        self.queues.push(queue).map_err(|_| AddError::Full)
    }

    /// The queue's address as a JID view.
    pub(crate) fn address(&self, index: usize) -> Option<Jid<'_>> {
        self.queues
            .get(index)
            .and_then(|q| Jid::decode(&q.address).ok())
    }

    /// The first queue with a pull due, and its key.
    pub(crate) fn next_due(&self) -> Option<(usize, Option<u64>)> {
        self.queues
            .iter()
            .enumerate()
            .find_map(|(i, q)| match q.chain {
                Chain::Due { key } => Some((i, key)),
                _ => None,
            })
    }

    /// The pull of `index` was sent.
    pub(crate) fn sent(&mut self, index: usize, now: Instant) {
        if let Some(queue) = self.queues.get_mut(index)
            && let Chain::Due { key } = queue.chain
        {
            queue.chain = Chain::Awaiting { key, sent_at: now };
            queue.pulls = queue.pulls.saturating_add(1);
        }
    }

    /// The queue a batch answers: the awaited one with the batch's address, or the only awaited
    /// one when the batch names none.
    pub(crate) fn awaiting(&self, queue: Option<&Jid<'_>>) -> Option<usize> {
        let mut awaited = self
            .queues
            .iter()
            .enumerate()
            .filter(|(_, q)| matches!(q.chain, Chain::Awaiting { .. }));
        match queue {
            Some(jid) => awaited
                .find(|(_, q)| Jid::decode(&q.address).is_ok_and(|stored| stored.same_bare(jid)))
                .map(|(i, _)| i),
            None => {
                let first = awaited.next().map(|(i, _)| i);
                if awaited.next().is_some() {
                    None
                } else {
                    first
                }
            }
        }
    }

    /// The batch for `index` is being delivered.
    pub(crate) fn delivering(&mut self, index: usize) {
        if let Some(queue) = self.queues.get_mut(index)
            && let Chain::Awaiting { key, .. } = queue.chain
        {
            queue.chain = Chain::Delivering { key };
        }
    }

    /// The batch for `index` reached the application: decide the chain's next step. Returns
    /// the key to acknowledge with, when one is due.
    pub(crate) fn delivered(
        &mut self,
        index: usize,
        next_key: Option<u64>,
        is_last: bool,
        had_metas: bool,
    ) -> Option<u64> {
        let queue = self.queues.get_mut(index)?;
        let Chain::Delivering { key: pulled_with } = queue.chain else {
            return None;
        };
        let next_key = next_key.filter(|&k| k != 0);
        let repeated = next_key.is_some() && next_key == queue.previous_next_key;
        if next_key.is_some() {
            queue.remembered_key = next_key;
        }
        queue.chain = if is_last {
            match queue.remembered_key {
                Some(key) if !had_metas && pulled_with.is_none() && !queue.again => {
                    Chain::Due { key: Some(key) }
                }
                _ => Chain::Idle,
            }
        } else {
            match next_key {
                Some(key) if !repeated && queue.pulls < MAX_PULLS_PER_CHAIN => {
                    Chain::Due { key: Some(key) }
                }
                _ => Chain::Idle,
            }
        };
        queue.previous_next_key = next_key;
        if queue.chain == Chain::Idle && core::mem::take(&mut queue.again) {
            queue.chain = Chain::Due { key: None };
            queue.pulls = 0;
            queue.previous_next_key = None;
        }
        match queue.chain {
            Chain::Due { key } => key,
            _ => None,
        }
    }

    /// A batch could not be handled (or the socket went away): the chain restarts with a
    /// first pull on the next connection; the server re-delivers what was not acknowledged.
    pub(crate) fn restart_active(&mut self) {
        for queue in &mut self.queues {
            if queue.chain != Chain::Idle {
                queue.chain = Chain::Due { key: None };
                queue.pulls = 0;
                queue.previous_next_key = None;
            }
        }
    }

    /// Whether a queue was dropped for lack of a slot and no chain runs any more, so that an
    /// UNREAD can rediscover it now. Clears the flag.
    pub(crate) fn take_rediscovery(&mut self) -> bool {
        if self.overflow && self.queues.iter().any(|q| q.chain == Chain::Idle) {
            self.overflow = false;
            true
        } else {
            false
        }
    }

    /// The earliest moment an awaited batch is overdue.
    pub(crate) fn deadline(&self, timeout: Duration) -> Option<Instant> {
        self.queues
            .iter()
            .filter_map(|q| match q.chain {
                Chain::Awaiting { sent_at, .. } => Some(sent_at + timeout),
                _ => None,
            })
            .min()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALICE: Jid<'static> = Jid::bare("org#app", "alice", "easemob.com");
    const SYSTEM: Jid<'static> = Jid::bare("org#app", "", "easemob.com");

    fn run_batch<const N: usize>(
        table: &mut PullTable<N>,
        next_key: Option<u64>,
        is_last: bool,
        metas: bool,
    ) -> Option<u64> {
        let (index, _) = table.next_due().unwrap();
        table.sent(index, Instant::from_millis(0));
        assert_eq!(table.awaiting(Some(&ALICE)), Some(index));
        table.delivering(index);
        table.delivered(index, next_key, is_last, metas)
    }

    #[test]
    fn chain_with_notice_in_between() {
        let mut table = PullTable::<2>::new();
        table.request(&ALICE).unwrap();
        assert_eq!(table.next_due(), Some((0, None)));
        assert_eq!(run_batch(&mut table, Some(42), false, true), Some(42));
        table
            .request(&Jid {
                client_resource: Some("r"),
                ..ALICE
            })
            .unwrap();
        assert_eq!(table.next_due(), Some((0, Some(42))));
        // is_last ends the chain; the NOTICE asks for one more, from no key.
        assert_eq!(run_batch(&mut table, None, true, false), None);
        assert_eq!(table.next_due(), Some((0, None)));
        // An empty first batch while 42 is remembered: once more with it (§7.6 item 5).
        assert_eq!(run_batch(&mut table, None, true, false), Some(42));
        assert_eq!(run_batch(&mut table, None, true, false), None);
        assert_eq!(table.next_due(), None);
    }

    #[test]
    fn remembered_key_retry_and_loop_guard() {
        let mut table = PullTable::<2>::new();
        table.request(&ALICE).unwrap();
        run_batch(&mut table, Some(7), false, true);
        run_batch(&mut table, None, true, true);
        table.request(&ALICE).unwrap();
        // Empty is_last after a first pull: once more with the remembered key.
        assert_eq!(run_batch(&mut table, None, true, false), Some(7));
        assert_eq!(run_batch(&mut table, None, true, false), None);
        assert_eq!(table.next_due(), None);
        // A batch repeating the previous next_key stops the chain.
        table.request(&ALICE).unwrap();
        assert_eq!(run_batch(&mut table, Some(9), false, true), Some(9));
        assert_eq!(run_batch(&mut table, Some(9), false, true), None);
    }

    #[test]
    fn overflow_is_rediscovered() {
        let mut table = PullTable::<1>::new();
        table.request(&ALICE).unwrap();
        assert_eq!(table.request(&SYSTEM), Err(AddError::Full));
        assert!(!table.take_rediscovery());
        run_batch(&mut table, None, true, true);
        assert!(table.take_rediscovery());
        table.request(&SYSTEM).unwrap();
        assert!(table.address(0).unwrap().same_bare(&SYSTEM));
    }
}
