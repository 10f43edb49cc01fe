//! The server's memory: apps, users, tokens, groups, chat rooms and mailboxes.
//!
//! Everything lives in one [`State`] behind one lock, held only for short, non-async sections.

mod dedupe;
mod queues;

use std::collections::{BTreeSet, HashMap};
use std::fmt;

pub(crate) use dedupe::{Dedupe, FirstAck};
pub(crate) use queues::{Mailbox, QueueName};

use crate::error::ControlError;
use crate::hub::Hub;
use crate::ids::{new_token, new_uuid, now_ms};

/// Longest user name accepted.
const MAX_USERNAME: usize = 64;
/// Expired tokens are forgotten when this many tokens are held.
const PRUNE_TOKENS_AT: usize = 10_000;

/// A registered user.
pub(crate) struct User {
    pub(crate) username: String,
    pub(crate) password: String,
    pub(crate) nickname: Option<String>,
    pub(crate) uuid: String,
    pub(crate) created_ms: u64,
    /// Every resource (device) that has logged in as this user.
    pub(crate) resources: BTreeSet<String>,
}

impl fmt::Debug for User {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("User")
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .field("resources", &self.resources)
            .finish_non_exhaustive()
    }
}

/// Group or chat room.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RoomKind {
    /// A group (`/chatgroups`).
    Group,
    /// A chat room (`/chatrooms`).
    ChatRoom,
}

/// A group or chat room and its members (the owner included).
#[derive(Debug)]
pub(crate) struct Room {
    pub(crate) name: String,
    pub(crate) owner: String,
    pub(crate) members: BTreeSet<String>,
    pub(crate) public: bool,
    pub(crate) kind: RoomKind,
}

/// Whom a token stands for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Subject {
    /// A user token (`password` grant).
    User(String),
    /// An app token (`client_credentials` grant).
    App,
}

/// What a token grants, until when.
#[derive(Clone, Debug)]
pub(crate) struct TokenInfo {
    pub(crate) app_key: String,
    pub(crate) subject: Subject,
    /// Absolute expiry in ms; `None`: never expires.
    pub(crate) expires_at_ms: Option<u64>,
}

/// A token just issued.
#[derive(Clone)]
pub(crate) struct Grant {
    pub(crate) token: String,
    /// Lifetime in seconds as REST reports it (0: never expires).
    pub(crate) expires_in_s: u64,
    pub(crate) expires_at_ms: Option<u64>,
}

/// The verdict on a presented token.
#[derive(Debug)]
pub(crate) enum TokenCheck {
    /// Not issued by this server.
    Unknown,
    /// Issued, but expired.
    Expired(TokenInfo),
    /// Valid.
    Valid(TokenInfo),
}

/// One app (`org#app`) and everything in it.
#[derive(Debug)]
pub(crate) struct App {
    pub(crate) uuid: String,
    pub(crate) client_id: Option<String>,
    pub(crate) client_secret: Option<String>,
    pub(crate) users: HashMap<String, User>,
    pub(crate) rooms: HashMap<String, Room>,
    pub(crate) mailboxes: HashMap<(String, QueueName), Mailbox>,
    pub(crate) sent: HashMap<String, Dedupe>,
}

impl App {
    fn new() -> Self {
        Self {
            uuid: new_uuid(),
            client_id: None,
            client_secret: None,
            users: HashMap::new(),
            rooms: HashMap::new(),
            mailboxes: HashMap::new(),
            sent: HashMap::new(),
        }
    }

    /// The user, or `UserNotFound`.
    pub(crate) fn user(&self, username: &str) -> Result<&User, ControlError> {
        self.users
            .get(username)
            .ok_or_else(|| ControlError::UserNotFound(username.to_owned()))
    }
}

/// Checks a user name: 1 to 64 of `A-Z a-z 0-9 _ - .`.
pub(crate) fn check_username(username: &str) -> Result<(), ControlError> {
    let legal = !username.is_empty()
        && username.len() <= MAX_USERNAME
        && username
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_-.".contains(&b));
    if legal {
        Ok(())
    } else {
        Err(ControlError::IllegalUsername(username.to_owned()))
    }
}

