//! Property tests of the protobuf primitives and the msync codec.
//!
//! Arbitrary messages come from a schema-driven generator written independently of the codec's
//! field tables (PROTOCOL.md §6): it emits every known field with random values, packed or
//! unpacked repeats, unknown fields of every wire type, in shuffled order. For every message
//! type: decoding succeeds, re-encoding is canonical and decodes to an equal value, and no prefix,
//! mutation or random input makes a decoder panic or hand out an iterator that fails. Frames built
//! by a client (slices, nested payloads) round-trip through encode and decode.

use msync_core::wire::BufferTooSmall;
use msync_core::wire::msync::*;
use msync_core::wire::proto::{
    self, MAX_VARINT_LEN, Writer, decode_varint, encode_varint, varint_len, zigzag_decode_32,
    zigzag_decode_64, zigzag_encode_32, zigzag_encode_64,
};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::test_runner::Config;

fn config() -> Config {
    Config {
        cases: 96,
        ..Config::default()
    }
}

// ---------------------------------------------------------------------------------------------
// Primitives

proptest! {
    #![proptest_config(Config { cases: 2048, ..Config::default() })]

    #[test]
    fn varint_round_trips(value in any::<u64>()) {
        let mut buf = [0; MAX_VARINT_LEN];
        let len = encode_varint(value, &mut buf);
        prop_assert_eq!(len, varint_len(value));
        prop_assert_eq!(decode_varint(&buf[..len]), Ok((value, len)));
        for short in 0..len {
            prop_assert_eq!(decode_varint(&buf[..short]), Err(DecodeError::Truncated));
        }
    }

    #[test]
    fn varint_decoder_is_clean_on_any_bytes(bytes in vec(any::<u8>(), 0..14)) {
        if let Ok((value, used)) = decode_varint(&bytes) {
            prop_assert!(used <= MAX_VARINT_LEN && used <= bytes.len());
            prop_assert!(varint_len(value) <= used);
        }
    }

    #[test]
    fn zigzag_round_trips(a in any::<i32>(), b in any::<i64>()) {
        prop_assert_eq!(zigzag_decode_32(zigzag_encode_32(a)), a);
        prop_assert_eq!(zigzag_decode_64(zigzag_encode_64(b)), b);
        // Small magnitudes map to small codes.
        prop_assert_eq!(u64::from(zigzag_encode_32(a)), zigzag_encode_64(i64::from(a)));
    }

    #[test]
    fn reader_is_clean_on_any_bytes(bytes in vec(any::<u8>(), 0..64)) {
        let mut reader = proto::Reader::new(&bytes);
        while let Ok(Some(_)) = reader.read_field() {}
    }
}

// ---------------------------------------------------------------------------------------------
// A second, independent description of the schema, for the generator.

