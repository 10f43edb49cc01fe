//! A small validating JSON pull reader over a byte slice (RFC 8259).
//!
//! The document types walk objects with callbacks and pick the keys they know; every other value
//! is skipped, but still checked, so a malformed document is rejected as a whole. Nesting is
//! bounded by [`MAX_DEPTH`]; strings are returned as [`JsonStr`] views (no copies).

use core::fmt;

use super::string::{JsonStr, hex4};

/// The deepest nesting of objects and arrays accepted. Skipping a nested value recurses, so
/// this also bounds the stack the reader uses; the documents read here nest 4 deep.
pub const MAX_DEPTH: usize = 16;

/// Why a JSON document was rejected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum JsonError {
    /// The input ended inside a value.
    UnexpectedEnd,
    /// A byte that the grammar does not allow here.
    Syntax {
        /// Byte offset in the input.
        offset: usize,
    },
    /// A malformed string: bad escape, unpaired surrogate, control character or invalid UTF-8.
    InvalidString {
        /// Byte offset of the string's opening quote.
        offset: usize,
    },
    /// A malformed number.
    InvalidNumber {
        /// Byte offset of the number.
        offset: usize,
    },
    /// Objects and arrays nested deeper than [`MAX_DEPTH`].
    TooDeep,
    /// Non-whitespace after the top-level value.
    TrailingCharacters {
        /// Byte offset of the first extra byte.
        offset: usize,
    },
    /// A required field is missing.
    MissingField(&'static str),
    /// A known field has the wrong type or an out-of-range value (`$` is the document itself).
    InvalidField(&'static str),
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnexpectedEnd => f.write_str("JSON ended unexpectedly"),
            Self::Syntax { offset } => write!(f, "JSON syntax error at byte {offset}"),
            Self::InvalidString { offset } => write!(f, "invalid JSON string at byte {offset}"),
            Self::InvalidNumber { offset } => write!(f, "invalid JSON number at byte {offset}"),
            Self::TooDeep => write!(f, "JSON nested deeper than {MAX_DEPTH}"),
            Self::TrailingCharacters { offset } => {
                write!(f, "unexpected data after the JSON value at byte {offset}")
            }
            Self::MissingField(name) => write!(f, "JSON field `{name}` is missing"),
            Self::InvalidField(name) => write!(f, "JSON field `{name}` has an invalid value"),
        }
    }
}

impl core::error::Error for JsonError {}

/// A value that is not a container.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scalar<'a> {
    Str(JsonStr<'a>),
    /// A number's text, validated against the JSON grammar.
    Num(&'a str),
    Bool(bool),
    Null,
}

impl<'a> Scalar<'a> {
    /// A non-negative integer written as a number or as a string of decimal digits (the
    /// digits may be written with JSON escapes); `None` when it is anything else or over
    /// `u64::MAX`.
    pub(crate) fn as_u64(&self) -> Option<u64> {
        match self {
            Self::Num(n) => decimal_u64(n.chars()),
            Self::Str(s) => decimal_u64(s.chars()),
            _ => None,
        }
    }

    /// A string, or a number's text.
    pub(crate) fn as_text(&self) -> Option<JsonStr<'a>> {
        match self {
            Self::Str(s) => Some(*s),
            Self::Num(n) => Some(JsonStr::from_validated(n, false)),
            _ => None,
        }
    }

    /// A string.
    pub(crate) fn as_string(&self) -> Option<JsonStr<'a>> {
        match self {
            Self::Str(s) => Some(*s),
            _ => None,
        }
    }

    /// A boolean.
    pub(crate) fn as_bool(&self) -> Option<bool> {
        match self {
            Self::Bool(b) => Some(*b),
            _ => None,
        }
    }
}

