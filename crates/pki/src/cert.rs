//! Certificates from templates: every field and extension chosen by the
//! caller, signed by any key with any scheme.
//!
//! [`crate::profile`] builds the Doc 9303-12 §7.1 profiles as
//! [`CertificateTemplate`]s ([`crate::profile::csca_template`],
//! [`crate::profile::ds_template`], …) and issues them here. A test that
//! needs a certificate which breaks one rule — a DS with keyCertSign, a
//! CSCA without cA, an authority key identifier that matches nothing, a
//! certificate signed by the wrong key — takes the profile's template,
//! changes that one thing and calls [`issue`].

use const_oid::AssociatedOid;
use const_oid::ObjectIdentifier;
use der::DateTime;
use der::Encode;
use der::asn1::{GeneralizedTime, OctetString, PrintableString, SetOfVec};
use rand_core::CryptoRng;
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned, SubjectPublicKeyInfoRef};
use x509_cert::builder::{Builder, CertificateBuilder, profile::BuilderProfile};
use x509_cert::certificate::{Certificate, TbsCertificate};
use x509_cert::ext::Extension;
use x509_cert::ext::pkix::{
    AuthorityKeyIdentifier, BasicConstraints, ExtendedKeyUsage, KeyUsage, KeyUsages,
    PrivateKeyUsagePeriod, SubjectKeyIdentifier,
};
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::{Time, Validity};

use crate::PkiError;
use crate::key::{EncodedSignature, SignatureScheme, SigningKey};
use crate::profile::DocumentTypeList;

/// Everything that goes into a certificate except the issuer's signature.
#[derive(Clone, Debug)]
pub struct CertificateTemplate {
    /// The serial number; `None` draws a positive 17-byte number from the
    /// RNG given to [`issue`] (CA/B Forum ballot 164 size; Doc 9303-12
    /// §7.1.1 allows up to 20 octets).
    pub serial_number: Option<SerialNumber>,
    /// Issuer name.
    pub issuer: Name,
    /// Subject name.
    pub subject: Name,
    /// Start of the validity period.
    pub not_before: DateTime,
    /// End of the validity period (must be after `not_before`).
    pub not_after: DateTime,
    /// The certified public key.
    pub subject_public_key_info: SubjectPublicKeyInfoOwned,
    /// Extensions, in this order. Version 3 when there is any, else 1.
    pub extensions: Vec<Extension>,
}

impl CertificateTemplate {
    /// Replaces the extension with `ext`'s OID, or appends `ext`.
    pub fn set_extension(&mut self, ext: Extension) {
        match self
            .extensions
            .iter_mut()
            .find(|e| e.extn_id == ext.extn_id)
        {
            Some(slot) => *slot = ext,
            None => self.extensions.push(ext),
        }
    }

    /// Removes the extension with this OID (if present).
    pub fn remove_extension(&mut self, oid: ObjectIdentifier) {
        self.extensions.retain(|e| e.extn_id != oid);
    }

    /// The extension with this OID, if present.
    #[must_use]
    pub fn extension(&self, oid: ObjectIdentifier) -> Option<&Extension> {
        self.extensions.iter().find(|e| e.extn_id == oid)
    }
}

/// Issues `template`, signed by `issuer_key` with its default scheme.
///
/// # Errors
/// [`PkiError::InvalidValidity`] for an empty validity period, and encoding
/// or signing errors.
pub fn issue<R: CryptoRng + ?Sized>(
    rng: &mut R,
    template: &CertificateTemplate,
    issuer_key: &SigningKey,
) -> Result<Certificate, PkiError> {
    issue_with(rng, template, issuer_key, issuer_key.scheme(), None)
}

/// Issues `template`, signed by `issuer_key` with `scheme`, declaring
/// `declared_algorithm` (default: `scheme`'s identifier) as the signature
/// algorithm — a declaration that differs from `scheme` makes a
/// certificate whose signature cannot verify, for negative tests.
///
/// # Errors
/// As [`issue`], and [`PkiError::SchemeMismatch`] for a scheme of the
/// other key family.
pub fn issue_with<R: CryptoRng + ?Sized>(
    rng: &mut R,
    template: &CertificateTemplate,
    issuer_key: &SigningKey,
    scheme: SignatureScheme,
    declared_algorithm: Option<AlgorithmIdentifierOwned>,
) -> Result<Certificate, PkiError> {
    let validity = validity(template.not_before, template.not_after)?;
    let serial = match &template.serial_number {
        Some(s) => s.clone(),
        None => SerialNumber::generate(rng),
    };
    let signer = issuer_key.cert_signer_with(scheme, declared_algorithm)?;
    let profile = TemplateProfile {
        issuer: template.issuer.clone(),
        subject: template.subject.clone(),
        extensions: template.extensions.clone(),
    };
    let builder = CertificateBuilder::new(
        profile,
        serial,
        validity,
        template.subject_public_key_info.clone(),
    )?;
    Ok(builder.build::<_, EncodedSignature>(&signer)?)
}

