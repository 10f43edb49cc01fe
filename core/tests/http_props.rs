//! HTTP/1.1 codec: golden request bytes, responses in every body mode split at every byte
//! boundary, and property tests (chunked round trip, prefixes, random input).

use msync_core::wire::BufferTooSmall;
use msync_core::wire::http::{
    AppIdentity, Authority, BootstrapRequest, HttpError, Method, Progress, Request, RequestError,
    ResponseLimits, ResponseReader, TokenRequest, percent_encode, write_bootstrap_request,
    write_request, write_token_request,
};
use msync_core::wire::json::PasswordGrant;
use proptest::prelude::*;

fn text(buf: &[u8]) -> &str {
    std::str::from_utf8(buf).unwrap()
}

// ---------------------------------------------------------------------------------------------
// Requests.

#[test]
fn golden_bootstrap_request() {
    let mut out = [0u8; 512];
    let request = BootstrapRequest {
        authority: Authority::new("rs.easemob.com", 443, true),
        base_path: "",
        app: AppIdentity::AppKey("org#app"),
        file_version: Some("1"),
        sdk_version: Some("4.0.0-go"),
        accept_json: true,
    };
    let n = write_bootstrap_request(&mut out, &request).unwrap();
    assert_eq!(
        text(&out[..n]),
        "GET /easemob/server.json?app_key=org%23app&file_version=1&sdk_version=4.0.0-go HTTP/1.1\r\n\
         Host: rs.easemob.com\r\n\
         Accept: application/json\r\n\
         Connection: close\r\n\
         \r\n"
    );

    let app_id = BootstrapRequest {
        authority: Authority::new("127.0.0.1", 8080, false),
        base_path: "/prefix/",
        app: AppIdentity::AppId("a b&c"),
        file_version: None,
        sdk_version: None,
        accept_json: false,
    };
    let n = write_bootstrap_request(&mut out, &app_id).unwrap();
    assert_eq!(
        text(&out[..n]),
        "GET /prefix/easemob/server.json?app_id=a%20b%26c HTTP/1.1\r\n\
         Host: 127.0.0.1:8080\r\n\
         Connection: close\r\n\
         \r\n"
    );

    let mut small = [0x11u8; 64];
    assert!(matches!(
        write_bootstrap_request(&mut small, &app_id),
        Err(RequestError::BufferTooSmall(BufferTooSmall { needed })) if needed == n
    ));
    assert_eq!(small, [0x11; 64]);
    for bad in ["prefix", "/a b", "/a?b", "/a#b"] {
        let request = BootstrapRequest {
            base_path: bad,
            ..app_id
        };
        assert_eq!(
            write_bootstrap_request(&mut out, &request),
            Err(RequestError::InvalidPath),
            "{bad}"
        );
    }
}

fn grant<'a>(password: &'a str) -> PasswordGrant<'a> {
    PasswordGrant {
        username: "alice",
        password,
        timestamp_ms: 1_700_000_000_000,
        ttl: None,
    }
}

