//! One msync frame as a binary WebSocket message: decode it, walk every body, meta and repeated
//! field, write the JSON views, and check re-encoding and the zlib path (`msync_walk`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|frame: &[u8]| {
    msync_core_fuzz::msync_walk::check_frame(frame);
});
