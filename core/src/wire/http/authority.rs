//! The `Host` of a request and the checks that keep caller-supplied text out of the header
//! syntax (no CR/LF injection).

use core::fmt::{self, Write as _};
use core::net::{Ipv4Addr, Ipv6Addr};
use core::str::FromStr;

use super::out::Out;

/// Where a request goes: a host name (or IPv4 address, or bracketed IPv6 address) and the port
/// when it is not the scheme's default.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Authority<'a> {
    /// Host name, IPv4 address, or IPv6 address in brackets (`[::1]`).
    pub host: &'a str,
    /// The port, or `None` for the scheme's default (443 with TLS, 80 without).
    pub port: Option<u16>,
}

impl<'a> Authority<'a> {
    /// An authority for `host:port`, dropping the port when it is the default for the scheme
    /// (`secure`: 443, else 80).
    pub const fn new(host: &'a str, port: u16, secure: bool) -> Self {
        let port = if port == default_port(secure) {
            None
        } else {
            Some(port)
        };
        Self { host, port }
    }

    /// Writes `host[:port]` (its `Display` form).
    pub(crate) fn write(&self, out: &mut Out<'_>) {
        let _ = write!(out, "{self}");
    }

    /// Whether the host is a syntactically valid name or address and the port is not 0.
    pub fn is_valid(&self) -> bool {
        is_valid_host(self.host) && self.port != Some(0)
    }
}

impl fmt::Display for Authority<'_> {
    /// `host[:port]`, the value of a `Host` header.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.host)?;
        match self.port {
            Some(port) => write!(f, ":{port}"),
            None => Ok(()),
        }
    }
}

/// The default port of `https`/`wss` (`secure`) or `http`/`ws`.
pub const fn default_port(secure: bool) -> u16 {
    if secure { 443 } else { 80 }
}

/// What a valid host is (see [`parse_host`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum HostSyntax {
    /// A DNS name.
    Domain,
    /// A dotted-decimal IPv4 address.
    Ipv4(Ipv4Addr),
    /// An IPv6 address, written in brackets.
    Ipv6(Ipv6Addr),
}

/// Why a host is not valid (see [`parse_host`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum HostSyntaxError {
    /// Nothing at all.
    Empty,
    /// `[` without `]`, or brackets around something that is not an IPv6 address.
    InvalidIpv6,
    /// Not a DNS name or IPv4 address.
    Invalid,
}

/// Longest DNS name, in bytes, without a trailing dot (RFC 1035).
const MAX_DOMAIN_LEN: usize = 253;
/// Longest DNS label, in bytes (RFC 1035).
const MAX_LABEL_LEN: usize = 63;

/// The crate's one host check, for URLs, request authorities and `server.json` hosts: an IPv6
/// address in brackets, a dotted-decimal IPv4 address, or a DNS name: dot-separated labels of
/// letters, digits, `-` and `_`, each 1..=63 bytes, not starting or ending with `-`, at most
/// 253 bytes in all. A name whose last label is all digits is rejected: it reads as a
/// malformed IPv4 address (`10.0.0.300`, `010.0.0.1`).
pub(crate) fn parse_host(host: &str) -> Result<HostSyntax, HostSyntaxError> {
    if host.is_empty() {
        return Err(HostSyntaxError::Empty);
    }
    if let Some(inner) = host.strip_prefix('[') {
        let inner = inner
            .strip_suffix(']')
            .ok_or(HostSyntaxError::InvalidIpv6)?;
        return Ipv6Addr::from_str(inner)
            .map(HostSyntax::Ipv6)
            .map_err(|_| HostSyntaxError::InvalidIpv6);
    }
    if let Ok(address) = Ipv4Addr::from_str(host) {
        return Ok(HostSyntax::Ipv4(address));
    }
    let label_ok = |label: &str| {
        (1..=MAX_LABEL_LEN).contains(&label.len())
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    let last = host.rsplit('.').next().unwrap_or(host);
    if host.len() > MAX_DOMAIN_LEN
        || !host.split('.').all(label_ok)
        || last.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(HostSyntaxError::Invalid);
    }
    Ok(HostSyntax::Domain)
}

