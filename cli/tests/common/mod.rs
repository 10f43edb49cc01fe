//! Helpers shared by the integration tests: running the built `msync` binary and reading the
//! golden vectors; `server` adds a devserver and long-running children for the session
//! commands. Each test crate uses a subset of them.
#![allow(dead_code)]

pub(crate) mod server;

use std::io::Write as _;
use std::process::{Command, Stdio};

use serde_json::Value;

/// What one run of the binary produced.
#[derive(Debug)]
pub(crate) struct Outcome {
    /// The exit code (`None` when killed by a signal).
    pub(crate) code: Option<i32>,
    /// Standard output.
    pub(crate) stdout: String,
    /// Standard error.
    pub(crate) stderr: String,
}

impl Outcome {
    /// Stdout parsed as one JSON document.
    pub(crate) fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {:?}", self.stdout))
    }

    /// Asserts the exit code and that nothing panicked.
    pub(crate) fn assert_code(&self, code: i32) -> &Self {
        assert_eq!(self.code, Some(code), "{self:#?}");
        assert!(!self.stderr.contains("panicked"), "{self:#?}");
        self
    }
}

/// The built binary.
pub(crate) fn msync() -> Command {
    Command::new(env!("CARGO_BIN_EXE_msync"))
}

/// Runs `msync ARGS` with `stdin` as its standard input.
pub(crate) fn run_with_stdin(args: &[&str], stdin: &[u8]) -> Outcome {
    let mut child = msync()
        .args(args)
        .env_remove("RUST_LOG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn msync");
    let mut input = child.stdin.take().expect("stdin");
    input.write_all(stdin).expect("write stdin");
    drop(input);
    let output = child.wait_with_output().expect("wait for msync");
    Outcome {
        code: output.status.code(),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

/// Runs `msync ARGS` with an empty standard input.
pub(crate) fn run(args: &[&str]) -> Outcome {
    run_with_stdin(args, b"")
}

/// The in-repo golden vectors (`vectors/vectors.json`).
pub(crate) fn vectors() -> Vec<Value> {
    let text = include_str!("../../../vectors/vectors.json");
    let doc: Value = serde_json::from_str(text).expect("vectors.json parses");
    doc["vectors"].as_array().expect("vectors array").clone()
}

/// The vector called `name`.
pub(crate) fn vector(name: &str) -> Value {
    vectors()
        .into_iter()
        .find(|v| v["name"] == name)
        .unwrap_or_else(|| panic!("no vector {name}"))
}

/// A string field of a vector.
pub(crate) fn field<'a>(vector: &'a Value, key: &str) -> &'a str {
    vector[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} of {}", vector["name"]))
}
