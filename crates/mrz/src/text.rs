//! MRZ text: format detection, line handling, alphabet validation, and the
//! zeroizing storage every typed MRZ keeps its characters in.

use serde::{Deserialize, Serialize};
use zeroize::Zeroize;

use crate::MrzError;
use crate::check_digit::is_mrz_char;

/// The three MRZ layouts of machine readable travel documents.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum MrzFormat {
    /// ID-1 size card, 3 lines of 30 (Doc 9303-5).
    Td1,
    /// ID-2 size card, 2 lines of 36 (Doc 9303-6).
    Td2,
    /// Passport book, 2 lines of 44 (Doc 9303-4).
    Td3,
}

impl MrzFormat {
    /// Characters per line.
    #[must_use]
    pub const fn line_len(self) -> usize {
        match self {
            Self::Td1 => 30,
            Self::Td2 => 36,
            Self::Td3 => 44,
        }
    }

    /// Number of lines.
    #[must_use]
    pub const fn line_count(self) -> usize {
        match self {
            Self::Td1 => 3,
            Self::Td2 | Self::Td3 => 2,
        }
    }

    /// Characters in all lines together (the length DG1 stores).
    #[must_use]
    pub const fn total_len(self) -> usize {
        self.line_len() * self.line_count()
    }

    /// The format whose concatenated length is `len`.
    #[must_use]
    pub const fn from_len(len: usize) -> Option<Self> {
        match len {
            90 => Some(Self::Td1),
            72 => Some(Self::Td2),
            88 => Some(Self::Td3),
            _ => None,
        }
    }
}

/// Validated MRZ characters, wiped when dropped: the MRZ is the secret
/// from which BAC keys are derived (Doc 9303-11 §4.3).
#[derive(Clone, PartialEq, Eq, Hash)]
pub(crate) struct MrzText(String);

impl MrzText {
    /// Wraps text already checked to be `len` MRZ characters.
    pub(crate) fn new_unchecked(text: String) -> Self {
        Self(text)
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl Drop for MrzText {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

/// Turns user text (one concatenated string, or lines separated by `\n` or
/// `\r\n`, with surrounding whitespace) into the concatenated MRZ and its
/// format, checking lengths and the alphabet.
pub(crate) fn normalize(input: &str) -> Result<(MrzFormat, String), MrzError> {
    let trimmed = input.trim();
    let text: String = if trimmed.contains('\n') {
        let lines: Vec<&str> = trimmed.split('\n').map(str::trim).collect();
        let format = match lines.as_slice() {
            [_, _, _] => MrzFormat::Td1,
            [first, second] => {
                let pick = |l: &str| match l.chars().count() {
                    36 => Some(MrzFormat::Td2),
                    44 => Some(MrzFormat::Td3),
                    _ => None,
                };
                pick(first)
                    .or_else(|| pick(second))
                    .unwrap_or(MrzFormat::Td3)
            }
            _ => return Err(MrzError::LineCount { lines: lines.len() }),
        };
        for (i, line) in lines.iter().enumerate() {
            let len = line.chars().count();
            if len != format.line_len() {
                return Err(MrzError::LineLength {
                    line: i + 1,
                    len,
                    lines: lines.len(),
                    expected: format.line_len(),
                });
            }
        }
        lines.concat()
    } else {
        trimmed.to_owned()
    };
    let len = text.chars().count();
    let format = MrzFormat::from_len(len).ok_or(MrzError::UnknownFormat { len })?;
    check_alphabet(text.chars(), format)?;
    Ok((format, text))
}

/// Checks raw bytes (DG1 stores the concatenated lines, Doc 9303-10
/// §4.7.1) and returns them as text.
pub(crate) fn from_bytes(bytes: &[u8]) -> Result<(MrzFormat, String), MrzError> {
    let format =
        MrzFormat::from_len(bytes.len()).ok_or(MrzError::UnknownFormat { len: bytes.len() })?;
    // Bytes outside ASCII are shown as their Latin-1 character.
    check_alphabet(bytes.iter().map(|b| char::from(*b)), format)?;
    Ok((format, bytes.iter().map(|b| char::from(*b)).collect()))
}

fn check_alphabet(chars: impl Iterator<Item = char>, format: MrzFormat) -> Result<(), MrzError> {
    for (i, ch) in chars.enumerate() {
        let ok = u8::try_from(ch).is_ok_and(is_mrz_char);
        if !ok {
            return Err(MrzError::IllegalCharacter {
                ch,
                line: i / format.line_len() + 1,
                column: i % format.line_len() + 1,
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const TD3: &str = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";

    #[test]
    fn accepts_lines_and_concatenation() {
        let (f, t) = normalize(TD3).unwrap();
        assert_eq!(f, MrzFormat::Td3);
        assert_eq!(t.len(), 88);
        let crlf = format!("  {}\r\n", TD3.replace('\n', "\r\n"));
        assert_eq!(normalize(&crlf).unwrap().1, t);
        assert_eq!(normalize(&t).unwrap().1, t);
    }

    #[test]
    fn structural_errors_have_positions() {
        assert_eq!(normalize("P<UTO"), Err(MrzError::UnknownFormat { len: 5 }));
        let bad = TD3.replacen('M', "m", 1);
        assert_eq!(
            normalize(&bad),
            Err(MrzError::IllegalCharacter {
                ch: 'm',
                line: 1,
                column: 21
            })
        );
        let short_line = TD3.replacen("<10", "10", 1);
        assert_eq!(
            normalize(&short_line),
            Err(MrzError::LineLength {
                line: 2,
                len: 43,
                lines: 2,
                expected: 44
            })
        );
        assert_eq!(
            normalize("A\nB\nC\nD"),
            Err(MrzError::LineCount { lines: 4 })
        );
        let mut bytes = TD3.replace('\n', "").into_bytes();
        bytes[50] = 0xC4;
        assert_eq!(
            from_bytes(&bytes),
            Err(MrzError::IllegalCharacter {
                ch: 'Ä',
                line: 2,
                column: 7
            })
        );
    }
}
