//! # msync-embassy
//!
//! The embassy adapter of msync-rs: the core's session and async driver over an embassy-net
//! TCP socket, DNS through embassy-net's resolver, TLS 1.3 through embedded-tls, timers
//! through embassy-time, and a [`Client`] that an application task uses. No allocation.
//!
//! See the repository README ("Embassy") for a complete firmware task and the memory each
//! buffer needs.
#![no_std]

#[cfg(test)]
extern crate std;

pub(crate) mod fmt;

mod app;
mod buffers;
mod client;
mod clock;
mod event;
mod link;
mod runner;
mod tls;

pub use app::ChannelApp;
pub use buffers::Buffers;
pub use client::{Client, ClientChannels, Error};
pub use clock::EmbassyClock;
pub use event::{Ack, ClientEvent, Content, MAX_NAME_LEN, Message, Name, SendFailed};
pub use runner::Runner;
pub use tls::{MAX_CHAIN_LEN, NoTls, TlsOptions, Verify, subject_public_key_info};

/// The core crate, for its types (session configuration, errors, reasons).
pub use msync_core;
