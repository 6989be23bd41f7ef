//! The document number field and the long-number rule of TD1 and TD2
//! (Doc 9303-5 §4.2.4 and Doc 9303-6 §4.2.4, note j):
//!
//! A document number longer than nine characters puts its nine most
//! significant characters in the number field, a filler `<` in the check
//! digit position, and continues in the optional data field with the
//! remaining characters, then its check digit, then a filler. The check
//! digit is computed over the whole number.

use crate::check_digit::{CheckDigitVerdict, check_digit_bytes, digit_char};
use crate::fields::{ascii, trim_trailing_fillers};
use crate::{MrzError, MrzField};

/// The document number of a parsed MRZ, with where its parts are.
pub(crate) struct NumberParts<'a> {
    /// The nine characters of the number field.
    principal: &'a [u8],
    /// Characters continued in the optional data (long numbers only).
    overflow: &'a [u8],
    /// The character found in the check digit's place.
    check: u8,
    /// The optional data that follows the number.
    pub(crate) optional: &'a [u8],
    /// Whether the long-number rule applied.
    long: bool,
}

impl<'a> NumberParts<'a> {
    /// A format without the long-number rule (TD3).
    pub(crate) fn plain(principal: &'a [u8], check: u8, optional: &'a [u8]) -> Self {
        Self {
            principal,
            overflow: &[],
            check,
            optional,
            long: false,
        }
    }

    /// Applies the long-number rule: a filler in the check digit position
    /// followed by optional data that starts with a character means the
    /// number continues there, up to the first filler; the last character
    /// before that filler is the check digit (as JMRTD and pymrtd read it).
    pub(crate) fn with_overflow(principal: &'a [u8], check: u8, optional: &'a [u8]) -> Self {
        if check == b'<' {
            let end = optional
                .iter()
                .position(|b| *b == b'<')
                .unwrap_or(optional.len());
            if let Some(last) = end.checked_sub(1) {
                return Self {
                    principal,
                    overflow: optional.get(..last).unwrap_or_default(),
                    check: optional.get(last).copied().unwrap_or(b'<'),
                    optional: optional.get(end + 1..).unwrap_or_default(),
                    long: true,
                };
            }
        }
        Self::plain(principal, check, optional)
    }

    /// Whether the number uses the long-number rule.
    pub(crate) fn is_long(&self) -> bool {
        self.long
    }

    /// The readable number: trailing fillers of a short number removed.
    pub(crate) fn number(&self) -> String {
        let mut s = String::with_capacity(self.principal.len() + self.overflow.len());
        if !self.long {
            s.push_str(ascii(trim_trailing_fillers(self.principal)));
        } else {
            s.push_str(ascii(self.principal));
            s.push_str(ascii(self.overflow));
        }
        s
    }

    /// The check digit verdict over the whole number.
    pub(crate) fn verdict(&self) -> CheckDigitVerdict {
        CheckDigitVerdict::over(self.check, &[self.principal, self.overflow])
    }
}

/// Encodes a document number for a format without the long-number rule:
/// the 9-character field and its check digit.
pub(crate) fn encode_short(number: &str) -> Result<([u8; 9], u8), MrzError> {
    check_number_chars(number)?;
    let bytes = number.as_bytes();
    if bytes.len() > 9 {
        return Err(MrzError::TooLong {
            field: MrzField::DocumentNumber,
            len: bytes.len(),
            max: 9,
        });
    }
    let mut field = [b'<'; 9];
    for (dst, src) in field.iter_mut().zip(bytes) {
        *dst = *src;
    }
    let check = digit_char(check_digit_bytes(&field).unwrap_or(0)) as u8;
    Ok((field, check))
}

