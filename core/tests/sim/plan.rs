//! One seed's scenario: how the session logs in, how busy the application and the peers are,
//! how often each fault strikes, and how the server behaves — all drawn from the seed.

use msync_core::app::{AppIdentity, AppKey};
use msync_core::region::{Endpoint, Platform, Region};
use msync_core::session::{BootstrapConfig, Config, Credential, EndpointConfig, Purpose};
use msync_core::time::Duration;
use msync_core::url::Url;

use super::queues::{APP_KEY, USER};
use super::rng::SimRng;
use super::server::{CONFIG_TOKEN, PASSWORD, ServerStyle};

/// The device uuid; the resource is `webim_{uuid}`.
pub(crate) const DEVICE_UUID: &str = "sim_1700000000000";
pub(crate) const RESOURCE: &str = "webim_sim_1700000000000";

/// The bootstrap bases of bootstrap seeds.
pub(crate) const BOOTSTRAP_BASES: [&str; 2] =
    ["https://rs1.sim.invalid", "https://rs2.sim.invalid"];
const CUSTOM_REST: &str = "https://rest.sim.invalid";
const CUSTOM_GATEWAY: &str = "wss://gw.sim.invalid/websocket";

/// How the session finds the server and logs in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LoginMode {
    /// The Alipay China zone 1 preset (base64 text frames up) with a token.
    PresetToken,
    /// One custom gateway (binary frames) with a token.
    CustomToken,
    /// One custom REST base and gateway, password login (a REST token, refreshed on expiry).
    CustomPassword,
    /// `server.json` first, then a password login against the hosts it lists.
    BootstrapPassword,
    /// `server.json` first, then a token login.
    BootstrapToken,
}

/// Per-seed rates and probabilities (per mille unless named otherwise).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Plan {
    pub(crate) mode: LoginMode,
    /// Mean gap between application sends.
    pub(crate) send_gap_ms: u64,
    /// Mean gap between messages the peers queue for the user.
    pub(crate) peer_gap_ms: u64,
    /// Mean gap between injected faults.
    pub(crate) fault_gap_ms: u64,
    /// An `Open` fails at once.
    pub(crate) open_fail: u64,
    /// An `Open` never completes (the session's open timeout must fire).
    pub(crate) open_hang: u64,
    /// A closed socket still delivers late events (bytes, a close, an open).
    pub(crate) stale_after_close: u64,
    /// Network latency bounds, ms.
    pub(crate) latency: (u64, u64),
    pub(crate) server: ServerStyle,
    /// The run ends with `logout`.
    pub(crate) logout_at_end: bool,
    /// The application sends bursts that overflow the outbox.
    pub(crate) bursts: bool,
    /// `Timings::send_deadline` is off (sends wait for ever).
    pub(crate) no_send_deadline: bool,
    /// The session has the smallest capacities (2 outbox slots, 1 queue slot).
    pub(crate) tight: bool,
    /// The driver is sometimes late with timers: an input arrives after a deadline passed.
    pub(crate) lazy_timers: bool,
    /// Mean gap between spurious `timeout` calls (a driver that ticks on its own).
    pub(crate) tick_gap_ms: u64,
    /// The device has no wall clock: `now` is milliseconds since boot.
    pub(crate) monotonic_clock: bool,
    /// `ReconnectPolicy::max_attempts` (`None`: for ever).
    pub(crate) max_attempts: Option<u32>,
    /// Non-default timings: (heartbeat s, ACK timeout s, socket attempts per round, open
    /// timeout s).
    pub(crate) timings: Option<(u64, u64, u8, u64)>,
}

impl Plan {
    pub(crate) fn draw(rng: &mut SimRng) -> Self {
        let mode = *rng.pick(&[
            LoginMode::PresetToken,
            LoginMode::CustomToken,
            LoginMode::CustomPassword,
            LoginMode::BootstrapPassword,
            LoginMode::BootstrapToken,
        ]);
        let fast = rng.chance(300);
        Plan {
            mode,
            send_gap_ms: rng.between(1_500, 20_000),
            peer_gap_ms: rng.between(1_500, 20_000),
            fault_gap_ms: if fast {
                rng.between(3_000, 15_000)
            } else {
                rng.between(15_000, 120_000)
            },
            open_fail: rng.between(0, 250),
            open_hang: rng.between(0, 60),
            stale_after_close: rng.between(100, 900),
            latency: (rng.between(1, 20), rng.between(20, 400)),
            server: ServerStyle {
                batch_size: rng.between(1, 6) as usize,
                ack_delay_per_mille: rng.between(0, 80),
                text_per_mille: rng.between(0, 1000),
                fragment_per_mille: rng.between(0, 300),
                extras_per_mille: rng.between(0, 200),
                // Drawn in every build (the seeds stay the same); none without an inflater.
                zlib_per_mille: if rng.chance(500) {
                    let drawn = rng.between(0, 500);
                    if cfg!(feature = "zlib") { drawn } else { 0 }
                } else {
                    0
                },
                token_lifetime_s: (300, rng.between(600, 3_600)),
                rotates_tokens: rng.chance(400),
                assigns_resource: rng.chance(300),
            },
            logout_at_end: rng.chance(500),
            bursts: rng.chance(400),
            no_send_deadline: rng.chance(200),
            tight: rng.chance(250),
            lazy_timers: rng.chance(300),
            tick_gap_ms: rng.between(2_000, 60_000),
            monotonic_clock: rng.chance(150),
            max_attempts: rng.chance(200).then(|| rng.between(3, 12) as u32),
            timings: rng.chance(300).then(|| {
                (
                    *rng.pick(&[10, 20, 45]),
                    *rng.pick(&[5, 10, 30]),
                    *rng.pick(&[1, 2, 4]),
                    *rng.pick(&[3, 20]),
                )
            }),
        }
    }

