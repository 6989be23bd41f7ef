//! Certificate profiles of Doc 9303-12 §7.1 for the Country Signing CA
//! (CSCA) and the Document Signer (DS), and the functions that issue them.
//!
//! What the profiles put in (Doc 9303-12 §7.1.1, Table 6 and the PKD
//! upload checks that enforce it):
//!
//! | extension                 | CSCA                           | DS                           |
//! |---------------------------|--------------------------------|------------------------------|
//! | authorityKeyIdentifier    | keyIdentifier = own SKI        | keyIdentifier = CSCA SKI     |
//! | subjectKeyIdentifier      | SHA-1 of the public key (RFC 5280 §4.2.1.2 method 1) | same  |
//! | keyUsage (critical)       | keyCertSign, cRLSign           | digitalSignature             |
//! | privateKeyUsagePeriod     | optional                       | —                            |
//! | basicConstraints (critical) | cA TRUE, pathLenConstraint 0 | —                            |
//! | documentTypeList          | —                              | optional (e.g. `P`)          |
//!
//! No extended key usage (forbidden for CSCA and DS), no unique
//! identifiers, version 3, positive serial numbers of at most 20 octets,
//! `countryName` as PrintableString and the other name attributes as
//! UTF8String, times before 2050 as UTCTime (RFC 5280 §4.1.2.5).

use const_oid::{AssociatedOid, ObjectIdentifier};
use der::DateTime;
use der::asn1::{GeneralizedTime, OctetString, PrintableString, SetOfVec};
use rand_core::CryptoRng;
use spki::{SubjectPublicKeyInfoOwned, SubjectPublicKeyInfoRef};
use x509_cert::builder::{Builder, CertificateBuilder, profile::BuilderProfile};
use x509_cert::certificate::{Certificate, TbsCertificate};
use x509_cert::ext::pkix::{
    AuthorityKeyIdentifier, BasicConstraints, KeyUsage, KeyUsages, PrivateKeyUsagePeriod,
    SubjectKeyIdentifier,
};
use x509_cert::ext::{Criticality, Extension, ToExtension};
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::{Time, Validity};

use crate::PkiError;
use crate::key::{EncodedSignature, SigningKey};
use crate::oid::ID_ICAO_DOCUMENT_TYPE_LIST;

/// What to put in a CSCA certificate.
#[derive(Clone, Debug)]
pub struct CscaParams {
    /// Subject (and, the certificate being self-signed, issuer) name. Must
    /// contain `countryName` (Doc 9303-12 §7.1.1).
    pub subject: Name,
    /// Start of the validity period.
    pub not_before: DateTime,
    /// End of the validity period: the key usage period plus the longest
    /// validity of a document it signs (Doc 9303-12 §5.3, Table 1).
    pub not_after: DateTime,
    /// End of the private key usage period. `Some` adds the
    /// privateKeyUsagePeriod extension running from `not_before`; verifiers
    /// may use it to check a DS was issued while the CSCA key was in use.
    pub private_key_usage_end: Option<DateTime>,
}

/// What to put in a Document Signer certificate.
#[derive(Clone, Debug)]
pub struct DsParams {
    /// Subject name. Its `countryName` must equal the CSCA's
    /// (Doc 9303-12 §7.1.1).
    pub subject: Name,
    /// Start of the validity period.
    pub not_before: DateTime,
    /// End of the validity period.
    pub not_after: DateTime,
    /// Document types (as in the MRZ document code, e.g. `"P"` for every
    /// passport type) for the Document Type List extension; empty for none.
    pub document_types: Vec<String>,
}

/// The Document Type List extension of a Document Signer certificate
/// (Doc 9303-12 §7.1.1.6):
///
/// ```text
/// DocumentTypeListSyntax ::= SEQUENCE {
///     version DocumentTypeListVersion,          -- v0(0)
///     docTypeList SET OF DocumentType }
/// DocumentType ::= PrintableString(SIZE(1..2))
/// ```
#[derive(Clone, Debug, PartialEq, Eq, der::Sequence)]
pub struct DocumentTypeList {
    /// Syntax version; 0 is the only one defined.
    pub version: u8,
    /// The document types the DS may sign.
    pub doc_type_list: SetOfVec<PrintableString>,
}

