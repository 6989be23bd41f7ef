//! MRZ dates: `YYMMDD` with fillers for unknown parts (Doc 9303-3 §4.6.3,
//! Doc 9303-4 §4.2.2 notes on date of birth).
//!
//! The century is not in the MRZ; resolving it needs the current date,
//! which this crate does not read (no clock in library code), so the raw
//! form is what is kept.

use core::fmt;

use serde::{Deserialize, Serialize};

use crate::{MrzError, MrzField};

/// A date as the MRZ prints it: six characters `YYMMDD`, each two-character
/// part either digits or `<<` when that part is unknown.
///
/// [`MrzDate::from_raw`] keeps whatever digits were read (so a misprinted
/// month 13 can still be shown); [`MrzDate::new`] insists on a plausible
/// date; [`MrzDate::is_plausible`] says which one a parsed date is.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct MrzDate([u8; 6]);

impl MrzDate {
    /// A date with every part unknown (`<<<<<<`).
    pub const UNKNOWN: MrzDate = MrzDate(*b"<<<<<<");

    /// A date from its six MRZ characters, accepting any of `0-9` and `<`
    /// (no calendar check).
    ///
    /// # Errors
    /// [`MrzError::InvalidDate`] for a wrong length or other characters
    /// (naming the date of birth field; the caller knows which date it
    /// passed).
    pub fn from_raw(raw: &str) -> Result<Self, MrzError> {
        Self::from_raw_bytes(raw.as_bytes()).ok_or(MrzError::InvalidDate {
            field: MrzField::DateOfBirth,
            reason: "need six characters 0-9 or <",
        })
    }

    pub(crate) fn from_raw_bytes(raw: &[u8]) -> Option<Self> {
        let arr: [u8; 6] = raw.try_into().ok()?;
        arr.iter()
            .all(|b| b.is_ascii_digit() || *b == b'<')
            .then_some(Self(arr))
    }

    /// A plausible date: each of `YY`, `MM`, `DD` two digits or `<<`
    /// (unknown), month 01..=12, day 01..=31 and within the month (29
    /// February only in years that are leap in some century).
    ///
    /// # Errors
    /// [`MrzError::InvalidDate`] saying what is wrong.
    pub fn new(raw: &str) -> Result<Self, MrzError> {
        Self::new_for(raw, MrzField::DateOfBirth)
    }

    /// As [`MrzDate::new`], naming `field` in the error.
    pub(crate) fn new_for(raw: &str, field: MrzField) -> Result<Self, MrzError> {
        let date = Self::from_raw_bytes(raw.as_bytes()).ok_or(MrzError::InvalidDate {
            field,
            reason: "need six characters 0-9 or <",
        })?;
        date.plausibility()
            .map_err(|reason| MrzError::InvalidDate { field, reason })?;
        Ok(date)
    }

    /// A date from its parts; `None` is an unknown part.
    ///
    /// # Errors
    /// [`MrzError::InvalidDate`] when a part is out of range.
    pub fn from_parts(yy: Option<u8>, mm: Option<u8>, dd: Option<u8>) -> Result<Self, MrzError> {
        let mut raw = [b'<'; 6];
        for (i, part) in [yy, mm, dd].into_iter().enumerate() {
            if let Some(v) = part {
                if v > 99 {
                    return Err(MrzError::InvalidDate {
                        field: MrzField::DateOfBirth,
                        reason: "a part is above 99",
                    });
                }
                raw[2 * i] = b'0' + v / 10;
                raw[2 * i + 1] = b'0' + v % 10;
            }
        }
        let date = Self(raw);
        date.plausibility()
            .map_err(|reason| MrzError::InvalidDate {
                field: MrzField::DateOfBirth,
                reason,
            })?;
        Ok(date)
    }

    fn part(self, i: usize) -> Option<u8> {
        match (self.0.get(2 * i), self.0.get(2 * i + 1)) {
            (Some(a), Some(b)) if a.is_ascii_digit() && b.is_ascii_digit() => {
                Some((a - b'0') * 10 + (b - b'0'))
            }
            _ => None,
        }
    }

    /// Two-digit year, `None` when unknown (or half filled).
    #[must_use]
    pub fn yy(self) -> Option<u8> {
        self.part(0)
    }

    /// Month, `None` when unknown.
    #[must_use]
    pub fn mm(self) -> Option<u8> {
        self.part(1)
    }

