//! `msync devserver`: runs `msync-devserver` (the library) in this process until Ctrl-C or
//! SIGTERM, with the flags of its own binary.

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use clap::Args;
use msync_devserver::{AppCredentials, Config, DevServer, RunningServer};
use serde::Serialize;

use crate::CliError;
use crate::cmd::stop::StopSignal;
use crate::output::Output;

/// Arguments of `msync devserver`.
#[derive(Debug, Args)]
pub struct DevserverArgs {
    /// Address to listen on (port 0: a free port; the URLs printed at start tell which).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:0")]
    pub listen: SocketAddr,

    /// Serve HTTPS / wss with a self-signed certificate (localhost, 127.0.0.1, ::1) generated at
    /// start.
    #[arg(long)]
    pub tls: bool,

    /// With --tls, write the certificate's PEM to this file.
    #[arg(long, value_name = "PATH", alias = "cert-out", requires = "tls")]
    pub cert_path: Option<PathBuf>,

    /// Only apps given with --app exist, their client credentials are checked, and management
    /// calls need an app token.
    #[arg(long)]
    pub strict: bool,

    /// An app and its client credentials, `org#app:CLIENT_ID:CLIENT_SECRET` (repeatable).
    #[arg(long = "app", value_name = "KEY:ID:SECRET")]
    pub apps: Vec<Credentials>,

    /// A user to register at start, `org#app:USERNAME:PASSWORD` (repeatable).
    #[arg(long = "user", value_name = "KEY:NAME:PASSWORD")]
    pub users: Vec<Credentials>,

    /// Most metas per pull batch.
    #[arg(long, value_name = "N", default_value_t = 50)]
    pub batch_size: usize,

    /// Seconds of silence after which a WebSocket is closed.
    #[arg(long, value_name = "SECS", default_value_t = 90)]
    pub idle_timeout: u64,

    /// Largest WebSocket frame / message in bytes.
    #[arg(long, value_name = "N", default_value_t = 64 * 1024)]
    pub max_frame_bytes: usize,

    /// Largest message content plus ext in bytes ("Sorry, data is too large" beyond).
    #[arg(long, value_name = "N", default_value_t = 5 * 1024)]
    pub max_message_bytes: usize,

    /// Default token lifetime in seconds (a token request's `ttl` overrides it; 0: never
    /// expires).
    #[arg(long, value_name = "SECS", default_value_t = 7 * 24 * 3600)]
    pub token_ttl: u64,

    /// Milliseconds a kicked connection stays open for the client to close it.
    #[arg(long, value_name = "MS", default_value_t = 1000)]
    pub kick_grace_ms: u64,

    /// Turn off the development-only admin path /_devserver/...
    #[arg(long)]
    pub no_admin: bool,
}

/// `org#app:NAME:SECRET`: an app's client credentials or a user's password. `Debug` redacts the
/// secret.
#[derive(Clone)]
pub struct Credentials {
    /// The app key, `org#app`.
    pub app_key: String,
    /// The client id or user name.
    pub name: String,
    /// The client secret or password.
    pub secret: String,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("app_key", &self.app_key)
            .field("name", &self.name)
            .field("secret", &"<redacted>")
            .finish()
    }
}

impl FromStr for Credentials {
    type Err = String;

    fn from_str(spec: &str) -> Result<Self, String> {
        let mut parts = spec.splitn(3, ':');
        match (parts.next(), parts.next(), parts.next()) {
            (Some(app_key), Some(name), Some(secret))
                if app_key.contains('#') && !name.is_empty() =>
            {
                Ok(Credentials {
                    app_key: app_key.to_owned(),
                    name: name.to_owned(),
                    secret: secret.to_owned(),
                })
            }
            _ => Err("expected org#app:NAME:SECRET".to_owned()),
        }
    }
}

impl DevserverArgs {
    /// The server configuration these flags describe.
    pub fn config(&self) -> Config {
        let mut config = Config::new()
            .listen(self.listen)
            .tls(self.tls)
            .strict(self.strict)
            .batch_size(self.batch_size)
            .idle_timeout(Duration::from_secs(self.idle_timeout))
            .max_frame_bytes(self.max_frame_bytes)
            .max_message_bytes(self.max_message_bytes)
            .default_token_ttl(Duration::from_secs(self.token_ttl))
            .kick_grace(Duration::from_millis(self.kick_grace_ms))
            .admin(!self.no_admin);
        if let Some(path) = &self.cert_path {
            config = config.cert_path(path);
        }
        for app in &self.apps {
            config = config.app(AppCredentials {
                app_key: app.app_key.clone(),
                client_id: app.name.clone(),
                client_secret: app.secret.clone(),
            });
        }
        config
    }
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
    fn new(server: &RunningServer, args: &DevserverArgs) -> Self {
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
    // Listen for the signals before printing the URLs: a script that reads them and stops the
    // server at once must find the handlers in place.
    let mut stop = StopSignal::listen()?;
    let server = DevServer::start(args.config()).await.map_err(|e| {
        CliError::failed(format!(
            "cannot start the devserver on {}: {e}",
            args.listen
        ))
    })?;
    for user in &args.users {
        server
            .register_user(&user.app_key, &user.name, &user.secret)
            .map_err(|e| CliError::failed(format!("--user {}: {e}", user.name)))?;
    }
    Started::new(&server, &args).print(&output)?;
    stop.wait().await;
    server.shutdown().await;
    Ok(())
}
