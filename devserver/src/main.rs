//! `msync-devserver`: run the local stand-in for the cloud from the command line.

use std::io::Write as _;

use clap::Parser;
use msync_devserver::{DevServer, ServerArgs};
use tracing_subscriber::EnvFilter;

/// A local stand-in for the Easemob / Agora Chat cloud: server.json, REST token and users,
/// groups, chat rooms, and msync over WebSocket, all in memory.
#[derive(Debug, Parser)]
#[command(name = "msync-devserver", version)]
struct Args {
    #[command(flatten)]
    server: ServerArgs,
    /// Log filter (tracing EnvFilter syntax); `debug` logs every frame decoded. Overrides
    /// RUST_LOG.
    #[arg(long, value_name = "FILTER")]
    log: Option<String>,
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args = Args::parse();
    let filter = match &args.log {
        Some(filter) => EnvFilter::new(filter),
        None => EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
    };
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr)
        .init();
    match run(args.server).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(args: ServerArgs) -> Result<(), String> {
    let server = DevServer::start(args.config())
        .await
        .map_err(|e| format!("cannot start: {e}"))?;
    args.register_users(&server)?;
    let base = server.base_url();
    let mut out = std::io::stdout().lock();
    let _ = writeln!(
        out,
        "msync-devserver {} listening on {}",
        env!("CARGO_PKG_VERSION"),
        server.local_addr()
    );
    let _ = writeln!(out, "  rest:      {base}/{{org}}/{{app}}");
    let _ = writeln!(
        out,
        "  bootstrap: {base}/easemob/server.json?app_key={{org}}%23{{app}}"
    );
    let _ = writeln!(out, "  websocket: {}", server.ws_url());
    if !args.no_admin {
        let _ = writeln!(out, "  admin:     {base}/_devserver/state");
    }
    if let Some(path) = &args.cert_path {
        let _ = writeln!(out, "  cert:      {}", path.display());
    }
    let _ = out.flush();
    drop(out);
    let _ = tokio::signal::ctrl_c().await;
    tracing::info!("shutting down");
    server.shutdown().await;
    Ok(())
}
