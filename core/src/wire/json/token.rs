//! The REST password token exchange (PROTOCOL.md §4.2–§4.4): the request body, the reply and
//! the error body.

use core::fmt;

use super::reader::{JsonError, Reader, Scalar};
use super::string::{JsonStr, SecretStr, write_json_string};
use crate::wire::BufferTooSmall;
use crate::wire::http::out::{Out, measure, write_measured};

/// The body of `POST /{org}/{app}/token` with the password grant.
///
/// Written as exactly `{"grant_type":"password","username":U,"password":P,"timestamp":ms}`
/// (the JS SDK's bytes), plus `,"ttl":N` before the closing brace when `ttl` is set. Its
/// `Debug` output redacts the password.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct PasswordGrant<'a> {
    /// The user ID.
    pub username: &'a str,
    /// The password (any text; escaped as JSON requires).
    pub password: &'a str,
    /// The current time in Unix milliseconds (informational, always sent by the JS SDK).
    pub timestamp_ms: u64,
    /// The requested token lifetime in seconds (milliseconds on the "VIP 5" cluster); `None`
    /// leaves the console default, `Some(0)` asks for a token that never expires.
    pub ttl: Option<u64>,
}

impl fmt::Debug for PasswordGrant<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PasswordGrant")
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .field("timestamp_ms", &self.timestamp_ms)
            .field("ttl", &self.ttl)
            .finish()
    }
}

/// Writes the password grant body into `out`; returns the number of bytes written.
pub fn write_password_grant(
    out: &mut [u8],
    grant: &PasswordGrant<'_>,
) -> Result<usize, BufferTooSmall> {
    write_measured(out, |o| write_password_grant_to(o, grant))
}

/// The length of the password grant body in bytes.
pub fn password_grant_len(grant: &PasswordGrant<'_>) -> usize {
    measure(|o| write_password_grant_to(o, grant))
}

pub(crate) fn write_password_grant_to(o: &mut Out<'_>, grant: &PasswordGrant<'_>) {
    o.str(r#"{"grant_type":"password","username":"#);
    write_json_string(o, grant.username);
    o.str(r#","password":"#);
    write_json_string(o, grant.password);
    o.str(r#","timestamp":"#);
    o.decimal(grant.timestamp_ms);
    if let Some(ttl) = grant.ttl {
        o.str(r#","ttl":"#);
        o.decimal(ttl);
    }
    o.byte(b'}');
}

/// A successful token reply (HTTP 200). The token's `Debug` output is redacted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct TokenResponse<'a> {
    access_token: SecretStr<'a>,
    /// `expires_in`: lifetime in seconds (milliseconds on "VIP 5"); a number, or a string of
    /// digits.
    pub expires_in: Option<u64>,
    /// `user.activated`; `Some(false)` means the user is banned.
    pub user_activated: Option<bool>,
}

impl<'a> TokenResponse<'a> {
    /// `access_token`: the msync credential and REST bearer token (may hold JSON escapes such
    /// as `\/`; see [`JsonStr::unescape_into`]).
    pub const fn access_token(&self) -> SecretStr<'a> {
        self.access_token
    }
}

/// Parses a token reply; `access_token` is required, unknown keys are ignored.
pub fn parse_token_response(input: &[u8]) -> Result<TokenResponse<'_>, JsonError> {
    let mut token = None;
    let mut expires_in = None;
    let mut user_activated = None;
    Reader::document(input, |r, key| {
        if key.eq_str("access_token") {
            token = Some(required(r, "access_token", |s| s.as_string())?);
        } else if key.eq_str("expires_in") {
            expires_in = r.nullable("expires_in", |s| s.as_u64())?;
        } else if key.eq_str("user") && r.is_object()? {
            r.object(|r, key| {
                if key.eq_str("activated") {
                    user_activated = r.nullable("user.activated", |s| s.as_bool())?;
                    Ok(())
                } else {
                    r.skip_value()
                }
            })?;
        } else {
            r.skip_value()?;
        }
        Ok(())
    })?;
    Ok(TokenResponse {
        access_token: SecretStr::new(token.ok_or(JsonError::MissingField("access_token"))?),
        expires_in,
        user_activated,
    })
}

/// A REST error body (`{"error": ..., "error_description": ...}`, other keys ignored).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct RestError<'a> {
    /// `error`, e.g. `invalid_grant`.
    pub error: Option<JsonStr<'a>>,
    /// `error_description`, e.g. `invalid password`.
    pub error_description: Option<JsonStr<'a>>,
}

/// Parses a REST error body.
pub fn parse_rest_error(input: &[u8]) -> Result<RestError<'_>, JsonError> {
    let mut error = None;
    let mut error_description = None;
    Reader::document(input, |r, key| {
        if key.eq_str("error") {
            error = r.nullable("error", |s| s.as_string())?;
        } else if key.eq_str("error_description") {
            error_description = r.nullable("error_description", |s| s.as_string())?;
        } else {
            r.skip_value()?;
        }
        Ok(())
    })?;
    Ok(RestError {
        error,
        error_description,
    })
}

/// A scalar field that must have a value.
fn required<'a, T>(
    r: &mut Reader<'a>,
    name: &'static str,
    convert: impl Fn(&Scalar<'a>) -> Option<T>,
) -> Result<T, JsonError> {
    r.nullable(name, convert)?
        .ok_or(JsonError::InvalidField(name))
}
