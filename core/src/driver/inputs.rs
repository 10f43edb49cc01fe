//! The application's requests to the session while the driver runs.

use super::traits::SessionIo;
use crate::session::{MessageId, OutgoingMessage, SendError, State, StateError, TokenError};
use crate::time::Instant;

/// The session's inputs, handed to [`Application::requests`](super::Application::requests):
/// each call is applied at once and returns the session's answer; the driver drains the
/// outputs they cause as soon as `requests` returns.
pub struct Inputs<'a> {
    session: &'a mut dyn SessionIo,
    now: Instant,
    stop: bool,
}

impl<'a> Inputs<'a> {
    pub(super) fn new(session: &'a mut dyn SessionIo, now: Instant) -> Self {
        Self {
            session,
            now,
            stop: false,
        }
    }

    /// Starts logging in ([`Session::login`](crate::session::Session::login)).
    pub fn login(&mut self) -> Result<(), StateError> {
        self.session.login(self.now)
    }

    /// Queues a message ([`Session::send`](crate::session::Session::send)); its end comes
    /// later as [`Event::SendAcked`](crate::session::Event::SendAcked) or
    /// [`Event::SendFailed`](crate::session::Event::SendFailed) with the returned id.
    pub fn send(&mut self, message: &OutgoingMessage<'_>) -> Result<MessageId, SendError> {
        self.session.send(self.now, message)
    }

    /// Logs out ([`Session::logout`](crate::session::Session::logout)); `Event::Closed`
    /// follows.
    pub fn logout(&mut self) -> Result<(), StateError> {
        self.session.logout(self.now)
    }

    /// Hands over a new token
    /// ([`Session::renew_token`](crate::session::Session::renew_token)).
    pub fn renew_token(&mut self, token: &str, expires_in: Option<u64>) -> Result<(), TokenError> {
        self.session.renew_token(self.now, token, expires_in)
    }

    /// Makes [`Driver::run`](super::Driver::run) return once `requests` returns. The
    /// connection is dropped (log out first for a clean end); a later `run` tells the session
    /// and carries on.
    pub fn stop(&mut self) {
        self.stop = true;
    }

    /// The session's state.
    pub fn state(&self) -> State {
        self.session.state()
    }

    /// The newest token (to store it). A credential: keep it out of logs.
    pub fn token(&self) -> &str {
        self.session.token()
    }

    /// The time these inputs carry.
    pub fn now(&self) -> Instant {
        self.now
    }

    pub(super) fn stopped(&self) -> bool {
        self.stop
    }
}

impl core::fmt::Debug for Inputs<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Inputs")
            .field("now", &self.now)
            .field("stop", &self.stop)
            .finish_non_exhaustive()
    }
}
