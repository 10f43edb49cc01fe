//! The driver against a scripted session, connector, stream and clock, polled by hand: partial
//! writes and reads, failures, the single socket, cancelled runs, interrupted reads.

extern crate std;

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;
use std::vec::Vec;

use core::future::{Future, poll_fn};
use core::pin::pin;
use core::task::{Context, Poll, Waker};

use embedded_io_async::{ErrorKind, ErrorType, Read, Write};

use super::{Application, Clock, Connector, Driver, Inputs, SessionIo};
use crate::session::{
    Event, MessageId, OutgoingMessage, Output, Purpose, Remote, SendError, SocketId, State,
    StateError, TokenError, TransportError,
};
use crate::time::Instant;

/// Polls `future` with a no-op waker until it completes or `max_polls` polls have passed (every
/// fake here is ready or not on each poll, without wakers).
fn drive<F: Future>(future: F, max_polls: usize) -> Option<F::Output> {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    for _ in 0..max_polls {
        if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
            return Some(out);
        }
    }
    None
}

/// What the fake session was told.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Input {
    Opened(u32),
    Closed(u32, TransportError),
    Timeout,
    Send,
}

/// An output the fake session hands out.
#[derive(Clone, Debug)]
enum Out {
    Open(u32),
    Transmit(u32, &'static [u8]),
    Close(u32),
    Online,
    Wait(Option<u64>),
}

/// State shared by the fakes and the test.
#[derive(Default)]
struct World {
    inputs: RefCell<Vec<Input>>,
    /// Everything written to every stream, in order.
    written: RefCell<Vec<u8>>,
    /// Everything the session took.
    taken: RefCell<Vec<u8>>,
    /// Chunks the next stream's reads return (an empty chunk is EOF).
    reads: RefCell<VecDeque<Vec<u8>>>,
    /// Streams alive now, and the most ever alive at once.
    alive: Cell<usize>,
    most_alive: Cell<usize>,
    /// Connect attempts abandoned before they finished.
    abandoned_connects: Cell<usize>,
    /// Events handed to the application.
    events: Cell<usize>,
    /// The application stops at its next chance.
    stop: Cell<bool>,
    now: Cell<u64>,
}

impl World {
    fn inputs(&self) -> Vec<Input> {
        self.inputs.borrow().clone()
    }
}

struct FakeSession {
    world: Rc<World>,
    script: VecDeque<Out>,
    /// Outputs queued when `opened` is called for a socket.
    on_open: Vec<(u32, Vec<Out>)>,
    /// Outputs queued on `timeout`.
    on_timeout: Vec<Out>,
    /// `received` takes at most this many bytes per call (0: nothing).
    take: usize,
    /// Stop the application once this many bytes were taken.
    stop_after: usize,
    /// With nothing scripted, wait this long (else for ever).
    period: Option<u64>,
}

impl FakeSession {
    fn new(world: &Rc<World>, script: &[Out]) -> Self {
        Self {
            world: world.clone(),
            script: script.iter().cloned().collect(),
            on_open: Vec::new(),
            on_timeout: Vec::new(),
            take: usize::MAX,
            stop_after: usize::MAX,
            period: None,
        }
    }

    fn on_open(mut self, socket: u32, outputs: &[Out]) -> Self {
        self.on_open.push((socket, outputs.to_vec()));
        self
    }

    fn log(&self, input: Input) {
        self.world.inputs.borrow_mut().push(input);
    }
}

impl SessionIo for FakeSession {
    fn poll(&mut self) -> Output<'_> {
        match self.script.pop_front() {
            Some(Out::Open(socket)) => Output::Open {
                socket: SocketId::from_generation(socket),
                remote: Remote {
                    host: "example.test",
                    port: u16::try_from(socket).unwrap(),
                    tls: false,
                    purpose: Purpose::Gateway,
                },
            },
            Some(Out::Transmit(socket, bytes)) => Output::Transmit {
                socket: SocketId::from_generation(socket),
                bytes,
            },
            Some(Out::Close(socket)) => Output::Close {
                socket: SocketId::from_generation(socket),
            },
            Some(Out::Online) => Output::Event(Event::Online),
            Some(Out::Wait(until)) => Output::Wait {
                until: until.map(Instant::from_millis),
            },
            None => Output::Wait {
                // The next multiple of the period: a deadline that does not move on.
                until: self.period.map(|period| {
                    Instant::from_millis((self.world.now.get() / period + 1) * period)
                }),
            },
        }
    }

