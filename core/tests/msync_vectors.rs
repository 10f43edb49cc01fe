//! The golden msync vectors (`vectors/vectors.json`, described in `vectors/README.md`): down
//! frames decode to the recorded views and typed values, up frames built from typed values
//! encode to the recorded bytes. One test per vector, named after it.

#[path = "support/frames.rs"]
mod frames;

use frames::{base64_decode, base64_encode};
use msync_core::wire::BufferTooSmall;
use msync_core::wire::msync::*;
use msync_core::wire::proto::Writer;
use serde_json::Value as Json;

const VECTORS: &str = include_str!("../../vectors/vectors.json");

const NOW_MS: u64 = 1_700_000_000_000;
const APP_KEY: &str = "org#app";
const RESOURCE: &str = "webim_zfb_1700000000000";
const SESSION_ID: &str = "1700000000000:";
const USERS_DOMAIN: &str = "easemob.com";

/// Every vector name, so that a vector added to the file without a test fails
/// `every_vector_has_a_test`.
const TESTED: [&str; 21] = [
    "provision_up",
    "provision_up_go_style",
    "provision_reply_ok_down",
    "provision_reply_token_expired_down",
    "provision_reply_redirect_down",
    "unread_up",
    "unread_reply_down",
    "statistic_information_up",
    "text_single_up",
    "text_group_up",
    "send_ack_down",
    "send_nack_down",
    "notice_down",
    "sync_pull_up",
    "sync_batch_down",
    "sync_key_ack_up",
    "sync_last_down",
    "sync_batch_down_zlib",
    "kicked_login_another_device_down",
    "logout_up",
    "logout_reply_down",
];

fn all_vectors() -> Vec<Json> {
    let file: Json = serde_json::from_str(VECTORS).expect("vectors.json parses");
    file["vectors"].as_array().expect("vectors array").clone()
}

fn vector(name: &str) -> Json {
    all_vectors()
        .into_iter()
        .find(|v| v["name"] == name)
        .unwrap_or_else(|| panic!("no vector {name}"))
}

fn frame_bytes(v: &Json) -> Vec<u8> {
    hex::decode(v["hex"].as_str().expect("hex")).expect("valid hex")
}

fn trace_id(seq: u64) -> u64 {
    (NOW_MS << 22) | (1 << 12) | seq
}

fn own_jid(resource: &str) -> Jid<'_> {
    Jid {
        client_resource: Some(resource),
        ..Jid::bare(APP_KEY, "alice", USERS_DOMAIN)
    }
}

fn envelope_view(msync: &MSync<'_>) -> Json {
    let mut out = String::new();
    write_envelope_json(msync, &mut out).expect("envelope view");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("envelope view is not JSON ({e}): {out}"))
}

fn payload_view(msync: &MSync<'_>, direction: Direction) -> Result<Json, ViewError> {
    let mut out = String::new();
    write_payload_json(msync, direction, &mut out)?;
    Ok(serde_json::from_str(&out)
        .unwrap_or_else(|e| panic!("payload view is not JSON ({e}): {out}")))
}

/// Checks the views of `bytes` against the vector's `decoded` / `payload_decoded`.
fn assert_views(v: &Json, bytes: &[u8], direction: Direction) {
    let msync = MSync::decode(bytes).expect("frame decodes");
    assert_eq!(
        envelope_view(&msync),
        v["decoded"],
        "envelope view of {}",
        v["name"]
    );
    match v.get("payload_decoded") {
        Some(expected) => assert_eq!(&payload_view(&msync, direction).unwrap(), expected),
        None if msync.payload.is_none() => {
            assert_eq!(payload_view(&msync, direction), Err(ViewError::NoPayload));
        }
        None => assert_eq!(
            payload_view(&msync, direction),
            Err(ViewError::Decode(DecodeError::CompressedPayload))
        ),
    }
}

