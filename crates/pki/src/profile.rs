//! Certificate profiles of Doc 9303-12 §7.1 for the Country Signing CA
//! (CSCA), CSCA link certificates, the Document Signer (DS) and the
//! master-list signer, as [`CertificateTemplate`]s (`*_template`) and the
//! functions that issue them (`issue_*`).
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
use der::asn1::{PrintableString, SetOfVec};
use rand_core::CryptoRng;
use spki::SubjectPublicKeyInfoOwned;
use x509_cert::certificate::Certificate;
use x509_cert::ext::pkix::{KeyUsages, SubjectKeyIdentifier};
use x509_cert::ext::{Criticality, Extension};
use x509_cert::name::Name;

use crate::PkiError;
use crate::cert::{self, CertificateTemplate};
use crate::key::SigningKey;
use crate::oid::{ID_ICAO_CSCA_MASTER_LIST_SIGNING_KEY, ID_ICAO_DOCUMENT_TYPE_LIST};

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

/// What to put in a CSCA link certificate (Doc 9303-12 §5.5.1): the new
/// CSCA key certified by the old one.
#[derive(Clone, Debug)]
pub struct LinkParams {
    /// Start of the validity period (typically the new key's first day).
    pub not_before: DateTime,
    /// End of the validity period (at most the old CSCA's).
    pub not_after: DateTime,
}

/// What to put in a master-list signer certificate (Doc 9303-12 §7.1.1,
/// Table 6: keyUsage digitalSignature, extendedKeyUsage
/// id-icao-cscaMasterListSigningKey, both critical).
#[derive(Clone, Debug)]
pub struct MasterListSignerParams {
    /// Subject name; same country as the CSCA.
    pub subject: Name,
    /// Start of the validity period.
    pub not_before: DateTime,
    /// End of the validity period.
    pub not_after: DateTime,
}

/// The CSCA profile as a template (self-issued: issuer = subject,
/// authorityKeyIdentifier = subjectKeyIdentifier), ready for [`cert::issue`]
/// with the CSCA's own key, or to be altered first.
///
/// # Errors
/// [`PkiError::MissingCountry`] if the subject has no `countryName`,
/// [`PkiError::InvalidValidity`] for an inconsistent private key usage
/// period, encoding errors.
pub fn csca_template(
    subject_key: &SubjectPublicKeyInfoOwned,
    params: &CscaParams,
) -> Result<CertificateTemplate, PkiError> {
    if country(&params.subject)?.is_none() {
        return Err(PkiError::MissingCountry("CSCA subject"));
    }
    let key_id = cert::key_identifier(subject_key)?;
    let mut extensions = vec![
        cert::authority_key_identifier(&key_id)?,
        cert::subject_key_identifier(&key_id)?,
        cert::key_usage(KeyUsages::KeyCertSign | KeyUsages::CRLSign)?,
    ];
    if let Some(end) = params.private_key_usage_end {
        if end <= params.not_before || end > params.not_after {
            return Err(PkiError::InvalidValidity(
                "private key usage period must end inside the validity period",
            ));
        }
        extensions.push(cert::private_key_usage_period(params.not_before, end)?);
    }
    // pathLenConstraint 0: a CSCA certifies Document Signers (and other
    // end-entity signers) only, never a subordinate CA.
    extensions.push(cert::basic_constraints(true, Some(0))?);
    Ok(CertificateTemplate {
        serial_number: None,
        issuer: params.subject.clone(),
        subject: params.subject.clone(),
        not_before: params.not_before,
        not_after: params.not_after,
        subject_public_key_info: subject_key.clone(),
        extensions,
    })
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
    let template = csca_template(&key.public_key_info()?, params)?;
    cert::issue(rng, &template, key)
}

/// The Document Signer profile as a template: issuer = the CSCA's subject,
/// authorityKeyIdentifier = the CSCA's subjectKeyIdentifier, keyUsage
/// digitalSignature, optional Document Type List.
///
/// # Errors
/// [`PkiError::MissingExtension`] if `csca` has no subjectKeyIdentifier,
/// [`PkiError::MissingCountry`] / [`PkiError::CountryMismatch`] unless
/// both names carry the same `countryName`, encoding errors.
pub fn ds_template(
    csca: &Certificate,
    subject_key: &SubjectPublicKeyInfoOwned,
    params: &DsParams,
) -> Result<CertificateTemplate, PkiError> {
    let csca_tbs = csca.tbs_certificate();
    check_same_country(csca_tbs.subject(), &params.subject)?;
    let csca_ski = subject_key_id(csca)?;
    let mut extensions = vec![
        // Copied from the CSCA's SKI rather than recomputed, so the link
        // holds whatever method the CSCA's key identifier was made with.
        cert::authority_key_identifier(&csca_ski)?,
        cert::subject_key_identifier(&cert::key_identifier(subject_key)?)?,
        cert::key_usage(KeyUsages::DigitalSignature)?,
    ];
    if !params.document_types.is_empty() {
        let types: Vec<&str> = params.document_types.iter().map(String::as_str).collect();
        extensions.push(cert::document_type_list(&types)?);
    }
    Ok(CertificateTemplate {
        serial_number: None,
        issuer: csca_tbs.subject().clone(),
        subject: params.subject.clone(),
        not_before: params.not_before,
        not_after: params.not_after,
        subject_public_key_info: subject_key.clone(),
        extensions,
    })
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
    check_key(csca, csca_key)?;
    let template = ds_template(csca, subject_key, params)?;
    cert::issue(rng, &template, csca_key)
}

