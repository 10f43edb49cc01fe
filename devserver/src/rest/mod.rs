//! The cloud's REST surface under `/{org}/{app}`, on its paths and JSON shapes, plus the
//! bootstrap document `/easemob/server.json`.

mod bootstrap;
mod error;
mod rooms;
mod token;
mod users;

use std::sync::Arc;

use axum::Router;
use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;
use axum::routing::{get, post};

pub(crate) use error::{RestError, parse_json};

use crate::shared::{Shared, lock};
use crate::store::{Subject, TokenCheck, TokenInfo};

/// The REST and bootstrap routes.
pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/easemob/server.json", get(bootstrap::server_json))
        .route("/{org}/{app}/token", post(token::token))
        .route("/{org}/{app}/users", post(users::register))
        .route("/{org}/{app}/users/{username}", get(users::get_user))
        .route(
            "/{org}/{app}/users/{username}/disconnect",
            get(users::disconnect),
        )
        .route(
            "/{org}/{app}/sdk/users/{username}/token/expires",
            get(token::expires),
        )
        .route("/{org}/{app}/chatgroups", post(rooms::create_group))
        .route(
            "/{org}/{app}/chatgroups/{id}/users/{username}",
            post(rooms::add_group_member),
        )
        .route("/{org}/{app}/chatrooms", post(rooms::create_chat_room))
        .route(
            "/{org}/{app}/chatrooms/{id}/users/{username}",
            post(rooms::add_chat_room_member),
        )
}

/// The app key of a REST path.
pub(crate) fn app_key(org: &str, app: &str) -> String {
    format!("{org}#{app}")
}

/// The bearer token of a request, if any.
fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?;
    let token = value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))?;
    Some(token.trim()).filter(|t| !t.is_empty())
}

/// The valid token presented for this app, if any; a token that is present but unknown,
/// expired or of another app is a 401.
fn presented(
    shared: &Shared,
    headers: &HeaderMap,
    app_key: &str,
) -> Result<Option<TokenInfo>, RestError> {
    let Some(token) = bearer(headers) else {
        return Ok(None);
    };
    match lock(&shared.state).check_token(token) {
        TokenCheck::Valid(info) if info.app_key == app_key => Ok(Some(info)),
        TokenCheck::Expired(_) => Err(RestError::bad_token(true)),
        _ => Err(RestError::bad_token(false)),
    }
}

/// Management calls (registration in strict mode, disconnect, groups, chat rooms) on the app
/// `org#app`: a strict server wants an app token; a lenient one takes any valid token of the
/// app, or none. Returns the app key.
pub(crate) fn authorize_admin(
    shared: &Shared,
    headers: &HeaderMap,
    org: &str,
    app: &str,
) -> Result<String, RestError> {
    let key = app_key(org, app);
    let token = presented(shared, headers, &key)?;
    if !shared.config.strict {
        return Ok(key);
    }
    match token {
        Some(info) if info.subject == Subject::App => Ok(key),
        _ => Err(RestError::unauthorized()),
    }
}

/// Calls a user makes with their own token (the expiry look-up): a valid token of the app is
/// required.
pub(crate) fn authorize_user(
    shared: &Shared,
    headers: &HeaderMap,
    app_key: &str,
) -> Result<TokenInfo, RestError> {
    presented(shared, headers, app_key)?.ok_or_else(RestError::unauthorized)
}

/// The REST envelope around `data`, as the cloud wraps management replies.
pub(crate) fn envelope(
    action: &str,
    org: &str,
    app: &str,
    data: serde_json::Value,
) -> serde_json::Value {
    serde_json::json!({
        "action": action,
        "data": data,
        "timestamp": crate::ids::now_ms(),
        "duration": 0,
        "organization": org,
        "applicationName": app,
    })
}
