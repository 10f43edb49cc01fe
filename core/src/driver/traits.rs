//! What an adapter supplies to the driver ([`Connector`], [`Clock`]), what the application
//! supplies ([`Application`]), and the session as the driver sees it ([`SessionIo`]).

use embedded_io_async::{Read, Write};

use super::inputs::Inputs;
use crate::session::{
    Event, MessageId, OutgoingMessage, Output, Remote, SendError, Session, SocketId, State,
    StateError, TokenError, TransportError,
};
use crate::time::Instant;

// `async fn` in these public traits: the driver is generic over them and never needs their
// futures to be `Send` itself; a driver built from `Send` parts is `Send` (the futures' auto
// traits leak through the concrete types), which is what a multi-threaded executor checks.

/// Opens the TCP (and, when [`Remote::tls`] is set, TLS) connections the session asks for.
///
/// The driver holds at most one stream: it drops the previous one (which must close it) before
/// it calls [`connect`](Connector::connect) again, so an implementation with room for one
/// socket (one set of buffers) suffices.
#[allow(async_fn_in_trait)]
pub trait Connector {
    /// A connected stream. Its [`Read::read`] must be cancel-safe: the driver drops a pending
    /// read when a timer or a request comes first, and no byte may be lost by that (tokio
    /// sockets, tokio-rustls and embassy-net TCP sockets are). Dropping the stream closes it.
    type Stream<'a>: Read + Write
    where
        Self: 'a;

    /// Connects to `remote`: TCP to `host:port` (a DNS name, an IPv4 address, or an IPv6
    /// address in brackets), then TLS with server name `host` when `remote.tls` is set, with
    /// certificate verification. Failures map to [`TransportError::ConnectFailed`] (DNS,
    /// refused, unreachable), [`TransportError::Tls`] or [`TransportError::TimedOut`].
    ///
    /// The driver may drop the future before it completes (the session gave up on the socket);
    /// that must abandon the attempt.
    async fn connect<'a>(&'a self, remote: &Remote<'_>)
    -> Result<Self::Stream<'a>, TransportError>;
}

/// Time for the session: `now` in Unix milliseconds when the device knows the date (the
/// session derives message ids and trace ids from it), otherwise any monotonic millisecond
/// count; and sleeping until an instant on the same scale.
#[allow(async_fn_in_trait)]
pub trait Clock {
    /// The current time. Must not go backwards.
    fn now(&self) -> Instant;

    /// Completes once [`now`](Clock::now) has reached `deadline` (at once if it has already).
    /// Dropping the future must be harmless.
    async fn sleep_until(&self, deadline: Instant);
}

