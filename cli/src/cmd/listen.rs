//! `msync listen`: logs in and prints every message received as one JSON line, until `--count`
//! messages, `--timeout`, Ctrl-C or the end of the session.

use std::time::Duration;

use clap::Args;
use msync_tokio::{ClientEvent, ConnectionState, Events};

use crate::CliError;
use crate::cmd::session::render::MessageJson;
use crate::cmd::session::{self, SessionArgs, StatusNotes};
use crate::cmd::stop::StopSignal;
use crate::output::Output;

/// Arguments of `msync listen`.
#[derive(Debug, Args)]
pub struct ListenArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub session: SessionArgs,

    /// Stop after N messages.
    #[arg(long, value_name = "N")]
    pub count: Option<u64>,

    /// Stop after SECS seconds (counted from the login).
    #[arg(long, value_name = "SECS")]
    pub timeout: Option<u64>,
}

/// Help after the flags: the line format, examples and exit codes.
pub const AFTER_HELP: &str = "\
Each message is one JSON line on stdout:
  {\"id\": \"1181...\", \"from\": \"bob\", \"to\": \"alice\", \"chat_type\": \"single\",
   \"timestamp\": 1700000000000, \"body\": {\"type\": \"text\", \"text\": \"hi\"}, \"ext\": {\"n\": 3}}
chat_type: single, group or chat_room. body types: text {text}, cmd {action, params},
custom {event, exts}, location {latitude, longitude, address}, other {content_type}, empty.
ext, params and exts are objects of the attributes (JSON attributes parsed). Messages that
waited while the user was offline come first. Status notes (online, reconnecting) go to stderr.
The client acknowledges what the server delivers in batches: with --count, messages delivered
in the same batch as the last one counted are acknowledged but not printed.

Examples:
  MSYNC_PASSWORD=secret msync listen --dns http://127.0.0.1:8099 --app-key demo#iot --user bob
  msync listen --region cn1 --platform web --app-key org#app --user bob --count 1 --timeout 60

Exit codes:
  0  --count messages arrived, --timeout passed (without --count), or Ctrl-C / SIGTERM
  1  the login was refused (the typed reason is printed), the session ended (kicked, ...), or
     --timeout passed before --count messages
  2  usage: a bad flag or value";

/// Runs `msync listen`.
pub async fn run(args: ListenArgs, output: Output) -> Result<(), CliError> {
    let mut stop = StopSignal::listen()?;
    let (client, mut events) = args.session.connect().await?;
    output.note(format!(
        "online as {}; one JSON line per message (Ctrl-C stops)",
        client.user()
    ));
    let deadline = args.timeout.map(Duration::from_secs);
    let result = tokio::select! {
        result = print_messages(&mut events, args.count, output) => result,
        () = sleep_or_forever(deadline) => match args.count {
            Some(count) => Err(CliError::failed(format!(
                "timed out after {} s before {count} messages arrived",
                args.timeout.unwrap_or_default()
            ))),
            None => Ok(()),
        },
        () = stop.wait() => Ok(()),
    };
    session::logout(&client).await;
    result
}

/// Prints messages until `count` have arrived or the session ends.
async fn print_messages(
    events: &mut Events,
    count: Option<u64>,
    output: Output,
) -> Result<(), CliError> {
    let mut printed = 0u64;
    let mut notes = StatusNotes::default();
    while count.is_none_or(|count| printed < count) {
        let Some(event) = events.recv().await else {
            return Err(CliError::failed("the client stopped"));
        };
        match event {
            ClientEvent::Message(message) => {
                output.line(
                    serde_json::to_string(&MessageJson::from(&message))
                        .map_err(|e| CliError::failed(format!("cannot write JSON: {e}")))?,
                );
                printed += 1;
            }
            ClientEvent::State(ConnectionState::Closed(reason)) => {
                return Err(CliError::failed(format!("the session ended: {reason:?}")));
            }
            other => notes.note(&other, output),
        }
    }
    Ok(())
}

/// Sleeps for `duration`, or for ever without one.
async fn sleep_or_forever(duration: Option<Duration>) {
    match duration {
        Some(duration) => tokio::time::sleep(duration).await,
        None => std::future::pending().await,
    }
}
