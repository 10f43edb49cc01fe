//! msync-devserver: a local stand-in for the Easemob / Agora Chat cloud.
//!
//! It serves, on one address, the bootstrap document (`/easemob/server.json`), the REST calls a
//! client needs (`/{org}/{app}/token`, users, groups, chat rooms, forced disconnect) and the
//! msync protocol over `GET /websocket`, so that clients (ours, and the official JS SDK) can log
//! in and message each other offline. Storage is in memory. A development-only admin path
//! (`/_devserver/...`) and the in-process [`Controls`] switch faults on, restart the server with
//! its state kept, and inspect queues and frames.
//!
//! The msync codec here is prost over a schema written from PROTOCOL.md (see [`pb`]), kept
//! independent of `msync-core` so that each checks the other.

mod admin;
pub mod args;
pub mod config;
mod controls;
mod describe;
mod error;
pub mod faults;
mod framelog;
mod frames;
mod hub;
mod ids;
mod listener;
pub mod pb;
mod rest;
mod server;
mod shared;
mod store;
mod tls;
mod ws;

pub use args::ServerArgs;
pub use config::{AppCredentials, Config};
pub use controls::{Controls, IssuedToken, QueueInfo, SessionInfo};
pub use error::ControlError;
pub use faults::{Faults, RedirectFault};
pub use framelog::{Direction, FrameRecord};
pub use server::{DevServer, RunningServer};
pub use store::RoomSpec;
