//! The client's errors: [`StartError`] (the configuration), [`Error`] (login, logout, token),
//! [`SendError`] (one message).

use std::fmt;

use msync_core::app::{AppIdError, AppKeyError};
use msync_core::region::EndpointError;
use msync_core::session::{
    self, CloseReason, ConfigError, LoginError, RejectReason, SendFailure, StateError, TokenError,
};
use msync_core::url::UrlError;

use crate::tls::TlsError;

/// Why [`Client::start`](crate::Client::start) refused a configuration.
#[derive(Debug)]
#[non_exhaustive]
pub enum StartError {
    /// The app key (`org#app`) does not parse.
    AppKey(AppKeyError),
    /// The App ID does not parse.
    AppId(AppIdError),
    /// The custom REST base or gateway URL cannot be used.
    Endpoint(EndpointError),
    /// A bootstrap base URL does not parse.
    BootstrapUrl(UrlError),
    /// The session refused the configuration.
    Config(ConfigError),
    /// The token's expiry could not be set.
    Token(TokenError),
    /// The TLS settings cannot be used.
    Tls(TlsError),
    /// Not called inside a tokio runtime.
    NoRuntime,
}

impl fmt::Display for StartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StartError::AppKey(error) => write!(f, "app key: {error}"),
            StartError::AppId(error) => write!(f, "App ID: {error}"),
            StartError::Endpoint(error) => write!(f, "endpoint: {error}"),
            StartError::BootstrapUrl(error) => write!(f, "bootstrap URL: {error}"),
            StartError::Config(error) => write!(f, "configuration: {error}"),
            StartError::Token(error) => write!(f, "token: {error}"),
            StartError::Tls(error) => write!(f, "{error}"),
            StartError::NoRuntime => f.write_str("not inside a tokio runtime"),
        }
    }
}

impl std::error::Error for StartError {}

/// Why a login, logout or token request failed.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The server or the REST host refused the login for good (wrong password, unknown user,
    /// expired token, ...).
    Login {
        /// The typed reason.
        error: LoginError,
        /// The server's own text, possibly empty.
        reason: String,
    },
    /// The session closed before the login completed (kicked, gave up, logged out).
    Closed(CloseReason),
    /// The session's state does not allow the call (login while online, logout while idle).
    State(StateError),
    /// The token was refused.
    Token(TokenError),
    /// The client's task has ended (every handle was dropped or the runtime shut down).
    Stopped,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Login { error, reason } if reason.is_empty() => write!(f, "{error}"),
            Error::Login { error, reason } => write!(f, "{error} ({reason})"),
            Error::Closed(reason) => write!(f, "session closed: {reason:?}"),
            Error::State(error) => write!(f, "{error}"),
            Error::Token(error) => write!(f, "{error}"),
            Error::Stopped => f.write_str("the client has stopped"),
        }
    }
}

impl std::error::Error for Error {}

/// Why a message was not acknowledged.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum SendError {
    /// Refused at once, nothing was sent (empty recipient, too large, session closed, ...).
    Refused(session::SendError),
    /// The server refused the message.
    Rejected {
        /// The status code.
        code: i32,
        /// The reason, classified.
        reason: RejectReason,
        /// The server's reason text.
        text: String,
    },
    /// No acknowledgement within the send deadline, across however many re-sends.
    TimedOut,
    /// The session ended first; the message may or may not have reached the server.
    SessionEnded(CloseReason),
    /// The frame does not fit the transmit buffer for this gateway.
    FrameTooLarge {
        /// Bytes needed.
        needed: usize,
    },
    /// The client's task has ended.
    Stopped,
}

impl fmt::Display for SendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SendError::Refused(error) => write!(f, "send refused: {error}"),
            SendError::Rejected { code, text, .. } => {
                write!(f, "the server rejected the message ({code}: {text})")
            }
            SendError::TimedOut => f.write_str("no acknowledgement in time"),
            SendError::SessionEnded(reason) => write!(f, "the session ended: {reason:?}"),
            SendError::FrameTooLarge { needed } => write!(f, "frame too large ({needed} bytes)"),
            SendError::Stopped => f.write_str("the client has stopped"),
        }
    }
}

impl std::error::Error for SendError {}

impl From<SendFailure<'_>> for SendError {
    fn from(failure: SendFailure<'_>) -> Self {
        match failure {
            SendFailure::Rejected { code, reason, text } => SendError::Rejected {
                code: code.0,
                reason,
                text: text.to_owned(),
            },
            SendFailure::TimedOut => SendError::TimedOut,
            SendFailure::SessionEnded(reason) => SendError::SessionEnded(reason),
            SendFailure::FrameTooLarge { needed } => SendError::FrameTooLarge { needed },
        }
    }
}
