//! Login transcripts: token (see `session_transcripts`), password (REST token), bootstrap
//! (`server.json`), App ID mode, REDIRECT, fatal statuses and gateway failover. Each checks the
//! exact sequence of outputs against a golden list; frames are decoded as in
//! `session_transcripts`.

mod support;

use msync_core::app::{AppId, AppIdentity};
use msync_core::region::Endpoint;
use msync_core::session::{
    BootstrapConfig, CloseReason, ConfigError, Credential, DefaultSession, EndpointConfig,
    LoginError, MAX_HOST_NAME_LEN, State, TransportError,
};
use msync_core::url::Url;
use support::*;

const TOKEN_REPLY: &str = r#"{"access_token":"TOKEN","expires_in":3600,"user":{"activated":true}}"#;

fn password_config() -> msync_core::session::Config<'static> {
    let mut config = vector_config();
    config.credential = Credential::Password("p\"ss");
    config
}

#[test]
fn password_login_fetches_a_token_then_provisions() {
    let config = password_config();
    let mut h = harness(&config);
    let rest = h.login();
    h.opened(rest);
    let request = String::from_utf8(h.last_transmit()).unwrap();
    assert_eq!(
        request,
        "POST /org/app/token HTTP/1.1\r\nHost: a1.easemob.com\r\nContent-Type: application/json\r\n\
         Content-Length: 89\r\nConnection: close\r\n\r\n\
         {\"grant_type\":\"password\",\"username\":\"alice\",\"password\":\"p\\\"ss\",\"timestamp\":1700000000000}"
    );
    // A 5xx moves to the next REST host (the CDN alternate).
    h.feed(rest, &http_json(503, "{}"));
    let rest = h.last_open();
    h.opened(rest);
    h.feed(rest, &http_json(200, TOKEN_REPLY));
    let gateway = h.last_open();
    h.provision_ok(gateway);
    assert_transcript(
        h.lines(),
        &[
            "Event Connecting",
            "Open #1 a1.easemob.com:443 tls Rest",
            "Wait +15000",
            "Transmit #1 POST /org/app/token HTTP/1.1",
            "Wait +15000",
            "Close #1",
            "Open #2 a1.easecdn.com:443 tls Rest",
            "Wait +15000",
            "Transmit #2 POST /org/app/token HTTP/1.1",
            "Wait +15000",
            "Close #2",
            "Event TokenUpdated",
            "Open #3 im-api-alipay.easemob.com:443 tls Gateway",
            "Wait +10000",
            "Transmit #3 GET /websocket HTTP/1.1",
            "Wait +10000",
            // The REST token in the vectors' PROVISION, byte for byte.
            "Transmit #3 text =provision_up",
            "Wait +10000",
            "Event TokenUpdated",
            "Event Online",
            "Transmit #3 text =unread_up",
            "Transmit #3 text =statistic_information_up",
            "Wait +30000",
        ],
    );
}

#[test]
fn wrong_password_is_fatal_and_an_expired_token_is_refreshed_once() {
    let config = password_config();
    let mut h = harness(&config);
    let rest = h.login();
    h.opened(rest);
    h.feed(rest, &http_json(200, TOKEN_REPLY));
    let gateway = h.last_open();
    h.accept_websocket(gateway);
    // "Sorry, token expired" with a password: fetch a new token instead of giving up.
    h.reply(gateway, &vector("provision_reply_token_expired_down"));
    let rest = h.last_open();
    h.opened(rest);
    h.feed(
        rest,
        &http_json(
            400,
            r#"{"error":"invalid_grant","error_description":"invalid password"}"#,
        ),
    );
    h.advance_to(60_000);
    assert_transcript(
        h.lines(),
        &[
            "Event Connecting",
            "Open #1 a1.easemob.com:443 tls Rest",
            "Wait +15000",
            "Transmit #1 POST /org/app/token HTTP/1.1",
            "Wait +15000",
            "Close #1",
            "Event TokenUpdated",
            "Open #2 im-api-alipay.easemob.com:443 tls Gateway",
            "Wait +10000",
            "Transmit #2 GET /websocket HTTP/1.1",
            "Wait +10000",
            "Transmit #2 text =provision_up",
            "Wait +10000",
            "Close #2",
            "Open #3 a1.easemob.com:443 tls Rest",
            "Wait +15000",
            "Transmit #3 POST /org/app/token HTTP/1.1",
            "Wait +15000",
            "Event LoginFailed InvalidPassword \"invalid password\"",
            "Close #3",
            "Event Closed { reason: LoginRejected(InvalidPassword) }",
            "Wait -",
            "Wait -",
        ],
    );
}

