//! Transcript tests: the exact sequence of session outputs for each scenario, compared with a
//! golden list. Transmitted frames are decoded (WebSocket unmasked, base64 undone, msync
//! decoded) and named `=vector` when they equal a golden vector byte for byte, or shown as
//! their JSON view otherwise. The clock is frozen at the vectors' `now_ms` unless a test moves
//! it; `Wait +n` is a deadline `n` ms after it.

mod support;

use msync_core::app::{AppIdentity, AppKey};
use msync_core::session::{
    BackoffTier, Config, Credential, DefaultSession, MessageId, OutgoingMessage, TransportError,
};
use msync_core::time::Duration;
use support::*;

/// Backoff delays of exactly 2 s, so that transcripts do not depend on the RNG.
static FIXED_BACKOFF: [BackoffTier; 1] = [BackoffTier {
    from_attempt: 1,
    min: Duration::from_secs(2),
    max: Duration::from_secs(2),
    granularity: Duration::from_secs(1),
}];

/// The vectors' identity: `org#app`, `alice`, token `TOKEN`, device `webim`/`zfb_<now>`;
/// no heartbeat jitter and a fixed backoff; LOGOUT reason `logout` as in `logout_up`.
fn vector_config() -> Config<'static> {
    let app = AppIdentity::Key(AppKey::parse("org#app").unwrap());
    let mut config = Config::new(
        app,
        "alice",
        Credential::Token("TOKEN"),
        "zfb_1700000000000",
    );
    config.timings.heartbeat_jitter = Duration::ZERO;
    config.reconnect.tiers = &FIXED_BACKOFF;
    config.options.logout_reason = "logout";
    config
}

#[track_caller]
fn assert_transcript(actual: Vec<String>, expected: &[&str]) {
    if actual != expected {
        let width = expected.iter().map(|l| l.len()).max().unwrap_or(0).min(70);
        let mut report = String::from("transcript differs (expected | actual):\n");
        for i in 0..actual.len().max(expected.len()) {
            let e = expected.get(i).copied().unwrap_or("<none>");
            let a = actual.get(i).map(String::as_str).unwrap_or("<none>");
            let mark = if e == a { ' ' } else { '!' };
            report.push_str(&format!("{mark} {e:width$} | {a}\n"));
        }
        panic!("{report}");
    }
}

fn text_id(n: u64) -> MessageId {
    MessageId::new(n).unwrap()
}

/// Logs in with the vector frames; returns the socket, with the transcript so far checked.
fn online(h: &mut DefaultHarness<'_>) -> msync_core::session::SocketId {
    h.session.login(at(0)).unwrap();
    h.drain();
    let socket = h.last_open();
    h.accept_websocket(socket);
    h.reply(socket, &vector("provision_reply_ok_down"));
    assert_transcript(
        h.lines(),
        &[
            "Event Connecting",
            "Open #1 im-api-alipay.easemob.com:443 tls Gateway",
            "Wait +10000",
            "Transmit #1 GET /websocket HTTP/1.1",
            "Wait +10000",
            "Transmit #1 text =provision_up",
            "Wait +10000",
            "Event TokenUpdated",
            "Event Online",
            "Transmit #1 text =unread_up",
            "Transmit #1 text =statistic_information_up",
            "Wait +30000",
        ],
    );
    socket
}

#[test]
fn token_login_reproduces_the_vectors() {
    let config = vector_config();
    let mut h = DefaultHarness::new(DefaultSession::new(&config, Rng(1), at(0)).unwrap());
    online(&mut h);
    // The Alipay gateway gets text frames holding exactly the vectors' base64.
    let frames = h.msync_since(0);
    let names = ["provision_up", "unread_up", "statistic_information_up"];
    assert_eq!(frames.len(), names.len());
    for (frame, name) in frames.iter().zip(names) {
        assert_eq!(frame.opcode, 0x1, "{name} is a text frame");
        assert_eq!(
            String::from_utf8(frame.payload.clone()).unwrap(),
            vector_text(name)
        );
    }
    // The handshake: path, host, no query, the default content-type header.
    let request = String::from_utf8(h.transmits_since(0)[0].clone()).unwrap();
    assert!(request.starts_with("GET /websocket HTTP/1.1\r\nHost: im-api-alipay.easemob.com\r\n"));
    assert!(request.contains("\r\nUpgrade: websocket\r\n"));
    assert!(request.contains("\r\ncontent-type: application/json\r\n"));
    // The reply's rotated token is for the next PROVISION; the resource and session id stay.
    assert_eq!(h.session.token(), "ROTATED_TOKEN");
    assert_eq!(h.session.resource(), "webim_zfb_1700000000000");
    assert_eq!(h.session.state(), msync_core::session::State::Online);
}

