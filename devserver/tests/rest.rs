//! The REST surface over real sockets: cloud paths, JSON shapes, documented errors, strict mode.

mod support;

use std::time::Duration;

use msync_devserver::{AppCredentials, Config};
use serde_json::json;
use support::*;

#[tokio::test]
async fn bootstrap_points_at_the_server_itself() {
    let server = start(Config::new().app_id("abc123", "org#app")).await;
    let port = server.local_addr().port().to_string();
    for query in [
        "app_key=org%23app",
        "app_key=org",
        "app_key=org%23app&sdk_version=4.21.1",
        "",
    ] {
        let (status, doc) = http(
            &server,
            "GET",
            &format!("/easemob/server.json?{query}"),
            None,
            None,
        )
        .await;
        assert_eq!(status, 200, "{query}");
        for list in ["rest", "msync-wx"] {
            let host = &doc[list]["hosts"][0];
            assert_eq!(host["domain"], "127.0.0.1", "{list}");
            assert_eq!(host["port"], port.as_str(), "{list}");
            assert_eq!(host["protocol"], "http", "{list}");
        }
        assert!(doc.get("app_key").is_none());
    }
    let (_, doc) = http(
        &server,
        "GET",
        "/easemob/server.json?app_id=abc123",
        None,
        None,
    )
    .await;
    assert_eq!(doc["app_key"], "org#app");
    let (_, doc) = http(
        &server,
        "GET",
        "/easemob/server.json?app_id=zzz",
        None,
        None,
    )
    .await;
    assert_eq!(doc["app_key"], "zzz#zzz");
}

#[tokio::test]
async fn registration_and_tokens_follow_the_cloud_shapes() {
    let server = start(Config::new()).await;
    let one = json!({"username": "alice", "password": "pw", "nickname": "Alice"}).to_string();
    let (status, body) = http(&server, "POST", "/org/app/users", Some(&one), None).await;
    assert_eq!(status, 200);
    assert_eq!(body["entities"][0]["username"], "alice");
    assert_eq!(body["entities"][0]["nickname"], "Alice");
    assert_eq!(body["entities"][0]["activated"], true);
    assert_eq!(
        (
            body["organization"].as_str(),
            body["applicationName"].as_str()
        ),
        (Some("org"), Some("app"))
    );
    let many =
        json!([{"username": "bob", "password": "pw"}, {"username": "carol", "password": "pw"}]);
    let (status, body) = post(&server, "/org/app/users", &many, None).await;
    assert_eq!(status, 200);
    assert_eq!(body["entities"].as_array().unwrap().len(), 2);

    let (status, body) = http(&server, "POST", "/org/app/users", Some(&one), None).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("duplicate_unique_property_exists"))
    );
    let bad = json!({"username": "no spaces", "password": "pw"}).to_string();
    let (status, body) = http(&server, "POST", "/org/app/users", Some(&bad), None).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("illegal_argument"))
    );
    assert_eq!(
        body["error_description"],
        "username [no spaces] is not legal"
    );

    let grant = json!({"grant_type": "password", "username": "alice", "password": "pw", "ttl": 30, "timestamp": 1});
    let (status, body) = post(&server, "/org/app/token", &grant, None).await;
    assert_eq!(status, 200);
    assert_eq!(body["expires_in"], 30, "ttl honoured");
    assert_eq!(body["user"]["username"], "alice");
    let token = body["access_token"].as_str().unwrap().to_owned();
    let (status, body) = http(
        &server,
        "GET",
        "/org/app/sdk/users/alice/token/expires",
        None,
        Some(&token),
    )
    .await;
    assert_eq!(status, 200);
    let at = body["expire_timestamp"].as_u64().unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64;
    assert!(at > now && at <= now + 31_000, "absolute ms, 30 s ahead");
    let string_ttl =
        json!({"grant_type": "password", "username": "alice", "password": "pw", "ttl": "0"});
    let (_, body) = post(&server, "/org/app/token", &string_ttl, None).await;
    assert_eq!(body["expires_in"], 0, "ttl as a string; 0 never expires");

    let app =
        json!({"grant_type": "client_credentials", "client_id": "any", "client_secret": "thing"});
    let (status, body) = post(&server, "/org/app/token", &app, None).await;
    assert_eq!(status, 200, "lenient: any app credentials");
    assert!(body["application"].as_str().is_some());
}

