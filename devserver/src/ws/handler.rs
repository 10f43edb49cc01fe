//! The msync side of one connection, without I/O: each decoded up frame becomes a list of
//! [`Action`]s (frames to send, closes) and changes to the shared state.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::route::{deliver, route};
use crate::frames::{
    USER_DOMAIN, ack, auth_token_json, command_of, decode_body, delivered_meta, drained, jid, kick,
    logout_ok, nack, provision_ok, provision_redirect, provision_refused, status, sync_status,
    unread_reply, unread_status,
};
use crate::hub::{Outbound, SessionHandle};
use crate::ids::now_ms;
use crate::pb::{
    CommSyncUl, Jid, Logout, MSync, Meta, Provision, StatisticsBody, m_sync::Command,
    meta::NameSpace, status::ErrorCode,
};
use crate::shared::{Shared, lock};
use crate::store::{FirstAck, Subject, TokenCheck};

/// Reasons the SDKs match on (PROTOCOL.md §7.3).
const TOKEN_EXPIRED: &str = "Sorry, token expired";
const BAD_TOKEN: &str = "Sorry, token or password does not match login info";
const USER_NOT_FOUND: &str = "Sorry, user not found";
/// Longest resource accepted.
const MAX_RESOURCE: usize = 128;

/// What the I/O loop must do after a frame.
#[derive(Debug)]
pub(crate) enum Action {
    /// Send a frame now.
    Send(MSync),
    /// Send a frame after a delay (fault injection).
    SendLater(MSync, Duration),
    /// Send a close frame and end the connection.
    Close(u16, String),
    /// Close after the kick grace period unless the client closes first.
    CloseSoon,
}

/// Who is logged in on this connection.
#[derive(Clone, Debug)]
pub(crate) struct Login {
    pub(crate) app_key: String,
    pub(crate) user: String,
    pub(crate) resource: String,
    pub(crate) session_id: String,
}

/// Where the connection is in its life.
#[derive(Debug)]
pub(crate) enum Phase {
    /// Waiting for a successful PROVISION.
    Anonymous,
    /// Logged in.
    Online(Login),
    /// Kicked: answers nothing that changes state, and closes soon.
    Kicked(Login),
    /// Logged out.
    Closed,
}

/// The msync state of one connection.
#[derive(Debug)]
pub(crate) struct Handler {
    pub(crate) shared: Arc<Shared>,
    pub(crate) connection: u64,
    pub(crate) phase: Phase,
    tx: mpsc::Sender<Outbound>,
    kill: CancellationToken,
}

fn refuse(code: ErrorCode, reason: &str) -> Vec<Action> {
    vec![Action::Send(provision_refused(status(code, reason)))]
}

/// The token in a PROVISION: `auth_token` JSON `token`, else the envelope `auth`; the `$t$`
/// marker is optional.
fn presented_token(frame: &MSync, body: &Provision) -> Option<String> {
    let from_json = body.auth_token.as_deref().and_then(|raw| {
        match serde_json::from_slice::<serde_json::Value>(raw) {
            Ok(v) => v.get("token").and_then(|t| t.as_str()).map(str::to_owned),
            Err(_) => std::str::from_utf8(raw).ok().map(str::to_owned),
        }
    });
    let token = from_json
        .filter(|t| !t.is_empty())
        .or_else(|| frame.auth.clone())?;
    let token = token.strip_prefix("$t$").unwrap_or(&token).to_owned();
    (!token.is_empty()).then_some(token)
}

fn legal_resource(resource: &str) -> bool {
    !resource.is_empty()
        && resource.len() <= MAX_RESOURCE
        && !resource
            .chars()
            .any(|c| c.is_whitespace() || c == '/' || c == '@')
}

impl Handler {
    /// A handler for a new connection; `tx` and `kill` reach its I/O loop.
    pub(crate) fn new(
        shared: Arc<Shared>,
        connection: u64,
        tx: mpsc::Sender<Outbound>,
        kill: CancellationToken,
    ) -> Self {
        Self {
            shared,
            connection,
            phase: Phase::Anonymous,
            tx,
            kill,
        }
    }

