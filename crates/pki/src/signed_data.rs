//! CMS SignedData (RFC 5652 §5) as eMRTDs use it: one signer, signed
//! attributes, the signer's certificate embedded. EF.SOD
//! ([`crate::sod`]) and CSCA master lists ([`crate::master_list`]) are
//! both made here.
//!
//! ```text
//! ContentInfo { id-signedData, SignedData {
//!   version 3,                                   -- eContentType is not id-data
//!   digestAlgorithms { <digest> },
//!   encapContentInfo { <eContentType>, eContent OCTET STRING },
//!   certificates { signer certificate, … },      -- optional
//!   signerInfos { SignerInfo {
//!     version 1 | 3,                             -- issuerAndSerialNumber | subjectKeyIdentifier
//!     sid, digestAlgorithm <digest>,
//!     signedAttrs { contentType, messageDigest [, signingTime] },
//!     signatureAlgorithm, signature } } } }
//! ```
//!
//! The signature covers the DER encoding of the signed attributes as a
//! `SET OF` (tag 0x31, RFC 5652 §5.4). The very same [`SetOfVec`] value,
//! already in DER order, is both signed and emitted (as `[0] IMPLICIT`), so
//! the bytes a verifier reconstructs from the file are the bytes that were
//! signed.
//!
//! [`Deviations`] break one rule at a time, for negative test vectors:
//! each is applied so that everything else stays valid (e.g. a wrong
//! SignedData version is not covered by the signature, so the signature
//! still verifies).

use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::content_info::{CmsVersion, ContentInfo};
use cms::signed_data::{
    CertificateSet, EncapsulatedContentInfo, SignedAttributes, SignedData, SignerIdentifier,
    SignerInfo, SignerInfos,
};
use const_oid::ObjectIdentifier;
use const_oid::db::rfc5911::{ID_CONTENT_TYPE, ID_MESSAGE_DIGEST, ID_SIGNED_DATA};
use der::asn1::{Any, OctetString, SetOfVec};
use der::{DateTime, Encode, Tag};
use serde::{Deserialize, Serialize};
use spki::AlgorithmIdentifierOwned;
use x509_cert::attr::Attribute;
use x509_cert::certificate::Certificate;
use x509_cert::ext::pkix::SubjectKeyIdentifier;
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::Time;

use crate::PkiError;
use crate::key::{DigestAlgorithm, SignatureScheme, SigningKey};
use crate::oid::ID_SIGNING_TIME;
use crate::profile::subject_key_id;
use crate::sod::DocumentSigner;

/// How the SignerInfo names its signer (RFC 5652 §5.3; Doc 9303-10
/// §4.6.2.2 allows both).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SignerIdKind {
    /// `issuerAndSerialNumber` (SignerInfo version 1).
    #[default]
    IssuerAndSerialNumber,
    /// `subjectKeyIdentifier` (SignerInfo version 3), from the signer
    /// certificate's extension.
    SubjectKeyIdentifier,
}

/// How to sign a SignedData.
#[derive(Clone, Debug)]
pub struct SignOptions {
    /// `digestAlgorithm` and the hash in `messageDigest`; `None`: the
    /// signature scheme's digest.
    pub digest: Option<DigestAlgorithm>,
    /// The signature scheme; `None`: the signer key's default scheme.
    pub scheme: Option<SignatureScheme>,
    /// How the signer is identified.
    pub sid: SignerIdKind,
    /// Whether the signer certificate goes into `certificates`
    /// (Doc 9303-10 §4.6.2.2: SHOULD for EF.SOD).
    pub include_signer_certificate: bool,
    /// Further certificates for `certificates` (e.g. the CSCA).
    pub extra_certificates: Vec<Certificate>,
    /// A `signingTime` signed attribute (RFC 5652 §11.3).
    pub signing_time: Option<DateTime>,
    /// Rule breaks for negative test vectors (none by default).
    pub deviations: Deviations,
}

impl Default for SignOptions {
    /// The Doc 9303 form: the scheme's digest, issuerAndSerialNumber, the
    /// signer certificate included, no signingTime, no deviation.
    fn default() -> Self {
        Self {
            digest: None,
            scheme: None,
            sid: SignerIdKind::IssuerAndSerialNumber,
            include_signer_certificate: true,
            extra_certificates: Vec::new(),
            signing_time: None,
            deviations: Deviations::default(),
        }
    }
}

/// What to do with one signed attribute.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum AttributeDeviation<T> {
    /// The correct value.
    #[default]
    Correct,
    /// Leave the attribute out.
    Omit,
    /// Put this value instead of the correct one.
    Value(T),
    /// The correct attribute twice.
    Duplicate,
}

