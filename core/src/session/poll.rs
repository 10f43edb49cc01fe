//! `poll`: the next output. Planning (which may change state) and rendering (which borrows the
//! session's buffers for the returned output) are separate steps.

use core::ops::Range;

use super::emit::Emit;
use super::error::{CloseReason, LoginError, RejectReason, SendFailure};
use super::inbound::MetaKind;
use super::lifecycle::{EndProgress, Notice};
use super::message::{Kick, MessageId, Notification, Receipt, ReceivedMessage};
use super::outbox::Ended;
use super::output::{Event, Output, Remote, SocketId};
use super::phase::{Inbound, Phase, ServerText};
use crate::time::Instant;
use crate::wire::json::parse_rest_error;
use crate::wire::msync::{CommSyncDl, ErrorCode, MessageBody, Meta, MetaBody, Provision};

/// The planned output, with ranges instead of borrows.
enum Step {
    Close(SocketId),
    Open(SocketId),
    Transmit(SocketId, Range<usize>),
    Notice(Notice),
    Meta(Range<usize>, MetaKind),
    Rejected {
        id: MessageId,
        code: ErrorCode,
        payload: Range<usize>,
    },
    LoginFailed(LoginError, ServerText),
    Ended(MessageId, Ended),
    Closed(CloseReason),
    Wait(Option<Instant>),
}

