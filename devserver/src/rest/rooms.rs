//! Groups (`/chatgroups`) and chat rooms (`/chatrooms`): creation and adding members.

use std::sync::Arc;

use axum::Json;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use bytes::Bytes;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{RestError, authorize_admin, envelope, parse_json};
use crate::shared::{Shared, lock};
use crate::store::{RoomKind, RoomSpec};

/// Most members named at creation.
const MAX_MEMBERS: usize = 3000;

#[derive(Deserialize)]
struct NewRoom {
    groupname: Option<String>,
    name: Option<String>,
    owner: Option<String>,
    #[serde(default)]
    members: Vec<String>,
    #[serde(default)]
    public: Option<bool>,
}

/// The name of a room's id in replies: `groupid` for a group, `id` for a chat room.
fn id_field(kind: RoomKind) -> &'static str {
    match kind {
        RoomKind::Group => "groupid",
        RoomKind::ChatRoom => "id",
    }
}

fn create(
    shared: &Shared,
    (org, app): (String, String),
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
    kind: RoomKind,
) -> Result<Json<Value>, RestError> {
    let key = authorize_admin(shared, headers, &org, &app)?;
    let new: NewRoom = parse_json(body)?;
    let Some(owner) = new.owner.filter(|o| !o.is_empty()) else {
        return Err(RestError::illegal("owner is required"));
    };
    if new.members.len() > MAX_MEMBERS {
        return Err(RestError::illegal(format!("at most {MAX_MEMBERS} members")));
    }
    let spec = RoomSpec {
        name: new.groupname.or(new.name).unwrap_or_default(),
        owner,
        members: new.members,
        public: new.public.unwrap_or(true),
    };
    let id = lock(&shared.state).create_room(&key, shared.config.strict, kind, spec)?;
    tracing::info!(app_key = %key, %id, ?kind, "room created");
    let data = json!({ id_field(kind): id });
    Ok(Json(envelope("post", &org, &app, data)))
}

/// `POST /{org}/{app}/chatgroups` (`groupname`, `owner`, `members`, `public`) -> `data.groupid`.
pub(crate) async fn create_group(
    State(shared): State<Arc<Shared>>,
    Path(path): Path<(String, String)>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Value>, RestError> {
    create(&shared, path, &headers, body, RoomKind::Group)
}

/// `POST /{org}/{app}/chatrooms` (`name`, `owner`, `members`) -> `data.id`.
pub(crate) async fn create_chat_room(
    State(shared): State<Arc<Shared>>,
    Path(path): Path<(String, String)>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Value>, RestError> {
    create(&shared, path, &headers, body, RoomKind::ChatRoom)
}

fn add_member(
    shared: &Shared,
    (org, app, id, username): (String, String, String, String),
    headers: &HeaderMap,
    kind: RoomKind,
) -> Result<Json<Value>, RestError> {
    let key = authorize_admin(shared, headers, &org, &app)?;
    lock(&shared.state).add_member(&key, kind, &id, &username)?;
    let data = json!({
        "result": true,
        id_field(kind): id,
        "action": "add_member",
        "user": username,
    });
    Ok(Json(envelope("post", &org, &app, data)))
}

/// `POST /{org}/{app}/chatgroups/{id}/users/{username}`.
pub(crate) async fn add_group_member(
    State(shared): State<Arc<Shared>>,
    Path(path): Path<(String, String, String, String)>,
    headers: HeaderMap,
) -> Result<Json<Value>, RestError> {
    add_member(&shared, path, &headers, RoomKind::Group)
}

/// `POST /{org}/{app}/chatrooms/{id}/users/{username}`.
pub(crate) async fn add_chat_room_member(
    State(shared): State<Arc<Shared>>,
    Path(path): Path<(String, String, String, String)>,
    headers: HeaderMap,
) -> Result<Json<Value>, RestError> {
    add_member(&shared, path, &headers, RoomKind::ChatRoom)
}