/// Deliberate violations of RFC 5652 / Doc 9303, each applied without
/// disturbing the rest, for building negative test vectors. The default
/// is none.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct Deviations {
    /// `contentType` of the outer ContentInfo instead of id-signedData.
    pub content_type: Option<ObjectIdentifier>,
    /// SignedData `version` instead of 3 (0..=5).
    pub signed_data_version: Option<u8>,
    /// `eContentType` instead of the requested one; the content-type
    /// attribute follows it unless [`Self::content_type_attribute`] says
    /// otherwise, so the signature stays consistent.
    pub econtent_type: Option<ObjectIdentifier>,
    /// The content-type signed attribute.
    pub content_type_attribute: AttributeDeviation<ObjectIdentifier>,
    /// The message-digest signed attribute.
    pub message_digest_attribute: AttributeDeviation<Vec<u8>>,
    /// No signed attributes at all: the signature is over the eContent
    /// itself (allowed by RFC 5652 §5.4, forbidden by Doc 9303-10 §4.6.2.2).
    pub omit_signed_attributes: bool,
    /// `signatureAlgorithm` declared instead of the scheme's identifier.
    pub signature_algorithm: Option<AlgorithmIdentifierOwned>,
    /// Sign with this key (and its default scheme) instead of the signer's.
    pub signing_key: Option<SigningKey>,
    /// The serial number put in issuerAndSerialNumber instead of the
    /// signer certificate's.
    pub sid_serial_number: Option<SerialNumber>,
    /// Two identical SignerInfos.
    pub duplicate_signer_info: bool,
    /// Replace the eContent after it was hashed and signed.
    pub econtent_after_signing: Option<Vec<u8>>,
    /// Flip the lowest bit of the last signature byte.
    pub corrupt_signature: bool,
}

/// Signs `econtent` (the DER of the encapsulated content) as a CMS
/// SignedData of `econtent_type`, returning the DER of the ContentInfo.
///
/// # Errors
/// [`PkiError::MissingExtension`] for a subjectKeyIdentifier sid when the
/// certificate has none, [`PkiError::InvalidInput`] for a SignedData
/// version outside 0..=5, encoding and signing errors.
pub fn sign_signed_data(
    econtent_type: ObjectIdentifier,
    econtent: &[u8],
    signer: &DocumentSigner,
    options: &SignOptions,
) -> Result<Vec<u8>, PkiError> {
    let dev = &options.deviations;
    let key = dev.signing_key.as_ref().unwrap_or(signer.key());
    let scheme = options.scheme.unwrap_or_else(|| key.scheme());
    let digest = options.digest.unwrap_or(scheme.digest());
    let digest_id = digest.algorithm_identifier();
    let econtent_type = dev.econtent_type.unwrap_or(econtent_type);

    let signed_attrs = if dev.omit_signed_attributes {
        None
    } else {
        Some(signed_attributes(econtent_type, digest, econtent, options)?)
    };
    // RFC 5652 §5.4: with signed attributes the signature covers their DER
    // (SET OF, tag 0x31); without, the eContent octets themselves.
    let mut signature = match &signed_attrs {
        Some(attrs) => {
            let der = attrs.to_der().map_err(PkiError::der("signedAttrs"))?;
            key.sign_with(scheme, &der)?
        }
        None => key.sign_with(scheme, econtent)?,
    };
    if dev.corrupt_signature
        && let Some(last) = signature.last_mut()
    {
        *last ^= 0x01;
    }

    let cert = signer.certificate().tbs_certificate();
    let (version, sid) = match options.sid {
        // RFC 5652 §5.3: version 1 goes with issuerAndSerialNumber, 3 with
        // subjectKeyIdentifier.
        SignerIdKind::IssuerAndSerialNumber => (
            CmsVersion::V1,
            SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
                issuer: cert.issuer().clone(),
                serial_number: dev
                    .sid_serial_number
                    .clone()
                    .unwrap_or_else(|| cert.serial_number().clone()),
            }),
        ),
        SignerIdKind::SubjectKeyIdentifier => {
            let ski = subject_key_id(signer.certificate())?;
            (
                CmsVersion::V3,
                SignerIdentifier::SubjectKeyIdentifier(SubjectKeyIdentifier(
                    OctetString::new(ski).map_err(PkiError::der("subjectKeyIdentifier"))?,
                )),
            )
        }
    };
    let signer_info = SignerInfo {
        version,
        sid,
        digest_alg: digest_id.clone(),
        signed_attrs,
        signature_algorithm: dev
            .signature_algorithm
            .clone()
            .unwrap_or_else(|| scheme.algorithm_identifier()),
        signature: OctetString::new(signature).map_err(PkiError::der("signature"))?,
        unsigned_attrs: None,
    };
    let mut signer_infos = vec![signer_info.clone()];
    if dev.duplicate_signer_info {
        signer_infos.push(signer_info);
    }

    let mut certificates = Vec::new();
    if options.include_signer_certificate {
        certificates.push(CertificateChoices::Certificate(
            signer.certificate().clone(),
        ));
    }
    certificates.extend(
        options
            .extra_certificates
            .iter()
            .cloned()
            .map(CertificateChoices::Certificate),
    );
    let certificates = if certificates.is_empty() {
        None
    } else {
        Some(CertificateSet(
            SetOfVec::try_from(certificates).map_err(PkiError::der("certificates"))?,
        ))
    };

    let econtent_emitted = dev.econtent_after_signing.as_deref().unwrap_or(econtent);
    let signed_data = SignedData {
        // RFC 5652 §5.1: version 3 because eContentType is not id-data;
        // Doc 9303-10 §4.6.2.2 fixes it at 3 as well.
        version: match dev.signed_data_version {
            None => CmsVersion::V3,
            Some(v) => cms_version(v)?,
        },
        digest_algorithms: SetOfVec::try_from(vec![digest_id])
            .map_err(PkiError::der("digestAlgorithms"))?,
        encap_content_info: EncapsulatedContentInfo {
            econtent_type,
            econtent: Some(
                Any::new(Tag::OctetString, econtent_emitted).map_err(PkiError::der("eContent"))?,
            ),
        },
        certificates,
        crls: None,
        signer_infos: SignerInfos(
            SetOfVec::try_from(signer_infos).map_err(PkiError::der("signerInfos"))?,
        ),
    };
    ContentInfo {
        content_type: dev.content_type.unwrap_or(ID_SIGNED_DATA),
        content: Any::encode_from(&signed_data).map_err(PkiError::der("SignedData"))?,
    }
    .to_der()
    .map_err(PkiError::der("ContentInfo"))
}