    /// The login of this connection, if any (also once kicked).
    pub(crate) fn login(&self) -> Option<&Login> {
        match &self.phase {
            Phase::Online(login) | Phase::Kicked(login) => Some(login),
            Phase::Anonymous | Phase::Closed => None,
        }
    }

    /// Handles one decoded up frame.
    pub(crate) fn on_frame(&mut self, frame: &MSync) -> Vec<Action> {
        if frame.compress_algorimth.unwrap_or(0) != 0 {
            return vec![Action::Close(
                1003,
                "compressed frames are not accepted".into(),
            )];
        }
        match command_of(frame) {
            Some(Command::Provision) => self.provision(frame),
            Some(Command::Unread) => self.unread(),
            Some(Command::Sync) => self.sync(frame),
            Some(Command::Logout) => self.logout(frame),
            Some(Command::Notice) | None => vec![Action::Close(
                1008,
                format!(
                    "UNKNOWN_COMMAND {}",
                    crate::frames::command_name(frame.command)
                ),
            )],
        }
    }

    /// The session was kicked by another login or a forced disconnect.
    pub(crate) fn on_kick(&mut self, body: &StatisticsBody) -> Vec<Action> {
        let Phase::Online(login) = std::mem::replace(&mut self.phase, Phase::Closed) else {
            return Vec::new();
        };
        let queue = jid(&login.app_key, &login.user, USER_DOMAIN);
        let id = self.shared.ids.next();
        let frame = kick(queue, id, now_ms(), body, id);
        self.phase = Phase::Kicked(login);
        vec![Action::Send(frame), Action::CloseSoon]
    }

    /// Unregisters the connection (on close).
    pub(crate) fn on_close(&mut self) {
        if let Phase::Online(login) = std::mem::replace(&mut self.phase, Phase::Closed) {
            lock(&self.shared.state)
                .hub
                .remove(&login.app_key, &login.user, self.connection);
        }
    }

    fn provision(&mut self, frame: &MSync) -> Vec<Action> {
        match self.phase {
            Phase::Anonymous => {}
            Phase::Online(_) => return refuse(ErrorCode::WrongParameter, "already logged in"),
            Phase::Kicked(_) | Phase::Closed => {
                return vec![Action::Close(1008, "session ended".into())];
            }
        }
        let body: Provision = match decode_body(frame.payload.as_deref()) {
            Ok(body) => body,
            Err(problem) => return vec![Action::Send(provision_refused(problem))],
        };
        if let Some(redirect) = lock(&self.shared.faults).take_redirect() {
            return vec![Action::Send(provision_redirect(
                &redirect.host,
                redirect.port,
            ))];
        }
        let guid = frame.guid.clone().unwrap_or_default();
        let app_key = guid.app_key.clone().unwrap_or_default();
        let user = guid.name.clone().unwrap_or_default();
        if app_key.is_empty() || user.is_empty() {
            return refuse(
                ErrorCode::MissingParameter,
                "guid with app_key and name required",
            );
        }
        let Some(token) = presented_token(frame, &body) else {
            return refuse(ErrorCode::MissingParameter, "token required");
        };
        let resource = body
            .resource
            .clone()
            .or(guid.client_resource.clone())
            .filter(|r| !r.is_empty())
            .unwrap_or_else(|| format!("devserver_{}", self.connection));
        if !legal_resource(&resource) {
            return refuse(ErrorCode::WrongParameter, "illegal resource");
        }
        let session_id = body
            .session_id
            .clone()
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| format!("{}:{}", now_ms(), self.connection));

