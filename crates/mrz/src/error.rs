//! What can be wrong with MRZ text, and where.
//!
//! A wrong check digit is *not* an error of parsing: it is reported as a
//! [`CheckDigitVerdict`](crate::CheckDigitVerdict) so that a reader can still
//! show a document whose MRZ was misprinted (the Doc 9303-10 A.2.1 TD1
//! specimen is one). Errors are kept for text that is not an MRZ at all:
//! wrong length, characters outside the MRZ alphabet, a field that cannot
//! hold what it holds.
//!
//! Error messages never contain the MRZ itself, only positions and the one
//! offending character: the MRZ is personal data and the key to BAC.

use core::fmt;

use serde::{Deserialize, Serialize};

/// The fields of a machine readable zone (Doc 9303-4/-5/-6 §4.2.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MrzField {
    /// Document code (`P`, `I`, `AC`, …).
    DocumentCode,
    /// Issuing state or organisation.
    IssuingState,
    /// Name of holder (primary and secondary identifiers).
    Name,
    /// Document number.
    DocumentNumber,
    /// Nationality.
    Nationality,
    /// Date of birth.
    DateOfBirth,
    /// Sex.
    Sex,
    /// Date of expiry.
    DateOfExpiry,
    /// Personal number (TD3) / optional data (TD2) / optional data of the
    /// upper line (TD1).
    OptionalData,
    /// Optional data of the middle line (TD1 only).
    OptionalData2,
    /// The composite check digit.
    Composite,
}

impl MrzField {
    /// A short English name for messages.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::DocumentCode => "document code",
            Self::IssuingState => "issuing state",
            Self::Name => "name",
            Self::DocumentNumber => "document number",
            Self::Nationality => "nationality",
            Self::DateOfBirth => "date of birth",
            Self::Sex => "sex",
            Self::DateOfExpiry => "date of expiry",
            Self::OptionalData => "optional data",
            Self::OptionalData2 => "optional data (line 2)",
            Self::Composite => "composite",
        }
    }
}

impl fmt::Display for MrzField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What is wrong with an MRZ or with a value meant for one.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MrzError {
    /// A character outside the MRZ alphabet `0-9 A-Z <` (Doc 9303-3 §4.3)
    /// in a string handed to a check-digit or field function.
    #[error("character {ch:?} at index {index} is not in the MRZ alphabet 0-9 A-Z <")]
    InvalidCharacter {
        /// The character.
        ch: char,
        /// Its index (in characters) in the string.
        index: usize,
    },
    /// A character outside the MRZ alphabet inside MRZ text.
    #[error(
        "character {ch:?} at line {line}, column {column} is not in the MRZ alphabet 0-9 A-Z <"
    )]
    IllegalCharacter {
        /// The character.
        ch: char,
        /// Line, from 1.
        line: usize,
        /// Column, from 1.
        column: usize,
    },
    /// Text whose length matches no MRZ format.
    #[error(
        "MRZ of {len} characters matches no format (TD1 3x30 = 90, TD2 2x36 = 72, TD3 2x44 = 88)"
    )]
    UnknownFormat {
        /// Number of MRZ characters found (line breaks not counted).
        len: usize,
    },
    /// Text of one format where another was asked for.
    #[error("expected a {expected:?} MRZ, found {found:?}")]
    WrongFormat {
        /// The format asked for.
        expected: crate::MrzFormat,
        /// The format of the text.
        found: crate::MrzFormat,
    },
    /// Lines of unequal or wrong length, or a wrong number of lines.
    #[error("MRZ line {line} has {len} characters; the {lines}-line format needs {expected}")]
    LineLength {
        /// Line, from 1.
        line: usize,
        /// Its length.
        len: usize,
        /// Number of lines given.
        lines: usize,
        /// Length the format needs.
        expected: usize,
    },
    /// A number of lines that no format has.
    #[error("MRZ text has {lines} lines; formats have 2 (TD2, TD3) or 3 (TD1)")]
    LineCount {
        /// Number of lines.
        lines: usize,
    },
    /// A field holding characters its definition does not allow (e.g. a
    /// letter in a date), at a position of MRZ text.
    #[error("{field} at line {line}, column {column}: {reason}")]
    MalformedField {
        /// The field.
        field: MrzField,
        /// Line, from 1.
        line: usize,
        /// Column, from 1.
        column: usize,
        /// What is wrong.
        reason: &'static str,
    },
    /// A value handed to an encoder or constructor that the field cannot
    /// represent.
    #[error("{field}: {reason}")]
    InvalidValue {
        /// The field.
        field: MrzField,
        /// What is wrong.
        reason: &'static str,
    },
    /// A value too long for its field.
    #[error("{field} of {len} characters does not fit in {max}")]
    TooLong {
        /// The field.
        field: MrzField,
        /// Its length.
        len: usize,
        /// The room in the format.
        max: usize,
    },
    /// A date that is not a plausible `YYMMDD` (Doc 9303-3 §4.6.3).
    #[error("{field} is not a plausible YYMMDD date: {reason}")]
    InvalidDate {
        /// The field.
        field: MrzField,
        /// What is wrong.
        reason: &'static str,
    },
    /// A check digit that does not match, where one must (deriving access
    /// keys from MRZ text).
    #[error("{field} check digit is {found:?} but computes to {computed:?}")]
    CheckDigitMismatch {
        /// The field the check digit protects.
        field: MrzField,
        /// The check digit in the text.
        found: char,
        /// The check digit the field computes to.
        computed: char,
    },
}
