//! The command line: global flags and one [`Command`] variant per subcommand.
//!
//! Adding a subcommand: a module under `cmd/` with a `clap::Args` struct and a `run` function
//! (async ones run through `cmd::block_on`), a variant here, and its arm in `Command::run`
//! (`cmd/mod.rs`). Flag groups shared by several subcommands (endpoint, credentials) are
//! `clap::Args` structs that each subcommand's args `#[command(flatten)]`.

use clap::{Parser, Subcommand};

use crate::cmd::{decode, devserver, domains};

/// Exit codes, shown at the end of `--help`.
const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  the command failed (e.g. a frame that is not valid msync, a server that cannot start)
  2  usage: a bad flag or value, or input that is empty or neither hex nor base64";

/// msync: the command-line tool of msync-rs, a client for the Agora Chat / Easemob (环信) /
/// Shengwang (声网) IM cloud.
///
/// Decode msync frames, list the endpoints and legal domains of every data centre, and run a
/// local stand-in for the cloud. The session commands (demo, send, listen, chat) are coming.
#[derive(Debug, Parser)]
#[command(name = "msync", version, after_help = EXIT_CODES)]
pub struct Cli {
    /// Machine-readable output: compact JSON on stdout.
    #[arg(long, global = true)]
    pub json: bool,

    /// Log filter (tracing EnvFilter syntax, e.g. `debug`); overrides RUST_LOG. Logs go to
    /// stderr.
    #[arg(long, global = true, value_name = "FILTER")]
    pub log: Option<String>,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Decode one msync frame (hex, or base64 as Alipay text frames carry it) and print it as
    /// JSON.
    #[command(after_help = decode::AFTER_HELP)]
    Decode(decode::DecodeArgs),

    /// Print the REST and WebSocket endpoints of a data centre and the legal domains to register
    /// in a mini-program console.
    #[command(after_help = EXIT_CODES)]
    Domains(domains::DomainsArgs),

    /// Run the devserver, a local stand-in for the cloud (server.json, REST, msync over
    /// WebSocket), until Ctrl-C or SIGTERM.
    #[command(after_help = EXIT_CODES)]
    Devserver(devserver::DevserverArgs),
}
