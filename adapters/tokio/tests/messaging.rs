//! End to end, tokio client against the devserver on 127.0.0.1: sending (1:1, group, chat room,
//! every content kind), ACKs, receipt on another client, offline messages, refusals.

mod common;

use std::collections::HashSet;
use std::time::Duration;

use common::{
    APP, PASSWORD, config, messages, next_message, no_more_messages, online, online_with,
    plain_server, within,
};
use msync_devserver::RoomSpec;
use msync_tokio::{
    Attribute, AttributeValue, ChatType, ChatroomPriority, Content, Credential, Outgoing, Receive,
    Recipients, RejectReason, SendError,
};

/// How long "nothing more arrives" is watched for.
const QUIET: Duration = Duration::from_millis(300);

fn room(owner: &str, members: &[&str]) -> RoomSpec {
    RoomSpec {
        name: "room".into(),
        owner: owner.into(),
        members: members.iter().map(|m| (*m).to_owned()).collect(),
        public: true,
    }
}

#[tokio::test]
async fn one_to_one_text_is_acked_and_received_once() {
    let server = plain_server(&["alice", "bob"]).await;
    let (alice, _alice_events) = online(&server, "alice").await;
    let (_bob, mut bob_events) = online(&server, "bob").await;

    let ack = within(alice.send_text("bob", "hello bob")).await.unwrap();
    assert!(ack.server_id > 0);
    assert!(ack.timestamp > 0);

    let message = next_message(&mut bob_events).await;
    assert_eq!(message.server_id, ack.server_id);
    assert_eq!(message.from, "alice");
    assert_eq!(message.to, "bob");
    assert_eq!(message.chat, ChatType::Single);
    assert_eq!(message.text(), Some("hello bob"));
    assert!(message.timestamp > 0);
    no_more_messages(&mut bob_events, QUIET).await;
}

#[tokio::test]
async fn group_message_reaches_every_other_member() {
    let server = plain_server(&["alice", "bob", "carol", "dave"]).await;
    let group = server
        .create_group(APP, room("alice", &["bob", "carol"]))
        .unwrap();
    let (alice, _alice_events) = online(&server, "alice").await;
    let (_bob, mut bob_events) = online(&server, "bob").await;
    let (_carol, mut carol_events) = online(&server, "carol").await;
    let (_dave, mut dave_events) = online(&server, "dave").await;

    let ack = within(alice.send(Outgoing::text(&group, "hi team").group()))
        .await
        .unwrap();
    for events in [&mut bob_events, &mut carol_events] {
        let message = next_message(events).await;
        assert_eq!(message.server_id, ack.server_id);
        assert_eq!(message.chat, ChatType::Group);
        assert_eq!(message.from, "alice");
        assert_eq!(message.to, group);
        assert_eq!(message.text(), Some("hi team"));
    }
    no_more_messages(&mut dave_events, QUIET).await;
}

#[tokio::test]
async fn directed_group_message_reaches_only_the_named_members() {
    let server = plain_server(&["alice", "bob", "carol"]).await;
    let group = server
        .create_group(APP, room("alice", &["bob", "carol"]))
        .unwrap();
    let (alice, _alice_events) = online(&server, "alice").await;
    let (_bob, mut bob_events) = online(&server, "bob").await;
    let (_carol, mut carol_events) = online(&server, "carol").await;

    let message = Outgoing::text(&group, "just bob")
        .group()
        .with_route(Recipients::Only(vec!["bob".into()]));
    let ack = within(alice.send(message)).await.unwrap();
    assert_eq!(next_message(&mut bob_events).await.server_id, ack.server_id);
    no_more_messages(&mut carol_events, QUIET).await;
}

