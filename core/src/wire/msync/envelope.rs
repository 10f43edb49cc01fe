//! The `MSync` envelope (PROTOCOL.md §6.2) and the body its `command` selects (§6.3).

#[cfg(feature = "zlib")]
use super::zlib::Inflater;
use super::{
    Bytes, CommNotice, CommSyncDl, CommSyncUl, CommUnreadDl, CommUnreadUl, Command, EncryptType,
    Jid, Logout, Provision, Repeated, Version,
};
use crate::wire::proto::DecodeError;

message! {
    /// One frame: one WebSocket message (§6.2). `payload` holds the body selected by `command`.
    ///
    /// `Debug` redacts `auth` and `encrypt_key`.
    MSync<'a> = "MSync" {
        /// Protocol version; clients omit it.
        1 => version: Option<Version>,
        /// Own full JID (PROVISION, LOGOUT).
        2 => guid: Option<Jid<'a>>,
        /// `"$t$" + token` (PROVISION, LOGOUT).
        3 => auth [secret]: Option<&'a str>,
        /// 0 none, 1 zlib (§5.4); clients omit it.
        4 => compress_algorimth: Option<u32>,
        /// Unused.
        5 => crypto: Option<u32>,
        /// SDK version (Go SDK).
        6 => user_agent: Option<&'a str>,
        /// Unused.
        7 => pov: Option<u64>,
        /// Selects the body; SYNC when absent (the protobuf default).
        8 => command: Option<Command>,
        /// The body.
        9 => payload: Option<Bytes<'a>>,
        /// The JS SDK writes 0 on PROVISION and LOGOUT.
        10 => device_id: Option<u32>,
        /// `[ENCRYPT_NONE]` on every up frame.
        11 => encrypt_type: Repeated<'a, EncryptType>,
        /// Unused.
        12 => encrypt_key [secret]: Option<&'a str>,
        /// AES-GCM tag (Go SDK schema); unused.
        13 => tag: Option<&'a [u8]>,
        /// AES-GCM IV (Go SDK schema); unused.
        14 => iv: Option<&'a [u8]>,
        /// Trace id (§6.17), on every up frame.
        20 => trace_id: Option<u64>,
    }
}

/// Which way a frame travels; SYNC and UNREAD carry different bodies each way.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Direction {
    /// Client to server.
    Up,
    /// Server to client.
    Down,
}

/// The body of a frame, selected by `command` and direction (§6.3).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Body<'a> {
    /// SYNC up: a send or a pull.
    SyncUl(CommSyncUl<'a>),
    /// SYNC down: an ACK or a batch.
    SyncDl(CommSyncDl<'a>),
    /// UNREAD up (empty).
    UnreadUl(CommUnreadUl),
    /// UNREAD down: queues with pending metas.
    UnreadDl(CommUnreadDl<'a>),
    /// NOTICE: a queue has new metas.
    Notice(CommNotice<'a>),
    /// PROVISION: login request or result.
    Provision(Provision<'a>),
    /// LOGOUT: logout request or result.
    Logout(Logout<'a>),
    /// A command this schema does not know, with its undecoded payload.
    Unknown(Command, &'a [u8]),
}

impl<'a> Body<'a> {
    /// Decodes `payload` as the body `command` selects in `direction`.
    pub fn decode(
        command: Command,
        direction: Direction,
        payload: &'a [u8],
    ) -> Result<Self, DecodeError> {
        Ok(match (command, direction) {
            (Command::SYNC, Direction::Up) => Self::SyncUl(CommSyncUl::decode(payload)?),
            (Command::SYNC, Direction::Down) => Self::SyncDl(CommSyncDl::decode(payload)?),
            (Command::UNREAD, Direction::Up) => Self::UnreadUl(CommUnreadUl::decode(payload)?),
            (Command::UNREAD, Direction::Down) => Self::UnreadDl(CommUnreadDl::decode(payload)?),
            (Command::NOTICE, _) => Self::Notice(CommNotice::decode(payload)?),
            (Command::PROVISION, _) => Self::Provision(Provision::decode(payload)?),
            (Command::LOGOUT, _) => Self::Logout(Logout::decode(payload)?),
            (other, _) => Self::Unknown(other, payload),
        })
    }
}

impl<'a> MSync<'a> {
    /// The command, `SYNC` when absent (the protobuf default).
    pub fn command(&self) -> Command {
        self.command.unwrap_or(Command::SYNC)
    }

    /// True when `payload` is zlib-compressed (`compress_algorimth` 1).
    pub fn is_compressed(&self) -> bool {
        self.compress_algorimth == Some(1)
    }

    /// The payload bytes as they must be decoded: `None` when the field is absent. Fails with
    /// [`DecodeError::CompressedPayload`] for a zlib payload (use
    /// [`MSync::inflate_payload`]) and [`DecodeError::UnsupportedCompression`] for an unknown
    /// algorithm.
    pub fn plain_payload(&self) -> Result<Option<&'a [u8]>, DecodeError> {
        match self.compress_algorimth.unwrap_or(0) {
            0 => self.payload.map(|payload| payload.raw()).transpose(),
            1 => Err(DecodeError::CompressedPayload),
            other => Err(DecodeError::UnsupportedCompression(other)),
        }
    }

    /// The payload, inflated into `out` when it is zlib-compressed and borrowed as is
    /// otherwise. `None` when the field is absent.
    #[cfg(feature = "zlib")]
    pub fn inflate_payload<'b>(
        &self,
        inflater: &mut Inflater,
        out: &'b mut [u8],
    ) -> Result<Option<&'b [u8]>, DecodeError>
    where
        'a: 'b,
    {
        match self.plain_payload() {
            Err(DecodeError::CompressedPayload) => {
                let compressed = self.payload.map(|payload| payload.raw()).transpose()?;
                let len = inflater.inflate(compressed.unwrap_or_default(), out)?;
                Ok(Some(out.get(..len).unwrap_or_default()))
            }
            plain => plain,
        }
    }

    /// Decodes the body of a frame received from the server (an absent payload decodes as an
    /// empty body). Compressed payloads need [`MSync::body_inflated`].
    pub fn body(&self) -> Result<Body<'a>, DecodeError> {
        self.body_in(Direction::Down)
    }

    /// Decodes the body of a frame sent by a client (a devserver's or a decoder's view).
    pub fn up_body(&self) -> Result<Body<'a>, DecodeError> {
        self.body_in(Direction::Up)
    }

    fn body_in(&self, direction: Direction) -> Result<Body<'a>, DecodeError> {
        let payload = self.plain_payload()?.unwrap_or_default();
        Body::decode(self.command(), direction, payload)
    }

    /// Decodes the body of a received frame, inflating a zlib payload into `out` first.
    #[cfg(feature = "zlib")]
    pub fn body_inflated<'b>(
        &self,
        inflater: &mut Inflater,
        out: &'b mut [u8],
    ) -> Result<Body<'b>, DecodeError>
    where
        'a: 'b,
    {
        let payload = self.inflate_payload(inflater, out)?.unwrap_or_default();
        Body::decode(self.command(), Direction::Down, payload)
    }
}
