//! msync messages (PROTOCOL.md §6): the [`MSync`] envelope and every body a client sends or
//! receives, decoded zero-copy and encoded into one caller buffer.
//!
//! # One type per message, for both directions
//!
//! Each schema message is a plain struct with public fields, e.g. [`Jid`] with
//! `app_key: Option<&'a str>`. The same struct is what a decoder returns and what an encoder
//! takes, so building a frame is a struct literal (`..Meta::EMPTY` fills the rest).
//!
//! - **Presence** (proto2): every singular field is an `Option`; `None` means absent from the
//!   wire, `Some(0)` means present and zero. Encoders write exactly the present fields, so a
//!   decoded frame re-encodes byte for byte when it was itself minimal and in field order.
//! - **Views**: strings and bytes borrow the input (`&'a str`, `&'a [u8]`). Repeated fields are
//!   [`Repeated`]: a caller's slice, or after decoding a view over the raw bytes whose
//!   iterator decodes lazily, accepting packed and unpacked encodings alike.
//! - **Validation up front**: `decode` walks every nested level once (the schema is not
//!   recursive, so the depth is fixed and small), checks wire types, lengths and UTF-8, and
//!   only then returns. Iterators and accessors handed out afterwards cannot fail. Fields of
//!   type `bytes` that carry another encoding ([`Bytes`]: `MSync.payload`, `Meta.payload`,
//!   `Provision.auth_token`) stay opaque until decoded themselves ([`MSync::body`],
//!   [`Meta::body`]). Unknown fields of every wire type are skipped; a known field with a
//!   wrong wire type is [`DecodeError::WrongWireType`]; for a singular field the last
//!   occurrence wins (nested messages are not merged). Unknown enum numbers are kept.
//! - **Enums** are newtypes over the number with a constant per known value
//!   ([`Command::SYNC`]); [`Command::name`] gives the schema name.
//!
//! # Encoding
//!
//! Every message implements [`Encode`]: [`Encode::encoded_len`], then [`Encode::encode`] into
//! a buffer (to leave room for a header, encode into `&mut buf[offset..]`). A buffer that is too
//! small yields [`BufferTooSmall`](crate::wire::BufferTooSmall) with the size needed, and is left
//! untouched. Fields are written in ascending field-number order, repeated scalars unpacked,
//! varints minimal: the layout of the golden vectors. A `bytes` field can embed a message with
//! [`Bytes::Nested`], so a send is encoded in one pass, with no temporary buffer:
//!
//! ```
//! use msync_core::wire::msync::*;
//! use msync_core::wire::proto::Encode;
//!
//! let contents = [Content::text("hello")];
//! let body = MessageBody {
//!     message_type: Some(MessageType::CHAT),
//!     from: Some(Jid::name_only("alice")),
//!     to: Some(Jid::name_only("bob")),
//!     contents: Repeated::from(&contents),
//!     ..MessageBody::EMPTY
//! };
//! let sync = CommSyncUl {
//!     meta: Some(Meta {
//!         id: Some(1234567890123),
//!         to: Some(Jid::bare("org#app", "bob", "easemob.com")),
//!         ns: Some(NameSpace::CHAT),
//!         payload: Some(Bytes::Nested(&body)),
//!         routetype: Some(RouteType::ROUTE_ALL),
//!         ..Meta::EMPTY
//!     }),
//!     ..CommSyncUl::EMPTY
//! };
//! let frame = MSync {
//!     command: Some(Command::SYNC),
//!     payload: Some(Bytes::Nested(&sync)),
//!     encrypt_type: Repeated::from(&[EncryptType::ENCRYPT_NONE]),
//!     trace_id: Some(7130316800000004099),
//!     ..MSync::EMPTY
//! };
//! let mut buf = [0u8; 128];
//! let len = frame.encode(&mut buf).unwrap();
//!
//! let decoded = MSync::decode(&buf[..len]).unwrap();
//! let Body::SyncUl(sync) = decoded.up_body().unwrap() else { panic!() };
//! let Ok(MetaBody::Chat(body)) = sync.meta.unwrap().body() else { panic!() };
//! assert_eq!(body.contents.first().unwrap().text, Some("hello"));
//! ```
//!
//! # Receiving
//!
//! [`MSync::decode`], then [`MSync::body`] for the body of a server frame ([`Body`]), or
//! `MSync::body_inflated` when `compress_algorimth` is 1 (zlib, inflated into a caller buffer
//! by `Inflater`; feature `zlib`, on by default, else such a payload is
//! [`DecodeError::CompressedPayload`]). A batch's metas decode their payload by namespace with
//! [`Meta::body`].
//!
//! # JSON views
//!
//! [`json_view`] writes any message as protobuf JSON with the vectors' conventions, without
//! allocating: [`write_envelope_json`] and [`write_payload_json`].

#[macro_use]
mod macros;

mod bytes;
mod content;
mod enums;
mod envelope;
mod field;
mod jid;
pub mod json_view;
mod key_value;
mod logout;
mod message;
mod meta;
mod provision;
mod repeated;
mod statistics;
mod sync;
mod unread;
#[cfg(feature = "zlib")]
mod zlib;

#[cfg(test)]
mod tests;

pub use bytes::Bytes;
pub use content::{Content, Size};
pub use enums::{
    Command, CompressDirection, CompressType, ContentType, EditScope, EncryptType, ErrorCode,
    MessageType, NameSpace, NetworkType, Operation, OsType, RouteType, SubType, ValueType, Version,
};
pub use envelope::{Body, Direction, MSync};
pub use field::{Empty, FieldValue, Message};
pub use jid::Jid;
pub use json_view::{
    ViewError, write_body_json, write_envelope_json, write_json, write_payload_json,
};
pub use key_value::{KeyValue, Value};
pub use logout::Logout;
pub use message::{MessageBody, MessageConfig, Stream};
pub use meta::{Meta, MetaBody};
pub use provision::{Provision, RedirectInfo, Status};
pub use repeated::{Iter, Repeated};
pub use statistics::StatisticsBody;
pub use sync::{CommNotice, CommSyncDl, CommSyncUl, RoamConfig};
pub use unread::{CommUnreadDl, CommUnreadUl, MetaQueue};
#[cfg(feature = "zlib")]
pub use zlib::{Inflater, inflate_zlib};

pub use crate::wire::proto::{DecodeError, Encode};
