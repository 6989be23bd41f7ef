//! Field values shared by every format: sex, names, and the plain-value
//! form of an MRZ ([`MrzFields`]) that encoders take and parsers give back.

use core::fmt;

use serde::{Deserialize, Serialize};

use crate::{MrzDate, MrzError, MrzField};

/// Sex of the holder (Doc 9303-4 §4.2.2: `F`, `M`, or `<` unspecified).
/// `X` is accepted too: several states print it for an unspecified or
/// non-binary sex.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    /// `F`.
    Female,
    /// `M`.
    Male,
    /// `X`.
    X,
    /// `<`.
    Unspecified,
}

impl Sex {
    /// The MRZ character.
    #[must_use]
    pub const fn to_char(self) -> char {
        match self {
            Self::Female => 'F',
            Self::Male => 'M',
            Self::X => 'X',
            Self::Unspecified => '<',
        }
    }

    /// The sex an MRZ character stands for.
    #[must_use]
    pub const fn from_char(c: char) -> Option<Self> {
        match c {
            'F' => Some(Self::Female),
            'M' => Some(Self::Male),
            'X' => Some(Self::X),
            '<' => Some(Self::Unspecified),
            _ => None,
        }
    }
}

/// The fields of an MRZ as plain values: what an encoder
/// ([`Td3::encode`](crate::Td3::encode) and the others) takes, and what
/// [`Mrz::fields`](crate::Mrz::fields) gives back. Check digits are not
/// here: an encoder computes them.
///
/// Values are the *readable* forms: trailing fillers removed, names with
/// spaces instead of fillers. The encoders accept exactly the values that
/// parse back unchanged: codes and numbers of `A-Z 0-9`, names of `A-Z`
/// words separated by single spaces, optional data of `A-Z 0-9 <` not
/// ending in a filler.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MrzFields {
    /// Document code, 1-2 characters (`P`, `ID`, `AC`, …).
    pub document_code: String,
    /// Issuing state or organisation, 1-3 letters (`D`, `NLD`, `UTO`).
    pub issuing_state: String,
    /// Primary identifier (surname), may be empty.
    pub primary_identifier: String,
    /// Secondary identifier (given names), may be empty.
    pub secondary_identifier: String,
    /// Document number. TD1 and TD2 take more than nine characters through
    /// the long-number rule (Doc 9303-5 §4.2.4, Doc 9303-6 §4.2.4).
    pub document_number: String,
    /// Nationality, 1-3 letters.
    pub nationality: String,
    /// Date of birth.
    pub date_of_birth: MrzDate,
    /// Sex.
    pub sex: Sex,
    /// Date of expiry.
    pub date_of_expiry: MrzDate,
    /// TD3 personal number, TD2 optional data, TD1 optional data of the
    /// upper line (after any document-number overflow).
    pub optional_data: String,
    /// TD1 optional data of the middle line; must be empty for TD2/TD3.
    pub optional_data_2: String,
}

/// Personal data: only the codes are shown.
impl fmt::Debug for MrzFields {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MrzFields")
            .field("document_code", &self.document_code)
            .field("issuing_state", &self.issuing_state)
            .finish_non_exhaustive()
    }
}

/// Splits a name field into primary and secondary identifier (Doc 9303-3
/// §4.6.1: the first `<<` separates them, single fillers separate the
/// words of each, trailing fillers pad).
pub(crate) fn parse_name(field: &[u8]) -> (String, String) {
    let readable = |part: &[u8]| -> String {
        let trimmed = trim_fillers(part);
        trimmed
            .iter()
            .map(|b| if *b == b'<' { ' ' } else { *b as char })
            .collect()
    };
    match field.windows(2).position(|w| w == b"<<") {
        Some(p) => (
            readable(field.get(..p).unwrap_or_default()),
            readable(field.get(p + 2..).unwrap_or_default()),
        ),
        None => (readable(field), String::new()),
    }
}

/// `part` without leading and trailing fillers.
pub(crate) fn trim_fillers(part: &[u8]) -> &[u8] {
    let start = part.iter().position(|b| *b != b'<').unwrap_or(part.len());
    let end = part
        .iter()
        .rposition(|b| *b != b'<')
        .map_or(start, |i| i + 1);
    part.get(start..end).unwrap_or_default()
}

/// `part` without trailing fillers.
pub(crate) fn trim_trailing_fillers(part: &[u8]) -> &[u8] {
    let end = part.iter().rposition(|b| *b != b'<').map_or(0, |i| i + 1);
    part.get(..end).unwrap_or_default()
}

