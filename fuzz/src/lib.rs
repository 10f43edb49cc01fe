//! Helpers shared by the fuzz targets in `fuzz_targets/`: a bounded JSON sink, fuzzer-chosen
//! input splitting, a walker that decodes and checks everything inside an msync frame, and for
//! the session target a script reader, server replies built from fuzzer choices and the
//! caller's side of the session contract.

pub mod bounded;
pub mod json_ref;
pub mod msync_walk;
pub mod script;
pub mod server_http;
pub mod server_msync;
pub mod session_contract;
pub mod split;
pub mod ws_frames;
