//! One run of the driver: drain the session, connect, offer bytes, wait.

use core::ops::Range;
use core::pin::pin;

use embedded_io_async::{Error as _, ErrorKind, Read, Write};

use super::inputs::Inputs;
use super::select::{First, first, maybe};
use super::target::Target;
use super::traits::{Application, Clock, Connector, SessionIo};
use crate::session::{Output, SocketId, TransportError};
use crate::time::{Duration, Instant};

/// Offers in a row that the session took nothing of (with a drain between each) before the
/// socket is given up: one is normal (the WebSocket handshake ends exactly at the offer), more
/// would mean a session that cannot make progress, and the loop must not spin.
const MAX_STALLED_OFFERS: u8 = 3;

/// Whether the run goes on.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Flow {
    Continue,
    Stop,
}

/// The one stream the driver holds, if any.
enum Link<T> {
    Idle,
    /// `connect` is running for this socket.
    Connecting(SocketId),
    Open {
        socket: SocketId,
        stream: T,
    },
}

impl<T> Link<T> {
    fn socket(&self) -> Option<SocketId> {
        match self {
            Link::Idle => None,
            Link::Connecting(socket) | Link::Open { socket, .. } => Some(*socket),
        }
    }
}

/// The state of one [`Driver::run`](super::Driver::run): borrows of the driver's parts plus
/// the stream, which never outlives the run.
pub(super) struct Loop<'r, S, C: Connector, K, A> {
    pub(super) session: &'r mut S,
    pub(super) connector: &'r C,
    pub(super) clock: &'r K,
    pub(super) app: &'r mut A,
    /// The read buffer and the part of it the session has not taken yet (kept by the driver,
    /// so that it survives a cancelled run).
    pub(super) buf: &'r mut [u8],
    pub(super) unread: &'r mut Range<usize>,
    /// The socket whose stream the run holds (connecting or open), kept by the driver: if the
    /// run is cancelled, the next one tells the session that this socket is gone.
    pub(super) held: &'r mut Option<SocketId>,
    pub(super) write_timeout: Duration,
    link: Link<C::Stream<'r>>,
    next_open: Option<Target>,
    until: Option<Instant>,
    unflushed: bool,
    stalled_offers: u8,
    read_first: bool,
}

impl<'r, S: SessionIo, C: Connector, K: Clock, A: Application> Loop<'r, S, C, K, A> {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn new(
        session: &'r mut S,
        connector: &'r C,
        clock: &'r K,
        app: &'r mut A,
        buf: &'r mut [u8],
        unread: &'r mut Range<usize>,
        held: &'r mut Option<SocketId>,
        write_timeout: Duration,
    ) -> Self {
        Self {
            session,
            connector,
            clock,
            app,
            buf,
            unread,
            held,
            write_timeout,
            link: Link::Idle,
            next_open: None,
            until: None,
            unflushed: false,
            stalled_offers: 0,
            read_first: false,
        }
    }

    /// Runs until the application asks to stop.
    pub(super) async fn run(&mut self) {
        // A previous run that was cancelled (or stopped) dropped its stream with it.
        if let Some(socket) = self.held.take() {
            *self.unread = 0..0;
            self.session
                .closed(self.clock.now(), socket, TransportError::Reset);
        }
        loop {
            self.until = self.drain().await;
            let flow = if let Some(target) = self.next_open.take() {
                self.connect(target).await
            } else if self.unread.start < self.unread.end {
                self.offer();
                Flow::Continue
            } else {
                self.wait().await
            };
            if flow == Flow::Stop {
                return;
            }
        }
    }

    /// Takes the session's outputs until it waits; returns its deadline.
    async fn drain(&mut self) -> Option<Instant> {
        loop {
            let mut failed = None;
            match self.session.poll() {
                Output::Wait { until } => {
                    if !core::mem::take(&mut self.unflushed) {
                        return until;
                    }
                    match self.flush().await {
                        Some(failure) => failed = Some(failure),
                        None => return until,
                    }
                }
                Output::Event(event) => self.app.event(event).await,
                Output::Transmit { socket, bytes } => {
                    failed = match &mut self.link {
                        Link::Open {
                            socket: held,
                            stream,
                        } if *held == socket => {
                            let deadline = self.clock.now() + self.write_timeout;
                            match write_all(stream, bytes, self.clock, deadline).await {
                                Ok(()) => {
                                    self.unflushed = true;
                                    None
                                }
                                Err(error) => Some((socket, error)),
                            }
                        }
                        // Not a socket the driver holds: tell the session it is gone.
                        _ => Some((socket, TransportError::Other)),
                    };
                }
                Output::Open { socket, remote } => match Target::new(socket, &remote) {
                    Some(target) => {
                        // The single active socket: whatever is held goes first.
                        self.drop_link();
                        self.next_open = Some(target);
                    }
                    None => failed = Some((socket, TransportError::ConnectFailed)),
                },
                Output::Close { socket } => {
                    if self.link.socket() == Some(socket) {
                        self.drop_link();
                    }
                    if self.next_open.as_ref().is_some_and(|t| t.socket == socket) {
                        self.next_open = None;
                    }
                }
            }
            if let Some((socket, error)) = failed {
                self.lose(socket, error);
            }
        }
    }

