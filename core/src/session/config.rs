//! Session configuration: who logs in, where, and with which timings (PROTOCOL.md §9 defaults).
//!
//! The configuration is borrowed for the session's life (`Session<'cfg, ..>` holds
//! `&'cfg Config<'cfg>`), so firmware can keep it in a `static`; what the session learns at run
//! time (hosts, tokens, the server's resource) it copies into its own bounded storage.

use core::fmt;

use crate::app::AppIdentity;
use crate::region::{Endpoint, Endpoints, Platform, Region};
use crate::time::Duration;
use crate::url::{Scheme, Url};
use crate::wire::ws::DEFAULT_HANDSHAKE_HEADERS;

/// Everything a session needs to log in and stay online.
///
/// Build it with [`Config::new`] and adjust fields (all public) or use the `with_*` helpers.
#[derive(Clone, Copy, Debug)]
pub struct Config<'cfg> {
    /// The application: an app key `org#app`, or a Shengwang App ID (which needs
    /// [`EndpointConfig::Bootstrap`] to learn the app key).
    pub app: AppIdentity<'cfg>,
    /// Where to connect.
    pub endpoints: EndpointConfig<'cfg>,
    /// The user ID.
    pub user: &'cfg str,
    /// How the user authenticates. `Debug` redacts it.
    pub credential: Credential<'cfg>,
    /// How this device presents itself in PROVISION.
    pub device: Device<'cfg>,
    /// Timeouts and heartbeat intervals.
    pub timings: Timings,
    /// Reconnect backoff and limits.
    pub reconnect: ReconnectPolicy,
    /// Smaller protocol choices.
    pub options: Options<'cfg>,
}

impl<'cfg> Config<'cfg> {
    /// A configuration with PROTOCOL.md §9's defaults: the Alipay China zone 1 preset, device
    /// `webim` with `device_uuid`, `OS_OTHER`, version `4.21.1`, and the default timings.
    ///
    /// `device_uuid` must be stable per device (store it): the resource is
    /// `{device name}_{device_uuid}`, and two live logins must not share one.
    pub fn new(
        app: AppIdentity<'cfg>,
        user: &'cfg str,
        credential: Credential<'cfg>,
        device_uuid: &'cfg str,
    ) -> Self {
        Self {
            app,
            endpoints: EndpointConfig::default_preset(),
            user,
            credential,
            device: Device::new(device_uuid),
            timings: Timings::DEFAULT,
            reconnect: ReconnectPolicy::DEFAULT,
            options: Options::DEFAULT,
        }
    }

    /// The same configuration with other endpoints.
    #[must_use]
    pub const fn with_endpoints(mut self, endpoints: EndpointConfig<'cfg>) -> Self {
        self.endpoints = endpoints;
        self
    }

    /// The same configuration with other device settings.
    #[must_use]
    pub const fn with_device(mut self, device: Device<'cfg>) -> Self {
        self.device = device;
        self
    }
}

/// Where the session connects (PROTOCOL.md §2, §3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EndpointConfig<'cfg> {
    /// A data centre × platform preset from the region table: REST hosts and gateways, each
    /// primary first then alternates (CDN), tried in order.
    Preset(&'static Endpoints),
    /// One REST base and one gateway URL (lab servers, the devserver, VIP zones), with the frame
    /// encoding the endpoint names.
    Custom(Endpoint<'cfg>),
    /// Learn REST hosts and gateways from `server.json` (required for a Shengwang App ID). The
    /// learnt lists serve until its `valid_before` (epoch seconds, compared with the session
    /// clock); the next login round after it fetches `server.json` again, as does the round
    /// after [`ReconnectPolicy::refetch_bootstrap_after`] failed rounds in a row.
    Bootstrap(BootstrapConfig<'cfg>),
}

impl EndpointConfig<'static> {
    /// PROTOCOL.md §9: the Alipay China zone 1 preset (the bootstrap if the table lacked it).
    pub fn default_preset() -> Self {
        match Region::Cn1.endpoints(Platform::Alipay) {
            Some(preset) => EndpointConfig::Preset(preset),
            None => EndpointConfig::Bootstrap(BootstrapConfig::DEFAULT),
        }
    }
}

/// The bootstrap (`server.json`) bases and host selection options (PROTOCOL.md §3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BootstrapConfig<'cfg> {
    /// The bases to try in order, e.g. `https://rs.easemob.com`.
    pub bases: &'cfg [Url<'cfg>],
    /// Accept plain `http`/`ws` hosts from the document (lab servers and the devserver only).
    pub allow_plain: bool,
}

/// The default bootstrap bases: `https://rs.easemob.com`, then `https://rs.chat.agora.io`.
pub static DEFAULT_BOOTSTRAP_BASES: [Url<'static>; 2] = [
    Url::preset(Scheme::Https, "rs.easemob.com", "/"),
    Url::preset(Scheme::Https, "rs.chat.agora.io", "/"),
];

