//! The link: the one TCP (and TLS) connection, run next to the driver in the same task.
//!
//! The driver wants a [`Connector`](msync_core::driver::Connector) whose streams it can hold
//! between calls and whose reads it may cancel. embedded-tls borrows its record buffers for the
//! life of a connection and its reads are not cancel-safe (a record header read in part is
//! lost when the read is dropped). So the connection itself lives in [`serve`], an async loop
//! that owns the socket and TLS state in its own scope (reborrowing the caller's buffers for
//! each connection) and never cancels a TLS read; the driver's streams are ends of two byte
//! pipes to it ([`LinkConnector`], [`LinkStream`]), whose reads and writes are cancel-safe.
//!
//! Commands go one way (connect, close), outcomes the other; every connection has a
//! generation, so nothing from an old connection reaches a newer stream.

mod connector;
mod serve;
mod socket;

use core::cell::Cell;

use embassy_sync::blocking_mutex::Mutex as BlockingMutex;
use embassy_sync::blocking_mutex::raw::RawMutex;
use embassy_sync::pipe::Pipe;
use embassy_sync::signal::Signal;
use heapless::String;
use msync_core::driver::MAX_REMOTE_HOST_LEN;
use msync_core::session::{Remote, TransportError};

pub(crate) use connector::LinkConnector;
pub(crate) use serve::serve;

/// Bytes received and not yet read by the driver.
pub(crate) const RX_PIPE: usize = 512;
/// Bytes written by the driver and not yet taken by the link.
pub(crate) const TX_PIPE: usize = 512;

/// Where to connect, copied out of the session's `Open`.
#[derive(Clone, Debug)]
pub(crate) struct Target {
    pub(crate) host: String<MAX_REMOTE_HOST_LEN>,
    pub(crate) port: u16,
    pub(crate) tls: bool,
}

impl Target {
    /// The copy, or `None` when the host is too long.
    pub(crate) fn new(remote: &Remote<'_>) -> Option<Self> {
        Some(Self {
            host: String::try_from(remote.host).ok()?,
            port: remote.port,
            tls: remote.tls,
        })
    }
}

/// What the connector asks of the link; the latest command wins.
// One lives in the link's signal; a `Close` is as large as a `Connect` there either way.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug)]
pub(crate) enum Command {
    /// Drop whatever is open and connect this generation to `target`.
    Connect { generation: u32, target: Target },
    /// Drop this generation's connection (or attempt).
    Close { generation: u32 },
}

/// The state shared by the connector (driver side) and [`serve`] (link side).
pub(crate) struct Link<M: RawMutex> {
    command: Signal<M, Command>,
    /// The result of a connect, by generation.
    outcome: Signal<M, (u32, Result<(), TransportError>)>,
    /// A connection ended by itself (peer closed, reset), by generation.
    ended: Signal<M, (u32, TransportError)>,
    /// The link has written out everything it took from `tx`.
    drained: Signal<M, ()>,
    /// The link holds bytes taken from `tx` and not yet written to the socket.
    writing: BlockingMutex<M, Cell<bool>>,
    generation: BlockingMutex<M, Cell<u32>>,
    rx: Pipe<M, RX_PIPE>,
    tx: Pipe<M, TX_PIPE>,
}

impl<M: RawMutex> Link<M> {
    pub(crate) const fn new() -> Self {
        Self {
            command: Signal::new(),
            outcome: Signal::new(),
            ended: Signal::new(),
            drained: Signal::new(),
            writing: BlockingMutex::new(Cell::new(false)),
            generation: BlockingMutex::new(Cell::new(0)),
            rx: Pipe::new(),
            tx: Pipe::new(),
        }
    }

    fn next_generation(&self) -> u32 {
        self.generation.lock(|cell| {
            let next = cell.get().wrapping_add(1);
            cell.set(next);
            next
        })
    }

    fn set_writing(&self, writing: bool) {
        self.writing.lock(|cell| cell.set(writing));
    }

    fn is_writing(&self) -> bool {
        self.writing.lock(Cell::get)
    }

    /// Waits for the next command that concerns the link while it serves `generation`
    /// (closes of other generations are stale and skipped).
    async fn next_command(&self, generation: u32) -> Command {
        loop {
            match self.command.wait().await {
                Command::Close { generation: other } if other != generation => continue,
                command => return command,
            }
        }
    }
}
