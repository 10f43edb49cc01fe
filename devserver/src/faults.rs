//! Fault injection: misbehaviour a test switches on to see how a client copes.
//!
//! The same [`Faults`] value is read and written in process ([`crate::Controls::set_faults`])
//! and over the admin path (`GET`/`PUT`/`DELETE /_devserver/faults`, JSON of this shape).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The faults in force. `Faults::default()` is a well-behaved server.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Faults {
    /// Answer `GET /websocket` with `503 Service Unavailable` instead of upgrading.
    pub refuse_upgrades: bool,
    /// Hold every ACK back for this many milliseconds before sending it.
    pub ack_delay_ms: u64,
    /// Drop the next N ACKs (the message is still stored and delivered; a re-send with the same
    /// client id then gets the original server id). Counts down as ACKs are dropped.
    pub drop_acks: u32,
    /// Answer PROVISION with `REDIRECT` to this gateway instead of logging in.
    pub redirect: Option<RedirectFault>,
    /// Per user name: close that user's socket (TCP dropped, no close frame) once this many
    /// more frames have passed on it, counting both directions from the PROVISION reply on
    /// (frames before the login are not counted); the last frame is processed or sent first.
    /// Each entry fires once, on whichever of the user's logged-in sockets reaches it.
    pub close_after_frames: BTreeMap<String, u32>,
}

/// A REDIRECT answer to PROVISION.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RedirectFault {
    /// The host to send clients to.
    pub host: String,
    /// Its port.
    pub port: u16,
    /// How many PROVISIONs to redirect before logging clients in again; `None`: all of them.
    #[serde(default)]
    pub times: Option<u32>,
}

impl Faults {
    /// Takes one use of the redirect fault, if any is armed.
    pub(crate) fn take_redirect(&mut self) -> Option<RedirectFault> {
        let redirect = self.redirect.take()?;
        let left = match redirect.times {
            Some(0) => return None,
            Some(1) => None,
            Some(n) => Some(RedirectFault {
                times: Some(n - 1),
                ..redirect.clone()
            }),
            None => Some(redirect.clone()),
        };
        self.redirect = left;
        Some(redirect)
    }

    /// Takes one dropped ACK, if any remain.
    pub(crate) fn take_drop_ack(&mut self) -> bool {
        if self.drop_acks == 0 {
            return false;
        }
        self.drop_acks -= 1;
        true
    }

    /// Counts one frame on a socket of `user`; true when that socket must now be closed.
    pub(crate) fn count_frame(&mut self, user: &str) -> bool {
        let Some(left) = self.close_after_frames.get_mut(user) else {
            return false;
        };
        *left = left.saturating_sub(1);
        if *left == 0 {
            self.close_after_frames.remove(user);
            return true;
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirect_counts_down_then_disarms() {
        let mut faults = Faults {
            redirect: Some(RedirectFault {
                host: "h".into(),
                port: 1,
                times: Some(2),
            }),
            ..Faults::default()
        };
        assert!(faults.take_redirect().is_some());
        assert!(faults.take_redirect().is_some());
        assert!(faults.take_redirect().is_none());
        faults.redirect = Some(RedirectFault {
            host: "h".into(),
            port: 1,
            times: None,
        });
        for _ in 0..5 {
            assert_eq!(faults.take_redirect().map(|r| r.port), Some(1));
        }
    }

    #[test]
    fn close_after_frames_fires_once_on_the_nth_frame() {
        let mut faults = Faults::default();
        faults.close_after_frames.insert("alice".into(), 3);
        assert!(!faults.count_frame("bob"));
        assert!(!faults.count_frame("alice"));
        assert!(!faults.count_frame("alice"));
        assert!(faults.count_frame("alice"));
        assert!(!faults.count_frame("alice"));
    }

    #[test]
    fn dropped_acks_count_down() {
        let mut faults = Faults {
            drop_acks: 2,
            ..Faults::default()
        };
        assert!(faults.take_drop_ack());
        assert!(faults.take_drop_ack());
        assert!(!faults.take_drop_ack());
    }

    #[test]
    fn json_shape_rejects_unknown_fields() {
        let faults: Faults =
            serde_json::from_str(r#"{"drop_acks":1,"close_after_frames":{"bob":2}}"#).unwrap();
        assert_eq!(faults.drop_acks, 1);
        assert_eq!(faults.close_after_frames.get("bob"), Some(&2));
        assert!(serde_json::from_str::<Faults>(r#"{"drop_ack":1}"#).is_err());
    }
}
