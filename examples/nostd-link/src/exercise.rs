//! Calls into the core with opaque inputs and checks the results.

use core::fmt::Write;
use core::hint::black_box;

use msync_core::app::AppKey;
use msync_core::region::{self, Edition, Endpoint, FrameEncoding, Platform, Region};
use msync_core::url::Url;
use msync_core::wire::msync::{Body, Command, Encode, EncryptType, Inflater, MSync, Repeated};

/// Runs every exercise; returns how many failed.
pub(crate) fn all() -> u32 {
    let checks = [
        url(),
        region(),
        app_key(),
        msync_encode(),
        msync_decode_zlib(),
    ];
    checks.into_iter().map(|ok| u32::from(!ok)).sum()
}

/// A fixed-size text buffer for `core::fmt` output.
struct Text<const N: usize> {
    bytes: [u8; N],
    len: usize,
}

impl<const N: usize> Text<N> {
    fn new() -> Self {
        Text {
            bytes: [0; N],
            len: 0,
        }
    }

    fn as_bytes(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or(&[])
    }
}

impl<const N: usize> Write for Text<N> {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        let end = self.len.checked_add(s.len()).ok_or(core::fmt::Error)?;
        let slot = self.bytes.get_mut(self.len..end).ok_or(core::fmt::Error)?;
        slot.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

fn url() -> bool {
    let Ok(url) = Url::parse(black_box("wss://[::1]:9443/websocket?x=1")) else {
        return false;
    };
    let mut host = Text::<64>::new();
    let written = write!(host, "{}", url.host_header()).is_ok();
    written && host.as_bytes() == b"[::1]:9443" && url.query() == Some("x=1")
}

fn region() -> bool {
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

fn app_key() -> bool {
    let Ok(key) = AppKey::parse(black_box("easemob-demo#chatdemoui")) else {
        return false;
    };
    let mut query = Text::<64>::new();
    let written = write!(query, "{}", key.query_value()).is_ok();
    written && query.as_bytes() == b"easemob-demo%23chatdemoui" && key.app() == "chatdemoui"
}

/// Golden vector `unread_up`: the heartbeat frame.
const UNREAD_UP: [u8; 15] = [
    0x40, 0x01, 0x58, 0x00, 0xa0, 0x01, 0x81, 0xa0, 0x80, 0x80, 0xa0, 0xab, 0xfe, 0xf9, 0x62,
];

fn msync_encode() -> bool {
    let frame = MSync {
        command: Some(Command::UNREAD),
        encrypt_type: Repeated::from(&[EncryptType::ENCRYPT_NONE]),
        trace_id: Some(black_box(7_130_316_800_000_004_097)),
        ..MSync::EMPTY
    };
    let mut buf = [0u8; 64];
    let Ok(len) = frame.encode(&mut buf) else {
        return false;
    };
    black_box(&buf).get(..len) == Some(&UNREAD_UP[..])
}

/// Golden vector `sync_batch_down_zlib`: a batch whose payload is a zlib stream.
const SYNC_BATCH_DOWN_ZLIB: [u8; 109] = [
    0x20, 0x01, 0x40, 0x00, 0x4a, 0x67, 0x78, 0xda, 0xe3, 0x62, 0xe2, 0x60, 0x50, 0xca, 0xe3, 0x58,
    0xe9, 0x26, 0x24, 0xcf, 0xc5, 0x9e, 0x5f, 0x94, 0xae, 0x9c, 0x58, 0x50, 0x20, 0xc4, 0x9c, 0x94,
    0x9f, 0x24, 0xc5, 0x9d, 0x9a, 0x58, 0x9c, 0x9a, 0x9b, 0x9f, 0xa4, 0x97, 0x9c, 0x9f, 0xab, 0xc4,
    0x54, 0x64, 0x24, 0x25, 0x8b, 0x50, 0xc0, 0x9a, 0x98, 0x93, 0x99, 0x9c, 0x8a, 0xa2, 0x44, 0xa1,
    0xe1, 0xc2, 0xd4, 0xff, 0x7b, 0x0c, 0x35, 0x18, 0x8d, 0x14, 0x38, 0x18, 0x85, 0x58, 0x21, 0x66,
    0xb0, 0x43, 0x55, 0x2a, 0xf1, 0x70, 0x30, 0x08, 0x71, 0x64, 0xe6, 0x01, 0xd5, 0x65, 0xe6, 0xa5,
    0x6b, 0x68, 0x19, 0xe1, 0x37, 0xcb, 0x82, 0x01, 0x00, 0x36, 0x0c, 0x2a, 0x46,
];

fn msync_decode_zlib() -> bool {
    let Ok(frame) = MSync::decode(black_box(&SYNC_BATCH_DOWN_ZLIB[..])) else {
        return false;
    };
    let mut inflater = Inflater::new();
    let mut plain = [0u8; 512];
    let Ok(Body::SyncDl(batch)) = frame.body_inflated(&mut inflater, &mut plain) else {
        return false;
    };
    black_box(batch.metas.iter().count()) == 1
        && batch.next_key == Some(42)
        && batch.is_last == Some(false)
}
