//! Frame text to bytes: hex (whitespace allowed) or standard base64 (padding optional), as typed,
//! pasted from a log, or piped in.

use std::fmt;

use base64::Engine as _;
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

/// How the frame text is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TextEncoding {
    /// Hex when every character other than whitespace is a hex digit, base64 otherwise.
    Auto,
    /// Hex digits, two per byte, upper or lower case.
    Hex,
    /// Standard base64 (RFC 4648 alphabet, `=` padding optional): an Alipay text frame.
    Base64,
}

impl TextEncoding {
    /// `auto`, `hex` or `base64`.
    pub fn id(self) -> &'static str {
        match self {
            TextEncoding::Auto => "auto",
            TextEncoding::Hex => "hex",
            TextEncoding::Base64 => "base64",
        }
    }
}

/// Why frame text does not give bytes. Offsets count characters from 0 in the text as given
/// (whitespace included).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TextError {
    /// Nothing but whitespace.
    Empty,
    /// A character the encoding does not use.
    InvalidCharacter {
        /// The character.
        character: char,
        /// Its offset.
        offset: usize,
        /// The encoding being read.
        encoding: TextEncoding,
    },
    /// Hex digits come in pairs.
    OddHexDigits {
        /// How many digits there are.
        digits: usize,
    },
    /// A number of base64 symbols that no byte string encodes (one symbol too many or too few).
    Base64Length {
        /// How many symbols there are, padding excluded.
        symbols: usize,
    },
    /// `=` before the end, or more padding than the length allows.
    Base64Padding {
        /// The offset of the misplaced `=`, when one is to blame.
        offset: Option<usize>,
    },
    /// The last symbol has bits set beyond the last byte (usually a truncated or edited text).
    Base64LastSymbol {
        /// The symbol.
        character: char,
        /// Its offset.
        offset: usize,
    },
}

impl fmt::Display for TextError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TextError::Empty => f.write_str("the frame is empty"),
            TextError::InvalidCharacter {
                character,
                offset,
                encoding,
            } => write!(
                f,
                "invalid {} character {character:?} at offset {offset}",
                encoding.id()
            ),
            TextError::OddHexDigits { digits } => write!(
                f,
                "odd number of hex digits ({digits}): a digit is missing or extra \
                 (base64 made of hex digits only? use --alipay)"
            ),
            TextError::Base64Length { symbols } => write!(
                f,
                "{symbols} base64 symbols cannot encode whole bytes: a symbol is missing or extra"
            ),
            TextError::Base64Padding {
                offset: Some(offset),
            } => {
                write!(f, "misplaced base64 padding '=' at offset {offset}")
            }
            TextError::Base64Padding { offset: None } => f.write_str("wrong base64 padding"),
            TextError::Base64LastSymbol { character, offset } => write!(
                f,
                "base64 symbol {character:?} at offset {offset} ends the text with stray bits \
                 (truncated text?)"
            ),
        }
    }
}

impl std::error::Error for TextError {}

/// The bytes of a frame text and the encoding they were read in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FrameBytes {
    /// The decoded bytes.
    pub bytes: Vec<u8>,
    /// [`TextEncoding::Hex`] or [`TextEncoding::Base64`] (never `Auto`).
    pub read_as: TextEncoding,
}

/// Decodes frame text written in `encoding`; whitespace anywhere is ignored.
pub fn frame_bytes(text: &str, encoding: TextEncoding) -> Result<FrameBytes, TextError> {
    // Each significant character with its offset in the original text.
    let symbols: Vec<(usize, char)> = text
        .chars()
        .enumerate()
        .filter(|(_, c)| !c.is_whitespace())
        .collect();
    if symbols.is_empty() {
        return Err(TextError::Empty);
    }
    let read_as = match encoding {
        TextEncoding::Auto if symbols.iter().all(|(_, c)| c.is_ascii_hexdigit()) => {
            TextEncoding::Hex
        }
        TextEncoding::Auto => TextEncoding::Base64,
        chosen => chosen,
    };
    let bytes = if read_as == TextEncoding::Hex {
        hex_bytes(&symbols)?
    } else {
        base64_bytes(&symbols)?
    };
    Ok(FrameBytes { bytes, read_as })
}

fn hex_bytes(symbols: &[(usize, char)]) -> Result<Vec<u8>, TextError> {
    let digit = |&(offset, character): &(usize, char)| {
        character
            .to_digit(16)
            .and_then(|d| u8::try_from(d).ok())
            .ok_or(TextError::InvalidCharacter {
                character,
                offset,
                encoding: TextEncoding::Hex,
            })
    };
    let digits = symbols.iter().map(digit).collect::<Result<Vec<u8>, _>>()?;
    if digits.len() % 2 != 0 {
        return Err(TextError::OddHexDigits {
            digits: digits.len(),
        });
    }
    Ok(digits
        .chunks_exact(2)
        .map(|pair| pair.iter().fold(0u8, |byte, d| (byte << 4) | d))
        .collect())
}

