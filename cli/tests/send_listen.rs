//! `msync send` and `msync listen` against a devserver on 127.0.0.1: the JSON lines `listen`
//! prints (id, from, to, chat type, body, ext), every endpoint and credential form, typed
//! login and send errors with exit 1, usage errors with exit 2, and secrets that never show.

mod common;

use common::server::{APP, TestServer, json_lines, run_env, session_args as args, spawn};
use serde_json::json;

const ALICE_PASSWORD: &str = "alice-Secret-7f3a";
const BOB_PASSWORD: &str = "bob-Secret-91c2";

fn users() -> TestServer {
    TestServer::start(&[("alice", ALICE_PASSWORD), ("bob", BOB_PASSWORD)])
}

/// alice sends bob "hi" with `password` from the environment and `--log trace`.
fn send_logging_everything(server: &TestServer, password: &str) -> common::Outcome {
    run_env(
        &args(
            server,
            "send",
            "alice",
            &["--log", "trace", "--to", "bob", "hi"],
        ),
        &[("MSYNC_PASSWORD", password)],
    )
}

#[test]
fn listen_prints_the_two_messages_send_sent_as_json_lines() {
    let server = users();
    let mut listen = spawn(
        &args(
            &server,
            "listen",
            "bob",
            &["--count", "2", "--timeout", "30"],
        ),
        &[("MSYNC_PASSWORD", BOB_PASSWORD)],
    );
    listen.wait_stderr("online as bob");

    let alice = [("MSYNC_PASSWORD", ALICE_PASSWORD)];
    let text = "你好, bob 👋 — 第一条";
    let sent_text = run_env(
        &args(
            &server,
            "send",
            "alice",
            &[
                "--to",
                "bob",
                "--ext",
                "n:int=3",
                "--ext",
                "ok:bool=true",
                "--ext",
                "room=厨房 🍳",
                "--ext",
                r#"meta:json={"k":[1,2]}"#,
                "--ext",
                "ratio:double=0.5",
                text,
            ],
        ),
        &alice,
    );
    sent_text.assert_code(0);
    let text_id = sent_text.stdout.trim().to_owned();
    assert!(
        !text_id.is_empty() && text_id.bytes().all(|b| b.is_ascii_digit()),
        "send prints the server id: {sent_text:#?}"
    );

    let sent_cmd = run_env(
        &args(
            &server,
            "send",
            "alice",
            &[
                "--json",
                "--to",
                "bob",
                "--cmd",
                "reboot",
                "--field",
                "delay:int=5",
                "--field",
                "zone=kitchen",
            ],
        ),
        &alice,
    );
    sent_cmd.assert_code(0);
    let ack = sent_cmd.json();
    assert_eq!(ack["to"], "bob");
    assert_eq!(ack["chat_type"], "single");
    let cmd_id = ack["id"].as_str().expect("id string").to_owned();
    assert!(ack["client_id"].as_str().is_some_and(|id| !id.is_empty()));
    assert!(ack["timestamp"].as_u64().is_some_and(|t| t > 0));
    assert_ne!(cmd_id, text_id);

    let outcome = listen.finish();
    outcome.assert_code(0);
    let received = json_lines(&outcome.stdout);
    assert_eq!(received.len(), 2, "{outcome:#?}");
    let (first, second) = (&received[0], &received[1]);
    assert_eq!(first["id"], text_id);
    assert_eq!(first["from"], "alice");
    assert_eq!(first["to"], "bob");
    assert_eq!(first["chat_type"], "single");
    assert!(first["timestamp"].as_u64().is_some_and(|t| t > 0));
    assert_eq!(first["body"], json!({"type": "text", "text": text}));
    assert_eq!(
        first["ext"],
        json!({"n": 3, "ok": true, "room": "厨房 🍳", "meta": {"k": [1, 2]}, "ratio": 0.5})
    );
    assert_eq!(second["id"], cmd_id);
    assert_eq!(second["from"], "alice");
    assert_eq!(second["chat_type"], "single");
    assert_eq!(
        second["body"],
        json!({"type": "cmd", "action": "reboot", "params": {"delay": 5, "zone": "kitchen"}})
    );
    assert_eq!(second["ext"], json!({}));
    assert_eq!(second["timestamp"], ack["timestamp"]);
}

