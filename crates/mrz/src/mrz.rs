//! [`Mrz`]: any of the three formats, chosen by the text's length.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::layout::{CheckDigits, Layout};
use crate::text::{from_bytes, normalize};
use crate::{CheckDigitVerdict, MrzDate, MrzError, MrzFields, MrzFormat, Sex, Td1, Td2, Td3};

/// A parsed machine readable zone of any format.
///
/// `Debug` shows only the format, document code, issuing state and whether
/// the check digits hold: the MRZ is personal data and the BAC secret.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub enum Mrz {
    /// 3 lines of 30 (ID cards).
    Td1(Td1),
    /// 2 lines of 36.
    Td2(Td2),
    /// 2 lines of 44 (passports).
    Td3(Td3),
}

macro_rules! each {
    ($self:ident, $v:ident => $e:expr) => {
        match $self {
            Mrz::Td1($v) => $e,
            Mrz::Td2($v) => $e,
            Mrz::Td3($v) => $e,
        }
    };
}

impl Mrz {
    /// Parses MRZ text of any format: the concatenated characters (90, 72
    /// or 88), or the lines separated by `\n` or `\r\n`; surrounding
    /// whitespace is ignored.
    ///
    /// # Errors
    /// Structural defects only (length, line count, alphabet, a malformed
    /// date or sex field), each with its position. Wrong check digits are
    /// reported by [`Mrz::check_digits`], not here.
    pub fn parse(input: &str) -> Result<Self, MrzError> {
        let (format, text) = normalize(input)?;
        Self::from_checked(format, text)
    }

    /// Parses the concatenated MRZ bytes as DG1 stores them (Doc 9303-10
    /// §4.7.1: tag `5F1F`, no line separators).
    ///
    /// # Errors
    /// As [`Mrz::parse`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, MrzError> {
        let (format, text) = from_bytes(bytes)?;
        Self::from_checked(format, text)
    }

    fn from_checked(format: MrzFormat, text: String) -> Result<Self, MrzError> {
        Ok(match format {
            MrzFormat::Td1 => Self::Td1(Td1::from_checked(format, text)?),
            MrzFormat::Td2 => Self::Td2(Td2::from_checked(format, text)?),
            MrzFormat::Td3 => Self::Td3(Td3::from_checked(format, text)?),
        })
    }

    /// Builds an MRZ of `format` from `fields`, computing every check digit.
    ///
    /// # Errors
    /// As [`Td3::encode`].
    pub fn encode(format: MrzFormat, fields: &MrzFields) -> Result<Self, MrzError> {
        Ok(match format {
            MrzFormat::Td1 => Self::Td1(Td1::encode(fields)?),
            MrzFormat::Td2 => Self::Td2(Td2::encode(fields)?),
            MrzFormat::Td3 => Self::Td3(Td3::encode(fields)?),
        })
    }

    /// The format.
    #[must_use]
    pub fn format(&self) -> MrzFormat {
        match self {
            Self::Td1(_) => MrzFormat::Td1,
            Self::Td2(_) => MrzFormat::Td2,
            Self::Td3(_) => MrzFormat::Td3,
        }
    }

    /// The concatenated MRZ characters (what DG1 holds).
    #[must_use]
    pub fn as_str(&self) -> &str {
        each!(self, m => m.as_str())
    }

    /// The lines, top to bottom.
    #[must_use]
    pub fn lines(&self) -> Vec<&str> {
        each!(self, m => m.lines().to_vec())
    }

    /// The lines joined with `\n`, as printed.
    #[must_use]
    pub fn to_multiline(&self) -> String {
        self.lines().join("\n")
    }

    /// Document code (`P`, `I`, `ID`, `AC`, …).
    #[must_use]
    pub fn document_code(&self) -> &str {
        each!(self, m => m.document_code())
    }

    /// Issuing state or organisation.
    #[must_use]
    pub fn issuing_state(&self) -> &str {
        each!(self, m => m.issuing_state())
    }

    /// Primary identifier (surname).
    #[must_use]
    pub fn primary_identifier(&self) -> String {
        each!(self, m => m.primary_identifier())
    }

    /// Secondary identifier (given names).
    #[must_use]
    pub fn secondary_identifier(&self) -> String {
        each!(self, m => m.secondary_identifier())
    }

    /// Document number (the whole number under the TD1/TD2 long-number
    /// rule).
    #[must_use]
    pub fn document_number(&self) -> String {
        each!(self, m => m.document_number())
    }

    /// Whether the document number uses the long-number rule.
    #[must_use]
    pub fn has_long_document_number(&self) -> bool {
        each!(self, m => m.has_long_document_number())
    }

    /// Nationality.
    #[must_use]
    pub fn nationality(&self) -> &str {
        each!(self, m => m.nationality())
    }

    /// Date of birth.
    #[must_use]
    pub fn date_of_birth(&self) -> MrzDate {
        each!(self, m => m.date_of_birth())
    }

    /// Sex.
    #[must_use]
    pub fn sex(&self) -> Sex {
        each!(self, m => m.sex())
    }

    /// Date of expiry.
    #[must_use]
    pub fn date_of_expiry(&self) -> MrzDate {
        each!(self, m => m.date_of_expiry())
    }

    /// Optional data: TD3 personal number, TD2 optional data, TD1 upper-line
    /// optional data.
    #[must_use]
    pub fn optional_data(&self) -> &str {
        each!(self, m => m.optional_data())
    }

    /// TD1 middle-line optional data (empty for TD2/TD3).
    #[must_use]
    pub fn optional_data_2(&self) -> &str {
        match self {
            Self::Td1(m) => m.optional_data_2(),
            Self::Td2(_) | Self::Td3(_) => "",
        }
    }

    /// Every check digit with its verdict.
    #[must_use]
    pub fn check_digits(&self) -> CheckDigits {
        each!(self, m => m.check_digits())
    }

    /// Verdict of the document number check digit.
    #[must_use]
    pub fn document_number_check(&self) -> CheckDigitVerdict {
        self.check_digits().document_number
    }

    /// Verdict of the composite check digit.
    #[must_use]
    pub fn composite_check(&self) -> CheckDigitVerdict {
        self.check_digits().composite
    }

    /// All fields as plain values.
    #[must_use]
    pub fn fields(&self) -> MrzFields {
        each!(self, m => m.fields())
    }
}

