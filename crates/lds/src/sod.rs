//! EF.SOD, the Document Security Object (Doc 9303-10 §4.6.2, Doc 9303-12
//! §4.6.2 and Appendix): a CMS `SignedData` (RFC 5652) wrapped in tag
//! `[APPLICATION 23]` (`77`), whose encapsulated content is the
//! `LDSSecurityObject` with the hash of every data group.
//!
//! ```text
//! 77 L
//!    ContentInfo { contentType id-signedData,
//!                  content SignedData { version 3, digestAlgorithms,
//!                     encapContentInfo { eContentType id-icao-ldsSecurityObject,
//!                                        eContent OCTET STRING (LDSSecurityObject) },
//!                     certificates (the Document Signer), signerInfos } }
//! ```
//!
//! [`Sod::parse`] decodes it and applies the structural rules in one place,
//! [`Sod::check_structure`]. Everything a signature check needs later is
//! kept as the original bytes — never re-encoded, because DER re-encoding
//! is not guaranteed to reproduce what was signed (`SetOfVec` sorts, for
//! one).

use core::fmt;
use core::ops::Range;

use cms::content_info::{CmsVersion, ContentInfo};
use cms::signed_data::{SignedData, SignerIdentifier, SignerInfo};
use der::asn1::{ObjectIdentifier, OctetString, PrintableString};
use der::{Decode, Sequence};
use mrtd_iso7816::tlv::{self, Tag};
use spki::AlgorithmIdentifierOwned;
use x509_cert::Certificate;

use crate::objects::Object;
use crate::{DgNumber, EfId, LdsError};

const EF: EfId = EfId::Sod;
const TAG_SOD: Tag = Tag(0x77);

/// `id-icao-ldsSecurityObject` 2.23.136.1.1.1 (Doc 9303-10 §4.6.2.3).
pub const ID_ICAO_LDS_SECURITY_OBJECT: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("2.23.136.1.1.1");
/// `id-signedData` 1.2.840.113549.1.7.2 (RFC 5652 §5.1).
pub const ID_SIGNED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");

/// `LDSSecurityObject` (Doc 9303-10 §4.6.2.3):
///
/// ```text
/// LDSSecurityObject ::= SEQUENCE {
///   version                LDSSecurityObjectVersion,   -- v0(0), v1(1)
///   hashAlgorithm          DigestAlgorithmIdentifier,
///   dataGroupHashValues    SEQUENCE SIZE (2..ub-DataGroups) OF DataGroupHash,
///   ldsVersionInfo         LDSVersionInfo OPTIONAL }   -- present iff v1
/// ```
///
/// The version and data group numbers are kept as decoded integers so that
/// out-of-range values reach [`Sod::check_structure`] and get a precise
/// [`SodDefect`] instead of a generic decoding error.
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub struct LdsSecurityObject {
    /// 0, or 1 when `lds_version_info` is present.
    pub version: i64,
    /// The hash algorithm of the data group hashes.
    pub hash_algorithm: AlgorithmIdentifierOwned,
    /// One hash per data group.
    pub data_group_hash_values: Vec<DataGroupHash>,
    /// LDS and Unicode version (LDS 1.8 and later).
    #[asn1(optional = "true")]
    pub lds_version_info: Option<LdsVersionInfo>,
}

/// `DataGroupHash ::= SEQUENCE { dataGroupNumber, dataGroupHashValue }`.
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub struct DataGroupHash {
    /// 1 to 16.
    pub data_group_number: i64,
    /// The hash of the whole data group file.
    pub data_group_hash_value: OctetString,
}

/// `LDSVersionInfo ::= SEQUENCE { ldsVersion, unicodeVersion }`, both
/// PrintableString ("0108", "040000").
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub struct LdsVersionInfo {
    /// LDS version, four digits.
    pub lds_version: PrintableString,
    /// Unicode version, six digits.
    pub unicode_version: PrintableString,
}

impl LdsVersionInfo {
    /// Builds the version info.
    ///
    /// # Errors
    /// A `der` error when a string is not a PrintableString.
    pub fn new(lds_version: &str, unicode_version: &str) -> der::Result<Self> {
        Ok(Self {
            lds_version: PrintableString::new(lds_version)?,
            unicode_version: PrintableString::new(unicode_version)?,
        })
    }
}

