//! The demo's steps: two users on an in-process devserver log in through the whole path and
//! exchange every kind of message, and each step checks what it claims (content, sender,
//! recipient, ids, counts) against what the other side received and what the server holds.

use std::collections::BTreeSet;
use std::time::Duration;

use msync_core::session::BackoffTier;
use msync_core::time;
use msync_devserver::{Config, DevServer, Direction, RoomSpec, RunningServer};
use msync_tokio::{
    Ack, Attribute, Body, ChatType, Client, ClientConfig, CloseReason, ConnectionState, Content,
    Credential, Message, Outgoing, ReconnectPolicy, SendError, TlsOptions,
};
use serde_json::{Value, json};

use super::inbox::{Inbox, WAIT};
use super::transcript::Checked;
use crate::cmd::session::render::{BodyJson, attributes_json};

/// The demo's app.
pub(super) const APP: &str = "demo#iot";
/// The users' password.
const PASSWORD: &str = "demo-password";
/// Quick reconnects, so that the socket replacement takes a fraction of a second (the
/// protocol's default first wait is 1–2 s).
static DEMO_BACKOFF: [BackoffTier; 1] = [BackoffTier {
    from_attempt: 1,
    min: time::Duration::from_millis(50),
    max: time::Duration::from_millis(150),
    granularity: time::Duration::from_millis(1),
}];
/// The burst is a stream: its sends go out in this many groups, this far apart.
const STREAM_PAUSES: usize = 50;
const STREAM_PAUSE: Duration = Duration::from_millis(4);
/// How long the burst step listens for duplicates after the last expected message.
const DUPLICATE_WATCH: Duration = Duration::from_millis(300);

/// One of the two users.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Who {
    /// alice.
    Alice,
    /// bob.
    Bob,
}

impl Who {
    fn name(self) -> &'static str {
        match self {
            Who::Alice => "alice",
            Who::Bob => "bob",
        }
    }

    fn other(self) -> Who {
        match self {
            Who::Alice => Who::Bob,
            Who::Bob => Who::Alice,
        }
    }
}

/// A user's client and events.
#[derive(Debug)]
struct User {
    client: Client,
    inbox: Inbox,
}

/// The running demo: the server, both users, the group once created.
#[derive(Debug)]
pub(super) struct Demo {
    server: RunningServer,
    alice: User,
    bob: User,
    group: Option<String>,
}

impl Demo {
    /// Step 1: starts the devserver on a free loopback port (TLS with a fresh self-signed
    /// certificate if asked), registers both users and prepares their clients (not connected).
    pub(super) async fn start(tls: bool) -> Result<(Demo, Checked), String> {
        let server = DevServer::start(Config::new().tls(tls))
            .await
            .map_err(|e| format!("the devserver did not start: {e}"))?;
        for who in [Who::Alice, Who::Bob] {
            server
                .register_user(APP, who.name(), PASSWORD)
                .map_err(|e| format!("registering {}: {e}", who.name()))?;
        }
        let alice = User::start(&server, Who::Alice).await?;
        let bob = User::start(&server, Who::Bob).await?;
        let addr = server.local_addr();
        let checked = Checked::new(
            format!(
                "listening on {addr} ({}); alice and bob registered on {APP}",
                if tls { "https + wss" } else { "http + ws" }
            ),
            json!({"addr": addr.to_string(), "base_url": server.base_url(), "ws_url": server.ws_url()}),
        );
        let demo = Demo {
            server,
            alice,
            bob,
            group: None,
        };
        Ok((demo, checked))
    }

    /// Shuts the devserver down.
    pub(super) async fn stop(self) {
        self.server.shutdown().await;
    }

    fn user(&mut self, who: Who) -> &mut User {
        match who {
            Who::Alice => &mut self.alice,
            Who::Bob => &mut self.bob,
        }
    }

