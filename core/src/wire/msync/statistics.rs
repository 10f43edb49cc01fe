//! `StatisticsBody`: the payload of STATISTIC metas, including kicks (PROTOCOL.md §6.14).

use super::{NetworkType, Operation, OsType};

message! {
    /// The payload of a `Meta` with `ns` STATISTIC: device information up, kicks down (§6.14).
    StatisticsBody<'a> = "StatisticsBody" {
        /// What happened; absent means `INFORMATION` by protobuf defaults.
        1 => operation: Option<Operation>,
        /// Platform.
        2 => os: Option<OsType>,
        /// SDK version.
        3 => version: Option<&'a str>,
        /// Network.
        4 => network: Option<NetworkType>,
        /// IM time.
        5 => im_time: Option<u32>,
        /// Chat time.
        6 => chat_time: Option<u32>,
        /// Location.
        7 => location: Option<&'a str>,
        /// The device that took over (Go SDK schema).
        8 => replace_device_name: Option<&'a str>,
        /// The other login's session id (Go SDK schema).
        9 => session_id: Option<&'a str>,
        /// The other device's `Provision.reason`.
        10 => reason: Option<&'a str>,
    }
}
