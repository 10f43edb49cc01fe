//! JSON documents: golden `server.json` selection, token bodies with nasty passwords (checked
//! against serde_json byte for byte), `auth_token` against the vectors, and property tests
//! (escape round trips, a differential check of the reader against serde_json, random input).

use base64::Engine as _;
use msync_core::url::{Host, Url};
use msync_core::wire::json::{
    HostKind, JsonError, NoUsableHost, PasswordGrant, SelectOptions, SelectedHost, ServerJson,
    auth_token_len, parse_auth_token_reply, parse_rest_error, parse_server_json,
    parse_token_response, password_grant_len, write_auth_token, write_password_grant,
};
use proptest::prelude::*;
use serde::{Deserialize, Serialize};

fn secure(host: &str, port: Option<u16>) -> SelectedHost<'_> {
    SelectedHost {
        host,
        port,
        secure: true,
    }
}

fn plain(host: &str, port: Option<u16>) -> SelectedHost<'_> {
    SelectedHost {
        host,
        port,
        secure: false,
    }
}

// ---------------------------------------------------------------------------------------------
// server.json

const SERVER_JSON: &str = r#"{
  "deploy_name": "easemob",
  "cluster_name": "ebs-ali-beijing",
  "file_version": "61",
  "valid_before": "1700086400",
  "enableReportLogs": "false",
  "reportInterval": 3600,
  "rest": {"hosts": [
    {"protocol": "https", "domain": "a1.easemob.com", "port": "443", "priority": "2"},
    {"protocol": "https", "domain": "a1-v2.easemob.com", "port": 443, "priority": 1},
    {"protocol": "http", "domain": "a1.easemob.com", "port": "80"},
    {"protocol": "https", "ip": "39.97.193.190", "port": "8443", "channel": "ali"},
    {"protocol": "HTTPS", "domain": "A1.EASEMOB.COM", "port": "443"},
    {"protocol": "https", "domain": "bad name.com"},
    {"protocol": "https", "domain": "", "ip": null},
    {"protocol": "https", "domain": "x.example", "port": "99999"},
    "not an object",
    {"protocol": "https", "domain": "y.example", "port": {"weird": 1}},
    {"protocol": "https", "domain": "[::1]"},
    {"protocol": "https", "domain": "esc\u0061ped.example"}
  ], "note": "ignored"},
  "msync-wx": {"hosts": [
    {"protocol": "https", "domain": "im-api-wechat.easemob.com", "port": "443"},
    {"protocol": "wss", "domain": "im-api-wechat.easecdn.com", "port": 443, "priority": "1"},
    {"protocol": "ws", "ip": "127.0.0.1", "port": "8080"},
    {"protocol": "tcp", "domain": "msync-im1.easemob.com", "port": "6801"}
  ]},
  "msync-ws": {"hosts": [{"protocol": "https", "domain": "ignored.example"}]},
  "msync-im": {"hosts": [{"protocol": "tcp", "domain": "msync-im1.easemob.com", "port": "6801"}]},
  "resolver": {"hosts": []},
  "tcp_resolver": {"hosts": [{"protocol": "tcp", "ip": "1.2.3.4", "port": 2020}]},
  "nested": {"deep": [1, [2, {"x": null}], -1.5e3, true]}
}"#;

#[test]
fn golden_server_json_secure_only() {
    let doc: ServerJson<'_> =
        parse_server_json(SERVER_JSON.as_bytes(), SelectOptions::default()).unwrap();
    assert_eq!(
        doc.rest_hosts().unwrap(),
        [
            secure("a1-v2.easemob.com", None),
            secure("a1.easemob.com", None),
            secure("39.97.193.190", Some(8443)),
        ]
    );
    assert_eq!(doc.dropped(HostKind::Rest), 9);
    assert_eq!(
        doc.gateways().unwrap(),
        [
            secure("im-api-wechat.easecdn.com", None),
            secure("im-api-wechat.easemob.com", None),
        ]
    );
    assert_eq!(doc.dropped(HostKind::Gateway), 2);
    assert_eq!(doc.valid_before, Some(1_700_086_400));
    assert_eq!(doc.file_version.and_then(|v| v.as_str()), Some("61"));
    assert_eq!(doc.app_key, None);
}

