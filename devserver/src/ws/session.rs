//! The I/O loop of one msync WebSocket: frames in (binary, or base64 text from Alipay-style
//! clients), frames out in the same form, the idle timeout, kicks, faults and the frame log.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, WebSocket};
use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use prost::Message as _;
use tokio::sync::mpsc;
use tokio::time::{Instant, sleep_until};
use tokio_util::sync::CancellationToken;

use super::handler::{Action, Handler};
use crate::describe::describe;
use crate::framelog::{Direction, FrameRecord};
use crate::frames::command_name;
use crate::hub::Outbound;
use crate::ids::now_ms;
use crate::pb::MSync;
use crate::shared::{Shared, lock};

/// Frames that may wait for a session before it counts as too slow.
const OUTBOUND_CAPACITY: usize = 256;

/// Standard base64 that tolerates missing padding (PROTOCOL.md §5.3).
const BASE64_LENIENT: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// How the loop ends.
enum End {
    /// Send a close frame with this code and reason.
    Close(u16, String),
    /// Drop the TCP connection without a close frame.
    Drop,
}

struct Session {
    handler: Handler,
    socket: WebSocket,
    /// Reply in base64 text frames (the client's last frame was text).
    text: bool,
}

/// Runs one upgraded connection until it closes, the server restarts or shuts down.
pub(crate) async fn run(shared: Arc<Shared>, socket: WebSocket, epoch: CancellationToken) {
    let connection = shared.next_connection();
    let (tx, mut rx) = mpsc::channel(OUTBOUND_CAPACITY);
    let kill = CancellationToken::new();
    let idle = shared.config.idle_timeout;
    let kick_grace = shared.config.kick_grace;
    let handler = Handler::new(shared, connection, tx.clone(), kill.clone());
    let mut session = Session {
        handler,
        socket,
        text: false,
    };
    tracing::debug!(connection, "websocket open");

    let mut deadline = Instant::now() + idle;
    let mut close_at: Option<Instant> = None;
    let end = loop {
        let close_timer = close_at.unwrap_or_else(|| Instant::now() + Duration::from_secs(3600));
        let step = tokio::select! {
            biased;
            () = epoch.cancelled() => Err(End::Drop),
            () = kill.cancelled() => Err(End::Close(1008, "closed by server".into())),
            () = sleep_until(close_timer), if close_at.is_some() => {
                Err(End::Close(1000, "kicked".into()))
            }
            () = sleep_until(deadline) => Err(End::Close(1000, "idle timeout".into())),
            out = rx.recv() => match out {
                Some(Outbound::Frame(frame)) => session.send(&frame).await,
                Some(Outbound::Kick(body)) => {
                    let actions = session.handler.on_kick(&body);
                    session.perform(actions, &tx).await
                }
                None => Err(End::Drop),
            },
            incoming = session.socket.recv() => {
                deadline = Instant::now() + idle;
                session.receive(incoming, &tx).await
            }
        };
        match step {
            Ok(Next::CloseSoon) => close_at = close_at.or(Some(Instant::now() + kick_grace)),
            Ok(Next::Continue) => {}
            Err(end) => break end,
        }
    };
    session.handler.on_close();
    match end {
        End::Close(code, reason) => {
            tracing::debug!(connection, code, %reason, "closing websocket");
            let frame = CloseFrame {
                code,
                reason: reason.into(),
            };
            let _ = session.socket.send(Message::Close(Some(frame))).await;
        }
        End::Drop => tracing::debug!(connection, "dropping connection"),
    }
}

/// What the loop does after a step.
enum Next {
    /// Carry on.
    Continue,
    /// Start the kick grace timer, then close.
    CloseSoon,
}

/// `Ok`: go on as `Next` says; `Err`: end the connection.
type Step = Result<Next, End>;

