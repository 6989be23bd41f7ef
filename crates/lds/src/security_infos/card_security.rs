//! EF.CardSecurity (TR-03110-3 §A.1.2.5, Doc 9303-11 §9.2 for PACE-CAM):
//! a CMS `ContentInfo` with `SignedData` — like EF.SOD but without the
//! `77` wrapper — whose eContent, of type `id-SecurityObject`, is the
//! DER of SecurityInfos signed by the Document Signer.
//!
//! The original bytes are kept with the ranges of the SignedData, the
//! eContent, the certificates and the SignerInfos, for the signature
//! check of the trust layer (never re-encode what was signed).

use core::fmt;
use core::ops::Range;

use cms::content_info::{CmsVersion, ContentInfo};
use cms::signed_data::{SignedData, SignerInfo};
use der::Decode;
use der::asn1::ObjectIdentifier;
use mrtd_iso7816::tlv::{self, Tag};
use x509_cert::Certificate;

use super::SecurityInfos;
use super::oid::ID_SECURITY_OBJECT;
use crate::lenient::{Defect, Diag, ParseOptions, Parsed, TrailingData};
use crate::objects::Object;
use crate::sod::{ID_SIGNED_DATA, Layout, RawSignerInfo, locate};
use crate::{EfId, LdsError};

const EF: EfId = EfId::CardSecurity;

/// A structural rule of EF.CardSecurity that a file breaks (reported as
/// [`Defect::FieldValue`] in lenient mode).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CardSecurityDefect {
    /// `ContentInfo.contentType` is not id-signedData.
    #[error("content type {0} is not id-signedData")]
    ContentType(ObjectIdentifier),
    /// `SignedData.version` is not 3 (TR-03110-3 §A.1.2.5, as EF.SOD).
    #[error("SignedData version is {0}, expected 3")]
    SignedDataVersion(u8),
    /// eContentType is not id-SecurityObject.
    #[error("eContentType {0} is not id-SecurityObject (0.4.0.127.0.7.3.2.1)")]
    EContentType(ObjectIdentifier),
}

/// A parsed EF.CardSecurity.
#[derive(Clone, PartialEq, Eq)]
pub struct CardSecurity {
    bytes: Vec<u8>,
    end: usize,
    content_type: ObjectIdentifier,
    signed_data: SignedData,
    layout_signed_data: Range<usize>,
    econtent: Range<usize>,
    certificates: Vec<Range<usize>>,
    signers: Vec<(Range<usize>, Option<Range<usize>>)>,
    security_infos: SecurityInfos,
}

impl CardSecurity {
    /// Parses EF.CardSecurity strictly.
    ///
    /// # Errors
    /// As [`CardSecurity::parse_with`] in strict mode.
    pub fn parse(bytes: &[u8]) -> Result<Self, LdsError> {
        Self::parse_with(bytes, ParseOptions::STRICT).map(|p| p.value)
    }