#[test]
fn expired_token_credential_is_fatal_with_the_servers_reason() {
    let config = vector_config();
    let mut h = harness(&config);
    let gateway = h.login();
    h.accept_websocket(gateway);
    h.lines();
    h.reply(gateway, &vector("provision_reply_token_expired_down"));
    assert_transcript(
        h.lines(),
        &[
            "Event LoginFailed TokenExpired \"Sorry, token expired\"",
            "Close #1",
            "Event Closed { reason: LoginRejected(TokenExpired) }",
            "Wait -",
        ],
    );
    assert_eq!(
        h.session.state(),
        State::Closed(CloseReason::LoginRejected(LoginError::TokenExpired))
    );
    // A new token and a new login.
    h.session.renew_token(at(0), "NEW", None).unwrap();
    let gateway = h.login();
    h.accept_websocket(gateway);
    let provision = h.msync_since(0).pop().unwrap().msync();
    assert_eq!(up_views(&provision).0["auth"], "$t$NEW");
}

const SERVER_JSON: &str = r#"{"rest":{"hosts":[{"protocol":"https","domain":"a1.easemob.com","port":"443"}]},
 "msync-wx":{"hosts":[{"protocol":"https","domain":"im-api-wechat.easemob.com","port":"443"},
 {"protocol":"https","domain":"im-api-wechat.easecdn.com","port":443,"priority":"1"}]},
 "app_key":"org#app","file_version":"61"}"#;

#[test]
fn bootstrap_falls_back_then_uses_the_preferred_gateway() {
    let mut config = vector_config();
    config.endpoints = EndpointConfig::Bootstrap(BootstrapConfig::DEFAULT);
    let mut h = harness(&config);
    let first = h.login();
    h.closed(first, TransportError::ConnectFailed);
    let second = h.last_open();
    h.opened(second);
    assert_eq!(
        String::from_utf8(h.last_transmit()).unwrap(),
        "GET /easemob/server.json?app_key=org%23app HTTP/1.1\r\nHost: rs.chat.agora.io\r\n\
         Accept: application/json\r\nConnection: close\r\n\r\n"
    );
    h.feed(second, &http_json(200, SERVER_JSON));
    let gateway = h.last_open();
    h.provision_ok(gateway);
    assert_transcript(
        h.lines(),
        &[
            "Event Connecting",
            "Open #1 rs.easemob.com:443 tls Bootstrap",
            "Wait +15000",
            // Reported closed by the caller: no Close output for #1.
            "Open #2 rs.chat.agora.io:443 tls Bootstrap",
            "Wait +15000",
            "Transmit #2 GET /easemob/server.json?app_key=org%23app HTTP/1.1",
            "Wait +15000",
            "Close #2",
            // Priority 1 first; a WeChat-family gateway gets binary frames.
            "Open #3 im-api-wechat.easecdn.com:443 tls Gateway",
            "Wait +10000",
            "Transmit #3 GET /websocket HTTP/1.1",
            "Wait +10000",
            "Transmit #3 binary =provision_up",
            "Wait +10000",
            "Event TokenUpdated",
            "Event Online",
            "Transmit #3 binary =unread_up",
            "Transmit #3 binary =statistic_information_up",
            "Wait +30000",
        ],
    );
}

