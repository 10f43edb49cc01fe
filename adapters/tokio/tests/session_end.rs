//! End to end, tokio client against the devserver on 127.0.0.1: how a session ends (kicks,
//! token expiry, logout, dropped handles) and how it starts again.

mod common;

use std::time::Duration;

use common::{
    APP, PASSWORD, config, next_message, online, online_with, plain_server, wait_for, within,
};
use msync_tokio::msync_core::session;
use msync_tokio::{
    Client, ClientEvent, CloseReason, ConnectionState, Credential, Disconnect, Error, KickReason,
    SendError,
};

/// The next `Closed` state's reason.
async fn closed(events: &mut msync_tokio::Events) -> CloseReason {
    wait_for(events, |e| match e {
        ClientEvent::State(ConnectionState::Closed(reason)) => Some(*reason),
        _ => None,
    })
    .await
}

/// The next kick.
async fn kicked(events: &mut msync_tokio::Events) -> msync_tokio::Kick {
    wait_for(events, |e| match e {
        ClientEvent::Kicked(kick) => Some(kick.clone()),
        _ => None,
    })
    .await
}

#[tokio::test]
async fn forced_disconnect_kicks_and_a_new_login_works() {
    let server = plain_server(&["alice", "bob"]).await;
    let (alice, mut events) = online(&server, "alice").await;

    assert_eq!(server.disconnect_user(APP, "alice"), 1);
    assert_eq!(kicked(&mut events).await.reason, KickReason::UserRemoved);
    assert_eq!(
        closed(&mut events).await,
        CloseReason::Kicked(KickReason::UserRemoved)
    );
    // Kicked means no reconnect: sends are refused until the next login.
    assert_eq!(
        within(alice.send_text("bob", "after kick")).await,
        Err(SendError::Refused(session::SendError::SessionClosed))
    );

    within(alice.login()).await.unwrap();
    assert_eq!(alice.state(), ConnectionState::Online);
    within(alice.send_text("bob", "back")).await.unwrap();
}

#[tokio::test]
async fn a_second_login_on_the_same_resource_kicks_the_first() {
    let server = plain_server(&["alice"]).await;
    let (first, mut first_events) = online(&server, "alice").await;
    // Same user, same device id: the same resource.
    let (second, _second_events) = online(&server, "alice").await;

    let kick = kicked(&mut first_events).await;
    assert_eq!(kick.reason, KickReason::LoginOnAnotherDevice);
    assert_eq!(kick.replace_device_name.as_deref(), Some("webim"));
    assert_eq!(
        closed(&mut first_events).await,
        CloseReason::Kicked(KickReason::LoginOnAnotherDevice)
    );
    assert!(matches!(first.state(), ConnectionState::Closed(_)));
    assert_eq!(second.state(), ConnectionState::Online);
    let sessions = server.sessions();
    assert_eq!(sessions.len(), 1);
    assert_eq!(sessions[0].resource, "webim_test_alice");
}

#[tokio::test]
async fn an_expiring_token_warns_then_closes_and_a_renewed_one_logs_in() {
    let server = plain_server(&["alice"]).await;
    let issued = server
        .issue_token(APP, "alice", Some(Duration::from_secs(2)))
        .unwrap();
    let expires_at_ms = issued.expires_at_ms.unwrap();
    let config = config(&server, "alice", Credential::token(issued.access_token));
    let (client, mut events) = online_with(config).await;

    let warned = wait_for(&mut events, |e| match e {
        ClientEvent::TokenWillExpire { expires_at_ms } => Some(*expires_at_ms),
        _ => None,
    })
    .await;
    assert!(
        warned.abs_diff(expires_at_ms) <= 1000,
        "warned of {warned}, the token expires at {expires_at_ms}"
    );
    assert_eq!(closed(&mut events).await, CloseReason::TokenExpired);

    let renewed = server.issue_token(APP, "alice", None).unwrap();
    within(client.renew_token(renewed.access_token.clone(), None))
        .await
        .unwrap();
    within(client.login()).await.unwrap();
    assert_eq!(client.state(), ConnectionState::Online);
    assert_eq!(
        client.token().await.unwrap().as_deref(),
        Some(renewed.access_token.as_str())
    );
}

