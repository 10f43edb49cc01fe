//! Helpers shared by the fuzz targets in `fuzz_targets/`: a bounded JSON sink, fuzzer-chosen
//! input splitting, and a walker that decodes and checks everything inside an msync frame.

pub mod bounded;
pub mod json_ref;
pub mod msync_walk;
pub mod split;
pub mod ws_frames;
