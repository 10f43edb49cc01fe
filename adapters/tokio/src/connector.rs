//! The driver's connector on tokio: DNS and TCP through tokio, TLS through tokio-rustls.

use std::io;
use std::sync::Arc;

use embedded_io_async::{ErrorType, Read, Write};
use msync_core::driver::Connector;
use msync_core::session::{Remote, TransportError};
use rustls::ClientConfig;
use rustls::pki_types::ServerName;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;

/// Opens TCP connections (names resolved by tokio), with TLS when the remote asks for it,
/// verified against the configured roots or verifier.
#[derive(Clone)]
pub struct TokioConnector {
    tls: Arc<ClientConfig>,
}

impl std::fmt::Debug for TokioConnector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokioConnector").finish_non_exhaustive()
    }
}

impl TokioConnector {
    /// A connector using `tls` for `https` / `wss` remotes (see
    /// [`TlsOptions::build`](crate::TlsOptions::build)).
    pub fn new(tls: Arc<ClientConfig>) -> Self {
        Self { tls }
    }
}

/// A connected stream: plain TCP or TLS over TCP. Reads are cancel-safe (tokio's and
/// tokio-rustls's are); dropping it closes the connection.
#[derive(Debug)]
pub enum TokioStream {
    /// `http://`, `ws://`.
    Plain(TcpStream),
    /// `https://`, `wss://`.
    Tls(Box<TlsStream<TcpStream>>),
}

impl Connector for TokioConnector {
    type Stream<'a> = TokioStream;

    async fn connect(&self, remote: &Remote<'_>) -> Result<TokioStream, TransportError> {
        // URL hosts keep IPv6 addresses in brackets; sockets and TLS want them bare.
        let host = remote
            .host
            .strip_prefix('[')
            .and_then(|inner| inner.strip_suffix(']'))
            .unwrap_or(remote.host);
        tracing::debug!(host, port = remote.port, tls = remote.tls, purpose = ?remote.purpose, "connecting");
        let tcp = TcpStream::connect((host, remote.port))
            .await
            .map_err(|error| {
                tracing::debug!(host, port = remote.port, %error, "connect failed");
                connect_error(&error)
            })?;
        if let Err(error) = tcp.set_nodelay(true) {
            tracing::debug!(%error, "TCP_NODELAY not set");
        }
        if !remote.tls {
            return Ok(TokioStream::Plain(tcp));
        }
        let name = ServerName::try_from(host.to_owned()).map_err(|_| {
            tracing::debug!(host, "not a valid TLS server name");
            TransportError::Tls
        })?;
        let tls = TlsConnector::from(self.tls.clone())
            .connect(name, tcp)
            .await
            .map_err(|error| {
                tracing::warn!(host, port = remote.port, %error, "TLS handshake failed");
                TransportError::Tls
            })?;
        Ok(TokioStream::Tls(Box::new(tls)))
    }
}

fn connect_error(error: &io::Error) -> TransportError {
    match error.kind() {
        io::ErrorKind::TimedOut => TransportError::TimedOut,
        _ => TransportError::ConnectFailed,
    }
}

impl ErrorType for TokioStream {
    type Error = io::Error;
}

impl Read for TokioStream {
    async fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            TokioStream::Plain(tcp) => tcp.read(buf).await,
            TokioStream::Tls(tls) => tls.read(buf).await,
        }
    }
}

impl Write for TokioStream {
    async fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            TokioStream::Plain(tcp) => tcp.write(buf).await,
            TokioStream::Tls(tls) => tls.write(buf).await,
        }
    }

    async fn flush(&mut self) -> io::Result<()> {
        match self {
            TokioStream::Plain(tcp) => tcp.flush().await,
            TokioStream::Tls(tls) => tls.flush().await,
        }
    }
}
