//! DG1, the MRZ (Doc 9303-10 §4.7.1):
//!
//! ```text
//! 61 L
//!    5F1F L   MRZ text, the lines concatenated (90, 72 or 88 characters)
//! ```

use core::fmt;

use mrtd_iso7816::tlv::{Tag, encode_tlv};
use mrtd_mrz::Mrz;
use serde::{Deserialize, Serialize};

use crate::objects::{file_object, set_once};
use crate::{DgNumber, EfId, LdsError};

const EF: EfId = EfId::Dg(DG1);
const DG1: DgNumber = match DgNumber::new(1) {
    Some(dg) => dg,
    None => unreachable!(),
};
const TAG_DG1: Tag = Tag(0x61);
const TAG_MRZ: Tag = Tag(0x5F1F);

/// DG1: the machine readable zone.
///
/// The MRZ keeps its exact characters, so [`Dg1::to_bytes`] reproduces the
/// file byte for byte even when a check digit in it is wrong.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Dg1 {
    /// The MRZ.
    pub mrz: Mrz,
}

impl Dg1 {
    /// Parses DG1.
    ///
    /// # Errors
    /// [`LdsError::Tlv`] and friends for the framing, [`LdsError::Mrz`] when
    /// the text is not an MRZ (check digits are verdicts of the [`Mrz`], not
    /// errors).
    pub fn parse(bytes: &[u8]) -> Result<Self, LdsError> {
        let root = file_object(EF, bytes, TAG_DG1)?;
        let mut mrz = None;
        for child in root.children(EF)? {
            match child.tag {
                TAG_MRZ => set_once(EF, &mut mrz, child)?,
                _ => return Err(root.unexpected(EF, &child)),
            }
        }
        let text = mrz.ok_or_else(|| root.missing(EF, TAG_MRZ))?;
        let mrz = Mrz::from_bytes(text.value).map_err(|source| LdsError::Mrz {
            ef: EF,
            offset: text.value_offset,
            source,
        })?;
        Ok(Self { mrz })
    }

    /// Encodes DG1.
    #[must_use]
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut value = Vec::with_capacity(96);
        encode_tlv(TAG_MRZ, self.mrz.as_str().as_bytes(), &mut value);
        let mut out = Vec::with_capacity(value.len() + 2);
        encode_tlv(TAG_DG1, &value, &mut out);
        out
    }
}

impl From<Mrz> for Dg1 {
    fn from(mrz: Mrz) -> Self {
        Self { mrz }
    }
}

/// Shows only what [`Mrz`]'s `Debug` shows (no personal data).
impl fmt::Debug for Dg1 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Dg1").field("mrz", &self.mrz).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mrtd_mrz::{MrzFormat, Td3};
    use proptest::prelude::*;

    const UTO: &str =
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<L898902C36UTO7408122F1204159ZE184226B<<<<<10";

    #[test]
    fn round_trip_and_framing() {
        let dg1 = Dg1::from(Mrz::parse(UTO).unwrap());
        let bytes = dg1.to_bytes();
        assert_eq!(&bytes[..5], &[0x61, 0x5B, 0x5F, 0x1F, 0x58]);
        assert_eq!(Dg1::parse(&bytes).unwrap(), dg1);
        assert_eq!(dg1.mrz.format(), MrzFormat::Td3);
    }

    #[test]
    fn errors() {
        let mut bytes = Dg1::from(Mrz::parse(UTO).unwrap()).to_bytes();
        bytes[5 + 46] = b'a';
        assert!(matches!(
            Dg1::parse(&bytes),
            Err(LdsError::Mrz {
                offset: 5,
                source: mrtd_mrz::MrzError::IllegalCharacter {
                    line: 2,
                    column: 3,
                    ..
                },
                ..
            })
        ));
        assert!(matches!(
            Dg1::parse(&[0x61, 0x03, 0x5F, 0x1E, 0x00]),
            Err(LdsError::UnexpectedObject {
                tag: Tag(0x5F1E),
                offset: 2,
                ..
            })
        ));
        assert!(matches!(
            Dg1::parse(&[0x61, 0x00]),
            Err(LdsError::MissingObject { tag: TAG_MRZ, .. })
        ));
        assert!(matches!(
            Dg1::parse(&[0x61, 0x05, 0x5F, 0x1F, 0x03]),
            Err(LdsError::Tlv { .. })
        ));
    }

    #[test]
    fn debug_hides_the_mrz() {
        let dg1 = Dg1::from(Mrz::parse(UTO).unwrap());
        let debug = format!("{dg1:?}");
        assert!(
            !debug.contains("ERIKSSON") && !debug.contains("L898902C"),
            "{debug}"
        );
    }

    proptest! {
        #[test]
        fn never_panics(bytes in prop::collection::vec(any::<u8>(), 0..120)) {
            let _ = Dg1::parse(&bytes);
        }

        /// Any MRZ (of any format, check digits right or wrong) survives
        /// DG1 encoding byte for byte.
        #[test]
        fn round_trip(
            format in prop_oneof![Just(MrzFormat::Td1), Just(MrzFormat::Td2), Just(MrzFormat::Td3)],
            chars in prop::collection::vec(prop::sample::select(b"0123456789<<<<".to_vec()), 90),
            letters in "[A-Z<]{30}",
        ) {
            let mut text: Vec<u8> = chars[..format.total_len()].to_vec();
            // Letters everywhere except in the dates, and a valid sex code.
            let (dates, sex): (&[core::ops::Range<usize>], usize) = match format {
                MrzFormat::Td1 => (&[30..36, 38..44], 37),
                MrzFormat::Td2 => (&[49..55, 57..63], 56),
                MrzFormat::Td3 => (&[57..63, 65..71], 64),
            };
            for (i, l) in letters.bytes().enumerate() {
                let at = (i * 7) % text.len();
                if !dates.iter().any(|r| r.contains(&at)) {
                    text[at] = l;
                }
            }
            text[sex] = b'F';
            let mrz = Mrz::from_bytes(&text).unwrap();
            let dg1 = Dg1::from(mrz);
            let bytes = dg1.to_bytes();
            prop_assert_eq!(&bytes[bytes.len() - text.len()..], &text[..]);
            prop_assert_eq!(Dg1::parse(&bytes).unwrap(), dg1);
        }

        #[test]
        fn never_panics_on_mutations(pos in 0usize..93, byte in any::<u8>()) {
            let mut bytes = Dg1::from(Mrz::from(Td3::parse(UTO).unwrap())).to_bytes();
            bytes[pos] = byte;
            if let Ok(dg1) = Dg1::parse(&bytes) {
                prop_assert_eq!(dg1.to_bytes(), bytes);
            }
        }
    }
}
