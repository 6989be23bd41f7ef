//! Where each field sits in each format, and the field logic all formats
//! share. Positions are 0-based offsets into the concatenated MRZ.
//!
//! - TD1: Doc 9303-5 §4.2.2 (3 lines of 30).
//! - TD2: Doc 9303-6 §4.2.2 (2 lines of 36).
//! - TD3: Doc 9303-4 §4.2.2 (2 lines of 44).

use core::ops::Range;

use serde::{Deserialize, Serialize};

use crate::check_digit::{CheckDigitVerdict, check_digit_of_parts, digit_char};
use crate::fields::{
    ascii, check_optional, encode_code, encode_name, is_alnum, is_letter, parse_name,
    trim_trailing_fillers,
};
use crate::number::{NumberParts, encode_short, encode_with_overflow};
use crate::{MrzDate, MrzError, MrzField, MrzFields, MrzFormat, Sex};

/// Every check digit of an MRZ, each with its verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CheckDigits {
    /// Over the document number (the whole number for long TD1/TD2 numbers).
    pub document_number: CheckDigitVerdict,
    /// Over the date of birth.
    pub date_of_birth: CheckDigitVerdict,
    /// Over the date of expiry.
    pub date_of_expiry: CheckDigitVerdict,
    /// Over the personal number (TD3 only; TD1 and TD2 optional data has no
    /// check digit of its own).
    pub personal_number: Option<CheckDigitVerdict>,
    /// The composite check digit over the upper/middle line fields (its
    /// coverage differs per format).
    pub composite: CheckDigitVerdict,
}

impl CheckDigits {
    /// Whether every check digit is valid.
    #[must_use]
    pub fn all_valid(&self) -> bool {
        self.iter().all(|(_, v)| v.valid)
    }

    /// Each check digit with the field it protects.
    pub fn iter(&self) -> impl Iterator<Item = (MrzField, CheckDigitVerdict)> + '_ {
        [
            Some((MrzField::DocumentNumber, self.document_number)),
            Some((MrzField::DateOfBirth, self.date_of_birth)),
            Some((MrzField::DateOfExpiry, self.date_of_expiry)),
            self.personal_number.map(|v| (MrzField::OptionalData, v)),
            Some((MrzField::Composite, self.composite)),
        ]
        .into_iter()
        .flatten()
    }
}

pub(crate) struct Layout {
    pub(crate) format: MrzFormat,
    code: Range<usize>,
    state: Range<usize>,
    name: Range<usize>,
    number: Range<usize>,
    number_check: usize,
    nationality: Range<usize>,
    dob: Range<usize>,
    dob_check: usize,
    sex: usize,
    doe: Range<usize>,
    doe_check: usize,
    optional: Range<usize>,
    /// TD3 personal number check digit.
    optional_check: Option<usize>,
    /// TD1 middle-line optional data.
    optional2: Option<Range<usize>>,
    composite: usize,
    composite_ranges: &'static [Range<usize>],
    /// Whether the long-number rule applies (TD1, TD2).
    long_numbers: bool,
}

pub(crate) const TD1: Layout = Layout {
    format: MrzFormat::Td1,
    code: 0..2,
    state: 2..5,
    number: 5..14,
    number_check: 14,
    optional: 15..30,
    dob: 30..36,
    dob_check: 36,
    sex: 37,
    doe: 38..44,
    doe_check: 44,
    nationality: 45..48,
    optional2: Some(48..59),
    composite: 59,
    name: 60..90,
    optional_check: None,
    // Doc 9303-5 §4.2.2.1: upper line 6-30, middle line 1-7, 9-15, 19-29.
    composite_ranges: &[5..30, 30..37, 38..45, 48..59],
    long_numbers: true,
};

pub(crate) const TD2: Layout = Layout {
    format: MrzFormat::Td2,
    code: 0..2,
    state: 2..5,
    name: 5..36,
    number: 36..45,
    number_check: 45,
    nationality: 46..49,
    dob: 49..55,
    dob_check: 55,
    sex: 56,
    doe: 57..63,
    doe_check: 63,
    optional: 64..71,
    optional_check: None,
    optional2: None,
    composite: 71,
    // Doc 9303-6 §4.2.2.1: lower line 1-10, 14-20, 22-35.
    composite_ranges: &[36..46, 49..56, 57..71],
    long_numbers: true,
};

pub(crate) const TD3: Layout = Layout {
    format: MrzFormat::Td3,
    code: 0..2,
    state: 2..5,
    name: 5..44,
    number: 44..53,
    number_check: 53,
    nationality: 54..57,
    dob: 57..63,
    dob_check: 63,
    sex: 64,
    doe: 65..71,
    doe_check: 71,
    optional: 72..86,
    optional_check: Some(86),
    optional2: None,
    composite: 87,
    // Doc 9303-4 §4.2.2.1: lower line 1-10, 14-20, 22-43.
    composite_ranges: &[44..54, 57..64, 65..87],
    long_numbers: false,
};