/// A validity period, UTCTime before 2050 and GeneralizedTime from 2050 on
/// (RFC 5280 §4.1.2.5).
pub(crate) fn validity(not_before: DateTime, not_after: DateTime) -> Result<Validity, PkiError> {
    if not_after <= not_before {
        return Err(PkiError::InvalidValidity(
            "notAfter must be after notBefore",
        ));
    }
    Ok(Validity::new(Time::from(not_before), Time::from(not_after)))
}

struct TemplateProfile {
    issuer: Name,
    subject: Name,
    extensions: Vec<Extension>,
}

impl BuilderProfile for TemplateProfile {
    fn get_issuer(&self, _subject: &Name) -> Name {
        self.issuer.clone()
    }

    fn get_subject(&self) -> Name {
        self.subject.clone()
    }

    fn build_extensions(
        &self,
        _spk: SubjectPublicKeyInfoRef<'_>,
        _issuer_spk: SubjectPublicKeyInfoRef<'_>,
        _tbs: &TbsCertificate,
    ) -> x509_cert::builder::Result<Vec<Extension>> {
        Ok(self.extensions.clone())
    }
}

/// An extension holding `value`'s DER, with the given criticality.
///
/// # Errors
/// Encoding errors.
pub fn extension<T: Encode + AssociatedOid>(
    value: &T,
    critical: bool,
) -> Result<Extension, PkiError> {
    Ok(Extension {
        extn_id: T::OID,
        critical,
        extn_value: OctetString::new(value.to_der().map_err(PkiError::der("extension value"))?)
            .map_err(PkiError::der("extension value"))?,
    })
}

/// The key identifier of a public key: SHA-1 over the subjectPublicKey
/// BIT STRING value (RFC 5280 §4.2.1.2 method 1), what the profiles put in
/// subjectKeyIdentifier and authorityKeyIdentifier.
///
/// # Errors
/// Encoding errors.
pub fn key_identifier(spki: &SubjectPublicKeyInfoOwned) -> Result<Vec<u8>, PkiError> {
    use der::referenced::OwnedToRef;
    let ski = SubjectKeyIdentifier::try_from(spki.owned_to_ref())
        .map_err(PkiError::der("subjectKeyIdentifier"))?;
    Ok(ski.0.as_bytes().to_vec())
}

/// subjectKeyIdentifier (non-critical) holding `key_id`.
///
/// # Errors
/// Encoding errors.
pub fn subject_key_identifier(key_id: &[u8]) -> Result<Extension, PkiError> {
    let ski =
        SubjectKeyIdentifier(OctetString::new(key_id).map_err(PkiError::der("keyIdentifier"))?);
    extension(&ski, false)
}

/// authorityKeyIdentifier (non-critical) with only `keyIdentifier`, as
/// Doc 9303-12 §7.1.1 asks.
///
/// # Errors
/// Encoding errors.
pub fn authority_key_identifier(key_id: &[u8]) -> Result<Extension, PkiError> {
    let aki = AuthorityKeyIdentifier {
        key_identifier: Some(OctetString::new(key_id).map_err(PkiError::der("keyIdentifier"))?),
        authority_cert_issuer: None,
        authority_cert_serial_number: None,
    };
    extension(&aki, false)
}

/// keyUsage (critical, Doc 9303-12 Table 6).
///
/// # Errors
/// Encoding errors.
pub fn key_usage(
    usages: impl Into<der::flagset::FlagSet<KeyUsages>>,
) -> Result<Extension, PkiError> {
    extension(&KeyUsage(usages.into()), true)
}

/// basicConstraints (critical).
///
/// # Errors
/// Encoding errors.
pub fn basic_constraints(ca: bool, path_len_constraint: Option<u8>) -> Result<Extension, PkiError> {
    extension(
        &BasicConstraints {
            ca,
            path_len_constraint,
        },
        true,
    )
}

/// extendedKeyUsage with these purposes.
///
/// # Errors
/// Encoding errors.
pub fn extended_key_usage(
    purposes: &[ObjectIdentifier],
    critical: bool,
) -> Result<Extension, PkiError> {
    extension(&ExtendedKeyUsage(purposes.to_vec()), critical)
}

/// privateKeyUsagePeriod (non-critical) from `start` to `end`.
///
/// # Errors
/// Encoding errors.
pub fn private_key_usage_period(start: DateTime, end: DateTime) -> Result<Extension, PkiError> {
    extension(
        &PrivateKeyUsagePeriod {
            not_before: Some(GeneralizedTime::from_date_time(start)),
            not_after: Some(GeneralizedTime::from_date_time(end)),
        },
        false,
    )
}

/// The ICAO Document Type List (non-critical, Doc 9303-12 §7.1.1.6).
///
/// # Errors
/// Encoding errors; a type that is not a PrintableString.
pub fn document_type_list(types: &[&str]) -> Result<Extension, PkiError> {
    let mut set = SetOfVec::new();
    for doc_type in types {
        let value = PrintableString::new(doc_type).map_err(PkiError::der("DocumentType"))?;
        set.insert(value).map_err(PkiError::der("docTypeList"))?;
    }
    extension(
        &DocumentTypeList {
            version: 0,
            doc_type_list: set,
        },
        false,
    )
}
