//! Frame headers (RFC 6455 §5.2): parsing server frames, writing masked client frames.

use rand_core::RngCore;

use super::error::WsError;

/// The longest client frame header: 2 bytes, 8 bytes of extended length, 4 bytes of mask key.
pub const MAX_CLIENT_HEADER_LEN: usize = 14;

/// The largest control frame payload.
pub const MAX_CONTROL_PAYLOAD: usize = 125;

/// A frame opcode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum OpCode {
    /// 0x0: a further fragment of a message.
    Continuation,
    /// 0x1: a text message (on Alipay gateways: base64 of an msync frame).
    Text,
    /// 0x2: a binary message (an msync frame).
    Binary,
    /// 0x8: close.
    Close,
    /// 0x9: ping.
    Ping,
    /// 0xA: pong.
    Pong,
}

impl OpCode {
    /// The opcode for a 4-bit value, if RFC 6455 defines it.
    pub const fn from_u8(value: u8) -> Option<Self> {
        match value {
            0x0 => Some(Self::Continuation),
            0x1 => Some(Self::Text),
            0x2 => Some(Self::Binary),
            0x8 => Some(Self::Close),
            0x9 => Some(Self::Ping),
            0xA => Some(Self::Pong),
            _ => None,
        }
    }

    /// The 4-bit value.
    pub const fn as_u8(self) -> u8 {
        match self {
            Self::Continuation => 0x0,
            Self::Text => 0x1,
            Self::Binary => 0x2,
            Self::Close => 0x8,
            Self::Ping => 0x9,
            Self::Pong => 0xA,
        }
    }

    /// Close, ping and pong.
    pub const fn is_control(self) -> bool {
        matches!(self, Self::Close | Self::Ping | Self::Pong)
    }
}

/// The header of a server frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct FrameHeader {
    /// Final fragment of its message.
    pub fin: bool,
    /// The opcode.
    pub opcode: OpCode,
    /// The payload length.
    pub payload_len: u64,
    /// The header length in bytes (2, 4 or 10: server frames carry no mask key).
    pub header_len: usize,
}

/// A complete server frame, borrowed from the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Frame<'a> {
    /// Final fragment of its message.
    pub fin: bool,
    /// The opcode.
    pub opcode: OpCode,
    /// The payload (unmasked: servers never mask).
    pub payload: &'a [u8],
}

/// Parses and checks a server frame header at the start of `input`; `None` when more bytes
/// are needed. Checks everything that does not depend on earlier frames: reserved bits, opcode,
/// no mask, control frame rules, and minimal, 63-bit length encoding.
pub fn parse_frame_header(input: &[u8]) -> Result<Option<FrameHeader>, WsError> {
    let Some(&first) = input.first() else {
        return Ok(None);
    };
    let bits = first & 0x70;
    if bits != 0 {
        return Err(WsError::ReservedBits { bits });
    }
    let Some(opcode) = OpCode::from_u8(first & 0x0f) else {
        return Err(WsError::UnknownOpcode {
            opcode: first & 0x0f,
        });
    };
    let fin = first & 0x80 != 0;
    let Some(&second) = input.get(1) else {
        return Ok(None);
    };
    if second & 0x80 != 0 {
        return Err(WsError::MaskedFrame);
    }
    let short_len = second & 0x7f;
    if opcode.is_control() {
        if !fin {
            return Err(WsError::FragmentedControlFrame);
        }
        if usize::from(short_len) > MAX_CONTROL_PAYLOAD {
            return Err(WsError::ControlFrameTooLarge {
                length: extended_len(input, short_len).unwrap_or(u64::from(short_len)),
            });
        }
    }
    let header_len = server_header_len(short_len);
    if input.len() < header_len {
        return Ok(None);
    }
    let payload_len = match short_len {
        126 => {
            let len = extended_len(input, short_len).unwrap_or_default();
            if len < 126 {
                return Err(WsError::NonMinimalLength);
            }
            len
        }
        127 => {
            let len = extended_len(input, short_len).unwrap_or_default();
            if len >> 63 != 0 {
                return Err(WsError::LengthTopBitSet);
            }
            if len <= 0xffff {
                return Err(WsError::NonMinimalLength);
            }
            len
        }
        len => u64::from(len),
    };
    Ok(Some(FrameHeader {
        fin,
        opcode,
        payload_len,
        header_len,
    }))
}

