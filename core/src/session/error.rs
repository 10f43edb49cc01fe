//! The session's errors, grouped by who must act:
//!
//! - the caller's configuration or call: [`ConfigError`], [`SendError`], [`StateError`];
//! - the server: [`LoginError`] (fatal login results), [`RejectReason`] / [`SendFailure`] (a send
//!   refused), [`KickReason`] (the session ended by the server);
//! - capacity: [`CapacityError`] (recoverable; the session says what it did);
//! - transport: [`TransportError`] (reported by the caller), [`Disconnect`] (why the session
//!   reconnects).
//!
//! Each type says whether the session recovers on its own.

use core::fmt;

use crate::wire::msync::{ErrorCode, Operation};

/// The configuration cannot work; [`Session::new`](super::Session::new) refuses it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum ConfigError {
    /// The user ID is empty.
    EmptyUser,
    /// A Shengwang App ID needs [`EndpointConfig::Bootstrap`](super::EndpointConfig::Bootstrap)
    /// to learn the app key.
    AppIdNeedsBootstrap,
    /// The bootstrap configuration lists no base.
    NoBootstrapBase,
    /// The resource (given, or `{device name}_{uuid}`) is empty, longer than 128 bytes, or holds
    /// whitespace, `/` or `@`.
    InvalidResource,
    /// The token or password is empty, or the token is longer than
    /// [`MAX_TOKEN_LEN`](super::MAX_TOKEN_LEN).
    InvalidCredential,
    /// `OsKind::Custom` needs a value in 1..=100.
    InvalidOsCustomValue,
    /// A timing is zero where it must not be (`socket_attempts`, intervals).
    InvalidTimings,
    /// The transmit buffer cannot hold the PROVISION frame for this configuration.
    TransmitBufferTooSmall {
        /// Bytes a PROVISION frame needs.
        needed: usize,
    },
    /// The transmit buffer cannot hold the password token request (§4.2) for this user name
    /// and password to the longest REST host the configuration can reach (a host learnt from
    /// `server.json` counts as [`MAX_HOST_NAME_LEN`](super::MAX_HOST_NAME_LEN) bytes with a
    /// port, an App ID's learnt app key at its longest).
    TokenRequestTooLarge {
        /// Bytes the request needs.
        needed: usize,
    },
    /// The transmit buffer cannot hold the `server.json` request (§3.1) to the longest
    /// configured bootstrap base (its host, port and path) with this app key or App ID.
    BootstrapRequestTooLarge {
        /// Bytes the request needs.
        needed: usize,
    },
    /// The transmit buffer cannot hold the WebSocket handshake (§5.1) with the configured
    /// extra headers ([`Options::handshake_headers`](super::Options::handshake_headers)) to the
    /// longest gateway the session can reach: each configured one, and a gateway learnt from
    /// `server.json` or named by a REDIRECT, counted as
    /// [`MAX_HOST_NAME_LEN`](super::MAX_HOST_NAME_LEN) bytes with a port.
    HandshakeTooLarge {
        /// Bytes the handshake needs.
        needed: usize,
    },
    /// An extra handshake header is not a valid header, or repeats one the handshake writes
    /// itself (`Host`, `Upgrade`, `Connection`, `Sec-WebSocket-*`).
    InvalidHandshakeHeader,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::EmptyUser => f.write_str("empty user ID"),
            Self::AppIdNeedsBootstrap => f.write_str("an App ID needs the bootstrap endpoints"),
            Self::NoBootstrapBase => f.write_str("no bootstrap base configured"),
            Self::InvalidResource => f.write_str("invalid resource"),
            Self::InvalidCredential => f.write_str("empty or too long credential"),
            Self::InvalidOsCustomValue => f.write_str("OS_CUSTOM needs a value in 1..=100"),
            Self::InvalidTimings => f.write_str("a timing or attempt count is zero"),
            Self::TransmitBufferTooSmall { needed } => {
                write!(
                    f,
                    "transmit buffer too small: PROVISION needs {needed} bytes"
                )
            }
            Self::TokenRequestTooLarge { needed } => {
                write!(
                    f,
                    "transmit buffer too small: the token request needs {needed} bytes"
                )
            }
            Self::BootstrapRequestTooLarge { needed } => {
                write!(
                    f,
                    "transmit buffer too small: the server.json request needs {needed} bytes"
                )
            }
            Self::HandshakeTooLarge { needed } => {
                write!(
                    f,
                    "transmit buffer too small: the WebSocket handshake needs {needed} bytes"
                )
            }
            Self::InvalidHandshakeHeader => f.write_str("invalid extra handshake header"),
        }
    }
}

