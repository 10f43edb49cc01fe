//! The development-only admin path, `/_devserver/...`: JSON in and out, the same powers as
//! [`crate::Controls`]. Never part of the cloud's surface; turn it off with `--no-admin`.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::rejection::BytesRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use bytes::Bytes;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::controls::{Controls, issue_user_token, kick_all};
use crate::faults::Faults;
use crate::rest::{RestError, parse_json};
use crate::shared::{Shared, lock};
use crate::store::{RoomKind, RoomSpec};

/// Longest restart downtime accepted.
const MAX_DOWN_MS: u64 = 60_000;

/// The admin routes.
pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/_devserver/state", get(state))
        .route(
            "/_devserver/faults",
            get(get_faults).put(put_faults).delete(clear_faults),
        )
        .route("/_devserver/restart", post(restart))
        .route("/_devserver/users", post(register))
        .route("/_devserver/tokens", post(token))
        .route("/_devserver/groups", post(group))
        .route("/_devserver/chatrooms", post(chat_room))
        .route("/_devserver/kick", post(kick))
        .route("/_devserver/queues", get(queues))
        .route("/_devserver/sessions", get(sessions))
        .route("/_devserver/frames", get(frames).delete(clear_frames))
}

type Reply = Result<Json<Value>, RestError>;

/// The controls of the server this request reached.
fn controls(shared: &Arc<Shared>) -> Result<Controls, RestError> {
    let listener = shared.listener.get().and_then(std::sync::Weak::upgrade);
    let listener = listener.ok_or_else(|| {
        RestError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "shutting_down",
            "the server is stopping",
        )
    })?;
    Ok(Controls {
        shared: shared.clone(),
        listener,
    })
}

async fn state(State(shared): State<Arc<Shared>>) -> Json<Value> {
    let state = lock(&shared.state);
    let apps: Vec<Value> = state
        .apps
        .iter()
        .map(|(key, app)| {
            let mut users: Vec<&String> = app.users.keys().collect();
            users.sort();
            let rooms: Vec<Value> = app
                .rooms
                .iter()
                .map(|(id, r)| {
                    json!({"id": id, "name": r.name, "kind": if r.kind == RoomKind::Group { "group" } else { "chatroom" },
                           "owner": r.owner, "members": r.members, "public": r.public})
                })
                .collect();
            json!({"app_key": key, "users": users, "rooms": rooms})
        })
        .collect();
    let online = state.hub.all().count();
    Json(
        json!({"addr": shared.addr.to_string(), "tls": shared.config.tls, "strict": shared.config.strict,
                "apps": apps, "online_sessions": online}),
    )
}

async fn get_faults(State(shared): State<Arc<Shared>>) -> Json<Faults> {
    Json(lock(&shared.faults).clone())
}

