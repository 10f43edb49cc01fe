//! Checks against the golden vectors: every vector decodes with prost to exactly its JSON views
//! and re-encodes to the same bytes, and every down frame the server builds for a vector's
//! inputs is that vector, byte for byte.

mod view;

use base64::Engine as _;
use prost::Message;
use serde_json::Value;

use super::*;
use crate::pb::{CommSyncUl, MessageBody, StatisticsBody, statistics_body::Operation};

const VECTORS: &str = include_str!("../../../vectors/vectors.json");

fn vectors() -> Vec<Value> {
    let all: Value = serde_json::from_str(VECTORS).expect("vectors.json parses");
    all["vectors"].as_array().expect("vectors array").clone()
}

fn vector(name: &str) -> Vec<u8> {
    let v = vectors()
        .into_iter()
        .find(|v| v["name"] == name)
        .expect("vector exists");
    hex::decode(v["hex"].as_str().expect("hex")).expect("hex decodes")
}

fn alice() -> Jid {
    jid("org#app", "alice", USER_DOMAIN)
}

/// Decodes a meta's payload by namespace and returns its view with the vector's key for it.
fn nested_view(meta: &Meta) -> Option<(&'static str, Value)> {
    let payload = meta.payload.as_deref()?;
    match NameSpace::try_from(meta.ns?).ok()? {
        NameSpace::Chat => Some((
            "MessageBody",
            view::message_body_view(&MessageBody::decode(payload).expect("MessageBody")),
        )),
        NameSpace::Statistic => Some((
            "StatisticsBody",
            view::statistics(&StatisticsBody::decode(payload).expect("StatisticsBody")),
        )),
        _ => None,
    }
}

/// Decodes the payload of an envelope into `{BodyName: view, [NestedName: view]}`.
fn payload_views(frame: &MSync, up: bool) -> Value {
    let payload = frame.payload.as_deref().unwrap_or_default();
    let mut out = serde_json::Map::new();
    let mut nested = None;
    match (command_of(frame).expect("known command"), up) {
        (Command::Sync, true) => {
            let body = CommSyncUl::decode(payload).expect("CommSyncUL");
            nested = body.meta.as_ref().and_then(nested_view);
            out.insert("CommSyncUL".into(), view::sync_ul(&body));
        }
        (Command::Sync, false) => {
            let body = CommSyncDl::decode(payload).expect("CommSyncDL");
            nested = body.metas.first().and_then(nested_view);
            out.insert("CommSyncDL".into(), view::sync_dl(&body));
        }
        (Command::Unread, _) => {
            let body = CommUnreadDl::decode(payload).expect("CommUnreadDL");
            out.insert("CommUnreadDL".into(), view::unread_dl(&body));
        }
        (Command::Notice, _) => {
            let body = CommNotice::decode(payload).expect("CommNotice");
            out.insert("CommNotice".into(), view::notice(&body));
        }
        (Command::Provision, _) => {
            let body = Provision::decode(payload).expect("Provision");
            out.insert("Provision".into(), view::provision_view(&body));
        }
        (Command::Logout, _) => {
            let body = Logout::decode(payload).expect("Logout");
            out.insert("Logout".into(), view::logout(&body));
        }
    }
    if let Some((key, value)) = nested {
        out.insert(key.into(), value);
    }
    Value::Object(out)
}

#[test]
fn every_vector_decodes_to_its_views_and_reencodes_byte_exactly() {
    let all = vectors();
    assert_eq!(all.len(), 21);
    for v in &all {
        let name = v["name"].as_str().expect("name");
        let bytes = hex::decode(v["hex"].as_str().expect("hex")).expect("hex");
        let text = v["alipay_text_frame_base64"].as_str().expect("base64 form");
        assert_eq!(
            base64::engine::general_purpose::STANDARD.encode(&bytes),
            text,
            "{name}"
        );

        let frame = MSync::decode(bytes.as_slice()).expect(name);
        assert_eq!(view::msync(&frame), v["decoded"], "{name}: envelope view");
        assert_eq!(
            frame.encode_to_vec(),
            bytes,
            "{name}: prost re-encodes the same bytes"
        );

        let up = v["direction"] == "client->server";
        match v.get("payload_decoded") {
            Some(expected) if !expected.is_null() => {
                assert_eq!(
                    &payload_views(&frame, up),
                    expected,
                    "{name}: payload views"
                );
            }
            _ => assert!(
                frame.payload.is_none() || frame.compress_algorimth == Some(1),
                "{name}: only unread_up and the zlib batch lack payload views"
            ),
        }
    }
}

