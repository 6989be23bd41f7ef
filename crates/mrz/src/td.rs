//! The three typed MRZ formats. Each keeps its validated text (wiped on
//! drop) and reads fields from it on demand, so a value can never disagree
//! with the characters it was parsed from — which is also what DG1 must
//! reproduce byte for byte.

use core::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::layout::{CheckDigits, Layout, TD1, TD2, TD3};
use crate::text::{MrzText, from_bytes, normalize};
use crate::{CheckDigitVerdict, MrzDate, MrzError, MrzFields, MrzFormat, Sex};

macro_rules! td_type {
    ($(#[$doc:meta])* $name:ident, $layout:ident, $format:expr, $lines:literal) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Hash)]
        pub struct $name {
            text: MrzText,
        }

        impl $name {
            /// The layout of this format.
            fn layout() -> &'static Layout {
                &$layout
            }

            fn t(&self) -> &[u8] {
                self.text.as_str().as_bytes()
            }

            /// Parses MRZ text: the concatenated lines, or the lines
            /// separated by `\n` or `\r\n`, surrounding whitespace ignored.
            ///
            /// # Errors
            /// Structural defects: [`MrzError::UnknownFormat`],
            /// [`MrzError::LineLength`], [`MrzError::LineCount`],
            /// [`MrzError::IllegalCharacter`], [`MrzError::MalformedField`],
            /// and [`MrzError::WrongFormat`] for text of another format.
            /// Wrong check digits are not errors; see
            #[doc = concat!("[`", stringify!($name), "::check_digits`].")]
            pub fn parse(input: &str) -> Result<Self, MrzError> {
                let (format, text) = normalize(input)?;
                Self::from_checked(format, text)
            }

            /// Parses the concatenated MRZ bytes as DG1 stores them
            /// (Doc 9303-10 §4.7.1), without any whitespace.
            ///
            /// # Errors
            #[doc = concat!("As [`", stringify!($name), "::parse`].")]
            pub fn from_bytes(bytes: &[u8]) -> Result<Self, MrzError> {
                let (format, text) = from_bytes(bytes)?;
                Self::from_checked(format, text)
            }

            pub(crate) fn from_checked(format: MrzFormat, text: String) -> Result<Self, MrzError> {
                if format != $format {
                    return Err(MrzError::WrongFormat { expected: $format, found: format });
                }
                Self::layout().check_fields(text.as_bytes())?;
                Ok(Self { text: MrzText::new_unchecked(text) })
            }

            /// Builds the MRZ for `fields`, computing every check digit.
            /// `Self::encode(&f)?.fields() == f` for every `f` it accepts.
            ///
            /// # Errors
            /// [`MrzError::InvalidValue`] or [`MrzError::TooLong`] naming the
            /// field that cannot be represented.
            pub fn encode(fields: &MrzFields) -> Result<Self, MrzError> {
                let text = Self::layout().encode(fields)?;
                Self::from_checked($format, text)
            }

            /// The concatenated MRZ characters (what DG1 holds).
            #[must_use]
            pub fn as_str(&self) -> &str {
                self.text.as_str()
            }

            /// The MRZ lines, top to bottom.
            #[must_use]
            pub fn lines(&self) -> [&str; $lines] {
                let len = $format.line_len();
                core::array::from_fn(|i| self.text.as_str().get(i * len..(i + 1) * len).unwrap_or_default())
            }

            /// Document code with trailing fillers removed (`P`, `I`, `AC`…).
            #[must_use]
            pub fn document_code(&self) -> &str {
                Self::layout().document_code(self.t())
            }

            /// Issuing state or organisation (`D`, `NLD`, `UTO`).
            #[must_use]
            pub fn issuing_state(&self) -> &str {
                Self::layout().issuing_state(self.t())
            }

            /// Primary identifier (surname): the name up to the first `<<`,
            /// fillers turned into spaces.
            #[must_use]
            pub fn primary_identifier(&self) -> String {
                Self::layout().name(self.t()).0
            }

            /// Secondary identifier (given names), fillers turned into spaces.
            #[must_use]
            pub fn secondary_identifier(&self) -> String {
                Self::layout().name(self.t()).1
            }

            /// The document number, trailing fillers removed; for TD1/TD2
            /// the whole number under the long-number rule.
            #[must_use]
            pub fn document_number(&self) -> String {
                Self::layout().number_parts(self.t()).number()
            }

            /// Whether the document number uses the long-number rule
            /// (always `false` for TD3).
            #[must_use]
            pub fn has_long_document_number(&self) -> bool {
                Self::layout().number_parts(self.t()).is_long()
            }

            /// Nationality of the holder.
            #[must_use]
            pub fn nationality(&self) -> &str {
                Self::layout().nationality(self.t())
            }

            /// Date of birth as printed.
            #[must_use]
            pub fn date_of_birth(&self) -> MrzDate {
                Self::layout().date_of_birth(self.t())
            }

            /// Sex of the holder.
            #[must_use]
            pub fn sex(&self) -> Sex {
                Self::layout().sex(self.t())
            }

            /// Date of expiry as printed.
            #[must_use]
            pub fn date_of_expiry(&self) -> MrzDate {
                Self::layout().date_of_expiry(self.t())
            }

            /// Optional data (TD3: the personal number; TD1: the upper line
            /// after any document number overflow), trailing fillers removed.
            #[must_use]
            pub fn optional_data(&self) -> &str {
                Self::layout().optional_data(self.t())
            }

            /// Every check digit with its verdict.
            #[must_use]
            pub fn check_digits(&self) -> CheckDigits {
                Self::layout().check_digits(self.t())
            }

            /// Verdict of the document number check digit.
            #[must_use]
            pub fn document_number_check(&self) -> CheckDigitVerdict {
                self.check_digits().document_number
            }

            /// Verdict of the date of birth check digit.
            #[must_use]
            pub fn date_of_birth_check(&self) -> CheckDigitVerdict {
                self.check_digits().date_of_birth
            }

            /// Verdict of the date of expiry check digit.
            #[must_use]
            pub fn date_of_expiry_check(&self) -> CheckDigitVerdict {
                self.check_digits().date_of_expiry
            }

            /// Verdict of the composite check digit.
            #[must_use]
            pub fn composite_check(&self) -> CheckDigitVerdict {
                self.check_digits().composite
            }

            /// All fields as plain values (what
            #[doc = concat!("[`", stringify!($name), "::encode`] takes).")]
            #[must_use]
            pub fn fields(&self) -> MrzFields {
                Self::layout().fields(self.t())
            }
        }

        /// The MRZ is personal data: only codes and check-digit validity
        /// are shown.
        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(stringify!($name))
                    .field("document_code", &self.document_code())
                    .field("issuing_state", &self.issuing_state())
                    .field("check_digits_valid", &self.check_digits().all_valid())
                    .finish_non_exhaustive()
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                crate::mrz::MrzView::new(Self::layout(), self.text.as_str()).serialize(s)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let incoming = crate::mrz::MrzIncoming::deserialize(d)?;
                Self::parse(&incoming.mrz).map_err(serde::de::Error::custom)
            }
        }
    };
}

