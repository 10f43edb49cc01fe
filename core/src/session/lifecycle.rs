//! The life of a login: rounds of attempts, going online, losing the link, backing off, and
//! ending for good (PROTOCOL.md §7.1, §7.2, §7.12, §8.3).

use heapless::String;

use super::backoff::Backoff;
use super::config::{Config, Credential, EndpointConfig, OsKind};
use super::error::{CapacityError, CloseReason, ConfigError, Disconnect};
use super::frames::{self, Identity};
use super::hosts::{
    MAX_HOST_NAME_LEN, Target, configured_bootstrap, configured_gateway, configured_rest,
};
use super::login::{bootstrap_request, handshake_request, token_request};
use super::phase::{
    EndStep, Ending, FinalFrame, HttpExchange, HttpKind, HttpStage, Inbound, Phase, WsLink, WsStage,
};
use super::token::{MAX_TOKEN_LEN, is_valid_token};
use super::transport::tx_needed;
use super::{Due, MAX_RESOURCE_LEN};
use crate::app::MAX_APP_KEY_PART_LEN;
use crate::region::{FrameEncoding, GATEWAY_PATH};
use crate::time::{Duration, Instant};
use crate::wire::http::{RequestError, write_bootstrap_request, write_token_request};
use crate::wire::json::TOKEN_MARKER;
use crate::wire::proto::Encode;
use crate::wire::ws::write_handshake_request;

/// Owned events waiting for `poll`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Notice {
    Connecting,
    Online,
    Reconnecting {
        attempt: u32,
        delay: Duration,
        cause: Disconnect,
    },
    TokenWillExpire {
        expires_at: Instant,
    },
    TokenUpdated,
    Capacity(CapacityError),
}

/// What advancing an ending did.
pub(super) enum EndProgress {
    /// Nothing to do now.
    Idle,
    /// State changed; look for outputs again.
    Progressed,
    /// The session is closed: report it.
    Closed(CloseReason),
}

/// Checks `config` and returns the resource to start with.
pub(super) fn validate(
    config: &Config<'_>,
    tx_capacity: usize,
) -> Result<String<MAX_RESOURCE_LEN>, ConfigError> {
    if config.user.is_empty() {
        return Err(ConfigError::EmptyUser);
    }
    let bootstrap = match &config.endpoints {
        EndpointConfig::Bootstrap(bootstrap) => Some(bootstrap),
        _ => None,
    };
    if config.app.needs_bootstrap() && bootstrap.is_none() {
        return Err(ConfigError::AppIdNeedsBootstrap);
    }
    if bootstrap.is_some_and(|b| b.bases.is_empty()) {
        return Err(ConfigError::NoBootstrapBase);
    }
    let token_len = match config.credential {
        Credential::Token(token) if is_valid_token(token) => token.len(),
        Credential::Password(password) if !password.is_empty() => MAX_TOKEN_LEN,
        _ => return Err(ConfigError::InvalidCredential),
    };
    if let OsKind::Custom(value) = config.device.os
        && !(1..=100).contains(&value)
    {
        return Err(ConfigError::InvalidOsCustomValue);
    }
    let t = &config.timings;
    if t.socket_attempts == 0
        || t.heartbeat_interval.as_millis() == 0
        || t.dead_after.as_millis() == 0
        || t.ack_timeout.as_millis() == 0
    {
        return Err(ConfigError::InvalidTimings);
    }
    let resource = resource_of(config).ok_or(ConfigError::InvalidResource)?;
    let needed = provision_frame_len(config, &resource, token_len);
    if needed > tx_capacity {
        return Err(ConfigError::TransmitBufferTooSmall { needed });
    }
    if let Credential::Password(password) = config.credential {
        let needed = token_request_len(config, password);
        if needed > tx_capacity {
            return Err(ConfigError::TokenRequestTooLarge { needed });
        }
    }
    if bootstrap.is_some() {
        let needed = bootstrap_request_len(config);
        if needed > tx_capacity {
            return Err(ConfigError::BootstrapRequestTooLarge { needed });
        }
    }
    let needed = handshake_len(config)?;
    if needed > tx_capacity {
        return Err(ConfigError::HandshakeTooLarge { needed });
    }
    Ok(resource)
}