        let mut state = lock(&self.shared.state);
        let user_known = state
            .apps
            .get(&app_key)
            .is_some_and(|app| app.users.contains_key(&user));
        if !user_known {
            return refuse(ErrorCode::Fail, USER_NOT_FOUND);
        }
        let is_theirs = |info: &crate::store::TokenInfo| {
            info.app_key == app_key && info.subject == Subject::User(user.clone())
        };
        let expires_at_ms = match state.check_token(&token) {
            TokenCheck::Valid(info) if is_theirs(&info) => info.expires_at_ms,
            TokenCheck::Expired(info) if is_theirs(&info) => {
                return refuse(ErrorCode::Fail, TOKEN_EXPIRED);
            }
            _ => return refuse(ErrorCode::Fail, BAD_TOKEN),
        };
        if let Some(u) = state
            .apps
            .get_mut(&app_key)
            .and_then(|a| a.users.get_mut(&user))
        {
            u.resources.insert(resource.clone());
        }
        let handle = SessionHandle {
            connection: self.connection,
            resource: resource.clone(),
            device_name: body.device_name.clone(),
            since_ms: now_ms(),
            tx: self.tx.clone(),
            kill: self.kill.clone(),
        };
        if let Some(replaced) = state.hub.add(&app_key, &user, handle) {
            replaced.push(Outbound::Kick(StatisticsBody {
                operation: Some(2),
                replace_device_name: body.device_name.clone(),
                session_id: Some(session_id.clone()),
                reason: body.reason.clone(),
                ..StatisticsBody::default()
            }));
        }
        drop(state);

