//! `msync decode` on malformed input: a precise message on stderr, the documented exit code
//! (2 for unusable text, 1 for bytes that are not an msync frame), never a panic.

mod common;

use common::{field, run, run_with_stdin, vector, vectors};

/// Runs `msync decode ARGS`, checks the exit code, that stdout is empty, and that stderr names
/// the problem.
fn rejects(args: &[&str], code: i32, message: &str) {
    let mut full = vec!["decode"];
    full.extend(args);
    let outcome = run(&full);
    outcome.assert_code(code);
    assert!(outcome.stdout.is_empty(), "{outcome:#?}");
    assert!(
        outcome.stderr.contains(message),
        "{message:?} in {outcome:#?}"
    );
}

#[test]
fn text_that_is_not_hex_or_base64_is_a_usage_error() {
    rejects(&["40015"], 2, "odd number of hex digits (5)");
    rejects(
        &["--hex", "40 01 5g"],
        2,
        "invalid hex character 'g' at offset 7",
    );
    rejects(
        &["QAFY!AKAB"],
        2,
        "invalid base64 character '!' at offset 4",
    );
    rejects(
        &["--alipay", "QAFYA"],
        2,
        "5 base64 symbols cannot encode whole bytes",
    );
    rejects(
        &["--alipay", "QA=FYA"],
        2,
        "misplaced base64 padding '=' at offset 2",
    );
    rejects(&["--alipay", "Zh=="], 2, "stray bits");
    rejects(&["é0"], 2, "invalid base64 character 'é' at offset 0");
}

#[test]
fn empty_input_is_a_usage_error() {
    rejects(&[""], 2, "the frame is empty");
    rejects(&[" \n\t "], 2, "the frame is empty");
    let outcome = run_with_stdin(&["decode", "-"], b"");
    outcome.assert_code(2);
    assert!(
        outcome.stderr.contains("the frame is empty"),
        "{outcome:#?}"
    );
}

#[test]
fn stdin_that_is_not_text_is_a_usage_error() {
    let outcome = run_with_stdin(&["decode", "-"], &[0x12, 0x36, 0xff, 0xfe]);
    outcome.assert_code(2);
    assert!(outcome.stderr.contains("stdin is not text"), "{outcome:#?}");
}

#[test]
fn bad_command_lines_are_usage_errors() {
    for args in [
        &["decode"][..],
        &["decode", "--alipay", "--hex", "4000"],
        &["decode", "-", "4000"],
        &["decode", "--direction", "sideways", "4000"],
    ] {
        let outcome = run(args);
        outcome.assert_code(2);
        assert!(outcome.stderr.contains("error"), "{outcome:#?}");
    }
}

#[test]
fn truncated_frames_are_bad_frames() {
    // Cut inside the 54-byte guid of the login frame.
    let login = vector("provision_up");
    let hex = field(&login, "hex");
    rejects(&[&hex[..20]], 1, "not an msync frame: message truncated");
    // A tag with no value.
    rejects(&["0a"], 1, "not an msync frame: message truncated");
    // Wire type 7 does not exist.
    rejects(&["0f"], 1, "not an msync frame: invalid wire type 7");
    // Field number 0.
    rejects(&["0000"], 1, "invalid field number 0");
    // An eleven-byte varint.
    rejects(&["40ffffffffffffffffffff01"], 1, "varint");
    // Read as base64 on auto-detection, the message says how to force hex.
    rejects(&["Cg"], 1, "--hex reads it as hex");
}

#[test]
fn every_cut_of_every_vector_exits_cleanly() {
    // Through the binary for a few cut points per vector; the in-process property tests cover
    // every cut.
    for vector in vectors() {
        let hex = field(&vector, "hex");
        let len = hex.len() / 2;
        for cut in [1, len / 3, len / 2, len - 1] {
            let outcome = run(&["decode", "--json", &hex[..cut * 2]]);
            match outcome.code {
                Some(0) => {
                    outcome.json();
                }
                Some(1) => assert!(outcome.stderr.starts_with("error: "), "{outcome:#?}"),
                _ => panic!("{} cut at {cut}: {outcome:#?}", vector["name"]),
            }
            assert!(!outcome.stderr.contains("panicked"), "{outcome:#?}");
        }
    }
}

#[test]
fn random_bytes_exit_cleanly() {
    // A fixed linear congruential sequence: reproducible noise of several lengths.
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    for len in [1usize, 2, 3, 7, 16, 33, 64, 200, 1000] {
        let hex: String = (0..len)
            .map(|_| {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1);
                format!("{:02x}", (state >> 56) as u8)
            })
            .collect();
        let outcome = run(&["decode", "--json", &hex]);
        match outcome.code {
            Some(0) => {
                outcome.json();
            }
            Some(1) => assert!(outcome.stderr.starts_with("error: "), "{outcome:#?}"),
            _ => panic!("{hex}: {outcome:#?}"),
        }
        assert!(!outcome.stderr.contains("panicked"), "{outcome:#?}");
    }
}

#[test]
fn payload_problems_print_the_envelope_and_exit_1() {
    // command 9, empty payload: no body type.
    let outcome = run(&["decode", "--json", "40 09 4a 00"]);
    outcome.assert_code(1);
    let out = outcome.json();
    assert_eq!(out["decoded"]["command"], 9);
    assert_eq!(out["payload_error"], "no body type for command 9");
    assert!(
        outcome.stderr.contains("no body type for command 9"),
        "{outcome:#?}"
    );

    // PROVISION whose payload is cut short.
    let outcome = run(&["decode", "--json", "40 03 4a 02 0a 05"]);
    outcome.assert_code(1);
    let out = outcome.json();
    assert_eq!(out["decoded"]["command"], "PROVISION");
    assert_eq!(
        out["payload_error"],
        "payload cannot be decoded: message truncated"
    );

    // compress_algorimth 1 with a corrupt zlib stream.
    let outcome = run(&["decode", "--json", "20 01 40 00 4a 03 78 9c 00"]);
    outcome.assert_code(1);
    assert_eq!(
        outcome.json()["payload_error"],
        "payload cannot be decoded: zlib payload is corrupt"
    );

    // An unknown compression algorithm.
    let outcome = run(&["decode", "--json", "20 05 40 00 4a 00"]);
    outcome.assert_code(1);
    assert_eq!(
        outcome.json()["payload_error"],
        "payload cannot be decoded: unsupported compress_algorimth 5"
    );
}