    /// Logs `who` in. The client knows only the bootstrap base, so being online means it
    /// fetched server.json, obtained a REST token with the password (checked: the client holds
    /// one), opened the WebSocket and was provisioned (checked: the server's frame log).
    pub(super) async fn login(&mut self, who: Who) -> Result<Checked, String> {
        let name = who.name();
        let user = self.user(who);
        user.client
            .login()
            .await
            .map_err(|e| format!("{name}'s login failed: {e}"))?;
        if user.client.state() != ConnectionState::Online {
            return Err(format!("{name} is {:?}, not online", user.client.state()));
        }
        let token = user.client.token().await.map_err(|e| e.to_string())?;
        if token.is_none_or(|token| token.is_empty()) {
            return Err(format!("{name} holds no REST token"));
        }
        let provisioned = self.server.frames().iter().any(|frame| {
            frame.command == "PROVISION"
                && frame.direction == Direction::Down
                && frame.user.as_deref() == Some(name)
        });
        if !provisioned {
            return Err(format!("the server logged no PROVISION reply to {name}"));
        }
        let resource = self
            .server
            .sessions()
            .into_iter()
            .find(|session| session.user == name)
            .map(|session| session.resource)
            .ok_or_else(|| format!("the server lists no session of {name}"))?;
        Ok(Checked::new(
            format!("server.json -> REST token -> WebSocket -> PROVISION: online as {resource}"),
            json!({"user": name, "resource": resource}),
        ))
    }

    /// `from` sends `message`; the other user must receive it once, intact, with the
    /// acknowledged id.
    pub(super) async fn exchange(
        &mut self,
        from: Who,
        message: Outgoing,
    ) -> Result<Checked, String> {
        let ack = self
            .user(from)
            .client
            .send(message.clone())
            .await
            .map_err(|e| format!("{}'s send failed: {e}", from.name()))?;
        let received = self.user(from.other()).inbox.next_message().await?;
        check_received(&received, from.name(), &message, &ack)?;
        let place = match message.chat {
            ChatType::Single => message.to.clone(),
            ChatType::Group => format!("group {}", message.to),
            ChatType::ChatRoom => format!("room {}", message.to),
        };
        let mut what = describe_body(&message.body);
        if !message.ext.is_empty() {
            what.push_str(&format!(
                " ext {}",
                Value::Object(attributes_json(&message.ext))
            ));
        }
        Ok(Checked::new(
            format!(
                "{} -> {place} {what}: acked as {}, received intact",
                from.name(),
                ack.server_id
            ),
            json!({
                "from": from.name(), "to": message.to, "id": ack.server_id.to_string(),
                "body": BodyJson::from(&received.content), "ext": attributes_json(&received.ext),
            }),
        ))
    }

    /// Creates a group of alice (owner) and bob; alice's message to it reaches bob.
    pub(super) async fn group_message(&mut self) -> Result<Checked, String> {
        let spec = RoomSpec {
            name: "demo-room".into(),
            owner: "alice".into(),
            members: vec!["bob".into()],
            public: false,
        };
        let group = self
            .server
            .create_group(APP, spec)
            .map_err(|e| format!("creating the group: {e}"))?;
        self.group = Some(group.clone());
        let message = Outgoing::text(group, "hello, group 🎉")
            .group()
            .with_ext(Attribute::string("topic", "status"));
        self.exchange(Who::Alice, message).await
    }

    /// bob logs out; alice's message waits on the server and reaches bob at his next login.
    pub(super) async fn offline_message(&mut self) -> Result<Checked, String> {
        self.bob
            .client
            .logout()
            .await
            .map_err(|e| format!("bob's logout failed: {e}"))?;
        let reason = self.bob.inbox.closed().await?;
        if reason != CloseReason::LoggedOut {
            return Err(format!("bob's session closed with {reason:?}"));
        }
        if self.server.sessions().iter().any(|s| s.user == "bob") {
            return Err("the server still lists bob online".into());
        }
        let message = Outgoing::text("bob", "sent while you were offline 📬");
        let ack = self
            .alice
            .client
            .send(message.clone())
            .await
            .map_err(|e| format!("alice's send failed: {e}"))?;
        let queued: usize = self.server.queues(APP, "bob").iter().map(|q| q.items).sum();
        if queued == 0 {
            return Err("the server holds nothing for bob".into());
        }
        self.bob
            .client
            .login()
            .await
            .map_err(|e| format!("bob's second login failed: {e}"))?;
        let received = self.bob.inbox.next_message().await?;
        check_received(&received, "alice", &message, &ack)?;
        Ok(Checked::new(
            format!(
                "bob logged out; alice's message waited in bob's queue ({queued} held) and \
                 arrived at his next login, id {}",
                ack.server_id
            ),
            json!({"queued": queued, "id": ack.server_id.to_string()}),
        ))
    }