impl AssociatedOid for DocumentTypeList {
    const OID: ObjectIdentifier = ID_ICAO_DOCUMENT_TYPE_LIST;
}

impl Criticality for DocumentTypeList {
    fn criticality(&self, _subject: &Name, _extensions: &[Extension]) -> bool {
        // Non-critical: generic X.509 verifiers that do not know the ICAO
        // extension must still accept the certificate.
        false
    }
}

/// Issues a self-signed CSCA certificate for `key`.
///
/// # Errors
/// [`PkiError::InvalidValidity`] if `not_after` is not after `not_before`,
/// [`PkiError::MissingCountry`] if the subject has no `countryName`, and
/// encoding or signing errors.
pub fn issue_csca<R: CryptoRng + ?Sized>(
    rng: &mut R,
    key: &SigningKey,
    params: &CscaParams,
) -> Result<Certificate, PkiError> {
    if country(&params.subject)?.is_none() {
        return Err(PkiError::MissingCountry("CSCA subject"));
    }
    let validity = validity(params.not_before, params.not_after)?;
    let private_key_usage_period = params
        .private_key_usage_end
        .map(|end| {
            if end <= params.not_before || end > params.not_after {
                return Err(PkiError::InvalidValidity(
                    "private key usage period must end inside the validity period",
                ));
            }
            Ok(PrivateKeyUsagePeriod {
                not_before: Some(GeneralizedTime::from_date_time(params.not_before)),
                not_after: Some(GeneralizedTime::from_date_time(end)),
            })
        })
        .transpose()?;
    let profile = CscaProfile {
        subject: params.subject.clone(),
        private_key_usage_period,
    };
    let signer = key.cert_signer()?;
    let builder = CertificateBuilder::new(
        profile,
        SerialNumber::generate(rng),
        validity,
        key.public_key_info()?,
    )?;
    Ok(builder.build::<_, EncodedSignature>(&signer)?)
}

/// Issues a Document Signer certificate for `subject_key`, signed by the
/// CSCA (`csca` with its private key `csca_key`).
///
/// # Errors
/// [`PkiError::KeyCertificateMismatch`] if `csca_key` is not the key of
/// `csca`, [`PkiError::MissingExtension`] if `csca` has no
/// subjectKeyIdentifier (the DS's authorityKeyIdentifier needs it),
/// [`PkiError::MissingCountry`] / [`PkiError::CountryMismatch`] unless
/// both names carry the same `countryName`,
/// [`PkiError::InvalidValidity`] for an empty validity period, and encoding
/// or signing errors.
pub fn issue_ds<R: CryptoRng + ?Sized>(
    rng: &mut R,
    csca: &Certificate,
    csca_key: &SigningKey,
    subject_key: &SubjectPublicKeyInfoOwned,
    params: &DsParams,
) -> Result<Certificate, PkiError> {
    let csca_tbs = csca.tbs_certificate();
    if &csca_key.public_key_info()? != csca_tbs.subject_public_key_info() {
        return Err(PkiError::KeyCertificateMismatch);
    }
    let issuer_country = country(csca_tbs.subject())?;
    let subject_country = country(&params.subject)?;
    if issuer_country.is_none() {
        return Err(PkiError::MissingCountry("CSCA subject"));
    }
    if issuer_country != subject_country {
        return Err(PkiError::CountryMismatch {
            issuer: issuer_country,
            subject: subject_country,
        });
    }
    let (_, csca_ski) = csca_tbs
        .get_extension::<SubjectKeyIdentifier>()
        .map_err(PkiError::der("CSCA subjectKeyIdentifier"))?
        .ok_or(PkiError::MissingExtension("subjectKeyIdentifier"))?;
    let document_types = if params.document_types.is_empty() {
        None
    } else {
        let mut set = SetOfVec::new();
        for doc_type in &params.document_types {
            let value = PrintableString::new(doc_type).map_err(PkiError::der("DocumentType"))?;
            set.insert(value).map_err(PkiError::der("docTypeList"))?;
        }
        Some(DocumentTypeList {
            version: 0,
            doc_type_list: set,
        })
    };
    let profile = DsProfile {
        issuer: csca_tbs.subject().clone(),
        subject: params.subject.clone(),
        authority_key_id: csca_ski.0,
        document_types,
    };
    let signer = csca_key.cert_signer()?;
    let builder = CertificateBuilder::new(
        profile,
        SerialNumber::generate(rng),
        validity(params.not_before, params.not_after)?,
        subject_key.clone(),
    )?;
    Ok(builder.build::<_, EncodedSignature>(&signer)?)
}