/// `send` as bob, on the resource bob listens with, leaves bob's queued message on the
/// server (it used to pull and acknowledge it, and the message was lost): the next `listen`
/// there receives it.
#[test]
fn send_leaves_the_senders_queued_messages_for_listen() {
    let server = users();
    let bob = [("MSYNC_PASSWORD", BOB_PASSWORD)];
    let phone = ["--resource", "phone"];
    // bob's listening device is known to the server, then offline.
    let known = run_env(
        &args(
            &server,
            "listen",
            "bob",
            &[&phone[..], &["--timeout", "1"]].concat(),
        ),
        &bob,
    );
    known.assert_code(0);
    let queued = run_env(
        &args(
            &server,
            "send",
            "alice",
            &["--to", "bob", "while you were out"],
        ),
        &[("MSYNC_PASSWORD", ALICE_PASSWORD)],
    );
    queued.assert_code(0);

    // ACKs held back: a `send` that took queued messages would have time to take them all.
    server
        .server()
        .update_faults(|faults| faults.ack_delay_ms = 1500);
    let reply = run_env(
        &args(
            &server,
            "send",
            "bob",
            &[&phone[..], &["--to", "alice", "on my way"]].concat(),
        ),
        &bob,
    );
    reply.assert_code(0);
    let held: usize = server
        .server()
        .queues(APP, "bob")
        .iter()
        .map(|q| q.items)
        .sum();
    assert_eq!(held, 1, "the server still holds bob's message");

    let listen = run_env(
        &args(
            &server,
            "listen",
            "bob",
            &[&phone[..], &["--count", "1", "--timeout", "20"]].concat(),
        ),
        &bob,
    );
    listen.assert_code(0);
    let received = json_lines(&listen.stdout);
    assert_eq!(received.len(), 1, "{listen:#?}");
    assert_eq!(received[0]["id"], queued.stdout.trim());
    assert_eq!(received[0]["from"], "alice");
    assert_eq!(
        received[0]["body"],
        json!({"type": "text", "text": "while you were out"})
    );
}

#[test]
fn group_custom_message_over_the_bootstrap_with_a_token() {
    let server = users();
    let group = server.group("alice", &["bob"]);
    let token = server.token("bob");
    // bob: --dns (server.json) and a token from the environment; --json changes nothing in
    // the lines.
    let base = server.server().base_url();
    let listen_args: Vec<String> = [
        "listen",
        "--json",
        "--dns",
        &base,
        "--app-key",
        APP,
        "--user",
        "bob",
        "--count",
        "1",
    ]
    .map(str::to_owned)
    .to_vec();
    let mut listen = spawn(&listen_args, &[("MSYNC_TOKEN", &token)]);
    listen.wait_stderr("online as bob");

    // alice: every account flag from the environment.
    let send_args: Vec<String> = [
        "send",
        "--dns",
        &base,
        "--to",
        &group,
        "--group",
        "--custom",
        "alarm",
        "--field",
        "level=high",
        "--field",
        "temp:float=21.5",
        "--ext",
        "seq:uint=7",
    ]
    .map(str::to_owned)
    .to_vec();
    let sent = run_env(
        &send_args,
        &[
            ("MSYNC_APP_KEY", APP),
            ("MSYNC_USER", "alice"),
            ("MSYNC_PASSWORD", ALICE_PASSWORD),
        ],
    );
    sent.assert_code(0);

    let outcome = listen.finish();
    outcome.assert_code(0);
    let received = json_lines(&outcome.stdout);
    assert_eq!(received.len(), 1, "{outcome:#?}");
    let message = &received[0];
    assert_eq!(message["id"], sent.stdout.trim());
    assert_eq!(message["from"], "alice");
    assert_eq!(message["to"], group.as_str());
    assert_eq!(message["chat_type"], "group");
    assert_eq!(
        message["body"],
        json!({"type": "custom", "event": "alarm", "exts": {"level": "high", "temp": 21.5}})
    );
    assert_eq!(message["ext"], json!({"seq": 7}));
}