    /// Day, `None` when unknown.
    #[must_use]
    pub fn dd(self) -> Option<u8> {
        self.part(2)
    }

    /// The six characters as printed.
    #[must_use]
    pub fn as_str(&self) -> &str {
        // Only ASCII digits and '<' are ever stored.
        core::str::from_utf8(&self.0).unwrap_or("<<<<<<")
    }

    /// The six characters as bytes.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8; 6] {
        &self.0
    }

    /// Whether every part is known.
    #[must_use]
    pub fn is_complete(self) -> bool {
        self.0.iter().all(u8::is_ascii_digit)
    }

    /// Whether the date passes the checks of [`MrzDate::new`].
    #[must_use]
    pub fn is_plausible(self) -> bool {
        self.plausibility().is_ok()
    }

    fn plausibility(self) -> Result<(), &'static str> {
        for i in 0..3 {
            let pair = self.0.get(2 * i..2 * i + 2).unwrap_or_default();
            let digits = pair.iter().all(u8::is_ascii_digit);
            let fillers = pair.iter().all(|b| *b == b'<');
            if !digits && !fillers {
                return Err("a part mixes digits and fillers");
            }
        }
        if let Some(mm) = self.mm()
            && !(1..=12).contains(&mm)
        {
            return Err("month outside 01..12");
        }
        if let Some(dd) = self.dd() {
            let max = match self.mm() {
                Some(2) => match self.yy() {
                    // Two-digit year 00 is 1900 (not leap) or 2000 (leap);
                    // every other multiple of 4 is leap in both centuries.
                    Some(yy) if yy % 4 != 0 => 28,
                    _ => 29,
                },
                Some(4 | 6 | 9 | 11) => 30,
                _ => 31,
            };
            if !(1..=max).contains(&dd) {
                return Err("day outside the month");
            }
        }
        Ok(())
    }
}

impl fmt::Display for MrzDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Dates of birth are personal data: the debug view hides the digits.
impl fmt::Debug for MrzDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MrzDate(******)")
    }
}

impl TryFrom<String> for MrzDate {
    type Error = MrzError;
    fn try_from(s: String) -> Result<Self, MrzError> {
        Self::from_raw(&s)
    }
}

impl From<MrzDate> for String {
    fn from(d: MrzDate) -> String {
        d.as_str().to_owned()
    }
}

impl core::str::FromStr for MrzDate {
    type Err = MrzError;
    fn from_str(s: &str) -> Result<Self, MrzError> {
        Self::new(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn plausibility() {
        assert!(MrzDate::new("690806").is_ok());
        assert!(MrzDate::new("960229").is_ok());
        assert!(MrzDate::new("000229").is_ok());
        assert!(MrzDate::new("970229").is_err());
        assert!(MrzDate::new("690431").is_err());
        assert!(MrzDate::new("691301").is_err());
        assert!(MrzDate::new("690800").is_err());
        assert!(MrzDate::new("6908<6").is_err());
        assert!(MrzDate::new("69<<<<").is_ok());
        assert!(MrzDate::new("<<<<<<").is_ok());
        assert!(MrzDate::new("<<0229").is_ok());
        assert!(MrzDate::new("69080").is_err());
        assert!(MrzDate::new("69O806").is_err());
        let raw = MrzDate::from_raw("691399").unwrap();
        assert!(!raw.is_plausible());
        assert_eq!(raw.as_str(), "691399");
    }

    #[test]
    fn parts() {
        let d = MrzDate::new("69<<06").unwrap();
        assert_eq!((d.yy(), d.mm(), d.dd()), (Some(69), None, Some(6)));
        assert_eq!(
            MrzDate::from_parts(Some(69), Some(8), Some(6))
                .unwrap()
                .as_str(),
            "690806"
        );
        assert_eq!(
            MrzDate::from_parts(None, None, None).unwrap().as_str(),
            "<<<<<<"
        );
        assert!(MrzDate::from_parts(Some(100), None, None).is_err());
        assert_eq!(format!("{:?}", d), "MrzDate(******)");
    }

    proptest! {
        #[test]
        fn serde_round_trip(yy in 0u8..100, mm in 1u8..13, dd in 1u8..29) {
            let d = MrzDate::from_parts(Some(yy), Some(mm), Some(dd)).unwrap();
            let json = serde_json::to_string(&d).unwrap();
            prop_assert_eq!(serde_json::from_str::<MrzDate>(&json).unwrap(), d);
        }
    }
}
