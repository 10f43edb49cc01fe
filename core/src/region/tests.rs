//! The region table checked cell by cell against PROTOCOL.md §2 and the integration page, written
//! out here independently of `data.rs` (full host names, no macros).

extern crate std;
use std::collections::BTreeSet;
use std::string::ToString;
use std::vec::Vec;

use super::*;
use crate::url::{Host, Scheme, Url};

const TEXT: FrameEncoding = FrameEncoding::Base64Text;
const BIN: FrameEncoding = FrameEncoding::Binary;

/// (region id, platform id, REST hosts, gateway hosts, frame encoding), primary first.
type Row = (
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
    FrameEncoding,
);

/// PROTOCOL.md §2.2 (Alipay), §2.3 (WeChat family), §2.4 (web), §2.5 (China zone 2), §2.8
/// (Shengwang c1). REST `a1.easecdn.com` / `a31.easecdn.com` on Alipay and WeChat come from the
/// data-centre page (§2.2: "also lists a1.easecdn.com"; older pages: "a31.easemob.com +cdn").
#[rustfmt::skip]
const EXPECTED: &[Row] = &[
    ("cn1", "alipay", &["a1.easemob.com", "a1.easecdn.com"], &["im-api-alipay.easemob.com", "im-api-alipay.easecdn.com"], TEXT),
    ("cn2", "alipay", &["a31.easemob.com", "a31.easecdn.com"], &["im-api-alipay-31.easemob.com", "im-api-alipay-31.easecdn.com"], TEXT),
    ("cn2-ngi", "alipay", &["ngi-a1.easemob.com"], &["ngi-im-api-wechat.easemob.com"], BIN),
    ("sgp1", "alipay", &["a1-sgp.easemob.com", "a1-sgp.easecdn.com"], &["im-api-alipay-sgp.easemob.com", "im-api-alipay-sgp.easecdn.com"], TEXT),
    ("sgp2", "alipay", &["a61.easemob.com", "a61.easecdn.com"], &["im-api-alipay-61.easemob.com", "im-api-alipay-61.easecdn.com"], TEXT),
    ("use1", "alipay", &["a41.easemob.com", "a41.easecdn.com"], &["im-api-alipay-41.easemob.com", "im-api-alipay-41.easecdn.com"], TEXT),
    ("de2", "alipay", &["a71.easemob.com", "a71.easecdn.com"], &["im-api-alipay-71.easemob.com", "im-api-alipay-71.easecdn.com"], TEXT),
    ("sw-c1", "alipay", &["c1.chat.rtnsvc.com", "c1.chat.realtimemesh.com"], &["im-api-alipay-c1.chat.rtnsvc.com", "im-api-alipay-c1.chat.realtimemesh.com"], TEXT),
    ("cn1", "wechat", &["a1.easemob.com", "a1.easecdn.com"], &["im-api-wechat.easemob.com", "im-api-wechat.easecdn.com"], BIN),
    ("cn2", "wechat", &["a31.easemob.com", "a31.easecdn.com"], &["im-api-wechat-31.easemob.com", "im-api-wechat-31.easecdn.com"], BIN),
    ("cn2-ngi", "wechat", &["ngi-a1.easemob.com"], &["ngi-im-api-wechat.easemob.com"], BIN),
    ("sgp1", "wechat", &["a1-sgp.easemob.com", "a1-sgp.easecdn.com"], &["im-api-wechat-sgp.easemob.com", "im-api-wechat-sgp.easecdn.com"], BIN),
    ("sgp2", "wechat", &["a61.easemob.com", "a61.easecdn.com"], &["im-api-wechat-61.easemob.com", "im-api-wechat-61.easecdn.com"], BIN),
    ("use1", "wechat", &["a41.easemob.com", "a41.easecdn.com"], &["im-api-wechat-41.easemob.com", "im-api-wechat-41.easecdn.com"], BIN),
    ("de2", "wechat", &["a71.easemob.com", "a71.easecdn.com"], &["im-api-wechat-71.easemob.com", "im-api-wechat-71.easecdn.com"], BIN),
    ("cn1", "web", &["a1.easemob.com", "a1.easecdn.com"], &["im-api-v2.easemob.com", "im-api-v2.easecdn.com"], BIN),
    ("cn2", "web", &["a31.easemob.com", "a31.easecdn.com"], &["im-api-v2-31.easemob.com", "im-api-v2-31.easecdn.com"], BIN),
    ("sgp1", "web", &["a1-sgp.easemob.com", "a1-sgp.easecdn.com"], &["im-api-sgp-v2.easemob.com", "im-api-sgp-v2.easecdn.com"], BIN),
    ("sgp2", "web", &["a61.easemob.com"], &["msync-api-61.easemob.com", "msync-api-61.easecdn.com"], BIN),
    ("use1", "web", &["a41.easemob.com"], &["msync-api-41.easemob.com", "msync-api-41.easecdn.com"], BIN),
    ("de2", "web", &["a71.easemob.com"], &["msync-api-71.easemob.com", "msync-api-71.easecdn.com"], BIN),
];