#[test]
fn golden_token_request() {
    let mut out = [0u8; 512];
    let request = TokenRequest {
        authority: Authority::new("a1.easemob.com", 443, true),
        base_path: "",
        org: "org",
        app: "app",
        grant: grant("secret"),
        accept_json: false,
    };
    let n = write_token_request(&mut out, &request).unwrap();
    let body = r#"{"grant_type":"password","username":"alice","password":"secret","timestamp":1700000000000}"#;
    assert_eq!(
        text(&out[..n]),
        format!(
            "POST /org/app/token HTTP/1.1\r\n\
             Host: a1.easemob.com\r\n\
             Content-Type: application/json\r\n\
             Content-Length: {}\r\n\
             Connection: close\r\n\
             \r\n{body}",
            body.len()
        )
    );
    assert!(!format!("{request:?}").contains("secret"));

    // A password that needs escaping changes Content-Length accordingly.
    let nasty = TokenRequest {
        grant: grant("q\"\\\n"),
        accept_json: true,
        authority: Authority::new("localhost", 3000, false),
        org: "o rg",
        ..request
    };
    let n = write_token_request(&mut out, &nasty).unwrap();
    let written = text(&out[..n]);
    let (head, body) = written.split_once("\r\n\r\n").unwrap();
    assert!(head.starts_with("POST /o%20rg/app/token HTTP/1.1\r\nHost: localhost:3000\r\n"));
    assert!(head.contains("\r\nAccept: application/json\r\n"));
    assert!(head.contains(&format!("\r\nContent-Length: {}\r\n", body.len())));
    assert!(body.contains(r#""password":"q\"\\\n""#));
}

#[test]
fn golden_rest_request_with_bearer() {
    let mut out = [0u8; 512];
    let request = Request {
        method: Method::Get,
        authority: Authority::new("a1.easemob.com", 443, true),
        path: "/org/app/sdk/users/alice/token/expires",
        bearer: Some("YWMtABC-_xyz"),
        accept_json: true,
        json_body: None,
    };
    let n = write_request(&mut out, &request).unwrap();
    assert_eq!(
        text(&out[..n]),
        "GET /org/app/sdk/users/alice/token/expires HTTP/1.1\r\n\
         Host: a1.easemob.com\r\n\
         Authorization: Bearer YWMtABC-_xyz\r\n\
         Accept: application/json\r\n\
         Connection: close\r\n\
         \r\n"
    );
    assert!(!format!("{request:?}").contains("YWMt"));
    let post = Request {
        method: Method::Post,
        bearer: None,
        json_body: Some(br#"{"a":1}"#),
        accept_json: false,
        ..request
    };
    let n = write_request(&mut out, &post).unwrap();
    assert!(text(&out[..n]).ends_with(
        "Content-Type: application/json\r\nContent-Length: 7\r\nConnection: close\r\n\r\n{\"a\":1}"
    ));
    let injected = Request {
        bearer: Some("tok\r\nX: y"),
        ..request
    };
    assert_eq!(
        write_request(&mut out, &injected),
        Err(RequestError::InvalidBearerToken)
    );
    let bad_path = Request {
        path: "relative",
        ..request
    };
    assert_eq!(
        write_request(&mut out, &bad_path),
        Err(RequestError::InvalidPath)
    );
    let bad_host = Request {
        authority: Authority {
            host: "evil\r\n",
            port: None,
        },
        ..request
    };
    assert_eq!(
        write_request(&mut out, &bad_host),
        Err(RequestError::InvalidHost)
    );
}

#[test]
fn percent_encoding_is_rfc3986_unreserved_only() {
    let mut out = [0u8; 64];
    let n = percent_encode("org#app é/?", &mut out).unwrap();
    assert_eq!(text(&out[..n]), "org%23app%20%C3%A9%2F%3F");
}

// ---------------------------------------------------------------------------------------------
// Responses.

/// Feeds `response` into a buffer of `capacity` bytes in pieces split at `splits`, calling the
/// reader after every append (appending at the fill level the reader leaves), and once more at
/// the end with `eof`.
fn read_split(
    response: &[u8],
    splits: &[usize],
    capacity: usize,
    limits: ResponseLimits,
) -> Result<(u16, Vec<u8>), HttpError> {
    let mut buf = vec![0u8; capacity];
    let mut reader: ResponseReader = ResponseReader::new(limits);
    let mut filled = 0;
    let mut sent = 0;
    let mut bounds: Vec<usize> = splits.iter().map(|&s| s.min(response.len())).collect();
    bounds.sort_unstable();
    bounds.push(response.len());
    for end in bounds {
        loop {
            let take = end.saturating_sub(sent).min(capacity - filled);
            buf[filled..filled + take].copy_from_slice(&response[sent..sent + take]);
            filled += take;
            sent += take;
            if let Progress::Complete(r) = reader.advance(&mut buf, &mut filled, false)? {
                return Ok((r.status, r.body.to_vec()));
            }
            if sent >= end {
                break;
            }
        }
    }
    match reader.advance(&mut buf, &mut filled, true)? {
        Progress::Complete(r) => Ok((r.status, r.body.to_vec())),
        Progress::NeedMore => panic!("NeedMore after eof"),
    }
}

const LIMITS: ResponseLimits = ResponseLimits {
    max_head: 1024,
    max_body: 4096,
};

fn responses() -> Vec<(&'static str, Vec<u8>, u16, &'static [u8])> {
    let server_json = br#"{"rest":{"hosts":[]}}"#;
    vec![
        (
            "content-length",
            [
                &b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 21\r\n\r\n"
                    [..],
                server_json,
            ]
            .concat(),
            200,
            server_json,
        ),
        (
            "chunked",
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\
              7\r\n{\"rest\"\r\nE;ext=1\r\n:{\"hosts\":[]}}\r\n0\r\nX-Trailer: t\r\n\r\n"
                .to_vec(),
            200,
            server_json,
        ),
        (
            "until close",
            [&b"HTTP/1.0 404 Not Found\r\n\r\n"[..], b"{\"error\":\"x\"}"].concat(),
            404,
            b"{\"error\":\"x\"}",
        ),
        (
            "empty length",
            b"HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n".to_vec(),
            401,
            b"",
        ),
        (
            "no content",
            b"HTTP/1.1 204 No Content\r\n\r\n".to_vec(),
            204,
            b"",
        ),
    ]
}

#[test]
fn every_body_mode_split_at_every_byte() {
    for (name, response, status, body) in responses() {
        let want = Ok((status, body.to_vec()));
        assert_eq!(
            read_split(&response, &[], 512, LIMITS),
            want,
            "{name} whole"
        );
        for k in 0..=response.len() {
            assert_eq!(
                read_split(&response, &[k], 512, LIMITS),
                want,
                "{name} split {k}"
            );
        }
        let every: Vec<usize> = (0..response.len()).collect();
        assert_eq!(
            read_split(&response, &every, 512, LIMITS),
            want,
            "{name} bytewise"
        );
    }
}

#[test]
fn trailing_bytes_after_a_length_body_are_ignored() {
    let response = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA";
    assert_eq!(
        read_split(response, &[], 512, LIMITS),
        Ok((200, b"ok".to_vec()))
    );
}

#[test]
fn body_caps_in_every_mode() {
    let limits = ResponseLimits {
        max_head: 1024,
        max_body: 8,
    };
    let too_long = b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n123456789";
    assert_eq!(
        read_split(too_long, &[], 512, limits),
        Err(HttpError::BodyTooLarge { length: 9, max: 8 })
    );
    let chunked = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n12345\r\n4\r\n6789\r\n0\r\n\r\n";
    assert_eq!(
        read_split(chunked, &[], 512, limits),
        Err(HttpError::BodyTooLarge { length: 9, max: 8 })
    );
    let close = b"HTTP/1.1 200 OK\r\n\r\n123456789";
    assert_eq!(
        read_split(close, &[], 512, limits),
        Err(HttpError::BodyTooLarge { length: 9, max: 8 })
    );
    let huge = b"HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999\r\n\r\n";
    assert_eq!(
        read_split(huge, &[], 512, limits),
        Err(HttpError::BodyTooLarge {
            length: 99_999_999_999_999_999,
            max: 8
        })
    );
}

#[test]
fn truncated_responses_fail_at_eof() {
    for (name, response, _, _) in responses() {
        if name == "until close" {
            continue;
        }
        for cut in 0..response.len() {
            assert_eq!(
                read_split(&response[..cut], &[], 512, LIMITS),
                Err(HttpError::UnexpectedEof),
                "{name} cut {cut}"
            );
        }
    }
}

#[test]
fn response_that_outgrows_the_buffer() {
    let (_, response, _, _) = &responses()[0];
    assert_eq!(
        read_split(response, &[], 40, LIMITS),
        Err(HttpError::BufferFull { capacity: 40 })
    );
}

// ---------------------------------------------------------------------------------------------
// Properties.

/// A chunked encoding of `body` with the given chunk sizes (cycled), extensions and trailers.
fn chunked(body: &[u8], sizes: &[usize], extension: bool, trailers: &[String]) -> Vec<u8> {
    let mut out = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
    let mut rest = body;
    let mut sizes = sizes.iter().copied().cycle();
    while !rest.is_empty() {
        let n = sizes.next().unwrap_or(rest.len()).clamp(1, rest.len());
        let (chunk, tail) = rest.split_at(n);
        out.extend_from_slice(format!("{n:X}").as_bytes());
        if extension {
            out.extend_from_slice(b" ; name=\"va;lue\"");
        }
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(chunk);
        out.extend_from_slice(b"\r\n");
        rest = tail;
    }
    out.extend_from_slice(b"0\r\n");
    for trailer in trailers {
        out.extend_from_slice(format!("X-{trailer}: v\r\n").as_bytes());
    }
    out.extend_from_slice(b"\r\n");
    out
}

proptest! {
    #[test]
    fn chunked_round_trip(
        body in prop::collection::vec(any::<u8>(), 0..3000),
        sizes in prop::collection::vec(1usize..700, 1..6),
        extension in any::<bool>(),
        trailers in prop::collection::vec("[a-z]{1,8}", 0..3),
        splits in prop::collection::vec(0usize..4000, 0..6),
    ) {
        let response = chunked(&body, &sizes, extension, &trailers);
        prop_assert_eq!(read_split(&response, &splits, 8192, LIMITS), Ok((200, body)));
    }

    #[test]
    fn tiny_chunks_need_little_more_room_than_the_body(
        body in prop::collection::vec(any::<u8>(), 0..3000),
        sizes in prop::collection::vec(1usize..4, 1..4),
        splits in prop::collection::vec(0usize..100_000, 0..6),
    ) {
        // Each 1-3 byte chunk carries ~20 bytes of framing, far more than the slack given.
        let response = chunked(&body, &sizes, true, &[]);
        let capacity = 48 + body.len() + 64;
        prop_assert_eq!(read_split(&response, &splits, capacity, LIMITS), Ok((200, body)));
    }

    #[test]
    fn content_length_round_trip(
        body in prop::collection::vec(any::<u8>(), 0..3000),
        splits in prop::collection::vec(0usize..4000, 0..6),
        status in 200u16..600,
    ) {
        let mut response = format!("HTTP/1.1 {status} X\r\nContent-Length: {}\r\n\r\n", body.len()).into_bytes();
        response.extend_from_slice(&body);
        let want = if status == 204 || status == 304 { Vec::new() } else { body };
        prop_assert_eq!(read_split(&response, &splits, 8192, LIMITS), Ok((status, want)));
    }

    #[test]
    fn prefixes_need_more(
        which in 0usize..2,
        body in prop::collection::vec(any::<u8>(), 1..500),
        cut in any::<prop::sample::Index>(),
    ) {
        let response = if which == 0 {
            chunked(&body, &[97], true, &[])
        } else {
            let mut r = format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n", body.len()).into_bytes();
            r.extend_from_slice(&body);
            r
        };
        let cut = cut.index(response.len());
        let mut buf = vec![0u8; 4096];
        buf[..cut].copy_from_slice(&response[..cut]);
        let mut reader: ResponseReader = ResponseReader::new(LIMITS);
        prop_assert_eq!(reader.advance(&mut buf, &mut cut.clone(), false), Ok(Progress::NeedMore));
    }

    #[test]
    fn random_bytes_never_panic(
        bytes in prop::collection::vec(any::<u8>(), 0..800),
        splits in prop::collection::vec(0usize..800, 0..4),
        capacity in 1usize..1000,
    ) {
        let _ = read_split(&bytes, &splits, capacity, LIMITS);
    }

    #[test]
    fn random_heads_and_bodies_never_panic(
        status in 0u16..1000,
        headers in prop::collection::vec(
            prop_oneof![
                Just("Transfer-Encoding: chunked".to_string()),
                "Content-Length: [0-9 ,]{0,6}",
                "[A-Za-z-]{1,12}: [ -~]{0,20}",
            ],
            0..5,
        ),
        body in prop::collection::vec(
            prop_oneof![Just(b'\r'), Just(b'\n'), Just(b'0'), Just(b';'), any::<u8>()],
            0..200,
        ),
        splits in prop::collection::vec(0usize..400, 0..4),
    ) {
        let mut response = format!("HTTP/1.1 {status} X\r\n{}\r\n\r\n", headers.join("\r\n")).into_bytes();
        response.extend_from_slice(&body);
        let _ = read_split(&response, &splits, 1024, LIMITS);
    }
}
