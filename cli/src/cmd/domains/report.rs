//! What `msync domains` prints, gathered from `msync_core::region` into one serializable value
//! that both the text and the JSON output render.

use msync_core::region::{
    DomainKind, Edition, Endpoints, LegalDomain, LegalDomains, Platform, Region, bootstrap,
    legal_domains,
};
use msync_core::url::Url;
use serde::Serialize;

/// The endpoints and legal domains of some regions on one platform.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// The platform.
    pub platform: Named,
    /// Bootstrap (`server.json`) bases; optional with an app key, needed with an App ID.
    pub bootstrap: Vec<String>,
    /// The selected regions, in table order, with their presets.
    pub regions: Vec<RegionReport>,
    /// The legal-domain lists restricted to the selected regions; `None` on web, which needs
    /// none.
    pub legal_domains: Option<LegalReport>,
    /// Remarks worth reading (web has no lists, regions without a preset, ...).
    pub notes: Vec<String>,
}

/// An id with its English and Chinese names.
#[derive(Clone, Debug, Serialize)]
pub struct Named {
    /// The stable id (`cn1`, `alipay`).
    pub id: &'static str,
    /// The English name.
    pub name: &'static str,
    /// The Chinese name.
    pub name_zh: &'static str,
}

/// One region and its preset on the platform.
#[derive(Clone, Debug, Serialize)]
pub struct RegionReport {
    /// The region.
    #[serde(flatten)]
    pub region: Named,
    /// The published hosts; `None` where there is no preset for the platform.
    pub endpoints: Option<EndpointsReport>,
}

/// A preset's URLs.
#[derive(Clone, Debug, Serialize)]
pub struct EndpointsReport {
    /// How frames are sent to its gateways: `binary` or `base64 text`.
    pub frame: String,
    /// REST bases.
    pub rest: UrlList,
    /// WebSocket gateways.
    pub websocket: UrlList,
}

/// A primary URL and the alternates to try after it.
#[derive(Clone, Debug, Serialize)]
pub struct UrlList {
    /// Tried first.
    pub primary: String,
    /// Tried after the primary fails, in order (usually the CDN name under `easecdn.com`).
    pub alternates: Vec<String>,
}

/// Legal domains (合法域名) to register in the platform's console.
#[derive(Clone, Debug, Serialize)]
pub struct LegalReport {
    /// The published lists, one per documentation edition shown.
    pub editions: Vec<EditionReport>,
    /// Hosts the selected presets connect to that none of the shown lists name: register them
    /// too.
    pub unlisted: Unlisted,
}

/// One edition's lists, by console field.
#[derive(Clone, Debug, Serialize)]
pub struct EditionReport {
    /// `current` or `older`.
    pub edition: &'static str,
    /// Which documentation pages the lists come from.
    pub source: &'static str,
    /// The entries by console field.
    pub fields: ConsoleFields,
}

/// Entries by console field, in console order.
#[derive(Clone, Debug, Default, Serialize)]
pub struct ConsoleFields {
    /// `request` 合法域名.
    pub request: Vec<DomainEntry>,
    /// `uploadFile` 合法域名.
    #[serde(rename = "uploadFile")]
    pub upload_file: Vec<DomainEntry>,
    /// `downloadFile` 合法域名.
    #[serde(rename = "downloadFile")]
    pub download_file: Vec<DomainEntry>,
    /// `socket` 合法域名.
    pub socket: Vec<DomainEntry>,
}

impl ConsoleFields {
    /// The entries of one field.
    pub fn of_kind(&self, kind: DomainKind) -> &[DomainEntry] {
        match kind {
            DomainKind::Request => &self.request,
            DomainKind::UploadFile => &self.upload_file,
            DomainKind::DownloadFile => &self.download_file,
            DomainKind::Socket => &self.socket,
        }
    }

    fn of_kind_mut(&mut self, kind: DomainKind) -> &mut Vec<DomainEntry> {
        match kind {
            DomainKind::Request => &mut self.request,
            DomainKind::UploadFile => &mut self.upload_file,
            DomainKind::DownloadFile => &mut self.download_file,
            DomainKind::Socket => &mut self.socket,
        }
    }
}

/// One published entry.
#[derive(Clone, Debug, Serialize)]
pub struct DomainEntry {
    /// As the page writes it (`https://a1.easemob.com`, `wss://…/websocket`).
    pub url: &'static str,
    /// The region ids it serves; empty when not tied to one.
    pub regions: Vec<&'static str>,
    /// The page's remark or a caveat.
    #[serde(skip_serializing_if = "str::is_empty")]
    pub note: &'static str,
}

/// Preset hosts missing from the lists, as console entries.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Unlisted {
    /// `https://{rest host}`, for `request` (and `uploadFile` / `downloadFile` when files are
    /// sent).
    pub request: Vec<String>,
    /// `wss://{gateway host}`, for `socket`.
    pub socket: Vec<String>,
}

