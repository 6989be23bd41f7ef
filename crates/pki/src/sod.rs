//! EF.SOD signing: wraps a DER `LDSSecurityObject` in CMS SignedData
//! (Doc 9303-10 §4.6.2, RFC 5652 §5; the CMS part is
//! [`crate::signed_data`]).
//!
//! ```text
//! EF.SOD ::= [APPLICATION 23] ContentInfo            -- tag 0x77
//! ContentInfo { id-signedData, SignedData {
//!   version 3,                                       -- eContentType is not id-data
//!   digestAlgorithms { <digest> },
//!   encapContentInfo { id-icao-ldsSecurityObject, eContent OCTET STRING },
//!   certificates { DS certificate },
//!   signerInfos { SignerInfo {
//!     version 1, sid issuerAndSerialNumber, digestAlgorithm <digest>,
//!     signedAttrs { contentType, messageDigest },
//!     signatureAlgorithm, signature } } } }
//! ```
//!
//! [`lds_security_object`] builds the eContent over any set of data groups
//! with any digest; [`sign_sod_with`] takes [`SignOptions`] (digest,
//! scheme, subjectKeyIdentifier sid, DS certificate omitted, signingTime,
//! and [`crate::signed_data::Deviations`] for negative test vectors).

use core::fmt;

use der::asn1::{AnyRef, ApplicationRef};
use der::{Decode, Encode, Tag, TagMode, TagNumber, Tagged};
use mrtd_lds::DgNumber;
use mrtd_lds::sod::{LdsSecurityObject, LdsVersionInfo};
use x509_cert::certificate::Certificate;

use crate::PkiError;
use crate::key::{DigestAlgorithm, SigningKey};
use crate::oid::ID_ICAO_LDS_SECURITY_OBJECT;
use crate::signed_data::{SignOptions, sign_signed_data};

/// The tag of EF.SOD: `[APPLICATION 23]`, constructed (Doc 9303-10 §4.6.2).
pub const EF_SOD_TAG: u8 = 0x77;

/// `[APPLICATION 23]` as a `der` tag number.
const EF_SOD_TAG_NUMBER: TagNumber = TagNumber(23);

/// A Document Signer: its certificate and the matching private key. Also
/// used for the other CMS signers of the PKI (master-list signers).
#[derive(Clone)]
pub struct DocumentSigner {
    certificate: Certificate,
    key: SigningKey,
}

impl DocumentSigner {
    /// Pairs a DS certificate with its private key.
    ///
    /// # Errors
    /// [`PkiError::KeyCertificateMismatch`] if `key` is not the private key
    /// of `certificate` (checked by comparing SubjectPublicKeyInfos).
    pub fn new(certificate: Certificate, key: SigningKey) -> Result<Self, PkiError> {
        if &key.public_key_info()? != certificate.tbs_certificate().subject_public_key_info() {
            return Err(PkiError::KeyCertificateMismatch);
        }
        Ok(Self { certificate, key })
    }

    /// Pairs a certificate with a key **without** checking that they
    /// belong together — for negative test vectors whose certificate
    /// carries a deliberately different public key encoding (e.g. explicit
    /// parameters of an unknown curve).
    #[must_use]
    pub fn new_unchecked(certificate: Certificate, key: SigningKey) -> Self {
        Self { certificate, key }
    }

    /// The DS certificate (embedded in every EF.SOD it signs).
    #[must_use]
    pub fn certificate(&self) -> &Certificate {
        &self.certificate
    }

    /// The DS private key.
    #[must_use]
    pub fn key(&self) -> &SigningKey {
        &self.key
    }
}

impl fmt::Debug for DocumentSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tbs = self.certificate.tbs_certificate();
        f.debug_struct("DocumentSigner")
            .field("subject", &tbs.subject().to_string())
            .field("serial", tbs.serial_number())
            .field("key", &self.key)
            .finish()
    }
}

