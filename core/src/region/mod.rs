//! Data centres and platforms: which REST host and WebSocket gateway to use (PROTOCOL.md §2).
//!
//! The cloud runs several data centres ([`Region`]); an app key lives in exactly one, shown in the
//! Easemob console's app overview (应用概览) or the Shengwang console under 即时通讯 > 服务概览.
//! Each data centre publishes different gateway hosts per client [`Platform`]. A
//! [`Region`] × [`Platform`] pair gives an [`Endpoints`] preset: REST hosts and gateway hosts, each
//! primary first and then alternates (usually the CDN name under `easecdn.com`), plus the
//! [`FrameEncoding`] the gateways expect.
//!
//! Anything not in the table, such as the China VIP and customer-service zones (whose hosts come
//! from the account manager, see [`CustomZone`]), a lab server or the devserver, is a custom
//! [`Endpoint`] built from any REST base and gateway URL.
//!
//! Also here: the legal-domain lists a mini-program console needs ([`legal_domains()`]), and the
//! bootstrap (`server.json`) bases ([`bootstrap`]).
//!
//! ```
//! use msync_core::region::{FrameEncoding, Platform, Region};
//!
//! let preset = Region::Cn1.endpoints(Platform::Alipay).unwrap();
//! let endpoint = preset.primary();
//! assert_eq!(endpoint.gateway.host_header().to_string(), "im-api-alipay.easemob.com");
//! assert_eq!(endpoint.frame, FrameEncoding::Base64Text);
//! ```

pub mod bootstrap;
mod data;
mod endpoint;
pub mod legal_domains;
#[cfg(test)]
mod tests;

use core::fmt;
use core::str::FromStr;

pub use endpoint::{Endpoint, EndpointError, Endpoints, FrameEncoding, GATEWAY_PATH, HostList};
pub use legal_domains::{DomainKind, Edition, LegalDomain, LegalDomains, legal_domains};

/// A data centre (or, for the China zone 2 and Shengwang entries, one published host set for it).
///
/// Ids are stable and short (`cn1`, `cn2`, `cn2-ngi`, `sgp1`, `sgp2`, `use1`, `de2`, `sw-c1`);
/// `Display` writes the id and `{:#}` the English name, and [`FromStr`] parses the id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Region {
    /// China zone 1 (国内 1 区). The default data centre.
    Cn1,
    /// China zone 2 (国内 2 区) with the hosts of the Shengwang Alipay integration page and the
    /// older Easemob pages: REST `a31`, gateways `im-api-alipay-31` / `im-api-wechat-31` /
    /// `im-api-v2-31`, each with a CDN alternate (PROTOCOL.md §2.5). The default for China zone 2.
    Cn2,
    /// China zone 2 (国内 2 区) with the hosts of the current Easemob pages: REST `ngi-a1`, gateway
    /// `ngi-im-api-wechat` for Alipay and WeChat alike. That gateway is a WeChat-family host, so
    /// it gets binary frames even on Alipay. Which set serves a given app key is UNCONFIRMED;
    /// choose this one if [`Region::Cn2`] does not work. No web preset.
    Cn2Ngi,
    /// Singapore zone 1 (新加坡 1 区).
    Sgp1,
    /// Singapore zone 2 (新加坡 2 区).
    Sgp2,
    /// US East zone 1 (美东 1 区).
    Use1,
    /// Germany zone 2 (德国 2 区).
    De2,
    /// The Shengwang (声网) `c1` hosts listed by one version of the Shengwang Alipay page
    /// (`*.chat.rtnsvc.com`, alternate `*.chat.realtimemesh.com`; PROTOCOL.md §2.8). Whether they
    /// are live is UNCONFIRMED: used only when configured. Alipay only.
    ShengwangC1,
}

impl Region {
    /// Every region, in table order.
    pub const ALL: [Region; 8] = [
        Region::Cn1,
        Region::Cn2,
        Region::Cn2Ngi,
        Region::Sgp1,
        Region::Sgp2,
        Region::Use1,
        Region::De2,
        Region::ShengwangC1,
    ];