    fn login(&mut self, _now: Instant) -> Result<(), StateError> {
        Ok(())
    }

    fn send(&mut self, _now: Instant, _: &OutgoingMessage<'_>) -> Result<MessageId, SendError> {
        self.log(Input::Send);
        Ok(MessageId::new(1).unwrap())
    }

    fn logout(&mut self, _now: Instant) -> Result<(), StateError> {
        Ok(())
    }

    fn renew_token(&mut self, _: Instant, _: &str, _: Option<u64>) -> Result<(), TokenError> {
        Ok(())
    }

    fn timeout(&mut self, _now: Instant) {
        self.log(Input::Timeout);
        let outputs = core::mem::take(&mut self.on_timeout);
        self.script.extend(outputs);
    }

    fn opened(&mut self, _now: Instant, socket: SocketId) {
        self.log(Input::Opened(socket.generation()));
        if let Some(index) = self
            .on_open
            .iter()
            .position(|(s, _)| *s == socket.generation())
        {
            let (_, outputs) = self.on_open.remove(index);
            self.script.extend(outputs);
        }
    }

    fn received(&mut self, _now: Instant, _socket: SocketId, bytes: &[u8]) -> usize {
        let n = bytes.len().min(self.take);
        let mut taken = self.world.taken.borrow_mut();
        taken.extend_from_slice(&bytes[..n]);
        if taken.len() >= self.stop_after {
            self.world.stop.set(true);
        }
        n
    }

    fn closed(&mut self, _now: Instant, socket: SocketId, error: TransportError) {
        self.log(Input::Closed(socket.generation(), error));
    }

    fn state(&self) -> State {
        State::Online
    }

    fn token(&self) -> &str {
        ""
    }
}

/// Connects at once, except to port 1 when `hang_on_1` is set (that attempt never finishes).
struct FakeConnector {
    world: Rc<World>,
    /// Each write takes at most this many bytes (0: `Ok(0)`).
    write_chunk: usize,
    hang_on_1: bool,
}

struct FakeStream {
    world: Rc<World>,
    write_chunk: usize,
    /// Reads alternate between pending and ready, so that other futures get their turn.
    pending_next: bool,
}

impl Drop for FakeStream {
    fn drop(&mut self) {
        self.world.alive.set(self.world.alive.get() - 1);
    }
}

/// Counts an abandoned connect attempt when dropped before it finished.
struct Attempt<'a>(&'a World, bool);

impl Drop for Attempt<'_> {
    fn drop(&mut self) {
        if !self.1 {
            self.0
                .abandoned_connects
                .set(self.0.abandoned_connects.get() + 1);
        }
    }
}

impl Connector for FakeConnector {
    type Stream<'a> = FakeStream;

    async fn connect(&self, remote: &Remote<'_>) -> Result<FakeStream, TransportError> {
        let mut attempt = Attempt(&self.world, false);
        if self.hang_on_1 && remote.port == 1 {
            core::future::pending::<()>().await;
        }
        attempt.1 = true;
        let alive = self.world.alive.get() + 1;
        self.world.alive.set(alive);
        self.world
            .most_alive
            .set(self.world.most_alive.get().max(alive));
        Ok(FakeStream {
            world: self.world.clone(),
            write_chunk: self.write_chunk,
            pending_next: true,
        })
    }
}

#[derive(Debug)]
struct FakeError;

impl core::fmt::Display for FakeError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("reset")
    }
}

impl core::error::Error for FakeError {}

impl embedded_io_async::Error for FakeError {
    fn kind(&self) -> ErrorKind {
        ErrorKind::ConnectionReset
    }
}

impl ErrorType for FakeStream {
    type Error = FakeError;
}

impl Read for FakeStream {
    async fn read(&mut self, buf: &mut [u8]) -> Result<usize, FakeError> {
        poll_fn(|_| {
            let pending = self.pending_next;
            self.pending_next = !pending;
            if pending {
                return Poll::Pending;
            }
            let Some(mut chunk) = self.world.reads.borrow_mut().pop_front() else {
                return Poll::Pending;
            };
            let n = chunk.len().min(buf.len());
            buf[..n].copy_from_slice(&chunk[..n]);
            if n < chunk.len() {
                chunk.drain(..n);
                self.world.reads.borrow_mut().push_front(chunk);
            }
            Poll::Ready(Ok(n))
        })
        .await
    }
}