impl From<Td1> for Mrz {
    fn from(m: Td1) -> Self {
        Self::Td1(m)
    }
}

impl From<Td2> for Mrz {
    fn from(m: Td2) -> Self {
        Self::Td2(m)
    }
}

impl From<Td3> for Mrz {
    fn from(m: Td3) -> Self {
        Self::Td3(m)
    }
}

impl core::str::FromStr for Mrz {
    type Err = MrzError;
    fn from_str(s: &str) -> Result<Self, MrzError> {
        Self::parse(s)
    }
}

/// What an MRZ serialises to: the text and every field, for reports.
#[derive(Serialize)]
pub(crate) struct MrzView<'a> {
    format: MrzFormat,
    mrz: &'a str,
    document_code: &'a str,
    issuing_state: &'a str,
    primary_identifier: String,
    secondary_identifier: String,
    document_number: String,
    long_document_number: bool,
    nationality: &'a str,
    date_of_birth: MrzDate,
    sex: Sex,
    date_of_expiry: MrzDate,
    optional_data: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    optional_data_2: Option<&'a str>,
    check_digits: CheckDigits,
}

impl<'a> MrzView<'a> {
    pub(crate) fn new(layout: &Layout, text: &'a str) -> Self {
        let t = text.as_bytes();
        let (primary_identifier, secondary_identifier) = layout.name(t);
        let number = layout.number_parts(t);
        Self {
            format: layout.format,
            mrz: text,
            document_code: layout.document_code(t),
            issuing_state: layout.issuing_state(t),
            primary_identifier,
            secondary_identifier,
            document_number: number.number(),
            long_document_number: number.is_long(),
            nationality: layout.nationality(t),
            date_of_birth: layout.date_of_birth(t),
            sex: layout.sex(t),
            date_of_expiry: layout.date_of_expiry(t),
            optional_data: layout.optional_data(t),
            optional_data_2: (layout.format == MrzFormat::Td1).then(|| layout.optional_data_2(t)),
            check_digits: layout.check_digits(t),
        }
    }
}

/// What an MRZ deserialises from: any map with the text under `mrz` (the
/// other fields of [`MrzView`] are derived and ignored).
#[derive(Deserialize)]
pub(crate) struct MrzIncoming {
    pub(crate) mrz: String,
}

impl Serialize for Mrz {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        each!(self, m => m.serialize(s))
    }
}

impl<'de> Deserialize<'de> for Mrz {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let incoming = MrzIncoming::deserialize(d)?;
        Self::parse(&incoming.mrz).map_err(serde::de::Error::custom)
    }
}
