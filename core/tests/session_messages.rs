//! Messages through the session: every kind of content, ext and routing option encoded as the
//! protocol says (checked through the JSON view of the transmitted frame), and every kind of
//! received meta handed out as its own event with working accessors.

mod support;

use msync_core::session::{
    ChatType, ChatroomPriority, Event, KeyValue, MessageId, OutgoingMessage, Output, ReceiptKind,
    ReceivedContent, Route, Value,
};
use msync_core::wire::msync::{
    Bytes, CommSyncDl, Command, Content, ErrorCode, Jid, MSync, MessageBody, MessageType, Meta,
    NameSpace, Repeated, Status,
};
use serde_json::json;
use support::*;

/// Sends `message` and returns the JSON view of the transmitted frame's payload.
fn sent_view(message: OutgoingMessage<'_>) -> serde_json::Value {
    let config = vector_config();
    let mut h = harness(&config);
    go_online(&mut h);
    let from = h.log.len();
    h.session
        .send(at(0), &message.with_id(MessageId::new(77).unwrap()))
        .unwrap();
    h.drain();
    let frame = h.msync_since(from).pop().expect("a frame");
    up_views(&frame.msync()).1
}

#[test]
fn command_with_params_and_ext() {
    let params = [KeyValue::string("mode", "eco"), KeyValue::int("level", 3)];
    let ext = [KeyValue::bool("urgent", true)];
    let view = sent_view(OutgoingMessage::command("bob", "set", &params).with_ext(&ext));
    assert_eq!(
        view["MessageBody"],
        json!({
            "type": "CHAT",
            "from": {"name": "alice"},
            "to": {"name": "bob"},
            "contents": [{"type": "COMMAND", "action": "set", "params": [
                {"key": "mode", "type": "STRING", "string_value": "eco"},
                {"key": "level", "type": "INT", "varint_value": "3"}
            ]}],
            "ext": [{"key": "urgent", "type": "BOOL", "varint_value": "1"}]
        })
    );
}

#[test]
fn custom_and_location() {
    let exts = [KeyValue::double("t", 21.5)];
    let view = sent_view(OutgoingMessage::custom("bob", "reading", &exts));
    assert_eq!(
        view["MessageBody"]["contents"],
        json!([{"type": "CUSTOM", "customEvent": "reading", "customExts": [
            {"key": "t", "type": "DOUBLE", "double_value": 21.5}
        ]}])
    );
    let view = sent_view(OutgoingMessage::location("bob", 31.2, 121.5, "Shanghai"));
    assert_eq!(
        view["MessageBody"]["contents"],
        json!([{"type": "LOCATION", "latitude": 31.2, "longitude": 121.5, "address": "Shanghai"}])
    );
}

#[test]
fn group_routing_and_chat_room_priority() {
    let users = ["carol", "dave"];
    let view = sent_view(
        OutgoingMessage::text("group1", "hi")
            .group()
            .with_route(Route::Directed(&users)),
    );
    let meta = &view["CommSyncUL"]["meta"];
    assert_eq!(
        meta["to"],
        json!({"app_key": "org#app", "name": "group1", "domain": "conference.easemob.com"})
    );
    assert_eq!(meta["routetype"], "ROUTE_DIRECT");
    assert_eq!(meta["directed_users"], json!(["carol", "dave"]));
    assert_eq!(view["MessageBody"]["type"], "GROUPCHAT");

    let view = sent_view(
        OutgoingMessage::text("room1", "hi")
            .chat_room()
            .with_route(Route::OnlineOnly)
            .with_priority(ChatroomPriority::Low),
    );
    let meta = &view["CommSyncUL"]["meta"];
    assert_eq!(meta["routetype"], "ROUTE_ONLINE");
    assert_eq!(
        meta["ext"],
        json!([{"key": "chatroom_msg_tag", "type": "INT", "varint_value": "2"}])
    );
    assert_eq!(view["MessageBody"]["type"], "CHATROOM");
}

const ALICE: Jid<'static> = Jid::bare("org#app", "alice", "easemob.com");

fn chat_meta<'a>(id: u64, from: &'a str, to: Jid<'a>, body: &'a [u8]) -> Meta<'a> {
    Meta {
        id: Some(id),
        from: Some(Jid::bare("org#app", from, "easemob.com")),
        to: Some(to),
        timestamp: Some(NOW + id),
        ns: Some(NameSpace::CHAT),
        payload: Some(Bytes::Raw(body)),
        ..Meta::EMPTY
    }
}

