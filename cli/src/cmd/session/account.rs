//! Who logs in: the app, the user and a password or token. Secrets never reach `Debug` output,
//! help text (`hide_env_values`) or logs.

use std::fmt;
use std::str::FromStr;

use clap::Args;
use msync_tokio::Credential;

/// The account flags; each also reads an environment variable, the safer place for a secret
/// (a command line is visible to other users of the machine).
#[derive(Debug, Args)]
#[command(next_help_heading = "Account")]
pub struct AccountArgs {
    /// The app key, `org#app` (the console's AppKey).
    #[arg(
        long,
        env = "MSYNC_APP_KEY",
        value_name = "ORG#APP",
        value_parser = app_key,
        required_unless_present = "app_id",
        conflicts_with = "app_id"
    )]
    pub app_key: Option<String>,

    /// A Shengwang (声网) App ID instead of an app key (needs --dns, the bootstrap).
    #[arg(long, env = "MSYNC_APP_ID", value_name = "ID", value_parser = app_id)]
    pub app_id: Option<String>,

    /// The user ID to log in as.
    #[arg(long, env = "MSYNC_USER", value_name = "NAME")]
    pub user: String,

    /// The user's password (the client asks the REST host for a token). Prefer the environment
    /// variable: it stays out of the process list.
    #[arg(
        long,
        env = "MSYNC_PASSWORD",
        hide_env_values = true,
        value_name = "PASSWORD",
        required_unless_present = "token",
        conflicts_with = "token"
    )]
    pub password: Option<Secret>,

    /// A user token from your app server instead of a password.
    #[arg(
        long,
        env = "MSYNC_TOKEN",
        hide_env_values = true,
        value_name = "TOKEN"
    )]
    pub token: Option<Secret>,

    /// The resource (device) to log in as; two live logins on one resource replace each other.
    /// Default: a new random one per run.
    #[arg(long, value_name = "NAME")]
    pub resource: Option<String>,
}

impl AccountArgs {
    /// The app key or App ID.
    pub fn app(&self) -> &str {
        self.app_key
            .as_deref()
            .or(self.app_id.as_deref())
            .unwrap_or_default()
    }

    /// The credential: the password, else the token.
    pub fn credential(&self) -> Credential {
        match (&self.password, &self.token) {
            (Some(password), _) => Credential::password(password.expose()),
            (None, Some(token)) => Credential::token(token.expose()),
            (None, None) => Credential::password(""),
        }
    }
}

/// An app key that parses as `org#app`.
fn app_key(text: &str) -> Result<String, String> {
    msync_core::app::AppKey::parse(text)
        .map(|_| text.to_owned())
        .map_err(|e| format!("not an app key (org#app): {e}"))
}

/// An App ID that parses.
fn app_id(text: &str) -> Result<String, String> {
    msync_core::app::AppId::parse(text)
        .map(|_| text.to_owned())
        .map_err(|e| format!("not an App ID: {e}"))
}

/// A password or token: `Debug` and `Display` show `<redacted>`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub fn new(secret: impl Into<String>) -> Self {
        Self(secret.into())
    }

    /// The secret itself, to hand to the client (never to print).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl FromStr for Secret {
    type Err = std::convert::Infallible;

    fn from_str(secret: &str) -> Result<Self, Self::Err> {
        Ok(Self::new(secret))
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_redacted() {
        let secret = Secret::new("hunter2");
        assert_eq!(format!("{secret:?} {secret}"), "<redacted> <redacted>");
        assert_eq!(secret.expose(), "hunter2");
    }
}
