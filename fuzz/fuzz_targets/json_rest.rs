//! The small REST documents: a token reply, a REST error body, and the `auth_token` JSON of a
//! PROVISION reply, all parsed from the same input.
//!
//! Checks against serde_json: a document we accept is valid JSON and valid JSON is never
//! refused as malformed; the fields we return are the values serde_json finds (the last one
//! when a key repeats). Every string is unescaped every way the API offers, consistently.
#![no_main]

use libfuzzer_sys::fuzz_target;
use msync_core::wire::json::{parse_auth_token_reply, parse_rest_error, parse_token_response};
use msync_core_fuzz::json_ref::{
    as_string, as_u64, check_str, check_syntax_agrees, member, reference, reference_can_judge,
};

fuzz_target!(|input: &[u8]| {
    if !reference_can_judge(input) {
        return;
    }
    let reference = reference(input);
    let doc = reference.as_ref();

    let token = parse_token_response(input);
    check_syntax_agrees(&token, doc);
    if let Ok(token) = token {
        assert_eq!(
            Some(check_str(token.access_token().expose())),
            as_string(member(doc, "access_token"))
        );
        assert_eq!(token.expires_in, as_u64(member(doc, "expires_in")));
        let user = member(doc, "user").filter(|user| user.is_object());
        if let Some(activated) = user.and_then(|user| user.get("activated")) {
            assert_eq!(token.user_activated, activated.as_bool());
        }
        let debug = format!("{token:?}");
        assert!(debug.contains("<redacted>"));
        let secret = token.access_token().expose().raw();
        if secret.len() >= 24 && secret.bytes().all(|b| b.is_ascii_alphanumeric()) {
            assert!(!debug.contains(secret), "Debug shows the token: {debug}");
        }
    }

    let error = parse_rest_error(input);
    check_syntax_agrees(&error, doc);
    if let Ok(error) = error {
        assert_eq!(error.error.map(check_str), as_string(member(doc, "error")));
        assert_eq!(
            error.error_description.map(check_str),
            as_string(member(doc, "error_description"))
        );
    }

    let reply = parse_auth_token_reply(input);
    check_syntax_agrees(&reply, doc);
    if let Ok(reply) = reply {
        assert_eq!(
            reply.token().map(|token| check_str(token.expose())),
            as_string(member(doc, "token"))
        );
        assert_eq!(reply.expires_in, as_u64(member(doc, "expires_in")));
    }
});
