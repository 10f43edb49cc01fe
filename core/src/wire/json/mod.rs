//! JSON documents of the bootstrap and REST exchanges, read and written without allocation.
//!
//! - [`parse_server_json`]: `server.json` with host selection (PROTOCOL.md §3.2, §3.3).
//! - [`write_password_grant`], [`parse_token_response`], [`parse_rest_error`]: the REST token
//!   call (§4).
//! - [`write_auth_token`], [`parse_auth_token_reply`]: `Provision.auth_token` (§6.16, §7.10).
//!
//! Reading uses a small validating pull reader rather than `serde-json-core`: the protocol
//! requires fields that are "a string or a number" (`port`, `priority`, `valid_before`,
//! `expires_in`), and `serde-json-core` cannot express that (its `deserialize_any` is
//! unsupported, so a custom `Deserialize` cannot look at the token type). Strings are returned
//! as [`JsonStr`] views into the input: borrowed as `&str` when they hold no escape, decoded
//! into a caller buffer otherwise. Writers escape strings exactly as `serde_json` does.

mod auth_token;
mod reader;
mod server;
mod string;
mod token;

pub use auth_token::{
    AuthTokenReply, TOKEN_MARKER, auth_token_len, parse_auth_token_reply, write_auth_token,
};
pub use reader::{JsonError, MAX_DEPTH};
pub use server::{
    DEFAULT_MAX_HOSTS, HostKind, NoUsableHost, SelectOptions, SelectedHost, ServerJson,
    parse_server_json,
};
pub use string::{JsonStr, SecretStr, Unescaped};
pub(crate) use token::write_password_grant_to;
pub use token::{
    PasswordGrant, RestError, TokenResponse, parse_rest_error, parse_token_response,
    password_grant_len, write_password_grant,
};