/// The application's side of the driver: it receives events and makes requests while
/// [`Driver::run`](super::Driver::run) runs.
#[allow(async_fn_in_trait)]
pub trait Application {
    /// Something the application should know. The event borrows the session's buffers and is
    /// valid until this returns; copy what you keep. The driver waits while this runs, so a
    /// slow application slows the connection down (the server then waits too) rather than
    /// losing events.
    async fn event(&mut self, event: Event<'_>);

    /// Completes when the application has requests to make; the driver then calls
    /// [`requests`](Application::requests). Must be cancel-safe: the driver drops the future
    /// when bytes or a timer come first and calls it again later (an embassy-sync
    /// `Channel::ready_to_receive`, or a tokio `mpsc::Receiver::recv` whose item is kept in the
    /// application, is). While there is nothing to ask, it stays pending: completing with
    /// nothing to do makes the driver spin.
    async fn ready(&mut self);

    /// Makes the application's requests: login, send, logout, renew the token, stop.
    fn requests(&mut self, inputs: &mut Inputs<'_>);
}

/// The inputs and outputs of a sans-IO session, as the driver uses them. Implemented by every
/// [`Session`]; the methods mean what the session's methods of the same names mean.
pub trait SessionIo {
    /// [`Session::poll`].
    fn poll(&mut self) -> Output<'_>;
    /// [`Session::login`].
    fn login(&mut self, now: Instant) -> Result<(), StateError>;
    /// [`Session::send`].
    fn send(&mut self, now: Instant, message: &OutgoingMessage<'_>)
    -> Result<MessageId, SendError>;
    /// [`Session::logout`].
    fn logout(&mut self, now: Instant) -> Result<(), StateError>;
    /// [`Session::renew_token`].
    fn renew_token(
        &mut self,
        now: Instant,
        token: &str,
        expires_in: Option<u64>,
    ) -> Result<(), TokenError>;
    /// [`Session::timeout`].
    fn timeout(&mut self, now: Instant);
    /// [`Session::opened`].
    fn opened(&mut self, now: Instant, socket: SocketId);
    /// [`Session::received`].
    fn received(&mut self, now: Instant, socket: SocketId, bytes: &[u8]) -> usize;
    /// [`Session::closed`].
    fn closed(&mut self, now: Instant, socket: SocketId, error: TransportError);
    /// [`Session::state`].
    fn state(&self) -> State;
    /// [`Session::token`]: a credential, keep it out of logs.
    fn token(&self) -> &str;
}

impl<
    R: rand_core::RngCore,
    const RX: usize,
    const TX: usize,
    const OUTBOX: usize,
    const OUTBOX_BYTES: usize,
    const DEDUPE: usize,
    const QUEUES: usize,
> SessionIo for Session<'_, R, RX, TX, OUTBOX, OUTBOX_BYTES, DEDUPE, QUEUES>
{
    fn poll(&mut self) -> Output<'_> {
        Session::poll(self)
    }

    fn login(&mut self, now: Instant) -> Result<(), StateError> {
        Session::login(self, now)
    }

    fn send(
        &mut self,
        now: Instant,
        message: &OutgoingMessage<'_>,
    ) -> Result<MessageId, SendError> {
        Session::send(self, now, message)
    }

    fn logout(&mut self, now: Instant) -> Result<(), StateError> {
        Session::logout(self, now)
    }

    fn renew_token(
        &mut self,
        now: Instant,
        token: &str,
        expires_in: Option<u64>,
    ) -> Result<(), TokenError> {
        Session::renew_token(self, now, token, expires_in)
    }

    fn timeout(&mut self, now: Instant) {
        Session::timeout(self, now);
    }

    fn opened(&mut self, now: Instant, socket: SocketId) {
        Session::opened(self, now, socket);
    }

    fn received(&mut self, now: Instant, socket: SocketId, bytes: &[u8]) -> usize {
        Session::received(self, now, socket, bytes)
    }

    fn closed(&mut self, now: Instant, socket: SocketId, error: TransportError) {
        Session::closed(self, now, socket, error);
    }

    fn state(&self) -> State {
        Session::state(self)
    }

    fn token(&self) -> &str {
        Session::token(self)
    }
}

/// A borrowed session drives as well as an owned one: firmware can keep the session in a
/// `static` and lend it to the driver.
impl<S: SessionIo + ?Sized> SessionIo for &mut S {
    fn poll(&mut self) -> Output<'_> {
        (**self).poll()
    }

    fn login(&mut self, now: Instant) -> Result<(), StateError> {
        (**self).login(now)
    }

    fn send(
        &mut self,
        now: Instant,
        message: &OutgoingMessage<'_>,
    ) -> Result<MessageId, SendError> {
        (**self).send(now, message)
    }

    fn logout(&mut self, now: Instant) -> Result<(), StateError> {
        (**self).logout(now)
    }

    fn renew_token(
        &mut self,
        now: Instant,
        token: &str,
        expires_in: Option<u64>,
    ) -> Result<(), TokenError> {
        (**self).renew_token(now, token, expires_in)
    }

    fn timeout(&mut self, now: Instant) {
        (**self).timeout(now);
    }

    fn opened(&mut self, now: Instant, socket: SocketId) {
        (**self).opened(now, socket);
    }

    fn received(&mut self, now: Instant, socket: SocketId, bytes: &[u8]) -> usize {
        (**self).received(now, socket, bytes)
    }

    fn closed(&mut self, now: Instant, socket: SocketId, error: TransportError) {
        (**self).closed(now, socket, error);
    }

    fn state(&self) -> State {
        (**self).state()
    }

    fn token(&self) -> &str {
        (**self).token()
    }
}
