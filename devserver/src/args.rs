//! The devserver's command-line flags, shared by the `msync-devserver` binary and
//! `msync devserver` (which flattens [`ServerArgs`] into its own arguments), and the
//! [`Config`] they describe.

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use clap::Args;

use crate::config::{AppCredentials, Config};
use crate::server::RunningServer;

/// The flags of a devserver: where it listens, TLS, apps and users, limits.
#[derive(Debug, Args)]
pub struct ServerArgs {
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

impl ServerArgs {
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

    /// Registers the `--user` accounts on `server`; an error names the user that failed.
    pub fn register_users(&self, server: &RunningServer) -> Result<(), String> {
        for user in &self.users {
            server
                .register_user(&user.app_key, &user.name, &user.secret)
                .map_err(|e| format!("--user {}: {e}", user.name))?;
        }
        Ok(())
    }
}
