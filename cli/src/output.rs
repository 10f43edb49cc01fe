//! All printing: command output on stdout, errors and notes on stderr.
//!
//! Commands never call `println!`: they hand text or JSON to an [`Output`], which knows whether
//! `--json` was given. Write errors on stdout (a closed pipe, as with `| head`) end the output
//! quietly instead of panicking.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::fmt::Display;
use std::io::Write as _;

use serde::Serialize;

use crate::CliError;

/// Where a command's output goes, and in which form.
#[derive(Clone, Copy, Debug)]
pub struct Output {
    json: bool,
}

impl Output {
    /// Output in JSON (`--json`) or human form.
    pub fn new(json: bool) -> Self {
        Self { json }
    }

    /// True when `--json` asked for machine-readable output.
    pub fn is_json(&self) -> bool {
        self.json
    }

    /// Writes `text` to stdout as is and flushes (so that a reader of a pipe sees it at once).
    pub fn text(&self, text: &str) {
        let mut stdout = std::io::stdout().lock();
        let _closed = stdout
            .write_all(text.as_bytes())
            .and_then(|()| stdout.flush());
    }

    /// Writes one line to stdout.
    pub fn line(&self, line: impl Display) {
        self.text(&format!("{line}\n"));
    }

    /// Writes `value` as JSON: one compact line with `--json`, indented otherwise.
    pub fn json_value(&self, value: &impl Serialize) -> Result<(), CliError> {
        let text = if self.json {
            serde_json::to_string(value)
        } else {
            serde_json::to_string_pretty(value)
        };
        let text = text.map_err(|e| CliError::failed(format!("cannot write JSON: {e}")))?;
        self.line(text);
        Ok(())
    }

    /// Writes JSON text that is already compact: as is with `--json`, indented otherwise (key
    /// order kept).
    pub fn json_text(&self, compact: &str) {
        if self.json {
            self.line(compact);
        } else {
            self.line(indent_json(compact));
        }
    }

    /// Writes `error: {message}` to stderr.
    pub fn error(&self, error: &CliError) {
        eprintln!("error: {error}");
    }

    /// Writes `note: {message}` to stderr.
    pub fn note(&self, message: impl Display) {
        eprintln!("note: {message}");
    }
}

/// Indents compact JSON text by two spaces per level, keeping key order and string contents
/// (serde_json's `Value` would sort the keys). Text that is not compact JSON comes out
/// reformatted but never lost.
pub fn indent_json(compact: &str) -> String {
    let mut out = String::with_capacity(compact.len() * 2);
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut chars = compact.chars().peekable();
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        out.extend(std::iter::repeat_n("  ", depth));
    };
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' => {
                out.push(c);
                if matches!(chars.peek(), Some('}' | ']')) {
                    out.extend(chars.next());
                } else {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(c);
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            c if c.is_whitespace() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::indent_json;

    #[test]
    fn indents_and_keeps_order_and_strings() {
        let compact = r#"{"b":1,"a":[true,{"x":"q\"{,:}[\\"}],"e":{},"f":[]}"#;
        let pretty = indent_json(compact);
        assert_eq!(
            pretty,
            "{\n  \"b\": 1,\n  \"a\": [\n    true,\n    {\n      \"x\": \"q\\\"{,:}[\\\\\"\n    }\n  ],\n  \"e\": {},\n  \"f\": []\n}"
        );
        let before: serde_json::Value = serde_json::from_str(compact).unwrap();
        let after: serde_json::Value = serde_json::from_str(&pretty).unwrap();
        assert_eq!(before, after);
    }
}
