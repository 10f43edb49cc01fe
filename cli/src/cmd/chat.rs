//! `msync chat`: a line-based chat. Lines read from stdin go to the current peer, group or
//! chat room (in order, each acknowledged before the next goes out); messages received are
//! printed as they arrive; `/`-commands change the recipient or end the chat.

use std::io::BufRead as _;
use std::time::Duration;

use clap::Args;
use msync_tokio::{Client, ClientEvent, ConnectionState, Events, Outgoing};
use serde_json::{Value, json};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use crate::CliError;
use crate::cmd::session::attribute::AttributeArg;
use crate::cmd::session::render::{MessageJson, chat_type_name, message_line};
use crate::cmd::session::{self, SessionArgs, StatusNotes, ack_json};
use crate::cmd::stop::StopSignal;
use crate::output::Output;

/// How long the end of a chat waits for messages still being sent.
const DRAIN: Duration = Duration::from_secs(30);

/// Arguments of `msync chat`.
#[derive(Debug, Args)]
pub struct ChatArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub session: SessionArgs,

    /// Talk to this user first (`/to` changes it).
    #[arg(long, value_name = "USER", conflicts_with_all = ["group", "chat_room"])]
    pub to: Option<String>,

    /// Talk in this group first (`/group` changes it).
    #[arg(long, value_name = "ID", conflicts_with = "chat_room")]
    pub group: Option<String>,

    /// Talk in this chat room first (`/room` changes it).
    #[arg(long, value_name = "ID")]
    pub chat_room: Option<String>,
}

/// The chat's commands, for `/help` and `--help` (a macro, so that `concat!` takes it).
macro_rules! commands {
    () => {
        "  TEXT                 send TEXT to the current recipient
  /to USER             talk to USER
  /group ID            talk in group ID
  /room ID             talk in chat room ID
  /cmd ACTION [K=V..]  send a command message (parameters KEY[:TYPE]=VALUE)
  //TEXT               send TEXT that starts with /
  /help                this list
  /quit                end (so does the end of input, Ctrl-D)"
    };
}

/// The chat's commands.
const COMMANDS: &str = commands!();

/// Help after the flags: commands, output, examples and exit codes.
pub const AFTER_HELP: &str = concat!(
    "Lines typed (or piped) on stdin:\n",
    commands!(),
    "\n",
    "\n",
    "Messages are sent in order, each once the previous one is acknowledged; the end waits\n",
    "for those still on their way. stdout: `sent to bob: id 1181...` per acknowledged\n",
    "message and `bob: hi` per message received; with --json one line per event:\n",
    "{\"event\": \"sent\", \"to\", \"chat_type\", \"id\", \"client_id\", \"timestamp\"},\n",
    "{\"event\": \"send_failed\", \"to\", \"chat_type\", \"error\"}, or {\"event\": \"message\", ...} with\n",
    "the fields of `msync listen`. Notes and errors go to stderr.\n",
    "\n",
    "Example:\n",
    "  export MSYNC_PASSWORD=secret\n",
    "  msync chat --dns http://127.0.0.1:8099 --app-key demo#iot --user alice --to bob\n",
    "\n",
    "Exit codes:\n",
    "  0  ended by /quit, end of input, Ctrl-C or SIGTERM, every message acknowledged\n",
    "  1  the login was refused, the session ended (kicked, ...), or a message was not sent\n",
    "  2  usage: a bad flag or value",
);

/// Who the lines go to.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Recipient {
    User(String),
    Group(String),
    Room(String),
}

impl Recipient {
    fn message(&self, body: msync_tokio::Body) -> Outgoing {
        match self {
            Recipient::User(id) => Outgoing::new(id.clone(), body),
            Recipient::Group(id) => Outgoing::new(id.clone(), body).group(),
            Recipient::Room(id) => Outgoing::new(id.clone(), body).chat_room(),
        }
    }

    fn describe(&self) -> String {
        match self {
            Recipient::User(id) => id.clone(),
            Recipient::Group(id) => format!("group {id}"),
            Recipient::Room(id) => format!("chat room {id}"),
        }
    }
}

/// What one input line asks for.
#[derive(Debug, PartialEq)]
enum Line {
    Send(Outgoing),
    Switch(Recipient),
    Help,
    Quit,
    Nothing,
    Mistake(String),
}

