//! DG14 (Doc 9303-10 §4.7.14, Doc 9303-11 §9.2): the SecurityInfos for
//! Chip Authentication, PACE and Active Authentication with ECDSA, inside
//! tag `6E`.
//!
//! ```text
//! 6E L
//!    31 L  SET OF SecurityInfo
//! ```

use mrtd_iso7816::tlv::{self, Tag};
use serde::Serialize;

use crate::lenient::{Defect, Diag, ParseOptions, Parsed, TrailingData};
use crate::security_infos::SecurityInfos;
use crate::{DgNumber, EfId, LdsError};

const TAG_DG14: Tag = Tag(0x6E);
const TAG_SET: Tag = Tag(0x31);
const EF: EfId = EfId::Dg(match DgNumber::new(14) {
    Some(dg) => dg,
    None => unreachable!(),
});

/// DG14: SecurityInfos.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Dg14 {
    /// The SecurityInfos.
    pub security_infos: SecurityInfos,
}

impl Dg14 {
    /// Parses DG14 strictly.
    ///
    /// # Errors
    /// As [`Dg14::parse_with`] in strict mode.
    pub fn parse(bytes: &[u8]) -> Result<Self, LdsError> {
        Self::parse_with(bytes, ParseOptions::STRICT).map(|p| p.value)
    }

    /// Parses DG14; bytes after the `6E` object or after the SET inside it
    /// are defects.
    ///
    /// # Errors
    /// [`LdsError`] naming the defect and its offset.
    pub fn parse_with(bytes: &[u8], options: ParseOptions) -> Result<Parsed<Self>, LdsError> {
        let mut diag = Diag::new(EF, options);
        let root = crate::objects::lenient_root(&mut diag, bytes, TAG_DG14)?;
        let (set, rest) = tlv::parse_tlv(root.value).map_err(|e| LdsError::Tlv {
            ef: EF,
            source: e.shifted(root.value_offset),
        })?;
        if set.tag != TAG_SET {
            return Err(LdsError::UnexpectedObject {
                ef: EF,
                offset: root.value_offset,
                parent: TAG_DG14,
                tag: set.tag,
            });
        }
        if !rest.is_empty() {
            diag.warn(
                root.value_offset + set.total_len(),
                Defect::TrailingBytes {
                    count: rest.len(),
                    what: TrailingData::classify(rest),
                },
            )?;
        }
        let der = root.value.get(..set.total_len()).unwrap_or_default();
        let security_infos = SecurityInfos::parse_exact(&mut diag, der, root.value_offset)?;
        Ok(diag.finish(Self { security_infos }))
    }

    /// Encodes DG14.
    ///
    /// # Errors
    /// As [`SecurityInfos::to_der`].
    pub fn to_bytes(&self) -> Result<Vec<u8>, LdsError> {
        let set = self.security_infos.to_der().map_err(|e| e.with_ef(EF))?;
        Ok(tlv::tlv(TAG_DG14, &set))
    }
}
