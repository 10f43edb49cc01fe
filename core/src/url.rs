//! A small, allocation-free URL parser for the four schemes the client speaks: `ws`, `wss`, `http`
//! and `https`.
//!
//! It parses `scheme://host[:port][/path][?query]` into a [`Url`] that borrows from the input. The
//! host is a DNS name, an IPv4 address or a bracketed IPv6 address; the port defaults by scheme.
//! User info (`user@`), fragments (`#...`), non-ASCII text, spaces and control characters are
//! rejected with a typed [`UrlError`]: none of them has a place in a REST base or gateway URL, and
//! rejecting them keeps what the client sends on the wire unambiguous. Parsing never panics.

use core::fmt;
use core::net::{Ipv4Addr, Ipv6Addr};
use core::str::FromStr;

use crate::wire::http::{self, Authority, HostSyntax, HostSyntaxError};

/// A URL scheme the client can connect with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Scheme {
    /// Plain WebSocket (`ws://`): lab servers only.
    Ws,
    /// WebSocket over TLS (`wss://`).
    Wss,
    /// Plain HTTP (`http://`): lab servers only.
    Http,
    /// HTTP over TLS (`https://`).
    Https,
}

impl Scheme {
    /// Every scheme, in declaration order.
    pub const ALL: [Scheme; 4] = [Scheme::Ws, Scheme::Wss, Scheme::Http, Scheme::Https];

    /// The scheme as written in a URL, lower case and without `://`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Scheme::Ws => "ws",
            Scheme::Wss => "wss",
            Scheme::Http => "http",
            Scheme::Https => "https",
        }
    }

    /// The port used when the URL names none: 443 with TLS, 80 without.
    pub const fn default_port(self) -> u16 {
        if self.is_tls() { 443 } else { 80 }
    }

    /// Whether the connection runs over TLS (`wss`, `https`).
    pub const fn is_tls(self) -> bool {
        matches!(self, Scheme::Wss | Scheme::Https)
    }

    /// Whether this is a WebSocket scheme (`ws`, `wss`) rather than an HTTP one.
    pub const fn is_websocket(self) -> bool {
        matches!(self, Scheme::Ws | Scheme::Wss)
    }

    /// Parses a scheme name, ignoring ASCII case (`WSS` is `wss`).
    fn from_name(name: &str) -> Option<Scheme> {
        Scheme::ALL
            .into_iter()
            .find(|scheme| scheme.as_str().eq_ignore_ascii_case(name))
    }
}

impl fmt::Display for Scheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The host part of a URL.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Host<'a> {
    /// A DNS name as written (letters, digits, `-`, `_`, dots between labels).
    Domain(&'a str),
    /// An IPv4 address in dotted-decimal form.
    Ipv4(Ipv4Addr),
    /// An IPv6 address; written in brackets in a URL (`[::1]`).
    Ipv6(Ipv6Addr),
}

impl Host<'_> {
    /// Whether this host is the name or address a Host header and TLS name check should carry
    /// as a DNS name (as opposed to an IP literal).
    pub const fn is_domain(&self) -> bool {
        matches!(self, Host::Domain(_))
    }
}

#[cfg(feature = "defmt")]
impl defmt::Format for Host<'_> {
    fn format(&self, f: defmt::Formatter<'_>) {
        match self {
            Host::Domain(name) => defmt::write!(f, "{=str}", name),
            Host::Ipv4(addr) => {
                let [a, b, c, d] = addr.octets();
                defmt::write!(f, "{}.{}.{}.{}", a, b, c, d);
            }
            Host::Ipv6(addr) => defmt::write!(f, "[{:x}]", addr.segments()),
        }
    }
}

impl fmt::Display for Host<'_> {
    /// Writes the host as it appears in a URL: IPv6 addresses in brackets.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Host::Domain(name) => f.write_str(name),
            Host::Ipv4(addr) => write!(f, "{addr}"),
            Host::Ipv6(addr) => write!(f, "[{addr}]"),
        }
    }
}