#[test]
fn app_id_mode_learns_the_app_key_from_the_bootstrap() {
    let mut config = vector_config();
    config.app = AppIdentity::Id(AppId::parse("0123456789abcdef").unwrap());
    config.endpoints = EndpointConfig::Bootstrap(BootstrapConfig::DEFAULT);
    let mut h = harness(&config);
    assert_eq!(
        h.session.send(
            at(0),
            &msync_core::session::OutgoingMessage::text("bob", "x")
        ),
        Err(msync_core::session::SendError::AppKeyUnknown)
    );
    let base = h.login();
    h.opened(base);
    let request = String::from_utf8(h.last_transmit()).unwrap();
    assert!(request.starts_with("GET /easemob/server.json?app_id=0123456789abcdef HTTP/1.1\r\n"));
    h.feed(base, &http_json(200, SERVER_JSON));
    let gateway = h.last_open();
    h.accept_websocket(gateway);
    let frames = h.msync_since(0);
    assert_eq!(frames.last().unwrap().msync(), vector("provision_up"));
}

#[test]
fn redirect_is_followed_and_a_loop_is_cut() {
    let config = vector_config();
    let mut h = harness(&config);
    let gateway = h.login();
    h.accept_websocket(gateway);
    h.reply(gateway, &vector("provision_reply_redirect_down"));
    let target = h.last_open();
    h.accept_websocket(target);
    // The target redirects to itself: a loop, so the round fails and backs off.
    h.reply(target, &vector("provision_reply_redirect_down"));
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
            "Close #1",
            "Open #2 im-api-alipay.easecdn.com:443 tls Gateway",
            "Wait +10000",
            "Transmit #2 GET /websocket HTTP/1.1",
            "Wait +10000",
            "Transmit #2 text PROVISION {\"Provision\":{\"action_version\":\"v5.2\",\"auth_token\":\"eyJ0b2tlbiI6IiR0JFRPS0VOIn0=\",\"compress_type\":[\"COMPRESS_NONE\"],\"device_name\":\"webim\",\"device_uuid\":\"zfb_1700000000000\",\"encrypt_type\":[\"ENCRYPT_NONE\"],\"os_type\":\"OS_OTHER\",\"resource\":\"webim_zfb_1700000000000\",\"session_id\":\"1700000000000:\",\"version\":\"4.21.1\"}}",
            "Wait +10000",
            "Close #2",
            "Event Reconnecting { attempt: 1, delay: Duration(2000), cause: RedirectLimit }",
            "Wait +2000",
        ],
    );
}

#[test]
fn failed_gateways_are_tried_in_turn_then_the_round_backs_off() {
    let config = vector_config();
    let mut h = harness(&config);
    let first = h.login();
    h.closed(first, TransportError::ConnectFailed);
    // The CDN alternate opens but never answers the handshake.
    let second = h.last_open();
    h.opened(second);
    h.advance_to(10_000);
    // The third attempt (primary again) answers the handshake but not PROVISION.
    let third = h.last_open();
    h.accept_websocket(third);
    h.advance_to(20_000);
    h.advance_to(22_000);
    assert_transcript(
        h.lines(),
        &[
            "Event Connecting",
            "Open #1 im-api-alipay.easemob.com:443 tls Gateway",
            "Wait +10000",
            "Open #2 im-api-alipay.easecdn.com:443 tls Gateway",
            "Wait +10000",
            "Transmit #2 GET /websocket HTTP/1.1",
            "Wait +10000",
            "Close #2",
            "Open #3 im-api-alipay.easemob.com:443 tls Gateway",
            "Wait +20000",
            "Transmit #3 GET /websocket HTTP/1.1",
            "Wait +20000",
            "Transmit #3 text PROVISION {\"Provision\":{\"action_version\":\"v5.2\",\"auth_token\":\"eyJ0b2tlbiI6IiR0JFRPS0VOIn0=\",\"compress_type\":[\"COMPRESS_NONE\"],\"device_name\":\"webim\",\"device_uuid\":\"zfb_1700000000000\",\"encrypt_type\":[\"ENCRYPT_NONE\"],\"os_type\":\"OS_OTHER\",\"resource\":\"webim_zfb_1700000000000\",\"session_id\":\"1700000010000:\",\"version\":\"4.21.1\"}}",
            "Wait +20000",
            "Close #3",
            "Event Reconnecting { attempt: 1, delay: Duration(2000), cause: ProvisionTimeout }",
            "Wait +22000",
            "Open #4 im-api-alipay.easecdn.com:443 tls Gateway",
            "Wait +32000",
        ],
    );
}

