//! The frame log: the last frames in and out, decoded, for tests and the admin path.

use std::collections::VecDeque;

use serde::Serialize;

/// Which way a frame went.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Client to server.
    Up,
    /// Server to client.
    Down,
}

/// One logged frame.
#[derive(Clone, Debug, Serialize)]
pub struct FrameRecord {
    /// Position in the log, from 1.
    pub seq: u64,
    /// When it passed, ms since the Unix epoch.
    pub time_ms: u64,
    /// The connection it passed on (numbered from 1 by the server).
    pub connection: u64,
    /// The app key of the logged-in user, once known.
    pub app_key: Option<String>,
    /// The logged-in user, once known.
    pub user: Option<String>,
    /// The connection's resource, once known.
    pub resource: Option<String>,
    /// Up or down.
    pub direction: Direction,
    /// Whether it travelled as a base64 text frame (Alipay style) rather than binary.
    pub text: bool,
    /// The command name (`SYNC`, `PROVISION`, ...; `UNDECODABLE` for garbage).
    pub command: String,
    /// The decoded frame, with credentials redacted.
    pub summary: String,
    /// The raw `MSync` bytes (after base64 decoding for text frames). PROVISION and LOGOUT
    /// frames carry tokens here; the admin path leaves their bytes out.
    #[serde(skip)]
    pub bytes: Vec<u8>,
    /// Hex of `bytes`, except for frames that carry credentials (PROVISION, LOGOUT).
    pub hex: Option<String>,
}

/// A ring buffer of frame records.
#[derive(Debug, Default)]
pub(crate) struct FrameLog {
    records: VecDeque<FrameRecord>,
    next_seq: u64,
}

impl FrameLog {
    /// Appends a record (its `seq` is assigned here), keeping at most `cap`.
    pub(crate) fn push(&mut self, mut record: FrameRecord, cap: usize) {
        if cap == 0 {
            return;
        }
        self.next_seq += 1;
        record.seq = self.next_seq;
        self.records.push_back(record);
        while self.records.len() > cap {
            self.records.pop_front();
        }
    }

    /// The records, oldest first.
    pub(crate) fn snapshot(&self) -> Vec<FrameRecord> {
        self.records.iter().cloned().collect()
    }

    /// Forgets every record.
    pub(crate) fn clear(&mut self) {
        self.records.clear();
    }
}
