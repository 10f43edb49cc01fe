//! An incremental HTTP/1.1 response reader over a caller-owned buffer.
//!
//! The caller appends received bytes to its buffer and calls [`ResponseReader::advance`] after
//! each read (and once more with `eof = true` when the peer closes). The status line and headers
//! are parsed with `httparse`; the body is framed by `Content-Length`, by chunked coding
//! (decoded in place) or by the end of the connection. Bytes after a `Content-Length` body are
//! ignored (requests are sent with `Connection: close`).

use core::fmt;

use super::chunked::{ChunkLimits, Chunked};

/// Why a response could not be read. The exchange is over; the connection should be closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum HttpError {
    /// The status line or a header is malformed.
    MalformedHead,
    /// More header fields than the reader's `MAX_HEADERS`.
    TooManyHeaders {
        /// The reader's header capacity.
        max: usize,
    },
    /// The status line and headers exceed the configured size.
    HeadTooLarge {
        /// The configured maximum, in bytes.
        max: usize,
    },
    /// A 1xx interim response (never requested by this client).
    UnexpectedInterim {
        /// The status code.
        status: u16,
    },
    /// A status code outside 100..=599 (RFC 9110 §15; the status line allows any three
    /// digits).
    InvalidStatus {
        /// The status code.
        status: u16,
    },
    /// A `Content-Length` value is not a decimal number.
    InvalidContentLength,
    /// Several `Content-Length` fields disagree.
    ConflictingContentLength,
    /// Both `Transfer-Encoding` and `Content-Length` are present.
    ConflictingFraming,
    /// A `Transfer-Encoding` other than exactly `chunked`.
    UnsupportedTransferEncoding,
    /// Chunked framing is malformed.
    MalformedChunk,
    /// The chunked trailer section exceeds the configured head size.
    TrailersTooLarge {
        /// The configured maximum, in bytes.
        max: usize,
    },
    /// The body is larger than the caller's cap.
    BodyTooLarge {
        /// The declared or accumulated body length.
        length: u64,
        /// The caller's cap.
        max: usize,
    },
    /// The response does not fit the caller's buffer.
    BufferFull {
        /// The buffer's size.
        capacity: usize,
    },
    /// The connection ended before the response was complete.
    UnexpectedEof,
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MalformedHead => f.write_str("malformed HTTP status line or header"),
            Self::TooManyHeaders { max } => write!(f, "more than {max} HTTP headers"),
            Self::HeadTooLarge { max } => write!(f, "HTTP header section over {max} bytes"),
            Self::UnexpectedInterim { status } => write!(f, "unexpected interim status {status}"),
            Self::InvalidStatus { status } => write!(f, "invalid HTTP status {status}"),
            Self::InvalidContentLength => f.write_str("invalid Content-Length"),
            Self::ConflictingContentLength => f.write_str("conflicting Content-Length values"),
            Self::ConflictingFraming => {
                f.write_str("both Transfer-Encoding and Content-Length present")
            }
            Self::UnsupportedTransferEncoding => f.write_str("unsupported Transfer-Encoding"),
            Self::MalformedChunk => f.write_str("malformed chunked body"),
            Self::TrailersTooLarge { max } => write!(f, "chunked trailers over {max} bytes"),
            Self::BodyTooLarge { length, max } => {
                write!(
                    f,
                    "HTTP body of {length} bytes exceeds the {max}-byte limit"
                )
            }
            Self::BufferFull { capacity } => {
                write!(f, "HTTP response does not fit the {capacity}-byte buffer")
            }
            Self::UnexpectedEof => f.write_str("connection closed before the response ended"),
        }
    }
}

impl core::error::Error for HttpError {}

/// Size limits of a [`ResponseReader`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct ResponseLimits {
    /// The largest status line plus header section, in bytes (also bounds chunked trailers).
    pub max_head: usize,
    /// The largest body, in bytes.
    pub max_body: usize,
}

impl Default for ResponseLimits {
    /// 4 KiB of headers, 64 KiB of body.
    fn default() -> Self {
        Self {
            max_head: 4096,
            max_body: 64 * 1024,
        }
    }
}

/// A complete response: the status code and the body, borrowed from the caller's buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Response<'b> {
    /// The status code (200, 404, ...).
    pub status: u16,
    /// The body, with chunked framing removed.
    pub body: &'b [u8],
}