/// Reads one input line, given the current recipient.
fn parse_line(line: &str, current: Option<&Recipient>) -> Line {
    let trimmed = line.trim();
    if trimmed.is_empty() {
        return Line::Nothing;
    }
    let body = |body| match current {
        Some(recipient) => Line::Send(recipient.message(body)),
        None => Line::Mistake("no recipient yet: /to USER, /group ID or /room ID first".into()),
    };
    if let Some(text) = trimmed.strip_prefix("//") {
        return body(msync_tokio::Body::Text(format!("/{text}")));
    }
    let Some(command) = trimmed.strip_prefix('/') else {
        return body(msync_tokio::Body::Text(
            line.trim_end_matches(['\r', '\n']).to_owned(),
        ));
    };
    let mut words = command.split_whitespace();
    let name = words.next().unwrap_or_default();
    let argument = words.next();
    match (name, argument) {
        ("quit" | "exit", _) => Line::Quit,
        ("help", _) => Line::Help,
        ("to", Some(id)) => Line::Switch(Recipient::User(id.to_owned())),
        ("group", Some(id)) => Line::Switch(Recipient::Group(id.to_owned())),
        ("room", Some(id)) => Line::Switch(Recipient::Room(id.to_owned())),
        ("cmd", Some(action)) => {
            let params: Result<Vec<AttributeArg>, String> = words.map(str::parse).collect();
            match params {
                Ok(params) => body(msync_tokio::Body::Command {
                    action: action.to_owned(),
                    params: params.into_iter().map(|arg| arg.0).collect(),
                }),
                Err(error) => Line::Mistake(format!("/cmd: {error}")),
            }
        }
        ("to" | "group" | "room" | "cmd", None) => Line::Mistake(format!(
            "/{name} needs an argument (/help lists the commands)"
        )),
        _ => Line::Mistake(format!(
            "unknown command /{name} (/help lists the commands)"
        )),
    }
}

/// Runs `msync chat`.
pub async fn run(args: ChatArgs, output: Output) -> Result<(), CliError> {
    let mut stop = StopSignal::listen()?;
    let mut recipient = match (&args.to, &args.group, &args.chat_room) {
        (Some(user), _, _) => Some(Recipient::User(user.clone())),
        (None, Some(group), _) => Some(Recipient::Group(group.clone())),
        (None, None, Some(room)) => Some(Recipient::Room(room.clone())),
        (None, None, None) => None,
    };
    let (client, mut events) = args.session.connect().await?;
    output.note(format!(
        "online as {}, talking to {}; /help lists the commands, /quit or Ctrl-D ends",
        client.user(),
        recipient
            .as_ref()
            .map_or_else(|| "nobody yet".to_owned(), Recipient::describe)
    ));
    let mut lines = stdin_lines();
    let (queue, queued) = mpsc::unbounded_channel();
    let sender = tokio::spawn(send_in_order(client.clone(), queued, output));
    let mut notes = StatusNotes::default();
    let ended = loop {
        tokio::select! {
            line = lines.recv() => match line.map(|line| parse_line(&line, recipient.as_ref())) {
                None | Some(Line::Quit) => break Ok(()),
                Some(Line::Send(message)) => {
                    // The sender runs until `queue` is dropped below.
                    let _ = queue.send(message);
                }
                Some(Line::Switch(next)) => {
                    output.note(format!("talking to {}", next.describe()));
                    recipient = Some(next);
                }
                Some(Line::Help) => output.note(format!("commands:\n{COMMANDS}")),
                Some(Line::Nothing) => {}
                Some(Line::Mistake(mistake)) => output.error(&CliError::usage(mistake)),
            },
            event = events.recv() => match event {
                Some(event) => if let Err(error) = show_event(&event, &mut notes, output) {
                    break Err(error);
                },
                None => break Err(CliError::failed("the client stopped")),
            },
            () = stop.wait() => break Ok(()),
        }
    };
    drop(queue);
    let failed = match &ended {
        Ok(()) => finish_sends(sender, &mut events, &mut notes, output).await,
        Err(_) => {
            sender.abort();
            0
        }
    };
    session::logout(&client).await;
    ended?;
    match failed {
        0 => Ok(()),
        n => Err(CliError::failed(format!("{n} message(s) were not sent"))),
    }
}

/// Prints a received message, notes a status event; a closed session ends the chat.
fn show_event(
    event: &ClientEvent,
    notes: &mut StatusNotes,
    output: Output,
) -> Result<(), CliError> {
    match event {
        ClientEvent::Message(message) if output.is_json() => {
            output.line(event_json("message", MessageJson::from(message)));
        }
        ClientEvent::Message(message) => output.line(message_line(message)),
        ClientEvent::State(ConnectionState::Closed(reason)) => {
            return Err(CliError::failed(format!("the session ended: {reason:?}")));
        }
        other => notes.note(other, output),
    }
    Ok(())
}

