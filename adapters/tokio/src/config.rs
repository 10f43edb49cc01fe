//! The client's configuration, owned: who logs in, where, and how.

use std::fmt;

use msync_core::app::{AppId, AppIdentity, AppKey};
use msync_core::region::{Endpoint, Platform, Region};
use msync_core::session::{
    BootstrapConfig, Config, Device, EndpointConfig, Options, Receive, ReconnectPolicy, Timings,
};
use msync_core::url::Url;

use rand::rngs::StdRng;
use rand::{RngCore, SeedableRng};

use crate::error::StartError;
use crate::tls::TlsOptions;

/// How the user authenticates. `Debug` shows no secret.
#[derive(Clone, PartialEq, Eq)]
pub enum Credential {
    /// A password: the client asks a REST host for a token first.
    Password(String),
    /// A token from the application's server.
    Token {
        /// The token.
        token: String,
        /// Its expiry (Unix ms, Unix s, or seconds from now, told apart by magnitude) if known:
        /// the client then warns before it expires.
        expires_in: Option<u64>,
    },
}

impl Credential {
    /// A password credential.
    pub fn password(password: impl Into<String>) -> Self {
        Credential::Password(password.into())
    }

    /// A token credential without a known expiry.
    pub fn token(token: impl Into<String>) -> Self {
        Credential::Token {
            token: token.into(),
            expires_in: None,
        }
    }
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credential::Password(_) => f.write_str("Password(<redacted>)"),
            Credential::Token { expires_in, .. } => f
                .debug_struct("Token")
                .field("token", &"<redacted>")
                .field("expires_in", expires_in)
                .finish(),
        }
    }
}

/// Where the client connects.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Endpoints {
    /// A data centre and platform from the region table.
    Preset {
        /// The data centre.
        region: Region,
        /// The platform whose gateways and frame encoding are used.
        platform: Platform,
    },
    /// Learn the hosts from `server.json` at these bases (needed for a Shengwang App ID).
    Bootstrap {
        /// Bases such as `https://rs.easemob.com`.
        bases: Vec<String>,
        /// Accept `http` / `ws` hosts from the document (lab servers, the devserver).
        allow_plain: bool,
    },
    /// One REST base and one gateway, e.g. `http://127.0.0.1:8099` and
    /// `ws://127.0.0.1:8099/websocket`.
    Custom {
        /// The REST base.
        rest: String,
        /// The WebSocket gateway.
        gateway: String,
    },
}

/// Everything a [`Client`](crate::Client) needs. Build it with [`ClientConfig::new`] and the
/// `with_*` setters.
#[derive(Clone, Debug)]
pub struct ClientConfig {
    pub(crate) app: String,
    pub(crate) endpoints: Endpoints,
    pub(crate) user: String,
    pub(crate) credential: Credential,
    pub(crate) device_uuid: String,
    pub(crate) device_name: String,
    pub(crate) resource: Option<String>,
    pub(crate) timings: Timings,
    pub(crate) reconnect: ReconnectPolicy,
    pub(crate) token_ttl: Option<u64>,
    pub(crate) receive: Receive,
    pub(crate) tls: TlsOptions,
    pub(crate) event_capacity: usize,
}

impl ClientConfig {
    /// A configuration for `user` of `app` (an app key `org#app`, or a Shengwang App ID, which
    /// needs [`Endpoints::Bootstrap`]). Defaults: the Alipay China zone 1 preset, a random
    /// device id (resource `webim_msync_<random>`), the protocol's timings, webpki roots.
    pub fn new(app: impl Into<String>, user: impl Into<String>, credential: Credential) -> Self {
        Self {
            app: app.into(),
            endpoints: Endpoints::Preset {
                region: Region::Cn1,
                platform: Platform::Alipay,
            },
            user: user.into(),
            credential,
            device_uuid: format!("msync_{:016x}", StdRng::from_os_rng().next_u64()),
            device_name: "webim".to_owned(),
            resource: None,
            timings: Timings::DEFAULT,
            reconnect: ReconnectPolicy::DEFAULT,
            token_ttl: None,
            receive: Receive::All,
            tls: TlsOptions::default(),
            event_capacity: 1024,
        }
    }

    /// Connects to these endpoints.
    #[must_use]
    pub fn with_endpoints(mut self, endpoints: Endpoints) -> Self {
        self.endpoints = endpoints;
        self
    }

    /// Connects to one REST base and one gateway.
    #[must_use]
    pub fn with_custom_endpoints(
        self,
        rest: impl Into<String>,
        gateway: impl Into<String>,
    ) -> Self {
        self.with_endpoints(Endpoints::Custom {
            rest: rest.into(),
            gateway: gateway.into(),
        })
    }

