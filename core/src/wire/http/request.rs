//! HTTP/1.1 request writers: the bootstrap `server.json` GET, the password token POST and a
//! general request for later REST calls.
//!
//! Header order is fixed (request line, `Host`, `Authorization`, `Content-Type`, `Accept`,
//! `Content-Length`, `Connection: close`) so the bytes are reproducible. Caller text that would
//! break the header syntax (CR/LF, spaces in a path, ...) is rejected with [`RequestError`]
//! before anything is written.

use core::fmt;

use super::authority::{
    Authority, is_valid_base_path, is_valid_bearer_token, is_valid_header_name,
    is_valid_header_value, is_valid_path,
};
use super::out::{Out, write_measured};
use super::percent::write_percent_encoded;
use crate::wire::BufferTooSmall;
use crate::wire::json::{PasswordGrant, password_grant_len, write_password_grant_to};

/// Why a request could not be written. Nothing was written to the buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum RequestError {
    /// The output buffer is too small.
    BufferTooSmall(BufferTooSmall),
    /// The host is not a valid name or address, or the port is 0.
    InvalidHost,
    /// The path is not an origin-form path (must start with `/`, visible ASCII, no `#`).
    InvalidPath,
    /// An extra header name is not a token, or its value holds control characters.
    InvalidHeader,
    /// The bearer credential holds characters outside the RFC 6750 `b64token` set.
    InvalidBearerToken,
}

impl From<BufferTooSmall> for RequestError {
    fn from(e: BufferTooSmall) -> Self {
        Self::BufferTooSmall(e)
    }
}

impl fmt::Display for RequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::BufferTooSmall(e) => e.fmt(f),
            Self::InvalidHost => f.write_str("invalid host or port"),
            Self::InvalidPath => f.write_str("invalid request path"),
            Self::InvalidHeader => f.write_str("invalid header name or value"),
            Self::InvalidBearerToken => f.write_str("invalid bearer token characters"),
        }
    }
}

impl core::error::Error for RequestError {}

/// The request method.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `DELETE`
    Delete,
}

impl Method {
    fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
            Self::Put => "PUT",
            Self::Delete => "DELETE",
        }
    }
}

/// A general request, for REST calls after login.
#[derive(Clone, Copy)]
pub struct Request<'a> {
    /// The method.
    pub method: Method,
    /// Host and port (`Host` header).
    pub authority: Authority<'a>,
    /// The already percent-encoded origin-form target, e.g. `/org/app/sdk/users/u/token/expires`.
    pub path: &'a str,
    /// `Authorization: Bearer {token}` when set.
    pub bearer: Option<&'a str>,
    /// Adds `Accept: application/json`.
    pub accept_json: bool,
    /// A JSON body, sent with `Content-Type: application/json` and `Content-Length`.
    pub json_body: Option<&'a [u8]>,
}

impl fmt::Debug for Request<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("authority", &self.authority)
            .field("path", &self.path)
            .field("bearer", &self.bearer.map(|_| "<redacted>"))
            .field("accept_json", &self.accept_json)
            .field("json_body_len", &self.json_body.map(<[u8]>::len))
            .finish()
    }
}

/// Writes `request` into `out`; returns the number of bytes written.
pub fn write_request(out: &mut [u8], request: &Request<'_>) -> Result<usize, RequestError> {
    check_authority(&request.authority)?;
    if !is_valid_path(request.path) {
        return Err(RequestError::InvalidPath);
    }
    if request.bearer.is_some_and(|t| !is_valid_bearer_token(t)) {
        return Err(RequestError::InvalidBearerToken);
    }
    let body = request.json_body;
    Ok(write_measured(out, |o| {
        o.str(request.method.as_str());
        o.byte(b' ');
        o.str(request.path);
        let head = Head {
            authority: request.authority,
            bearer: request.bearer,
            json_content_length: body.map(<[u8]>::len),
            accept_json: request.accept_json,
        };
        head.write(o);
        if let Some(body) = body {
            o.bytes(body);
        }
    })?)
}

/// How the bootstrap names the application.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum AppIdentity<'a> {
    /// `app_key=org%23app`: the Easemob app key `org#app` (percent-encoded when written).
    AppKey(&'a str),
    /// `app_id=...`: the Agora/Shengwang App ID (the reply carries the app key).
    AppId(&'a str),
}

/// The bootstrap request `GET {base_path}/easemob/server.json?app_key=...` (PROTOCOL.md §3.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BootstrapRequest<'a> {
    /// Host and port of the bootstrap base (`rs.easemob.com`, ...).
    pub authority: Authority<'a>,
    /// A path prefix before `/easemob/server.json`: empty, or starting with `/` (a trailing `/`
    /// is dropped).
    pub base_path: &'a str,
    /// App key or App ID.
    pub app: AppIdentity<'a>,
    /// Informational `file_version` query parameter (the SDKs send `1`).
    pub file_version: Option<&'a str>,
    /// Informational `sdk_version` query parameter.
    pub sdk_version: Option<&'a str>,
    /// Adds `Accept: application/json`.
    pub accept_json: bool,
}