impl LdsSecurityObject {
    /// An `LDSSecurityObject` over `hashes`: version 1 with `lds_version_info`,
    /// version 0 without. Its DER (`der::Encode::to_der`) is what the
    /// Document Signer signs as eContent.
    ///
    /// # Errors
    /// A `der` error for a hash too long for an OCTET STRING.
    pub fn new(
        hash_algorithm: AlgorithmIdentifierOwned,
        hashes: impl IntoIterator<Item = (DgNumber, Vec<u8>)>,
        lds_version_info: Option<LdsVersionInfo>,
    ) -> der::Result<Self> {
        let data_group_hash_values = hashes
            .into_iter()
            .map(|(dg, hash)| {
                Ok(DataGroupHash {
                    data_group_number: i64::from(dg.get()),
                    data_group_hash_value: OctetString::new(hash)?,
                })
            })
            .collect::<der::Result<Vec<_>>>()?;
        Ok(Self {
            version: if lds_version_info.is_some() { 1 } else { 0 },
            hash_algorithm,
            data_group_hash_values,
            lds_version_info,
        })
    }

    /// The data group hashes whose number is a valid data group (1..=16),
    /// in file order.
    pub fn data_group_hashes(&self) -> impl Iterator<Item = (DgNumber, &[u8])> {
        self.data_group_hash_values.iter().filter_map(|h| {
            let dg = u8::try_from(h.data_group_number)
                .ok()
                .and_then(DgNumber::new)?;
            Some((dg, h.data_group_hash_value.as_bytes()))
        })
    }
}

/// A structural rule EF.SOD breaks. [`Sod::check_structure`] reports these.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SodDefect {
    /// `ContentInfo.contentType` is not id-signedData.
    #[error("content type {found} is not id-signedData (1.2.840.113549.1.7.2)")]
    ContentType {
        /// The content type found.
        found: ObjectIdentifier,
    },
    /// `SignedData.version` is not 3 (Doc 9303-10 §4.6.2.2).
    #[error("SignedData version is {found}; Doc 9303-10 §4.6.2.2 requires 3")]
    SignedDataVersion {
        /// The version found.
        found: u8,
    },
    /// The encapsulated content type is not id-icao-ldsSecurityObject.
    #[error("eContentType {found} is not id-icao-ldsSecurityObject (2.23.136.1.1.1)")]
    EContentType {
        /// The type found.
        found: ObjectIdentifier,
    },
    /// The encapsulated content is absent (a detached signature).
    #[error("the encapsulated content (eContent) is absent")]
    MissingEContent,
    /// `LDSSecurityObject.version` is neither 0 nor 1.
    #[error("LDSSecurityObject version is {found}; only 0 and 1 exist")]
    LdsSecurityObjectVersion {
        /// The version found.
        found: i64,
    },
    /// `ldsVersionInfo` present in version 0 or absent in version 1.
    #[error("LDSSecurityObject version {version} with ldsVersionInfo {}", if *present { "present" } else { "absent" })]
    LdsVersionInfo {
        /// The version.
        version: i64,
        /// Whether ldsVersionInfo is present.
        present: bool,
    },
    /// A data group number outside 1..=16.
    #[error("data group hash for data group number {found}, outside 1..=16")]
    DataGroupNumber {
        /// The number found.
        found: i64,
    },
    /// Two hashes for one data group.
    #[error("two hashes for {dg}")]
    DuplicateDataGroup {
        /// The data group.
        dg: DgNumber,
    },
    /// Fewer than the two hashes (DG1 and DG2 are mandatory) the ASN.1
    /// `SIZE (2..ub-DataGroups)` requires.
    #[error("{count} data group hashes; at least 2 are required")]
    TooFewDataGroupHashes {
        /// Number of hashes.
        count: usize,
    },
    /// No SignerInfo.
    #[error("SignedData has no SignerInfo")]
    NoSignerInfo,
    /// A SignerInfo whose version does not match its signer identifier
    /// (RFC 5652 §5.3: 1 with issuerAndSerialNumber, 3 with
    /// subjectKeyIdentifier).
    #[error("SignerInfo {index} has version {version} with a {sid} identifier")]
    SignerInfoVersion {
        /// Index of the SignerInfo (file order).
        index: usize,
        /// Its version.
        version: u8,
        /// Which identifier it uses.
        sid: &'static str,
    },
    /// Bytes after the `77` object.
    #[error("{count} bytes after the end of the object at offset {offset}")]
    TrailingBytes {
        /// Offset of the first extra byte.
        offset: usize,
        /// How many.
        count: usize,
    },
}

