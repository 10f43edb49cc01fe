//! JSON strings: a validated view over a string as written in the input ([`JsonStr`]), and the
//! escaping writer used by the encoders.

use core::fmt;

use crate::wire::BufferTooSmall;
use crate::wire::http::out::{Out, hex_digit, write_measured};

/// A JSON string (or number) exactly as written in the input, without the quotes.
///
/// The reader has already checked it: escapes are well formed, surrogate pairs match, the text
/// is UTF-8. When it holds no escape, [`as_str`](Self::as_str) borrows it directly; otherwise
/// [`unescape_into`](Self::unescape_into) decodes it into a caller buffer, and
/// [`chars`](Self::chars) / [`eq_str`](Self::eq_str) work without a buffer.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct JsonStr<'a> {
    raw: &'a str,
    escaped: bool,
}

impl<'a> JsonStr<'a> {
    /// A view over already-validated text; `escaped` says whether it holds a backslash.
    pub(crate) const fn from_validated(raw: &'a str, escaped: bool) -> Self {
        Self { raw, escaped }
    }

    /// The text as written, escapes included.
    pub const fn raw(&self) -> &'a str {
        self.raw
    }

    /// Whether the text holds escape sequences.
    pub const fn has_escapes(&self) -> bool {
        self.escaped
    }

    /// The text, when it holds no escapes (then it is exactly the value).
    pub const fn as_str(&self) -> Option<&'a str> {
        if self.escaped { None } else { Some(self.raw) }
    }

    /// The decoded characters.
    pub fn chars(&self) -> Unescaped<'a> {
        Unescaped { rest: self.raw }
    }

    /// The length of the decoded value in UTF-8 bytes.
    pub fn unescaped_len(&self) -> usize {
        if self.escaped {
            self.chars().map(char::len_utf8).sum()
        } else {
            self.raw.len()
        }
    }

    /// Decodes the value into `out` and returns it as a `&str` borrowing `out`.
    pub fn unescape_into<'b>(&self, out: &'b mut [u8]) -> Result<&'b str, BufferTooSmall> {
        let len = write_measured(out, |o| {
            let mut utf8 = [0u8; 4];
            for c in self.chars() {
                o.str(c.encode_utf8(&mut utf8));
            }
        })?;
        let written = out.get(..len).unwrap_or_default();
        // Only whole characters were written, so this cannot fail; fall back to "" regardless.
        Ok(core::str::from_utf8(written).unwrap_or_default())
    }

    /// Whether the decoded value equals `s`.
    pub fn eq_str(&self, s: &str) -> bool {
        if self.escaped {
            self.chars().eq(s.chars())
        } else {
            self.raw == s
        }
    }
}

impl fmt::Debug for JsonStr<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\"{}\"", self.raw)
    }
}

#[cfg(feature = "defmt")]
impl defmt::Format for JsonStr<'_> {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(f, "\"{=str}\"", self.raw)
    }
}

/// A [`JsonStr`] that holds a credential (a token): it reads like one (through `Deref`), but
/// its `Debug` and `defmt` output is redacted.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct SecretStr<'a>(JsonStr<'a>);

impl<'a> SecretStr<'a> {
    pub(crate) const fn new(inner: JsonStr<'a>) -> Self {
        Self(inner)
    }

    /// The string itself, as an ordinary (printable) [`JsonStr`].
    pub const fn expose(&self) -> JsonStr<'a> {
        self.0
    }
}

impl<'a> core::ops::Deref for SecretStr<'a> {
    type Target = JsonStr<'a>;

    fn deref(&self) -> &JsonStr<'a> {
        &self.0
    }
}

impl fmt::Debug for SecretStr<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

#[cfg(feature = "defmt")]
impl defmt::Format for SecretStr<'_> {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(f, "<redacted>")
    }
}

/// The decoded characters of a [`JsonStr`].
#[derive(Clone, Debug)]
pub struct Unescaped<'a> {
    rest: &'a str,
}

impl Iterator for Unescaped<'_> {
    type Item = char;

    fn next(&mut self) -> Option<char> {
        let mut chars = self.rest.chars();
        let c = chars.next()?;
        if c != '\\' {
            self.rest = chars.as_str();
            return Some(c);
        }
        let escape = chars.next()?;
        let decoded = match escape {
            'b' => '\u{8}',
            'f' => '\u{c}',
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            'u' => {
                let (c, rest) = decode_unicode_escape(chars.as_str());
                self.rest = rest;
                return Some(c);
            }
            other => other,
        };
        self.rest = chars.as_str();
        Some(decoded)
    }
}