/// The table of `ALIPAY-INTEGRATION.zh.md` as written there: (数据中心, REST, WebSocket).
#[rustfmt::skip]
const INTEGRATION_PAGE: &[(&str, &[&str], &[&str])] = &[
    ("国内 1 区", &["a1.easemob.com"], &["im-api-alipay.easemob.com", "im-api-alipay.easecdn.com"]),
    ("国内 2 区", &["a31.easemob.com"], &["im-api-alipay-31.easemob.com", "im-api-alipay-31.easecdn.com"]),
    ("新加坡 1 区", &["a1-sgp.easemob.com", "a1-sgp.easecdn.com"], &["im-api-alipay-sgp.easemob.com", "im-api-alipay-sgp.easecdn.com"]),
    ("新加坡 2 区", &["a61.easemob.com", "a61.easecdn.com"], &["im-api-alipay-61.easemob.com", "im-api-alipay-61.easecdn.com"]),
    ("美东 1 区", &["a41.easemob.com", "a41.easecdn.com"], &["im-api-alipay-41.easemob.com", "im-api-alipay-41.easecdn.com"]),
    ("德国 2 区", &["a71.easemob.com", "a71.easecdn.com"], &["im-api-alipay-71.easemob.com", "im-api-alipay-71.easecdn.com"]),
];

/// REST alternates that the data-centre page adds to the integration page's table.
const DATA_CENTRE_PAGE_REST_ALTERNATES: &[&str] = &["a1.easecdn.com", "a31.easecdn.com"];

#[test]
fn table_matches_the_spec_cell_by_cell() {
    for &(region, platform, rest, gateways, frame) in EXPECTED {
        let region = Region::from_id(region).unwrap();
        let platform = Platform::from_id(platform).unwrap();
        let preset = region
            .endpoints(platform)
            .unwrap_or_else(|| panic!("no preset {region} {platform}"));
        assert_eq!((preset.region, preset.platform), (region, platform));
        assert_eq!(
            preset.rest.iter().collect::<Vec<_>>(),
            rest,
            "REST {region} {platform}"
        );
        assert_eq!(
            preset.gateway.iter().collect::<Vec<_>>(),
            gateways,
            "gateways {region} {platform}"
        );
        assert_eq!(preset.frame, frame, "frame {region} {platform}");
    }
    // Nothing more than the expected rows, and no pair twice.
    assert_eq!(presets().len(), EXPECTED.len());
    let pairs: BTreeSet<_> = presets().iter().map(|p| (p.region, p.platform)).collect();
    assert_eq!(pairs.len(), presets().len());
    for missing in [
        (Region::Cn2Ngi, Platform::Web),
        (Region::ShengwangC1, Platform::WeChat),
        (Region::ShengwangC1, Platform::Web),
    ] {
        assert_eq!(missing.0.endpoints(missing.1), None);
    }
}

#[test]
fn alipay_presets_match_the_integration_page() {
    for &(name_zh, rest, gateways) in INTEGRATION_PAGE {
        let region = Region::ALL
            .into_iter()
            .find(|r| r.name_zh() == name_zh)
            .unwrap();
        let preset = region.endpoints(Platform::Alipay).unwrap();
        assert_eq!(
            preset.gateway.iter().collect::<Vec<_>>(),
            gateways,
            "{name_zh}"
        );
        let preset_rest: Vec<_> = preset.rest.iter().collect();
        assert_eq!(preset_rest.get(..rest.len()), Some(rest), "{name_zh}");
        for extra in preset_rest.get(rest.len()..).unwrap() {
            assert!(
                DATA_CENTRE_PAGE_REST_ALTERNATES.contains(extra),
                "{name_zh}: {extra}"
            );
        }
    }
    // China zone 2 from the page is the default `cn2`; the `ngi-*` hosts are the second preset.
    assert_eq!(
        Region::Cn2
            .endpoints(Platform::Alipay)
            .unwrap()
            .rest
            .primary,
        "a31.easemob.com"
    );
    assert_eq!(
        Region::Cn2Ngi
            .endpoints(Platform::Alipay)
            .unwrap()
            .rest
            .primary,
        "ngi-a1.easemob.com"
    );
}

