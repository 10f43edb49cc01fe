//! Where the next socket goes: the configured hosts, the hosts learnt from `server.json`, and a
//! REDIRECT target (§2, §3.3, §7.3), resolved into [`Target`]s.

use heapless::{String, Vec};

use super::config::{Config, EndpointConfig};
use crate::app::AppKey;
use crate::region::{FrameEncoding, GATEWAY_PATH};
use crate::time::Instant;
use crate::url::Url;
use crate::wire::json::{JsonStr, SelectedHost, ServerJson};

/// The longest host name the session stores from `server.json` or a REDIRECT.
pub const MAX_HOST_NAME_LEN: usize = 64;

/// Hosts kept per `server.json` list (REST, gateways).
pub const MAX_LEARNED_HOSTS: usize = 4;

/// The longest app key (`org#app`, two parts of at most 128 bytes).
const MAX_APP_KEY_LEN: usize = 2 * crate::app::MAX_APP_KEY_PART_LEN + 1;

/// A host the session learnt at run time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct HostEntry {
    name: String<MAX_HOST_NAME_LEN>,
    port: u16,
    tls: bool,
}

impl HostEntry {
    /// The entry for `name:port`, if the name is a valid host and fits.
    pub(crate) fn new(name: &str, port: u16, tls: bool) -> Option<Self> {
        Url::parse_host(name).ok()?;
        if port == 0 {
            return None;
        }
        let mut stored = String::new();
        stored.push_str(name).ok()?;
        Some(Self {
            name: stored,
            port,
            tls,
        })
    }

    fn target(&self, path: &'static str) -> Target<'_> {
        Target {
            host: &self.name,
            port: self.port,
            tls: self.tls,
            path,
            frame: frame_for(&self.name),
        }
    }

    /// A short fingerprint for redirect-loop detection.
    pub(crate) fn fingerprint(&self) -> u32 {
        // FNV-1a over the name and port.
        self.name
            .bytes()
            .chain(self.port.to_be_bytes())
            .fold(0x811c_9dc5_u32, |hash, byte| {
                (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
            })
    }
}

fn frame_for(host: &str) -> FrameEncoding {
    Url::parse_host(host)
        .map(|host| FrameEncoding::for_host(&host))
        .unwrap_or_default()
}

/// One place to connect to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Target<'a> {
    pub(crate) host: &'a str,
    pub(crate) port: u16,
    pub(crate) tls: bool,
    /// The request path (gateway) or the path prefix before `/{org}/{app}` (REST, bootstrap).
    pub(crate) path: &'a str,
    pub(crate) frame: FrameEncoding,
}

impl<'a> Target<'a> {
    fn from_url(url: &Url<'a>, frame: FrameEncoding) -> Self {
        Self {
            host: url.host_str(),
            port: url.port(),
            tls: url.is_tls(),
            path: url.path(),
            frame,
        }
    }

    /// The path without a trailing `/`, as a prefix for REST and bootstrap paths.
    fn as_prefix(mut self) -> Self {
        self.path = self.path.trim_end_matches('/');
        self
    }
}

/// Why a `server.json` could not be used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LearnError {
    /// No usable gateway (or REST host, when a password login needs one).
    NoHost,
    /// App ID mode and no valid `app_key`.
    NoAppKey,
}

/// Hosts learnt at run time.
#[derive(Debug)]
pub(crate) struct Hosts {
    gateways: Vec<HostEntry, MAX_LEARNED_HOSTS>,
    rest: Vec<HostEntry, MAX_LEARNED_HOSTS>,
    app_key: String<MAX_APP_KEY_LEN>,
    learned: bool,
    /// `server.json`'s `valid_before` (epoch seconds) as session time: the learnt lists serve
    /// logins that start before it.
    valid_before: Option<Instant>,
    /// The REDIRECT target to use instead of the gateway list.
    pub(crate) redirect: Option<HostEntry>,
    /// Hosts that were too long or did not fit.
    pub(crate) skipped: usize,
}

