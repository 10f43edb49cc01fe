//! UNREAD bodies: `CommUnreadUL`, `CommUnreadDL`, `MetaQueue` (PROTOCOL.md §6.9).

use super::{Jid, Repeated, Status};

message! {
    /// UNREAD up: no fields; clients send UNREAD without a payload.
    CommUnreadUl = "CommUnreadUL" {}
}

message! {
    /// One queue with pending metas.
    MetaQueue<'a> = "MetaQueue" {
        /// The queue.
        1 => queue: Option<Jid<'a>>,
        /// Number of pending metas.
        2 => n: Option<u32>,
    }
}

message! {
    /// UNREAD down: queues with pending metas and the server time (§6.9).
    CommUnreadDl<'a> = "CommUnreadDL" {
        /// Result (REDIRECT possible).
        1 => status: Option<Status<'a>>,
        /// Queues to pull.
        2 => unread: Repeated<'a, MetaQueue<'a>>,
        /// Server time, ms.
        3 => timestamp: Option<u64>,
    }
}