/// Why a string is not a URL the client accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum UrlError {
    /// No `://` after a scheme name.
    MissingScheme,
    /// The scheme is none of `ws`, `wss`, `http`, `https`.
    UnsupportedScheme,
    /// The authority carries user info (`user@host`), which the client never sends.
    UserInfo,
    /// Nothing between `://` and the port, path or end.
    EmptyHost,
    /// The host is not a valid DNS name or IPv4 address.
    InvalidHost,
    /// The text inside `[...]` is not an IPv6 address, or the brackets are unbalanced.
    InvalidIpv6,
    /// The port is empty, not decimal, zero or above 65535.
    InvalidPort,
    /// The path or query holds a character outside visible ASCII (space, control, non-ASCII).
    InvalidCharacter,
    /// The URL has a fragment (`#...`), which has no meaning for a connection.
    Fragment,
}

impl fmt::Display for UrlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            UrlError::MissingScheme => "missing scheme (expected e.g. wss://)",
            UrlError::UnsupportedScheme => "unsupported scheme (expected ws, wss, http or https)",
            UrlError::UserInfo => "user info (user@host) is not supported",
            UrlError::EmptyHost => "empty host",
            UrlError::InvalidHost => "invalid host name",
            UrlError::InvalidIpv6 => "invalid bracketed IPv6 address",
            UrlError::InvalidPort => "invalid port (expected 1..=65535)",
            UrlError::InvalidCharacter => "invalid character (only visible ASCII is allowed)",
            UrlError::Fragment => "fragments (#...) are not supported",
        })
    }
}

impl core::error::Error for UrlError {}

/// A parsed `ws`, `wss`, `http` or `https` URL borrowing from its text.
///
/// The host is kept both as written ([`Url::host_str`], for `Host` headers and TLS names) and
/// parsed ([`Url::host`], for connecting). The port is always known (explicit, or the scheme's
/// default); the path always starts with `/` (an absent path is `/`). Two URLs that differ only
/// in spelling a default port (`wss://h:443/` and `wss://h/`) are equal, and `Display` writes the
/// short form.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Url<'a> {
    scheme: Scheme,
    host_text: &'a str,
    host: Host<'a>,
    port: u16,
    path: &'a str,
    query: Option<&'a str>,
}

impl<'a> Url<'a> {
    /// Parses `scheme://host[:port][/path][?query]`.
    ///
    /// The scheme is matched without regard to ASCII case; everything else is kept as written.
    pub fn parse(text: &'a str) -> Result<Url<'a>, UrlError> {
        let (scheme, rest) = text.split_once("://").ok_or(UrlError::MissingScheme)?;
        let scheme = Scheme::from_name(scheme).ok_or(UrlError::UnsupportedScheme)?;
        if rest.contains('#') {
            return Err(UrlError::Fragment);
        }
        let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
        let (authority, path_and_query) =
            rest.split_at_checked(authority_end).unwrap_or((rest, ""));
        let (host, port) = split_authority(authority)?;
        let (path, query) = match path_and_query.split_once('?') {
            Some((path, query)) => (path, Some(query)),
            None => (path_and_query, None),
        };
        let path = if path.is_empty() { "/" } else { path };
        Url::from_parts(scheme, host, port, path, query)
    }

    /// Builds a URL from parts, checking each as [`Url::parse`] would.
    ///
    /// `host` is written as in a URL (`example.com`, `10.0.0.1`, `[::1]`); `port` `None` means
    /// the scheme's default; `path` must be empty or start with `/` (empty becomes `/`). Useful
    /// when a host comes from configuration or `server.json` rather than as a whole URL.
    pub fn from_parts(
        scheme: Scheme,
        host: &'a str,
        port: Option<u16>,
        path: &'a str,
        query: Option<&'a str>,
    ) -> Result<Url<'a>, UrlError> {
        let host_text = host;
        let host = Url::parse_host(host_text)?;
        let port = match port {
            Some(0) => return Err(UrlError::InvalidPort),
            Some(port) => port,
            None => scheme.default_port(),
        };
        let path = if path.is_empty() { "/" } else { path };
        if !path.starts_with('/') || !is_visible_ascii(path) || path.contains(['?', '#']) {
            return Err(UrlError::InvalidCharacter);
        }
        if let Some(query) = query {
            if query.contains('#') {
                return Err(UrlError::Fragment);
            }
            if !is_visible_ascii(query) {
                return Err(UrlError::InvalidCharacter);
            }
        }
        Ok(Url {
            scheme,
            host_text,
            host,
            port,
            path,
            query,
        })
    }