impl Hosts {
    pub(crate) const fn new() -> Self {
        Self {
            gateways: Vec::new(),
            rest: Vec::new(),
            app_key: String::new(),
            learned: false,
            valid_before: None,
            redirect: None,
            skipped: 0,
        }
    }

    /// Whether the bootstrap must run before the next socket.
    pub(crate) fn needs_bootstrap(&self, config: &Config<'_>) -> bool {
        matches!(config.endpoints, EndpointConfig::Bootstrap(_)) && !self.learned
    }

    /// Forgets the learnt hosts so that the bootstrap runs again.
    pub(crate) fn forget(&mut self) {
        self.gateways.clear();
        self.rest.clear();
        self.learned = false;
        self.valid_before = None;
    }

    /// Forgets the learnt hosts once `server.json`'s `valid_before` has passed (§3.3 item 5),
    /// so that a login round starting now fetches it again. The session clock counts as Unix
    /// time here; a monotonic clock starting near zero never reaches it.
    pub(crate) fn forget_expired(&mut self, now: Instant) {
        if self
            .valid_before
            .is_some_and(|valid_before| valid_before <= now)
        {
            self.forget();
        }
    }

    /// The app key: configured, or learnt in App ID mode.
    pub(crate) fn app_key<'s>(&'s self, config: &Config<'s>) -> Option<AppKey<'s>> {
        match config.app.app_key() {
            Some(key) => Some(key),
            None => AppKey::parse(&self.app_key).ok(),
        }
    }

    /// Adopts a parsed `server.json`, with its `valid_before`; `need_rest` when a password login
    /// needs a REST host.
    pub(crate) fn learn<const N: usize>(
        &mut self,
        doc: &ServerJson<'_, N>,
        need_app_key: bool,
        need_rest: bool,
    ) -> Result<(), LearnError> {
        let mut gateways = Vec::new();
        let mut rest = Vec::new();
        let mut skipped = 0;
        for (from, to) in [
            (doc.gateways().unwrap_or_default(), &mut gateways),
            (doc.rest_hosts().unwrap_or_default(), &mut rest),
        ] {
            for host in from {
                match stored_host(host).map(|entry| to.push(entry)) {
                    Some(Ok(())) => {}
                    _ => skipped += 1,
                }
            }
        }
        if gateways.is_empty() || (need_rest && rest.is_empty()) {
            return Err(LearnError::NoHost);
        }
        if need_app_key {
            let key = doc.app_key.ok_or(LearnError::NoAppKey)?;
            self.app_key = unescaped_app_key(key).ok_or(LearnError::NoAppKey)?;
        }
        self.gateways = gateways;
        self.rest = rest;
        self.learned = true;
        self.valid_before = doc
            .valid_before
            .map(|seconds| Instant::from_millis(seconds.saturating_mul(1000)));
        self.skipped = self.skipped.saturating_add(skipped);
        Ok(())
    }

    pub(crate) fn gateway_count(&self, config: &Config<'_>) -> usize {
        match &config.endpoints {
            EndpointConfig::Preset(preset) => preset.gateway.len(),
            EndpointConfig::Custom(_) => 1,
            EndpointConfig::Bootstrap(_) => self.gateways.len(),
        }
    }