/// Where one SignerInfo sits in the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SignerRanges {
    pub(crate) signer_info: Range<usize>,
    pub(crate) signed_attributes: Option<Range<usize>>,
}

/// One SignerInfo as it is in the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RawSignerInfo<'a> {
    /// The whole `SignerInfo` encoding.
    pub der: &'a [u8],
    /// The `signedAttrs` encoding exactly as in the file, with its
    /// `[0] IMPLICIT` tag `A0`. The signature covers this with the tag
    /// replaced by `31` (SET OF), RFC 5652 §5.4.
    pub signed_attributes: Option<&'a [u8]>,
}

/// A parsed EF.SOD.
#[derive(Clone, PartialEq, Eq)]
pub struct Sod {
    bytes: Vec<u8>,
    /// End of the `77` object (anything after it is trailing).
    end: usize,
    content_type: ObjectIdentifier,
    signed_data: SignedData,
    signed_data_range: Range<usize>,
    econtent_range: Range<usize>,
    certificate_ranges: Vec<Range<usize>>,
    signer_ranges: Vec<SignerRanges>,
    lds_security_object: LdsSecurityObject,
}

impl Sod {
    /// Parses EF.SOD and applies [`Sod::check_structure`].
    ///
    /// # Errors
    /// [`LdsError::Tlv`] / [`LdsError::Der`] for undecodable bytes (with
    /// file offsets), [`LdsError::Sod`] for a broken structural rule.
    pub fn parse(bytes: &[u8]) -> Result<Self, LdsError> {
        let sod = Self::parse_unchecked(bytes)?;
        sod.check_structure()?;
        Ok(sod)
    }

    /// Decodes EF.SOD without the structural rules of
    /// [`Sod::check_structure`] (for inspecting a defective SOD). Trailing
    /// bytes after the `77` object are tolerated here.
    ///
    /// # Errors
    /// [`LdsError::Tlv`], [`LdsError::Der`], and
    /// [`SodDefect::MissingEContent`] when there is nothing to decode the
    /// `LDSSecurityObject` from.
    pub fn parse_unchecked(bytes: &[u8]) -> Result<Self, LdsError> {
        let tlv_err = |source: tlv::TlvError| LdsError::Tlv { ef: EF, source };
        let (outer, _) = tlv::parse_tlv(bytes).map_err(tlv_err)?;
        if outer.tag != TAG_SOD {
            return Err(tlv_err(tlv::TlvError::UnexpectedTag {
                offset: 0,
                expected: TAG_SOD,
                found: outer.tag,
            }));
        }
        let root = Object {
            tag: outer.tag,
            value: outer.value,
            offset: 0,
            value_offset: outer.header_len,
        };
        let layout = locate(EF, &root)?;

        let der_err = |context: &'static str, offset: usize| {
            move |source: der::Error| LdsError::Der {
                ef: EF,
                context,
                offset,
                source,
            }
        };
        let content_info =
            ContentInfo::from_der(root.value).map_err(der_err("ContentInfo", root.value_offset))?;
        let signed_data = content_info
            .content
            .decode_as::<SignedData>()
            .map_err(der_err("SignedData", layout.signed_data.start))?;
        let econtent = layout.econtent.clone().ok_or(SodDefect::MissingEContent)?;
        let lds_security_object =
            LdsSecurityObject::from_der(bytes.get(econtent.clone()).unwrap_or_default())
                .map_err(der_err("LDSSecurityObject", econtent.start))?;