#[test]
fn a_wrong_password_is_refused_with_the_typed_error_and_never_shown() {
    let server = users();
    let wrong = "Wr0ng-pa55word-Zq";
    let outcome = send_logging_everything(&server, wrong);
    outcome.assert_code(1);
    assert!(
        outcome
            .stderr
            .contains("login refused: InvalidPassword (invalid password)"),
        "{outcome:#?}"
    );
    assert!(!outcome.stdout.contains(wrong) && !outcome.stderr.contains(wrong));

    let unknown = run_env(
        &args(&server, "listen", "nobody", &["--count", "1"]),
        &[("MSYNC_PASSWORD", wrong)],
    );
    unknown.assert_code(1);
    assert!(unknown.stderr.contains("UserNotFound"), "{unknown:#?}");
}

#[test]
fn passwords_and_tokens_never_appear_in_output_or_logs() {
    let server = users();
    // A successful login and send with everything logged.
    let outcome = send_logging_everything(&server, ALICE_PASSWORD);
    outcome.assert_code(0);
    assert!(
        outcome.stderr.contains("TRACE") || outcome.stderr.contains("DEBUG"),
        "logs were on: {outcome:#?}"
    );
    assert!(!outcome.stdout.contains(ALICE_PASSWORD));
    assert!(!outcome.stderr.contains(ALICE_PASSWORD));

    // The same with --password on the command line, and a usage error after it.
    for (extra, code) in [
        (&["bob", "hi"][..], 0),
        (&["bob", "--field", "k=v", "hi"], 2),
    ] {
        let mut flags = vec!["--log", "trace", "--password", ALICE_PASSWORD, "--to"];
        flags.extend(extra);
        let outcome = run_env(&args(&server, "send", "alice", &flags), &[]);
        outcome.assert_code(code);
        assert!(!outcome.stdout.contains(ALICE_PASSWORD));
        assert!(!outcome.stderr.contains(ALICE_PASSWORD), "{outcome:#?}");
    }

    let token = server.token("bob");
    let outcome = run_env(
        &args(
            &server,
            "listen",
            "bob",
            &["--log", "trace", "--timeout", "1"],
        ),
        &[("MSYNC_TOKEN", &token)],
    );
    outcome.assert_code(0);
    assert!(!outcome.stdout.contains(&token) && !outcome.stderr.contains(&token));

    // Help names the variables but never their values.
    let help = run_env(
        &["send".to_owned(), "--help".to_owned()],
        &[("MSYNC_PASSWORD", ALICE_PASSWORD), ("MSYNC_TOKEN", &token)],
    );
    help.assert_code(0);
    assert!(help.stdout.contains("[env: MSYNC_PASSWORD]"), "{help:#?}");
    assert!(help.stdout.contains("[env: MSYNC_TOKEN]"), "{help:#?}");
    assert!(!help.stdout.contains(ALICE_PASSWORD) && !help.stdout.contains(&token));
}

