//! Any LDS file by its identifier: one entry point for tools that walk a
//! dump folder (`mrtd show`) and for fuzzing every parser at once.

use serde::Serialize;

use crate::lenient::{ParseOptions, Parsed};
use crate::{
    BiometricGroup, CardSecurity, Dg1, Dg2, Dg11, Dg12, Dg13, Dg14, Dg15, Dg16, DisplayedImages,
    EfCom, EfId, LdsError, SecurityInfos, Sod,
};

/// A parsed LDS file.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "file", content = "content")]
#[non_exhaustive]
pub enum LdsFile {
    /// EF.COM.
    Com(EfCom),
    /// EF.SOD.
    #[serde(skip)]
    Sod(Box<Sod>),
    /// DG1.
    Dg1(Dg1),
    /// DG2.
    Dg2(Dg2),
    /// DG3 or DG4.
    Biometric(BiometricGroup),
    /// DG5, DG6 or DG7.
    Displayed(DisplayedImages),
    /// DG11.
    Dg11(Dg11),
    /// DG12.
    Dg12(Dg12),
    /// DG13.
    Dg13(Dg13),
    /// DG14.
    Dg14(Dg14),
    /// DG15.
    Dg15(Dg15),
    /// DG16.
    Dg16(Dg16),
    /// EF.CardAccess.
    CardAccess(SecurityInfos),
    /// EF.CardSecurity.
    #[serde(skip)]
    CardSecurity(Box<CardSecurity>),
    /// A file without a model here (EF.ATR/INFO, DG8 to DG10), as read.
    Raw(Vec<u8>),
}

/// Parses `bytes` as the file `ef`.
///
/// # Errors
/// The [`LdsError`] of that file's parser.
pub fn parse_file(
    ef: EfId,
    bytes: &[u8],
    options: ParseOptions,
) -> Result<Parsed<LdsFile>, LdsError> {
    let dg = match ef {
        EfId::Com => return EfCom::parse_with(bytes, options).map(|p| p.map(LdsFile::Com)),
        EfId::Sod => {
            return Sod::parse_with(bytes, options).map(|p| p.map(|s| LdsFile::Sod(Box::new(s))));
        }
        EfId::CardAccess => {
            return SecurityInfos::parse_file(ef, bytes, options)
                .map(|p| p.map(LdsFile::CardAccess));
        }
        EfId::CardSecurity => {
            return CardSecurity::parse_with(bytes, options)
                .map(|p| p.map(|c| LdsFile::CardSecurity(Box::new(c))));
        }
        EfId::AtrInfo => {
            return Ok(Parsed {
                value: LdsFile::Raw(bytes.to_vec()),
                warnings: Vec::new(),
            });
        }
        EfId::Dg(dg) => dg,
    };
    match dg.get() {
        1 => Dg1::parse_with(bytes, options).map(|p| p.map(LdsFile::Dg1)),
        2 => Dg2::parse_with(bytes, options).map(|p| p.map(LdsFile::Dg2)),
        3 | 4 => BiometricGroup::parse_with(dg, bytes, options).map(|p| p.map(LdsFile::Biometric)),
        5..=7 => DisplayedImages::parse_with(dg, bytes, options).map(|p| p.map(LdsFile::Displayed)),
        11 => Dg11::parse_with(bytes, options).map(|p| p.map(LdsFile::Dg11)),
        12 => Dg12::parse_with(bytes, options).map(|p| p.map(LdsFile::Dg12)),
        13 => Dg13::parse_with(bytes, options).map(|p| p.map(LdsFile::Dg13)),
        14 => Dg14::parse_with(bytes, options).map(|p| p.map(LdsFile::Dg14)),
        15 => Dg15::parse_with(bytes, options).map(|p| p.map(LdsFile::Dg15)),
        16 => Dg16::parse_with(bytes, options).map(|p| p.map(LdsFile::Dg16)),
        _ => Ok(Parsed {
            value: LdsFile::Raw(bytes.to_vec()),
            warnings: Vec::new(),
        }),
    }
}