/// Decodes the `XXXX` after `\u` (and a following `\uXXXX` low surrogate). Invalid input (which
/// the reader never lets through) decodes to U+FFFD.
fn decode_unicode_escape(after_u: &str) -> (char, &str) {
    let Some((high, rest)) = hex4(after_u) else {
        return (char::REPLACEMENT_CHARACTER, "");
    };
    if !(0xD800..0xDC00).contains(&high) {
        return (
            char::from_u32(high).unwrap_or(char::REPLACEMENT_CHARACTER),
            rest,
        );
    }
    let Some((low, rest)) = rest.strip_prefix("\\u").and_then(hex4) else {
        return (char::REPLACEMENT_CHARACTER, rest);
    };
    let code = 0x10000 + ((high - 0xD800) << 10) + (low.wrapping_sub(0xDC00) & 0x3FF);
    (
        char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER),
        rest,
    )
}

/// Four hex digits at the start of `s`, and the rest.
pub(crate) fn hex4(s: &str) -> Option<(u32, &str)> {
    let digits = s.get(..4)?;
    let value = u32::from_str_radix(digits, 16).ok()?;
    // `from_str_radix` accepts a leading `+`; JSON does not.
    if digits.starts_with('+') {
        return None;
    }
    Some((value, s.get(4..).unwrap_or_default()))
}

/// Writes `s` as a quoted JSON string with the escapes serde_json uses: `\"`, `\\`, `\b`,
/// `\f`, `\n`, `\r`, `\t`, and `\u00xx` for other control characters; everything else
/// (non-ASCII included) is written as UTF-8.
pub(crate) fn write_json_string(o: &mut Out<'_>, s: &str) {
    o.byte(b'"');
    write_json_escaped(o, s);
    o.byte(b'"');
}

/// Writes the inside of [`write_json_string`]'s output: `s` escaped, without quotes.
pub(crate) fn write_json_escaped(o: &mut Out<'_>, s: &str) {
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escape: Option<&[u8]> = match b {
            b'"' => Some(b"\\\""),
            b'\\' => Some(b"\\\\"),
            0x08 => Some(b"\\b"),
            0x0c => Some(b"\\f"),
            b'\n' => Some(b"\\n"),
            b'\r' => Some(b"\\r"),
            b'\t' => Some(b"\\t"),
            0x00..=0x1f => Some(b""),
            _ => None,
        };
        let Some(escape) = escape else { continue };
        o.bytes(bytes.get(start..i).unwrap_or_default());
        if escape.is_empty() {
            o.bytes(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                hex_digit(b >> 4, false),
                hex_digit(b & 0xf, false),
            ]);
        } else {
            o.bytes(escape);
        }
        start = i.saturating_add(1);
    }
    o.bytes(bytes.get(start..).unwrap_or_default());
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use crate::wire::http::out::write_measured;
    use std::prelude::rust_2024::*;
    use std::vec;

    fn escaped(s: &str) -> String {
        let mut buf = vec![0u8; s.len() * 6 + 2];
        let n = write_measured(&mut buf, |o| write_json_string(o, s)).unwrap();
        String::from_utf8(buf[..n].to_vec()).unwrap()
    }

    #[test]
    fn escapes_like_serde_json() {
        for s in [
            "",
            "plain",
            "q\"b\\s/",
            "\u{0}\u{1f}\u{7f}\u{8}\u{c}\n\r\t",
            "中文 ✓ 😀",
        ] {
            assert_eq!(escaped(s), serde_json::to_string(s).unwrap());
        }
    }

    #[test]
    fn unescapes() {
        let s = JsonStr::from_validated(r#"a\"b\\c\/d\n\u00e9\ud83d\ude00"#, true);
        let mut buf = [0u8; 32];
        assert_eq!(s.unescape_into(&mut buf).unwrap(), "a\"b\\c/d\né😀");
        assert_eq!(s.unescaped_len(), "a\"b\\c/d\né😀".len());
        assert!(s.eq_str("a\"b\\c/d\né😀"));
        assert!(!s.eq_str("a"));
        assert_eq!(s.as_str(), None);
        let mut small = [0u8; 3];
        assert!(s.unescape_into(&mut small).is_err());
        let plain = JsonStr::from_validated("abc", false);
        assert_eq!(plain.as_str(), Some("abc"));
        assert!(plain.eq_str("abc"));
    }

    #[test]
    fn hex4_rejects_sign() {
        assert_eq!(hex4("+123"), None);
        assert_eq!(hex4("00e9x"), Some((0xe9, "x")));
        assert_eq!(hex4("12"), None);
    }
}
