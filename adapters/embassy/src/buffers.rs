//! The memory the connection needs, provided by the caller.

/// The caller's buffers for the one connection (see the crate documentation's table for
/// sizes). They are reused by every connection, one after the other.
#[derive(Debug)]
pub struct Buffers<'d> {
    /// TCP receive window. 1–4 KiB; more only buys throughput.
    pub tcp_rx: &'d mut [u8],
    /// TCP send buffer. ≥ the largest frame the session writes at once helps (its `TX`).
    pub tcp_tx: &'d mut [u8],
    /// TLS record read buffer: ≥ 16 640 bytes (a full TLS record plus overhead) for servers
    /// that send full-size records, which most do. Empty when TLS is not used.
    pub tls_read: &'d mut [u8],
    /// TLS record write buffer: each record carries up to `len - 128` bytes; 2 KiB is plenty.
    /// Empty when TLS is not used.
    pub tls_write: &'d mut [u8],
}

impl<'d> Buffers<'d> {
    /// Buffers for plain TCP (`ws://`, `http://`: the devserver, a lab network).
    pub fn plain(tcp_rx: &'d mut [u8], tcp_tx: &'d mut [u8]) -> Self {
        Self {
            tcp_rx,
            tcp_tx,
            tls_read: &mut [],
            tls_write: &mut [],
        }
    }

    /// Buffers for TCP and TLS.
    pub fn tls(
        tcp_rx: &'d mut [u8],
        tcp_tx: &'d mut [u8],
        tls_read: &'d mut [u8],
        tls_write: &'d mut [u8],
    ) -> Self {
        Self {
            tcp_rx,
            tcp_tx,
            tls_read,
            tls_write,
        }
    }
}
