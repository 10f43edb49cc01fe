//! `Meta`: one item sent up or received in a batch (PROTOCOL.md §6.10), and its payload.

use super::{Bytes, Jid, KeyValue, MessageBody, NameSpace, Repeated, RouteType, StatisticsBody};
use crate::wire::proto::DecodeError;

message! {
    /// One item of a queue: a message sent up, or received in a batch (§6.10).
    ///
    /// Decode the payload with [`Meta::body`].
    Meta<'a> = "Meta" {
        /// Up: client message id (non-zero, unique); down: server message id.
        1 => id: Option<u64>,
        /// Down: the sender (set by the server).
        2 => from: Option<Jid<'a>>,
        /// Up: `{app_key, name, domain}`, plus `client_resource` to target one device.
        3 => to: Option<Jid<'a>>,
        /// Server time, ms.
        4 => timestamp: Option<u64>,
        /// What the payload holds; absent means `STATISTIC` by protobuf defaults.
        5 => ns: Option<NameSpace>,
        /// The body selected by `ns`.
        6 => payload: Option<Bytes<'a>>,
        /// Routing; clients write it (`ROUTE_ALL`).
        7 => routetype: Option<RouteType>,
        /// Routing ext, e.g. chat-room priority.
        8 => ext: Repeated<'a, KeyValue<'a>>,
        /// Down: JSON hints.
        9 => meta: Option<&'a [u8]>,
        /// Recipients of a `ROUTE_DIRECT` message.
        10 => directed_users: Repeated<'a, &'a str>,
        /// Go SDK only: pin expiry.
        11 => expire_time: Option<u64>,
        /// Go SDK only: client time, ms.
        12 => local_timestamp: Option<u64>,
        /// Go SDK only: callback routing.
        13 => env: Option<&'a str>,
    }
}

/// A meta's payload, decoded according to its namespace.
// Views live briefly on the stack and there is no heap to box the large variant into.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum MetaBody<'a> {
    /// `ns` CHAT: a chat message.
    Chat(MessageBody<'a>),
    /// `ns` STATISTIC (or absent): device information or a kick.
    Statistic(StatisticsBody<'a>),
    /// `ns` NOTIFY or QUERY: JSON text, not validated here.
    Json(&'a [u8]),
    /// Any other namespace (MUC, ROSTER, CONFERENCE, unknown): the raw bytes.
    Other(NameSpace, &'a [u8]),
}

impl<'a> Meta<'a> {
    /// The namespace, `STATISTIC` when absent (the protobuf default).
    pub fn namespace(&self) -> NameSpace {
        self.ns.unwrap_or(NameSpace::STATISTIC)
    }

    /// Decodes the payload by namespace; an absent payload is an empty one. Fails with
    /// [`DecodeError::PayloadNotRaw`] on a meta built with a nested payload.
    pub fn body(&self) -> Result<MetaBody<'a>, DecodeError> {
        let bytes = match self.payload {
            Some(payload) => payload.raw()?,
            None => &[],
        };
        Ok(match self.namespace() {
            NameSpace::CHAT => MetaBody::Chat(MessageBody::decode(bytes)?),
            NameSpace::STATISTIC => MetaBody::Statistic(StatisticsBody::decode(bytes)?),
            NameSpace::NOTIFY | NameSpace::QUERY => MetaBody::Json(bytes),
            other => MetaBody::Other(other, bytes),
        })
    }
}
