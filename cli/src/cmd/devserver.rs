//! `msync devserver`: runs `msync-devserver` (the library) in this process until Ctrl-C or
//! SIGTERM, with the flags of its own binary.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Args;
use msync_devserver::{DevServer, RunningServer, ServerArgs};
use serde::Serialize;

use crate::CliError;
use crate::cmd::stop::StopSignal;
use crate::output::Output;

/// Arguments of `msync devserver`: the flags of `msync-devserver`.
#[derive(Debug, Args)]
pub struct DevserverArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub server: ServerArgs,
}

/// What `msync devserver` prints once listening (`--json`: one line of this object).
#[derive(Clone, Debug, Serialize)]
pub struct Started {
    /// The bound address.
    pub listen: SocketAddr,
    /// The REST and bootstrap base, `http://ADDR` (`https` with TLS).
    pub base_url: String,
    /// The REST base of an app, with `{org}` and `{app}` to fill in.
    pub rest: String,
    /// The bootstrap URL, with `{org}` and `{app}` to fill in.
    pub bootstrap: String,
    /// The msync gateway, `ws://ADDR/websocket` (`wss` with TLS).
    pub websocket: String,
    /// The admin state endpoint, unless `--no-admin`.
    pub admin: Option<String>,
    /// The self-signed certificate's PEM, with `--tls`.
    pub cert_pem: Option<String>,
    /// Where the PEM was written, with `--cert-path`.
    pub cert_path: Option<PathBuf>,
}

impl Started {
    fn new(server: &RunningServer, args: &ServerArgs) -> Self {
        let base = server.base_url();
        Self {
            listen: server.local_addr(),
            rest: format!("{base}/{{org}}/{{app}}"),
            bootstrap: format!("{base}/easemob/server.json?app_key={{org}}%23{{app}}"),
            websocket: server.ws_url(),
            admin: (!args.no_admin).then(|| format!("{base}/_devserver/state")),
            cert_pem: server.cert_pem().map(str::to_owned),
            cert_path: args.cert_path.clone(),
            base_url: base,
        }
    }

    fn print(&self, output: &Output) -> Result<(), CliError> {
        if output.is_json() {
            let line = serde_json::to_string(self)
                .map_err(|e| CliError::failed(format!("cannot write JSON: {e}")))?;
            output.line(line);
            return Ok(());
        }
        let mut text = format!(
            "msync devserver (msync-devserver {}) listening on {}\n\
             \x20 rest:      {}\n\
             \x20 bootstrap: {}\n\
             \x20 websocket: {}\n",
            env!("CARGO_PKG_VERSION"),
            self.listen,
            self.rest,
            self.bootstrap,
            self.websocket
        );
        if let Some(admin) = &self.admin {
            text.push_str(&format!("  admin:     {admin}\n"));
        }
        match (&self.cert_path, &self.cert_pem) {
            (Some(path), _) => text.push_str(&format!("  cert:      {}\n", path.display())),
            (None, Some(_)) => text.push_str(
                "  cert:      self-signed, in memory (--cert-path saves its PEM; --json prints it)\n",
            ),
            (None, None) => {}
        }
        text.push_str("Ctrl-C stops it.\n");
        output.text(&text);
        Ok(())
    }
}

/// Runs `msync devserver` until Ctrl-C or SIGTERM.
pub async fn run(args: DevserverArgs, output: Output) -> Result<(), CliError> {
    let args = args.server;
    // Listen for the signals before printing the URLs: a script that reads them and stops the
    // server at once must find the handlers in place.
    let mut stop = StopSignal::listen()?;
    let server = DevServer::start(args.config()).await.map_err(|e| {
        CliError::failed(format!(
            "cannot start the devserver on {}: {e}",
            args.listen
        ))
    })?;
    args.register_users(&server).map_err(CliError::failed)?;
    Started::new(&server, &args).print(&output)?;
    stop.wait().await;
    server.shutdown().await;
    Ok(())
}