    /// Learns the hosts from `server.json` at `base`; a plain `http://` base also accepts plain
    /// hosts from the document.
    #[must_use]
    pub fn with_bootstrap(self, base: impl Into<String>) -> Self {
        let base = base.into();
        let allow_plain = base.starts_with("http://");
        self.with_endpoints(Endpoints::Bootstrap {
            bases: vec![base],
            allow_plain,
        })
    }

    /// The device's stable id (store it): the resource is `{device name}_{uuid}` unless set.
    #[must_use]
    pub fn with_device_uuid(mut self, uuid: impl Into<String>) -> Self {
        self.device_uuid = uuid.into();
        self
    }

    /// The device name in PROVISION (default `webim`).
    #[must_use]
    pub fn with_device_name(mut self, name: impl Into<String>) -> Self {
        self.device_name = name.into();
        self
    }

    /// The resource to log in with (two live logins on one resource replace each other).
    #[must_use]
    pub fn with_resource(mut self, resource: impl Into<String>) -> Self {
        self.resource = Some(resource.into());
        self
    }

    /// Timeouts and heartbeat intervals.
    #[must_use]
    pub fn with_timings(mut self, timings: Timings) -> Self {
        self.timings = timings;
        self
    }

    /// Reconnect backoff and limits.
    #[must_use]
    pub fn with_reconnect(mut self, reconnect: ReconnectPolicy) -> Self {
        self.reconnect = reconnect;
        self
    }

    /// The token lifetime (seconds) a password login asks for.
    #[must_use]
    pub fn with_token_ttl(mut self, seconds: u64) -> Self {
        self.token_ttl = Some(seconds);
        self
    }

    /// Whether the client takes queued messages from the server: [`Receive::All`] (the
    /// default), or [`Receive::Nothing`] for a client that only sends: it never pulls or
    /// acknowledges, so the server keeps every queued message for the user's receiving
    /// devices, and it sees a kick only when the server pushes one unasked (see
    /// [`Receive::Nothing`]).
    #[must_use]
    pub fn with_receive(mut self, receive: Receive) -> Self {
        self.receive = receive;
        self
    }

    /// TLS settings.
    #[must_use]
    pub fn with_tls(mut self, tls: TlsOptions) -> Self {
        self.tls = tls;
        self
    }

    /// How many events may wait unread before the client pauses (default 1024).
    #[must_use]
    pub fn with_event_capacity(mut self, capacity: usize) -> Self {
        self.event_capacity = capacity.max(1);
        self
    }

    /// The user ID.
    pub fn user(&self) -> &str {
        &self.user
    }

    /// The bootstrap bases, parsed.
    pub(crate) fn bootstrap_bases(&self) -> Result<Vec<Url<'_>>, StartError> {
        match &self.endpoints {
            Endpoints::Bootstrap { bases, .. } => bases
                .iter()
                .map(|base| Url::parse(base).map_err(StartError::BootstrapUrl))
                .collect(),
            _ => Ok(Vec::new()),
        }
    }

    /// The session's configuration, borrowing this one and the parsed `bases`.
    pub(crate) fn session_config<'a>(
        &'a self,
        bases: &'a [Url<'a>],
    ) -> Result<Config<'a>, StartError> {
        let app = if self.app.contains('#') {
            AppIdentity::Key(AppKey::parse(&self.app).map_err(StartError::AppKey)?)
        } else {
            AppIdentity::Id(AppId::parse(&self.app).map_err(StartError::AppId)?)
        };
        let endpoints = match &self.endpoints {
            Endpoints::Preset { region, platform } => match region.endpoints(*platform) {
                Some(preset) => EndpointConfig::Preset(preset),
                None => EndpointConfig::Bootstrap(BootstrapConfig::DEFAULT),
            },
            Endpoints::Bootstrap { allow_plain, .. } => {
                EndpointConfig::Bootstrap(BootstrapConfig {
                    bases,
                    allow_plain: *allow_plain,
                })
            }
            Endpoints::Custom { rest, gateway } => EndpointConfig::Custom(
                Endpoint::custom(rest, gateway).map_err(StartError::Endpoint)?,
            ),
        };
        let credential = match &self.credential {
            Credential::Password(password) => msync_core::session::Credential::Password(password),
            Credential::Token { token, .. } => msync_core::session::Credential::Token(token),
        };
        let device = Device {
            name: &self.device_name,
            resource: self.resource.as_deref(),
            ..Device::new(&self.device_uuid)
        };
        Ok(Config {
            timings: self.timings,
            reconnect: self.reconnect,
            options: Options {
                token_ttl: self.token_ttl,
                receive: self.receive,
                ..Options::DEFAULT
            },
            ..Config::new(app, &self.user, credential, &self.device_uuid)
                .with_endpoints(endpoints)
                .with_device(device)
        })
    }
}
