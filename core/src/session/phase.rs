//! The session's internal state machine (PROTOCOL.md §7.1), finer than the public [`State`].

use core::ops::Range;

use super::error::{CloseReason, LoginError};
use super::message::MessageId;
use super::output::{Purpose, State};
use crate::region::FrameEncoding;
use crate::time::Instant;
use crate::wire::http::ResponseReader;
use crate::wire::msync::ErrorCode;

/// Header fields accepted in an HTTP response.
pub(crate) const HTTP_MAX_HEADERS: usize = 24;

#[derive(Debug)]
pub(crate) enum Phase {
    Idle,
    /// Waiting before the next login round.
    Backoff {
        until: Instant,
    },
    /// A bootstrap or REST exchange on the live socket.
    Http(HttpExchange),
    /// The WebSocket on the live socket.
    Ws(WsLink),
    /// Ending: a last frame, then close, fail what is pending, report.
    Ending(Ending),
    Closed(CloseReason),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum HttpKind {
    Bootstrap,
    Rest,
}

impl HttpKind {
    pub(crate) const fn purpose(self) -> Purpose {
        match self {
            HttpKind::Bootstrap => Purpose::Bootstrap,
            HttpKind::Rest => Purpose::Rest,
        }
    }
}

#[derive(Debug)]
pub(crate) struct HttpExchange {
    pub(crate) kind: HttpKind,
    /// Which bootstrap base or REST host.
    pub(crate) index: usize,
    pub(crate) stage: HttpStage,
    pub(crate) deadline: Instant,
}

#[derive(Debug)]
pub(crate) enum HttpStage {
    /// `Open` handed out, waiting for `opened`.
    Opening,
    /// Opened: the request is to be transmitted.
    Request,
    /// Reading the response into the receive buffer.
    Response {
        filled: usize,
        reader: ResponseReader<HTTP_MAX_HEADERS>,
    },
}

#[derive(Debug)]
pub(crate) struct WsLink {
    pub(crate) stage: WsStage,
    /// How frames are sent to this gateway.
    pub(crate) frame: FrameEncoding,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum WsStage {
    /// `Open` handed out, waiting for `opened`.
    Opening {
        deadline: Instant,
    },
    /// The upgrade request is to be sent (or was), the response is being read.
    Handshake {
        key: [u8; 16],
        sent: bool,
        filled: usize,
        deadline: Instant,
    },
    /// PROVISION is to be sent (or was), its reply is awaited.
    Provisioning {
        sent: bool,
        deadline: Instant,
    },
    Online,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Ending {
    pub(crate) reason: CloseReason,
    pub(crate) step: EndStep,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum EndStep {
    /// Send this frame on the live socket first.
    Flush(FinalFrame),
    /// LOGOUT sent: wait for its reply until the deadline.
    AwaitLogoutReply { deadline: Instant },
    /// Close the socket and fail what is pending.
    Finish,
    /// Report `Closed` once every send's event is out.
    Report,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FinalFrame {
    /// LOGOUT with the configured reason, or `inner:token expired`.
    Logout { token_expired: bool },
    /// Acknowledge a kick's batch (§7.9).
    KeyAck { queue: usize, key: u64 },
}

/// What in the receive buffer still has to reach the application.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) enum Inbound {
    #[default]
    None,
    /// A batch's metas, handed out one per poll.
    Batch(BatchCursor),
    /// A batch no chain awaited reached the application: its key acknowledgement is due,
    /// addressed from the batch's own bytes (`payload`, the `CommSyncDL`), which stay in the
    /// receive buffer until the frame is out.
    KeyAck { payload: Range<usize>, key: u64 },
    /// A rejected send; the event borrows the ACK's reason text.
    Rejected {
        id: MessageId,
        code: ErrorCode,
        payload: Range<usize>,
    },
    /// A refused login; the event borrows the server's text.
    LoginFailed { error: LoginError, text: ServerText },
}

/// Where a refusal's text lies in the receive buffer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ServerText {
    /// `Status.reason` of the PROVISION reply whose body is here.
    Provision(Range<usize>),
    /// `error_description` of the REST error body here.
    Rest(Range<usize>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct BatchCursor {
    /// The `CommSyncDL` bytes.
    pub(crate) payload: Range<usize>,
    /// Offset in `payload` of the next field to read.
    pub(crate) position: usize,
    /// The pull-table entry the batch answers, if any.
    pub(crate) queue: Option<usize>,
    pub(crate) next_key: Option<u64>,
    pub(crate) is_last: bool,
    pub(crate) had_metas: bool,
    /// A meta of the batch reached the application (not a duplicate, not skipped).
    pub(crate) handed_out: bool,
    /// The first kick met in the batch.
    pub(crate) kick: Option<super::error::KickReason>,
}

impl Phase {
    /// The public view.
    pub(crate) fn state(&self) -> State {
        match self {
            Phase::Idle => State::Idle,
            Phase::Backoff { .. } => State::Reconnecting,
            Phase::Http(http) => match http.kind {
                HttpKind::Bootstrap => State::Resolving,
                HttpKind::Rest => State::Authenticating,
            },
            Phase::Ws(link) => match link.stage {
                WsStage::Opening { .. } | WsStage::Handshake { .. } => State::Connecting,
                WsStage::Provisioning { .. } => State::Provisioning,
                WsStage::Online => State::Online,
            },
            Phase::Ending(ending) => match ending.reason {
                CloseReason::LoggedOut | CloseReason::TokenExpired => State::LoggingOut,
                reason => State::Closed(reason),
            },
            Phase::Closed(reason) => State::Closed(*reason),
        }
    }

    pub(crate) fn is_online(&self) -> bool {
        matches!(
            self,
            Phase::Ws(WsLink {
                stage: WsStage::Online,
                ..
            })
        )
    }
}
