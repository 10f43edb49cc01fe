//! Logs (tracing) go to stderr, so that stdout carries only a command's output.

use tracing_subscriber::EnvFilter;

/// Installs the stderr log subscriber. The filter is `--log` if given, else `RUST_LOG`, else the
/// command's default. A second call (tests running several commands) leaves the first in place.
pub(crate) fn init(flag: Option<&str>, default_filter: &str) {
    let filter = match flag {
        Some(filter) => EnvFilter::new(filter),
        None => {
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_filter))
        }
    };
    let _already_set = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr)
        .try_init();
}