/// A down vector: the views, the Alipay text form, and byte-exact re-encoding of the decoded
/// envelope and body (the vectors are minimal and in field order). Returns the frame bytes.
fn check_down(name: &str) -> Vec<u8> {
    let v = vector(name);
    assert_eq!(v["direction"], "server->client");
    let bytes = frame_bytes(&v);
    assert_views(&v, &bytes, Direction::Down);
    assert_eq!(
        base64_decode(v["alipay_text_frame_base64"].as_str().unwrap().as_bytes()).unwrap(),
        bytes
    );

    let msync = MSync::decode(&bytes).unwrap();
    assert_eq!(encode_to_vec(&msync), bytes, "decoded envelope re-encodes");
    if let Ok(Some(payload)) = msync.plain_payload() {
        let reencoded = match msync.body().unwrap() {
            Body::SyncDl(b) => encode_to_vec(&b),
            Body::UnreadDl(b) => encode_to_vec(&b),
            Body::Notice(b) => encode_to_vec(&b),
            Body::Provision(b) => encode_to_vec(&b),
            Body::Logout(b) => encode_to_vec(&b),
            other => panic!("unexpected down body {other:?}"),
        };
        assert_eq!(reencoded, payload, "decoded body re-encodes");
    }
    bytes
}

/// The body of a received frame.
fn down_body(bytes: &[u8]) -> Body<'_> {
    MSync::decode(bytes)
        .expect("frame decodes")
        .body()
        .expect("body decodes")
}

fn encode_to_vec(value: &dyn Encode) -> Vec<u8> {
    let mut out = vec![0; value.encoded_len()];
    let mut writer = Writer::new(&mut out);
    value.encode_to(&mut writer);
    assert_eq!(writer.position(), out.len());
    out
}

/// An up vector: `frame` encodes to the vector's bytes, its base64 is the Alipay text form,
/// the bytes decode back to the views, short buffers are refused untouched.
fn check_up(name: &str, frame: &MSync<'_>) {
    let v = vector(name);
    assert_eq!(v["direction"], "client->server");
    let expected = frame_bytes(&v);

    let needed = frame.encoded_len();
    assert_eq!(needed, expected.len(), "encoded_len of {name}");
    let mut buf = vec![0u8; needed + 16];
    let len = frame.encode(&mut buf).expect("fits");
    assert_eq!(
        hex::encode(&buf[..len]),
        hex::encode(&expected),
        "bytes of {name}"
    );
    assert_eq!(
        base64_encode(&buf[..len]),
        v["alipay_text_frame_base64"].as_str().unwrap()
    );

    // Encoding at an offset (room for a WebSocket header) writes the same bytes there.
    let mut framed = vec![0u8; 14 + needed];
    assert_eq!(frame.encode(&mut framed[14..]), Ok(needed));
    assert_eq!(&framed[14..], &expected[..]);

    for short in [0, 1, needed / 2, needed - 1] {
        let mut small = vec![0xa5u8; short];
        assert_eq!(frame.encode(&mut small), Err(BufferTooSmall { needed }));
        assert!(
            small.iter().all(|&b| b == 0xa5),
            "{name}: short buffer untouched"
        );
    }

    assert_views(&v, &expected, Direction::Up);
    // The built frame (nested payloads) equals the decoded one (raw payloads).
    assert_eq!(&MSync::decode(&expected).unwrap(), frame);
}

fn sync_frame<'a>(payload: &'a (dyn Encode + Sync), seq: u64) -> MSync<'a> {
    MSync {
        command: Some(Command::SYNC),
        payload: Some(Bytes::Nested(payload)),
        encrypt_type: Repeated::from(&[EncryptType::ENCRYPT_NONE]),
        trace_id: Some(trace_id(seq)),
        ..MSync::EMPTY
    }
}

