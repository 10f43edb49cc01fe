//! A `#![no_std]`, `#![no_main]` program with no global allocator that calls into msync-core's
//! codecs, so that they are really linked. If anything in the core needed a heap, this would not
//! link; the `alloc-canary` feature adds one allocation to show that it then fails.
//!
//! Every input goes through `black_box` so the optimiser cannot fold the calls away, and every
//! result feeds a checksum that decides the exit status (host) or is kept alive (Cortex-M).
//!
//! Built by `scripts/nostd-check.sh`: for the host (x86-64 Linux, our own `_start`, no C runtime,
//! no libc; the binary is also run) and for `thumbv7em-none-eabihf` (linker script
//! `thumbv7em.ld`).
#![no_std]
#![no_main]
// The entry point, the exit system call and the panic handler need `unsafe`; the core does not.
#![allow(unsafe_code)]

use core::hint::black_box;

mod exercise;

#[cfg(feature = "alloc-canary")]
extern crate alloc;

/// One heap allocation. With no `#[global_allocator]` the build must fail.
#[cfg(feature = "alloc-canary")]
fn alloc_canary(len: usize) -> usize {
    alloc::vec::Vec::<u8>::with_capacity(len).capacity()
}

/// Runs every exercise and returns how many failed.
fn run() -> u32 {
    let failures = exercise::all();
    #[cfg(feature = "alloc-canary")]
    let failures = failures + u32::from(alloc_canary(black_box(16)) == 0);
    black_box(failures)
}

#[cfg(panic = "unwind")]
compile_error!("build with panic = \"abort\" (the crate's profiles set it)");

#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    platform::exit(101)
}

#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
mod platform {
    /// The process entry point the kernel jumps to: align the stack as the C ABI expects and call
    /// [`start`]. Never returns.
    #[unsafe(naked)]
    #[unsafe(no_mangle)]
    extern "C" fn _start() -> ! {
        core::arch::naked_asm!(
            "xor ebp, ebp",
            "and rsp, -16",
            "call {start}",
            "ud2",
            start = sym start,
        )
    }

    extern "C" fn start() -> ! {
        exit(if super::run() == 0 { 0 } else { 1 })
    }

    /// Ends the process with `status` (the `exit_group` system call).
    pub(crate) fn exit(status: i32) -> ! {
        // SAFETY: exit_group (231) takes one integer argument and does not return.
        unsafe {
            core::arch::asm!("syscall", in("rax") 231, in("rdi") status, options(noreturn, nostack));
        }
    }

    /// The precompiled `core` for this target has unwind tables that name this routine; in an
    /// unoptimised build the linker keeps them. With `panic = "abort"` nothing unwinds, so it is
    /// never called.
    #[unsafe(no_mangle)]
    extern "C" fn rust_eh_personality() {}

    // Without libc, the memory functions the compiler may call must come from somewhere. Volatile
    // byte accesses keep the optimiser from turning these loops back into calls to themselves.

    /// Copies `n` bytes from `src` to `dest` (non-overlapping).
    #[unsafe(no_mangle)]
    unsafe extern "C" fn memcpy(dest: *mut u8, src: *const u8, n: usize) -> *mut u8 {
        // SAFETY: the caller guarantees `n` valid bytes at both pointers.
        unsafe { copy_forward(dest, src, n) };
        dest
    }

    /// Copies `n` bytes from `src` to `dest`; the regions may overlap.
    #[unsafe(no_mangle)]
    unsafe extern "C" fn memmove(dest: *mut u8, src: *const u8, n: usize) -> *mut u8 {
        if (dest as usize) <= (src as usize) {
            // SAFETY: as memcpy; copying forwards is safe when dest starts at or before src.
            unsafe { copy_forward(dest, src, n) };
        } else {
            for i in (0..n).rev() {
                // SAFETY: `i < n`, within both regions.
                unsafe { dest.add(i).write_volatile(src.add(i).read_volatile()) };
            }
        }
        dest
    }

    /// Fills `n` bytes at `dest` with the low byte of `value`.
    #[unsafe(no_mangle)]
    unsafe extern "C" fn memset(dest: *mut u8, value: i32, n: usize) -> *mut u8 {
        for i in 0..n {
            // SAFETY: `i < n`, within the region; truncation to the low byte is memset's contract.
            unsafe { dest.add(i).write_volatile(value as u8) };
        }
        dest
    }

    /// Compares `n` bytes.
    #[unsafe(no_mangle)]
    unsafe extern "C" fn memcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
        for i in 0..n {
            // SAFETY: `i < n`, within both regions.
            let (x, y) = unsafe { (a.add(i).read_volatile(), b.add(i).read_volatile()) };
            if x != y {
                return i32::from(x) - i32::from(y);
            }
        }
        0
    }

    /// Compares `n` bytes for equality only.
    #[unsafe(no_mangle)]
    unsafe extern "C" fn bcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
        // SAFETY: same contract as memcmp.
        unsafe { memcmp(a, b, n) }
    }

    /// Copies `n` bytes front to back.
    unsafe fn copy_forward(dest: *mut u8, src: *const u8, n: usize) {
        for i in 0..n {
            // SAFETY: the callers guarantee `n` valid bytes at both pointers.
            unsafe { dest.add(i).write_volatile(src.add(i).read_volatile()) };
        }
    }
}

#[cfg(all(target_arch = "arm", target_os = "none"))]
mod platform {
    /// The entry point named by `thumbv7em.ld`. A real firmware would be entered from its reset
    /// vector; this image only has to link.
    #[unsafe(no_mangle)]
    extern "C" fn _start() -> ! {
        exit(if super::run() == 0 { 0 } else { 1 })
    }

    /// Parks the core, keeping `status` observable to a debugger.
    pub(crate) fn exit(status: i32) -> ! {
        loop {
            core::hint::black_box(status);
            core::hint::spin_loop();
        }
    }
}

#[cfg(not(any(
    all(target_arch = "x86_64", target_os = "linux"),
    all(target_arch = "arm", target_os = "none")
)))]
compile_error!("nostd-link has an entry point for x86-64 Linux and bare-metal ARM only");