/// contentType, messageDigest (RFC 5652 §5.3: mandatory with signed
/// attributes; Doc 9303-10 §4.6.2.2 requires exactly these) and the
/// optional signingTime, with the deviations applied.
fn signed_attributes(
    econtent_type: ObjectIdentifier,
    digest: DigestAlgorithm,
    econtent: &[u8],
    options: &SignOptions,
) -> Result<SignedAttributes, PkiError> {
    let dev = &options.deviations;
    let mut attrs = Vec::new();
    let content_type = |oid: ObjectIdentifier| attribute(ID_CONTENT_TYPE, Any::encode_from(&oid));
    match &dev.content_type_attribute {
        AttributeDeviation::Correct => attrs.push(content_type(econtent_type)?),
        AttributeDeviation::Omit => {}
        AttributeDeviation::Value(oid) => attrs.push(content_type(*oid)?),
        AttributeDeviation::Duplicate => {
            attrs.push(content_type(econtent_type)?);
            attrs.push(content_type(econtent_type)?);
        }
    }
    let message_digest = |value: Vec<u8>| -> Result<Attribute, PkiError> {
        attribute(
            ID_MESSAGE_DIGEST,
            Any::encode_from(&OctetString::new(value).map_err(PkiError::der("messageDigest"))?),
        )
    };
    match &dev.message_digest_attribute {
        AttributeDeviation::Correct => attrs.push(message_digest(digest.digest(econtent))?),
        AttributeDeviation::Omit => {}
        AttributeDeviation::Value(v) => attrs.push(message_digest(v.clone())?),
        AttributeDeviation::Duplicate => {
            attrs.push(message_digest(digest.digest(econtent))?);
            attrs.push(message_digest(digest.digest(econtent))?);
        }
    }
    if let Some(time) = options.signing_time {
        // RFC 5652 §11.3: UTCTime for dates in 1950..2049.
        attrs.push(attribute(
            ID_SIGNING_TIME,
            Any::encode_from(&Time::from(time)),
        )?);
    }
    SetOfVec::try_from(attrs).map_err(PkiError::der("signedAttrs"))
}

fn attribute(oid: ObjectIdentifier, value: der::Result<Any>) -> Result<Attribute, PkiError> {
    let value = value.map_err(PkiError::der("attribute value"))?;
    Ok(Attribute {
        oid,
        values: SetOfVec::try_from(vec![value]).map_err(PkiError::der("attribute values"))?,
    })
}

fn cms_version(v: u8) -> Result<CmsVersion, PkiError> {
    Ok(match v {
        0 => CmsVersion::V0,
        1 => CmsVersion::V1,
        2 => CmsVersion::V2,
        3 => CmsVersion::V3,
        4 => CmsVersion::V4,
        5 => CmsVersion::V5,
        _ => {
            return Err(PkiError::InvalidInput(format!(
                "CMS version {v} is outside 0..=5"
            )));
        }
    })
}