session_impl! {
    /// The next output. Call after every input until it returns [`Output::Wait`]; the output
    /// borrows the session until the next call.
    pub fn poll(&mut self) -> Output<'_> {
        let step = self.plan();
        self.render(step)
    }

    fn plan(&mut self) -> Step {
        let mut overdue_handled = false;
        loop {
            if let Some(socket) = self.slot.take_close() {
                return Step::Close(socket);
            }
            if let Some(notice) = self.notices.pop_front() {
                return Step::Notice(notice);
            }
            match core::mem::take(&mut self.inbound) {
                Inbound::None => {}
                Inbound::Rejected { id, code, payload } => {
                    return Step::Rejected { id, code, payload };
                }
                Inbound::LoginFailed { error, text } => return Step::LoginFailed(error, text),
                Inbound::KeyAck { payload, key } => {
                    if let Some((socket, range)) = self.emit_unawaited_key_ack(payload, key) {
                        return Step::Transmit(socket, range);
                    }
                }
                batch @ Inbound::Batch(_) => {
                    self.inbound = batch;
                    match self.next_batch_meta() {
                        Some((range, kind)) => return Step::Meta(range, kind),
                        // The batch is done: its acknowledgement (or an ending) is due.
                        None => continue,
                    }
                }
            }
            if let Some(socket) = self.slot.take_open() {
                return Step::Open(socket);
            }
            match self.next_transmit() {
                Emit::Frame(range) => {
                    if let Some(socket) = self.slot.live() {
                        return Step::Transmit(socket, range);
                    }
                }
                Emit::Progressed => continue,
                Emit::Nothing => {}
            }
            if let Some((id, ended)) = self.outbox.take_ended() {
                return Step::Ended(id, ended);
            }
            match self.advance_ending() {
                EndProgress::Closed(reason) => return Step::Closed(reason),
                EndProgress::Progressed => continue,
                EndProgress::Idle => {}
            }
            let deadline = self.next_deadline();
            // An input can set a deadline that has already passed (a token expiry given as a
            // time before `now`). Handle it as `timeout` would, so that `Wait` never names a
            // deadline before the last input's `now`.
            if !overdue_handled && deadline.is_some_and(|deadline| deadline <= self.now) {
                overdue_handled = true;
                self.tick(self.now);
                continue;
            }
            return Step::Wait(deadline);
        }
    }

    fn render(&self, step: Step) -> Output<'_> {
        match step {
            Step::Close(socket) => Output::Close { socket },
            Step::Open(socket) => Output::Open {
                socket,
                remote: self.remote(),
            },
            Step::Transmit(socket, range) => Output::Transmit {
                socket,
                bytes: self.tx.get(range).unwrap_or_default(),
            },
            Step::Notice(notice) => Output::Event(match notice {
                Notice::Connecting => Event::Connecting,
                Notice::Online => Event::Online,
                Notice::Reconnecting {
                    attempt,
                    delay,
                    cause,
                } => Event::Reconnecting {
                    attempt,
                    delay,
                    cause,
                },
                Notice::TokenWillExpire { expires_at } => Event::TokenWillExpire { expires_at },
                Notice::TokenUpdated => Event::TokenUpdated,
                Notice::Capacity(error) => Event::Capacity(error),
            }),
            Step::Meta(range, kind) => Output::Event(self.meta_event(range, kind)),
            Step::Rejected { id, code, payload } => {
                let text = CommSyncDl::decode(self.rx.get(payload).unwrap_or_default())
                    .ok()
                    .and_then(|sync| sync.status)
                    .and_then(|status| status.reason)
                    .unwrap_or("");
                Output::Event(Event::SendFailed {
                    id,
                    error: SendFailure::Rejected {
                        code,
                        reason: RejectReason::classify(code, text),
                        text,
                    },
                })
            }
            Step::LoginFailed(error, text) => Output::Event(Event::LoginFailed {
                error,
                reason: self.server_text(text),
            }),
            Step::Ended(id, ended) => Output::Event(match ended {
                Ended::Acked {
                    server_id,
                    timestamp,
                } => Event::SendAcked {
                    id,
                    server_id,
                    timestamp,
                },
                Ended::TimedOut => Event::SendFailed {
                    id,
                    error: SendFailure::TimedOut,
                },
                Ended::WithSession(reason) => Event::SendFailed {
                    id,
                    error: SendFailure::SessionEnded(reason),
                },
                Ended::FrameTooLarge { needed } => Event::SendFailed {
                    id,
                    error: SendFailure::FrameTooLarge { needed },
                },
            }),
            Step::Closed(reason) => Output::Event(Event::Closed { reason }),
            Step::Wait(until) => Output::Wait { until },
        }
    }

    /// Where the live socket goes, from the phase that opened it.
    fn remote(&self) -> Remote<'_> {
        let (target, purpose) = match &self.phase {
            Phase::Http(http) => {
                let target = match http.kind {
                    super::phase::HttpKind::Bootstrap => self.hosts.bootstrap(self.config, http.index),
                    super::phase::HttpKind::Rest => self.hosts.rest(self.config, http.index),
                };
                (target, http.kind.purpose())
            }
            _ => (
                self.hosts.gateway(self.config, self.login_cursor.gateway),
                super::output::Purpose::Gateway,
            ),
        };
        match target {
            Some(target) => Remote {
                host: target.host,
                port: target.port,
                tls: target.tls,
                purpose,
            },
            // Unreachable: a socket is only opened for an existing target.
            None => Remote {
                host: "",
                port: 0,
                tls: true,
                purpose,
            },
        }
    }

    /// The event of a meta that `next_batch_meta` decoded and classified already.
    fn meta_event(&self, range: Range<usize>, kind: MetaKind) -> Event<'_> {
        let meta = Meta::decode(self.rx.get(range).unwrap_or_default()).unwrap_or_default();
        let body = meta.body().unwrap_or(MetaBody::Json(&[]));
        fn message(body: MetaBody<'_>) -> MessageBody<'_> {
            match body {
                MetaBody::Chat(body) => body,
                _ => MessageBody::EMPTY,
            }
        }
        match kind {
            MetaKind::Message => Event::Message(ReceivedMessage {
                meta,
                body: message(body),
            }),
            MetaKind::Receipt(kind) => Event::Receipt(Receipt {
                kind,
                message: ReceivedMessage {
                    meta,
                    body: message(body),
                },
            }),
            MetaKind::Notification => Event::Notification(Notification {
                meta,
                json: match body {
                    MetaBody::Json(json) => json,
                    _ => &[],
                },
            }),
            MetaKind::Kick(reason) => Event::Kicked(Kick {
                reason,
                body: match body {
                    MetaBody::Statistic(body) => body,
                    _ => Default::default(),
                },
            }),
        }
    }

    /// A refusal's text from the receive buffer ("" when absent or escaped).
    fn server_text(&self, text: ServerText) -> &str {
        match text {
            ServerText::Provision(range) => {
                Provision::decode(self.rx.get(range).unwrap_or_default())
                    .ok()
                    .and_then(|reply| reply.status)
                    .and_then(|status| status.reason)
                    .unwrap_or("")
            }
            ServerText::Rest(range) => parse_rest_error(self.rx.get(range).unwrap_or_default())
                .ok()
                .and_then(|error| error.error_description)
                .and_then(|description| description.as_str())
                .unwrap_or(""),
        }
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use std::format;
    use std::string::String;
    use std::vec::Vec;

    use super::super::{CloseReason, Config, Credential, DefaultSession, Output, State};
    use crate::app::{AppIdentity, AppKey};
    use crate::time::Instant;

    struct Fixed;
    impl rand_core::RngCore for Fixed {
        fn next_u32(&mut self) -> u32 {
            4
        }
        fn next_u64(&mut self) -> u64 {
            4
        }
        fn fill_bytes(&mut self, dst: &mut [u8]) {
            dst.fill(4);
        }
    }

    /// When the tests' sessions start.
    const START: Instant = Instant::from_millis(1_700_000_000_000);

    /// A token login to the Alipay preset.
    fn token_config() -> Config<'static> {
        let Ok(app) = AppKey::parse("org#app") else {
            panic!("a valid app key");
        };
        Config::new(
            AppIdentity::Key(app),
            "alice",
            Credential::Token("TOKEN"),
            "zfb_1700000000000",
        )
    }

    /// A session for `config` that called `login` at [`START`], its first outputs drained.
    fn logging_in<'c>(config: &'c Config<'c>) -> DefaultSession<'c, Fixed> {
        let Ok(mut session) = DefaultSession::new(config, Fixed, START) else {
            panic!("a valid configuration");
        };
        assert_eq!(session.login(START), Ok(()));
        drain(&mut session);
        session
    }

    /// Every output up to and including `Wait`, as text.
    fn drain(session: &mut DefaultSession<'_, Fixed>) -> Vec<String> {
        let mut outputs = Vec::new();
        loop {
            match session.poll() {
                Output::Wait { until } => {
                    outputs.push(format!("Wait {:?}", until.map(Instant::as_millis)));
                    return outputs;
                }
                other => outputs.push(format!("{other:?}")),
            }
        }
    }

    /// Found by the `session` fuzz target: `renew_token` with an expiry given as a Unix time
    /// already past armed deadlines before `now`, and `Wait` named them instead of the session
    /// handling them.
    #[test]
    fn an_expiry_already_past_is_handled_before_wait() {
        let config = token_config();
        let now = START;
        let mut session = logging_in(&config);
        let expired = 1_699_999_000_000;
        assert_eq!(session.renew_token(now, "RENEWED", Some(expired)), Ok(()));
        assert_eq!(
            drain(&mut session),
            [
                "Event(TokenWillExpire { expires_at: Instant(1699999000000) })",
                "Close { socket: socket#1 }",
                "Event(Closed { reason: TokenExpired })",
                "Wait None",
            ]
        );
        assert_eq!(session.state(), State::Closed(CloseReason::TokenExpired));
    }

    /// Found by the simulation (seed 93515 of 100 000): a token renewed after the session had
    /// closed armed its warning, and a later `timeout` reported `TokenWillExpire` from a closed
    /// session whose `Wait` had named no deadline.
    #[test]
    fn a_closed_session_reports_no_token_timers_until_login() {
        let config = token_config();
        let now = START;
        let mut session = logging_in(&config);
        assert_eq!(session.logout(now), Ok(()));
        drain(&mut session);
        assert_eq!(session.state(), State::Closed(CloseReason::LoggedOut));

        assert_eq!(session.renew_token(now, "RENEWED", Some(100)), Ok(()));
        assert_eq!(drain(&mut session), ["Wait None"]);
        let later = Instant::from_millis(now.as_millis() + 200_000);
        session.timeout(later);
        assert_eq!(drain(&mut session), ["Wait None"]);

        // Logging in again checks the token: known to have expired, it ends the login.
        assert_eq!(session.login(later), Ok(()));
        assert_eq!(
            drain(&mut session),
            [
                "Event(Connecting)",
                "Event(TokenWillExpire { expires_at: Instant(1700000100000) })",
                "Event(Closed { reason: TokenExpired })",
                "Wait None",
            ]
        );
    }
}
