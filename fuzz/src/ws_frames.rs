//! Building server frames around a payload, and turning a client's masked frame into the
//! server's unmasked form, so client output can be fed back through the server-side decoder.

use msync_core::wire::ws::apply_mask;

/// A server (unmasked) frame: `first` is the FIN/opcode byte, the length is minimal.
pub fn server_frame(first: u8, payload: &[u8]) -> Vec<u8> {
    let mut frame = vec![first];
    match payload.len() {
        len @ 0..=125 => frame.push(len as u8),
        len @ 126..=0xffff => {
            frame.push(126);
            frame.extend_from_slice(&(len as u16).to_be_bytes());
        }
        len => {
            frame.push(127);
            frame.extend_from_slice(&(len as u64).to_be_bytes());
        }
    }
    frame.extend_from_slice(payload);
    frame
}

/// The same frame as a server would send it: mask bit cleared, key removed, payload unmasked.
pub fn unmask_client_frame(frame: &[u8]) -> Vec<u8> {
    let (first, second) = (frame[0], frame[1]);
    assert!(second & 0x80 != 0, "client frames are masked");
    let extended = match second & 0x7f {
        126 => 2,
        127 => 8,
        _ => 0,
    };
    let key_at = 2 + extended;
    let mask: [u8; 4] = frame[key_at..key_at + 4].try_into().unwrap();
    let mut payload = frame[key_at + 4..].to_vec();
    apply_mask(&mut payload, mask);
    let mut server = vec![first, second & 0x7f];
    server.extend_from_slice(&frame[2..key_at]);
    server.extend_from_slice(&payload);
    server
}
