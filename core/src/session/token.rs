//! The token: the one in use, the one for the next PROVISION, and its expiry (§7.10).
//!
//! A token handed over at run time (REST reply, a rotated token in the PROVISION reply,
//! [`renew_token`](super::Session::renew_token)) is used from the next PROVISION on; the live
//! connection keeps the one it logged in with (its LOGOUT repeats it).

use heapless::String;

use super::ids::is_wall_clock;
use crate::time::{Duration, Instant};
use crate::wire::json::TOKEN_MARKER;

/// The longest token the session stores, in bytes (Easemob tokens are about 150–300).
pub const MAX_TOKEN_LEN: usize = 512;

/// `"$t$" + token`: the envelope's `auth`; the token is the part after the marker.
type AuthText = String<{ MAX_TOKEN_LEN + 3 }>;

/// Whether `token` can be stored and sent: 1..=[`MAX_TOKEN_LEN`] bytes of visible ASCII other
/// than `"` and `\` (so it needs no escaping in JSON and is a valid bearer credential).
pub(crate) fn is_valid_token(token: &str) -> bool {
    !token.is_empty()
        && token.len() <= MAX_TOKEN_LEN
        && token
            .bytes()
            .all(|b| b.is_ascii_graphic() && b != b'"' && b != b'\\')
}

fn auth_text(token: &str) -> Option<AuthText> {
    if !is_valid_token(token) {
        return None;
    }
    let mut text = AuthText::new();
    text.push_str(TOKEN_MARKER).ok()?;
    text.push_str(token).ok()?;
    Some(text)
}

/// When the token expires and when to warn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Expiry {
    pub(crate) warn_at: Option<Instant>,
    pub(crate) expires_at: Instant,
}

/// The token store. `Debug` shows no token.
pub(crate) struct Tokens {
    current: AuthText,
    next: Option<AuthText>,
    expiry: Option<Expiry>,
}

impl core::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Tokens")
            .field("has_current", &!self.current.is_empty())
            .field("has_next", &self.next.is_some())
            .field("expiry", &self.expiry)
            .finish()
    }
}

impl Tokens {
    pub(crate) const fn new() -> Self {
        Self {
            current: AuthText::new(),
            next: None,
            expiry: None,
        }
    }

    /// Whether a token is available for the next PROVISION.
    pub(crate) fn has_token(&self) -> bool {
        self.next.is_some() || !self.current.is_empty()
    }

    /// Stores `token` for the next PROVISION; `false` if it is invalid or too long.
    pub(crate) fn set_next(&mut self, token: &str) -> bool {
        match auth_text(token) {
            Some(text) => {
                self.next = Some(text);
                true
            }
            None => false,
        }
    }

    /// Forgets every token (a password login fetches a new one).
    pub(crate) fn clear(&mut self) {
        self.current.clear();
        self.next = None;
        self.expiry = None;
    }

    /// Called when a PROVISION is built: the newest token becomes the one in use.
    pub(crate) fn activate(&mut self) {
        if let Some(next) = self.next.take() {
            self.current = next;
        }
    }

    /// `"$t$" + token` of the connection.
    pub(crate) fn auth(&self) -> &str {
        &self.current
    }

    /// The token of the connection.
    #[cfg(test)]
    pub(crate) fn current(&self) -> &str {
        self.current.get(TOKEN_MARKER.len()..).unwrap_or("")
    }

    /// The newest token (the one the next PROVISION will use).
    pub(crate) fn newest(&self) -> &str {
        let text = self.next.as_ref().unwrap_or(&self.current);
        text.get(TOKEN_MARKER.len()..).unwrap_or("")
    }

    pub(crate) fn expiry(&self) -> Option<Expiry> {
        self.expiry
    }

    /// Arms the timers from an `expires_in` read by magnitude: epoch ms (≥ 10^12), epoch s
    /// (≥ 10^9), else seconds from now; 0 means the token never expires. Absolute values need
    /// a wall-clock `now` and are ignored otherwise.
    pub(crate) fn arm(&mut self, now: Instant, expires_in: u64, warn_percent: u8) {
        let expires_at = if expires_in == 0 {
            None
        } else if expires_in >= 1_000_000_000_000 {
            is_wall_clock(now).then(|| Instant::from_millis(expires_in))
        } else if expires_in >= 1_000_000_000 {
            is_wall_clock(now).then(|| Instant::from_millis(expires_in.saturating_mul(1000)))
        } else {
            Some(now + Duration::from_secs(expires_in))
        };
        self.expiry = expires_at.map(|expires_at| {
            let life = expires_at.saturating_since(now).as_millis();
            let warn = life.saturating_mul(u64::from(warn_percent.min(100))) / 100;
            Expiry {
                warn_at: Some(now + Duration::from_millis(warn)),
                expires_at,
            }
        });
    }

    /// The warning was given.
    pub(crate) fn warned(&mut self) {
        if let Some(expiry) = &mut self.expiry {
            expiry.warn_at = None;
        }
    }

    /// The expiry was handled.
    pub(crate) fn disarm(&mut self) {
        self.expiry = None;
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use std::format;

    #[test]
    fn next_token_waits_for_the_next_provision() {
        let mut tokens = Tokens::new();
        assert!(!tokens.has_token());
        assert!(tokens.set_next("TOKEN"));
        tokens.activate();
        assert_eq!(tokens.auth(), "$t$TOKEN");
        assert!(tokens.set_next("ROTATED"));
        assert_eq!(tokens.current(), "TOKEN");
        assert_eq!(tokens.newest(), "ROTATED");
        tokens.activate();
        assert_eq!(tokens.current(), "ROTATED");
        assert!(!tokens.set_next("bad\"quote"));
        assert!(!tokens.set_next(""));
        assert!(!format!("{tokens:?}").contains("ROTATED"));
    }

    #[test]
    fn expiry_by_magnitude() {
        let now = Instant::from_millis(1_700_000_000_000);
        let mut tokens = Tokens::new();
        tokens.arm(now, 1_700_086_400_000, 80);
        let e = tokens.expiry().unwrap();
        assert_eq!(e.expires_at, Instant::from_millis(1_700_086_400_000));
        assert_eq!(e.warn_at, Some(now + Duration::from_millis(69_120_000)));
        tokens.arm(now, 1_700_086_400, 80);
        assert_eq!(tokens.expiry().unwrap().expires_at, e.expires_at);
        tokens.arm(now, 86_400, 80);
        assert_eq!(tokens.expiry().unwrap().expires_at, e.expires_at);
        tokens.arm(Instant::from_millis(5), 1_700_086_400_000, 80);
        assert_eq!(tokens.expiry(), None);
        tokens.arm(now, 0, 80);
        assert_eq!(tokens.expiry(), None);
    }
}