/// The configured resource, or `{device name}_{uuid}`, if valid (§6.4).
fn resource_of(config: &Config<'_>) -> Option<String<MAX_RESOURCE_LEN>> {
    let mut resource = String::new();
    match config.device.resource {
        Some(given) => resource.push_str(given).ok()?,
        None => {
            resource.push_str(config.device.name).ok()?;
            resource.push('_').ok()?;
            resource.push_str(config.device.uuid).ok()?;
        }
    }
    is_valid_resource(&resource).then_some(resource)
}

/// Non-empty, at most 128 bytes, no whitespace, `/` or `@`.
pub(super) fn is_valid_resource(resource: &str) -> bool {
    !resource.is_empty()
        && resource.len() <= MAX_RESOURCE_LEN
        && !resource
            .chars()
            .any(|c| c.is_whitespace() || c == '/' || c == '@' || c.is_control())
}

/// Stand-in text for parts learnt at run time (token, app key, host name), measured at their
/// longest.
const FILLER: &str = match core::str::from_utf8(&[b'a'; MAX_TOKEN_LEN + 3]) {
    Ok(text) => text,
    Err(_) => "",
};

/// Transmit-buffer bytes of the largest PROVISION this configuration can produce (base64
/// framing, a token of `token_len` bytes).
pub(super) fn provision_frame_len(config: &Config<'_>, resource: &str, token_len: usize) -> usize {
    // An App ID's app key is learnt later; count the longest one.
    let app_key_len = match config.app.app_key() {
        Some(key) => key.as_str().len(),
        None => 2 * MAX_APP_KEY_PART_LEN + 1,
    };
    let who = Identity {
        app_key: FILLER.get(..app_key_len).unwrap_or(FILLER),
        user: config.user,
        resource,
        auth: FILLER
            .get(..TOKEN_MARKER.len().saturating_add(token_len))
            .unwrap_or(FILLER),
        session_id: "18446744073709551615:",
    };
    let len = frames::with_provision(&who, &config.device, u64::MAX, |frame| frame.encoded_len());
    tx_needed(len, FrameEncoding::Base64Text)
}

/// The bytes a request writer reports it needs, asked with an empty buffer. A request it
/// refuses for another reason (an invalid configured host) fails at run time whatever the
/// buffer: 0.
fn needed(written: Result<usize, RequestError>) -> usize {
    match written {
        Err(RequestError::BufferTooSmall(too_small)) => too_small.needed,
        _ => 0,
    }
}

/// A host learnt at run time (from `server.json` or a REDIRECT), at its longest: measure a
/// request to it, then add [`LEARNT_HOST_EXTRA`]. Its one-letter name stands for one of
/// [`MAX_HOST_NAME_LEN`] bytes (a single label that long would not be a valid name); its port
/// is one that is always written.
fn learnt_host(path: &str) -> Target<'_> {
    Target {
        host: "a",
        port: u16::MAX,
        tls: true,
        path,
        frame: FrameEncoding::Binary,
    }
}

/// The bytes a [`learnt_host`]'s one-letter name lacks of the longest learnt name.
const LEARNT_HOST_EXTRA: usize = MAX_HOST_NAME_LEN - 1;

/// Transmit-buffer bytes of the largest password token request this configuration can
/// produce: to each configured REST host, or to a learnt one of the longest name with a port;
/// for the longest app key when it is learnt; with the longest timestamp.
pub(super) fn token_request_len(config: &Config<'_>, password: &str) -> usize {
    let part = FILLER.get(..MAX_APP_KEY_PART_LEN).unwrap_or(FILLER);
    let app_key = config
        .app
        .app_key()
        .map_or((part, part), |key| (key.org(), key.app()));
    let measure = |target: Target<'_>| {
        let request = token_request(config, target, app_key, password, u64::MAX);
        needed(write_token_request(&mut [], &request))
    };
    if let EndpointConfig::Bootstrap(_) = config.endpoints {
        return measure(learnt_host("")).saturating_add(LEARNT_HOST_EXTRA);
    }
    (0..)
        .map_while(|index| configured_rest(config, index))
        .map(measure)
        .max()
        .unwrap_or(0)
}

/// Transmit-buffer bytes of the largest bootstrap request (§3.1) this configuration can
/// produce: to each configured base, with the configured app key or App ID.
pub(super) fn bootstrap_request_len(config: &Config<'_>) -> usize {
    (0..)
        .map_while(|index| configured_bootstrap(config, index))
        .map(|target| {
            needed(write_bootstrap_request(
                &mut [],
                &bootstrap_request(config, target),
            ))
        })
        .max()
        .unwrap_or(0)
}

