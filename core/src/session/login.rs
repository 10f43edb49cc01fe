//! Login exchanges: the bootstrap and REST requests and replies (§3, §4), the WebSocket
//! handshake request, and the PROVISION reply with its status table and REDIRECT (§7.2, §7.3).

use core::ops::Range;

use super::config::{Config, Credential, EndpointConfig};
use super::error::{CapacityError, CloseReason, Disconnect, LoginError};
use super::hosts::{HostEntry, Target};
use super::lifecycle::Notice;
use super::phase::{HttpKind, Inbound, Phase, ServerText, WsLink, WsStage};
use super::token::MAX_TOKEN_LEN;
use crate::wire::http::{
    Authority, BootstrapRequest, RequestError, TokenRequest, write_bootstrap_request,
    write_token_request,
};
use crate::wire::json::{
    PasswordGrant, SelectOptions, parse_auth_token_reply, parse_rest_error, parse_server_json,
    parse_token_response,
};
use crate::wire::msync::{CompressType, ErrorCode, Provision};
use crate::wire::ws::{HandshakeRequest, write_handshake_request};

/// Why a request could not be written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum WriteError {
    /// The host list entry is gone (cannot happen while the phase stands).
    NoTarget,
    /// The request writer refused (buffer, host, path).
    Request(RequestError),
}

impl From<RequestError> for WriteError {
    fn from(error: RequestError) -> Self {
        WriteError::Request(error)
    }
}

/// A token's text, unescaped into `buf`.
fn unescape_token<'b>(
    token: &crate::wire::json::JsonStr<'_>,
    buf: &'b mut [u8; MAX_TOKEN_LEN],
) -> Option<&'b str> {
    token.unescape_into(buf).ok()
}

/// The password token request to `target` for the app key `(org, app)` (§4.2).
pub(super) fn token_request<'a>(
    config: &'a Config<'a>,
    target: Target<'a>,
    (org, app): (&'a str, &'a str),
    password: &'a str,
    timestamp_ms: u64,
) -> TokenRequest<'a> {
    TokenRequest {
        authority: Authority::new(target.host, target.port, target.tls),
        base_path: target.path,
        org,
        app,
        grant: PasswordGrant {
            username: config.user,
            password,
            timestamp_ms,
            ttl: config.options.token_ttl,
        },
        accept_json: false,
    }
}

/// The bootstrap request to `target` (§3.1).
pub(super) fn bootstrap_request<'a>(
    config: &'a Config<'a>,
    target: Target<'a>,
) -> BootstrapRequest<'a> {
    BootstrapRequest {
        authority: Authority::new(target.host, target.port, target.tls),
        base_path: target.path,
        app: config.app.into(),
        file_version: None,
        sdk_version: None,
        accept_json: true,
    }
}

/// The WebSocket upgrade request to `target` (§5.1).
pub(super) fn handshake_request<'a>(
    config: &'a Config<'a>,
    target: Target<'a>,
    key: [u8; 16],
) -> HandshakeRequest<'a> {
    HandshakeRequest {
        authority: Authority::new(target.host, target.port, target.tls),
        path: target.path,
        key,
        extra_headers: config.options.handshake_headers,
    }
}

