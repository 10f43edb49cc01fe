//! The client's task: the driver, and the application side that connects it to the handles
//! (commands in, events and replies out).

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

use msync_core::driver::{Application, Clock, Driver, Inputs};
use msync_core::session::{self, Event, MessageId, Session, State};
use rand::SeedableRng;
use rand::rngs::StdRng;
use tokio::sync::{mpsc, oneshot, watch};

use crate::client::Ack;
use crate::clock::TokioClock;
use crate::config::{ClientConfig, Credential};
use crate::connector::TokioConnector;
use crate::error::{Error, SendError, StartError};
use crate::event::{ClientEvent, ConnectionState, Kick, Message, Receipt};
use crate::outgoing::Outgoing;

/// The session the client runs, with room for hosts: 64 KiB received messages (batches of
/// larger messages), 16 KiB frames, 32 sends in flight in 64 KiB, 256 remembered ids,
/// 8 queues.
pub(crate) type HostSession<'cfg> = Session<'cfg, StdRng, 65536, 16384, 32, 65536, 256, 8>;

/// The driver's read buffer.
const READ_BUFFER: usize = 8192;

/// Where a command's answer goes.
pub(crate) type Reply<T> = oneshot::Sender<T>;

/// A message waiting for the session, and where its ACK goes.
type WaitingSend = (Box<Outgoing>, Reply<Result<Ack, SendError>>);

/// What a [`Client`](crate::Client) handle asks of the task.
pub(crate) enum Command {
    Login(Reply<Result<(), Error>>),
    Send(Box<Outgoing>, Reply<Result<Ack, SendError>>),
    Logout(Reply<Result<(), Error>>),
    RenewToken {
        token: String,
        expires_in: Option<u64>,
        reply: Reply<Result<(), Error>>,
    },
    Token(Reply<Option<String>>),
}

/// Builds the session from `config` and runs it until every handle is gone. `started` hears
/// whether the configuration was accepted.
pub(crate) async fn run(
    config: ClientConfig,
    tls: Arc<rustls::ClientConfig>,
    mut app: App,
    started: oneshot::Sender<Result<(), StartError>>,
) {
    let bases = match config.bootstrap_bases() {
        Ok(bases) => bases,
        Err(error) => return drop(started.send(Err(error))),
    };
    let session_config = match config.session_config(&bases) {
        Ok(session_config) => session_config,
        Err(error) => return drop(started.send(Err(error))),
    };
    let clock = TokioClock::new();
    let mut session = match HostSession::new(&session_config, StdRng::from_os_rng(), clock.now()) {
        Ok(session) => session,
        Err(error) => return drop(started.send(Err(StartError::Config(error)))),
    };
    if let Credential::Token {
        token,
        expires_in: Some(expires_in),
    } = &config.credential
        && let Err(error) = session.renew_token(clock.now(), token, Some(*expires_in))
    {
        return drop(started.send(Err(StartError::Token(error))));
    }
    if started.send(Ok(())).is_err() {
        return;
    }
    let mut driver: Driver<_, _, _, READ_BUFFER> =
        Driver::new(session, TokioConnector::new(tls), clock);
    driver.run(&mut app).await;
    tracing::debug!("client stopped");
}

/// The driver's application: commands from the handles, events to the [`Events`](crate::Events)
/// receiver, replies to the waiting calls.
pub(crate) struct App {
    commands: mpsc::Receiver<Command>,
    /// Commands received and not yet applied.
    inbox: VecDeque<Command>,
    /// Sends waiting for the session, in order.
    sends: VecDeque<WaitingSend>,
    /// The session's outbox is full: sends wait until one ends.
    outbox_full: bool,
    /// Sends the session holds, by id.
    pending: HashMap<MessageId, Reply<Result<Ack, SendError>>>,
    logins: Vec<Reply<Result<(), Error>>>,
    logouts: Vec<Reply<Result<(), Error>>>,
    login_failure: Option<Error>,
    events: mpsc::Sender<ClientEvent>,
    state: watch::Sender<ConnectionState>,
    /// Every handle was dropped: log out, then stop.
    handles_gone: bool,
    shutting_down: bool,
    stop: bool,
}

impl App {
    pub(crate) fn new(
        commands: mpsc::Receiver<Command>,
        events: mpsc::Sender<ClientEvent>,
        state: watch::Sender<ConnectionState>,
    ) -> Self {
        Self {
            commands,
            inbox: VecDeque::new(),
            sends: VecDeque::new(),
            outbox_full: false,
            pending: HashMap::new(),
            logins: Vec::new(),
            logouts: Vec::new(),
            login_failure: None,
            events,
            state,
            handles_gone: false,
            shutting_down: false,
            stop: false,
        }
    }

    fn has_work(&self) -> bool {
        !self.inbox.is_empty()
            || (!self.outbox_full && !self.sends.is_empty())
            || (self.handles_gone && !self.shutting_down)
            || self.stop
    }

    fn command(&mut self, inputs: &mut Inputs<'_>, command: Command) {
        match command {
            Command::Send(message, reply) => self.sends.push_back((message, reply)),
            Command::Login(reply) => match inputs.login() {
                Ok(()) => {
                    self.login_failure = None;
                    self.logins.push(reply);
                }
                Err(_) if inputs.state() == State::Online => drop(reply.send(Ok(()))),
                // A login is under way: this call waits for it.
                Err(_) => self.logins.push(reply),
            },
            Command::Logout(reply) => match inputs.logout() {
                Ok(()) => self.logouts.push(reply),
                Err(error) => drop(reply.send(Err(Error::State(error)))),
            },
            Command::RenewToken {
                token,
                expires_in,
                reply,
            } => {
                let result = inputs.renew_token(&token, expires_in).map_err(Error::Token);
                drop(reply.send(result));
            }
            Command::Token(reply) => {
                let token = inputs.token();
                drop(reply.send((!token.is_empty()).then(|| token.to_owned())));
            }
        }
    }

