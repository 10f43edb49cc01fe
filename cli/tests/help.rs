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
