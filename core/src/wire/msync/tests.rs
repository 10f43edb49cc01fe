//! Edge cases of the message codec: presence, wire-type rules, packed and unpacked repeats,
//! unknown fields, field order, oneofs, enums and the JSON view.

extern crate std;

use std::string::String;
use std::vec::Vec;
use std::{format, vec};

use super::*;
use crate::wire::proto::Writer;

fn encode_vec(value: &dyn Encode) -> Vec<u8> {
    let mut out = vec![0; value.encoded_len()];
    value.encode_to(&mut Writer::new(&mut out));
    out
}

fn json_of<'a, T: FieldValue<'a>>(value: &T) -> String {
    let mut out = String::new();
    write_json(value, &mut out).unwrap();
    out
}

#[test]
fn absent_differs_from_zero() {
    let absent = CommSyncUl::EMPTY;
    let zero = CommSyncUl {
        key: Some(0),
        ..CommSyncUl::EMPTY
    };
    assert_eq!(encode_vec(&absent), [0u8; 0]);
    assert_eq!(encode_vec(&zero), [0x10, 0x00]);
    assert_eq!(CommSyncUl::decode(&[0x10, 0x00]).unwrap().key, Some(0));
    assert_eq!(CommSyncUl::decode(&[]).unwrap().key, None);
    assert_eq!(json_of(&zero), r#"{"key":"0"}"#);
    assert_eq!(json_of(&absent), "{}");
}

#[test]
fn wrong_wire_type_for_a_known_field_is_an_error() {
    // Jid.name (2, string) sent as a varint.
    assert_eq!(
        Jid::decode(&[0x10, 0x01]),
        Err(DecodeError::WrongWireType { field: 2 })
    );
    // Meta.id (1, uint64) sent as fixed64.
    let fixed = [0x09, 1, 0, 0, 0, 0, 0, 0, 0];
    assert_eq!(
        Meta::decode(&fixed),
        Err(DecodeError::WrongWireType { field: 1 })
    );
    // A nested message field sent as a varint.
    assert_eq!(
        CommNotice::decode(&[0x08, 0x01]),
        Err(DecodeError::WrongWireType { field: 1 })
    );
    // Groups are never a known field's wire type.
    assert_eq!(
        Jid::decode(&[0x0b, 0x0c]),
        Err(DecodeError::WrongWireType { field: 1 })
    );
}

#[test]
fn errors_deep_inside_are_reported_at_decode_time() {
    // CommSyncDL.metas[0].from.name is not UTF-8: the batch is rejected as a whole.
    let jid = [0x12, 0x01, 0xff];
    let meta = [&[0x12, jid.len() as u8][..], &jid].concat();
    let batch = [&[0x22, meta.len() as u8][..], &meta].concat();
    assert_eq!(CommSyncDl::decode(&batch), Err(DecodeError::InvalidUtf8));
    // A truncated KeyValue inside Meta.ext.
    assert_eq!(
        Meta::decode(&[0x42, 0x02, 0x0a, 0x05]),
        Err(DecodeError::Truncated)
    );
}

#[test]
fn unknown_fields_of_every_wire_type_are_skipped() {
    let known = Jid::bare("org#app", "bob", "easemob.com");
    let mut bytes = encode_vec(&known);
    bytes.extend([0x28, 0x96, 0x01]); // 5: varint
    bytes.extend([0x31, 1, 2, 3, 4, 5, 6, 7, 8]); // 6: fixed64
    bytes.extend([0x3a, 0x02, b'h', b'i']); // 7: bytes
    bytes.extend([0x43, 0x08, 0x01, 0x44]); // 8: group
    bytes.extend([0x4d, 1, 2, 3, 4]); // 9: fixed32
    bytes.extend([0xf8, 0xff, 0xff, 0xff, 0x0f, 0x00]); // max field number, varint
    assert_eq!(Jid::decode(&bytes), Ok(known));
}

#[test]
fn field_order_does_not_matter() {
    // client_resource, domain, name, app_key: reversed.
    let bytes = [
        0x22, 0x01, b'r', 0x1a, 0x01, b'd', 0x12, 0x01, b'n', 0x0a, 0x01, b'a',
    ];
    let jid = Jid::decode(&bytes).unwrap();
    assert_eq!(
        jid,
        Jid {
            client_resource: Some("r"),
            ..Jid::bare("a", "n", "d")
        }
    );
    // Encoding restores ascending order.
    assert_eq!(
        encode_vec(&jid),
        [0x0a, 1, b'a', 0x12, 1, b'n', 0x1a, 1, b'd', 0x22, 1, b'r']
    );
}

#[test]
fn last_occurrence_of_a_singular_field_wins() {
    let jid = Jid::decode(&[0x12, 0x01, b'x', 0x12, 0x01, b'y']).unwrap();
    assert_eq!(jid.name, Some("y"));
}

#[test]
fn packed_and_unpacked_repeats_decode_alike() {
    let unpacked = [0x58, 0x00, 0x58, 0x02, 0x58, 0x07];
    let packed = [0x5a, 0x03, 0x00, 0x02, 0x07];
    let mixed = [0x58, 0x00, 0x40, 0x00, 0x5a, 0x02, 0x02, 0x07];
    let expected = [EncryptType::ENCRYPT_NONE, EncryptType(2), EncryptType(7)];
    for bytes in [&unpacked[..], &packed, &mixed] {
        let msync = MSync::decode(bytes).unwrap();
        assert_eq!(msync.encrypt_type.len(), 3);
        assert_eq!(msync.encrypt_type.iter().collect::<Vec<_>>(), expected);
        assert_eq!(msync.encrypt_type, Repeated::from(&expected));
    }
    // The encoder writes unpacked.
    let built = MSync {
        encrypt_type: Repeated::from(&expected),
        ..MSync::EMPTY
    };
    assert_eq!(encode_vec(&built), unpacked);
    // Packed uint64 (MessageBody.ack_message_ids) too, including a ten-byte varint.
    let mut packed_u64 = vec![0x8a, 0x01, 12, 0x01];
    packed_u64.extend([
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x05,
    ]);
    let body = MessageBody::decode(&packed_u64).unwrap();
    assert_eq!(
        body.ack_message_ids.iter().collect::<Vec<_>>(),
        [1, u64::MAX, 5]
    );
    // A truncated packed run fails at decode time, not while iterating.
    assert_eq!(
        MSync::decode(&[0x5a, 0x02, 0x80, 0x80]),
        Err(DecodeError::Truncated)
    );
    // Strings and messages cannot be packed: a varint for them is a wrong wire type.
    assert_eq!(
        Meta::decode(&[0x50, 0x01]),
        Err(DecodeError::WrongWireType { field: 10 })
    );
}

#[test]
fn empty_packed_run_is_present_but_has_no_element() {
    let msync = MSync::decode(&[0x5a, 0x00]).unwrap();
    assert!(msync.encrypt_type.is_empty());
    assert_eq!(msync.encrypt_type.iter().next(), None);
}

#[test]
fn repeated_messages_iterate_lazily_between_other_fields() {
    // metas interleaved with other fields: meta{id 1}, next_key 9, meta{id 2}.
    let bytes = [0x22, 0x02, 0x08, 0x01, 0x28, 0x09, 0x22, 0x02, 0x08, 0x02];
    let batch = CommSyncDl::decode(&bytes).unwrap();
    assert_eq!(batch.next_key, Some(9));
    let ids: Vec<_> = batch.metas.iter().map(|meta| meta.id).collect();
    assert_eq!(ids, [Some(1), Some(2)]);
    assert_eq!(batch.metas.iter().len(), 2);
    assert_eq!(
        format!("{:?}", batch.metas),
        "[Meta { id: 1 }, Meta { id: 2 }]"
    );
}

#[test]
fn unknown_enum_values_are_kept() {
    let msync = MSync::decode(&[0x40, 0x09]).unwrap();
    assert_eq!(msync.command, Some(Command(9)));
    assert_eq!(Command(9).name(), None);
    assert_eq!(format!("{:?}", Command(9)), "Command(9)");
    assert_eq!(json_of(&msync), r#"{"command":9}"#);
    assert_eq!(encode_vec(&msync), [0x40, 0x09]);
    assert_eq!(msync.body(), Ok(Body::Unknown(Command(9), &[])));
    assert_eq!(Command::from_name("LOGOUT"), Some(Command::LOGOUT));
    assert_eq!(NetworkType::NETWORK_4G.name(), Some("4G"));
}

#[test]
fn negative_int32_takes_ten_bytes_and_round_trips() {
    let content = Content {
        file_length: Some(-1),
        ..Content::EMPTY
    };
    let bytes = encode_vec(&content);
    assert_eq!(bytes.len(), 1 + 10);
    assert_eq!(Content::decode(&bytes).unwrap().file_length, Some(-1));
    // An enum with a negative number behaves the same.
    let msync = MSync {
        command: Some(Command(-2)),
        ..MSync::EMPTY
    };
    let bytes = encode_vec(&msync);
    assert_eq!(MSync::decode(&bytes).unwrap().command, Some(Command(-2)));
}

#[test]
fn uint32_keeps_the_low_bits_of_a_wide_varint() {
    // 2^32 + 7 sent for a uint32 field: protobuf truncates.
    let bytes = [0x10, 0x87, 0x80, 0x80, 0x80, 0x10];
    assert_eq!(MetaQueue::decode(&bytes).unwrap().n, Some(7));
}

#[test]
fn key_value_oneof() {
    let values = [
        KeyValue::string("s", "text"),
        KeyValue::int("i", -5),
        KeyValue::bool("b", true),
        KeyValue::double("d", 1.5),
        KeyValue {
            key: Some("f"),
            value_type: Some(ValueType::FLOAT),
            value: Some(Value::Float(0.25)),
        },
    ];
    for kv in values {
        let bytes = encode_vec(&kv);
        assert_eq!(KeyValue::decode(&bytes), Ok(kv));
    }
    assert_eq!(
        json_of(&values[0]),
        r#"{"key":"s","type":"STRING","string_value":"text"}"#
    );
    assert_eq!(
        json_of(&values[1]),
        r#"{"key":"i","type":"INT","varint_value":"-5"}"#
    );
    assert_eq!(
        json_of(&values[3]),
        r#"{"key":"d","type":"DOUBLE","double_value":1.5}"#
    );
    assert_eq!(
        json_of(&values[4]),
        r#"{"key":"f","type":"FLOAT","float_value":0.25}"#
    );
    // The last member of the oneof on the wire wins.
    let both = [0x18, 0x01, 0x32, 0x01, b'x'];
    assert_eq!(
        KeyValue::decode(&both).unwrap().value,
        Some(Value::String("x"))
    );
    let mut wrong = encode_vec(&values[0]);
    wrong.extend([0x21, 0, 0, 0, 0, 0, 0, 0, 0]);
    assert_eq!(
        KeyValue::decode(&wrong),
        Err(DecodeError::WrongWireType { field: 4 })
    );
}

#[test]
fn content_json_uses_schema_names() {
    let size = Size {
        width: Some(640.0),
        height: Some(480.5),
    };
    let params = [KeyValue::string("k", "v")];
    let content = Content {
        display_name: Some("a.png"),
        size: Some(size),
        sub_type: Some(SubType::SUB_GIF),
        custom_exts: Repeated::from(&params),
        latitude: Some(f64::NAN),
        ..Content::EMPTY
    };
    assert_eq!(
        json_of(&content),
        r#"{"latitude":"NaN","displayName":"a.png","size":{"width":640,"height":480.5},"customExts":[{"key":"k","type":"STRING","string_value":"v"}],"subType":"SUB_GIF"}"#
    );
    let decoded_bytes = encode_vec(&content);
    let decoded = Content::decode(&decoded_bytes).unwrap();
    assert_eq!(json_of(&decoded), json_of(&content));
}

#[test]
fn nested_bytes_equal_their_encoding() {
    let jid = Jid::name_only("bob");
    let encoded = encode_vec(&jid);
    let meta_nested = Meta {
        payload: Some(Bytes::Nested(&jid)),
        ..Meta::EMPTY
    };
    let meta_raw = Meta {
        payload: Some(Bytes::Raw(&encoded)),
        ..Meta::EMPTY
    };
    assert_eq!(meta_nested, meta_raw);
    let other = Jid::name_only("bib");
    assert_ne!(
        meta_nested,
        Meta {
            payload: Some(Bytes::Nested(&other)),
            ..Meta::EMPTY
        }
    );
    assert_eq!(json_of(&meta_nested), json_of(&meta_raw));
    assert_eq!(meta_nested.body(), Err(DecodeError::PayloadNotRaw));
    assert_eq!(
        format!("{:?}", Bytes::Nested(&jid)),
        "Bytes(nested, 5 bytes)"
    );
}

#[test]
fn meta_body_by_namespace() {
    let json = br#"{"a":1}"#;
    let notify = Meta {
        ns: Some(NameSpace::NOTIFY),
        payload: Some(Bytes::Raw(json)),
        ..Meta::EMPTY
    };
    assert_eq!(notify.body(), Ok(MetaBody::Json(json)));
    let muc = Meta {
        ns: Some(NameSpace::MUC),
        payload: Some(Bytes::Raw(b"\x01")),
        ..Meta::EMPTY
    };
    assert_eq!(muc.body(), Ok(MetaBody::Other(NameSpace::MUC, b"\x01")));
    // No ns: STATISTIC by default; no payload: the empty body.
    assert_eq!(
        Meta::EMPTY.body(),
        Ok(MetaBody::Statistic(StatisticsBody::EMPTY))
    );
}

/// The payload view of a SYNC batch holding `metas`, and what was written.
fn batch_view(metas: &[Meta<'_>]) -> (Result<(), ViewError>, String) {
    let batch = CommSyncDl {
        metas: Repeated::from(metas),
        ..CommSyncDl::EMPTY
    };
    let payload = encode_vec(&batch);
    let mut out = String::new();
    let result = write_body_json(Command::SYNC, Direction::Down, &payload, &mut out);
    (result, out)
}

#[test]
fn payload_view_of_a_batch_with_several_metas() {
    let chat = MessageBody {
        message_type: Some(MessageType::CHAT),
        ..MessageBody::EMPTY
    };
    let kick = StatisticsBody {
        operation: Some(Operation::USER_REMOVED),
        ..StatisticsBody::EMPTY
    };
    let metas = [
        Meta {
            ns: Some(NameSpace::CHAT),
            payload: Some(Bytes::Nested(&chat)),
            ..Meta::EMPTY
        },
        Meta {
            ns: Some(NameSpace::STATISTIC),
            payload: Some(Bytes::Nested(&kick)),
            ..Meta::EMPTY
        },
        Meta {
            ns: Some(NameSpace::NOTIFY),
            payload: Some(Bytes::Raw(b"{}")),
            ..Meta::EMPTY
        },
    ];
    let (result, out) = batch_view(&metas);
    result.unwrap();
    let view: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(view["CommSyncDL"]["metas"].as_array().unwrap().len(), 3);
    assert_eq!(
        view["decoded_metas"],
        serde_json::json!([
            {"MessageBody": {"type": "CHAT"}},
            {"StatisticsBody": {"operation": "USER_REMOVED"}},
            {}
        ])
    );
}

#[test]
fn payload_view_is_all_or_nothing() {
    // A CHAT meta whose payload is not a MessageBody.
    let metas = [Meta {
        ns: Some(NameSpace::CHAT),
        payload: Some(Bytes::Raw(&[0x0a])),
        ..Meta::EMPTY
    }];
    let (result, mut out) = batch_view(&metas);
    assert_eq!(result, Err(ViewError::Decode(DecodeError::Truncated)));
    assert!(out.is_empty());
    let unknown = write_body_json(Command(7), Direction::Down, &[], &mut out);
    assert_eq!(unknown, Err(ViewError::UnknownCommand(Command(7))));
}

#[test]
fn compression_values() {
    let plain = MSync {
        compress_algorimth: Some(0),
        payload: Some(Bytes::Raw(b"")),
        ..MSync::EMPTY
    };
    assert_eq!(plain.plain_payload(), Ok(Some(&[][..])));
    let lz = MSync {
        compress_algorimth: Some(2),
        ..MSync::EMPTY
    };
    assert_eq!(
        lz.plain_payload(),
        Err(DecodeError::UnsupportedCompression(2))
    );
    assert_eq!(lz.body(), Err(DecodeError::UnsupportedCompression(2)));
    let zlib = MSync {
        compress_algorimth: Some(1),
        payload: Some(Bytes::Raw(b"xx")),
        ..MSync::EMPTY
    };
    assert_eq!(zlib.body(), Err(DecodeError::CompressedPayload));
}

#[cfg(feature = "zlib")]
#[test]
fn compression_values_inflated() {
    let lz = MSync {
        compress_algorimth: Some(2),
        ..MSync::EMPTY
    };
    let mut inflater = Inflater::new();
    let mut out = [0u8; 8];
    assert_eq!(
        lz.inflate_payload(&mut inflater, &mut out),
        Err(DecodeError::UnsupportedCompression(2))
    );
    let corrupt = MSync {
        compress_algorimth: Some(1),
        payload: Some(Bytes::Raw(b"xx")),
        ..MSync::EMPTY
    };
    assert_eq!(
        corrupt.body_inflated(&mut inflater, &mut out),
        Err(DecodeError::InflateFailed)
    );
}
