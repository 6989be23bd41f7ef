//! Leniency that is reported, never silent.
//!
//! Real chips carry defects that Doc 9303 does not allow but that do not
//! stop a reader from understanding the file: padding or a status word
//! after EF.CardAccess, BCD-encoded dates in DG11/DG12, a DG2 record length
//! a few bytes off, names with spaces where fillers belong. Every parser
//! with a `parse_with` takes [`ParseOptions`]:
//!
//! - lenient (the default): the defect is repaired or skipped and reported
//!   as an [`LdsWarning`] naming the file, the byte offset and the
//!   [`Defect`], returned beside the value in [`Parsed`];
//! - strict: the first such defect is an error, [`LdsError::Defect`].
//!
//! Lenient acceptance is not validity: passive authentication hashes the
//! file bytes as read, whatever a parser repaired.

use core::fmt;

use serde::Serialize;

use crate::sod::SodDefect;
use crate::{EfId, LdsError};

/// How a parser treats the defects real chips are known to carry.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct ParseOptions {
    /// Turn every [`Defect`] into an error instead of a warning.
    pub strict: bool,
}

impl ParseOptions {
    /// Defects are errors.
    pub const STRICT: ParseOptions = ParseOptions { strict: true };
    /// Defects are repaired or skipped and reported as warnings.
    pub const LENIENT: ParseOptions = ParseOptions { strict: false };
}

/// A parsed value with the defects found on the way.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parsed<T> {
    /// The value.
    pub value: T,
    /// What was wrong with the file and was tolerated, in file order.
    pub warnings: Vec<LdsWarning>,
}

impl<T> Parsed<T> {
    /// Whether the file had no defect at all.
    #[must_use]
    pub fn is_clean(&self) -> bool {
        self.warnings.is_empty()
    }

    /// The value with the same warnings.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Parsed<U> {
        Parsed {
            value: f(self.value),
            warnings: self.warnings,
        }
    }
}

/// A defect found and tolerated: which file, where, what.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LdsWarning {
    /// The file.
    pub ef: EfId,
    /// Byte offset from the start of the file.
    pub offset: usize,
    /// What is wrong.
    pub defect: Defect,
}

impl fmt::Display for LdsWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at offset {}: {}", self.ef, self.offset, self.defect)
    }
}

/// What follows the end of a file's data object.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TrailingData {
    /// Only `00` bytes: the file was allocated larger than its content.
    ZeroPadding,
    /// Exactly two bytes that read as an ISO/IEC 7816-4 status word (e.g.
    /// `6282`, "end of file reached"), appended by a reader that saved the
    /// response APDU with its trailer.
    StatusWord {
        /// The status word.
        sw: u16,
    },
    /// Anything else (some chips return stale buffer contents).
    Garbage,
}

impl TrailingData {
    /// Classifies the bytes after a data object.
    #[must_use]
    pub fn classify(bytes: &[u8]) -> Self {
        match bytes {
            [a @ (0x61..=0x6F | 0x90..=0x9F), b] => Self::StatusWord {
                sw: u16::from_be_bytes([*a, *b]),
            },
            _ if bytes.iter().all(|b| *b == 0) => Self::ZeroPadding,
            _ => Self::Garbage,
        }
    }
}

impl fmt::Display for TrailingData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ZeroPadding => f.write_str("zero padding"),
            Self::StatusWord { sw } => write!(f, "status word {sw:04X}"),
            Self::Garbage => f.write_str("garbage"),
        }
    }
}

