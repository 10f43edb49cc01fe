#!/usr/bin/env python3
"""Writes the seed corpus of every fuzz target into fuzz/seeds/<target>/.

Made from the golden vectors (vectors/vectors.json, the in-repo copy), the region presets
(core/src/region/*.rs) and the documents of PROTOCOL.md (server.json, token replies, REST
errors). Each seed is in its target's input format (see the header comment of each file in
fuzz_targets/). Run from anywhere: `python3 fuzz/make-seeds.py`.
"""

import base64
import json
import re
import shutil
import struct
from pathlib import Path

FUZZ = Path(__file__).resolve().parent
ROOT = FUZZ.parent
SEEDS = FUZZ / "seeds"

# The accept value for the RFC 6455 sample key `the sample nonce` (ws_handshake uses that key).
RFC_ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="


def load_vectors():
    with open(ROOT / "vectors" / "vectors.json", encoding="utf-8") as file:
        return json.load(file)["vectors"]


# --- protobuf, just enough to pull nested payloads out of the vectors -----------------------

def read_varint(data, pos):
    value, shift = 0, 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, pos


def len_fields(data, number):
    """The values of every length-delimited field `number` of a message."""
    pos, found = 0, []
    while pos < len(data):
        tag, pos = read_varint(data, pos)
        wire = tag & 7
        if wire == 0:
            _, pos = read_varint(data, pos)
        elif wire == 1:
            pos += 8
        elif wire == 5:
            pos += 4
        elif wire == 2:
            length, pos = read_varint(data, pos)
            if tag >> 3 == number:
                found.append(data[pos:pos + length])
            pos += length
        else:
            raise ValueError("groups do not occur in the vectors")
    return found


# --- WebSocket and HTTP framing --------------------------------------------------------------

def server_frame(opcode, payload, fin=True):
    first = (0x80 if fin else 0) | opcode
    n = len(payload)
    if n < 126:
        head = bytes([first, n])
    elif n <= 0xFFFF:
        head = bytes([first, 126]) + struct.pack(">H", n)
    else:
        head = bytes([first, 127]) + struct.pack(">Q", n)
    return head + payload


BINARY, TEXT, CONTINUATION, CLOSE, PING, PONG = 2, 1, 0, 8, 9, 10


def http_response(status, reason, body, headers=(), chunks=None):
    lines = [f"HTTP/1.1 {status} {reason}"] + [f"{k}: {v}" for k, v in headers]
    if chunks is not None:
        lines.append("Transfer-Encoding: chunked")
        payload = b"".join(b"%x\r\n%s\r\n" % (len(c), c) for c in chunks) + b"0\r\n\r\n"
    elif body is not None:
        lines.append(f"Content-Length: {len(body)}")
        payload = body
    else:
        payload = b""
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + payload


