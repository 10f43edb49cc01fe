//! Percent-encoding (RFC 3986 §2.1) of query values and path segments.
//!
//! Everything except the unreserved characters (`A-Z a-z 0-9 - . _ ~`) is encoded, so the result
//! is safe both as a query value and as a path segment; in particular `#` becomes `%23` (the app
//! key `org#app` is sent as `org%23app`).

use super::out::{Out, hex_digit, write_measured};
use crate::wire::BufferTooSmall;

/// Writes `input` percent-encoded into `out` and returns the number of bytes written.
///
/// Unreserved characters are kept, every other byte becomes `%XX` (upper-case hex).
pub fn percent_encode(input: &str, out: &mut [u8]) -> Result<usize, BufferTooSmall> {
    write_measured(out, |o| write_percent_encoded(o, input))
}

/// The percent-encoded form of `input`, streamed into `out`.
pub(crate) fn write_percent_encoded(out: &mut Out<'_>, input: &str) {
    for byte in input.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.byte(byte);
        } else {
            out.bytes(&[
                b'%',
                hex_digit(byte >> 4, true),
                hex_digit(byte & 0x0f, true),
            ]);
        }
    }
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
    fn too_small() {
        let mut buf = [0u8; 5];
        assert_eq!(
            percent_encode("org#app", &mut buf),
            Err(BufferTooSmall { needed: 9 })
        );
    }
}
