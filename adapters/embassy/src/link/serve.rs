//! The link's side: one connection at a time, each in its own scope (DNS, TCP, TLS, then two
//! pumps between the socket and the pipes).

use embassy_futures::select::{Either, select};
use embassy_net::dns::DnsQueryType;
use embassy_net::tcp::{ConnectError, TcpSocket};
use embassy_net::{IpAddress, Stack};
use embassy_sync::blocking_mutex::raw::RawMutex;
use embassy_sync::mutex::Mutex;
use embassy_time::{Duration, with_timeout};
use embedded_io_async::{Read, Write};
use embedded_tls::{FlushPolicy, TlsConnection};
use msync_core::session::TransportError;

use super::socket::SplitSocket;
use super::{Command, Link, Target};
use crate::buffers::Buffers;
use crate::fmt::{debug, warning};
use crate::tls::{self, Suite, TlsOptions};

/// Bytes moved per step between the socket and a pipe.
const CHUNK: usize = 256;
/// How long a closing connection may take to have its FIN acknowledged before it is reset.
const CLOSE_GRACE: Duration = Duration::from_millis(1000);
/// How long the reset of a connection may take to go out.
const RESET_GRACE: Duration = Duration::from_millis(100);

/// Serves the connector's commands for ever: one connection at a time, the previous one
/// closed before the next is opened.
pub(crate) async fn serve<M: RawMutex, R: rand_core::CryptoRng>(
    link: &Link<M>,
    stack: Stack<'_>,
    buffers: &mut Buffers<'_>,
    tls: &mut Option<TlsOptions<'_, R>>,
) -> ! {
    let mut next = None;
    loop {
        let command = match next.take() {
            Some(command) => command,
            None => link.command.wait().await,
        };
        let Command::Connect { generation, target } = command else {
            continue;
        };
        debug!(
            "link: connection {} to {}:{} (tls: {})",
            generation,
            target.host.as_str(),
            target.port,
            target.tls
        );
        link.rx.clear();
        link.tx.clear();
        link.ended.reset();
        link.set_writing(false);
        next = connection(link, stack, buffers, tls, generation, &target).await;
        debug!("link: connection {} closed", generation);
    }
}

/// Opens, serves and closes one connection; returns the command that ended it early, if any.
async fn connection<M: RawMutex, R: rand_core::CryptoRng>(
    link: &Link<M>,
    stack: Stack<'_>,
    buffers: &mut Buffers<'_>,
    tls: &mut Option<TlsOptions<'_, R>>,
    generation: u32,
    target: &Target,
) -> Option<Command> {
    let mut socket = TcpSocket::new(stack, &mut *buffers.tcp_rx, &mut *buffers.tcp_tx);
    let opened = select(
        open_tcp(stack, &mut socket, target),
        link.next_command(generation),
    );
    let interrupted = match opened.await {
        Either::First(Ok(())) if target.tls => {
            run_tls(
                link,
                &mut socket,
                &mut *buffers.tls_read,
                &mut *buffers.tls_write,
                tls,
                generation,
                &target.host,
            )
            .await
        }
        Either::First(Ok(())) => run_plain(link, &mut socket, generation).await,
        Either::First(Err(error)) => {
            debug!("link: connection {} failed: {:?}", generation, error);
            link.outcome.signal((generation, Err(error)));
            None
        }
        Either::Second(command) => Some(command),
    };
    close(&mut socket).await;
    interrupted
}

/// Resolves the host (embassy-net's resolver; IP literals directly) and connects.
async fn open_tcp(
    stack: Stack<'_>,
    socket: &mut TcpSocket<'_>,
    target: &Target,
) -> Result<(), TransportError> {
    let addresses = stack
        .dns_query(&target.host, DnsQueryType::A)
        .await
        .map_err(|_| TransportError::ConnectFailed)?;
    let address: IpAddress = *addresses.first().ok_or(TransportError::ConnectFailed)?;
    socket
        .connect((address, target.port))
        .await
        .map_err(|error| match error {
            ConnectError::TimedOut => TransportError::TimedOut,
            _ => TransportError::ConnectFailed,
        })
}

/// Serves a plain TCP connection until it ends or a command comes.
async fn run_plain<M: RawMutex>(
    link: &Link<M>,
    socket: &mut TcpSocket<'_>,
    generation: u32,
) -> Option<Command> {
    debug!("link: connection {} open", generation);
    link.outcome.signal((generation, Ok(())));
    let (mut reader, mut writer) = socket.split();
    pump(link, generation, &mut reader, &mut Unacked(&mut writer)).await
}

