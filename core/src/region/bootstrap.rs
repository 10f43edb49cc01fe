//! Bootstrap (`server.json`) bases (PROTOCOL.md §3.1, §2.8).
//!
//! The bootstrap is optional with an app key (the mini-program docs turn it off and set hosts by
//! hand) and required with a Shengwang App ID, whose reply carries the app key. A request is
//! `GET {base}/easemob/server.json?app_key=org%23app` (or `?app_id=…`).

use super::endpoint::HostList;
use crate::url::{Scheme, Url};

/// The path of the bootstrap document under every base.
pub const SERVER_JSON_PATH: &str = "/easemob/server.json";

/// The client's default bootstrap hosts, tried in order over `https`: `rs.easemob.com`, then
/// `rs.chat.agora.io` (the two `https` bases of the official JS SDK).
pub const DEFAULT_HOSTS: HostList = HostList {
    primary: "rs.easemob.com",
    alternates: &["rs.chat.agora.io"],
};

/// The only bootstrap host of the older Agora-branded SDK (agora-chat 1.4.0), `ars.chat.agora.io`,
/// which Agora App ID apps used. Not tried by default; configure it when `DEFAULT_HOSTS` fail for
/// an App ID.
pub const AGORA_APP_ID_HOST: &str = "ars.chat.agora.io";

/// Probable bootstrap hosts of the Shengwang `c1` deployment (listed by one version of the
/// Shengwang Alipay page; UNCONFIRMED, PROTOCOL.md §2.8). Used only when configured, together with
/// [`super::Region::ShengwangC1`].
pub const SHENGWANG_C1_HOSTS: HostList = HostList {
    primary: "rs.chat.rtnsvc.com",
    alternates: &["rs.chat.realtimemesh.com"],
};

/// Plain-`http` IP bases that the official JS SDK tries after the `https` ones. A client uses them
/// only when explicitly configured: they are unauthenticated.
pub const LEGACY_IP_BASES: [&str; 3] = [
    "http://59.110.89.59",
    "http://39.97.193.190",
    "http://39.97.193.187",
];

/// The default bootstrap bases as URLs, `https://rs.easemob.com` then `https://rs.chat.agora.io`.
pub fn default_bases() -> impl Iterator<Item = Url<'static>> + Clone {
    DEFAULT_HOSTS.urls(Scheme::Https, "/")
}

/// The Agora App ID bootstrap base, `https://ars.chat.agora.io`.
pub const fn agora_app_id_base() -> Url<'static> {
    Url::preset(Scheme::Https, AGORA_APP_ID_HOST, "/")
}
