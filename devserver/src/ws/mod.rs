//! msync over WebSocket: the upgrade, the per-connection loop and the protocol handler.

mod handler;
mod route;
mod session;

use std::sync::Arc;

use axum::extract::State;
use axum::extract::ws::WebSocketUpgrade;
use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::shared::{Shared, lock};

/// `GET /websocket`: upgrades to msync, unless the refuse-upgrades fault is on.
pub(crate) async fn upgrade(
    State(shared): State<Arc<Shared>>,
    ws: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Response {
    if lock(&shared.faults).refuse_upgrades {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "upgrades refused (fault injection)",
        )
            .into_response();
    }
    let ws = match ws {
        Ok(ws) => ws,
        Err(rejection) => return rejection.into_response(),
    };
    let max = shared.config.max_frame_bytes;
    let epoch = shared.epoch();
    ws.max_frame_size(max)
        .max_message_size(max)
        .on_upgrade(move |socket| session::run(shared, socket, epoch))
}
