//! The MRZ-derived access key input of BAC and PACE (Doc 9303-11 §4.3 and
//! §9.7.2): document number, date of birth and date of expiry, each with
//! its check digit.

use core::fmt;

use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::check_digit::{check_digit_bytes, digit_char, is_mrz_char};
use crate::fields::trim_trailing_fillers;
use crate::layout::{Layout, TD2, TD3};
use crate::{CheckDigitVerdict, Mrz, MrzDate, MrzError, MrzField};

/// The longest document number an MRZ can hold: nine characters in the
/// number field plus fourteen continued in the 15-character TD1 optional
/// data field before its check digit (Doc 9303-5 §4.2.4).
const MAX_DOCUMENT_NUMBER: usize = 23;

/// Document number, date of birth and date of expiry: what a reader needs
/// from the MRZ to open the chip with BAC or PACE.
///
/// These are the secret from which the access keys are derived, so they
/// are wiped on drop and `Debug` shows nothing of them.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct AccessFields {
    document_number: String,
    date_of_birth: String,
    date_of_expiry: String,
}

impl AccessFields {
    /// Access fields from values typed by a user.
    ///
    /// The document number is upper-cased and trailing fillers are removed;
    /// it must then be 1 to 23 characters of `0-9 A-Z <`. Dates are
    /// `YYMMDD`, plausible as calendar dates; a part may be `<<` where the
    /// document prints it unknown (Doc 9303-3 §4.6.3).
    ///
    /// # Errors
    /// [`MrzError::InvalidValue`], [`MrzError::TooLong`] or
    /// [`MrzError::InvalidDate`] naming the field.
    pub fn new(
        document_number: &str,
        date_of_birth: &str,
        date_of_expiry: &str,
    ) -> Result<Self, MrzError> {
        let upper = Zeroizing::new(document_number.trim().to_ascii_uppercase());
        let number = trim_trailing_fillers(upper.as_bytes());
        if number.is_empty() || !number.iter().all(|b| is_mrz_char(*b)) {
            return Err(MrzError::InvalidValue {
                field: MrzField::DocumentNumber,
                reason: "must be one or more characters 0-9, A-Z, <",
            });
        }
        if number.len() > MAX_DOCUMENT_NUMBER {
            return Err(MrzError::TooLong {
                field: MrzField::DocumentNumber,
                len: number.len(),
                max: MAX_DOCUMENT_NUMBER,
            });
        }
        let dob = MrzDate::new_for(date_of_birth.trim(), MrzField::DateOfBirth)?;
        let doe = MrzDate::new_for(date_of_expiry.trim(), MrzField::DateOfExpiry)?;
        Ok(Self {
            document_number: number.iter().map(|b| char::from(*b)).collect(),
            date_of_birth: dob.as_str().to_owned(),
            date_of_expiry: doe.as_str().to_owned(),
        })
    }

    /// Access fields read from MRZ text: the lower line of a TD3 (44
    /// characters) or of a TD2 (36), or a whole TD1, TD2 or TD3 MRZ (see
    /// [`Mrz::parse`] for the accepted layouts).
    ///
    /// The check digits of document number, date of birth and date of
    /// expiry must hold: they are there to catch exactly the misreadings
    /// that would make BAC fail.
    ///
    /// # Errors
    /// The structural errors of [`Mrz::parse`] (positions in a lone lower
    /// line are reported as line 2), and [`MrzError::CheckDigitMismatch`]
    /// naming the field whose check digit is wrong.
    pub fn from_mrz_text(text: &str) -> Result<Self, MrzError> {
        let trimmed = text.trim();
        if !trimmed.contains('\n') {
            let layout = match trimmed.chars().count() {
                44 => Some(&TD3),
                36 => Some(&TD2),
                _ => None,
            };
            if let Some(layout) = layout {
                return Self::from_lower_line(layout, trimmed);
            }
        }
        Self::from_mrz(&Mrz::parse(trimmed)?)
    }

