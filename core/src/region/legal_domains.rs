//! The legal-domain (合法域名) lists a mini-program console needs, as the documentation publishes
//! them (PROTOCOL.md §2.6).
//!
//! A mini program reaches only domains registered in its platform console, by kind: request,
//! uploadFile, downloadFile and socket. The documentation has a current edition and older ones;
//! both are here, labelled, because the China zone 2 hosts of the default preset (`a31`,
//! `im-api-*-31`) appear only in the older lists. Web pages need no registration, so there are no
//! web lists. For the hosts a given preset connects to, see
//! [`Endpoints::rest_bases`](super::Endpoints::rest_bases) and
//! [`Endpoints::gateways`](super::Endpoints::gateways).

use core::fmt;

use super::{Platform, Region};
use Region::{Cn1, Cn2, Cn2Ngi, De2, Sgp1, Sgp2, Use1};

/// Which edition of the documentation a list comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Edition {
    /// The current Easemob pages (Alipay page; uni-app page for the WeChat family).
    Current,
    /// The older Alipay and WeChat pages and the Shengwang Alipay integration page, merged.
    Older,
}

impl Edition {
    /// Both editions, current first.
    pub const ALL: [Edition; 2] = [Edition::Current, Edition::Older];

    /// `current` or `older`.
    pub const fn id(self) -> &'static str {
        match self {
            Edition::Current => "current",
            Edition::Older => "older",
        }
    }
}

impl fmt::Display for Edition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// The console field a domain is registered under.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum DomainKind {
    /// `request` 合法域名: REST and bootstrap calls.
    Request,
    /// `uploadFile` 合法域名.
    UploadFile,
    /// `downloadFile` 合法域名.
    DownloadFile,
    /// `socket` 合法域名: the WebSocket gateways.
    Socket,
}

impl DomainKind {
    /// Every kind, in console order.
    pub const ALL: [DomainKind; 4] = [
        DomainKind::Request,
        DomainKind::UploadFile,
        DomainKind::DownloadFile,
        DomainKind::Socket,
    ];

    /// The console's name for the field: `request`, `uploadFile`, `downloadFile`, `socket`.
    pub const fn console_name(self) -> &'static str {
        match self {
            DomainKind::Request => "request",
            DomainKind::UploadFile => "uploadFile",
            DomainKind::DownloadFile => "downloadFile",
            DomainKind::Socket => "socket",
        }
    }
}

impl fmt::Display for DomainKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.console_name())
    }
}

/// One entry of a legal-domain list, as published.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct LegalDomain {
    /// The entry as the page writes it, e.g. `https://a1.easemob.com` or
    /// `wss://im-api-alipay.easemob.com/websocket`.
    pub url: &'static str,
    /// The data centres the entry serves; empty when it is not tied to one (file host, bootstrap)
    /// or the pages do not say.
    pub regions: &'static [Region],
    /// What the page says about it, or a caveat; empty when nothing.
    pub note: &'static str,
}

/// The legal-domain lists of one platform in one documentation edition.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct LegalDomains {
    /// The platform whose console takes these lists.
    pub platform: Platform,
    /// The documentation edition.
    pub edition: Edition,
    /// Which pages the lists come from.
    pub source: &'static str,
    /// `request` domains.
    pub request: &'static [LegalDomain],
    /// `uploadFile` domains (empty when the pages list none).
    pub upload_file: &'static [LegalDomain],
    /// `downloadFile` domains (empty when the pages list none).
    pub download_file: &'static [LegalDomain],
    /// `socket` domains.
    pub socket: &'static [LegalDomain],
}

impl LegalDomains {
    /// The list for one console field.
    pub const fn of_kind(&self, kind: DomainKind) -> &'static [LegalDomain] {
        match kind {
            DomainKind::Request => self.request,
            DomainKind::UploadFile => self.upload_file,
            DomainKind::DownloadFile => self.download_file,
            DomainKind::Socket => self.socket,
        }
    }

    /// Every entry with its field, in console order.
    pub fn iter(&self) -> impl Iterator<Item = (DomainKind, &'static LegalDomain)> + Clone + use<> {
        let lists = *self;
        DomainKind::ALL
            .into_iter()
            .flat_map(move |kind| lists.of_kind(kind).iter().map(move |domain| (kind, domain)))
    }

    /// The entries an app in `region` needs: those that name `region` and those tied to no data
    /// centre.
    pub fn for_region(
        &self,
        region: Region,
    ) -> impl Iterator<Item = (DomainKind, &'static LegalDomain)> + Clone + use<> {
        self.iter().filter(move |(_, domain)| {
            domain.regions.is_empty() || domain.regions.contains(&region)
        })
    }
}

/// The published lists for `platform` in `edition`; `None` for [`Platform::Web`], which needs no
/// registration.
pub fn legal_domains(platform: Platform, edition: Edition) -> Option<&'static LegalDomains> {
    ALL.iter()
        .find(|lists| lists.platform == platform && lists.edition == edition)
}

/// An entry: URL, regions, note.
macro_rules! domain {
    ($url:literal, [$($region:ident),*], $note:literal) => {
        LegalDomain { url: $url, regions: &[$($region),*], note: $note }
    };
    ($url:literal, [$($region:ident),*]) => {
        domain!($url, [$($region),*], "")
    };
}