#[test]
fn every_preset_url_parses() {
    for preset in presets() {
        let mut count = 0;
        for url in preset.rest_bases().chain(preset.gateways()) {
            let text = url.to_string();
            assert_eq!(Url::parse(&text), Ok(url), "{text}");
            count += 1;
        }
        assert_eq!(count, preset.rest.len() + preset.gateway.len());
        for url in preset.rest_bases() {
            assert_eq!(
                (url.scheme(), url.port(), url.path()),
                (Scheme::Https, 443, "/")
            );
        }
        for url in preset.gateways() {
            assert_eq!(
                (url.scheme(), url.port(), url.path(), url.query()),
                (Scheme::Wss, 443, "/websocket", None)
            );
        }
    }
    let endpoint = Region::Use1.endpoints(Platform::WeChat).unwrap().primary();
    assert_eq!(endpoint.rest_base.to_string(), "https://a41.easemob.com/");
    assert_eq!(
        endpoint.gateway.to_string(),
        "wss://im-api-wechat-41.easemob.com/websocket"
    );
    assert_eq!(endpoint.rest_prefix(), "");
}

#[test]
fn endpoint_indexes_walk_primary_then_alternates() {
    let preset = Region::Sgp2.endpoints(Platform::Alipay).unwrap();
    let cdn = preset.endpoint(1, 1).unwrap();
    assert_eq!(cdn.rest_base.to_string(), "https://a61.easecdn.com/");
    assert_eq!(
        cdn.gateway.to_string(),
        "wss://im-api-alipay-61.easecdn.com/websocket"
    );
    assert_eq!(cdn.frame, TEXT);
    assert_eq!(preset.endpoint(0, 0), Some(preset.primary()));
    assert_eq!(preset.endpoint(2, 0), None);
    assert_eq!(preset.endpoint(0, 2), None);
    assert_eq!(preset.rest.get(0), Some("a61.easemob.com"));
    assert_eq!(preset.rest.get(usize::MAX), None);
    assert_eq!(preset.rest.len(), 2);
    assert!(!preset.rest.is_empty());
}

#[test]
fn frame_encoding_follows_the_host_rule() {
    for preset in presets() {
        for url in preset.gateways() {
            assert_eq!(FrameEncoding::for_host(&url.host()), preset.frame, "{url}");
        }
    }
    for (host, frame) in [
        ("im-api-alipay.easemob.com", TEXT),
        ("im-api-alipay-31.easecdn.com", TEXT),
        ("im-api-alipay-c1.chat.rtnsvc.com", TEXT),
        ("im-api-alipay-c1.chat.realtimemesh.com", TEXT),
        ("IM-API-Alipay.easemob.com", TEXT),
        ("ngi-im-api-wechat.easemob.com", BIN),
        ("im-api-wechat.easemob.com", BIN),
        ("im-api-v2.easemob.com", BIN),
        ("msync-api-61.easemob.com", BIN),
        ("im-api-alipa", BIN),
        ("localhost", BIN),
    ] {
        assert_eq!(
            FrameEncoding::for_host(&Host::Domain(host)),
            frame,
            "{host}"
        );
    }
    assert_eq!(
        FrameEncoding::for_host(&Url::parse_host("127.0.0.1").unwrap()),
        BIN
    );
    assert_eq!(
        FrameEncoding::for_host(&Url::parse_host("[::1]").unwrap()),
        BIN
    );
    assert_eq!(FrameEncoding::default(), BIN);
}

#[test]
fn custom_endpoints_accept_lab_urls_and_ports() {
    let lab = Endpoint::custom("http://127.0.0.1:8080", "ws://127.0.0.1:8080/websocket").unwrap();
    assert_eq!(lab.rest_base.scheme(), Scheme::Http);
    assert_eq!(lab.rest_base.port(), 8080);
    assert_eq!(lab.gateway.host_header().to_string(), "127.0.0.1:8080");
    assert!(!lab.gateway.is_tls());
    assert_eq!(lab.frame, BIN);

    let v6 = Endpoint::custom("https://[::1]:9443/prefix/", "wss://[::1]:9443/ws?x=1").unwrap();
    assert_eq!(v6.rest_prefix(), "/prefix");
    assert_eq!(v6.gateway.request_target().to_string(), "/ws?x=1");

    let alipay_like = Endpoint::custom(
        "https://a1.example",
        "wss://im-api-alipay.example:8443/websocket",
    )
    .unwrap();
    assert_eq!(alipay_like.frame, TEXT);
    assert_eq!(alipay_like.with_frame(BIN).frame, BIN);
    assert_eq!(lab.with_frame(TEXT).frame, TEXT);

    for (rest, gateway, error) in [
        ("wss://a", "wss://b", EndpointError::RestBaseNotHttp),
        ("https://a?x", "wss://b", EndpointError::RestBaseHasQuery),
        ("https://a", "https://b", EndpointError::GatewayNotWebSocket),
        (
            "a1.easemob.com",
            "wss://b",
            EndpointError::RestBase(crate::url::UrlError::MissingScheme),
        ),
        (
            "https://a",
            "wss://b:0",
            EndpointError::Gateway(crate::url::UrlError::InvalidPort),
        ),
    ] {
        assert_eq!(
            Endpoint::custom(rest, gateway),
            Err(error),
            "{rest} {gateway}"
        );
    }
    assert_eq!(
        EndpointError::GatewayNotWebSocket.to_string(),
        "gateway URL must be ws:// or wss://"
    );
}

