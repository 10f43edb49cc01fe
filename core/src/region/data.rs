//! The preset table of PROTOCOL.md §2.2–§2.5 and §2.8.
//!
//! Each line reads like the spec's tables: `hosts!("a61" +cdn)` is `a61.easemob.com`, then
//! `a61.easecdn.com`. Two REST alternates come from the data-centre page rather than the platform
//! tables, and apply to every platform because REST hosts do not depend on the platform:
//! `a1.easecdn.com` for China zone 1 (§2.2) and `a31.easecdn.com` for China zone 2 (§2.2 older
//! pages, §2.4). `hosts!("a1" +dc)` marks them.

use super::endpoint::{Endpoints, FrameEncoding, HostList};
use super::{Platform, Region};

/// A [`HostList`] from a name under `easemob.com`, optionally followed by its `easecdn.com`
/// alternate (`+cdn` from a platform table, `+dc` from the data-centre page).
macro_rules! hosts {
    ($name:literal) => {
        HostList {
            primary: concat!($name, ".easemob.com"),
            alternates: &[],
        }
    };
    ($name:literal + cdn) => {
        HostList {
            primary: concat!($name, ".easemob.com"),
            alternates: &[concat!($name, ".easecdn.com")],
        }
    };
    ($name:literal + dc) => {
        hosts!($name + cdn)
    };
}

/// One preset line: region, platform, REST hosts, gateway hosts, frame encoding.
macro_rules! preset {
    ($region:ident, $platform:ident, $rest:expr, $gateway:expr, $frame:ident) => {
        Endpoints {
            region: Region::$region,
            platform: Platform::$platform,
            rest: $rest,
            gateway: $gateway,
            frame: FrameEncoding::$frame,
        }
    };
}

/// Every preset, region by region.
#[rustfmt::skip]
pub(super) static PRESETS: [Endpoints; 21] = [
    // China zone 1 (§2.2, §2.3, §2.4).
    preset!(Cn1, Alipay, hosts!("a1" + dc), hosts!("im-api-alipay" + cdn), Base64Text),
    preset!(Cn1, WeChat, hosts!("a1" + dc), hosts!("im-api-wechat" + cdn), Binary),
    preset!(Cn1, Web, hosts!("a1" + cdn), hosts!("im-api-v2" + cdn), Binary),
    // China zone 2, integration-page / older-page hosts (§2.5): the default.
    preset!(Cn2, Alipay, hosts!("a31" + dc), hosts!("im-api-alipay-31" + cdn), Base64Text),
    preset!(Cn2, WeChat, hosts!("a31" + dc), hosts!("im-api-wechat-31" + cdn), Binary),
    preset!(Cn2, Web, hosts!("a31" + cdn), hosts!("im-api-v2-31" + cdn), Binary),
    // China zone 2, current-page `ngi-*` hosts (§2.2, §2.3, §2.5): one WeChat-family socket.
    preset!(Cn2Ngi, Alipay, hosts!("ngi-a1"), hosts!("ngi-im-api-wechat"), Binary),
    preset!(Cn2Ngi, WeChat, hosts!("ngi-a1"), hosts!("ngi-im-api-wechat"), Binary),
    // Singapore zone 1.
    preset!(Sgp1, Alipay, hosts!("a1-sgp" + cdn), hosts!("im-api-alipay-sgp" + cdn), Base64Text),
    preset!(Sgp1, WeChat, hosts!("a1-sgp" + cdn), hosts!("im-api-wechat-sgp" + cdn), Binary),
    preset!(Sgp1, Web, hosts!("a1-sgp" + cdn), hosts!("im-api-sgp-v2" + cdn), Binary),
    // Singapore zone 2: the web table gives no REST CDN.
    preset!(Sgp2, Alipay, hosts!("a61" + cdn), hosts!("im-api-alipay-61" + cdn), Base64Text),
    preset!(Sgp2, WeChat, hosts!("a61" + cdn), hosts!("im-api-wechat-61" + cdn), Binary),
    preset!(Sgp2, Web, hosts!("a61"), hosts!("msync-api-61" + cdn), Binary),
    // US East zone 1.
    preset!(Use1, Alipay, hosts!("a41" + cdn), hosts!("im-api-alipay-41" + cdn), Base64Text),
    preset!(Use1, WeChat, hosts!("a41" + cdn), hosts!("im-api-wechat-41" + cdn), Binary),
    preset!(Use1, Web, hosts!("a41"), hosts!("msync-api-41" + cdn), Binary),
    // Germany zone 2.
    preset!(De2, Alipay, hosts!("a71" + cdn), hosts!("im-api-alipay-71" + cdn), Base64Text),
    preset!(De2, WeChat, hosts!("a71" + cdn), hosts!("im-api-wechat-71" + cdn), Binary),
    preset!(De2, Web, hosts!("a71"), hosts!("msync-api-71" + cdn), Binary),
    // Shengwang c1 (§2.8), UNCONFIRMED, Alipay page only.
    preset!(
        ShengwangC1,
        Alipay,
        HostList { primary: "c1.chat.rtnsvc.com", alternates: &["c1.chat.realtimemesh.com"] },
        HostList {
            primary: "im-api-alipay-c1.chat.rtnsvc.com",
            alternates: &["im-api-alipay-c1.chat.realtimemesh.com"],
        },
        Base64Text
    ),
];