/// The CSCA link certificate profile as a template (Doc 9303-12 §5.5.1,
/// §7.1.1): subject, subjectKeyIdentifier and public key of the **new**
/// CSCA; issuer and authorityKeyIdentifier of the **old** one; the CSCA
/// extensions (keyUsage keyCertSign + cRLSign, basicConstraints cA).
/// Issue it with the old CSCA's key.
///
/// # Errors
/// [`PkiError::MissingExtension`] if a CSCA lacks subjectKeyIdentifier,
/// [`PkiError::CountryMismatch`] if the two CSCAs name different countries,
/// encoding errors.
pub fn link_template(
    old_csca: &Certificate,
    new_csca: &Certificate,
    params: &LinkParams,
) -> Result<CertificateTemplate, PkiError> {
    let old = old_csca.tbs_certificate();
    let new = new_csca.tbs_certificate();
    check_same_country(old.subject(), new.subject())?;
    let extensions = vec![
        cert::authority_key_identifier(&subject_key_id(old_csca)?)?,
        cert::subject_key_identifier(&subject_key_id(new_csca)?)?,
        cert::key_usage(KeyUsages::KeyCertSign | KeyUsages::CRLSign)?,
        cert::basic_constraints(true, Some(0))?,
    ];
    Ok(CertificateTemplate {
        serial_number: None,
        issuer: old.subject().clone(),
        subject: new.subject().clone(),
        not_before: params.not_before,
        not_after: params.not_after,
        subject_public_key_info: new.subject_public_key_info().clone(),
        extensions,
    })
}

/// Issues a CSCA link certificate: `new_csca`'s key and name certified by
/// `old_csca` (signed with `old_key`), so that a verifier trusting the old
/// CSCA can reach documents signed under the new one.
///
/// # Errors
/// [`PkiError::KeyCertificateMismatch`] if `old_key` is not `old_csca`'s
/// key, and the errors of [`link_template`] and [`cert::issue`].
pub fn issue_link<R: CryptoRng + ?Sized>(
    rng: &mut R,
    old_csca: &Certificate,
    old_key: &SigningKey,
    new_csca: &Certificate,
    params: &LinkParams,
) -> Result<Certificate, PkiError> {
    check_key(old_csca, old_key)?;
    let template = link_template(old_csca, new_csca, params)?;
    cert::issue(rng, &template, old_key)
}

/// The master-list signer profile as a template.
///
/// # Errors
/// As [`ds_template`].
pub fn master_list_signer_template(
    csca: &Certificate,
    subject_key: &SubjectPublicKeyInfoOwned,
    params: &MasterListSignerParams,
) -> Result<CertificateTemplate, PkiError> {
    let csca_tbs = csca.tbs_certificate();
    check_same_country(csca_tbs.subject(), &params.subject)?;
    let extensions = vec![
        cert::authority_key_identifier(&subject_key_id(csca)?)?,
        cert::subject_key_identifier(&cert::key_identifier(subject_key)?)?,
        cert::key_usage(KeyUsages::DigitalSignature)?,
        cert::extended_key_usage(&[ID_ICAO_CSCA_MASTER_LIST_SIGNING_KEY], true)?,
    ];
    Ok(CertificateTemplate {
        serial_number: None,
        issuer: csca_tbs.subject().clone(),
        subject: params.subject.clone(),
        not_before: params.not_before,
        not_after: params.not_after,
        subject_public_key_info: subject_key.clone(),
        extensions,
    })
}

/// Issues a master-list signer certificate, signed by the CSCA.
///
/// # Errors
/// As [`issue_ds`].
pub fn issue_master_list_signer<R: CryptoRng + ?Sized>(
    rng: &mut R,
    csca: &Certificate,
    csca_key: &SigningKey,
    subject_key: &SubjectPublicKeyInfoOwned,
    params: &MasterListSignerParams,
) -> Result<Certificate, PkiError> {
    check_key(csca, csca_key)?;
    let template = master_list_signer_template(csca, subject_key, params)?;
    cert::issue(rng, &template, csca_key)
}

/// The subjectKeyIdentifier of `cert`.
///
/// # Errors
/// [`PkiError::MissingExtension`] when absent, decoding errors.
pub fn subject_key_id(cert: &Certificate) -> Result<Vec<u8>, PkiError> {
    let (_, ski) = cert
        .tbs_certificate()
        .get_extension::<SubjectKeyIdentifier>()
        .map_err(PkiError::der("subjectKeyIdentifier"))?
        .ok_or(PkiError::MissingExtension("subjectKeyIdentifier"))?;
    Ok(ski.0.as_bytes().to_vec())
}

fn check_key(cert: &Certificate, key: &SigningKey) -> Result<(), PkiError> {
    if &key.public_key_info()? == cert.tbs_certificate().subject_public_key_info() {
        Ok(())
    } else {
        Err(PkiError::KeyCertificateMismatch)
    }
}

fn check_same_country(issuer: &Name, subject: &Name) -> Result<(), PkiError> {
    let issuer_country = country(issuer)?;
    let subject_country = country(subject)?;
    if issuer_country.is_none() {
        return Err(PkiError::MissingCountry("CSCA subject"));
    }
    if issuer_country != subject_country {
        return Err(PkiError::CountryMismatch {
            issuer: issuer_country,
            subject: subject_country,
        });
    }
    Ok(())
}

fn country(name: &Name) -> Result<Option<String>, PkiError> {
    Ok(name
        .country()
        .map_err(PkiError::der("countryName"))?
        .map(|c| c.as_str().to_owned()))
}
