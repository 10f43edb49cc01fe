//! The application's handle: [`ClientChannels`] (the channels, in a `static`) and [`Client`]
//! (calls that wait for their outcome, and the event stream).

use core::cell::Cell;

use embassy_sync::blocking_mutex::Mutex as BlockingMutex;
use embassy_sync::blocking_mutex::raw::RawMutex;
use embassy_sync::channel::Channel;
use embassy_sync::mutex::Mutex;
use embassy_sync::signal::Signal;
use heapless::String;
use msync_core::session::{
    CloseReason, LoginError, MAX_TOKEN_LEN, OutgoingMessage, SendError, State, StateError,
    TokenError,
};

use crate::app::ChannelApp;
use crate::event::{Ack, ClientEvent, SendFailed};
use crate::outgoing::Outgoing;

/// Why a [`Client`] call failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Error {
    /// The message does not fit the client's bounded copy: the recipient is longer than
    /// [`MAX_NAME_LEN`](crate::MAX_NAME_LEN), its text longer than `TEXT` bytes, or it has more
    /// than `ATTRS` attributes or directed recipients (see [`ClientChannels`]). Nothing was
    /// sent.
    TooLong,
    /// The session refused the token (`renew_token`); the old one stays.
    Token(TokenError),
    /// The session cannot do this in its state (e.g. logging in twice).
    State(StateError),
    /// The session could not queue the message (outbox full, message too large, ...).
    Send(SendError),
    /// The message was queued but not acknowledged.
    SendFailed(SendFailed),
    /// The server refused the login.
    Login(LoginError),
    /// The session closed before the call completed.
    Closed(CloseReason),
}

/// What the application asks the runner.
// One lives in the requests channel; the variants share its slot either way.
#[allow(clippy::large_enum_variant)]
pub(crate) enum Request<const TEXT: usize, const ATTRS: usize> {
    Login,
    Send(Outgoing<TEXT, ATTRS>),
    RenewToken {
        token: Secret,
        expires_in: Option<u64>,
    },
    Logout,
    Stop,
}

/// A copied token; `Debug` does not show it.
pub(crate) struct Secret(pub(crate) String<MAX_TOKEN_LEN>);

impl core::fmt::Debug for Secret {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("<redacted>")
    }
}

/// The runner's answer to one request.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Reply {
    Done(Result<(), Error>),
    Acked(Result<Ack, Error>),
}

/// The channels between the application's [`Client`]s and the runner's [`ChannelApp`]: put
/// them in a `static` (they are `const`-constructible) or anywhere both sides can borrow.
///
/// `M` is the mutex kind (`CriticalSectionRawMutex` when client and runner may run at
/// different interrupt priorities, `NoopRawMutex` on one executor). A message, sent or
/// received, is copied into `TEXT` bytes of text (its content's text, command action, event
/// name or address, and its attributes' keys and string values, together) and `ATTRS`
/// attributes (command parameters or custom fields plus ext; a sent message's directed
/// recipients count too); one that does not fit is refused at the call
/// ([`Error::TooLong`]) or reported ([`ClientEvent::Oversized`]), never cut. `EVENTS` is how
/// many events may wait unread: when they are all unread, the runner waits for room, and so
/// does the connection: read the events.
pub struct ClientChannels<
    M: RawMutex,
    const TEXT: usize = 256,
    const EVENTS: usize = 4,
    const ATTRS: usize = 4,
> {
    pub(crate) requests: Channel<M, (u32, Request<TEXT, ATTRS>), 1>,
    pub(crate) replies: Signal<M, (u32, Reply)>,
    pub(crate) events: Channel<M, ClientEvent<TEXT, ATTRS>, EVENTS>,
    /// One call at a time; holds the last call's number.
    calls: Mutex<M, u32>,
    pub(crate) state: BlockingMutex<M, Cell<State>>,
}

impl<M: RawMutex, const TEXT: usize, const EVENTS: usize, const ATTRS: usize>
    ClientChannels<M, TEXT, EVENTS, ATTRS>
{
    /// Empty channels.
    pub const fn new() -> Self {
        Self {
            requests: Channel::new(),
            replies: Signal::new(),
            events: Channel::new(),
            calls: Mutex::new(0),
            state: BlockingMutex::new(Cell::new(State::Idle)),
        }
    }

    /// A handle for the application (as many as wanted; calls are served one at a time).
    pub fn client(&self) -> Client<'_, M, TEXT, EVENTS, ATTRS> {
        Client { channels: self }
    }

    /// The runner's side, to pass to [`Runner::run`](crate::Runner::run). One at a time.
    pub fn application(&self) -> ChannelApp<'_, M, TEXT, EVENTS, ATTRS> {
        ChannelApp::new(self)
    }

    pub(crate) fn set_state(&self, state: State) {
        self.state.lock(|cell| cell.set(state));
    }
}

impl<M: RawMutex, const TEXT: usize, const EVENTS: usize, const ATTRS: usize> Default
    for ClientChannels<M, TEXT, EVENTS, ATTRS>
{
    fn default() -> Self {
        Self::new()
    }
}