#[test]
fn reconnect_cap_gives_up() {
    let mut config = vector_config();
    config.reconnect.max_attempts = Some(1);
    config.timings.socket_attempts = 1;
    let mut h = harness(&config);
    let first = h.login();
    h.closed(first, TransportError::ConnectFailed);
    h.advance_to(2_000);
    h.closed(h.last_open(), TransportError::Tls);
    assert_transcript(
        h.lines(),
        &[
            "Event Connecting",
            "Open #1 im-api-alipay.easemob.com:443 tls Gateway",
            "Wait +10000",
            "Event Reconnecting { attempt: 1, delay: Duration(2000), cause: Transport(ConnectFailed) }",
            "Wait +2000",
            "Open #2 im-api-alipay.easecdn.com:443 tls Gateway",
            "Wait +12000",
            "Event Closed { reason: GaveUp { attempts: 1 } }",
            "Wait -",
        ],
    );
}

/// A password token request that cannot fit the transmit buffer is refused by `Session::new`
/// (it used to fail at run time, cycling through the REST hosts and backing off for ever).
/// The bound is exact for configured hosts (the timestamp counted at its longest) and counts
/// a learnt host at its longest; JSON escapes count.
#[test]
fn a_token_request_too_large_for_the_transmit_buffer_is_refused_at_new() {
    let with_password = |password: &'static str, endpoints: Option<EndpointConfig<'static>>| {
        let mut config = vector_config();
        config.credential = Credential::Password(password);
        if let Some(endpoints) = endpoints {
            config.endpoints = endpoints;
        }
        config
    };
    let too_large = |error| match error {
        ConfigError::TokenRequestTooLarge { needed } => Some(needed),
        _ => None,
    };
    let long: &'static str = "x".repeat(TX).leak();
    let (fits, config) = exact_fit(|len| with_password(&long[..len], None), too_large);
    // Exactly what fits goes out.
    let mut h = harness(&config);
    let rest = h.login();
    h.opened(rest);
    let request = h.last_transmit();
    assert!(request.starts_with(b"POST /org/app/token HTTP/1.1\r\n"));
    assert!(request.len() <= TX, "{}", request.len());
    // A quote is sent as two bytes.
    let quotes: &'static str = "\"".repeat(fits / 2 + 1).leak();
    assert_eq!(
        refused_needing(&with_password(quotes, None), too_large),
        Some(TX + 2 - fits % 2)
    );
    // A host learnt from server.json is counted at its longest, with a port.
    let bases: &'static [Url<'static>] = vec![Url::parse("https://rs.sim.invalid").unwrap()].leak();
    let bootstrap = EndpointConfig::Bootstrap(BootstrapConfig {
        bases,
        allow_plain: false,
    });
    let learnt = refused_needing(&with_password(&long[..fits], Some(bootstrap)), too_large)
        .expect("refused");
    assert_eq!(learnt, TX + LONGEST_LEARNT_HOST - "a1.easemob.com".len());
}

