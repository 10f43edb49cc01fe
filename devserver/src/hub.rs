//! The online sessions: who is connected, on which resource, and how to reach them.

use std::collections::HashMap;

use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use crate::pb::{MSync, StatisticsBody};

/// What other parts of the server push to a session.
#[derive(Debug)]
pub(crate) enum Outbound {
    /// Send this frame.
    Frame(MSync),
    /// The session is kicked: send this STATISTIC meta in a batch, then close.
    Kick(StatisticsBody),
}

/// How to reach one logged-in connection.
#[derive(Debug, Clone)]
pub(crate) struct SessionHandle {
    pub(crate) connection: u64,
    pub(crate) resource: String,
    pub(crate) device_name: Option<String>,
    pub(crate) since_ms: u64,
    pub(crate) tx: mpsc::Sender<Outbound>,
    pub(crate) kill: CancellationToken,
}

impl SessionHandle {
    /// Pushes to the session; a session too slow to drain its queue is closed instead.
    pub(crate) fn push(&self, out: Outbound) {
        if self.tx.try_send(out).is_err() {
            tracing::warn!(
                connection = self.connection,
                "session cannot keep up; closing it"
            );
            self.kill.cancel();
        }
    }
}

/// Online sessions by (app key, user name).
#[derive(Debug, Default)]
pub(crate) struct Hub {
    online: HashMap<(String, String), Vec<SessionHandle>>,
}

impl Hub {
    /// Registers a logged-in session; returns the session it replaces (same resource), if any.
    pub(crate) fn add(
        &mut self,
        app_key: &str,
        user: &str,
        handle: SessionHandle,
    ) -> Option<SessionHandle> {
        let list = self
            .online
            .entry((app_key.to_owned(), user.to_owned()))
            .or_default();
        let replaced = list
            .iter()
            .position(|s| s.resource == handle.resource)
            .map(|i| list.remove(i));
        list.push(handle);
        replaced
    }

    /// Removes a connection; true if it was registered.
    pub(crate) fn remove(&mut self, app_key: &str, user: &str, connection: u64) -> bool {
        let key = (app_key.to_owned(), user.to_owned());
        let Some(list) = self.online.get_mut(&key) else {
            return false;
        };
        let before = list.len();
        list.retain(|s| s.connection != connection);
        let removed = list.len() != before;
        if list.is_empty() {
            self.online.remove(&key);
        }
        removed
    }

    /// The user's online sessions.
    pub(crate) fn sessions(&self, app_key: &str, user: &str) -> &[SessionHandle] {
        self.online
            .get(&(app_key.to_owned(), user.to_owned()))
            .map_or(&[], Vec::as_slice)
    }

    /// Unregisters every session of the user and returns them (to kick them).
    pub(crate) fn take_all(&mut self, app_key: &str, user: &str) -> Vec<SessionHandle> {
        self.online
            .remove(&(app_key.to_owned(), user.to_owned()))
            .unwrap_or_default()
    }

    /// Every online session, with its app key and user.
    pub(crate) fn all(&self) -> impl Iterator<Item = (&str, &str, &SessionHandle)> {
        self.online.iter().flat_map(|((app, user), list)| {
            list.iter().map(move |s| (app.as_str(), user.as_str(), s))
        })
    }
}
