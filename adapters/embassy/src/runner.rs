//! [`Runner`]: the session, the driver and the link, in one future for one embassy task.

use embassy_futures::select::select;
use embassy_net::Stack;
use embassy_sync::blocking_mutex::raw::NoopRawMutex;
use msync_core::driver::{Application, Driver, SessionIo};

use crate::buffers::Buffers;
use crate::clock::EmbassyClock;
use crate::link::{self, Link, LinkConnector};
use crate::tls::{NoTls, TlsOptions};

/// The driver's read buffer: bytes moved from the link to the session per read.
const READ_CHUNK: usize = 512;

/// Runs a session over an embassy-net stack: give it the stack, the buffers and (for
/// `wss://` / `https://`) TLS options, then [`run`](Runner::run) it in a task.
pub struct Runner<'d, R = NoTls> {
    stack: Stack<'d>,
    buffers: Buffers<'d>,
    tls: Option<TlsOptions<'d, R>>,
}

impl<'d> Runner<'d, NoTls> {
    /// A runner without TLS: the session's `Open`s that ask for TLS fail
    /// (`TransportError::Tls`).
    pub fn new(stack: Stack<'d>, buffers: Buffers<'d>) -> Self {
        Self {
            stack,
            buffers,
            tls: None,
        }
    }
}

impl<'d, R: rand_core::CryptoRng> Runner<'d, R> {
    /// The same runner with TLS (the buffers need their TLS parts).
    pub fn with_tls<T: rand_core::CryptoRng>(self, tls: TlsOptions<'d, T>) -> Runner<'d, T> {
        Runner {
            stack: self.stack,
            buffers: self.buffers,
            tls: Some(tls),
        }
    }

    /// Runs `session` until `app` stops it (`Inputs::stop`, or
    /// [`Client::stop`](crate::Client::stop)), then hands the session back. Log in through
    /// `app` (or call `session.login` before). The connection is dropped when this returns.
    pub async fn run<S: SessionIo, A: Application>(
        &mut self,
        session: S,
        clock: EmbassyClock,
        app: &mut A,
    ) -> S {
        let link = Link::<NoopRawMutex>::new();
        let mut driver: Driver<S, LinkConnector<'_, NoopRawMutex>, EmbassyClock, READ_CHUNK> =
            Driver::new(session, LinkConnector::new(&link), clock);
        select(
            driver.run(app),
            link::serve(&link, self.stack, &mut self.buffers, &mut self.tls),
        )
        .await;
        driver.into_parts().0
    }
}

impl<R> core::fmt::Debug for Runner<'_, R> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Runner")
            .field("tls", &self.tls.is_some())
            .finish_non_exhaustive()
    }
}
