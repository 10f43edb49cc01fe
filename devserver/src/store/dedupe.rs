//! Remembers the server id given to each client message id, so that a re-sent message (same
//! sender, same client id) gets the same ACK and is stored once.

use std::collections::{HashMap, VecDeque};

/// The outcome first given to a client message id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct FirstAck {
    /// The server id.
    pub(crate) server_id: u64,
    /// The server time of the message.
    pub(crate) timestamp: u64,
}

/// A bounded map from client message id to its first ACK, forgetting the oldest first.
#[derive(Debug, Default)]
pub(crate) struct Dedupe {
    seen: HashMap<u64, FirstAck>,
    order: VecDeque<u64>,
}

impl Dedupe {
    /// The ACK given before to this client id, if it is remembered.
    pub(crate) fn get(&self, client_id: u64) -> Option<FirstAck> {
        self.seen.get(&client_id).copied()
    }

    /// Remembers an ACK, keeping at most `cap` ids.
    pub(crate) fn remember(&mut self, client_id: u64, ack: FirstAck, cap: usize) {
        if self.seen.insert(client_id, ack).is_none() {
            self.order.push_back(client_id);
        }
        while self.order.len() > cap {
            if let Some(old) = self.order.pop_front() {
                self.seen.remove(&old);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_within_the_window() {
        let mut d = Dedupe::default();
        let ack = |n| FirstAck {
            server_id: n,
            timestamp: n,
        };
        for id in 1..=3 {
            d.remember(id, ack(id * 100), 2);
        }
        assert_eq!(d.get(1), None, "oldest forgotten");
        assert_eq!(d.get(2), Some(ack(200)));
        assert_eq!(d.get(3), Some(ack(300)));
    }
}
