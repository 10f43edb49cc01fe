//! The application's handle: [`ClientChannels`] (the channels, in a `static`) and [`Client`]
//! (calls that wait for their outcome, and the event stream).

use core::cell::Cell;

use embassy_sync::blocking_mutex::Mutex as BlockingMutex;
use embassy_sync::blocking_mutex::raw::RawMutex;
use embassy_sync::channel::Channel;
use embassy_sync::mutex::Mutex;
use embassy_sync::signal::Signal;
use heapless::String;
use msync_core::session::{ChatType, CloseReason, LoginError, SendError, State, StateError};

use crate::app::ChannelApp;
use crate::event::{Ack, ClientEvent, Name, SendFailed};

/// Why a [`Client`] call failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Error {
    /// The recipient or the text does not fit the client's bounded copy (`MAX_NAME_LEN`,
    /// `TEXT`).
    TooLong,
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
#[derive(Clone, Debug)]
pub(crate) enum Request<const TEXT: usize> {
    Login,
    Send {
        to: Name,
        text: String<TEXT>,
        chat: ChatType,
    },
    Logout,
    Stop,
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
/// different interrupt priorities, `NoopRawMutex` on one executor), `TEXT` bounds message
/// text (sent and received), `EVENTS` is how many events may wait unread. When they are all
/// unread, the runner waits for room, and so does the connection: read the events.
pub struct ClientChannels<M: RawMutex, const TEXT: usize = 256, const EVENTS: usize = 4> {
    pub(crate) requests: Channel<M, (u32, Request<TEXT>), 1>,
    pub(crate) replies: Signal<M, (u32, Reply)>,
    pub(crate) events: Channel<M, ClientEvent<TEXT>, EVENTS>,
    /// One call at a time; holds the last call's number.
    calls: Mutex<M, u32>,
    pub(crate) state: BlockingMutex<M, Cell<State>>,
}

impl<M: RawMutex, const TEXT: usize, const EVENTS: usize> ClientChannels<M, TEXT, EVENTS> {
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
    pub fn client(&self) -> Client<'_, M, TEXT, EVENTS> {
        Client { channels: self }
    }

    /// The runner's side, to pass to [`Runner::run`](crate::Runner::run). One at a time.
    pub fn application(&self) -> ChannelApp<'_, M, TEXT, EVENTS> {
        ChannelApp::new(self)
    }

    pub(crate) fn set_state(&self, state: State) {
        self.state.lock(|cell| cell.set(state));
    }
}

impl<M: RawMutex, const TEXT: usize, const EVENTS: usize> Default
    for ClientChannels<M, TEXT, EVENTS>
{
    fn default() -> Self {
        Self::new()
    }
}

/// The application's handle on a running client: log in, send and wait for the server's
/// acknowledgement, read events, log out. Cheap to copy; no allocation.
pub struct Client<'c, M: RawMutex, const TEXT: usize = 256, const EVENTS: usize = 4> {
    channels: &'c ClientChannels<M, TEXT, EVENTS>,
}

impl<M: RawMutex, const TEXT: usize, const EVENTS: usize> Clone for Client<'_, M, TEXT, EVENTS> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<M: RawMutex, const TEXT: usize, const EVENTS: usize> Copy for Client<'_, M, TEXT, EVENTS> {}

impl<M: RawMutex, const TEXT: usize, const EVENTS: usize> Client<'_, M, TEXT, EVENTS> {
    /// Logs in; completes once online, or with why the login was refused or the session
    /// closed. Network failures do not end it: the session retries with backoff, so bound the
    /// wait (`embassy_time::with_timeout`) if needed. Already online: completes at once.
    pub async fn login(&self) -> Result<(), Error> {
        self.call_done(Request::Login).await
    }

    /// Sends a one-to-one text message; completes with the server's acknowledgement.
    pub async fn send_text(&self, to: &str, text: &str) -> Result<Ack, Error> {
        self.send(to, text, ChatType::Single).await
    }

    /// Sends a text message to a user, group or chat room; completes with the server's
    /// acknowledgement. Sent while offline, it goes out once online, and it is re-sent with
    /// the same id after a reconnect until acknowledged or failed.
    pub async fn send(&self, to: &str, text: &str, chat: ChatType) -> Result<Ack, Error> {
        let to = Name::try_from(to).map_err(|_| Error::TooLong)?;
        let text = String::try_from(text).map_err(|_| Error::TooLong)?;
        match self.call(Request::Send { to, text, chat }).await {
            Reply::Acked(result) => result,
            Reply::Done(result) => result.and(Err(Error::State(StateError::NotStarted))),
        }
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
    pub async fn next_event(&self) -> ClientEvent<TEXT> {
        self.channels.events.receive().await
    }

    /// The next event if one is waiting.
    pub fn try_next_event(&self) -> Option<ClientEvent<TEXT>> {
        self.channels.events.try_receive().ok()
    }

    /// The session's state, as of the last event.
    pub fn state(&self) -> State {
        self.channels.state.lock(Cell::get)
    }

    async fn call_done(&self, request: Request<TEXT>) -> Result<(), Error> {
        match self.call(request).await {
            Reply::Done(result) => result,
            Reply::Acked(result) => result.map(drop),
        }
    }

    /// Sends `request` and waits for its reply. A reply left behind by a call that was
    /// cancelled carries another number and is skipped.
    async fn call(&self, request: Request<TEXT>) -> Reply {
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

impl<M: RawMutex, const TEXT: usize, const EVENTS: usize> core::fmt::Debug
    for Client<'_, M, TEXT, EVENTS>
{
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Client")
            .field("state", &self.state())
            .finish_non_exhaustive()
    }
}