impl Report {
    /// The report for `regions` (table order is kept) on `platform`, with the legal-domain
    /// lists of `editions`.
    pub fn new(platform: Platform, regions: &[Region], editions: &[Edition]) -> Report {
        let presets: Vec<&'static Endpoints> = regions
            .iter()
            .filter_map(|region| region.endpoints(platform))
            .collect();
        let mut notes = Vec::new();
        let missing: Vec<&str> = regions
            .iter()
            .filter(|region| region.endpoints(platform).is_none())
            .map(|region| region.id())
            .collect();
        if !missing.is_empty() {
            notes.push(format!(
                "no published hosts on {} for: {}",
                platform.id(),
                missing.join(", ")
            ));
        }
        let legal = if platform == Platform::Web {
            notes.push(
                "web pages need no legal-domain (合法域名) registration: there are no lists for web"
                    .into(),
            );
            None
        } else {
            let lists: Vec<&'static LegalDomains> = editions
                .iter()
                .filter_map(|edition| legal_domains(platform, *edition))
                .collect();
            Some(LegalReport::new(&lists, regions, &presets))
        };
        Report {
            platform: Named {
                id: platform.id(),
                name: platform.name_en(),
                name_zh: platform.name_zh(),
            },
            bootstrap: bootstrap_bases(&presets),
            regions: regions
                .iter()
                .map(|&region| RegionReport {
                    region: Named {
                        id: region.id(),
                        name: region.name_en(),
                        name_zh: region.name_zh(),
                    },
                    endpoints: region.endpoints(platform).map(EndpointsReport::new),
                })
                .collect(),
            legal_domains: legal,
            notes,
        }
    }
}

impl EndpointsReport {
    fn new(preset: &'static Endpoints) -> Self {
        Self {
            frame: preset.frame.to_string(),
            rest: UrlList::from(preset.rest_bases().map(|url| rest_base_text(&url))),
            websocket: UrlList::from(preset.gateways().map(|url| url.to_string())),
        }
    }
}

impl UrlList {
    fn from(mut urls: impl Iterator<Item = String>) -> Self {
        Self {
            primary: urls.next().unwrap_or_default(),
            alternates: urls.collect(),
        }
    }
}

impl LegalReport {
    fn new(lists: &[&'static LegalDomains], regions: &[Region], presets: &[&Endpoints]) -> Self {
        let serves_selection = |domain: &LegalDomain| {
            domain.regions.is_empty() || domain.regions.iter().any(|r| regions.contains(r))
        };
        let editions = lists
            .iter()
            .map(|lists| {
                let mut fields = ConsoleFields::default();
                for (kind, domain) in lists.iter().filter(|(_, d)| serves_selection(d)) {
                    fields.of_kind_mut(kind).push(DomainEntry {
                        url: domain.url,
                        regions: domain.regions.iter().map(|r| r.id()).collect(),
                        note: domain.note,
                    });
                }
                EditionReport {
                    edition: lists.edition.id(),
                    source: lists.source,
                    fields,
                }
            })
            .collect();
        let listed = |kind: DomainKind, host: &str| {
            lists
                .iter()
                .flat_map(|lists| lists.of_kind(kind))
                .any(|domain| host_of(domain.url) == Some(host))
        };
        let mut unlisted = Unlisted::default();
        for preset in presets {
            for host in preset.rest.iter() {
                let entry = format!("https://{host}");
                if !listed(DomainKind::Request, host) && !unlisted.request.contains(&entry) {
                    unlisted.request.push(entry);
                }
            }
            for host in preset.gateway.iter() {
                let entry = format!("wss://{host}");
                if !listed(DomainKind::Socket, host) && !unlisted.socket.contains(&entry) {
                    unlisted.socket.push(entry);
                }
            }
        }
        Self { editions, unlisted }
    }
}

/// The bootstrap bases: the client's defaults, plus the Shengwang c1 ones when that region's
/// preset is shown.
fn bootstrap_bases(presets: &[&Endpoints]) -> Vec<String> {
    let mut bases: Vec<String> = bootstrap::default_bases()
        .map(|url| rest_base_text(&url))
        .collect();
    if presets
        .iter()
        .any(|preset| preset.region == Region::ShengwangC1)
    {
        bases.extend(
            bootstrap::SHENGWANG_C1_HOSTS
                .iter()
                .map(|host| format!("https://{host}")),
        );
    }
    bases
}

/// A base URL as consoles and docs write it: no trailing `/` when the path is empty.
fn rest_base_text(url: &Url<'_>) -> String {
    let text = url.to_string();
    match text.strip_suffix('/') {
        Some(base) if url.path() == "/" => base.to_owned(),
        _ => text,
    }
}

/// The host of a legal-domain entry, if it parses as a URL.
fn host_of(url: &str) -> Option<&str> {
    Url::parse(url).ok().map(|url| url.host_str())
}