    /// The stable short id, e.g. `cn1`.
    pub const fn id(self) -> &'static str {
        match self {
            Region::Cn1 => "cn1",
            Region::Cn2 => "cn2",
            Region::Cn2Ngi => "cn2-ngi",
            Region::Sgp1 => "sgp1",
            Region::Sgp2 => "sgp2",
            Region::Use1 => "use1",
            Region::De2 => "de2",
            Region::ShengwangC1 => "sw-c1",
        }
    }

    /// The English name, e.g. `China zone 1`.
    pub const fn name_en(self) -> &'static str {
        match self {
            Region::Cn1 => "China zone 1",
            Region::Cn2 => "China zone 2",
            Region::Cn2Ngi => "China zone 2 (ngi hosts)",
            Region::Sgp1 => "Singapore zone 1",
            Region::Sgp2 => "Singapore zone 2",
            Region::Use1 => "US East zone 1",
            Region::De2 => "Germany zone 2",
            Region::ShengwangC1 => "Shengwang c1",
        }
    }

    /// The Chinese name as the consoles and documentation write it, e.g. `国内 1 区`.
    pub const fn name_zh(self) -> &'static str {
        match self {
            Region::Cn1 => "国内 1 区",
            Region::Cn2 => "国内 2 区",
            Region::Cn2Ngi => "国内 2 区（ngi）",
            Region::Sgp1 => "新加坡 1 区",
            Region::Sgp2 => "新加坡 2 区",
            Region::Use1 => "美东 1 区",
            Region::De2 => "德国 2 区",
            Region::ShengwangC1 => "声网 c1",
        }
    }

    /// Finds a region by its id (ASCII case ignored).
    ///
    /// The China VIP and customer-service zones (`vip`, `cs`) are recognised and reported as
    /// [`ParseRegionError::CustomOnly`]: they have no published hosts.
    pub fn from_id(id: &str) -> Result<Region, ParseRegionError> {
        if let Some(region) = Region::ALL
            .into_iter()
            .find(|r| r.id().eq_ignore_ascii_case(id))
        {
            return Ok(region);
        }
        match CustomZone::ALL
            .into_iter()
            .find(|z| z.id().eq_ignore_ascii_case(id))
        {
            Some(zone) => Err(ParseRegionError::CustomOnly(zone)),
            None => Err(ParseRegionError::Unknown),
        }
    }

    /// The preset for this region on `platform`, or `None` where none is published
    /// (`cn2-ngi` on web; `sw-c1` other than on Alipay).
    pub fn endpoints(self, platform: Platform) -> Option<&'static Endpoints> {
        data::PRESETS
            .iter()
            .find(|preset| preset.region == self && preset.platform == platform)
    }
}

impl fmt::Display for Region {
    /// Writes the id; with `{:#}`, the English name.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if f.alternate() {
            self.name_en()
        } else {
            self.id()
        })
    }
}

impl FromStr for Region {
    type Err = ParseRegionError;

    fn from_str(id: &str) -> Result<Region, ParseRegionError> {
        Region::from_id(id)
    }
}

/// Why a string does not name a [`Region`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum ParseRegionError {
    /// Not a region id.
    Unknown,
    /// A zone whose hosts are not published: configure a custom [`Endpoint`] with the hosts the
    /// account manager gives.
    CustomOnly(CustomZone),
}

impl fmt::Display for ParseRegionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseRegionError::Unknown => f.write_str(
                "unknown region (expected one of cn1 cn2 cn2-ngi sgp1 sgp2 use1 de2 sw-c1)",
            ),
            ParseRegionError::CustomOnly(zone) => write!(
                f,
                "{} ({}) publishes no hosts: ask the account manager and configure a custom endpoint",
                zone.name_en(),
                zone.name_zh()
            ),
        }
    }
}

impl core::error::Error for ParseRegionError {}