/// Runs the TLS handshake, then serves the connection until it ends or a command comes.
async fn run_tls<M: RawMutex, R: rand_core::CryptoRng>(
    link: &Link<M>,
    socket: &mut TcpSocket<'_>,
    read_buffer: &mut [u8],
    write_buffer: &mut [u8],
    tls: &mut Option<TlsOptions<'_, R>>,
    generation: u32,
    host: &str,
) -> Option<Command> {
    let Some(options) = tls.as_mut() else {
        warning!("link: the session asked for TLS, the runner has no TLS options");
        link.outcome.signal((generation, Err(TransportError::Tls)));
        return None;
    };
    let (reader, writer) = socket.split();
    let (reader, writer) = (Mutex::new(reader), Mutex::new(writer));
    let io = SplitSocket {
        reader: &reader,
        writer: &writer,
    };
    let mut connection: TlsConnection<'_, _, Suite> =
        TlsConnection::new(io, read_buffer, write_buffer);
    let handshake = tls::handshake(&mut connection, options, host);
    match select(handshake, link.next_command(generation)).await {
        Either::First(Ok(())) => {}
        Either::First(Err(_error)) => {
            warning!("link: TLS handshake failed: {:?}", _error);
            link.outcome.signal((generation, Err(TransportError::Tls)));
            return None;
        }
        Either::Second(command) => return Some(command),
    }
    debug!("link: connection {} open, TLS established", generation);
    link.outcome.signal((generation, Ok(())));
    // A flush hands the record to the socket; it does not wait for the peer's ACK.
    connection.set_flush_policy(FlushPolicy::Relaxed);
    let (mut reader, mut writer) = connection.split();
    pump(link, generation, &mut reader, &mut writer).await
}

/// Moves bytes both ways until the connection ends (then tells the stream) or a command comes.
async fn pump<M: RawMutex, Rd: Read, Wr: Write>(
    link: &Link<M>,
    generation: u32,
    reader: &mut Rd,
    writer: &mut Wr,
) -> Option<Command> {
    let both = select(read_pump(link, reader), write_pump(link, writer));
    match select(both, link.next_command(generation)).await {
        Either::First(Either::First(error) | Either::Second(error)) => {
            debug!("link: connection {} ended: {:?}", generation, error);
            link.ended.signal((generation, error));
            None
        }
        Either::Second(command) => Some(command),
    }
}

/// Socket to the receive pipe. Never cancelled while the connection lives: embedded-tls's
/// reads must not be.
async fn read_pump<M: RawMutex, Rd: Read>(link: &Link<M>, reader: &mut Rd) -> TransportError {
    let mut chunk = [0u8; CHUNK];
    loop {
        match reader.read(&mut chunk).await {
            Ok(0) => return TransportError::PeerClosed,
            Ok(n) => link.rx.write_all(chunk.get(..n).unwrap_or_default()).await,
            Err(_) => return TransportError::Reset,
        }
    }
}

/// Send pipe to the socket, flushing whenever the pipe runs empty.
async fn write_pump<M: RawMutex, Wr: Write>(link: &Link<M>, writer: &mut Wr) -> TransportError {
    let mut chunk = [0u8; CHUNK];
    loop {
        let n = link.tx.read(&mut chunk).await;
        link.set_writing(true);
        if writer
            .write_all(chunk.get(..n).unwrap_or_default())
            .await
            .is_err()
        {
            return TransportError::WriteFailed;
        }
        if link.tx.is_empty() {
            if writer.flush().await.is_err() {
                return TransportError::WriteFailed;
            }
            link.set_writing(false);
            link.drained.signal(());
        }
    }
}

/// A TCP writer whose flush does not wait for the peer's ACK: bytes in the socket's send
/// buffer count as written (smoltcp sends and retransmits them).
struct Unacked<'w, W>(&'w mut W);

impl<W: Write> embedded_io_async::ErrorType for Unacked<'_, W> {
    type Error = W::Error;
}

impl<W: Write> Write for Unacked<'_, W> {
    async fn write(&mut self, buf: &[u8]) -> Result<usize, W::Error> {
        self.0.write(buf).await
    }

    async fn flush(&mut self) -> Result<(), W::Error> {
        Ok(())
    }
}

/// Closes gracefully (FIN), or resets when that takes too long.
async fn close(socket: &mut TcpSocket<'_>) {
    socket.close();
    if with_timeout(CLOSE_GRACE, socket.flush()).await.is_err() {
        socket.abort();
        let _ = with_timeout(RESET_GRACE, socket.flush()).await;
    }
}