/// The outcome of one [`ResponseReader::advance`] call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Progress<'b> {
    /// More bytes are needed; read more and call again.
    NeedMore,
    /// The response is complete.
    Complete(Response<'b>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Framing {
    Length(usize),
    Chunked(Chunked),
    UntilClose,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Head,
    Body {
        status: u16,
        body_start: usize,
        framing: Framing,
    },
    Done {
        status: u16,
        body_start: usize,
        body_end: usize,
    },
}

/// Reads one HTTP/1.1 response, incrementally, from a caller-owned buffer.
///
/// `MAX_HEADERS` bounds the number of header fields (each costs 32 bytes of stack while
/// parsing).
///
/// Contract: between calls the caller only appends received bytes at `*filled` and advances
/// it; bytes below it are the reader's. While decoding a chunked body the reader moves data
/// down over the chunk framing and lowers `*filled`, so the buffer only has to hold the head,
/// the decoded body and the framing not yet read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResponseReader<const MAX_HEADERS: usize = 32> {
    limits: ResponseLimits,
    state: State,
}

impl<const MAX_HEADERS: usize> ResponseReader<MAX_HEADERS> {
    /// A reader for one response with these limits.
    pub const fn new(limits: ResponseLimits) -> Self {
        Self {
            limits,
            state: State::Head,
        }
    }

    /// Parses what has arrived: `buf[..*filled]` holds the received bytes, `buf.len()` is the
    /// buffer's capacity, `eof` says the peer closed the connection. `*filled` may be lowered
    /// (chunked bodies are compacted); append further bytes at the new `*filled`.
    ///
    /// Returns [`Progress::NeedMore`] until the response is complete, then the status and
    /// body (and the same again on later calls).
    pub fn advance<'b>(
        &mut self,
        buf: &'b mut [u8],
        filled: &mut usize,
        eof: bool,
    ) -> Result<Progress<'b>, HttpError> {
        let capacity = buf.len();
        *filled = (*filled).min(capacity);
        if self.state == State::Head {
            match self.parse_head(buf.get(..*filled).unwrap_or_default())? {
                Some(state) => self.state = state,
                None => return need_more(*filled, capacity, eof),
            }
        }
        if let State::Body {
            status,
            body_start,
            framing,
        } = self.state
        {
            let Some(body_end) = self.body_end(buf, filled, body_start, framing, eof)? else {
                return need_more(*filled, capacity, eof);
            };
            self.state = State::Done {
                status,
                body_start,
                body_end,
            };
        }
        match self.state {
            State::Done {
                status,
                body_start,
                body_end,
            } => Ok(Progress::Complete(Response {
                status,
                body: buf.get(body_start..body_end).unwrap_or_default(),
            })),
            _ => need_more(*filled, capacity, eof),
        }
    }

    /// Parses the status line and headers; `None` until they are complete.
    fn parse_head(&self, received: &[u8]) -> Result<Option<State>, HttpError> {
        let max_head = self.limits.max_head;
        let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut response = httparse::Response::new(&mut headers);
        let head_len = match response.parse(received) {
            Ok(httparse::Status::Complete(len)) => len,
            Ok(httparse::Status::Partial) => {
                return if received.len() > max_head {
                    Err(HttpError::HeadTooLarge { max: max_head })
                } else {
                    Ok(None)
                };
            }
            Err(httparse::Error::TooManyHeaders) => {
                return Err(HttpError::TooManyHeaders { max: MAX_HEADERS });
            }
            Err(_) => return Err(HttpError::MalformedHead),
        };
        if head_len > max_head {
            return Err(HttpError::HeadTooLarge { max: max_head });
        }
        let status = response.code.unwrap_or_default();
        if !(100..=599).contains(&status) {
            return Err(HttpError::InvalidStatus { status });
        }
        if (100..200).contains(&status) {
            return Err(HttpError::UnexpectedInterim { status });
        }
        let framing = if status == 204 || status == 304 {
            Framing::Length(0)
        } else {
            framing(response.headers, head_len, self.limits.max_body)?
        };
        Ok(Some(State::Body {
            status,
            body_start: head_len,
            framing,
        }))
    }

    /// Advances body framing; `Some(end)` once the body is complete.
    fn body_end(
        &mut self,
        buf: &mut [u8],
        filled: &mut usize,
        body_start: usize,
        framing: Framing,
        eof: bool,
    ) -> Result<Option<usize>, HttpError> {
        let received = buf.get_mut(..*filled).unwrap_or_default();
        match framing {
            Framing::Length(len) => {
                let end = body_start.saturating_add(len);
                Ok((received.len() >= end).then_some(end))
            }
            Framing::UntilClose => {
                let len = received.len().saturating_sub(body_start);
                if len > self.limits.max_body {
                    return Err(HttpError::BodyTooLarge {
                        length: len as u64,
                        max: self.limits.max_body,
                    });
                }
                Ok(eof.then_some(received.len()))
            }
            Framing::Chunked(mut chunked) => {
                let limits = ChunkLimits {
                    max_body: self.limits.max_body,
                    max_trailers: self.limits.max_head,
                };
                let result = chunked.advance(received, limits);
                if let Ok(None) = result {
                    *filled = chunked.compact(buf, *filled);
                }
                if let State::Body { framing, .. } = &mut self.state {
                    *framing = Framing::Chunked(chunked);
                }
                result
            }
        }
    }
}