        let auth_token = expires_at_ms.map(|at| auth_token_json(&token, at));
        let reply = provision_ok(&resource, auth_token, &session_id);
        tracing::info!(connection = self.connection, %app_key, %user, %resource, "logged in");
        self.phase = Phase::Online(Login {
            app_key,
            user,
            resource,
            session_id,
        });
        vec![Action::Send(reply)]
    }

    fn unread(&self) -> Vec<Action> {
        let Phase::Online(login) = &self.phase else {
            return vec![Action::Send(unread_status(status(
                ErrorCode::Unauthorized,
                "not logged in",
            )))];
        };
        let state = lock(&self.shared.state);
        let mut unread: Vec<(Jid, u32)> = state
            .apps
            .get(&login.app_key)
            .into_iter()
            .flat_map(|app| app.mailboxes.iter())
            .filter(|((owner, _), _)| *owner == login.user)
            .filter_map(|((_, (name, domain)), mailbox)| {
                let n = mailbox.pending(&login.resource);
                (n > 0).then(|| {
                    (
                        jid(&login.app_key, name, domain),
                        u32::try_from(n).unwrap_or(u32::MAX),
                    )
                })
            })
            .collect();
        drop(state);
        unread.sort_by(|a, b| (&a.0.name, &a.0.domain).cmp(&(&b.0.name, &b.0.domain)));
        vec![Action::Send(unread_reply(unread, now_ms()))]
    }

    fn sync(&mut self, frame: &MSync) -> Vec<Action> {
        let body: CommSyncUl = match decode_body(frame.payload.as_deref()) {
            Ok(body) => body,
            Err(problem) => return vec![Action::Send(sync_status(problem))],
        };
        let login = match &self.phase {
            Phase::Online(login) => login.clone(),
            Phase::Kicked(login) => {
                // A kicked session may still acknowledge its kick: answer, change nothing.
                let queue = jid(&login.app_key, &login.user, USER_DOMAIN);
                return vec![Action::Send(drained(body.queue.unwrap_or(queue)))];
            }
            Phase::Anonymous | Phase::Closed => {
                let problem = status(ErrorCode::Unauthorized, "not logged in");
                return vec![Action::Send(sync_status(problem))];
            }
        };
        if let Some(meta) = body.meta {
            self.send_meta(&login, meta)
        } else if let Some(queue) = body.queue {
            vec![Action::Send(self.pull(&login, &queue, body.key))]
        } else {
            let problem = status(ErrorCode::MissingParameter, "meta or queue required");
            vec![Action::Send(sync_status(problem))]
        }
    }

    fn pull(&self, login: &Login, queue: &Jid, key: Option<u64>) -> MSync {
        let name = queue.name.clone().unwrap_or_default();
        let domain = queue
            .domain
            .clone()
            .filter(|d| !d.is_empty())
            .unwrap_or(USER_DOMAIN.into());
        let reply_queue = jid(&login.app_key, &name, &domain);
        let batch_size = self.shared.config.batch_size;
        let mut state = lock(&self.shared.state);
        let Some(app) = state.apps.get_mut(&login.app_key) else {
            return drained(reply_queue);
        };
        let devices: Vec<String> = app
            .users
            .get(&login.user)
            .map(|u| u.resources.iter().cloned().collect())
            .unwrap_or_default();
        let Some(mailbox) = app.mailboxes.get_mut(&(login.user.clone(), (name, domain))) else {
            return drained(reply_queue);
        };
        if let Some(key) = key {
            mailbox.ack(&login.resource, key, &devices);
        }
        let (metas, last) = mailbox.batch(&login.resource, batch_size);
        if metas.is_empty() {
            drained(reply_queue)
        } else {
            crate::frames::batch(reply_queue, metas, last)
        }
    }

    fn send_meta(&self, login: &Login, meta: Meta) -> Vec<Action> {
        let Some(client_id) = meta.id.filter(|&id| id != 0) else {
            let problem = status(ErrorCode::MissingParameter, "meta.id required");
            return vec![Action::Send(sync_status(problem))];
        };
        let reply = match meta.ns.and_then(|n| NameSpace::try_from(n).ok()) {
            Some(NameSpace::Statistic) => ack(client_id, self.shared.ids.next(), now_ms()),
            Some(NameSpace::Chat) => self.route_chat(login, client_id, &meta),
            _ => nack(
                client_id,
                self.shared.ids.next(),
                status(
                    ErrorCode::UnknownCommand,
                    "namespace not supported by msync-devserver",
                ),
            ),
        };
        self.ack_with_faults(reply)
    }

    fn ack_with_faults(&self, reply: MSync) -> Vec<Action> {
        let mut faults = lock(&self.shared.faults);
        if faults.take_drop_ack() {
            tracing::info!(
                connection = self.connection,
                "ACK dropped (fault injection)"
            );
            return Vec::new();
        }
        match faults.ack_delay_ms {
            0 => vec![Action::Send(reply)],
            ms => vec![Action::SendLater(reply, Duration::from_millis(ms))],
        }
    }

    /// Stores a chat message in each recipient's mailbox, notifies them, and returns the ACK
    /// (or the refusal). A client id seen before from this sender gets its first ACK again.
    fn route_chat(&self, login: &Login, client_id: u64, meta: &Meta) -> MSync {
        let config = &self.shared.config;
        let mut state = lock(&self.shared.state);
        let crate::store::State { apps, hub, .. } = &mut *state;
        let Some(app) = apps.get_mut(&login.app_key) else {
            return nack(
                client_id,
                self.shared.ids.next(),
                status(ErrorCode::Fail, USER_NOT_FOUND),
            );
        };
        if let Some(first) = app.sent.get(&login.user).and_then(|d| d.get(client_id)) {
            return ack(client_id, first.server_id, first.timestamp);
        }
        let route = match route(
            app,
            hub,
            &login.app_key,
            &login.user,
            meta,
            config.max_message_bytes,
        ) {
            Ok(route) => route,
            Err(refusal) => return nack(client_id, self.shared.ids.next(), refusal),
        };
        let server_id = self.shared.ids.next();
        let timestamp = now_ms();
        let mut from = jid(&login.app_key, &login.user, USER_DOMAIN);
        from.client_resource = Some(login.resource.clone());
        let to = jid(&login.app_key, &route.target, route.domain());
        let delivered = delivered_meta(meta, from, to, server_id, timestamp);
        deliver(
            app,
            hub,
            &login.app_key,
            &route,
            &delivered,
            config.max_queue_len,
        );
        let first = FirstAck {
            server_id,
            timestamp,
        };
        app.sent.entry(login.user.clone()).or_default().remember(
            client_id,
            first,
            config.dedupe_window,
        );
        tracing::debug!(from = %login.user, to = %route.target, server_id,
            recipients = route.recipients.len(), "stored");
        ack(client_id, server_id, timestamp)
    }

    fn logout(&mut self, frame: &MSync) -> Vec<Action> {
        // The body is informational (session id, reason); a malformed one still logs out.
        let reason = decode_body::<Logout>(frame.payload.as_deref())
            .ok()
            .and_then(|l| l.reason)
            .unwrap_or_default();
        if let Some(login) = self.login() {
            tracing::info!(connection = self.connection, user = %login.user,
                session = %login.session_id, %reason, "logout");
        }
        self.on_close();
        vec![
            Action::Send(logout_ok()),
            Action::Close(1000, "logged out".into()),
        ]
    }
}
