//! `msync demo`, the main job: exits 0 with a transcript naming every step, in text and as
//! JSON lines whose facts add up.

mod common;

use common::run;
use serde_json::Value;

const STEPS: [&str; 10] = [
    "devserver",
    "login alice",
    "login bob",
    "text",
    "cmd",
    "custom",
    "group",
    "offline message",
    "socket replacement",
    "logout",
];

#[test]
fn the_demo_checks_out_and_names_every_step() {
    let outcome = run(&["demo"]);
    outcome.assert_code(0);
    let lines: Vec<&str> = outcome.stdout.lines().collect();
    assert!(lines[0].starts_with("msync demo:"), "{outcome:#?}");
    // `NN ok    MS ms  NAME  DETAIL`, one per step, in order.
    assert_eq!(lines.len(), STEPS.len() + 2, "{outcome:#?}");
    for (i, (line, step)) in lines[1..].iter().zip(STEPS).enumerate() {
        let (head, rest) = line.split_once(" ms  ").expect("a time column");
        let mut head = head.split_whitespace();
        assert_eq!(head.next(), Some((i + 1).to_string().as_str()), "{line}");
        assert_eq!(head.next(), Some("ok"), "{line}");
        assert!(
            head.next().is_some_and(|ms| ms.parse::<f64>().is_ok()),
            "{line}"
        );
        assert!(rest.starts_with(&format!("{step} ")), "{line}");
    }
    for fact in [
        "server.json -> REST token -> WebSocket -> PROVISION",
        "alice -> bob \"hello, bob 👋 你好\"",
        "bob -> alice cmd reboot",
        "custom alarm",
        "alice -> group ",
        "arrived at his next login",
        "50 sent, 50 acked once (50 distinct ids), 50 received once: 0 lost, 0 duplicated",
        "no session left",
    ] {
        assert!(outcome.stdout.contains(fact), "{fact}: {outcome:#?}");
    }
    assert!(
        lines
            .last()
            .is_some_and(|line| line.starts_with("all 10 steps checked out in ")),
        "{outcome:#?}"
    );
}

#[test]
fn json_transcript_over_tls() {
    let outcome = run(&["demo", "--json", "--tls", "--burst", "20"]);
    outcome.assert_code(0);
    let lines: Vec<Value> = outcome
        .stdout
        .lines()
        .map(|line| serde_json::from_str(line).expect("a JSON line"))
        .collect();
    assert_eq!(lines.len(), STEPS.len() + 1, "{outcome:#?}");
    for (i, (line, step)) in lines.iter().zip(STEPS).enumerate() {
        assert_eq!(line["step"], i + 1);
        assert_eq!(line["name"], step);
        assert_eq!(line["ok"], true, "{line}");
        assert!(line["ms"].as_f64().is_some_and(|ms| ms >= 0.0), "{line}");
    }
    assert!(
        lines[0]["data"]["ws_url"]
            .as_str()
            .is_some_and(|url| url.starts_with("wss://127.0.0.1:"))
    );
    let burst = &lines[8]["data"];
    assert_eq!(burst["sent"], 20);
    assert_eq!(burst["acked"], 20);
    assert_eq!(burst["received"], 20);
    assert_eq!(burst["lost"], 0);
    assert_eq!(burst["duplicated"], 0);
    assert!(
        burst["reconnects"]["alice"]
            .as_u64()
            .is_some_and(|n| n >= 1)
    );
    assert!(burst["reconnects"]["bob"].as_u64().is_some_and(|n| n >= 1));
    let text = &lines[3]["data"];
    assert_eq!(text["from"], "alice");
    assert_eq!(text["to"], "bob");
    assert_eq!(text["body"]["text"], "hello, bob 👋 你好");
    assert_eq!(text["ext"]["n"], 3);
    let last = lines.last().unwrap();
    assert_eq!(last["result"], "ok");
    assert_eq!(last["steps"], 10);
}

#[test]
fn a_burst_out_of_range_is_a_usage_error() {
    run(&["demo", "--burst", "0"]).assert_code(2);
    run(&["demo", "--burst", "1001"]).assert_code(2);
}
