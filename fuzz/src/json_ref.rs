//! Checks of the JSON readers against `serde_json` (with arbitrary-precision numbers, so every
//! number that is valid JSON parses) as the reference.

use msync_core::wire::BufferTooSmall;
use msync_core::wire::json::{JsonError, JsonStr};
use serde_json::Value;

/// The key serde_json's `arbitrary_precision` feature reserves for its number representation:
/// a document using it is valid JSON that the reference refuses or misreads.
const RESERVED_KEY: &[u8] = b"$serde_json::private::Number";

/// Whether the reference can judge `input`: false when it contains [`RESERVED_KEY`], which
/// the targets then skip (found by `json_server`: `{"$serde_json::private::Number": "x"}`).
pub fn reference_can_judge(input: &[u8]) -> bool {
    !input
        .windows(RESERVED_KEY.len())
        .any(|window| window == RESERVED_KEY)
}

/// The reference's view of `input`, or `None` when it is not JSON.
pub fn reference(input: &[u8]) -> Option<Value> {
    serde_json::from_slice(input).ok()
}

/// Our reader and the reference agree on whether `input` is JSON: a document we accept is
/// valid JSON and an object; valid JSON is only ever refused for its content (a missing or
/// mistyped field, nesting over our limit, a root that is not an object), never as malformed.
pub fn check_syntax_agrees<T>(ours: &Result<T, JsonError>, reference: Option<&Value>) {
    match (ours, reference) {
        (Ok(_), None) => panic!("accepted a document serde_json rejects"),
        (Ok(_), Some(value)) => assert!(value.is_object(), "accepted a non-object root"),
        (Err(JsonError::InvalidField("$")), Some(value)) => {
            assert!(!value.is_object(), "refused an object root")
        }
        (
            Err(
                error @ (JsonError::UnexpectedEnd
                | JsonError::Syntax { .. }
                | JsonError::InvalidString { .. }
                | JsonError::InvalidNumber { .. }
                | JsonError::TrailingCharacters { .. }),
            ),
            Some(_),
        ) => panic!("refused valid JSON as malformed: {error:?}"),
        _ => {}
    }
}

/// Decodes `text` every way the API offers and checks they agree; returns the value.
pub fn check_str(text: JsonStr<'_>) -> String {
    let len = text.unescaped_len();
    let mut buf = vec![0u8; len];
    let value = text
        .unescape_into(&mut buf)
        .expect("unescaped_len bytes are enough")
        .to_owned();
    assert_eq!(
        value.len(),
        len,
        "unescaped_len disagrees with unescape_into"
    );
    assert_eq!(value, text.chars().collect::<String>());
    assert!(text.eq_str(&value), "eq_str rejects the string's own value");
    if !text.has_escapes() {
        assert_eq!(text.as_str(), Some(text.raw()));
        assert_eq!(value, text.raw());
    } else {
        assert_eq!(text.as_str(), None);
    }
    if len > 0 {
        let mut short = vec![0xA5u8; len - 1];
        assert_eq!(
            text.unescape_into(&mut short),
            Err(BufferTooSmall { needed: len })
        );
        assert!(
            short.iter().all(|&b| b == 0xA5),
            "a refused write changed the buffer"
        );
    }
    value
}

/// The reference's value for `key` of an object (the last one when the key repeats, as ours).
pub fn member<'v>(document: Option<&'v Value>, key: &str) -> Option<&'v Value> {
    document?.get(key).filter(|value| !value.is_null())
}

/// The reference's string value, as our readers take a string field.
pub fn as_string(value: Option<&Value>) -> Option<String> {
    value.map(|value| {
        value
            .as_str()
            .unwrap_or_else(|| panic!("we read a string where serde_json has {value}"))
            .to_owned()
    })
}

/// The reference's value read as a lenient optional string field is: a string, and absent for
/// any other type.
pub fn lenient_string(value: Option<&Value>) -> Option<String> {
    value.and_then(Value::as_str).map(str::to_owned)
}

/// The reference's value read as a lenient optional "string or number of digits" field is: a
/// number or string of decimal digits that fits `u64`, and absent for anything else.
pub fn lenient_u64(value: Option<&Value>) -> Option<u64> {
    let text = match value? {
        Value::String(text) => text.clone(),
        Value::Number(number) => number.to_string(),
        _ => return None,
    };
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// The reference's value read as our "string or number of digits" fields are.
pub fn as_u64(value: Option<&Value>) -> Option<u64> {
    value.map(|value| {
        let text = match value {
            Value::String(text) => text.clone(),
            Value::Number(number) => number.to_string(),
            other => panic!("we read a number where serde_json has {other}"),
        };
        text.parse()
            .unwrap_or_else(|_| panic!("we read a number from {text:?}"))
    })
}