        Ok(Self {
            bytes: bytes.to_vec(),
            end: outer.header_len + outer.value.len(),
            content_type: content_info.content_type,
            signed_data,
            signed_data_range: layout.signed_data,
            econtent_range: econtent,
            certificate_ranges: layout.certificates,
            signer_ranges: layout.signers,
            lds_security_object,
        })
    }

    /// Wraps a DER `ContentInfo` (as a signer produces it) in the
    /// `[APPLICATION 23]` tag and parses the result as EF.SOD.
    ///
    /// # Errors
    /// As [`Sod::parse`].
    pub fn from_content_info_der(content_info: &[u8]) -> Result<Self, LdsError> {
        Self::parse(&tlv::tlv(TAG_SOD, content_info))
    }

    /// The structural rules of Doc 9303-10 §4.6.2 and RFC 5652 that a
    /// decodable EF.SOD must also satisfy. This is the one place for them:
    /// passive authentication extends it with what needs more than the
    /// structure (algorithms, signatures, certificates).
    ///
    /// - `ContentInfo.contentType` is id-signedData;
    /// - `SignedData.version` is 3;
    /// - `eContentType` is id-icao-ldsSecurityObject;
    /// - `LDSSecurityObject.version` is 0 or 1, with `ldsVersionInfo`
    ///   exactly in version 1;
    /// - at least two data group hashes, numbers 1..=16, none repeated;
    /// - at least one SignerInfo, each with the version its identifier
    ///   demands;
    /// - nothing after the `77` object.
    ///
    /// # Errors
    /// [`LdsError::Sod`] with the first rule broken.
    pub fn check_structure(&self) -> Result<(), LdsError> {
        match self.structure_defects().into_iter().next() {
            Some(defect) => Err(defect.into()),
            None => Ok(()),
        }
    }

    /// Every structural rule of [`Sod::check_structure`] the file breaks,
    /// in the order listed there (empty when it is sound).
    #[must_use]
    pub fn structure_defects(&self) -> Vec<SodDefect> {
        let mut d = Vec::new();
        if self.content_type != ID_SIGNED_DATA {
            d.push(SodDefect::ContentType {
                found: self.content_type,
            });
        }
        if self.signed_data.version != CmsVersion::V3 {
            d.push(SodDefect::SignedDataVersion {
                found: self.signed_data.version as u8,
            });
        }
        let econtent_type = self.signed_data.encap_content_info.econtent_type;
        if econtent_type != ID_ICAO_LDS_SECURITY_OBJECT {
            d.push(SodDefect::EContentType {
                found: econtent_type,
            });
        }
        let lso = &self.lds_security_object;
        if !(0..=1).contains(&lso.version) {
            d.push(SodDefect::LdsSecurityObjectVersion { found: lso.version });
        } else {
            let present = lso.lds_version_info.is_some();
            if present != (lso.version == 1) {
                d.push(SodDefect::LdsVersionInfo {
                    version: lso.version,
                    present,
                });
            }
        }
        let hashes = &lso.data_group_hash_values;
        if hashes.len() < 2 {
            d.push(SodDefect::TooFewDataGroupHashes {
                count: hashes.len(),
            });
        }
        let mut seen = [false; 17];
        for h in hashes {
            match u8::try_from(h.data_group_number)
                .ok()
                .and_then(DgNumber::new)
            {
                None => d.push(SodDefect::DataGroupNumber {
                    found: h.data_group_number,
                }),
                Some(dg) => {
                    let slot = &mut seen[usize::from(dg.get())];
                    if *slot {
                        d.push(SodDefect::DuplicateDataGroup { dg });
                    }
                    *slot = true;
                }
            }
        }
        if self.signed_data.signer_infos.0.is_empty() {
            d.push(SodDefect::NoSignerInfo);
        }
        for (index, si) in self.signed_data.signer_infos.0.iter().enumerate() {
            let (expected, sid) = match si.sid {
                SignerIdentifier::IssuerAndSerialNumber(_) => {
                    (CmsVersion::V1, "issuerAndSerialNumber")
                }
                SignerIdentifier::SubjectKeyIdentifier(_) => {
                    (CmsVersion::V3, "subjectKeyIdentifier")
                }
            };
            if si.version != expected {
                d.push(SodDefect::SignerInfoVersion {
                    index,
                    version: si.version as u8,
                    sid,
                });
            }
        }
        if self.end < self.bytes.len() {
            d.push(SodDefect::TrailingBytes {
                offset: self.end,
                count: self.bytes.len() - self.end,
            });
        }
        d
    }

    /// Parses EF.SOD with the leniency of `options`: in lenient mode the
    /// structural defects of [`Sod::structure_defects`] are warnings
    /// ([`Defect::Sod`](crate::Defect::Sod)), so a defective SOD can still
    /// be shown; strict mode is [`Sod::parse`]. Lenient acceptance is not
    /// validity: passive authentication decides that.
    ///
    /// # Errors
    /// As [`Sod::parse_unchecked`]; in strict mode as [`Sod::parse`].
    pub fn parse_with(
        bytes: &[u8],
        options: crate::ParseOptions,
    ) -> Result<crate::Parsed<Self>, LdsError> {
        if options.strict {
            return Self::parse(bytes).map(|value| crate::Parsed {
                value,
                warnings: Vec::new(),
            });
        }
        let sod = Self::parse_unchecked(bytes)?;
        let mut diag = crate::lenient::Diag::new(EF, options);
        for defect in sod.structure_defects() {
            let offset = match &defect {
                SodDefect::TrailingBytes { offset, .. } => *offset,
                _ => 0,
            };
            diag.warn(offset, crate::Defect::Sod(defect))?;
        }
        Ok(diag.finish(sod))
    }

    /// The whole file as read.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// `ContentInfo.contentType`.
    #[must_use]
    pub fn content_type(&self) -> ObjectIdentifier {
        self.content_type
    }

    /// The decoded `SignedData`.
    #[must_use]
    pub fn signed_data(&self) -> &SignedData {
        &self.signed_data
    }

    /// The `SignedData` encoding exactly as in the file (tag and length
    /// included).
    #[must_use]
    pub fn signed_data_bytes(&self) -> &[u8] {
        self.bytes
            .get(self.signed_data_range.clone())
            .unwrap_or_default()
    }

    /// The eContent octets exactly as in the file: the DER
    /// `LDSSecurityObject` whose digest the `messageDigest` signed
    /// attribute carries (RFC 5652 §5.4).
    #[must_use]
    pub fn encapsulated_content(&self) -> &[u8] {
        self.bytes
            .get(self.econtent_range.clone())
            .unwrap_or_default()
    }

    /// `eContentType`.
    #[must_use]
    pub fn encapsulated_content_type(&self) -> ObjectIdentifier {
        self.signed_data.encap_content_info.econtent_type
    }

    /// The decoded `LDSSecurityObject`.
    #[must_use]
    pub fn lds_security_object(&self) -> &LdsSecurityObject {
        &self.lds_security_object
    }

    /// The hash algorithm of the data group hashes
    /// (`LDSSecurityObject.hashAlgorithm`).
    #[must_use]
    pub fn digest_algorithm(&self) -> ObjectIdentifier {
        self.lds_security_object.hash_algorithm.oid
    }

    /// The data group hashes, in file order (entries with a number outside
    /// 1..=16 are skipped; [`Sod::parse`] rejects them).
    pub fn data_group_hashes(&self) -> impl Iterator<Item = (DgNumber, &[u8])> {
        self.lds_security_object.data_group_hashes()
    }

    /// The hash of one data group, if the SOD has one.
    #[must_use]
    pub fn data_group_hash(&self, dg: DgNumber) -> Option<&[u8]> {
        self.data_group_hashes()
            .find(|(n, _)| *n == dg)
            .map(|(_, h)| h)
    }

    /// `ldsVersionInfo` as `(ldsVersion, unicodeVersion)`.
    #[must_use]
    pub fn lds_version(&self) -> Option<(&str, &str)> {
        self.lds_security_object
            .lds_version_info
            .as_ref()
            .map(|v| (v.lds_version.as_str(), v.unicode_version.as_str()))
    }

    /// The X.509 certificates carried in `SignedData.certificates` (the
    /// Document Signer certificate, normally).
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

    /// The encodings of `SignedData.certificates` exactly as in the file,
    /// in file order.
    pub fn certificates_der(&self) -> impl Iterator<Item = &[u8]> {
        self.certificate_ranges
            .iter()
            .map(|r| self.bytes.get(r.clone()).unwrap_or_default())
    }

    /// The decoded SignerInfos.
    pub fn signer_infos(&self) -> impl Iterator<Item = &SignerInfo> {
        self.signed_data.signer_infos.0.iter()
    }

    /// The SignerInfos exactly as in the file, in file order (which is the
    /// order [`Sod::signer_infos`] yields only if the file's SET was
    /// sorted).
    pub fn raw_signer_infos(&self) -> impl Iterator<Item = RawSignerInfo<'_>> {
        self.signer_ranges.iter().map(|r| RawSignerInfo {
            der: self.bytes.get(r.signer_info.clone()).unwrap_or_default(),
            signed_attributes: r
                .signed_attributes
                .as_ref()
                .map(|a| self.bytes.get(a.clone()).unwrap_or_default()),
        })
    }
}