/// Signs an EF.SOD over `econtent`, the DER encoding of an
/// `LDSSecurityObject` (Doc 9303-10 §4.6.2.3), and returns the complete
/// EF.SOD file contents (starting with tag 0x77).
///
/// The digest algorithm is the one of the DS key's signature scheme (SHA-256
/// for ECDSA P-256). Signing is deterministic (see
/// [`SigningKey::sign_with`]), so the same inputs always give the same file.
///
/// # Errors
/// [`PkiError::InvalidEContent`] if `econtent` is not exactly one DER
/// SEQUENCE, and encoding or signing errors.
pub fn sign_sod(econtent: &[u8], signer: &DocumentSigner) -> Result<Vec<u8>, PkiError> {
    sign_sod_with(econtent, signer, &SignOptions::default())
}

/// [`sign_sod`] with options: digest, scheme, signer identifier, whether
/// the DS certificate is embedded, a signingTime attribute, deviations.
///
/// # Errors
/// As [`sign_sod`] and [`sign_signed_data`].
pub fn sign_sod_with(
    econtent: &[u8],
    signer: &DocumentSigner,
    options: &SignOptions,
) -> Result<Vec<u8>, PkiError> {
    check_econtent(econtent)?;
    let content_info = sign_signed_data(ID_ICAO_LDS_SECURITY_OBJECT, econtent, signer, options)?;
    wrap_ef_sod(&content_info)
}

/// Wraps a DER ContentInfo in EF.SOD's `[APPLICATION 23]` tag.
///
/// # Errors
/// [`PkiError::Der`] if `content_info` is not one DER element.
pub fn wrap_ef_sod(content_info: &[u8]) -> Result<Vec<u8>, PkiError> {
    let value = AnyRef::from_der(content_info).map_err(PkiError::der("ContentInfo"))?;
    ApplicationRef {
        tag_number: EF_SOD_TAG_NUMBER,
        tag_mode: TagMode::Explicit,
        value: &value,
    }
    .to_der()
    .map_err(PkiError::der("EF.SOD"))
}

/// The DER `LDSSecurityObject` (Doc 9303-10 §4.6.2.3) over `data_groups`
/// (number and complete file contents, in the order given), hashed with
/// `digest`: version 1 with `LDSVersionInfo` when `lds_version` (`"0108"`,
/// `"040000"`) is given, version 0 without.
///
/// # Errors
/// [`PkiError::InvalidInput`] for a data group number outside 1..=16 or a
/// version string that is not a PrintableString, encoding errors.
pub fn lds_security_object(
    digest: DigestAlgorithm,
    data_groups: &[(u8, &[u8])],
    lds_version: Option<(&str, &str)>,
) -> Result<Vec<u8>, PkiError> {
    let hashes = data_groups
        .iter()
        .map(|(n, bytes)| {
            let dg = DgNumber::new(*n)
                .ok_or_else(|| PkiError::InvalidInput(format!("DG{n} is not a data group")))?;
            Ok((dg, digest.digest(bytes)))
        })
        .collect::<Result<Vec<_>, PkiError>>()?;
    let info = lds_version
        .map(|(lds, unicode)| LdsVersionInfo::new(lds, unicode))
        .transpose()
        .map_err(|e| PkiError::InvalidInput(format!("LDS version info: {e}")))?;
    LdsSecurityObject::new(digest.algorithm_identifier(), hashes, info)
        .and_then(|lso| lso.to_der())
        .map_err(PkiError::der("LDSSecurityObject"))
}

/// An `LDSSecurityObject` is a SEQUENCE; refusing anything else here keeps
/// a caller's encoding bug from turning into a validly signed, unparseable
/// EF.SOD.
fn check_econtent(econtent: &[u8]) -> Result<(), PkiError> {
    let any = AnyRef::from_der(econtent)
        .map_err(|_| PkiError::InvalidEContent("not one complete DER element"))?;
    if any.tag() != Tag::Sequence {
        return Err(PkiError::InvalidEContent(
            "outer tag is not SEQUENCE (0x30)",
        ));
    }
    Ok(())
}
