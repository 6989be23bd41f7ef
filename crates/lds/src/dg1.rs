//! DG1, the MRZ (Doc 9303-10 §4.7.1):
//!
//! ```text
//! 61 L
//!    5F1F L   MRZ text, the lines concatenated (90, 72 or 88 characters)
//! ```

use core::fmt;

use mrtd_iso7816::tlv::{Tag, encode_tlv};
use mrtd_mrz::{Mrz, MrzField, MrzFormat};
use serde::{Deserialize, Serialize};

use crate::lenient::{Defect, Diag, ParseOptions, Parsed};
use crate::objects::{file_object, lenient_root, set_once};
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

    /// Parses DG1 with the leniency of `options`: a wrong check digit, a
    /// space or lower-case letter in the MRZ (read as `<` / upper case), a
    /// name whose fillers do not follow Doc 9303-3 §4.6.1 and bytes after
    /// the `61` object are [`Defect`]s — warnings in lenient mode, errors
    /// in strict mode. (Unlike [`Dg1::parse`], which keeps check digits as
    /// verdicts of the [`Mrz`] only.)
    ///
    /// # Errors
    /// As [`Dg1::parse`]; in strict mode also every defect.
    pub fn parse_with(bytes: &[u8], options: ParseOptions) -> Result<Parsed<Self>, LdsError> {
        let mut diag = Diag::new(EF, options);
        let root = lenient_root(&mut diag, bytes, TAG_DG1)?;
        let mut mrz = None;
        for child in root.children(EF)? {
            match child.tag {
                TAG_MRZ => set_once(EF, &mut mrz, child)?,
                _ if !diag.strict() => {
                    diag.warn(child.offset, Defect::UnexpectedObject { tag: child.tag.0 })?
                }
                _ => return Err(root.unexpected(EF, &child)),
            }
        }
        let text = mrz.ok_or_else(|| root.missing(EF, TAG_MRZ))?;
        let at = text.value_offset;
        let mrz = match Mrz::from_bytes(text.value) {
            Ok(mrz) => mrz,
            Err(first) => {
                // Spaces and lower-case letters are the repairs real
                // documents need; anything else stays an error.
                let mut repaired = text.value.to_vec();
                let mut fixes = Vec::new();
                for (i, b) in repaired.iter_mut().enumerate() {
                    let replacement = match *b {
                        b' ' => b'<',
                        b'a'..=b'z' => b.to_ascii_uppercase(),
                        _ => continue,
                    };
                    fixes.push((i, *b, replacement));
                    *b = replacement;
                }
                let mrz = match Mrz::from_bytes(&repaired) {
                    Ok(mrz) if !fixes.is_empty() => mrz,
                    _ => {
                        return Err(LdsError::Mrz {
                            ef: EF,
                            offset: at,
                            source: first,
                        });
                    }
                };
                for (i, found, replacement) in fixes {
                    diag.warn(
                        at + i,
                        Defect::MrzCharacter {
                            found: char::from(found),
                            replacement: char::from(replacement),
                        },
                    )?;
                }
                mrz
            }
        };
        check_name_fillers(&mut diag, &mrz, at)?;
        let positions = check_digit_positions(mrz.format());
        for (field, verdict) in mrz.check_digits().iter() {
            if !verdict.valid {
                let pos = positions
                    .iter()
                    .find(|(f, _)| *f == field)
                    .map_or(0, |(_, p)| *p);
                diag.warn(
                    at + pos,
                    Defect::CheckDigit {
                        field: field.name(),
                        found: verdict.found,
                        computed: verdict.computed,
                    },
                )?;
            }
        }
        Ok(diag.finish(Self { mrz }))
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

/// The name field of each format (Doc 9303-5/-6/-4 §4.2.2), as a range of
/// the concatenated MRZ.
fn name_field(format: MrzFormat) -> core::ops::Range<usize> {
    match format {
        MrzFormat::Td1 => 60..90,
        MrzFormat::Td2 => 5..36,
        MrzFormat::Td3 => 5..44,
    }
}

/// Where each check digit sits in the concatenated MRZ (the standard
/// position; a TD1/TD2 long document number moves its check digit into
/// the optional data).
fn check_digit_positions(format: MrzFormat) -> &'static [(MrzField, usize)] {
    match format {
        MrzFormat::Td1 => &[
            (MrzField::DocumentNumber, 14),
            (MrzField::DateOfBirth, 36),
            (MrzField::DateOfExpiry, 44),
            (MrzField::Composite, 59),
        ],
        MrzFormat::Td2 => &[
            (MrzField::DocumentNumber, 45),
            (MrzField::DateOfBirth, 55),
            (MrzField::DateOfExpiry, 63),
            (MrzField::Composite, 71),
        ],
        MrzFormat::Td3 => &[
            (MrzField::DocumentNumber, 53),
            (MrzField::DateOfBirth, 63),
            (MrzField::DateOfExpiry, 71),
            (MrzField::OptionalData, 86),
            (MrzField::Composite, 87),
        ],
    }
}

/// Doc 9303-3 §4.6.1: two fillers separate the primary from the secondary
/// identifier, one filler separates words, trailing fillers pad. A run of
/// three or more followed by more name is padding in the middle of a name.
fn check_name_fillers(diag: &mut Diag, mrz: &Mrz, at: usize) -> Result<(), LdsError> {
    let range = name_field(mrz.format());
    let field = mrz
        .as_str()
        .as_bytes()
        .get(range.clone())
        .unwrap_or_default();
    let mut i = 0;
    while i < field.len() {
        if field[i] != b'<' {
            i += 1;
            continue;
        }
        let start = i;
        while i < field.len() && field[i] == b'<' {
            i += 1;
        }
        let run = i - start;
        if run >= 3 && i < field.len() {
            diag.warn(at + range.start + start, Defect::NameFiller { run })?;
        }
    }
    Ok(())
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
