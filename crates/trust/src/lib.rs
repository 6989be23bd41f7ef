//! Trust for ICAO Doc 9303 eMRTDs: the CSCA trust store (master lists,
//! link certificates, CRLs, PKD LDIF, deviation lists) and passive
//! authentication with every check reported.
//!
//! - [`TrustStore`]: in memory, built from bytes with
//!   [`TrustStore::import`], which recognises certificates (DER/PEM), CRLs,
//!   CMS master and deviation lists and ICAO PKD LDIF files, verifies what
//!   it can and returns an [`ImportReport`].
//! - [`passive_authentication`] (Doc 9303-11 §5.1, Doc 9303-12): EF.SOD
//!   structure, signer, signed attributes, message digest, signature over
//!   the original signed-attribute bytes, the DS certificate to a trusted
//!   CSCA (name and key-identifier chaining, validity at verification and
//!   signing time, key usage, basic constraints, link certificates, CRLs),
//!   the MRZ issuing state against the CSCA country, and every data group
//!   hash. The [`PaReport`] lists each [`Check`] with a stable id
//!   (`notes/pa-checks.md`), a status and an actionable reason, and a
//!   [`Verdict`].
//! - [`verify_signed_data`] / [`verify_card_security`]: the same for any
//!   CMS SignedData (EF.CardSecurity for PACE-CAM).
//! - [`SignatureVerifier`]: the provider interface every signature goes
//!   through; [`RustCryptoVerifier`] is the pure-Rust default (RSA PKCS#1
//!   v1.5 and PSS, ECDSA on the NIST and Brainpool curves with named or
//!   explicit parameters).
//!
//! No I/O and no clock: the verification time is a parameter.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod algorithm;
pub mod authenticity;
pub mod cert;
mod chain;
pub mod cms;
pub mod country;
pub mod crl;
pub mod der_walk;
mod error;
pub mod ldif;
pub mod masterlist;
pub mod name;
pub mod oid;
mod pa;
mod policy;
mod report;
mod signed;
mod store;
mod time;
pub mod verifier;

pub use algorithm::{DigestAlgorithm, PublicKeyKind, SignatureScheme, cms_signature_algorithm};
pub use cert::{CertProfile, CertificateInfo, CertificateSummary};
pub use chain::certificate_path;
pub use crl::CrlInfo;
pub use error::{ParseError, VerifyError};
pub use name::DistinguishedName;
pub use pa::{
    PaInputs, VerifyContext, ef_from_dump_name, passive_authentication,
    passive_authentication_with, verify_card_security, verify_files, verify_signed_data,
};
pub use policy::Policy;
pub use report::{Check, CheckStatus, Checks, PaReport, Verdict};
pub use store::{
    CertRole, CertificateListing, CrlStatus, ImportItem, ImportOptions, ImportOutcome,
    ImportReport, ListKind, ListRecord, StoredCertificate, StoredCrl, TrustStore, cms_content_type,
};
pub use time::Timestamp;
pub use verifier::{RustCryptoVerifier, SignatureVerifier};