    /// The clock's origin: Unix ms with a wall clock, else a few seconds after boot.
    pub(crate) fn origin(&self) -> u64 {
        if self.monotonic_clock {
            5_000
        } else {
            1_700_000_000_000
        }
    }

    pub(crate) fn uses_password(&self) -> bool {
        matches!(
            self.mode,
            LoginMode::CustomPassword | LoginMode::BootstrapPassword
        )
    }

    pub(crate) fn uses_bootstrap(&self) -> bool {
        matches!(
            self.mode,
            LoginMode::BootstrapPassword | LoginMode::BootstrapToken
        )
    }

    /// The session's configuration; `bases` holds the parsed bootstrap bases it borrows.
    pub(crate) fn config<'a>(&self, bases: &'a [Url<'a>]) -> Config<'a> {
        let app = AppIdentity::Key(AppKey::parse(APP_KEY).expect("valid app key"));
        let credential = if self.uses_password() {
            Credential::Password(PASSWORD)
        } else {
            Credential::Token(CONFIG_TOKEN)
        };
        let mut config = Config::new(app, USER, credential, DEVICE_UUID);
        config.endpoints = match self.mode {
            LoginMode::PresetToken => EndpointConfig::default_preset(),
            LoginMode::CustomToken | LoginMode::CustomPassword => EndpointConfig::Custom(
                Endpoint::custom(CUSTOM_REST, CUSTOM_GATEWAY).expect("valid endpoint"),
            ),
            LoginMode::BootstrapPassword | LoginMode::BootstrapToken => {
                EndpointConfig::Bootstrap(BootstrapConfig {
                    bases,
                    allow_plain: false,
                })
            }
        };
        if self.no_send_deadline {
            config.timings.send_deadline = None;
        }
        config.reconnect.max_attempts = self.max_attempts;
        if let Some((heartbeat, ack, attempts, open)) = self.timings {
            let t = &mut config.timings;
            t.heartbeat_interval = Duration::from_secs(heartbeat);
            t.dead_after = Duration::from_secs(2 * heartbeat + 5);
            t.ack_timeout = Duration::from_secs(ack);
            t.socket_attempts = attempts;
            t.open_timeout = Duration::from_secs(open);
            t.provision_timeout = Duration::from_secs(open);
        }
        config
    }

    /// Whether the session may open a socket to `host` for `purpose`, given the hosts the
    /// server handed out (`server.json`, REDIRECT).
    pub(crate) fn host_allowed(
        &self,
        purpose: Purpose,
        host: &str,
        doc: &[String],
        redirects: &[String],
    ) -> bool {
        let listed = |hosts: &[String]| hosts.iter().any(|h| h == host);
        match (purpose, self.mode) {
            (Purpose::Bootstrap, _) => {
                self.uses_bootstrap() && BOOTSTRAP_BASES.iter().any(|b| b.ends_with(host))
            }
            (Purpose::Rest, LoginMode::CustomPassword) => CUSTOM_REST.ends_with(host),
            (Purpose::Rest, LoginMode::BootstrapPassword) => listed(doc),
            (Purpose::Rest, _) => false,
            (Purpose::Gateway, _) if listed(redirects) => true,
            (Purpose::Gateway, LoginMode::PresetToken) => {
                let preset = Region::Cn1.endpoints(Platform::Alipay).expect("preset");
                (0..preset.gateway.len()).any(|i| preset.gateway.get(i) == Some(host))
            }
            (Purpose::Gateway, LoginMode::CustomToken | LoginMode::CustomPassword) => {
                CUSTOM_GATEWAY.contains(&format!("//{host}/"))
            }
            (Purpose::Gateway, _) => listed(doc),
        }
    }
}

/// The parsed bootstrap bases.
pub(crate) fn bootstrap_bases() -> Vec<Url<'static>> {
    BOOTSTRAP_BASES
        .iter()
        .map(|base| Url::parse(base).expect("valid base"))
        .collect()
}
