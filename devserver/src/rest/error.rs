//! REST errors in the cloud's shape: an HTTP status and `{"error", "error_description", ...}`.

use axum::Json;
use axum::extract::rejection::BytesRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use serde::de::DeserializeOwned;

use crate::error::ControlError;
use crate::ids::now_ms;

/// A REST failure.
#[derive(Debug)]
pub(crate) struct RestError {
    status: StatusCode,
    error: &'static str,
    description: String,
}

impl RestError {
    /// Any status, `error` code and description.
    pub(crate) fn new(
        status: StatusCode,
        error: &'static str,
        description: impl Into<String>,
    ) -> Self {
        Self {
            status,
            error,
            description: description.into(),
        }
    }

    /// 400 `illegal_argument`.
    pub(crate) fn illegal(description: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "illegal_argument", description)
    }

    /// 401 `unauthorized`: no usable credentials.
    pub(crate) fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "Unable to authenticate (OAuth)",
        )
    }

    /// 401 `auth_bad_access_token`: a token this server did not issue, or expired.
    pub(crate) fn bad_token(expired: bool) -> Self {
        let why = if expired { "expired" } else { "corrupt" };
        Self::new(
            StatusCode::UNAUTHORIZED,
            "auth_bad_access_token",
            format!("Unable to authenticate due to {why} access token"),
        )
    }
}

impl From<ControlError> for RestError {
    fn from(e: ControlError) -> Self {
        let text = e.to_string();
        match e {
            ControlError::AppNotFound(_) => Self::new(
                StatusCode::NOT_FOUND,
                "organization_application_not_found",
                text,
            ),
            ControlError::IllegalUsername(_) | ControlError::InvalidArgument(_) => {
                Self::illegal(text)
            }
            ControlError::UserExists(_) => Self::new(
                StatusCode::BAD_REQUEST,
                "duplicate_unique_property_exists",
                text,
            ),
            ControlError::UserNotFound(name) => Self::new(
                StatusCode::NOT_FOUND,
                "entity_not_found",
                format!("User {name} not found"),
            ),
            ControlError::GroupNotFound(_) => {
                Self::new(StatusCode::NOT_FOUND, "service_resource_not_found", text)
            }
        }
    }
}

impl IntoResponse for RestError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({
            "error": self.error,
            "error_description": self.description,
            "timestamp": now_ms(),
            "duration": 0,
        });
        (self.status, Json(body)).into_response()
    }
}

/// Parses a JSON body; a body over the size limit is 413, bad JSON is 400 `json_parse`.
pub(crate) fn parse_json<T: DeserializeOwned>(
    body: Result<Bytes, BytesRejection>,
) -> Result<T, RestError> {
    let body = body.map_err(|rejection| {
        RestError::new(
            rejection.status(),
            "request_entity_too_large",
            rejection.body_text(),
        )
    })?;
    serde_json::from_slice(&body)
        .map_err(|e| RestError::new(StatusCode::BAD_REQUEST, "json_parse", e.to_string()))
}
