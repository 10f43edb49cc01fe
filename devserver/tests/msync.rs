//! msync over real sockets: login, send and ACK, NOTICE -> pull -> batch -> key ack, groups,
//! chat rooms, offline delivery, deduplication, multi-device, kicks, logout, text frames.

mod support;

use std::time::Duration;

use msync_devserver::pb::{CommSyncUl, Meta, m_sync::Command};
use msync_devserver::{Config, RoomSpec};
use prost::Message as _;
use support::*;

/// The golden frames of the vectors, replayed verbatim by `alice` with the token `TOKEN`.
#[tokio::test]
async fn golden_session_replays_against_the_server() {
    let server = start(Config::new()).await;
    users(&server, &["alice", "bob"]);
    server.insert_token(APP, "alice", "TOKEN", None).unwrap();
    let mut bob = login(&server, "bob", "bob-phone").await;

    let mut alice = connect(&server).await;
    alice.send_bytes(vector("provision_up")).await;
    let reply = provision_reply(&alice.recv().await);
    assert_eq!(error_code(reply.status.as_ref()), (0, String::new()));
    assert_eq!(reply.resource.as_deref(), Some("webim_zfb_1700000000000"));
    assert_eq!(reply.session_id.as_deref(), Some("1700000000000:"));
    let token: serde_json::Value = serde_json::from_slice(&reply.auth_token.unwrap()).unwrap();
    assert_eq!(token["token"], "TOKEN");
    assert!(
        token["expires_in"].as_u64().unwrap() > 1_700_000_000_000,
        "absolute ms"
    );
    assert!(reply.protocol_compress_type.is_empty(), "no LZ4 selected");

    alice.send_bytes(vector("unread_up")).await;
    let unread = unread_dl(&alice.recv().await);
    assert_eq!(error_code(unread.status.as_ref()).0, 0);
    assert!(unread.unread.is_empty());
    assert!(unread.timestamp.unwrap() > 1_700_000_000_000);

    alice.send_bytes(vector("statistic_information_up")).await;
    let ack = sync_dl(&alice.recv().await);
    assert_eq!(
        ack.meta_id,
        Some(1_700_000_000_000),
        "the STATISTIC meta is acknowledged"
    );
    assert!(ack.server_id.unwrap() > 0);

    alice.send_bytes(vector("text_single_up")).await;
    let ack = sync_dl(&alice.recv().await);
    assert_eq!(error_code(ack.status.as_ref()).0, 0);
    assert_eq!(ack.meta_id, Some(1_234_567_890_123));
    let server_id = ack.server_id.unwrap();
    assert!(ack.timestamp.unwrap() > 1_700_000_000_000);

    let queue = notice_queue(&bob.recv().await);
    assert_eq!(
        queue,
        jid("bob", USER_DOMAIN),
        "NOTICE names bob's bare queue"
    );
    let metas = bob.drain(queue).await;
    assert_eq!(metas.len(), 1);
    let meta = &metas[0];
    assert_eq!(
        meta.id,
        Some(server_id),
        "received id = the sender's ACK server id"
    );
    let from = meta.from.as_ref().unwrap();
    assert_eq!(from.name.as_deref(), Some("alice"));
    assert_eq!(
        from.client_resource.as_deref(),
        Some("webim_zfb_1700000000000")
    );
    assert_eq!(meta.to.as_ref().unwrap().name.as_deref(), Some("bob"));
    let body = message_body(meta);
    assert_eq!(body.contents[0].text.as_deref(), Some("hello"));
    assert_eq!(body.from.unwrap().name.as_deref(), Some("alice"));

    alice.send_bytes(vector("logout_up")).await;
    let reply = alice.recv().await;
    assert_eq!(reply.encode_to_vec(), vector("logout_reply_down"));
    assert_eq!(
        alice.closed().await.1,
        Closed::Code(1000, "logged out".into())
    );
    assert!(
        server.queues(APP, "bob").iter().all(|q| q.items == 0),
        "acknowledged and dropped"
    );
}

#[tokio::test]
async fn alipay_text_frames_get_text_frames_back() {
    let server = start(Config::new()).await;
    users(&server, &["alice"]);
    server.insert_token(APP, "alice", "TOKEN", None).unwrap();
    let mut alice = connect(&server).await;
    alice.text = true;
    alice.send_message(vector_text("provision_up").into()).await;
    let reply = provision_reply(&alice.recv().await);
    assert_eq!(error_code(reply.status.as_ref()).0, 0);
    // Missing padding is tolerated (PROTOCOL.md §5.3).
    alice.send_message("QAFYAKABgaCAgKCr/vli".into()).await;
    assert_eq!(
        error_code(unread_dl(&alice.recv().await).status.as_ref()).0,
        0
    );
    let frames = server.frames();
    assert!(
        frames
            .iter()
            .filter(|f| f.user.as_deref() == Some("alice"))
            .all(|f| f.text)
    );
}