/// Encodes a document number with the long-number rule, together with the
/// optional data field of `optional_width` characters that follows it.
/// Returns the number field, the character for the check digit position,
/// and the optional data field.
pub(crate) fn encode_with_overflow(
    number: &str,
    optional: &str,
    optional_width: usize,
) -> Result<([u8; 9], u8, Vec<u8>), MrzError> {
    check_number_chars(number)?;
    let bytes = number.as_bytes();
    let mut field = Vec::with_capacity(optional_width);
    let (principal, check_position) = if bytes.len() <= 9 {
        let (principal, check) = encode_short(number)?;
        (principal, check)
    } else {
        let (head, overflow) = bytes.split_at(9);
        let mut principal = [b'<'; 9];
        principal.copy_from_slice(head);
        let check = digit_char(check_digit_bytes(bytes).unwrap_or(0)) as u8;
        field.extend_from_slice(overflow);
        field.push(check);
        if !optional.is_empty() {
            field.push(b'<');
        }
        (principal, b'<')
    };
    field.extend_from_slice(optional.as_bytes());
    if field.len() > optional_width {
        // Report what did not fit: the number when it alone overflows.
        return Err(if bytes.len() > 9 && bytes.len() - 9 + 1 > optional_width {
            MrzError::TooLong {
                field: MrzField::DocumentNumber,
                len: bytes.len(),
                max: 9 + optional_width - 1,
            }
        } else {
            MrzError::TooLong {
                field: MrzField::OptionalData,
                len: optional.len(),
                max: optional_width.saturating_sub(field.len() - optional.len()),
            }
        });
    }
    field.resize(optional_width, b'<');
    Ok((principal, check_position, field))
}

fn check_number_chars(number: &str) -> Result<(), MrzError> {
    let bytes = number.as_bytes();
    if bytes.is_empty()
        || !bytes
            .iter()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    {
        return Err(MrzError::InvalidValue {
            field: MrzField::DocumentNumber,
            reason: "must be one or more characters A-Z, 0-9",
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_number_rule() {
        // Doc 9303-10 A.2.2 TD2 sample (as corrected by pymrtd): number
        // 123456789 continued by 012 with check digit 2.
        let p = NumberParts::with_overflow(b"123456789", b'<', b"0122<<<");
        assert!(p.is_long());
        assert_eq!(p.number(), "123456789012");
        assert_eq!(
            p.verdict(),
            CheckDigitVerdict {
                found: '2',
                computed: '2',
                valid: true
            }
        );
        assert_eq!(p.optional, b"<<");

        // A filler check digit with nothing to continue: a short number
        // whose check digit is missing.
        let p = NumberParts::with_overflow(b"12345678<", b'<', b"<<<<<<<");
        assert!(!p.is_long());
        assert_eq!(p.number(), "12345678");
        assert!(!p.verdict().valid);
    }

    #[test]
    fn encodes_overflow() {
        let (principal, check, opt) = encode_with_overflow("123456789012", "", 7).unwrap();
        assert_eq!(&principal, b"123456789");
        assert_eq!(check, b'<');
        assert_eq!(opt, b"0122<<<");
        let (_, _, opt) = encode_with_overflow("123456789012", "AB", 7).unwrap();
        assert_eq!(opt, b"0122<AB");
        assert!(matches!(
            encode_with_overflow("123456789012", "ABC", 7),
            Err(MrzError::TooLong {
                field: MrzField::OptionalData,
                len: 3,
                max: 2
            })
        ));
        assert!(matches!(
            encode_with_overflow("1234567890123456", "", 7),
            Err(MrzError::TooLong {
                field: MrzField::DocumentNumber,
                ..
            })
        ));
        // Fills the optional field exactly: no terminating filler.
        let (_, _, opt) = encode_with_overflow("123456789012345", "", 7).unwrap();
        assert_eq!(opt.len(), 7);
        let p = NumberParts::with_overflow(b"123456789", b'<', &opt);
        assert_eq!(p.number(), "123456789012345");
        assert!(p.verdict().valid);
        assert!(p.optional.is_empty());
    }
}