#[tokio::test]
async fn chat_room_message_is_acked_and_received() {
    let server = plain_server(&["alice", "bob"]).await;
    let room_id = server
        .create_chat_room(APP, room("alice", &["bob"]))
        .unwrap();
    let (alice, _alice_events) = online(&server, "alice").await;
    let (_bob, mut bob_events) = online(&server, "bob").await;

    let message = Outgoing::text(&room_id, "room news")
        .chat_room()
        .with_priority(ChatroomPriority::High);
    let ack = within(alice.send(message)).await.unwrap();
    let received = next_message(&mut bob_events).await;
    assert_eq!(received.server_id, ack.server_id);
    assert_eq!(received.chat, ChatType::ChatRoom);
    assert_eq!(received.to, room_id);
    assert_eq!(received.text(), Some("room news"));
}

#[tokio::test]
async fn command_custom_location_and_ext_round_trip() {
    let server = plain_server(&["alice", "bob"]).await;
    let (alice, _alice_events) = online(&server, "alice").await;
    let (_bob, mut bob_events) = online(&server, "bob").await;

    let params = vec![
        Attribute::string("zone", "kitchen"),
        Attribute::int("level", 3),
    ];
    within(alice.send_cmd("bob", "reboot", params.clone()))
        .await
        .unwrap();
    let exts = vec![
        Attribute::bool("urgent", true),
        Attribute::double("reading", 41.5),
    ];
    within(alice.send_custom("bob", "alarm", exts.clone()))
        .await
        .unwrap();
    within(alice.send_location("bob", 31.2304, 121.4737, "Shanghai"))
        .await
        .unwrap();
    let ext = vec![
        Attribute::string("severity", "high"),
        Attribute::int("count", -12),
        Attribute::new("big", AttributeValue::UInt(u64::MAX)),
        Attribute::new("ratio", AttributeValue::Float(0.25)),
        Attribute::json("meta", r#"{"a":[1,2]}"#),
    ];
    let mut with_ext = Outgoing::text("bob", "with attributes");
    with_ext.ext = ext.clone();
    within(alice.send(with_ext)).await.unwrap();

    let received = messages(&mut bob_events, 4).await;
    assert_eq!(
        received[0].content,
        Content::Command {
            action: "reboot".into(),
            params
        }
    );
    assert_eq!(
        received[1].content,
        Content::Custom {
            event: "alarm".into(),
            exts
        }
    );
    assert_eq!(
        received[2].content,
        Content::Location {
            latitude: 31.2304,
            longitude: 121.4737,
            address: "Shanghai".into()
        }
    );
    assert_eq!(received[3].text(), Some("with attributes"));
    assert_eq!(received[3].ext, ext);
    assert_eq!(
        received[3].ext("severity").map(|a| &a.value),
        Some(&AttributeValue::String("high".into()))
    );
}

#[tokio::test]
async fn offline_messages_arrive_at_login_in_order() {
    let server = plain_server(&["alice", "bob"]).await;
    let (alice, _alice_events) = online(&server, "alice").await;
    let mut acks = Vec::new();
    for i in 0..5 {
        acks.push(
            within(alice.send_text("bob", format!("offline {i}")))
                .await
                .unwrap(),
        );
    }
    let queued: usize = server.queues(APP, "bob").iter().map(|q| q.items).sum();
    assert_eq!(queued, 5, "the server holds bob's messages");

    let (_bob, mut bob_events) = online(&server, "bob").await;
    let received = messages(&mut bob_events, 5).await;
    for (i, (message, ack)) in received.iter().zip(&acks).enumerate() {
        assert_eq!(message.server_id, ack.server_id);
        assert_eq!(message.text(), Some(format!("offline {i}").as_str()));
    }
    no_more_messages(&mut bob_events, QUIET).await;
}

/// A send-only client on bob's own resource neither pulls nor acknowledges: the messages
/// queued before it logged in and the one that arrives while it is online all stay on the
/// server, and bob's next receiving login on that resource gets them.
#[tokio::test]
async fn a_send_only_client_leaves_every_queued_message_on_the_server() {
    let server = plain_server(&["alice", "bob"]).await;
    let (alice, mut alice_events) = online(&server, "alice").await;
    let mut acks = Vec::new();
    for i in 0..2 {
        acks.push(
            within(alice.send_text("bob", format!("queued {i}")))
                .await
                .unwrap(),
        );
    }
    let send_only =
        config(&server, "bob", Credential::password(PASSWORD)).with_receive(Receive::Nothing);
    let (sender, mut sender_events) = online_with(send_only).await;
    // Announced by a NOTICE to the online send-only client.
    acks.push(
        within(alice.send_text("bob", "while online"))
            .await
            .unwrap(),
    );
    let reply = within(sender.send_text("alice", "from bob's sender"))
        .await
        .unwrap();
    assert_eq!(
        next_message(&mut alice_events).await.server_id,
        reply.server_id
    );
    no_more_messages(&mut sender_events, QUIET).await;
    within(sender.logout()).await.unwrap();
    let queued: usize = server.queues(APP, "bob").iter().map(|q| q.items).sum();
    assert_eq!(queued, 3, "the server still holds bob's messages");

    let (_bob, mut bob_events) = online(&server, "bob").await;
    let received = messages(&mut bob_events, 3).await;
    let ids: Vec<u64> = received.iter().map(|m| m.server_id).collect();
    let sent: Vec<u64> = acks.iter().map(|a| a.server_id).collect();
    assert_eq!(ids, sent);
    no_more_messages(&mut bob_events, QUIET).await;
}

#[tokio::test]
async fn many_sends_in_flight_are_each_acked_once() {
    let server = plain_server(&["alice", "bob"]).await;
    let (alice, _alice_events) = online(&server, "alice").await;
    let (_bob, mut bob_events) = online(&server, "bob").await;

    // More than the outbox holds (32): the rest wait their turn.
    const N: usize = 80;
    let mut sends = tokio::task::JoinSet::new();
    for i in 0..N {
        let alice = alice.clone();
        sends.spawn(async move { (i, alice.send_text("bob", format!("burst {i}")).await) });
    }
    let mut server_ids = HashSet::new();
    while let Some(joined) = within(sends.join_next()).await {
        let (i, result) = joined.unwrap();
        let ack = result.unwrap_or_else(|error| panic!("send {i} failed: {error}"));
        assert!(server_ids.insert(ack.server_id), "duplicate server id");
    }
    assert_eq!(server_ids.len(), N);

    let received = messages(&mut bob_events, N).await;
    let received_ids: HashSet<u64> = received.iter().map(|m| m.server_id).collect();
    assert_eq!(
        received_ids, server_ids,
        "each message arrives exactly once"
    );
    no_more_messages(&mut bob_events, QUIET).await;
}

#[tokio::test]
async fn refusals_are_typed() {
    let server = plain_server(&["alice", "bob"]).await;
    let (alice, _alice_events) = online(&server, "alice").await;

    let group = within(alice.send(Outgoing::text("no-such-group", "x").group())).await;
    assert!(
        matches!(
            &group,
            Err(SendError::Rejected {
                reason: RejectReason::GroupNotFound,
                ..
            })
        ),
        "{group:?}"
    );
    let user = within(alice.send_text("nobody", "x")).await;
    assert!(
        matches!(
            &user,
            Err(SendError::Rejected {
                reason: RejectReason::UserNotFound,
                ..
            })
        ),
        "{user:?}"
    );
    let large = within(alice.send_text("bob", "x".repeat(6000))).await;
    assert!(
        matches!(
            &large,
            Err(SendError::Rejected {
                reason: RejectReason::TooLarge,
                ..
            })
        ),
        "{large:?}"
    );
    let empty = within(alice.send_text("", "x")).await;
    assert_eq!(
        empty,
        Err(SendError::Refused(
            msync_tokio::msync_core::session::SendError::EmptyRecipient
        ))
    );
    // The session is still fine.
    within(alice.send_text("bob", "still here")).await.unwrap();
}