#[test]
fn rejected_sends_exit_1_with_the_servers_reason() {
    let server = users();
    let group = server.group("bob", &[]);
    let alice = [("MSYNC_PASSWORD", ALICE_PASSWORD)];
    let outcome = run_env(
        &args(
            &server,
            "send",
            "alice",
            &["--to", &group, "--group", "let me in"],
        ),
        &alice,
    );
    outcome.assert_code(1);
    assert!(
        outcome.stderr.contains("the server rejected the message")
            && outcome.stderr.contains("NotMember"),
        "{outcome:#?}"
    );
    assert!(outcome.stdout.is_empty(), "{outcome:#?}");

    let too_large = "x".repeat(6000);
    let outcome = run_env(
        &args(&server, "send", "alice", &["--to", "bob", &too_large]),
        &alice,
    );
    outcome.assert_code(1);
    assert!(outcome.stderr.contains("TooLarge"), "{outcome:#?}");
}

#[test]
fn listen_timeouts() {
    let server = users();
    let bob = [("MSYNC_PASSWORD", BOB_PASSWORD)];
    // Without --count, the timeout is the end of a quiet listen.
    let quiet = run_env(&args(&server, "listen", "bob", &["--timeout", "1"]), &bob);
    quiet.assert_code(0);
    assert!(quiet.stdout.is_empty(), "{quiet:#?}");
    // With --count, arriving short is a failure.
    let short = run_env(
        &args(
            &server,
            "listen",
            "bob",
            &["--timeout", "1", "--count", "1"],
        ),
        &bob,
    );
    short.assert_code(1);
    assert!(short.stderr.contains("timed out"), "{short:#?}");
}

#[test]
fn an_unreachable_server_fails_after_the_connect_timeout() {
    // A port that was free a moment ago: connections are refused.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port();
    let rest = format!("http://127.0.0.1:{port}");
    let ws = format!("ws://127.0.0.1:{port}/websocket");
    let args: Vec<String> = [
        "send",
        "--rest",
        &rest,
        "--ws",
        &ws,
        "--app-key",
        APP,
        "--user",
        "alice",
        "--connect-timeout",
        "1",
        "--to",
        "bob",
        "hi",
    ]
    .map(str::to_owned)
    .to_vec();
    let outcome = run_env(&args, &[("MSYNC_PASSWORD", "pw")]);
    outcome.assert_code(1);
    assert!(
        outcome.stderr.contains("not online within 1 s"),
        "{outcome:#?}"
    );
}

#[test]
fn usage_errors_exit_2() {
    let server = users();
    let pw = [("MSYNC_PASSWORD", "pw")];
    let cases: Vec<(Vec<String>, &str)> = vec![
        // No endpoint.
        (
            ["send", "--app-key", APP, "--user", "a", "--to", "b", "hi"]
                .map(str::to_owned)
                .to_vec(),
            "say where to connect",
        ),
        // Two endpoints.
        (
            args(&server, "send", "a", &["--region", "cn1", "--to", "b", "x"]),
            "cannot be used with",
        ),
        (
            args(&server, "send", "a", &["--to", "b", "--field", "k=v", "x"]),
            "--field",
        ),
        (
            args(
                &server,
                "send",
                "a",
                &["--to", "b", "--ext", "n:int=x", "x"],
            ),
            "not a int",
        ),
        (args(&server, "send", "a", &["--to", "b"]), "TEXT"),
        (
            args(&server, "send", "a", &["--to", "b", "--cmd", "c", "text"]),
            "cannot be used",
        ),
        (
            args(&server, "listen", "a", &["--count", "x"]),
            "invalid value",
        ),
        (
            args(&server, "send", "a", &["--to", "b", "x"])
                .into_iter()
                .map(|arg| if arg == APP { "no-hash".into() } else { arg })
                .collect(),
            "app key",
        ),
    ];
    for (args, expected) in cases {
        let outcome = run_env(&args, &pw);
        outcome.assert_code(2);
        assert!(outcome.stderr.contains(expected), "{args:?}: {outcome:#?}");
    }
    // No password or token at all.
    let outcome = run_env(&args(&server, "send", "a", &["--to", "b", "x"]), &[]);
    outcome.assert_code(2);
    assert!(outcome.stderr.contains("--password"), "{outcome:#?}");
}
