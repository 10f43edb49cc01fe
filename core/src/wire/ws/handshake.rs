//! The client opening handshake (RFC 6455 §4.1): the upgrade request and the checks on the
//! server's `101 Switching Protocols` response. No subprotocol and no extension is offered
//! (PROTOCOL.md §5.1), so any in the response is an error.

use core::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use rand_core::RngCore;
use sha1::{Digest, Sha1};

use crate::wire::http::out::write_measured;
use crate::wire::http::{Authority, RequestError, check_authority, check_headers, trim_ows};

/// The GUID RFC 6455 appends to the key to form the accept value.
pub const WEBSOCKET_GUID: &str = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

/// The extra headers sent by default: `content-type: application/json`, as the JS
/// mini-program SDK sends (PROTOCOL.md §5.1).
pub const DEFAULT_HANDSHAKE_HEADERS: &[(&str, &str)] = &[("content-type", "application/json")];

/// The largest handshake response accepted (status line and headers).
pub const MAX_HANDSHAKE_RESPONSE: usize = 4096;

/// Header fields a handshake response may carry at most.
const MAX_RESPONSE_HEADERS: usize = 32;

/// Header names the request writer owns; extra headers may not repeat them.
const RESERVED_HEADERS: &[&str] = &[
    "host",
    "upgrade",
    "connection",
    "sec-websocket-key",
    "sec-websocket-version",
    "sec-websocket-extensions",
    "sec-websocket-protocol",
];

/// The upgrade request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HandshakeRequest<'a> {
    /// The gateway's host and port (`Host` header).
    pub authority: Authority<'a>,
    /// The request target, `/websocket` for the msync gateways.
    pub path: &'a str,
    /// 16 random bytes from the injected RNG ([`handshake_key`]), fresh for every connection.
    pub key: [u8; 16],
    /// Extra header fields, e.g. [`DEFAULT_HANDSHAKE_HEADERS`]; may not repeat the handshake's
    /// own (`Host`, `Upgrade`, `Connection`, `Sec-WebSocket-*`).
    pub extra_headers: &'a [(&'a str, &'a str)],
}

/// 16 fresh random bytes for [`HandshakeRequest::key`].
pub fn handshake_key<R: RngCore + ?Sized>(rng: &mut R) -> [u8; 16] {
    let mut key = [0u8; 16];
    rng.fill_bytes(&mut key);
    key
}

/// Writes the upgrade request into `out`; returns the number of bytes written.
///
/// ```text
/// GET {path} HTTP/1.1
/// Host: {host}[:{port}]
/// Upgrade: websocket
/// Connection: Upgrade
/// Sec-WebSocket-Key: {base64(key)}
/// Sec-WebSocket-Version: 13
/// {extra headers}
/// ```
pub fn write_handshake_request(
    out: &mut [u8],
    request: &HandshakeRequest<'_>,
) -> Result<usize, RequestError> {
    check_authority(&request.authority)?;
    if !request.path.starts_with('/')
        || !request
            .path
            .bytes()
            .all(|b| b.is_ascii_graphic() && b != b'#')
    {
        return Err(RequestError::InvalidPath);
    }
    check_headers(request.extra_headers)?;
    if request.extra_headers.iter().any(|(name, _)| {
        RESERVED_HEADERS
            .iter()
            .any(|reserved| name.eq_ignore_ascii_case(reserved))
    }) {
        return Err(RequestError::InvalidHeader);
    }
    let key = encode_key(&request.key);
    Ok(write_measured(out, |o| {
        o.str("GET ");
        o.str(request.path);
        o.str(" HTTP/1.1\r\nHost: ");
        request.authority.write(o);
        o.str("\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ");
        o.bytes(&key);
        o.str("\r\nSec-WebSocket-Version: 13\r\n");
        for (name, value) in request.extra_headers {
            o.str(name);
            o.str(": ");
            o.str(value);
            o.str("\r\n");
        }
        o.str("\r\n");
    })?)
}

fn encode_key(key: &[u8; 16]) -> [u8; 24] {
    let mut text = [0u8; 24];
    // 16 bytes always encode to exactly 24 characters.
    let _ = STANDARD.encode_slice(key, &mut text);
    text
}

/// The `Sec-WebSocket-Accept` value the server must return for `key`:
/// `base64(SHA-1(base64(key) + GUID))`.
pub fn accept_value(key: &[u8; 16]) -> [u8; 28] {
    let mut hasher = Sha1::new();
    hasher.update(encode_key(key));
    hasher.update(WEBSOCKET_GUID.as_bytes());
    let digest = hasher.finalize();
    let mut text = [0u8; 28];
    // 20 bytes always encode to exactly 28 characters.
    let _ = STANDARD.encode_slice(digest.as_slice(), &mut text);
    text
}

/// Progress of the handshake response.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum HandshakeStatus {
    /// The header section is not complete yet.
    NeedMore,
    /// The upgrade succeeded. `consumed` bytes were the response; anything after them is
    /// already WebSocket frame data and must be kept.
    Complete {
        /// The length of the response head.
        consumed: usize,
    },
}

/// Why the server's handshake response was rejected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum HandshakeError {
    /// Not an HTTP/1.x response head.
    Malformed,
    /// More than 32 header fields.
    TooManyHeaders,
    /// The head exceeds [`MAX_HANDSHAKE_RESPONSE`] bytes.
    ResponseTooLarge,
    /// The status is not 101.
    NotSwitchingProtocols {
        /// The status code received.
        status: u16,
    },
    /// No `Upgrade: websocket`.
    MissingUpgrade,
    /// No `Connection: upgrade`.
    MissingConnectionUpgrade,
    /// No `Sec-WebSocket-Accept`.
    MissingAccept,
    /// `Sec-WebSocket-Accept` does not match the key (or appears twice).
    BadAccept,
    /// The server selected an extension the client did not offer.
    UnexpectedExtension,
    /// The server selected a subprotocol the client did not offer.
    UnexpectedSubprotocol,
}

