//! `Content` and `Size` (PROTOCOL.md §6.12). JSON names are the schema's own.

use super::{ContentType, KeyValue, Repeated, SubType};

message! {
    /// Image or video dimensions.
    Size = "Size" {
        /// Width.
        1 => width: Option<f64>,
        /// Height.
        2 => height: Option<f64>,
    }
}

message! {
    /// One piece of a message: text, command, custom event, location, or a file-like content
    /// (§6.12).
    Content<'a> = "Content" {
        /// The kind of content.
        1 => content_type("type"): Option<ContentType>,
        /// TEXT: the text.
        2 => text: Option<&'a str>,
        /// LOCATION: latitude.
        3 => latitude: Option<f64>,
        /// LOCATION: longitude.
        4 => longitude: Option<f64>,
        /// LOCATION: address.
        5 => address: Option<&'a str>,
        /// File name.
        6 => display_name("displayName"): Option<&'a str>,
        /// File URL.
        7 => remote_path("remotePath"): Option<&'a str>,
        /// File secret.
        8 => secret_key("secretKey"): Option<&'a str>,
        /// File length.
        9 => file_length("fileLength"): Option<i32>,
        /// COMMAND: the action.
        10 => action: Option<&'a str>,
        /// COMMAND: parameters.
        11 => params: Repeated<'a, KeyValue<'a>>,
        /// Voice or video length.
        12 => duration: Option<i32>,
        /// Image or video size.
        13 => size: Option<Size>,
        /// Thumbnail URL.
        14 => thumbnail_remote_path("thumbnailRemotePath"): Option<&'a str>,
        /// Thumbnail secret.
        15 => thumbnail_secret_key("thumbnailSecretKey"): Option<&'a str>,
        /// Thumbnail file name.
        16 => thumbnail_display_name("thumbnailDisplayName"): Option<&'a str>,
        /// Thumbnail length.
        17 => thumbnail_file_length("thumbnailFileLength"): Option<i32>,
        /// Thumbnail size.
        18 => thumbnail_size("thumbnailSize"): Option<Size>,
        /// CUSTOM: the event.
        19 => custom_event("customEvent"): Option<&'a str>,
        /// CUSTOM: attributes.
        20 => custom_exts("customExts"): Repeated<'a, KeyValue<'a>>,
        /// LOCATION: building.
        21 => building_name("buildingName"): Option<&'a str>,
        /// Sub-kind.
        22 => sub_type("subType"): Option<SubType>,
        /// Combined: title.
        23 => title: Option<&'a str>,
        /// Combined: summary.
        24 => summary: Option<&'a str>,
        /// Combined: nesting level.
        25 => combine_level("combineLevel"): Option<i32>,
        /// 1 original, 2 compressed (Go SDK).
        26 => image_type("imageType"): Option<i32>,
    }
}

impl<'a> Content<'a> {
    /// A TEXT content.
    pub const fn text(text: &'a str) -> Self {
        Self {
            content_type: Some(ContentType::TEXT),
            text: Some(text),
            ..Self::EMPTY
        }
    }

    /// A COMMAND content with parameters.
    pub const fn command(action: &'a str, params: &'a [KeyValue<'a>]) -> Self {
        Self {
            content_type: Some(ContentType::COMMAND),
            action: Some(action),
            params: Repeated::from_slice(params),
            ..Self::EMPTY
        }
    }

    /// A CUSTOM content with an event name and attributes.
    pub const fn custom(event: &'a str, exts: &'a [KeyValue<'a>]) -> Self {
        Self {
            content_type: Some(ContentType::CUSTOM),
            custom_event: Some(event),
            custom_exts: Repeated::from_slice(exts),
            ..Self::EMPTY
        }
    }

    /// A LOCATION content.
    pub const fn location(latitude: f64, longitude: f64, address: &'a str) -> Self {
        Self {
            content_type: Some(ContentType::LOCATION),
            latitude: Some(latitude),
            longitude: Some(longitude),
            address: Some(address),
            ..Self::EMPTY
        }
    }
}