    /// A URL for a host name the crate's own tables vouch for (the tests parse every one).
    ///
    /// Skips validation so that preset tables need no fallible code path at run time.
    pub(crate) const fn preset(scheme: Scheme, host: &'a str, path: &'a str) -> Url<'a> {
        Url {
            scheme,
            host_text: host,
            host: Host::Domain(host),
            port: scheme.default_port(),
            path,
            query: None,
        }
    }

    /// Parses a host name or address as it would appear in a URL (`example.com`, `10.0.0.1`,
    /// `[::1]`), without scheme or port.
    /// A name whose last label is all digits is rejected: it reads as a malformed IPv4
    /// address. The same check serves request authorities and `server.json` hosts.
    pub fn parse_host(text: &'a str) -> Result<Host<'a>, UrlError> {
        match http::parse_host(text) {
            Ok(HostSyntax::Domain) => Ok(Host::Domain(text)),
            Ok(HostSyntax::Ipv4(address)) => Ok(Host::Ipv4(address)),
            Ok(HostSyntax::Ipv6(address)) => Ok(Host::Ipv6(address)),
            Err(HostSyntaxError::Empty) => Err(UrlError::EmptyHost),
            Err(HostSyntaxError::InvalidIpv6) => Err(UrlError::InvalidIpv6),
            Err(HostSyntaxError::Invalid) => Err(UrlError::InvalidHost),
        }
    }

    /// The scheme.
    pub const fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// The host, parsed: a name to resolve or an address to connect to.
    pub const fn host(&self) -> Host<'a> {
        self.host
    }

    /// The host as written in the URL, IPv6 addresses in brackets (`[::1]`): the text for a
    /// `Host` header or [`crate::wire::http::Authority::host`].
    pub const fn host_str(&self) -> &'a str {
        self.host_text
    }

    /// The port: the one written in the URL, or the scheme's default.
    pub const fn port(&self) -> u16 {
        self.port
    }

    /// Whether the port is the scheme's default (and so is left out of `Display` and the Host
    /// header).
    pub const fn has_default_port(&self) -> bool {
        self.port == self.scheme.default_port()
    }

    /// The path, starting with `/`; `/` when the URL has none.
    pub const fn path(&self) -> &'a str {
        self.path
    }

    /// The query without its `?`, if the URL has one.
    pub const fn query(&self) -> Option<&'a str> {
        self.query
    }

    /// Whether the connection runs over TLS (`wss`, `https`).
    pub const fn is_tls(&self) -> bool {
        self.scheme.is_tls()
    }

    /// The host and port in the form the HTTP and WebSocket request writers take.
    pub const fn authority(&self) -> Authority<'a> {
        Authority::new(self.host_text, self.port, self.is_tls())
    }

    /// The value of an HTTP `Host` header for this URL: the host (IPv6 in brackets) followed by
    /// `:port` only when the port is not the scheme's default.
    pub const fn host_header(&self) -> HostHeader<'a> {
        HostHeader(self.authority())
    }

    /// The request target of an HTTP request line for this URL: the path, plus `?query` if any.
    pub const fn request_target(&self) -> RequestTarget<'a> {
        RequestTarget {
            path: self.path,
            query: self.query,
        }
    }
}

impl fmt::Display for Url<'_> {
    /// Writes `scheme://host[:port]path[?query]`, the port only when it is not the default.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}://{}{}",
            self.scheme,
            self.host_header(),
            self.request_target()
        )
    }
}

/// Formats the value of an HTTP `Host` header; see [`Url::host_header`]. The request writers'
/// [`Authority`], as text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct HostHeader<'a>(Authority<'a>);

impl fmt::Display for HostHeader<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Formats the request target (path and query) of a URL; see [`Url::request_target`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct RequestTarget<'a> {
    path: &'a str,
    query: Option<&'a str>,
}

impl fmt::Display for RequestTarget<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.path)?;
        if let Some(query) = self.query {
            write!(f, "?{query}")?;
        }
        Ok(())
    }
}