/// The value of a non-empty run of ASCII decimal digits, or `None` for any other character, an
/// empty run or an overflow.
fn decimal_u64(chars: impl Iterator<Item = char>) -> Option<u64> {
    let mut value: Option<u64> = None;
    for c in chars {
        let digit = c.to_digit(10)?;
        value = Some(
            value
                .unwrap_or(0)
                .checked_mul(10)?
                .checked_add(u64::from(digit))?,
        );
    }
    value
}

/// The pull reader.
pub(crate) struct Reader<'a> {
    src: &'a [u8],
    pos: usize,
    depth: usize,
}

impl<'a> Reader<'a> {
    pub(crate) const fn new(src: &'a [u8]) -> Self {
        Self {
            src,
            pos: 0,
            depth: 0,
        }
    }

    /// Reads a whole document whose top level must be an object, calling `field` for each key
    /// (it must consume the value), and checks that nothing but whitespace follows.
    pub(crate) fn document(
        src: &'a [u8],
        field: impl FnMut(&mut Self, JsonStr<'a>) -> Result<(), JsonError>,
    ) -> Result<(), JsonError> {
        let mut reader = Self::new(src);
        if !reader.is_object()? {
            return Err(JsonError::InvalidField("$"));
        }
        reader.object(field)?;
        reader.skip_ws();
        if reader.pos < reader.src.len() {
            return Err(JsonError::TrailingCharacters { offset: reader.pos });
        }
        Ok(())
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.src.get(self.pos) {
            self.pos = self.pos.saturating_add(1);
        }
    }

    /// The next non-whitespace byte, not consumed.
    fn peek(&mut self) -> Result<u8, JsonError> {
        self.skip_ws();
        self.src
            .get(self.pos)
            .copied()
            .ok_or(JsonError::UnexpectedEnd)
    }

    /// Consumes the next non-whitespace byte.
    fn next(&mut self) -> Result<u8, JsonError> {
        let b = self.peek()?;
        self.pos = self.pos.saturating_add(1);
        Ok(b)
    }

    fn expect(&mut self, want: u8) -> Result<(), JsonError> {
        let offset = self.pos;
        if self.next()? == want {
            Ok(())
        } else {
            Err(JsonError::Syntax {
                offset: offset.max(self.pos.saturating_sub(1)),
            })
        }
    }

    fn syntax_here(&self) -> JsonError {
        JsonError::Syntax {
            offset: self.pos.saturating_sub(1),
        }
    }

    /// Whether the next value is an object.
    pub(crate) fn is_object(&mut self) -> Result<bool, JsonError> {
        Ok(self.peek()? == b'{')
    }

    /// Whether the next value is an array.
    pub(crate) fn is_array(&mut self) -> Result<bool, JsonError> {
        Ok(self.peek()? == b'[')
    }

    fn enter(&mut self) -> Result<(), JsonError> {
        if self.depth >= MAX_DEPTH {
            return Err(JsonError::TooDeep);
        }
        self.depth = self.depth.saturating_add(1);
        Ok(())
    }

    /// Reads an object, calling `field` with each key; `field` must consume the value.
    pub(crate) fn object(
        &mut self,
        mut field: impl FnMut(&mut Self, JsonStr<'a>) -> Result<(), JsonError>,
    ) -> Result<(), JsonError> {
        self.expect(b'{')?;
        self.enter()?;
        if self.peek()? == b'}' {
            self.pos = self.pos.saturating_add(1);
        } else {
            loop {
                if self.peek()? != b'"' {
                    return Err(JsonError::Syntax { offset: self.pos });
                }
                let key = self.string()?;
                self.expect(b':')?;
                field(self, key)?;
                match self.next()? {
                    b',' => {}
                    b'}' => break,
                    _ => return Err(self.syntax_here()),
                }
            }
        }
        self.depth = self.depth.saturating_sub(1);
        Ok(())
    }

    /// Reads an array, calling `element` for each element; `element` must consume it.
    pub(crate) fn array(
        &mut self,
        mut element: impl FnMut(&mut Self) -> Result<(), JsonError>,
    ) -> Result<(), JsonError> {
        self.expect(b'[')?;
        self.enter()?;
        if self.peek()? == b']' {
            self.pos = self.pos.saturating_add(1);
        } else {
            loop {
                element(self)?;
                match self.next()? {
                    b',' => {}
                    b']' => break,
                    _ => return Err(self.syntax_here()),
                }
            }
        }
        self.depth = self.depth.saturating_sub(1);
        Ok(())
    }

    /// Skips (and checks) any value.
    pub(crate) fn skip_value(&mut self) -> Result<(), JsonError> {
        match self.peek()? {
            b'{' => self.object(|r, _| r.skip_value()),
            b'[' => self.array(Self::skip_value),
            _ => self.scalar().map(|_| ()),
        }
    }

    /// Reads a field that may be `null` (`None`); any other value must be a scalar that
    /// `convert` accepts, else the field `name` is invalid.
    pub(crate) fn nullable<T>(
        &mut self,
        name: &'static str,
        convert: impl Fn(&Scalar<'a>) -> Option<T>,
    ) -> Result<Option<T>, JsonError> {
        match self.scalar_or_skip()? {
            Some(Scalar::Null) => Ok(None),
            Some(scalar) => convert(&scalar)
                .map(Some)
                .ok_or(JsonError::InvalidField(name)),
            None => Err(JsonError::InvalidField(name)),
        }
    }

    /// Reads an optional field's value, whatever it is: what `convert` makes of a scalar it
    /// accepts, else `None` (for `null`, a scalar it refuses or a container, which is
    /// skipped). Only malformed JSON is an error.
    pub(crate) fn lenient<T>(
        &mut self,
        convert: impl Fn(&Scalar<'a>) -> Option<T>,
    ) -> Result<Option<T>, JsonError> {
        Ok(self.scalar_or_skip()?.and_then(|scalar| convert(&scalar)))
    }

    /// Reads a scalar, or skips a container and returns `None`.
    pub(crate) fn scalar_or_skip(&mut self) -> Result<Option<Scalar<'a>>, JsonError> {
        match self.peek()? {
            b'{' | b'[' => self.skip_value().map(|()| None),
            _ => self.scalar().map(Some),
        }
    }

    /// Reads a string, number or literal.
    fn scalar(&mut self) -> Result<Scalar<'a>, JsonError> {
        match self.peek()? {
            b'"' => self.string().map(Scalar::Str),
            b'-' | b'0'..=b'9' => self.number().map(Scalar::Num),
            b't' => self.literal(b"true").map(|()| Scalar::Bool(true)),
            b'f' => self.literal(b"false").map(|()| Scalar::Bool(false)),
            b'n' => self.literal(b"null").map(|()| Scalar::Null),
            _ => Err(JsonError::Syntax { offset: self.pos }),
        }
    }

    fn literal(&mut self, word: &[u8]) -> Result<(), JsonError> {
        let end = self.pos.saturating_add(word.len());
        match self.src.get(self.pos..end) {
            Some(found) if found == word => {
                self.pos = end;
                Ok(())
            }
            None if self
                .src
                .get(self.pos..)
                .is_some_and(|rest| word.starts_with(rest)) =>
            {
                Err(JsonError::UnexpectedEnd)
            }
            _ => Err(JsonError::Syntax { offset: self.pos }),
        }
    }

    /// Reads a string at the current position (after whitespace).
    pub(crate) fn string(&mut self) -> Result<JsonStr<'a>, JsonError> {
        let open = self.pos;
        self.expect(b'"')?;
        let start = self.pos;
        let mut escaped = false;
        let invalid = JsonError::InvalidString { offset: open };
        loop {
            let Some(&b) = self.src.get(self.pos) else {
                return Err(JsonError::UnexpectedEnd);
            };
            match b {
                b'"' => break,
                b'\\' => {
                    escaped = true;
                    self.pos = self.escape(self.pos.saturating_add(1), invalid)?;
                }
                0x00..=0x1f => return Err(invalid),
                _ => self.pos = self.pos.saturating_add(1),
            }
        }
        let raw = self.src.get(start..self.pos).unwrap_or_default();
        self.pos = self.pos.saturating_add(1);
        let raw = core::str::from_utf8(raw).map_err(|_| invalid)?;
        Ok(JsonStr::from_validated(raw, escaped))
    }

    /// Checks the escape whose letter is at `at`; returns the offset after it.
    fn escape(&self, at: usize, invalid: JsonError) -> Result<usize, JsonError> {
        let letter = *self.src.get(at).ok_or(JsonError::UnexpectedEnd)?;
        let after = at.saturating_add(1);
        match letter {
            b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => Ok(after),
            b'u' => {
                let code = self.hex4_at(after, invalid)?;
                let after = after.saturating_add(4);
                match code {
                    0xD800..=0xDBFF => {
                        match self.src.get(after..after.saturating_add(2)) {
                            Some(b"\\u") => {}
                            Some(_) => return Err(invalid),
                            None => {
                                return Err(if self.src.len() <= after.saturating_add(1) {
                                    JsonError::UnexpectedEnd
                                } else {
                                    invalid
                                });
                            }
                        }
                        let low_at = after.saturating_add(2);
                        let low = self.hex4_at(low_at, invalid)?;
                        if (0xDC00..=0xDFFF).contains(&low) {
                            Ok(low_at.saturating_add(4))
                        } else {
                            Err(invalid)
                        }
                    }
                    0xDC00..=0xDFFF => Err(invalid),
                    _ => Ok(after),
                }
            }
            _ => Err(invalid),
        }
    }

    fn hex4_at(&self, at: usize, invalid: JsonError) -> Result<u32, JsonError> {
        let rest = self.src.get(at..).unwrap_or_default();
        let available = rest.get(..4).unwrap_or(rest);
        if !available.iter().all(u8::is_ascii_hexdigit) {
            return Err(invalid);
        }
        let text = core::str::from_utf8(available).map_err(|_| invalid)?;
        match hex4(text) {
            Some((value, _)) => Ok(value),
            None => Err(JsonError::UnexpectedEnd),
        }
    }

    /// Reads a number: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    fn number(&mut self) -> Result<&'a str, JsonError> {
        let start = self.pos;
        let invalid = JsonError::InvalidNumber { offset: start };
        let mut pos = start;
        let at = |i: usize| self.src.get(i).copied();
        let digits_from = |mut i: usize| {
            while at(i).is_some_and(|b| b.is_ascii_digit()) {
                i = i.saturating_add(1);
            }
            i
        };
        // A number may end the input only inside a larger document, which then fails anyway;
        // at the very end of the input a number is complete, so no `UnexpectedEnd` here.
        if at(pos) == Some(b'-') {
            pos = pos.saturating_add(1);
        }
        match at(pos) {
            Some(b'0') => pos = pos.saturating_add(1),
            Some(b'1'..=b'9') => pos = digits_from(pos),
            None => return Err(JsonError::UnexpectedEnd),
            _ => return Err(invalid),
        }
        if at(pos) == Some(b'.') {
            let end = digits_from(pos.saturating_add(1));
            if end == pos.saturating_add(1) {
                return Err(end_or(self.src.len(), end, invalid));
            }
            pos = end;
        }
        if let Some(b'e' | b'E') = at(pos) {
            let mut exp = pos.saturating_add(1);
            if let Some(b'+' | b'-') = at(exp) {
                exp = exp.saturating_add(1);
            }
            let end = digits_from(exp);
            if end == exp {
                return Err(end_or(self.src.len(), end, invalid));
            }
            pos = end;
        }
        let text = self.src.get(start..pos).unwrap_or_default();
        self.pos = pos;
        // Only ASCII digits and signs were accepted.
        core::str::from_utf8(text).map_err(|_| invalid)
    }
}

