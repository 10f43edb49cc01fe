//! `msync decode`: one msync frame, given as hex or base64, printed as JSON.
//!
//! [`decode_text`] is the whole decoder, callable in process; [`run`] adds the command line
//! (arguments or stdin) and the exit codes.

mod text;
mod view;

use std::fmt;
use std::io::Read as _;

use clap::Args;

pub use text::{FrameBytes, TextEncoding, TextError, frame_bytes};
pub use view::{DirectionChoice, FrameError, FrameView, frame_view};

use crate::CliError;
use crate::output::Output;

/// The end of `msync decode --help`.
pub const AFTER_HELP: &str = "\
Input: FRAME is read as hex when every character other than whitespace is a hex digit, and as
base64 otherwise (--alipay or --hex decide instead). Whitespace and line breaks anywhere are
ignored, so a frame split over lines or arguments is fine; base64 padding is optional.

Direction: up or down is not in the bytes. With --direction auto (the default) a frame whose
envelope carries encrypt_type, as every client frame does, is read as sent by the client (up),
any other as sent by the server (down). Only SYNC and UNREAD bodies differ by direction.

Output: one JSON object:
  decoded          the envelope: protobuf field names, enums by name, 64-bit integers as
                   strings, bytes as base64
  payload_decoded  the body selected by the command, keyed by message name, plus the decoded
                   MessageBody (ns CHAT) or StatisticsBody (ns STATISTIC) of a meta
  direction        up or down, as used
  note             e.g. a zlib payload (compress_algorimth 1) was inflated, or there is no payload
  payload_error    why the payload did not decode
Indented by default, one line with --json.

Exit codes:
  0  the frame decoded
  1  not a valid msync frame: the envelope does not decode (stdout stays empty), or the payload
     does not (the envelope is printed, with payload_error)
  2  usage: a bad flag, empty input, or text that is neither hex nor base64 (with the offset)";

/// The most text read from stdin.
const MAX_STDIN: u64 = 8 << 20;

/// Arguments of `msync decode`.
#[derive(Debug, Args)]
pub struct DecodeArgs {
    /// The frame: hex (whitespace allowed, also split over several arguments), base64 (an
    /// Alipay text frame; padding optional), or `-` to read it from stdin.
    #[arg(value_name = "FRAME", required = true, num_args = 1..)]
    pub frame: Vec<String>,

    /// Read FRAME as base64 (how Alipay text frames carry it), even if it looks like hex.
    #[arg(long, visible_alias = "base64", conflicts_with = "hex")]
    pub alipay: bool,

    /// Read FRAME as hex.
    #[arg(long)]
    pub hex: bool,

    /// Which way the frame travelled (decides the body of SYNC and UNREAD frames).
    #[arg(long, value_enum, default_value_t = DirectionChoice::Auto)]
    pub direction: DirectionChoice,
}

impl DecodeArgs {
    /// The options these flags select.
    pub fn options(&self) -> DecodeOptions {
        let encoding = if self.alipay {
            TextEncoding::Base64
        } else if self.hex {
            TextEncoding::Hex
        } else {
            TextEncoding::Auto
        };
        DecodeOptions {
            encoding,
            direction: self.direction,
        }
    }
}

/// How to read a frame text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DecodeOptions {
    /// How the text is written.
    pub encoding: TextEncoding,
    /// Which way the frame travelled.
    pub direction: DirectionChoice,
}

impl Default for DecodeOptions {
    /// Auto-detected encoding and direction.
    fn default() -> Self {
        Self {
            encoding: TextEncoding::Auto,
            direction: DirectionChoice::Auto,
        }
    }
}

/// Why a frame text has no view.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecodeFailure {
    /// The text is not hex or base64 (a usage error).
    Text(TextError),
    /// The bytes are not an msync frame.
    Frame {
        /// What went wrong.
        error: FrameError,
        /// How the text was read.
        read_as: TextEncoding,
        /// True when the encoding was auto-detected (the message then says how to force it).
        detected: bool,
    },
}

impl fmt::Display for DecodeFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeFailure::Text(error) => error.fmt(f),
            DecodeFailure::Frame {
                error,
                read_as,
                detected,
            } => {
                error.fmt(f)?;
                match (detected, read_as) {
                    (true, TextEncoding::Hex) => {
                        f.write_str(" (the text was read as hex; --alipay reads it as base64)")
                    }
                    (true, _) => {
                        f.write_str(" (the text was read as base64; --hex reads it as hex)")
                    }
                    (false, _) => Ok(()),
                }
            }
        }
    }
}

impl std::error::Error for DecodeFailure {}

impl From<DecodeFailure> for CliError {
    fn from(failure: DecodeFailure) -> Self {
        match failure {
            DecodeFailure::Text(_) => CliError::usage(failure.to_string()),
            DecodeFailure::Frame { .. } => CliError::failed(failure.to_string()),
        }
    }
}

/// Decodes a frame text into its JSON view (the whole of `msync decode` but reading and
/// printing). Never panics, whatever the text.
pub fn decode_text(text: &str, options: DecodeOptions) -> Result<FrameView, DecodeFailure> {
    let FrameBytes { bytes, read_as } =
        frame_bytes(text, options.encoding).map_err(DecodeFailure::Text)?;
    frame_view(&bytes, options.direction).map_err(|error| DecodeFailure::Frame {
        error,
        read_as,
        detected: options.encoding == TextEncoding::Auto,
    })
}

/// Runs `msync decode`.
pub fn run(args: &DecodeArgs, output: &Output) -> Result<(), CliError> {
    let text = frame_text(&args.frame)?;
    let view = decode_text(&text, args.options())?;
    output.json_text(&view.json);
    match view.payload_error {
        Some(error) => Err(CliError::failed(format!(
            "the envelope decoded but its payload did not: {error}"
        ))),
        None => Ok(()),
    }
}

/// The frame text: the arguments joined by spaces, or stdin for `-`.
fn frame_text(arguments: &[String]) -> Result<String, CliError> {
    match arguments {
        [only] if only == "-" => read_stdin(),
        _ if arguments.iter().any(|a| a == "-") => Err(CliError::usage(
            "`-` (read stdin) must be the only FRAME argument",
        )),
        _ => Ok(arguments.join(" ")),
    }
}

fn read_stdin() -> Result<String, CliError> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .take(MAX_STDIN + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| CliError::usage(format!("cannot read stdin: {e}")))?;
    if u64::try_from(bytes.len()).is_ok_and(|len| len > MAX_STDIN) {
        return Err(CliError::usage(format!(
            "stdin holds more than {MAX_STDIN} bytes: that is not one frame"
        )));
    }
    String::from_utf8(bytes).map_err(|e| {
        CliError::usage(format!(
            "stdin is not text (invalid UTF-8 at byte {}): give the frame as hex or base64, \
             e.g. `xxd -p frame.bin | msync decode -`",
            e.utf8_error().valid_up_to()
        ))
    })
}
