//! `msync chat` driven through a pipe: lines typed are sent (to a user, then a group), messages
//! received are printed while it runs, `/`-commands switch the recipient, mistakes are
//! explained without ending the chat, and `/quit` or the end of input ends it.

mod common;

use common::server::{TestServer, json_lines, run_env, session_args, spawn};
use serde_json::{Value, json};

const PASSWORD: &str = "chat-pw-5d1e";

#[test]
fn piped_lines_are_sent_and_incoming_messages_printed() {
    let server = TestServer::start(&[("alice", PASSWORD), ("bob", PASSWORD)]);
    let group = server.group("alice", &["bob"]);
    let env = [("MSYNC_PASSWORD", PASSWORD)];
    let mut bob = spawn(
        &session_args(&server, "listen", "bob", &["--count", "3"]),
        &env,
    );
    bob.wait_stderr("online as bob");
    let mut chat = spawn(
        &session_args(&server, "chat", "alice", &["--to", "bob"]),
        &env,
    );
    chat.wait_stderr("online as alice, talking to bob");

    chat.write_line("hello bob 你好 👋");
    chat.wait_stdout("sent to bob: id ");
    chat.write_line("/cmd ping n:int=1");
    chat.write_line("/frobnicate");
    chat.wait_stderr("unknown command /frobnicate");
    chat.write_line(&format!("/group {group}"));
    chat.wait_stderr(&format!("talking to group {group}"));
    chat.write_line("//slash for the group");

    // A message to alice shows up while the chat runs.
    let reply = run_env(
        &session_args(&server, "send", "bob", &["--to", "alice", "reply 🎉"]),
        &env,
    );
    reply.assert_code(0);
    chat.wait_stdout("bob: reply 🎉");

    chat.write_line("/quit");
    let outcome = chat.finish();
    outcome.assert_code(0);
    let sent: Vec<&str> = outcome
        .stdout
        .lines()
        .filter(|line| line.starts_with("sent to "))
        .collect();
    assert_eq!(sent.len(), 3, "{outcome:#?}");
    assert!(sent[0].starts_with("sent to bob: id "), "{sent:?}");
    assert!(
        sent[2].starts_with(&format!("sent to {group}: id ")),
        "{sent:?}"
    );

    let received = bob.finish();
    received.assert_code(0);
    let messages = json_lines(&received.stdout);
    assert_eq!(messages.len(), 3, "{received:#?}");
    let ids: Vec<String> = sent
        .iter()
        .map(|line| line.rsplit_once("id ").unwrap().1.to_owned())
        .collect();
    assert_eq!(messages[0]["id"], ids[0]);
    assert_eq!(
        messages[0]["body"],
        json!({"type": "text", "text": "hello bob 你好 👋"})
    );
    assert_eq!(messages[0]["chat_type"], "single");
    assert_eq!(messages[1]["id"], ids[1]);
    assert_eq!(
        messages[1]["body"],
        json!({"type": "cmd", "action": "ping", "params": {"n": 1}})
    );
    assert_eq!(messages[2]["id"], ids[2]);
    assert_eq!(messages[2]["to"], group.as_str());
    assert_eq!(messages[2]["chat_type"], "group");
    assert_eq!(
        messages[2]["body"],
        json!({"type": "text", "text": "/slash for the group"})
    );
    for message in &messages {
        assert_eq!(message["from"], "alice");
    }
}

#[test]
fn json_events_and_the_end_of_input_waits_for_acknowledgements() {
    let server = TestServer::start(&[("alice", PASSWORD), ("bob", PASSWORD)]);
    let env = [("MSYNC_PASSWORD", PASSWORD)];
    let mut chat = spawn(
        &session_args(&server, "chat", "alice", &["--json", "--to", "bob"]),
        &env,
    );
    chat.wait_stderr("online as alice");
    for i in 0..5 {
        chat.write_line(&format!("line {i}"));
    }
    // A recipient that does not exist as a group: the server refuses, the chat goes on.
    chat.write_line("/group 404404");
    chat.write_line("nobody here");
    chat.close_stdin();
    let outcome = chat.finish();
    outcome.assert_code(1);
    assert!(
        outcome.stderr.contains("1 message(s) were not sent"),
        "{outcome:#?}"
    );
    let events = json_lines(&outcome.stdout);
    assert_eq!(events.len(), 6, "{outcome:#?}");
    for event in &events[..5] {
        assert_eq!(event["event"], "sent");
        assert_eq!(event["to"], "bob");
        assert_eq!(event["chat_type"], "single");
        assert!(event["id"].as_str().is_some_and(|id| !id.is_empty()));
    }
    assert_eq!(events[5]["event"], "send_failed");
    assert_eq!(events[5]["to"], "404404");
    assert_eq!(events[5]["chat_type"], "group");
    assert!(
        events[5]["error"]
            .as_str()
            .is_some_and(|e| e.contains("GroupNotFound")),
        "{events:#?}"
    );

    // bob, logging in afterwards, finds the five lines in order.
    let bob = run_env(
        &session_args(
            &server,
            "listen",
            "bob",
            &["--count", "5", "--timeout", "20"],
        ),
        &env,
    );
    bob.assert_code(0);
    let texts: Vec<Value> = json_lines(&bob.stdout)
        .iter()
        .map(|m| m["body"]["text"].clone())
        .collect();
    let expected: Vec<Value> = (0..5).map(|i| json!(format!("line {i}"))).collect();
    assert_eq!(texts, expected);
}
