//! What each event the session hands out means for the invariants: sends ending, messages,
//! notifications and kicks arriving, state changes; anything unexpected fails the seed.

use msync_core::session::{CapacityError, CloseReason, Disconnect, Event, LoginError};

use super::ledger::{Ledger, Outcome};
use super::plan::Plan;
use super::server::Server;
use super::world::Counts;

/// What handling an event changed for the world.
pub(crate) enum EventEffect {
    None,
    Reconnecting,
    Acked,
    Kicked,
    TokenWillExpire,
    Closed(CloseReason),
}

/// The parts of the world an event touches (disjoint from the session, which the event
/// borrows).
pub(crate) struct Books<'w> {
    pub(crate) ledger: &'w mut Ledger,
    pub(crate) counts: &'w mut Counts,
    pub(crate) server: &'w Server,
    pub(crate) plan: &'w Plan,
    /// The session's queue slots.
    pub(crate) queue_slots: usize,
}

impl Books<'_> {
    fn count(&mut self, name: &'static str) {
        *self.counts.entry(name).or_default() += 1;
    }

    pub(crate) fn event(mut self, event: &Event<'_>) -> EventEffect {
        match event {
            Event::Connecting => self.count("event.connecting"),
            Event::Online => self.count("event.online"),
            Event::Reconnecting { delay, cause, .. } => {
                assert!(
                    delay.as_millis() <= 10_000,
                    "backoff {delay:?} beyond the last tier"
                );
                self.count(cause_name(cause));
                return EventEffect::Reconnecting;
            }
            Event::Closed { reason } => return EventEffect::Closed(*reason),
            Event::Message(message) => {
                self.ledger.message(message);
                self.count("event.messages");
            }
            Event::Notification(notification) => {
                let id = notification.meta.id.unwrap_or(0);
                self.ledger.notification(id, notification.json);
                self.count("event.notifications");
            }
            Event::Kicked(kick) => {
                self.ledger.kick(kick.detail().unwrap_or(""));
                self.count("event.kicks");
                return EventEffect::Kicked;
            }
            Event::SendAcked { id, server_id, .. } => {
                let record = self.server.sends.get(&id.get());
                self.ledger
                    .ended(id.get(), Outcome::Acked, Some(*server_id), record);
                return EventEffect::Acked;
            }
            Event::SendFailed { id, error } => {
                let record = self.server.sends.get(&id.get());
                self.ledger
                    .ended(id.get(), Outcome::of(error), None, record);
            }
            Event::TokenWillExpire { .. } => {
                self.count("event.token_will_expire");
                return EventEffect::TokenWillExpire;
            }
            Event::TokenUpdated => self.count("event.token_updated"),
            Event::Capacity(CapacityError::QueueTableFull { slots })
                if *slots == self.queue_slots && self.queue_slots < 2 =>
            {
                self.count("event.queue_table_full");
            }
            Event::LoginFailed {
                error: LoginError::TokenExpired,
                ..
            } if self.plan.server.rotates_tokens && !self.plan.uses_password() => {
                self.count("event.login_failed_token_expired");
            }
            other => panic!("unexpected event {other:?}"),
        }
        EventEffect::None
    }
}

fn cause_name(cause: &Disconnect) -> &'static str {
    match cause {
        Disconnect::Transport(_) => "reconnect.transport",
        Disconnect::OpenTimeout => "reconnect.open_timeout",
        Disconnect::HandshakeFailed => "reconnect.handshake_failed",
        Disconnect::ProvisionTimeout => "reconnect.provision_timeout",
        Disconnect::ProtocolError => "reconnect.protocol_error",
        Disconnect::ServerClosed => "reconnect.server_closed",
        Disconnect::DeadLink => "reconnect.dead_link",
        Disconnect::AckTimeout => "reconnect.ack_timeout",
        Disconnect::FrameTooLarge => "reconnect.frame_too_large",
        Disconnect::BootstrapFailed => "reconnect.bootstrap_failed",
        Disconnect::RestFailed => "reconnect.rest_failed",
        Disconnect::RedirectLimit => "reconnect.redirect_limit",
        Disconnect::TokenRefresh => "reconnect.token_refresh",
    }
}

/// A short name for the trace.
pub(crate) fn event_tag(event: &Event<'_>) -> &'static str {
    match event {
        Event::Connecting => "ev.connecting",
        Event::Online => "ev.online",
        Event::Reconnecting { .. } => "ev.reconnecting",
        Event::Closed { .. } => "ev.closed",
        Event::LoginFailed { .. } => "ev.login_failed",
        Event::Message(_) => "ev.message",
        Event::Receipt(_) => "ev.receipt",
        Event::Notification(_) => "ev.notification",
        Event::SendAcked { .. } => "ev.send_acked",
        Event::SendFailed { .. } => "ev.send_failed",
        Event::Kicked(_) => "ev.kicked",
        Event::TokenWillExpire { .. } => "ev.token_will_expire",
        Event::TokenUpdated => "ev.token_updated",
        Event::Capacity(_) => "ev.capacity",
    }
}

/// The number the trace shows with an event.
pub(crate) fn event_number(event: &Event<'_>) -> u64 {
    match event {
        Event::Message(m) => m.server_id(),
        Event::Notification(n) => n.meta.id.unwrap_or(0),
        Event::SendAcked { id, .. } | Event::SendFailed { id, .. } => id.get(),
        Event::Reconnecting { attempt, .. } => u64::from(*attempt),
        _ => 0,
    }
}
