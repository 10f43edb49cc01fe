//! The server's answer to the WebSocket upgrade, checked against the RFC 6455 sample key (the
//! seeds carry its accept value, `s3pPLMBiTxaQ9kYGzzhZRbK+xOo=`).
//!
//! Checks: a complete answer is complete with the same length however much follows it, and
//! every shorter prefix of it asks for more; `consumed` lies within the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use msync_core::wire::ws::{HandshakeStatus, MAX_HANDSHAKE_RESPONSE, check_handshake_response};

const KEY: [u8; 16] = *b"the sample nonce";

fuzz_target!(|response: &[u8]| {
    let Ok(HandshakeStatus::Complete { consumed }) = check_handshake_response(response, &KEY)
    else {
        return;
    };
    assert!(consumed > 0 && consumed <= response.len() && consumed <= MAX_HANDSHAKE_RESPONSE);
    assert_eq!(
        check_handshake_response(&response[..consumed], &KEY),
        Ok(HandshakeStatus::Complete { consumed })
    );
    // Every prefix would be quadratic; a spread of them covers each part of the head.
    let step = (consumed / 64).max(1);
    for prefix in (0..consumed).step_by(step).chain([consumed - 1]) {
        assert_eq!(
            check_handshake_response(&response[..prefix], &KEY),
            Ok(HandshakeStatus::NeedMore),
            "a prefix of {prefix} bytes of a complete answer"
        );
    }
});
