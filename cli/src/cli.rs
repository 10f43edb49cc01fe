//! The command line: global flags and one [`Command`] variant per subcommand.
//!
//! Adding a subcommand: a module under `cmd/` with a `clap::Args` struct and a `run` function
//! (async ones run through `cmd::block_on`), a variant here, and its arm in `Command::run`
//! (`cmd/mod.rs`). Flag groups shared by several subcommands (endpoint, credentials) are
//! `clap::Args` structs that each subcommand's args `#[command(flatten)]`.

use clap::{Parser, Subcommand};

use crate::cmd::{chat, decode, demo, devserver, domains, listen, send};

/// Exit codes, shown at the end of `--help`.
const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  the command failed (e.g. a refused login, a rejected message, a demo step that did not
     check out, a frame that is not valid msync)
  2  usage: a bad flag or value, or input that is empty or neither hex nor base64";

/// msync: the command-line tool of msync-rs, a client for the Agora Chat / Easemob (环信) /
/// Shengwang (声网) IM cloud.
///
/// Run a self-checking demo on a built-in devserver; send, listen and chat on the cloud or a
/// devserver; decode msync frames; list the endpoints and legal domains of every data centre;
/// run a local stand-in for the cloud.
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
    /// The main job: two users on a devserver started in this process exchange text, command,
    /// custom, group and offline messages and ride out dropped sockets; every step is checked.
    #[command(after_help = demo::AFTER_HELP)]
    Demo(demo::DemoArgs),

    /// Send one message (text, command or custom) and print its server id.
    #[command(after_help = send::AFTER_HELP)]
    Send(send::SendArgs),

    /// Print every message received as one JSON line.
    #[command(after_help = listen::AFTER_HELP)]
    Listen(listen::ListenArgs),

    /// Chat line by line: lines from stdin are sent, messages received are printed.
    #[command(after_help = chat::AFTER_HELP)]
    Chat(chat::ChatArgs),

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
