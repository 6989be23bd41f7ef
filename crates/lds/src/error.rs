//! The one error type of the crate: which file, where in it, what.
//!
//! Offsets are byte offsets from the start of the elementary file as read
//! from the chip (the first byte of its opening tag is offset 0). Messages
//! never quote file contents: they may be personal data.

use mrtd_iso7816::tlv::{Tag, TlvError};
use mrtd_mrz::MrzError;

use crate::EfId;
use crate::sod::SodDefect;

/// What is wrong with an LDS file, or with a value meant for one.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LdsError {
    /// The BER-TLV structure is broken (offsets relative to the file).
    #[error("{ef}: {source}")]
    Tlv {
        /// The file.
        ef: EfId,
        /// The TLV defect, its offset relative to the file start.
        #[source]
        source: TlvError,
    },
    /// A mandatory data object is absent.
    #[error("{ef}: data object {tag} missing from {parent} at offset {offset}")]
    MissingObject {
        /// The file.
        ef: EfId,
        /// Offset of the parent object.
        offset: usize,
        /// The parent object's tag.
        parent: Tag,
        /// The missing tag.
        tag: Tag,
    },
    /// A data object that has no place where it is.
    #[error("{ef}: data object {tag} at offset {offset} is not allowed in {parent}")]
    UnexpectedObject {
        /// The file.
        ef: EfId,
        /// Offset of the object.
        offset: usize,
        /// The parent object's tag.
        parent: Tag,
        /// The object's tag.
        tag: Tag,
    },
    /// A data object that may occur once, repeated.
    #[error("{ef}: data object {tag} at offset {offset} occurs a second time")]
    DuplicateObject {
        /// The file.
        ef: EfId,
        /// Offset of the repetition.
        offset: usize,
        /// Its tag.
        tag: Tag,
    },
    /// A field whose length runs past the bytes that are there.
    #[error("{ef}: {field} at offset {offset} needs {needed} bytes, {available} remain")]
    Truncated {
        /// The file.
        ef: EfId,
        /// Offset of the field.
        offset: usize,
        /// The field.
        field: &'static str,
        /// Bytes the field needs.
        needed: usize,
        /// Bytes that remain.
        available: usize,
    },
    /// A field with a value its definition does not allow.
    #[error("{ef}: {field} at offset {offset}: {reason}")]
    InvalidField {
        /// The file.
        ef: EfId,
        /// Offset of the field.
        offset: usize,
        /// The field.
        field: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// The MRZ inside DG1 is not an MRZ.
    #[error("{ef}: MRZ at offset {offset}: {source}")]
    Mrz {
        /// The file.
        ef: EfId,
        /// Offset of the MRZ text.
        offset: usize,
        /// What is wrong with it.
        #[source]
        source: MrzError,
    },
    /// ASN.1 DER that does not decode (EF.SOD).
    #[error("{ef}: ASN.1 {context} at offset {offset}: {source}")]
    Der {
        /// The file.
        ef: EfId,
        /// Which structure was being decoded.
        context: &'static str,
        /// File offset of that structure (the decoder's position is
        /// relative to it).
        offset: usize,
        /// The decoder's error, with its position inside that structure.
        #[source]
        source: der::Error,
    },
    /// A structural rule of Doc 9303-10 §4.6.2 / RFC 5652 that EF.SOD breaks.
    #[error("EF.SOD: {0}")]
    Sod(#[from] SodDefect),
    /// A defect a lenient parse would have tolerated, in strict mode
    /// (see [`ParseOptions`](crate::ParseOptions)).
    #[error("{0} (strict mode)")]
    Defect(Box<crate::LdsWarning>),
    /// A value that cannot be encoded.
    #[error("{ef}: cannot encode {field}: {reason}")]
    Encode {
        /// The file being encoded.
        ef: EfId,
        /// The field.
        field: &'static str,
        /// Why.
        reason: String,
    },
}

impl LdsError {
    /// The same error about another file (a structure shared by several
    /// files is parsed under one name, then renamed).
    #[must_use]
    pub(crate) fn with_ef(mut self, new: EfId) -> Self {
        match &mut self {
            Self::Tlv { ef, .. }
            | Self::MissingObject { ef, .. }
            | Self::UnexpectedObject { ef, .. }
            | Self::DuplicateObject { ef, .. }
            | Self::Truncated { ef, .. }
            | Self::InvalidField { ef, .. }
            | Self::Mrz { ef, .. }
            | Self::Der { ef, .. }
            | Self::Encode { ef, .. } => *ef = new,
            Self::Defect(w) => w.ef = new,
            Self::Sod(_) => {}
        }
        self
    }

    /// The file the error is about.
    #[must_use]
    pub fn ef(&self) -> EfId {
        match self {
            Self::Tlv { ef, .. }
            | Self::MissingObject { ef, .. }
            | Self::UnexpectedObject { ef, .. }
            | Self::DuplicateObject { ef, .. }
            | Self::Truncated { ef, .. }
            | Self::InvalidField { ef, .. }
            | Self::Mrz { ef, .. }
            | Self::Der { ef, .. }
            | Self::Encode { ef, .. } => *ef,
            Self::Sod(_) => EfId::Sod,
            Self::Defect(w) => w.ef,
        }
    }
}
