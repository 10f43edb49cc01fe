//! End to end, tokio client against the devserver on 127.0.0.1: the ways of logging in and the
//! ways a login is refused.

mod common;

use common::{APP, PASSWORD, config, online, online_with, plain_server, server, wait_for, within};
use msync_devserver::{Config, RedirectFault, RunningServer};
use msync_tokio::{
    Client, ClientEvent, CloseReason, ConnectionState, Credential, Disconnect, Error, LoginError,
    ReconnectPolicy, TlsOptions, TransportError,
};

#[tokio::test]
async fn password_login_fetches_a_token_and_goes_online() {
    let server = plain_server(&["alice"]).await;
    let (client, mut events) = online(&server, "alice").await;
    // The REST token came first, then the connection.
    wait_for(&mut events, |e| {
        matches!(e, ClientEvent::TokenUpdated).then_some(())
    })
    .await;
    let token = client
        .token()
        .await
        .unwrap()
        .expect("a token after a password login");
    assert!(!token.is_empty());
    let sessions = server.sessions();
    assert_eq!(sessions.len(), 1);
    assert_eq!(sessions[0].user, "alice");
    assert_eq!(sessions[0].resource, "webim_test_alice");
    within(client.logout()).await.unwrap();
    assert!(matches!(
        client.state(),
        ConnectionState::Closed(CloseReason::LoggedOut)
    ));
    assert!(server.sessions().is_empty());
}

#[tokio::test]
async fn token_login_uses_the_token_directly() {
    let server = plain_server(&["alice"]).await;
    let issued = server.issue_token(APP, "alice", None).unwrap();
    let config = config(
        &server,
        "alice",
        Credential::token(issued.access_token.clone()),
    );
    let (client, _events) = online_with(config).await;
    assert_eq!(
        client.token().await.unwrap().as_deref(),
        Some(issued.access_token.as_str())
    );
    assert_eq!(server.sessions().len(), 1);
}

#[tokio::test]
async fn bootstrap_learns_the_hosts_from_server_json() {
    let server = plain_server(&["alice"]).await;
    let config =
        config(&server, "alice", Credential::password(PASSWORD)).with_bootstrap(server.base_url());
    let (client, _events) = online_with(config).await;
    assert_eq!(server.sessions()[0].user, "alice");
    within(client.logout()).await.unwrap();
}

#[tokio::test]
async fn app_id_is_resolved_through_the_bootstrap() {
    let server = server(Config::new().app_id("APPID123", APP), &["alice"]).await;
    let config = common::config_for(&server, "APPID123", "alice", Credential::password(PASSWORD))
        .with_bootstrap(server.base_url());
    let (client, _events) = online_with(config).await;
    assert_eq!(server.sessions()[0].app_key, APP);
    let ack = within(client.send_text("alice", "learnt the app key"))
        .await
        .unwrap();
    assert!(ack.server_id > 0);
}

#[tokio::test]
async fn login_over_tls_with_the_generated_certificate() {
    let server = server(Config::new().tls(true), &["alice", "bob"]).await;
    assert!(server.base_url().starts_with("https://"));
    let (alice, _alice_events) = online(&server, "alice").await;
    let (_bob, mut bob_events) = online(&server, "bob").await;
    let ack = within(alice.send_text("bob", "over TLS")).await.unwrap();
    let message = common::next_message(&mut bob_events).await;
    assert_eq!(message.text(), Some("over TLS"));
    assert_eq!(message.server_id, ack.server_id);
}

#[tokio::test]
async fn a_wrong_certificate_is_refused() {
    let (server, login, cause) = login_trusting_another_certificate(false).await;
    assert_eq!(
        login,
        Err(Error::Closed(CloseReason::GaveUp { attempts: 2 })),
        "login must fail when the certificate is not trusted"
    );
    // The password login's REST exchange is the first to meet the certificate.
    assert_eq!(cause, Disconnect::RestFailed);
    assert!(server.sessions().is_empty());
    // Nothing of ours got past the handshake: the server saw no frame.
    assert!(server.frames().is_empty());
}