impl BootstrapConfig<'static> {
    /// The two `https` bases of the official JS SDK, `https` hosts only.
    pub const DEFAULT: Self = BootstrapConfig {
        bases: &DEFAULT_BOOTSTRAP_BASES,
        allow_plain: false,
    };
}

/// How the user authenticates.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Credential<'cfg> {
    /// A token the application obtained (app server, console): used directly in PROVISION.
    Token(&'cfg str),
    /// A password: the session first asks a REST host for a token (password grant, §4.2).
    Password(&'cfg str),
}

impl fmt::Debug for Credential<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Credential::Token(_) => "Token(<redacted>)",
            Credential::Password(_) => "Password(<redacted>)",
        })
    }
}

/// The client platform announced in PROVISION (`Provision.os_type`, §6.5).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum OsKind {
    /// `OS_OTHER` (16), what mini programs send.
    #[default]
    Other,
    /// `OS_CUSTOM` (5) with `os_custom_value` (1..=100).
    Custom(u8),
}

/// How this device presents itself in PROVISION (§6.5) and which resource it uses (§6.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Device<'cfg> {
    /// `Provision.device_name`, default `webim`.
    pub name: &'cfg str,
    /// `Provision.device_uuid`, stable per device (stored by the caller), e.g. `zfb_<ms>`.
    pub uuid: &'cfg str,
    /// The resource; `None` means `{name}_{uuid}` (the JS SDK's `webim_zfb_<ms>`). At most 128
    /// bytes, no whitespace, `/` or `@`. A resource returned by the server is adopted.
    pub resource: Option<&'cfg str>,
    /// `Provision.os_type`.
    pub os: OsKind,
    /// `Provision.version`, default `4.21.1`.
    pub sdk_version: &'cfg str,
    /// `Provision.action_version`, default `v5.2`.
    pub action_version: &'cfg str,
    /// `Provision.reason`: a login extension shown to the devices this login kicks (≤ 1024 bytes).
    pub login_extension: Option<&'cfg str>,
}

impl<'cfg> Device<'cfg> {
    /// The JS SDK's device settings with this `uuid`.
    pub const fn new(uuid: &'cfg str) -> Self {
        Self {
            name: "webim",
            uuid,
            resource: None,
            os: OsKind::Other,
            sdk_version: "4.21.1",
            action_version: "v5.2",
            login_extension: None,
        }
    }
}

/// Timeouts and intervals (PROTOCOL.md §9).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timings {
    /// From `Open` to the end of the WebSocket handshake: 10 s.
    pub open_timeout: Duration,
    /// From the PROVISION frame to its reply: 10 s.
    pub provision_timeout: Duration,
    /// A whole bootstrap or REST exchange, from `Open` to the complete response: 15 s.
    pub http_timeout: Duration,
    /// Gateway attempts per login round, moving to the next gateway each time, before backing
    /// off: 3.
    pub socket_attempts: u8,
    /// UNREAD heartbeat after this long without a received frame: 30 s.
    pub heartbeat_interval: Duration,
    /// The first idle heartbeat of a connection comes up to this much earlier, at random: 3 s.
    pub heartbeat_jitter: Duration,
    /// No frame for this long means the link is dead and is replaced: 2 × 30 s + 5 s.
    pub dead_after: Duration,
    /// A send (or a pull) without answer for this long replaces the socket: 15 s. The send stays
    /// pending and is re-sent with the same id.
    pub ack_timeout: Duration,
    /// A send that is not acknowledged this long after [`crate::session::Session::send`] fails
    /// with [`crate::session::SendFailure::TimedOut`]; `None`: it waits for as long as the session
    /// lives. Default 5 minutes, which outlasts many reconnects.
    pub send_deadline: Option<Duration>,
    /// How long a logout waits for the server's LOGOUT reply: 5 s.
    pub logout_timeout: Duration,
    /// "Token will expire" fires at this percentage of the token's lifetime: 80.
    pub token_warning_percent: u8,
}

impl Timings {
    /// PROTOCOL.md §9's values.
    pub const DEFAULT: Self = Self {
        open_timeout: Duration::from_secs(10),
        provision_timeout: Duration::from_secs(10),
        http_timeout: Duration::from_secs(15),
        socket_attempts: 3,
        heartbeat_interval: Duration::from_secs(30),
        heartbeat_jitter: Duration::from_secs(3),
        dead_after: Duration::from_secs(65),
        ack_timeout: Duration::from_secs(15),
        send_deadline: Some(Duration::from_secs(300)),
        logout_timeout: Duration::from_secs(5),
        token_warning_percent: 80,
    };
}

