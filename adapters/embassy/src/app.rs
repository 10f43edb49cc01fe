//! The runner's side of the [`Client`](crate::Client): the driver's [`Application`], connecting
//! the channels to the session.

use embassy_sync::blocking_mutex::raw::RawMutex;
use msync_core::driver::{Application, Inputs};
use msync_core::session::{Event, MessageId, State, StateError};

use crate::client::{ClientChannels, Error, Reply, Request};
use crate::event::{Ack, ClientEvent, SendFailed};

/// A call waiting for the session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Waiting {
    Login,
    Send(MessageId),
    Logout,
}

/// The driver's [`Application`] for [`ClientChannels`]: requests in, replies and events out.
/// Get it from [`ClientChannels::application`].
pub struct ChannelApp<
    'c,
    M: RawMutex,
    const TEXT: usize,
    const EVENTS: usize,
    const ATTRS: usize = 4,
> {
    channels: &'c ClientChannels<M, TEXT, EVENTS, ATTRS>,
    /// The call in progress and its number (calls come one at a time).
    waiting: Option<(u32, Waiting)>,
}

impl<'c, M: RawMutex, const TEXT: usize, const EVENTS: usize, const ATTRS: usize>
    ChannelApp<'c, M, TEXT, EVENTS, ATTRS>
{
    pub(crate) fn new(channels: &'c ClientChannels<M, TEXT, EVENTS, ATTRS>) -> Self {
        Self {
            channels,
            waiting: None,
        }
    }

    fn reply(&self, number: u32, reply: Reply) {
        self.channels.replies.signal((number, reply));
    }

    /// Answers the waiting call if `outcome` settles it; returns whether it did.
    fn settle(&mut self, outcome: impl FnOnce(Waiting) -> Option<Reply>) -> bool {
        let Some((number, waiting)) = self.waiting else {
            return false;
        };
        match outcome(waiting) {
            Some(reply) => {
                self.waiting = None;
                self.reply(number, reply);
                true
            }
            None => false,
        }
    }

    /// Applies one request.
    fn apply(&mut self, number: u32, request: Request<TEXT, ATTRS>, inputs: &mut Inputs<'_>) {
        let (waiting, refused) = match request {
            Request::Login => match inputs.login() {
                Ok(()) => (Some(Waiting::Login), None),
                Err(StateError::AlreadyStarted) if inputs.state() == State::Online => {
                    (None, Some(Reply::Done(Ok(()))))
                }
                // A login is under way: wait for it.
                Err(StateError::AlreadyStarted) => (Some(Waiting::Login), None),
                Err(error) => (None, Some(Reply::Done(Err(Error::State(error))))),
            },
            Request::Send(message) => match message.with_view(|message| inputs.send(message)) {
                Ok(id) => (Some(Waiting::Send(id)), None),
                Err(error) => (None, Some(Reply::Acked(Err(Error::Send(error))))),
            },
            Request::RenewToken { token, expires_in } => {
                let renewed = inputs.renew_token(&token.0, expires_in);
                (None, Some(Reply::Done(renewed.map_err(Error::Token))))
            }
            Request::Logout => match inputs.logout() {
                Ok(()) => (Some(Waiting::Logout), None),
                // Nothing to log out of.
                Err(StateError::NotStarted) => (None, Some(Reply::Done(Ok(())))),
                Err(error) => (None, Some(Reply::Done(Err(Error::State(error))))),
            },
            Request::Stop => {
                inputs.stop();
                (None, Some(Reply::Done(Ok(()))))
            }
        };
        if let Some(reply) = refused {
            self.reply(number, reply);
        }
        if let Some(waiting) = waiting {
            self.waiting = Some((number, waiting));
        }
    }
}

impl<M: RawMutex, const TEXT: usize, const EVENTS: usize, const ATTRS: usize> Application
    for ChannelApp<'_, M, TEXT, EVENTS, ATTRS>
{
    async fn event(&mut self, event: Event<'_>) {
        if let Some(state) = state_after(&event) {
            self.channels.set_state(state);
        }
        let settled = match &event {
            Event::Online => self.settle(|w| (w == Waiting::Login).then_some(Reply::Done(Ok(())))),
            Event::LoginFailed { error, .. } => self.settle(|w| {
                (w == Waiting::Login).then_some(Reply::Done(Err(Error::Login(*error))))
            }),
            Event::Closed { reason } => self.settle(|w| match w {
                Waiting::Logout => Some(Reply::Done(Ok(()))),
                Waiting::Login => Some(Reply::Done(Err(Error::Closed(*reason)))),
                // A send's own end (SendFailed) comes before Closed.
                Waiting::Send(_) => None,
            }),
            Event::SendAcked {
                id,
                server_id,
                timestamp,
            } => self.settle(|w| {
                (w == Waiting::Send(*id)).then_some(Reply::Acked(Ok(Ack {
                    id: *id,
                    server_id: *server_id,
                    timestamp: *timestamp,
                })))
            }),
            Event::SendFailed { id, error } => self.settle(|w| {
                (w == Waiting::Send(*id)).then_some(Reply::Acked(Err(Error::SendFailed(
                    SendFailed::from(*error),
                ))))
            }),
            _ => false,
        };
        // A send's end goes to its caller only; everything else is also an event.
        let reply_only =
            settled && matches!(event, Event::SendAcked { .. } | Event::SendFailed { .. });
        if !reply_only {
            self.channels
                .events
                .send(ClientEvent::from_event(&event))
                .await;
        }
    }

    async fn ready(&mut self) {
        self.channels.requests.ready_to_receive().await;
    }

    fn requests(&mut self, inputs: &mut Inputs<'_>) {
        while let Ok((number, request)) = self.channels.requests.try_receive() {
            self.apply(number, request, inputs);
        }
    }
}

/// The state an event moves the session to, as far as events tell.
fn state_after(event: &Event<'_>) -> Option<State> {
    match event {
        Event::Connecting => Some(State::Connecting),
        Event::Online => Some(State::Online),
        Event::Reconnecting { .. } => Some(State::Reconnecting),
        Event::Closed { reason } => Some(State::Closed(*reason)),
        _ => None,
    }
}

impl<M: RawMutex, const TEXT: usize, const EVENTS: usize, const ATTRS: usize> core::fmt::Debug
    for ChannelApp<'_, M, TEXT, EVENTS, ATTRS>
{
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ChannelApp")
            .field("waiting", &self.waiting)
            .finish_non_exhaustive()
    }
}