#[tokio::test]
async fn a_wrong_certificate_on_the_gateway_is_a_tls_failure() {
    let (server, login, cause) = login_trusting_another_certificate(true).await;
    assert_eq!(
        login,
        Err(Error::Closed(CloseReason::GaveUp { attempts: 2 }))
    );
    assert_eq!(cause, Disconnect::Transport(TransportError::Tls));
    assert!(server.sessions().is_empty());
    assert!(server.frames().is_empty());
}

/// Logs alice in on a TLS devserver while trusting only another server's certificate, with a
/// token (straight to the gateway) or a password (REST first), giving up after two rounds.
/// Returns the server, what `login` returned and the cause of the first reconnect.
async fn login_trusting_another_certificate(
    token: bool,
) -> (RunningServer, Result<(), Error>, Disconnect) {
    let server = server(Config::new().tls(true), &["alice"]).await;
    let other = common::server(Config::new().tls(true), &[]).await;
    let tls = TlsOptions::default()
        .without_webpki_roots()
        .with_root_pem(other.cert_pem().unwrap())
        .unwrap();
    let credential = if token {
        Credential::token(server.issue_token(APP, "alice", None).unwrap().access_token)
    } else {
        Credential::password(PASSWORD)
    };
    let config = config(&server, "alice", credential)
        .with_tls(tls)
        .with_reconnect(ReconnectPolicy {
            max_attempts: Some(2),
            tiers: &common::FAST_BACKOFF,
            ..ReconnectPolicy::DEFAULT
        });
    let (client, mut events) = Client::start(config).await.unwrap();
    let login = within(client.login()).await;
    let cause = wait_for(&mut events, |e| match e {
        ClientEvent::State(ConnectionState::Reconnecting { cause, .. }) => Some(*cause),
        _ => None,
    })
    .await;
    (server, login, cause)
}

#[tokio::test]
async fn wrong_password_is_a_typed_error() {
    let server = plain_server(&["alice"]).await;
    let config = config(&server, "alice", Credential::password("not-the-password"));
    let (client, mut events) = Client::start(config).await.unwrap();
    match within(client.login()).await {
        Err(Error::Login { error, .. }) => assert_eq!(error, LoginError::InvalidPassword),
        other => panic!("expected InvalidPassword, got {other:?}"),
    }
    let failed = wait_for(&mut events, |e| match e {
        ClientEvent::LoginFailed { error, .. } => Some(*error),
        _ => None,
    })
    .await;
    assert_eq!(failed, LoginError::InvalidPassword);
    let closed = wait_for(&mut events, |e| match e {
        ClientEvent::State(ConnectionState::Closed(reason)) => Some(*reason),
        _ => None,
    })
    .await;
    assert_eq!(
        closed,
        CloseReason::LoginRejected(LoginError::InvalidPassword)
    );
}

#[tokio::test]
async fn unknown_user_is_a_typed_error() {
    let server = plain_server(&["alice"]).await;
    let config = config(&server, "mallory", Credential::password(PASSWORD));
    let (client, _events) = Client::start(config).await.unwrap();
    match within(client.login()).await {
        Err(Error::Login { error, .. }) => assert_eq!(error, LoginError::UserNotFound),
        other => panic!("expected UserNotFound, got {other:?}"),
    }
}

#[tokio::test]
async fn redirect_moves_the_login_to_another_gateway() {
    let first = plain_server(&["alice"]).await;
    let second = plain_server(&["alice"]).await;
    first.update_faults(|faults| {
        faults.redirect = Some(RedirectFault {
            host: "127.0.0.1".into(),
            port: second.local_addr().port(),
            times: Some(1),
        });
    });
    // One token text known to both servers: the login is refused unless it reaches a gateway.
    let issued = second.issue_token(APP, "alice", None).unwrap();
    first
        .insert_token(APP, "alice", &issued.access_token, None)
        .unwrap();
    let config = config(&first, "alice", Credential::token(issued.access_token));
    let (client, _events) = online_with(config).await;
    assert!(
        first.sessions().is_empty(),
        "the first gateway only redirected"
    );
    assert_eq!(second.sessions().len(), 1);
    assert_eq!(second.sessions()[0].user, "alice");
    let ack = within(client.send_text("alice", "note to self"))
        .await
        .unwrap();
    assert!(ack.server_id > 0);
    // The redirect was used up: the first server is healthy again.
    assert!(first.faults().redirect.is_none());
}