#[tokio::test]
async fn token_errors_use_the_documented_statuses() {
    let server = start(Config::new()).await;
    users(&server, &["alice"]);
    let cases = [
        (
            json!({"grant_type": "password", "username": "alice", "password": "wrong"}),
            400,
            "invalid_grant",
            "invalid password",
        ),
        (
            json!({"grant_type": "password", "username": "nobody", "password": "x"}),
            404,
            "invalid_grant",
            "user not found",
        ),
        (
            json!({"grant_type": "password", "username": "alice"}),
            400,
            "illegal_argument",
            "username and password are required",
        ),
        (
            json!({"grant_type": "magic"}),
            400,
            "unsupported_grant_type",
            "grant_type magic is not supported",
        ),
        (
            json!({"grant_type": "password", "username": "alice", "password": "alice", "ttl": -5}),
            400,
            "illegal_argument",
            "ttl must be a whole number of seconds >= 0",
        ),
        (
            json!(["not", "an", "object"]),
            400,
            "illegal_argument",
            "the body must be a JSON object",
        ),
    ];
    for (body, status, error, description) in cases {
        let (got, reply) = post(&server, "/org/app/token", &body, None).await;
        assert_eq!(got, status, "{body}");
        assert_eq!(reply["error"], error, "{body}");
        assert_eq!(reply["error_description"], description, "{body}");
        assert!(reply["timestamp"].as_u64().is_some());
    }
    let (status, reply) = http(&server, "POST", "/org/app/token", Some("{not json"), None).await;
    assert_eq!((status, reply["error"].as_str()), (400, Some("json_parse")));
    let (status, reply) = http(&server, "GET", "/org/app/token", None, None).await;
    assert_eq!(
        (status, reply["error"].as_str()),
        (405, Some("method_not_allowed"))
    );
    let (status, reply) = http(&server, "GET", "/no/such/path/here", None, None).await;
    assert_eq!(
        (status, reply["error"].as_str()),
        (404, Some("service_resource_not_found"))
    );
}

#[tokio::test]
async fn oversized_bodies_are_refused_with_413() {
    let server = start(Config::new().max_http_body_bytes(1024)).await;
    let big = json!({"username": "x".repeat(4096), "password": "pw"}).to_string();
    let (status, _) = http(&server, "POST", "/org/app/users", Some(&big), None).await;
    assert_eq!(status, 413);
}

