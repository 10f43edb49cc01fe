//! # msync-embassy
//!
//! The embassy adapter of msync-rs: the core's session and async driver over an embassy-net
//! TCP socket, DNS through embassy-net's resolver, TLS 1.3 through embedded-tls, timers
//! through embassy-time, and a [`Client`] that an application task uses. No allocation.
//!
//! - [`Runner`]: the session, the core's [`Driver`](msync_core::driver::Driver) and the one
//!   connection, in one future for one embassy task; [`Buffers`] are the caller's socket and TLS
//!   buffers; [`TlsOptions`] / [`Verify`] choose CA verification, a certificate or key pin.
//! - [`ClientChannels`] (in a `static`) connects the runner ([`ChannelApp`], the driver's
//!   `Application`) to [`Client`] handles: `login`; `send` of any [`OutgoingMessage`] (text,
//!   command, custom event or location; to a user, group or chat room; with ext, routing and
//!   priority) and `send_text`, each completing with the server's [`Ack`]; `renew_token`;
//!   `logout`; and owned [`ClientEvent`]s, whose [`Message`]s show their [`Content`] and
//!   [`Attributes`]. Messages are copied into bounds the application chooses (`TEXT` bytes,
//!   `ATTRS` attributes): what does not fit is refused ([`Error::TooLong`]) or reported
//!   ([`ClientEvent::Oversized`]), never cut. An application may instead implement
//!   `msync_core::driver::Application` itself and pass it to [`Runner::run`].
//! - [`EmbassyClock`]: session time from embassy-time.
//!
//! The repository README ("Firmware: the embassy client") has a complete set of tasks and the
//! memory each buffer needs; `examples/firmware` is a whole application.
#![no_std]

#[cfg(test)]
extern crate std;

pub(crate) mod fmt;

mod app;
mod body;
mod buffers;
mod client;
mod clock;
mod event;
mod link;
mod outgoing;
mod runner;
mod store;
mod tls;

pub use app::ChannelApp;
pub use body::Content;
pub use buffers::Buffers;
pub use client::{Client, ClientChannels, Error};
pub use clock::EmbassyClock;
pub use event::{Ack, ClientEvent, MAX_NAME_LEN, Message, Name, SendFailed};
pub use runner::Runner;
pub use store::Attributes;
pub use tls::{MAX_CHAIN_LEN, NoTls, TlsOptions, Verify, subject_public_key_info};

/// What [`Client::send`] takes: the core's message builder, and the attributes and values of
/// messages sent and received.
pub use msync_core::session::OutgoingMessage;
pub use msync_core::wire::msync::{KeyValue, Value};

/// The core crate, for its types (session configuration, errors, reasons).
pub use msync_core;
