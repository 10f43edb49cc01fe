//! Human-readable, credential-free descriptions of frames, for logs and the frame log.

use std::fmt::Write as _;

use prost::Message;

use crate::frames::command_of;
use crate::pb::{
    CommNotice, CommSyncDl, CommSyncUl, CommUnreadDl, Logout, MSync, MessageBody, Meta, Provision,
    StatisticsBody, m_sync::Command, meta::NameSpace,
};

const REDACTED: &str = "<redacted>";

/// Describes a frame: the envelope (without `auth`), then its body and the bodies of its metas,
/// decoded, leaving out absent fields. Tokens in `auth` and `auth_token` are replaced by
/// `<redacted>`.
pub(crate) fn describe(frame: &MSync, up: bool) -> String {
    compact(&describe_all(frame, up))
}

/// Drops `name: None` and `name: []` entries from `Debug` output (outside string literals).
fn compact(debug: &str) -> String {
    let mut out = String::with_capacity(debug.len());
    let mut rest = debug;
    while !rest.is_empty() {
        // Copy a string literal whole, so that its contents are never taken for fields.
        if let Some(after) = rest.strip_prefix('"') {
            let end = string_end(after);
            let (literal, tail) = rest.split_at(end + 1);
            out.push_str(literal);
            rest = tail;
            continue;
        }
        let at_field = out.ends_with("{ ") || out.ends_with(", ");
        if let Some(skip) = empty_field_len(rest).filter(|_| at_field) {
            rest = &rest[skip..];
            if out.ends_with(", ") && rest.starts_with('}') {
                out.truncate(out.len() - 2);
                out.push(' ');
            }
            continue;
        }
        let mut chars = rest.chars();
        if let Some(c) = chars.next() {
            out.push(c);
        }
        rest = chars.as_str();
    }
    out.replace("{ }", "{}")
}

/// Byte length of a string literal's body and closing quote, given the text after `"`.
fn string_end(after_quote: &str) -> usize {
    let mut escaped = false;
    for (i, c) in after_quote.char_indices() {
        match c {
            '\\' if !escaped => escaped = true,
            '"' if !escaped => return i + 1,
            _ => escaped = false,
        }
    }
    after_quote.len()
}

/// If `text` starts with `ident: None` or `ident: []` followed by `, ` or ` }`, the length to
/// skip (including a following `, `).
fn empty_field_len(text: &str) -> Option<usize> {
    let ident = text.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))?;
    if ident == 0 {
        return None;
    }
    let after = &text[ident..];
    let value = [": None", ": []"].iter().find(|v| after.starts_with(**v))?;
    let tail = &after[value.len()..];
    if tail.starts_with(", ") {
        Some(ident + value.len() + 2)
    } else if tail.starts_with(" }") {
        Some(ident + value.len() + 1)
    } else {
        None
    }
}

fn describe_all(frame: &MSync, up: bool) -> String {
    let mut envelope = frame.clone();
    let payload = envelope.payload.take();
    if envelope.auth.is_some() {
        envelope.auth = Some(REDACTED.to_owned());
    }
    let mut out = format!("{envelope:?}");
    if frame.compress_algorimth.unwrap_or(0) != 0 {
        out.push_str(" body=<compressed>");
        return out;
    }
    let payload = payload.unwrap_or_default();
    let body = match command_of(frame) {
        Some(Command::Sync) if up => sync_ul(&payload),
        Some(Command::Sync) => sync_dl(&payload),
        Some(Command::Unread) if up => Ok(String::new()),
        Some(Command::Unread) => CommUnreadDl::decode(payload.as_slice()).map(|b| format!("{b:?}")),
        Some(Command::Notice) => CommNotice::decode(payload.as_slice()).map(|b| format!("{b:?}")),
        Some(Command::Provision) => Provision::decode(payload.as_slice()).map(|mut b| {
            let had_token = b.auth_token.take().is_some();
            if b.password.is_some() {
                b.password = Some(REDACTED.to_owned());
            }
            if had_token {
                format!("{b:?} auth_token={REDACTED}")
            } else {
                format!("{b:?}")
            }
        }),
        Some(Command::Logout) => Logout::decode(payload.as_slice()).map(|b| format!("{b:?}")),
        None => Ok(format!("<{} payload bytes>", payload.len())),
    };
    match body {
        Ok(text) if text.is_empty() => {}
        Ok(text) => {
            let _ = write!(out, " body={text}");
        }
        Err(e) => {
            let _ = write!(out, " body=<undecodable: {e}>");
        }
    }
    out
}