    /// The gateway to use: the REDIRECT target if any, else the list's entry `index` (wrapped).
    pub(crate) fn gateway<'s>(
        &'s self,
        config: &'s Config<'s>,
        index: usize,
    ) -> Option<Target<'s>> {
        if let Some(redirect) = &self.redirect {
            return Some(redirect.target(GATEWAY_PATH));
        }
        let count = self.gateway_count(config);
        let index = index.checked_rem(count)?;
        match &config.endpoints {
            EndpointConfig::Bootstrap(_) => Some(self.gateways.get(index)?.target(GATEWAY_PATH)),
            _ => configured_gateway(config, index),
        }
    }

    pub(crate) fn rest_count(&self, config: &Config<'_>) -> usize {
        match &config.endpoints {
            EndpointConfig::Preset(preset) => preset.rest.len(),
            EndpointConfig::Custom(_) => 1,
            EndpointConfig::Bootstrap(_) => self.rest.len(),
        }
    }

    /// The REST host `index`; its path is the prefix before `/{org}/{app}`.
    pub(crate) fn rest<'s>(&'s self, config: &'s Config<'s>, index: usize) -> Option<Target<'s>> {
        match &config.endpoints {
            EndpointConfig::Bootstrap(_) => Some(self.rest.get(index)?.target("")),
            _ => configured_rest(config, index),
        }
    }

    pub(crate) fn bootstrap_count(&self, config: &Config<'_>) -> usize {
        match &config.endpoints {
            EndpointConfig::Bootstrap(bootstrap) => bootstrap.bases.len(),
            _ => 0,
        }
    }

    /// The bootstrap base `index`; its path is the prefix before `/easemob/server.json`.
    pub(crate) fn bootstrap<'s>(&self, config: &'s Config<'s>, index: usize) -> Option<Target<'s>> {
        configured_bootstrap(config, index)
    }
}

/// The configured gateway `index` (preset or custom endpoint; `None` for the bootstrap, whose
/// gateways are learnt).
pub(crate) fn configured_gateway<'s>(config: &'s Config<'s>, index: usize) -> Option<Target<'s>> {
    match &config.endpoints {
        EndpointConfig::Preset(preset) => Some(Target {
            host: preset.gateway.get(index)?,
            port: 443,
            tls: true,
            path: GATEWAY_PATH,
            frame: preset.frame,
        }),
        EndpointConfig::Custom(endpoint) if index == 0 => {
            Some(Target::from_url(&endpoint.gateway, endpoint.frame))
        }
        EndpointConfig::Custom(_) | EndpointConfig::Bootstrap(_) => None,
    }
}

/// The bootstrap base `index` (`None` unless the endpoints are the bootstrap); its path is the
/// prefix before `/easemob/server.json`.
pub(crate) fn configured_bootstrap<'s>(config: &'s Config<'s>, index: usize) -> Option<Target<'s>> {
    match &config.endpoints {
        EndpointConfig::Bootstrap(bootstrap) => bootstrap
            .bases
            .get(index)
            .map(|url| Target::from_url(url, FrameEncoding::Binary).as_prefix()),
        _ => None,
    }
}

/// The configured REST host `index` (preset or custom endpoint; `None` for the bootstrap,
/// whose hosts are learnt); its path is the prefix before `/{org}/{app}`.
pub(crate) fn configured_rest<'s>(config: &'s Config<'s>, index: usize) -> Option<Target<'s>> {
    let target = match &config.endpoints {
        EndpointConfig::Preset(preset) => Target {
            host: preset.rest.get(index)?,
            port: 443,
            tls: true,
            path: "",
            frame: FrameEncoding::Binary,
        },
        EndpointConfig::Custom(endpoint) if index == 0 => {
            Target::from_url(&endpoint.rest_base, FrameEncoding::Binary)
        }
        EndpointConfig::Custom(_) | EndpointConfig::Bootstrap(_) => return None,
    };
    Some(target.as_prefix())
}

fn stored_host(host: &SelectedHost<'_>) -> Option<HostEntry> {
    HostEntry::new(host.host, host.port_or_default(), host.secure)
}

fn unescaped_app_key(key: JsonStr<'_>) -> Option<String<MAX_APP_KEY_LEN>> {
    let mut buf = [0u8; MAX_APP_KEY_LEN];
    let text = key.unescape_into(&mut buf).ok()?;
    AppKey::parse(text).ok()?;
    let mut stored = String::new();
    stored.push_str(text).ok()?;
    Some(stored)
}
