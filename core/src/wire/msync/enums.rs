//! The schema's enums (PROTOCOL.md §6). Each is a newtype over its number: unknown values are
//! kept as numbers and survive a decode/encode round trip.

proto_enum! {
    /// `MSync.version`: protocol version (§6.2); clients omit it.
    Version {
        /// Version 1 (0).
        MSYNC_V1 = 0,
        /// Version 2 (1).
        MSYNC_V2 = 1,
    }
}

proto_enum! {
    /// `MSync.command`: which body `MSync.payload` holds (§6.3).
    Command {
        /// Send (`CommSyncUL.meta`), pull (`CommSyncUL.queue`), ACK or batch (`CommSyncDL`).
        SYNC = 0,
        /// Offline query and heartbeat; `CommUnreadDL` down.
        UNREAD = 1,
        /// A queue has new metas (`CommNotice`, down only).
        NOTICE = 2,
        /// Login (`Provision`, both directions).
        PROVISION = 3,
        /// Logout (`Logout`, both directions).
        LOGOUT = 4,
    }
}

proto_enum! {
    /// `MSync.encrypt_type`, `Provision.encrypt_type`: payload encryption (§6.2).
    EncryptType {
        /// No encryption; what every up frame declares.
        ENCRYPT_NONE = 0,
        /// AES-128-CBC.
        ENCRYPT_AES_128_CBC = 1,
        /// AES-256-CBC.
        ENCRYPT_AES_256_CBC = 2,
        /// AES-GCM (Go SDK only).
        ENCRYPT_AES_GCM = 3,
    }
}

proto_enum! {
    /// `Provision.os_type`, `StatisticsBody.os`: the client platform (§6.5).
    OsType {
        /// iOS.
        OS_IOS = 0,
        /// Android.
        OS_ANDROID = 1,
        /// Linux.
        OS_LINUX = 2,
        /// macOS.
        OS_OSX = 3,
        /// Windows.
        OS_WIN = 4,
        /// Custom, with `Provision.os_custom_value`.
        OS_CUSTOM = 5,
        /// HarmonyOS (not in the JS schema).
        OS_HARMONY = 6,
        /// The Go server SDK (not in the JS schema).
        OS_GO = 7,
        /// Any other platform; what mini programs send.
        OS_OTHER = 16,
    }
}

proto_enum! {
    /// `Provision.network_type`, `StatisticsBody.network`: the client's network (§6.5). The
    /// schema names of values 2 to 4 start with a digit, so their constants are prefixed.
    NetworkType {
        /// No network.
        NETWORK_NONE = 0,
        /// Wi-Fi.
        WIFI = 1,
        /// 4G.
        NETWORK_4G = 2 as "4G",
        /// 3G.
        NETWORK_3G = 3 as "3G",
        /// 2G.
        NETWORK_2G = 4 as "2G",
        /// Wired.
        WIRE = 5,
    }
}

proto_enum! {
    /// `Provision.compress_type`, `Provision.protocol_compress_type` (§5.4, §6.5).
    CompressType {
        /// No compression.
        COMPRESS_NONE = 0,
        /// zlib.
        COMPRESS_ZLIB = 1,
        /// LZ4 protocol compression; clients must not offer it.
        COMPRESS_LZ4 = 2,
    }
}

proto_enum! {
    /// `Provision.protocol_compress_direction`: which frames the selected compression covers.
    CompressDirection {
        /// Client to server only.
        ONLY_UP = 0,
        /// Server to client only.
        ONLY_DOWN = 1,
        /// Both directions.
        BI = 2,
    }
}

proto_enum! {
    /// `Status.error_code`: the result of a login, send, pull or logout (§6.6).
    ErrorCode {
        /// Success.
        OK = 0,
        /// Generic failure; `reason` says why (e.g. `Sorry, token expired`).
        FAIL = 1,
        /// Bad credentials.
        UNAUTHORIZED = 2,
        /// A required field is missing.
        MISSING_PARAMETER = 3,
        /// A field has a wrong value.
        WRONG_PARAMETER = 4,
        /// Connect elsewhere: `Status.redirect_info`.
        REDIRECT = 5,
        /// The token expired.
        TOKEN_EXPIRED = 6,
        /// Refused (content filter, size limit, ...).
        PERMISSION_DENIED = 7,
        /// Multi-data-centre routing failed (wrong domain).
        NO_ROUTE = 8,
        /// The command is unknown to the server.
        UNKNOWN_COMMAND = 9,
        /// The server could not parse the frame.
        PB_PARSER_ERROR = 10,
        /// The user is bound to another device.
        BIND_ANOTHER_DEVICE = 11,
        /// The user is banned.
        IM_FORBIDDEN = 12,
        /// Too many devices logged in.
        TOO_MANY_DEVICES = 13,
        /// Platform limit reached.
        PLATFORM_LIMIT = 14,
        /// The user is muted.
        USER_MUTED = 15,
        /// Encryption is disabled.
        ENCRYPT_DISABLE = 16,
        /// Encryption is required.
        ENCRYPT_ENABLE = 17,
        /// Decryption failed.
        DECRYPT_FAILURE = 18,
        /// Refused by a callback or external rule.
        PERMISSION_DENIED_EXTERNAL = 19,
        /// The resource changed (JS enum only).
        RESOURCE_CHANGED = 20,
    }
}