/// Splits `org#app`; both halves must be non-empty.
pub(crate) fn split_app_key(app_key: &str) -> Option<(&str, &str)> {
    let (org, app) = app_key.split_once('#')?;
    (!org.is_empty() && !app.is_empty()).then_some((org, app))
}

/// All apps and tokens.
#[derive(Debug, Default)]
pub(crate) struct State {
    pub(crate) apps: HashMap<String, App>,
    pub(crate) tokens: HashMap<String, TokenInfo>,
    /// The online sessions.
    pub(crate) hub: Hub,
    next_room_id: u64,
}

impl State {
    /// Declares an app with client credentials (strict mode's apps).
    pub(crate) fn declare_app(&mut self, app_key: &str, client_id: &str, client_secret: &str) {
        let app = self.apps.entry(app_key.to_owned()).or_insert_with(App::new);
        app.client_id = Some(client_id.to_owned());
        app.client_secret = Some(client_secret.to_owned());
    }

    /// The app; lenient servers create it on first use, strict ones only know declared apps.
    pub(crate) fn app_mut(
        &mut self,
        app_key: &str,
        strict: bool,
    ) -> Result<&mut App, ControlError> {
        if split_app_key(app_key).is_none() {
            return Err(ControlError::AppNotFound(app_key.to_owned()));
        }
        if strict && !self.apps.contains_key(app_key) {
            return Err(ControlError::AppNotFound(app_key.to_owned()));
        }
        Ok(self.apps.entry(app_key.to_owned()).or_insert_with(App::new))
    }

    /// The app if it exists.
    pub(crate) fn app(&self, app_key: &str) -> Result<&App, ControlError> {
        self.apps
            .get(app_key)
            .ok_or_else(|| ControlError::AppNotFound(app_key.to_owned()))
    }

    /// Registers a user; fails on an illegal or taken name.
    pub(crate) fn register_user(
        &mut self,
        app_key: &str,
        strict: bool,
        username: &str,
        password: &str,
        nickname: Option<&str>,
    ) -> Result<&User, ControlError> {
        check_username(username)?;
        let app = self.app_mut(app_key, strict)?;
        if app.users.contains_key(username) {
            return Err(ControlError::UserExists(username.to_owned()));
        }
        let user = User {
            username: username.to_owned(),
            password: password.to_owned(),
            nickname: nickname.map(str::to_owned),
            uuid: new_uuid(),
            created_ms: now_ms(),
            resources: BTreeSet::new(),
        };
        Ok(app.users.entry(username.to_owned()).or_insert(user))
    }

    /// Issues a token. `ttl_s`: lifetime in seconds, 0 for a token that never expires. `fixed`
    /// chooses the token text (tests use it to replay golden frames); otherwise it is random.
    pub(crate) fn issue_token(
        &mut self,
        app_key: &str,
        subject: Subject,
        ttl_s: u64,
        fixed: Option<String>,
    ) -> Grant {
        let token = fixed.unwrap_or_else(new_token);
        let expires_at_ms =
            (ttl_s > 0).then(|| now_ms().saturating_add(ttl_s.saturating_mul(1000)));
        let info = TokenInfo {
            app_key: app_key.to_owned(),
            subject,
            expires_at_ms,
        };
        if self.tokens.len() >= PRUNE_TOKENS_AT {
            let now = now_ms();
            self.tokens
                .retain(|_, t| t.expires_at_ms.is_none_or(|at| at > now));
        }
        self.tokens.insert(token.clone(), info);
        Grant {
            token,
            expires_in_s: ttl_s,
            expires_at_ms,
        }
    }

    /// Looks a presented token up.
    pub(crate) fn check_token(&self, token: &str) -> TokenCheck {
        match self.tokens.get(token) {
            None => TokenCheck::Unknown,
            Some(info) if info.expires_at_ms.is_some_and(|at| at <= now_ms()) => {
                TokenCheck::Expired(info.clone())
            }
            Some(info) => TokenCheck::Valid(info.clone()),
        }
    }