impl Write for FakeStream {
    async fn write(&mut self, buf: &[u8]) -> Result<usize, FakeError> {
        let n = buf.len().min(self.write_chunk);
        self.world.written.borrow_mut().extend_from_slice(&buf[..n]);
        Ok(n)
    }

    async fn flush(&mut self) -> Result<(), FakeError> {
        Ok(())
    }
}

/// Time moves one millisecond per look at a timer.
struct FakeClock(Rc<World>);

impl Clock for FakeClock {
    fn now(&self) -> Instant {
        Instant::from_millis(self.0.now.get())
    }

    async fn sleep_until(&self, deadline: Instant) {
        poll_fn(|_| {
            let now = self.0.now.get() + 1;
            self.0.now.set(now);
            if now >= deadline.as_millis() {
                Poll::Ready(())
            } else {
                Poll::Pending
            }
        })
        .await;
    }
}

/// Counts events; makes `sends` sends, one per `ready`, on every other poll; stops when the
/// world says so.
struct FakeApp {
    world: Rc<World>,
    sends: usize,
    ready_next: bool,
}

impl Application for FakeApp {
    async fn event(&mut self, _event: Event<'_>) {
        self.world.events.set(self.world.events.get() + 1);
    }

    async fn ready(&mut self) {
        poll_fn(|_| {
            let turn = self.ready_next;
            self.ready_next = !turn;
            if self.world.stop.get() || (turn && self.sends > 0) {
                Poll::Ready(())
            } else {
                Poll::Pending
            }
        })
        .await;
    }

    fn requests(&mut self, inputs: &mut Inputs<'_>) {
        if self.world.stop.get() {
            inputs.stop();
        } else if self.sends > 0 {
            self.sends -= 1;
            inputs.send(&OutgoingMessage::text("bob", "hi")).unwrap();
        }
    }
}

fn setup(
    world: &Rc<World>,
    session: FakeSession,
    write_chunk: usize,
) -> (Driver<FakeSession, FakeConnector, FakeClock, 16>, FakeApp) {
    let connector = FakeConnector {
        world: world.clone(),
        write_chunk,
        hang_on_1: false,
    };
    let driver = Driver::new(session, connector, FakeClock(world.clone()));
    let app = FakeApp {
        world: world.clone(),
        sends: 0,
        ready_next: false,
    };
    (driver, app)
}

const REQUEST: &[u8] = b"GET /websocket HTTP/1.1\r\nHost: example.test\r\n\r\n";

#[test]
fn partial_writes_and_reads_carry_every_byte_in_order() {
    let world = Rc::new(World::default());
    let reply = b"HTTP/1.1 101 Switching Protocols\r\n\r\nand then some frames".to_vec();
    world
        .reads
        .borrow_mut()
        .extend([reply[..5].to_vec(), reply[5..].to_vec()]);
    let mut session = FakeSession::new(&world, &[Out::Open(1)]).on_open(
        1,
        &[Out::Transmit(1, REQUEST), Out::Online, Out::Wait(None)],
    );
    session.take = 3;
    session.stop_after = reply.len();
    let (mut driver, mut app) = setup(&world, session, 3);

    drive(driver.run(&mut app), 10_000).expect("the run stops");

    assert_eq!(world.written.borrow().as_slice(), REQUEST);
    assert_eq!(world.taken.borrow().as_slice(), reply.as_slice());
    assert_eq!(world.inputs(), [Input::Opened(1)]);
    assert_eq!(world.events.get(), 1);
}

#[test]
fn a_write_that_takes_nothing_fails_the_socket() {
    let world = Rc::new(World::default());
    let session =
        FakeSession::new(&world, &[Out::Open(1)]).on_open(1, &[Out::Transmit(1, REQUEST)]);
    let (mut driver, mut app) = setup(&world, session, 0);

    assert!(drive(driver.run(&mut app), 1_000).is_none());
    assert_eq!(
        world.inputs(),
        [
            Input::Opened(1),
            Input::Closed(1, TransportError::WriteFailed)
        ]
    );
    assert_eq!(world.alive.get(), 0, "the stream was dropped");
}