    /// Connects `target`, taking timers and requests meanwhile; returns once the stream is open,
    /// the attempt failed, or the session gave the socket up.
    async fn connect(&mut self, target: Target) -> Flow {
        let socket = target.socket;
        self.link = Link::Connecting(socket);
        *self.held = Some(socket);
        let connector = self.connector;
        let remote = target.remote();
        let mut connecting = pin!(connector.connect(&remote));
        loop {
            let timer = maybe(self.until.map(|until| self.clock.sleep_until(until)));
            match first(connecting.as_mut(), timer, self.app.ready(), false).await {
                First::A(Ok(stream)) => {
                    self.link = Link::Open { socket, stream };
                    self.session.opened(self.clock.now(), socket);
                    return Flow::Continue;
                }
                First::A(Err(error)) => {
                    self.lose(socket, error);
                    return Flow::Continue;
                }
                First::B(()) => self.session.timeout(self.clock.now()),
                First::C(()) => {
                    if self.requests() == Flow::Stop {
                        return Flow::Stop;
                    }
                }
            }
            self.until = self.drain().await;
            if self.next_open.is_some() || self.link.socket() != Some(socket) {
                // The session gave this socket up (timeout, logout, ...): drop the attempt.
                return Flow::Continue;
            }
        }
    }

    /// Waits for bytes, the deadline or a request, and feeds what came to the session.
    async fn wait(&mut self) -> Flow {
        let socket = self.link.socket();
        let timer = maybe(self.until.map(|until| self.clock.sleep_until(until)));
        let read = match &mut self.link {
            Link::Open { stream, .. } => Some(stream.read(self.buf)),
            _ => None,
        };
        // Alternate which of bytes and requests is looked at first, so neither starves.
        self.read_first = !self.read_first;
        let woke = first(timer, maybe(read), self.app.ready(), !self.read_first).await;
        let now = self.clock.now();
        match (woke, socket) {
            (First::A(()), _) => self.session.timeout(now),
            (First::B(Ok(0)), Some(socket)) => self.lose(socket, TransportError::PeerClosed),
            (First::B(Ok(n)), Some(_)) => *self.unread = 0..n.min(self.buf.len()),
            (First::B(Err(error)), Some(socket)) => self.lose(socket, read_error(error.kind())),
            (First::B(_), None) => {}
            (First::C(()), _) => return self.requests(),
        }
        Flow::Continue
    }

    /// Lets the application make its requests.
    fn requests(&mut self) -> Flow {
        let mut inputs = Inputs::new(self.session, self.clock.now());
        self.app.requests(&mut inputs);
        if inputs.stopped() {
            Flow::Stop
        } else {
            Flow::Continue
        }
    }

    /// Offers the unread bytes to the session once; the caller drains before the next offer.
    fn offer(&mut self) {
        let Link::Open { socket, .. } = self.link else {
            *self.unread = 0..0;
            return;
        };
        let bytes = self.buf.get(self.unread.clone()).unwrap_or_default();
        let taken = self.session.received(self.clock.now(), socket, bytes);
        self.unread.start = self.unread.start.saturating_add(taken).min(self.unread.end);
        if taken > 0 {
            self.stalled_offers = 0;
            return;
        }
        self.stalled_offers = self.stalled_offers.saturating_add(1);
        if self.stalled_offers >= MAX_STALLED_OFFERS {
            self.lose(socket, TransportError::Other);
        }
    }

    /// Flushes what was written since the last wait.
    async fn flush(&mut self) -> Option<(SocketId, TransportError)> {
        let Link::Open { socket, stream } = &mut self.link else {
            return None;
        };
        let deadline = self.clock.now() + self.write_timeout;
        let flushed = first(
            stream.flush(),
            self.clock.sleep_until(deadline),
            core::future::pending::<()>(),
            false,
        );
        match flushed.await {
            First::A(Ok(())) => None,
            First::A(Err(error)) => Some((*socket, write_error(error.kind()))),
            First::B(()) | First::C(()) => Some((*socket, TransportError::TimedOut)),
        }
    }

    /// `socket` failed: drop it if held and tell the session.
    fn lose(&mut self, socket: SocketId, error: TransportError) {
        if self.link.socket() == Some(socket) {
            self.drop_link();
        }
        self.session.closed(self.clock.now(), socket, error);
    }

    /// Drops (closes) the stream or abandons the connection attempt.
    fn drop_link(&mut self) {
        self.link = Link::Idle;
        *self.held = None;
        *self.unread = 0..0;
        self.unflushed = false;
        self.stalled_offers = 0;
    }
}

/// Writes all of `bytes` by `deadline` (partial writes continue where they stopped).
async fn write_all<W: Write, K: Clock>(
    stream: &mut W,
    bytes: &[u8],
    clock: &K,
    deadline: Instant,
) -> Result<(), TransportError> {
    let write = async {
        let mut rest = bytes;
        while !rest.is_empty() {
            match stream.write(rest).await {
                // A writer that takes nothing will not take more later.
                Ok(0) => return Err(TransportError::WriteFailed),
                Ok(n) => rest = rest.get(n..).unwrap_or_default(),
                Err(error) => return Err(write_error(error.kind())),
            }
        }
        Ok(())
    };
    match first(
        write,
        clock.sleep_until(deadline),
        core::future::pending::<()>(),
        false,
    )
    .await
    {
        First::A(result) => result,
        First::B(()) | First::C(()) => Err(TransportError::TimedOut),
    }
}

fn read_error(kind: ErrorKind) -> TransportError {
    match kind {
        ErrorKind::TimedOut => TransportError::TimedOut,
        _ => TransportError::Reset,
    }
}

fn write_error(kind: ErrorKind) -> TransportError {
    match kind {
        ErrorKind::TimedOut => TransportError::TimedOut,
        _ => TransportError::WriteFailed,
    }
}
