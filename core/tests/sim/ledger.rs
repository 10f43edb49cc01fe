//! The invariants' bookkeeping: every send the session accepted and how it ended, every meta
//! the server queued and how often it reached the application.

use std::collections::{BTreeMap, HashMap};

use msync_core::session::{ChatType, ReceivedMessage, SendFailure};

use super::queues::{Item, USER};
use super::server::SendRecord;

/// How a send ended, as the session reported it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    Acked,
    Rejected,
    TimedOut,
    SessionEnded,
}

#[derive(Debug)]
struct SendEntry {
    to: String,
    text: String,
    ends: u32,
    outcome: Option<Outcome>,
}

#[derive(Debug)]
struct Expected {
    item: Item,
    deliveries: u32,
}

/// What the application was promised and what it got.
#[derive(Debug, Default)]
pub(crate) struct Ledger {
    sends: HashMap<u64, SendEntry>,
    expected: HashMap<u64, Expected>,
    /// Kick markers (their `reason`) and the server id of their meta.
    kicks: HashMap<String, u64>,
    /// Outcomes by kind, for the figures.
    pub(crate) outcomes: BTreeMap<&'static str, u64>,
}

impl Ledger {
    /// `send` returned `id` for a message `text` to `to`.
    pub(crate) fn accepted(&mut self, id: u64, to: &str, text: &str) {
        assert_ne!(id, 0, "send returned id 0");
        let fresh = SendEntry {
            to: to.to_owned(),
            text: text.to_owned(),
            ends: 0,
            outcome: None,
        };
        assert!(
            self.sends.insert(id, fresh).is_none(),
            "send returned id {id} twice (ids must be unique, or the server merges two messages)"
        );
    }

    /// The session reported the end of send `id`; `server` is what the server stored for it.
    pub(crate) fn ended(
        &mut self,
        id: u64,
        outcome: Outcome,
        acked_server_id: Option<u64>,
        server: Option<&SendRecord>,
    ) {
        let entry = self
            .sends
            .get_mut(&id)
            .unwrap_or_else(|| panic!("the end of send {id}, which send() never returned"));
        entry.ends += 1;
        assert_eq!(
            entry.ends, 1,
            "send {id} ended twice ({:?}, then {outcome:?})",
            entry.outcome
        );
        entry.outcome = Some(outcome);
        match outcome {
            Outcome::Acked => {
                let server = server
                    .unwrap_or_else(|| panic!("send {id} acked but the server never stored it"));
                assert_eq!(
                    server.server_id, acked_server_id,
                    "send {id}: SendAcked names server id {acked_server_id:?}, the server assigned {:?}",
                    server.server_id
                );
            }
            Outcome::Rejected => {
                let refused = server.is_some_and(|s| s.server_id.is_none());
                assert!(
                    refused,
                    "send {id} reported rejected, but the server did not refuse it"
                );
            }
            Outcome::TimedOut | Outcome::SessionEnded => {}
        }
        *self.outcomes.entry(outcome.name()).or_default() += 1;
    }

    /// The server saw client id `id` carrying `text` to `to`: it must be a send the session
    /// accepted, with the same content.
    pub(crate) fn check_arrival(&self, id: u64, record: &SendRecord) {
        let entry = self.sends.get(&id).unwrap_or_else(|| {
            panic!("the server received client id {id}, which send() never returned")
        });
        assert!(
            entry.to == record.to && entry.text == record.text,
            "client id {id} carried {:?} to {:?}, the application sent {:?} to {:?}",
            record.text,
            record.to,
            entry.text,
            entry.to
        );
    }

    /// The server queued `item` with `server_id`.
    pub(crate) fn queued(&mut self, server_id: u64, item: Item) {
        if let Item::Kick { marker } = &item {
            self.kicks.insert(marker.clone(), server_id);
        }
        self.expected.insert(
            server_id,
            Expected {
                item,
                deliveries: 0,
            },
        );
    }