impl Default for ResponseReader {
    fn default() -> Self {
        Self::new(ResponseLimits::default())
    }
}

/// `NeedMore`, unless the connection ended or the buffer is full.
fn need_more<'b>(filled: usize, capacity: usize, eof: bool) -> Result<Progress<'b>, HttpError> {
    if eof {
        Err(HttpError::UnexpectedEof)
    } else if filled >= capacity {
        Err(HttpError::BufferFull { capacity })
    } else {
        Ok(Progress::NeedMore)
    }
}

/// Chooses the body framing from the headers (RFC 9112 §6.3).
fn framing(
    headers: &[httparse::Header<'_>],
    head_len: usize,
    max_body: usize,
) -> Result<Framing, HttpError> {
    let mut content_length: Option<u64> = None;
    let mut transfer_encoding = false;
    for header in headers {
        if header.name.eq_ignore_ascii_case("content-length") {
            let value = parse_content_length(header.value)?;
            if content_length.is_some_and(|seen| seen != value) {
                return Err(HttpError::ConflictingContentLength);
            }
            content_length = Some(value);
        } else if header.name.eq_ignore_ascii_case("transfer-encoding") {
            let value = trim_ows(header.value);
            if transfer_encoding || !value.eq_ignore_ascii_case(b"chunked") {
                return Err(HttpError::UnsupportedTransferEncoding);
            }
            transfer_encoding = true;
        }
    }
    match (transfer_encoding, content_length) {
        (true, Some(_)) => Err(HttpError::ConflictingFraming),
        (true, None) => Ok(Framing::Chunked(Chunked::new(head_len))),
        (false, Some(length)) => match usize::try_from(length) {
            Ok(len) if len <= max_body => Ok(Framing::Length(len)),
            _ => Err(HttpError::BodyTooLarge {
                length,
                max: max_body,
            }),
        },
        (false, None) => Ok(Framing::UntilClose),
    }
}

/// A `Content-Length` value: 1 to 19 decimal digits, optional surrounding whitespace.
fn parse_content_length(value: &[u8]) -> Result<u64, HttpError> {
    let digits = trim_ows(value);
    if digits.is_empty() || digits.len() > 19 || !digits.iter().all(u8::is_ascii_digit) {
        return Err(HttpError::InvalidContentLength);
    }
    Ok(digits
        .iter()
        .fold(0u64, |acc, &d| acc * 10 + u64::from(d - b'0')))
}

/// Trims optional whitespace (space, tab) at both ends.
pub(crate) fn trim_ows(value: &[u8]) -> &[u8] {
    let start = value
        .iter()
        .position(|b| !matches!(b, b' ' | b'\t'))
        .unwrap_or(value.len());
    let end = value
        .iter()
        .rposition(|b| !matches!(b, b' ' | b'\t'))
        .map_or(start, |i| i.saturating_add(1));
    value.get(start..end).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use std::prelude::rust_2024::*;
    use std::vec;

    fn read_all(input: &[u8], cap: usize) -> Result<(u16, Vec<u8>), HttpError> {
        let mut buf = vec![0u8; cap];
        buf[..input.len()].copy_from_slice(input);
        let mut reader: ResponseReader = ResponseReader::default();
        match reader.advance(&mut buf, &mut input.len(), true)? {
            Progress::Complete(r) => Ok((r.status, r.body.to_vec())),
            Progress::NeedMore => unreachable!("eof given"),
        }
    }

    #[test]
    fn framing_errors() {
        let cases: [(&[u8], HttpError); 11] = [
            (
                b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
                HttpError::ConflictingContentLength,
            ),
            (
                b"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
                HttpError::InvalidContentLength,
            ),
            (
                b"HTTP/1.1 200 OK\r\nContent-Length: 1,1\r\n\r\n",
                HttpError::InvalidContentLength,
            ),
            (
                b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
                HttpError::UnsupportedTransferEncoding,
            ),
            (
                b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n",
                HttpError::ConflictingFraming,
            ),
            (
                b"HTTP/1.1 100 Continue\r\n\r\n",
                HttpError::UnexpectedInterim { status: 100 },
            ),
            (b"HTTP/1.1 2x0 OK\r\n\r\n", HttpError::MalformedHead),
            (
                b"HTTP/1.1 000 Zero\r\nContent-Length: 0\r\n\r\n",
                HttpError::InvalidStatus { status: 0 },
            ),
            (
                b"HTTP/1.1 099 Low\r\nContent-Length: 0\r\n\r\n",
                HttpError::InvalidStatus { status: 99 },
            ),
            (
                b"HTTP/1.1 600 High\r\nContent-Length: 0\r\n\r\n",
                HttpError::InvalidStatus { status: 600 },
            ),
            (
                b"HTTP/1.1 999 High\r\n\r\n",
                HttpError::InvalidStatus { status: 999 },
            ),
        ];
        for (input, want) in cases {
            assert_eq!(
                read_all(input, 512),
                Err(want),
                "{}",
                String::from_utf8_lossy(input)
            );
        }
    }

    #[test]
    fn same_content_length_twice_is_fine() {
        let r = read_all(
            b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\ncontent-length:  2 \r\n\r\nab",
            512,
        );
        assert_eq!(r, Ok((200, b"ab".to_vec())));
    }

    #[test]
    fn status_range_edges_are_accepted() {
        for status in [200u16, 599] {
            let head = format!("HTTP/1.1 {status} X\r\nContent-Length: 1\r\n\r\nz");
            assert_eq!(read_all(head.as_bytes(), 512), Ok((status, b"z".to_vec())));
        }
        // 100 is the lowest valid status, and interim.
        assert_eq!(
            read_all(b"HTTP/1.1 100 Continue\r\n\r\n", 512),
            Err(HttpError::UnexpectedInterim { status: 100 })
        );
    }

    #[test]
    fn no_body_statuses() {
        let r = read_all(b"HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n", 512);
        assert_eq!(r, Ok((204, Vec::new())));
    }

    #[test]
    fn limits() {
        let mut reader: ResponseReader<2> = ResponseReader::new(ResponseLimits {
            max_head: 40,
            max_body: 4,
        });
        let mut buf = *b"HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n";
        let mut filled = buf.len();
        assert_eq!(
            reader.advance(&mut buf, &mut filled, false),
            Err(HttpError::TooManyHeaders { max: 2 })
        );
        let mut reader: ResponseReader = ResponseReader::new(ResponseLimits {
            max_head: 20,
            max_body: 4,
        });
        let mut buf = [b'x'; 64];
        buf[..21].copy_from_slice(b"HTTP/1.1 200 OK\r\nA: 1");
        assert_eq!(
            reader.advance(&mut buf, &mut 21usize, false),
            Err(HttpError::HeadTooLarge { max: 20 })
        );
        let mut reader: ResponseReader = ResponseReader::new(ResponseLimits {
            max_head: 100,
            max_body: 4,
        });
        let mut buf = *b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n";
        let mut filled = buf.len();
        assert_eq!(
            reader.advance(&mut buf, &mut filled, false),
            Err(HttpError::BodyTooLarge { length: 5, max: 4 })
        );
    }

    #[test]
    fn buffer_full_and_eof() {
        let mut reader: ResponseReader = ResponseReader::default();
        let mut buf = *b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nab";
        let n = buf.len();
        let mut filled = n;
        assert_eq!(
            reader.advance(&mut buf, &mut filled, false),
            Err(HttpError::BufferFull { capacity: n })
        );
        let mut reader: ResponseReader = ResponseReader::default();
        let mut big = [0u8; 128];
        big[..n].copy_from_slice(&buf);
        assert_eq!(
            reader.advance(&mut big, &mut filled, false),
            Ok(Progress::NeedMore)
        );
        assert_eq!(
            reader.advance(&mut big, &mut filled, true),
            Err(HttpError::UnexpectedEof)
        );
    }

    #[test]
    fn trims_ows() {
        assert_eq!(trim_ows(b"  a b \t"), b"a b");
        assert_eq!(trim_ows(b"   "), b"");
        assert_eq!(trim_ows(b""), b"");
    }
}
