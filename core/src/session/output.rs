//! What the session asks of its caller: [`Output`]s, [`Event`]s for the application, and the
//! names of sockets and remotes.

use core::fmt;

use super::error::{CapacityError, CloseReason, Disconnect, LoginError, SendFailure};
use super::message::{Kick, MessageId, Notification, Receipt, ReceivedMessage};
use crate::time::{Duration, Instant};

/// One socket of the session's single slot, named by its generation.
///
/// Every socket the session opens gets a new generation; at most one is live. Inputs naming any
/// other socket are ignored and counted ([`super::Stats::stale_inputs`]).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct SocketId(u32);

impl SocketId {
    /// The socket with this generation (generations start at 1). Sessions hand out their own;
    /// this exists for C callers and tests that store the number.
    pub const fn from_generation(generation: u32) -> Self {
        Self(generation)
    }

    /// The generation number.
    pub const fn generation(self) -> u32 {
        self.0
    }
}

impl fmt::Debug for SocketId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "socket#{}", self.0)
    }
}

/// Why a socket is opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Purpose {
    /// An HTTP exchange with a bootstrap base (`server.json`).
    Bootstrap,
    /// An HTTP exchange with a REST host (the password token).
    Rest,
    /// The msync WebSocket to a gateway.
    Gateway,
}

/// Where to open a socket: a TCP connection to `host:port`, with TLS (server name `host`) when
/// `tls` is set. The session writes the HTTP request or WebSocket handshake itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Remote<'a> {
    /// DNS name or IP address as written in a URL (IPv6 in brackets).
    pub host: &'a str,
    /// TCP port.
    pub port: u16,
    /// Run TLS over the connection (`https`, `wss`).
    pub tls: bool,
    /// What the socket is for.
    pub purpose: Purpose,
}

/// What the caller must do next; see the module documentation for the loop.
///
/// `Debug` shows a `Transmit`'s length, not its bytes (PROVISION and LOGOUT carry the token).
// Views live briefly on the stack and there is no heap to box the large variant into.
#[allow(clippy::large_enum_variant)]
pub enum Output<'a> {
    /// Open a TCP (and TLS, per `remote.tls`) connection and report [`opened`] or [`closed`] for
    /// `socket`. Any previous socket was closed first: by an [`Output::Close`], or because the
    /// caller reported it closed.
    ///
    /// [`opened`]: super::Session::opened
    /// [`closed`]: super::Session::closed
    Open {
        /// The new socket.
        socket: SocketId,
        /// Where to connect.
        remote: Remote<'a>,
    },
    /// Write all of `bytes` to `socket`, in order, before the next `Transmit`.
    Transmit {
        /// The live socket.
        socket: SocketId,
        /// The bytes, borrowed from the session's transmit buffer.
        bytes: &'a [u8],
    },
    /// Close `socket` and drop whatever it still delivers (late events of a closed socket are
    /// ignored anyway).
    Close {
        /// The socket to close.
        socket: SocketId,
    },
    /// Hand this to the application.
    Event(Event<'a>),
    /// Nothing more to do: wait for input, or until `until` (then call
    /// [`timeout`](super::Session::timeout)); `None` means no timer is running. `until` is
    /// always later than the `now` of the last input: what was due by then is handled first.
    Wait {
        /// The next deadline.
        until: Option<Instant>,
    },
}

impl fmt::Debug for Output<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Output::Open { socket, remote } => f
                .debug_struct("Open")
                .field("socket", socket)
                .field("remote", remote)
                .finish(),
            Output::Transmit { socket, bytes } => f
                .debug_struct("Transmit")
                .field("socket", socket)
                .field("len", &bytes.len())
                .finish(),
            Output::Close { socket } => f.debug_struct("Close").field("socket", socket).finish(),
            Output::Event(event) => f.debug_tuple("Event").field(event).finish(),
            Output::Wait { until } => f.debug_struct("Wait").field("until", until).finish(),
        }
    }
}

/// Something the application should know.
// Views live briefly on the stack and there is no heap to box the large variants into.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum Event<'a> {
    /// A login started (after [`login`](super::Session::login)).
    Connecting,
    /// PROVISION succeeded: the session is online. Unacknowledged sends are re-sent now.
    Online,
    /// The connection was lost or a login round failed; the next attempt starts after `delay`.
    Reconnecting {
        /// Failed rounds in a row, from 1.
        attempt: u32,
        /// The wait before the next attempt.
        delay: Duration,
        /// What went wrong.
        cause: Disconnect,
    },
    /// The session ended for good; no socket is open and nothing is pending. Every send ended
    /// before this event.
    Closed {
        /// Why.
        reason: CloseReason,
    },
    /// The server or the REST host refused the login; [`Event::Closed`] follows.
    LoginFailed {
        /// The typed reason.
        error: LoginError,
        /// The server's own text (`Status.reason` or REST `error_description`), possibly empty.
        reason: &'a str,
    },
    /// A chat message arrived (delivered once: duplicates are dropped).
    Message(ReceivedMessage<'a>),
    /// A delivery or read receipt arrived.
    Receipt(Receipt<'a>),
    /// A NOTIFY meta (JSON) arrived.
    Notification(Notification<'a>),
    /// The server acknowledged a send.
    SendAcked {
        /// The id [`send`](super::Session::send) returned.
        id: MessageId,
        /// The server's id of the message.
        server_id: u64,
        /// The server's time of the message, Unix ms (0 when absent).
        timestamp: u64,
    },
    /// A send ended without acknowledgement.
    SendFailed {
        /// The id [`send`](super::Session::send) returned.
        id: MessageId,
        /// Why.
        error: SendFailure<'a>,
    },
    /// The server ended this login (another device, account removed, ...); [`Event::Closed`]
    /// follows once the rest of the batch is delivered.
    Kicked(Kick<'a>),
    /// The token expires at `expires_at` (session time); call
    /// [`renew_token`](super::Session::renew_token) before then. Reported only while the
    /// session runs (from [`login`](super::Session::login) to [`Event::Closed`]): a token
    /// handed over while it is closed is checked when `login` starts it again.
    TokenWillExpire {
        /// When it expires.
        expires_at: Instant,
    },
    /// The session obtained or was given a new token (REST login, or a rotated token in the
    /// PROVISION reply); read it with [`token`](super::Session::token) to store it.
    TokenUpdated,
    /// A bounded capacity ran out; the session recovered as the error describes.
    Capacity(CapacityError),
}

/// The session's state, for display and decisions (see [`Event`] for changes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum State {
    /// Not started: call [`login`](super::Session::login).
    Idle,
    /// Fetching `server.json`.
    Resolving,
    /// Asking a REST host for a token.
    Authenticating,
    /// Opening the WebSocket.
    Connecting,
    /// Waiting for the PROVISION reply.
    Provisioning,
    /// Logged in.
    Online,
    /// Waiting before the next attempt.
    Reconnecting,
    /// LOGOUT sent, waiting for the reply.
    LoggingOut,
    /// Ended; [`login`](super::Session::login) starts again.
    Closed(CloseReason),
}
