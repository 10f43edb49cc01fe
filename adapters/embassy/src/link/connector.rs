//! The driver's side of the link: a [`Connector`] whose streams are pipe ends.

use embassy_futures::select::{Either, select};
use embassy_sync::blocking_mutex::raw::RawMutex;
use msync_core::driver::Connector;
use msync_core::session::{Remote, TransportError};

use super::{Command, Link, Target};

/// Connects through the link: sends it a command and waits for the outcome.
pub(crate) struct LinkConnector<'l, M: RawMutex> {
    link: &'l Link<M>,
}

impl<'l, M: RawMutex> LinkConnector<'l, M> {
    pub(crate) fn new(link: &'l Link<M>) -> Self {
        Self { link }
    }
}

impl<M: RawMutex> Connector for LinkConnector<'_, M> {
    type Stream<'a>
        = LinkStream<'a, M>
    where
        Self: 'a;

    async fn connect<'a>(
        &'a self,
        remote: &Remote<'_>,
    ) -> Result<LinkStream<'a, M>, TransportError> {
        let target = Target::new(remote).ok_or(TransportError::ConnectFailed)?;
        let generation = self.link.next_generation();
        self.link.outcome.reset();
        self.link
            .command
            .signal(Command::Connect { generation, target });
        // Dropped before the outcome (the session gave up): the attempt is abandoned.
        let abandon = CloseOnDrop {
            link: self.link,
            generation,
        };
        loop {
            let (done, result) = self.link.outcome.wait().await;
            if done == generation {
                core::mem::forget(abandon);
                return result.map(|()| LinkStream {
                    link: self.link,
                    generation,
                    ended: None,
                });
            }
        }
    }
}

/// Tells the link to close `generation` when dropped.
struct CloseOnDrop<'l, M: RawMutex> {
    link: &'l Link<M>,
    generation: u32,
}

impl<M: RawMutex> Drop for CloseOnDrop<'_, M> {
    fn drop(&mut self) {
        self.link.command.signal(Command::Close {
            generation: self.generation,
        });
    }
}

/// One connection as the driver sees it. Reads and writes are cancel-safe: a pipe hands bytes
/// over only in the poll that completes. Dropping the stream closes the connection.
pub(crate) struct LinkStream<'l, M: RawMutex> {
    link: &'l Link<M>,
    generation: u32,
    /// How the connection ended, once the link said so.
    ended: Option<TransportError>,
}

impl<M: RawMutex> LinkStream<'_, M> {
    /// Records an end signalled for this stream's generation.
    fn note_end(&mut self, (generation, error): (u32, TransportError)) {
        if generation == self.generation {
            self.ended = Some(error);
        }
    }

    fn end_error(&self) -> Option<StreamError> {
        self.ended.map(StreamError)
    }
}

impl<M: RawMutex> Drop for LinkStream<'_, M> {
    fn drop(&mut self) {
        self.link.command.signal(Command::Close {
            generation: self.generation,
        });
    }
}

/// Why a stream failed: the link's transport error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct StreamError(pub(crate) TransportError);

impl core::fmt::Display for StreamError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        core::fmt::Debug::fmt(&self.0, f)
    }
}

impl core::error::Error for StreamError {}

impl embedded_io_async::Error for StreamError {
    fn kind(&self) -> embedded_io_async::ErrorKind {
        use embedded_io_async::ErrorKind;
        match self.0 {
            TransportError::TimedOut => ErrorKind::TimedOut,
            TransportError::PeerClosed => ErrorKind::ConnectionAborted,
            TransportError::WriteFailed => ErrorKind::BrokenPipe,
            _ => ErrorKind::ConnectionReset,
        }
    }
}

impl<M: RawMutex> embedded_io_async::ErrorType for LinkStream<'_, M> {
    type Error = StreamError;
}

impl<M: RawMutex> embedded_io_async::Read for LinkStream<'_, M> {
    async fn read(&mut self, buf: &mut [u8]) -> Result<usize, StreamError> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            // Bytes first: the link puts everything it received into the pipe before it
            // signals the end.
            if let Ok(n) = self.link.rx.try_read(buf) {
                return Ok(n);
            }
            match self.ended {
                Some(TransportError::PeerClosed) => return Ok(0),
                Some(error) => return Err(StreamError(error)),
                None => {}
            }
            match select(self.link.rx.read(buf), self.link.ended.wait()).await {
                Either::First(n) => return Ok(n),
                Either::Second(end) => self.note_end(end),
            }
        }
    }
}

impl<M: RawMutex> embedded_io_async::Write for LinkStream<'_, M> {
    async fn write(&mut self, buf: &[u8]) -> Result<usize, StreamError> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            if let Some(error) = self.end_error() {
                return Err(error);
            }
            match select(self.link.tx.write(buf), self.link.ended.wait()).await {
                Either::First(n) => return Ok(n),
                Either::Second(end) => self.note_end(end),
            }
        }
    }

    /// Completes once the link has handed every byte written so far to the socket (even if
    /// the connection has ended since: the bytes left).
    async fn flush(&mut self) -> Result<(), StreamError> {
        loop {
            if self.link.tx.is_empty() && !self.link.is_writing() {
                return Ok(());
            }
            if let Some(error) = self.end_error() {
                return Err(error);
            }
            match select(self.link.drained.wait(), self.link.ended.wait()).await {
                Either::First(()) => {}
                Either::Second(end) => self.note_end(end),
            }
        }
    }
}
