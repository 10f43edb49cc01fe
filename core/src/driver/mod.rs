//! The async driver (feature `async`): one event loop that runs a [`Session`](crate::session::Session)
//! over `embedded-io-async` streams, shared by the tokio and embassy adapters (DESIGN.md "Layers
//! and data flow").
//!
//! An adapter supplies a [`Connector`] (TCP and TLS streams) and a [`Clock`]; the application
//! supplies an [`Application`] (it receives events and makes requests through [`Inputs`]).
//! [`Driver::run`] then does what the session's module documentation asks of a caller: drain
//! the outputs after every input, open and close the one socket, write frames, offer received
//! bytes, and call `timeout` when the deadline passes.
//!
//! ```no_run
//! use msync_core::driver::{Application, Clock, Connector, Driver};
//! use msync_core::session::{Config, DefaultSession};
//!
//! /// Runs one client until the application calls `Inputs::stop`.
//! async fn run_client<C: Connector, K: Clock, A: Application>(
//!     config: &Config<'_>,
//!     rng: impl rand_core::RngCore,
//!     connector: C,
//!     clock: K,
//!     app: &mut A,
//! ) -> Result<(), &'static str> {
//!     let session = DefaultSession::new(config, rng, clock.now()).map_err(|_| "configuration")?;
//!     let mut driver: Driver<_, _, _> = Driver::new(session, connector, clock);
//!     driver.inputs().login().map_err(|_| "state")?;
//!     driver.run(app).await;
//!     Ok(())
//! }
//! ```
//!
//! # Guarantees
//!
//! - **One socket.** The driver holds at most one stream. When the session opens a new socket,
//!   the old stream is dropped (closed) before [`Connector::connect`] is called; when the
//!   session gives up a socket that is still connecting, the attempt is dropped.
//! - **Cancel safety inside the loop.** While waiting, the driver selects over the read, the
//!   session's deadline and [`Application::ready`]. Reads go into the driver's own buffer,
//!   whose fill level lives in the driver, and the stream's `read` must be cancel-safe (see
//!   [`Connector::Stream`]), so a timer or a request arriving during a read loses no byte.
//!   Writes and the connect are never cancelled by a request or a timer (requests wait while a
//!   frame is written; during a connect, timers and requests are served and the connect goes on).
//! - **Partial reads and writes.** Any read size works: the session reassembles frames. Writes
//!   continue until every byte of a frame is written, within the write timeout
//!   ([`Driver::with_write_timeout`]); a failed or timed-out write reports the socket closed
//!   (`TransportError::WriteFailed` / `TimedOut`) and the session reconnects and re-sends.
//! - **Cancelling `run` itself** (dropping its future) drops the stream; the next `run` reports
//!   that socket closed, and the session reconnects with nothing lost, except an event that was
//!   being handed to [`Application::event`] at that moment. Prefer [`Inputs::stop`].
//!
//! No allocation: the driver holds the session, the connector, the clock and a read buffer of
//! `READ` bytes (default 1024); futures live on the caller's stack or task.

mod event_loop;
mod inputs;
mod select;
mod target;
#[cfg(test)]
mod tests;
mod traits;

use core::ops::Range;

pub use inputs::Inputs;
pub use target::MAX_REMOTE_HOST_LEN;
pub use traits::{Application, Clock, Connector, SessionIo};

use crate::session::SocketId;
use crate::time::Duration;
use event_loop::Loop;

/// How long a frame write (or flush) may take before the socket is given up: 15 s.
pub const DEFAULT_WRITE_TIMEOUT: Duration = Duration::from_secs(15);

/// Runs a session over a [`Connector`]'s streams with a [`Clock`]; see the module
/// documentation.
///
/// `S` is the session (any [`SessionIo`], normally a
/// [`Session`](crate::session::Session)); `READ` is the size of the read buffer.
pub struct Driver<S, C, K, const READ: usize = 1024> {
    session: S,
    connector: C,
    clock: K,
    buf: [u8; READ],
    unread: Range<usize>,
    held: Option<SocketId>,
    write_timeout: Duration,
}

impl<S: SessionIo, C: Connector, K: Clock, const READ: usize> Driver<S, C, K, READ> {
    /// A driver for `session`; nothing happens until [`run`](Driver::run).
    pub fn new(session: S, connector: C, clock: K) -> Self {
        Self {
            session,
            connector,
            clock,
            buf: [0; READ],
            unread: 0..0,
            held: None,
            write_timeout: DEFAULT_WRITE_TIMEOUT,
        }
    }

    /// The same driver with another write timeout (see [`DEFAULT_WRITE_TIMEOUT`]).
    #[must_use]
    pub fn with_write_timeout(mut self, timeout: Duration) -> Self {
        self.write_timeout = timeout;
        self
    }

    /// Runs the session until the application calls [`Inputs::stop`]: events go to
    /// `app.event`; when `app.ready` completes, `app.requests` makes its calls. Every input and
    /// output of the session goes through here; call it again to carry on after a stop.
    pub async fn run<A: Application>(&mut self, app: &mut A) {
        Loop::new(
            &mut self.session,
            &self.connector,
            &self.clock,
            app,
            &mut self.buf,
            &mut self.unread,
            &mut self.held,
            self.write_timeout,
        )
        .run()
        .await;
    }

    /// The session's inputs between runs (e.g. `driver.inputs().login()` before the first
    /// run), at the clock's time. Outputs they cause are taken by the next
    /// [`run`](Driver::run); `stop` means nothing here.
    pub fn inputs(&mut self) -> Inputs<'_> {
        let now = self.clock.now();
        Inputs::new(&mut self.session, now)
    }

    /// The session (its state, stats, token).
    pub fn session(&self) -> &S {
        &self.session
    }

    /// The session, for inputs between runs (e.g. `login` before the first run). Outputs they
    /// cause are taken by the next [`run`](Driver::run).
    pub fn session_mut(&mut self) -> &mut S {
        &mut self.session
    }

    /// The connector.
    pub fn connector(&self) -> &C {
        &self.connector
    }

    /// The clock.
    pub fn clock(&self) -> &K {
        &self.clock
    }

    /// The parts back (a held stream was dropped with the last run).
    pub fn into_parts(self) -> (S, C, K) {
        (self.session, self.connector, self.clock)
    }
}

impl<S, C, K, const READ: usize> core::fmt::Debug for Driver<S, C, K, READ> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Driver")
            .field("held", &self.held)
            .field("unread", &self.unread)
            .field("write_timeout", &self.write_timeout)
            .finish_non_exhaustive()
    }
}
