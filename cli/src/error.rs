//! Command failures and the exit codes they map to.

use std::fmt;

/// Exit code of a command that ran but failed: a frame that does not decode, a server that
/// cannot start.
pub const EXIT_FAILURE: u8 = 1;

/// Exit code of a command line that cannot be used: a bad flag or value (clap's own errors use
/// the same code), input that is empty or neither hex nor base64.
pub const EXIT_USAGE: u8 = 2;

/// Who has to act on a failure, which decides the exit code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The command line or its input text is unusable ([`EXIT_USAGE`]).
    Usage,
    /// The command ran and failed ([`EXIT_FAILURE`]).
    Failed,
}

/// A failed command: a message for stderr and the kind that sets the exit code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CliError {
    kind: ErrorKind,
    message: String,
}

impl CliError {
    /// A usage error (exit code [`EXIT_USAGE`]).
    pub fn usage(message: impl Into<String>) -> Self {
        Self {
            kind: ErrorKind::Usage,
            message: message.into(),
        }
    }

    /// A failure of the command itself (exit code [`EXIT_FAILURE`]).
    pub fn failed(message: impl Into<String>) -> Self {
        Self {
            kind: ErrorKind::Failed,
            message: message.into(),
        }
    }

    /// Who has to act.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The message, without the `error: ` prefix.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The process exit code for this error.
    pub fn exit_code(&self) -> u8 {
        match self.kind {
            ErrorKind::Usage => EXIT_USAGE,
            ErrorKind::Failed => EXIT_FAILURE,
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CliError {}
