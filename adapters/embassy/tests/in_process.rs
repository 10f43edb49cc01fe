//! The adapter end to end without root or a real network: the client's embassy-net stack and
//! a server-side embassy-net stack joined in memory (tests/support), the server side
//! answering DNS for `localhost` and bridging TCP to devservers on 127.0.0.1. Two clients log
//! in, message each other, ride out a devserver restart (every socket replaced, a send in
//! flight re-sent), and log out; commands, custom events and locations with attributes go to
//! users, groups and chat rooms with routing options, and a renewed token serves the next
//! connection; over TLS, CA verification and both pins succeed and a wrong pin fails.

// Events and the adapter's log go to stderr, which the harness shows for a failing test.
#![allow(clippy::print_stderr)]

mod support;

use std::net::SocketAddr;
use std::time::{SystemTime, UNIX_EPOCH};

use embassy_futures::join::{join, join3, join4};
use embassy_futures::select::{Either, select};
use embassy_net::Stack;
use embassy_sync::blocking_mutex::raw::NoopRawMutex;
use embassy_time::{Duration, with_timeout};
use msync_core::app::{AppIdentity, AppKey};
use msync_core::driver::Clock as _;
use msync_core::region::Endpoint;
use msync_core::session::{
    ChatType, ChatroomPriority, CloseReason, Config, Credential, DefaultSession, Disconnect,
    EndpointConfig, MAX_TOKEN_LEN, MessageId, Route, SendError, State, TokenError, TransportError,
};
use msync_core::wire::msync::{
    Body, ContentType, Direction as WireDirection, MSync, MessageBody, Meta, MetaBody, RouteType,
    ValueType,
};
use msync_devserver::{DevServer, Direction, RoomSpec, RunningServer};
use msync_embassy::{
    Buffers, Client, ClientChannels, ClientEvent, Content, EmbassyClock, Error, KeyValue, Message,
    OutgoingMessage, Runner, TlsOptions, Value, Verify,
};
use rand::SeedableRng;
use rand::rngs::StdRng;

const APP_KEY: &str = "embassy#test";
const PASSWORD: &str = "secret-password";
/// Messages in the TLS burst.
const BURST: usize = 30;
/// Every test ends within this, whatever happens.
const TEST_LIMIT: Duration = Duration::from_secs(90);

/// Messages of up to 256 bytes of text and 8 attributes, 16 events waiting.
type Channels = ClientChannels<NoopRawMutex, 256, 16, ATTRS>;
type TestClient<'c> = Client<'c, NoopRawMutex, 256, 16, ATTRS>;
type Event = ClientEvent<256, ATTRS>;
const ATTRS: usize = 8;

/// One device: its configuration and channels; the runner is made by [`run_device`].
struct Device {
    user: &'static str,
    /// Log in with this token (straight to the gateway) instead of the password (REST first).
    token: Option<String>,
    uuid: &'static str,
    rest: String,
    gateway: String,
    channels: Channels,
}

impl Device {
    fn new(user: &'static str, uuid: &'static str, host_port: &str, tls: bool) -> Self {
        let (http, ws) = if tls {
            ("https", "wss")
        } else {
            ("http", "ws")
        };
        Self {
            user,
            token: None,
            uuid,
            rest: format!("{http}://{host_port}"),
            gateway: format!("{ws}://{host_port}/websocket"),
            channels: Channels::new(),
        }
    }

    fn client(&self) -> TestClient<'_> {
        self.channels.client()
    }
}