fn validity(not_before: DateTime, not_after: DateTime) -> Result<Validity, PkiError> {
    if not_after <= not_before {
        return Err(PkiError::InvalidValidity(
            "notAfter must be after notBefore",
        ));
    }
    // `Time::from(DateTime)` picks UTCTime before 2050 and GeneralizedTime
    // from 2050 on, as RFC 5280 §4.1.2.5 requires.
    Ok(Validity::new(Time::from(not_before), Time::from(not_after)))
}

fn country(name: &Name) -> Result<Option<String>, PkiError> {
    Ok(name
        .country()
        .map_err(PkiError::der("countryName"))?
        .map(|c| c.as_str().to_owned()))
}

struct CscaProfile {
    subject: Name,
    private_key_usage_period: Option<PrivateKeyUsagePeriod>,
}

impl BuilderProfile for CscaProfile {
    fn get_issuer(&self, subject: &Name) -> Name {
        subject.clone()
    }

    fn get_subject(&self) -> Name {
        self.subject.clone()
    }

    fn build_extensions(
        &self,
        spk: SubjectPublicKeyInfoRef<'_>,
        issuer_spk: SubjectPublicKeyInfoRef<'_>,
        tbs: &TbsCertificate,
    ) -> x509_cert::builder::Result<Vec<Extension>> {
        let mut exts = Vec::new();
        push(
            &mut exts,
            tbs,
            &AuthorityKeyIdentifier::try_from(issuer_spk)?,
        )?;
        push(&mut exts, tbs, &SubjectKeyIdentifier::try_from(spk)?)?;
        push(
            &mut exts,
            tbs,
            &KeyUsage(KeyUsages::KeyCertSign | KeyUsages::CRLSign),
        )?;
        if let Some(pkup) = &self.private_key_usage_period {
            push(&mut exts, tbs, pkup)?;
        }
        // pathLenConstraint 0: a CSCA certifies Document Signers (and other
        // end-entity signers) only, never a subordinate CA.
        push(
            &mut exts,
            tbs,
            &BasicConstraints {
                ca: true,
                path_len_constraint: Some(0),
            },
        )?;
        Ok(exts)
    }
}

struct DsProfile {
    issuer: Name,
    subject: Name,
    authority_key_id: OctetString,
    document_types: Option<DocumentTypeList>,
}

impl BuilderProfile for DsProfile {
    fn get_issuer(&self, _subject: &Name) -> Name {
        self.issuer.clone()
    }

    fn get_subject(&self) -> Name {
        self.subject.clone()
    }

    fn build_extensions(
        &self,
        spk: SubjectPublicKeyInfoRef<'_>,
        _issuer_spk: SubjectPublicKeyInfoRef<'_>,
        tbs: &TbsCertificate,
    ) -> x509_cert::builder::Result<Vec<Extension>> {
        let mut exts = Vec::new();
        // Copied from the CSCA's SKI rather than recomputed, so the link
        // holds whatever method the CSCA's key identifier was made with.
        let aki = AuthorityKeyIdentifier {
            key_identifier: Some(self.authority_key_id.clone()),
            authority_cert_issuer: None,
            authority_cert_serial_number: None,
        };
        push(&mut exts, tbs, &aki)?;
        push(&mut exts, tbs, &SubjectKeyIdentifier::try_from(spk)?)?;
        push(
            &mut exts,
            tbs,
            &KeyUsage(KeyUsages::DigitalSignature.into()),
        )?;
        if let Some(types) = &self.document_types {
            push(&mut exts, tbs, types)?;
        }
        Ok(exts)
    }
}

fn push<T: Criticality + AssociatedOid + der::Encode>(
    exts: &mut Vec<Extension>,
    tbs: &TbsCertificate,
    ext: &T,
) -> x509_cert::builder::Result<()> {
    let ext = ext.to_extension(tbs.subject(), exts)?;
    exts.push(ext);
    Ok(())
}