#[test]
fn vip_zones_are_custom_endpoints_from_hosts() {
    let vip =
        Endpoint::from_hosts("vip-rest.example.com", "im-api-alipay-vip.example.com").unwrap();
    assert_eq!(vip.rest_base.to_string(), "https://vip-rest.example.com/");
    assert_eq!(
        vip.gateway.to_string(),
        "wss://im-api-alipay-vip.example.com/websocket"
    );
    assert_eq!(vip.frame, TEXT);
    let ported = Endpoint::from_hosts("10.0.0.5:8443", "[::1]:9443").unwrap();
    assert_eq!(ported.rest_base.to_string(), "https://10.0.0.5:8443/");
    assert_eq!(ported.gateway.to_string(), "wss://[::1]:9443/websocket");
    assert!(matches!(
        Endpoint::from_hosts("", "h"),
        Err(EndpointError::RestBase(_))
    ));
    assert!(matches!(
        Endpoint::from_hosts("h", "h/x"),
        Err(EndpointError::Gateway(_))
    ));

    assert_eq!(
        Region::from_id("vip"),
        Err(ParseRegionError::CustomOnly(CustomZone::ChinaVip))
    );
    assert_eq!(
        Region::from_id("CS"),
        Err(ParseRegionError::CustomOnly(CustomZone::CustomerService))
    );
    let message = ParseRegionError::CustomOnly(CustomZone::ChinaVip).to_string();
    assert!(
        message.contains("国内 VIP 区") && message.contains("custom endpoint"),
        "{message}"
    );
    assert_eq!(CustomZone::CustomerService.name_zh(), "客服专用");
}

#[test]
fn ids_round_trip() {
    let ids: Vec<_> = Region::ALL.iter().map(|r| r.id()).collect();
    assert_eq!(
        ids,
        [
            "cn1", "cn2", "cn2-ngi", "sgp1", "sgp2", "use1", "de2", "sw-c1"
        ]
    );
    for region in Region::ALL {
        assert_eq!(region.to_string().parse::<Region>(), Ok(region));
        assert_eq!(Region::from_id(&region.id().to_uppercase()), Ok(region));
        assert_eq!(std::format!("{region:#}"), region.name_en());
    }
    for platform in Platform::ALL {
        assert_eq!(platform.to_string().parse::<Platform>(), Ok(platform));
        assert_eq!(std::format!("{platform:#}"), platform.name_en());
    }
    assert_eq!(Platform::ALL.map(Platform::id), ["alipay", "wechat", "web"]);
    assert_eq!(Region::from_id("cn3"), Err(ParseRegionError::Unknown));
    assert_eq!(Region::from_id(""), Err(ParseRegionError::Unknown));
    assert_eq!(Platform::from_id("qq"), Err(ParsePlatformError));
    let names: BTreeSet<_> = Region::ALL.iter().map(|r| r.name_zh()).collect();
    assert_eq!(names.len(), Region::ALL.len());
    assert_eq!(Region::Use1.name_zh(), "美东 1 区");
}

