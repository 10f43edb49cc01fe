//! `POST /{org}/{app}/token` (password and client_credentials grants) and the token expiry
//! look-up `GET /{org}/{app}/sdk/users/{user}/token/expires`.

use std::sync::Arc;

use axum::Json;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use bytes::Bytes;
use serde_json::{Value, json};

use super::{RestError, app_key, authorize_user, parse_json};
use crate::shared::{Shared, lock};
use crate::store::{Subject, User};

/// Far-future expiry reported for tokens that never expire (100 years, in ms).
const NEVER_MS: u64 = 100 * 365 * 24 * 3600 * 1000;

/// The `ttl` of a request in seconds: a number or numeric string; absent means the default.
fn ttl_seconds(body: &Value, default_s: u64) -> Result<u64, RestError> {
    match body.get("ttl") {
        None | Some(Value::Null) => Ok(default_s),
        Some(Value::Number(n)) => n
            .as_u64()
            .ok_or_else(|| RestError::illegal("ttl must be a whole number of seconds >= 0")),
        Some(Value::String(s)) => s
            .trim()
            .parse()
            .map_err(|_| RestError::illegal("ttl must be a whole number of seconds >= 0")),
        Some(_) => Err(RestError::illegal(
            "ttl must be a whole number of seconds >= 0",
        )),
    }
}

fn text<'a>(body: &'a Value, key: &str) -> Option<&'a str> {
    body.get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

/// The user entity as REST replies show it.
pub(super) fn user_entity(user: &User) -> Value {
    let mut entity = json!({
        "uuid": user.uuid,
        "type": "user",
        "created": user.created_ms,
        "modified": user.created_ms,
        "username": user.username,
        "activated": true,
    });
    if let Some(nick) = &user.nickname {
        entity["nickname"] = Value::String(nick.clone());
    }
    entity
}

/// Issues a user token (`password`) or an app token (`client_credentials`).
pub(crate) async fn token(
    State(shared): State<Arc<Shared>>,
    Path((org, app)): Path<(String, String)>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Value>, RestError> {
    let body: Value = parse_json(body)?;
    if !body.is_object() {
        return Err(RestError::illegal("the body must be a JSON object"));
    }
    let key = app_key(&org, &app);
    let ttl = ttl_seconds(&body, shared.config.default_token_ttl.as_secs())?;
    let strict = shared.config.strict;
    let mut state = lock(&shared.state);
    match text(&body, "grant_type") {
        Some("password") => {
            let (Some(username), Some(password)) =
                (text(&body, "username"), text(&body, "password"))
            else {
                return Err(RestError::illegal("username and password are required"));
            };
            let app_state = state.app_mut(&key, strict)?;
            let Some(user) = app_state.users.get(username) else {
                return Err(RestError::new(
                    StatusCode::NOT_FOUND,
                    "invalid_grant",
                    "user not found",
                ));
            };
            if user.password != password {
                return Err(RestError::new(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    "invalid password",
                ));
            }
            let entity = user_entity(user);
            let grant = state.issue_token(&key, Subject::User(username.to_owned()), ttl, None);
            tracing::info!(app_key = %key, %username, ttl, "user token issued");
            Ok(Json(
                json!({"access_token": grant.token, "expires_in": grant.expires_in_s, "user": entity}),
            ))
        }
        Some("client_credentials") => {
            let app_state = state.app_mut(&key, strict)?;
            if strict {
                let id_ok = app_state.client_id.as_deref() == text(&body, "client_id");
                let secret_ok = app_state.client_secret.as_deref() == text(&body, "client_secret");
                if !(id_ok && secret_ok) {
                    return Err(RestError::unauthorized());
                }
            }
            let uuid = app_state.uuid.clone();
            let grant = state.issue_token(&key, Subject::App, ttl, None);
            tracing::info!(app_key = %key, ttl, "app token issued");
            Ok(Json(
                json!({"access_token": grant.token, "expires_in": grant.expires_in_s, "application": uuid}),
            ))
        }
        Some(other) => Err(RestError::new(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            format!("grant_type {other} is not supported"),
        )),
        None => Err(RestError::illegal("grant_type is required")),
    }
}

/// The absolute expiry (ms) of the presented user token.
pub(crate) async fn expires(
    State(shared): State<Arc<Shared>>,
    Path((org, app, username)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> Result<Json<Value>, RestError> {
    let info = authorize_user(&shared, &headers, &app_key(&org, &app))?;
    if info.subject != Subject::User(username) {
        return Err(RestError::bad_token(false));
    }
    let at = info
        .expires_at_ms
        .unwrap_or_else(|| crate::ids::now_ms().saturating_add(NEVER_MS));
    Ok(Json(json!({"expire_timestamp": at})))
}