impl fmt::Debug for Sod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let dgs: Vec<String> = self
            .data_group_hashes()
            .map(|(dg, _)| dg.to_string())
            .collect();
        f.debug_struct("Sod")
            .field("len", &self.bytes.len())
            .field("content_type", &self.content_type)
            .field("signed_data_version", &(self.signed_data.version as u8))
            .field("econtent_type", &self.encapsulated_content_type())
            .field(
                "lds_security_object_version",
                &self.lds_security_object.version,
            )
            .field("digest_algorithm", &self.digest_algorithm())
            .field("data_groups", &dgs)
            .field("certificates", &self.certificate_ranges.len())
            .field("signer_infos", &self.signer_ranges.len())
            .finish()
    }
}

/// Byte ranges of the parts of EF.SOD, found by walking the TLV structure.
pub(crate) struct Layout {
    pub(crate) signed_data: Range<usize>,
    pub(crate) econtent: Option<Range<usize>>,
    pub(crate) certificates: Vec<Range<usize>>,
    pub(crate) signers: Vec<SignerRanges>,
}

fn whole(o: &Object<'_>) -> Range<usize> {
    o.offset..o.value_offset + o.value.len()
}

fn value_range(o: &Object<'_>) -> Range<usize> {
    o.value_offset..o.value_offset + o.value.len()
}

