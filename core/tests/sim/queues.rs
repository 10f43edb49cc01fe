//! What the server queues for the user, how a queued item looks on the wire (`Meta` and its
//! payload), and a zlib wrapper for compressed frames (stored deflate blocks: a valid zlib
//! stream that needs no compressor).

use std::collections::VecDeque;

use msync_core::wire::msync::{
    Bytes, Content, Encode, Jid, MessageBody, MessageType, Meta, NameSpace, Operation, Repeated,
    StatisticsBody,
};

use super::rng::SimRng;

pub(crate) const APP_KEY: &str = "org#app";
pub(crate) const USER: &str = "alice";
pub(crate) const USERS_DOMAIN: &str = "easemob.com";
pub(crate) const CONFERENCE_DOMAIN: &str = "conference.easemob.com";
/// Pull keys are this plus the meta's sequence number in its queue.
pub(crate) const KEY_BASE: u64 = 7_000_000_000;

/// The queues the server keeps for the user: its own, and the system queue `@easemob.com`.
pub(crate) const QUEUE_NAMES: [&str; 2] = [USER, ""];
pub(crate) const OWN_QUEUE: usize = 0;
pub(crate) const SYSTEM_QUEUE: usize = 1;

/// A queue's bare JID.
pub(crate) fn jid_of(queue: usize) -> Jid<'static> {
    Jid::bare(APP_KEY, QUEUE_NAMES[queue], USERS_DOMAIN)
}

/// What a queued meta is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Item {
    /// A chat message to the user (1:1 or in a group).
    Chat {
        from: String,
        group: Option<String>,
        text: String,
    },
    /// A NOTIFY meta (JSON).
    Notify { json: String },
    /// A STATISTIC INFORMATION meta: skipped by the client, still covered by the key.
    Info,
    /// A kick (STATISTIC, another device logged in); `marker` travels in its `reason`.
    Kick { marker: String },
}

impl Item {
    /// Whether the application sees it (everything but INFORMATION).
    pub(crate) fn is_visible(&self) -> bool {
        *self != Item::Info
    }
}

/// One queued meta.
#[derive(Clone, Debug)]
pub(crate) struct Stored {
    pub(crate) seq: u64,
    pub(crate) server_id: u64,
    pub(crate) timestamp: u64,
    pub(crate) item: Item,
    /// Batches it went out in.
    pub(crate) sent: u32,
}

/// One queue: what is not acknowledged yet, and the cursor.
#[derive(Debug, Default)]
pub(crate) struct Queue {
    pub(crate) pending: VecDeque<Stored>,
    pub(crate) next_seq: u64,
    pub(crate) acked_seq: u64,
    /// The highest sequence number handed out as a key.
    pub(crate) issued_seq: u64,
}

pub(crate) fn encode(value: &dyn Encode) -> Vec<u8> {
    let mut out = vec![0; value.encoded_len()];
    value.encode(&mut out).expect("sized buffer");
    out
}

/// The `Meta.payload` bytes of a stored item.
pub(crate) fn meta_payload(stored: &Stored) -> Vec<u8> {
    match &stored.item {
        Item::Chat { from, group, text } => {
            let contents = [Content::text(text)];
            let body = MessageBody {
                message_type: Some(if group.is_some() {
                    MessageType::GROUPCHAT
                } else {
                    MessageType::CHAT
                }),
                from: Some(Jid::name_only(from)),
                to: Some(Jid::name_only(group.as_deref().unwrap_or(USER))),
                contents: Repeated::from_slice(&contents),
                ..MessageBody::EMPTY
            };
            encode(&body)
        }
        Item::Notify { json } => json.as_bytes().to_vec(),
        Item::Info => encode(&StatisticsBody {
            operation: Some(Operation::INFORMATION),
            ..StatisticsBody::EMPTY
        }),
        Item::Kick { marker } => encode(&StatisticsBody {
            operation: Some(Operation::USER_LOGIN_ANOTHER_DEVICE),
            replace_device_name: Some("sim-other-device"),
            reason: Some(marker),
            ..StatisticsBody::EMPTY
        }),
    }
}

/// The meta of a stored item, with its payload encoded in `payload`.
pub(crate) fn meta_of<'a>(stored: &'a Stored, payload: &'a [u8]) -> Meta<'a> {
    let (from, to, ns) = match &stored.item {
        Item::Chat { from, group, .. } => (
            Jid::bare(APP_KEY, from, USERS_DOMAIN),
            match group {
                Some(group) => Jid::bare(APP_KEY, group, CONFERENCE_DOMAIN),
                None => Jid::bare(APP_KEY, USER, USERS_DOMAIN),
            },
            NameSpace::CHAT,
        ),
        Item::Notify { .. } => (jid_of(SYSTEM_QUEUE), jid_of(OWN_QUEUE), NameSpace::NOTIFY),
        Item::Info | Item::Kick { .. } => (
            jid_of(SYSTEM_QUEUE),
            jid_of(OWN_QUEUE),
            NameSpace::STATISTIC,
        ),
    };
    Meta {
        id: Some(stored.server_id),
        from: Some(from),
        to: Some(to),
        timestamp: Some(stored.timestamp),
        ns: Some(ns),
        payload: Some(Bytes::Raw(payload)),
        ..Meta::EMPTY
    }
}

/// `data` as a zlib stream (RFC 1950) of stored deflate blocks (RFC 1951 §3.2.4) of random
/// sizes.
pub(crate) fn zlib_stored(data: &[u8], rng: &mut SimRng) -> Vec<u8> {
    let mut out = vec![0x78, 0x01];
    let mut rest = data;
    loop {
        let take = rest.len().min(rng.between(1, 300) as usize);
        let (block, tail) = rest.split_at(take);
        let last = tail.is_empty();
        out.push(u8::from(last));
        let len = block.len() as u16;
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(block);
        rest = tail;
        if last {
            break;
        }
    }
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in data {
        a = (a + u32::from(byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    out.extend_from_slice(&((b << 16) | a).to_be_bytes());
    out
}

#[cfg(all(test, feature = "zlib"))]
mod tests {
    use super::*;

    #[test]
    fn stored_zlib_inflates_with_the_core() {
        let data: Vec<u8> = (0..1000u32).map(|i| (i * 7) as u8).collect();
        let mut rng = SimRng::new(9);
        for _ in 0..20 {
            let stream = zlib_stored(&data, &mut rng);
            let mut out = vec![0; 2000];
            let n = msync_core::wire::msync::inflate_zlib(&stream, &mut out).unwrap();
            assert_eq!(&out[..n], &data[..]);
        }
        let empty = zlib_stored(&[], &mut rng);
        assert_eq!(
            msync_core::wire::msync::inflate_zlib(&empty, &mut [0; 4]),
            Ok(0)
        );
    }
}