    /// bob streams `count` messages to alice (up to 32 in flight), while the server drops
    /// alice's and then bob's socket mid-stream (no close frame); both clients open new
    /// sockets. Every send must be acknowledged once with its own id, and alice must receive
    /// each message exactly once.
    pub(super) async fn burst_through_socket_loss(
        &mut self,
        count: usize,
    ) -> Result<Checked, String> {
        self.alice.inbox.settle()?;
        self.bob.inbox.settle()?;
        let (alice_before, bob_before) = (self.alice.inbox.reconnects, self.bob.inbox.reconnects);
        let alice_received_before = self.alice.inbox.received;
        // Frames on each socket from here on: bob's carry a SYNC and an ACK per message, so his
        // drop lands mid-stream; alice's carry at least a NOTICE per message, and when hers
        // dropped is checked below.
        let frames = u32::try_from(count).unwrap_or(u32::MAX);
        let (kill_alice, kill_bob) = ((frames / 2).max(2), frames.max(1));
        self.server.update_faults(|faults| {
            faults.close_after_frames.insert("alice".into(), kill_alice);
            faults.close_after_frames.insert("bob".into(), kill_bob);
        });
        let texts: Vec<String> = (0..count).map(|i| format!("burst {i:03}")).collect();
        let sender = tokio::spawn(send_all(self.bob.client.clone(), texts.clone()));
        let received = self.alice.inbox.messages(count).await;
        let acks = tokio::time::timeout(WAIT, sender)
            .await
            .map_err(|_| format!("bob's sends did not all end within {} s", WAIT.as_secs()))?
            .map_err(|e| format!("bob's sender: {e}"))?;
        let received = received?;
        let extra = self.alice.inbox.extra_messages(DUPLICATE_WATCH).await;
        self.bob.inbox.settle()?;

        let mut acked = BTreeSet::new();
        for (text, result) in texts.iter().zip(&acks) {
            let ack = result
                .as_ref()
                .map_err(|e| format!("{text:?} was not acknowledged: {e}"))?;
            if !acked.insert(ack.server_id) {
                return Err(format!("{text:?} got an id another message has"));
            }
        }
        let got_texts: BTreeSet<&str> = received.iter().filter_map(Message::text).collect();
        let want_texts: BTreeSet<&str> = texts.iter().map(String::as_str).collect();
        let got_ids: BTreeSet<u64> = received.iter().map(|m| m.server_id).collect();
        let lost = want_texts.difference(&got_texts).count();
        let duplicated = received.len() - got_ids.len() + extra.len();
        if lost > 0 || duplicated > 0 || got_ids != acked || got_texts.len() != count {
            return Err(format!(
                "{count} sent, {} acked, {} received: {lost} lost, {duplicated} duplicated, \
                 ids {}",
                acked.len(),
                received.len() + extra.len(),
                if got_ids == acked { "match" } else { "differ" }
            ));
        }
        if received.iter().any(|m| m.from != "bob" || m.to != "alice") {
            return Err("a burst message names the wrong sender or recipient".into());
        }
        let alice_lost = self.alice.inbox.reconnects - alice_before;
        let bob_lost = self.bob.inbox.reconnects - bob_before;
        let left = self.server.faults().close_after_frames;
        if alice_lost == 0 || bob_lost == 0 || !left.is_empty() {
            return Err(format!(
                "the sockets were not all dropped: alice reconnected {alice_lost}x, bob \
                 {bob_lost}x, faults left {left:?}"
            ));
        }
        // When alice's socket dropped, counted in burst messages she had received by then.
        let alice_dropped_at = self
            .alice
            .inbox
            .lost_after
            .last()
            .map_or(0, |at| at.saturating_sub(alice_received_before));
        if alice_dropped_at >= count {
            return Err(format!(
                "alice's socket dropped after the whole burst had arrived ({alice_dropped_at})"
            ));
        }
        Ok(Checked::new(
            format!(
                "{count} sent, {count} acked once ({count} distinct ids), {count} received \
                 once: 0 lost, 0 duplicated; alice's socket dropped after {alice_dropped_at} of \
                 {count} had arrived, bob's while sending; both replaced"
            ),
            json!({
                "sent": count, "acked": acked.len(), "received": received.len(), "lost": 0,
                "duplicated": 0, "reconnects": {"alice": alice_lost, "bob": bob_lost},
                "alice_dropped_after": alice_dropped_at,
            }),
        ))
    }

    /// Both log out; the server lists nobody online.
    pub(super) async fn logout(&mut self) -> Result<Checked, String> {
        for who in [Who::Alice, Who::Bob] {
            let user = self.user(who);
            user.client
                .logout()
                .await
                .map_err(|e| format!("{}'s logout failed: {e}", who.name()))?;
            let reason = user.inbox.closed().await?;
            if reason != CloseReason::LoggedOut {
                return Err(format!("{}'s session closed with {reason:?}", who.name()));
            }
        }
        let online = self.server.sessions().len();
        if online != 0 {
            return Err(format!("the server still lists {online} session(s)"));
        }
        Ok(Checked::new(
            "alice and bob logged out; no session left on the server",
            json!({"sessions": online}),
        ))
    }
}

