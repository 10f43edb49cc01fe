//! Transcript tests: the exact sequence of session outputs for each scenario, compared with a
//! golden list. Transmitted frames are decoded (WebSocket unmasked, base64 undone, msync
//! decoded) and named `=vector` when they equal a golden vector byte for byte, or shown as
//! their JSON view otherwise. The clock is frozen at the vectors' `now_ms` unless a test moves
//! it; `Wait +n` is a deadline `n` ms after it.

mod support;

use msync_core::session::{DefaultSession, MessageId, OutgoingMessage, TransportError};
use support::*;

fn text_id(n: u64) -> MessageId {
    MessageId::new(n).unwrap()
}

/// Logs in with the vector frames; returns the socket, with the transcript so far checked.
fn online(h: &mut DefaultHarness<'_>) -> msync_core::session::SocketId {
    let socket = h.login();
    h.provision_ok(socket);
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
    let mut h = harness(&config);
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
    let mut h = harness(&config);
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
    let mut h = harness(&config);
    let old = online(&mut h);
    let hello = OutgoingMessage::text("bob", "hello").with_id(text_id(1_234_567_890_123));
    h.session.send(at(0), &hello).unwrap();
    h.drain();
    let first_send = h.msync_since(0).pop().unwrap().msync();
    h.closed(old, TransportError::Reset);
    h.advance_to(2000);
    let new = h.last_open();
    h.provision_ok(new);
    let from = h.log.len();
    // A late ACK on the replaced socket is ignored; the live socket's ACK ends the send once.
    h.reply(old, &vector("send_ack_down"));
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

#[test]
fn send_rejected_by_the_server() {
    let config = vector_config();
    let mut h = harness(&config);
    let socket = go_online(&mut h);
    let hello = OutgoingMessage::text("bob", "hello").with_id(text_id(1_234_567_890_123));
    h.session.send(at(0), &hello).unwrap();
    h.drain();
    h.reply(socket, &vector("send_nack_down"));
    // The ACK that follows a rejection matches nothing: the send ended once.
    h.reply(socket, &vector("send_ack_down"));
    assert_transcript(
        h.lines(),
        &[
            "Transmit #1 text =text_single_up",
            "Wait +15000",
            "Event SendFailed id=1234567890123 Rejected { code: PERMISSION_DENIED, reason: SensitiveContent, text: \"sensitive words\" }",
            "Wait +30000",
            "Wait +30000",
        ],
    );
    assert_eq!(h.session.stats().unmatched_acks, 1);
}

const ALICE_QUEUE: &str = r#"{"app_key":"org#app","domain":"easemob.com","name":"alice"}"#;

#[cfg(feature = "zlib")]
#[test]
fn offline_sync_pulls_what_unread_lists() {
    let config = vector_config();
    let mut h = harness(&config);
    let socket = go_online(&mut h);
    h.reply(socket, &vector("unread_reply_down"));
    // The compressed form of the batch, then the drained marker as an Alipay text frame.
    h.reply(socket, &vector("sync_batch_down_zlib"));
    h.feed(socket, &server_text(&vector("sync_last_down")));
    assert_transcript(
        h.lines(),
        &[
            &format!("Transmit #1 text SYNC {{\"CommSyncUL\":{{\"queue\":{ALICE_QUEUE}}}}}"),
            "Wait +15000",
            "Event Message id=9001 from=bob to=alice Single text=Some(\"incoming\")",
            &format!(
                "Transmit #1 text SYNC {{\"CommSyncUL\":{{\"key\":\"42\",\"queue\":{ALICE_QUEUE}}}}}"
            ),
            "Wait +15000",
            "Wait +30000",
        ],
    );
}

/// Without the `zlib` feature a compressed batch is reported and dropped like any frame that
/// does not decode: nothing handed out, no key; the pull times out and the socket is replaced.
#[cfg(not(feature = "zlib"))]
#[test]
fn a_compressed_batch_without_zlib_is_reported_and_left_unacknowledged() {
    let config = vector_config();
    let mut h = harness(&config);
    let socket = go_online(&mut h);
    h.reply(socket, &vector("unread_reply_down"));
    h.reply(socket, &vector("sync_batch_down_zlib"));
    h.advance_to(15_000);
    assert_transcript(
        h.lines(),
        &[
            &format!("Transmit #1 text SYNC {{\"CommSyncUL\":{{\"queue\":{ALICE_QUEUE}}}}}"),
            "Wait +15000",
            "Event Capacity(CompressedFrame)",
            "Wait +15000",
            "Close #1",
            "Event Reconnecting { attempt: 1, delay: Duration(2000), cause: AckTimeout }",
            "Wait +17000",
        ],
    );
    assert_eq!(h.session.stats().malformed_frames, 1);
}

#[test]
fn a_batch_delivered_again_is_handed_out_once() {
    let config = vector_config();
    let mut h = harness(&config);
    let socket = go_online(&mut h);
    h.reply(socket, &vector("notice_down"));
    h.reply(socket, &vector("sync_batch_down"));
    // The server re-delivers the same batch (as after a reconnect): no second Message.
    h.reply(socket, &vector("sync_batch_down"));
    h.reply(socket, &vector("sync_last_down"));
    let messages = h
        .lines()
        .into_iter()
        .filter(|line| line.starts_with("Event Message"))
        .count();
    assert_eq!(messages, 1);
    assert_eq!(h.session.stats().duplicates_dropped, 1);
}

#[test]
fn heartbeat_ping_and_idle_unread() {
    let config = vector_config();
    let mut h = harness(&config);
    let socket = go_online(&mut h);
    h.feed(socket, &server_frame(true, 0x9, b"hi"));
    h.advance_to(30_000);
    h.reply(socket, &vector("unread_reply_down"));
    h.reply(socket, &vector("sync_last_down"));
    h.advance_to(60_000);
    assert_transcript(
        h.lines(),
        &[
            "Transmit #1 pong [68, 69]",
            "Wait +30000",
            "Transmit #1 text UNREAD",
            "Wait +60000",
            &format!("Transmit #1 text SYNC {{\"CommSyncUL\":{{\"queue\":{ALICE_QUEUE}}}}}"),
            "Wait +45000",
            // An empty is_last after a first pull, no key remembered: the chain ends.
            "Wait +60000",
            "Transmit #1 text UNREAD",
            "Wait +90000",
        ],
    );
}

#[test]
fn a_dead_link_is_replaced() {
    let config = vector_config();
    let mut h = harness(&config);
    go_online(&mut h);
    for t in [30_000, 60_000, 65_000, 67_000] {
        h.advance_to(t);
    }
    assert_transcript(
        h.lines(),
        &[
            "Transmit #1 text UNREAD",
            "Wait +60000",
            "Transmit #1 text UNREAD",
            "Wait +65000",
            "Close #1",
            "Event Reconnecting { attempt: 1, delay: Duration(2000), cause: DeadLink }",
            "Wait +67000",
            "Open #2 im-api-alipay.easecdn.com:443 tls Gateway",
            "Wait +77000",
        ],
    );
}

#[test]
fn kick_acknowledges_its_batch_and_closes_for_good() {
    let config = vector_config();
    let mut h = harness(&config);
    let socket = go_online(&mut h);
    let pending = OutgoingMessage::text("bob", "hello").with_id(text_id(1_234_567_890_123));
    h.session.send(at(0), &pending).unwrap();
    h.drain();
    h.reply(socket, &vector("notice_down"));
    h.reply(socket, &vector("kicked_login_another_device_down"));
    // Late bytes and a late close of the kicked socket change nothing.
    h.reply(socket, &vector("notice_down"));
    h.closed(socket, TransportError::PeerClosed);
    h.advance_to(100_000);
    assert_transcript(
        h.lines(),
        &[
            "Transmit #1 text =text_single_up",
            "Wait +15000",
            &format!("Transmit #1 text SYNC {{\"CommSyncUL\":{{\"queue\":{ALICE_QUEUE}}}}}"),
            "Wait +15000",
            "Event Kicked LoginOnAnotherDevice device=Some(\"iPhone\")",
            &format!(
                "Transmit #1 text SYNC {{\"CommSyncUL\":{{\"key\":\"43\",\"queue\":{ALICE_QUEUE}}}}}"
            ),
            "Close #1",
            "Event SendFailed id=1234567890123 SessionEnded(Kicked(LoginOnAnotherDevice))",
            "Event Closed { reason: Kicked(LoginOnAnotherDevice) }",
            "Wait -",
            "Wait -",
            "Wait -",
            "Wait -",
        ],
    );
    assert_eq!(h.session.stats().stale_inputs, 2);
    assert_eq!(h.session.live_socket(), None);
}

#[test]
fn token_expiry_warns_then_logs_out() {
    let mut config = vector_config();
    config.timings.heartbeat_interval = msync_core::time::Duration::from_secs(1_000_000);
    config.timings.dead_after = msync_core::time::Duration::from_secs(1_000_000);
    let mut h = harness(&config);
    go_online(&mut h);
    // The reply's expires_in is absolute ms (now + 86400 s): warn at 80 %.
    assert_eq!(h.session.token_expires_at(), Some(at(86_400_000)));
    h.advance_to(69_120_000);
    h.advance_to(86_400_000);
    h.advance_to(86_405_000);
    assert_transcript(
        h.lines(),
        &[
            "Event TokenWillExpire { expires_at: Instant(1700086400000) }",
            "Wait +86400000",
            "Transmit #1 text LOGOUT {\"Logout\":{\"reason\":\"inner:token expired\",\"session_id\":\"1700000000000:\"}}",
            "Wait +86405000",
            "Close #1",
            "Event Closed { reason: TokenExpired }",
            "Wait -",
        ],
    );
}

#[test]
fn renewed_token_is_used_on_the_next_provision() {
    let mut config = vector_config();
    config.timings.heartbeat_interval = msync_core::time::Duration::from_secs(1_000_000);
    config.timings.dead_after = msync_core::time::Duration::from_secs(1_000_000);
    let mut h = harness(&config);
    let socket = go_online(&mut h);
    h.session
        .renew_token(at(0), "RENEWED", Some(172_800))
        .unwrap();
    assert_eq!(h.session.token_expires_at(), Some(at(172_800_000)));
    h.advance_to(86_400_000);
    h.closed(socket, TransportError::PeerClosed);
    h.advance_to(86_402_000);
    let socket = h.last_open();
    h.accept_websocket(socket);
    let provision = h.msync_since(0).pop().unwrap().msync();
    let (envelope, payload) = up_views(&provision);
    assert_eq!(envelope["auth"], "$t$RENEWED");
    assert_eq!(
        base64_decode(
            payload["Provision"]["auth_token"]
                .as_str()
                .unwrap()
                .as_bytes()
        )
        .unwrap(),
        br#"{"token":"$t$RENEWED"}"#
    );
    assert!(h.lines().iter().all(|line| !line.contains("TokenExpired")));
}

#[test]
fn logout_without_reply_closes_after_the_timeout() {
    let config = vector_config();
    let mut h = harness(&config);
    go_online(&mut h);
    h.session.logout(at(0)).unwrap();
    h.drain();
    h.advance_to(5_000);
    assert_transcript(
        h.lines(),
        &[
            "Transmit #1 text LOGOUT {\"Logout\":{\"reason\":\"logout\",\"session_id\":\"1700000000000:\"}}",
            "Wait +5000",
            "Close #1",
            "Event Closed { reason: LoggedOut }",
            "Wait -",
        ],
    );
}

#[test]
fn server_close_is_echoed_and_garbage_replaces_the_socket() {
    let config = vector_config();
    let mut h = harness(&config);
    let socket = go_online(&mut h);
    // Close frame with code 1001: the code echoed (RFC 6455 §5.5.1), then the socket replaced.
    h.feed(socket, &server_frame(true, 0x8, &[0x03, 0xe9]));
    h.advance_to(2_000);
    let socket = h.last_open();
    h.provision_ok(socket);
    h.lines();
    // A masked server frame breaks RFC 6455: protocol error, replaced again.
    h.feed(socket, &[0x82, 0x81, 1, 2, 3, 4, 5]);
    assert_transcript(
        h.lines(),
        &[
            "Close #2",
            "Event Reconnecting { attempt: 1, delay: Duration(2000), cause: ProtocolError }",
            "Wait +4000",
        ],
    );
    let first: Vec<String> = h.log.iter().map(Out::describe).collect();
    let echo = first
        .iter()
        .position(|l| l == "Transmit #1 close [03, e9]")
        .expect("an echo of code 1001");
    assert_eq!(first[echo + 1], "Close #1");
    assert_eq!(
        first[echo + 2],
        "Event Reconnecting { attempt: 1, delay: Duration(2000), cause: ServerClosed }"
    );
}

#[test]
fn server_close_echo_carries_the_code_and_no_reason() {
    let config = vector_config();
    // Code 1000 with a reason: the echo carries the code alone; no code: an empty echo.
    for (payload, echo) in [
        (&b"\x03\xe8going home"[..], "Transmit #1 close [03, e8]"),
        (&b"\x0f\xa0"[..], "Transmit #1 close [0f, a0]"),
        (&b""[..], "Transmit #1 close []"),
    ] {
        let mut h = harness(&config);
        let socket = go_online(&mut h);
        h.lines();
        h.feed(socket, &server_frame(true, 0x8, payload));
        assert_transcript(
            h.lines(),
            &[
                echo,
                "Close #1",
                "Event Reconnecting { attempt: 1, delay: Duration(2000), cause: ServerClosed }",
                "Wait +2000",
            ],
        );
    }
}

#[test]
fn debug_output_never_shows_the_token() {
    let mut config = vector_config();
    config.credential = msync_core::session::Credential::Token("SECRET-TOKEN-42");
    let mut session = DefaultSession::new(&config, Rng(1), at(0)).unwrap();
    session.login(at(0)).unwrap();
    let mut seen = Vec::new();
    for _ in 0..100 {
        let output = session.poll();
        seen.push(format!("{output:?}"));
        match output {
            msync_core::session::Output::Open { socket, .. } => {
                session.opened(at(0), socket);
            }
            msync_core::session::Output::Transmit { socket, bytes } => {
                if bytes.starts_with(b"GET ") {
                    let response = handshake_response(bytes);
                    session.received(at(0), socket, &response);
                } else {
                    break;
                }
            }
            msync_core::session::Output::Wait { .. } => {}
            _ => {}
        }
    }
    let last = seen.last().unwrap();
    assert!(
        last.starts_with("Transmit") && last.contains("len"),
        "{last}"
    );
    let everything = format!("{seen:?}{config:?}{session:?}");
    assert!(!everything.contains("SECRET"), "{everything}");
}

/// The vector transcript with the server's bytes delivered by `deliver`, which gets the
/// harness, the socket and the server's bytes for one step.
fn vector_transcript(
    deliver: fn(&mut DefaultHarness<'_>, msync_core::session::SocketId, &[u8]),
) -> Vec<String> {
    let config = vector_config();
    let mut h = harness(&config);
    let socket = h.login();
    h.opened(socket);
    // The handshake answer and the PROVISION reply arrive in one read.
    let mut first = handshake_response(&h.last_transmit());
    first.extend(server_binary(&vector("provision_reply_ok_down")));
    deliver(&mut h, socket, &first);
    let hello = OutgoingMessage::text("bob", "hello").with_id(text_id(1_234_567_890_123));
    h.session.send(at(0), &hello).unwrap();
    h.drain();
    let mut rest = Vec::new();
    for name in [
        "send_ack_down",
        "notice_down",
        "sync_batch_down",
        "sync_last_down",
    ] {
        rest.extend(server_binary(&vector(name)));
    }
    rest.extend(server_text(&vector("unread_reply_down")));
    rest.extend(server_frame(true, 0x9, b"p"));
    rest.extend(server_binary(&vector("sync_batch_down_zlib")));
    deliver(&mut h, socket, &rest);
    h.log.iter().map(Out::describe).collect()
}

#[test]
fn partial_and_coalesced_reads_give_the_same_transcript() {
    let whole = vector_transcript(|h, socket, bytes| h.feed(socket, bytes));
    let byte_by_byte = vector_transcript(|h, socket, bytes| {
        for byte in bytes {
            h.feed(socket, std::slice::from_ref(byte));
        }
    });
    let odd_pieces = vector_transcript(|h, socket, bytes| {
        for piece in bytes.chunks(7) {
            h.feed(socket, piece);
        }
    });
    // Reads that end without completing a frame add no output but a Wait: compare without
    // the Waits.
    let outputs = |lines: &[String]| -> Vec<String> {
        lines
            .iter()
            .filter(|l| !l.starts_with("Wait"))
            .cloned()
            .collect()
    };
    assert_eq!(outputs(&byte_by_byte), outputs(&whole));
    assert_eq!(outputs(&odd_pieces), outputs(&whole));
    let whole = outputs(&whole);
    // One message, one key ack per batch; the re-delivered zlib batch is a duplicate.
    assert_eq!(
        whole
            .iter()
            .filter(|l| l.starts_with("Event Message"))
            .count(),
        1
    );
    assert!(whole.iter().any(|l| l == "Transmit #1 pong [70]"));
    assert!(whole.iter().any(
        |l| l == "Event SendAcked id=1234567890123 server_id=1199887766554433 ts=1700000000123"
    ));
}

/// `Stats::stale_inputs`: bytes arriving after an overdue dead-link deadline (the driver late
/// with its timer) meet a tick that retires their socket first; they count as stale and are
/// dropped undecoded. The caller's `closed` for the socket it was told to close counts too.
#[test]
fn an_input_whose_own_tick_retires_its_socket_is_stale() {
    let config = vector_config();
    let mut h = harness(&config);
    let socket = go_online(&mut h);
    h.advance_to(30_000);
    // On time: counted nowhere, decoded.
    h.reply(socket, &vector("send_ack_down"));
    assert_eq!(h.session.stats().stale_inputs, 0);
    assert_eq!(h.session.stats().unmatched_acks, 1);
    h.lines();
    // Nothing more until 96 s: the dead-link deadline (30 s + 65 s) passed unnoticed.
    h.now = NOW + 96_000;
    h.reply(socket, &vector("notice_down"));
    assert_transcript(
        h.lines(),
        &[
            "Close #1",
            "Event Reconnecting { attempt: 1, delay: Duration(2000), cause: DeadLink }",
            "Wait +98000",
        ],
    );
    let stats = h.session.stats();
    assert_eq!(stats.stale_inputs, 1);
    assert_eq!(stats.frames_received, 2, "the NOTICE was not decoded");
    h.closed(socket, TransportError::PeerClosed);
    assert_eq!(h.session.stats().stale_inputs, 2);
}

/// A send-only session (`Receive::Nothing`) never pulls or acknowledges: the queue an UNREAD
/// reply lists and the one a NOTICE names stay untouched on the server, while UNREAD still
/// goes out as the heartbeat and sends are acknowledged as usual. A batch the server pushes
/// unasked is handed out without its key, and a kick in one still ends the session.
#[test]
fn a_send_only_session_never_pulls_or_acknowledges() {
    let mut config = vector_config();
    config.options.receive = msync_core::session::Receive::Nothing;
    let mut h = harness(&config);
    let socket = online(&mut h);
    h.reply(socket, &vector("unread_reply_down"));
    h.reply(socket, &vector("notice_down"));
    let hello = OutgoingMessage::text("bob", "hello").with_id(text_id(1_234_567_890_123));
    h.session.send(at(0), &hello).unwrap();
    h.drain();
    h.reply(socket, &vector("send_ack_down"));
    h.reply(socket, &vector("sync_batch_down"));
    h.advance_to(30_000);
    h.reply(socket, &vector("unread_reply_down"));
    h.reply(socket, &vector("kicked_login_another_device_down"));
    assert_transcript(
        h.lines(),
        &[
            // The UNREAD reply lists alice's queue and the NOTICE names it: no pull.
            "Wait +30000",
            "Wait +30000",
            "Transmit #1 text =text_single_up",
            "Wait +15000",
            "Event SendAcked id=1234567890123 server_id=1199887766554433 ts=1700000000123",
            "Wait +30000",
            // Pushed unasked: handed out, its key (42) not acknowledged.
            "Event Message id=9001 from=bob to=alice Single text=Some(\"incoming\")",
            "Wait +30000",
            "Transmit #1 text UNREAD",
            "Wait +60000",
            "Wait +60000",
            "Event Kicked LoginOnAnotherDevice device=Some(\"iPhone\")",
            "Close #1",
            "Event Closed { reason: Kicked(LoginOnAnotherDevice) }",
            "Wait -",
        ],
    );
    let sent = h.msync_since(0);
    let commands: Vec<String> = sent.iter().map(|f| command_of(&f.msync())).collect();
    assert_eq!(commands, ["PROVISION", "UNREAD", "SYNC", "SYNC", "UNREAD"]);
}