    /// A chat message reached the application.
    pub(crate) fn message(&mut self, message: &ReceivedMessage<'_>) {
        let id = message.server_id();
        let expected = self.delivery(id, "Message");
        let Item::Chat { from, group, text } = &expected.item else {
            panic!("Message {id} delivered for a queued {:?}", expected.item);
        };
        let chat = if group.is_some() {
            ChatType::Group
        } else {
            ChatType::Single
        };
        let to = group.as_deref().unwrap_or(USER);
        assert!(
            message.from() == from
                && message.to() == to
                && message.text() == Some(text.as_str())
                && message.chat_type() == chat,
            "Message {id}: got from={} to={} {:?} {:?}, queued {:?}",
            message.from(),
            message.to(),
            message.chat_type(),
            message.text(),
            expected.item
        );
    }

    /// A notification reached the application.
    pub(crate) fn notification(&mut self, id: u64, json: &[u8]) {
        let expected = self.delivery(id, "Notification");
        let Item::Notify { json: queued } = &expected.item else {
            panic!(
                "Notification {id} delivered for a queued {:?}",
                expected.item
            );
        };
        assert_eq!(
            json,
            queued.as_bytes(),
            "Notification {id} changed its JSON"
        );
    }

    /// A kick reached the application; `marker` is its `reason`.
    pub(crate) fn kick(&mut self, marker: &str) {
        let id = *self
            .kicks
            .get(marker)
            .unwrap_or_else(|| panic!("a kick ({marker:?}) nobody queued"));
        self.delivery(id, "Kick");
    }

    fn delivery(&mut self, id: u64, what: &str) -> &Expected {
        let expected = self
            .expected
            .get_mut(&id)
            .unwrap_or_else(|| panic!("{what} {id} delivered, but the server never queued it"));
        expected.deliveries += 1;
        assert_eq!(expected.deliveries, 1, "{what} {id} delivered twice");
        expected
    }

    /// The server took a key acknowledging these metas: each must have reached the
    /// application first (PROTOCOL.md §7.6 item 3).
    pub(crate) fn check_key_ack(&self, ids: &[u64]) {
        for id in ids {
            let delivered = self.expected.get(id).is_some_and(|e| e.deliveries > 0);
            assert!(
                delivered,
                "a pull key acknowledged meta {id} before the application got it"
            );
        }
    }

    /// A send not ended yet, if any (for forged late ACKs).
    pub(crate) fn some_open_send(&self, rng: &mut super::rng::SimRng) -> Option<u64> {
        let mut open: Vec<u64> = self
            .sends
            .iter()
            .filter(|(_, s)| s.ends == 0)
            .map(|(id, _)| *id)
            .collect();
        open.sort_unstable();
        (!open.is_empty()).then(|| *rng.pick(&open))
    }

    /// Sends not ended yet.
    pub(crate) fn open_sends(&self) -> usize {
        self.sends.values().filter(|s| s.ends == 0).count()
    }

    /// Queued metas (other than skipped kinds) not delivered yet.
    pub(crate) fn undelivered(&self) -> usize {
        self.expected
            .values()
            .filter(|e| e.item.is_visible() && e.deliveries == 0)
            .count()
    }

    /// The end-of-run check: every send ended exactly once; every message and notification
    /// delivered exactly once; skipped kinds never.
    pub(crate) fn check_complete(&self) {
        let mut open: Vec<&u64> = self
            .sends
            .iter()
            .filter(|(_, s)| s.ends != 1)
            .map(|(id, _)| id)
            .collect();
        open.sort();
        assert!(open.is_empty(), "sends that never ended: {open:?}");
        let mut missing: Vec<(&u64, &Item)> = self
            .expected
            .iter()
            .filter(|(_, e)| e.deliveries != u32::from(e.item.is_visible()))
            .map(|(id, e)| (id, &e.item))
            .collect();
        missing.sort_by_key(|(id, _)| **id);
        assert!(
            missing.is_empty(),
            "queued metas not delivered exactly once: {missing:?}"
        );
    }
}

impl Outcome {
    pub(crate) fn of(error: &SendFailure<'_>) -> Self {
        match error {
            SendFailure::Rejected { .. } => Outcome::Rejected,
            SendFailure::TimedOut => Outcome::TimedOut,
            SendFailure::SessionEnded(_) => Outcome::SessionEnded,
            other => panic!("unexpected send failure {other:?}"),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Outcome::Acked => "send.acked",
            Outcome::Rejected => "send.rejected",
            Outcome::TimedOut => "send.timed_out",
            Outcome::SessionEnded => "send.session_ended",
        }
    }
}