impl Default for Timings {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// One backoff tier: attempts from `from_attempt` on wait a random delay in `min..=max`,
/// rounded down to whole `granularity`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BackoffTier {
    /// The first attempt (counted from 1) this tier applies to.
    pub from_attempt: u32,
    /// The shortest delay.
    pub min: Duration,
    /// The longest delay.
    pub max: Duration,
    /// Delays are multiples of this (1 ms: any value; 1 s: whole seconds).
    pub granularity: Duration,
}

/// PROTOCOL.md §7.12 (the JS SDK): attempts 1–5 uniform 1–2 s; 6–19 whole 3–6 s; ≥ 20 whole 5–10 s.
pub static DEFAULT_BACKOFF_TIERS: [BackoffTier; 3] = [
    BackoffTier {
        from_attempt: 1,
        min: Duration::from_secs(1),
        max: Duration::from_secs(2),
        granularity: Duration::from_millis(1),
    },
    BackoffTier {
        from_attempt: 6,
        min: Duration::from_secs(3),
        max: Duration::from_secs(6),
        granularity: Duration::from_secs(1),
    },
    BackoffTier {
        from_attempt: 20,
        min: Duration::from_secs(5),
        max: Duration::from_secs(10),
        granularity: Duration::from_secs(1),
    },
];

/// When and how often to reconnect (PROTOCOL.md §7.12, §9).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReconnectPolicy {
    /// Give up (close with [`crate::session::CloseReason::GaveUp`]) after this many failed
    /// rounds in a row; `None` retries for ever (the default, for unattended devices; the JS SDK
    /// uses 5).
    pub max_attempts: Option<u32>,
    /// Backoff tiers, ordered by `from_attempt`; the last tier that applies wins.
    pub tiers: &'static [BackoffTier],
    /// REDIRECT hops followed per login before the round counts as failed: 5.
    pub max_redirects: u8,
    /// With the bootstrap on, refetch `server.json` after this many failed rounds in a row: 5.
    pub refetch_bootstrap_after: u32,
}

impl ReconnectPolicy {
    /// PROTOCOL.md §9's policy: unlimited attempts, the JS SDK's tiers.
    pub const DEFAULT: Self = Self {
        max_attempts: None,
        tiers: &DEFAULT_BACKOFF_TIERS,
        max_redirects: 5,
        refetch_bootstrap_after: 5,
    };
}

impl Default for ReconnectPolicy {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// Smaller protocol choices.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options<'cfg> {
    /// After each login, send one STATISTIC INFORMATION meta after the UNREAD, as the JS SDK
    /// does (§7.2; optional). Default on, which reproduces the vectors' trace-id sequence.
    pub statistic_information: bool,
    /// `Logout.reason` of a logout the application asks for: `inner:logout`.
    pub logout_reason: &'cfg str,
    /// Extra WebSocket handshake headers: `content-type: application/json` (§5.1).
    pub handshake_headers: &'cfg [(&'cfg str, &'cfg str)],
    /// Requested REST token lifetime in seconds for the password grant; `None`: the console's
    /// default.
    pub token_ttl: Option<u64>,
    /// Whether the session takes queued messages from the server: [`Receive::All`] (the
    /// default) or [`Receive::Nothing`] for a session that only sends.
    pub receive: Receive,
}

impl Options<'static> {
    /// The defaults described on each field.
    pub const DEFAULT: Self = Self {
        statistic_information: true,
        logout_reason: "inner:logout",
        handshake_headers: DEFAULT_HANDSHAKE_HEADERS,
        token_ttl: None,
        receive: Receive::All,
    };
}

/// Which queued messages a session takes from the server (PROTOCOL.md §7.6, §7.7).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Receive {
    /// Pull every queue an UNREAD reply lists or a NOTICE names, hand its messages out and
    /// acknowledge them once they reached the application.
    #[default]
    All,
    /// Send only: never pull a queue and never acknowledge a key, so that whatever the server
    /// queued stays there for the session of this resource that receives, and for the user's
    /// other devices (where the server keeps one queue for all of them, an acknowledgement
    /// would consume the message for every device). UNREAD still goes out after login and as the heartbeat, but
    /// the queues its reply lists are left alone, and NOTICEs are ignored. A batch the server
    /// sends without being asked is still handed out, and not acknowledged either.
    ///
    /// Kicks (§7.9) travel as STATISTIC metas in queue batches: one the server pushes on its
    /// own still ends the session, but one it only announces with a NOTICE is never pulled,
    /// so the session does not see it. Another login that replaces this one then goes
    /// unnoticed unless the server also closes the socket, and then the session reconnects as
    /// after any lost link (its PROVISION may replace the other login in turn); a login the
    /// server refuses for good (password changed, user removed) still ends it at the next
    /// PROVISION. Meant for short-lived sessions that send and log out, such as `msync send`.
    Nothing,
}