#[tokio::test]
async fn offline_messages_arrive_in_batches_at_the_next_login() {
    let server = start(Config::new().batch_size(2)).await;
    users(&server, &["alice", "bob"]);
    let mut alice = login(&server, "alice", "a1").await;
    for (i, text) in ["one", "two", "three"].iter().enumerate() {
        alice
            .send(&send(100 + i as u64, "alice", "bob", USER_DOMAIN, text))
            .await;
        assert_eq!(sync_dl(&alice.recv().await).meta_id, Some(100 + i as u64));
    }
    let mut bob = login(&server, "bob", "b1").await;
    let unread = bob.unread().await;
    assert_eq!(unread.unread.len(), 1);
    assert_eq!(unread.unread[0].queue, Some(jid("bob", USER_DOMAIN)));
    assert_eq!(unread.unread[0].n, Some(3));

    bob.send(&pull(jid("bob", USER_DOMAIN), None)).await;
    let first = sync_dl(&bob.recv().await);
    assert_eq!(first.metas.len(), 2, "batch size 2");
    assert_eq!(first.is_last, Some(false));
    let key = first.next_key.unwrap();
    bob.send(&pull(jid("bob", USER_DOMAIN), Some(key))).await;
    let second = sync_dl(&bob.recv().await);
    assert_eq!(second.metas.len(), 1);
    let texts: Vec<String> = first
        .metas
        .iter()
        .chain(&second.metas)
        .map(|m| message_body(m).contents[0].text.clone().unwrap())
        .collect();
    assert_eq!(texts, ["one", "two", "three"], "in order");
    bob.send(&pull(jid("bob", USER_DOMAIN), second.next_key))
        .await;
    let last = sync_dl(&bob.recv().await);
    assert_eq!((last.is_last, last.metas.len()), (Some(true), 0));
    // The official SDK pulls once more after is_last: an empty is_last batch again.
    bob.send(&pull(jid("bob", USER_DOMAIN), None)).await;
    assert_eq!(sync_dl(&bob.recv().await).is_last, Some(true));
    assert!(bob.unread().await.unread.is_empty());
}

#[tokio::test]
async fn a_resent_message_id_gets_the_same_server_id_and_is_stored_once() {
    let server = start(Config::new()).await;
    users(&server, &["alice", "bob"]);
    let mut alice = login(&server, "alice", "a1").await;
    let frame = send(555, "alice", "bob", USER_DOMAIN, "once");
    alice.send(&frame).await;
    let first = sync_dl(&alice.recv().await);
    // Re-sent on a new connection, as after an unknown outcome.
    drop(alice);
    let mut alice = login(&server, "alice", "a1").await;
    alice.send(&frame).await;
    let second = sync_dl(&alice.recv().await);
    assert_eq!(first.server_id, second.server_id);
    assert_eq!(first.timestamp, second.timestamp);
    assert_eq!(server.queues(APP, "bob")[0].items, 1);
    // bob's bob has never logged in: the item waits for his first device.
    let mut bob = login(&server, "bob", "b1").await;
    let metas = bob.drain(jid("bob", USER_DOMAIN)).await;
    assert_eq!(metas.len(), 1);
    assert_eq!(metas[0].id, first.server_id);
}

