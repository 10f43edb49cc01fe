//! `msync demo`: the project's main job. Starts the devserver in this process on a free
//! loopback port, logs two users in through the whole path and has them exchange every kind of
//! message, across a logout and dropped sockets; prints a transcript with timings and exits 0
//! only if every step checked out.

mod inbox;
mod scenario;
mod transcript;

use clap::Args;
use msync_tokio::{Attribute, AttributeValue, Outgoing};

use crate::CliError;
use crate::output::Output;
use scenario::{APP, Demo, Who};
use transcript::{Failed, Transcript};

/// The steps, for the transcript's count.
const STEPS: usize = 10;

/// Arguments of `msync demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Messages in the burst that the server drops both users' sockets in the middle of.
    #[arg(long, value_name = "N", default_value_t = 50,
          value_parser = clap::value_parser!(u16).range(1..=1000))]
    pub burst: u16,

    /// Serve HTTPS and wss with a self-signed certificate made at start, which the clients
    /// trust instead of the webpki roots.
    #[arg(long)]
    pub tls: bool,
}

/// Help after the flags: the steps and exit codes.
pub const AFTER_HELP: &str = "\
Steps (each checks what it claims, and the demo stops at the first that does not):
   1  start the devserver on 127.0.0.1 (a free port); register alice and bob on demo#iot
   2  log alice in: server.json bootstrap -> REST token (password) -> WebSocket -> PROVISION
   3  log bob in the same way
   4  text alice -> bob, with ext: bob receives it once, same id, sender, text and ext
   5  cmd bob -> alice (action and parameters)
   6  custom alice -> bob (event and fields)
   7  group: a group of alice and bob; alice's group message reaches bob
   8  offline: bob logs out, alice's message waits on the server, arrives at bob's next login
   9  socket replacement: bob sends a burst to alice while the server drops both sockets
      mid-stream; every send is acknowledged once and alice receives every message once
  10  both log out; no session left
Text: one line per step with its time in ms; --json: one JSON line per step
{\"step\", \"name\", \"ok\", \"ms\", \"detail\", \"data\"} and a last {\"result\", \"steps\", \"ms\"}.

Exit codes:
  0  every step checked out
  1  a step did not (the transcript says which and why)
  2  usage: a bad flag or value";

/// Runs `msync demo`.
pub async fn run(args: DemoArgs, output: Output) -> Result<(), CliError> {
    let intro = format!(
        "msync demo: alice and bob on app {APP}, through a devserver in this process{}",
        if args.tls { " (TLS)" } else { "" }
    );
    let mut transcript = Transcript::start(output, STEPS, &intro);
    let mut demo = None;
    let outcome = steps(
        &mut transcript,
        &mut demo,
        usize::from(args.burst),
        args.tls,
    )
    .await;
    transcript.finish(&outcome);
    if let Some(demo) = demo {
        demo.stop().await;
    }
    outcome.map_err(|failed| {
        CliError::failed(format!(
            "the demo stopped at step {} ({})",
            failed.step, failed.name
        ))
    })
}

/// Runs the steps in order; stops at the first that does not check out.
async fn steps(
    transcript: &mut Transcript,
    slot: &mut Option<Demo>,
    burst: usize,
    tls: bool,
) -> Result<(), Failed> {
    let demo = slot.insert(transcript.step_with("devserver", Demo::start(tls)).await?);
    transcript
        .step("login alice", demo.login(Who::Alice))
        .await?;
    transcript.step("login bob", demo.login(Who::Bob)).await?;
    let text = Outgoing::text("bob", "hello, bob 👋 你好")
        .with_ext(Attribute::string("room", "kitchen"))
        .with_ext(Attribute::int("n", 3));
    transcript
        .step("text", demo.exchange(Who::Alice, text))
        .await?;
    let cmd = Outgoing::command("alice", "reboot", vec![Attribute::int("delay_s", 5)]);
    transcript.step("cmd", demo.exchange(Who::Bob, cmd)).await?;
    let custom = Outgoing::custom(
        "bob",
        "alarm",
        vec![
            Attribute::string("level", "high"),
            Attribute::new("celsius", AttributeValue::Double(71.5)),
        ],
    );
    transcript
        .step("custom", demo.exchange(Who::Alice, custom))
        .await?;
    transcript.step("group", demo.group_message()).await?;
    transcript
        .step("offline message", demo.offline_message())
        .await?;
    transcript
        .step("socket replacement", demo.burst_through_socket_loss(burst))
        .await?;
    transcript.step("logout", demo.logout()).await
}