/// The header length of a server frame whose 7-bit length field is `short_len`.
pub(crate) const fn server_header_len(short_len: u8) -> usize {
    match short_len {
        126 => 4,
        127 => 10,
        _ => 2,
    }
}

/// The 16- or 64-bit extended length, when present in full.
fn extended_len(input: &[u8], short_len: u8) -> Option<u64> {
    let rest = input.get(2..)?;
    match short_len {
        126 => rest
            .first_chunk::<2>()
            .map(|b| u64::from(u16::from_be_bytes(*b))),
        127 => rest.first_chunk::<8>().map(|b| u64::from_be_bytes(*b)),
        _ => None,
    }
}

/// Parses one complete server frame at the start of `input`.
///
/// Returns the frame and the number of bytes it occupies, or `None` when more bytes are
/// needed. A payload over `max_payload` is rejected as soon as the header is complete. This is
/// the stateless layer; [`Decoder`](super::Decoder) adds fragmentation and message rules.
pub fn parse_frame(
    input: &[u8],
    max_payload: usize,
) -> Result<Option<(Frame<'_>, usize)>, WsError> {
    let Some(header) = parse_frame_header(input)? else {
        return Ok(None);
    };
    let payload_len = usize::try_from(header.payload_len)
        .ok()
        .filter(|&len| len <= max_payload)
        .ok_or(WsError::MessageTooLarge {
            length: header.payload_len,
            max: max_payload,
        })?;
    let end = header.header_len.saturating_add(payload_len);
    let Some(payload) = input.get(header.header_len..end) else {
        return Ok(None);
    };
    Ok(Some((
        Frame {
            fin: header.fin,
            opcode: header.opcode,
            payload,
        },
        end,
    )))
}

/// The header length of a masked client frame with `payload_len` payload bytes: 6, 8 or 14.
pub const fn client_header_len(payload_len: usize) -> usize {
    if payload_len < 126 {
        6
    } else if payload_len <= 0xffff {
        8
    } else {
        MAX_CLIENT_HEADER_LEN
    }
}

/// Writes a final (FIN), masked client frame header into `dst`, which must be exactly
/// [`client_header_len`]`(payload_len)` bytes long (other lengths write nothing).
pub(crate) fn write_client_header(
    dst: &mut [u8],
    opcode: OpCode,
    payload_len: usize,
    mask: [u8; 4],
) {
    let first = 0x80 | opcode.as_u8();
    let len = payload_len as u64;
    let mut header = [0u8; MAX_CLIENT_HEADER_LEN];
    header[0] = first;
    let used = match client_header_len(payload_len) {
        6 => {
            // `payload_len` < 126 here.
            header[1] = 0x80 | len as u8;
            2
        }
        8 => {
            header[1] = 0x80 | 126;
            let [hi, lo] = (len as u16).to_be_bytes();
            header[2] = hi;
            header[3] = lo;
            4
        }
        _ => {
            header[1] = 0x80 | 127;
            for (slot, byte) in header.iter_mut().skip(2).zip(len.to_be_bytes()) {
                *slot = byte;
            }
            10
        }
    };
    for (slot, byte) in header.iter_mut().skip(used).zip(mask) {
        *slot = byte;
    }
    let expected = client_header_len(payload_len);
    if dst.len() == expected
        && let Some(src) = header.get(..expected)
    {
        dst.copy_from_slice(src);
    }
}

/// XORs `payload` with the mask key (masking and unmasking are the same operation).
pub fn apply_mask(payload: &mut [u8], mask: [u8; 4]) {
    let mut chunks = payload.chunks_exact_mut(4);
    let word = u32::from_ne_bytes(mask);
    for chunk in &mut chunks {
        if let Ok(bytes) = <&mut [u8; 4]>::try_from(chunk) {
            *bytes = (u32::from_ne_bytes(*bytes) ^ word).to_ne_bytes();
        }
    }
    for (byte, key) in chunks.into_remainder().iter_mut().zip(mask) {
        *byte ^= key;
    }
}