/// Current request / uploadFile / downloadFile list, shared by Alipay and the WeChat family.
const CURRENT_HTTP: &[LegalDomain] = &[
    domain!("https://a1.easemob.com", [Cn1]),
    domain!("https://a1-v2.easemob.com", [Cn1]),
    domain!("https://ngi-a1.easemob.com", [Cn2Ngi]),
    domain!("https://a1-sgp.easemob.com", [Sgp1]),
    domain!("https://a61.easemob.com", [Sgp2]),
    domain!("https://a41.easemob.com", [Use1]),
    domain!("https://a71.easemob.com", [De2]),
    domain!("https://a1-chatfile.easemob.com", [], "file download"),
];

/// Older request list, merged over the older Alipay, WeChat and Shengwang Alipay pages.
const OLDER_REQUEST: &[LegalDomain] = &[
    domain!("https://a1.easemob.com", [Cn1]),
    domain!("https://a2.easemob.com", []),
    domain!("https://a3.easemob.com", []),
    domain!("https://a4.easemob.com", []),
    domain!("https://a5.easemob.com", []),
    domain!("https://a31.easemob.com", [Cn2], "some older pages"),
    domain!("https://a1-sgp.easemob.com", [Sgp1], "some older pages"),
    domain!("https://a41.easemob.com", [Use1], "some older pages"),
    domain!(
        "https://a51.easemob.com",
        [],
        "some older pages; in no data-centre table (UNCONFIRMED), no preset"
    ),
    domain!(
        "https://a1-chatfile.easemob.com",
        [],
        "some older pages; file download"
    ),
    domain!(
        "https://rs.chat.agora.io",
        [],
        "some older pages; bootstrap"
    ),
    domain!("https://rs.easemob.com", [], "some older pages; bootstrap"),
];

/// The published lists.
static ALL: [LegalDomains; 4] = [
    LegalDomains {
        platform: Platform::Alipay,
        edition: Edition::Current,
        source: "current Easemob Alipay mini-program page",
        request: CURRENT_HTTP,
        upload_file: CURRENT_HTTP,
        download_file: CURRENT_HTTP,
        socket: &[
            domain!("wss://im-api-alipay.easemob.com/websocket", [Cn1]),
            domain!("wss://im-api-alipay.easecdn.com/websocket", [Cn1]),
            domain!("wss://ngi-im-api-wechat.easemob.com/websocket", [Cn2Ngi]),
        ],
    },
    LegalDomains {
        platform: Platform::WeChat,
        edition: Edition::Current,
        source: "current Easemob uni-app page (request list as the Alipay page; uploadFile and downloadFile taken to match it)",
        request: CURRENT_HTTP,
        upload_file: CURRENT_HTTP,
        download_file: CURRENT_HTTP,
        socket: &[
            domain!("wss://im-api-wechat.easemob.com/websocket", [Cn1]),
            domain!("wss://im-api-wechat.easecdn.com/websocket", [Cn1]),
            domain!("wss://ngi-im-api-wechat.easemob.com/websocket", [Cn2Ngi]),
            domain!("wss://im-api-wechat-sgp.easemob.com/websocket", [Sgp1]),
            domain!("wss://im-api-wechat-sgp.easecdn.com/websocket", [Sgp1]),
            domain!("wss://im-api-wechat-61.easemob.com/websocket", [Sgp2]),
            domain!("wss://im-api-wechat-61.easecdn.com/websocket", [Sgp2]),
            domain!("wss://im-api-wechat-41.easemob.com/websocket", [Use1]),
            domain!("wss://im-api-wechat-41.easecdn.com/websocket", [Use1]),
            domain!("wss://im-api-wechat-71.easemob.com/websocket", [De2]),
            domain!("wss://im-api-wechat-71.easecdn.com/websocket", [De2]),
            domain!(
                "wss://im-api-alipay.easemob.com/websocket/websocket",
                [Cn1],
                "marked \"Alipay only\" on the page, path doubled there (typo); not needed by WeChat"
            ),
        ],
    },
    LegalDomains {
        platform: Platform::Alipay,
        edition: Edition::Older,
        source: "older Easemob Alipay page and the Shengwang Alipay integration page",
        request: OLDER_REQUEST,
        upload_file: &[],
        download_file: &[],
        socket: &[
            domain!("wss://im-api-alipay.easemob.com/websocket", [Cn1]),
            domain!("wss://im-api-alipay-31.easemob.com/websocket", [Cn2]),
        ],
    },
    LegalDomains {
        platform: Platform::WeChat,
        edition: Edition::Older,
        source: "older Easemob WeChat mini-program page",
        request: OLDER_REQUEST,
        upload_file: &[domain!("https://a1.easemob.com", [Cn1])],
        download_file: &[
            domain!("https://a1-v2.easemob.com", [Cn1]),
            domain!("https://a4.easemob.com", []),
            domain!("https://a1.easemob.com", [Cn1]),
            domain!("https://a4-v2.easemob.com", []),
            domain!("https://a3-v2.easemob.com", []),
            domain!("https://a5-v2.easemob.com", []),
            domain!("https://a2-v2.easemob.com", []),
            domain!("https://a1-chatfile.easemob.com", [], "file download"),
        ],
        socket: &[
            domain!("wss://im-api.easemob.com", [Cn1], "SDK 2.0"),
            domain!("wss://im-api-wechat.easemob.com", [Cn1], "SDK 3.0"),
            domain!("wss://im-api-wechat-31.easemob.com", [Cn2]),
        ],
    },
];
