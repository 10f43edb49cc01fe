//! The protobuf-JSON view of msync messages, written without allocation to any
//! [`core::fmt::Write`].
//!
//! Conventions (those of `vectors/README.md`, "How the JSON views are written"):
//!
//! - field names are the schema's own (`compress_algorimth`, `displayName`), in field-number
//!   order; a field appears exactly when it is present (zeros included);
//! - enums by name, unknown values as numbers;
//! - 64-bit integers as decimal strings, 32-bit integers as numbers, bools as `true`/`false`,
//!   floats and doubles as numbers (`"NaN"`, `"Infinity"`, `"-Infinity"` as strings);
//! - bytes as padded standard base64 (`payload` stays base64 in the envelope view);
//! - repeated fields as arrays in wire order (absent when empty); strings JSON-escaped.
//!
//! [`write_envelope_json`] writes the envelope, [`write_payload_json`] the payload view:
//! `{"Provision":{...}}`, plus a second key with the decoded `MessageBody` or `StatisticsBody`
//! when the body holds a meta.

use core::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use super::{Body, Command, Direction, FieldValue, MSync, Message, Meta, MetaBody, Repeated};
use crate::wire::proto::{DecodeError, Encode, for_each_chunk};

/// Why a payload view could not be written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum ViewError {
    /// The frame has no `payload` field (e.g. UNREAD up), so there is no payload view.
    NoPayload,
    /// The payload (or a meta's payload) could not be decoded; compressed payloads report
    /// [`DecodeError::CompressedPayload`]: inflate them and use [`write_body_json`].
    Decode(DecodeError),
    /// The command has no known body type.
    UnknownCommand(Command),
    /// The writer failed.
    Format,
}

impl From<DecodeError> for ViewError {
    fn from(error: DecodeError) -> Self {
        Self::Decode(error)
    }
}

impl From<fmt::Error> for ViewError {
    fn from(_: fmt::Error) -> Self {
        Self::Format
    }
}

impl fmt::Display for ViewError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoPayload => f.write_str("the frame has no payload"),
            Self::Decode(error) => write!(f, "payload cannot be decoded: {error}"),
            Self::UnknownCommand(command) => write!(f, "no body type for command {command}"),
            Self::Format => f.write_str("the JSON writer failed"),
        }
    }
}

impl core::error::Error for ViewError {}

/// Writes the JSON view of any message, enum or scalar.
pub fn write_json<'a, T: FieldValue<'a>>(value: &T, out: &mut impl fmt::Write) -> fmt::Result {
    value.write_json(out)
}

/// Writes the envelope view (`decoded` in the vectors); `payload` appears as base64.
pub fn write_envelope_json(msync: &MSync<'_>, out: &mut impl fmt::Write) -> fmt::Result {
    msync.write_json(out)
}

/// Writes the payload view (`payload_decoded` in the vectors) of a frame travelling in
/// `direction`: `{"<Body>":{...}}`, plus the decoded meta payload when the body holds a meta.
///
/// A zlib payload is reported as [`DecodeError::CompressedPayload`]: inflate it (see
/// [`MSync::inflate_payload`]) and call [`write_body_json`].
pub fn write_payload_json(
    msync: &MSync<'_>,
    direction: Direction,
    out: &mut impl fmt::Write,
) -> Result<(), ViewError> {
    let payload = msync.plain_payload()?.ok_or(ViewError::NoPayload)?;
    write_body_json(msync.command(), direction, payload, out)
}

/// Writes the payload view of an already plain (inflated) `payload` for `command`.
///
/// The body is decoded and validated completely before anything is written, so a decode error
/// leaves `out` untouched. Meta payloads: one meta gives a second key (`"MessageBody"` for
/// `ns` CHAT, `"StatisticsBody"` for `ns` STATISTIC, none for other namespaces); a batch of
/// several metas gives a second key `"decoded_metas"`, an array with one such object per meta.
pub fn write_body_json(
    command: Command,
    direction: Direction,
    payload: &[u8],
    out: &mut impl fmt::Write,
) -> Result<(), ViewError> {
    let body = Body::decode(command, direction, payload)?;
    let no_metas = Repeated::EMPTY;
    let (name, value, one_meta, metas): (&str, &dyn ErasedMessage, _, _) = match &body {
        Body::SyncUl(b) => (name_of(b), b, b.meta, no_metas),
        Body::SyncDl(b) => (name_of(b), b, None, b.metas),
        Body::UnreadUl(b) => (name_of(b), b, None, no_metas),
        Body::UnreadDl(b) => (name_of(b), b, None, no_metas),
        Body::Notice(b) => (name_of(b), b, None, no_metas),
        Body::Provision(b) => (name_of(b), b, None, no_metas),
        Body::Logout(b) => (name_of(b), b, None, no_metas),
        Body::Unknown(command, _) => return Err(ViewError::UnknownCommand(*command)),
    };
    let all_metas = || one_meta.into_iter().chain(metas.iter());
    // Decode every meta payload first: the view is all or nothing.
    for meta in all_metas() {
        meta.body()?;
    }
    let out: &mut dyn fmt::Write = out;
    let mut object = JsonObject::begin(out)?;
    value.json(object.member(name)?)?;
    if all_metas().count() == 1 {
        for meta in all_metas() {
            write_meta_body_member(&meta, &mut object)?;
        }
    } else if all_metas().count() > 1 {
        let array = object.member("decoded_metas")?;
        array.write_char('[')?;
        for (index, meta) in all_metas().enumerate() {
            if index > 0 {
                array.write_char(',')?;
            }
            let mut inner = JsonObject::begin(array)?;
            write_meta_body_member(&meta, &mut inner)?;
            inner.end()?;
        }
        array.write_char(']')?;
    }
    object.end()?;
    Ok(())
}

