//! `--help` on the tool and every subcommand, and clap's usage errors.

mod common;

use common::run;

#[test]
fn every_subcommand_has_help_with_exit_codes() {
    for args in [
        &["--help"][..],
        &["decode", "--help"],
        &["domains", "--help"],
        &["devserver", "--help"],
        &["demo", "--help"],
        &["send", "--help"],
        &["listen", "--help"],
        &["chat", "--help"],
        &["help", "decode"],
    ] {
        let outcome = run(args);
        outcome.assert_code(0);
        assert!(
            outcome.stdout.contains("Usage: msync"),
            "{args:?}: {}",
            outcome.stdout
        );
        assert!(
            outcome.stdout.contains("Exit codes:"),
            "{args:?}: {}",
            outcome.stdout
        );
    }
    let decode = run(&["decode", "--help"]).stdout;
    for topic in [
        "--alipay",
        "--direction",
        "payload_decoded",
        "encrypt_type",
        "  2  usage",
    ] {
        assert!(decode.contains(topic), "{topic} in {decode}");
    }
    let devserver = run(&["devserver", "--help"]).stdout;
    for flag in [
        "--listen",
        "--tls",
        "--cert-path",
        "--strict",
        "--app",
        "--user",
    ] {
        assert!(devserver.contains(flag), "{flag} in {devserver}");
    }
    let send = run(&["send", "--help"]).stdout;
    for topic in [
        "--region",
        "--platform",
        "--dns",
        "--rest",
        "--ws",
        "--app-key",
        "--app-id",
        "--user",
        "--password",
        "--token",
        "--resource",
        "--to",
        "--group",
        "--chat-room",
        "--cmd",
        "--custom",
        "--ext",
        "n:int=3",
        "[env: MSYNC_PASSWORD]",
        "Examples:",
    ] {
        assert!(send.contains(topic), "{topic} in {send}");
    }
    let listen = run(&["listen", "--help"]).stdout;
    for topic in ["--count", "--timeout", "\"chat_type\"", "\"body\""] {
        assert!(listen.contains(topic), "{topic} in {listen}");
    }
    let chat = run(&["chat", "--help"]).stdout;
    for topic in ["/to USER", "/group ID", "/quit", "--json"] {
        assert!(chat.contains(topic), "{topic} in {chat}");
    }
    let demo = run(&["demo", "--help"]).stdout;
    for topic in ["--burst", "--tls", "socket replacement", "offline"] {
        assert!(demo.contains(topic), "{topic} in {demo}");
    }
}

#[test]
fn unknown_subcommands_and_flags_are_usage_errors() {
    run(&["frobnicate"]).assert_code(2);
    run(&["decode", "--frobnicate", "4000"]).assert_code(2);
    run(&[]).assert_code(2);
}

#[test]
fn version() {
    let outcome = run(&["--version"]);
    outcome.assert_code(0);
    assert!(outcome.stdout.starts_with("msync "), "{}", outcome.stdout);
}
