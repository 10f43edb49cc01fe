//! The server's HTTP answers, chosen by the fuzzer: the WebSocket upgrade's `101` (with the
//! right accept value for the client's key, or a wrong one), and responses to the bootstrap
//! (`server.json`) and REST token requests.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use msync_core::wire::ws::accept_value;

use crate::script::Script;

/// The key of a client's upgrade request, if it has a well-formed one.
fn websocket_key(request: &[u8]) -> Option<[u8; 16]> {
    let text = std::str::from_utf8(request).ok()?;
    let line = text
        .lines()
        .find_map(|line| line.strip_prefix("Sec-WebSocket-Key: "))?;
    STANDARD.decode(line.trim()).ok()?.try_into().ok()
}

/// The answer to the upgrade `request`, by `variant` (taken modulo 8): 0 to 4 a valid `101`, 5
/// a valid one with more headers, 6 a wrong accept value, 7 a refusal.
pub fn handshake_response(request: &[u8], variant: u8) -> Vec<u8> {
    let key = websocket_key(request).unwrap_or_default();
    let mut accept = accept_value(&key);
    let variant = variant % 8;
    if variant == 6 {
        accept[0] ^= 1;
    }
    let status = if variant == 7 {
        "403 Forbidden"
    } else {
        "101 Switching Protocols"
    };
    let extra = if variant == 5 {
        "Server: nginx\r\nSec-WebSocket-Extensions: \r\n"
    } else {
        ""
    };
    format!(
        "HTTP/1.1 {status}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n{extra}\
         Sec-WebSocket-Accept: {}\r\n\r\n",
        String::from_utf8_lossy(&accept)
    )
    .into_bytes()
}

/// `server.json` for the session's bootstrap: TLS and plain gateways, REST hosts, and the
/// app key (needed by App ID mode).
const SERVER_JSON: [&str; 4] = [
    r#"{"rest":{"hosts":[{"protocol":"https","domain":"a1.easemob.com","port":"443"}]},
"msync-wx":{"hosts":[{"protocol":"https","domain":"im-api-wechat.easemob.com","port":"443"},
{"protocol":"ws","ip":"127.0.0.1","port":"8099","priority":"1"}]},
"app_key":"org#app","file_version":"61","valid_before":"1700000060"}"#,
    r#"{"rest":{"hosts":[{"protocol":"http","ip":"127.0.0.1","port":8099}]},
"msync-wx":{"hosts":[{"protocol":"wss","domain":"gw.example","port":443}]},"app_key":"org#app"}"#,
    r#"{"rest":{"hosts":[]},"msync-wx":{"hosts":[]}}"#,
    r#"{"app_key":"org#app","rest":{"hosts":[{"protocol":"https","domain":"a1.easemob.com"}]}}"#,
];

const TOKEN_REPLIES: [&str; 4] = [
    r#"{"access_token":"TOKEN","expires_in":60}"#,
    r#"{"access_token":"YWMtREST","expires_in":"604800","user":{"username":"alice"}}"#,
    r#"{"error":"invalid_grant","error_description":"invalid password"}"#,
    r#"{"access_token":"bad token","expires_in":-1}"#,
];

const STATUSES: [&str; 6] = [
    "200 OK",
    "200 OK",
    "400 Bad Request",
    "401 Unauthorized",
    "503 Service Unavailable",
    "302 Found",
];

/// An HTTP response: a bootstrap document, a token reply or error, or fuzzer bytes as the
/// body; framed by `Content-Length`, chunked, or by the end of the connection.
pub fn http_response(s: &mut Script<'_>) -> Vec<u8> {
    let status = s.pick(&STATUSES);
    let body = match s.byte() % 3 {
        0 => s.pick(&SERVER_JSON).as_bytes().to_vec(),
        1 => s.pick(&TOKEN_REPLIES).as_bytes().to_vec(),
        _ => s.short_bytes().to_vec(),
    };
    let mut out = format!("HTTP/1.1 {status}\r\nContent-Type: application/json\r\n").into_bytes();
    match s.byte() % 4 {
        0 => {
            out.extend(b"Transfer-Encoding: chunked\r\n\r\n");
            for chunk in body.chunks(16) {
                out.extend(format!("{:x}\r\n", chunk.len()).into_bytes());
                out.extend(chunk);
                out.extend(b"\r\n");
            }
            out.extend(b"0\r\n\r\n");
        }
        1 => {
            out.extend(b"Connection: close\r\n\r\n");
            out.extend(body);
        }
        _ => {
            out.extend(format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes());
            out.extend(body);
        }
    }
    out
}