fn name_of<'a, M: Message<'a>>(_: &M) -> &'static str {
    M::NAME
}

/// Writes `"MessageBody":{...}` or `"StatisticsBody":{...}` for a meta's payload.
fn write_meta_body_member(meta: &Meta<'_>, object: &mut JsonObject<'_>) -> Result<(), ViewError> {
    match meta.body()? {
        MetaBody::Chat(body) => body.write_json(object.member(name_of(&body))?)?,
        MetaBody::Statistic(body) => body.write_json(object.member(name_of(&body))?)?,
        MetaBody::Json(_) | MetaBody::Other(..) => {}
    }
    Ok(())
}

/// Object-safe access to a message's JSON writer.
trait ErasedMessage {
    fn json(&self, out: &mut dyn fmt::Write) -> fmt::Result;
}

impl<'a, T: FieldValue<'a>> ErasedMessage for T {
    fn json(&self, out: &mut dyn fmt::Write) -> fmt::Result {
        self.write_json(out)
    }
}

/// Writes a JSON object member by member, placing the commas.
pub(crate) struct JsonObject<'w> {
    out: &'w mut dyn fmt::Write,
    empty: bool,
}

impl<'w> JsonObject<'w> {
    /// Writes `{`.
    pub(crate) fn begin(out: &'w mut dyn fmt::Write) -> Result<Self, fmt::Error> {
        out.write_char('{')?;
        Ok(Self { out, empty: true })
    }

    /// Writes the separator and `"name":`, and returns the writer for the value.
    pub(crate) fn member(&mut self, name: &str) -> Result<&mut dyn fmt::Write, fmt::Error> {
        if !self.empty {
            self.out.write_char(',')?;
        }
        self.empty = false;
        write_json_string(self.out, name)?;
        self.out.write_char(':')?;
        Ok(&mut *self.out)
    }

    /// Writes `}`.
    pub(crate) fn end(self) -> fmt::Result {
        self.out.write_char('}')
    }
}

/// Writes `text` as a JSON string literal.
pub(crate) fn write_json_string(out: &mut dyn fmt::Write, text: &str) -> fmt::Result {
    out.write_char('"')?;
    let mut rest = text;
    while let Some(index) = rest.find(|c: char| c == '"' || c == '\\' || c < ' ') {
        let (plain, tail) = rest.split_at(index);
        out.write_str(plain)?;
        let mut chars = tail.chars();
        match chars.next() {
            Some('"') => out.write_str("\\\"")?,
            Some('\\') => out.write_str("\\\\")?,
            Some('\n') => out.write_str("\\n")?,
            Some('\r') => out.write_str("\\r")?,
            Some('\t') => out.write_str("\\t")?,
            Some(c) => write!(out, "\\u{:04x}", u32::from(c))?,
            None => {}
        }
        rest = chars.as_str();
    }
    out.write_str(rest)?;
    out.write_char('"')
}

/// Writes `bytes` as a JSON string of padded standard base64.
pub(crate) fn write_base64(out: &mut dyn fmt::Write, bytes: &[u8]) -> fmt::Result {
    write_base64_of(out, &bytes)
}

/// Writes the encoding of `value` as a JSON string of padded standard base64, in small
/// pieces (a multiple of 3 bytes each, so padding only ever ends the last one).
pub(crate) fn write_base64_of(out: &mut dyn fmt::Write, value: &dyn Encode) -> fmt::Result {
    out.write_char('"')?;
    for_each_chunk(value, |piece| {
        let mut text = [0u8; 64];
        let len = STANDARD
            .encode_slice(piece, &mut text)
            .map_err(|_| fmt::Error)?;
        let text = text.get(..len).ok_or(fmt::Error)?;
        out.write_str(core::str::from_utf8(text).map_err(|_| fmt::Error)?)
    })?;
    out.write_char('"')
}

#[cfg(test)]
mod tests {
    extern crate std;
    use std::{format, string::String, vec, vec::Vec};

    use super::*;

    fn string_json(text: &str) -> String {
        let mut out = String::new();
        write_json_string(&mut out, text).unwrap();
        out
    }

    #[test]
    fn escapes_strings() {
        assert_eq!(string_json("plain"), "\"plain\"");
        assert_eq!(
            string_json("a\"b\\c\nd\u{1}é"),
            "\"a\\\"b\\\\c\\nd\\u0001é\""
        );
        for text in ["", "\u{7f}\u{1f}\t\r", "日本語 \"x\""] {
            let parsed: String = serde_json::from_str(&string_json(text)).unwrap();
            assert_eq!(parsed, text);
        }
    }

    #[test]
    fn base64_known_values() {
        for (bytes, text) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
        ] {
            let mut out = String::new();
            write_base64(&mut out, bytes.as_bytes()).unwrap();
            assert_eq!(out, format!("\"{text}\""));
        }
    }

    #[test]
    fn base64_in_pieces_matches_one_shot() {
        for len in [0usize, 1, 2, 3, 47, 48, 49, 100, 145] {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 7) as u8).collect();
            let mut out = String::new();
            write_base64(&mut out, &bytes).unwrap();
            let mut whole = vec![0u8; len.div_ceil(3) * 4];
            let written = STANDARD.encode_slice(&bytes, &mut whole).unwrap();
            assert_eq!(
                out,
                format!("\"{}\"", std::str::from_utf8(&whole[..written]).unwrap())
            );
        }
    }
}