/// `UnexpectedEnd` when `pos` is the end of the input, else `other`.
fn end_or(len: usize, pos: usize, other: JsonError) -> JsonError {
    if pos >= len {
        JsonError::UnexpectedEnd
    } else {
        other
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use std::format;
    use std::prelude::rust_2024::*;

    fn skip_all(input: &str) -> Result<(), JsonError> {
        let mut r = Reader::new(input.as_bytes());
        r.skip_value()?;
        r.skip_ws();
        if r.pos != input.len() {
            return Err(JsonError::TrailingCharacters { offset: r.pos });
        }
        Ok(())
    }

    /// Reads one scalar from `input` and converts it as a "string or number" integer field.
    fn scalar_u64(input: &str) -> Option<u64> {
        Reader::new(input.as_bytes()).scalar().unwrap().as_u64()
    }

    #[test]
    fn integers_are_read_from_numbers_and_digit_strings() {
        assert_eq!(scalar_u64("1700000000"), Some(1_700_000_000));
        assert_eq!(scalar_u64(r#""443""#), Some(443));
        assert_eq!(scalar_u64(r#""\u0034\u00343""#), Some(443));
        assert_eq!(scalar_u64(r#""000000000000000000000042""#), Some(42));
        assert_eq!(scalar_u64("18446744073709551615"), Some(u64::MAX));
        for not_one in [
            "18446744073709551616",
            r#""18446744073709551616""#,
            r#""""#,
            r#""+5""#,
            r#""17000864;0""#,
            r#"" 5""#,
            r#""٣""#,
            "-0",
            "1.0",
            "1e3",
            "true",
            "null",
        ] {
            assert_eq!(scalar_u64(not_one), None, "{not_one}");
        }
    }

    #[test]
    fn accepts_valid_documents() {
        for ok in [
            r#"{}"#,
            r#"[]"#,
            r#" {"a": [1, -2.5e+3, 0, 0.1, 1E5, true, false, null, "x\u00e9\ud83d\ude00"], "b": {}} "#,
            r#""\"\\\/\b\f\n\r\t""#,
            "-0",
            "\"中文\"",
        ] {
            assert_eq!(skip_all(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn rejects_invalid_documents() {
        for bad in [
            "{,}",
            "[1,]",
            r#"{"a" 1}"#,
            r#"{"a":1,}"#,
            "01",
            "1.",
            "1e",
            "-",
            "+1",
            ".5",
            r#""\x""#,
            r#""\ud800""#,
            r#""\udc00""#,
            r#""\ud800\u0041""#,
            "\"a\u{1}\"",
            "tru",
            "nul",
            "[1 2]",
            "{1:2}",
            "1 2",
            "",
        ] {
            assert!(skip_all(bad).is_err(), "{bad:?}");
        }
        assert!(skip_all(&"[".repeat(MAX_DEPTH + 1)).is_err());
        assert_eq!(
            skip_all(&format!(
                "{}{}",
                "[".repeat(MAX_DEPTH + 1),
                "]".repeat(MAX_DEPTH + 1)
            )),
            Err(JsonError::TooDeep)
        );
        let nested = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert_eq!(skip_all(&nested), Ok(()));
    }

    #[test]
    fn invalid_utf8_in_string() {
        let mut r = Reader::new(b"\"\xff\"");
        assert_eq!(r.string(), Err(JsonError::InvalidString { offset: 0 }));
    }

    #[test]
    fn scalars() {
        let mut r = Reader::new(br#"["443", 443, "4x", 1.5, -1, true, "\u0034"]"#);
        let mut got = Vec::new();
        r.array(|r| {
            got.push(r.scalar_or_skip()?.unwrap().as_u64());
            Ok(())
        })
        .unwrap();
        assert_eq!(got, [Some(443), Some(443), None, None, None, None, Some(4)]);
    }
}