#[test]
fn legal_domains_parse_and_are_labelled() {
    assert_eq!(legal_domains(Platform::Web, Edition::Current), None);
    assert_eq!(legal_domains(Platform::Web, Edition::Older), None);
    for platform in [Platform::Alipay, Platform::WeChat] {
        for edition in Edition::ALL {
            let lists = legal_domains(platform, edition).unwrap();
            assert_eq!((lists.platform, lists.edition), (platform, edition));
            assert!(!lists.source.is_empty());
            for (kind, domain) in lists.iter() {
                let url = Url::parse(domain.url).unwrap_or_else(|e| panic!("{}: {e}", domain.url));
                assert_eq!(
                    url.scheme(),
                    if kind == DomainKind::Socket {
                        Scheme::Wss
                    } else {
                        Scheme::Https
                    }
                );
            }
            assert!(!lists.request.is_empty() && !lists.socket.is_empty());
        }
    }
    let alipay = legal_domains(Platform::Alipay, Edition::Current).unwrap();
    let urls = |list: &[LegalDomain]| list.iter().map(|d| d.url).collect::<Vec<_>>();
    assert_eq!(
        urls(alipay.socket),
        [
            "wss://im-api-alipay.easemob.com/websocket",
            "wss://im-api-alipay.easecdn.com/websocket",
            "wss://ngi-im-api-wechat.easemob.com/websocket"
        ]
    );
    assert_eq!(urls(alipay.request), urls(alipay.upload_file));
    assert_eq!(urls(alipay.request), urls(alipay.download_file));
    assert_eq!(alipay.request.len(), 8);
    let wechat = legal_domains(Platform::WeChat, Edition::Current).unwrap();
    // Every current WeChat-family gateway of the `cn1`, `cn2-ngi` and overseas presets is listed.
    for region in [
        Region::Cn1,
        Region::Cn2Ngi,
        Region::Sgp1,
        Region::Sgp2,
        Region::Use1,
        Region::De2,
    ] {
        for gateway in region.endpoints(Platform::WeChat).unwrap().gateways() {
            let gateway = gateway.to_string();
            assert!(
                wechat
                    .socket
                    .iter()
                    .any(|d| d.url == gateway && d.regions == [region]),
                "{gateway}"
            );
        }
    }
    let typo = wechat.socket.last().unwrap();
    assert!(typo.url.ends_with("/websocket/websocket") && typo.note.contains("Alipay only"));
    let older = legal_domains(Platform::WeChat, Edition::Older).unwrap();
    assert_eq!(urls(older.upload_file), ["https://a1.easemob.com"]);
    assert_eq!(older.download_file.len(), 8);
    assert!(
        older
            .request
            .iter()
            .any(|d| d.url == "https://a51.easemob.com" && d.regions.is_empty())
    );
}

#[test]
fn legal_domains_per_region() {
    let alipay = legal_domains(Platform::Alipay, Edition::Current).unwrap();
    let sgp1: Vec<_> = alipay
        .for_region(Region::Sgp1)
        .map(|(kind, d)| (kind, d.url))
        .collect();
    assert_eq!(
        sgp1,
        [
            (DomainKind::Request, "https://a1-sgp.easemob.com"),
            (DomainKind::Request, "https://a1-chatfile.easemob.com"),
            (DomainKind::UploadFile, "https://a1-sgp.easemob.com"),
            (DomainKind::UploadFile, "https://a1-chatfile.easemob.com"),
            (DomainKind::DownloadFile, "https://a1-sgp.easemob.com"),
            (DomainKind::DownloadFile, "https://a1-chatfile.easemob.com"),
        ]
    );
    let older = legal_domains(Platform::Alipay, Edition::Older).unwrap();
    let cn2_sockets: Vec<_> = older
        .for_region(Region::Cn2)
        .filter(|(kind, _)| *kind == DomainKind::Socket)
        .map(|(_, d)| d.url)
        .collect();
    assert_eq!(
        cn2_sockets,
        ["wss://im-api-alipay-31.easemob.com/websocket"]
    );
    assert_eq!(
        DomainKind::ALL.map(DomainKind::console_name),
        ["request", "uploadFile", "downloadFile", "socket"]
    );
    assert_eq!(older.of_kind(DomainKind::UploadFile), &[]);
}

#[test]
fn bootstrap_bases() {
    let bases: Vec<_> = bootstrap::default_bases().map(|u| u.to_string()).collect();
    assert_eq!(
        bases,
        ["https://rs.easemob.com/", "https://rs.chat.agora.io/"]
    );
    assert_eq!(
        bootstrap::agora_app_id_base().to_string(),
        "https://ars.chat.agora.io/"
    );
    assert_eq!(bootstrap::SERVER_JSON_PATH, "/easemob/server.json");
    for base in bootstrap::LEGACY_IP_BASES {
        let url = Url::parse(base).unwrap();
        assert!(
            !url.is_tls() && matches!(url.host(), Host::Ipv4(_)),
            "{base}"
        );
    }
    for host in bootstrap::SHENGWANG_C1_HOSTS
        .iter()
        .chain(bootstrap::DEFAULT_HOSTS.iter())
    {
        assert!(Url::parse_host(host).unwrap().is_domain(), "{host}");
    }
}