/// A zone that exists but publishes no hosts (PROTOCOL.md §2.2, §2.7).
///
/// Its REST host and gateway come from the account manager (请咨询商务经理). Use them through a
/// custom endpoint: [`Endpoint::from_hosts`] with the two host names, or [`Endpoint::custom`] with
/// full URLs. The frame encoding then follows the host rule of [`FrameEncoding::for_host`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum CustomZone {
    /// China VIP zone (国内 VIP 区).
    ChinaVip,
    /// The customer-service zone (客服专用).
    CustomerService,
}

impl CustomZone {
    /// Both zones.
    pub const ALL: [CustomZone; 2] = [CustomZone::ChinaVip, CustomZone::CustomerService];

    /// The id recognised by [`Region::from_id`]: `vip` or `cs`.
    pub const fn id(self) -> &'static str {
        match self {
            CustomZone::ChinaVip => "vip",
            CustomZone::CustomerService => "cs",
        }
    }

    /// The English name.
    pub const fn name_en(self) -> &'static str {
        match self {
            CustomZone::ChinaVip => "China VIP zone",
            CustomZone::CustomerService => "Customer service zone",
        }
    }

    /// The Chinese name as the documentation writes it.
    pub const fn name_zh(self) -> &'static str {
        match self {
            CustomZone::ChinaVip => "国内 VIP 区",
            CustomZone::CustomerService => "客服专用",
        }
    }
}

/// The kind of client the gateways are chosen for (PROTOCOL.md §2.2–§2.4).
///
/// Ids: `alipay`, `wechat`, `web`. `Display` writes the id, `{:#}` the English name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Platform {
    /// Alipay mini program: `im-api-alipay*` gateways, base64 text frames.
    Alipay,
    /// WeChat and the mini programs that use its values (QQ, ByteDance, Baidu, uni-app):
    /// `im-api-wechat*` gateways, binary frames.
    WeChat,
    /// Web and desktop (reference): `im-api-v2*` / `msync-api-*` gateways, binary frames.
    Web,
}

impl Platform {
    /// Every platform.
    pub const ALL: [Platform; 3] = [Platform::Alipay, Platform::WeChat, Platform::Web];

    /// The stable short id: `alipay`, `wechat` or `web`.
    pub const fn id(self) -> &'static str {
        match self {
            Platform::Alipay => "alipay",
            Platform::WeChat => "wechat",
            Platform::Web => "web",
        }
    }

    /// The English name.
    pub const fn name_en(self) -> &'static str {
        match self {
            Platform::Alipay => "Alipay mini program",
            Platform::WeChat => {
                "WeChat-style mini programs (WeChat, QQ, ByteDance, Baidu, uni-app)"
            }
            Platform::Web => "Web and desktop",
        }
    }

    /// The Chinese name.
    pub const fn name_zh(self) -> &'static str {
        match self {
            Platform::Alipay => "支付宝小程序",
            Platform::WeChat => "微信等小程序（微信、QQ、字节跳动、百度、uni-app）",
            Platform::Web => "Web 与桌面端",
        }
    }

    /// Finds a platform by its id (ASCII case ignored).
    pub fn from_id(id: &str) -> Result<Platform, ParsePlatformError> {
        Platform::ALL
            .into_iter()
            .find(|p| p.id().eq_ignore_ascii_case(id))
            .ok_or(ParsePlatformError)
    }
}

impl fmt::Display for Platform {
    /// Writes the id; with `{:#}`, the English name.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if f.alternate() {
            self.name_en()
        } else {
            self.id()
        })
    }
}

impl FromStr for Platform {
    type Err = ParsePlatformError;

    fn from_str(id: &str) -> Result<Platform, ParsePlatformError> {
        Platform::from_id(id)
    }
}

/// The string is not a platform id (`alipay`, `wechat`, `web`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct ParsePlatformError;

impl fmt::Display for ParsePlatformError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("unknown platform (expected alipay, wechat or web)")
    }
}

impl core::error::Error for ParsePlatformError {}

/// Every preset in the table, in region then platform order.
pub fn presets() -> &'static [Endpoints] {
    &data::PRESETS
}