async fn put_faults(
    State(shared): State<Arc<Shared>>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Faults>, RestError> {
    let faults: Faults = parse_json(body)?;
    *lock(&shared.faults) = faults.clone();
    tracing::info!(?faults, "faults set");
    Ok(Json(faults))
}

async fn clear_faults(State(shared): State<Arc<Shared>>) -> Json<Faults> {
    *lock(&shared.faults) = Faults::default();
    Json(Faults::default())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RestartRequest {
    #[serde(default)]
    down_ms: u64,
}

/// Answers first, then restarts (the restart drops this very connection too).
async fn restart(
    State(shared): State<Arc<Shared>>,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<Value>), RestError> {
    let controls = controls(&shared)?;
    let request: RestartRequest = match body {
        Ok(ref b) if b.is_empty() => RestartRequest { down_ms: 0 },
        other => parse_json(other)?,
    };
    let down = Duration::from_millis(request.down_ms.min(MAX_DOWN_MS));
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(50)).await;
        if let Err(e) = controls.restart(down).await {
            tracing::error!(error = %e, "restart failed");
        }
    });
    Ok((
        StatusCode::ACCEPTED,
        Json(json!({"restarting": true, "down_ms": down.as_millis() as u64})),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UserRequest {
    app_key: String,
    username: String,
    password: String,
    #[serde(default)]
    nickname: Option<String>,
}

async fn register(State(shared): State<Arc<Shared>>, body: Result<Bytes, BytesRejection>) -> Reply {
    let r: UserRequest = parse_json(body)?;
    let strict = shared.config.strict;
    lock(&shared.state).register_user(
        &r.app_key,
        strict,
        &r.username,
        &r.password,
        r.nickname.as_deref(),
    )?;
    Ok(Json(json!({"app_key": r.app_key, "username": r.username})))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TokenRequest {
    app_key: String,
    username: String,
    /// Seconds; absent: the default; 0: never expires.
    #[serde(default)]
    ttl: Option<u64>,
    /// A chosen token text.
    #[serde(default)]
    token: Option<String>,
}

async fn token(State(shared): State<Arc<Shared>>, body: Result<Bytes, BytesRejection>) -> Reply {
    let r: TokenRequest = parse_json(body)?;
    let ttl = r.ttl.map(Duration::from_secs);
    let fixed = r.token.filter(|t| !t.is_empty());
    let issued = issue_user_token(&shared, &r.app_key, &r.username, ttl, fixed)?;
    Ok(Json(json!(issued)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RoomRequest {
    app_key: String,
    #[serde(default)]
    name: String,
    owner: String,
    #[serde(default)]
    members: Vec<String>,
    #[serde(default)]
    public: Option<bool>,
}

fn create_room(shared: &Shared, body: Result<Bytes, BytesRejection>, kind: RoomKind) -> Reply {
    let r: RoomRequest = parse_json(body)?;
    let spec = RoomSpec {
        name: r.name,
        owner: r.owner,
        members: r.members,
        public: r.public.unwrap_or(true),
    };
    let id = lock(&shared.state).create_room(&r.app_key, shared.config.strict, kind, spec)?;
    Ok(Json(json!({"id": id})))
}

async fn group(State(shared): State<Arc<Shared>>, body: Result<Bytes, BytesRejection>) -> Reply {
    create_room(&shared, body, RoomKind::Group)
}

async fn chat_room(
    State(shared): State<Arc<Shared>>,
    body: Result<Bytes, BytesRejection>,
) -> Reply {
    create_room(&shared, body, RoomKind::ChatRoom)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KickRequest {
    app_key: String,
    username: String,
    /// STATISTIC operation 1..=4; default 1.
    #[serde(default)]
    operation: Option<u8>,
}

async fn kick(State(shared): State<Arc<Shared>>, body: Result<Bytes, BytesRejection>) -> Reply {
    let r: KickRequest = parse_json(body)?;
    let operation = r.operation.unwrap_or(1);
    if !(1..=4).contains(&operation) {
        return Err(RestError::illegal("operation must be 1 to 4"));
    }
    let kicked = kick_all(&shared, &r.app_key, &r.username, i32::from(operation));
    Ok(Json(json!({"kicked": kicked})))
}

#[derive(Deserialize)]
struct UserQuery {
    app_key: String,
    user: String,
}

async fn queues(State(shared): State<Arc<Shared>>, Query(q): Query<UserQuery>) -> Reply {
    Ok(Json(json!(controls(&shared)?.queues(&q.app_key, &q.user))))
}

async fn sessions(State(shared): State<Arc<Shared>>) -> Reply {
    Ok(Json(json!(controls(&shared)?.sessions())))
}

#[derive(Deserialize)]
struct FrameQuery {
    #[serde(default)]
    user: Option<String>,
    #[serde(default)]
    limit: Option<usize>,
}

async fn frames(State(shared): State<Arc<Shared>>, Query(q): Query<FrameQuery>) -> Json<Value> {
    let all = lock(&shared.frames).snapshot();
    let mut picked: Vec<_> = all
        .into_iter()
        .filter(|f| q.user.is_none() || f.user == q.user)
        .collect();
    if let Some(limit) = q.limit {
        let skip = picked.len().saturating_sub(limit);
        picked.drain(..skip);
    }
    Json(json!(picked))
}

async fn clear_frames(State(shared): State<Arc<Shared>>) -> StatusCode {
    lock(&shared.frames).clear();
    StatusCode::NO_CONTENT
}
