//! # msync-tokio
//!
//! The tokio adapter of msync-rs, a client for the Agora Chat / Easemob (环信) / Shengwang (声网)
//! instant-messaging cloud: the core's async driver over tokio TCP, rustls TLS (the `ring`
//! provider, webpki roots by default) and tokio timers, behind an async [`Client`].
//!
//! ```no_run
//! use msync_tokio::{Attribute, Client, ClientConfig, ClientEvent, Credential, Outgoing};
//!
//! # async fn demo(group_id: &str, new_token: String) -> Result<(), Box<dyn std::error::Error>> {
//! let config = ClientConfig::new("org#app", "alice", Credential::password("secret"))
//!     .with_custom_endpoints("http://127.0.0.1:8099", "ws://127.0.0.1:8099/websocket");
//! let (client, mut events) = Client::start(config).await?;
//! client.login().await?;
//!
//! let ack = client.send_text("bob", "hello").await?;
//! println!("stored as {} at {}", ack.server_id, ack.timestamp);
//! let level = Attribute::int("level", 2);
//! client.send(Outgoing::text(group_id, "hi all").group().with_ext(level)).await?;
//! client.send_cmd("bob", "reboot", vec![Attribute::string("zone", "kitchen")]).await?;
//!
//! while let Some(event) = events.recv().await {
//!     match event {
//!         ClientEvent::Message(message) => println!("{}: {:?}", message.from, message.content),
//!         ClientEvent::State(state) => println!("now {state:?}"),
//!         ClientEvent::TokenWillExpire { .. } => client.renew_token(new_token.clone(), None).await?,
//!         _ => {}
//!     }
//! }
//! client.logout().await?;
//! # Ok(())
//! # }
//! ```
//!
//! The pieces are public too: [`TokioConnector`] and [`TokioClock`] implement the core's
//! [`driver`](msync_core::driver) traits, for programs that run the driver themselves.
//!
//! Logging goes through `tracing` (spans named `msync` with the user); tokens and passwords are
//! never logged.

mod attribute;
mod client;
mod clock;
mod config;
mod connector;
mod error;
mod event;
mod outgoing;
mod task;
mod tls;

pub use attribute::{Attribute, AttributeValue};
pub use client::{Ack, Client, Events};
pub use clock::TokioClock;
pub use config::{ClientConfig, Credential, Endpoints};
pub use connector::{TokioConnector, TokioStream};
pub use error::{Error, SendError, StartError};
pub use event::{ClientEvent, ConnectionState, Content, Kick, Message, Receipt};
pub use outgoing::{Body, Outgoing, Recipients};
pub use tls::{TlsError, TlsOptions};

/// The core crate, for its types ([`session`](msync_core::session) errors and reasons,
/// [`region`](msync_core::region) tables, timings).
pub use msync_core;
pub use msync_core::region::{Platform, Region};
pub use msync_core::session::{
    CapacityError, ChatType, ChatroomPriority, CloseReason, Disconnect, KickReason, LoginError,
    MessageId, ReceiptKind, Receive, ReconnectPolicy, RejectReason, StateError, Timings,
    TokenError, TransportError,
};