impl core::error::Error for ConfigError {}

/// A call that the session's state does not allow; nothing changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum StateError {
    /// `login` while a login is running or the session is online.
    AlreadyStarted,
    /// `logout` while the session is idle or closed.
    NotStarted,
}

impl fmt::Display for StateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::AlreadyStarted => "the session is already started",
            Self::NotStarted => "the session is not started",
        })
    }
}

impl core::error::Error for StateError {}

/// Why [`send`](super::Session::send) refused a message at once (nothing was queued). All are
/// recoverable by the caller: retry later, shorten the message, pick another id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum SendError {
    /// Every outbox slot holds an unacknowledged send; retry after a `SendAcked`/`SendFailed`.
    OutboxFull {
        /// The number of slots.
        slots: usize,
    },
    /// The outbox's byte arena cannot hold this message now (other sends are pending); retry
    /// after one ends.
    OutboxBytesFull {
        /// Bytes the encoded message needs.
        needed: usize,
        /// Bytes free now.
        free: usize,
    },
    /// The message can never be sent with these capacities: its frame is larger than the
    /// transmit buffer or the outbox arena.
    MessageTooLarge {
        /// Bytes needed.
        needed: usize,
        /// The limiting capacity.
        capacity: usize,
    },
    /// The recipient is empty.
    EmptyRecipient,
    /// A caller-chosen id is already used by a pending send.
    DuplicateId,
    /// The session is closed; call [`login`](super::Session::login) first.
    SessionClosed,
    /// App ID mode: the app key is learnt from `server.json` during the first login; send
    /// after it (e.g. once [`Event::Online`](super::Event::Online) came).
    AppKeyUnknown,
}

impl fmt::Display for SendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::OutboxFull { slots } => write!(f, "outbox full ({slots} pending sends)"),
            Self::OutboxBytesFull { needed, free } => {
                write!(f, "outbox arena full: {needed} bytes needed, {free} free")
            }
            Self::MessageTooLarge { needed, capacity } => {
                write!(f, "message needs {needed} bytes, capacity is {capacity}")
            }
            Self::EmptyRecipient => f.write_str("empty recipient"),
            Self::DuplicateId => f.write_str("message id already pending"),
            Self::SessionClosed => f.write_str("session closed"),
            Self::AppKeyUnknown => f.write_str("app key not learnt yet"),
        }
    }
}

impl core::error::Error for SendError {}

/// Why a queued send ended without acknowledgement ([`Event::SendFailed`](super::Event)).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SendFailure<'a> {
    /// The server refused the message (ACK with a non-OK status, PROTOCOL.md §7.5).
    Rejected {
        /// The status code.
        code: ErrorCode,
        /// The reason, classified.
        reason: RejectReason,
        /// The server's reason text.
        text: &'a str,
    },
    /// No acknowledgement within [`Timings::send_deadline`](super::Timings::send_deadline),
    /// across however many re-sends.
    TimedOut,
    /// The session ended first (logout, kick, fatal status, token expiry, giving up). The
    /// message may or may not have reached the server.
    SessionEnded(CloseReason),
    /// The frame does not fit the transmit buffer with this gateway's frame encoding (a
    /// REDIRECT to an Alipay gateway, whose base64 frames are 4/3 larger).
    FrameTooLarge {
        /// Bytes needed.
        needed: usize,
    },
}

/// Why [`renew_token`](super::Session::renew_token) refused a token; the old one stays.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum TokenError {
    /// Empty, or holds characters other than visible ASCII (or `"`, `\\`).
    Invalid,
    /// Longer than [`MAX_TOKEN_LEN`](super::MAX_TOKEN_LEN), or its PROVISION would not fit the
    /// transmit buffer.
    TooLong,
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Invalid => "invalid token",
            Self::TooLong => "token too long",
        })
    }
}

impl core::error::Error for TokenError {}

