//! Endpoints: where the REST calls and the msync WebSocket go, and how its frames are encoded.

use core::fmt;

use super::{Platform, Region};
use crate::url::{self, Host, Scheme, Url, UrlError};

/// The path of every published gateway URL: `wss://{host}/websocket`, no query (PROTOCOL.md §5.1).
pub const GATEWAY_PATH: &str = "/websocket";

/// How msync frames travel inside WebSocket messages (PROTOCOL.md §5.3).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum FrameEncoding {
    /// Binary messages holding the raw `MSync` bytes (web, WeChat family, everything but Alipay
    /// gateways).
    #[default]
    Binary,
    /// Text messages holding the standard base64 (RFC 4648, padded) of the `MSync` bytes, as the
    /// Alipay mini-program SDK sends to `im-api-alipay*` gateways. Received frames of either kind
    /// are accepted whatever the encoding; this only chooses what is sent.
    Base64Text,
}

impl FrameEncoding {
    /// The default for a gateway host: [`FrameEncoding::Base64Text`] for host names starting with
    /// `im-api-alipay` (ASCII case ignored; this includes the Shengwang `im-api-alipay-c1.chat.*`
    /// hosts), [`FrameEncoding::Binary`] for every other name and for IP addresses.
    ///
    /// `ngi-im-api-wechat`, which the current docs also give as Alipay's China zone 2 socket, is a
    /// WeChat-family host and gets binary.
    pub fn for_host(host: &Host<'_>) -> FrameEncoding {
        const ALIPAY_PREFIX: &str = "im-api-alipay";
        match host {
            Host::Domain(name)
                if name
                    .get(..ALIPAY_PREFIX.len())
                    .is_some_and(|start| start.eq_ignore_ascii_case(ALIPAY_PREFIX)) =>
            {
                FrameEncoding::Base64Text
            }
            _ => FrameEncoding::Binary,
        }
    }
}

impl fmt::Display for FrameEncoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FrameEncoding::Binary => "binary",
            FrameEncoding::Base64Text => "base64 text",
        })
    }
}

/// A non-empty list of host names: the primary, then alternates in the order to try them after it
/// fails (usually the same name under `easecdn.com`, marked +cdn in PROTOCOL.md §2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct HostList {
    /// The host to try first.
    pub primary: &'static str,
    /// The hosts to try after the primary, in order.
    pub alternates: &'static [&'static str],
}

impl HostList {
    /// Every host, primary first.
    pub fn iter(&self) -> impl Iterator<Item = &'static str> + Clone + use<> {
        core::iter::once(self.primary).chain(self.alternates.iter().copied())
    }

    /// The number of hosts (at least 1).
    pub const fn len(&self) -> usize {
        self.alternates.len().saturating_add(1)
    }

    /// Always `false`: a host list has a primary. Provided for symmetry with [`HostList::len`].
    pub const fn is_empty(&self) -> bool {
        false
    }

    /// The host at `index` (0 is the primary), if there is one.
    pub fn get(&self, index: usize) -> Option<&'static str> {
        match index.checked_sub(1) {
            None => Some(self.primary),
            Some(alternate) => self.alternates.get(alternate).copied(),
        }
    }

    /// Each host as a URL with `scheme`, default port and `path`.
    pub fn urls(
        &self,
        scheme: Scheme,
        path: &'static str,
    ) -> impl Iterator<Item = Url<'static>> + Clone + use<> {
        self.iter().map(move |host| Url::preset(scheme, host, path))
    }
}

/// A preset: the published hosts of one data centre for one platform.
///
/// REST bases are `https://{host}`, gateways `wss://{host}/websocket`; both lists are tried in
/// order. A mini program must also register these hosts as legal domains (REST hosts for
/// request/uploadFile/downloadFile, gateway URLs for socket); see [`mod@super::legal_domains`] for the
/// lists as published.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Endpoints {
    /// The data centre.
    pub region: Region,
    /// The platform the gateways are for.
    pub platform: Platform,
    /// REST hosts.
    pub rest: HostList,
    /// Gateway hosts.
    pub gateway: HostList,
    /// The frame encoding every gateway of this preset expects (by [`FrameEncoding::for_host`]).
    pub frame: FrameEncoding,
}

impl Endpoints {
    /// The REST bases, `https://{host}`, primary first.
    pub fn rest_bases(&self) -> impl Iterator<Item = Url<'static>> + Clone + use<> {
        self.rest.urls(Scheme::Https, "/")
    }

    /// The gateway URLs, `wss://{host}/websocket`, primary first.
    pub fn gateways(&self) -> impl Iterator<Item = Url<'static>> + Clone + use<> {
        self.gateway.urls(Scheme::Wss, GATEWAY_PATH)
    }

    /// The endpoint made of the REST host at `rest_index` and the gateway at `gateway_index`
    /// (0 = primary), if both exist.
    pub fn endpoint(&self, rest_index: usize, gateway_index: usize) -> Option<Endpoint<'static>> {
        let rest = self.rest.get(rest_index)?;
        let gateway = self.gateway.get(gateway_index)?;
        Some(Endpoint {
            rest_base: Url::preset(Scheme::Https, rest, "/"),
            gateway: Url::preset(Scheme::Wss, gateway, GATEWAY_PATH),
            frame: self.frame,
        })
    }

    /// The primary REST base and primary gateway.
    pub fn primary(&self) -> Endpoint<'static> {
        Endpoint {
            rest_base: Url::preset(Scheme::Https, self.rest.primary, "/"),
            gateway: Url::preset(Scheme::Wss, self.gateway.primary, GATEWAY_PATH),
            frame: self.frame,
        }
    }
}

