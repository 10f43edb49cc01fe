//! Deterministic simulation of the session (DESIGN.md "Testing strategy"; the acceptance point
//! of issue 3): the session against an in-memory msync server under a seeded schedule of
//! socket drops, failed and hanging opens, half-open links, a mute server, REDIRECTs, clock
//! jumps, partial and coalesced reads, fragmented frames, stale late events of replaced
//! sockets, re-delivered batches and delayed or duplicated ACKs — thousands of steps per seed,
//! many seeds. See `sim/` for the server, the network and the scheduler.
//!
//! Invariants, checked after every step and at the end of each seed:
//! 1. every send `send()` accepted ends exactly once (`SendAcked` with the server id the
//!    server assigned to that client id, or `SendFailed`); ids are unique and non-zero;
//! 2. every message and notification the server queued is delivered exactly once, none is
//!    invented, and a pull key never acknowledges a meta the application has not seen;
//! 3. `Open`/`Transmit`/`Close` only ever name the live socket, `Close` of the old one comes
//!    before `Open` of the new one, and the adapter never holds two sockets; stale inputs
//!    change nothing (not even the deadline);
//! 4. nothing panics (each seed runs under `catch_unwind`; a failure names the seed and shows
//!    the last trace lines);
//! 5. after the faults stop, the session settles online with nothing pending, and its
//!    counters agree with what the simulation injected.
//!
//! Environment: `MSYNC_SIM_SEEDS` (default 200), `MSYNC_SIM_STEPS` (default 3000),
//! `MSYNC_SIM_FIRST` (first seed, default 0), `MSYNC_SIM_SEED=<n>` (run one seed),
//! `MSYNC_SIM_TRACE=1` (print the whole trace of that seed), `MSYNC_SIM_FIGURES=1` (print the
//! totals).

#[path = "support/frames.rs"]
mod frames;
mod sim;

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Mutex;

use sim::plan::{Plan, bootstrap_bases};
use sim::rng::SimRng;
use sim::world::{Counts, World};

thread_local! {
    /// The last panic of this thread: message and location.
    static LAST_PANIC: RefCell<String> = const { RefCell::new(String::new()) };
}

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Runs one seed; `Err` holds the report of a failure.
fn run_seed(seed: u64, steps: u64, echo: bool) -> Result<Counts, String> {
    let plan = Plan::draw(&mut SimRng::new(seed ^ 0x005E_ED0F_5EED));
    if plan.tight {
        run_world::<2, 1>(seed, plan, steps, echo)
    } else {
        run_world::<8, 4>(seed, plan, steps, echo)
    }
}

/// Runs one seed with a session of `O` outbox slots and `Q` queue slots.
fn run_world<const O: usize, const Q: usize>(
    seed: u64,
    plan: Plan,
    steps: u64,
    echo: bool,
) -> Result<Counts, String> {
    let bases = bootstrap_bases();
    let config = plan.config(&bases);
    let mut world = World::<O, Q>::new(seed, plan, &config, echo);
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| world.run(steps)));
    match outcome {
        Ok(()) => Ok(std::mem::take(&mut world.counts)),
        Err(_) => {
            let message = LAST_PANIC.with(|last| last.borrow().clone());
            Err(format!(
                "seed {seed} failed at step {} ({} s of virtual time, chaos {}):\n  {message}\n\
                 plan: {plan:?}\nlast {} trace lines:\n{}\
                 reproduce: MSYNC_SIM_SEED={seed} MSYNC_SIM_STEPS={steps} cargo test -p msync-core \
                 --test session_sim (MSYNC_SIM_TRACE=1 prints every step)",
                world.steps,
                (world.now - world.origin) / 1000,
                world.chaos,
                sim::trace::KEPT,
                world.trace.dump(),
            ))
        }
    }
}