/// A send refusal, classified from `Status.reason` (exact match first, then substring;
/// PROTOCOL.md §7.5).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum RejectReason {
    /// `USER_MUTED`: the sender is muted.
    SenderMuted,
    /// `blocked`: the recipient blocked the sender.
    Blocked,
    /// `group not found`.
    GroupNotFound,
    /// `not in group or chatroom`.
    NotMember,
    /// `not in group or chatroom white list`.
    NotInWhiteList,
    /// `nonroster`: not a contact.
    NotContact,
    /// `group is disabled`.
    GroupDisabled,
    /// `the message has expired`.
    MessageExpired,
    /// `illegal chatroom tag`.
    IllegalChatroomTag,
    /// `limit directed users`.
    DirectedUsersLimit,
    /// `grpID…does not exist!`: the chat room does not exist.
    ChatroomNotFound,
    /// `username…doesn't exist!`.
    UserNotFound,
    /// Third-party moderation (`moderation`, or a JSON reason with `error_type` moderation).
    Moderation,
    /// `PERMISSION_DENIED`: `sensitive words` / `blocked by mod_antispam`.
    SensitiveContent,
    /// `PERMISSION_DENIED`: `user is mute` (muted by an admin).
    MutedByAdmin,
    /// `PERMISSION_DENIED`: `traffic limit`.
    RateLimited,
    /// `PERMISSION_DENIED`: `Sorry, data is too large`.
    TooLarge,
    /// `PERMISSION_DENIED_EXTERNAL`: a pre-send callback refused it.
    ExternalCallback,
    /// Anything else; see the code and text.
    Other,
}

impl RejectReason {
    /// Classifies an ACK's status.
    pub fn classify(code: ErrorCode, text: &str) -> Self {
        const EXACT: &[(&str, RejectReason)] = &[
            ("blocked", RejectReason::Blocked),
            ("group not found", RejectReason::GroupNotFound),
            ("not in group or chatroom", RejectReason::NotMember),
            (
                "not in group or chatroom white list",
                RejectReason::NotInWhiteList,
            ),
            ("nonroster", RejectReason::NotContact),
            ("group is disabled", RejectReason::GroupDisabled),
            ("the message has expired", RejectReason::MessageExpired),
            ("illegal chatroom tag", RejectReason::IllegalChatroomTag),
            ("sensitive words", RejectReason::SensitiveContent),
            ("blocked by mod_antispam", RejectReason::SensitiveContent),
            ("user is mute", RejectReason::MutedByAdmin),
            ("traffic limit", RejectReason::RateLimited),
            ("Sorry, data is too large", RejectReason::TooLarge),
        ];
        const CONTAINS: &[(&str, RejectReason)] = &[
            ("limit directed users", RejectReason::DirectedUsersLimit),
            ("does not exist!", RejectReason::ChatroomNotFound),
            ("doesn't exist!", RejectReason::UserNotFound),
            ("moderation", RejectReason::Moderation),
            ("sensitive words", RejectReason::SensitiveContent),
            ("mod_antispam", RejectReason::SensitiveContent),
            ("data is too large", RejectReason::TooLarge),
            ("traffic limit", RejectReason::RateLimited),
        ];
        match code {
            ErrorCode::USER_MUTED => return RejectReason::SenderMuted,
            ErrorCode::PERMISSION_DENIED_EXTERNAL => return RejectReason::ExternalCallback,
            _ => {}
        }
        classify(text, EXACT, CONTAINS).unwrap_or(RejectReason::Other)
    }
}

/// Exact match first, then the first substring match.
fn classify<T: Copy>(text: &str, exact: &[(&str, T)], contains: &[(&str, T)]) -> Option<T> {
    exact
        .iter()
        .find(|(known, _)| *known == text)
        .or_else(|| contains.iter().find(|(known, _)| text.contains(known)))
        .map(|(_, value)| *value)
}

/// A login the server or the REST host refused for good (no automatic reconnect; PROTOCOL.md
/// §4.4, §7.3). A new credential or an operator is needed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum LoginError {
    /// `Sorry, token expired`, or status `TOKEN_EXPIRED`: a new token is needed.
    TokenExpired,
    /// `Sorry, token or password does not match login info`.
    InvalidToken,
    /// `Sorry, user not found` (PROVISION) or REST `user not found`.
    UserNotFound,
    /// REST `invalid password`.
    InvalidPassword,
    /// REST `user not activated`: the user is banned.
    UserNotActivated,
    /// `Sorry, user register limit` / `... rate limit`.
    RegisterLimit,
    /// `PERMISSION_DENIED` with a live-count limit (MAU, DAU, concurrency).
    LiveLimit,
    /// `UNAUTHORIZED`.
    Unauthorized,
    /// `MISSING_PARAMETER` or `WRONG_PARAMETER`.
    ParameterError,
    /// `IM_FORBIDDEN`: banned from IM.
    ImForbidden,
    /// `TOO_MANY_DEVICES`.
    TooManyDevices,
    /// `RESOURCE_CHANGED`.
    ResourceChanged,
    /// `BIND_ANOTHER_DEVICE`.
    BoundToAnotherDevice,
    /// Any other `FAIL`: authentication failed.
    AuthenticationFailed,
    /// Any other non-OK, non-REDIRECT status.
    Refused(ErrorCode),
    /// The REST token request answered 400, 401 or 404 with another error.
    RestRefused {
        /// The HTTP status.
        status: u16,
    },
}

