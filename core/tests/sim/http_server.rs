//! The short HTTP exchanges of a login (PROTOCOL.md §3, §4): `GET .../easemob/server.json` and
//! the password `POST /{org}/{app}/token`, parsed and answered here with the three ways an
//! HTTP/1.1 response can be framed.

use super::ws_server::{head_len, header};

/// A complete request.
#[derive(Clone, Debug)]
pub(crate) struct Request {
    pub(crate) method: String,
    pub(crate) target: String,
    pub(crate) body: String,
}

/// Takes a complete request off the start of `buf`. `Ok(None)`: more bytes are needed.
pub(crate) fn take_request(
    buf: &mut Vec<u8>,
    expected_host: &str,
) -> Result<Option<Request>, String> {
    let Some(head) = head_len(buf) else {
        return Ok(None);
    };
    let text = std::str::from_utf8(&buf[..head]).map_err(|_| "request head is not UTF-8")?;
    let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    let mut parts = lines.first().copied().unwrap_or("").split(' ');
    let (method, target, version) = (parts.next(), parts.next(), parts.next());
    let (Some(method), Some(target), Some("HTTP/1.1")) = (method, target, version) else {
        return Err(format!("bad request line {:?}", lines.first()));
    };
    let host = header(&lines[1..], "Host").ok_or("no Host header")?;
    if host.rsplit_once(':').map_or(host, |(name, _)| name) != expected_host {
        return Err(format!(
            "Host {host:?} but the socket went to {expected_host}"
        ));
    }
    let body_len = match header(&lines[1..], "Content-Length") {
        Some(n) => n.parse::<usize>().map_err(|_| "bad Content-Length")?,
        None => 0,
    };
    if buf.len() < head + body_len {
        return Ok(None);
    }
    let body =
        String::from_utf8(buf[head..head + body_len].to_vec()).map_err(|_| "body is not UTF-8")?;
    let request = Request {
        method: method.to_owned(),
        target: target.to_owned(),
        body,
    };
    buf.drain(..head + body_len);
    Ok(Some(request))
}

/// How a response marks its end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BodyFraming {
    ContentLength,
    Chunked,
    /// The body ends with the connection (the server closes right after it).
    Close,
}

/// A JSON response.
pub(crate) fn response(status: u16, body: &str, framing: BodyFraming) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status} Sim\r\nContent-Type: application/json\r\n");
    match framing {
        BodyFraming::ContentLength => {
            out += &format!("Content-Length: {}\r\n\r\n{body}", body.len());
        }
        BodyFraming::Chunked => {
            out += "Transfer-Encoding: chunked\r\n\r\n";
            let bytes = body.as_bytes();
            for piece in bytes.chunks(17) {
                out += &format!(
                    "{:x}\r\n{}\r\n",
                    piece.len(),
                    std::str::from_utf8(piece).unwrap_or("")
                );
            }
            out += "0\r\n\r\n";
        }
        BodyFraming::Close => {
            out += &format!("Connection: close\r\n\r\n{body}");
        }
    }
    out.into_bytes()
}

/// A JSON string's value for `key` in a flat JSON object (enough for the token request body,
/// which the session writes compactly; no escapes are expected in the simulation's values).
pub(crate) fn json_field<'a>(json: &'a str, key: &str) -> Option<&'a str> {
    let start = json.find(&format!("\"{key}\":"))? + key.len() + 3;
    let rest = &json[start..];
    if let Some(quoted) = rest.strip_prefix('"') {
        quoted.split('"').next()
    } else {
        rest.split([',', '}']).next()
    }
}
