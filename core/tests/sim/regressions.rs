//! Session bugs the simulation found, each minimised to a few direct calls.

use msync_core::app::{AppIdentity, AppKey};
use msync_core::region::Endpoint;
use msync_core::session::{
    BootstrapConfig, Config, Credential, DefaultSession, EndpointConfig, Event, Output, SocketId,
    TransportError,
};
use msync_core::time::Instant;
use msync_core::url::Url;

use super::rng::SimRng;
use super::world::ORIGIN;

/// One drained output, owned: `Open` with its host, or anything else by its debug text.
#[derive(Debug, PartialEq)]
enum Seen {
    Open(SocketId, String),
    Close(SocketId),
    Reconnecting(u32),
    Other(String),
}

fn drain(session: &mut DefaultSession<'_, SimRng>) -> (Vec<Seen>, Option<u64>) {
    let mut seen = Vec::new();
    loop {
        match session.poll() {
            Output::Wait { until } => return (seen, until.map(Instant::as_millis)),
            Output::Open { socket, remote } => seen.push(Seen::Open(socket, remote.host.into())),
            Output::Close { socket } => seen.push(Seen::Close(socket)),
            Output::Event(Event::Reconnecting { attempt, .. }) => {
                seen.push(Seen::Reconnecting(attempt));
            }
            other => seen.push(Seen::Other(format!("{other:?}"))),
        }
    }
}

/// Fails every connection until the session backs off `rounds` times; returns when the last
/// backoff ends.
fn fail_rounds(session: &mut DefaultSession<'_, SimRng>, rounds: u32) -> u64 {
    let mut now = ORIGIN;
    let mut backoffs = 0;
    let (mut seen, mut until) = drain(session);
    loop {
        for output in &seen {
            if let Seen::Reconnecting(_) = output {
                backoffs += 1;
            }
        }
        if backoffs == rounds {
            return until.expect("the backoff's end");
        }
        match seen.iter().rev().find_map(|o| match o {
            Seen::Open(socket, _) => Some(*socket),
            _ => None,
        }) {
            Some(socket) if session.live_socket() == Some(socket) => {
                session.closed(
                    Instant::from_millis(now),
                    socket,
                    TransportError::ConnectFailed,
                );
            }
            _ => {
                now = until.expect("a backoff");
                session.timeout(Instant::from_millis(now));
            }
        }
        (seen, until) = drain(session);
    }
}

/// Seed 7817: `logout` called after a backoff ended but before `timeout` (a driver late with
/// its timer) started the next round inside `logout`, and the ending session then handed out
/// that round's `Open` anyway — to a gateway, computed from the ending phase. Logging out must
/// not open anything.
#[test]
fn logout_after_an_overdue_backoff_opens_no_socket() {
    let app = AppIdentity::Key(AppKey::parse("org#app").unwrap());
    let endpoint = Endpoint::custom("https://rest.sim.invalid", "wss://gw.sim.invalid/websocket");
    let config = Config::new(app, "alice", Credential::Token("T"), "sim")
        .with_endpoints(EndpointConfig::Custom(endpoint.unwrap()));
    let mut session =
        DefaultSession::new(&config, SimRng::new(1), Instant::from_millis(ORIGIN)).unwrap();
    session.login(Instant::from_millis(ORIGIN)).unwrap();
    let backoff_ends = fail_rounds(&mut session, 1);
    session
        .logout(Instant::from_millis(backoff_ends + 1))
        .unwrap();
    let (seen, _) = drain(&mut session);
    let opens: Vec<&Seen> = seen
        .iter()
        .filter(|s| matches!(s, Seen::Open(..)))
        .collect();
    assert!(opens.is_empty(), "logout opened {opens:?} (all: {seen:?})");
}

/// The same with the bootstrap: the `Open` of the pending bootstrap socket named a gateway
/// with an empty host (no gateway is known before `server.json`).
#[test]
fn logout_after_an_overdue_bootstrap_backoff_opens_no_socket() {
    let bases = [Url::parse("https://rs1.sim.invalid").unwrap()];
    let app = AppIdentity::Key(AppKey::parse("org#app").unwrap());
    let config = Config::new(app, "alice", Credential::Token("T"), "sim").with_endpoints(
        EndpointConfig::Bootstrap(BootstrapConfig {
            bases: &bases,
            allow_plain: false,
        }),
    );
    let mut session =
        DefaultSession::new(&config, SimRng::new(1), Instant::from_millis(ORIGIN)).unwrap();
    session.login(Instant::from_millis(ORIGIN)).unwrap();
    let backoff_ends = fail_rounds(&mut session, 1);
    session
        .logout(Instant::from_millis(backoff_ends + 1))
        .unwrap();
    let (seen, _) = drain(&mut session);
    let opens: Vec<&Seen> = seen
        .iter()
        .filter(|s| matches!(s, Seen::Open(..)))
        .collect();
    assert!(opens.is_empty(), "logout opened {opens:?} (all: {seen:?})");
}