/// `server.json` with `valid_before` 60 s after the vectors' clock (epoch seconds).
fn server_json_valid_for_a_minute() -> String {
    let valid_before = NOW / 1000 + 60;
    SERVER_JSON.replace(
        r#""file_version":"61""#,
        &format!(r#""file_version":"61","valid_before":"{valid_before}""#),
    )
}

/// Accepts the WebSocket on the last opened socket and logs in; returns that socket.
fn provision_last_open(h: &mut DefaultHarness<'_>) -> msync_core::session::SocketId {
    let gateway = h.last_open();
    h.provision_ok(gateway);
    assert_eq!(h.session.state(), State::Online);
    gateway
}

/// Answers the bootstrap on the last opened socket with `document`, then logs in.
fn bootstrap_then_provision(
    h: &mut DefaultHarness<'_>,
    document: &str,
) -> msync_core::session::SocketId {
    let base = h.last_open();
    h.opened(base);
    h.feed(base, &http_json(200, document));
    provision_last_open(h)
}

/// The socket is lost at `lost_at`; the next round starts 2 s later (the fixed backoff).
fn lose_and_back_off(
    h: &mut DefaultHarness<'_>,
    gateway: msync_core::session::SocketId,
    lost_at: u64,
) {
    h.advance_to(lost_at);
    h.closed(gateway, TransportError::Reset);
    h.advance_to(lost_at + 2_000);
}

/// The learnt hosts serve reconnects until `valid_before`; the first round after it fetches
/// `server.json` again (PROTOCOL.md §3.3 item 5).
#[test]
fn learnt_hosts_are_used_until_valid_before_then_refetched() {
    let mut config = vector_config();
    config.endpoints = EndpointConfig::Bootstrap(BootstrapConfig::DEFAULT);
    let mut h = harness(&config);
    h.login();
    let gateway = bootstrap_then_provision(&mut h, &server_json_valid_for_a_minute());
    h.lines();
    // Lost at 30 s: the round at 32 s still uses the learnt gateways.
    lose_and_back_off(&mut h, gateway, 30_000);
    let gateway = provision_last_open(&mut h);
    // Lost at 58 s: the round at 60 s (valid_before) fetches server.json first.
    lose_and_back_off(&mut h, gateway, 58_000);
    let lines = h.lines();
    let opens: Vec<&String> = lines.iter().filter(|l| l.starts_with("Open ")).collect();
    assert_eq!(
        opens,
        [
            // The next gateway of the learnt list.
            "Open #3 im-api-wechat.easemob.com:443 tls Gateway",
            "Open #4 rs.easemob.com:443 tls Bootstrap",
        ]
    );
    // A document without valid_before: its hosts serve until failed rounds refetch them.
    let gateway = bootstrap_then_provision(&mut h, SERVER_JSON);
    h.lines();
    lose_and_back_off(&mut h, gateway, 10_000_000);
    let lines = h.lines();
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.starts_with("Open "))
            .collect::<Vec<_>>(),
        ["Open #6 im-api-wechat.easemob.com:443 tls Gateway"]
    );
}

/// The transmit buffer of [`DefaultSession`](msync_core::session::DefaultSession).
const TX: usize = 4096;

/// A host learnt from `server.json` or a REDIRECT at its longest: the longest name, a port.
const LONGEST_LEARNT_HOST: usize = MAX_HOST_NAME_LEN + ":65535".len();

/// The bytes `Session::new` says `config` needs, as `too_large` reads them from its refusal;
/// `None` when it accepts `config`. Any other refusal fails the test.
fn refused_needing(
    config: &msync_core::session::Config<'_>,
    too_large: impl Fn(ConfigError) -> Option<usize>,
) -> Option<usize> {
    DefaultSession::new(config, Rng(1), at(0))
        .err()
        .map(|error| too_large(error).unwrap_or_else(|| panic!("unexpected {error:?}")))
}

/// For configurations `with(len)` whose request grows by one byte per unit of `len`: the
/// largest `len` that `Session::new` accepts, with its configuration, after checking that
/// one more is refused by `TX + 1` bytes, as `too_large` reads them from the error.
fn exact_fit(
    with: impl Fn(usize) -> msync_core::session::Config<'static>,
    too_large: impl Fn(ConfigError) -> Option<usize>,
) -> (usize, msync_core::session::Config<'static>) {
    let needed = |config: &msync_core::session::Config<'_>| refused_needing(config, &too_large);
    let over = needed(&with(TX)).expect("refused");
    assert!(over > TX, "{over}");
    let fits = TX - (over - TX);
    let config = with(fits);
    assert_eq!(needed(&config), None);
    assert_eq!(needed(&with(fits + 1)), Some(TX + 1));
    (fits, config)
}

