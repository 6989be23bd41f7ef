//! Check digits (Doc 9303-3 §4.9) and the MRZ alphabet (§4.3).

use serde::{Deserialize, Serialize};

use crate::MrzError;

/// The filler character `<`.
pub const FILLER: u8 = b'<';

/// `true` for the characters an MRZ may contain: `0-9`, `A-Z` and `<`
/// (Doc 9303-3 §4.3, "Common Machine Readable Zone character set").
#[must_use]
pub const fn is_mrz_char(b: u8) -> bool {
    b.is_ascii_digit() || b.is_ascii_uppercase() || b == FILLER
}

/// The numeric value Doc 9303-3 §4.9 gives a character: digits their value,
/// `A`..`Z` 10..35, the filler 0. `None` outside the MRZ alphabet.
#[must_use]
pub const fn char_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'A'..=b'Z' => Some(b - b'A' + 10),
        FILLER => Some(0),
        _ => None,
    }
}

/// The check digit of `field` (Doc 9303-3 §4.9): every character's value
/// times the repeating weights 7, 3, 1, summed, modulo 10.
///
/// # Errors
/// [`MrzError::InvalidCharacter`] naming the first character outside the
/// MRZ alphabet and its index.
pub fn check_digit(field: &str) -> Result<u8, MrzError> {
    check_digit_bytes(field.as_bytes()).map_err(|index| {
        // `index` is a byte index; report the character and its char index.
        let (char_index, ch) = field
            .char_indices()
            .enumerate()
            .find(|(_, (byte_index, _))| *byte_index >= index)
            .map_or((index, '\u{FFFD}'), |(i, (_, c))| (i, c));
        MrzError::InvalidCharacter {
            ch,
            index: char_index,
        }
    })
}

/// The check digit of `field` as the character that is printed (`'0'`..`'9'`).
///
/// # Errors
/// As [`check_digit`].
pub fn check_digit_char(field: &str) -> Result<char, MrzError> {
    check_digit(field).map(digit_char)
}

/// Check digit over bytes; `Err(index)` names the first byte outside the
/// alphabet.
pub(crate) fn check_digit_bytes(field: &[u8]) -> Result<u8, usize> {
    const WEIGHTS: [u32; 3] = [7, 3, 1];
    let mut sum = 0u32;
    for (i, b) in field.iter().enumerate() {
        let v = char_value(*b).ok_or(i)?;
        sum += u32::from(v) * WEIGHTS[i % 3];
    }
    // `sum % 10` is below 10, so the cast is exact.
    Ok((sum % 10) as u8)
}

/// Check digit over byte ranges of already validated MRZ text, concatenated
/// (the composite check digit covers several ranges).
pub(crate) fn check_digit_of_parts(parts: &[&[u8]]) -> u8 {
    const WEIGHTS: [u32; 3] = [7, 3, 1];
    let mut sum = 0u32;
    let mut i = 0usize;
    for part in parts {
        for b in *part {
            // Text handed here has been validated; an unexpected byte counts
            // as a filler rather than panicking.
            sum += u32::from(char_value(*b).unwrap_or(0)) * WEIGHTS[i % 3];
            i += 1;
        }
    }
    (sum % 10) as u8
}

pub(crate) const fn digit_char(d: u8) -> char {
    (b'0' + d % 10) as char
}

/// The outcome of checking one check digit of a parsed MRZ.
///
/// A mismatch is information about the document, not a failure to read it,
/// so it is reported here rather than as an error.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CheckDigitVerdict {
    /// The character printed in the check digit position.
    pub found: char,
    /// The check digit the protected field computes to.
    pub computed: char,
    /// Whether `found` is acceptable. Normally `found == computed`; Doc
    /// 9303-4 §4.2.2 also accepts a filler as the check digit of an unused
    /// (all-filler) TD3 personal number field.
    pub valid: bool,
}

impl CheckDigitVerdict {
    /// Verdict for a check digit found over the field `parts`.
    pub(crate) fn over(found: u8, parts: &[&[u8]]) -> Self {
        let computed = digit_char(check_digit_of_parts(parts));
        let found = found as char;
        Self {
            found,
            computed,
            valid: found == computed,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn doc_9303_3_examples() {
        // Doc 9303-3 §4.9.1 worked example: date 520727 has check digit 3.
        assert_eq!(check_digit("520727").unwrap(), 3);
        // Doc 9303-11 Appendix D.2: L898902C< -> 3, 690806 -> 1, 940623 -> 6.
        assert_eq!(check_digit("L898902C<").unwrap(), 3);
        assert_eq!(check_digit_char("690806").unwrap(), '1');
        assert_eq!(check_digit_char("940623").unwrap(), '6');
        assert_eq!(check_digit("").unwrap(), 0);
        assert_eq!(check_digit("<<<<<<<<<").unwrap(), 0);
        // Letters: A=10 -> 10*7 = 70 -> 0; B=11 -> 77 -> 7.
        assert_eq!(check_digit("A").unwrap(), 0);
        assert_eq!(check_digit("B").unwrap(), 7);
        assert_eq!(check_digit("ZZZ").unwrap(), (35 * 11 % 10) as u8);
    }

    #[test]
    fn names_the_bad_character_and_position() {
        assert_eq!(
            check_digit("AB c").unwrap_err(),
            MrzError::InvalidCharacter { ch: ' ', index: 2 }
        );
        assert_eq!(
            check_digit("L89a").unwrap_err(),
            MrzError::InvalidCharacter { ch: 'a', index: 3 }
        );
        // Multi-byte characters are reported as characters, by char index.
        assert_eq!(
            check_digit("ÄB").unwrap_err(),
            MrzError::InvalidCharacter { ch: 'Ä', index: 0 }
        );
        assert_eq!(
            check_digit("AÄ").unwrap_err(),
            MrzError::InvalidCharacter { ch: 'Ä', index: 1 }
        );
    }

    proptest! {
        /// The check digit detects every single-character substitution
        /// between values that differ modulo 10 after weighting, and in
        /// particular every change of a single digit.
        #[test]
        fn detects_single_digit_changes(s in "[0-9]{1,20}", pos in any::<prop::sample::Index>(), d in 0u8..10) {
            let mut bytes = s.clone().into_bytes();
            let i = pos.index(bytes.len());
            prop_assume!(bytes[i] != b'0' + d);
            let before = check_digit(&s).unwrap();
            bytes[i] = b'0' + d;
            let after = check_digit(core::str::from_utf8(&bytes).unwrap()).unwrap();
            prop_assert_ne!(before, after);
        }

        #[test]
        fn never_panics(s in ".{0,40}") {
            let _ = check_digit(&s);
        }
    }
}
