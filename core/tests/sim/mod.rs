//! The deterministic simulation of `session_sim.rs`: an in-memory msync server, the network
//! and adapter between it and the session, a seeded scheduler of traffic and faults, and the
//! invariants.

pub(crate) mod adapter;
pub(crate) mod books;
pub(crate) mod faults;
pub(crate) mod http_server;
pub(crate) mod ledger;
pub(crate) mod net;
pub(crate) mod plan;
pub(crate) mod queues;
pub(crate) mod regressions;
pub(crate) mod rng;
pub(crate) mod server;
pub(crate) mod server_http;
pub(crate) mod server_msync;
pub(crate) mod trace;
pub(crate) mod traffic;
pub(crate) mod world;
pub(crate) mod ws_server;
