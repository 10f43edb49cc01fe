//! In-process controls of a running server: the same powers as the admin path.

use std::io;
use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;

use crate::error::ControlError;
use crate::faults::Faults;
use crate::framelog::FrameRecord;
use crate::frames::jid;
use crate::hub::Outbound;
use crate::listener::Listener;
use crate::pb::StatisticsBody;
use crate::shared::{Shared, lock};
use crate::store::{RoomKind, RoomSpec, Subject};

/// A token issued through the controls.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct IssuedToken {
    /// The token (use it as REST Bearer and in PROVISION).
    pub access_token: String,
    /// Lifetime in seconds (0: never expires).
    pub expires_in: u64,
    /// Absolute expiry in ms since the Unix epoch, if it expires.
    pub expires_at_ms: Option<u64>,
}

impl std::fmt::Debug for IssuedToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuedToken")
            .field("access_token", &"<redacted>")
            .field("expires_in", &self.expires_in)
            .field("expires_at_ms", &self.expires_at_ms)
            .finish()
    }
}

/// One queue of one user, for assertions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct QueueInfo {
    /// Queue name (user, group or chat-room id).
    pub name: String,
    /// Queue domain (`easemob.com` or `conference.easemob.com`).
    pub domain: String,
    /// Metas held (not yet acknowledged by every device of the user).
    pub items: usize,
    /// Per device (resource) of the user: metas it has not acknowledged.
    pub pending: Vec<(String, usize)>,
}

/// One online session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SessionInfo {
    /// Connection number.
    pub connection: u64,
    /// App key.
    pub app_key: String,
    /// User name.
    pub user: String,
    /// Resource (device).
    pub resource: String,
    /// Device name from PROVISION, if given.
    pub device_name: Option<String>,
    /// Login time, ms since the Unix epoch.
    pub since_ms: u64,
}

/// Kicks every online session of a user with a STATISTIC meta of this operation (1: removed
/// or forced offline, 2: logged in elsewhere, 3: password changed, 4: kicked by another
/// device); returns how many sessions were kicked.
pub(crate) fn kick_all(shared: &Shared, app_key: &str, user: &str, operation: i32) -> usize {
    let sessions = lock(&shared.state).hub.take_all(app_key, user);
    for session in &sessions {
        session.push(Outbound::Kick(StatisticsBody {
            operation: Some(operation),
            ..StatisticsBody::default()
        }));
    }
    sessions.len()
}

/// Issues a token for a registered user: for `ttl` (`None`: the configured default; zero:
/// never expires; whole seconds), with the text `fixed` if given.
pub(crate) fn issue_user_token(
    shared: &Shared,
    app_key: &str,
    username: &str,
    ttl: Option<Duration>,
    fixed: Option<String>,
) -> Result<IssuedToken, ControlError> {
    let ttl_s = ttl.unwrap_or(shared.config.default_token_ttl).as_secs();
    let mut state = lock(&shared.state);
    state.app(app_key)?.user(username)?;
    let grant = state.issue_token(app_key, Subject::User(username.to_owned()), ttl_s, fixed);
    Ok(IssuedToken {
        access_token: grant.token,
        expires_in: grant.expires_in_s,
        expires_at_ms: grant.expires_at_ms,
    })
}

/// A handle on a running server for tests and tools in the same process. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Controls {
    pub(crate) shared: Arc<Shared>,
    pub(crate) listener: Arc<Listener>,
}

impl Controls {
    /// Registers a user (creating the app on a lenient server).
    pub fn register_user(
        &self,
        app_key: &str,
        username: &str,
        password: &str,
    ) -> Result<(), ControlError> {
        let strict = self.shared.config.strict;
        lock(&self.shared.state).register_user(app_key, strict, username, password, None)?;
        Ok(())
    }

    /// Issues a user token. `ttl`: `None` for the configured default, `Some(Duration::ZERO)`
    /// for a token that never expires; whole seconds.
    pub fn issue_token(
        &self,
        app_key: &str,
        username: &str,
        ttl: Option<Duration>,
    ) -> Result<IssuedToken, ControlError> {
        issue_user_token(&self.shared, app_key, username, ttl, None)
    }

    /// Issues a user token with a chosen text, e.g. `TOKEN` to replay the golden vectors.
    pub fn insert_token(
        &self,
        app_key: &str,
        username: &str,
        token: &str,
        ttl: Option<Duration>,
    ) -> Result<IssuedToken, ControlError> {
        if token.is_empty() {
            return Err(ControlError::InvalidArgument("empty token".into()));
        }
        issue_user_token(&self.shared, app_key, username, ttl, Some(token.to_owned()))
    }

