//! The accept loop: plain TCP or TLS, HTTP/1.1 with upgrades, one generation per listen, so
//! that a restart drops every connection and listens again on the same address.

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Mutex as AsyncMutex;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use crate::shared::Shared;
use crate::tls::SelfSigned;

/// How long a client may take to send its request head or finish the TLS handshake.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(30);

/// The listening side of a server.
pub(crate) struct Listener {
    shared: Arc<Shared>,
    router: Router,
    tls: Option<SelfSigned>,
    task: AsyncMutex<Option<JoinHandle<()>>>,
}

impl std::fmt::Debug for Listener {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Listener")
            .field("addr", &self.shared.addr)
            .field("tls", &self.tls.is_some())
            .finish()
    }
}

impl Listener {
    /// Starts accepting on an already bound listener.
    pub(crate) fn start(
        shared: Arc<Shared>,
        router: Router,
        tls: Option<SelfSigned>,
        listener: TcpListener,
    ) -> Arc<Self> {
        let epoch = shared.epoch();
        let task = tokio::spawn(accept_loop(listener, router.clone(), tls.clone(), epoch));
        let this = Arc::new(Self {
            shared,
            router,
            tls,
            task: AsyncMutex::new(Some(task)),
        });
        let _ = this.shared.listener.set(Arc::downgrade(&this));
        this
    }

    /// Drops every connection, stays closed for `down`, then listens on the same address.
    pub(crate) async fn restart(&self, down: Duration) -> io::Result<()> {
        let mut task = self.task.lock().await;
        let epoch = self.shared.next_epoch();
        if let Some(old) = task.take() {
            let _ = old.await;
        }
        tracing::info!(down_ms = down.as_millis() as u64, "restarting (state kept)");
        tokio::time::sleep(down).await;
        let listener = bind_again(self.shared.addr).await?;
        *task = Some(tokio::spawn(accept_loop(
            listener,
            self.router.clone(),
            self.tls.clone(),
            epoch,
        )));
        tracing::info!(addr = %self.shared.addr, "listening again");
        Ok(())
    }

    /// Stops listening and drops every connection.
    pub(crate) async fn stop(&self) {
        self.shared.end_epoch();
        if let Some(task) = self.task.lock().await.take() {
            let _ = task.await;
        }
    }
}

/// Binds the address again, retrying briefly while the old socket is released.
async fn bind_again(addr: SocketAddr) -> io::Result<TcpListener> {
    let mut last = None;
    for _ in 0..50 {
        match TcpListener::bind(addr).await {
            Ok(listener) => return Ok(listener),
            Err(e) => last = Some(e),
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Err(last.unwrap_or_else(|| io::Error::other("bind failed")))
}

async fn accept_loop(
    listener: TcpListener,
    router: Router,
    tls: Option<SelfSigned>,
    epoch: CancellationToken,
) {
    loop {
        let accepted = tokio::select! {
            () = epoch.cancelled() => return,
            accepted = listener.accept() => accepted,
        };
        let (stream, peer) = match accepted {
            Ok(pair) => pair,
            Err(e) => {
                tracing::warn!(error = %e, "accept failed");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        tokio::spawn(connection(
            stream,
            peer,
            router.clone(),
            tls.clone(),
            epoch.clone(),
        ));
    }
}

async fn connection(
    stream: TcpStream,
    peer: SocketAddr,
    router: Router,
    tls: Option<SelfSigned>,
    epoch: CancellationToken,
) {
    let _ = stream.set_nodelay(true);
    match tls {
        None => serve(TokioIo::new(stream), router, epoch).await,
        Some(tls) => {
            let handshake = tokio::time::timeout(HANDSHAKE_TIMEOUT, tls.acceptor.accept(stream));
            let stream = tokio::select! {
                () = epoch.cancelled() => return,
                done = handshake => match done {
                    Ok(Ok(stream)) => stream,
                    Ok(Err(e)) => return tracing::debug!(%peer, error = %e, "TLS handshake failed"),
                    Err(_) => return tracing::debug!(%peer, "TLS handshake timed out"),
                },
            };
            serve(TokioIo::new(stream), router, epoch).await;
        }
    }
}

async fn serve<I>(io: TokioIo<I>, router: Router, epoch: CancellationToken)
where
    I: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let service = TowerToHyperService::new(router);
    let conn = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(HANDSHAKE_TIMEOUT)
        .serve_connection(io, service)
        .with_upgrades();
    tokio::select! {
        _ = conn => {}
        () = epoch.cancelled() => {}
    }
}