td_type!(
    /// A TD1 MRZ: ID-1 size cards, 3 lines of 30 characters (Doc 9303-5).
    Td1, TD1, MrzFormat::Td1, 3
);
td_type!(
    /// A TD2 MRZ: ID-2 size cards, 2 lines of 36 characters (Doc 9303-6).
    Td2, TD2, MrzFormat::Td2, 2
);
td_type!(
    /// A TD3 MRZ: passport books, 2 lines of 44 characters (Doc 9303-4).
    Td3, TD3, MrzFormat::Td3, 2
);

impl Td1 {
    /// Optional data of the middle line (positions 19-29), trailing
    /// fillers removed.
    #[must_use]
    pub fn optional_data_2(&self) -> &str {
        Self::layout().optional_data_2(self.t())
    }
}

impl Td3 {
    /// The personal number (positions 29-42 of the lower line), trailing
    /// fillers removed; the same as [`Td3::optional_data`].
    #[must_use]
    pub fn personal_number(&self) -> &str {
        self.optional_data()
    }

    /// Verdict of the personal number check digit.
    #[must_use]
    pub fn personal_number_check(&self) -> CheckDigitVerdict {
        // TD3 always has one; the fallback is unreachable.
        self.check_digits()
            .personal_number
            .unwrap_or(CheckDigitVerdict {
                found: '<',
                computed: '0',
                valid: true,
            })
    }
}
