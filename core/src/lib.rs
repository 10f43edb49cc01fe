//! # msync-core
//!
//! The allocation-free, `#![no_std]` core of msync-rs: a client for the Agora Chat / Easemob (环信) /
//! Shengwang (声网) instant-messaging cloud.
//!
//! - [`app`]: the application's identity, an app key `org#app` or a Shengwang App ID.
//! - [`url`]: a small parser for the `ws`, `wss`, `http`, `https` URLs of endpoints.
//! - [`region`]: every data centre for Alipay, WeChat-style mini programs and web, with CDN
//!   alternates and the legal-domain lists a mini-program console needs.
//! - [`wire`]: pure, bounded, panic-free codecs (protobuf msync frames, WebSocket, HTTP/1.1, JSON).
//! - [`session`]: the sans-IO connection state machine: login, send, receive, reconnect.
//! - [`time`]: milliseconds as plain values; the core never reads a clock.
//! - `driver` (feature `async`): one async event loop over `embedded-io-async` streams that
//!   runs a session; the tokio and embassy adapters build on it.
//!
//! Feature `zlib` (default): inflating zlib-compressed frames (`wire::msync::Inflater`), about
//! 10.5 KB in every session. Without it a compressed frame is reported
//! (`session::CapacityError::CompressedFrame`) and dropped like any undecodable frame.
//!
//! Nothing here performs I/O, reads a clock or allocates: the caller owns sockets, time and
//! buffers. See `DESIGN.md` in the repository for the contract.
#![no_std]
#![forbid(unsafe_code)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::unreachable,
        clippy::indexing_slicing
    )
)]

pub mod app;
#[cfg(feature = "async")]
pub mod driver;
pub mod region;
pub mod session;
pub mod time;
pub mod url;
pub mod wire;
