//! Linker setup per target: no C runtime and no libc on the host, a linker script on Cortex-M.

use std::env;

fn main() {
    let target = env::var("TARGET").unwrap_or_default();
    let dir = env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=thumbv7em.ld");
    if target.starts_with("thumbv") {
        println!("cargo::rustc-link-search={dir}");
        println!("cargo::rustc-link-arg-bins=-Tthumbv7em.ld");
    } else if target.contains("-linux-") {
        // Our own `_start` instead of crt1.o; no libc; a static, position-dependent executable so
        // that nothing has to apply relocations at start-up.
        for arg in ["-nostartfiles", "-nostdlib", "-static", "-no-pie"] {
            println!("cargo::rustc-link-arg-bins={arg}");
        }
    }
}
