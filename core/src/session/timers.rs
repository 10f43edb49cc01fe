//! Deadlines: what is due next ([`Output::Wait`](super::Output::Wait)) and what happens when
//! time passes (PROTOCOL.md §9 timeouts, heartbeat, token expiry).

use super::config::Credential;
use super::error::{CloseReason, Disconnect};
use super::lifecycle::Notice;
use super::phase::{EndStep, FinalFrame, Phase, WsStage};
use crate::time::Instant;

session_impl! {
    /// Records `now` (never going backwards) and handles every deadline it reached.
    pub(super) fn tick(&mut self, now: Instant) {
        self.now = self.now.max(now);
        let now = self.now;
        let timings = self.config.timings;
        self.outbox.expire(now, timings.send_deadline);
        // A session that is not running waits for nothing (`Wait { until: None }`); a token
        // handed over meanwhile is checked when `login` starts it again.
        if !matches!(self.phase, Phase::Idle | Phase::Closed(_)) {
            self.token_timers(now);
        }
        match &mut self.phase {
            Phase::Backoff { until } if *until <= now => self.start_round(),
            Phase::Http(http) if http.deadline <= now => {
                let (kind, index) = (http.kind, http.index);
                self.http_failed(kind, index);
            }
            Phase::Ws(link) => match link.stage {
                WsStage::Opening { deadline } | WsStage::Handshake { deadline, .. }
                    if deadline <= now =>
                {
                    self.gateway_failed(Disconnect::OpenTimeout);
                }
                WsStage::Provisioning { deadline, .. } if deadline <= now => {
                    self.gateway_failed(Disconnect::ProvisionTimeout);
                }
                WsStage::Online => self.online_timers(now),
                _ => {}
            },
            Phase::Ending(ending) => {
                if let EndStep::AwaitLogoutReply { deadline } = ending.step
                    && deadline <= now
                {
                    ending.step = EndStep::Finish;
                }
            }
            _ => {}
        }
    }

    fn online_timers(&mut self, now: Instant) {
        let timings = self.config.timings;
        if self.heartbeat.dead_at(timings.dead_after) <= now {
            self.link_lost(Disconnect::DeadLink);
        } else if self
            .outbox
            .ack_deadline(timings.ack_timeout)
            .is_some_and(|deadline| deadline <= now)
            || self
                .pulls
                .deadline(timings.ack_timeout)
                .is_some_and(|deadline| deadline <= now)
        {
            self.link_lost(Disconnect::AckTimeout);
        } else if self.heartbeat.due(timings.heartbeat_interval) <= now {
            self.heartbeat.beat(now);
            self.due.unread = true;
        }
    }

    /// The token's timers: the warning fires once; at expiry a password login fetches a new
    /// token, a token login ends with [`CloseReason::TokenExpired`].
    pub(super) fn token_timers(&mut self, now: Instant) {
        let Some(expiry) = self.tokens.expiry() else {
            return;
        };
        if expiry.warn_at.is_some_and(|warn_at| warn_at <= now) {
            self.tokens.warned();
            self.notify(Notice::TokenWillExpire {
                expires_at: expiry.expires_at,
            });
        }
        if expiry.expires_at > now {
            return;
        }
        self.tokens.disarm();
        match (&self.phase, self.config.credential) {
            (Phase::Ending(_), _) => {}
            // A password login fetches a fresh token and logs in again.
            (_, Credential::Password(_)) => {
                self.tokens.clear();
                if matches!(self.phase, Phase::Ws(_)) {
                    self.drop_link();
                    self.start_round();
                }
            }
            (phase, Credential::Token(_)) => {
                let last = phase
                    .is_online()
                    .then_some(FinalFrame::Logout { token_expired: true });
                self.begin_end(CloseReason::TokenExpired, last);
            }
        }
    }

    /// The earliest deadline, for [`Output::Wait`](super::Output::Wait).
    pub(super) fn next_deadline(&self) -> Option<Instant> {
        let timings = &self.config.timings;
        let phase = match &self.phase {
            Phase::Idle | Phase::Closed(_) => return None,
            Phase::Backoff { until } => Some(*until),
            Phase::Http(http) => Some(http.deadline),
            Phase::Ws(link) => match link.stage {
                WsStage::Opening { deadline }
                | WsStage::Handshake { deadline, .. }
                | WsStage::Provisioning { deadline, .. } => Some(deadline),
                WsStage::Online => [
                    Some(self.heartbeat.due(timings.heartbeat_interval)),
                    Some(self.heartbeat.dead_at(timings.dead_after)),
                    self.outbox.ack_deadline(timings.ack_timeout),
                    self.pulls.deadline(timings.ack_timeout),
                ]
                .into_iter()
                .flatten()
                .min(),
            },
            Phase::Ending(ending) => match ending.step {
                EndStep::AwaitLogoutReply { deadline } => Some(deadline),
                _ => None,
            },
        };
        let expiry = self.tokens.expiry();
        [
            phase,
            self.outbox.send_deadline(timings.send_deadline),
            expiry.and_then(|e| e.warn_at),
            expiry.map(|e| e.expires_at),
        ]
        .into_iter()
        .flatten()
        .min()
    }
}
