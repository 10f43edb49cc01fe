//! `GET /easemob/server.json`: host lists that point at this server.

use std::sync::Arc;

use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::http::header::HOST;
use serde_json::{Value, json};

use crate::ids::now_ms;
use crate::shared::Shared;

/// Host and port the client reached us by (the `Host` header), else the bound address.
fn reached_as(shared: &Shared, headers: &HeaderMap) -> (String, u16) {
    let fallback = (shared.addr.ip().to_string(), shared.addr.port());
    let Some(host) = headers.get(HOST).and_then(|h| h.to_str().ok()) else {
        return fallback;
    };
    match host.rsplit_once(':') {
        Some((name, port)) if !name.is_empty() && (!name.contains(':') || name.ends_with(']')) => {
            match port.parse() {
                Ok(port) => (name.trim_matches(['[', ']']).to_owned(), port),
                Err(_) => fallback,
            }
        }
        _ if !host.is_empty() && !host.contains(':') => (host.to_owned(), shared.addr.port()),
        _ => fallback,
    }
}

/// The bootstrap document. `app_key` (`org#app`, percent-encoded or not; a value cut at a raw
/// `#` is tolerated) or `app_id` (the reply then names the app key) select the app; the lists
/// are the same for every app.
pub(crate) async fn server_json(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Json<Value> {
    let query = query.unwrap_or_default();
    let params: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    let param = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let (host, port) = reached_as(&shared, &headers);
    let entry = |protocol: &str| json!({"protocol": protocol, "domain": host, "ip": host, "port": port.to_string(), "priority": "1"});
    let mut doc = json!({
        "rest": {"hosts": [entry(shared.http_scheme())]},
        "msync-wx": {"hosts": [entry(shared.http_scheme())]},
        "file_version": "1",
        "valid_before": (now_ms() / 1000 + 3600).to_string(),
        "deploy_name": "msync-devserver",
        "cluster_name": "devserver",
    });
    if let (Some(app_id), None) = (param("app_id"), param("app_key")) {
        doc["app_key"] = Value::String(shared.config.app_key_for_id(&app_id));
    }
    Json(doc)
}
