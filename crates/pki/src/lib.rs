//! ICAO Doc 9303 public key infrastructure for eMRTDs: the issuing side,
//! for the project's tests, the virtual passport and `mrtd testpki`.
//!
//! - [`key`]: signing keys — RSA 512–8192 bits with PKCS#1 v1.5 or
//!   RSASSA-PSS, ECDSA on NIST P-224/256/384/521 and brainpoolP224r1…P512r1
//!   (named or explicit domain parameters) — with SHA-1/SHA-2 digests;
//!   deterministic signatures;
//! - [`cert`]: certificates from templates (any field, any extension, any
//!   signer) and extension builders;
//! - [`profile`]: the Doc 9303-12 §7.1 profiles — CSCA, CSCA link
//!   certificate, Document Signer, master-list signer;
//! - [`crl`]: CSCA CRLs (v2, cRLNumber, nextUpdate, reasons);
//! - [`signed_data`]: CMS SignedData with signer options (digest, scheme,
//!   issuerAndSerialNumber or subjectKeyIdentifier, certificate embedded or
//!   not, signingTime) and [`signed_data::Deviations`] for negative tests;
//! - [`sod`]: EF.SOD (Doc 9303-10 §4.6.2) over any data groups;
//!   [`master_list`]: CSCA master lists (Doc 9303-12 §9);
//! - [`encoding`]: DER-breaking re-encodings (BER lengths) for negative
//!   tests;
//! - [`testpki`]: the committed P-256 test PKI the virtual passport uses;
//!   [`set`]: a whole PKI of one country with chosen algorithms;
//! - [`matrix`]: the passive-authentication test matrix
//!   (`test-vectors/pa-matrix/`).
//!
//! Like every protocol-level crate of mrtd it does no I/O: randomness
//! ([`rand_core::CryptoRng`]) and times are parameters, and everything is
//! reproducible from a seed.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod cert;
pub mod crl;
pub mod digest;
pub mod encoding;
pub mod error;
pub mod key;
pub mod master_list;
pub mod matrix;
pub mod oid;
pub mod profile;
pub mod set;
pub mod signed_data;
pub mod sod;
pub mod testpki;

pub use error::PkiError;
pub use key::{DigestAlgorithm, KeyAlgorithm, KeyType, PssParams, SignatureScheme, SigningKey};
pub use signed_data::{SignOptions, SignerIdKind};
pub use sod::{DocumentSigner, EF_SOD_TAG, lds_security_object, sign_sod, sign_sod_with};
pub use testpki::TestPki;

/// Re-exported so callers can name certificate types without depending on
/// `x509-cert` themselves.
pub use x509_cert::Certificate;