/// Transmit-buffer bytes of the largest WebSocket handshake (§5.1) this configuration can
/// produce, with its extra headers: to each configured gateway, and to a REDIRECT target or a
/// gateway learnt from `server.json` of the longest name with a port (a REDIRECT can come
/// whatever the endpoints). Headers the request writer refuses are a configuration error.
pub(super) fn handshake_len(config: &Config<'_>) -> Result<usize, ConfigError> {
    let measure = |target: Target<'_>| match write_handshake_request(
        &mut [],
        &handshake_request(config, target, [0; 16]),
    ) {
        Err(RequestError::InvalidHeader) => Err(ConfigError::InvalidHandshakeHeader),
        written => Ok(needed(written)),
    };
    let learnt = measure(learnt_host(GATEWAY_PATH))?.saturating_add(LEARNT_HOST_EXTRA);
    (0..)
        .map_while(|index| configured_gateway(config, index))
        .try_fold(learnt, |longest, target| Ok(longest.max(measure(target)?)))
}

session_impl! {
    /// Queues an owned event; the oldest is dropped (and counted) if the caller does not drain.
    pub(super) fn notify(&mut self, notice: Notice) {
        if self.notices.is_full() {
            self.notices.pop_front();
            self.stats.events_dropped = self.stats.events_dropped.saturating_add(1);
        }
        let _ = self.notices.push_back(notice);
    }

    /// A login round starts (after `login`, or when a backoff ends).
    pub(super) fn start_round(&mut self) {
        self.hosts.forget_expired(self.now);
        let cursor = &mut self.login_cursor;
        cursor.round_attempts = 0;
        cursor.redirect_hops = 0;
        cursor.visited.clear();
        cursor.refreshed_token = false;
        self.next_login_step();
    }

    /// Bootstrap if the hosts are unknown, REST if a password login has no token, else the
    /// gateway.
    pub(super) fn next_login_step(&mut self) {
        if self.hosts.needs_bootstrap(self.config) {
            self.open_http(HttpKind::Bootstrap, 0);
        } else if self.needs_rest_token() {
            self.open_http(HttpKind::Rest, 0);
        } else {
            self.open_gateway();
        }
    }

    pub(super) fn needs_rest_token(&self) -> bool {
        matches!(self.config.credential, Credential::Password(_)) && !self.tokens.has_token()
    }

    /// Opens a socket for an HTTP exchange with host `index` of its list, or fails the round
    /// when the list is used up.
    pub(super) fn open_http(&mut self, kind: HttpKind, index: usize) {
        let count = match kind {
            HttpKind::Bootstrap => self.hosts.bootstrap_count(self.config),
            HttpKind::Rest => self.hosts.rest_count(self.config),
        };
        if index >= count {
            self.schedule_reconnect(match kind {
                HttpKind::Bootstrap => Disconnect::BootstrapFailed,
                HttpKind::Rest => Disconnect::RestFailed,
            });
            return;
        }
        self.drop_link();
        self.slot.open();
        self.phase = Phase::Http(HttpExchange {
            kind,
            index,
            stage: HttpStage::Opening,
            deadline: self.now + self.config.timings.http_timeout,
        });
    }

    /// Opens a socket to the current gateway (a REDIRECT target first).
    pub(super) fn open_gateway(&mut self) {
        let Some(target) = self.hosts.gateway(self.config, self.login_cursor.gateway) else {
            // No gateway known (cannot happen once the bootstrap succeeded): fetch it again.
            self.hosts.forget();
            self.schedule_reconnect(Disconnect::BootstrapFailed);
            return;
        };
        let frame = target.frame;
        self.drop_link();
        self.slot.open();
        self.decoder.reset();
        self.phase = Phase::Ws(WsLink {
            stage: WsStage::Opening {
                deadline: self.now + self.config.timings.open_timeout,
            },
            frame,
        });
    }

    /// An HTTP exchange failed: try the next host of its list.
    pub(super) fn http_failed(&mut self, kind: HttpKind, index: usize) {
        self.drop_link();
        self.open_http(kind, index.saturating_add(1));
    }

    /// A gateway attempt failed before going online: the next gateway at once, until the
    /// round's attempts are used up, then back off.
    pub(super) fn gateway_failed(&mut self, cause: Disconnect) {
        self.drop_link();
        self.hosts.redirect = None;
        let cursor = &mut self.login_cursor;
        cursor.gateway = cursor.gateway.wrapping_add(1);
        cursor.round_attempts = cursor.round_attempts.saturating_add(1);
        if cursor.round_attempts < self.config.timings.socket_attempts {
            self.open_gateway();
        } else {
            self.schedule_reconnect(cause);
        }
    }

    /// The online link is gone or must be replaced (socket lost, dead link, ACK timeout).
    pub(super) fn link_lost(&mut self, cause: Disconnect) {
        self.drop_link();
        self.login_cursor.gateway = self.login_cursor.gateway.wrapping_add(1);
        self.schedule_reconnect(cause);
    }

    /// Retires the live socket. Everything that must survive stays: unacknowledged sends go
    /// back to the queue, active pull chains restart, a half-delivered batch is abandoned (the
    /// server re-delivers it; the dedupe window drops what was already handed out).
    pub(super) fn drop_link(&mut self) {
        self.slot.close();
        self.ws_ready = false;
        self.due = Due::default();
        self.outbox.requeue();
        self.pulls.restart_active();
        if let Inbound::Batch(_) | Inbound::KeyAck { .. } = self.inbound {
            self.inbound = Inbound::None;
        }
    }

    /// A round failed: back off before the next one, or give up.
    pub(super) fn schedule_reconnect(&mut self, cause: Disconnect) {
        self.drop_link();
        self.stats.failed_rounds = self.stats.failed_rounds.saturating_add(1);
        let policy = &self.config.reconnect;
        let Some(attempt) = self.backoff.fail(policy) else {
            let attempts = self.backoff.failures().saturating_sub(1);
            self.begin_end(CloseReason::GaveUp { attempts }, None);
            return;
        };
        let delay = Backoff::delay(policy, attempt, &mut self.rng);
        let refetch = policy.refetch_bootstrap_after;
        if refetch > 0 && attempt % refetch == 0 {
            self.hosts.forget();
        }
        self.phase = Phase::Backoff {
            until: self.now + delay,
        };
        self.notify(Notice::Reconnecting {
            attempt,
            delay,
            cause,
        });
    }

    /// PROVISION OK on the live socket.
    pub(super) fn go_online(&mut self) {
        if let Phase::Ws(link) = &mut self.phase {
            link.stage = WsStage::Online;
        }
        self.backoff.reset();
        let cursor = &mut self.login_cursor;
        cursor.round_attempts = 0;
        cursor.redirect_hops = 0;
        cursor.visited.clear();
        cursor.refreshed_token = false;
        let jitter_max = self.config.timings.heartbeat_jitter.as_millis();
        let jitter = self.rng.next_u64() % jitter_max.saturating_add(1);
        self.heartbeat.start(self.now, Duration::from_millis(jitter));
        self.due.unread = true;
        self.due.statistic = self.config.options.statistic_information;
        self.notify(Notice::Online);
    }

    /// Ends the session for `reason`, sending `last` first when the WebSocket is up.
    pub(super) fn begin_end(&mut self, reason: CloseReason, last: Option<FinalFrame>) {
        // A socket opened within this input (an overdue backoff's round) and not handed out
        // yet is forgotten: an ending session opens nothing (`poll` would announce it, with a
        // remote computed from the ending phase).
        if self.slot.open_pending() {
            self.drop_link();
        }
        let flush = last.filter(|_| self.ws_ready && self.slot.live().is_some());
        self.phase = Phase::Ending(Ending {
            reason,
            step: flush.map_or(EndStep::Finish, EndStep::Flush),
        });
    }

    /// Moves an ending along: close and fail what is pending, then report once every send's
    /// event is out.
    pub(super) fn advance_ending(&mut self) -> EndProgress {
        let Phase::Ending(ending) = &mut self.phase else {
            return EndProgress::Idle;
        };
        let reason = ending.reason;
        match ending.step {
            EndStep::Flush(_) | EndStep::AwaitLogoutReply { .. } => EndProgress::Idle,
            EndStep::Finish => {
                ending.step = EndStep::Report;
                self.drop_link();
                self.outbox.fail_all(reason);
                self.tokens.disarm();
                EndProgress::Progressed
            }
            EndStep::Report => {
                if self.outbox.has_ended() {
                    return EndProgress::Idle;
                }
                self.phase = Phase::Closed(reason);
                EndProgress::Closed(reason)
            }
        }
    }
}