/// Splits `host[:port]` (or `[v6][:port]`) into the host text and an optional port, checking
/// both.
pub(crate) fn split_authority(authority: &str) -> Result<(&str, Option<u16>), UrlError> {
    if authority.contains('@') {
        return Err(UrlError::UserInfo);
    }
    let (host, port) = if authority.starts_with('[') {
        let close = authority.find(']').ok_or(UrlError::InvalidIpv6)?;
        let (host, after) = authority
            .split_at_checked(close.saturating_add(1))
            .ok_or(UrlError::InvalidIpv6)?;
        match after {
            "" => (host, None),
            _ => (
                host,
                Some(after.strip_prefix(':').ok_or(UrlError::InvalidIpv6)?),
            ),
        }
    } else {
        match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    Url::parse_host(host)?;
    let port = port.map(parse_port).transpose()?;
    Ok((host, port))
}

/// Parses a decimal port in 1..=65535.
fn parse_port(text: &str) -> Result<u16, UrlError> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(UrlError::InvalidPort);
    }
    match u16::from_str(text) {
        Ok(0) | Err(_) => Err(UrlError::InvalidPort),
        Ok(port) => Ok(port),
    }
}

/// Whether every byte is visible ASCII (`!` to `~`): no space, control or non-ASCII byte.
fn is_visible_ascii(text: &str) -> bool {
    text.bytes().all(|b| b.is_ascii_graphic())
}

#[cfg(test)]
mod tests {
    extern crate std;
    use std::format;
    use std::string::{String, ToString};

    use proptest::prelude::*;

    use super::*;

    #[test]
    fn parses_a_gateway_url() {
        let url = Url::parse("wss://im-api-alipay.easemob.com/websocket").unwrap();
        assert_eq!(url.scheme(), Scheme::Wss);
        assert_eq!(url.host(), Host::Domain("im-api-alipay.easemob.com"));
        assert_eq!(url.port(), 443);
        assert!(url.has_default_port());
        assert_eq!(url.path(), "/websocket");
        assert_eq!(url.query(), None);
        assert!(url.is_tls());
        assert_eq!(url.host_header().to_string(), "im-api-alipay.easemob.com");
        assert_eq!(url.request_target().to_string(), "/websocket");
    }

    #[test]
    fn default_and_explicit_ports() {
        for (text, port, host_header) in [
            ("https://a1.easemob.com", 443, "a1.easemob.com"),
            ("https://a1.easemob.com:443", 443, "a1.easemob.com"),
            ("https://a1.easemob.com:8443", 8443, "a1.easemob.com:8443"),
            ("http://localhost", 80, "localhost"),
            ("http://localhost:80/", 80, "localhost"),
            ("ws://127.0.0.1:8080/websocket", 8080, "127.0.0.1:8080"),
            ("ws://127.0.0.1/websocket", 80, "127.0.0.1"),
            ("wss://[::1]:9443/websocket", 9443, "[::1]:9443"),
            ("wss://[::1]/websocket", 443, "[::1]"),
            ("ws://[2001:db8::1]:443", 443, "[2001:db8::1]:443"),
            ("http://h:65535", 65535, "h:65535"),
        ] {
            let url = Url::parse(text).unwrap();
            assert_eq!(url.port(), port, "{text}");
            assert_eq!(url.host_header().to_string(), host_header, "{text}");
            assert_eq!(url.authority().to_string(), host_header, "{text}");
        }
    }

    #[test]
    fn hosts_of_each_kind() {
        assert_eq!(
            Url::parse("http://10.0.0.1").unwrap().host(),
            Host::Ipv4(Ipv4Addr::new(10, 0, 0, 1))
        );
        assert_eq!(
            Url::parse("ws://[::1]").unwrap().host(),
            Host::Ipv6(Ipv6Addr::LOCALHOST)
        );
        assert_eq!(
            Url::parse("wss://a_b.example").unwrap().host(),
            Host::Domain("a_b.example")
        );
        assert!(Url::parse("wss://a_b.example").unwrap().host().is_domain());
    }

    #[test]
    fn path_and_query() {
        let url = Url::parse(
            "https://rs.easemob.com/easemob/server.json?app_key=org%23app&file_version=1",
        )
        .unwrap();
        assert_eq!(url.path(), "/easemob/server.json");
        assert_eq!(url.query(), Some("app_key=org%23app&file_version=1"));
        assert_eq!(
            url.request_target().to_string(),
            "/easemob/server.json?app_key=org%23app&file_version=1"
        );
        let url = Url::parse("https://h?x=1").unwrap();
        assert_eq!((url.path(), url.query()), ("/", Some("x=1")));
        assert_eq!(url.to_string(), "https://h/?x=1");
        let url = Url::parse("https://h").unwrap();
        assert_eq!((url.path(), url.query()), ("/", None));
    }

