//! The async handle: [`Client`], its [`Events`] and [`Ack`]s.

use std::sync::Arc;

use msync_core::session::MessageId;
use tokio::sync::{mpsc, oneshot, watch};
use tracing::Instrument;

use crate::attribute::Attribute;
use crate::config::ClientConfig;
use crate::error::{Error, SendError, StartError};
use crate::event::{ClientEvent, ConnectionState};
use crate::outgoing::Outgoing;
use crate::task::{self, App, Command, Reply};

/// Commands that may wait for the task before callers are made to wait.
const COMMAND_CAPACITY: usize = 64;

/// The server's acknowledgement of a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ack {
    /// The id the client gave the message (kept across re-sends).
    pub client_id: MessageId,
    /// The server's id of the message (what receivers see as `Message::server_id`).
    pub server_id: u64,
    /// The server's time of the message, Unix ms (0 when absent).
    pub timestamp: u64,
}

/// A handle on a running client: cheap to clone; the client logs out and stops when the last
/// handle is dropped.
///
/// Sends can overlap: each `send*` call resolves when its own ACK arrives, and up to 32 are in
/// flight at once (more wait their turn). Unacknowledged sends survive reconnects and are
/// re-sent with their original ids, so the server stores each once.
#[derive(Clone, Debug)]
pub struct Client {
    commands: mpsc::Sender<Command>,
    state: watch::Receiver<ConnectionState>,
    user: Arc<str>,
}

/// The client's events, in order. Read them (or drop this): when `capacity` events wait unread,
/// the client pauses reading from the server until there is room, so nothing is lost.
#[derive(Debug)]
pub struct Events {
    receiver: mpsc::Receiver<ClientEvent>,
}

impl Events {
    /// The next event; `None` once the client has stopped.
    pub async fn recv(&mut self) -> Option<ClientEvent> {
        self.receiver.recv().await
    }

    /// The next event if one is waiting.
    pub fn try_recv(&mut self) -> Option<ClientEvent> {
        self.receiver.try_recv().ok()
    }

    /// The underlying tokio receiver.
    pub fn into_inner(self) -> mpsc::Receiver<ClientEvent> {
        self.receiver
    }
}

impl Client {
    /// Starts a client on the current tokio runtime: checks `config` and spawns the task that
    /// runs the connection. Nothing connects until [`login`](Client::login).
    pub async fn start(config: ClientConfig) -> Result<(Client, Events), StartError> {
        let runtime = tokio::runtime::Handle::try_current().map_err(|_| StartError::NoRuntime)?;
        let tls = config.tls.build().map_err(StartError::Tls)?;
        let (commands, command_receiver) = mpsc::channel(COMMAND_CAPACITY);
        let (events, receiver) = mpsc::channel(config.event_capacity);
        let (state_sender, state) = watch::channel(ConnectionState::Idle);
        let (started, started_receiver) = oneshot::channel();
        let user: Arc<str> = Arc::from(config.user());
        let span = tracing::info_span!("msync", user = %user);
        let app = App::new(command_receiver, events, state_sender);
        runtime.spawn(task::run(config, tls, app, started).instrument(span));
        match started_receiver.await {
            Ok(Ok(())) => Ok((
                Client {
                    commands,
                    state,
                    user,
                },
                Events { receiver },
            )),
            Ok(Err(error)) => Err(error),
            // The runtime is shutting down.
            Err(_) => Err(StartError::NoRuntime),
        }
    }

    /// Logs in; resolves once online, or with the typed reason the login was refused
    /// ([`Error::Login`]) or the session closed ([`Error::Closed`]). Network failures do not
    /// end it: the client retries with backoff (see
    /// [`ReconnectPolicy`](msync_core::session::ReconnectPolicy)), so bound the wait if
    /// needed. Already online: resolves at once.
    pub async fn login(&self) -> Result<(), Error> {
        self.call(Command::Login)
            .await
            .unwrap_or(Err(Error::Stopped))
    }

    /// Logs out; resolves once the session has closed. Pending sends fail with
    /// [`SendError::SessionEnded`].
    pub async fn logout(&self) -> Result<(), Error> {
        self.call(Command::Logout)
            .await
            .unwrap_or(Err(Error::Stopped))
    }

    /// Sends `message`; resolves with the server's [`Ack`], or why it was not acknowledged.
    /// Sent while offline, it goes out once online.
    pub async fn send(&self, message: Outgoing) -> Result<Ack, SendError> {
        self.call(|reply| Command::Send(Box::new(message), reply))
            .await
            .unwrap_or(Err(SendError::Stopped))
    }

    /// Sends a one-to-one text message.
    pub async fn send_text(
        &self,
        to: impl Into<String>,
        text: impl Into<String>,
    ) -> Result<Ack, SendError> {
        self.send(Outgoing::text(to, text)).await
    }

    /// Sends a one-to-one command message (an action with parameters, not shown to users).
    pub async fn send_cmd(
        &self,
        to: impl Into<String>,
        action: impl Into<String>,
        params: Vec<Attribute>,
    ) -> Result<Ack, SendError> {
        self.send(Outgoing::command(to, action, params)).await
    }

    /// Sends a one-to-one custom message (an event with attributes).
    pub async fn send_custom(
        &self,
        to: impl Into<String>,
        event: impl Into<String>,
        exts: Vec<Attribute>,
    ) -> Result<Ack, SendError> {
        self.send(Outgoing::custom(to, event, exts)).await
    }

    /// Sends a one-to-one location message.
    pub async fn send_location(
        &self,
        to: impl Into<String>,
        latitude: f64,
        longitude: f64,
        address: impl Into<String>,
    ) -> Result<Ack, SendError> {
        self.send(Outgoing::location(to, latitude, longitude, address))
            .await
    }

    /// Hands over a new token, used from the next login on; `expires_in` (Unix ms, Unix s or
    /// seconds from now) re-arms the expiry warning. After `Closed(TokenExpired)`, call
    /// [`login`](Client::login) again.
    pub async fn renew_token(
        &self,
        token: impl Into<String>,
        expires_in: Option<u64>,
    ) -> Result<(), Error> {
        let token = token.into();
        self.call(|reply| Command::RenewToken {
            token,
            expires_in,
            reply,
        })
        .await
        .unwrap_or(Err(Error::Stopped))
    }

    /// The newest token (after a password login or a rotation), to store it. A credential:
    /// keep it out of logs.
    pub async fn token(&self) -> Result<Option<String>, Error> {
        self.call(Command::Token).await.ok_or(Error::Stopped)
    }

    /// The connection state now.
    pub fn state(&self) -> ConnectionState {
        *self.state.borrow()
    }

    /// A receiver of state changes (tokio `watch`), for waiting on a state.
    pub fn state_changes(&self) -> watch::Receiver<ConnectionState> {
        self.state.clone()
    }

    /// The user ID.
    pub fn user(&self) -> &str {
        &self.user
    }

    /// Sends a command and waits for its reply; `None` when the task has ended.
    async fn call<T>(&self, command: impl FnOnce(Reply<T>) -> Command) -> Option<T> {
        let (reply, answer) = oneshot::channel();
        self.commands.send(command(reply)).await.ok()?;
        answer.await.ok()
    }
}