    /// Creates a group or chat room whose owner and members are registered users; returns its id.
    pub(crate) fn create_room(
        &mut self,
        app_key: &str,
        strict: bool,
        kind: RoomKind,
        spec: RoomSpec,
    ) -> Result<String, ControlError> {
        if self.next_room_id == 0 {
            self.next_room_id = now_ms().saturating_mul(100);
        }
        self.next_room_id = self.next_room_id.saturating_add(1);
        let id = self.next_room_id.to_string();
        let app = self.app_mut(app_key, strict)?;
        app.user(&spec.owner)?;
        for member in &spec.members {
            app.user(member)?;
        }
        let mut members: BTreeSet<String> = spec.members.into_iter().collect();
        members.insert(spec.owner.clone());
        let room = Room {
            name: spec.name,
            owner: spec.owner,
            members,
            public: spec.public,
            kind,
        };
        app.rooms.insert(id.clone(), room);
        Ok(id)
    }

    /// Adds a registered user to a group or chat room.
    pub(crate) fn add_member(
        &mut self,
        app_key: &str,
        kind: RoomKind,
        room_id: &str,
        username: &str,
    ) -> Result<(), ControlError> {
        let app = self
            .apps
            .get_mut(app_key)
            .ok_or_else(|| ControlError::AppNotFound(app_key.into()))?;
        app.user(username)?;
        let room = app
            .rooms
            .get_mut(room_id)
            .filter(|r| r.kind == kind)
            .ok_or_else(|| ControlError::GroupNotFound(room_id.to_owned()))?;
        room.members.insert(username.to_owned());
        Ok(())
    }
}

/// What a new group or chat room is made of.
#[derive(Clone, Debug, Default)]
pub struct RoomSpec {
    /// Display name (`groupname` / `name`).
    pub name: String,
    /// The owner's user name; must be registered.
    pub owner: String,
    /// Further members; must be registered.
    pub members: Vec<String>,
    /// Public group (informational).
    pub public: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_checked() {
        assert!(check_username("alice_1.x-y").is_ok());
        for bad in ["", "a b", "a/b", "a@b", &"x".repeat(65)] {
            assert!(check_username(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn strict_state_knows_only_declared_apps() {
        let mut state = State::default();
        assert!(state.app_mut("org#app", true).is_err());
        state.declare_app("org#app", "id", "secret");
        assert!(state.app_mut("org#app", true).is_ok());
        assert!(
            state.app_mut("other#app", false).is_ok(),
            "lenient creates on first use"
        );
        assert!(state.app_mut("nohash", false).is_err());
    }

    #[test]
    fn tokens_expire_and_never_expiring_tokens_do_not() {
        let mut state = State::default();
        let forever = state.issue_token("o#a", Subject::App, 0, None);
        assert!(forever.expires_at_ms.is_none());
        assert!(matches!(
            state.check_token(&forever.token),
            TokenCheck::Valid(_)
        ));
        state.tokens.get_mut(&forever.token).unwrap().expires_at_ms = Some(1);
        assert!(matches!(
            state.check_token(&forever.token),
            TokenCheck::Expired(_)
        ));
        assert!(matches!(state.check_token("nope"), TokenCheck::Unknown));
    }

    #[test]
    fn rooms_need_registered_members() {
        let mut state = State::default();
        state
            .register_user("o#a", false, "alice", "pw", None)
            .unwrap();
        let spec = |members: Vec<&str>| RoomSpec {
            name: "g".into(),
            owner: "alice".into(),
            members: members.into_iter().map(String::from).collect(),
            public: true,
        };
        assert!(matches!(
            state.create_room("o#a", false, RoomKind::Group, spec(vec!["bob"])),
            Err(ControlError::UserNotFound(_))
        ));
        state
            .register_user("o#a", false, "bob", "pw", None)
            .unwrap();
        let id = state
            .create_room("o#a", false, RoomKind::Group, spec(vec!["bob"]))
            .unwrap();
        let room = &state.apps["o#a"].rooms[&id];
        assert!(room.members.contains("alice") && room.members.contains("bob"));
        assert!(
            state
                .add_member("o#a", RoomKind::ChatRoom, &id, "bob")
                .is_err(),
            "wrong kind"
        );
    }
}