#[tokio::test]
async fn group_messages_fan_out_to_members_only() {
    let server = start(Config::new()).await;
    users(&server, &["alice", "bob", "carol", "mallory"]);
    let spec = RoomSpec {
        name: "friends".into(),
        owner: "alice".into(),
        members: vec!["bob".into(), "carol".into()],
        public: true,
    };
    let group = server.create_group(APP, spec).unwrap();
    let mut alice = login(&server, "alice", "a1").await;
    let mut bob = login(&server, "bob", "b1").await;
    let mut carol = login(&server, "carol", "c1").await;
    let mut mallory = login(&server, "mallory", "m1").await;

    alice
        .send(&send(7, "alice", &group, CONFERENCE, "hi all"))
        .await;
    let ack = sync_dl(&alice.recv().await);
    assert_eq!(error_code(ack.status.as_ref()).0, 0);
    for member in [&mut bob, &mut carol] {
        let queue = notice_queue(&member.recv().await);
        assert_eq!(queue, jid(&group, CONFERENCE), "the group's queue");
        let metas = member.drain(queue).await;
        assert_eq!(metas.len(), 1);
        assert_eq!(metas[0].id, ack.server_id);
        assert_eq!(
            metas[0].from.as_ref().unwrap().name.as_deref(),
            Some("alice")
        );
        assert_eq!(metas[0].to, Some(jid(&group, CONFERENCE)));
        assert_eq!(
            message_body(&metas[0]).contents[0].text.as_deref(),
            Some("hi all")
        );
    }
    assert!(
        alice
            .recv_within(Duration::from_millis(200))
            .await
            .is_none(),
        "no echo to sender"
    );

    mallory
        .send(&send(8, "mallory", &group, CONFERENCE, "let me in"))
        .await;
    let refused = sync_dl(&mallory.recv().await);
    assert_eq!(refused.meta_id, Some(8));
    assert_eq!(
        error_code(refused.status.as_ref()),
        (1, "not in group or chatroom".into())
    );
    mallory
        .send(&send(9, "mallory", "404404", CONFERENCE, "?"))
        .await;
    let refused = sync_dl(&mallory.recv().await);
    assert_eq!(
        error_code(refused.status.as_ref()),
        (1, "group not found".into())
    );
    mallory
        .send(&send(10, "mallory", "nobody", USER_DOMAIN, "?"))
        .await;
    let refused = sync_dl(&mallory.recv().await);
    assert_eq!(
        error_code(refused.status.as_ref()),
        (1, "username nobody doesn't exist!".into())
    );
}

#[tokio::test]
async fn chat_room_messages_reach_members() {
    let server = start(Config::new()).await;
    users(&server, &["alice", "bob"]);
    let spec = RoomSpec {
        name: "lobby".into(),
        owner: "alice".into(),
        ..RoomSpec::default()
    };
    let room = server.create_chat_room(APP, spec).unwrap();
    server.add_chat_room_member(APP, &room, "bob").unwrap();
    let mut alice = login(&server, "alice", "a1").await;
    let mut bob = login(&server, "bob", "b1").await;
    alice
        .send(&send(1, "alice", &room, CONFERENCE, "welcome"))
        .await;
    assert_eq!(
        error_code(sync_dl(&alice.recv().await).status.as_ref()).0,
        0
    );
    let queue = notice_queue(&bob.recv().await);
    let metas = bob.drain(queue).await;
    assert_eq!(
        message_body(&metas[0]).contents[0].text.as_deref(),
        Some("welcome")
    );
}

#[tokio::test]
async fn every_device_of_a_user_receives_each_message() {
    let server = start(Config::new()).await;
    users(&server, &["alice", "bob"]);
    let mut phone = login(&server, "bob", "phone").await;
    let mut laptop = login(&server, "bob", "laptop").await;
    assert_eq!(server.sessions().len(), 2);
    let mut alice = login(&server, "alice", "a1").await;
    alice
        .send(&send(1, "alice", "bob", USER_DOMAIN, "both"))
        .await;
    let ack = sync_dl(&alice.recv().await);
    for device in [&mut phone, &mut laptop] {
        let queue = notice_queue(&device.recv().await);
        let metas = device.drain(queue).await;
        assert_eq!(metas.len(), 1);
        assert_eq!(metas[0].id, ack.server_id);
    }
    assert_eq!(
        server.queues(APP, "bob")[0].items,
        0,
        "both acknowledged: dropped"
    );
}

#[tokio::test]
async fn a_second_login_on_the_same_resource_kicks_the_first() {
    let server = start(Config::new().kick_grace(Duration::from_millis(300))).await;
    users(&server, &["alice"]);
    let mut first = login(&server, "alice", "same").await;
    let mut second = login(&server, "alice", "same").await;
    let (frames, closed) = first.closed().await;
    assert_eq!(
        closed,
        Closed::Code(1000, "kicked".into()),
        "server closes after the grace"
    );
    let kick = sync_dl(&frames[0]);
    assert_eq!(kick.queue, Some(jid("alice", USER_DOMAIN)));
    assert!(kick.next_key.is_some() && kick.is_last.is_none());
    let meta = &kick.metas[0];
    assert_eq!(meta.ns, Some(0), "STATISTIC");
    let stats = statistics(meta);
    assert_eq!(stats.operation, Some(2), "USER_LOGIN_ANOTHER_DEVICE");
    assert_eq!(stats.replace_device_name.as_deref(), Some("test-device"));
    assert_eq!(stats.session_id.as_deref(), Some("same:"));
    assert_eq!(
        second.unread().await.status.and_then(|s| s.error_code),
        Some(0)
    );
    assert_eq!(server.sessions().len(), 1);
}