impl User {
    /// A client for `who` that knows only the server's bootstrap base.
    async fn start(server: &RunningServer, who: Who) -> Result<User, String> {
        let mut config = ClientConfig::new(APP, who.name(), Credential::password(PASSWORD))
            .with_bootstrap(server.base_url())
            .with_device_uuid(format!("demo_{}", who.name()))
            .with_reconnect(ReconnectPolicy {
                tiers: &DEMO_BACKOFF,
                ..ReconnectPolicy::DEFAULT
            });
        if let Some(pem) = server.cert_pem() {
            let tls = TlsOptions::default()
                .without_webpki_roots()
                .with_root_pem(pem)
                .map_err(|e| format!("the devserver's certificate: {e}"))?;
            config = config.with_tls(tls);
        }
        let (client, events) = Client::start(config)
            .await
            .map_err(|e| format!("{}'s client: {e}", who.name()))?;
        Ok(User {
            client,
            inbox: Inbox::new(who.name(), events),
        })
    }
}

/// Sends every text to alice without waiting for ACKs (the client keeps 32 in flight), in
/// about [`STREAM_PAUSES`] paced groups, and returns each result.
async fn send_all(client: Client, texts: Vec<String>) -> Vec<Result<Ack, SendError>> {
    let group = (texts.len() / STREAM_PAUSES).max(1);
    let mut sends = Vec::with_capacity(texts.len());
    for (i, text) in texts.into_iter().enumerate() {
        if i % group == 0 {
            tokio::time::sleep(STREAM_PAUSE).await;
        }
        let client = client.clone();
        sends.push(tokio::spawn(async move {
            client.send_text("alice", text).await
        }));
    }
    let mut results = Vec::with_capacity(sends.len());
    for send in sends {
        results.push(send.await.unwrap_or(Err(SendError::Stopped)));
    }
    results
}

/// Checks a received message against the message sent and its ACK.
fn check_received(
    received: &Message,
    from: &str,
    sent: &Outgoing,
    ack: &Ack,
) -> Result<(), String> {
    let mismatch = |what: &str, got: String, want: String| {
        Err(format!("received {what} {got}, expected {want}"))
    };
    if received.server_id != ack.server_id {
        return mismatch(
            "id",
            received.server_id.to_string(),
            ack.server_id.to_string(),
        );
    }
    if received.from != from {
        return mismatch("sender", received.from.clone(), from.to_owned());
    }
    if received.to != sent.to || received.chat != sent.chat {
        return mismatch(
            "recipient",
            format!("{} ({:?})", received.to, received.chat),
            format!("{} ({:?})", sent.to, sent.chat),
        );
    }
    let want = BodyJson::from(&sent_content(&sent.body));
    let got = BodyJson::from(&received.content);
    if got != want {
        return mismatch("content", format!("{got:?}"), format!("{want:?}"));
    }
    let (got, want) = (attributes_json(&received.ext), attributes_json(&sent.ext));
    if got != want {
        return mismatch(
            "ext",
            Value::Object(got).to_string(),
            Value::Object(want).to_string(),
        );
    }
    Ok(())
}

/// What a receiver should see for a sent body.
fn sent_content(body: &Body) -> Content {
    match body {
        Body::Text(text) => Content::Text(text.clone()),
        Body::Command { action, params } => Content::Command {
            action: action.clone(),
            params: params.clone(),
        },
        Body::Custom { event, exts } => Content::Custom {
            event: event.clone(),
            exts: exts.clone(),
        },
        Body::Location {
            latitude,
            longitude,
            address,
        } => Content::Location {
            latitude: *latitude,
            longitude: *longitude,
            address: address.clone(),
        },
    }
}

/// A short description of a body: `"text"`, `cmd reboot {...}`, `custom alarm {...}`.
fn describe_body(body: &Body) -> String {
    match body {
        Body::Text(text) => format!("{text:?}"),
        Body::Command { action, params } => {
            format!("cmd {action} {}", Value::Object(attributes_json(params)))
        }
        Body::Custom { event, exts } => {
            format!("custom {event} {}", Value::Object(attributes_json(exts)))
        }
        Body::Location {
            latitude,
            longitude,
            address,
        } => format!("location {latitude}, {longitude} {address:?}"),
    }
}
