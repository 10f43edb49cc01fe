//! Fault injection, restart with state kept, idle timeout, and the admin path.

mod support;

use std::time::Duration;

use msync_devserver::pb::status::ErrorCode;
use msync_devserver::{Config, Direction, Faults, RedirectFault};
use serde_json::json;
use support::*;

const SHORT: Duration = Duration::from_millis(300);

#[tokio::test]
async fn a_dropped_ack_is_recovered_by_resending_the_same_id() {
    let server = start(Config::new()).await;
    users(&server, &["alice", "bob"]);
    let mut alice = login(&server, "alice", "a1").await;
    server.set_faults(Faults {
        drop_acks: 1,
        ..Faults::default()
    });
    let frame = send(42, "alice", "bob", USER_DOMAIN, "are you there");
    alice.send(&frame).await;
    assert!(
        alice.recv_within(SHORT).await.is_none(),
        "the ACK was dropped"
    );
    assert_eq!(server.faults().drop_acks, 0, "the fault counted down");
    assert_eq!(server.queues(APP, "bob")[0].items, 1, "stored all the same");
    alice.send(&frame).await;
    let ack = sync_dl(&alice.recv().await);
    assert_eq!(ack.meta_id, Some(42));
    assert_eq!(
        server.queues(APP, "bob")[0].items,
        1,
        "the re-send is not stored twice"
    );
    let mut bob = login(&server, "bob", "b1").await;
    let metas = bob.drain(jid("bob", USER_DOMAIN)).await;
    assert_eq!(metas.len(), 1);
    assert_eq!(
        metas[0].id, ack.server_id,
        "the stored copy has the ACK's server id"
    );
}

#[tokio::test]
async fn delayed_acks_arrive_late() {
    let server = start(Config::new()).await;
    users(&server, &["alice", "bob"]);
    let mut alice = login(&server, "alice", "a1").await;
    server.update_faults(|f| f.ack_delay_ms = 600);
    alice
        .send(&send(1, "alice", "bob", USER_DOMAIN, "slow"))
        .await;
    assert!(alice.recv_within(SHORT).await.is_none(), "not yet");
    assert_eq!(
        sync_dl(&alice.recv().await).meta_id,
        Some(1),
        "then it comes"
    );
}