impl fmt::Display for HandshakeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Malformed => f.write_str("malformed handshake response"),
            Self::TooManyHeaders => {
                write!(
                    f,
                    "more than {MAX_RESPONSE_HEADERS} handshake response headers"
                )
            }
            Self::ResponseTooLarge => {
                write!(f, "handshake response over {MAX_HANDSHAKE_RESPONSE} bytes")
            }
            Self::NotSwitchingProtocols { status } => {
                write!(f, "handshake answered with status {status}, not 101")
            }
            Self::MissingUpgrade => f.write_str("handshake response lacks Upgrade: websocket"),
            Self::MissingConnectionUpgrade => {
                f.write_str("handshake response lacks Connection: upgrade")
            }
            Self::MissingAccept => f.write_str("handshake response lacks Sec-WebSocket-Accept"),
            Self::BadAccept => f.write_str("wrong Sec-WebSocket-Accept"),
            Self::UnexpectedExtension => f.write_str("server selected an unoffered extension"),
            Self::UnexpectedSubprotocol => f.write_str("server selected an unoffered subprotocol"),
        }
    }
}

impl core::error::Error for HandshakeError {}

/// Checks the server's handshake response at the start of `input` against the request's
/// `key`.
pub fn check_handshake_response(
    input: &[u8],
    key: &[u8; 16],
) -> Result<HandshakeStatus, HandshakeError> {
    let mut headers = [httparse::EMPTY_HEADER; MAX_RESPONSE_HEADERS];
    let mut response = httparse::Response::new(&mut headers);
    let consumed = match response.parse(input) {
        Ok(httparse::Status::Complete(len)) => len,
        Ok(httparse::Status::Partial) => {
            return if input.len() > MAX_HANDSHAKE_RESPONSE {
                Err(HandshakeError::ResponseTooLarge)
            } else {
                Ok(HandshakeStatus::NeedMore)
            };
        }
        Err(httparse::Error::TooManyHeaders) => return Err(HandshakeError::TooManyHeaders),
        Err(_) => return Err(HandshakeError::Malformed),
    };
    if consumed > MAX_HANDSHAKE_RESPONSE {
        return Err(HandshakeError::ResponseTooLarge);
    }
    let status = response.code.unwrap_or_default();
    if status != 101 {
        return Err(HandshakeError::NotSwitchingProtocols { status });
    }
    let headers = &*response.headers;
    let values = |name: &'static str| {
        headers
            .iter()
            .filter(move |h| h.name.eq_ignore_ascii_case(name))
            .map(|h| h.value)
    };
    if !values("upgrade").any(|v| has_token(v, b"websocket")) {
        return Err(HandshakeError::MissingUpgrade);
    }
    if !values("connection").any(|v| has_token(v, b"upgrade")) {
        return Err(HandshakeError::MissingConnectionUpgrade);
    }
    if values("sec-websocket-extensions").any(|v| !trim_ows(v).is_empty()) {
        return Err(HandshakeError::UnexpectedExtension);
    }
    if values("sec-websocket-protocol").next().is_some() {
        return Err(HandshakeError::UnexpectedSubprotocol);
    }
    let mut accepts = values("sec-websocket-accept");
    let accept = accepts.next().ok_or(HandshakeError::MissingAccept)?;
    if accepts.next().is_some() || trim_ows(accept) != accept_value(key) {
        return Err(HandshakeError::BadAccept);
    }
    Ok(HandshakeStatus::Complete { consumed })
}

/// Whether a comma-separated header value lists `token` (ASCII case-insensitive).
fn has_token(value: &[u8], token: &[u8]) -> bool {
    value
        .split(|&b| b == b',')
        .any(|item| trim_ows(item).eq_ignore_ascii_case(token))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6455 §1.3: key `dGhlIHNhbXBsZSBub25jZQ==` ("the sample nonce").
    const RFC_KEY: [u8; 16] = *b"the sample nonce";

    #[test]
    fn rfc_accept_value() {
        assert_eq!(&encode_key(&RFC_KEY), b"dGhlIHNhbXBsZSBub25jZQ==");
        assert_eq!(&accept_value(&RFC_KEY), b"s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    }

    #[test]
    fn token_lists() {
        assert!(has_token(b"keep-alive, Upgrade", b"upgrade"));
        assert!(has_token(b"WebSocket", b"websocket"));
        assert!(!has_token(b"websockets", b"websocket"));
        assert!(!has_token(b"", b"upgrade"));
    }

    #[test]
    fn rejects_reserved_extra_headers() {
        let mut out = [0u8; 512];
        let request = HandshakeRequest {
            authority: Authority {
                host: "a.example",
                port: None,
            },
            path: "/websocket",
            key: RFC_KEY,
            extra_headers: &[("Sec-WebSocket-Protocol", "x")],
        };
        assert_eq!(
            write_handshake_request(&mut out, &request),
            Err(RequestError::InvalidHeader)
        );
        let bad_path = HandshakeRequest {
            path: "/web socket",
            extra_headers: &[],
            ..request
        };
        assert_eq!(
            write_handshake_request(&mut out, &bad_path),
            Err(RequestError::InvalidPath)
        );
    }
}
