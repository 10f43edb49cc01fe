//! One demo user's events: bounded waits for messages and state changes, counting the
//! connections lost on the way.

use std::time::Duration;

use msync_tokio::{ClientEvent, CloseReason, ConnectionState, Events, Message};

/// The longest the demo waits for any one thing.
pub(super) const WAIT: Duration = Duration::from_secs(5);

/// A user's event stream and what it has shown so far.
#[derive(Debug)]
pub(super) struct Inbox {
    user: &'static str,
    events: Events,
    /// `Reconnecting` states seen: connections lost and replaced.
    pub(super) reconnects: u32,
    /// Chat messages received so far.
    pub(super) received: usize,
    /// How many chat messages had been received at each `Reconnecting`.
    pub(super) lost_after: Vec<usize>,
}

impl Inbox {
    /// The inbox of `user`.
    pub(super) fn new(user: &'static str, events: Events) -> Self {
        Self {
            user,
            events,
            reconnects: 0,
            received: 0,
            lost_after: Vec::new(),
        }
    }

    /// The next chat message, within [`WAIT`].
    pub(super) async fn next_message(&mut self) -> Result<Message, String> {
        match tokio::time::timeout(WAIT, self.wait_message()).await {
            Ok(found) => found,
            Err(_) => Err(format!(
                "{} received no message within {} s",
                self.user,
                WAIT.as_secs()
            )),
        }
    }

    /// The next `n` chat messages, in arrival order.
    pub(super) async fn messages(&mut self, n: usize) -> Result<Vec<Message>, String> {
        let mut received = Vec::with_capacity(n);
        while received.len() < n {
            match self.next_message().await {
                Ok(message) => received.push(message),
                Err(_) => {
                    return Err(format!(
                        "{} received {} of {n} messages within {} s of the last one",
                        self.user,
                        received.len(),
                        WAIT.as_secs()
                    ));
                }
            }
        }
        Ok(received)
    }

    /// The chat messages that arrive within `quiet` (none, when nothing is duplicated).
    pub(super) async fn extra_messages(&mut self, quiet: Duration) -> Vec<Message> {
        let mut extra = Vec::new();
        let _quiet_passed = tokio::time::timeout(quiet, async {
            while let Ok(message) = self.wait_message().await {
                extra.push(message);
            }
        })
        .await;
        extra
    }

    /// Waits (within [`WAIT`]) for the session to close; returns why.
    pub(super) async fn closed(&mut self) -> Result<CloseReason, String> {
        let wait = async {
            loop {
                match self.events.recv().await {
                    Some(ClientEvent::State(ConnectionState::Closed(reason))) => return Ok(reason),
                    Some(event) => self.count(&event),
                    None => return Err(format!("{}'s client stopped", self.user)),
                }
            }
        };
        tokio::time::timeout(WAIT, wait).await.unwrap_or_else(|_| {
            Err(format!(
                "{}'s session did not close within {} s",
                self.user,
                WAIT.as_secs()
            ))
        })
    }

    /// Takes the events already waiting, counting reconnects; fails on a chat message.
    pub(super) fn settle(&mut self) -> Result<(), String> {
        while let Some(event) = self.events.try_recv() {
            if let ClientEvent::Message(message) = &event {
                return Err(format!(
                    "{} received an unexpected message from {} (id {})",
                    self.user, message.from, message.server_id
                ));
            }
            self.count(&event);
        }
        Ok(())
    }

    async fn wait_message(&mut self) -> Result<Message, String> {
        loop {
            match self.events.recv().await {
                Some(ClientEvent::Message(message)) => {
                    self.received += 1;
                    return Ok(message);
                }
                Some(ClientEvent::State(ConnectionState::Closed(reason))) => {
                    return Err(format!("{}'s session closed: {reason:?}", self.user));
                }
                Some(event) => self.count(&event),
                None => return Err(format!("{}'s client stopped", self.user)),
            }
        }
    }

    fn count(&mut self, event: &ClientEvent) {
        if let ClientEvent::State(ConnectionState::Reconnecting { .. }) = event {
            self.reconnects += 1;
            self.lost_after.push(self.received);
        }
    }
}