#[tokio::test]
async fn a_kicked_session_may_acknowledge_its_kick_without_losing_messages() {
    let server = start(Config::new()).await;
    users(&server, &["alice", "bob"]);
    let mut alice = login(&server, "alice", "a1").await;
    let mut bob = login(&server, "bob", "b1").await;
    alice
        .send(&send(1, "alice", "bob", USER_DOMAIN, "keep me"))
        .await;
    sync_dl(&alice.recv().await);
    notice_queue(&bob.recv().await);
    assert_eq!(server.disconnect_user(APP, "bob"), 1);
    let kick = sync_dl(&bob.recv().await);
    assert_eq!(
        statistics(&kick.metas[0]).operation,
        Some(1),
        "USER_REMOVED"
    );
    bob.send(&pull(jid("bob", USER_DOMAIN), kick.next_key))
        .await;
    assert_eq!(sync_dl(&bob.recv().await).is_last, Some(true));
    drop(bob);
    let mut bob = login(&server, "bob", "b1").await;
    let metas = bob.drain(jid("bob", USER_DOMAIN)).await;
    assert_eq!(
        message_body(&metas[0]).contents[0].text.as_deref(),
        Some("keep me")
    );
}

#[tokio::test]
async fn oversized_content_is_refused_as_too_large() {
    let server = start(Config::new().max_message_bytes(100)).await;
    users(&server, &["alice", "bob"]);
    let mut alice = login(&server, "alice", "a1").await;
    alice
        .send(&send(1, "alice", "bob", USER_DOMAIN, &"x".repeat(200)))
        .await;
    let refused = sync_dl(&alice.recv().await);
    assert_eq!(refused.meta_id, Some(1));
    assert_eq!(
        error_code(refused.status.as_ref()),
        (7, "Sorry, data is too large".into())
    );
    assert!(server.queues(APP, "bob").is_empty());
}

#[tokio::test]
async fn provision_failures_carry_the_documented_reasons() {
    let server = start(Config::new()).await;
    users(&server, &["alice", "bob"]);
    let bob_token = server.issue_token(APP, "bob", None).unwrap().access_token;
    let short = server
        .issue_token(APP, "alice", Some(Duration::from_secs(1)))
        .unwrap();
    let cases = [
        (
            provision("nobody", "r", &bob_token),
            (1, "Sorry, user not found"),
        ),
        (
            provision("alice", "r", "forged"),
            (1, "Sorry, token or password does not match login info"),
        ),
        (
            provision("alice", "r", &bob_token),
            (1, "Sorry, token or password does not match login info"),
        ),
        (
            provision("alice", "bad resource", &short.access_token),
            (4, "illegal resource"),
        ),
    ];
    let mut client = connect(&server).await;
    for (frame, (code, reason)) in cases {
        client.send(&frame).await;
        let reply = provision_reply(&client.recv().await);
        assert_eq!(error_code(reply.status.as_ref()), (code, reason.to_owned()));
    }
    client.send(&unread()).await;
    assert_eq!(
        error_code(unread_dl(&client.recv().await).status.as_ref()).0,
        2,
        "UNAUTHORIZED"
    );

    tokio::time::sleep(Duration::from_millis(1100)).await;
    client
        .send(&provision("alice", "r", &short.access_token))
        .await;
    let reply = provision_reply(&client.recv().await);
    assert_eq!(
        error_code(reply.status.as_ref()),
        (1, "Sorry, token expired".into())
    );
}

#[tokio::test]
async fn go_style_login_with_a_bare_token_and_no_envelope_auth() {
    let server = start(Config::new()).await;
    users(&server, &["alice"]);
    server.insert_token(APP, "alice", "TOKEN", None).unwrap();
    let mut alice = connect(&server).await;
    alice.send_bytes(vector("provision_up_go_style")).await;
    let reply = provision_reply(&alice.recv().await);
    assert_eq!(error_code(reply.status.as_ref()).0, 0);
    assert_eq!(
        reply.resource.as_deref(),
        Some("go-server-imsdk-service-01")
    );
    assert!(
        !reply.session_id.unwrap_or_default().is_empty(),
        "a session id is made up"
    );
}

#[tokio::test]
async fn a_never_expiring_token_gets_no_expiry_in_the_reply() {
    let server = start(Config::new()).await;
    users(&server, &["alice"]);
    let token = server
        .issue_token(APP, "alice", Some(Duration::ZERO))
        .unwrap();
    assert_eq!((token.expires_in, token.expires_at_ms), (0, None));
    let mut alice = connect(&server).await;
    alice
        .send(&provision("alice", "r", &token.access_token))
        .await;
    let reply = provision_reply(&alice.recv().await);
    assert_eq!(error_code(reply.status.as_ref()).0, 0);
    assert!(reply.auth_token.is_none());
}