    #[test]
    fn scheme_is_case_insensitive_and_displayed_lower_case() {
        let url = Url::parse("WSS://Example.COM:443/websocket").unwrap();
        assert_eq!(url.scheme(), Scheme::Wss);
        assert_eq!(url.to_string(), "wss://Example.COM/websocket");
    }

    #[test]
    fn errors_are_typed() {
        for (text, error) in [
            ("", UrlError::MissingScheme),
            ("a1.easemob.com", UrlError::MissingScheme),
            ("ftp://h", UrlError::UnsupportedScheme),
            ("://h", UrlError::UnsupportedScheme),
            ("wss://user@h/websocket", UrlError::UserInfo),
            ("wss://user:pw@h", UrlError::UserInfo),
            ("wss:///websocket", UrlError::EmptyHost),
            ("wss://", UrlError::EmptyHost),
            ("wss://:443", UrlError::EmptyHost),
            ("wss://-a.com", UrlError::InvalidHost),
            ("wss://a-.com", UrlError::InvalidHost),
            ("wss://a..com", UrlError::InvalidHost),
            ("wss://a.com.", UrlError::InvalidHost),
            ("wss://exa mple.com", UrlError::InvalidHost),
            ("wss://例子.com", UrlError::InvalidHost),
            ("wss://1.2.3", UrlError::InvalidHost),
            ("wss://256.1.1.1", UrlError::InvalidHost),
            ("wss://01.2.3.4", UrlError::InvalidHost),
            ("wss://[::1", UrlError::InvalidIpv6),
            ("wss://[::g]", UrlError::InvalidIpv6),
            ("wss://[::1]x", UrlError::InvalidIpv6),
            ("wss://::1", UrlError::EmptyHost),
            ("wss://h:", UrlError::InvalidPort),
            ("wss://h:0", UrlError::InvalidPort),
            ("wss://h:65536", UrlError::InvalidPort),
            ("wss://h:+80", UrlError::InvalidPort),
            ("wss://h:8a", UrlError::InvalidPort),
            ("wss://h:1:2", UrlError::InvalidPort),
            ("wss://h/web socket", UrlError::InvalidCharacter),
            ("wss://h/webs\u{e9}", UrlError::InvalidCharacter),
            ("wss://h/?a=\n", UrlError::InvalidCharacter),
            ("wss://h/websocket#x", UrlError::Fragment),
        ] {
            assert_eq!(Url::parse(text), Err(error), "{text:?}");
        }
        let long_label = "a".repeat(64);
        assert_eq!(
            Url::parse(&format!("wss://{long_label}.com")),
            Err(UrlError::InvalidHost)
        );
        let long_name = ["abcdefghi"; 26].join(".");
        assert_eq!(long_name.len(), 259);
        assert_eq!(
            Url::parse(&format!("wss://{long_name}")),
            Err(UrlError::InvalidHost)
        );
    }

    #[test]
    fn from_parts_checks_like_parse() {
        let url = Url::from_parts(Scheme::Wss, "vip.example.com", None, "/websocket", None);
        assert_eq!(url, Url::parse("wss://vip.example.com/websocket"));
        let url = Url::from_parts(Scheme::Http, "127.0.0.1", Some(8080), "", None).unwrap();
        assert_eq!(url.to_string(), "http://127.0.0.1:8080/");
        assert_eq!(url.host(), Host::Ipv4(Ipv4Addr::LOCALHOST));
        let url = Url::from_parts(Scheme::Wss, "[::1]", Some(443), "/", None).unwrap();
        assert_eq!(
            (url.host_str(), url.host()),
            ("[::1]", Host::Ipv6(Ipv6Addr::LOCALHOST))
        );
        for (host, port, path, query, error) in [
            ("bad host", None, "/", None, UrlError::InvalidHost),
            ("", None, "/", None, UrlError::EmptyHost),
            ("::1", None, "/", None, UrlError::InvalidHost),
            ("h", Some(0), "/", None, UrlError::InvalidPort),
            ("h", None, "websocket", None, UrlError::InvalidCharacter),
            ("h", None, "/a?b", None, UrlError::InvalidCharacter),
            ("h", None, "/", Some("a#b"), UrlError::Fragment),
        ] {
            assert_eq!(
                Url::from_parts(Scheme::Wss, host, port, path, query),
                Err(error),
                "{host}"
            );
        }
    }