#[test]
fn end_of_stream_reports_the_peer_closed() {
    let world = Rc::new(World::default());
    world.reads.borrow_mut().push_back(Vec::new());
    let session = FakeSession::new(&world, &[Out::Open(1)]);
    let (mut driver, mut app) = setup(&world, session, 64);

    assert!(drive(driver.run(&mut app), 1_000).is_none());
    assert_eq!(
        world.inputs(),
        [
            Input::Opened(1),
            Input::Closed(1, TransportError::PeerClosed)
        ]
    );
    assert_eq!(world.alive.get(), 0);
}

#[test]
fn a_session_that_takes_nothing_gets_the_socket_closed() {
    let world = Rc::new(World::default());
    world.reads.borrow_mut().push_back(b"stuck".to_vec());
    let mut session = FakeSession::new(&world, &[Out::Open(1)]);
    session.take = 0;
    let (mut driver, mut app) = setup(&world, session, 64);

    assert!(drive(driver.run(&mut app), 1_000).is_none());
    assert_eq!(
        world.inputs(),
        [Input::Opened(1), Input::Closed(1, TransportError::Other)]
    );
}

#[test]
fn a_new_socket_replaces_the_held_one_before_connecting() {
    let world = Rc::new(World::default());
    let session = FakeSession::new(&world, &[Out::Open(1)])
        .on_open(1, &[Out::Open(2)])
        .on_open(2, &[Out::Close(2)]);
    let (mut driver, mut app) = setup(&world, session, 64);

    assert!(drive(driver.run(&mut app), 1_000).is_none());
    assert_eq!(world.inputs(), [Input::Opened(1), Input::Opened(2)]);
    assert_eq!(world.most_alive.get(), 1, "never two streams at once");
    assert_eq!(world.alive.get(), 0, "the close dropped the second stream");
}

#[test]
fn a_socket_given_up_while_connecting_abandons_the_attempt() {
    let world = Rc::new(World::default());
    let mut session = FakeSession::new(&world, &[Out::Open(1), Out::Wait(Some(50))]);
    session.on_timeout = std::vec![Out::Close(1), Out::Open(2)];
    let (mut driver, mut app) = setup(&world, session, 64);
    driver.connector.hang_on_1 = true;

    assert!(drive(driver.run(&mut app), 1_000).is_none());
    assert_eq!(world.inputs(), [Input::Timeout, Input::Opened(2)]);
    assert_eq!(world.abandoned_connects.get(), 1);
    assert_eq!(world.most_alive.get(), 1);
}

#[test]
fn requests_and_timers_during_reads_lose_no_byte() {
    let world = Rc::new(World::default());
    let payload: Vec<u8> = (0..=255u8).cycle().take(700).collect();
    for chunk in payload.chunks(7) {
        world.reads.borrow_mut().push_back(chunk.to_vec());
    }
    let mut session = FakeSession::new(&world, &[Out::Open(1)]);
    session.period = Some(3);
    session.take = 5;
    session.stop_after = payload.len();
    let (mut driver, mut app) = setup(&world, session, 64);
    app.sends = 40;

    drive(driver.run(&mut app), 100_000).expect("the run stops");

    assert_eq!(world.taken.borrow().as_slice(), payload.as_slice());
    let sends = world.inputs().iter().filter(|i| **i == Input::Send).count();
    assert_eq!(
        sends, 40,
        "every request was applied while bytes kept coming"
    );
    let timeouts = world
        .inputs()
        .iter()
        .filter(|i| **i == Input::Timeout)
        .count();
    assert!(
        timeouts > 10,
        "the deadline fired during reads ({timeouts} times)"
    );
}

#[test]
fn a_cancelled_run_reports_its_socket_closed_on_the_next_run() {
    let world = Rc::new(World::default());
    let session = FakeSession::new(&world, &[Out::Open(1)]);
    let (mut driver, mut app) = setup(&world, session, 64);

    // Cancelled (dropped) while the stream is open and a read is pending.
    assert!(drive(driver.run(&mut app), 100).is_none());
    assert_eq!(world.inputs(), [Input::Opened(1)]);
    assert_eq!(world.alive.get(), 0, "the stream went with the run");

    world.stop.set(true);
    drive(driver.run(&mut app), 100).expect("the second run stops");
    assert_eq!(
        world.inputs(),
        [Input::Opened(1), Input::Closed(1, TransportError::Reset)]
    );
}
