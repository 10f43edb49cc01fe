//! Received msync frames: decoding (zlib included), dispatch by command, and handing a batch's
//! metas to the application one at a time (PROTOCOL.md §7.5–§7.9).

use core::mem;
use core::ops::Range;

use super::config::Receive;
use super::error::{CapacityError, CloseReason, KickReason};
use super::lifecycle::Notice;
use super::message::{MessageId, ReceiptKind};
use super::outbox::Ended;
use super::phase::{BatchCursor, EndStep, FinalFrame, Inbound, Phase};
use super::pull::AddError;
use super::receive::subrange;
use crate::wire::msync::{
    CommNotice, CommSyncDl, CommUnreadDl, Command, ErrorCode, MSync, MessageType, Meta, MetaBody,
    NameSpace, Operation,
};
use crate::wire::proto::{RawValue, Reader};

/// How a meta reaches the application.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum MetaKind {
    Message,
    Receipt(ReceiptKind),
    Notification,
    Kick(KickReason),
}

/// What a meta is, or `None` for metas a minimal client skips (still covered by the key).
fn classify(meta: &Meta<'_>) -> Option<MetaKind> {
    match meta.body().ok()? {
        MetaBody::Chat(body) => Some(match body.message_type {
            Some(MessageType::READ_ACK) => MetaKind::Receipt(ReceiptKind::Read),
            Some(MessageType::DELIVER_ACK) => MetaKind::Receipt(ReceiptKind::Delivered),
            _ => MetaKind::Message,
        }),
        MetaBody::Statistic(body) => {
            KickReason::from_operation(body.operation.unwrap_or(Operation::INFORMATION))
                .map(MetaKind::Kick)
        }
        MetaBody::Json(_) if meta.namespace() == NameSpace::NOTIFY => Some(MetaKind::Notification),
        _ => None,
    }
}

/// The next meta of a batch: the range of its bytes in the buffer, advancing the cursor.
fn next_meta(rx: &[u8], cursor: &mut BatchCursor) -> Option<Range<usize>> {
    let payload = rx.get(cursor.payload.clone())?;
    let rest = payload.get(cursor.position..)?;
    let mut reader = Reader::new(rest);
    loop {
        let field = reader.read_field().ok()??;
        cursor.position = payload.len().saturating_sub(reader.remaining().len());
        if let (4, RawValue::Len(bytes)) = (field.number, field.value) {
            return subrange(rx, bytes);
        }
    }
}

/// What decoding a frame's payload gave.
enum Payload {
    Ready(Command, Range<usize>),
    Malformed,
    /// Inflating needs more room than the receive buffer has after the frame.
    #[cfg(feature = "zlib")]
    TooLarge {
        capacity: usize,
    },
    /// A zlib payload, and no inflater in this build.
    #[cfg(not(feature = "zlib"))]
    Compressed,
}

