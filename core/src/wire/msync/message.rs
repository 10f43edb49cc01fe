//! `MessageBody` (the payload of CHAT metas), `MessageConfig` and `Stream` (PROTOCOL.md §6.11).

use super::{Content, EditScope, Jid, KeyValue, MessageType, Repeated};

message! {
    /// Message options.
    MessageConfig = "MessageConfig" {
        /// Group read receipts allowed.
        1 => allow_group_ack: Option<bool>,
    }
}

message! {
    /// Streaming (AI) message state. `stream_status` values differ between SDKs, so it is
    /// exposed as a number.
    Stream<'a> = "Stream" {
        /// E.g. `markdown`.
        1 => stream_type: Option<&'a str>,
        /// Sequence number (Go SDK uint32, JS SDK uint64).
        2 => stream_seq: Option<u64>,
        /// Status enum, kept as its number.
        3 => stream_status: Option<i32>,
        /// Error code.
        4 => stream_error: Option<u32>,
        /// Finish reason.
        5 => stream_finish_reason: Option<i32>,
    }
}

message! {
    /// A chat message: the payload of a `Meta` with `ns` CHAT (§6.11).
    MessageBody<'a> = "MessageBody" {
        /// Chat kind.
        1 => message_type("type"): Option<MessageType>,
        /// Sender, name only.
        2 => from: Option<Jid<'a>>,
        /// Peer, group or room, name only.
        3 => to: Option<Jid<'a>>,
        /// The contents (one in practice).
        4 => contents: Repeated<'a, Content<'a>>,
        /// Custom attributes.
        5 => ext: Repeated<'a, KeyValue<'a>>,
        /// READ_ACK / DELIVER_ACK / RECALL target (server id).
        6 => ack_message_id: Option<u64>,
        /// Options.
        7 => msg_config: Option<MessageConfig>,
        /// Group read-ack content.
        8 => ack_content: Option<&'a str>,
        /// JSON: translations, thread marker, edit info.
        9 => meta: Option<&'a [u8]>,
        /// Unused by the SDKs.
        10 => update_channel: Option<bool>,
        /// EDIT target.
        11 => edit_message_id: Option<u64>,
        /// What an EDIT replaces.
        12 => edit_scope: Option<EditScope>,
        /// Streaming state.
        13 => stream: Option<Stream<'a>>,
        /// Go SDK only.
        14 => userinfo_update_time: Option<i32>,
        /// Go SDK only.
        15 => namecard_update_time: Option<i32>,
        /// Go SDK only: CHANNEL_ACK target.
        16 => send_to_peer: Option<bool>,
        /// Go SDK only.
        17 => ack_message_ids: Repeated<'a, u64>,
        /// Go SDK only.
        18 => clear_all_unread_message_count: Option<bool>,
    }
}