#[test]
fn every_received_kind_has_its_event() {
    let config = vector_config();
    let mut h = harness(&config);
    let socket = go_online(&mut h);

    let read_ack = encode(&MessageBody {
        message_type: Some(MessageType::READ_ACK),
        ack_message_id: Some(555),
        ..MessageBody::EMPTY
    });
    let params = [KeyValue::string("mode", "eco")];
    let ext = [KeyValue::int("prio", 9)];
    let contents = [Content::command("set", &params)];
    let command = encode(&MessageBody {
        message_type: Some(MessageType::CHAT),
        from: Some(Jid::name_only("bob")),
        to: Some(Jid::name_only("alice")),
        contents: Repeated::from(&contents),
        ext: Repeated::from(&ext),
        ..MessageBody::EMPTY
    });
    let group_text = [Content::text("all hands")];
    let group = encode(&MessageBody {
        message_type: Some(MessageType::GROUPCHAT),
        contents: Repeated::from(&group_text),
        ..MessageBody::EMPTY
    });
    let notify = br#"{"type":"presence"}"#;
    let metas = [
        chat_meta(1, "bob", ALICE, &read_ack),
        chat_meta(2, "bob", ALICE, &command),
        chat_meta(
            3,
            "carol",
            Jid::bare("org#app", "group1", "conference.easemob.com"),
            &group,
        ),
        Meta {
            id: Some(4),
            ns: Some(NameSpace::NOTIFY),
            payload: Some(Bytes::Raw(notify)),
            ..Meta::EMPTY
        },
        // An INFORMATION statistic and a MUC meta: skipped, still covered by the key.
        Meta {
            id: Some(5),
            ns: Some(NameSpace::STATISTIC),
            ..Meta::EMPTY
        },
        Meta {
            id: Some(6),
            ns: Some(NameSpace::MUC),
            payload: Some(Bytes::Raw(b"\x08\x01")),
            ..Meta::EMPTY
        },
    ];
    let batch = CommSyncDl {
        status: Some(Status {
            error_code: Some(ErrorCode::OK),
            ..Status::EMPTY
        }),
        metas: Repeated::from(&metas),
        next_key: Some(50),
        queue: Some(ALICE),
        is_last: Some(false),
        ..CommSyncDl::EMPTY
    };
    let frame = encode(&MSync {
        command: Some(Command::SYNC),
        payload: Some(Bytes::Nested(&batch)),
        ..MSync::EMPTY
    });
    h.reply(socket, &vector("notice_down"));
    h.session.received(at(0), socket, &server_binary(&frame));

    let mut seen = Vec::new();
    loop {
        match h.session.poll() {
            Output::Event(Event::Receipt(receipt)) => {
                assert_eq!(receipt.kind, ReceiptKind::Read);
                assert_eq!(receipt.acked_server_id(), Some(555));
                assert_eq!(receipt.message.from(), "bob");
                seen.push("receipt");
            }
            Output::Event(Event::Message(message)) if message.server_id() == 2 => {
                assert_eq!(message.chat_type(), ChatType::Single);
                assert_eq!(message.timestamp(), NOW + 2);
                let ReceivedContent::Command { action, params } = message.content() else {
                    panic!("a command")
                };
                assert_eq!(action, "set");
                assert_eq!(params.first(), Some(KeyValue::string("mode", "eco")));
                assert_eq!(message.ext_value("prio"), Some(Value::Varint(9)));
                assert_eq!(message.ext_value("none"), None);
                assert_eq!(message.text(), None);
                seen.push("command");
            }
            Output::Event(Event::Message(message)) => {
                assert_eq!(message.chat_type(), ChatType::Group);
                assert_eq!((message.from(), message.to()), ("carol", "group1"));
                assert_eq!(message.text(), Some("all hands"));
                seen.push("group");
            }
            Output::Event(Event::Notification(notification)) => {
                assert_eq!(notification.json, notify);
                seen.push("notify");
            }
            Output::Transmit { bytes, .. } => {
                let frame = client_frames(bytes).pop().unwrap().msync();
                assert_eq!(up_views(&frame).1["CommSyncUL"]["key"], "50");
                seen.push("key ack");
            }
            Output::Wait { .. } => break,
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(seen, ["receipt", "command", "group", "notify", "key ack"]);
}
