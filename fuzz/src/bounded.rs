//! A string with a fixed capacity: the `fmt::Write` sink a device would give the JSON views.

use core::fmt;

/// Text up to `capacity` bytes. A write that would pass the capacity fails and writes nothing,
/// like `heapless::String`.
#[derive(Debug)]
pub struct BoundedString {
    text: String,
    capacity: usize,
}

impl BoundedString {
    /// An empty string that holds at most `capacity` bytes.
    pub fn new(capacity: usize) -> Self {
        Self {
            text: String::new(),
            capacity,
        }
    }

    /// The text written so far.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl fmt::Write for BoundedString {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        if self.text.len().saturating_add(s.len()) > self.capacity {
            return Err(fmt::Error);
        }
        self.text.push_str(s);
        Ok(())
    }
}

/// Capacity large enough for the JSON view of any input the fuzzer produces (`-max_len` is far
/// below it: a view is at most a few times its input).
pub const LARGE: usize = 1 << 20;

/// Runs `write` into a large sink and, when that succeeds, again into one with half the room:
/// the second run must fail, and what it wrote must be a prefix of the full text (the writers
/// are deterministic and stop at the first refused write). Returns the full text.
pub fn write_twice<E: fmt::Debug>(
    write: impl Fn(&mut BoundedString) -> Result<(), E>,
) -> Option<String> {
    let mut full = BoundedString::new(LARGE);
    write(&mut full).ok()?;
    let full = full.text;
    if !full.is_empty() {
        let mut half = BoundedString::new(full.len() / 2);
        assert!(
            write(&mut half).is_err(),
            "a view fitted in half its length"
        );
        assert!(
            full.starts_with(half.as_str()),
            "a truncated view is not a prefix of the full one"
        );
    }
    Some(full)
}
