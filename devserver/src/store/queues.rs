//! Per-user mailboxes: one ordered log of metas per (user, queue), with a cursor per device.
//!
//! Every device (resource) of a user pulls the same log and moves its own cursor with key
//! acks, so each device receives each message; items every known device has acknowledged are
//! dropped, and the log never holds more than the configured number of items.

use std::collections::{HashMap, VecDeque};

use crate::pb::Meta;

/// A queue's name and domain; with the app key it is the queue's bare JID.
pub(crate) type QueueName = (String, String);

#[derive(Debug)]
struct Item {
    seq: u64,
    meta: Meta,
}

/// One user's log of metas for one queue.
#[derive(Debug, Default)]
pub(crate) struct Mailbox {
    items: VecDeque<Item>,
    last_seq: u64,
    cursors: HashMap<String, u64>,
}

impl Mailbox {
    /// Appends a meta; returns how many old items were dropped to stay within `cap`.
    pub(crate) fn push(&mut self, meta: Meta, cap: usize) -> usize {
        self.last_seq = self.last_seq.saturating_add(1);
        self.items.push_back(Item {
            seq: self.last_seq,
            meta,
        });
        let mut dropped = 0;
        while self.items.len() > cap {
            self.items.pop_front();
            dropped += 1;
        }
        dropped
    }

    fn cursor(&self, resource: &str) -> u64 {
        self.cursors.get(resource).copied().unwrap_or(0)
    }

    /// How many items the device has not acknowledged.
    pub(crate) fn pending(&self, resource: &str) -> usize {
        let cursor = self.cursor(resource);
        self.items.iter().filter(|i| i.seq > cursor).count()
    }

    /// Up to `max` unacknowledged items for the device, and the key of the last one.
    pub(crate) fn batch(&self, resource: &str, max: usize) -> (Vec<Meta>, u64) {
        let cursor = self.cursor(resource);
        let items: Vec<&Item> = self
            .items
            .iter()
            .filter(|i| i.seq > cursor)
            .take(max)
            .collect();
        let last = items.last().map_or(cursor, |i| i.seq);
        (items.into_iter().map(|i| i.meta.clone()).collect(), last)
    }

    /// Acknowledges everything up to `key` for the device, then drops the items that every
    /// device in `devices` has acknowledged. Keys beyond the log are clamped to its end.
    pub(crate) fn ack<'a>(
        &mut self,
        resource: &str,
        key: u64,
        devices: impl IntoIterator<Item = &'a String>,
    ) {
        let key = key.min(self.last_seq);
        let cursor = self.cursors.entry(resource.to_owned()).or_insert(0);
        *cursor = (*cursor).max(key);
        let floor = devices
            .into_iter()
            .map(|d| self.cursor(d))
            .min()
            .unwrap_or(0);
        while self.items.front().is_some_and(|i| i.seq <= floor) {
            self.items.pop_front();
        }
    }

    /// Number of items held.
    pub(crate) fn len(&self) -> usize {
        self.items.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(id: u64) -> Meta {
        Meta {
            id: Some(id),
            ..Meta::default()
        }
    }

    fn ids(metas: &[Meta]) -> Vec<u64> {
        metas.iter().filter_map(|m| m.id).collect()
    }

    #[test]
    fn batches_follow_each_devices_cursor() {
        let mut mb = Mailbox::default();
        for id in 1..=5 {
            mb.push(meta(id * 10), 100);
        }
        let devices = vec!["a".to_owned(), "b".to_owned()];
        let (first, key) = mb.batch("a", 2);
        assert_eq!((ids(&first), key), (vec![10, 20], 2));
        mb.ack("a", key, &devices);
        let (next, key) = mb.batch("a", 2);
        assert_eq!((ids(&next), key), (vec![30, 40], 4));
        assert_eq!(mb.pending("a"), 3);
        assert_eq!(mb.pending("b"), 5, "device b still sees everything");
        assert_eq!(mb.len(), 5, "nothing dropped while b has not acknowledged");
        mb.ack("b", 3, &devices);
        assert_eq!(mb.len(), 3, "items both devices acknowledged are dropped");
        let (rest, key) = mb.batch("a", 10);
        assert_eq!((ids(&rest), key), (vec![30, 40, 50], 5));
        mb.ack("a", 99, &devices);
        assert_eq!(mb.pending("a"), 0, "keys beyond the end are clamped");
        assert_eq!(mb.batch("a", 10), (vec![], 5));
    }

    #[test]
    fn the_log_is_bounded() {
        let mut mb = Mailbox::default();
        let dropped: usize = (1..=10).map(|id| mb.push(meta(id), 4)).sum();
        assert_eq!(dropped, 6);
        assert_eq!(ids(&mb.batch("x", 10).0), vec![7, 8, 9, 10]);
    }
}
