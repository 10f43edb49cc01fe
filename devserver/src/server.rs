//! Starting and stopping a server: [`DevServer::start`] and [`RunningServer`].

use std::io;
use std::net::SocketAddr;
use std::ops::Deref;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use tokio::net::TcpListener;

use crate::config::Config;
use crate::controls::Controls;
use crate::listener::Listener;
use crate::rest::RestError;
use crate::shared::Shared;

/// Entry point: starts servers.
#[derive(Debug)]
pub struct DevServer;

impl DevServer {
    /// Binds `config`'s address, generates the TLS certificate if asked, and starts serving on
    /// the current tokio runtime. The server runs until [`RunningServer::shutdown`] or until
    /// the `RunningServer` is dropped.
    pub async fn start(config: Config) -> io::Result<RunningServer> {
        let listener = TcpListener::bind(config.listen).await?;
        let addr = listener.local_addr()?;
        let tls = if config.tls {
            Some(crate::tls::self_signed()?)
        } else {
            None
        };
        let cert_pem = tls.as_ref().map(|t| t.cert_pem.clone());
        if let (Some(path), Some(pem)) = (&config.cert_path, &cert_pem) {
            std::fs::write(path, pem)?;
        }
        let shared = Arc::new(Shared::new(config, addr));
        let router = router(&shared);
        let listener = Listener::start(shared.clone(), router, tls, listener);
        tracing::info!(%addr, tls = cert_pem.is_some(), "msync-devserver listening");
        Ok(RunningServer {
            controls: Controls { shared, listener },
            cert_pem,
        })
    }
}

fn router(shared: &Arc<Shared>) -> Router {
    let mut router = crate::rest::routes().route("/websocket", get(crate::ws::upgrade));
    if shared.config.admin {
        router = router.merge(crate::admin::routes());
    }
    router
        .fallback(|| async {
            RestError::new(
                StatusCode::NOT_FOUND,
                "service_resource_not_found",
                "Service resource not found",
            )
            .into_response()
        })
        .method_not_allowed_fallback(|| async {
            RestError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                "Method not allowed",
            )
            .into_response()
        })
        .layer(DefaultBodyLimit::max(shared.config.max_http_body_bytes))
        .with_state(shared.clone())
}

/// A started server. Dereferences to its [`Controls`].
#[derive(Debug)]
pub struct RunningServer {
    controls: Controls,
    cert_pem: Option<String>,
}

impl RunningServer {
    /// The bound address (with the real port when the configuration asked for port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.controls.shared.addr
    }

    /// REST and bootstrap base: `http://127.0.0.1:PORT` (`https` with TLS). The REST base of
    /// an app is `{base_url}/{org}/{app}`.
    pub fn base_url(&self) -> String {
        format!(
            "{}://{}",
            self.controls.shared.http_scheme(),
            self.local_addr()
        )
    }

    /// The msync gateway: `ws://127.0.0.1:PORT/websocket` (`wss` with TLS).
    pub fn ws_url(&self) -> String {
        format!(
            "{}://{}/websocket",
            self.controls.shared.ws_scheme(),
            self.local_addr()
        )
    }

    /// The PEM of the self-signed certificate, when serving TLS.
    pub fn cert_pem(&self) -> Option<&str> {
        self.cert_pem.as_deref()
    }

    /// The in-process controls (also reachable through `Deref`).
    pub fn controls(&self) -> &Controls {
        &self.controls
    }

    /// Stops listening, drops every connection and waits for the accept loop to end.
    pub async fn shutdown(self) {
        self.controls.listener.stop().await;
    }
}

impl Deref for RunningServer {
    type Target = Controls;

    fn deref(&self) -> &Controls {
        &self.controls
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        self.controls.shared.end_epoch();
    }
}