fn sync_ul(payload: &[u8]) -> Result<String, prost::DecodeError> {
    let mut body = CommSyncUl::decode(payload)?;
    let inner = body.meta.as_mut().map(meta_body);
    Ok(match inner {
        Some(inner) => format!("{body:?} meta.payload={inner}"),
        None => format!("{body:?}"),
    })
}

fn sync_dl(payload: &[u8]) -> Result<String, prost::DecodeError> {
    let mut body = CommSyncDl::decode(payload)?;
    let inner: Vec<String> = body.metas.iter_mut().map(meta_body).collect();
    let mut out = format!("{body:?}");
    for (i, text) in inner.iter().enumerate() {
        let _ = write!(out, " metas[{i}].payload={text}");
    }
    Ok(out)
}

/// Takes a meta's payload out and describes it by namespace.
fn meta_body(meta: &mut Meta) -> String {
    let payload = meta.payload.take().unwrap_or_default();
    let decoded = match meta.ns.and_then(|n| NameSpace::try_from(n).ok()) {
        Some(NameSpace::Chat) => MessageBody::decode(payload.as_slice()).map(|b| format!("{b:?}")),
        Some(NameSpace::Statistic) => {
            StatisticsBody::decode(payload.as_slice()).map(|b| format!("{b:?}"))
        }
        _ => Ok(String::from_utf8_lossy(&payload).into_owned()),
    };
    decoded.unwrap_or_else(|e| format!("<undecodable: {e}>"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frames::{auth_token_json, provision_ok};

    #[test]
    fn tokens_never_appear() {
        let up = MSync {
            auth: Some("$t$SECRET-TOKEN".into()),
            command: Some(Command::Provision as i32),
            payload: Some(
                Provision {
                    auth_token: Some(br#"{"token":"$t$SECRET-TOKEN"}"#.to_vec()),
                    resource: Some("dev1".into()),
                    ..Provision::default()
                }
                .encode_to_vec(),
            ),
            ..MSync::default()
        };
        let text = describe(&up, true);
        assert!(!text.contains("SECRET"), "{text}");
        assert!(text.contains("dev1") && text.contains(REDACTED), "{text}");

        let down = provision_ok("dev1", Some(auth_token_json("SECRET-TOKEN", 5)), "s:");
        let text = describe(&down, false);
        assert!(!text.contains("SECRET"), "{text}");
    }

    #[test]
    fn absent_fields_are_left_out() {
        let frame = crate::frames::notice(crate::frames::jid("o#a", "bob", "easemob.com"));
        let text = describe(&frame, false);
        assert_eq!(
            text,
            "MSync { command: Some(Notice) } body=CommNotice { queue: Some(Jid { app_key: \
             Some(\"o#a\"), name: Some(\"bob\"), domain: Some(\"easemob.com\") }) }"
        );
        assert_eq!(
            compact(r#"A { s: Some("x: None, "), b: None }"#),
            r#"A { s: Some("x: None, ") }"#
        );
        assert_eq!(compact("A { a: None, b: [] }"), "A {}");
    }

    #[test]
    fn garbage_payloads_are_described_not_fatal() {
        let frame = MSync {
            command: Some(Command::Sync as i32),
            payload: Some(vec![0xff, 0xff, 0xff]),
            ..MSync::default()
        };
        assert!(describe(&frame, true).contains("undecodable"));
    }
}
