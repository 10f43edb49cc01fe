//! Server configuration: a builder with defaults suited to tests and a developer's lab.

use std::collections::HashMap;
use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// How the devserver is set up. Build it with [`Config::new`] and the chained setters;
/// every setter has a default that suits tests.
#[derive(Clone)]
pub struct Config {
    pub(crate) listen: SocketAddr,
    pub(crate) tls: bool,
    pub(crate) cert_path: Option<PathBuf>,
    pub(crate) strict: bool,
    pub(crate) apps: Vec<AppCredentials>,
    pub(crate) app_ids: HashMap<String, String>,
    pub(crate) batch_size: usize,
    pub(crate) idle_timeout: Duration,
    pub(crate) max_frame_bytes: usize,
    pub(crate) max_message_bytes: usize,
    pub(crate) max_http_body_bytes: usize,
    pub(crate) default_token_ttl: Duration,
    pub(crate) max_queue_len: usize,
    pub(crate) dedupe_window: usize,
    pub(crate) frame_log_capacity: usize,
    pub(crate) kick_grace: Duration,
    pub(crate) admin: bool,
}

/// The credentials of one app, for strict mode (see [`Config::strict`]).
#[derive(Clone)]
pub struct AppCredentials {
    /// The app key, `org#app`.
    pub app_key: String,
    /// The client id accepted by the `client_credentials` grant.
    pub client_id: String,
    /// The client secret accepted by the `client_credentials` grant.
    pub client_secret: String,
}

impl fmt::Debug for AppCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AppCredentials")
            .field("app_key", &self.app_key)
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .finish()
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("listen", &self.listen)
            .field("tls", &self.tls)
            .field("cert_path", &self.cert_path)
            .field("strict", &self.strict)
            .field("apps", &self.apps)
            .field("app_ids", &self.app_ids)
            .field("batch_size", &self.batch_size)
            .field("idle_timeout", &self.idle_timeout)
            .field("max_frame_bytes", &self.max_frame_bytes)
            .field("max_message_bytes", &self.max_message_bytes)
            .field("max_http_body_bytes", &self.max_http_body_bytes)
            .field("default_token_ttl", &self.default_token_ttl)
            .field("max_queue_len", &self.max_queue_len)
            .field("dedupe_window", &self.dedupe_window)
            .field("frame_log_capacity", &self.frame_log_capacity)
            .field("kick_grace", &self.kick_grace)
            .field("admin", &self.admin)
            .finish()
    }
}

impl Default for Config {
    fn default() -> Self {
        Self::new()
    }
}

impl Config {
    /// Defaults: listen on `127.0.0.1:0` (a free port), plain HTTP, lenient apps, pull batches of
    /// 50 metas, 90 s idle timeout, 64 KiB frames, 5 KiB message content (the cloud's limit),
    /// 64 KiB REST bodies, 7-day tokens, 10 000 metas per queue, 4096 remembered message ids per
    /// sender, 1000 logged frames, 1 s between a kick and the server's close, admin path on.
    pub fn new() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            tls: false,
            cert_path: None,
            strict: false,
            apps: Vec::new(),
            app_ids: HashMap::new(),
            batch_size: 50,
            idle_timeout: Duration::from_secs(90),
            max_frame_bytes: 64 * 1024,
            max_message_bytes: 5 * 1024,
            max_http_body_bytes: 64 * 1024,
            default_token_ttl: Duration::from_secs(7 * 24 * 3600),
            max_queue_len: 10_000,
            dedupe_window: 4096,
            frame_log_capacity: 1000,
            kick_grace: Duration::from_secs(1),
            admin: true,
        }
    }

    /// The address to listen on; port 0 picks a free port (read it back with
    /// [`crate::RunningServer::local_addr`]).
    pub fn listen(mut self, addr: SocketAddr) -> Self {
        self.listen = addr;
        self
    }

    /// Serve HTTPS and `wss://` with a self-signed certificate generated at start for
    /// `localhost`, `127.0.0.1` and `::1` (its PEM: [`crate::RunningServer::cert_pem`]).
    pub fn tls(mut self, on: bool) -> Self {
        self.tls = on;
        self
    }

    /// With TLS, also write the certificate's PEM to this file at start.
    pub fn cert_path(mut self, path: impl Into<PathBuf>) -> Self {
        self.cert_path = Some(path.into());
        self
    }

    /// Strict mode: only apps added with [`Config::app`] exist, the `client_credentials` grant
    /// checks their id and secret, and management calls need an app token. Off by default, when
    /// apps are created on first use and any credentials are accepted.
    pub fn strict(mut self, on: bool) -> Self {
        self.strict = on;
        self
    }

    /// Declares an app with its client credentials (created at start, in either mode).
    pub fn app(mut self, app: AppCredentials) -> Self {
        self.apps.push(app);
        self
    }

    /// Maps an App ID (the `app_id=` form of `server.json`) to an app key. Unmapped App IDs map
    /// to `{id}#{id}`.
    pub fn app_id(mut self, app_id: impl Into<String>, app_key: impl Into<String>) -> Self {
        self.app_ids.insert(app_id.into(), app_key.into());
        self
    }

    /// Most metas in one pull batch (at least 1).
    pub fn batch_size(mut self, n: usize) -> Self {
        self.batch_size = n.max(1);
        self
    }

    /// A WebSocket that sends nothing for this long is closed.
    pub fn idle_timeout(mut self, timeout: Duration) -> Self {
        self.idle_timeout = timeout;
        self
    }

    /// Largest WebSocket frame and message accepted; larger ones close the connection.
    pub fn max_frame_bytes(mut self, n: usize) -> Self {
        self.max_frame_bytes = n.max(64);
        self
    }

    /// Largest message content plus ext, in bytes; larger sends are refused with
    /// `PERMISSION_DENIED` / `Sorry, data is too large`.
    pub fn max_message_bytes(mut self, n: usize) -> Self {
        self.max_message_bytes = n;
        self
    }

    /// Largest REST request body.
    pub fn max_http_body_bytes(mut self, n: usize) -> Self {
        self.max_http_body_bytes = n;
        self
    }

    /// Token lifetime when a token request gives no `ttl`.
    pub fn default_token_ttl(mut self, ttl: Duration) -> Self {
        self.default_token_ttl = ttl;
        self
    }

    /// Most metas kept per queue; the oldest are dropped beyond it.
    pub fn max_queue_len(mut self, n: usize) -> Self {
        self.max_queue_len = n.max(1);
        self
    }

    /// How many client message ids are remembered per sender to deduplicate re-sends.
    pub fn dedupe_window(mut self, n: usize) -> Self {
        self.dedupe_window = n.max(1);
        self
    }

    /// How many frames the in-memory frame log keeps (0 turns it off).
    pub fn frame_log_capacity(mut self, n: usize) -> Self {
        self.frame_log_capacity = n;
        self
    }

    /// How long a kicked connection stays open for the client to close it first.
    pub fn kick_grace(mut self, grace: Duration) -> Self {
        self.kick_grace = grace;
        self
    }

    /// Serve the development-only admin path `/_devserver/...` (on by default).
    pub fn admin(mut self, on: bool) -> Self {
        self.admin = on;
        self
    }

    /// The app key an App ID stands for.
    pub(crate) fn app_key_for_id(&self, app_id: &str) -> String {
        self.app_ids
            .get(app_id)
            .cloned()
            .unwrap_or_else(|| format!("{app_id}#{app_id}"))
    }
}
