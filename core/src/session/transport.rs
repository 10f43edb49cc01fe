//! Byte plumbing of the live socket: framing msync frames into the transmit buffer (binary, or
//! base64 text for Alipay gateways, §5.3) and accumulating HTTP heads in the receive buffer.

use core::ops::Range;

use crate::region::FrameEncoding;
use crate::wire::proto::Encode;
use crate::wire::ws::{
    MAX_CLIENT_HEADER_LEN, OpCode, base64_len, seal_base64_text_frame, seal_frame,
};

/// Bytes reserved before an msync frame in the transmit buffer for the WebSocket header.
pub(crate) const HEADER_ROOM: usize = MAX_CLIENT_HEADER_LEN;

/// Transmit-buffer bytes a frame carrying `msync_len` msync bytes needs.
pub(crate) fn tx_needed(msync_len: usize, frame: FrameEncoding) -> usize {
    let payload = match frame {
        FrameEncoding::Binary => Some(msync_len),
        FrameEncoding::Base64Text => base64_len(msync_len),
    };
    payload.map_or(usize::MAX, |len| len.saturating_add(HEADER_ROOM))
}

/// The frame did not fit the transmit buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct TooLarge {
    pub(crate) needed: usize,
}

/// Encodes `msync` into `tx` as one masked WebSocket message; returns where the frame lies.
pub(crate) fn write_msync(
    tx: &mut [u8],
    msync: &dyn Encode,
    frame: FrameEncoding,
    mask: [u8; 4],
) -> Result<Range<usize>, TooLarge> {
    let len = msync.encoded_len();
    let needed = tx_needed(len, frame);
    if needed > tx.len() {
        return Err(TooLarge { needed });
    }
    let body = tx.get_mut(HEADER_ROOM..).unwrap_or_default();
    msync.encode(body).map_err(|_| TooLarge { needed })?;
    let sealed = match frame {
        FrameEncoding::Binary => seal_frame(tx, HEADER_ROOM, len, OpCode::Binary, mask),
        FrameEncoding::Base64Text => seal_base64_text_frame(tx, HEADER_ROOM, len, mask),
    };
    sealed.map_err(|_| TooLarge { needed })
}

/// Appends as much of `input` as fits after `filled` bytes of `buf`; returns the count.
pub(crate) fn append(buf: &mut [u8], filled: usize, input: &[u8]) -> usize {
    let Some(free) = buf.get_mut(filled..) else {
        return 0;
    };
    let n = free.len().min(input.len());
    if let (Some(dst), Some(src)) = (free.get_mut(..n), input.get(..n)) {
        dst.copy_from_slice(src);
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::msync::{Command, EncryptType, MSync, Repeated};

    #[test]
    fn binary_and_text_frames_match_the_unread_vector() {
        let unread = MSync {
            command: Some(Command::UNREAD),
            encrypt_type: Repeated::from(&[EncryptType::ENCRYPT_NONE]),
            trace_id: Some(7_130_316_800_000_004_097),
            ..MSync::EMPTY
        };
        let mut tx = [0u8; 64];
        let range = write_msync(&mut tx, &unread, FrameEncoding::Base64Text, [0; 4]).unwrap();
        assert_eq!(&tx[range.clone()][..2], &[0x81, 0x94]);
        assert_eq!(&tx[range][6..], b"QAFYAKABgaCAgKCr/vli");
        let range = write_msync(&mut tx, &unread, FrameEncoding::Binary, [0; 4]).unwrap();
        assert_eq!(&tx[range][..2], &[0x82, 0x8f]);
        let mut small = [0u8; 20];
        assert_eq!(
            write_msync(&mut small, &unread, FrameEncoding::Base64Text, [0; 4]),
            Err(TooLarge { needed: 34 })
        );
    }
}
