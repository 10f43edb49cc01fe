//! Users: open registration, look-up, forced disconnect.

use std::sync::Arc;

use axum::Json;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use bytes::Bytes;
use serde::Deserialize;
use serde_json::{Value, json};

use super::token::user_entity;
use super::{RestError, authorize_admin, envelope, parse_json};
use crate::controls::kick_all;
use crate::shared::{Shared, lock};

/// Most users one registration request may create (the cloud's batch limit).
const MAX_BATCH: usize = 60;

#[derive(Deserialize)]
struct NewUser {
    username: Option<String>,
    password: Option<String>,
    nickname: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(NewUser),
    Many(Vec<NewUser>),
}

/// `POST /{org}/{app}/users`: one user object or an array of them.
pub(crate) async fn register(
    State(shared): State<Arc<Shared>>,
    Path((org, app)): Path<(String, String)>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Value>, RestError> {
    let key = authorize_admin(&shared, &headers, &org, &app)?;
    let users = match parse_json::<OneOrMany>(body)? {
        OneOrMany::One(user) => vec![user],
        OneOrMany::Many(users) => users,
    };
    if users.is_empty() || users.len() > MAX_BATCH {
        return Err(RestError::illegal(format!(
            "between 1 and {MAX_BATCH} users per request"
        )));
    }
    let mut state = lock(&shared.state);
    let mut entities = Vec::with_capacity(users.len());
    for new in &users {
        let (Some(username), Some(password)) = (&new.username, &new.password) else {
            return Err(RestError::illegal("username and password are required"));
        };
        let user = state.register_user(
            &key,
            shared.config.strict,
            username,
            password,
            new.nickname.as_deref(),
        )?;
        entities.push(user_entity(user));
        tracing::info!(app_key = %key, %username, "user registered");
    }
    let uuid = state.app(&key).map(|a| a.uuid.clone()).unwrap_or_default();
    Ok(Json(json!({
        "action": "post",
        "application": uuid,
        "path": "/users",
        "uri": format!("{}://{}/{org}/{app}/users", shared.http_scheme(), shared.addr),
        "entities": entities,
        "timestamp": crate::ids::now_ms(),
        "duration": 0,
        "organization": org,
        "applicationName": app,
    })))
}

/// `GET /{org}/{app}/users/{username}`.
pub(crate) async fn get_user(
    State(shared): State<Arc<Shared>>,
    Path((org, app, username)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> Result<Json<Value>, RestError> {
    let key = authorize_admin(&shared, &headers, &org, &app)?;
    let state = lock(&shared.state);
    let entity = user_entity(state.app(&key)?.user(&username)?);
    Ok(Json(json!({
        "action": "get",
        "path": "/users",
        "entities": [entity],
        "timestamp": crate::ids::now_ms(),
        "duration": 0,
        "organization": org,
        "applicationName": app,
        "count": 1,
    })))
}

/// `GET /{org}/{app}/users/{username}/disconnect`: every device of the user is kicked with
/// STATISTIC operation 1 (USER_REMOVED).
pub(crate) async fn disconnect(
    State(shared): State<Arc<Shared>>,
    Path((org, app, username)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> Result<Json<Value>, RestError> {
    let key = authorize_admin(&shared, &headers, &org, &app)?;
    lock(&shared.state).app(&key)?.user(&username)?;
    let kicked = kick_all(&shared, &key, &username, 1);
    tracing::info!(app_key = %key, %username, kicked, "forced disconnect");
    Ok(Json(envelope("get", &org, &app, json!({"result": true}))))
}