/// Writes the bootstrap request; returns the number of bytes written.
///
/// Query order: the app parameter, then `file_version`, then `sdk_version`, all
/// percent-encoded.
pub fn write_bootstrap_request(
    out: &mut [u8],
    request: &BootstrapRequest<'_>,
) -> Result<usize, RequestError> {
    check_authority(&request.authority)?;
    let base = trim_base_path(request.base_path)?;
    Ok(write_measured(out, |o| {
        o.str("GET ");
        o.str(base);
        o.str("/easemob/server.json?");
        let (name, value) = match request.app {
            AppIdentity::AppKey(key) => ("app_key=", key),
            AppIdentity::AppId(id) => ("app_id=", id),
        };
        o.str(name);
        write_percent_encoded(o, value);
        if let Some(v) = request.file_version {
            o.str("&file_version=");
            write_percent_encoded(o, v);
        }
        if let Some(v) = request.sdk_version {
            o.str("&sdk_version=");
            write_percent_encoded(o, v);
        }
        let head = Head {
            authority: request.authority,
            bearer: None,
            json_content_length: None,
            accept_json: request.accept_json,
        };
        head.write(o);
    })?)
}

/// The password token request `POST {base_path}/{org}/{app}/token` (PROTOCOL.md §4.2).
#[derive(Clone, Copy, Debug)]
pub struct TokenRequest<'a> {
    /// Host and port of the REST base.
    pub authority: Authority<'a>,
    /// A path prefix before `/{org}/{app}`: empty, or starting with `/`.
    pub base_path: &'a str,
    /// The organisation half of the app key (before `#`); percent-encoded when written.
    pub org: &'a str,
    /// The application half of the app key (after `#`); percent-encoded when written.
    pub app: &'a str,
    /// The JSON body (its `Debug` redacts the password).
    pub grant: PasswordGrant<'a>,
    /// Adds `Accept: application/json` (the JS SDK sends only `Content-Type`).
    pub accept_json: bool,
}

/// Writes the password token request with its JSON body; returns the number of bytes written.
pub fn write_token_request(
    out: &mut [u8],
    request: &TokenRequest<'_>,
) -> Result<usize, RequestError> {
    check_authority(&request.authority)?;
    let base = trim_base_path(request.base_path)?;
    let body_len = password_grant_len(&request.grant);
    Ok(write_measured(out, |o| {
        o.str("POST ");
        o.str(base);
        o.byte(b'/');
        write_percent_encoded(o, request.org);
        o.byte(b'/');
        write_percent_encoded(o, request.app);
        o.str("/token");
        let head = Head {
            authority: request.authority,
            bearer: None,
            json_content_length: Some(body_len),
            accept_json: request.accept_json,
        };
        head.write(o);
        write_password_grant_to(o, &request.grant);
    })?)
}

/// Checks extra header fields for the WebSocket handshake and similar writers.
pub(crate) fn check_headers(headers: &[(&str, &str)]) -> Result<(), RequestError> {
    if headers
        .iter()
        .all(|(name, value)| is_valid_header_name(name) && is_valid_header_value(value))
    {
        Ok(())
    } else {
        Err(RequestError::InvalidHeader)
    }
}

pub(crate) fn check_authority(authority: &Authority<'_>) -> Result<(), RequestError> {
    if authority.is_valid() {
        Ok(())
    } else {
        Err(RequestError::InvalidHost)
    }
}

fn trim_base_path(base: &str) -> Result<&str, RequestError> {
    let base = base.strip_suffix('/').unwrap_or(base);
    if is_valid_base_path(base) {
        Ok(base)
    } else {
        Err(RequestError::InvalidPath)
    }
}

/// Everything after the request target: version, headers and the blank line.
struct Head<'a> {
    authority: Authority<'a>,
    bearer: Option<&'a str>,
    json_content_length: Option<usize>,
    accept_json: bool,
}

impl Head<'_> {
    fn write(&self, o: &mut Out<'_>) {
        o.str(" HTTP/1.1\r\nHost: ");
        self.authority.write(o);
        o.str("\r\n");
        if let Some(token) = self.bearer {
            o.str("Authorization: Bearer ");
            o.str(token);
            o.str("\r\n");
        }
        if self.json_content_length.is_some() {
            o.str("Content-Type: application/json\r\n");
        }
        if self.accept_json {
            o.str("Accept: application/json\r\n");
        }
        if let Some(len) = self.json_content_length {
            o.str("Content-Length: ");
            o.decimal(len as u64);
            o.str("\r\n");
        }
        o.str("Connection: close\r\n\r\n");
    }
}
