//! ICAO Doc 9303 public key infrastructure for eMRTDs.
//!
//! This first part provides the issuing side the project needs for its own
//! tests and the virtual passport:
//!
//! - [`profile`]: CSCA and Document Signer certificates with the
//!   Doc 9303-12 §7.1 profiles, issued with `x509-cert`'s builder;
//! - [`testpki`]: the project's deterministic test PKI (CSCA + DS for
//!   issuing state KOR) and the committed copy of it;
//! - [`sod`]: EF.SOD signing, CMS SignedData over an `LDSSecurityObject`
//!   (Doc 9303-10 §4.6.2).
//!
//! Like every protocol-level crate of mrtd it does no I/O: randomness
//! ([`rand_core::CryptoRng`]) and times are parameters.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod error;
pub mod key;
pub mod oid;
pub mod profile;
pub mod sod;
pub mod testpki;

pub use error::PkiError;
pub use key::{DigestAlgorithm, KeyAlgorithm, SigningKey};
pub use sod::{DocumentSigner, EF_SOD_TAG, sign_sod};
pub use testpki::TestPki;

/// Re-exported so callers can name certificate types without depending on
/// `x509-cert` themselves.
pub use x509_cert::Certificate;