session_impl! {
    /// A complete msync frame of `len` bytes at the start of the receive buffer.
    pub(super) fn dispatch(&mut self, len: usize) {
        self.stats.frames_received = self.stats.frames_received.saturating_add(1);
        let (command, payload) = match self.frame_payload(len) {
            Payload::Ready(command, payload) => (command, payload),
            Payload::Malformed => {
                self.stats.malformed_frames = self.stats.malformed_frames.saturating_add(1);
                return;
            }
            #[cfg(feature = "zlib")]
            Payload::TooLarge { capacity } => {
                self.notify(Notice::Capacity(CapacityError::InflatedTooLarge { capacity }));
                self.socket_failed(super::error::Disconnect::FrameTooLarge);
                return;
            }
            // Dropped like any frame that does not decode: a batch stays unacknowledged.
            #[cfg(not(feature = "zlib"))]
            Payload::Compressed => {
                self.stats.malformed_frames = self.stats.malformed_frames.saturating_add(1);
                self.notify(Notice::Capacity(CapacityError::CompressedFrame));
                return;
            }
        };
        match command {
            Command::PROVISION => self.on_provision_reply(payload),
            Command::UNREAD => self.on_unread_reply(payload),
            Command::NOTICE => self.on_notice(payload),
            Command::SYNC => self.on_sync(payload),
            Command::LOGOUT => self.on_logout_reply(),
            _ => {}
        }
    }

    /// Decodes the envelope and locates the body: in place, or inflated right after the frame.
    fn frame_payload(&mut self, len: usize) -> Payload {
        let Some((message, spare)) = self.rx.split_at_mut_checked(len) else {
            return Payload::Malformed;
        };
        let Ok(frame) = MSync::decode(message) else {
            return Payload::Malformed;
        };
        let command = frame.command();
        if frame.is_compressed() {
            #[cfg(feature = "zlib")]
            {
                let compressed = frame.payload.and_then(|p| p.as_raw()).unwrap_or_default();
                return match self.inflater.inflate(compressed, spare) {
                    Ok(inflated) => Payload::Ready(command, len..len.saturating_add(inflated)),
                    Err(crate::wire::msync::DecodeError::InflateCapacity { capacity }) => {
                        Payload::TooLarge { capacity }
                    }
                    Err(_) => Payload::Malformed,
                };
            }
            #[cfg(not(feature = "zlib"))]
            {
                let _ = spare;
                return Payload::Compressed;
            }
        }
        match frame.plain_payload() {
            Ok(Some(body)) => match subrange(message, body) {
                Some(range) => Payload::Ready(command, range),
                None => Payload::Malformed,
            },
            Ok(None) => Payload::Ready(command, len..len),
            Err(_) => Payload::Malformed,
        }
    }

    fn on_unread_reply(&mut self, payload: Range<usize>) {
        if !self.phase.is_online() || !self.receives() {
            return;
        }
        let Ok(reply) = CommUnreadDl::decode(self.rx.get(payload).unwrap_or_default()) else {
            self.stats.malformed_frames = self.stats.malformed_frames.saturating_add(1);
            return;
        };
        let mut refused = None;
        for queue in reply.unread.iter() {
            if let Some(jid) = queue.queue
                && queue.n != Some(0)
                && let Err(error) = self.pulls.request(&jid)
            {
                refused = Some(error);
            }
        }
        if let Some(error) = refused {
            self.queue_refused(error);
        }
    }

    fn on_notice(&mut self, payload: Range<usize>) {
        if !self.phase.is_online() || !self.receives() {
            return;
        }
        let Ok(notice) = CommNotice::decode(self.rx.get(payload).unwrap_or_default()) else {
            self.stats.malformed_frames = self.stats.malformed_frames.saturating_add(1);
            return;
        };
        let Some(queue) = notice.queue else {
            return;
        };
        // [JS] ignores a NOTICE for its own queue that names its own device.
        let own = queue.name == Some(self.config.user)
            && queue.client_resource == Some(self.resource.as_str());
        if own {
            return;
        }
        if let Err(error) = self.pulls.request(&queue) {
            self.queue_refused(error);
        }
    }

    /// Whether the session pulls queues and acknowledges keys ([`Receive::All`]).
    fn receives(&self) -> bool {
        self.config.options.receive == Receive::All
    }

    fn queue_refused(&mut self, error: AddError) {
        self.notify(Notice::Capacity(match error {
            AddError::Full => CapacityError::QueueTableFull { slots: QUEUES },
            AddError::TooLong => CapacityError::QueueNameTooLong,
        }));
    }

    /// SYNC down: an ACK (`meta_id` > 0) or a batch.
    fn on_sync(&mut self, payload: Range<usize>) {
        let Ok(sync) = CommSyncDl::decode(self.rx.get(payload.clone()).unwrap_or_default()) else {
            self.stats.malformed_frames = self.stats.malformed_frames.saturating_add(1);
            return;
        };
        if let Some(id) = sync.ack_of() {
            let code = sync.status.map_or(ErrorCode::OK, |status| status.code());
            let matched = if code == ErrorCode::OK {
                let acked = Ended::Acked {
                    server_id: sync.server_id.unwrap_or(0),
                    timestamp: sync.timestamp.unwrap_or(0),
                };
                self.outbox.end(id, acked)
            } else if let (Some(message_id), true) = (MessageId::new(id), self.outbox.take_pending(id)) {
                self.inbound = Inbound::Rejected {
                    id: message_id,
                    code,
                    payload,
                };
                true
            } else {
                false
            };
            if !matched {
                self.stats.unmatched_acks = self.stats.unmatched_acks.saturating_add(1);
            }
            return;
        }
        if !self.phase.is_online() {
            return;
        }
        let queue = self.pulls.awaiting(sync.queue.as_ref());
        let ok = sync.status.is_none_or(|status| status.code() == ErrorCode::OK);
        let cursor = BatchCursor {
            payload,
            position: 0,
            queue,
            next_key: sync.next_key,
            is_last: sync.is_last.unwrap_or(false) || !ok,
            had_metas: ok && !sync.metas.is_empty(),
            handed_out: false,
            kick: None,
        };
        if let Some(index) = queue {
            self.pulls.delivering(index);
        }
        if ok {
            self.inbound = Inbound::Batch(cursor);
        } else {
            // A refused pull ends its chain; the next NOTICE or UNREAD starts it again.
            self.inbound = Inbound::Batch(BatchCursor {
                next_key: None,
                ..cursor
            });
            self.finish_batch();
        }
    }

    fn on_logout_reply(&mut self) {
        if let Phase::Ending(ending) = &mut self.phase
            && let EndStep::AwaitLogoutReply { .. } = ending.step
        {
            ending.step = EndStep::Finish;
        }
    }

    /// The next meta of the batch being delivered that the application should see, skipping
    /// duplicates and metas it does not handle; `None` once the batch is done (then the chain
    /// moves on).
    pub(super) fn next_batch_meta(&mut self) -> Option<(Range<usize>, MetaKind)> {
        let Inbound::Batch(cursor) = &mut self.inbound else {
            return None;
        };
        while let Some(range) = next_meta(&self.rx, &mut *cursor) {
            let Ok(meta) = Meta::decode(self.rx.get(range.clone()).unwrap_or_default()) else {
                continue;
            };
            let Some(kind) = classify(&meta) else {
                continue;
            };
            if let Some(id) = meta.id.filter(|&id| id != 0) {
                if self.dedupe.contains(id) {
                    self.stats.duplicates_dropped = self.stats.duplicates_dropped.saturating_add(1);
                    continue;
                }
                self.dedupe.insert(id);
            }
            if let MetaKind::Kick(reason) = kind {
                cursor.kick.get_or_insert(reason);
            }
            cursor.handed_out = true;
            return Some((range, kind));
        }
        self.finish_batch();
        None
    }

    /// Every meta of the batch reached the application: acknowledge (or end the session
    /// after a kick).
    fn finish_batch(&mut self) {
        let Inbound::Batch(cursor) = mem::take(&mut self.inbound) else {
            return;
        };
        let key = cursor
            .queue
            .and_then(|index| self.pulls.delivered(index, cursor.next_key, cursor.is_last, cursor.had_metas));
        if cursor.queue.is_none() && cursor.handed_out && !cursor.is_last && self.receives() {
            self.acknowledge_unawaited(cursor.payload, cursor.next_key);
        }
        if let Some(reason) = cursor.kick {
            let last = match (cursor.queue, key) {
                (Some(queue), Some(key)) => Some(FinalFrame::KeyAck { queue, key }),
                _ => None,
            };
            self.begin_end(CloseReason::Kicked(reason), last);
            return;
        }
        if self.pulls.take_rediscovery() {
            self.due.unread = true;
        }
    }

    /// A batch no chain awaited (e.g. the answer to a pull whose chain a repeated batch had
    /// stopped) handed metas to the application that no chain's key will cover: acknowledge
    /// it with its own `next_key` and queue, read from its bytes when the frame is written, so
    /// that no queue slot is needed. Left unacknowledged, the server would re-deliver it after
    /// the next UNREAD, possibly beyond the deduplication window. Without a key to send, an
    /// UNREAD finds the queue again.
    fn acknowledge_unawaited(&mut self, payload: Range<usize>, next_key: Option<u64>) {
        match next_key.filter(|&key| key != 0) {
            Some(key) => self.inbound = Inbound::KeyAck { payload, key },
            None => self.due.unread = true,
        }
    }
}