/// `{"event": kind, ...fields}`.
fn event_json(kind: &str, fields: impl serde::Serialize) -> Value {
    let mut value = serde_json::to_value(fields).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut value {
        map.insert("event".to_owned(), kind.into());
    }
    value
}

/// Waits (bounded) for the sends still on their way, printing what arrives meanwhile; returns
/// how many failed or were abandoned.
async fn finish_sends(
    mut sender: JoinHandle<usize>,
    events: &mut Events,
    notes: &mut StatusNotes,
    output: Output,
) -> usize {
    let deadline = tokio::time::sleep(DRAIN);
    tokio::pin!(deadline);
    loop {
        tokio::select! {
            failed = &mut sender => return failed.unwrap_or(1),
            Some(event) = events.recv() => {
                let _ = show_event(&event, notes, output);
            }
            () = &mut deadline => {
                sender.abort();
                output.note(format!("gave up on unacknowledged messages after {} s", DRAIN.as_secs()));
                return 1;
            }
        }
    }
}

/// Sends the queued messages one after the other, printing each outcome; returns how many
/// failed.
async fn send_in_order(
    client: Client,
    mut queued: mpsc::UnboundedReceiver<Outgoing>,
    output: Output,
) -> usize {
    let mut failed = 0;
    while let Some(message) = queued.recv().await {
        let (to, chat) = (message.to.clone(), chat_type_name(message.chat));
        match client.send(message).await {
            Ok(ack) if output.is_json() => {
                let mut line = ack_json(&ack);
                line["to"] = to.into();
                line["chat_type"] = chat.into();
                output.line(event_json("sent", line));
            }
            Ok(ack) => output.line(format!("sent to {to}: id {}", ack.server_id)),
            Err(error) => {
                failed += 1;
                let error = session::send_error(&error);
                if output.is_json() {
                    let line = json!({"to": to, "chat_type": chat, "error": error});
                    output.line(event_json("send_failed", line));
                } else {
                    output.error(&CliError::failed(format!("to {to}: {error}")));
                }
            }
        }
    }
    failed
}

/// Lines of stdin (invalid UTF-8 replaced), read on a thread of their own: a blocking read
/// cannot be cancelled, and a plain thread does not hold up the end of the process.
fn stdin_lines() -> mpsc::Receiver<String> {
    let (lines, receiver) = mpsc::channel(16);
    std::thread::spawn(move || {
        let mut stdin = std::io::stdin().lock();
        let mut buffer = Vec::new();
        loop {
            buffer.clear();
            match stdin.read_until(b'\n', &mut buffer) {
                Ok(0) | Err(_) => break,
                Ok(_) => {
                    let line = String::from_utf8_lossy(&buffer).into_owned();
                    if lines.blocking_send(line).is_err() {
                        break;
                    }
                }
            }
        }
    });
    receiver
}

#[cfg(test)]
mod tests {
    use msync_tokio::{Attribute, Body, ChatType};

    use super::*;

    fn bob() -> Recipient {
        Recipient::User("bob".into())
    }

    #[test]
    fn lines_become_messages_and_commands() {
        assert_eq!(
            parse_line("hello 👋\n", Some(&bob())),
            Line::Send(Outgoing::text("bob", "hello 👋"))
        );
        assert_eq!(
            parse_line("//slash\n", Some(&bob())),
            Line::Send(Outgoing::text("bob", "/slash"))
        );
        assert_eq!(
            parse_line("/group 42\n", Some(&bob())),
            Line::Switch(Recipient::Group("42".into()))
        );
        let Line::Send(message) = parse_line("hi all", Some(&Recipient::Group("42".into()))) else {
            panic!("a send");
        };
        assert_eq!((message.to.as_str(), message.chat), ("42", ChatType::Group));
        assert_eq!(
            parse_line("/cmd reboot delay:int=5", Some(&bob())),
            Line::Send(Outgoing::new(
                "bob",
                Body::Command {
                    action: "reboot".into(),
                    params: vec![Attribute::int("delay", 5)],
                }
            ))
        );
        assert_eq!(parse_line("  \n", Some(&bob())), Line::Nothing);
        assert_eq!(parse_line("/quit", None), Line::Quit);
        assert_eq!(parse_line("/help", None), Line::Help);
    }

    #[test]
    fn mistakes_are_explained() {
        for (line, recipient) in [
            ("hello", None),
            ("/to", Some(bob())),
            ("/frob x", Some(bob())),
            ("/cmd reboot n:int=x", Some(bob())),
        ] {
            assert!(
                matches!(parse_line(line, recipient.as_ref()), Line::Mistake(_)),
                "{line}"
            );
        }
    }
}
