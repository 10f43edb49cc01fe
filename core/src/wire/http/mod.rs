//! HTTP/1.1 for the bootstrap (`server.json`, PROTOCOL.md §3) and REST (§4) exchanges.
//!
//! - Requests: [`write_bootstrap_request`], [`write_token_request`] and the general
//!   [`write_request`] write complete requests (always `Host` and `Connection: close`) into a
//!   caller buffer; a buffer that is too small is left untouched.
//! - Responses: [`ResponseReader`] reads one response incrementally from a caller buffer and
//!   yields the status and the body (by `Content-Length`, chunked, or until close), all bounded.
//!
//! TLS, sockets and redirects are the caller's business; nothing here follows a redirect.

mod authority;
mod chunked;
pub(crate) mod out;
mod percent;
mod request;
mod response;

pub use authority::{Authority, default_port};
pub(crate) use authority::{HostSyntax, HostSyntaxError, parse_host};
pub use percent::{PercentEncoded, percent_encode};
pub use request::{
    AppIdentity, BootstrapRequest, Method, Request, RequestError, TokenRequest,
    write_bootstrap_request, write_request, write_token_request,
};
pub(crate) use request::{check_authority, check_headers};
pub(crate) use response::trim_ows;
pub use response::{HttpError, Progress, Response, ResponseLimits, ResponseReader};