/// Whether `host` passes [`parse_host`].
pub(crate) fn is_valid_host(host: &str) -> bool {
    parse_host(host).is_ok()
}

/// An origin-form request target: starts with `/`, visible ASCII only, no fragment.
pub(crate) fn is_valid_path(path: &str) -> bool {
    path.starts_with('/') && path.bytes().all(|b| b.is_ascii_graphic() && b != b'#')
}

/// A base path prefix: empty, or a valid path without a query.
pub(crate) fn is_valid_base_path(path: &str) -> bool {
    path.is_empty() || (is_valid_path(path) && !path.contains('?'))
}

/// An HTTP header name (RFC 9110 `token`).
pub(crate) fn is_valid_header_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// An HTTP header value: no control characters other than horizontal tab, no leading or
/// trailing whitespace.
pub(crate) fn is_valid_header_value(value: &str) -> bool {
    value
        .bytes()
        .all(|b| b == b'\t' || (b >= 0x20 && b != 0x7f))
        && !value.starts_with([' ', '\t'])
        && !value.ends_with([' ', '\t'])
}

/// A bearer credential (RFC 6750 `b64token`).
pub(crate) fn is_valid_bearer_token(token: &str) -> bool {
    let body = token.trim_end_matches('=');
    !body.is_empty()
        && body
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~+/".contains(&b))
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use std::prelude::rust_2024::*;

    #[test]
    fn default_ports_are_dropped() {
        assert_eq!(Authority::new("a", 443, true).port, None);
        assert_eq!(Authority::new("a", 80, false).port, None);
        assert_eq!(Authority::new("a", 80, true).port, Some(80));
        assert_eq!(Authority::new("a", 8443, true).port, Some(8443));
    }

    #[test]
    fn hosts() {
        for good in [
            "a1.easemob.com",
            "127.0.0.1",
            "localhost",
            "[::1]",
            "im-api-wechat-31.easecdn.com",
            "x_y.internal",
        ] {
            assert!(is_valid_host(good), "{good}");
        }
        for bad in [
            "",
            "a..b",
            "-a.com",
            "a-.com",
            "a b",
            "a\r\nX: y",
            "[::1",
            "[zz]",
            "a:443",
            "a/b",
            "ä.com",
            // A last label of digits only reads as a malformed IPv4 address.
            "10.0.0.300",
            "010.0.0.1",
            "1.2.3",
            "host.123",
        ] {
            assert!(!is_valid_host(bad), "{bad:?}");
        }
        assert_eq!(
            parse_host("10.0.0.3"),
            Ok(HostSyntax::Ipv4(Ipv4Addr::new(10, 0, 0, 3)))
        );
        assert_eq!(parse_host("123.host"), Ok(HostSyntax::Domain));
        assert_eq!(parse_host(""), Err(HostSyntaxError::Empty));
        assert_eq!(parse_host("[::1"), Err(HostSyntaxError::InvalidIpv6));
        assert_eq!(parse_host("10.0.0.300"), Err(HostSyntaxError::Invalid));
        assert!(!is_valid_host(&"a".repeat(64)));
        assert!(
            !Authority {
                host: "a",
                port: Some(0)
            }
            .is_valid()
        );
    }

    #[test]
    fn header_parts() {
        assert!(is_valid_header_name("content-type"));
        assert!(!is_valid_header_name("content type"));
        assert!(!is_valid_header_name(""));
        assert!(is_valid_header_value("application/json"));
        assert!(is_valid_header_value(""));
        assert!(!is_valid_header_value("a\r\nb: c"));
        assert!(!is_valid_header_value(" padded"));
        assert!(is_valid_bearer_token("YWMt-abc_DEF.1~2+3/4=="));
        assert!(!is_valid_bearer_token("a b"));
        assert!(!is_valid_bearer_token("=="));
        assert!(is_valid_path("/websocket"));
        assert!(!is_valid_path("websocket"));
        assert!(!is_valid_path("/a b"));
        assert!(!is_valid_path("/a#b"));
        assert!(is_valid_base_path(""));
        assert!(!is_valid_base_path("/a?b"));
    }
}