/// Standard alphabet, padding optional, canonical last symbol required.
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

fn base64_bytes(symbols: &[(usize, char)]) -> Result<Vec<u8>, TextError> {
    if let Some(&(offset, character)) = symbols
        .iter()
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=')))
    {
        return Err(TextError::InvalidCharacter {
            character,
            offset,
            encoding: TextEncoding::Base64,
        });
    }
    // Only ASCII is left, one byte per symbol, so indices into `compact` index `symbols` too.
    let compact: String = symbols.iter().map(|&(_, c)| c).collect();
    let offset_of = |index: usize| symbols.get(index).map_or(0, |&(offset, _)| offset);
    BASE64.decode(&compact).map_err(|error| match error {
        base64::DecodeError::InvalidByte(index, b'=') => TextError::Base64Padding {
            offset: Some(offset_of(index)),
        },
        base64::DecodeError::InvalidByte(index, byte) => TextError::InvalidCharacter {
            character: char::from(byte),
            offset: offset_of(index),
            encoding: TextEncoding::Base64,
        },
        base64::DecodeError::InvalidLength(_) => TextError::Base64Length {
            symbols: compact.trim_end_matches('=').len(),
        },
        base64::DecodeError::InvalidLastSymbol(index, byte) => TextError::Base64LastSymbol {
            character: char::from(byte),
            offset: offset_of(index),
        },
        base64::DecodeError::InvalidPadding => TextError::Base64Padding { offset: None },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes(text: &str, encoding: TextEncoding) -> Result<Vec<u8>, TextError> {
        frame_bytes(text, encoding).map(|f| f.bytes)
    }

    #[test]
    fn hex_with_whitespace_and_case() {
        let read = frame_bytes(" 40 01\n58 0a\tFf ", TextEncoding::Auto).unwrap();
        assert_eq!(read.bytes, [0x40, 0x01, 0x58, 0x0a, 0xff]);
        assert_eq!(read.read_as, TextEncoding::Hex);
    }

    #[test]
    fn base64_padded_unpadded_and_auto() {
        let padded = bytes("QAFYAKABgaCAgKCr/vli", TextEncoding::Auto).unwrap();
        assert_eq!(
            padded,
            bytes("QAFY AKAB gaCA gKCr /vli", TextEncoding::Base64).unwrap()
        );
        assert_eq!(bytes("Zg==", TextEncoding::Auto).unwrap(), b"f");
        assert_eq!(bytes("Zg", TextEncoding::Auto).unwrap(), b"f");
        // Only hex digits: hex unless base64 is asked for.
        assert_eq!(bytes("1234", TextEncoding::Auto).unwrap(), [0x12, 0x34]);
        assert_eq!(
            bytes("1234", TextEncoding::Base64).unwrap(),
            [0xd7, 0x6d, 0xf8]
        );
    }

    #[test]
    fn errors_name_the_offset_in_the_original_text() {
        assert_eq!(bytes(" \n\t", TextEncoding::Auto), Err(TextError::Empty));
        assert_eq!(
            bytes("40 0g", TextEncoding::Hex),
            Err(TextError::InvalidCharacter {
                character: 'g',
                offset: 4,
                encoding: TextEncoding::Hex
            })
        );
        assert_eq!(
            bytes("400", TextEncoding::Auto),
            Err(TextError::OddHexDigits { digits: 3 })
        );
        assert_eq!(
            bytes("QA FY!", TextEncoding::Auto),
            Err(TextError::InvalidCharacter {
                character: '!',
                offset: 5,
                encoding: TextEncoding::Base64
            })
        );
        assert_eq!(
            bytes("QAF YA", TextEncoding::Base64),
            Err(TextError::Base64Length { symbols: 5 })
        );
        assert_eq!(
            bytes("Zg=A", TextEncoding::Base64),
            Err(TextError::Base64Padding { offset: Some(2) })
        );
        assert_eq!(
            bytes("Zh==", TextEncoding::Base64),
            Err(TextError::Base64LastSymbol {
                character: 'h',
                offset: 1
            })
        );
        assert!(matches!(
            bytes("é0", TextEncoding::Auto),
            Err(TextError::InvalidCharacter {
                character: 'é',
                offset: 0,
                ..
            })
        ));
    }
}
