//! The application and the peers: sends (1:1, group, to a peer that blocks the user; in
//! bursts that overflow the outbox), messages, notifications and kicks queued for the user,
//! token renewals, logouts in the middle of things and logins after `Closed`.

use msync_core::session::{
    CloseReason, LoginError, MessageId, OutgoingMessage, SendError, State, StateError,
};

use super::queues::{Item, OWN_QUEUE, SYSTEM_QUEUE};
use super::server::BLOCKING_PEER;
use super::world::{Ev, World};

impl<const O: usize, const Q: usize> World<'_, O, Q> {
    pub(crate) fn app_send(&mut self) {
        if !self.chaos {
            return;
        }
        let burst = self.plan.bursts && self.rng.chance(100);
        let count = if burst { self.rng.between(3, 14) } else { 1 };
        for _ in 0..count {
            self.texts += 1;
            let text = format!("s{}", self.texts);
            let (to, group) = match self.rng.below(100) {
                0..=59 => ("bob", false),
                60..=74 => ("carol", false),
                75..=93 => ("ops", true),
                _ => (BLOCKING_PEER, false),
            };
            let message = OutgoingMessage::text(to, &text);
            let message = if group { message.group() } else { message };
            let (message, duplicate) = self.maybe_own_id(message);
            let ending = |state| matches!(state, State::Closed(_) | State::LoggingOut);
            let ending_before = ending(self.session.state());
            let overdue = self.overdue();
            let result = self.session.send(self.instant(), &message);
            // A late driver: the call's own tick may have ended the session first.
            let ending = ending_before || (overdue && ending(self.session.state()));
            match result {
                Ok(id) => {
                    assert!(!ending_before, "send accepted by an ending session");
                    assert!(!duplicate, "send accepted the id of a pending send");
                    assert!(
                        message.id.is_none_or(|own| own == id),
                        "send changed the id"
                    );
                    self.note("app.send", id.get(), 0);
                    self.ledger.accepted(id.get(), to, &text);
                    self.count("app.sends_accepted");
                }
                Err(SendError::SessionClosed) if ending => {
                    self.count("app.sends_refused_closed");
                }
                Err(SendError::DuplicateId) if duplicate => {
                    self.count("app.sends_refused_duplicate_id");
                }
                Err(SendError::OutboxFull { .. } | SendError::OutboxBytesFull { .. }) => {
                    self.count("app.sends_refused_full");
                }
                Err(other) => panic!("send refused: {other:?}"),
            }
            self.drain(false);
        }
        if self.rng.chance(20) {
            self.stray_login();
        }
        let gap = self.rng.gap(self.plan.send_gap_ms);
        self.schedule(self.now + gap, Ev::AppSend);
    }

    /// `login` while the session runs: refused, and nothing changes.
    fn stray_login(&mut self) {
        if self.life.closed.is_some() {
            return;
        }
        let overdue = self.overdue();
        let result = self.session.login(self.instant());
        assert_eq!(
            result,
            Err(StateError::AlreadyStarted),
            "login while running"
        );
        self.count("app.logins_refused_running");
        self.drain(!overdue);
    }

    /// Now and then the application chooses the id: a fresh one, or (by mistake) the id of a
    /// send still pending, which `send` must refuse. Returns the message and whether its id is
    /// such a duplicate.
    fn maybe_own_id<'m>(&mut self, message: OutgoingMessage<'m>) -> (OutgoingMessage<'m>, bool) {
        match self.rng.below(100) {
            0..=3 => {
                let id = MessageId::new(self.rng.next() | 1).expect("non-zero");
                (message.with_id(id), false)
            }
            4 => match self.ledger.some_open_send(&mut self.rng) {
                Some(pending) => {
                    let id = MessageId::new(pending).expect("non-zero");
                    (message.with_id(id), true)
                }
                None => (message, false),
            },
            _ => (message, false),
        }
    }

    pub(crate) fn peer_message(&mut self) {
        if !self.chaos {
            return;
        }
        let count = if self.rng.chance(200) {
            self.rng.between(2, 9)
        } else {
            1
        };
        for _ in 0..count {
            self.texts += 1;
            let (queue, item) = match self.rng.below(100) {
                0..=59 => (
                    OWN_QUEUE,
                    Item::Chat {
                        from: (*self.rng.pick(&["bob", "dave"])).to_owned(),
                        group: None,
                        text: format!("p{}", self.texts),
                    },
                ),
                60..=79 => (
                    OWN_QUEUE,
                    Item::Chat {
                        from: "erin".to_owned(),
                        group: Some("ops".to_owned()),
                        text: format!("g{}", self.texts),
                    },
                ),
                80..=91 => (
                    SYSTEM_QUEUE,
                    Item::Notify {
                        json: format!(r#"{{"type":"sim","n":{}}}"#, self.texts),
                    },
                ),
                _ => (SYSTEM_QUEUE, Item::Info),
            };
            self.queue_for_user(queue, item);
        }
        let gap = self.rng.gap(self.plan.peer_gap_ms);
        self.schedule(self.now + gap, Ev::PeerMessage);
    }

    /// The server queues `item`; the NOTICEs go out to the online connections.
    pub(crate) fn queue_for_user(&mut self, queue: usize, item: Item) {
        let (server_id, notices) = self.server.enqueue(queue, item.clone(), self.now);
        self.note("peer.queued", server_id, queue as u64);
        self.ledger.queued(server_id, item);
        self.count("peer.metas_queued");
        for (g, down) in notices {
            self.note("srv.notice (socket, queue)", u64::from(g), queue as u64);
            self.send_down(g, down);
        }
    }

    /// Another device logs in: a kick for this one, through the system queue.
    pub(crate) fn kick(&mut self) {
        self.texts += 1;
        let marker = format!("kick-{}", self.texts);
        self.queue_for_user(SYSTEM_QUEUE, Item::Kick { marker });
        self.count("fault.kicks");
    }

    /// The application logs out in the middle of whatever is happening (and logs in again
    /// after `Closed`).
    pub(crate) fn restart(&mut self) {
        if self.life.closed.is_some() || self.life.logout_requested {
            return;
        }
        self.note("app.logout", 0, 0);
        match self.session.logout(self.instant()) {
            Ok(()) => {
                self.life.logout_requested = true;
                self.count("fault.app_logouts");
            }
            Err(error) => panic!("logout refused while running: {error:?}"),
        }
        self.drain(false);
    }

    /// The application obtains a fresh token and hands it over.
    pub(crate) fn renew(&mut self) {
        let (token, lifetime) = self.server.issue_token(self.now);
        self.note("app.renew", lifetime, 0);
        self.session
            .renew_token(self.instant(), &token, Some(lifetime))
            .expect("a valid token is accepted");
        self.count("app.token_renewals");
        self.drain(false);
    }

    /// After `Closed`: a new token if the old one expired, then `login`.
    pub(crate) fn relogin(&mut self) {
        let reason = self.life.closed.take().expect("closed before a new login");
        if matches!(
            reason,
            CloseReason::TokenExpired | CloseReason::LoginRejected(LoginError::TokenExpired)
        ) {
            let (token, lifetime) = self.server.issue_token(self.now);
            self.session
                .renew_token(self.instant(), &token, Some(lifetime))
                .expect("a valid token is accepted");
        }
        self.life.logout_requested = false;
        self.life.kicked = false;
        self.note("app.login", 0, 0);
        self.session
            .login(self.instant())
            .expect("login after Closed");
        self.count("app.logins_again");
        self.drain(false);
    }
}
