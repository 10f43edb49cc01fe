//! The reliability checklist (after rumqttc's): heartbeats on an idle link and with traffic in
//! one direction only, half-open link detection, an outbox that blocks at capacity and
//! recovers, reconnecting after a failed connect, and re-sending unacknowledged messages first.

mod support;

use msync_core::session::{MessageId, OutgoingMessage, SendError, Session, TransportError};
use msync_core::time::Duration;
use support::*;

/// The time (offset from `NOW`) log index `index` was logged at, from the `clock` that
/// [`run_until`] records.
fn logged_at(clock: &[(usize, u64)], index: usize) -> u64 {
    clock
        .iter()
        .rev()
        .find(|(at, _)| *at <= index)
        .map_or(0, |(_, t)| *t)
}

/// Offsets (from `NOW`) of the UNREAD heartbeats transmitted after log index `from`.
fn heartbeat_times(h: &DefaultHarness<'_>, from: usize, clock: &[(usize, u64)]) -> Vec<u64> {
    h.log[from..]
        .iter()
        .enumerate()
        .filter_map(|(i, out)| match out {
            Out::Transmit { bytes, .. } => {
                let frames = client_frames(bytes);
                let is_unread = frames.iter().any(|f| {
                    (f.opcode == 1 || f.opcode == 2) && command_of(&f.msync()) == "UNREAD"
                });
                is_unread.then(|| logged_at(clock, from + i))
            }
            _ => None,
        })
        .collect()
}