/// A fresh mask key from the injected RNG; use one per frame.
pub fn mask_key<R: RngCore + ?Sized>(rng: &mut R) -> [u8; 4] {
    rng.next_u32().to_ne_bytes()
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use std::prelude::rust_2024::*;
    use std::vec;

    #[test]
    fn header_lengths() {
        assert_eq!(client_header_len(0), 6);
        assert_eq!(client_header_len(125), 6);
        assert_eq!(client_header_len(126), 8);
        assert_eq!(client_header_len(65535), 8);
        assert_eq!(client_header_len(65536), 14);
    }

    #[test]
    fn writes_rfc_example_header() {
        // RFC 6455 §5.7: a masked "Hello" with key 37 fa 21 3d.
        let mut hdr = [0u8; 6];
        write_client_header(&mut hdr, OpCode::Text, 5, [0x37, 0xfa, 0x21, 0x3d]);
        assert_eq!(hdr, [0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d]);
        let mut payload = *b"Hello";
        apply_mask(&mut payload, [0x37, 0xfa, 0x21, 0x3d]);
        assert_eq!(payload, [0x7f, 0x9f, 0x4d, 0x51, 0x58]);
    }

    #[test]
    fn parses_rfc_examples() {
        let (f, n) = parse_frame(b"\x81\x05Hello", 100).unwrap().unwrap();
        assert_eq!(
            (f.fin, f.opcode, f.payload, n),
            (true, OpCode::Text, &b"Hello"[..], 7)
        );
        let (f, _) = parse_frame(b"\x01\x03Hel", 100).unwrap().unwrap();
        assert!(!f.fin);
        let (f, _) = parse_frame(b"\x8a\x05Hello", 100).unwrap().unwrap();
        assert_eq!(f.opcode, OpCode::Pong);
        let mut big = vec![0x82, 0x7e, 0x01, 0x00];
        big.extend_from_slice(&[7; 256]);
        let (f, n) = parse_frame(&big, 256).unwrap().unwrap();
        assert_eq!((f.payload.len(), n), (256, 260));
        assert_eq!(parse_frame(&big[..100], 256), Ok(None));
    }

    #[test]
    fn header_errors() {
        let cases: [(&[u8], WsError); 9] = [
            (b"\xc1\x00", WsError::ReservedBits { bits: 0x40 }),
            (b"\x83\x00", WsError::UnknownOpcode { opcode: 3 }),
            (b"\x81\x80", WsError::MaskedFrame),
            (b"\x09\x00", WsError::FragmentedControlFrame),
            (
                b"\x89\x7e\x00\x7e",
                WsError::ControlFrameTooLarge { length: 126 },
            ),
            (b"\x82\x7e\x00\x7d", WsError::NonMinimalLength),
            (
                b"\x82\x7f\x00\x00\x00\x00\x00\x00\xff\xff",
                WsError::NonMinimalLength,
            ),
            (
                b"\x82\x7f\x80\x00\x00\x00\x00\x00\x00\x00",
                WsError::LengthTopBitSet,
            ),
            (
                b"\x82\x7f\x00\x00\x00\x00\x00\x01\x00\x00",
                WsError::MessageTooLarge {
                    length: 0x1_0000,
                    max: 1000,
                },
            ),
        ];
        for (input, want) in cases {
            assert_eq!(parse_frame(input, 1000), Err(want), "{input:02x?}");
        }
    }

    #[test]
    fn mask_key_uses_rng() {
        struct Fixed;
        impl RngCore for Fixed {
            fn next_u32(&mut self) -> u32 {
                0x0102_0304
            }
            fn next_u64(&mut self) -> u64 {
                0
            }
            fn fill_bytes(&mut self, dst: &mut [u8]) {
                dst.fill(9);
            }
        }
        assert_eq!(mask_key(&mut Fixed), 0x0102_0304u32.to_ne_bytes());
    }

    #[test]
    fn mask_round_trips_any_length() {
        for len in 0..20 {
            let original: Vec<u8> = (0..len as u8).collect();
            let mut data = original.clone();
            apply_mask(&mut data, [1, 2, 3, 4]);
            for (i, (m, o)) in data.iter().zip(&original).enumerate() {
                assert_eq!(*m, o ^ [1, 2, 3, 4][i % 4]);
            }
            apply_mask(&mut data, [1, 2, 3, 4]);
            assert_eq!(data, original);
        }
    }
}