#[test]
fn golden_server_json_allowing_plain() {
    let options = SelectOptions { allow_plain: true };
    let doc: ServerJson<'_> = parse_server_json(SERVER_JSON.as_bytes(), options).unwrap();
    assert_eq!(
        doc.rest_hosts().unwrap(),
        [
            secure("a1-v2.easemob.com", None),
            secure("a1.easemob.com", None),
            plain("a1.easemob.com", None),
            secure("39.97.193.190", Some(8443)),
        ]
    );
    assert_eq!(
        doc.gateways().unwrap(),
        [
            secure("im-api-wechat.easecdn.com", None),
            secure("im-api-wechat.easemob.com", None),
            plain("127.0.0.1", Some(8080)),
        ]
    );
    let gateway = doc.gateways().unwrap()[2];
    assert_eq!(gateway.port_or_default(), 8080);
    assert_eq!(gateway.authority().port, Some(8080));
}

#[test]
fn spec_example_and_app_id_reply() {
    let spec = br#"{"rest": {"hosts": [{"protocol": "https", "domain": "a1.easemob.com", "port": "443", "priority": "1"}]},
 "msync-wx": {"hosts": [{"protocol": "https", "domain": "im-api-wechat.easemob.com", "port": "443"}]}}"#;
    let doc: ServerJson<'_> = parse_server_json(spec, SelectOptions::default()).unwrap();
    assert_eq!(doc.rest_hosts().unwrap(), [secure("a1.easemob.com", None)]);
    assert_eq!(
        doc.gateways().unwrap(),
        [secure("im-api-wechat.easemob.com", None)]
    );

    let app_id = br#"{"app_key":"org\u0023app","valid_before":1700086400,"file_version":61,
                      "rest":{"hosts":[]}}"#;
    let doc: ServerJson<'_> = parse_server_json(app_id, SelectOptions::default()).unwrap();
    let key = doc.app_key.unwrap();
    assert_eq!(key.as_str(), None);
    assert_eq!(key.unescape_into(&mut [0u8; 16]).unwrap(), "org#app");
    assert_eq!(doc.valid_before, Some(1_700_086_400));
    assert_eq!(doc.file_version.and_then(|v| v.as_str()), Some("61"));
    assert_eq!(
        doc.rest_hosts(),
        Err(NoUsableHost {
            kind: HostKind::Rest
        })
    );
    assert_eq!(
        doc.gateways(),
        Err(NoUsableHost {
            kind: HostKind::Gateway
        })
    );
}

#[test]
fn bounded_lists_keep_the_best_hosts() {
    let doc = br#"{"rest":{"hosts":[
        {"protocol":"https","domain":"a.example"},
        {"protocol":"https","domain":"b.example"},
        {"protocol":"https","domain":"c.example"},
        {"protocol":"https","domain":"p.example","priority":"1"}]}}"#;
    let parsed: ServerJson<'_, 2> = parse_server_json(doc, SelectOptions::default()).unwrap();
    assert_eq!(
        parsed.rest_hosts().unwrap(),
        [secure("p.example", None), secure("a.example", None)]
    );
    assert_eq!(parsed.dropped(HostKind::Rest), 2);
}