    /// Parses EF.CardSecurity. Defects (bytes after the ContentInfo, a
    /// content type, SignedData version or eContentType other than
    /// TR-03110 says, defects of the SecurityInfos) are warnings in
    /// lenient mode.
    ///
    /// # Errors
    /// [`LdsError`] for bytes that do not decode (absent eContent
    /// included); in strict mode also every defect.
    pub fn parse_with(bytes: &[u8], options: ParseOptions) -> Result<Parsed<Self>, LdsError> {
        let mut diag = Diag::new(EF, options);
        let (outer, rest) =
            tlv::parse_tlv(bytes).map_err(|source| LdsError::Tlv { ef: EF, source })?;
        let end = outer.total_len();
        if !rest.is_empty() {
            diag.warn(
                end,
                Defect::TrailingBytes {
                    count: rest.len(),
                    what: TrailingData::classify(rest),
                },
            )?;
        }
        let file = bytes.get(..end).unwrap_or_default();
        // `locate` walks the single child of a root object; the root here
        // is the file itself.
        let root = Object {
            tag: Tag(0),
            value: file,
            offset: 0,
            value_offset: 0,
        };
        let Layout {
            signed_data: signed_data_range,
            econtent,
            certificates,
            signers,
        } = locate(EF, &root)?;
        let der_err = |context: &'static str, offset: usize| {
            move |source: der::Error| LdsError::Der {
                ef: EF,
                context,
                offset,
                source,
            }
        };
        let content_info = ContentInfo::from_der(file).map_err(der_err("ContentInfo", 0))?;
        let signed_data = content_info
            .content
            .decode_as::<SignedData>()
            .map_err(der_err("SignedData", signed_data_range.start))?;
        let econtent = econtent.ok_or_else(|| LdsError::InvalidField {
            ef: EF,
            offset: signed_data_range.start,
            field: "encapContentInfo",
            reason: "the eContent (the SecurityInfos) is absent".into(),
        })?;
        let mut defects = Vec::new();
        if content_info.content_type != ID_SIGNED_DATA {
            defects.push(CardSecurityDefect::ContentType(content_info.content_type));
        }
        if signed_data.version != CmsVersion::V3 {
            defects.push(CardSecurityDefect::SignedDataVersion(
                signed_data.version as u8,
            ));
        }
        let econtent_type = signed_data.encap_content_info.econtent_type;
        if econtent_type != ID_SECURITY_OBJECT {
            defects.push(CardSecurityDefect::EContentType(econtent_type));
        }
        for d in defects {
            diag.warn(
                0,
                Defect::FieldValue {
                    field: "EF.CardSecurity structure",
                    reason: d.to_string(),
                },
            )?;
        }
        let security_infos = SecurityInfos::parse_exact(
            &mut diag,
            bytes.get(econtent.clone()).unwrap_or_default(),
            econtent.start,
        )?;
        Ok(diag.finish(Self {
            bytes: bytes.to_vec(),
            end,
            content_type: content_info.content_type,
            signed_data,
            layout_signed_data: signed_data_range,
            econtent,
            certificates,
            signers: signers
                .into_iter()
                .map(|s| (s.signer_info, s.signed_attributes))
                .collect(),
            security_infos,
        }))
    }

    /// The whole file as read (trailing bytes included).
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The ContentInfo as read (without trailing bytes).
    #[must_use]
    pub fn content_info_bytes(&self) -> &[u8] {
        self.bytes.get(..self.end).unwrap_or_default()
    }

    /// `ContentInfo.contentType`.
    #[must_use]
    pub fn content_type(&self) -> ObjectIdentifier {
        self.content_type
    }

    /// The decoded SignedData.
    #[must_use]
    pub fn signed_data(&self) -> &SignedData {
        &self.signed_data
    }

    /// The SignedData encoding exactly as in the file.
    #[must_use]
    pub fn signed_data_bytes(&self) -> &[u8] {
        self.bytes
            .get(self.layout_signed_data.clone())
            .unwrap_or_default()
    }

    /// `eContentType` (id-SecurityObject).
    #[must_use]
    pub fn encapsulated_content_type(&self) -> ObjectIdentifier {
        self.signed_data.encap_content_info.econtent_type
    }

    /// The eContent octets exactly as in the file: the DER SecurityInfos
    /// whose digest the `messageDigest` signed attribute carries.
    #[must_use]
    pub fn encapsulated_content(&self) -> &[u8] {
        self.bytes.get(self.econtent.clone()).unwrap_or_default()
    }

    /// The signed SecurityInfos.
    #[must_use]
    pub fn security_infos(&self) -> &SecurityInfos {
        &self.security_infos
    }

    /// The certificates of `SignedData.certificates`.
    pub fn certificates(&self) -> impl Iterator<Item = &Certificate> {
        self.signed_data
            .certificates
            .iter()
            .flat_map(|set| set.0.iter())
            .filter_map(|c| match c {
                cms::cert::CertificateChoices::Certificate(cert) => Some(cert),
                cms::cert::CertificateChoices::Other(_) => None,
            })
    }

    /// The certificate encodings exactly as in the file.
    pub fn certificates_der(&self) -> impl Iterator<Item = &[u8]> {
        self.certificates
            .iter()
            .map(|r| self.bytes.get(r.clone()).unwrap_or_default())
    }

    /// The decoded SignerInfos.
    pub fn signer_infos(&self) -> impl Iterator<Item = &SignerInfo> {
        self.signed_data.signer_infos.0.iter()
    }

    /// The SignerInfos exactly as in the file.
    pub fn raw_signer_infos(&self) -> impl Iterator<Item = RawSignerInfo<'_>> {
        self.signers.iter().map(|(si, attrs)| RawSignerInfo {
            der: self.bytes.get(si.clone()).unwrap_or_default(),
            signed_attributes: attrs
                .as_ref()
                .map(|a| self.bytes.get(a.clone()).unwrap_or_default()),
        })
    }
}

impl fmt::Debug for CardSecurity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CardSecurity")
            .field("len", &self.bytes.len())
            .field("econtent_type", &self.encapsulated_content_type())
            .field("security_infos", &self.security_infos.infos.len())
            .field("certificates", &self.certificates.len())
            .field("signer_infos", &self.signers.len())
            .finish()
    }
}
