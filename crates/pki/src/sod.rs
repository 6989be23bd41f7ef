//! EF.SOD signing: wraps a DER `LDSSecurityObject` in CMS SignedData
//! (Doc 9303-10 §4.6.2, RFC 5652 §5).
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
//! The signature covers the DER encoding of the signed attributes as a
//! `SET OF` (tag 0x31, RFC 5652 §5.4). The very same [`SetOfVec`] value,
//! already in DER order, is both signed and emitted (as `[0] IMPLICIT`), so
//! the bytes a verifier reconstructs from the file are the bytes that were
//! signed.

use core::fmt;

use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::content_info::{CmsVersion, ContentInfo};
use cms::signed_data::{
    CertificateSet, EncapsulatedContentInfo, SignedAttributes, SignedData, SignerIdentifier,
    SignerInfo, SignerInfos,
};
use const_oid::db::rfc5911::{ID_CONTENT_TYPE, ID_MESSAGE_DIGEST, ID_SIGNED_DATA};
use der::asn1::{Any, AnyRef, ApplicationRef, OctetString, SetOfVec};
use der::{Decode, Encode, Tag, TagMode, TagNumber, Tagged};
use x509_cert::attr::Attribute;
use x509_cert::certificate::Certificate;

use crate::PkiError;
use crate::key::SigningKey;
use crate::oid::ID_ICAO_LDS_SECURITY_OBJECT;

/// The tag of EF.SOD: `[APPLICATION 23]`, constructed (Doc 9303-10 §4.6.2).
pub const EF_SOD_TAG: u8 = 0x77;

/// `[APPLICATION 23]` as a `der` tag number.
const EF_SOD_TAG_NUMBER: TagNumber = TagNumber(23);

/// A Document Signer: its certificate and the matching private key.
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
/// for ECDSA P-256). With an ECDSA key the output is deterministic
/// (RFC 6979), so the same inputs always give the same file.
///
/// # Errors
/// [`PkiError::InvalidEContent`] if `econtent` is not exactly one DER
/// SEQUENCE, and encoding or signing errors.
pub fn sign_sod(econtent: &[u8], signer: &DocumentSigner) -> Result<Vec<u8>, PkiError> {
    check_econtent(econtent)?;
    let digest_algorithm = signer.key.digest_algorithm();
    let digest_algorithm_id = digest_algorithm.algorithm_identifier();

    // RFC 5652 §5.3: with signed attributes present, contentType (equal to
    // eContentType) and messageDigest are mandatory; Doc 9303-10 §4.6.2.2
    // requires exactly these for EF.SOD.
    let message_digest = digest_algorithm.digest(econtent);
    let signed_attrs: SignedAttributes = SetOfVec::try_from(vec![
        attribute(
            ID_CONTENT_TYPE,
            Any::encode_from(&ID_ICAO_LDS_SECURITY_OBJECT),
        )?,
        attribute(
            ID_MESSAGE_DIGEST,
            Any::encode_from(
                &OctetString::new(message_digest).map_err(PkiError::der("messageDigest"))?,
            ),
        )?,
    ])
    .map_err(PkiError::der("signedAttrs"))?;
    let signed_attrs_der = signed_attrs
        .to_der()
        .map_err(PkiError::der("signedAttrs"))?;
    let signature = signer.key.sign(&signed_attrs_der)?;

    let ds = signer.certificate.tbs_certificate();
    let signer_info = SignerInfo {
        // RFC 5652 §5.3: version 1 goes with issuerAndSerialNumber.
        version: CmsVersion::V1,
        sid: SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
            issuer: ds.issuer().clone(),
            serial_number: ds.serial_number().clone(),
        }),
        digest_alg: digest_algorithm_id.clone(),
        signed_attrs: Some(signed_attrs),
        signature_algorithm: signer.key.signature_algorithm(),
        signature: OctetString::new(signature).map_err(PkiError::der("signature"))?,
        unsigned_attrs: None,
    };

    let signed_data = SignedData {
        // RFC 5652 §5.1: version 3 because eContentType is not id-data;
        // Doc 9303-10 §4.6.2.2 fixes it at 3 as well.
        version: CmsVersion::V3,
        digest_algorithms: SetOfVec::try_from(vec![digest_algorithm_id])
            .map_err(PkiError::der("digestAlgorithms"))?,
        encap_content_info: EncapsulatedContentInfo {
            econtent_type: ID_ICAO_LDS_SECURITY_OBJECT,
            econtent: Some(
                Any::new(Tag::OctetString, econtent).map_err(PkiError::der("eContent"))?,
            ),
        },
        // Doc 9303-10 §4.6.2.2: the DS certificate SHOULD be included, so an
        // inspection system needs only the CSCA to verify the chip.
        certificates: Some(CertificateSet(
            SetOfVec::try_from(vec![CertificateChoices::Certificate(
                signer.certificate.clone(),
            )])
            .map_err(PkiError::der("certificates"))?,
        )),
        crls: None,
        signer_infos: SignerInfos(
            SetOfVec::try_from(vec![signer_info]).map_err(PkiError::der("signerInfos"))?,
        ),
    };

    let content_info = ContentInfo {
        content_type: ID_SIGNED_DATA,
        content: Any::encode_from(&signed_data).map_err(PkiError::der("SignedData"))?,
    };
    ApplicationRef {
        tag_number: EF_SOD_TAG_NUMBER,
        tag_mode: TagMode::Explicit,
        value: &content_info,
    }
    .to_der()
    .map_err(PkiError::der("EF.SOD"))
}

fn attribute(
    oid: der::asn1::ObjectIdentifier,
    value: der::Result<Any>,
) -> Result<Attribute, PkiError> {
    let value = value.map_err(PkiError::der("attribute value"))?;
    Ok(Attribute {
        oid,
        values: SetOfVec::try_from(vec![value]).map_err(PkiError::der("attribute values"))?,
    })
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
