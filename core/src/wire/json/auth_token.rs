//! The JSON carried in `Provision.auth_token` (PROTOCOL.md §6.5, §6.16, §7.10).

use super::reader::{JsonError, Reader};
use super::string::{SecretStr, write_json_escaped};
use crate::wire::BufferTooSmall;
use crate::wire::http::out::{Out, measure, write_measured};

/// The marker the JS SDK puts before a token (as opposed to a password).
pub const TOKEN_MARKER: &str = "$t$";

/// Writes `{"token":"$t$<token>"}` (compact, the JS SDK's bytes) into `out`; returns the
/// number of bytes written.
pub fn write_auth_token(out: &mut [u8], token: &str) -> Result<usize, BufferTooSmall> {
    write_measured(out, |o| write_auth_token_to(o, token))
}

/// The length of [`write_auth_token`]'s output in bytes.
pub fn auth_token_len(token: &str) -> usize {
    measure(|o| write_auth_token_to(o, token))
}

fn write_auth_token_to(o: &mut Out<'_>, token: &str) {
    o.str(r#"{"token":""#);
    o.str(TOKEN_MARKER);
    write_json_escaped(o, token);
    o.str(r#""}"#);
}

/// The optional JSON of a PROVISION reply's `auth_token`. The token's `Debug` output is
/// redacted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct AuthTokenReply<'a> {
    token: Option<SecretStr<'a>>,
    /// `expires_in`: the JS SDK reads it as absolute epoch milliseconds; interpret by magnitude
    /// (PROTOCOL.md §7.10).
    pub expires_in: Option<u64>,
}

impl<'a> AuthTokenReply<'a> {
    /// `token`: a rotated token, when the server sent one.
    pub const fn token(&self) -> Option<SecretStr<'a>> {
        self.token
    }
}

/// Parses the reply form `{"token":"...","expires_in":N}` (both optional, unknown keys
/// ignored; `expires_in` may be a number or a string of digits).
pub fn parse_auth_token_reply(input: &[u8]) -> Result<AuthTokenReply<'_>, JsonError> {
    let mut token = None;
    let mut expires_in = None;
    Reader::document(input, |r, key| {
        if key.eq_str("token") {
            token = r.nullable("token", |s| s.as_string())?.map(SecretStr::new);
        } else if key.eq_str("expires_in") {
            expires_in = r.nullable("expires_in", |s| s.as_u64())?;
        } else {
            r.skip_value()?;
        }
        Ok(())
    })?;
    Ok(AuthTokenReply { token, expires_in })
}
