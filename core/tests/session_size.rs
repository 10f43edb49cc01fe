//! The memory a session takes with the default capacities (stated in the README), and how each
//! capacity parameter adds to it.

mod support;

use core::mem::size_of;

use msync_core::session::{DefaultSession, Session};
use support::Rng;

/// The zlib decompressor every session holds with the `zlib` feature (default).
#[cfg(feature = "zlib")]
const INFLATER: usize = size_of::<msync_core::wire::msync::Inflater>();
#[cfg(not(feature = "zlib"))]
const INFLATER: usize = 0;

#[test]
#[allow(clippy::print_stdout)]
fn session_size() {
    let default = size_of::<DefaultSession<'static, Rng>>();
    let small = size_of::<Session<'static, Rng, 4096, 2048, 4, 1024, 64, 2>>();
    println!(
        "size_of::<DefaultSession<Rng>>() = {default} bytes (RNG {} bytes)",
        size_of::<Rng>()
    );
    println!("size_of::<Session<Rng, 4096, 2048, 4, 1024, 64, 2>>() = {small} bytes");
    let buffers = 16384 + 4096 + 4096 + 128 * 8;
    println!(
        "buffers {buffers} bytes; fixed part {} bytes, of which the zlib decompressor {INFLATER} bytes",
        default - buffers,
    );

    // Each byte capacity costs exactly its size; each dedupe id 8 bytes.
    let rx = size_of::<Session<'static, Rng, 8192>>();
    let tx = size_of::<Session<'static, Rng, 16384, 2048>>();
    let arena = size_of::<Session<'static, Rng, 16384, 4096, 8, 1024>>();
    let dedupe = size_of::<Session<'static, Rng, 16384, 4096, 8, 4096, 64>>();
    assert_eq!(default - rx, 8192);
    assert_eq!(default - tx, 2048);
    assert_eq!(default - arena, 3072);
    assert_eq!(default - dedupe, 64 * 8);
    // Slots cost their bookkeeping: a few dozen bytes per send, a few hundred per queue.
    let slots = size_of::<Session<'static, Rng, 16384, 4096, 4>>();
    let queues = size_of::<Session<'static, Rng, 16384, 4096, 8, 4096, 128, 2>>();
    let per_send = (default - slots) / 4;
    let per_queue = (default - queues) / 2;
    println!("per outbox slot {per_send} bytes, per queue slot {per_queue} bytes");
    assert!((16..=64).contains(&per_send));
    assert!((160..=256).contains(&per_queue));
    // The fixed part stays under 16 KiB; without the decompressor (feature zlib), under 6 KiB.
    assert!(default - buffers < 16 * 1024);
    assert!(default - buffers - INFLATER < 6 * 1024);
}