/// The application's handle on a running client: log in, send and wait for the server's
/// acknowledgement, read events, renew the token, log out. Cheap to copy; no allocation.
pub struct Client<
    'c,
    M: RawMutex,
    const TEXT: usize = 256,
    const EVENTS: usize = 4,
    const ATTRS: usize = 4,
> {
    channels: &'c ClientChannels<M, TEXT, EVENTS, ATTRS>,
}

impl<M: RawMutex, const TEXT: usize, const EVENTS: usize, const ATTRS: usize> Clone
    for Client<'_, M, TEXT, EVENTS, ATTRS>
{
    fn clone(&self) -> Self {
        *self
    }
}

impl<M: RawMutex, const TEXT: usize, const EVENTS: usize, const ATTRS: usize> Copy
    for Client<'_, M, TEXT, EVENTS, ATTRS>
{
}

impl<M: RawMutex, const TEXT: usize, const EVENTS: usize, const ATTRS: usize>
    Client<'_, M, TEXT, EVENTS, ATTRS>
{
    /// Logs in; completes once online, or with why the login was refused or the session
    /// closed. Network failures do not end it: the session retries with backoff, so bound the
    /// wait (`embassy_time::with_timeout`) if needed. Already online: completes at once.
    pub async fn login(&self) -> Result<(), Error> {
        self.call_done(Request::Login).await
    }

    /// Sends a one-to-one text message; completes with the server's acknowledgement.
    pub async fn send_text(&self, to: &str, text: &str) -> Result<Ack, Error> {
        self.send(&OutgoingMessage::text(to, text)).await
    }

    /// Sends a message: text, command, custom event or location, to a user, group or chat
    /// room, with ext, routing and priority (build it with the core's
    /// [`OutgoingMessage`] constructors and adjusters). Completes with the server's
    /// acknowledgement. It is copied first; [`Error::TooLong`] when it does not fit
    /// (`TEXT`, `ATTRS`). Sent while offline, it goes out once online, and it is re-sent with
    /// the same id after a reconnect until acknowledged or failed.
    pub async fn send(&self, message: &OutgoingMessage<'_>) -> Result<Ack, Error> {
        let message = Outgoing::copy(message).ok_or(Error::TooLong)?;
        match self.call(Request::Send(message)).await {
            Reply::Acked(result) => result,
            Reply::Done(result) => result.and(Err(Error::State(StateError::NotStarted))),
        }
    }

    /// Hands over a new token, used from the next login or reconnection on; `expires_in`
    /// (Unix ms, Unix s or seconds from now) re-arms the expiry warning, `None` disarms it.
    /// After `Closed { reason: TokenExpired }`, call [`login`](Client::login) again. Refused
    /// with [`Error::Token`] when it is empty, not visible ASCII, or too long.
    pub async fn renew_token(&self, token: &str, expires_in: Option<u64>) -> Result<(), Error> {
        let token = String::try_from(token).map_err(|_| Error::Token(TokenError::TooLong))?;
        let token = Secret(token);
        self.call_done(Request::RenewToken { token, expires_in })
            .await
    }

    /// Logs out; completes once the session has closed.
    pub async fn logout(&self) -> Result<(), Error> {
        self.call_done(Request::Logout).await
    }

    /// Makes [`Runner::run`](crate::Runner::run) return (log out first for a clean end).
    pub async fn stop(&self) {
        let _ = self.call(Request::Stop).await;
    }

    /// The next event (waits for one).
    pub async fn next_event(&self) -> ClientEvent<TEXT, ATTRS> {
        self.channels.events.receive().await
    }

    /// The next event if one is waiting.
    pub fn try_next_event(&self) -> Option<ClientEvent<TEXT, ATTRS>> {
        self.channels.events.try_receive().ok()
    }

    /// The session's state, as of the last event.
    pub fn state(&self) -> State {
        self.channels.state.lock(Cell::get)
    }

    async fn call_done(&self, request: Request<TEXT, ATTRS>) -> Result<(), Error> {
        match self.call(request).await {
            Reply::Done(result) => result,
            Reply::Acked(result) => result.map(drop),
        }
    }

    /// Sends `request` and waits for its reply. A reply left behind by a call that was
    /// cancelled carries another number and is skipped.
    async fn call(&self, request: Request<TEXT, ATTRS>) -> Reply {
        let mut last = self.channels.calls.lock().await;
        let number = last.wrapping_add(1);
        *last = number;
        self.channels.requests.send((number, request)).await;
        loop {
            let (answered, reply) = self.channels.replies.wait().await;
            if answered == number {
                return reply;
            }
        }
    }
}

impl<M: RawMutex, const TEXT: usize, const EVENTS: usize, const ATTRS: usize> core::fmt::Debug
    for Client<'_, M, TEXT, EVENTS, ATTRS>
{
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Client")
            .field("state", &self.state())
            .finish_non_exhaustive()
    }
}