/// Runs `seeds` on a few threads; returns the totals and the failures.
fn run_seeds(seeds: Vec<u64>, steps: u64) -> (Counts, Vec<String>) {
    let threads = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(seeds.len().max(1));
    let queue = Mutex::new(seeds.into_iter());
    let totals = Mutex::new(Counts::new());
    let failures = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let Some(seed) = queue.lock().expect("queue").next() else {
                        return;
                    };
                    match run_seed(seed, steps, false) {
                        Ok(counts) => {
                            let mut totals = totals.lock().expect("totals");
                            for (name, value) in counts {
                                *totals.entry(name).or_default() += value;
                            }
                            *totals.entry("seeds.passed").or_default() += 1;
                        }
                        Err(report) => failures.lock().expect("failures").push(report),
                    }
                }
            });
        }
    });
    (
        totals.into_inner().expect("totals"),
        failures.into_inner().expect("failures"),
    )
}

/// Records panics instead of printing them; the report prints them with the seed.
fn quiet_panics() {
    panic::set_hook(Box::new(|info| {
        let message = match info.payload().downcast_ref::<&str>() {
            Some(text) => (*text).to_owned(),
            None => info
                .payload()
                .downcast_ref::<String>()
                .cloned()
                .unwrap_or_else(|| "a panic".to_owned()),
        };
        let location = info
            .location()
            .map(|l| format!(" (at {}:{})", l.file(), l.line()))
            .unwrap_or_default();
        LAST_PANIC.with(|last| *last.borrow_mut() = format!("{message}{location}"));
    }));
}

#[allow(clippy::print_stderr)]
fn print_figures(seeds: usize, steps: u64, totals: &BTreeMap<&'static str, u64>) {
    eprintln!("session_sim: {seeds} seeds x {steps} chaos steps (then settling)");
    for (name, value) in totals {
        eprintln!("  {name:<34} {value}");
    }
}

#[test]
fn the_session_survives_seeded_chaos() {
    let steps = env_u64("MSYNC_SIM_STEPS", 3000);
    let seeds: Vec<u64> = match std::env::var("MSYNC_SIM_SEED") {
        Ok(seed) => vec![seed.parse().expect("MSYNC_SIM_SEED is a number")],
        Err(_) => {
            let first = env_u64("MSYNC_SIM_FIRST", 0);
            (first..first + env_u64("MSYNC_SIM_SEEDS", 200)).collect()
        }
    };
    let echo = std::env::var("MSYNC_SIM_TRACE").is_ok_and(|v| v == "1");
    quiet_panics();
    let (totals, failures) = if echo && seeds.len() == 1 {
        match run_seed(seeds[0], steps, true) {
            Ok(mut counts) => {
                counts.insert("seeds.passed", 1);
                (counts, Vec::new())
            }
            Err(report) => (Counts::new(), vec![report]),
        }
    } else {
        run_seeds(seeds.clone(), steps)
    };
    let _ = panic::take_hook();
    if std::env::var("MSYNC_SIM_FIGURES").is_ok_and(|v| v == "1") || seeds.len() == 1 {
        print_figures(seeds.len(), steps, &totals);
    }
    let passed = totals.get("seeds.passed").copied().unwrap_or(0);
    assert!(
        failures.is_empty(),
        "{} of {} seeds failed; the first:\n{}",
        failures.len(),
        seeds.len(),
        failures.first().map_or("", String::as_str)
    );
    assert_eq!(passed as usize, seeds.len(), "every seed ran to its end");
    // The run must have exercised what it claims to.
    if seeds.len() >= 50 {
        for kind in [
            "fault.drops",
            "fault.blackholes",
            "fault.server_mutes",
            "fault.time_jumps",
            "fault.open_fails",
            "fault.repeated_batches",
            "fault.redirects",
            "stale.bytes",
            "stale.closed",
            "stale.opened",
            "read.partial",
            "read.coalesced",
            "reconnect.dead_link",
            "reconnect.ack_timeout",
            "server.sends_again",
            "event.messages",
            "event.notifications",
            "send.acked",
            "send.rejected",
            "send.session_ended",
            "event.kicks",
            "event.queue_table_full",
            "event.token_will_expire",
            "app.token_renewals",
            "closed.kicked",
            "closed.logged_out",
            "closed.gave_up",
            "fault.outages",
            "fault.sleeps",
            "driver.late_timers",
            "driver.spurious_ticks",
        ] {
            assert!(
                totals.get(kind).copied().unwrap_or(0) > 0,
                "the run never exercised {kind}"
            );
        }
    }
}
