//! The error type of this crate.

use const_oid::ObjectIdentifier;

/// Everything that can go wrong while generating keys, issuing
/// certificates or signing an EF.SOD.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PkiError {
    /// DER encoding or decoding failed.
    #[error("ASN.1 DER error in {context}: {source}")]
    Der {
        /// Which structure was being encoded or decoded.
        context: &'static str,
        /// The underlying `der` error (carries the byte position when decoding).
        #[source]
        source: der::Error,
    },

    /// A PKCS#8 private key could not be decoded or encoded.
    #[error("PKCS#8 private key error: {0}")]
    Pkcs8(#[from] pkcs8::Error),

    /// A SubjectPublicKeyInfo could not be encoded or decoded.
    #[error("SubjectPublicKeyInfo error: {0}")]
    Spki(#[from] spki::Error),

    /// The X.509 certificate builder refused the certificate.
    #[error("certificate builder error: {0}")]
    CertificateBuilder(#[from] x509_cert::builder::Error),

    /// The signature primitive failed.
    #[error("signature operation failed: {0}")]
    Signature(#[from] signature::Error),

    /// The key algorithm (and curve, if any) is not supported.
    #[error("unsupported key algorithm {algorithm}{}", curve.map(|c| format!(" with parameters {c}")).unwrap_or_default())]
    UnsupportedKeyAlgorithm {
        /// The algorithm OID of the key.
        algorithm: ObjectIdentifier,
        /// The named-curve OID, for EC keys.
        curve: Option<ObjectIdentifier>,
    },

    /// The private key does not belong to the public key in the certificate.
    #[error("the private key does not match the certificate's public key")]
    KeyCertificateMismatch,

    /// A certificate lacks an extension this operation needs.
    #[error("certificate lacks the {0} extension")]
    MissingExtension(&'static str),

    /// A CSCA or DS name lacks `countryName`, which Doc 9303-12 §7.1.1
    /// makes mandatory.
    #[error("the {0} name has no countryName attribute")]
    MissingCountry(&'static str),

    /// Issuer and subject of a Document Signer name different countries,
    /// which Doc 9303-12 §7.1.1 forbids.
    #[error("issuer country {issuer:?} differs from subject country {subject:?}")]
    CountryMismatch {
        /// `countryName` of the issuer (CSCA), if any.
        issuer: Option<String>,
        /// `countryName` of the subject (DS), if any.
        subject: Option<String>,
    },

    /// A validity period could not be computed or is empty.
    #[error("invalid validity period: {0}")]
    InvalidValidity(&'static str),

    /// RSA key generation, decoding or signing failed.
    #[error("RSA: {0}")]
    Rsa(String),

    /// An elliptic-curve operation of `mrtd-groups` failed.
    #[error("elliptic curve: {0}")]
    Group(#[from] mrtd_groups::GroupError),

    /// A signature scheme was asked of a key of the other family (ECDSA
    /// with an RSA key, or PKCS#1/PSS with an EC key).
    #[error("{scheme} cannot be used with a {key} key")]
    SchemeMismatch {
        /// The key.
        key: crate::key::KeyType,
        /// The scheme asked for.
        scheme: crate::key::SignatureScheme,
    },

    /// A private key is malformed or inconsistent.
    #[error("invalid private key: {0}")]
    InvalidKey(&'static str),

    /// A parameter given to a generator is out of range or inconsistent.
    #[error("invalid input: {0}")]
    InvalidInput(String),

    /// The eContent handed to the SOD signer is not a single DER SEQUENCE
    /// (an `LDSSecurityObject` always is one, Doc 9303-10 §4.6.2.3).
    #[error("eContent is not a single DER SEQUENCE: {0}")]
    InvalidEContent(&'static str),
}

impl PkiError {
    /// Wraps a `der` error with the name of the structure being processed.
    pub(crate) fn der(context: &'static str) -> impl FnOnce(der::Error) -> Self {
        move |source| Self::Der { context, source }
    }
}
