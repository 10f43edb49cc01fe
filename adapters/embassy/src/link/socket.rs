//! The TCP socket as embedded-tls's transport: a copyable handle on the socket's two halves, so
//! that the TLS connection can be split into a reader and a writer that run side by side.

use embassy_net::tcp::{TcpReader, TcpWriter};
use embassy_sync::blocking_mutex::raw::NoopRawMutex;
use embassy_sync::mutex::Mutex;
use embedded_io_async::{ErrorType, Read, Write};

/// The halves of one TCP socket. The reader half is used only by whoever reads, the writer half
/// only by whoever writes (the locks are never contended; they make the sharing safe).
#[derive(Clone, Copy)]
pub(super) struct SplitSocket<'h, 's> {
    pub(super) reader: &'h Mutex<NoopRawMutex, TcpReader<'s>>,
    pub(super) writer: &'h Mutex<NoopRawMutex, TcpWriter<'s>>,
}

impl ErrorType for SplitSocket<'_, '_> {
    type Error = embassy_net::tcp::Error;
}

impl Read for SplitSocket<'_, '_> {
    async fn read(&mut self, buf: &mut [u8]) -> Result<usize, Self::Error> {
        self.reader.lock().await.read(buf).await
    }
}

impl Write for SplitSocket<'_, '_> {
    async fn write(&mut self, buf: &[u8]) -> Result<usize, Self::Error> {
        self.writer.lock().await.write(buf).await
    }

    async fn flush(&mut self) -> Result<(), Self::Error> {
        self.writer.lock().await.flush().await
    }
}
