//! The `msync` command-line tool, as a library so that tests can call the decoders in process.
//!
//! The binary (`src/main.rs`) only parses the command line into a [`Cli`] and hands it to
//! [`run`]. Each subcommand is one module under [`cmd`] with its own `clap::Args` struct and a
//! `run` function; [`Command`] lists them. All printing goes through [`output::Output`], and every
//! failure is a [`CliError`] whose kind sets the exit code ([`EXIT_FAILURE`], [`EXIT_USAGE`]).

mod cli;
pub mod cmd;
mod error;
mod logging;
pub mod output;

use std::process::ExitCode;

pub use cli::{Cli, Command};
pub use error::{CliError, EXIT_FAILURE, EXIT_USAGE, ErrorKind};

/// Runs one parsed command line: sets up logging, runs the subcommand, prints its error (if any)
/// on stderr and returns the exit code.
pub fn run(cli: Cli) -> ExitCode {
    let output = output::Output::new(cli.json);
    logging::init(cli.log.as_deref(), cli.command.default_log_filter());
    match cli.command.run(&output) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            output.error(&error);
            ExitCode::from(error.exit_code())
        }
    }
}
