//! HTTP and JSON: the bootstrap request and `server.json`, the token request and its reply.

use core::hint::black_box;

use msync_core::app::{AppIdentity, AppKey};
use msync_core::region::{Endpoint, FrameEncoding, GATEWAY_PATH, bootstrap};
use msync_core::url::{Scheme, Url};
use msync_core::wire::http::{
    BootstrapRequest, Progress, ResponseLimits, ResponseReader, TokenRequest,
    write_bootstrap_request, write_token_request,
};
use msync_core::wire::json::{
    PasswordGrant, SelectOptions, parse_server_json, parse_token_response,
};

const SERVER_JSON_RESPONSE: &[u8] = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\
Transfer-Encoding: chunked\r\n\r\n\
40\r\n{\"rest\":{\"hosts\":[{\"protocol\":\"https\",\"domain\":\"a1.easemob.com\",\r\n\
48\r\n\"port\":\"443\",\"priority\":\"1\"}]},\"msync-wx\":{\"hosts\":[{\"protocol\":\"https\",\r\n\
33\r\n\"domain\":\"im-api-wechat.easemob.com\",\"port\":443}]}}\r\n0\r\n\r\n";

pub(crate) fn bootstrap() -> bool {
    let Ok(key) = AppKey::parse(black_box("easemob-demo#chatdemoui")) else {
        return false;
    };
    let Some(base) = bootstrap::default_bases().next() else {
        return false;
    };
    let request = BootstrapRequest {
        authority: base.authority(),
        base_path: base.path(),
        app: AppIdentity::Key(key).into(),
        file_version: Some("1"),
        sdk_version: None,
        accept_json: true,
    };
    let mut out = [0u8; 256];
    let Ok(len) = write_bootstrap_request(&mut out, &request) else {
        return false;
    };
    let request_ok = out.get(..len).unwrap_or_default().starts_with(
        b"GET /easemob/server.json?app_key=easemob-demo%23chatdemoui&file_version=1 HTTP/1.1\r\n\
Host: rs.easemob.com\r\n",
    );

    let mut buf = [0u8; 512];
    let Some(slot) = buf.get_mut(..SERVER_JSON_RESPONSE.len()) else {
        return false;
    };
    slot.copy_from_slice(black_box(SERVER_JSON_RESPONSE));
    let mut reader = ResponseReader::<8>::new(ResponseLimits::default());
    let mut filled = SERVER_JSON_RESPONSE.len();
    let Ok(Progress::Complete(response)) = reader.advance(&mut buf, &mut filled, false) else {
        return false;
    };
    let Ok(doc) = parse_server_json::<4>(response.body, SelectOptions::default()) else {
        return false;
    };
    let (Ok([rest, ..]), Ok([gateway, ..])) = (doc.rest_hosts(), doc.gateways()) else {
        return false;
    };
    let scheme = |secure| if secure { Scheme::Wss } else { Scheme::Ws };
    let endpoint = Url::from_parts(Scheme::Https, rest.host, rest.port, "/", None)
        .ok()
        .zip(
            Url::from_parts(
                scheme(gateway.secure),
                gateway.host,
                gateway.port,
                GATEWAY_PATH,
                None,
            )
            .ok(),
        )
        .and_then(|(rest, gateway)| Endpoint::new(rest, gateway).ok());
    request_ok
        && response.status == 200
        && endpoint.is_some_and(|e| {
            e.gateway.host_str() == "im-api-wechat.easemob.com" && e.frame == FrameEncoding::Binary
        })
}

pub(crate) fn token() -> bool {
    let Ok(key) = AppKey::parse(black_box("org#app")) else {
        return false;
    };
    let Ok(rest) = Url::parse(black_box("https://a1.easemob.com")) else {
        return false;
    };
    let request = TokenRequest {
        authority: rest.authority(),
        base_path: "",
        org: key.org(),
        app: key.app(),
        grant: PasswordGrant {
            username: "alice",
            password: black_box("secret"),
            timestamp_ms: 1_700_000_000_000,
            ttl: None,
        },
        accept_json: false,
    };
    let mut out = [0u8; 512];
    let request_ok = write_token_request(&mut out, &request).is_ok_and(|len| {
        out.get(..len)
            .unwrap_or_default()
            .starts_with(b"POST /org/app/token HTTP/1.1\r\nHost: a1.easemob.com\r\n")
    });
    let reply = black_box(
        &br#"{"access_token":"YWMtabc","expires_in":5184000,"user":{"activated":true}}"#[..],
    );
    let reply_ok = parse_token_response(reply).is_ok_and(|token| {
        token.access_token().as_str() == Some("YWMtabc")
            && token.expires_in == Some(5_184_000)
            && token.user_activated == Some(true)
    });
    request_ok && reply_ok
}