fn chat_meta<'a>(id: u64, to: Jid<'a>, body: &'a MessageBody<'a>) -> CommSyncUl<'a> {
    CommSyncUl {
        meta: Some(Meta {
            id: Some(id),
            to: Some(to),
            ns: Some(NameSpace::CHAT),
            payload: Some(Bytes::Nested(body)),
            routetype: Some(RouteType::ROUTE_ALL),
            ..Meta::EMPTY
        }),
        ..CommSyncUl::EMPTY
    }
}

/// `{"token":"$t$<token>"}` written straight into the frame: no temporary buffer.
struct TokenJson<'a>(&'a str);

impl Encode for TokenJson<'_> {
    fn encoded_len(&self) -> usize {
        r#"{"token":"$t$"}"#.len() + self.0.len()
    }

    fn encode_to(&self, writer: &mut Writer<'_>) {
        writer.put_slice(br#"{"token":"$t$"#);
        writer.put_slice(self.0.as_bytes());
        writer.put_slice(br#""}"#);
    }
}

fn js_provision<'a>(auth_token: Bytes<'a>) -> Provision<'a> {
    Provision {
        os_type: Some(OsType::OS_OTHER),
        version: Some("4.21.1"),
        compress_type: Repeated::from(&[CompressType::COMPRESS_NONE]),
        encrypt_type: Repeated::from(&[EncryptType::ENCRYPT_NONE]),
        device_uuid: Some("zfb_1700000000000"),
        device_name: Some("webim"),
        resource: Some(RESOURCE),
        action_version: Some("v5.2"),
        auth_token: Some(auth_token),
        session_id: Some(SESSION_ID),
        ..Provision::EMPTY
    }
}

fn js_envelope<'a>(command: Command, payload: &'a (dyn Encode + Sync), seq: u64) -> MSync<'a> {
    MSync {
        guid: Some(own_jid(RESOURCE)),
        auth: Some("$t$TOKEN"),
        command: Some(command),
        payload: Some(Bytes::Nested(payload)),
        device_id: Some(0),
        encrypt_type: Repeated::from(&[EncryptType::ENCRYPT_NONE]),
        trace_id: Some(trace_id(seq)),
        ..MSync::EMPTY
    }
}

#[test]
fn every_vector_has_a_test() {
    let mut names: Vec<String> = all_vectors()
        .iter()
        .map(|v| v["name"].as_str().unwrap().to_owned())
        .collect();
    names.sort();
    let mut tested: Vec<&str> = TESTED.to_vec();
    tested.sort();
    assert_eq!(names, tested);
}

