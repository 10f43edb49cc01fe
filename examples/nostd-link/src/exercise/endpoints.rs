//! URLs, the region table, custom endpoints and app keys.

use core::fmt::Write;
use core::hint::black_box;

use msync_core::app::AppKey;
use msync_core::region::{self, Edition, Endpoint, FrameEncoding, Platform, Region};
use msync_core::url::Url;

use super::Text;

pub(crate) fn url() -> bool {
    let Ok(url) = Url::parse(black_box("wss://[::1]:9443/websocket?x=1")) else {
        return false;
    };
    let mut host = Text::<64>::new();
    let written = write!(host, "{}", url.host_header()).is_ok();
    written && host.as_bytes() == b"[::1]:9443" && url.query() == Some("x=1")
}

pub(crate) fn region() -> bool {
    let Ok(region) = black_box("sgp2").parse::<Region>() else {
        return false;
    };
    let Ok(platform) = black_box("alipay").parse::<Platform>() else {
        return false;
    };
    let Some(preset) = region.endpoints(platform) else {
        return false;
    };
    let endpoint = preset.primary();
    let mut gateway = Text::<96>::new();
    let written = write!(gateway, "{}", endpoint.gateway).is_ok();
    let domains = region::legal_domains(platform, Edition::Current)
        .map_or(0, |lists| lists.for_region(region).count());
    let custom = Endpoint::custom(
        black_box("http://127.0.0.1:8080"),
        black_box("ws://127.0.0.1:8080/websocket"),
    );
    written
        && gateway.as_bytes() == b"wss://im-api-alipay-61.easemob.com/websocket"
        && endpoint.frame == FrameEncoding::Base64Text
        && black_box(domains) > 0
        && custom.is_ok_and(|c| c.frame == FrameEncoding::Binary)
}

pub(crate) fn app_key() -> bool {
    let Ok(key) = AppKey::parse(black_box("easemob-demo#chatdemoui")) else {
        return false;
    };
    let mut query = Text::<64>::new();
    let written = write!(query, "{}", key.query_value()).is_ok();
    written && query.as_bytes() == b"easemob-demo%23chatdemoui" && key.app() == "chatdemoui"
}
