//! Percent-encoding (RFC 3986 §2.1) of query values and path segments.
//!
//! Everything except the unreserved characters (`A-Z a-z 0-9 - . _ ~`) is encoded, so the result
//! is safe both as a query value and as a path segment; in particular `#` becomes `%23` (the app
//! key `org#app` is sent as `org%23app`).

use core::convert::Infallible;
use core::fmt;

use super::out::{Out, hex_digit, write_measured};
use crate::wire::BufferTooSmall;

/// Writes `input` percent-encoded into `out` and returns the number of bytes written.
///
/// Unreserved characters are kept, every other byte becomes `%XX` (upper-case hex).
pub fn percent_encode(input: &str, out: &mut [u8]) -> Result<usize, BufferTooSmall> {
    write_measured(out, |o| write_percent_encoded(o, input))
}

/// `input` percent-encoded, as text: for a query value or path segment written with `write!`
/// (the app key's `org%23app`, `app::AppKey::query_value`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct PercentEncoded<'a>(pub &'a str);

impl fmt::Display for PercentEncoded<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        encode(self.0, |piece| {
            // Every piece is ASCII.
            f.write_str(core::str::from_utf8(piece).map_err(|_| fmt::Error)?)
        })
    }
}

/// The percent-encoded form of `input`, streamed into `out`.
pub(crate) fn write_percent_encoded(out: &mut Out<'_>, input: &str) {
    let written: Result<(), Infallible> = encode(input, |piece| {
        out.bytes(piece);
        Ok(())
    });
    let Ok(()) = written;
}

/// The one percent-encoder: hands `put` the encoded form of `input` piece by piece, unreserved
/// bytes as they are and every other byte as `%XX` (upper-case hex).
fn encode<E>(input: &str, mut put: impl FnMut(&[u8]) -> Result<(), E>) -> Result<(), E> {
    for byte in input.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            put(&[byte])?;
        } else {
            put(&[
                b'%',
                hex_digit(byte >> 4, true),
                hex_digit(byte & 0x0f, true),
            ])?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use std::prelude::rust_2024::*;

    fn enc(s: &str) -> String {
        let mut buf = [0u8; 256];
        let n = percent_encode(s, &mut buf).unwrap();
        String::from_utf8(buf[..n].to_vec()).unwrap()
    }

    #[test]
    fn app_key_hash_is_encoded() {
        assert_eq!(enc("org#app"), "org%23app");
        assert_eq!(enc("a-b.c_d~e"), "a-b.c_d~e");
        assert_eq!(enc("a b&c=d/e?f+g%"), "a%20b%26c%3Dd%2Fe%3Ff%2Bg%25");
        assert_eq!(enc("é"), "%C3%A9");
    }

    #[test]
    fn display_matches_the_writer() {
        for s in ["org#app", "a-b.c_d~e", "a b&c=d/e?f+g%", "é", ""] {
            assert_eq!(PercentEncoded(s).to_string(), enc(s));
        }
    }

    #[test]
    fn too_small() {
        let mut buf = [0u8; 5];
        assert_eq!(
            percent_encode("org#app", &mut buf),
            Err(BufferTooSmall { needed: 9 })
        );
    }
}