session_impl! {
    /// Writes the HTTP request of exchange `kind` with host `index` into the transmit buffer.
    pub(super) fn write_http_request(
        &mut self,
        kind: HttpKind,
        index: usize,
    ) -> Result<usize, WriteError> {
        let config = self.config;
        match kind {
            HttpKind::Bootstrap => {
                let target = self.hosts.bootstrap(config, index).ok_or(WriteError::NoTarget)?;
                let request = bootstrap_request(config, target);
                Ok(write_bootstrap_request(&mut self.tx, &request)?)
            }
            HttpKind::Rest => {
                let target = self.hosts.rest(config, index).ok_or(WriteError::NoTarget)?;
                let app_key = self.hosts.app_key(config).ok_or(WriteError::NoTarget)?;
                let Credential::Password(password) = config.credential else {
                    return Err(WriteError::NoTarget);
                };
                let parts = (app_key.org(), app_key.app());
                let request = token_request(config, target, parts, password, self.now.as_millis());
                Ok(write_token_request(&mut self.tx, &request)?)
            }
        }
    }

    /// Writes the WebSocket upgrade request for the current gateway.
    pub(super) fn write_handshake(&mut self, key: [u8; 16]) -> Result<usize, WriteError> {
        let config = self.config;
        let target = self
            .hosts
            .gateway(config, self.login_cursor.gateway)
            .ok_or(WriteError::NoTarget)?;
        let request = handshake_request(config, target, key);
        Ok(write_handshake_request(&mut self.tx, &request)?)
    }

    /// A complete HTTP response of exchange `kind` with host `index`; `body` in the receive
    /// buffer.
    pub(super) fn http_response(
        &mut self,
        kind: HttpKind,
        index: usize,
        status: u16,
        body: Option<Range<usize>>,
    ) {
        let body = body.unwrap_or(0..0);
        match kind {
            HttpKind::Bootstrap => self.bootstrap_response(index, status, body),
            HttpKind::Rest => self.rest_response(index, status, body),
        }
    }

    fn bootstrap_response(&mut self, index: usize, status: u16, body: Range<usize>) {
        let allow_plain = match &self.config.endpoints {
            EndpointConfig::Bootstrap(bootstrap) => bootstrap.allow_plain,
            _ => false,
        };
        let need_app_key = self.config.app.needs_bootstrap();
        let need_rest = self.needs_rest_token();
        let skipped_before = self.hosts.skipped;
        let learned = status == 200
            && parse_server_json::<{ super::MAX_LEARNED_HOSTS }>(
                self.rx.get(body).unwrap_or_default(),
                SelectOptions { allow_plain },
            )
            .is_ok_and(|doc| self.hosts.learn(&doc, need_app_key, need_rest).is_ok());
        if self.hosts.skipped != skipped_before {
            self.notify(Notice::Capacity(CapacityError::HostNameTooLong));
        }
        if learned {
            self.drop_link();
            self.next_login_step();
        } else {
            self.http_failed(HttpKind::Bootstrap, index);
        }
    }

    fn rest_response(&mut self, index: usize, status: u16, body: Range<usize>) {
        let bytes = self.rx.get(body.clone()).unwrap_or_default();
        match status {
            200 => {
                let mut buf = [0u8; MAX_TOKEN_LEN];
                let Ok(reply) = parse_token_response(bytes) else {
                    self.http_failed(HttpKind::Rest, index);
                    return;
                };
                if reply.user_activated == Some(false) {
                    self.refuse_login(LoginError::UserNotActivated, None);
                    return;
                }
                let expires_in = reply.expires_in;
                let adopted = unescape_token(&reply.access_token(), &mut buf)
                    .is_some_and(|token| self.adopt_token(token));
                if !adopted {
                    self.notify(Notice::Capacity(CapacityError::TokenTooLong));
                    self.http_failed(HttpKind::Rest, index);
                    return;
                }
                if let Some(expires_in) = expires_in {
                    let percent = self.config.timings.token_warning_percent;
                    self.tokens.arm(self.now, expires_in, percent);
                }
                self.notify(Notice::TokenUpdated);
                self.drop_link();
                self.open_gateway();
            }
            400 | 401 | 404 => {
                let error = match parse_rest_error(bytes) {
                    Ok(rest) => {
                        let description = rest.error_description.map_or("", |d| d.raw());
                        LoginError::from_rest(status, description)
                    }
                    Err(_) => LoginError::RestRefused { status },
                };
                self.refuse_login(error, Some(ServerText::Rest(body)));
            }
            _ => self.http_failed(HttpKind::Rest, index),
        }
    }

    /// Stores a token for the next PROVISION if it is valid and its PROVISION fits.
    pub(super) fn adopt_token(&mut self, token: &str) -> bool {
        self.token_fits(token) && self.tokens.set_next(token)
    }

    /// Ends the session for a refused login, reporting the server's text when there is one.
    fn refuse_login(&mut self, error: LoginError, text: Option<ServerText>) {
        if let Some(text) = text {
            self.inbound = Inbound::LoginFailed { error, text };
        }
        self.begin_end(CloseReason::LoginRejected(error), None);
    }

    /// The PROVISION reply (§7.2, §7.3) whose body is at `payload`.
    pub(super) fn on_provision_reply(&mut self, payload: Range<usize>) {
        let awaiting = matches!(
            self.phase,
            Phase::Ws(WsLink {
                stage: WsStage::Provisioning { sent: true, .. },
                ..
            })
        );
        if !awaiting {
            return;
        }
        let Ok(reply) = Provision::decode(self.rx.get(payload.clone()).unwrap_or_default()) else {
            self.stats.malformed_frames = self.stats.malformed_frames.saturating_add(1);
            self.socket_failed(Disconnect::ProtocolError);
            return;
        };
        let status = reply.status.unwrap_or_default();
        match status.code() {
            ErrorCode::OK => {
                // LZ4 (or anything) was never offered: a selection is a protocol error (§5.4).
                let unrequested = reply
                    .protocol_compress_type
                    .iter()
                    .any(|kind| kind != CompressType::COMPRESS_NONE);
                if unrequested {
                    self.socket_failed(Disconnect::ProtocolError);
                    return;
                }
                let resource_fits = match reply.resource {
                    Some(resource) if resource != self.resource.as_str() => {
                        adopt_text(&mut self.resource, resource, super::lifecycle::is_valid_resource)
                    }
                    _ => true,
                };
                if let Some(session_id) = reply.session_id {
                    adopt_text(&mut self.session_id, session_id, |s| !s.is_empty());
                }
                let auth = reply
                    .auth_token
                    .and_then(|bytes| bytes.as_raw())
                    .and_then(|json| parse_auth_token_reply(json).ok());
                let mut buf = [0u8; MAX_TOKEN_LEN];
                let rotated = auth
                    .and_then(|auth| auth.token())
                    .map(|token| unescape_token(&token, &mut buf));
                let expires_in = auth.and_then(|auth| auth.expires_in);
                let token_ok = match rotated {
                    Some(Some(token)) => Some(self.token_fits(token) && self.tokens.set_next(token)),
                    Some(None) => Some(false),
                    None => None,
                };
                if !resource_fits {
                    self.notify(Notice::Capacity(CapacityError::ResourceTooLong));
                }
                match token_ok {
                    Some(true) => self.notify(Notice::TokenUpdated),
                    Some(false) => self.notify(Notice::Capacity(CapacityError::TokenTooLong)),
                    None => {}
                }
                if let Some(expires_in) = expires_in {
                    let percent = self.config.timings.token_warning_percent;
                    self.tokens.arm(self.now, expires_in, percent);
                }
                self.go_online();
            }
            ErrorCode::REDIRECT => {
                let tls = self
                    .hosts
                    .gateway(self.config, self.login_cursor.gateway)
                    .is_none_or(|target| target.tls);
                let target = status.redirect_info.first().and_then(|info| {
                    let port = u16::try_from(info.port.unwrap_or(443)).ok()?;
                    HostEntry::new(info.host?, port, tls)
                });
                self.follow_redirect(target);
            }
            code => {
                let error = LoginError::from_provision(code, status.reason.unwrap_or(""));
                let refresh = error == LoginError::TokenExpired
                    && matches!(self.config.credential, Credential::Password(_))
                    && !self.login_cursor.refreshed_token;
                if refresh {
                    // A password login fetches a fresh token once per round.
                    self.login_cursor.refreshed_token = true;
                    self.tokens.clear();
                    self.open_http(HttpKind::Rest, 0);
                } else {
                    self.refuse_login(error, Some(ServerText::Provision(payload)));
                }
            }
        }
    }

    /// REDIRECT: open the target (bounded hops, no loops), else fail the round.
    fn follow_redirect(&mut self, target: Option<HostEntry>) {
        let Some(target) = target else {
            self.notify(Notice::Capacity(CapacityError::HostNameTooLong));
            self.hosts.redirect = None;
            self.schedule_reconnect(Disconnect::RedirectLimit);
            return;
        };
        let cursor = &mut self.login_cursor;
        let fingerprint = target.fingerprint();
        let allowed = cursor.redirect_hops < self.config.reconnect.max_redirects
            && !cursor.visited.contains(&fingerprint)
            && cursor.visited.push(fingerprint).is_ok();
        if !allowed {
            self.hosts.redirect = None;
            self.schedule_reconnect(Disconnect::RedirectLimit);
            return;
        }
        cursor.redirect_hops = cursor.redirect_hops.saturating_add(1);
        self.hosts.redirect = Some(target);
        self.open_gateway();
    }
}

/// Replaces `stored` with `text` if it fits and passes `valid`; `false` otherwise.
fn adopt_text<const N: usize>(
    stored: &mut heapless::String<N>,
    text: &str,
    valid: impl Fn(&str) -> bool,
) -> bool {
    if !valid(text) || text.len() > N {
        return false;
    }
    stored.clear();
    stored.push_str(text).is_ok()
}
