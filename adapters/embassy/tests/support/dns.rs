//! A DNS responder on the server stack: `localhost` is the server's address, every other
//! name does not exist.

use embassy_net::Stack;
use embassy_net::udp::{PacketMetadata, UdpSocket};

use super::SERVER_IP;

/// Answers A queries on port 53 for ever.
pub async fn responder(stack: Stack<'_>) {
    let mut rx_meta = [PacketMetadata::EMPTY; 4];
    let mut tx_meta = [PacketMetadata::EMPTY; 4];
    let mut rx = [0u8; 1024];
    let mut tx = [0u8; 1024];
    let mut socket = UdpSocket::new(stack, &mut rx_meta, &mut rx, &mut tx_meta, &mut tx);
    socket.bind(53).expect("bind port 53");
    let mut query = [0u8; 512];
    let mut reply = [0u8; 512];
    loop {
        let Ok((n, meta)) = socket.recv_from(&mut query).await else {
            continue;
        };
        if let Some(len) = answer(&query[..n], &mut reply) {
            let _ = socket.send_to(&reply[..len], meta).await;
        }
    }
}

/// The reply to one query, or `None` for what is not a single-question query.
fn answer(query: &[u8], reply: &mut [u8]) -> Option<usize> {
    let header = query.get(..12)?;
    if header[4..6] != [0, 1] {
        return None;
    }
    // The question: labels, then type and class.
    let mut at = 12;
    let mut name = String::new();
    loop {
        let len = usize::from(*query.get(at)?);
        at += 1;
        if len == 0 {
            break;
        }
        if !name.is_empty() {
            name.push('.');
        }
        name.push_str(std::str::from_utf8(query.get(at..at + len)?).ok()?);
        at += len;
    }
    let question = query.get(12..at + 4)?;
    let qtype = query.get(at..at + 2)?;
    let found = name.eq_ignore_ascii_case("localhost") && qtype == [0, 1];
    let mut out = Vec::with_capacity(64);
    out.extend_from_slice(&header[..2]);
    out.extend_from_slice(&[0x81, if found { 0x80 } else { 0x83 }]);
    out.extend_from_slice(&[0, 1, 0, u8::from(found), 0, 0, 0, 0]);
    out.extend_from_slice(question);
    if found {
        out.extend_from_slice(&[0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4]);
        out.extend_from_slice(&SERVER_IP.octets());
    }
    reply.get_mut(..out.len())?.copy_from_slice(&out);
    Some(out.len())
}