    /// Reads a lone lower line by placing it under an all-filler upper line,
    /// so that the positions and rules of the full format apply unchanged.
    fn from_lower_line(layout: &Layout, line: &str) -> Result<Self, MrzError> {
        let line_len = layout.format.line_len();
        for (i, ch) in line.chars().enumerate() {
            if !u8::try_from(ch).is_ok_and(is_mrz_char) {
                return Err(MrzError::IllegalCharacter {
                    ch,
                    line: 2,
                    column: i + 1,
                });
            }
        }
        let mut text = Zeroizing::new(String::with_capacity(2 * line_len));
        text.extend(core::iter::repeat_n('<', line_len));
        text.push_str(line);
        layout.check_fields(text.as_bytes())?;
        Self::from_layout(layout, text.as_bytes())
    }

    /// Access fields from a parsed MRZ, whose three relevant check digits
    /// must hold.
    ///
    /// # Errors
    /// [`MrzError::CheckDigitMismatch`] naming the field whose check digit
    /// is wrong; [`MrzError::InvalidValue`] when the document number is
    /// empty.
    pub fn from_mrz(mrz: &Mrz) -> Result<Self, MrzError> {
        let layout = Layout::for_format(mrz.format());
        Self::from_layout(layout, mrz.as_str().as_bytes())
    }

    fn from_layout(layout: &Layout, t: &[u8]) -> Result<Self, MrzError> {
        let checks = layout.check_digits(t);
        let require = |field: MrzField, v: CheckDigitVerdict| {
            if v.valid {
                Ok(())
            } else {
                Err(MrzError::CheckDigitMismatch {
                    field,
                    found: v.found,
                    computed: v.computed,
                })
            }
        };
        require(MrzField::DocumentNumber, checks.document_number)?;
        require(MrzField::DateOfBirth, checks.date_of_birth)?;
        require(MrzField::DateOfExpiry, checks.date_of_expiry)?;
        let document_number = layout.number_parts(t).number();
        if document_number.is_empty() {
            return Err(MrzError::InvalidValue {
                field: MrzField::DocumentNumber,
                reason: "the document number field is empty",
            });
        }
        Ok(Self {
            document_number,
            date_of_birth: layout.date_of_birth(t).as_str().to_owned(),
            date_of_expiry: layout.date_of_expiry(t).as_str().to_owned(),
        })
    }

    /// The document number (upper case, without trailing fillers).
    #[must_use]
    pub fn document_number(&self) -> &str {
        &self.document_number
    }

    /// Date of birth, `YYMMDD`.
    #[must_use]
    pub fn date_of_birth(&self) -> &str {
        &self.date_of_birth
    }

    /// Date of expiry, `YYMMDD`.
    #[must_use]
    pub fn date_of_expiry(&self) -> &str {
        &self.date_of_expiry
    }

    /// The "MRZ information" hashed into the BAC key seed and the PACE
    /// password (Doc 9303-11 §4.3.2 and §9.7.2): document number padded
    /// with fillers to nine characters and its check digit, date of birth
    /// and its check digit, date of expiry and its check digit.
    ///
    /// A document number longer than nine characters is used whole,
    /// followed by its check digit over the whole number — as the long
    /// number's check digit is defined (Doc 9303-5 §4.2.4) and as JMRTD
    /// derives it.
    #[must_use]
    pub fn mrz_information(&self) -> Zeroizing<String> {
        let mut s = Zeroizing::new(String::with_capacity(
            self.document_number.len().max(9) + 15,
        ));
        s.push_str(&self.document_number);
        while s.len() < 9 {
            s.push('<');
        }
        // Every character was validated when `self` was built.
        let digit = |field: &[u8]| digit_char(check_digit_bytes(field).unwrap_or(0));
        let number_check = digit(s.as_bytes());
        s.push(number_check);
        for date in [&self.date_of_birth, &self.date_of_expiry] {
            s.push_str(date);
            s.push(digit(date.as_bytes()));
        }
        s
    }
}

/// Nothing of the access fields is shown.
impl fmt::Debug for AccessFields {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessFields { .. }")
    }
}
