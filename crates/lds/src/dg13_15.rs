//! DG13 (optional details, Doc 9303-10 §4.7.13: content defined by the
//! issuer, kept opaque) and DG15 (the Active Authentication public key,
//! Doc 9303-10 §4.7.15, Doc 9303-11 §6.1: a SubjectPublicKeyInfo, RSA or
//! EC with named or explicit parameters).

use core::fmt;

use mrtd_iso7816::tlv::Tag;
use serde::{Deserialize, Serialize};

use crate::lenient::{Diag, ParseOptions, Parsed};
use crate::objects::lenient_root;
use crate::public_key::PublicKeyInfo;
use crate::{DgNumber, EfId, LdsError};

const DG13: EfId = EfId::Dg(match DgNumber::new(13) {
    Some(dg) => dg,
    None => unreachable!(),
});
const DG15: EfId = EfId::Dg(match DgNumber::new(15) {
    Some(dg) => dg,
    None => unreachable!(),
});

/// DG13: the value of tag `6D`, as the issuer wrote it.
#[derive(Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Dg13 {
    /// The content.
    pub content: Vec<u8>,
}

impl fmt::Debug for Dg13 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Dg13(<{} bytes>)", self.content.len())
    }
}

impl Dg13 {
    /// Parses DG13 strictly.
    ///
    /// # Errors
    /// As [`Dg13::parse_with`] in strict mode.
    pub fn parse(bytes: &[u8]) -> Result<Self, LdsError> {
        Self::parse_with(bytes, ParseOptions::STRICT).map(|p| p.value)
    }

    /// Parses DG13 (bytes after `6D` are a defect).
    ///
    /// # Errors
    /// [`LdsError::Tlv`] for broken framing.
    pub fn parse_with(bytes: &[u8], options: ParseOptions) -> Result<Parsed<Self>, LdsError> {
        let mut diag = Diag::new(DG13, options);
        let root = lenient_root(&mut diag, bytes, Tag(0x6D))?;
        Ok(diag.finish(Self {
            content: root.value.to_vec(),
        }))
    }

    /// Encodes DG13.
    #[must_use]
    pub fn to_bytes(&self) -> Vec<u8> {
        mrtd_iso7816::tlv::tlv(Tag(0x6D), &self.content)
    }
}

/// DG15: the Active Authentication public key.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Dg15 {
    /// The key, DER as read.
    pub public_key: PublicKeyInfo,
}

impl Dg15 {
    /// Parses DG15 strictly.
    ///
    /// # Errors
    /// As [`Dg15::parse_with`] in strict mode.
    pub fn parse(bytes: &[u8]) -> Result<Self, LdsError> {
        Self::parse_with(bytes, ParseOptions::STRICT).map(|p| p.value)
    }

    /// Parses DG15 (bytes after `6F` are a defect).
    ///
    /// # Errors
    /// [`LdsError::Der`] when the content is not a SubjectPublicKeyInfo.
    pub fn parse_with(bytes: &[u8], options: ParseOptions) -> Result<Parsed<Self>, LdsError> {
        let mut diag = Diag::new(DG15, options);
        let root = lenient_root(&mut diag, bytes, Tag(0x6F))?;
        let public_key = PublicKeyInfo::from_der(root.value).map_err(|source| LdsError::Der {
            ef: DG15,
            context: "SubjectPublicKeyInfo",
            offset: root.value_offset,
            source,
        })?;
        Ok(diag.finish(Self { public_key }))
    }

    /// Encodes DG15.
    #[must_use]
    pub fn to_bytes(&self) -> Vec<u8> {
        mrtd_iso7816::tlv::tlv(Tag(0x6F), self.public_key.as_der())
    }
}