#[test]
fn provision_up() {
    let token = TokenJson("TOKEN");
    let provision = js_provision(Bytes::Nested(&token));
    check_up(
        "provision_up",
        &js_envelope(Command::PROVISION, &provision, 0),
    );

    // The same frame with the token JSON pre-encoded.
    let provision = js_provision(Bytes::Raw(br#"{"token":"$t$TOKEN"}"#));
    check_up(
        "provision_up",
        &js_envelope(Command::PROVISION, &provision, 0),
    );
}

#[test]
fn provision_up_with_packed_lz4_offer_decodes() {
    let reference = vector("provision_up");
    let hex_text = "12360a076f7267236170701205616c6963651a0b656173656d6f622e636f6d2217776562696d5f7a66625f31373030303030\
                    3030303030301a08247424544f4b454e40034a7408101206342e32312e31280030004a117a66625f31373030303030303030\
                    3030306205776562696d6a17776562696d5f7a66625f313730303030303030303030308a010476352e329201147b22746f6b\
                    656e223a22247424544f4b454e227da2010e313730303030303030303030303ab201010250005800a00180a08080a0abfef9\
                    62";
    let bytes = hex::decode(hex_text).unwrap();
    assert_eq!(bytes.len(), 201);

    let msync = MSync::decode(&bytes).unwrap();
    let mut expected_payload =
        base64_decode(reference["decoded"]["payload"].as_str().unwrap().as_bytes()).unwrap();
    expected_payload.extend([0xb2, 0x01, 0x01, 0x02]);
    assert_eq!(msync.plain_payload().unwrap(), Some(&expected_payload[..]));

    let mut envelope = reference["decoded"].clone();
    envelope["payload"] = Json::from(base64_encode(&expected_payload));
    assert_eq!(envelope_view(&msync), envelope);

    let mut payload = reference["payload_decoded"].clone();
    payload["Provision"]["protocol_compress_type"] = serde_json::json!(["COMPRESS_LZ4"]);
    assert_eq!(payload_view(&msync, Direction::Up).unwrap(), payload);

    let Body::Provision(provision) = msync.up_body().unwrap() else {
        panic!("not a Provision")
    };
    assert_eq!(provision.protocol_compress_type.len(), 1);
    assert_eq!(
        provision.protocol_compress_type.first(),
        Some(CompressType::COMPRESS_LZ4)
    );
    // Re-encoding writes the offer unpacked, one tag per element.
    let reencoded = encode_to_vec(&provision);
    assert_eq!(&reencoded[reencoded.len() - 3..], &[0xb0, 0x01, 0x02]);
}

#[test]
fn provision_up_go_style() {
    let provision = Provision {
        os_type: Some(OsType::OS_GO),
        version: Some("4.0.0-go"),
        compress_type: Repeated::from(&[CompressType::COMPRESS_NONE]),
        resource: Some("go-server-imsdk-service-01"),
        auth_token: Some(Bytes::from(r#"{"token":"TOKEN"}"#)),
        protocol_compress_type: Repeated::from(&[CompressType::COMPRESS_NONE]),
        protocol_compress_direction: Some(CompressDirection::BI),
        ..Provision::EMPTY
    };
    let frame = MSync {
        version: Some(Version::MSYNC_V1),
        guid: Some(own_jid("go-server-imsdk-service-01")),
        compress_algorimth: Some(0),
        user_agent: Some("4.0.0-go"),
        command: Some(Command::PROVISION),
        payload: Some(Bytes::Nested(&provision)),
        encrypt_type: Repeated::from(&[EncryptType::ENCRYPT_NONE]),
        trace_id: Some(trace_id(0)),
        ..MSync::EMPTY
    };
    check_up("provision_up_go_style", &frame);
}

#[test]
fn provision_reply_ok_down() {
    let bytes = check_down("provision_reply_ok_down");
    let msync = MSync::decode(&bytes).unwrap();
    assert_eq!(msync.command(), Command::PROVISION);
    assert_eq!(msync.trace_id, None);
    let Body::Provision(reply) = msync.body().unwrap() else {
        panic!("not a Provision")
    };
    let status = reply.status.unwrap();
    assert_eq!(status.error_code, Some(ErrorCode::OK));
    assert_eq!(status.reason, None);
    assert_eq!(reply.resource, Some(RESOURCE));
    assert_eq!(reply.session_id, Some(SESSION_ID));
    assert_eq!(
        reply.auth_token.unwrap().as_raw(),
        Some(&br#"{"token":"ROTATED_TOKEN","expires_in":1700086400000}"#[..])
    );
    assert!(reply.protocol_compress_type.is_empty());
    assert_eq!(reply.protocol_compress_direction, None);
    let debug = format!("{reply:?}");
    assert!(
        !debug.contains("ROTATED_TOKEN") && debug.contains("<redacted>"),
        "{debug}"
    );
}

#[test]
fn provision_reply_token_expired_down() {
    let bytes = check_down("provision_reply_token_expired_down");
    let Body::Provision(reply) = down_body(&bytes) else {
        panic!("not a Provision")
    };
    let status = reply.status.unwrap();
    assert_eq!(status.code(), ErrorCode::FAIL);
    assert_eq!(status.reason, Some("Sorry, token expired"));
    assert!(status.redirect_info.is_empty());
    assert_eq!(reply.resource, None);
}

#[test]
fn provision_reply_redirect_down() {
    let bytes = check_down("provision_reply_redirect_down");
    let Body::Provision(reply) = down_body(&bytes) else {
        panic!("not a Provision")
    };
    let status = reply.status.unwrap();
    assert_eq!(status.code(), ErrorCode::REDIRECT);
    let redirects: Vec<_> = status.redirect_info.iter().collect();
    assert_eq!(
        redirects,
        [RedirectInfo {
            host: Some("im-api-alipay.easecdn.com"),
            port: Some(443)
        }]
    );
}

#[test]
fn unread_up() {
    let frame = MSync {
        command: Some(Command::UNREAD),
        encrypt_type: Repeated::from(&[EncryptType::ENCRYPT_NONE]),
        trace_id: Some(trace_id(1)),
        ..MSync::EMPTY
    };
    check_up("unread_up", &frame);
    assert_eq!(
        vector("unread_up")["alipay_text_frame_base64"],
        "QAFYAKABgaCAgKCr/vli"
    );
    let bytes = frame_bytes(&vector("unread_up"));
    let decoded = MSync::decode(&bytes).unwrap();
    assert_eq!(decoded.payload, None);
    assert_eq!(
        decoded.up_body().unwrap(),
        Body::UnreadUl(CommUnreadUl::EMPTY)
    );
}

#[test]
fn unread_reply_down() {
    let bytes = check_down("unread_reply_down");
    let Body::UnreadDl(reply) = down_body(&bytes) else {
        panic!("not a CommUnreadDL")
    };
    assert_eq!(reply.status.unwrap().code(), ErrorCode::OK);
    assert_eq!(reply.timestamp, Some(1_700_000_000_005));
    let queues: Vec<MetaQueue<'_>> = reply.unread.iter().collect();
    assert_eq!(queues.len(), 1);
    assert!(
        queues[0]
            .queue
            .unwrap()
            .same_bare(&Jid::bare(APP_KEY, "alice", USERS_DOMAIN))
    );
    assert_eq!(queues[0].n, Some(3));
}

#[test]
fn statistic_information_up() {
    let statistics = StatisticsBody {
        operation: Some(Operation::INFORMATION),
        ..StatisticsBody::EMPTY
    };
    let sync = CommSyncUl {
        meta: Some(Meta {
            id: Some(NOW_MS),
            ns: Some(NameSpace::STATISTIC),
            payload: Some(Bytes::Nested(&statistics)),
            ..Meta::EMPTY
        }),
        ..CommSyncUl::EMPTY
    };
    check_up("statistic_information_up", &sync_frame(&sync, 2));
}

#[test]
fn text_single_up() {
    let contents = [Content::text("hello")];
    let body = MessageBody {
        message_type: Some(MessageType::CHAT),
        from: Some(Jid::name_only("alice")),
        to: Some(Jid::name_only("bob")),
        contents: Repeated::from(&contents),
        ..MessageBody::EMPTY
    };
    let sync = chat_meta(
        1_234_567_890_123,
        Jid::bare(APP_KEY, "bob", USERS_DOMAIN),
        &body,
    );
    check_up("text_single_up", &sync_frame(&sync, 3));
}

#[test]
fn text_group_up() {
    let contents = [Content::text("hi all")];
    let body = MessageBody {
        message_type: Some(MessageType::GROUPCHAT),
        from: Some(Jid::name_only("alice")),
        to: Some(Jid::name_only("group1")),
        contents: Repeated::from(&contents),
        ..MessageBody::EMPTY
    };
    let to = Jid::bare(APP_KEY, "group1", "conference.easemob.com");
    let sync = chat_meta(1_234_567_890_124, to, &body);
    check_up("text_group_up", &sync_frame(&sync, 4));
}

#[test]
fn send_ack_down() {
    let bytes = check_down("send_ack_down");
    let Body::SyncDl(ack) = down_body(&bytes) else {
        panic!("not a CommSyncDL")
    };
    assert_eq!(ack.ack_of(), Some(1_234_567_890_123));
    assert_eq!(ack.server_id, Some(1_199_887_766_554_433));
    assert_eq!(ack.timestamp, Some(1_700_000_000_123));
    assert_eq!(ack.status.unwrap().code(), ErrorCode::OK);
    assert!(ack.metas.is_empty());
    assert_eq!(ack.next_key, None);
}

#[test]
fn send_nack_down() {
    let bytes = check_down("send_nack_down");
    let Body::SyncDl(nack) = down_body(&bytes) else {
        panic!("not a CommSyncDL")
    };
    let status = nack.status.unwrap();
    assert_eq!(status.code(), ErrorCode::PERMISSION_DENIED);
    assert_eq!(status.reason, Some("sensitive words"));
    assert_eq!(nack.ack_of(), Some(1_234_567_890_123));
    assert_eq!(nack.server_id, Some(1_199_887_766_554_433));
    assert_eq!(nack.timestamp, None);
}

#[test]
fn notice_down() {
    let bytes = check_down("notice_down");
    let Body::Notice(notice) = down_body(&bytes) else {
        panic!("not a CommNotice")
    };
    assert_eq!(
        notice.queue,
        Some(Jid::bare(APP_KEY, "alice", USERS_DOMAIN))
    );
}

#[test]
fn sync_pull_up() {
    let sync = CommSyncUl {
        queue: Some(Jid::bare(APP_KEY, "alice", USERS_DOMAIN)),
        ..CommSyncUl::EMPTY
    };
    check_up("sync_pull_up", &sync_frame(&sync, 5));
}

fn assert_incoming_batch(batch: &CommSyncDl<'_>) {
    assert_eq!(batch.status.unwrap().code(), ErrorCode::OK);
    assert_eq!(batch.next_key, Some(42));
    assert_eq!(batch.is_last, Some(false));
    assert_eq!(batch.ack_of(), None);
    assert_eq!(batch.metas.len(), 1);
    let meta = batch.metas.first().unwrap();
    assert_eq!(meta.id, Some(9001));
    assert_eq!(meta.timestamp, Some(NOW_MS));
    let from = meta.from.unwrap();
    assert_eq!((from.name, from.client_resource), (Some("bob"), Some("r2")));
    let MetaBody::Chat(body) = meta.body().unwrap() else {
        panic!("not a chat meta")
    };
    assert_eq!(body.message_type, Some(MessageType::CHAT));
    assert_eq!(body.from, Some(Jid::name_only("bob")));
    let content = body.contents.first().unwrap();
    assert_eq!(content.content_type, Some(ContentType::TEXT));
    assert_eq!(content.text, Some("incoming"));
}

#[test]
fn sync_batch_down() {
    let bytes = check_down("sync_batch_down");
    let Body::SyncDl(batch) = down_body(&bytes) else {
        panic!("not a CommSyncDL")
    };
    assert_incoming_batch(&batch);
}

#[test]
fn sync_key_ack_up() {
    let sync = CommSyncUl {
        key: Some(42),
        queue: Some(Jid::bare(APP_KEY, "alice", USERS_DOMAIN)),
        ..CommSyncUl::EMPTY
    };
    check_up("sync_key_ack_up", &sync_frame(&sync, 6));
}

#[test]
fn sync_last_down() {
    let bytes = check_down("sync_last_down");
    let Body::SyncDl(last) = down_body(&bytes) else {
        panic!("not a CommSyncDL")
    };
    assert!(last.metas.is_empty());
    assert_eq!(last.metas.iter().count(), 0);
    assert_eq!(last.is_last, Some(true));
    assert_eq!(last.next_key, None);
}

#[test]
fn sync_batch_down_zlib() {
    let bytes = check_down("sync_batch_down_zlib");
    let msync = MSync::decode(&bytes).unwrap();
    assert!(msync.is_compressed());
    assert_eq!(msync.plain_payload(), Err(DecodeError::CompressedPayload));
    assert_eq!(msync.body(), Err(DecodeError::CompressedPayload));
}

#[cfg(feature = "zlib")]
#[test]
fn sync_batch_down_zlib_inflates_to_sync_batch_down() {
    let bytes = check_down("sync_batch_down_zlib");
    let msync = MSync::decode(&bytes).unwrap();
    let plain_frame = frame_bytes(&vector("sync_batch_down"));
    let plain = MSync::decode(&plain_frame).unwrap();
    let expected = plain.plain_payload().unwrap().unwrap();

    let mut inflater = Inflater::new();
    let mut out = [0u8; 512];
    let inflated = msync
        .inflate_payload(&mut inflater, &mut out)
        .unwrap()
        .unwrap();
    assert_eq!(inflated, expected);

    let mut exact = vec![0u8; expected.len()];
    let Body::SyncDl(batch) = msync.body_inflated(&mut inflater, &mut exact).unwrap() else {
        panic!("not a CommSyncDL")
    };
    assert_incoming_batch(&batch);

    let mut short = vec![0u8; expected.len() - 1];
    assert_eq!(
        msync.body_inflated(&mut inflater, &mut short),
        Err(DecodeError::InflateCapacity {
            capacity: expected.len() - 1
        })
    );

    // The caller inflates, then writes the same payload view as the plain vector's.
    let mut view = String::new();
    write_body_json(msync.command(), Direction::Down, inflated, &mut view).unwrap();
    let view: Json = serde_json::from_str(&view).unwrap();
    assert_eq!(view, vector("sync_batch_down")["payload_decoded"]);
}

#[test]
fn kicked_login_another_device_down() {
    let bytes = check_down("kicked_login_another_device_down");
    let Body::SyncDl(batch) = down_body(&bytes) else {
        panic!("not a CommSyncDL")
    };
    assert_eq!(batch.next_key, Some(43));
    assert_eq!(batch.is_last, None);
    let meta = batch.metas.first().unwrap();
    assert_eq!(meta.id, Some(9002));
    assert_eq!(meta.namespace(), NameSpace::STATISTIC);
    let MetaBody::Statistic(kick) = meta.body().unwrap() else {
        panic!("not a statistic")
    };
    assert_eq!(kick.operation, Some(Operation::USER_LOGIN_ANOTHER_DEVICE));
    assert_eq!(kick.replace_device_name, Some("iPhone"));
    assert_eq!(kick.session_id, Some("other-session"));
    assert_eq!(kick.reason, None);
}

#[test]
fn logout_up() {
    let logout = Logout {
        session_id: Some(SESSION_ID),
        reason: Some("logout"),
        status: None,
    };
    check_up("logout_up", &js_envelope(Command::LOGOUT, &logout, 7));
}

#[test]
fn logout_reply_down() {
    let bytes = check_down("logout_reply_down");
    let Body::Logout(reply) = down_body(&bytes) else {
        panic!("not a Logout")
    };
    assert_eq!(reply.status.unwrap().error_code, Some(ErrorCode::OK));
    assert_eq!(reply.session_id, None);
}

#[test]
fn envelope_debug_redacts_credentials() {
    let bytes = frame_bytes(&vector("provision_up"));
    let msync = MSync::decode(&bytes).unwrap();
    let debug = format!("{msync:?}");
    assert!(!debug.contains("TOKEN"), "{debug}");
    assert!(debug.contains("auth: <redacted>"), "{debug}");
    let Body::Provision(provision) = msync.up_body().unwrap() else {
        panic!("not a Provision")
    };
    let debug = format!("{provision:?}");
    assert!(
        !debug.contains("TOKEN") && debug.contains("session_id"),
        "{debug}"
    );
}
