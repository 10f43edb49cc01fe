//! `msync decode` on the golden vectors: every frame, in every input form, prints the views of
//! `vectors/vectors.json`.

mod common;

use common::{field, run, run_with_stdin, vector, vectors};
use serde_json::{Value, json};

/// The views a vector promises, with the payload view of the zlib batch taken from the plain
/// batch it compresses.
fn expected_payload(vector: &Value) -> Option<Value> {
    match field(vector, "name") {
        "sync_batch_down_zlib" => {
            Some(common::vector("sync_batch_down")["payload_decoded"].clone())
        }
        _ => vector.get("payload_decoded").cloned(),
    }
}

fn expected_direction(vector: &Value) -> &'static str {
    match field(vector, "direction") {
        "client->server" => "up",
        "server->client" => "down",
        other => panic!("direction {other}"),
    }
}

#[test]
fn every_vector_decodes_to_its_views() {
    let vectors = vectors();
    assert_eq!(vectors.len(), 21);
    for vector in &vectors {
        let name = field(vector, "name");
        let outcome = run(&["decode", "--json", field(vector, "hex")]);
        outcome.assert_code(0);
        assert!(outcome.stderr.is_empty(), "{name}: {}", outcome.stderr);
        assert_eq!(
            outcome.stdout.lines().count(),
            1,
            "{name}: --json is one line"
        );
        let out = outcome.json();
        assert_eq!(out["decoded"], vector["decoded"], "{name}: envelope");
        assert_eq!(
            out.get("payload_decoded").cloned(),
            expected_payload(vector),
            "{name}: payload"
        );
        assert_eq!(
            out["direction"],
            expected_direction(vector),
            "{name}: direction"
        );
        assert!(out.get("payload_error").is_none(), "{name}");
        match name {
            "unread_up" => assert_eq!(out["note"], "the frame has no payload"),
            "sync_batch_down_zlib" => {
                let note = out["note"].as_str().expect("note");
                assert!(note.contains("inflated from zlib"), "{note}");
            }
            _ => assert!(out.get("note").is_none(), "{name}: {}", out["note"]),
        }
    }
}

#[test]
fn alipay_base64_form_decodes_like_hex() {
    for vector in vectors() {
        let name = field(&vector, "name");
        let base64 = field(&vector, "alipay_text_frame_base64");
        let from_hex = run(&["decode", "--json", field(&vector, "hex")]).json();
        let forced = run(&["decode", "--json", "--alipay", base64]);
        forced.assert_code(0);
        assert_eq!(forced.json(), from_hex, "{name}: --alipay");
        let detected = run(&["decode", "--json", base64]);
        detected.assert_code(0);
        assert_eq!(detected.json(), from_hex, "{name}: auto-detected base64");
        let unpadded = base64.trim_end_matches('=');
        let outcome = run(&["decode", "--json", "--base64", unpadded]);
        outcome.assert_code(0);
        assert_eq!(outcome.json(), from_hex, "{name}: unpadded");
    }
}

#[test]
fn stdin_form_with_line_breaks() {
    let vector = vector("text_single_up");
    let hex = field(&vector, "hex");
    let folded: String = hex
        .as_bytes()
        .chunks(32)
        .map(|line| format!("{}\n", std::str::from_utf8(line).unwrap()))
        .collect();
    let outcome = run_with_stdin(&["decode", "--json", "-"], folded.as_bytes());
    outcome.assert_code(0);
    let out = outcome.json();
    assert_eq!(out["decoded"], vector["decoded"]);
    assert_eq!(out["payload_decoded"], vector["payload_decoded"]);

    let base64 = format!("{}\n", field(&vector, "alipay_text_frame_base64"));
    let outcome = run_with_stdin(&["decode", "--json", "--alipay", "-"], base64.as_bytes());
    outcome.assert_code(0);
    assert_eq!(outcome.json(), out);
}

#[test]
fn hex_split_over_arguments() {
    let vector = vector("send_ack_down");
    let hex = field(&vector, "hex");
    let pairs: Vec<&str> = (0..hex.len()).step_by(2).map(|i| &hex[i..i + 2]).collect();
    let mut args = vec!["decode", "--json"];
    args.extend(&pairs);
    let outcome = run(&args);
    outcome.assert_code(0);
    assert_eq!(outcome.json()["payload_decoded"], vector["payload_decoded"]);
}

/// The 201-byte login frame of the official SDK (packed field 22), as vectors/README.md prints
/// it: one hex string split over lines.
fn readme_packed_login_frame() -> String {
    let readme = include_str!("../../vectors/README.md");
    let block = readme
        .split("```")
        .find(|block| block.trim_start().starts_with("12360a07"))
        .expect("the packed login frame block in vectors/README.md");
    block.to_owned()
}

#[test]
fn packed_login_frame_from_the_vectors_readme() {
    let text = readme_packed_login_frame();
    assert!(
        text.trim().lines().count() > 1,
        "the frame is split over lines"
    );
    let outcome = run_with_stdin(&["decode", "--json", "-"], text.as_bytes());
    outcome.assert_code(0);
    let out = outcome.json();
    let login = vector("provision_up");
    let mut expected = login["payload_decoded"].clone();
    expected["Provision"]["protocol_compress_type"] = json!(["COMPRESS_LZ4"]);
    assert_eq!(out["payload_decoded"], expected);
    // The envelope differs from provision_up only in its payload.
    let mut envelope = out["decoded"].clone();
    envelope["payload"] = login["decoded"]["payload"].clone();
    assert_eq!(envelope, login["decoded"]);
}

#[test]
fn indented_output_is_the_same_json() {
    for name in ["sync_batch_down", "provision_up", "unread_up"] {
        let hex = field(&vector(name), "hex").to_owned();
        let compact = run(&["decode", "--json", &hex]);
        let pretty = run(&["decode", &hex]);
        pretty.assert_code(0);
        assert!(pretty.stdout.lines().count() > 3, "{name}: indented");
        assert_eq!(pretty.json(), compact.json(), "{name}");
    }
}

/// `msync decode --json --direction DIRECTION` of a vector's hex.
fn decode_as(direction: &str, vector: &Value) -> common::Outcome {
    run(&[
        "decode",
        "--json",
        "--direction",
        direction,
        field(vector, "hex"),
    ])
}

#[test]
fn direction_flag_selects_the_body() {
    // A pull read as a server frame: CommSyncDL has field 3 as a varint, the pull's queue JID
    // is a message, so the payload does not decode that way.
    let pull = vector("sync_pull_up");
    let outcome = decode_as("down", &pull);
    outcome.assert_code(1);
    let out = outcome.json();
    assert_eq!(out["direction"], "down");
    assert_eq!(out["decoded"], pull["decoded"]);
    assert_eq!(
        out["payload_error"],
        "payload cannot be decoded: wrong wire type for field 3"
    );

    // The UNREAD reply read as a client frame: the (empty) CommUnreadUL, fields skipped.
    let outcome = decode_as("up", &vector("unread_reply_down"));
    outcome.assert_code(0);
    let out = outcome.json();
    assert_eq!(out["direction"], "up");
    assert_eq!(out["payload_decoded"], json!({"CommUnreadUL": {}}));

    let explicit = decode_as("up", &pull);
    explicit.assert_code(0);
    assert_eq!(explicit.json()["payload_decoded"], pull["payload_decoded"]);
}
