//! `Provision` (PROVISION, both directions), `Status` and `RedirectInfo` (PROTOCOL.md §6.5,
//! §6.6).

use super::Repeated;
use super::{Bytes, CompressDirection, CompressType, EncryptType, ErrorCode, NetworkType, OsType};

message! {
    /// Where to reconnect after a `REDIRECT` status.
    RedirectInfo<'a> = "RedirectInfo" {
        /// Host name.
        1 => host: Option<&'a str>,
        /// TCP port.
        2 => port: Option<u32>,
    }
}

message! {
    /// The result of a login, send, pull or logout (§6.6).
    Status<'a> = "Status" {
        /// The result code; absent means `OK` by protobuf defaults.
        1 => error_code: Option<ErrorCode>,
        /// Free text the SDKs match on (e.g. `Sorry, token expired`).
        2 => reason: Option<&'a str>,
        /// Where to go with `REDIRECT`.
        3 => redirect_info: Repeated<'a, RedirectInfo<'a>>,
    }
}

impl Status<'_> {
    /// The result code, `OK` when absent (the protobuf default).
    pub fn code(&self) -> ErrorCode {
        self.error_code.unwrap_or(ErrorCode::OK)
    }
}

message! {
    /// PROVISION body: the login request up, the login result down (§6.5).
    ///
    /// Up (the JS SDK layout): `os_type`, `version`, `compress_type`, `encrypt_type`, `device_uuid`,
    /// `device_name`, `resource`, `action_version`, `auth_token`, `session_id`. Down: `status`,
    /// maybe `resource`, `auth_token` (new token JSON), `session_id`, compression selection.
    /// `Debug` redacts the credential fields.
    Provision<'a> = "Provision" {
        /// Client platform: `OS_OTHER`, or `OS_CUSTOM` with `os_custom_value`.
        1 => os_type: Option<OsType>,
        /// SDK version, e.g. `4.21.1`.
        2 => version: Option<&'a str>,
        /// Network type (unused by the SDKs).
        3 => network_type: Option<NetworkType>,
        /// App signature (unused).
        4 => app_sign: Option<&'a str>,
        /// Offered payload compression: `[COMPRESS_NONE]`.
        5 => compress_type: Repeated<'a, CompressType>,
        /// Offered encryption: `[ENCRYPT_NONE]`.
        6 => encrypt_type: Repeated<'a, EncryptType>,
        /// Encryption key (unused).
        7 => encrypt_key [secret]: Option<&'a str>,
        /// Down: the login result.
        8 => status: Option<Status<'a>>,
        /// Device UUID, e.g. `zfb_1700000000000`.
        9 => device_uuid: Option<&'a str>,
        /// uni-app only: manual login.
        10 => is_manual_login: Option<bool>,
        /// Password (unused; tokens are used instead).
        11 => password [secret]: Option<&'a str>,
        /// Device name, e.g. `webim`.
        12 => device_name: Option<&'a str>,
        /// Up: `guid.client_resource`; down: the server's resource, to adopt.
        13 => resource: Option<&'a str>,
        /// Auth (unused).
        14 => auth [secret]: Option<&'a str>,
        /// Agora App ID (unused).
        15 => app_id: Option<&'a str>,
        /// Service id (unused).
        16 => service_id("serviceId"): Option<&'a str>,
        /// Feature level, `v5.2`.
        17 => action_version: Option<&'a str>,
        /// Up: `{"token":"$t$<token>"}`; down: optional JSON with a new `token`, `expires_in`.
        18 => auth_token [secret]: Option<Bytes<'a>>,
        /// 1..100 with `OS_CUSTOM`.
        19 => os_custom_value: Option<u32>,
        /// Up: `"<unix_ms>:"`; down: the session id.
        20 => session_id: Option<&'a str>,
        /// Login extension shown to the devices this login kicks (≤ 1024 chars).
        21 => reason: Option<&'a str>,
        /// Up: LZ4 offer (clients omit it); down: the selected algorithm, empty = none.
        22 => protocol_compress_type: Repeated<'a, CompressType>,
        /// Down: the direction the selection applies to (0 when absent).
        23 => protocol_compress_direction: Option<CompressDirection>,
        /// Down: time-sync key.
        24 => ntp_key: Option<&'a [u8]>,
    }
}