    /// Hands waiting sends to the session until its outbox is full.
    fn send_waiting(&mut self, inputs: &mut Inputs<'_>) {
        while !self.outbox_full
            && let Some((message, reply)) = self.sends.pop_front()
        {
            match message.with_view(|view| inputs.send(view)) {
                Ok(id) => {
                    self.pending.insert(id, reply);
                }
                Err(
                    session::SendError::OutboxFull { .. }
                    | session::SendError::OutboxBytesFull { .. },
                ) if !self.pending.is_empty() => {
                    tracing::debug!(in_flight = self.pending.len(), "outbox full: sends wait");
                    self.outbox_full = true;
                    self.sends.push_front((message, reply));
                }
                Err(error) => drop(reply.send(Err(SendError::Refused(error)))),
            }
        }
    }

    fn send_ended(&mut self, id: MessageId, result: Result<Ack, SendError>) {
        self.outbox_full = false;
        if let Some(reply) = self.pending.remove(&id) {
            drop(reply.send(result));
        }
    }

    fn set_state(&mut self, state: ConnectionState) -> Option<ClientEvent> {
        self.state.send_replace(state);
        Some(ClientEvent::State(state))
    }

    /// The event for the application, after settling what waits on it.
    fn settle(&mut self, event: Event<'_>) -> Option<ClientEvent> {
        match event {
            Event::SendAcked {
                id,
                server_id,
                timestamp,
            } => {
                tracing::debug!(id = id.get(), server_id, "send acknowledged");
                let ack = Ack {
                    client_id: id,
                    server_id,
                    timestamp,
                };
                self.send_ended(id, Ok(ack));
                None
            }
            Event::SendFailed { id, error } => {
                tracing::debug!(id = id.get(), ?error, "send failed");
                self.send_ended(id, Err(error.into()));
                None
            }
            Event::Connecting => {
                tracing::debug!("logging in");
                self.set_state(ConnectionState::Connecting)
            }
            Event::Online => {
                tracing::info!("online");
                // The state first: a login that resolves sees `Client::state()` online.
                let event = self.set_state(ConnectionState::Online);
                for reply in self.logins.drain(..) {
                    drop(reply.send(Ok(())));
                }
                event
            }
            Event::Reconnecting {
                attempt,
                delay,
                cause,
            } => {
                tracing::info!(
                    attempt,
                    delay_ms = delay.as_millis(),
                    ?cause,
                    "reconnecting"
                );
                self.set_state(ConnectionState::Reconnecting {
                    attempt,
                    delay: std::time::Duration::from_millis(delay.as_millis()),
                    cause,
                })
            }
            Event::Closed { reason } => {
                tracing::info!(?reason, "closed");
                let failure = self.login_failure.take().unwrap_or(Error::Closed(reason));
                let event = self.set_state(ConnectionState::Closed(reason));
                for reply in self.logins.drain(..) {
                    drop(reply.send(Err(failure.clone())));
                }
                for reply in self.logouts.drain(..) {
                    drop(reply.send(Ok(())));
                }
                self.stop |= self.shutting_down;
                event
            }
            Event::LoginFailed { error, reason } => {
                tracing::warn!(?error, reason, "login refused");
                let reason = reason.to_owned();
                self.login_failure = Some(Error::Login {
                    error,
                    reason: reason.clone(),
                });
                Some(ClientEvent::LoginFailed { error, reason })
            }
            Event::Message(message) => Some(ClientEvent::Message(Message::from(&message))),
            Event::Receipt(receipt) => Some(ClientEvent::Receipt(Receipt::from(&receipt))),
            Event::Notification(notification) => Some(ClientEvent::Notification(
                String::from_utf8_lossy(notification.json).into_owned(),
            )),
            Event::Kicked(kick) => {
                tracing::warn!(reason = ?kick.reason, "kicked");
                Some(ClientEvent::Kicked(Kick::from(&kick)))
            }
            Event::TokenWillExpire { expires_at } => {
                tracing::info!(expires_at_ms = expires_at.as_millis(), "token will expire");
                Some(ClientEvent::TokenWillExpire {
                    expires_at_ms: expires_at.as_millis(),
                })
            }
            Event::TokenUpdated => Some(ClientEvent::TokenUpdated),
            Event::Capacity(error) => {
                tracing::warn!(?error, "capacity");
                Some(ClientEvent::Capacity(error))
            }
        }
    }
}

impl Application for App {
    async fn event(&mut self, event: Event<'_>) {
        let Some(event) = self.settle(event) else {
            return;
        };
        // A dropped receiver means the application does not want events.
        let _ = self.events.send(event).await;
    }

    async fn ready(&mut self) {
        while !self.has_work() {
            if self.handles_gone {
                return std::future::pending().await;
            }
            match self.commands.recv().await {
                Some(command) => self.inbox.push_back(command),
                None => self.handles_gone = true,
            }
        }
    }

    fn requests(&mut self, inputs: &mut Inputs<'_>) {
        while let Some(command) = self
            .inbox
            .pop_front()
            .or_else(|| self.commands.try_recv().ok())
        {
            self.command(inputs, command);
        }
        self.send_waiting(inputs);
        if self.handles_gone && !self.shutting_down {
            tracing::debug!("every handle dropped: logging out");
            self.shutting_down = true;
            // Nothing to log out of: stop now; otherwise stop at `Closed`.
            self.stop |= inputs.logout().is_err();
        }
        if self.stop {
            inputs.stop();
        }
    }
}
