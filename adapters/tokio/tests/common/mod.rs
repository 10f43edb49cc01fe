//! Shared helpers of the end-to-end tests: a devserver on 127.0.0.1, clients configured for it,
//! and bounded waits on events.
#![allow(dead_code, unreachable_pub)]

use std::future::Future;
use std::time::Duration;

use msync_devserver::{Config, DevServer, RunningServer};
use msync_tokio::msync_core::session::BackoffTier;
use msync_tokio::msync_core::time;
use msync_tokio::{
    Client, ClientConfig, ClientEvent, ConnectionState, Credential, Events, Message,
    ReconnectPolicy, TlsOptions,
};

/// The app every test uses.
pub const APP: &str = "demo#iot";
/// Every user's password.
pub const PASSWORD: &str = "secret";
/// The longest any single wait may take.
pub const WAIT: Duration = Duration::from_secs(20);

/// Reconnect quickly, so that tests that drop connections stay short.
pub static FAST_BACKOFF: [BackoffTier; 1] = [BackoffTier {
    from_attempt: 1,
    min: time::Duration::from_millis(50),
    max: time::Duration::from_millis(200),
    granularity: time::Duration::from_millis(1),
}];

/// Logs to the test output when `RUST_LOG` is set.
pub fn init_logging() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_test_writer()
        .try_init();
}

/// A devserver with these users registered (password [`PASSWORD`]).
pub async fn server(config: Config, users: &[&str]) -> RunningServer {
    init_logging();
    let server = DevServer::start(config).await.expect("devserver starts");
    for user in users {
        server
            .register_user(APP, user, PASSWORD)
            .expect("user registered");
    }
    server
}

/// A plain-HTTP devserver with these users.
pub async fn plain_server(users: &[&str]) -> RunningServer {
    server(Config::new(), users).await
}

/// A client configuration for `user` on `server` (custom endpoints, its certificate trusted
/// when it serves TLS, fast reconnects, a device id of its own).
pub fn config(server: &RunningServer, user: &str, credential: Credential) -> ClientConfig {
    config_for(server, APP, user, credential)
}

/// [`config`] for another app key or an App ID.
pub fn config_for(
    server: &RunningServer,
    app: &str,
    user: &str,
    credential: Credential,
) -> ClientConfig {
    let mut config = ClientConfig::new(app, user, credential)
        .with_custom_endpoints(server.base_url(), server.ws_url())
        .with_device_uuid(format!("test_{user}"))
        .with_reconnect(ReconnectPolicy {
            tiers: &FAST_BACKOFF,
            ..ReconnectPolicy::DEFAULT
        });
    if let Some(pem) = server.cert_pem() {
        let tls = TlsOptions::default()
            .without_webpki_roots()
            .with_root_pem(pem)
            .expect("the devserver's certificate parses");
        config = config.with_tls(tls);
    }
    config
}

/// Starts a client for `user` with its password and logs it in.
pub async fn online(server: &RunningServer, user: &str) -> (Client, Events) {
    online_with(config(server, user, Credential::password(PASSWORD))).await
}

/// Starts a client with `config` and logs it in.
pub async fn online_with(config: ClientConfig) -> (Client, Events) {
    let (client, events) = Client::start(config).await.expect("client starts");
    within(client.login()).await.expect("login succeeds");
    assert_eq!(client.state(), ConnectionState::Online);
    (client, events)
}

/// `future`'s output, failing the test if it takes longer than [`WAIT`].
pub async fn within<F: Future>(future: F) -> F::Output {
    tokio::time::timeout(WAIT, future)
        .await
        .expect("finished in time")
}

/// Waits for the first event `pick` accepts, skipping the others.
pub async fn wait_for<T>(
    events: &mut Events,
    mut pick: impl FnMut(&ClientEvent) -> Option<T>,
) -> T {
    within(async {
        loop {
            let event = events.recv().await.expect("the client is running");
            if let Some(found) = pick(&event) {
                return found;
            }
        }
    })
    .await
}

/// The next chat message.
pub async fn next_message(events: &mut Events) -> Message {
    wait_for(events, |event| match event {
        ClientEvent::Message(message) => Some(message.clone()),
        _ => None,
    })
    .await
}

/// The next `n` chat messages, in arrival order.
pub async fn messages(events: &mut Events, n: usize) -> Vec<Message> {
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        out.push(next_message(events).await);
    }
    out
}

/// No further chat message arrives within `quiet`.
pub async fn no_more_messages(events: &mut Events, quiet: Duration) {
    let extra = tokio::time::timeout(quiet, async {
        loop {
            match events.recv().await {
                Some(ClientEvent::Message(message)) => return Some(message),
                Some(_) => {}
                None => return None,
            }
        }
    })
    .await;
    if let Ok(Some(message)) = extra {
        panic!("unexpected message: {message:?}");
    }
}