impl Session {
    async fn receive(
        &mut self,
        incoming: Option<Result<Message, axum::Error>>,
        tx: &mpsc::Sender<Outbound>,
    ) -> Step {
        let bytes = match incoming {
            None => return Err(End::Drop),
            Some(Err(e)) => {
                // Oversized frames and protocol violations end up here.
                tracing::info!(connection = self.handler.connection, error = %e, "websocket error");
                return Err(End::Close(1009, "frame rejected".into()));
            }
            Some(Ok(Message::Binary(bytes))) => {
                self.text = false;
                bytes.to_vec()
            }
            Some(Ok(Message::Text(text))) => {
                self.text = true;
                match BASE64_LENIENT.decode(text.as_str().trim()) {
                    Ok(bytes) => bytes,
                    Err(_) => {
                        self.log_garbage(text.as_bytes(), "text frame is not base64");
                        return Err(End::Close(
                            1007,
                            "PB_PARSER_ERROR: text frame is not base64".into(),
                        ));
                    }
                }
            }
            Some(Ok(Message::Close(_))) => return Err(End::Drop),
            Some(Ok(Message::Ping(_) | Message::Pong(_))) => return Ok(Next::Continue),
        };
        let frame = match MSync::decode(bytes.as_slice()) {
            Ok(frame) => frame,
            Err(e) => {
                self.log_garbage(&bytes, &format!("not an MSync: {e}"));
                return Err(End::Close(1007, "PB_PARSER_ERROR".into()));
            }
        };
        self.log(Direction::Up, &frame, bytes);
        if self.count_frame_fault() {
            return Err(End::Drop);
        }
        let actions = self.handler.on_frame(&frame);
        self.perform(actions, tx).await
    }

    async fn perform(&mut self, actions: Vec<Action>, tx: &mpsc::Sender<Outbound>) -> Step {
        let mut result = Ok(Next::Continue);
        for action in actions {
            match action {
                Action::Send(frame) => {
                    self.send(&frame).await?;
                }
                Action::SendLater(frame, delay) => {
                    let tx = tx.clone();
                    tokio::spawn(async move {
                        tokio::time::sleep(delay).await;
                        let _ = tx.send(Outbound::Frame(frame)).await;
                    });
                }
                Action::Close(code, reason) => return Err(End::Close(code, reason)),
                Action::CloseSoon => result = Ok(Next::CloseSoon),
            }
        }
        result
    }

    async fn send(&mut self, frame: &MSync) -> Step {
        let bytes = frame.encode_to_vec();
        let message = if self.text {
            Message::Text(
                base64::engine::general_purpose::STANDARD
                    .encode(&bytes)
                    .into(),
            )
        } else {
            Message::Binary(bytes.clone().into())
        };
        self.log(Direction::Down, frame, bytes);
        if self.socket.send(message).await.is_err() {
            return Err(End::Drop);
        }
        if self.count_frame_fault() {
            return Err(End::Drop);
        }
        Ok(Next::Continue)
    }

    /// The close-after-N-frames fault: true when this connection must drop now.
    fn count_frame_fault(&self) -> bool {
        let Some(login) = self.handler.login() else {
            return false;
        };
        let fire = lock(&self.handler.shared.faults).count_frame(&login.user);
        if fire {
            tracing::info!(connection = self.handler.connection, user = %login.user,
                "dropping connection (fault injection: close after frames)");
        }
        fire
    }

    fn record(
        &self,
        direction: Direction,
        command: String,
        summary: String,
        bytes: Vec<u8>,
    ) -> FrameRecord {
        let login = self.handler.login();
        let carries_credentials = command == "PROVISION" || command == "LOGOUT";
        FrameRecord {
            seq: 0,
            time_ms: now_ms(),
            connection: self.handler.connection,
            app_key: login.map(|l| l.app_key.clone()),
            user: login.map(|l| l.user.clone()),
            resource: login.map(|l| l.resource.clone()),
            direction,
            text: self.text,
            command,
            summary,
            hex: (!carries_credentials).then(|| bytes.iter().map(|b| format!("{b:02x}")).collect()),
            bytes,
        }
    }

    fn log(&self, direction: Direction, frame: &MSync, bytes: Vec<u8>) {
        let summary = describe(frame, direction == Direction::Up);
        let user = self.handler.login().map(|l| l.user.as_str()).unwrap_or("-");
        tracing::debug!(connection = self.handler.connection, %user, ?direction, text = self.text,
            "{summary}");
        let record = self.record(direction, command_name(frame.command), summary, bytes);
        self.handler.shared.log_frame(record);
    }

    fn log_garbage(&self, bytes: &[u8], why: &str) {
        tracing::info!(
            connection = self.handler.connection,
            len = bytes.len(),
            "garbage frame: {why}"
        );
        let record = self.record(
            Direction::Up,
            "UNDECODABLE".into(),
            why.to_owned(),
            bytes.to_vec(),
        );
        self.handler.shared.log_frame(record);
    }
}
