//! A copy of an `Open` output, so that the session can take inputs while the connection is
//! being made.

use heapless::String;

use crate::session::{Purpose, Remote, SocketId};

/// The longest host the driver connects to: a DNS name (253) or a bracketed IPv6 address.
pub const MAX_REMOTE_HOST_LEN: usize = 255;

/// A socket to open and where.
#[derive(Clone, Debug)]
pub(super) struct Target {
    pub(super) socket: SocketId,
    host: String<MAX_REMOTE_HOST_LEN>,
    port: u16,
    tls: bool,
    purpose: Purpose,
}

impl Target {
    /// The copy, or `None` when the host is longer than [`MAX_REMOTE_HOST_LEN`].
    pub(super) fn new(socket: SocketId, remote: &Remote<'_>) -> Option<Self> {
        Some(Self {
            socket,
            host: String::try_from(remote.host).ok()?,
            port: remote.port,
            tls: remote.tls,
            purpose: remote.purpose,
        })
    }

    /// The remote, borrowed from the copy.
    pub(super) fn remote(&self) -> Remote<'_> {
        Remote {
            host: &self.host,
            port: self.port,
            tls: self.tls,
            purpose: self.purpose,
        }
    }
}
