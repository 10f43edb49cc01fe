//! Protobuf primitives: varints, zigzag, tags, and `Reader` walking a message field by field.
//!
//! A message that reads completely is re-written field by field with `Writer` (minimal
//! varints) and must read back as the same fields; primitives round-trip.
#![no_main]

use libfuzzer_sys::fuzz_target;
use msync_core::wire::proto::*;

fuzz_target!(|data: &[u8]| {
    check_varint(data);
    let Some(fields) = read_all(data) else {
        return;
    };
    let mut measure = Writer::new(&mut []);
    write_all(&fields, &mut measure);
    let mut out = vec![0u8; measure.position()];
    let mut writer = Writer::new(&mut out);
    write_all(&fields, &mut writer);
    assert_eq!(writer.position(), out.len());
    assert!(out.len() <= data.len(), "minimal re-encoding grew");
    let again = read_all(&out).expect("re-encoded fields read back");
    assert_eq!(values(&fields), values(&again));
});

/// The fields without their positions, which differ after re-encoding.
fn values<'a>(fields: &[Field<'a>]) -> Vec<(u32, RawValue<'a>)> {
    fields.iter().map(|f| (f.number, f.value)).collect()
}

fn check_varint(data: &[u8]) {
    let Ok((value, len)) = decode_varint(data) else {
        return;
    };
    assert!((1..=MAX_VARINT_LEN).contains(&len) && len <= data.len());
    let mut buf = [0u8; MAX_VARINT_LEN];
    let n = encode_varint(value, &mut buf);
    assert_eq!(n, varint_len(value));
    assert!(n <= len);
    assert_eq!(decode_varint(&buf[..n]), Ok((value, n)));
    let mut reader = Reader::new(data);
    assert_eq!(reader.read_varint(), Ok(value));
    assert_eq!(reader.remaining().len(), data.len() - len);
    assert_eq!(zigzag_encode_64(zigzag_decode_64(value)), value);
    assert_eq!(
        zigzag_decode_64(zigzag_encode_64(value as i64)),
        value as i64
    );
    let narrow = value as u32;
    assert_eq!(zigzag_encode_32(zigzag_decode_32(narrow)), narrow);
    assert_eq!(
        zigzag_decode_32(zigzag_encode_32(narrow as i32)),
        narrow as i32
    );
    if let Ok(tag) = Tag::from_u64(value) {
        assert_eq!(tag.to_u64(), value);
        assert!((1..=MAX_FIELD_NUMBER).contains(&tag.field));
    }
}

/// Every field of a message, or `None` if it does not read to the end.
fn read_all(data: &[u8]) -> Option<Vec<Field<'_>>> {
    let mut reader = Reader::new(data);
    let mut fields = Vec::new();
    loop {
        let before = reader.remaining().len();
        match reader.read_field() {
            Ok(Some(field)) => {
                assert!(
                    reader.remaining().len() < before,
                    "a field consumed nothing"
                );
                assert!((1..=MAX_FIELD_NUMBER).contains(&field.number));
                assert_eq!(field.from_tag.len(), before);
                fields.push(field);
            }
            Ok(None) => return Some(fields),
            Err(_) => return None,
        }
    }
}

fn write_all(fields: &[Field<'_>], writer: &mut Writer<'_>) {
    for field in fields {
        let number = field.number;
        writer.put_tag(number, field.value.wire_type());
        match field.value {
            RawValue::Varint(v) => writer.put_varint(v),
            RawValue::I64(v) => writer.put_fixed64(v),
            RawValue::I32(v) => writer.put_fixed32(v),
            RawValue::Len(bytes) => writer.put_len_delimited(bytes),
            RawValue::Group(body) => {
                writer.put_slice(body);
                writer.put_tag(number, WireType::EndGroup);
            }
        }
    }
}