proto_enum! {
    /// `Meta.ns`: what `Meta.payload` holds (§6.10).
    NameSpace {
        /// `StatisticsBody` (kicks, device information).
        STATISTIC = 0,
        /// `MessageBody` (a chat message).
        CHAT = 1,
        /// `MUCBody` (out of scope).
        MUC = 2,
        /// `RosterBody` (out of scope).
        ROSTER = 3,
        /// `ConferenceBody` (out of scope).
        CONFERENCE = 4,
        /// JSON notification.
        NOTIFY = 5,
        /// JSON query.
        QUERY = 6,
    }
}

proto_enum! {
    /// `Meta.routetype`: who receives a message (§6.10).
    RouteType {
        /// Everyone, online or not.
        ROUTE_ALL = 0,
        /// Online users only.
        ROUTE_ONLINE = 1,
        /// The users in `Meta.directed_users`.
        ROUTE_DIRECT = 2,
    }
}

proto_enum! {
    /// `MessageBody.type`: the kind of chat message (§6.11).
    MessageType {
        /// Unspecified.
        NORMAL = 0,
        /// One-to-one chat.
        CHAT = 1,
        /// Group chat.
        GROUPCHAT = 2,
        /// Chat room.
        CHATROOM = 3,
        /// Read receipt.
        READ_ACK = 4,
        /// Delivery receipt.
        DELIVER_ACK = 5,
        /// Recall of `ack_message_id`.
        RECALL = 6,
        /// Conversation read receipt.
        CHANNEL_ACK = 7,
        /// Edit of `edit_message_id`.
        EDIT = 8,
    }
}

proto_enum! {
    /// `MessageBody.edit_scope`: what an EDIT replaces (§6.11).
    EditScope {
        /// The body only.
        BODY = 1,
        /// The body and the ext.
        BODY_AND_EXT = 2,
    }
}

proto_enum! {
    /// `Content.type`: the kind of content (§6.12).
    ContentType {
        /// Text in `text`.
        TEXT = 0,
        /// Image.
        IMAGE = 1,
        /// Video.
        VIDEO = 2,
        /// Location: `latitude`, `longitude`, `address`.
        LOCATION = 3,
        /// Voice.
        VOICE = 4,
        /// File.
        FILE = 5,
        /// Command: `action`, `params`.
        COMMAND = 6,
        /// Custom: `customEvent`, `customExts`.
        CUSTOM = 7,
        /// Combined messages.
        COMBINE = 8,
    }
}

proto_enum! {
    /// `Content.subType` (§6.12).
    SubType {
        /// Combined messages.
        SUB_COMBINE = 0,
        /// GIF image.
        SUB_GIF = 1,
        /// Streaming message.
        SUB_STREAM = 10,
    }
}

proto_enum! {
    /// `KeyValue.type`: how the value is meant to be read (§6.13).
    ValueType {
        /// Boolean in `varint_value` (0 or 1).
        BOOL = 1,
        /// Integer in `varint_value`.
        INT = 2,
        /// Unsigned integer, bit-cast into `varint_value`.
        UINT = 3,
        /// 64-bit integer in `varint_value`.
        LLINT = 4,
        /// `float_value`.
        FLOAT = 5,
        /// `double_value`.
        DOUBLE = 6,
        /// `string_value`.
        STRING = 7,
        /// JSON text in `string_value`.
        JSON_STRING = 8,
    }
}

proto_enum! {
    /// `StatisticsBody.operation`: what a STATISTIC meta reports (§6.14, §7.9).
    Operation {
        /// Device information; harmless.
        INFORMATION = 0,
        /// The user was removed: end the session.
        USER_REMOVED = 1,
        /// Another device logged in: end the session, do not reconnect.
        USER_LOGIN_ANOTHER_DEVICE = 2,
        /// The password changed: end the session.
        USER_KICKED_BY_CHANGE_PASSWORD = 3,
        /// Kicked by another device or the console: end the session.
        USER_KICKED_BY_OTHER_DEVICE = 4,
    }
}