/// The session of `device`, run on `stack` until its client stops it; TLS with `verify` if
/// given.
async fn run_device(device: &Device, stack: Stack<'_>, verify: Option<Verify<'_>>) -> State {
    let app = AppIdentity::Key(AppKey::parse(APP_KEY).unwrap());
    let endpoint = Endpoint::custom(&device.rest, &device.gateway).unwrap();
    let credential = match &device.token {
        Some(token) => Credential::Token(token),
        None => Credential::Password(PASSWORD),
    };
    let config = Config::new(app, device.user, credential, device.uuid)
        .with_endpoints(EndpointConfig::Custom(endpoint));
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    let clock = EmbassyClock::from_unix_millis(u64::try_from(now.as_millis()).unwrap());
    let seed = u64::from(device.user.len() as u32) ^ 0x5eed;
    // On the heap: the test's futures are large enough without it.
    let mut session =
        Box::new(DefaultSession::new(&config, StdRng::seed_from_u64(seed), clock.now()).unwrap());
    let mut app = device.channels.application();
    let (mut tcp_rx, mut tcp_tx) = (vec![0u8; 2048], vec![0u8; 2048]);
    let (mut tls_read, mut tls_write) = (vec![0u8; 16_640], vec![0u8; 2048]);
    // The runner borrows the session, as firmware that keeps it in a static does.
    match verify {
        None => {
            let buffers = Buffers::plain(&mut tcp_rx, &mut tcp_tx);
            Runner::new(stack, buffers)
                .run(&mut *session, clock, &mut app)
                .await;
        }
        Some(verify) => {
            let buffers = Buffers::tls(&mut tcp_rx, &mut tcp_tx, &mut tls_read, &mut tls_write);
            let tls = TlsOptions::new(verify, StdRng::seed_from_u64(seed + 1));
            Runner::new(stack, buffers)
                .with_tls(tls)
                .run(&mut *session, clock, &mut app)
                .await;
        }
    };
    session.state()
}

/// A devserver on 127.0.0.1 with the test users.
async fn devserver(tls: bool) -> RunningServer {
    let server = DevServer::start(msync_devserver::Config::new().tls(tls))
        .await
        .unwrap();
    for user in ["alice", "bob", "carol", "eve", "mallory"] {
        server.register_user(APP_KEY, user, PASSWORD).unwrap();
    }
    server
}