impl LoginError {
    /// Classifies a PROVISION reply's non-OK, non-REDIRECT status (§7.3).
    pub fn from_provision(code: ErrorCode, reason: &str) -> Self {
        const FAIL_REASONS: &[(&str, LoginError)] = &[
            ("Sorry, token expired", LoginError::TokenExpired),
            (
                "Sorry, token or password does not match login info",
                LoginError::InvalidToken,
            ),
            ("Sorry, user not found", LoginError::UserNotFound),
            ("Sorry, user register limit", LoginError::RegisterLimit),
            ("Sorry, user register rate limit", LoginError::RegisterLimit),
        ];
        const FAIL_CONTAINS: &[(&str, LoginError)] = &[
            ("token expired", LoginError::TokenExpired),
            ("does not match login info", LoginError::InvalidToken),
            ("user not found", LoginError::UserNotFound),
            ("register", LoginError::RegisterLimit),
        ];
        match code {
            ErrorCode::FAIL => classify(reason, FAIL_REASONS, FAIL_CONTAINS)
                .unwrap_or(LoginError::AuthenticationFailed),
            ErrorCode::TOKEN_EXPIRED => LoginError::TokenExpired,
            ErrorCode::UNAUTHORIZED => LoginError::Unauthorized,
            ErrorCode::MISSING_PARAMETER | ErrorCode::WRONG_PARAMETER => LoginError::ParameterError,
            ErrorCode::IM_FORBIDDEN => LoginError::ImForbidden,
            ErrorCode::PERMISSION_DENIED if reason.contains("live count limit") => {
                LoginError::LiveLimit
            }
            ErrorCode::PERMISSION_DENIED if reason.contains("online count limit") => {
                LoginError::LiveLimit
            }
            ErrorCode::TOO_MANY_DEVICES => LoginError::TooManyDevices,
            ErrorCode::RESOURCE_CHANGED => LoginError::ResourceChanged,
            ErrorCode::BIND_ANOTHER_DEVICE => LoginError::BoundToAnotherDevice,
            other => LoginError::Refused(other),
        }
    }

    /// Classifies a fatal REST token reply (HTTP 400, 401 or 404, §4.4).
    pub fn from_rest(status: u16, description: &str) -> Self {
        if description.contains("invalid password") {
            LoginError::InvalidPassword
        } else if description.contains("user not found") {
            LoginError::UserNotFound
        } else if description.contains("not activated") {
            LoginError::UserNotActivated
        } else {
            LoginError::RestRefused { status }
        }
    }
}

impl fmt::Display for LoginError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Refused(code) => write!(f, "login refused with status {code}"),
            Self::RestRefused { status } => write!(f, "token request refused with HTTP {status}"),
            other => write!(f, "login refused: {other:?}"),
        }
    }
}

impl core::error::Error for LoginError {}

/// Why the server ended the login (a STATISTIC meta, PROTOCOL.md §7.9). No reconnect follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum KickReason {
    /// Operation 1: account deleted or banned, or forced offline.
    UserRemoved,
    /// Operation 2: the same account logged in on another device.
    LoginOnAnotherDevice,
    /// Operation 3: the password changed.
    PasswordChanged,
    /// Operation 4: kicked by another device or the console.
    KickedByOtherDevice,
}

impl KickReason {
    /// The kick an operation means, `None` for INFORMATION and unknown operations.
    pub const fn from_operation(operation: Operation) -> Option<Self> {
        match operation {
            Operation::USER_REMOVED => Some(Self::UserRemoved),
            Operation::USER_LOGIN_ANOTHER_DEVICE => Some(Self::LoginOnAnotherDevice),
            Operation::USER_KICKED_BY_CHANGE_PASSWORD => Some(Self::PasswordChanged),
            Operation::USER_KICKED_BY_OTHER_DEVICE => Some(Self::KickedByOtherDevice),
            _ => None,
        }
    }
}