#[test]
fn server_json_field_errors() {
    let cases: [(&[u8], JsonError); 7] = [
        (b"[]", JsonError::InvalidField("$")),
        (br#"{"rest": []}"#, JsonError::InvalidField("rest")),
        (
            br#"{"rest": {"hosts": {}}}"#,
            JsonError::InvalidField("rest"),
        ),
        (
            br#"{"msync-wx": {"hosts": "im.example"}}"#,
            JsonError::InvalidField("msync-wx"),
        ),
        (
            br#"{"a": 1} x"#,
            JsonError::TrailingCharacters { offset: 9 },
        ),
        // Malformed JSON inside an optional field is still malformed.
        (
            br#"{"valid_before": {"a": }}"#,
            JsonError::Syntax { offset: 23 },
        ),
        (
            br#"{"file_version": [1,]}"#,
            JsonError::Syntax { offset: 20 },
        ),
    ];
    for (input, want) in cases {
        let got: Result<ServerJson<'_>, _> = parse_server_json(input, SelectOptions::default());
        assert_eq!(got.unwrap_err(), want, "{}", String::from_utf8_lossy(input));
    }
}

/// An optional field whose value has an unexpected type counts as absent: the document still
/// parses and its hosts are selected (it used to fail as a whole, and the bootstrap with it).
#[test]
fn server_json_optional_fields_of_another_type_are_ignored() {
    let hosts = r#""rest": {"hosts": [{"protocol": "https", "domain": "a1.easemob.com"}]},
        "msync-wx": {"hosts": [{"protocol": "wss", "domain": "im.easemob.com"}]}"#;
    let values = [
        "null",
        "true",
        "-5",
        "1.5",
        "1e9",
        r#""soon""#,
        r#""-1""#,
        r#""17000864;0""#,
        "123456789012345678901234567890",
        "{}",
        r#"{"seconds": 1700086400}"#,
        "[1700086400]",
    ];
    for value in values {
        let text = format!(
            r#"{{"valid_before": {value}, "file_version": {value}, "app_key": {value}, {hosts}}}"#
        );
        let doc: ServerJson<'_> = parse_server_json(text.as_bytes(), SelectOptions::default())
            .unwrap_or_else(|e| panic!("{e:?}: {text}"));
        assert_eq!(doc.valid_before, None, "{text}");
        assert_eq!(doc.rest_hosts().unwrap(), [secure("a1.easemob.com", None)]);
        assert_eq!(doc.gateways().unwrap(), [secure("im.easemob.com", None)]);
        // `file_version` is any string or number as written; `app_key` only a string.
        let number = value.starts_with(|c: char| c == '-' || c.is_ascii_digit());
        let string = value.starts_with('"');
        assert_eq!(doc.file_version.is_some(), number || string, "{text}");
        assert_eq!(doc.app_key.is_some(), string, "{text}");
    }
}

// ---------------------------------------------------------------------------------------------
// Token request and response.

/// The JS SDK's body, field order preserved, for comparison with serde_json.
#[derive(Serialize, Deserialize, Debug, PartialEq)]
struct JsGrant {
    grant_type: String,
    username: String,
    password: String,
    timestamp: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    ttl: Option<u64>,
}

fn write_grant(grant: &PasswordGrant<'_>) -> Vec<u8> {
    let len = password_grant_len(grant);
    let mut out = vec![0u8; len];
    assert_eq!(write_password_grant(&mut out, grant), Ok(len));
    out
}

fn check_grant_against_serde(grant: &PasswordGrant<'_>) {
    let ours = write_grant(grant);
    let reference = JsGrant {
        grant_type: "password".into(),
        username: grant.username.into(),
        password: grant.password.into(),
        timestamp: grant.timestamp_ms,
        ttl: grant.ttl,
    };
    assert_eq!(
        String::from_utf8(ours.clone()).unwrap(),
        serde_json::to_string(&reference).unwrap()
    );
    let back: JsGrant = serde_json::from_slice(&ours).unwrap();
    assert_eq!(back, reference);
}

#[test]
fn token_bodies_with_nasty_passwords() {
    let grant = PasswordGrant {
        username: "alice",
        password: "secret",
        timestamp_ms: 1_700_000_000_000,
        ttl: None,
    };
    assert_eq!(
        write_grant(&grant),
        br#"{"grant_type":"password","username":"alice","password":"secret","timestamp":1700000000000}"#
    );
    let with_ttl = PasswordGrant {
        ttl: Some(0),
        ..grant
    };
    assert_eq!(
        write_grant(&with_ttl),
        br#"{"grant_type":"password","username":"alice","password":"secret","timestamp":1700000000000,"ttl":0}"#
    );
    let quoted = PasswordGrant {
        password: "p\"a\\ss\n\u{1}",
        ..grant
    };
    assert_eq!(
        write_grant(&quoted),
        br#"{"grant_type":"password","username":"alice","password":"p\"a\\ss\n\u0001","timestamp":1700000000000}"#
    );
    for password in [
        "",
        "\"",
        "\\",
        "\\\"",
        "\u{0}\u{8}\u{9}\u{a}\u{b}\u{c}\u{d}\u{1f}\u{7f}",
        "密码😀é",
        "</script>\u{2028}\u{2029}",
        "'single' `back`",
    ] {
        check_grant_against_serde(&PasswordGrant {
            password,
            username: password,
            ttl: Some(86_400),
            ..grant
        });
    }
    let debug = format!("{quoted:?}");
    assert!(
        debug.contains("<redacted>") && !debug.contains(&format!("{:?}", quoted.password)),
        "{debug}"
    );
    let mut small = [7u8; 10];
    assert!(write_password_grant(&mut small, &grant).is_err());
    assert_eq!(small, [7; 10]);
}

#[test]
fn token_responses() {
    let body = br#"{"access_token": "YWMtABC\/def", "expires_in": 1024000,
        "user": {"uuid": "aa471ee0", "type": "user", "created": 1637740861395,
                 "modified": 1637740861395, "username": "c", "activated": true}}"#;
    let response = parse_token_response(body).unwrap();
    let mut buf = [0u8; 64];
    assert_eq!(
        response.access_token().unescape_into(&mut buf).unwrap(),
        "YWMtABC/def"
    );
    assert_eq!(response.expires_in, Some(1_024_000));
    assert_eq!(response.user_activated, Some(true));
    let debug = format!("{response:?}");
    assert!(!debug.contains("YWMt"), "{debug}");

    let string_expiry = br#"{"expires_in":"3600","access_token":"t","user":{"activated":false}}"#;
    let response = parse_token_response(string_expiry).unwrap();
    assert_eq!(response.access_token().as_str(), Some("t"));
    assert_eq!(response.expires_in, Some(3600));
    assert_eq!(response.user_activated, Some(false));

    assert_eq!(
        parse_token_response(br#"{"expires_in":1}"#).unwrap_err(),
        JsonError::MissingField("access_token")
    );
    assert_eq!(
        parse_token_response(br#"{"access_token":1}"#).unwrap_err(),
        JsonError::InvalidField("access_token")
    );
    assert_eq!(
        parse_token_response(br#"{"access_token":"t","expires_in":-1}"#).unwrap_err(),
        JsonError::InvalidField("expires_in")
    );
}

#[test]
fn rest_error_bodies() {
    let body = br#"{"error":"invalid_grant","timestamp":1700000000000,"duration":0,
        "exception":"org.apache.usergrid.management.exceptions.InvalidGrantException",
        "error_description":"invalid password","error_code":"x"}"#;
    let error = parse_rest_error(body).unwrap();
    assert!(error.error.unwrap().eq_str("invalid_grant"));
    assert!(error.error_description.unwrap().eq_str("invalid password"));
    let empty = parse_rest_error(b"{}").unwrap();
    assert_eq!((empty.error, empty.error_description), (None, None));
}

// ---------------------------------------------------------------------------------------------
// auth_token

fn vector_auth_token(name: &str) -> Vec<u8> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../vectors/vectors.json");
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let vector = doc["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == name)
        .unwrap();
    let text = vector["payload_decoded"]["Provision"]["auth_token"]
        .as_str()
        .unwrap();
    let mut out = vec![0u8; text.len()];
    let n = base64::engine::general_purpose::STANDARD
        .decode_slice(text, &mut out)
        .unwrap();
    out.truncate(n);
    out
}

#[test]
fn auth_token_matches_provision_up_vector() {
    let want = vector_auth_token("provision_up");
    assert_eq!(want, br#"{"token":"$t$TOKEN"}"#);
    let mut out = [0u8; 64];
    let n = write_auth_token(&mut out, "TOKEN").unwrap();
    assert_eq!(&out[..n], &want[..]);
    assert_eq!(auth_token_len("TOKEN"), n);
    let n = write_auth_token(&mut out, "a\"b").unwrap();
    assert_eq!(&out[..n], br#"{"token":"$t$a\"b"}"#);
    let mut small = [0u8; 5];
    assert!(write_auth_token(&mut small, "TOKEN").is_err());
}

#[test]
fn auth_token_reply_from_vector() {
    let json = vector_auth_token("provision_reply_ok_down");
    let reply = parse_auth_token_reply(&json).unwrap();
    assert_eq!(
        reply.token().and_then(|t| t.as_str()),
        Some("ROTATED_TOKEN")
    );
    assert_eq!(reply.expires_in, Some(1_700_086_400_000));
    assert!(!format!("{reply:?}").contains("ROTATED"));
    let none = parse_auth_token_reply(b"{}").unwrap();
    assert_eq!((none.token(), none.expires_in), (None, None));
    let string = parse_auth_token_reply(br#"{"expires_in":"5","x":[1]}"#).unwrap();
    assert_eq!(string.expires_in, Some(5));
}

// ---------------------------------------------------------------------------------------------
// Properties.

/// Writes `s` as a JSON string, choosing for each character (by `choices`) between the raw
/// form (where allowed), a short escape (where one exists) and `\uXXXX` (surrogate pairs above
/// U+FFFF, upper- or lower-case hex).
fn escape_variously(s: &str, choices: &[u8]) -> String {
    let mut out = String::from("\"");
    for (i, c) in s.chars().enumerate() {
        let choice = choices.get(i % choices.len().max(1)).copied().unwrap_or(0) % 4;
        let short = match c {
            '"' => Some("\\\""),
            '\\' => Some("\\\\"),
            '/' => Some("\\/"),
            '\u{8}' => Some("\\b"),
            '\u{c}' => Some("\\f"),
            '\n' => Some("\\n"),
            '\r' => Some("\\r"),
            '\t' => Some("\\t"),
            _ => None,
        };
        let raw_ok = !matches!(c, '"' | '\\') && c >= ' ';
        if choice == 0 && raw_ok {
            out.push(c);
        } else if choice == 1 && short.is_some() {
            out.push_str(short.unwrap_or_default());
        } else {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                if choice == 3 {
                    out.push_str(&format!("\\u{unit:04X}"));
                } else {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
        }
    }
    out.push('"');
    out
}

/// JSON-ish tokens for the differential test; keys are never ones the parsers know.
const TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\"a\"",
    "\"b\"",
    "\"\\u00e9\"",
    "\"\\ud83d\\ude00\"",
    "\"\\ud800\"",
    "\"\\x\"",
    "\"",
    "1",
    "-0",
    "0.5",
    "-1.5e+3",
    "01",
    "1.",
    "-",
    "true",
    "false",
    "null",
    "nul",
    " ",
    "\n",
    "\"\u{1}\"",
    "\"é\"",
];

proptest! {
    #[test]
    fn token_bodies_match_serde_json(
        username in any::<String>(),
        password in any::<String>(),
        timestamp_ms in any::<u64>(),
        ttl in prop::option::of(any::<u64>()),
    ) {
        check_grant_against_serde(&PasswordGrant { username: &username, password: &password, timestamp_ms, ttl });
    }

    #[test]
    fn escapes_round_trip(s in any::<String>(), choices in prop::collection::vec(any::<u8>(), 1..8)) {
        for encoded in [serde_json::to_string(&s).unwrap(), escape_variously(&s, &choices)] {
            let body = format!(r#"{{"access_token":{encoded},"expires_in":7}}"#);
            let response = parse_token_response(body.as_bytes()).unwrap();
            let token = response.access_token();
            let mut buf = vec![0u8; s.len()];
            prop_assert_eq!(token.unescape_into(&mut buf).unwrap(), s.as_str());
            prop_assert!(token.eq_str(&s));
            prop_assert_eq!(token.unescaped_len(), s.len());
            prop_assert_eq!(token.chars().collect::<String>(), s.clone());
            if !s.is_empty() {
                prop_assert!(token.unescape_into(&mut buf[..s.len() - 1]).is_err());
            }
        }
    }

    #[test]
    fn reader_agrees_with_serde_json(tokens in prop::collection::vec(prop::sample::select(TOKENS), 0..24)) {
        let text = tokens.concat();
        let ours = parse_rest_error(text.as_bytes());
        // The reader nests at most MAX_DEPTH deep (serde_json: 128).
        prop_assume!(ours != Err(JsonError::TooDeep));
        let ours = ours.is_ok();
        let reference = serde_json::from_str::<serde_json::Value>(&text)
            .is_ok_and(|v| v.is_object());
        prop_assert_eq!(ours, reference, "{}", text);
    }

    #[test]
    fn generated_objects_agree_with_serde_json(value in json_value(4)) {
        let text = serde_json::to_string(&serde_json::json!({ "x": value })).unwrap();
        prop_assert!(parse_rest_error(text.as_bytes()).is_ok(), "{}", text);
        let pretty = serde_json::to_string_pretty(&serde_json::json!({ "x": value })).unwrap();
        prop_assert!(parse_rest_error(pretty.as_bytes()).is_ok(), "{}", pretty);
        for cut in 0..text.len() {
            prop_assert!(parse_rest_error(&text.as_bytes()[..cut]).is_err());
        }
    }

    #[test]
    fn server_json_prefixes_are_errors(cut in any::<prop::sample::Index>()) {
        let cut = cut.index(SERVER_JSON.len());
        let trimmed = SERVER_JSON[..cut].trim_end();
        let got: Result<ServerJson<'_>, _> = parse_server_json(trimmed.as_bytes(), SelectOptions::default());
        prop_assert!(got.is_err());
    }

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let _: Result<ServerJson<'_>, _> = parse_server_json(&bytes, SelectOptions { allow_plain: true });
        let _ = parse_token_response(&bytes);
        let _ = parse_rest_error(&bytes);
        let _ = parse_auth_token_reply(&bytes);
    }

    #[test]
    fn random_host_entries_never_panic(
        entries in prop::collection::vec(
            prop::collection::vec(
                (
                    prop::sample::select(vec!["protocol", "domain", "ip", "port", "priority", "channel", "z"]),
                    prop_oneof![
                        Just("\"https\"".to_string()),
                        Just("\"ws\"".to_string()),
                        "\"[a-z0-9.:-]{0,12}\"",
                        "0|[1-9][0-9]{0,5}",
                        Just("null".to_string()),
                        Just("[1]".to_string()),
                    ],
                ),
                0..6,
            ),
            0..12,
        ),
        allow_plain in any::<bool>(),
    ) {
        let hosts: Vec<String> = entries
            .iter()
            .map(|fields| {
                let fields: Vec<String> = fields.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
                format!("{{{}}}", fields.join(","))
            })
            .collect();
        let doc = format!(
            r#"{{"rest":{{"hosts":[{0}]}},"msync-wx":{{"hosts":[{0}]}}}}"#,
            hosts.join(",")
        );
        let parsed: ServerJson<'_, 4> = parse_server_json(doc.as_bytes(), SelectOptions { allow_plain }).unwrap();
        for list in [parsed.rest_hosts(), parsed.gateways()].into_iter().flatten() {
            prop_assert!(list.len() <= 4);
            for (i, a) in list.iter().enumerate() {
                prop_assert!(allow_plain || a.secure);
                prop_assert!(a.port != Some(443) || !a.secure);
                for b in &list[i + 1..] {
                    prop_assert!(!(a.host.eq_ignore_ascii_case(b.host) && a.port == b.port && a.secure == b.secure));
                }
            }
        }
    }
}

/// Whether `server.json` selection keeps a gateway whose `domain` is `host`.
fn selects_gateway(host: &str) -> bool {
    let doc = format!(r#"{{"msync-wx":{{"hosts":[{{"protocol":"wss","domain":"{host}"}}]}}}}"#);
    let parsed: ServerJson<'_> =
        parse_server_json(doc.as_bytes(), SelectOptions::default()).unwrap();
    parsed
        .gateways()
        .is_ok_and(|list| list.iter().any(|h| h.host == host))
}

/// Whether `Url::parse_host` takes `host` as a name or IPv4 address (`server.json` hosts are
/// never IPv6 literals).
fn url_accepts_name_or_ipv4(host: &str) -> bool {
    matches!(Url::parse_host(host), Ok(Host::Domain(_) | Host::Ipv4(_)))
}

#[test]
fn server_json_hosts_follow_the_url_host_rules() {
    for (host, valid) in [
        ("10.0.0.30", true),
        ("im-api.easemob.com", true),
        ("123.host", true),
        // A last label of digits only reads as a malformed IPv4 address.
        ("10.0.0.300", false),
        ("010.0.0.1", false),
        ("1.2.3", false),
        ("host.123", false),
        ("[::1]", false),
        ("a..b", false),
    ] {
        assert_eq!(selects_gateway(host), valid, "server.json {host}");
        assert_eq!(url_accepts_name_or_ipv4(host), valid, "url {host}");
    }
}

proptest! {
    #[test]
    fn server_json_and_url_agree_on_hosts(
        host in "[0-9a-z._:\\[\\]-]{0,24}|([0-9]{1,3}\\.){1,4}[0-9]{1,4}",
    ) {
        prop_assert_eq!(selects_gateway(&host), url_accepts_name_or_ipv4(&host), "{}", host);
    }
}

/// Arbitrary JSON values of bounded depth (numbers as integers or simple floats).
fn json_value(depth: u32) -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::Bool),
        any::<i64>().prop_map(serde_json::Value::from),
        (-1.0e6f64..1.0e6).prop_map(serde_json::Value::from),
        any::<String>().prop_map(serde_json::Value::String),
    ];
    leaf.prop_recursive(depth, 32, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::Array),
            prop::collection::btree_map(any::<String>(), inner, 0..4)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}