#[tokio::test]
async fn refused_upgrades_answer_503() {
    let server = start(Config::new()).await;
    server.update_faults(|f| f.refuse_upgrades = true);
    let refused = tokio_tungstenite::connect_async(server.ws_url()).await;
    match refused {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            assert_eq!(response.status().as_u16(), 503);
        }
        other => panic!("expected HTTP 503, got {:?}", other.map(|_| ())),
    }
    server.set_faults(Faults::default());
    assert!(
        tokio_tungstenite::connect_async(server.ws_url())
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn provision_can_be_redirected_a_number_of_times() {
    let server = start(Config::new()).await;
    users(&server, &["alice"]);
    let token = server.issue_token(APP, "alice", None).unwrap().access_token;
    let redirect = RedirectFault {
        host: "127.0.0.1".into(),
        port: 9,
        times: Some(1),
    };
    server.set_faults(Faults {
        redirect: Some(redirect),
        ..Faults::default()
    });
    let mut alice = connect(&server).await;
    alice.send(&provision("alice", "a1", &token)).await;
    let reply = provision_reply(&alice.recv().await);
    let status = reply.status.unwrap();
    assert_eq!(status.error_code, Some(ErrorCode::Redirect as i32));
    assert_eq!(status.redirect_info[0].host.as_deref(), Some("127.0.0.1"));
    assert_eq!(status.redirect_info[0].port, Some(9));
    alice.send(&provision("alice", "a1", &token)).await;
    assert_eq!(
        error_code(provision_reply(&alice.recv().await).status.as_ref()).0,
        0
    );
}

#[tokio::test]
async fn a_socket_is_dropped_after_n_frames() {
    let server = start(Config::new()).await;
    users(&server, &["alice"]);
    // Counted from the PROVISION reply: reply (1), UNREAD (2), UNREAD reply (3).
    server.update_faults(|f| {
        f.close_after_frames.insert("alice".into(), 3);
    });
    let mut alice = login(&server, "alice", "a1").await;
    alice.send(&unread()).await;
    assert_eq!(
        command(&alice.recv().await),
        msync_devserver::pb::m_sync::Command::Unread
    );
    assert_eq!(alice.closed().await, (vec![], Closed::Dropped));
    assert!(server.faults().close_after_frames.is_empty(), "fires once");
    let mut again = login(&server, "alice", "a1").await;
    assert_eq!(error_code(again.unread().await.status.as_ref()).0, 0);
}

#[tokio::test]
async fn restart_keeps_state_and_drops_connections() {
    let server = start(Config::new()).await;
    users(&server, &["alice", "bob"]);
    let token = server.issue_token(APP, "alice", None).unwrap().access_token;
    let mut alice = connect(&server).await;
    alice.send(&provision("alice", "a1", &token)).await;
    provision_reply(&alice.recv().await);
    alice
        .send(&send(5, "alice", "bob", USER_DOMAIN, "before the restart"))
        .await;
    let ack = sync_dl(&alice.recv().await);

    let restarting = {
        let controls = server.controls().clone();
        tokio::spawn(async move { controls.restart(Duration::from_millis(400)).await })
    };
    assert_eq!(
        alice.closed().await.1,
        Closed::Dropped,
        "no close frame: a crash"
    );
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(
        tokio::net::TcpStream::connect(server.local_addr())
            .await
            .is_err(),
        "down"
    );
    restarting.await.unwrap().unwrap();

    let mut alice = connect(&server).await;
    alice.send(&provision("alice", "a1", &token)).await;
    assert_eq!(
        error_code(provision_reply(&alice.recv().await).status.as_ref()).0,
        0,
        "token kept"
    );
    let mut bob = login(&server, "bob", "b1").await;
    let metas = bob.drain(jid("bob", USER_DOMAIN)).await;
    assert_eq!(metas[0].id, ack.server_id, "queue kept");
}

#[tokio::test]
async fn restart_over_the_admin_path() {
    let server = start(Config::new()).await;
    let (status, body) = http(
        &server,
        "POST",
        "/_devserver/restart",
        Some(r#"{"down_ms":100}"#),
        None,
    )
    .await;
    assert_eq!((status, body["restarting"].as_bool()), (202, Some(true)));
    let mut up = false;
    for _ in 0..100 {
        tokio::time::sleep(Duration::from_millis(50)).await;
        if try_http(&server, "GET", "/_devserver/state", None, None)
            .await
            .map(|r| r.0)
            == Some(200)
        {
            up = true;
            break;
        }
    }
    assert!(up, "listening again");
}

#[tokio::test]
async fn idle_connections_are_closed() {
    let server = start(Config::new().idle_timeout(SHORT)).await;
    let mut client = connect(&server).await;
    assert_eq!(
        client.closed().await.1,
        Closed::Code(1000, "idle timeout".into())
    );
}

#[tokio::test]
async fn admin_path_sets_faults_and_shows_frames_without_credentials() {
    let server = start(Config::new()).await;
    let faults = json!({"drop_acks": 2, "close_after_frames": {"bob": 4}}).to_string();
    let (status, body) = http(&server, "PUT", "/_devserver/faults", Some(&faults), None).await;
    assert_eq!((status, body["drop_acks"].as_u64()), (200, Some(2)));
    assert_eq!(server.faults().close_after_frames.get("bob"), Some(&4));
    let (status, _) = http(
        &server,
        "PUT",
        "/_devserver/faults",
        Some(r#"{"drop_ack":1}"#),
        None,
    )
    .await;
    assert_eq!(status, 400, "unknown fault names are refused");
    let (status, body) = http(&server, "DELETE", "/_devserver/faults", None, None).await;
    assert_eq!((status, body["drop_acks"].as_u64()), (200, Some(0)));
    assert_eq!(server.faults(), Faults::default());

    let user = json!({"app_key": APP, "username": "alice", "password": "pw"}).to_string();
    assert_eq!(
        http(&server, "POST", "/_devserver/users", Some(&user), None)
            .await
            .0,
        200
    );
    let token =
        json!({"app_key": APP, "username": "alice", "token": "SECRET-TOKEN-VALUE", "ttl": 0})
            .to_string();
    let (status, body) = http(&server, "POST", "/_devserver/tokens", Some(&token), None).await;
    assert_eq!((status, body["expires_in"].as_u64()), (200, Some(0)));
    let mut alice = connect(&server).await;
    alice
        .send(&provision("alice", "a1", "SECRET-TOKEN-VALUE"))
        .await;
    provision_reply(&alice.recv().await);
    alice.unread().await;

    let (status, frames) = http(&server, "GET", "/_devserver/frames?user=alice", None, None).await;
    assert_eq!(status, 200);
    let text = frames.to_string();
    assert!(
        !text.contains("SECRET-TOKEN-VALUE"),
        "no token in the frame log"
    );
    let frames = frames.as_array().unwrap();
    let provision = frames.iter().find(|f| f["command"] == "PROVISION").unwrap();
    assert!(
        provision["hex"].is_null(),
        "credential frames carry no bytes"
    );
    let unread_up = frames
        .iter()
        .find(|f| f["command"] == "UNREAD" && f["direction"] == "up")
        .unwrap();
    assert_eq!(unread_up["hex"], "40015800a00101", "other frames do");
    assert!(
        server
            .frames()
            .iter()
            .any(|f| f.direction == Direction::Down && f.command == "UNREAD")
    );

    let (_, sessions) = http(&server, "GET", "/_devserver/sessions", None, None).await;
    assert_eq!(sessions[0]["user"], "alice");
    let kick = json!({"app_key": APP, "username": "alice", "operation": 4}).to_string();
    let (_, body) = http(&server, "POST", "/_devserver/kick", Some(&kick), None).await;
    assert_eq!(body["kicked"], 1);
    let (frames, _) = alice.closed().await;
    assert_eq!(statistics(&sync_dl(&frames[0]).metas[0]).operation, Some(4));
    let bad = json!({"app_key": APP, "username": "alice", "operation": 9}).to_string();
    assert_eq!(
        http(&server, "POST", "/_devserver/kick", Some(&bad), None)
            .await
            .0,
        400
    );
    let (status, body) = http(&server, "GET", "/_devserver/state", None, None).await;
    assert_eq!(
        (status, body["apps"][0]["users"][0].as_str()),
        (200, Some("alice"))
    );
}

#[tokio::test]
async fn the_admin_path_can_be_turned_off() {
    let server = start(Config::new().admin(false)).await;
    assert_eq!(
        http(&server, "GET", "/_devserver/state", None, None)
            .await
            .0,
        404
    );
}