/// Why the session closed for good ([`Event::Closed`](super::Event::Closed)).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum CloseReason {
    /// [`logout`](super::Session::logout) finished.
    LoggedOut,
    /// The server kicked this login.
    Kicked(KickReason),
    /// The login was refused for good.
    LoginRejected(LoginError),
    /// The token expired and no new one was supplied.
    TokenExpired,
    /// [`ReconnectPolicy::max_attempts`](super::ReconnectPolicy::max_attempts) rounds failed in a
    /// row.
    GaveUp {
        /// The failed rounds.
        attempts: u32,
    },
}

/// A transport failure the caller reports with [`closed`](super::Session::closed).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum TransportError {
    /// The peer closed the connection (EOF).
    PeerClosed,
    /// The connection could not be opened (DNS, refused, unreachable).
    ConnectFailed,
    /// TLS failed (handshake, certificate, alert).
    Tls,
    /// The connection was reset or a read failed.
    Reset,
    /// A write failed.
    WriteFailed,
    /// The transport's own timeout fired.
    TimedOut,
    /// Another platform-specific failure.
    Other,
}

/// Why a socket was dropped or an attempt failed; carried by
/// [`Event::Reconnecting`](super::Event::Reconnecting). The session recovers by itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Disconnect {
    /// The caller reported the socket closed or failed.
    Transport(TransportError),
    /// The socket did not open (or finish its handshake) in time.
    OpenTimeout,
    /// The WebSocket handshake was refused or malformed.
    HandshakeFailed,
    /// The PROVISION reply did not come in time.
    ProvisionTimeout,
    /// The server's bytes broke the WebSocket or msync rules.
    ProtocolError,
    /// The server closed the WebSocket (close frame).
    ServerClosed,
    /// Nothing was received for [`Timings::dead_after`](super::Timings::dead_after).
    DeadLink,
    /// A send or a pull got no answer within [`Timings::ack_timeout`](super::Timings::ack_timeout).
    AckTimeout,
    /// A received frame did not fit a buffer ([`Event::Capacity`](super::Event::Capacity) says
    /// which); its batch stays unacknowledged.
    FrameTooLarge,
    /// Every bootstrap base failed.
    BootstrapFailed,
    /// Every REST host failed (network, 5xx, 409, 429, malformed reply).
    RestFailed,
    /// Too many REDIRECT hops, or a redirect loop.
    RedirectLimit,
    /// The token expired and a password is configured: the session logs in again.
    TokenRefresh,
}