#[tokio::test]
async fn requests_before_login_and_empty_syncs_get_statuses() {
    let server = start(Config::new()).await;
    users(&server, &["alice"]);
    let mut anon = connect(&server).await;
    anon.send(&send(1, "x", "alice", USER_DOMAIN, "?")).await;
    assert_eq!(error_code(sync_dl(&anon.recv().await).status.as_ref()).0, 2);
    let mut alice = login(&server, "alice", "a1").await;
    let empty = envelope(Command::Sync, Some(CommSyncUl::default().encode_to_vec()));
    alice.send(&empty).await;
    assert_eq!(
        error_code(sync_dl(&alice.recv().await).status.as_ref()).0,
        3,
        "MISSING_PARAMETER"
    );
    let no_id = CommSyncUl {
        meta: Some(Meta {
            ns: Some(1),
            ..Meta::default()
        }),
        ..CommSyncUl::default()
    };
    alice
        .send(&envelope(Command::Sync, Some(no_id.encode_to_vec())))
        .await;
    assert_eq!(
        error_code(sync_dl(&alice.recv().await).status.as_ref()).0,
        3
    );
    alice.send(&provision("alice", "a2", "whatever")).await;
    assert_eq!(
        error_code(provision_reply(&alice.recv().await).status.as_ref()).0,
        4,
        "already logged in"
    );
    alice.send(&logout()).await;
    assert_eq!(command(&alice.recv().await), Command::Logout);
}

#[tokio::test]
async fn a_token_in_the_envelope_auth_alone_is_accepted() {
    let server = start(Config::new()).await;
    users(&server, &["alice"]);
    let token = server.issue_token(APP, "alice", None).unwrap().access_token;
    let mut frame = provision("alice", "a1", &token);
    let mut body = msync_devserver::pb::Provision::decode(payload(&frame)).unwrap();
    body.auth_token = None;
    frame.payload = Some(body.encode_to_vec());
    let mut alice = connect(&server).await;
    alice.send(&frame).await;
    assert_eq!(
        error_code(provision_reply(&alice.recv().await).status.as_ref()).0,
        0
    );
    frame.auth = None;
    let mut bare = connect(&server).await;
    bare.send(&frame).await;
    let reply = provision_reply(&bare.recv().await);
    assert_eq!(
        error_code(reply.status.as_ref()),
        (3, "token required".into())
    );
}

#[tokio::test]
async fn directed_and_online_only_route_types() {
    let server = start(Config::new()).await;
    users(&server, &["alice", "bob", "carol"]);
    let spec = RoomSpec {
        name: "g".into(),
        owner: "alice".into(),
        members: vec!["bob".into(), "carol".into()],
        public: true,
    };
    let group = server.create_group(APP, spec).unwrap();
    let mut alice = login(&server, "alice", "a1").await;
    let routed = |id: u64, to: &str, domain: &str, routetype: i32, directed: Vec<String>| {
        let mut frame = send(id, "alice", to, domain, "routed");
        let mut body = CommSyncUl::decode(payload(&frame)).unwrap();
        let meta = body.meta.as_mut().unwrap();
        meta.routetype = Some(routetype);
        meta.directed_users = directed;
        frame.payload = Some(body.encode_to_vec());
        frame
    };
    alice
        .send(&routed(1, &group, CONFERENCE, 2, vec!["carol".into()]))
        .await;
    assert_eq!(
        error_code(sync_dl(&alice.recv().await).status.as_ref()).0,
        0
    );
    assert!(server.queues(APP, "bob").is_empty(), "not directed at bob");
    assert_eq!(server.queues(APP, "carol")[0].items, 1);

    alice.send(&routed(2, "bob", USER_DOMAIN, 1, vec![])).await;
    assert_eq!(
        error_code(sync_dl(&alice.recv().await).status.as_ref()).0,
        0
    );
    assert!(
        server.queues(APP, "bob").is_empty(),
        "online only, and bob is offline"
    );
    let mut bob = login(&server, "bob", "b1").await;
    alice.send(&routed(3, "bob", USER_DOMAIN, 1, vec![])).await;
    sync_dl(&alice.recv().await);
    let queue = notice_queue(&bob.recv().await);
    let metas = bob.drain(queue).await;
    assert_eq!(metas.len(), 1);
    assert_eq!(
        message_body(&metas[0]).contents[0].text.as_deref(),
        Some("routed")
    );
}
