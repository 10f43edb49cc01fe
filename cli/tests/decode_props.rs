//! Property tests of the decoder in process: any text gets a view or a typed failure, never a
//! panic, and the input forms agree with each other.

mod common;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use msync_cli::cmd::decode::{
    DecodeFailure, DecodeOptions, DirectionChoice, FrameView, TextEncoding, TextError, decode_text,
};
use proptest::prelude::*;
use serde_json::Value;

fn options(encoding: TextEncoding) -> DecodeOptions {
    DecodeOptions {
        encoding,
        ..DecodeOptions::default()
    }
}

/// A view is one JSON object with the envelope under `decoded`, and `payload_error` exactly when
/// the view says so.
fn check_view(view: &FrameView) {
    let json: Value = serde_json::from_str(&view.json).expect("the view is JSON");
    assert!(json["decoded"].is_object(), "{json}");
    assert_eq!(
        json.get("payload_error").and_then(Value::as_str),
        view.payload_error.as_deref()
    );
}

fn check(result: &Result<FrameView, DecodeFailure>) {
    match result {
        Ok(view) => check_view(view),
        Err(DecodeFailure::Frame { .. } | DecodeFailure::Text(_)) => {}
    }
}

proptest! {
    #[test]
    fn random_hex_gets_a_view_or_a_typed_error(digits in "[0-9a-fA-F]{0,400}") {
        let result = decode_text(&digits, options(TextEncoding::Hex));
        if digits.is_empty() {
            prop_assert_eq!(result, Err(DecodeFailure::Text(TextError::Empty)));
        } else if digits.len() % 2 == 1 {
            prop_assert_eq!(
                result,
                Err(DecodeFailure::Text(TextError::OddHexDigits { digits: digits.len() }))
            );
        } else {
            prop_assert!(!matches!(result, Err(DecodeFailure::Text(_))));
            check(&result);
        }
    }

    #[test]
    fn whitespace_and_form_do_not_change_the_result(
        bytes in proptest::collection::vec(any::<u8>(), 1..300),
        gap in 1usize..9,
    ) {
        let hex = hex::encode(&bytes);
        let spaced: String = hex
            .as_bytes()
            .chunks(gap)
            .map(|chunk| format!("{}\n ", std::str::from_utf8(chunk).unwrap()))
            .collect();
        let plain = decode_text(&hex, options(TextEncoding::Hex));
        check(&plain);
        prop_assert_eq!(&decode_text(&spaced, options(TextEncoding::Hex)), &plain);
        let base64 = STANDARD.encode(&bytes);
        let from_base64 = decode_text(&base64, options(TextEncoding::Base64));
        let strip = |r: Result<FrameView, DecodeFailure>| r.map_err(|e| match e {
            DecodeFailure::Frame { error, .. } => Some(error),
            DecodeFailure::Text(_) => None,
        });
        prop_assert_eq!(strip(from_base64), strip(plain));
    }

    #[test]
    fn any_text_never_panics(text in any::<String>(), up in any::<bool>()) {
        for encoding in [TextEncoding::Auto, TextEncoding::Hex, TextEncoding::Base64] {
            let direction = if up { DirectionChoice::Up } else { DirectionChoice::Down };
            check(&decode_text(&text, DecodeOptions { encoding, direction }));
        }
    }
}

#[test]
fn every_prefix_of_every_vector_gets_a_view_or_a_frame_error() {
    for vector in common::vectors() {
        let bytes = hex::decode(common::field(&vector, "hex")).unwrap();
        for cut in 1..=bytes.len() {
            let result = decode_text(&hex::encode(&bytes[..cut]), DecodeOptions::default());
            assert!(!matches!(result, Err(DecodeFailure::Text(_))), "{cut}");
            check(&result);
        }
    }
}
