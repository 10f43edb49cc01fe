//! `msync send`: logs in, sends one message, prints the server's id for it, logs out. It
//! never takes the user's queued messages: they stay on the server for `msync listen`.

use std::io::Read as _;
use std::time::Duration;

use clap::Args;
use msync_tokio::{Body, Outgoing, Receive};

use crate::CliError;
use crate::cmd::session::attribute::{AttributeArg, attributes};
use crate::cmd::session::render::chat_type_name;
use crate::cmd::session::{self, SessionArgs, ack_json};
use crate::output::Output;

/// Arguments of `msync send`.
#[derive(Debug, Args)]
pub struct SendArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub session: SessionArgs,

    /// The recipient: a user ID, or with --group / --chat-room a group or chat-room ID.
    #[arg(long, value_name = "ID")]
    pub to: String,

    /// --to is a group.
    #[arg(long, conflicts_with = "chat_room")]
    pub group: bool,

    /// --to is a chat room.
    #[arg(long)]
    pub chat_room: bool,

    /// Send a command message with this action (not shown to users) instead of text.
    #[arg(long, value_name = "ACTION", conflicts_with_all = ["custom", "text"])]
    pub cmd: Option<String>,

    /// Send a custom message with this event name instead of text.
    #[arg(long, value_name = "EVENT", conflicts_with = "text")]
    pub custom: Option<String>,

    /// A parameter of --cmd or a field of --custom: KEY=VALUE (a string) or KEY:TYPE=VALUE
    /// (repeatable).
    #[arg(long = "field", value_name = "KEY[:TYPE]=VALUE")]
    pub fields: Vec<AttributeArg>,

    /// A message attribute (ext): KEY=VALUE (a string) or KEY:TYPE=VALUE with TYPE one of
    /// string, int, uint, bool, float, double, json, e.g. `--ext n:int=3` (repeatable).
    #[arg(long = "ext", value_name = "KEY[:TYPE]=VALUE")]
    pub ext: Vec<AttributeArg>,

    /// Seconds to wait for the server's acknowledgement (re-sends included).
    #[arg(long, value_name = "SECS", default_value_t = 30)]
    pub timeout: u64,

    /// The text; `-` reads it from stdin.
    #[arg(value_name = "TEXT", required_unless_present_any = ["cmd", "custom"])]
    pub text: Option<String>,
}

/// Help after the flags: examples and exit codes.
pub const AFTER_HELP: &str = "\
Prints the server's id of the message (what receivers see as `id`); with --json one line
{\"id\", \"client_id\", \"timestamp\", \"to\", \"chat_type\"}.

It only sends: the messages queued for --user stay on the server (nothing is pulled or
acknowledged), even with the --resource of a device that listens.

Examples:
  export MSYNC_PASSWORD=secret
  msync send --rest http://127.0.0.1:8099 --ws ws://127.0.0.1:8099/websocket \\
      --app-key demo#iot --user alice --to bob 'hello 👋' --ext n:int=3
  msync send --region sgp1 --app-key org#app --user alice --to 1234 --group --cmd reboot \\
      --field delay:int=5

Exit codes:
  0  the server acknowledged the message
  1  the login was refused (the typed reason is printed), the message was rejected (with the
     server's reason), or no acknowledgement came in time
  2  usage: a bad flag or value";

impl SendArgs {
    /// The message these flags describe.
    pub fn message(&self) -> Result<Outgoing, CliError> {
        let fields = attributes(&self.fields);
        let body = match (&self.cmd, &self.custom, &self.text) {
            (Some(action), _, _) => Body::Command {
                action: action.clone(),
                params: fields,
            },
            (None, Some(event), _) => Body::Custom {
                event: event.clone(),
                exts: fields,
            },
            (None, None, Some(text)) if fields.is_empty() => Body::Text(read_text(text)?),
            (None, None, _) => {
                return Err(CliError::usage(
                    "--field belongs to --cmd or --custom; a text message takes --ext",
                ));
            }
        };
        let mut message = Outgoing::new(self.to.clone(), body);
        message.ext = attributes(&self.ext);
        if self.group {
            message = message.group();
        } else if self.chat_room {
            message = message.chat_room();
        }
        Ok(message)
    }
}

/// The text argument, or stdin for `-`.
fn read_text(text: &str) -> Result<String, CliError> {
    if text != "-" {
        return Ok(text.to_owned());
    }
    let mut read = String::new();
    std::io::stdin()
        .read_to_string(&mut read)
        .map_err(|e| CliError::usage(format!("cannot read the text from stdin: {e}")))?;
    Ok(read.strip_suffix('\n').unwrap_or(&read).to_owned())
}

/// Runs `msync send`.
pub async fn run(args: SendArgs, output: Output) -> Result<(), CliError> {
    let message = args.message()?;
    let (to, chat) = (message.to.clone(), message.chat);
    // Send only: the messages queued for this user stay on the server for the device that
    // listens (on this resource too), never pulled and acknowledged here.
    let (client, events) = args.session.connect_with(Receive::Nothing).await?;
    // Nobody reads them (state changes and the like): dropped, they cannot fill up.
    drop(events);
    let sent = tokio::time::timeout(Duration::from_secs(args.timeout), client.send(message)).await;
    session::logout(&client).await;
    let ack = match sent {
        Ok(Ok(ack)) => ack,
        Ok(Err(error)) => return Err(CliError::failed(session::send_error(&error))),
        Err(_) => {
            return Err(CliError::failed(format!(
                "no acknowledgement within {} s",
                args.timeout
            )));
        }
    };
    if output.is_json() {
        let mut line = ack_json(&ack);
        line["to"] = to.into();
        line["chat_type"] = chat_type_name(chat).into();
        output.line(line);
    } else {
        output.line(ack.server_id);
    }
    Ok(())
}
