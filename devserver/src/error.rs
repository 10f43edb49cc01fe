//! Errors of the in-process controls (and, mapped to HTTP, of the REST and admin paths).

use std::fmt;

/// Why a control call (register a user, create a group, ...) was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ControlError {
    /// No such app (a strict server knows only declared apps; an app key needs `org#app`).
    AppNotFound(String),
    /// The user name is not 1 to 64 of `A-Z a-z 0-9 _ - .`.
    IllegalUsername(String),
    /// A user of that name exists already.
    UserExists(String),
    /// No user of that name.
    UserNotFound(String),
    /// No group or chat room with that id.
    GroupNotFound(String),
    /// A parameter is missing or wrong.
    InvalidArgument(String),
}

impl fmt::Display for ControlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::AppNotFound(key) => write!(f, "Could not find application for {key}"),
            Self::IllegalUsername(name) => write!(f, "username [{name}] is not legal"),
            Self::UserExists(name) => write!(
                f,
                "Entity user requires that property named username be unique, value of {name} exists"
            ),
            Self::UserNotFound(name) => write!(f, "username {name} doesn't exist!"),
            Self::GroupNotFound(id) => write!(f, "grpID {id} does not exist!"),
            Self::InvalidArgument(what) => write!(f, "{what}"),
        }
    }
}

impl std::error::Error for ControlError {}