fn get(t: &[u8], r: Range<usize>) -> &[u8] {
    t.get(r).unwrap_or_default()
}

fn at(t: &[u8], i: usize) -> u8 {
    t.get(i).copied().unwrap_or(b'<')
}

impl Layout {
    pub(crate) fn for_format(format: MrzFormat) -> &'static Layout {
        match format {
            MrzFormat::Td1 => &TD1,
            MrzFormat::Td2 => &TD2,
            MrzFormat::Td3 => &TD3,
        }
    }

    fn malformed(&self, field: MrzField, pos: usize, reason: &'static str) -> MrzError {
        let l = self.format.line_len();
        MrzError::MalformedField {
            field,
            line: pos / l + 1,
            column: pos % l + 1,
            reason,
        }
    }

    /// Field-level structure on text already known to be `format.total_len()`
    /// MRZ characters: dates of digits and fillers, a sex code.
    pub(crate) fn check_fields(&self, t: &[u8]) -> Result<(), MrzError> {
        for (field, range) in [
            (MrzField::DateOfBirth, self.dob.clone()),
            (MrzField::DateOfExpiry, self.doe.clone()),
        ] {
            for pos in range {
                let b = at(t, pos);
                if !(b.is_ascii_digit() || b == b'<') {
                    return Err(self.malformed(field, pos, "a date holds only digits and fillers"));
                }
            }
        }
        if Sex::from_char(char::from(at(t, self.sex))).is_none() {
            return Err(self.malformed(MrzField::Sex, self.sex, "sex is F, M, X or <"));
        }
        Ok(())
    }

    pub(crate) fn number_parts<'a>(&self, t: &'a [u8]) -> NumberParts<'a> {
        let principal = get(t, self.number.clone());
        let check = at(t, self.number_check);
        let optional = get(t, self.optional.clone());
        if self.long_numbers {
            NumberParts::with_overflow(principal, check, optional)
        } else {
            NumberParts::plain(principal, check, optional)
        }
    }

    pub(crate) fn document_code<'a>(&self, t: &'a [u8]) -> &'a str {
        ascii(trim_trailing_fillers(get(t, self.code.clone())))
    }

    pub(crate) fn issuing_state<'a>(&self, t: &'a [u8]) -> &'a str {
        ascii(trim_trailing_fillers(get(t, self.state.clone())))
    }

    pub(crate) fn name(&self, t: &[u8]) -> (String, String) {
        parse_name(get(t, self.name.clone()))
    }

    pub(crate) fn nationality<'a>(&self, t: &'a [u8]) -> &'a str {
        ascii(trim_trailing_fillers(get(t, self.nationality.clone())))
    }

    pub(crate) fn date_of_birth(&self, t: &[u8]) -> MrzDate {
        MrzDate::from_raw_bytes(get(t, self.dob.clone())).unwrap_or(MrzDate::UNKNOWN)
    }

    pub(crate) fn date_of_expiry(&self, t: &[u8]) -> MrzDate {
        MrzDate::from_raw_bytes(get(t, self.doe.clone())).unwrap_or(MrzDate::UNKNOWN)
    }

    pub(crate) fn sex(&self, t: &[u8]) -> Sex {
        Sex::from_char(char::from(at(t, self.sex))).unwrap_or(Sex::Unspecified)
    }

    /// Optional data after any document number overflow, trailing fillers
    /// removed.
    pub(crate) fn optional_data<'a>(&self, t: &'a [u8]) -> &'a str {
        ascii(trim_trailing_fillers(self.number_parts(t).optional))
    }

    pub(crate) fn optional_data_2<'a>(&self, t: &'a [u8]) -> &'a str {
        self.optional2
            .clone()
            .map_or("", |r| ascii(trim_trailing_fillers(get(t, r))))
    }

    pub(crate) fn check_digits(&self, t: &[u8]) -> CheckDigits {
        let dob = get(t, self.dob.clone());
        let doe = get(t, self.doe.clone());
        let personal_number = self.optional_check.map(|pos| {
            let field = get(t, self.optional.clone());
            let mut v = CheckDigitVerdict::over(at(t, pos), &[field]);
            // Doc 9303-4 §4.2.2, note to positions 29-43: an unused
            // personal number field may carry a filler as check digit.
            if v.found == '<' && field.iter().all(|b| *b == b'<') {
                v.valid = true;
            }
            v
        });
        let parts: Vec<&[u8]> = self
            .composite_ranges
            .iter()
            .map(|r| get(t, r.clone()))
            .collect();
        CheckDigits {
            document_number: self.number_parts(t).verdict(),
            date_of_birth: CheckDigitVerdict::over(at(t, self.dob_check), &[dob]),
            date_of_expiry: CheckDigitVerdict::over(at(t, self.doe_check), &[doe]),
            personal_number,
            composite: CheckDigitVerdict::over(at(t, self.composite), &parts),
        }
    }

    pub(crate) fn fields(&self, t: &[u8]) -> MrzFields {
        let (primary_identifier, secondary_identifier) = self.name(t);
        MrzFields {
            document_code: self.document_code(t).to_owned(),
            issuing_state: self.issuing_state(t).to_owned(),
            primary_identifier,
            secondary_identifier,
            document_number: self.number_parts(t).number(),
            nationality: self.nationality(t).to_owned(),
            date_of_birth: self.date_of_birth(t),
            sex: self.sex(t),
            date_of_expiry: self.date_of_expiry(t),
            optional_data: self.optional_data(t).to_owned(),
            optional_data_2: self.optional_data_2(t).to_owned(),
        }
    }

    /// The MRZ text for `f`, every check digit computed.
    pub(crate) fn encode(&self, f: &MrzFields) -> Result<String, MrzError> {
        let mut t = vec![b'<'; self.format.total_len()];
        let mut put = |range: Range<usize>, bytes: &[u8]| {
            if let Some(dst) = t.get_mut(range) {
                dst.copy_from_slice(bytes);
            }
        };
        put(
            self.code.clone(),
            &encode_code(
                &f.document_code,
                2,
                MrzField::DocumentCode,
                is_alnum,
                "1-2 characters A-Z, 0-9",
            )?,
        );
        if !f
            .document_code
            .as_bytes()
            .first()
            .is_some_and(|b| is_letter(*b))
        {
            return Err(MrzError::InvalidValue {
                field: MrzField::DocumentCode,
                reason: "must start with a letter",
            });
        }
        put(
            self.state.clone(),
            &encode_code(
                &f.issuing_state,
                3,
                MrzField::IssuingState,
                is_letter,
                "1-3 letters A-Z",
            )?,
        );
        put(
            self.nationality.clone(),
            &encode_code(
                &f.nationality,
                3,
                MrzField::Nationality,
                is_letter,
                "1-3 letters A-Z",
            )?,
        );
        put(
            self.name.clone(),
            &encode_name(
                &f.primary_identifier,
                &f.secondary_identifier,
                self.name.len(),
            )?,
        );
        put(self.dob.clone(), f.date_of_birth.as_bytes());
        put(self.doe.clone(), f.date_of_expiry.as_bytes());
        put(self.sex..self.sex + 1, &[f.sex.to_char() as u8]);

        check_optional(&f.optional_data, MrzField::OptionalData)?;
        if self.long_numbers {
            let (principal, check, optional) =
                encode_with_overflow(&f.document_number, &f.optional_data, self.optional.len())?;
            put(self.number.clone(), &principal);
            put(self.number_check..self.number_check + 1, &[check]);
            put(self.optional.clone(), &optional);
        } else {
            let (principal, check) = encode_short(&f.document_number)?;
            put(self.number.clone(), &principal);
            put(self.number_check..self.number_check + 1, &[check]);
            let optional = f.optional_data.as_bytes();
            if optional.len() > self.optional.len() {
                return Err(MrzError::TooLong {
                    field: MrzField::OptionalData,
                    len: optional.len(),
                    max: self.optional.len(),
                });
            }
            put(
                self.optional.start..self.optional.start + optional.len(),
                optional,
            );
        }
        match self.optional2.clone() {
            Some(range) => {
                check_optional(&f.optional_data_2, MrzField::OptionalData2)?;
                let bytes = f.optional_data_2.as_bytes();
                if bytes.len() > range.len() {
                    return Err(MrzError::TooLong {
                        field: MrzField::OptionalData2,
                        len: bytes.len(),
                        max: range.len(),
                    });
                }
                put(range.start..range.start + bytes.len(), bytes);
            }
            None if !f.optional_data_2.is_empty() => {
                return Err(MrzError::InvalidValue {
                    field: MrzField::OptionalData2,
                    reason: "only TD1 has a second optional data field",
                });
            }
            None => {}
        }

        let digit = |parts: &[&[u8]]| digit_char(check_digit_of_parts(parts)) as u8;
        let dob_check = digit(&[f.date_of_birth.as_bytes()]);
        let doe_check = digit(&[f.date_of_expiry.as_bytes()]);
        t[self.dob_check] = dob_check;
        t[self.doe_check] = doe_check;
        if let Some(pos) = self.optional_check {
            let field = get(&t, self.optional.clone());
            // An unused personal number gets a filler (as the BSI and ICAO
            // specimens print it); Doc 9303-4 allows `<` or `0`.
            let check = if field.iter().all(|b| *b == b'<') {
                b'<'
            } else {
                digit(&[field])
            };
            t[pos] = check;
        }
        let composite = {
            let parts: Vec<&[u8]> = self
                .composite_ranges
                .iter()
                .map(|r| get(&t, r.clone()))
                .collect();
            digit(&parts)
        };
        t[self.composite] = composite;
        Ok(t.into_iter().map(char::from).collect())
    }
}