#[tokio::test]
async fn groups_rooms_and_disconnect_over_rest() {
    let server = start(Config::new().kick_grace(Duration::from_millis(100))).await;
    users(&server, &["alice", "bob"]);
    let group = json!({"groupname": "g", "desc": "d", "public": true, "maxusers": 10, "owner": "alice", "members": ["bob"]});
    let (status, body) = post(&server, "/org/app/chatgroups", &group, None).await;
    assert_eq!(status, 200);
    let group_id = body["data"]["groupid"].as_str().unwrap().to_owned();
    assert!(group_id.chars().all(|c| c.is_ascii_digit()));
    let room = json!({"name": "r", "owner": "alice", "members": []});
    let (status, body) = post(&server, "/org/app/chatrooms", &room, None).await;
    assert_eq!(status, 200);
    let room_id = body["data"]["id"].as_str().unwrap().to_owned();
    let (status, body) = http(
        &server,
        "POST",
        &format!("/org/app/chatrooms/{room_id}/users/bob"),
        None,
        None,
    )
    .await;
    assert_eq!(
        (status, body["data"]["result"].as_bool()),
        (200, Some(true))
    );
    let (status, _) = http(
        &server,
        "POST",
        &format!("/org/app/chatgroups/{room_id}/users/bob"),
        None,
        None,
    )
    .await;
    assert_eq!(status, 404, "a chat room is not a group");

    let orphan = json!({"groupname": "g", "owner": "nobody"});
    let (status, body) = post(&server, "/org/app/chatgroups", &orphan, None).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (404, Some("entity_not_found"))
    );
    let ownerless = json!({"groupname": "g"});
    let (status, _) = post(&server, "/org/app/chatgroups", &ownerless, None).await;
    assert_eq!(status, 400);

    let mut bob = login(&server, "bob", "b1").await;
    let (status, body) = http(&server, "GET", "/org/app/users/bob/disconnect", None, None).await;
    assert_eq!(
        (status, body["data"]["result"].as_bool()),
        (200, Some(true))
    );
    let (frames, _) = bob.closed().await;
    assert_eq!(statistics(&sync_dl(&frames[0]).metas[0]).operation, Some(1));
    let (status, _) = http(
        &server,
        "GET",
        "/org/app/users/nobody/disconnect",
        None,
        None,
    )
    .await;
    assert_eq!(status, 404);
    let (status, body) = http(&server, "GET", "/org/app/users/alice", None, None).await;
    assert_eq!(
        (status, body["entities"][0]["username"].as_str()),
        (200, Some("alice"))
    );
}

#[tokio::test]
async fn presented_tokens_must_be_valid() {
    let server = start(Config::new()).await;
    users(&server, &["alice"]);
    let (status, body) = http(&server, "GET", "/org/app/users/alice", None, Some("forged")).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("auth_bad_access_token"))
    );
    let (status, body) = http(
        &server,
        "GET",
        "/org/app/sdk/users/alice/token/expires",
        None,
        None,
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("unauthorized"))
    );
    let other = server.issue_token(APP, "alice", None).unwrap().access_token;
    let (status, _) = http(&server, "GET", "/other/app/users/alice", None, Some(&other)).await;
    assert_eq!(status, 401, "a token of another app");
}

#[tokio::test]
async fn strict_mode_knows_only_declared_apps_and_checks_credentials() {
    let credentials = AppCredentials {
        app_key: "org#app".into(),
        client_id: "cid".into(),
        client_secret: "secret".into(),
    };
    let server = start(Config::new().strict(true).app(credentials)).await;
    let user = json!({"username": "alice", "password": "pw"}).to_string();
    let (status, body) = http(&server, "POST", "/other/app/users", Some(&user), None).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("unauthorized")),
        "no app token"
    );
    let (status, _) = http(&server, "POST", "/org/app/users", Some(&user), None).await;
    assert_eq!(status, 401);

    let wrong =
        json!({"grant_type": "client_credentials", "client_id": "cid", "client_secret": "nope"});
    let (status, _) = post(&server, "/org/app/token", &wrong, None).await;
    assert_eq!(status, 401);
    let unknown =
        json!({"grant_type": "client_credentials", "client_id": "cid", "client_secret": "secret"});
    let (status, body) = post(&server, "/other/app/token", &unknown, None).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (404, Some("organization_application_not_found"))
    );
    let (status, body) = post(&server, "/org/app/token", &unknown, None).await;
    assert_eq!(status, 200);
    let app_token = body["access_token"].as_str().unwrap().to_owned();
    let (status, _) = http(
        &server,
        "POST",
        "/org/app/users",
        Some(&user),
        Some(&app_token),
    )
    .await;
    assert_eq!(status, 200, "with the app token");
    let grant = json!({"grant_type": "password", "username": "alice", "password": "pw"});
    let (_, body) = post(&server, "/org/app/token", &grant, None).await;
    let user_token = body["access_token"].as_str().unwrap().to_owned();
    let (status, _) = http(
        &server,
        "GET",
        "/org/app/users/alice/disconnect",
        None,
        Some(&user_token),
    )
    .await;
    assert_eq!(status, 401, "a user token does not manage");
}