    #[test]
    fn host_text_is_kept_as_written() {
        let url = Url::parse("wss://[2001:DB8:0::1]:8443/websocket").unwrap();
        assert_eq!(url.host_str(), "[2001:DB8:0::1]");
        assert_eq!(url.host(), Host::Ipv6("2001:db8::1".parse().unwrap()));
        assert_eq!(url.to_string(), "wss://[2001:DB8:0::1]:8443/websocket");
        assert_eq!(
            url.authority(),
            Authority {
                host: "[2001:DB8:0::1]",
                port: Some(8443)
            }
        );
        let url = Url::parse("https://a1.easemob.com:443/").unwrap();
        assert_eq!(
            url.authority(),
            Authority {
                host: "a1.easemob.com",
                port: None
            }
        );
        let url = Url::parse("ws://127.0.0.1:80/websocket").unwrap();
        assert_eq!(
            url.authority(),
            Authority {
                host: "127.0.0.1",
                port: None
            }
        );
    }

    #[test]
    fn preset_constructor_matches_parse() {
        let preset = Url::preset(Scheme::Wss, "im-api-wechat.easemob.com", "/websocket");
        assert_eq!(
            Some(preset),
            Url::parse("wss://im-api-wechat.easemob.com/websocket").ok()
        );
    }

    #[test]
    fn scheme_properties() {
        assert_eq!(Scheme::ALL.map(Scheme::default_port), [80, 443, 80, 443]);
        assert_eq!(Scheme::ALL.map(Scheme::is_tls), [false, true, false, true]);
        assert_eq!(
            Scheme::ALL.map(Scheme::is_websocket),
            [true, true, false, false]
        );
        assert_eq!(
            Scheme::ALL.map(|s| s.to_string()),
            ["ws", "wss", "http", "https"]
        );
    }

    #[test]
    fn errors_display() {
        assert_eq!(
            UrlError::InvalidPort.to_string(),
            "invalid port (expected 1..=65535)"
        );
    }

    /// Arbitrary valid URLs, built from parts.
    fn any_url() -> impl Strategy<Value = String> {
        let scheme = prop::sample::select(&["ws", "wss", "http", "https", "WSS", "Http"][..]);
        let host = prop_oneof![
            "[a-z_]([a-z0-9_-]{0,10}[a-z0-9_])?(\\.[a-z]([a-z0-9-]{0,8}[a-z0-9])?){0,3}",
            any::<[u8; 4]>().prop_map(|o| Ipv4Addr::from(o).to_string()),
            any::<[u16; 8]>().prop_map(|s| format!("[{}]", Ipv6Addr::from(s))),
        ];
        let port = prop::option::of(1u16..);
        let path = prop::option::of("(/[!-~&&[^?#]]{0,12}){1,3}");
        let query = prop::option::of("[!-~&&[^#]]{0,16}");
        (scheme, host, port, path, query).prop_map(|(scheme, host, port, path, query)| {
            let mut url = format!("{scheme}://{host}");
            if let Some(port) = port {
                url += &format!(":{port}");
            }
            url += path.as_deref().unwrap_or("");
            if let Some(query) = query {
                url += &format!("?{query}");
            }
            url
        })
    }

    proptest! {
        #[test]
        fn random_text_never_panics(text in "\\PC{0,64}") {
            let _ = Url::parse(&text);
        }

        #[test]
        fn random_urlish_text_never_panics(text in "(wss?|https?)://[\\[\\]:@/?#a-z0-9.%-]{0,40}") {
            if let Ok(url) = Url::parse(&text) {
                let formatted = url.to_string();
                prop_assert_eq!(Url::parse(&formatted), Ok(url));
            }
        }

        #[test]
        fn formatted_urls_round_trip(text in any_url()) {
            let url = Url::parse(&text).map_err(|e| TestCaseError::fail(format!("{text}: {e}")))?;
            let formatted = url.to_string();
            prop_assert_eq!(Url::parse(&formatted), Ok(url));
            let header = url.host_header().to_string();
            prop_assert_eq!(header.ends_with(&format!(":{}", url.port())), !url.has_default_port());
        }
    }
}