/// Steps the clock to each of `times`, running `at_each` first; records when each log index
/// was produced.
fn run_until<F>(
    h: &mut DefaultHarness<'_>,
    times: impl IntoIterator<Item = u64>,
    mut at_each: F,
) -> Vec<(usize, u64)>
where
    F: FnMut(&mut DefaultHarness<'_>, u64),
{
    let mut clock = vec![(h.log.len(), 0)];
    for t in times {
        h.now = NOW + t;
        clock.push((h.log.len(), t));
        at_each(h, t);
        h.advance_to(t);
    }
    clock
}

#[test]
fn an_idle_link_heartbeats_on_time() {
    let config = vector_config();
    let mut h = harness(&config);
    let socket = go_online(&mut h);
    let from = h.log.len();
    // Each heartbeat is answered at the next 100 ms step; nothing else happens for ten
    // minutes.
    let mut seen = h.log.len();
    let clock = run_until(&mut h, (100..=600_000).step_by(100), |h, t| {
        let sent = h.log[seen..]
            .iter()
            .any(|out| matches!(out, Out::Transmit { .. }));
        if sent {
            h.reply(socket, &empty_unread_reply(NOW + t));
        }
        seen = h.log.len();
    });
    let times = heartbeat_times(&h, from, &clock);
    // 30 s after the later of the last frame and the last heartbeat: 30 s, then every 30.1 s.
    let expected: Vec<u64> = (0..20)
        .map(|n| 30_000 + n * 30_100)
        .filter(|&t| t <= 600_000)
        .collect();
    assert_eq!(times, expected);
    assert_eq!(h.session.state(), msync_core::session::State::Online);
}

#[test]
fn incoming_traffic_only_still_heartbeats() {
    let config = vector_config();
    let mut h = harness(&config);
    let socket = go_online(&mut h);
    let from = h.log.len();
    // The server talks every 10 s (UNREAD replies listing nothing); the client never sends
    // anything of its own.
    let clock = run_until(&mut h, (1_000..=300_000).step_by(1_000), |h, t| {
        if t % 10_000 == 0 {
            h.reply(socket, &empty_unread_reply(NOW + t));
        }
    });
    // Received frames postpone the heartbeat, but never past two intervals.
    let times = heartbeat_times(&h, from, &clock);
    assert_eq!(times, [60_000, 120_000, 180_000, 240_000, 300_000]);
}

#[test]
fn outgoing_traffic_only_still_heartbeats_and_a_half_open_link_is_detected() {
    let mut config = vector_config();
    config.timings.ack_timeout = Duration::from_secs(600);
    config.timings.send_deadline = None;
    let mut h = harness(&config);
    go_online(&mut h);
    let from = h.log.len();
    // The client sends every 8 s; nothing at all comes back (a half-open link).
    let clock = run_until(&mut h, (1_000..=66_000).step_by(1_000), |h, t| {
        if t % 8_000 == 0 && t < 65_000 {
            h.session
                .send(h.instant(), &OutgoingMessage::text("bob", "tick"))
                .unwrap();
        }
    });
    let times = heartbeat_times(&h, from, &clock);
    assert_eq!(times, [30_000, 60_000], "sends do not postpone heartbeats");
    let lines: Vec<String> = h.log[from..].iter().map(Out::describe).collect();
    let dead = lines
        .iter()
        .position(|l| l.contains("cause: DeadLink"))
        .expect("the dead link is detected");
    assert_eq!(lines[dead - 1], "Close #1");
    // Detected 65 s after the last received frame (the PROVISION reply at 0).
    assert_eq!(logged_at(&clock, from + dead), 65_000);
    // The eight sends survive and wait for the next connection.
    assert_eq!(h.session.pending_sends(), 8);
}

#[test]
fn the_outbox_blocks_at_capacity_and_recovers() {
    let config = vector_config();
    let session: Session<'_, Rng, 16384, 4096, 2, 4096, 128, 4> =
        Session::new(&config, Rng(1), at(0)).unwrap();
    let mut h = Harness::new(session);
    let socket = h.login();
    h.provision_ok(socket);
    let id = |n| MessageId::new(n).unwrap();
    let message = |n| OutgoingMessage::text("bob", "hello").with_id(id(n));
    h.session.send(at(0), &message(1)).unwrap();
    h.session.send(at(0), &message(2)).unwrap();
    assert_eq!(
        h.session.send(at(0), &message(3)),
        Err(SendError::OutboxFull { slots: 2 })
    );
    h.drain();
    // One ACK frees one slot: the blocked send goes through.
    h.reply(socket, &ack(1, 501));
    assert_eq!(h.session.send(at(0), &message(3)), Ok(id(3)));
    assert_eq!(
        h.session.send(at(0), &message(4)),
        Err(SendError::OutboxFull { slots: 2 })
    );
    let events: Vec<String> = h
        .lines()
        .into_iter()
        .filter(|l| l.starts_with("Event"))
        .collect();
    assert!(events.contains(&"Event SendAcked id=1 server_id=501 ts=1700000000000".to_owned()));
    assert_eq!(h.session.pending_sends(), 2);
}

#[test]
fn the_outbox_arena_reports_bytes_and_oversized_messages() {
    let config = vector_config();
    let session: Session<'_, Rng, 16384, 4096, 8, 160, 128, 4> =
        Session::new(&config, Rng(1), at(0)).unwrap();
    let mut h = Harness::new(session);
    let text = "x".repeat(60);
    h.session
        .send(at(0), &OutgoingMessage::text("bob", &text))
        .unwrap();
    assert!(matches!(
        h.session.send(at(0), &OutgoingMessage::text("bob", &text)),
        Err(SendError::OutboxBytesFull { free, .. }) if free < 160
    ));
    let huge = "x".repeat(400);
    assert!(matches!(
        h.session.send(at(0), &OutgoingMessage::text("bob", &huge)),
        Err(SendError::MessageTooLarge { capacity: 160, .. })
    ));
    // An empty session still drains: nothing is pending but the queued send.
    h.drain();
    assert_eq!(h.session.pending_sends(), 1);
}

#[test]
fn reconnects_after_a_failed_connect() {
    let config = vector_config();
    let mut h = harness(&config);
    let first = h.login();
    h.closed(first, TransportError::ConnectFailed);
    let second = h.last_open();
    assert_eq!(second.generation(), 2);
    h.provision_ok(second);
    assert_eq!(h.session.state(), msync_core::session::State::Online);
    assert!(h.lines().contains(&"Event Online".to_owned()));
}

#[test]
fn a_reconnect_resends_unacknowledged_messages_first() {
    let mut config = vector_config();
    config.options.statistic_information = false;
    let mut h = harness(&config);
    let old = go_online(&mut h);
    let id = |n| MessageId::new(n).unwrap();
    for n in 1..=3 {
        let message = OutgoingMessage::text("bob", "before").with_id(id(n));
        h.session.send(at(0), &message).unwrap();
    }
    h.drain();
    h.reply(old, &ack(2, 502));
    h.closed(old, TransportError::Reset);
    // Queued while offline.
    h.session
        .send(at(0), &OutgoingMessage::text("bob", "after").with_id(id(4)))
        .unwrap();
    h.advance_to(2_000);
    let new = h.last_open();
    h.accept_websocket(new);
    let from = h.log.len();
    h.reply(new, &vector("provision_reply_ok_down"));
    let sent: Vec<String> = h
        .msync_since(from)
        .iter()
        .map(|f| {
            let msync = f.msync();
            sent_id(&msync).map_or_else(|| command_of(&msync), |id| format!("send {id}"))
        })
        .collect();
    assert_eq!(sent, ["UNREAD", "send 1", "send 3", "send 4"]);
    for n in [1, 3, 4] {
        h.reply(new, &ack(n, 500 + n));
    }
    let acked: Vec<String> = h
        .lines()
        .into_iter()
        .filter(|l| l.starts_with("Event SendAcked"))
        .collect();
    assert_eq!(
        acked.len(),
        4,
        "each send acknowledged exactly once: {acked:?}"
    );
    assert_eq!(h.session.pending_sends(), 0);
}

#[test]
fn an_ack_timeout_replaces_the_socket_and_a_deadline_ends_the_send_once() {
    let mut config = vector_config();
    config.timings.send_deadline = Some(Duration::from_secs(40));
    let mut h = harness(&config);
    go_online(&mut h);
    let id = MessageId::new(7).unwrap();
    h.session
        .send(at(0), &OutgoingMessage::text("bob", "x").with_id(id))
        .unwrap();
    h.drain();
    h.advance_to(15_000);
    let lines = h.lines();
    assert!(lines.contains(&"Close #1".to_owned()));
    assert!(lines.iter().any(|l| l.contains("cause: AckTimeout")));
    // Reconnect, re-send, still no ACK; the overall deadline ends it.
    h.advance_to(17_000);
    let socket = h.last_open();
    h.provision_ok(socket);
    h.advance_to(40_000);
    let failures: Vec<String> = h
        .lines()
        .into_iter()
        .filter(|l| l.contains("SendFailed"))
        .collect();
    assert_eq!(failures, ["Event SendFailed id=7 TimedOut"]);
    h.reply(socket, &ack(7, 1));
    assert!(h.lines().iter().all(|l| !l.contains("SendAcked")));
}