#[test]
fn the_sdk_provision_with_a_packed_lz4_offer_decodes() {
    let mut bytes = vector("provision_up");
    // provision_up with the payload length 0x70 -> 0x74 and `b2 01 01 02` appended to it.
    let at = bytes.iter().position(|&b| b == 0x4a).expect("payload tag");
    let mut frame = MSync::decode(bytes.as_slice()).expect("provision_up");
    let mut payload = frame.payload.take().expect("payload");
    payload.extend_from_slice(&[0xb2, 0x01, 0x01, 0x02]);
    frame.payload = Some(payload);
    bytes = frame.encode_to_vec();
    assert_eq!(bytes.get(at + 1), Some(&0x74));
    let frame = MSync::decode(bytes.as_slice()).expect("decodes");
    let body = Provision::decode(frame.payload.as_deref().unwrap_or_default()).expect("Provision");
    assert_eq!(
        body.protocol_compress_type,
        vec![2],
        "packed [COMPRESS_LZ4]"
    );
    assert_eq!(body.resource.as_deref(), Some("webim_zfb_1700000000000"));
}

#[test]
fn provision_replies_match_the_vectors() {
    let token = auth_token_json("ROTATED_TOKEN", 1_700_086_400_000);
    let ok = provision_ok("webim_zfb_1700000000000", Some(token), "1700000000000:");
    assert_eq!(ok.encode_to_vec(), vector("provision_reply_ok_down"));
    let expired = provision_refused(status(ErrorCode::Fail, "Sorry, token expired"));
    assert_eq!(
        expired.encode_to_vec(),
        vector("provision_reply_token_expired_down")
    );
    let redirect = provision_redirect("im-api-alipay.easecdn.com", 443);
    assert_eq!(
        redirect.encode_to_vec(),
        vector("provision_reply_redirect_down")
    );
}

#[test]
fn unread_reply_matches_the_vector() {
    let reply = unread_reply(vec![(alice(), 3)], 1_700_000_000_005);
    assert_eq!(reply.encode_to_vec(), vector("unread_reply_down"));
}

#[test]
fn ack_and_nack_match_the_vectors() {
    let acked = ack(1_234_567_890_123, 1_199_887_766_554_433, 1_700_000_000_123);
    assert_eq!(acked.encode_to_vec(), vector("send_ack_down"));
    let refused = nack(
        1_234_567_890_123,
        1_199_887_766_554_433,
        status(ErrorCode::PermissionDenied, "sensitive words"),
    );
    assert_eq!(refused.encode_to_vec(), vector("send_nack_down"));
}

#[test]
fn notice_batch_drained_kick_and_logout_match_the_vectors() {
    assert_eq!(notice(alice()).encode_to_vec(), vector("notice_down"));

    // bob (resource r2) sends "incoming" to alice; the server delivers it as meta 9001.
    let body = MessageBody {
        r#type: Some(crate::pb::message_body::Type::Chat as i32),
        from: Some(Jid {
            name: Some("bob".into()),
            ..Jid::default()
        }),
        to: Some(Jid {
            name: Some("alice".into()),
            ..Jid::default()
        }),
        contents: vec![crate::pb::Content {
            r#type: Some(0),
            text: Some("incoming".into()),
            ..crate::pb::Content::default()
        }],
        ..MessageBody::default()
    };
    let sent = Meta {
        id: Some(77),
        to: Some(alice()),
        ns: Some(NameSpace::Chat as i32),
        payload: Some(body.encode_to_vec()),
        routetype: Some(0),
        ..Meta::default()
    };
    let mut from = jid("org#app", "bob", USER_DOMAIN);
    from.client_resource = Some("r2".into());
    let delivered = delivered_meta(&sent, from, alice(), 9001, 1_700_000_000_000);
    assert_eq!(
        batch(alice(), vec![delivered], 42).encode_to_vec(),
        vector("sync_batch_down")
    );

    assert_eq!(drained(alice()).encode_to_vec(), vector("sync_last_down"));

    let kicked = StatisticsBody {
        operation: Some(Operation::UserLoginAnotherDevice as i32),
        replace_device_name: Some("iPhone".into()),
        session_id: Some("other-session".into()),
        ..StatisticsBody::default()
    };
    let frame = kick(alice(), 9002, 1_700_000_000_000, &kicked, 43);
    assert_eq!(
        frame.encode_to_vec(),
        vector("kicked_login_another_device_down")
    );

    assert_eq!(logout_ok().encode_to_vec(), vector("logout_reply_down"));
}

#[test]
fn malformed_bodies_map_to_pb_parser_error() {
    let problem = decode_body::<Provision>(Some(&[0x0a, 0xff])).expect_err("truncated");
    assert_eq!(problem.error_code, Some(ErrorCode::PbParserError as i32));
    assert_eq!(command_name(Some(3)), "PROVISION");
    assert_eq!(command_name(Some(77)), "COMMAND(77)");
    assert_eq!(command_name(None), "NO_COMMAND");
}
