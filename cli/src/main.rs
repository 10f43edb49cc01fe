//! `msync`: the command-line tool. Everything lives in the library; see [`msync_cli`].

use std::process::ExitCode;

use clap::Parser as _;

fn main() -> ExitCode {
    msync_cli::run(msync_cli::Cli::parse())
}
