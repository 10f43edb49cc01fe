//! End to end, tokio client against the devserver on 127.0.0.1: server restarts, killed
//! sockets and lost ACKs in the middle of a stream of messages, with every message accounted
//! for: each send ends acknowledged exactly once, and the receiver gets each message exactly
//! once.

mod common;

use std::collections::HashSet;
use std::time::Duration;

use common::{PASSWORD, config, messages, no_more_messages, online_with, plain_server, within};
use msync_devserver::{Config, RunningServer};
use msync_tokio::msync_core::time;
use msync_tokio::{ClientConfig, ClientEvent, ConnectionState, Credential, Timings};

/// Messages in the stream.
const N: usize = 60;
/// Between two sends.
const PACE: Duration = Duration::from_millis(15);

/// A client that notices a lost ACK within a second (instead of the protocol's 15 s).
fn impatient(server: &RunningServer, user: &str) -> ClientConfig {
    config(server, user, Credential::password(PASSWORD)).with_timings(Timings {
        ack_timeout: time::Duration::from_secs(1),
        ..Timings::DEFAULT
    })
}

#[tokio::test]
async fn restarts_and_killed_sockets_lose_and_duplicate_nothing() {
    stream_through_faults(plain_server(&["alice", "bob"]).await).await;
}

#[tokio::test]
async fn restarts_and_killed_sockets_over_tls_lose_and_duplicate_nothing() {
    let server = common::server(Config::new().tls(true), &["alice", "bob"]).await;
    assert!(server.ws_url().starts_with("wss://"));
    stream_through_faults(server).await;
}

/// Alice streams [`N`] messages to bob while the server kills sockets, restarts twice and
/// drops ACKs; checks that each send ended acknowledged once and bob got each message once.
async fn stream_through_faults(server: RunningServer) {
    let (alice, mut alice_events) = online_with(impatient(&server, "alice")).await;
    let (_bob, mut bob_events) = online_with(impatient(&server, "bob")).await;

    // Every send in flight at once, paced so that the faults below land mid-stream.
    let sender = tokio::spawn({
        let alice = alice.clone();
        async move {
            let mut sends = tokio::task::JoinSet::new();
            for i in 0..N {
                let alice = alice.clone();
                sends.spawn(async move { (i, alice.send_text("bob", format!("m{i}")).await) });
                tokio::time::sleep(PACE).await;
            }
            let mut acks = Vec::new();
            while let Some(joined) = sends.join_next().await {
                acks.push(joined.expect("send task"));
            }
            acks
        }
    });

    let chaos = async {
        tokio::time::sleep(PACE * 6).await;
        // Alice's socket drops (no close frame) a few frames later.
        server.update_faults(|f| {
            f.close_after_frames.insert("alice".into(), 3);
        });
        tokio::time::sleep(PACE * 8).await;
        // The whole server goes away and comes back with its state.
        server.restart(Duration::from_millis(300)).await.unwrap();
        tokio::time::sleep(PACE * 8).await;
        // Bob's socket drops mid-batch; two ACKs are lost (re-sends must get the same ids).
        server.update_faults(|f| {
            f.close_after_frames.insert("bob".into(), 4);
            f.drop_acks = 2;
        });
        tokio::time::sleep(PACE * 10).await;
        server.restart(Duration::from_millis(100)).await.unwrap();
    };
    let (acks, ()) = within(async { tokio::join!(sender, chaos) }).await;
    let acks = acks.unwrap();

    // Every send ended once, acknowledged, with its own server id.
    assert_eq!(acks.len(), N);
    let mut ids = HashSet::new();
    for (i, result) in &acks {
        let ack = result
            .as_ref()
            .unwrap_or_else(|error| panic!("m{i} failed: {error}"));
        assert!(ids.insert(ack.server_id), "m{i} shares a server id");
    }

    // Bob got each message exactly once.
    let received = messages(&mut bob_events, N).await;
    let texts: HashSet<String> = received
        .iter()
        .map(|m| m.text().unwrap().to_owned())
        .collect();
    let expected: HashSet<String> = (0..N).map(|i| format!("m{i}")).collect();
    assert_eq!(texts, expected);
    let received_ids: HashSet<u64> = received.iter().map(|m| m.server_id).collect();
    assert_eq!(received_ids, ids);
    no_more_messages(&mut bob_events, Duration::from_millis(500)).await;

    // The faults really happened: alice lost her connection at least twice.
    let mut reconnects = 0;
    while let Some(event) = alice_events.try_recv() {
        if let ClientEvent::State(ConnectionState::Reconnecting { .. }) = event {
            reconnects += 1;
        }
    }
    assert!(reconnects >= 2, "alice reconnected {reconnects} times");
    assert!(server.faults().close_after_frames.is_empty());
    assert_eq!(server.faults().drop_acks, 0);
}

#[tokio::test]
async fn a_lost_ack_is_recovered_by_a_resend_with_the_same_id() {
    let server = plain_server(&["alice", "bob"]).await;
    let (alice, mut alice_events) = online_with(impatient(&server, "alice")).await;
    let (bob, mut bob_events) = online_with(impatient(&server, "bob")).await;
    // Both logins' own frames (the STATISTIC meta after login) are acknowledged before the
    // fault: each has had a send acknowledged after them.
    within(alice.send_text("bob", "warm up")).await.unwrap();
    within(bob.send_text("alice", "warm up")).await.unwrap();
    assert_eq!(
        messages(&mut bob_events, 1).await[0].text(),
        Some("warm up")
    );
    server.update_faults(|f| f.drop_acks = 1);

    let ack = within(alice.send_text("bob", "ack me")).await.unwrap();
    let cause = common::wait_for(&mut alice_events, |e| match e {
        ClientEvent::State(ConnectionState::Reconnecting { cause, .. }) => Some(*cause),
        _ => None,
    })
    .await;
    assert_eq!(cause, msync_tokio::Disconnect::AckTimeout);
    // The server stored the message once; the re-send got the original server id.
    let received = messages(&mut bob_events, 1).await;
    assert_eq!(received[0].server_id, ack.server_id);
    assert_eq!(received[0].text(), Some("ack me"));
    no_more_messages(&mut bob_events, Duration::from_millis(500)).await;
}
