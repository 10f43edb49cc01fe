//! The `Host` of a request and the checks that keep caller-supplied text out of the header
//! syntax (no CR/LF injection).

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

    /// Writes `host[:port]`.
    pub(crate) fn write(&self, out: &mut Out<'_>) {
        out.str(self.host);
        if let Some(port) = self.port {
            out.byte(b':');
            out.decimal(u64::from(port));
        }
    }

    /// Whether the host is a syntactically valid name or address and the port is not 0.
    pub fn is_valid(&self) -> bool {
        is_valid_host(self.host) && self.port != Some(0)
    }
}

/// The default port of `https`/`wss` (`secure`) or `http`/`ws`.
pub const fn default_port(secure: bool) -> u16 {
    if secure { 443 } else { 80 }
}

/// A DNS name (letters, digits, `-`, `_`, dot-separated labels of 1..=63 bytes, at most 253
/// bytes), an IPv4 address, or an IPv6 address in brackets.
pub(crate) fn is_valid_host(host: &str) -> bool {
    if let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        return inner.parse::<core::net::Ipv6Addr>().is_ok();
    }
    is_valid_dns_name(host)
}

/// A DNS name or dotted IPv4 address (both use the same character set).
pub(crate) fn is_valid_dns_name(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 253
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
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
        ] {
            assert!(!is_valid_host(bad), "{bad:?}");
        }
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