/// One concrete place to connect to: a REST base, a gateway URL and the frame encoding to send.
///
/// Comes from a preset ([`Endpoints::primary`], [`Endpoints::endpoint`]) or is custom
/// ([`Endpoint::custom`], [`Endpoint::from_hosts`], [`Endpoint::new`]): any host, non-443 ports,
/// and `http://` / `ws://` for lab servers and the devserver. Custom endpoints are how the China
/// VIP and customer-service zones are used: their hosts are not published
/// ([`super::CustomZone`]). Hosts learnt from `server.json` at run time become endpoints the same
/// way.
///
/// REST requests go to `{rest_base}` with its path as a prefix ([`Endpoint::rest_prefix`]), e.g.
/// `POST {prefix}/{org}/{app}/token`. The gateway URL is used as is; published gateways have path
/// `/websocket` and no query (PROTOCOL.md §5.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Endpoint<'a> {
    /// The REST base (`http` or `https`, no query).
    pub rest_base: Url<'a>,
    /// The gateway (`ws` or `wss`).
    pub gateway: Url<'a>,
    /// How frames are sent to the gateway.
    pub frame: FrameEncoding,
}

/// Why a REST base and gateway do not make an [`Endpoint`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum EndpointError {
    /// The REST base does not parse.
    RestBase(UrlError),
    /// The gateway URL does not parse.
    Gateway(UrlError),
    /// The REST base is not `http` or `https`.
    RestBaseNotHttp,
    /// The REST base has a query, which REST paths could not be appended to.
    RestBaseHasQuery,
    /// The gateway is not `ws` or `wss`.
    GatewayNotWebSocket,
}

impl fmt::Display for EndpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EndpointError::RestBase(error) => write!(f, "REST base: {error}"),
            EndpointError::Gateway(error) => write!(f, "gateway URL: {error}"),
            EndpointError::RestBaseNotHttp => f.write_str("REST base must be http:// or https://"),
            EndpointError::RestBaseHasQuery => f.write_str("REST base must not have a query"),
            EndpointError::GatewayNotWebSocket => {
                f.write_str("gateway URL must be ws:// or wss://")
            }
        }
    }
}

impl core::error::Error for EndpointError {}

impl<'a> Endpoint<'a> {
    /// An endpoint from parsed URLs, with the frame encoding of [`FrameEncoding::for_host`].
    pub fn new(rest_base: Url<'a>, gateway: Url<'a>) -> Result<Endpoint<'a>, EndpointError> {
        if rest_base.scheme().is_websocket() {
            return Err(EndpointError::RestBaseNotHttp);
        }
        if rest_base.query().is_some() {
            return Err(EndpointError::RestBaseHasQuery);
        }
        if !gateway.scheme().is_websocket() {
            return Err(EndpointError::GatewayNotWebSocket);
        }
        let frame = FrameEncoding::for_host(&gateway.host());
        Ok(Endpoint {
            rest_base,
            gateway,
            frame,
        })
    }

    /// An endpoint from two URLs as text, e.g. `http://127.0.0.1:8080` and
    /// `ws://127.0.0.1:8080/websocket`, with the frame encoding of [`FrameEncoding::for_host`].
    pub fn custom(rest_base: &'a str, gateway: &'a str) -> Result<Endpoint<'a>, EndpointError> {
        let rest_base = Url::parse(rest_base).map_err(EndpointError::RestBase)?;
        let gateway = Url::parse(gateway).map_err(EndpointError::Gateway)?;
        Endpoint::new(rest_base, gateway)
    }

    /// An endpoint from two host names, as the account manager gives them for a VIP zone and as
    /// the tables list them: `https://{rest_host}` and `wss://{gateway_host}/websocket`. Each may
    /// carry a `:port` (`10.0.0.5:8443`, `[::1]:9443`).
    pub fn from_hosts(
        rest_host: &'a str,
        gateway_host: &'a str,
    ) -> Result<Endpoint<'a>, EndpointError> {
        let (host, port) = url::split_authority(rest_host).map_err(EndpointError::RestBase)?;
        let rest_base = Url::from_parts(Scheme::Https, host, port, "/", None)
            .map_err(EndpointError::RestBase)?;
        let (host, port) = url::split_authority(gateway_host).map_err(EndpointError::Gateway)?;
        let gateway = Url::from_parts(Scheme::Wss, host, port, GATEWAY_PATH, None)
            .map_err(EndpointError::Gateway)?;
        Endpoint::new(rest_base, gateway)
    }

    /// The same endpoint sending frames as `frame` instead (an override of the host rule).
    #[must_use]
    pub const fn with_frame(self, frame: FrameEncoding) -> Endpoint<'a> {
        Endpoint { frame, ..self }
    }

    /// The REST base's path without a trailing `/` (empty for a base without a path), to which
    /// REST paths such as `/{org}/{app}/token` are appended.
    pub fn rest_prefix(&self) -> &'a str {
        self.rest_base.path().trim_end_matches('/')
    }
}