#[derive(Clone, Copy, Debug)]
enum Kind {
    /// Any varint-typed scalar or enum (random 64-bit values exercise truncation).
    Varint,
    F32,
    F64,
    Str,
    Bytes,
    Msg(&'static [F]),
    /// `bytes` that usually carry an encoded message of this schema.
    Payload(&'static [F]),
}

#[derive(Clone, Copy, Debug)]
struct F {
    num: u32,
    kind: Kind,
    repeated: bool,
}

const fn o(num: u32, kind: Kind) -> F {
    F {
        num,
        kind,
        repeated: false,
    }
}

const fn r(num: u32, kind: Kind) -> F {
    F {
        num,
        kind,
        repeated: true,
    }
}

use schema::*;

/// The field tables, one line per message as in PROTOCOL.md §6.
#[rustfmt::skip]
mod schema {
    use super::{F, Kind, o, r};
    use Kind::{Bytes as B, F64, Msg, Payload, Str as S, Varint as V};

    pub(super) const JID: &[F] = &[o(1, S), o(2, S), o(3, S), o(4, S)];
    pub(super) const REDIRECT_INFO: &[F] = &[o(1, S), o(2, V)];
    pub(super) const STATUS: &[F] = &[o(1, V), o(2, S), r(3, Msg(REDIRECT_INFO))];
    pub(super) const PROVISION: &[F] = &[
        o(1, V), o(2, S), o(3, V), o(4, S), r(5, V), r(6, V), o(7, S), o(8, Msg(STATUS)), o(9, S),
        o(10, V), o(11, S), o(12, S), o(13, S), o(14, S), o(15, S), o(16, S), o(17, S), o(18, B),
        o(19, V), o(20, S), o(21, S), r(22, V), o(23, V), o(24, B),
    ];
    /// Fields 1 and 2; the generator adds the oneof over 3 to 6.
    pub(super) const KEY_VALUE: &[F] = &[o(1, S), o(2, V)];
    pub(super) const SIZE: &[F] = &[o(1, F64), o(2, F64)];
    pub(super) const CONTENT: &[F] = &[
        o(1, V), o(2, S), o(3, F64), o(4, F64), o(5, S), o(6, S), o(7, S), o(8, S), o(9, V),
        o(10, S), r(11, Msg(KEY_VALUE)), o(12, V), o(13, Msg(SIZE)), o(14, S), o(15, S), o(16, S),
        o(17, V), o(18, Msg(SIZE)), o(19, S), r(20, Msg(KEY_VALUE)), o(21, S), o(22, V), o(23, S),
        o(24, S), o(25, V), o(26, V),
    ];
    pub(super) const MESSAGE_CONFIG: &[F] = &[o(1, V)];
    pub(super) const STREAM: &[F] = &[o(1, S), o(2, V), o(3, V), o(4, V), o(5, V)];
    pub(super) const MESSAGE_BODY: &[F] = &[
        o(1, V), o(2, Msg(JID)), o(3, Msg(JID)), r(4, Msg(CONTENT)), r(5, Msg(KEY_VALUE)), o(6, V),
        o(7, Msg(MESSAGE_CONFIG)), o(8, S), o(9, B), o(10, V), o(11, V), o(12, V), o(13, Msg(STREAM)),
        o(14, V), o(15, V), o(16, V), r(17, V), o(18, V),
    ];
    pub(super) const STATISTICS_BODY: &[F] = &[
        o(1, V), o(2, V), o(3, S), o(4, V), o(5, V), o(6, V), o(7, S), o(8, S), o(9, S), o(10, S),
    ];
    pub(super) const META: &[F] = &[
        o(1, V), o(2, Msg(JID)), o(3, Msg(JID)), o(4, V), o(5, V), o(6, Payload(MESSAGE_BODY)),
        o(7, V), r(8, Msg(KEY_VALUE)), o(9, B), r(10, S), o(11, V), o(12, V), o(13, S),
    ];
    pub(super) const ROAM_CONFIG: &[F] = &[o(1, V), o(2, V)];
    pub(super) const COMM_SYNC_UL: &[F] =
        &[o(1, Msg(META)), o(2, V), o(3, Msg(JID)), o(4, V), o(5, V), o(6, Msg(ROAM_CONFIG))];
    pub(super) const COMM_SYNC_DL: &[F] = &[
        o(1, Msg(STATUS)), o(2, V), o(3, V), r(4, Msg(META)), o(5, V), o(6, Msg(JID)), o(7, V),
        o(8, V), o(9, V),
    ];
    pub(super) const COMM_NOTICE: &[F] = &[o(1, Msg(JID))];
    pub(super) const COMM_UNREAD_UL: &[F] = &[];
    pub(super) const META_QUEUE: &[F] = &[o(1, Msg(JID)), o(2, V)];
    pub(super) const COMM_UNREAD_DL: &[F] = &[o(1, Msg(STATUS)), r(2, Msg(META_QUEUE)), o(3, V)];
    pub(super) const LOGOUT: &[F] = &[o(1, S), o(2, S), o(3, Msg(STATUS))];
    pub(super) const MSYNC: &[F] = &[
        o(1, V), o(2, Msg(JID)), o(3, S), o(4, V), o(5, V), o(6, S), o(7, V), o(8, V),
        o(9, Payload(COMM_SYNC_DL)), o(10, V), r(11, V), o(12, S), o(13, B), o(14, B), o(20, V),
    ];
}

use Kind::{F32, F64, Str as S, Varint as V};

fn tag(num: u32, wire_type: u8) -> Vec<u8> {
    varint(u64::from(num) << 3 | u64::from(wire_type))
}

fn varint(value: u64) -> Vec<u8> {
    let mut buf = [0; MAX_VARINT_LEN];
    let len = encode_varint(value, &mut buf);
    buf[..len].to_vec()
}

fn len_field(num: u32, body: &[u8]) -> Vec<u8> {
    [tag(num, 2), varint(body.len() as u64), body.to_vec()].concat()
}

fn arb_string() -> BoxedStrategy<String> {
    prop_oneof![4 => "\\PC{0,12}", 1 => "[a-z\"\\\\\n\u{1}]{0,8}", 1 => "[a-z]{120,160}"].boxed()
}

/// Finite floats only, so that decoded values compare equal (NaN != NaN).
fn arb_f64() -> BoxedStrategy<f64> {
    any::<f64>().prop_filter("not NaN", |x| !x.is_nan()).boxed()
}

/// One occurrence of a value of `kind` (without the tag) and its wire type.
fn arb_value(kind: Kind) -> BoxedStrategy<(u8, Vec<u8>)> {
    match kind {
        Kind::Varint => prop_oneof![
            any::<u64>(),
            0u64..300,
            any::<i32>().prop_map(|v| i64::from(v) as u64),
        ]
        .prop_map(|v| (0, varint(v)))
        .boxed(),
        Kind::F32 => any::<f32>()
            .prop_filter("not NaN", |x| !x.is_nan())
            .prop_map(|v| (5, v.to_le_bytes().to_vec()))
            .boxed(),
        Kind::F64 => arb_f64()
            .prop_map(|v| (1, v.to_le_bytes().to_vec()))
            .boxed(),
        Kind::Str => arb_string()
            .prop_map(|s| (2, len_prefixed(s.as_bytes())))
            .boxed(),
        Kind::Bytes => vec(any::<u8>(), 0..24)
            .prop_map(|b| (2, len_prefixed(&b)))
            .boxed(),
        Kind::Msg(schema) => arb_message(schema)
            .prop_map(|b| (2, len_prefixed(&b)))
            .boxed(),
        Kind::Payload(schema) => prop_oneof![
            3 => arb_message(schema),
            1 => vec(any::<u8>(), 0..24),
        ]
        .prop_map(|b| (2, len_prefixed(&b)))
        .boxed(),
    }
}

fn len_prefixed(body: &[u8]) -> Vec<u8> {
    [varint(body.len() as u64), body.to_vec()].concat()
}

/// The occurrences of one field, each a tag-prefixed chunk.
fn arb_field(field: F) -> BoxedStrategy<Vec<Vec<u8>>> {
    let F {
        num,
        kind,
        repeated,
    } = field;
    let occurrence =
        arb_value(kind).prop_map(move |(wire_type, value)| [tag(num, wire_type), value].concat());
    if !repeated {
        return proptest::option::of(occurrence)
            .prop_map(|o| o.into_iter().collect())
            .boxed();
    }
    let unpacked = vec(occurrence, 0..3);
    match kind {
        // Repeated varints may also come packed in one length-delimited chunk.
        Kind::Varint => prop_oneof![
            unpacked,
            vec(arb_value(kind), 0..4).prop_map(move |values| {
                let body: Vec<u8> = values.into_iter().flat_map(|(_, v)| v).collect();
                vec![len_field(num, &body)]
            }),
        ]
        .boxed(),
        _ => unpacked.boxed(),
    }
}

/// A field this schema does not know, of any wire type (groups included).
fn arb_unknown_field() -> BoxedStrategy<Vec<u8>> {
    (1000u32..1100, 0u8..6, any::<u64>(), vec(any::<u8>(), 0..8))
        .prop_map(|(num, wire_type, value, bytes)| match wire_type {
            0 => [tag(num, 0), varint(value)].concat(),
            1 => [tag(num, 1), value.to_le_bytes().to_vec()].concat(),
            2 => len_field(num, &bytes),
            3 => [tag(num, 3), tag(num + 1, 0), varint(value), tag(num, 4)].concat(),
            _ => [tag(num, 5), (value as u32).to_le_bytes().to_vec()].concat(),
        })
        .boxed()
}

/// A valid encoding of a message of `schema`: every field maybe present, unknown fields mixed
/// in, all in shuffled order.
fn arb_message(schema: &'static [F]) -> BoxedStrategy<Vec<u8>> {
    let fields: Vec<BoxedStrategy<Vec<Vec<u8>>>> = schema.iter().map(|f| arb_field(*f)).collect();
    let oneof = if std::ptr::eq(schema, KEY_VALUE) {
        proptest::option::of(prop_oneof![
            arb_value(V).prop_map(|(_, v)| [tag(3, 0), v].concat()),
            arb_value(F32).prop_map(|(_, v)| [tag(4, 5), v].concat()),
            arb_value(F64).prop_map(|(_, v)| [tag(5, 1), v].concat()),
            arb_value(S).prop_map(|(_, v)| [tag(6, 2), v].concat()),
        ])
        .boxed()
    } else {
        Just(None).boxed()
    };
    (fields, oneof, vec(arb_unknown_field(), 0..2))
        .prop_map(|(fields, oneof, unknown)| {
            fields
                .into_iter()
                .flatten()
                .chain(oneof)
                .chain(unknown)
                .collect::<Vec<_>>()
        })
        .prop_shuffle()
        .prop_map(|chunks| chunks.concat())
        .boxed()
}

// ---------------------------------------------------------------------------------------------
// Codec properties for every message type

fn encode_vec(value: &dyn Encode) -> Vec<u8> {
    let mut out = vec![0; value.encoded_len()];
    let mut writer = Writer::new(&mut out);
    value.encode_to(&mut writer);
    assert_eq!(
        writer.position(),
        out.len(),
        "encoded_len matches the bytes written"
    );
    out
}

fn json<'a, T: FieldValue<'a>>(value: &T) -> String {
    let mut out = String::new();
    write_json(value, &mut out).expect("JSON view");
    out
}

/// Generates the properties of one message type against its generator schema.
macro_rules! message_props {
    ($($module:ident: $ty:ident = $schema:expr;)*) => {$(
        mod $module {
            use super::*;

            /// Decodes `bytes`; on success re-encodes, checks that the canonical form decodes
            /// and is a fixed point, and writes the JSON view and Debug (walking every lazy
            /// iterator). Must never panic.
            fn exercise(bytes: &[u8]) -> Result<(), TestCaseError> {
                if let Ok(value) = $ty::decode(bytes) {
                    let canonical = encode_vec(&value);
                    let again = $ty::decode(&canonical).expect("canonical form decodes");
                    prop_assert_eq!(encode_vec(&again), canonical);
                    let view = json(&value);
                    prop_assert!(serde_json::from_str::<serde_json::Value>(&view).is_ok(), "{}", view);
                    let _ = format!("{value:?}");
                }
                Ok(())
            }

            proptest! {
                #![proptest_config(config())]

                #[test]
                fn round_trips(bytes in arb_message($schema)) {
                    let value = $ty::decode(&bytes).expect("generated message decodes");
                    let canonical = encode_vec(&value);
                    let again = $ty::decode(&canonical).expect("canonical form decodes");
                    prop_assert_eq!(&again, &value);
                    prop_assert_eq!(encode_vec(&again), canonical.clone());
                    prop_assert_eq!(json(&again), json(&value));
                    // A buffer one byte short is refused whole and left untouched.
                    if let Some(short) = canonical.len().checked_sub(1) {
                        let mut buf = vec![0x5a; short];
                        prop_assert_eq!(
                            value.encode(&mut buf),
                            Err(BufferTooSmall { needed: canonical.len() })
                        );
                        prop_assert!(buf.iter().all(|&b| b == 0x5a));
                    }
                }

                #[test]
                fn every_prefix_is_clean(bytes in arb_message($schema)) {
                    for end in 0..bytes.len() {
                        exercise(&bytes[..end])?;
                    }
                }

                #[test]
                fn single_byte_mutations_are_clean(
                    bytes in arb_message($schema),
                    position in any::<prop::sample::Index>(),
                    byte in any::<u8>(),
                ) {
                    let mut mutated = bytes;
                    if !mutated.is_empty() {
                        let at = position.index(mutated.len());
                        mutated[at] = byte;
                    }
                    exercise(&mutated)?;
                }

                #[test]
                fn random_bytes_are_clean(bytes in vec(any::<u8>(), 0..48)) {
                    exercise(&bytes)?;
                }
            }
        }
    )*};
}

message_props! {
    jid: Jid = JID;
    redirect_info: RedirectInfo = REDIRECT_INFO;
    status: Status = STATUS;
    provision: Provision = PROVISION;
    key_value: KeyValue = KEY_VALUE;
    size: Size = SIZE;
    content: Content = CONTENT;
    message_config: MessageConfig = MESSAGE_CONFIG;
    stream: Stream = STREAM;
    message_body: MessageBody = MESSAGE_BODY;
    statistics_body: StatisticsBody = STATISTICS_BODY;
    meta: Meta = META;
    roam_config: RoamConfig = ROAM_CONFIG;
    comm_sync_ul: CommSyncUl = COMM_SYNC_UL;
    comm_sync_dl: CommSyncDl = COMM_SYNC_DL;
    comm_notice: CommNotice = COMM_NOTICE;
    comm_unread_ul: CommUnreadUl = COMM_UNREAD_UL;
    meta_queue: MetaQueue = META_QUEUE;
    comm_unread_dl: CommUnreadDl = COMM_UNREAD_DL;
    logout: Logout = LOGOUT;
    msync: MSync = MSYNC;
}

// ---------------------------------------------------------------------------------------------
// Frames as a client builds them: slices and nested payloads, encoded in one pass.

#[derive(Clone, Debug)]
struct SendCase {
    id: u64,
    trace_id: u64,
    peer: String,
    text: String,
    action: String,
    ext: Vec<(String, i64)>,
    location: Option<(f64, f64, String)>,
}

fn arb_send_case() -> impl Strategy<Value = SendCase> {
    (
        1u64..,
        any::<u64>(),
        arb_string(),
        arb_string(),
        arb_string(),
        vec((arb_string(), any::<i64>()), 0..3),
        proptest::option::of((arb_f64(), arb_f64(), arb_string())),
    )
        .prop_map(
            |(id, trace_id, peer, text, action, ext, location)| SendCase {
                id,
                trace_id,
                peer,
                text,
                action,
                ext,
                location,
            },
        )
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn built_send_frame_round_trips(case in arb_send_case(), short in any::<prop::sample::Index>()) {
        let ext: Vec<KeyValue<'_>> = case.ext.iter().map(|(k, v)| KeyValue::int(k, *v)).collect();
        let mut contents = vec![Content::text(&case.text), Content::command(&case.action, &ext)];
        if let Some((lat, lng, address)) = &case.location {
            contents.push(Content::location(*lat, *lng, address));
        }
        let body = MessageBody {
            message_type: Some(MessageType::CHAT),
            from: Some(Jid::name_only("alice")),
            to: Some(Jid::name_only(&case.peer)),
            contents: Repeated::from(contents.as_slice()),
            ext: Repeated::from(ext.as_slice()),
            ..MessageBody::EMPTY
        };
        let sync = CommSyncUl {
            meta: Some(Meta {
                id: Some(case.id),
                to: Some(Jid::bare("org#app", &case.peer, "easemob.com")),
                ns: Some(NameSpace::CHAT),
                payload: Some(Bytes::Nested(&body)),
                routetype: Some(RouteType::ROUTE_ALL),
                ..Meta::EMPTY
            }),
            ..CommSyncUl::EMPTY
        };
        let frame = MSync {
            command: Some(Command::SYNC),
            payload: Some(Bytes::Nested(&sync)),
            encrypt_type: Repeated::from(&[EncryptType::ENCRYPT_NONE]),
            trace_id: Some(case.trace_id),
            ..MSync::EMPTY
        };

        let needed = frame.encoded_len();
        let mut small = vec![0u8; short.index(needed)];
        prop_assert_eq!(frame.encode(&mut small), Err(BufferTooSmall { needed }));
        prop_assert!(small.iter().all(|&b| b == 0));

        let mut buf = vec![0u8; needed];
        prop_assert_eq!(frame.encode(&mut buf), Ok(needed));
        let decoded = MSync::decode(&buf).unwrap();
        prop_assert_eq!(&decoded, &frame);
        let Body::SyncUl(decoded_sync) = decoded.up_body().unwrap() else {
            return Err(TestCaseError::fail("not a CommSyncUL"));
        };
        prop_assert_eq!(&decoded_sync, &sync);
        let meta = decoded_sync.meta.unwrap();
        prop_assert_eq!(meta.id, Some(case.id));
        let MetaBody::Chat(decoded_body) = meta.body().unwrap() else {
            return Err(TestCaseError::fail("not a chat meta"));
        };
        prop_assert_eq!(&decoded_body, &body);
        prop_assert_eq!(decoded_body.contents.iter().next().unwrap().text, Some(case.text.as_str()));
        prop_assert_eq!(json(&decoded), json(&frame));
    }

    #[test]
    fn built_provision_frame_round_trips(
        token in arb_string(),
        resource in arb_string(),
        session_id in arb_string(),
        trace_id in any::<u64>(),
    ) {
        let auth = format!("$t${token}");
        let auth_token = format!(r#"{{"token":"$t${token}"}}"#);
        let provision = Provision {
            os_type: Some(OsType::OS_OTHER),
            version: Some("4.21.1"),
            compress_type: Repeated::from(&[CompressType::COMPRESS_NONE]),
            encrypt_type: Repeated::from(&[EncryptType::ENCRYPT_NONE]),
            resource: Some(&resource),
            auth_token: Some(Bytes::from(auth_token.as_str())),
            session_id: Some(&session_id),
            ..Provision::EMPTY
        };
        let frame = MSync {
            guid: Some(Jid { client_resource: Some(&resource), ..Jid::bare("org#app", "alice", "easemob.com") }),
            auth: Some(&auth),
            command: Some(Command::PROVISION),
            payload: Some(Bytes::Nested(&provision)),
            device_id: Some(0),
            encrypt_type: Repeated::from(&[EncryptType::ENCRYPT_NONE]),
            trace_id: Some(trace_id),
            ..MSync::EMPTY
        };
        let bytes = encode_vec(&frame);
        let decoded = MSync::decode(&bytes).unwrap();
        prop_assert_eq!(&decoded, &frame);
        prop_assert_eq!(decoded.up_body().unwrap(), Body::Provision(provision));
        let debug = format!("{decoded:?}");
        prop_assert!(!debug.contains("$t$"), "{}", debug);
    }
}
