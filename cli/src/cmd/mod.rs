//! One module per subcommand, each with its `clap::Args` struct and a `run` function that
//! prints through [`Output`] and fails with a [`CliError`].

pub mod chat;
pub mod decode;
pub mod demo;
pub mod devserver;
pub mod domains;
pub mod listen;
pub mod send;
pub mod session;
mod stop;

use std::future::Future;

use crate::output::Output;
use crate::{CliError, Command};

impl Command {
    /// Runs the subcommand.
    pub fn run(self, output: &Output) -> Result<(), CliError> {
        match self {
            Command::Decode(args) => decode::run(&args, output),
            Command::Domains(args) => domains::run(&args, output),
            Command::Devserver(args) => block_on(devserver::run(args, *output)),
            Command::Demo(args) => block_on(demo::run(args, *output)),
            Command::Send(args) => block_on(send::run(args, *output)),
            Command::Listen(args) => block_on(listen::run(args, *output)),
            Command::Chat(args) => block_on(chat::run(args, *output)),
        }
    }

    /// The log filter when neither `--log` nor `RUST_LOG` is given: the devserver reports its
    /// connections at `info`; the session commands report problems themselves and log only
    /// errors; the others print warnings.
    pub fn default_log_filter(&self) -> &'static str {
        match self {
            Command::Devserver(_) => "info",
            Command::Demo(_) | Command::Send(_) | Command::Listen(_) | Command::Chat(_) => "error",
            Command::Decode(_) | Command::Domains(_) => "warn",
        }
    }
}

/// Runs an async command to completion on a multi-threaded tokio runtime built for it (only the
/// commands that do network I/O pay for a runtime).
fn block_on(command: impl Future<Output = Result<(), CliError>>) -> Result<(), CliError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::failed(format!("cannot start the async runtime: {e}")))?;
    runtime.block_on(command)
}
