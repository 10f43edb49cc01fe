//! SYNC bodies and NOTICE: `CommSyncUL`, `RoamConfig`, `CommSyncDL`, `CommNotice`
//! (PROTOCOL.md §6.7 to §6.9).

use super::{Jid, Meta, Repeated, Status};

message! {
    /// History-pull settings (Go SDK only).
    RoamConfig = "RoamConfig" {
        /// Oldest first when true (default false).
        1 => is_positive: Option<bool>,
        /// How many metas per pull (server default 50).
        2 => pull_number: Option<u64>,
    }
}

message! {
    /// SYNC up: a send (`meta`) or a pull (`queue`, with `key` after the first batch) (§6.7).
    CommSyncUl<'a> = "CommSyncUL" {
        /// Send: exactly one meta per frame.
        1 => meta: Option<Meta<'a>>,
        /// Pull cursor: absent on a first pull, else the last `next_key`.
        2 => key: Option<u64>,
        /// Pull: the bare queue JID.
        3 => queue: Option<Jid<'a>>,
        /// History pull.
        4 => is_roam: Option<bool>,
        /// History cursor.
        5 => last_full_roam_key: Option<u64>,
        /// History settings (Go SDK only).
        6 => roam_config: Option<RoamConfig>,
    }
}

message! {
    /// SYNC down: an ACK of a send (`meta_id` > 0) or a batch of metas (§6.8).
    CommSyncDl<'a> = "CommSyncDL" {
        /// Send result or batch status.
        1 => status: Option<Status<'a>>,
        /// Present and > 0: ACK of the up meta with this id.
        2 => meta_id: Option<u64>,
        /// Server id of the sent message.
        3 => server_id: Option<u64>,
        /// The batch.
        4 => metas: Repeated<'a, Meta<'a>>,
        /// Cursor to acknowledge and continue from.
        5 => next_key: Option<u64>,
        /// Queue of the batch.
        6 => queue: Option<Jid<'a>>,
        /// Queue drained.
        7 => is_last: Option<bool>,
        /// Server time, ms (ACK: the message's server time).
        8 => timestamp: Option<u64>,
        /// History.
        9 => is_roam: Option<bool>,
    }
}

impl CommSyncDl<'_> {
    /// The id of the acknowledged up meta, when this frame is an ACK (`meta_id` present and
    /// non-zero).
    pub fn ack_of(&self) -> Option<u64> {
        self.meta_id.filter(|&id| id != 0)
    }
}

message! {
    /// NOTICE: a queue has new metas; pull it (§6.9).
    CommNotice<'a> = "CommNotice" {
        /// The queue.
        1 => queue: Option<Jid<'a>>,
    }
}
