//! Bad input never takes the server down for other clients: garbage frames, bad base64,
//! unknown commands, oversized frames, malformed bodies and mutated golden frames each get an
//! error status or a close, and a bystander keeps working throughout.

mod support;

use msync_devserver::Config;
use msync_devserver::pb::{MSync, m_sync::Command};
use prost::Message as _;
use support::*;
use tokio_tungstenite::tungstenite::Message;

async fn bystander_still_works(
    server: &msync_devserver::RunningServer,
    bob: &mut Client<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>,
) {
    assert_eq!(
        error_code(bob.unread().await.status.as_ref()).0,
        0,
        "bob is unaffected"
    );
    let mut fresh = login(server, "alice", "fresh").await;
    assert_eq!(
        error_code(fresh.unread().await.status.as_ref()).0,
        0,
        "new logins work"
    );
}

#[tokio::test]
async fn undecodable_frames_close_only_their_own_connection() {
    let server = start(Config::new().max_frame_bytes(4096)).await;
    users(&server, &["alice", "bob"]);
    let mut bob = login(&server, "bob", "b1").await;

    let unknown_command = MSync {
        command: Some(9),
        ..MSync::default()
    }
    .encode_to_vec();
    let client_notice = envelope(Command::Notice, None).encode_to_vec();
    let compressed = MSync {
        compress_algorimth: Some(1),
        ..unread()
    }
    .encode_to_vec();
    let cases: Vec<(Message, u16)> = vec![
        (Message::binary(vec![0xff; 32]), 1007),
        (Message::binary(vec![0x0a, 0xff, 0xff]), 1007),
        (Message::text("this is not base64!"), 1007),
        (Message::binary(unknown_command), 1008),
        (Message::binary(client_notice), 1008),
        (Message::binary(compressed), 1003),
    ];
    for (message, code) in cases {
        let mut attacker = login(&server, "alice", "a1").await;
        attacker.send_message(message.clone()).await;
        match attacker.closed().await {
            (frames, Closed::Code(got, _)) => {
                assert!(frames.is_empty(), "{message:?}: no reply, just a close");
                assert_eq!(got, code, "{message:?}");
            }
            other => panic!("{message:?}: expected a close frame, got {other:?}"),
        }
    }
    // Over the frame size limit: the connection is closed, whatever the content.
    let mut attacker = connect(&server).await;
    attacker
        .send_message(Message::binary(vec![0u8; 10_000]))
        .await;
    let (frames, _) = attacker.closed().await;
    assert!(frames.is_empty());
    bystander_still_works(&server, &mut bob).await;
    let undecodable = server
        .frames()
        .iter()
        .filter(|f| f.command == "UNDECODABLE")
        .count();
    assert_eq!(undecodable, 3, "garbage is logged");
}

#[tokio::test]
async fn malformed_bodies_get_pb_parser_error_and_the_connection_stays() {
    let server = start(Config::new()).await;
    users(&server, &["alice", "bob"]);
    let mut bob = login(&server, "bob", "b1").await;
    let mut alice = login(&server, "alice", "a1").await;
    alice
        .send(&envelope(Command::Sync, Some(vec![0x0a, 0x05, 0x01])))
        .await;
    assert_eq!(
        error_code(sync_dl(&alice.recv().await).status.as_ref()).0,
        10,
        "PB_PARSER_ERROR"
    );
    // A CHAT meta whose body is not a MessageBody.
    let meta = msync_devserver::pb::Meta {
        id: Some(3),
        to: Some(jid("bob", USER_DOMAIN)),
        ns: Some(1),
        payload: Some(vec![0x22, 0x09, 0xff]),
        ..Default::default()
    };
    let body = msync_devserver::pb::CommSyncUl {
        meta: Some(meta),
        ..Default::default()
    };
    alice
        .send(&envelope(Command::Sync, Some(body.encode_to_vec())))
        .await;
    let refused = sync_dl(&alice.recv().await);
    assert_eq!(
        (refused.meta_id, error_code(refused.status.as_ref()).0),
        (Some(3), 10)
    );
    let mut anon = connect(&server).await;
    anon.send(&envelope(Command::Provision, Some(vec![0x42, 0x7f])))
        .await;
    assert_eq!(
        error_code(provision_reply(&anon.recv().await).status.as_ref()).0,
        10
    );
    assert_eq!(
        error_code(alice.unread().await.status.as_ref()).0,
        0,
        "alice carries on"
    );
    bystander_still_works(&server, &mut bob).await;
}

/// Every golden up frame with bytes flipped, cut short or extended: the server answers or
/// closes, and never falls over. Deterministic (a fixed linear congruential sequence).
#[tokio::test]
async fn mutated_golden_frames_never_take_the_server_down() {
    let server = start(Config::new()).await;
    users(&server, &["alice", "bob", "carol"]);
    server.insert_token(APP, "alice", "TOKEN", None).unwrap();
    // carol is the bystander: the vectors message bob, whose NOTICEs would interleave.
    let mut carol = login(&server, "carol", "c1").await;
    let originals: Vec<Vec<u8>> = [
        "provision_up",
        "unread_up",
        "statistic_information_up",
        "text_single_up",
        "text_group_up",
        "sync_pull_up",
        "sync_key_ack_up",
        "logout_up",
    ]
    .iter()
    .map(|n| vector(n))
    .collect();
    let mut seed: u64 = 0x5eed;
    let mut next = move || {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) as usize
    };
    let mut client = connect(&server).await;
    client.send_bytes(vector("provision_up")).await;
    client.recv().await;
    let mut closes = 0;
    for round in 0..150 {
        let mut frame = originals[next() % originals.len()].clone();
        match next() % 3 {
            0 => {
                for _ in 0..1 + next() % 4 {
                    let at = next() % frame.len();
                    frame[at] ^= 1 << (next() % 8);
                }
            }
            1 => frame.truncate(next() % frame.len()),
            _ => frame.extend((0..next() % 16).map(|_| next() as u8)),
        }
        client.send_message(Message::binary(frame)).await;
        // Answered, or closed: either is fine; silence until the next frame is fine too.
        let answered = tokio::time::timeout(std::time::Duration::from_millis(50), async {
            client.recv_or_close().await
        })
        .await;
        if let Ok(None) = answered {
            closes += 1;
            client = connect(&server).await;
            client.send_bytes(vector("provision_up")).await;
            client.recv().await;
        }
        if round % 50 == 0 {
            assert_eq!(error_code(carol.unread().await.status.as_ref()).0, 0);
        }
    }
    assert!(closes > 0, "some mutations are garbage");
    bystander_still_works(&server, &mut carol).await;
}