/// `Session::new` refuses a `server.json` request that cannot fit the transmit buffer (it
/// would fail at run time, cycling through the bases and backing off for ever). The bound is
/// exact: one byte more than fits is refused by that byte; what fits goes out filling the
/// buffer.
#[test]
fn a_bootstrap_request_too_large_for_the_transmit_buffer_is_refused_at_new() {
    let with_base_path = |len: usize| {
        let base: &'static str = format!("https://rs.sim.invalid/{}", "p".repeat(len)).leak();
        let bases: &'static [Url<'static>] = vec![Url::parse(base).unwrap()].leak();
        let mut config = vector_config();
        config.endpoints = EndpointConfig::Bootstrap(BootstrapConfig {
            bases,
            allow_plain: false,
        });
        config
    };
    let (fits, config) = exact_fit(with_base_path, |error| match error {
        ConfigError::BootstrapRequestTooLarge { needed } => Some(needed),
        _ => None,
    });
    let mut h = harness(&config);
    let bootstrap = h.login();
    h.opened(bootstrap);
    let request = h.last_transmit();
    let line = format!(
        "GET /{}/easemob/server.json?app_key=org%23app HTTP/1.1\r\n",
        "p".repeat(fits)
    );
    assert!(request.starts_with(line.as_bytes()));
    assert_eq!(request.len(), TX);
}

/// `Session::new` refuses a WebSocket handshake that cannot fit the transmit buffer with its
/// extra headers (it would fail at run time on every gateway, backing off for ever), and
/// headers the handshake cannot carry. The bound counts a REDIRECT target of the longest name
/// with a port, which can come whatever the endpoints: one byte more than fits is refused by
/// that byte, and a REDIRECT to such a target gets a handshake filling the buffer; so does a
/// configured gateway longer than any REDIRECT target.
#[test]
fn a_handshake_too_large_for_the_transmit_buffer_is_refused_at_new() {
    let too_large = |error| match error {
        ConfigError::HandshakeTooLarge { needed } => Some(needed),
        _ => None,
    };
    let with_headers = |headers: Vec<(&'static str, &'static str)>| {
        let mut config = vector_config();
        config.options.handshake_headers = headers.leak();
        config
    };
    let with_padding = |len: usize| with_headers(vec![("x-padding", "v".repeat(len).leak())]);
    let (_, config) = exact_fit(with_padding, too_large);

    let mut h = harness(&config);
    let gateway = h.login();
    h.accept_websocket(gateway);
    // The preset gateway's handshake is shorter than the bound by the host names' difference.
    let handshakes: Vec<usize> = h
        .transmits_since(0)
        .iter()
        .filter(|t| t.starts_with(b"GET /websocket "))
        .map(Vec::len)
        .collect();
    assert_eq!(
        handshakes,
        [TX - (LONGEST_LEARNT_HOST - "im-api-alipay.easemob.com".len())]
    );
    let host = format!("{}.{}", "a".repeat(31), "b".repeat(MAX_HOST_NAME_LEN - 32));
    h.reply(gateway, &redirect_reply(&host, 65535));
    let target = h.last_open();
    h.opened(target);
    let request = h.last_transmit();
    let start = format!("GET /websocket HTTP/1.1\r\nHost: {host}:65535\r\n");
    assert!(request.starts_with(start.as_bytes()));
    assert_eq!(request.len(), TX);

    let with_gateway_path = |len: usize| {
        let gateway: &'static str = format!("ws://127.0.0.1:8099/{}", "w".repeat(len)).leak();
        let endpoint = Endpoint::custom("http://127.0.0.1:8099", gateway).unwrap();
        vector_config().with_endpoints(EndpointConfig::Custom(endpoint))
    };
    let (_, config) = exact_fit(with_gateway_path, too_large);
    let mut h = harness(&config);
    let gateway = h.login();
    h.opened(gateway);
    assert_eq!(h.last_transmit().len(), TX);

    // Headers the handshake cannot carry are refused whatever the buffer.
    for headers in [
        vec![("Host", "elsewhere")],
        vec![("x-line", "a\r\nb")],
        vec![("bad name", "v")],
    ] {
        let refusal = DefaultSession::new(&with_headers(headers), Rng(1), at(0)).err();
        assert_eq!(refusal, Some(ConfigError::InvalidHandshakeHeader));
    }
}
