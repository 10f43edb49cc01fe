//! The run's recent history: a ring of compact entries, formatted only when a seed fails (or
//! as they happen with `MSYNC_SIM_TRACE=1`).

use std::collections::VecDeque;
use std::fmt::Write as _;

/// How many entries a failure report shows.
pub(crate) const KEPT: usize = 60;

/// One line: when, what, and up to two numbers.
#[derive(Clone, Copy, Debug)]
struct Entry {
    at: u64,
    tag: &'static str,
    a: u64,
    b: u64,
}

/// The ring, plus an optional live echo to stderr.
#[derive(Debug)]
pub(crate) struct Trace {
    ring: VecDeque<Entry>,
    /// The clock's origin, subtracted when printing.
    origin: u64,
    echo: bool,
}

impl Trace {
    pub(crate) fn new(origin: u64, echo: bool) -> Self {
        Self {
            ring: VecDeque::with_capacity(KEPT + 1),
            origin,
            echo,
        }
    }

    pub(crate) fn note(&mut self, at: u64, tag: &'static str, a: u64, b: u64) {
        let entry = Entry { at, tag, a, b };
        if self.echo {
            #[allow(clippy::print_stderr)]
            {
                eprintln!("{}", self.line(&entry));
            }
        }
        if self.ring.len() == KEPT {
            self.ring.pop_front();
        }
        self.ring.push_back(entry);
    }

    fn line(&self, entry: &Entry) -> String {
        let ms = entry.at.saturating_sub(self.origin);
        format!(
            "{:>5}.{:03}s  {:<26} {} {}",
            ms / 1000,
            ms % 1000,
            entry.tag,
            entry.a,
            entry.b
        )
    }

    /// The kept entries, oldest first.
    pub(crate) fn dump(&self) -> String {
        let mut out = String::new();
        for entry in &self.ring {
            let _ = writeln!(out, "  {}", self.line(entry));
        }
        out
    }
}