/// A defect of a file that a lenient parser tolerates.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Defect {
    /// Bytes after the data object that makes up the file.
    #[error("{count} bytes after the end of the data object ({what})")]
    TrailingBytes {
        /// How many.
        count: usize,
        /// What they look like.
        what: TrailingData,
    },
    /// A date stored as packed BCD where Doc 9303-10 asks for ASCII digits.
    #[error("{field} is packed BCD ({len} bytes) instead of ASCII digits")]
    BcdDate {
        /// The field.
        field: &'static str,
        /// Its length in bytes.
        len: usize,
    },
    /// A length field that disagrees with the bytes present.
    #[error("{field} says {stated} bytes, {actual} are there")]
    LengthMismatch {
        /// The field.
        field: &'static str,
        /// The length the field states.
        stated: u64,
        /// The length found.
        actual: u64,
    },
    /// Bytes after the last item a structure announces, ignored.
    #[error("{count} bytes after the end of the {structure} ignored")]
    UnusedBytes {
        /// The structure.
        structure: &'static str,
        /// How many bytes.
        count: usize,
    },
    /// A count field that disagrees with the number of items present.
    #[error("{field} says {stated}, {found} are present")]
    CountMismatch {
        /// The field.
        field: &'static str,
        /// The count the field states.
        stated: usize,
        /// The number found.
        found: usize,
    },
    /// An MRZ check digit that does not match its field.
    #[error("{field} check digit is {found:?} but computes to {computed:?}")]
    CheckDigit {
        /// The field it protects.
        field: &'static str,
        /// The digit in the MRZ.
        found: char,
        /// The digit the field computes to.
        computed: char,
    },
    /// MRZ characters outside the alphabet repaired: a space or a lower
    /// case letter where Doc 9303-3 §4.3 allows only `A-Z 0-9 <`.
    #[error("MRZ character {found:?} replaced by {replacement:?}")]
    MrzCharacter {
        /// The character found.
        found: char,
        /// What it was read as.
        replacement: char,
    },
    /// A name field whose fillers do not follow Doc 9303-3 §4.6.1 (a run
    /// of three or more fillers inside the name, i.e. padding followed by
    /// more name).
    #[error("name field has a run of {run} fillers followed by more name")]
    NameFiller {
        /// Length of the run.
        run: usize,
    },
    /// A tag list (`5C`) that does not match the data objects present.
    #[error("tag list {detail}")]
    TagList {
        /// What disagrees.
        detail: String,
    },
    /// A data object this parser does not know, skipped (or kept raw).
    #[error("unexpected data object {tag:X}")]
    UnexpectedObject {
        /// Its tag.
        tag: u32,
    },
    /// Text that is not UTF-8, read as ISO/IEC 8859-1.
    #[error("{field} is not UTF-8; read as ISO/IEC 8859-1")]
    NotUtf8 {
        /// The field.
        field: &'static str,
    },
    /// A SecurityInfo whose protocol is known but whose content does not
    /// match its definition; kept as an unknown one.
    #[error("SecurityInfo {protocol} does not match its definition ({reason}); kept undecoded")]
    MalformedSecurityInfo {
        /// The protocol OID, dotted.
        protocol: String,
        /// What the decoder said.
        reason: String,
    },
    /// A structural rule of EF.SOD broken (Doc 9303-10 §4.6.2).
    #[error("{0}")]
    Sod(#[serde(serialize_with = "display")] SodDefect),
    /// A field value outside what its definition allows, kept as read.
    #[error("{field}: {reason}")]
    FieldValue {
        /// The field.
        field: &'static str,
        /// What is wrong.
        reason: String,
    },
}

fn display<S: serde::Serializer>(v: &SodDefect, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(v)
}

/// Collects the warnings of one parse, or fails on the first one in strict
/// mode.
pub(crate) struct Diag {
    ef: EfId,
    strict: bool,
    warnings: Vec<LdsWarning>,
}

impl Diag {
    pub(crate) fn new(ef: EfId, options: ParseOptions) -> Self {
        Self {
            ef,
            strict: options.strict,
            warnings: Vec::new(),
        }
    }

    pub(crate) fn strict(&self) -> bool {
        self.strict
    }

    pub(crate) fn ef(&self) -> EfId {
        self.ef
    }

    /// Reports a defect at `offset`: an error in strict mode, a warning
    /// otherwise.
    pub(crate) fn warn(&mut self, offset: usize, defect: Defect) -> Result<(), LdsError> {
        let warning = LdsWarning {
            ef: self.ef,
            offset,
            defect,
        };
        if self.strict {
            return Err(LdsError::Defect(Box::new(warning)));
        }
        // A hostile file cannot make the list grow past one entry per
        // byte, but keep it bounded anyway: past this many, the rest add
        // nothing a reader can act on.
        if self.warnings.len() < MAX_WARNINGS {
            self.warnings.push(warning);
        }
        Ok(())
    }

    pub(crate) fn finish<T>(self, value: T) -> Parsed<T> {
        Parsed {
            value,
            warnings: self.warnings,
        }
    }
}

/// Most warnings kept for one file.
const MAX_WARNINGS: usize = 256;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailing_data_is_classified() {
        assert_eq!(
            TrailingData::classify(&[0, 0, 0]),
            TrailingData::ZeroPadding
        );
        assert_eq!(
            TrailingData::classify(&[0x62, 0x82]),
            TrailingData::StatusWord { sw: 0x6282 }
        );
        assert_eq!(
            TrailingData::classify(&[0x04, 0x49, 0]),
            TrailingData::Garbage
        );
        assert_eq!(TrailingData::classify(&[0x00, 0x82]), TrailingData::Garbage);
    }

    #[test]
    fn strict_turns_warnings_into_errors() {
        let mut lenient = Diag::new(EfId::CardAccess, ParseOptions::LENIENT);
        let defect = Defect::TrailingBytes {
            count: 2,
            what: TrailingData::StatusWord { sw: 0x6282 },
        };
        lenient.warn(93, defect.clone()).unwrap();
        let parsed = lenient.finish(());
        assert_eq!(parsed.warnings.len(), 1);
        assert_eq!(
            parsed.warnings[0].to_string(),
            "EF.CardAccess at offset 93: 2 bytes after the end of the data object (status word 6282)"
        );
        let mut strict = Diag::new(EfId::CardAccess, ParseOptions::STRICT);
        let err = strict.warn(93, defect).unwrap_err();
        assert!(matches!(&err, LdsError::Defect(w) if w.offset == 93));
        assert_eq!(err.ef(), EfId::CardAccess);
    }
}
