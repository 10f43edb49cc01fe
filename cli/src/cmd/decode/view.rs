//! Frame bytes to one JSON object: the envelope view and the payload view of the core's JSON
//! writers (the keys of `vectors/vectors.json`), plus what the decoder chose and noticed.

use std::fmt;

use msync_core::wire::msync::{
    Command, DecodeError, Direction, Inflater, MSync, ViewError, write_body_json,
    write_envelope_json,
};

/// Which way the frame travelled: SYNC and UNREAD carry different bodies each way.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum DirectionChoice {
    /// Up when the envelope carries `encrypt_type` (every client frame does, PROTOCOL.md §6.2;
    /// servers leave it out), down otherwise.
    Auto,
    /// Client to server.
    Up,
    /// Server to client.
    Down,
}

/// The JSON view of a frame whose envelope decoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FrameView {
    /// One compact JSON object: `decoded` (the envelope), `payload_decoded` (when the payload
    /// decoded), `direction`, and `note` / `payload_error` when there is something to say.
    pub json: String,
    /// Why the payload has no view, when it has one that did not decode (corrupt or unknown
    /// body, unknown command, bad zlib stream).
    pub payload_error: Option<String>,
}

/// Why a frame has no view at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FrameError {
    /// The bytes are not an `MSync` envelope.
    Envelope(DecodeError),
    /// The core's JSON writer reported a failure.
    Writer,
}

impl fmt::Display for FrameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FrameError::Envelope(error) => write!(f, "not an msync frame: {error}"),
            FrameError::Writer => f.write_str("the JSON view could not be written"),
        }
    }
}

impl std::error::Error for FrameError {}

/// The most a zlib payload may inflate to.
const MAX_INFLATED: usize = 16 << 20;

/// The first inflate buffer; grown fourfold up to [`MAX_INFLATED`].
const FIRST_INFLATE_BUFFER: usize = 64 << 10;

/// Decodes `bytes` as an `MSync` envelope and its payload. Fails only when the envelope does not
/// decode; payload problems are reported in [`FrameView::payload_error`].
pub fn frame_view(bytes: &[u8], direction: DirectionChoice) -> Result<FrameView, FrameError> {
    let msync = MSync::decode(bytes).map_err(FrameError::Envelope)?;
    let direction = match direction {
        DirectionChoice::Up => Direction::Up,
        DirectionChoice::Down => Direction::Down,
        DirectionChoice::Auto if msync.encrypt_type.is_empty() => Direction::Down,
        DirectionChoice::Auto => Direction::Up,
    };
    let mut json = String::from("{\"decoded\":");
    write_envelope_json(&msync, &mut json).map_err(|fmt::Error| FrameError::Writer)?;
    let payload = payload_view(&msync, direction);
    if let Some(view) = &payload.view {
        json.push_str(",\"payload_decoded\":");
        json.push_str(view);
    }
    let direction_id = match direction {
        Direction::Up => "up",
        Direction::Down => "down",
    };
    push_string_member(&mut json, "direction", direction_id);
    if let Some(note) = &payload.note {
        push_string_member(&mut json, "note", note);
    }
    if let Some(error) = &payload.error {
        push_string_member(&mut json, "payload_error", error);
    }
    json.push('}');
    Ok(FrameView {
        json,
        payload_error: payload.error,
    })
}

/// What became of the payload.
#[derive(Default)]
struct PayloadView {
    view: Option<String>,
    note: Option<String>,
    error: Option<String>,
}

fn payload_view(msync: &MSync<'_>, direction: Direction) -> PayloadView {
    let command = msync.command();
    let raw = match msync.payload.map(|payload| payload.raw()).transpose() {
        Ok(Some(raw)) => raw,
        Ok(None) => {
            return PayloadView {
                note: Some("the frame has no payload".into()),
                ..PayloadView::default()
            };
        }
        Err(error) => return failed(error.into()),
    };
    match msync.plain_payload() {
        Ok(_) => body_view(command, direction, raw, None),
        Err(DecodeError::CompressedPayload) => match inflate(raw) {
            Ok(plain) => {
                let note = format!(
                    "payload inflated from zlib (compress_algorimth 1): {} bytes to {}",
                    raw.len(),
                    plain.len()
                );
                body_view(command, direction, &plain, Some(note))
            }
            Err(error) => failed(ViewError::Decode(error)),
        },
        Err(error) => failed(ViewError::Decode(error)),
    }
}

fn body_view(
    command: Command,
    direction: Direction,
    plain: &[u8],
    note: Option<String>,
) -> PayloadView {
    let mut view = String::new();
    match write_body_json(command, direction, plain, &mut view) {
        Ok(()) => PayloadView {
            view: Some(view),
            note,
            error: None,
        },
        Err(error) => PayloadView {
            note,
            ..failed(error)
        },
    }
}

fn failed(error: ViewError) -> PayloadView {
    PayloadView {
        error: Some(error.to_string()),
        ..PayloadView::default()
    }
}

/// Inflates a zlib payload into a buffer that grows until the result fits or passes
/// [`MAX_INFLATED`].
fn inflate(compressed: &[u8]) -> Result<Vec<u8>, DecodeError> {
    let mut inflater = Box::new(Inflater::new());
    let mut capacity = FIRST_INFLATE_BUFFER;
    loop {
        let mut out = vec![0; capacity];
        match inflater.inflate(compressed, &mut out) {
            Ok(len) => {
                out.truncate(len);
                return Ok(out);
            }
            Err(DecodeError::InflateCapacity { .. }) if capacity < MAX_INFLATED => {
                capacity = capacity.saturating_mul(4).min(MAX_INFLATED);
            }
            Err(error) => return Err(error),
        }
    }
}

/// Appends `,"name":"value"` with `value` JSON-escaped.
fn push_string_member(json: &mut String, name: &str, value: &str) {
    json.push_str(",\"");
    json.push_str(name);
    json.push_str("\":");
    json.push_str(&serde_json::Value::from(value).to_string());
}