#[tokio::test]
async fn a_password_login_fetches_a_new_token_when_it_expires() {
    let server = plain_server(&["alice", "bob"]).await;
    let config = config(&server, "alice", Credential::password(PASSWORD)).with_token_ttl(2);
    let (alice, mut events) = online_with(config).await;
    let first_token = alice.token().await.unwrap().unwrap();

    wait_for(&mut events, |e| {
        matches!(e, ClientEvent::TokenWillExpire { .. }).then_some(())
    })
    .await;
    wait_for(&mut events, |e| {
        matches!(e, ClientEvent::TokenUpdated).then_some(())
    })
    .await;
    wait_for(&mut events, |e| {
        matches!(e, ClientEvent::State(ConnectionState::Online)).then_some(())
    })
    .await;
    let second_token = alice.token().await.unwrap().unwrap();
    assert_ne!(first_token, second_token, "a fresh token was fetched");

    let (_bob, mut bob_events) = online(&server, "bob").await;
    let ack = within(alice.send_text("bob", "fresh token")).await.unwrap();
    assert_eq!(next_message(&mut bob_events).await.server_id, ack.server_id);
}

#[tokio::test]
async fn logout_fails_pending_sends_and_closes() {
    let server = plain_server(&["alice", "bob"]).await;
    let (alice, mut events) = online(&server, "alice").await;
    server.update_faults(|faults| faults.ack_delay_ms = 5_000);

    let pending = tokio::spawn({
        let alice = alice.clone();
        async move { alice.send_text("bob", "never acked").await }
    });
    // Let the send reach the server before logging out.
    tokio::time::sleep(Duration::from_millis(200)).await;
    within(alice.logout()).await.unwrap();
    assert_eq!(
        within(pending).await.unwrap(),
        Err(SendError::SessionEnded(CloseReason::LoggedOut))
    );
    assert_eq!(closed(&mut events).await, CloseReason::LoggedOut);
    assert_eq!(
        within(alice.logout()).await,
        Err(Error::State(session::StateError::NotStarted))
    );
    assert!(server.sessions().is_empty());
}

#[tokio::test]
async fn dropping_every_handle_logs_out_and_ends_the_events() {
    let server = plain_server(&["alice"]).await;
    let (alice, mut events) = online(&server, "alice").await;
    let copy = alice.clone();
    drop(alice);
    assert_eq!(server.sessions().len(), 1, "one handle is still alive");
    drop(copy);
    assert_eq!(closed(&mut events).await, CloseReason::LoggedOut);
    assert_eq!(within(events.recv()).await, None, "the task has ended");
    assert!(server.sessions().is_empty());
}

#[tokio::test]
async fn gave_up_reconnecting_reports_the_cause() {
    let server = plain_server(&["alice"]).await;
    let (alice, _events) = online(&server, "alice").await;
    server.update_faults(|faults| faults.refuse_upgrades = true);
    let config = config(&server, "alice", Credential::password(PASSWORD)).with_reconnect(
        msync_tokio::ReconnectPolicy {
            max_attempts: Some(1),
            tiers: &common::FAST_BACKOFF,
            ..msync_tokio::ReconnectPolicy::DEFAULT
        },
    );
    let (other, mut other_events) = Client::start(config.with_device_uuid("other"))
        .await
        .unwrap();
    assert_eq!(
        within(other.login()).await,
        Err(Error::Closed(CloseReason::GaveUp { attempts: 1 }))
    );
    let cause = wait_for(&mut other_events, |e| match e {
        ClientEvent::State(ConnectionState::Reconnecting { cause, .. }) => Some(*cause),
        _ => None,
    })
    .await;
    assert_eq!(cause, Disconnect::HandshakeFailed);
    // The first client stays online: its socket was upgraded before the fault.
    assert_eq!(alice.state(), ConnectionState::Online);
}
