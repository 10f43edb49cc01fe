//! `Logout` (LOGOUT, both directions; PROTOCOL.md §6.15).

use super::Status;

message! {
    /// LOGOUT body: the session to end up, the result down (§6.15).
    Logout<'a> = "Logout" {
        /// The session id sent in PROVISION (or the reply's).
        1 => session_id: Option<&'a str>,
        /// Free text, e.g. `inner:logout`.
        2 => reason: Option<&'a str>,
        /// The result (reply).
        3 => status: Option<Status<'a>>,
    }
}
