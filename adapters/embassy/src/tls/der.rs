//! Just enough DER to find a certificate's public key (RFC 5280 §4.1): bounded, panic-free.

/// `1.2.840.10045.2.1` id-ecPublicKey, as an encoded OID (tag and length included).
const EC_PUBLIC_KEY: &[u8] = &[0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
/// `1.2.840.10045.3.1.7` prime256v1 (P-256), as an encoded OID.
const PRIME256V1: &[u8] = &[0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];

const SEQUENCE: u8 = 0x30;
const INTEGER: u8 = 0x02;
const BIT_STRING: u8 = 0x03;
/// `[0] EXPLICIT Version`.
const VERSION: u8 = 0xa0;

/// One element: its tag, its contents, the whole element, and what follows it.
struct Element<'a> {
    tag: u8,
    contents: &'a [u8],
    whole: &'a [u8],
    rest: &'a [u8],
}

/// The first element of `input` (definite lengths of up to four bytes).
fn element(input: &[u8]) -> Option<Element<'_>> {
    let (&tag, after_tag) = input.split_first()?;
    let (&first, after_length) = after_tag.split_first()?;
    let (length, header_rest) = if first < 0x80 {
        (usize::from(first), after_length)
    } else {
        let count = usize::from(first & 0x7f);
        if count == 0 || count > 4 {
            return None;
        }
        let (bytes, rest) = after_length.split_at_checked(count)?;
        let length = bytes
            .iter()
            .fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
        (length, rest)
    };
    let (contents, rest) = header_rest.split_at_checked(length)?;
    let header_len = input.len().checked_sub(header_rest.len())?;
    let whole = input.get(..header_len.checked_add(length)?)?;
    Some(Element {
        tag,
        contents,
        whole,
        rest,
    })
}

/// The element of `tag` at the start of `input`.
fn expect(input: &[u8], tag: u8) -> Option<Element<'_>> {
    element(input).filter(|e| e.tag == tag)
}

/// The `SubjectPublicKeyInfo` of an X.509 certificate, as encoded (tag and length included).
pub(crate) fn subject_public_key_info(certificate: &[u8]) -> Option<&[u8]> {
    let certificate = expect(certificate, SEQUENCE)?;
    let tbs = expect(certificate.contents, SEQUENCE)?;
    let mut fields = tbs.contents;
    if let Some(version) = expect(fields, VERSION) {
        fields = version.rest;
    }
    let serial = expect(fields, INTEGER)?;
    // signature, issuer, validity, subject: four sequences before the key.
    let mut rest = serial.rest;
    for _ in 0..4 {
        rest = expect(rest, SEQUENCE)?.rest;
    }
    Some(expect(rest, SEQUENCE)?.whole)
}

/// The uncompressed or compressed P-256 point of a `SubjectPublicKeyInfo`, if it holds one.
pub(crate) fn p256_point(spki: &[u8]) -> Option<&[u8]> {
    let spki = expect(spki, SEQUENCE)?;
    let algorithm = expect(spki.contents, SEQUENCE)?;
    if algorithm.contents.strip_prefix(EC_PUBLIC_KEY) != Some(PRIME256V1) {
        return None;
    }
    let key = expect(algorithm.rest, BIT_STRING)?;
    match key.contents.split_first() {
        // No unused bits: the point is the rest.
        Some((0, point)) => Some(point),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::{p256_point, subject_public_key_info};
    use std::vec::Vec;

    /// A public P-256 root certificate (Amazon Root CA 3).
    const CERTIFICATE: &[u8] = include_bytes!("testdata/amazon-root-ca-3.der");

    /// Its `SubjectPublicKeyInfo`, as `openssl pkey -pubin -outform DER` prints it.
    const SPKI: &str = "3059301306072a8648ce3d020106082a8648ce3d030107034200042997a7c6417fc00d9be8011b\
                        56c6f252a5ba2db212e8d22ed7fac9c5d8aa6d1f73813b3b986b397c33a5c54e868e8017686245\
                        577d44581db337e56708eb66de";

    fn hex(text: &str) -> Vec<u8> {
        (0..text.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
            .collect()
    }

    #[test]
    fn finds_the_public_key_of_a_certificate() {
        let spki = subject_public_key_info(CERTIFICATE).unwrap();
        assert_eq!(spki, hex(SPKI).as_slice());
        let point = p256_point(spki).unwrap();
        assert_eq!(point.len(), 65, "an uncompressed point");
        assert_eq!(point[0], 0x04);
        assert_eq!(&spki[spki.len() - 65..], point);
    }

    #[test]
    fn truncated_or_altered_input_is_refused_without_panicking() {
        for len in 0..CERTIFICATE.len() {
            assert_eq!(
                subject_public_key_info(&CERTIFICATE[..len]),
                None,
                "{len} bytes"
            );
        }
        let spki = hex(SPKI);
        for len in 0..spki.len() {
            assert_eq!(p256_point(&spki[..len]), None, "{len} bytes");
        }
        // Another curve (the OID's last byte changed): not a P-256 key.
        let mut other_curve = spki.clone();
        other_curve[24] ^= 0x01;
        assert_eq!(p256_point(&other_curve), None);
        // Every single-byte change either still parses or is refused: never a panic.
        for at in 0..CERTIFICATE.len() {
            let mut changed = CERTIFICATE.to_vec();
            changed[at] ^= 0xff;
            let _ = subject_public_key_info(&changed).and_then(p256_point);
        }
    }
}
