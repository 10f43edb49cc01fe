//! `msync-devserver`: run the local stand-in for the cloud from the command line.

use std::io::Write as _;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;
use msync_devserver::{AppCredentials, Config, DevServer};
use tracing_subscriber::EnvFilter;

/// A local stand-in for the Easemob / Agora Chat cloud: server.json, REST token and users,
/// groups, chat rooms, and msync over WebSocket, all in memory.
#[derive(Debug, Parser)]
#[command(name = "msync-devserver", version)]
struct Args {
    /// Address to listen on (port 0: a free port; the URLs printed at start tell which).
    #[arg(long, default_value = "127.0.0.1:0")]
    listen: SocketAddr,
    /// Serve HTTPS / wss with a self-signed certificate generated at start.
    #[arg(long)]
    tls: bool,
    /// With --tls, write the certificate's PEM to this file.
    #[arg(long, value_name = "PATH")]
    cert_out: Option<PathBuf>,
    /// Only apps given with --app exist and their client credentials are checked.
    #[arg(long)]
    strict: bool,
    /// An app and its client credentials: `org#app:CLIENT_ID:CLIENT_SECRET` (repeatable).
    #[arg(long = "app", value_name = "KEY:ID:SECRET")]
    apps: Vec<String>,
    /// A user to register at start: `org#app:USERNAME:PASSWORD` (repeatable).
    #[arg(long = "user", value_name = "KEY:NAME:PASSWORD")]
    users: Vec<String>,
    /// Most metas per pull batch.
    #[arg(long, default_value_t = 50)]
    batch_size: usize,
    /// Seconds of silence after which a WebSocket is closed.
    #[arg(long, default_value_t = 90)]
    idle_timeout: u64,
    /// Largest WebSocket frame / message in bytes.
    #[arg(long, default_value_t = 64 * 1024)]
    max_frame_bytes: usize,
    /// Largest message content plus ext in bytes ("Sorry, data is too large" beyond).
    #[arg(long, default_value_t = 5 * 1024)]
    max_message_bytes: usize,
    /// Default token lifetime in seconds (a token request's `ttl` overrides it; 0: never).
    #[arg(long, default_value_t = 7 * 24 * 3600)]
    token_ttl: u64,
    /// Milliseconds a kicked connection stays open for the client to close it.
    #[arg(long, default_value_t = 1000)]
    kick_grace_ms: u64,
    /// Turn off the development-only admin path /_devserver/...
    #[arg(long)]
    no_admin: bool,
    /// Log filter (tracing EnvFilter syntax); `debug` logs every frame decoded. Overrides
    /// RUST_LOG.
    #[arg(long, value_name = "FILTER")]
    log: Option<String>,
}

fn split3(spec: &str, what: &str) -> Result<(String, String, String), String> {
    let mut parts = spec.splitn(3, ':');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(a), Some(b), Some(c)) if !a.is_empty() && !b.is_empty() => {
            Ok((a.to_owned(), b.to_owned(), c.to_owned()))
        }
        _ => Err(format!("--{what} wants KEY:NAME:SECRET, got {spec:?}")),
    }
}

fn config(args: &Args) -> Result<Config, String> {
    let mut config = Config::new()
        .listen(args.listen)
        .tls(args.tls)
        .strict(args.strict)
        .batch_size(args.batch_size)
        .idle_timeout(Duration::from_secs(args.idle_timeout))
        .max_frame_bytes(args.max_frame_bytes)
        .max_message_bytes(args.max_message_bytes)
        .default_token_ttl(Duration::from_secs(args.token_ttl))
        .kick_grace(Duration::from_millis(args.kick_grace_ms))
        .admin(!args.no_admin);
    if let Some(path) = &args.cert_out {
        config = config.cert_path(path);
    }
    for spec in &args.apps {
        let (app_key, client_id, client_secret) = split3(spec, "app")?;
        config = config.app(AppCredentials {
            app_key,
            client_id,
            client_secret,
        });
    }
    Ok(config)
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
    match run(args).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<(), String> {
    let config = config(&args)?;
    let server = DevServer::start(config)
        .await
        .map_err(|e| format!("cannot start: {e}"))?;
    for spec in &args.users {
        let (app_key, name, password) = split3(spec, "user")?;
        server
            .register_user(&app_key, &name, &password)
            .map_err(|e| format!("--user {name}: {e}"))?;
    }
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
    if let Some(path) = &args.cert_out {
        let _ = writeln!(out, "  cert:      {}", path.display());
    }
    let _ = out.flush();
    drop(out);
    let _ = tokio::signal::ctrl_c().await;
    tracing::info!("shutting down");
    server.shutdown().await;
    Ok(())
}
