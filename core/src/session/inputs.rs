//! Application inputs: `login`, `send`, `logout`, `renew_token`, `timeout`.

use super::error::{SendError, StateError, TokenError};
use super::frames;
use super::lifecycle::Notice;
use super::message::{MessageId, OutgoingMessage};
use super::outbox::Full;
use super::phase::{FinalFrame, Phase};
use super::token::MAX_TOKEN_LEN;
use super::transport::tx_needed;
use super::{CloseReason, Credential};
use crate::region::FrameEncoding;
use crate::time::Instant;

/// Bytes the SYNC envelope adds around a `CommSyncUL` of `len` bytes, trace id at its longest:
/// `command` (2), `payload` tag and length, `encrypt_type` (2), `trace_id` (2 + 10).
pub(super) fn sync_frame_len(len: usize) -> usize {
    let length_prefix = crate::wire::proto::varint_len(len as u64);
    len.saturating_add(2 + 1 + length_prefix + 2 + 12)
}

session_impl! {
    /// Starts logging in (also after [`Event::Closed`](super::Event::Closed)).
    pub fn login(&mut self, now: Instant) -> Result<(), StateError> {
        self.tick(now);
        if !matches!(self.phase, Phase::Idle | Phase::Closed(_)) {
            return Err(StateError::AlreadyStarted);
        }
        self.backoff.reset();
        self.hosts.redirect = None;
        if let Credential::Token(token) = self.config.credential
            && !self.tokens.has_token()
        {
            // Checked by `new`.
            self.tokens.set_next(token);
        }
        self.notify(Notice::Connecting);
        // A token handed over while the session was not running is checked now: it may warn,
        // or (known to have expired) end this login before anything is opened.
        self.token_timers(self.now);
        if matches!(self.phase, Phase::Idle | Phase::Closed(_)) {
            self.start_round();
        }
        Ok(())
    }

    /// Queues a message and returns its id; its end is reported once, by
    /// [`Event::SendAcked`](super::Event::SendAcked) or
    /// [`Event::SendFailed`](super::Event::SendFailed). Messages queued while offline go out
    /// after the next PROVISION, in order.
    pub fn send(&mut self, now: Instant, message: &OutgoingMessage<'_>) -> Result<MessageId, SendError> {
        self.tick(now);
        if matches!(self.phase, Phase::Closed(_) | Phase::Ending(_)) {
            return Err(SendError::SessionClosed);
        }
        if message.to.is_empty() {
            return Err(SendError::EmptyRecipient);
        }
        let id = match message.id {
            Some(id) if self.outbox.contains(id.get()) => return Err(SendError::DuplicateId),
            Some(id) => id,
            None => self.fresh_message_id(),
        };
        let Some(app_key) = self.hosts.app_key(self.config) else {
            return Err(SendError::AppKeyUnknown);
        };
        let space = self.outbox.free_space().map_err(|_| SendError::OutboxFull { slots: OUTBOX })?;
        let free = space.len();
        let len = match frames::encode_send(space, message, id.get(), app_key.as_str(), self.config.user) {
            Ok(len) => len,
            Err(too_small) if too_small.needed > OUTBOX_BYTES => {
                return Err(SendError::MessageTooLarge {
                    needed: too_small.needed,
                    capacity: OUTBOX_BYTES,
                });
            }
            Err(too_small) => {
                return Err(SendError::OutboxBytesFull {
                    needed: too_small.needed,
                    free,
                });
            }
        };
        let needed = tx_needed(sync_frame_len(len), self.send_encoding());
        if needed > TX {
            return Err(SendError::MessageTooLarge { needed, capacity: TX });
        }
        self.outbox.commit(id, len, self.now).map_err(|full| match full {
            Full::Slots => SendError::OutboxFull { slots: OUTBOX },
            Full::Bytes { free } => SendError::OutboxBytesFull { needed: len, free },
        })?;
        Ok(id)
    }

    /// An id no pending send uses.
    fn fresh_message_id(&mut self) -> MessageId {
        loop {
            let candidate = self.message_ids.next(self.now);
            if let Some(id) = MessageId::new(candidate)
                && !self.outbox.contains(candidate)
            {
                return id;
            }
        }
    }

    /// The frame encoding sends are checked against: the live gateway's, else the configured
    /// one (learnt gateways are never Alipay's, whose frames are the larger).
    fn send_encoding(&self) -> FrameEncoding {
        match &self.phase {
            Phase::Ws(link) => link.frame,
            _ => self
                .hosts
                .gateway(self.config, self.login_cursor.gateway)
                .map_or(FrameEncoding::Base64Text, |target| target.frame),
        }
    }

    /// Logs out: LOGOUT with [`Options::logout_reason`](super::Options::logout_reason) when
    /// online, a bounded wait for the reply, close, then [`Event::Closed`](super::Event::Closed)
    /// with [`CloseReason::LoggedOut`]. Pending sends fail first.
    pub fn logout(&mut self, now: Instant) -> Result<(), StateError> {
        self.tick(now);
        match self.phase {
            Phase::Idle | Phase::Closed(_) => Err(StateError::NotStarted),
            Phase::Ending(_) => Ok(()),
            ref phase => {
                let last = phase
                    .is_online()
                    .then_some(FinalFrame::Logout { token_expired: false });
                self.begin_end(CloseReason::LoggedOut, last);
                Ok(())
            }
        }
    }

    /// Hands over a new token, used from the next PROVISION on (also after a `Closed` with
    /// [`CloseReason::TokenExpired`]: then call [`login`](super::Session::login)).
    /// `expires_in` re-arms the expiry timers (read by magnitude: epoch ms, epoch s, or seconds
    /// from now); `None` disarms them.
    pub fn renew_token(
        &mut self,
        now: Instant,
        token: &str,
        expires_in: Option<u64>,
    ) -> Result<(), TokenError> {
        self.tick(now);
        if !super::token::is_valid_token(token) && token.len() <= MAX_TOKEN_LEN {
            return Err(TokenError::Invalid);
        }
        if !self.token_fits(token) || !self.tokens.set_next(token) {
            return Err(TokenError::TooLong);
        }
        match expires_in {
            Some(expires_in) => {
                self.tokens
                    .arm(self.now, expires_in, self.config.timings.token_warning_percent);
            }
            None => self.tokens.disarm(),
        }
        Ok(())
    }

    /// Whether a PROVISION with `token` fits the transmit buffer.
    pub(super) fn token_fits(&self, token: &str) -> bool {
        super::lifecycle::provision_frame_len(self.config, &self.resource, token.len()) <= TX
    }

    /// Time passed: call when the `until` of [`Output::Wait`](super::Output::Wait) is reached
    /// (early or repeated calls are harmless).
    pub fn timeout(&mut self, now: Instant) {
        self.tick(now);
    }
}
