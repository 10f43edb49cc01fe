//! Close frame payloads (RFC 6455 §5.5.1, §7.4).

use super::error::WsError;

/// A close status code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct CloseCode(pub u16);

impl CloseCode {
    /// 1000: normal closure.
    pub const NORMAL: Self = Self(1000);
    /// 1001: the endpoint is going away.
    pub const GOING_AWAY: Self = Self(1001);
    /// 1002: protocol error.
    pub const PROTOCOL_ERROR: Self = Self(1002);
    /// 1003: a data type the endpoint cannot accept.
    pub const UNSUPPORTED_DATA: Self = Self(1003);
    /// 1007: payload inconsistent with the message type (bad UTF-8, bad base64).
    pub const INVALID_PAYLOAD: Self = Self(1007);
    /// 1008: policy violation.
    pub const POLICY_VIOLATION: Self = Self(1008);
    /// 1009: message too big.
    pub const MESSAGE_TOO_BIG: Self = Self(1009);
    /// 1011: unexpected condition on the server.
    pub const INTERNAL_ERROR: Self = Self(1011);

    /// Whether the code may appear in a close frame: 1000–1003, 1007–1014 (IANA registered),
    /// and 3000–4999 (registered and private use). 1004–1006, 1015 and everything else may not.
    pub const fn is_sendable(self) -> bool {
        matches!(self.0, 1000..=1003 | 1007..=1014 | 3000..=4999)
    }
}

/// A close frame received from the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct CloseFrame<'a> {
    /// The status code; `None` when the frame had no payload (reported as 1005 by APIs).
    pub code: Option<CloseCode>,
    /// The UTF-8 reason (may be empty).
    pub reason: &'a str,
}

/// Parses a close payload: empty, or a 2-byte code and a UTF-8 reason.
pub(crate) fn parse_close_payload(payload: &[u8]) -> Result<CloseFrame<'_>, WsError> {
    let Some((code, reason)) = payload.split_first_chunk::<2>() else {
        return if payload.is_empty() {
            Ok(CloseFrame {
                code: None,
                reason: "",
            })
        } else {
            Err(WsError::InvalidClosePayload)
        };
    };
    let code = CloseCode(u16::from_be_bytes(*code));
    if !code.is_sendable() {
        return Err(WsError::InvalidCloseCode { code: code.0 });
    }
    let reason = core::str::from_utf8(reason).map_err(|_| WsError::InvalidCloseReason)?;
    Ok(CloseFrame {
        code: Some(code),
        reason,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes() {
        for ok in [
            1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1014, 3000, 4999,
        ] {
            assert!(CloseCode(ok).is_sendable(), "{ok}");
        }
        for bad in [0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, u16::MAX] {
            assert!(!CloseCode(bad).is_sendable(), "{bad}");
        }
    }

    #[test]
    fn payloads() {
        assert_eq!(
            parse_close_payload(b""),
            Ok(CloseFrame {
                code: None,
                reason: ""
            })
        );
        assert_eq!(
            parse_close_payload(b"\x03\xe8bye"),
            Ok(CloseFrame {
                code: Some(CloseCode::NORMAL),
                reason: "bye"
            })
        );
        assert_eq!(
            parse_close_payload(b"\x03"),
            Err(WsError::InvalidClosePayload)
        );
        assert_eq!(
            parse_close_payload(b"\x03\xed"),
            Err(WsError::InvalidCloseCode { code: 1005 })
        );
        assert_eq!(
            parse_close_payload(b"\x03\xe8\xff"),
            Err(WsError::InvalidCloseReason)
        );
    }
}