/// Bytes as `&str`; MRZ text is validated ASCII.
pub(crate) fn ascii(bytes: &[u8]) -> &str {
    core::str::from_utf8(bytes).unwrap_or_default()
}

fn check_name_part(part: &str) -> Result<(), MrzError> {
    let bytes = part.as_bytes();
    let words_ok = bytes.iter().all(|b| b.is_ascii_uppercase() || *b == b' ')
        && !part.starts_with(' ')
        && !part.ends_with(' ')
        && !part.contains("  ");
    if words_ok {
        Ok(())
    } else {
        Err(MrzError::InvalidValue {
            field: MrzField::Name,
            reason: "identifiers must be words of A-Z separated by single spaces \
                     (transliterate per Doc 9303-3 §6 first)",
        })
    }
}

/// The name field of `width` characters.
pub(crate) fn encode_name(
    primary: &str,
    secondary: &str,
    width: usize,
) -> Result<Vec<u8>, MrzError> {
    check_name_part(primary)?;
    check_name_part(secondary)?;
    let mut out = Vec::with_capacity(width);
    out.extend(primary.bytes().map(|b| if b == b' ' { b'<' } else { b }));
    if !secondary.is_empty() {
        out.extend_from_slice(b"<<");
        out.extend(secondary.bytes().map(|b| if b == b' ' { b'<' } else { b }));
    }
    if out.len() > width {
        return Err(MrzError::TooLong {
            field: MrzField::Name,
            len: out.len(),
            max: width,
        });
    }
    out.resize(width, b'<');
    Ok(out)
}

/// A code of `1..=max` characters drawn from `allowed`, padded with fillers.
pub(crate) fn encode_code(
    value: &str,
    max: usize,
    field: MrzField,
    allowed: fn(u8) -> bool,
    reason: &'static str,
) -> Result<Vec<u8>, MrzError> {
    let bytes = value.as_bytes();
    if bytes.is_empty() || !bytes.iter().all(|b| allowed(*b)) {
        return Err(MrzError::InvalidValue { field, reason });
    }
    if bytes.len() > max {
        return Err(MrzError::TooLong {
            field,
            len: bytes.len(),
            max,
        });
    }
    let mut out = bytes.to_vec();
    out.resize(max, b'<');
    Ok(out)
}

/// Optional data: `A-Z 0-9 <`, not ending in a filler (a trailing filler
/// could not be told from padding).
pub(crate) fn check_optional(value: &str, field: MrzField) -> Result<(), MrzError> {
    let bytes = value.as_bytes();
    if !bytes.iter().all(|b| crate::check_digit::is_mrz_char(*b)) {
        return Err(MrzError::InvalidValue {
            field,
            reason: "only A-Z, 0-9 and < are allowed",
        });
    }
    if bytes.last() == Some(&b'<') {
        return Err(MrzError::InvalidValue {
            field,
            reason: "must not end with a filler (indistinguishable from padding)",
        });
    }
    Ok(())
}

pub(crate) fn is_letter(b: u8) -> bool {
    b.is_ascii_uppercase()
}

pub(crate) fn is_alnum(b: u8) -> bool {
    b.is_ascii_uppercase() || b.is_ascii_digit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_split_on_double_filler() {
        assert_eq!(
            parse_name(b"ERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"),
            ("ERIKSSON".into(), "ANNA MARIA".into())
        );
        assert_eq!(
            parse_name(b"VAN<DER<STEEN<<MARIANNE<LOUISE"),
            ("VAN DER STEEN".into(), "MARIANNE LOUISE".into())
        );
        assert_eq!(parse_name(b"SMITH<<<<<<"), ("SMITH".into(), String::new()));
        assert_eq!(parse_name(b"<<<<<<"), (String::new(), String::new()));
        assert_eq!(parse_name(b"ABCDEF"), ("ABCDEF".into(), String::new()));
        assert_eq!(parse_name(b"<<JOHN<<<"), (String::new(), "JOHN".into()));
    }

    #[test]
    fn names_encode() {
        assert_eq!(
            encode_name("VAN DER STEEN", "MARIANNE LOUISE", 30).unwrap(),
            b"VAN<DER<STEEN<<MARIANNE<LOUISE"
        );
        assert_eq!(encode_name("SMITH", "", 8).unwrap(), b"SMITH<<<");
        assert!(matches!(
            encode_name("SMITH", "JOHN", 10),
            Err(MrzError::TooLong { .. })
        ));
        assert!(encode_name("O'BRIEN", "", 30).is_err());
        assert!(encode_name("ANNE  MARIE", "", 30).is_err());
        assert!(encode_name("smith", "", 30).is_err());
    }
}