/// A bounded capacity ran out ([`Event::Capacity`](super::Event::Capacity)); each says how the
/// session recovered. Raise the capacity if it happens in practice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum CapacityError {
    /// A received WebSocket message was larger than the receive buffer. The socket is replaced;
    /// its batch stays unacknowledged and is pulled again.
    FrameTooLarge {
        /// The message length (as declared, possibly only so far).
        length: u64,
        /// The receive buffer size.
        capacity: usize,
    },
    /// A zlib payload inflated to more than the receive buffer's free part. As `FrameTooLarge`.
    InflatedTooLarge {
        /// The space that was available.
        capacity: usize,
    },
    /// A frame's payload is zlib-compressed (`compress_algorimth` 1) and this build has no
    /// inflater (msync-core's feature `zlib` is off). The frame is dropped like any frame that
    /// does not decode (counted in [`Stats::malformed_frames`](super::Stats::malformed_frames)):
    /// a batch stays unacknowledged, its pull times out and the socket is replaced. Never
    /// reported with the feature on.
    CompressedFrame,
    /// An HTTP response did not fit the receive buffer; the next host is tried.
    HttpResponseTooLarge {
        /// The receive buffer size.
        capacity: usize,
    },
    /// A NOTICE named a queue while every queue slot was busy. The queue is rediscovered with
    /// UNREAD once a slot frees up; nothing is lost.
    QueueTableFull {
        /// The number of queue slots.
        slots: usize,
    },
    /// A queue's address is too long to store; that queue is not pulled.
    QueueNameTooLong,
    /// A host from `server.json` or a REDIRECT is too long to store and was skipped.
    HostNameTooLong,
    /// More hosts than fit; later ones were skipped.
    HostListFull,
    /// A token from the server or the REST host is longer than
    /// [`MAX_TOKEN_LEN`](super::MAX_TOKEN_LEN); it was not adopted.
    TokenTooLong,
    /// The server's resource is too long to store; the configured one stays in use.
    ResourceTooLong,
    /// Events were produced faster than the caller drained them; the oldest was dropped.
    EventQueueFull,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provision_statuses_follow_the_table() {
        let cases = [
            (
                ErrorCode::FAIL,
                "Sorry, token expired",
                LoginError::TokenExpired,
            ),
            (
                ErrorCode::FAIL,
                "Sorry, token or password does not match login info",
                LoginError::InvalidToken,
            ),
            (
                ErrorCode::FAIL,
                "Sorry, user not found",
                LoginError::UserNotFound,
            ),
            (
                ErrorCode::FAIL,
                "Sorry, user register rate limit",
                LoginError::RegisterLimit,
            ),
            (
                ErrorCode::FAIL,
                "xx token expired!",
                LoginError::TokenExpired,
            ),
            (
                ErrorCode::FAIL,
                "anything",
                LoginError::AuthenticationFailed,
            ),
            (ErrorCode::UNAUTHORIZED, "", LoginError::Unauthorized),
            (ErrorCode::WRONG_PARAMETER, "", LoginError::ParameterError),
            (ErrorCode::IM_FORBIDDEN, "", LoginError::ImForbidden),
            (
                ErrorCode::PERMISSION_DENIED,
                "Sorry, the app month live count limit",
                LoginError::LiveLimit,
            ),
            (ErrorCode::TOO_MANY_DEVICES, "", LoginError::TooManyDevices),
            (ErrorCode::RESOURCE_CHANGED, "", LoginError::ResourceChanged),
            (
                ErrorCode::BIND_ANOTHER_DEVICE,
                "",
                LoginError::BoundToAnotherDevice,
            ),
            (ErrorCode::TOKEN_EXPIRED, "", LoginError::TokenExpired),
            (ErrorCode(99), "", LoginError::Refused(ErrorCode(99))),
        ];
        for (code, reason, expected) in cases {
            assert_eq!(
                LoginError::from_provision(code, reason),
                expected,
                "{reason}"
            );
        }
        assert_eq!(
            LoginError::from_rest(400, "invalid password"),
            LoginError::InvalidPassword
        );
        assert_eq!(
            LoginError::from_rest(404, "user not found"),
            LoginError::UserNotFound
        );
        assert_eq!(
            LoginError::from_rest(401, "Unable"),
            LoginError::RestRefused { status: 401 }
        );
    }

    #[test]
    fn send_rejections_exact_then_substring() {
        let cases = [
            (ErrorCode::USER_MUTED, "", RejectReason::SenderMuted),
            (
                ErrorCode::FAIL,
                "not in group or chatroom",
                RejectReason::NotMember,
            ),
            (
                ErrorCode::FAIL,
                "not in group or chatroom white list",
                RejectReason::NotInWhiteList,
            ),
            (ErrorCode::FAIL, "nonroster", RejectReason::NotContact),
            (
                ErrorCode::FAIL,
                "grpID 42 does not exist!",
                RejectReason::ChatroomNotFound,
            ),
            (
                ErrorCode::FAIL,
                "username u doesn't exist!",
                RejectReason::UserNotFound,
            ),
            (
                ErrorCode::FAIL,
                "limit directed users 20",
                RejectReason::DirectedUsersLimit,
            ),
            (
                ErrorCode::FAIL,
                r#"{"error_type":"moderation"}"#,
                RejectReason::Moderation,
            ),
            (
                ErrorCode::PERMISSION_DENIED,
                "sensitive words",
                RejectReason::SensitiveContent,
            ),
            (
                ErrorCode::PERMISSION_DENIED,
                "user is mute",
                RejectReason::MutedByAdmin,
            ),
            (
                ErrorCode::PERMISSION_DENIED,
                "traffic limit",
                RejectReason::RateLimited,
            ),
            (
                ErrorCode::PERMISSION_DENIED,
                "Sorry, data is too large",
                RejectReason::TooLarge,
            ),
            (
                ErrorCode::PERMISSION_DENIED_EXTERNAL,
                "x",
                RejectReason::ExternalCallback,
            ),
            (ErrorCode::FAIL, "something new", RejectReason::Other),
        ];
        for (code, text, expected) in cases {
            assert_eq!(RejectReason::classify(code, text), expected, "{text}");
        }
    }

    #[test]
    fn kicks_are_operations_one_to_four() {
        assert_eq!(KickReason::from_operation(Operation::INFORMATION), None);
        assert_eq!(
            KickReason::from_operation(Operation::USER_REMOVED),
            Some(KickReason::UserRemoved)
        );
        assert_eq!(
            KickReason::from_operation(Operation::USER_KICKED_BY_OTHER_DEVICE),
            Some(KickReason::KickedByOtherDevice)
        );
        assert_eq!(KickReason::from_operation(Operation(9)), None);
    }
}