/// The only child of `parent` with `tag` at position `index`, or an error
/// naming what is missing.
fn child_at<'a>(
    ef: EfId,
    parent: &Object<'a>,
    children: &[Object<'a>],
    index: usize,
    tag: Tag,
) -> Result<Object<'a>, LdsError> {
    match children.get(index) {
        Some(c) if c.tag == tag => Ok(*c),
        Some(c) => Err(parent.unexpected(ef, c)),
        None => Err(parent.missing(ef, tag)),
    }
}

/// Walks `root`'s single child, a ContentInfo with SignedData (EF.SOD
/// inside `77`, EF.CardSecurity as the whole file).
pub(crate) fn locate(ef: EfId, root: &Object<'_>) -> Result<Layout, LdsError> {
    const SEQUENCE: Tag = Tag(0x30);
    const SET: Tag = Tag(0x31);
    const OID: Tag = Tag(0x06);
    const INTEGER: Tag = Tag(0x02);
    const OCTET_STRING: Tag = Tag(0x04);
    const CONTEXT_0: Tag = Tag(0xA0);
    const CONTEXT_1: Tag = Tag(0xA1);

    let top = root.children(ef)?;
    let content_info = child_at(ef, root, &top, 0, SEQUENCE)?;
    if let Some(extra) = top.get(1) {
        return Err(root.unexpected(ef, extra));
    }
    let ci = content_info.children(ef)?;
    child_at(ef, &content_info, &ci, 0, OID)?;
    let explicit = child_at(ef, &content_info, &ci, 1, CONTEXT_0)?;
    let inner = explicit.children(ef)?;
    let signed_data = child_at(ef, &explicit, &inner, 0, SEQUENCE)?;

    let sd = signed_data.children(ef)?;
    child_at(ef, &signed_data, &sd, 0, INTEGER)?;
    child_at(ef, &signed_data, &sd, 1, SET)?;
    let encap = child_at(ef, &signed_data, &sd, 2, SEQUENCE)?;
    let encap_children = encap.children(ef)?;
    child_at(ef, &encap, &encap_children, 0, OID)?;
    let econtent = match encap_children.get(1) {
        Some(e) if e.tag == CONTEXT_0 => {
            let octets = e.children(ef)?;
            Some(value_range(&child_at(ef, e, &octets, 0, OCTET_STRING)?))
        }
        Some(other) => return Err(encap.unexpected(ef, other)),
        None => None,
    };

    let mut certificates = Vec::new();
    let mut rest = sd.get(3..).unwrap_or_default();
    if let Some((first, tail)) = rest.split_first()
        && first.tag == CONTEXT_0
    {
        certificates = first.children(ef)?.iter().map(whole).collect();
        rest = tail;
    }
    if let Some((first, tail)) = rest.split_first()
        && first.tag == CONTEXT_1
    {
        rest = tail;
    }
    let signer_set = match rest {
        [set] if set.tag == SET => *set,
        [other, ..] => return Err(signed_data.unexpected(ef, other)),
        [] => return Err(signed_data.missing(ef, SET)),
    };
    let mut signers = Vec::new();
    for si in signer_set.children(ef)? {
        let signed_attributes = si
            .children(ef)?
            .iter()
            .find(|c| c.tag == CONTEXT_0)
            .map(whole);
        signers.push(SignerRanges {
            signer_info: whole(&si),
            signed_attributes,
        });
    }
    Ok(Layout {
        signed_data: whole(&signed_data),
        econtent,
        certificates,
        signers,
    })
}