/// Runs `scenario` next to the network, the bridges to `upstream` (port 80 plain, 443 TLS)
/// and the DNS responder, bounded by [`TEST_LIMIT`].
async fn with_network<F, Fut>(upstream: SocketAddr, port: u16, scenario: F)
where
    F: FnOnce(Stack<'static>) -> Fut,
    Fut: core::future::Future<Output = ()>,
{
    support::log_to_stderr();
    let memory: &'static mut support::NetMemory = Box::leak(support::NetMemory::new());
    let (client, server, network) = support::network(memory);
    let services = join(
        support::dns::responder(server),
        embassy_futures::join::join_array(
            [(); 6].map(|()| support::bridge(server, port, upstream)),
        ),
    );
    let work = Box::pin(scenario(client));
    let background = Box::pin(join(network, services));
    match with_timeout(TEST_LIMIT, select(work, background)).await {
        Ok(Either::First(())) => {}
        Ok(Either::Second(_)) => panic!("the network stopped"),
        Err(_) => panic!("the scenario did not finish within {TEST_LIMIT:?}"),
    }
}

/// Events until one matches; panics on a session that closed unexpectedly.
async fn wait_for(client: &TestClient<'_>, wanted: impl Fn(&Event) -> bool) -> Event {
    loop {
        let event = client.next_event().await;
        eprintln!("event: {event:?}");
        if wanted(&event) {
            return event;
        }
    }
}

async fn next_message(client: &TestClient<'_>) -> Message<256, ATTRS> {
    match wait_for(client, |e| matches!(e, ClientEvent::Message(_))).await {
        ClientEvent::Message(message) => message,
        _ => unreachable!(),
    }
}

fn text(message: &Message<256, ATTRS>) -> &str {
    match message.text() {
        Some(text) => text,
        None => panic!("not text: {message:?}"),
    }
}

/// Runs `test` on a current-thread tokio runtime in a thread with a large stack: unoptimised
/// TLS handshake futures need more than the test harness's 2 MiB.
fn run<F: core::future::Future<Output = ()>>(test: impl FnOnce() -> F + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(|| {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap()
                .block_on(test());
        })
        .unwrap()
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
}

#[test]
fn plain_login_send_receive_replacement_and_logout() {
    run(plain_scenario);
}

async fn plain_scenario() {
    let server = devserver(false).await;
    let alice = Device::new("alice", "a-1", "localhost", false);
    let bob = Device::new("bob", "b-1", "localhost", false);
    with_network(server.local_addr(), 80, |stack| async move {
        let scenario = async {
            let (a, b) = (alice.client(), bob.client());
            let (logged_a, logged_b) = join(a.login(), b.login()).await;
            logged_a.expect("alice logs in");
            logged_b.expect("bob logs in");

            a.login()
                .await
                .expect("logging in again while online is a no-op");
            assert_eq!(a.state(), State::Online);
            assert_eq!(
                a.send_text("", "to nobody").await,
                Err(Error::Send(SendError::EmptyRecipient))
            );
            assert_eq!(
                a.send_text("bob", &"x".repeat(257)).await,
                Err(Error::TooLong)
            );

            let ack = a.send_text("bob", "hello bob").await.expect("acknowledged");
            assert_ne!(ack.server_id, 0);
            let message = next_message(&b).await;
            assert_eq!(
                (message.from.as_str(), text(&message)),
                ("alice", "hello bob")
            );
            assert_eq!(message.server_id, ack.server_id);

            let ack = b
                .send_text("alice", "hello alice")
                .await
                .expect("acknowledged");
            let message = next_message(&a).await;
            assert_eq!(
                (message.from.as_str(), text(&message)),
                ("bob", "hello alice")
            );
            assert_eq!(message.server_id, ack.server_id);

            // Every connection drops; a send made meanwhile is re-sent on the new socket.
            let (restarted, sent) = join(
                server.restart(std::time::Duration::from_millis(800)),
                a.send_text("bob", "across the replacement"),
            )
            .await;
            restarted.unwrap();
            let ack = sent.expect("acknowledged after the replacement");
            let reconnecting =
                wait_for(&a, |e| matches!(e, ClientEvent::Reconnecting { .. })).await;
            assert!(matches!(
                reconnecting,
                ClientEvent::Reconnecting { attempt: 1, .. }
            ));
            let message = next_message(&b).await;
            assert_eq!(text(&message), "across the replacement");
            assert_eq!(message.server_id, ack.server_id);

            // Online again on a new socket: messages flow both ways.
            b.send_text("alice", "still here")
                .await
                .expect("acknowledged");
            assert_eq!(text(&next_message(&a).await), "still here");

            a.logout().await.expect("alice logs out");
            b.logout().await.expect("bob logs out");
            let closed = wait_for(&a, |e| matches!(e, ClientEvent::Closed { .. })).await;
            assert_eq!(
                closed,
                ClientEvent::Closed {
                    reason: CloseReason::LoggedOut
                }
            );
            a.stop().await;
            b.stop().await;
        };
        let (alice_end, bob_end, ()) = join3(
            Box::pin(run_device(&alice, stack, None)),
            Box::pin(run_device(&bob, stack, None)),
            scenario,
        )
        .await;
        // The runners returned after the stop, and lent sessions show the logout.
        assert_eq!(alice_end, State::Closed(CloseReason::LoggedOut));
        assert_eq!(bob_end, State::Closed(CloseReason::LoggedOut));
    })
    .await;
}

/// A command's parameters: one of every value type.
const PARAMS: [KeyValue<'static>; 5] = [
    KeyValue::bool("on", true),
    KeyValue::int("level", -3),
    KeyValue {
        key: Some("gain"),
        value_type: Some(ValueType::FLOAT),
        value: Some(Value::Float(1.5)),
    },
    KeyValue::double("ratio", 0.125),
    KeyValue::string("color", "红色"),
];
/// A custom event's fields.
const FIELDS: [KeyValue<'static>; 2] = [
    KeyValue::string("zone", "kitchen"),
    KeyValue::int("severity", 3),
];
/// A message's ext.
const EXT: [KeyValue<'static>; 2] = [KeyValue::string("trace", "t-1"), KeyValue::int("n", 7)];

/// Calls `check` with the meta `user` sent with the client id `id` and its body, as the
/// devserver received them.
fn with_sent_meta(
    server: &RunningServer,
    user: &str,
    id: MessageId,
    check: impl FnOnce(&Meta<'_>, &MessageBody<'_>),
) {
    let frames = server.frames();
    let ups = frames
        .iter()
        .filter(|f| f.direction == Direction::Up && f.user.as_deref() == Some(user));
    for frame in ups {
        let msync = MSync::decode(&frame.bytes).expect("a logged frame decodes");
        let Ok(Some(payload)) = msync.plain_payload() else {
            continue;
        };
        let Ok(Body::SyncUl(sync)) = Body::decode(msync.command(), WireDirection::Up, payload)
        else {
            continue;
        };
        match sync.meta {
            Some(meta) if meta.id == Some(id.get()) => {
                let Ok(MetaBody::Chat(body)) = meta.body() else {
                    panic!("{user}'s meta {id:?} is not a chat message: {meta:?}");
                };
                return check(&meta, &body);
            }
            _ => {}
        }
    }
    panic!("the devserver received no meta {id:?} from {user}");
}

/// The tokens in the PROVISION frames `user` sent (in the devserver's frame log).
fn provisioned_tokens(server: &RunningServer, user: &str) -> Vec<String> {
    let frames = server.frames();
    let provisions = frames
        .iter()
        .filter(|f| f.direction == Direction::Up && f.command == "PROVISION");
    provisions
        .filter_map(|frame| {
            let msync = MSync::decode(&frame.bytes).expect("a logged frame decodes");
            let own = msync.guid.and_then(|jid| jid.name) == Some(user);
            let token = msync.auth.and_then(|auth| auth.strip_prefix("$t$"));
            own.then(|| token.expect("a PROVISION carries a token").to_owned())
        })
        .collect()
}

#[test]
fn commands_custom_events_locations_routing_and_a_renewed_token() {
    run(rich_scenario);
}

async fn rich_scenario() {
    let server = devserver(false).await;
    let members = |owner: &str, members: &[&str]| RoomSpec {
        name: format!("{owner}'s"),
        owner: owner.to_owned(),
        members: members.iter().map(|m| (*m).to_owned()).collect(),
        public: false,
    };
    let group = server
        .create_group(APP_KEY, members("alice", &["bob", "carol"]))
        .unwrap();
    let room = server
        .create_chat_room(APP_KEY, members("alice", &["bob"]))
        .unwrap();
    let alice = Device::new("alice", "a-1", "localhost", false);
    let bob = Device::new("bob", "b-1", "localhost", false);
    let carol = Device::new("carol", "c-1", "localhost", false);
    let server = &server;
    with_network(server.local_addr(), 80, |stack| async move {
        let scenario = async {
            let (a, b, c) = (alice.client(), bob.client(), carol.client());
            let (logged_a, logged_b, logged_c) = join3(a.login(), b.login(), c.login()).await;
            logged_a.expect("alice logs in");
            logged_b.expect("bob logs in");
            logged_c.expect("carol logs in");

            // A command with a parameter of every value type and ext: every field arrives.
            let command = OutgoingMessage::command("bob", "led", &PARAMS).with_ext(&EXT);
            let ack = a.send(&command).await.expect("the command is acknowledged");
            let message = next_message(&b).await;
            assert_eq!(message.from, "alice");
            assert_eq!(message.to, "bob");
            assert_eq!(message.chat, ChatType::Single);
            assert_eq!(message.server_id, ack.server_id);
            assert_eq!(message.timestamp, ack.timestamp);
            let Content::Command { action, params } = message.content() else {
                panic!("not a command: {message:?}");
            };
            assert_eq!(action, "led");
            assert_eq!(params.iter().collect::<Vec<_>>(), PARAMS);
            assert_eq!(params.get("color"), Some(Value::String("红色")));
            assert_eq!(message.ext().iter().collect::<Vec<_>>(), EXT);
            with_sent_meta(server, "alice", ack.id, |meta, body| {
                assert_eq!(meta.routetype, Some(RouteType::ROUTE_ALL));
                let content = body.contents.first().expect("one content");
                assert_eq!(content.content_type, Some(ContentType::COMMAND));
                assert_eq!(content.action, Some("led"));
                assert_eq!(content.params.iter().collect::<Vec<_>>(), PARAMS);
                assert_eq!(body.ext.iter().collect::<Vec<_>>(), EXT);
            });

            // A custom event from bob: its fields arrive.
            let custom = OutgoingMessage::custom("alice", "alarm", &FIELDS);
            let ack = b
                .send(&custom)
                .await
                .expect("the custom event is acknowledged");
            let message = next_message(&a).await;
            assert_eq!(
                (message.from.as_str(), message.server_id),
                ("bob", ack.server_id)
            );
            let Content::Custom { event, exts } = message.content() else {
                panic!("not a custom event: {message:?}");
            };
            assert_eq!(event, "alarm");
            assert_eq!(exts.iter().collect::<Vec<_>>(), FIELDS);
            assert!(message.ext().is_empty());
            with_sent_meta(server, "bob", ack.id, |_, body| {
                let content = body.contents.first().expect("one content");
                assert_eq!(content.content_type, Some(ContentType::CUSTOM));
                assert_eq!(content.custom_event, Some("alarm"));
                assert_eq!(content.custom_exts.iter().collect::<Vec<_>>(), FIELDS);
            });

            // A location with ext to the group, for bob only: carol's next message is the
            // text sent after it to everyone.
            let location = OutgoingMessage::location(&group, 31.2304, 121.4737, "上海")
                .group()
                .with_ext(&EXT)
                .with_route(Route::Directed(&["bob"]));
            let ack = a
                .send(&location)
                .await
                .expect("the location is acknowledged");
            let message = next_message(&b).await;
            assert_eq!(
                (message.from.as_str(), message.to.as_str(), message.chat),
                ("alice", group.as_str(), ChatType::Group)
            );
            assert_eq!(message.server_id, ack.server_id);
            assert_eq!(
                message.content(),
                Content::Location {
                    latitude: 31.2304,
                    longitude: 121.4737,
                    address: "上海"
                }
            );
            assert_eq!(message.ext().iter().collect::<Vec<_>>(), EXT);
            with_sent_meta(server, "alice", ack.id, |meta, body| {
                assert_eq!(meta.routetype, Some(RouteType::ROUTE_DIRECT));
                assert_eq!(meta.directed_users.iter().collect::<Vec<_>>(), ["bob"]);
                let content = body.contents.first().expect("one content");
                assert_eq!(content.content_type, Some(ContentType::LOCATION));
                assert_eq!(
                    (content.latitude, content.longitude, content.address),
                    (Some(31.2304), Some(121.4737), Some("上海"))
                );
                assert_eq!(body.ext.iter().collect::<Vec<_>>(), EXT);
            });
            let everyone = OutgoingMessage::text(&group, "to everyone").group();
            let ack = a.send(&everyone).await.expect("acknowledged");
            for client in [b, c] {
                let message = next_message(&client).await;
                assert_eq!(
                    (text(&message), message.server_id),
                    ("to everyone", ack.server_id)
                );
            }

            // A chat-room message with a priority, to members online now.
            let lobby = OutgoingMessage::text(&room, "lobby")
                .chat_room()
                .with_priority(ChatroomPriority::Low)
                .with_route(Route::OnlineOnly);
            let ack = a.send(&lobby).await.expect("acknowledged");
            let message = next_message(&b).await;
            assert_eq!(
                (text(&message), message.to.as_str(), message.chat),
                ("lobby", room.as_str(), ChatType::ChatRoom)
            );
            with_sent_meta(server, "alice", ack.id, |meta, _| {
                assert_eq!(meta.routetype, Some(RouteType::ROUTE_ONLINE));
                assert_eq!(
                    meta.ext.iter().collect::<Vec<_>>(),
                    [KeyValue::int("chatroom_msg_tag", 2)]
                );
            });

            // What does not fit the client's copy is refused at the call, whole.
            let nine = [KeyValue::int("k", 0); ATTRS + 1];
            let long = "x".repeat(257);
            let group_users = ["bob"; ATTRS + 1];
            for refused in [
                OutgoingMessage::command("bob", "led", &nine),
                OutgoingMessage::custom("bob", &long, &[]),
                OutgoingMessage::text("bob", "hi").with_ext(&nine),
                OutgoingMessage::location("bob", 0.0, 0.0, &long),
                OutgoingMessage::text(&group, "hi")
                    .group()
                    .with_route(Route::Directed(&group_users)),
                OutgoingMessage::text(&long[..65], "hi"),
            ] {
                assert_eq!(a.send(&refused).await, Err(Error::TooLong), "{refused:?}");
            }

            // A renewed token: refused when invalid, else used by the next connection.
            let too_long = "t".repeat(MAX_TOKEN_LEN + 1);
            for (token, error) in [
                ("", TokenError::Invalid),
                ("with space", TokenError::Invalid),
                (too_long.as_str(), TokenError::TooLong),
            ] {
                assert_eq!(a.renew_token(token, None).await, Err(Error::Token(error)));
            }
            let renewed = server
                .insert_token(APP_KEY, "alice", "renewed-token-for-alice", None)
                .unwrap();
            a.renew_token(&renewed.access_token, None)
                .await
                .expect("the token is taken");
            server.clear_frames();
            server
                .restart(std::time::Duration::from_millis(300))
                .await
                .unwrap();
            for client in [a, b] {
                wait_for(&client, |e| matches!(e, ClientEvent::Reconnecting { .. })).await;
                wait_for(&client, |e| matches!(e, ClientEvent::Online)).await;
            }
            let tokens = provisioned_tokens(server, "alice");
            assert!(!tokens.is_empty(), "alice logged in again");
            assert!(
                tokens.iter().all(|t| *t == renewed.access_token),
                "{tokens:?}"
            );
            let ack = a.send_text("bob", "renewed").await.expect("acknowledged");
            let message = next_message(&b).await;
            assert_eq!(
                (text(&message), message.server_id),
                ("renewed", ack.server_id)
            );

            for client in [a, b, c] {
                client.stop().await;
            }
        };
        join4(
            Box::pin(run_device(&alice, stack, None)),
            Box::pin(run_device(&bob, stack, None)),
            Box::pin(run_device(&carol, stack, None)),
            scenario,
        )
        .await;
    })
    .await;
}

/// The devserver's certificate, DER.
fn certificate_der(server: &RunningServer) -> Vec<u8> {
    use base64::Engine as _;
    let pem = server.cert_pem().expect("TLS devserver");
    let body: String = pem
        .lines()
        .filter(|line| !line.starts_with("-----"))
        .collect();
    base64::engine::general_purpose::STANDARD
        .decode(body)
        .unwrap()
}

#[test]
fn tls_ca_verification_and_pins_succeed_and_a_wrong_pin_fails() {
    run(tls_scenario);
}

async fn tls_scenario() {
    let server = devserver(true).await;
    let certificate = certificate_der(&server);
    let spki = msync_embassy::subject_public_key_info(&certificate)
        .expect("the certificate's public key")
        .to_vec();
    let mut wrong_spki = spki.clone();
    let last = wrong_spki.len() - 1;
    wrong_spki[last] ^= 0x01;

    let alice = Device::new("alice", "a-1", "localhost:443", true);
    let bob = Device::new("bob", "b-1", "localhost:443", true);
    let carol = Device::new("carol", "c-1", "localhost:443", true);
    let mut eve = Device::new("eve", "e-1", "localhost:443", true);
    let mut mallory = Device::new("mallory", "m-1", "localhost:443", true);
    // Eve goes straight to the gateway, so that the failure is the gateway's TLS handshake.
    let token = server.issue_token(APP_KEY, "eve", None).unwrap();
    eve.token = Some(token.access_token);
    let token = server.issue_token(APP_KEY, "mallory", None).unwrap();
    mallory.token = Some(token.access_token);
    with_network(server.local_addr(), 443, |stack| async move {
        let scenario = async {
            let (a, b, c) = (alice.client(), bob.client(), carol.client());
            let (e, m) = (eve.client(), mallory.client());
            let (logged_a, logged_b) = join(a.login(), b.login()).await;
            logged_a.expect("alice logs in, the chain verified against the CA");
            logged_b.expect("bob logs in, the public key pinned");
            c.login()
                .await
                .expect("carol logs in, the certificate pinned");

            let ack = a.send_text("bob", "over TLS").await.expect("acknowledged");
            let message = next_message(&b).await;
            assert_eq!(
                (message.from.as_str(), text(&message)),
                ("alice", "over TLS")
            );
            assert_eq!(message.server_id, ack.server_id);
            c.send_text("alice", "pinned too")
                .await
                .expect("acknowledged");
            assert_eq!(text(&next_message(&a).await), "pinned too");

            // A burst over TLS while bob keeps making requests, each of which interrupts the
            // driver's read: every message arrives once, whole, in order.
            let burst: Vec<String> = (0..BURST)
                .map(|i| format!("burst {i:02} {}", "x".repeat(180)))
                .collect();
            let sending = async {
                for message in &burst {
                    a.send_text("bob", message).await.expect("acknowledged");
                }
            };
            let receiving = async {
                let mut received = Vec::new();
                while received.len() < BURST {
                    match select(b.next_event(), b.login()).await {
                        Either::First(ClientEvent::Message(message)) => {
                            received.push(text(&message).to_owned());
                        }
                        Either::First(_) => {}
                        Either::Second(result) => result.expect("already online"),
                    }
                }
                received
            };
            let ((), received) = join(sending, receiving).await;
            assert_eq!(received, burst);

            // Eve's pin does not match; Mallory expects another name than the certificate
            // carries: the gateway's handshake fails, the login round with it.
            for (client, who) in [(e, "eve"), (m, "mallory")] {
                let login = select(
                    client.login(),
                    wait_for(&client, |event| {
                        matches!(event, ClientEvent::Reconnecting { .. })
                    }),
                )
                .await;
                match login {
                    Either::Second(ClientEvent::Reconnecting { cause, .. }) => {
                        assert_eq!(cause, Disconnect::Transport(TransportError::Tls), "{who}");
                    }
                    other => panic!("{who} got in: {other:?}"),
                }
            }
            for client in [a, b, c, e, m] {
                client.stop().await;
            }
        };
        join(
            join4(
                Box::pin(run_device(
                    &alice,
                    stack,
                    Some(Verify::Ca {
                        certificate: &certificate,
                        server_name: None,
                    }),
                )),
                Box::pin(run_device(&bob, stack, Some(Verify::PinPublicKey(&spki)))),
                Box::pin(run_device(
                    &carol,
                    stack,
                    Some(Verify::PinCertificate(&certificate)),
                )),
                Box::pin(run_device(
                    &eve,
                    stack,
                    Some(Verify::PinPublicKey(&wrong_spki)),
                )),
            ),
            join(
                Box::pin(run_device(
                    &mallory,
                    stack,
                    Some(Verify::Ca {
                        certificate: &certificate,
                        server_name: Some("gateway.example"),
                    }),
                )),
                scenario,
            ),
        )
        .await;
    })
    .await;
}
