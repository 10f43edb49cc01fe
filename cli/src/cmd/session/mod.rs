//! What `send`, `listen` and `chat` share: the flags that say where and as whom to log in
//! ([`SessionArgs`]), a logged-in [`Client`], typed attributes on the command line and the forms
//! received messages are printed in.

mod account;
pub mod attribute;
mod endpoint;
pub mod render;
mod status;

use std::time::Duration;

use clap::Args;
use msync_tokio::{
    Ack, Client, ClientConfig, ConnectionState, Error, Events, Receive, SendError, StartError,
};

pub use account::{AccountArgs, Secret};
pub use endpoint::EndpointArgs;
pub use status::StatusNotes;

use crate::CliError;

/// The flags of every session command.
#[derive(Debug, Args)]
pub struct SessionArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub endpoint: EndpointArgs,

    #[command(flatten)]
    #[allow(missing_docs)]
    pub account: AccountArgs,

    /// Seconds to wait for the login (lost connections are retried meanwhile).
    #[arg(long, value_name = "SECS", default_value_t = 20)]
    pub connect_timeout: u64,
}

impl SessionArgs {
    /// The client configuration these flags describe.
    pub fn config(&self) -> Result<ClientConfig, CliError> {
        let account = &self.account;
        let mut config = ClientConfig::new(account.app(), &account.user, account.credential())
            .with_endpoints(self.endpoint.endpoints()?)
            .with_tls(self.endpoint.tls()?);
        if let Some(resource) = &account.resource {
            config = config.with_resource(resource);
        }
        Ok(config)
    }

    /// Starts a client and logs it in.
    pub async fn connect(&self) -> Result<(Client, Events), CliError> {
        self.connect_with(Receive::All).await
    }

    /// Starts a client that takes the queued messages `receive` says, and logs it in.
    pub async fn connect_with(&self, receive: Receive) -> Result<(Client, Events), CliError> {
        let config = self.config()?.with_receive(receive);
        let (client, events) = Client::start(config).await.map_err(start_error)?;
        login(&client, Duration::from_secs(self.connect_timeout)).await?;
        Ok((client, events))
    }
}

/// A configuration the client refused: a usage error, but for a missing runtime.
fn start_error(error: StartError) -> CliError {
    match error {
        StartError::NoRuntime => CliError::failed(error.to_string()),
        other => CliError::usage(format!("cannot use this configuration: {other}")),
    }
}

/// Logs `client` in within `timeout`; a refusal names its typed reason.
pub async fn login(client: &Client, timeout: Duration) -> Result<(), CliError> {
    match tokio::time::timeout(timeout, client.login()).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(error)) => Err(login_error(&error)),
        Err(_) => Err(CliError::failed(format!(
            "not online within {} s{}",
            timeout.as_secs(),
            match client.state() {
                ConnectionState::Reconnecting { attempt, cause, .. } => {
                    format!(" (attempt {attempt} failed: {cause:?})")
                }
                _ => String::new(),
            }
        ))),
    }
}

/// A failed login, e.g. `login refused: InvalidPassword (invalid password)`.
pub fn login_error(error: &Error) -> CliError {
    match error {
        Error::Login { .. } => CliError::failed(error.to_string()),
        other => CliError::failed(format!("login failed: {other}")),
    }
}

/// Why a send failed, e.g. `the server rejected the message: not in group or chatroom
/// (NotMember, status 605)`.
pub fn send_error(error: &SendError) -> String {
    match error {
        SendError::Rejected { code, reason, text } => {
            format!("the server rejected the message: {text} ({reason:?}, status {code})")
        }
        other => other.to_string(),
    }
}

/// Logs out, waiting at most a few seconds; a client that already ended is fine.
pub async fn logout(client: &Client) {
    let _ended = tokio::time::timeout(Duration::from_secs(6), client.logout()).await;
}

/// An [`Ack`] as JSON: the server id (what receivers see as `id`) and the client's id, both as
/// strings, and the server's time.
pub fn ack_json(ack: &Ack) -> serde_json::Value {
    serde_json::json!({
        "id": ack.server_id.to_string(),
        "client_id": ack.client_id.get().to_string(),
        "timestamp": ack.timestamp,
    })
}