#[test]
fn send_receive_logout_transcript_of_the_vectors() {
    let config = vector_config();
    let mut h = DefaultHarness::new(DefaultSession::new(&config, Rng(1), at(0)).unwrap());
    let socket = online(&mut h);
    let hello = OutgoingMessage::text("bob", "hello").with_id(text_id(1_234_567_890_123));
    assert_eq!(
        h.session.send(at(0), &hello),
        Ok(text_id(1_234_567_890_123))
    );
    h.drain();
    h.reply(socket, &vector("send_ack_down"));
    let group = OutgoingMessage::text("group1", "hi all")
        .group()
        .with_id(text_id(1_234_567_890_124));
    h.session.send(at(0), &group).unwrap();
    h.drain();
    h.reply(socket, &vector("notice_down"));
    h.reply(socket, &vector("sync_batch_down"));
    h.reply(socket, &vector("sync_last_down"));
    h.session.logout(at(0)).unwrap();
    h.drain();
    h.reply(socket, &vector("logout_reply_down"));
    assert_transcript(
        h.lines(),
        &[
            "Transmit #1 text =text_single_up",
            "Wait +15000",
            "Event SendAcked id=1234567890123 server_id=1199887766554433 ts=1700000000123",
            "Wait +30000",
            "Transmit #1 text =text_group_up",
            "Wait +15000",
            // NOTICE: the first pull, without a key.
            "Transmit #1 text =sync_pull_up",
            "Wait +15000",
            // The batch reaches the application, then its key is acknowledged.
            "Event Message id=9001 from=bob to=alice Single text=Some(\"incoming\")",
            "Transmit #1 text =sync_key_ack_up",
            "Wait +15000",
            // is_last: the chain ends, nothing is sent.
            "Wait +15000",
            "Transmit #1 text =logout_up",
            "Wait +5000",
            "Close #1",
            // The group message was never acknowledged: it ends with the session, once.
            "Event SendFailed id=1234567890124 SessionEnded(LoggedOut)",
            "Event Closed { reason: LoggedOut }",
            "Wait -",
        ],
    );
    assert_eq!(h.session.pending_sends(), 0);
}

#[test]
fn mid_send_socket_replacement_resends_with_the_same_id() {
    let config = vector_config();
    let mut h = DefaultHarness::new(DefaultSession::new(&config, Rng(1), at(0)).unwrap());
    let old = online(&mut h);
    let hello = OutgoingMessage::text("bob", "hello").with_id(text_id(1_234_567_890_123));
    h.session.send(at(0), &hello).unwrap();
    h.drain();
    let first_send = h.msync_since(0).pop().unwrap().msync();
    h.closed(old, TransportError::Reset);
    h.advance_to(2000);
    let new = h.last_open();
    h.accept_websocket(new);
    h.reply(new, &vector("provision_reply_ok_down"));
    let from = h.log.len();
    // A late ACK on the replaced socket is ignored; the live socket's ACK ends the send once.
    h.feed(old, &server_binary(&vector("send_ack_down")));
    h.reply(new, &vector("send_ack_down"));
    h.reply(new, &vector("send_ack_down"));
    assert_transcript(
        h.lines(),
        &[
            "Transmit #1 text =text_single_up",
            "Wait +15000",
            "Event Reconnecting { attempt: 1, delay: Duration(2000), cause: Transport(Reset) }",
            "Wait +2000",
            "Open #2 im-api-alipay.easecdn.com:443 tls Gateway",
            "Wait +12000",
            "Transmit #2 GET /websocket HTTP/1.1",
            "Wait +12000",
            "Transmit #2 text PROVISION {\"Provision\":{\"action_version\":\"v5.2\",\"auth_token\":\"eyJ0b2tlbiI6IiR0JFJPVEFURURfVE9LRU4ifQ==\",\"compress_type\":[\"COMPRESS_NONE\"],\"device_name\":\"webim\",\"device_uuid\":\"zfb_1700000000000\",\"encrypt_type\":[\"ENCRYPT_NONE\"],\"os_type\":\"OS_OTHER\",\"resource\":\"webim_zfb_1700000000000\",\"session_id\":\"1700000002000:\",\"version\":\"4.21.1\"}}",
            "Wait +12000",
            "Event TokenUpdated",
            "Event Online",
            "Transmit #2 text UNREAD",
            "Transmit #2 text SYNC {\"CommSyncUL\":{\"meta\":{\"id\":\"1700000002000\",\"ns\":\"STATISTIC\",\"payload\":\"CAA=\"}},\"StatisticsBody\":{\"operation\":\"INFORMATION\"}}",
            "Transmit #2 text SYNC {\"CommSyncUL\":{\"meta\":{\"id\":\"1234567890123\",\"ns\":\"CHAT\",\"payload\":\"CAESBxIFYWxpY2UaBRIDYm9iIgkIABIFaGVsbG8=\",\"routetype\":\"ROUTE_ALL\",\"to\":{\"app_key\":\"org#app\",\"domain\":\"easemob.com\",\"name\":\"bob\"}}},\"MessageBody\":{\"contents\":[{\"text\":\"hello\",\"type\":\"TEXT\"}],\"from\":{\"name\":\"alice\"},\"to\":{\"name\":\"bob\"},\"type\":\"CHAT\"}}",
            "Wait +17000",
            "Wait +17000",
            "Event SendAcked id=1234567890123 server_id=1199887766554433 ts=1700000000123",
            "Wait +32000",
            "Wait +32000",
        ],
    );
    // The re-send carries the original CommSyncUL byte for byte; only the envelope's trace id
    // differs.
    let resend = h.msync_since(0).pop().unwrap().msync();
    let payload = |bytes: &[u8]| up_views(bytes).0["payload"].clone();
    assert_eq!(payload(&resend), payload(&first_send));
    assert_ne!(resend, first_send);
    let stats = h.session.stats();
    assert_eq!(stats.stale_inputs, 1);
    assert_eq!(stats.unmatched_acks, 1);
    assert!(from < h.log.len());
}