    /// Creates a group; returns its id.
    pub fn create_group(&self, app_key: &str, spec: RoomSpec) -> Result<String, ControlError> {
        lock(&self.shared.state).create_room(
            app_key,
            self.shared.config.strict,
            RoomKind::Group,
            spec,
        )
    }

    /// Creates a chat room; returns its id.
    pub fn create_chat_room(&self, app_key: &str, spec: RoomSpec) -> Result<String, ControlError> {
        lock(&self.shared.state).create_room(
            app_key,
            self.shared.config.strict,
            RoomKind::ChatRoom,
            spec,
        )
    }

    /// Adds a user to a group.
    pub fn add_group_member(
        &self,
        app_key: &str,
        group_id: &str,
        username: &str,
    ) -> Result<(), ControlError> {
        lock(&self.shared.state).add_member(app_key, RoomKind::Group, group_id, username)
    }

    /// Adds a user to a chat room.
    pub fn add_chat_room_member(
        &self,
        app_key: &str,
        room_id: &str,
        username: &str,
    ) -> Result<(), ControlError> {
        lock(&self.shared.state).add_member(app_key, RoomKind::ChatRoom, room_id, username)
    }

    /// Forces the user offline on every device (STATISTIC operation 1, like REST
    /// `GET /users/{u}/disconnect`); returns how many sessions were kicked.
    pub fn disconnect_user(&self, app_key: &str, username: &str) -> usize {
        kick_all(&self.shared, app_key, username, 1)
    }

    /// Kicks every session of the user with any STATISTIC operation (1 to 4).
    pub fn kick(&self, app_key: &str, username: &str, operation: u8) -> usize {
        kick_all(&self.shared, app_key, username, i32::from(operation))
    }

    /// The faults in force.
    pub fn faults(&self) -> Faults {
        lock(&self.shared.faults).clone()
    }

    /// Replaces the faults in force (`Faults::default()` turns them all off).
    pub fn set_faults(&self, faults: Faults) {
        *lock(&self.shared.faults) = faults;
    }

    /// Changes the faults in force in place.
    pub fn update_faults(&self, change: impl FnOnce(&mut Faults)) {
        change(&mut lock(&self.shared.faults));
    }

    /// The frame log, oldest first.
    pub fn frames(&self) -> Vec<FrameRecord> {
        lock(&self.shared.frames).snapshot()
    }

    /// Empties the frame log.
    pub fn clear_frames(&self) {
        lock(&self.shared.frames).clear();
    }

    /// The user's queues: what they hold and what each device has still to acknowledge.
    pub fn queues(&self, app_key: &str, username: &str) -> Vec<QueueInfo> {
        let state = lock(&self.shared.state);
        let Some(app) = state.apps.get(app_key) else {
            return Vec::new();
        };
        let devices: Vec<String> = app
            .users
            .get(username)
            .map(|u| u.resources.iter().cloned().collect())
            .unwrap_or_default();
        let mut out: Vec<QueueInfo> = app
            .mailboxes
            .iter()
            .filter(|((owner, _), _)| owner == username)
            .map(|((_, (name, domain)), mailbox)| QueueInfo {
                name: name.clone(),
                domain: domain.clone(),
                items: mailbox.len(),
                pending: devices
                    .iter()
                    .map(|d| (d.clone(), mailbox.pending(d)))
                    .collect(),
            })
            .collect();
        out.sort_by(|a, b| (&a.name, &a.domain).cmp(&(&b.name, &b.domain)));
        out
    }

    /// Every online session.
    pub fn sessions(&self) -> Vec<SessionInfo> {
        let state = lock(&self.shared.state);
        let mut out: Vec<SessionInfo> = state
            .hub
            .all()
            .map(|(app_key, user, s)| SessionInfo {
                connection: s.connection,
                app_key: app_key.to_owned(),
                user: user.to_owned(),
                resource: s.resource.clone(),
                device_name: s.device_name.clone(),
                since_ms: s.since_ms,
            })
            .collect();
        out.sort_by_key(|s| s.connection);
        out
    }

    /// The bare JID of a user's own queue, as NOTICE and batches name it.
    pub fn user_queue(app_key: &str, username: &str) -> crate::pb::Jid {
        jid(app_key, username, crate::frames::USER_DOMAIN)
    }

    /// Restarts the server with its state kept: every connection drops (no close frame), the
    /// port stays closed for `down`, then the server listens again on the same address.
    pub async fn restart(&self, down: Duration) -> io::Result<()> {
        self.listener.restart(down).await
    }
}