def pieces(data, count):
    size = max(1, -(-len(data) // count))
    return [data[i:i + size] for i in range(0, len(data), size)]


# --- documents -------------------------------------------------------------------------------

def server_json_documents():
    docs = {
        # PROTOCOL.md §3.2 example.
        "protocol_example": {
            "rest": {"hosts": [{"protocol": "https", "domain": "a1.easemob.com",
                                "port": "443", "priority": "1"}]},
            "msync-wx": {"hosts": [{"protocol": "https", "domain": "im-api-wechat.easemob.com",
                                    "port": "443"}]},
        },
        "full": {
            "file_version": "61", "valid_before": "1700086400", "deploy_name": "ebs",
            "cluster_name": "vip6", "enableReportLogs": "false", "gcm_enabled": True,
            "rest": {"hosts": [
                {"protocol": "http", "domain": "a1.easemob.com", "port": "80"},
                {"protocol": "https", "domain": "a1.easemob.com", "port": "443", "priority": "1"},
                {"protocol": "https", "domain": "a1.easecdn.com", "port": 8443},
                {"protocol": "https", "ip": "10.0.0.5", "port": "443"},
            ]},
            "msync-wx": {"hosts": [
                {"protocol": "wss", "domain": "im-api-wechat.easemob.com", "port": 443},
                {"protocol": "https", "domain": "im-api-wechat.easecdn.com", "priority": 1},
                {"protocol": "ws", "ip": "127.0.0.1", "port": "8099"},
                {"protocol": "https", "domain": "IM-API-WECHAT.easemob.com", "channel": "x"},
            ]},
            "msync-im": {"hosts": [{"protocol": "tcp", "domain": "msync-im1.easemob.com",
                                    "port": "6801"}]},
            "resolver": {"hosts": [{"protocol": "tcp", "ip": "1.2.3.4", "port": 2020}]},
        },
        "app_id_mode": {
            "app_key": "org#app", "file_version": 1, "valid_before": 1700086400,
            "rest": {"hosts": [{"protocol": "https", "domain": "a71.easemob.com"}]},
            "msync-wx": {"hosts": [{"protocol": "wss", "domain": "im-api-wechat-71.easemob.com",
                                    "port": "443", "priority": "2"}]},
        },
        "devserver": {
            "rest": {"hosts": [{"protocol": "http", "ip": "127.0.0.1", "port": 8099}]},
            "msync-wx": {"hosts": [{"protocol": "ws", "ip": "127.0.0.1", "port": "8099"}]},
        },
    }
    out = {name: json.dumps(doc).encode() for name, doc in docs.items()}
    # Escapes, nulls, a deeper skipped value and an unusual layout.
    out["escapes"] = (
        b'{ "app_key" : "org\\u0023app", "valid_before": null, "file_version": 1.5e3,\n'
        b'  "im": {"hosts": [[1, [2, {"a": [true, false, null]}]], "x\\/y"]},\n'
        b'  "rest": {"hosts": [{"protocol": "https", "domain": "a\\u0031.easemob.com"}]},\n'
        b'  "msync-wx": {"hosts": [null, 3, {"protocol": "wss", "domain": "h.example",'
        b' "port": "65535", "priority": "1"}]} }'
    )
    return out


def rest_documents(vectors):
    docs = {
        # PROTOCOL.md §4.3.
        "token_reply": json.dumps({
            "access_token": "YWMtP1jUBq-TEe2c3fd1rX8mUnJ0aBjV0jT4qWYpWdFo",
            "expires_in": 1024000,
            "user": {"uuid": "aa471ee0-4d32-11ec-8c87-2b1d9c1c8c1f", "type": "user",
                     "created": 1637740861395, "modified": 1637740861395,
                     "username": "c", "activated": True},
        }).encode(),
        "token_reply_strings": b'{"access_token":"YWMt\\/abc\\u00e9","expires_in":"604800",'
                               b'"user":{"activated":false}}',
        "auth_token_reply": b'{"token":"$t$YWMtROTATED","expires_in":1700604800000}',
    }
    # PROTOCOL.md §4.4.
    errors = [
        ("invalid_grant", "invalid password"),
        ("illegal_argument", "username [X] is not legal"),
        ("auth_bad_access_token", "Unable to authenticate due to corrupt access token"),
        ("resource_limited", "You have exceeded the limit of the community edition,\u2026"),
    ]
    for error, description in errors:
        docs[f"error_{error}"] = json.dumps({
            "error": error, "exception": "x.Exception", "timestamp": 1700000000000,
            "duration": 0, "error_description": description,
        }).encode()
    # `Provision.auth_token` of the vectors, as sent.
    for vector in vectors:
        provision = (vector.get("payload_decoded") or {}).get("Provision") or {}
        if "auth_token" in provision:
            docs[f"auth_token_{vector['name']}"] = base64.b64decode(provision["auth_token"])
    return docs


def region_hosts():
    """Host names of the region presets and bootstrap bases, as the tables spell them."""
    hosts, bases = [], []
    for path in sorted((ROOT / "core" / "src" / "region").glob("*.rs")):
        if path.name == "tests.rs":
            continue
        text = path.read_text(encoding="utf-8")
        for name, suffix in re.findall(r'hosts!\("([a-z0-9-]+)"\s*(\+\s*\w+)?\)', text):
            hosts.append(f"{name}.easemob.com")
            if suffix:
                hosts.append(f"{name}.easecdn.com")
        hosts += re.findall(r'"([a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|io))"', text)
        bases += re.findall(r'"(https?://[0-9.]+)"', text)
    return sorted(set(hosts)), sorted(set(bases))


def urls():
    hosts, bases = region_hosts()
    out = bases[:]
    for host in hosts:
        out.append(f"https://{host}")
        out.append(f"wss://{host}/websocket")
    out += [
        "https://rs.easemob.com/easemob/server.json?app_key=org%23app&file_version=1"
        "&sdk_version=4.0.0-go",
        "http://127.0.0.1:8099/org/app/token",
        "ws://127.0.0.1:8099/websocket",
        "WSS://[::1]:9443/websocket",
        "https://10.0.0.5:8443/vip/",
        "wss://h.example:443/websocket?x=1?y",
    ]
    return out


# --- session scripts -------------------------------------------------------------------------
# The `session` target's input: [flags, seed (2)] + steps; each step is an opcode and the bytes
# its arguments take, in the order fuzz_targets/session.rs (and fuzz/src/server_*.rs) read them.

(LOGIN, OPENED, CLOSED, RAW, HANDSHAKE, SERVER, CONTROL, HTTP, ADVANCE, DEADLINE, SEND, LOGOUT,
 RENEW, STALE, ESTABLISH, ACK, MANY) = range(17)
WHOLE = bytes([0, 0, 0])              # split: seed (2), longest piece 0: one piece
BYTEWISE = bytes([1, 0, 1])           # pieces of one byte
OK_STATUS = bytes([0, 0, 0])          # shape (no redirect), code OK, no reason
ALICE = bytes([0, 0, 0, 0])           # jid org#app / alice / easemob.com, no resource
BOB = bytes([0, 1, 0, 0])
PLAIN, ZLIB = 3, 0                    # envelope styles
BINARY_WS, TEXT_WS = 0, 1             # WebSocket styles; | 2 fragments, | 4 a ping between


def short(data):
    return bytes([len(data)]) + data


def ws_style(style, cut=0):
    return bytes([style]) + (struct.pack("<H", cut) if style & 2 else b"")


def message(kind, body, envelope=PLAIN, style=BINARY_WS, cut=0):
    """One server message: the msync kind, its fields, the envelope and WebSocket styles."""
    return bytes([kind]) + body + bytes([envelope]) + ws_style(style, cut)


def provision_reply(code=0, shape=0, reason=0, redirect_host=0, auth=b"\x00"):
    redirects = bytes([redirect_host, 0, 0, 0])
    return message(0, redirects + bytes([shape, code, reason]) + auth + bytes([0, 1, 0, 0]))


def unread_reply(queues):
    body = bytes([0, 0]) + OK_STATUS + bytes([len(queues)])
    for jid, count in queues:
        body += jid + bytes([count])
    return message(1, body + struct.pack("<H", 0))


def chat_meta(text, kind=1):
    return bytes([0]) + short(text) + bytes([kind, 1])


def kick_meta(operation):
    return bytes([2, operation, 1, 0])


def batch(payloads, ids, is_last=1, **style):
    body = bytes([len(payloads)]) + b"".join(payloads)
    for meta_id in ids:
        body += bytes([meta_id]) + BOB + ALICE + bytes([1])
    body += OK_STATUS + bytes([1]) + struct.pack("<H", 7) + bytes([1]) + ALICE + bytes([is_last])
    return message(3, body, **style)


def server(*messages, split=WHOLE):
    return bytes([SERVER, len(messages)]) + b"".join(messages) + split


def handshake(*messages, variant=0, split=WHOLE):
    return bytes([HANDSHAKE, variant, len(messages)]) + b"".join(messages) + split


def send(text, message_id, to=0, content=0, chat=0, repeat=0):
    return (bytes([SEND, to, repeat]) + short(text)
            + bytes([content, chat, 0, 2, message_id]))


def advance(value, unit):
    return bytes([ADVANCE, value, unit])


def http(status, body_kind, pick, framing=2, split=WHOLE):
    return bytes([HTTP, status, body_kind, pick, framing]) + split


LOGOUT_REPLY = message(6, OK_STATUS)
ONLINE = bytes([LOGIN, OPENED]) + handshake(provision_reply())


def session_scripts():
    binary, alipay, password, bootstrap = 0x01, 0x00, 0x05, 0x03
    batch_two = batch([chat_meta(b"hello"), chat_meta(b"again")], [1, 2])
    out = {
        # Login, UNREAD lists the user's queue, a batch of two messages, a send and its ACK,
        # a heartbeat, logout and its reply.
        "binary_login_batch_send": bytes([binary, 1, 0]) + ONLINE
        + server(unread_reply([(ALICE, 2)])) + server(batch_two)
        + send(b"hi", 1) + bytes([ACK, 0, 9, 0]) + WHOLE
        + advance(30, 2) + bytes([DEADLINE, 0]) + bytes([LOGOUT]) + server(LOGOUT_REPLY),
        # The Alipay preset: base64 text frames, fragmented with a ping, read byte by byte.
        "alipay_text_fragmented": bytes([alipay, 2, 0]) + ONLINE
        + server(batch([chat_meta(b"text frames")], [3], style=TEXT_WS | 6, cut=9),
                 split=BYTEWISE)
        + server(batch([chat_meta(b"zlib")], [4], envelope=ZLIB, style=BINARY_WS | 2, cut=5)),
        # A password login: the REST token first, then the gateway.
        "password_rest_token": bytes([password, 3, 0]) + bytes([LOGIN, OPENED])
        + http(0, 1, 0) + bytes([OPENED]) + handshake(provision_reply())
        + send(b"after REST", 2) + bytes([ACK, 0, 1, 0]) + WHOLE,
        # App ID mode: server.json (chunked) gives the app key and a plain gateway.
        "bootstrap_app_id": bytes([bootstrap, 4, 0]) + bytes([LOGIN, OPENED])
        + http(0, 0, 0, framing=0) + bytes([ESTABLISH]) + send(b"learnt", 3),
        # Sends queued offline, a lost link, the backoff, re-sends on the next socket, stale
        # inputs naming the first one.
        "reconnect_resend_stale": bytes([binary, 5, 0]) + send(b"queued", 4) + ONLINE
        + send(b"in flight", 5) + bytes([CLOSED, 3]) + bytes([DEADLINE, 0, ESTABLISH])
        + bytes([STALE, 0, 0, 0]) + bytes([STALE, 0, 1, 0]) + bytes([STALE, 0, 2]) + short(b"late")
        + bytes([ACK, 0, 1, 0]) + WHOLE + bytes([ACK, 1, 2, 0]) + WHOLE,
        # Small capacities: a message too large, the outbox full, more metas than dedupe holds.
        "small_capacities": bytes([binary | 0x10, 6, 0]) + ONLINE
        + send(b"x", 6, repeat=250) + send(b"a", 7) + send(b"b", 8) + send(b"c", 9)
        + server(batch([chat_meta(bytes([65 + i])) for i in range(4)], [10, 11, 12, 13],
                       is_last=2))
        + server(batch([chat_meta(b"dup")], [10])),
        # PROVISION answered with REDIRECT, then with "token expired".
        "redirect_then_token_expired": bytes([binary, 7, 0]) + bytes([LOGIN, OPENED])
        + handshake(provision_reply(code=173, shape=8)) + bytes([OPENED])
        + handshake(provision_reply(code=174, reason=2)),
        # Kicked by another device's login while a send is pending.
        "kicked": bytes([alipay, 8, 0]) + ONLINE + send(b"pending", 10)
        + server(batch([kick_meta(2)], [14])),
        # A token with a lifetime: the warning, then the expiry ends the session.
        "renew_and_expire": bytes([binary, 9, 0]) + ONLINE
        + bytes([RENEW]) + short(b"") + bytes([0, 2])
        + bytes([DEADLINE, 0] * 5),
        # Control frames, then the server closes the WebSocket.
        "ping_then_close": bytes([binary, 10, 0]) + ONLINE
        + bytes([CONTROL, 0]) + short(b"ping") + WHOLE
        + bytes([CONTROL, 2]) + short(b"bye") + struct.pack("<H", 1000) + WHOLE
        + bytes([CLOSED, 0]),
    }
    return out


# --- seeds per target ------------------------------------------------------------------------

def seeds(vectors):
    frames = {v["name"]: bytes.fromhex(v["hex"]) for v in vectors}
    down = {v["name"]: frames[v["name"]] for v in vectors if v["direction"] == "server->client"}
    texts = {v["name"]: v["alipay_text_frame_base64"].encode() for v in vectors}
    out = {name: {} for name in TARGETS}

    out["msync_frame"] = dict(frames)
    out["msync_text_frame"] = dict(texts)

    proto = dict(frames)
    for name, frame in frames.items():
        for i, payload in enumerate(len_fields(frame, 9)):
            proto[f"{name}.payload{i}"] = payload
    out["proto"] = proto

    # ws_decoder: [buffer x16, seed (2), longest piece, max_message x16] + stream.
    header = bytes([0xFF, 0x01, 0x00, 0x07, 0xFF])
    ws = {}
    for name, frame in down.items():
        ws[f"{name}.binary"] = header + server_frame(BINARY, frame)
        ws[f"{name}.text"] = header + server_frame(TEXT, texts[name])
    batch = down["sync_batch_down"]
    parts = pieces(batch, 3)
    fragmented = server_frame(BINARY, parts[0], fin=False)
    fragmented += server_frame(PING, b"keepalive")
    fragmented += b"".join(server_frame(CONTINUATION, p, fin=(i == len(parts) - 2))
                           for i, p in enumerate(parts[1:]))
    session = (server_frame(BINARY, down["provision_reply_ok_down"])
               + server_frame(PONG, b"")
               + fragmented
               + server_frame(TEXT, texts["notice_down"])
               + server_frame(CLOSE, struct.pack(">H", 1000) + b"bye"))
    ws["session"] = header + session
    ws["session_whole"] = bytes([0xFF, 0x00, 0x00, 0x00, 0xFF]) + session
    ws["session_bytewise"] = bytes([0xFF, 0x00, 0x00, 0x01, 0xFF]) + session
    ws["long_frame"] = bytes([0x20, 0x05, 0x00, 0x40, 0xFF]) + server_frame(BINARY, batch * 2)
    out["ws_decoder"] = ws

    head = ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Accept: {RFC_ACCEPT}\r\n")
    out["ws_handshake"] = {
        "minimal": (head + "\r\n").encode(),
        "gateway": (head + "Server: nginx\r\nDate: Tue, 14 Nov 2023 22:13:20 GMT\r\n"
                    "Sec-WebSocket-Extensions: \r\n\r\n").encode()
        + server_frame(BINARY, down["provision_reply_ok_down"]),
        "lowercase": ("HTTP/1.1 101 OK\r\nupgrade: WebSocket\r\nconnection: keep-alive, upgrade"
                      f"\r\nsec-websocket-accept:  {RFC_ACCEPT} \r\n\r\n").encode(),
    }

    server_docs = server_json_documents()
    rest_docs = rest_documents(vectors)
    out["json_server"] = server_docs
    out["json_rest"] = rest_docs

    # http_response: [capacity (2, BE), seed (2), longest piece, max_head, max_body] + bytes.
    header = bytes([0x10, 0x00, 0x01, 0x00, 0x0D, 0x00, 0x00])
    responses = {
        "server_json": http_response(200, "OK", server_docs["full"],
                                     [("Content-Type", "application/json"), ("Server", "nginx")]),
        "token_chunked": http_response(200, "OK", None, [("Content-Type", "application/json")],
                                       chunks=pieces(rest_docs["token_reply"], 4)),
        "error_400": http_response(400, "Bad Request", rest_docs["error_invalid_grant"],
                                   [("Content-Type", "application/json;charset=UTF-8")]),
        "until_close": http_response(404, "Not Found", None, [("Connection", "close")])
        + rest_docs["error_illegal_argument"],
        "no_content": http_response(204, "No Content", None),
    }
    http = {name: header + response for name, response in responses.items()}
    http["token_chunked_small_buffer"] = (bytes([0x01, 0x40, 0x07, 0x00, 0x05, 0x00, 0x00])
                                          + responses["token_chunked"])
    out["http_response"] = http

    out["url"] = {f"url{i:02}": url.encode() for i, url in enumerate(urls())}
    out["app_identity"] = {
        "app_key": b"org#app",
        "demo": b"easemob-demo#chatdemoui",
        "numeric": b"1112161021178076#demo_1.x",
        "app_id": b"9f2d7c1e5b3a4d6c8e0f1a2b3c4d5e6f",
    }
    out["session"] = session_scripts()
    return out


TARGETS = ["proto", "msync_frame", "msync_text_frame", "ws_decoder", "ws_handshake",
           "http_response", "json_server", "json_rest", "url", "app_identity", "session"]


def main():
    vectors = load_vectors()
    total = 0
    for target, files in seeds(vectors).items():
        directory = SEEDS / target
        shutil.rmtree(directory, ignore_errors=True)
        directory.mkdir(parents=True)
        for name, data in files.items():
            (directory / name).write_bytes(data)
            total += len(data)
        print(f"{target}: {len(files)} seeds")
    print(f"{total} bytes in {SEEDS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
