//! The project's own test PKI: one CSCA and one Document Signer for the
//! issuing state KOR (country code `KR` in certificates), used by the
//! virtual passport and the tests.
//!
//! The committed files under `test-vectors/pki/` are derived from
//! [`TEST_PKI_SEED`] by `cargo run -p mrtd-pki --example gen_testpki --
//! test-vectors/pki`; a test regenerates them and requires byte equality.
//! **The private keys are public on purpose: never trust this CSCA
//! outside of tests.**

use der::DateTime;
use pkcs8::SecretDocument;
use rand_core::CryptoRng;
use x509_cert::certificate::Certificate;
use x509_cert::name::Name;

use crate::PkiError;
use crate::key::{KeyAlgorithm, SigningKey};
use crate::profile::{CscaParams, DsParams, issue_csca, issue_ds};
use crate::sod::DocumentSigner;

/// Seed of the ChaCha20 RNG the committed test PKI is derived from.
pub const TEST_PKI_SEED: [u8; 32] = *b"mrtd test PKI KR v1, not secret!";

/// Subject of the test CSCA (RFC 4514 string, most significant RDN last).
pub const CSCA_SUBJECT: &str = "CN=mrtd Test CSCA KR,O=mrtd test PKI (not a real authority),C=KR";

/// Subject of the test Document Signer.
pub const DS_SUBJECT: &str = "CN=mrtd Test DS KR 1,O=mrtd test PKI (not a real authority),C=KR";

/// Start of validity of the committed test PKI: 2026-01-01T00:00:00Z.
pub const TEST_PKI_NOT_BEFORE: DateTime = match DateTime::new(2026, 1, 1, 0, 0, 0) {
    Ok(t) => t,
    Err(_) => panic!("2026-01-01T00:00:00Z is a valid date"),
};

/// CSCA certificate validity in years: 5 years of key usage plus 10 years
/// of the longest-lived passport it may have signed (Doc 9303-12 §5.3).
pub const CSCA_VALIDITY_YEARS: u16 = 15;

/// CSCA private key usage period in years (Doc 9303-12 Table 1: 3–5).
pub const CSCA_KEY_USAGE_YEARS: u16 = 5;

/// Document Signer certificate validity in years: passports it signs stay
/// valid for up to 10 years. The DS key is meant to be used for a few
/// months only, but the test DS signs virtual passports for as long as the
/// certificate is valid.
pub const DS_VALIDITY_YEARS: u16 = 10;

/// File names of the committed test PKI, relative to `test-vectors/pki/`.
pub mod files {
    /// CSCA certificate, DER.
    pub const CSCA_CERT: &str = "csca.der";
    /// CSCA private key, PKCS#8 DER.
    pub const CSCA_KEY: &str = "csca-key.pk8";
    /// Document Signer certificate, DER.
    pub const DS_CERT: &str = "ds.der";
    /// Document Signer private key, PKCS#8 DER.
    pub const DS_KEY: &str = "ds-key.pk8";
}

/// The committed test PKI files, compiled into the library.
pub mod embedded {
    /// `test-vectors/pki/csca.der`.
    pub const CSCA_CERT: &[u8] = include_bytes!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../test-vectors/pki/csca.der"
    ));
    /// `test-vectors/pki/csca-key.pk8`.
    pub const CSCA_KEY: &[u8] = include_bytes!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../test-vectors/pki/csca-key.pk8"
    ));
    /// `test-vectors/pki/ds.der`.
    pub const DS_CERT: &[u8] = include_bytes!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../test-vectors/pki/ds.der"
    ));
    /// `test-vectors/pki/ds-key.pk8`.
    pub const DS_KEY: &[u8] = include_bytes!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../test-vectors/pki/ds-key.pk8"
    ));
}

/// Parameters of [`TestPki::generate`].
#[derive(Clone, Debug)]
pub struct TestPkiOptions {
    /// Key algorithm of both the CSCA and the DS.
    pub algorithm: KeyAlgorithm,
    /// Start of validity of both certificates.
    pub not_before: DateTime,
}

impl Default for TestPkiOptions {
    /// The options the committed test PKI was made with.
    fn default() -> Self {
        Self {
            algorithm: KeyAlgorithm::EcdsaP256,
            not_before: TEST_PKI_NOT_BEFORE,
        }
    }
}

/// The encoded test PKI, ready to be written to `test-vectors/pki/`.
#[derive(Debug)]
pub struct TestPkiFiles {
    /// CSCA certificate, DER.
    pub csca_cert: Vec<u8>,
    /// CSCA private key, PKCS#8 DER.
    pub csca_key: SecretDocument,
    /// DS certificate, DER.
    pub ds_cert: Vec<u8>,
    /// DS private key, PKCS#8 DER.
    pub ds_key: SecretDocument,
}

impl TestPkiFiles {
    /// `(file name, contents)` for each file, names from [`files`].
    #[must_use]
    pub fn entries(&self) -> [(&'static str, &[u8]); 4] {
        [
            (files::CSCA_CERT, &self.csca_cert),
            (files::CSCA_KEY, self.csca_key.as_bytes()),
            (files::DS_CERT, &self.ds_cert),
            (files::DS_KEY, self.ds_key.as_bytes()),
        ]
    }
}

/// A CSCA and a Document Signer it issued, with both private keys.
#[derive(Clone, Debug)]
pub struct TestPki {
    csca: Certificate,
    csca_key: SigningKey,
    ds: DocumentSigner,
}

impl TestPki {
    /// Generates a CSCA and a DS with the Doc 9303-12 profiles of
    /// [`crate::profile`], subjects [`CSCA_SUBJECT`] and [`DS_SUBJECT`],
    /// validity [`CSCA_VALIDITY_YEARS`] / [`DS_VALIDITY_YEARS`] from
    /// `options.not_before`, and a DS Document Type List of `P`.
    ///
    /// All randomness (keys, serial numbers) comes from `rng`, in a fixed
    /// order; signatures are deterministic. A seeded RNG therefore gives
    /// byte-identical certificates and keys.
    ///
    /// # Errors
    /// Encoding or signing errors; [`PkiError::InvalidValidity`] if adding
    /// the validity years to `not_before` leaves the range of [`DateTime`].
    pub fn generate<R: CryptoRng + ?Sized>(
        rng: &mut R,
        options: &TestPkiOptions,
    ) -> Result<Self, PkiError> {
        let not_before = options.not_before;
        let csca_key = SigningKey::generate(options.algorithm, rng);
        let csca = issue_csca(
            rng,
            &csca_key,
            &CscaParams {
                subject: parse_name(CSCA_SUBJECT)?,
                not_before,
                not_after: add_years(not_before, CSCA_VALIDITY_YEARS)?,
                private_key_usage_end: Some(add_years(not_before, CSCA_KEY_USAGE_YEARS)?),
            },
        )?;
        let ds_key = SigningKey::generate(options.algorithm, rng);
        let ds_cert = issue_ds(
            rng,
            &csca,
            &csca_key,
            &ds_key.public_key_info()?,
            &DsParams {
                subject: parse_name(DS_SUBJECT)?,
                not_before,
                not_after: add_years(not_before, DS_VALIDITY_YEARS)?,
                document_types: vec!["P".to_owned()],
            },
        )?;
        Ok(Self {
            csca,
            csca_key,
            ds: DocumentSigner::new(ds_cert, ds_key)?,
        })
    }

    /// The committed test PKI (`test-vectors/pki/`), compiled in with
    /// `include_bytes!`; no I/O.
    ///
    /// # Panics
    /// Never with the committed files: the test suite decodes them.
    #[must_use]
    pub fn embedded() -> Self {
        Self::from_der(
            embedded::CSCA_CERT,
            embedded::CSCA_KEY,
            embedded::DS_CERT,
            embedded::DS_KEY,
        )
        .expect("the committed test PKI files decode (checked by the test suite)")
    }

    /// Decodes a test PKI from its four files.
    ///
    /// # Errors
    /// Decoding errors, or [`PkiError::KeyCertificateMismatch`] if a key
    /// does not belong to its certificate.
    pub fn from_der(
        csca_cert: &[u8],
        csca_key: &[u8],
        ds_cert: &[u8],
        ds_key: &[u8],
    ) -> Result<Self, PkiError> {
        use der::Decode;
        let csca = Certificate::from_der(csca_cert).map_err(PkiError::der("CSCA certificate"))?;
        let csca_key = SigningKey::from_pkcs8_der(csca_key)?;
        if &csca_key.public_key_info()? != csca.tbs_certificate().subject_public_key_info() {
            return Err(PkiError::KeyCertificateMismatch);
        }
        let ds = Certificate::from_der(ds_cert).map_err(PkiError::der("DS certificate"))?;
        let ds_key = SigningKey::from_pkcs8_der(ds_key)?;
        Ok(Self {
            csca,
            csca_key,
            ds: DocumentSigner::new(ds, ds_key)?,
        })
    }

    /// Encodes the four files.
    ///
    /// # Errors
    /// Encoding errors.
    pub fn to_files(&self) -> Result<TestPkiFiles, PkiError> {
        use der::Encode;
        Ok(TestPkiFiles {
            csca_cert: self
                .csca
                .to_der()
                .map_err(PkiError::der("CSCA certificate"))?,
            csca_key: self.csca_key.to_pkcs8_der()?,
            ds_cert: self
                .ds
                .certificate()
                .to_der()
                .map_err(PkiError::der("DS certificate"))?,
            ds_key: self.ds.key().to_pkcs8_der()?,
        })
    }

    /// The CSCA certificate (the trust anchor of the test PKI).
    #[must_use]
    pub fn csca(&self) -> &Certificate {
        &self.csca
    }

    /// The CSCA private key.
    #[must_use]
    pub fn csca_key(&self) -> &SigningKey {
        &self.csca_key
    }

    /// The Document Signer (certificate and key) that signs EF.SODs.
    #[must_use]
    pub fn document_signer(&self) -> &DocumentSigner {
        &self.ds
    }
}

fn parse_name(rfc4514: &str) -> Result<Name, PkiError> {
    rfc4514.parse().map_err(PkiError::der("subject name"))
}

/// `time` plus `years` calendar years; 29 February maps to 28 February in
/// a non-leap target year.
pub(crate) fn add_years(time: DateTime, years: u16) -> Result<DateTime, PkiError> {
    let out_of_range = || PkiError::InvalidValidity("date out of range");
    let year = time.year().checked_add(years).ok_or_else(out_of_range)?;
    let with_day = |day| {
        DateTime::new(
            year,
            time.month(),
            day,
            time.hour(),
            time.minutes(),
            time.seconds(),
        )
    };
    with_day(time.day())
        .or_else(|_| {
            if time.month() == 2 && time.day() == 29 {
                with_day(28)
            } else {
                Err(der::ErrorKind::DateTime.into())
            }
        })
        .map_err(|_| out_of_range())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn add_years_plain_and_leap_day() {
        let t = DateTime::new(2026, 1, 1, 0, 0, 0).unwrap();
        assert_eq!(
            add_years(t, 15).unwrap(),
            DateTime::new(2041, 1, 1, 0, 0, 0).unwrap()
        );
        let leap = DateTime::new(2028, 2, 29, 12, 30, 5).unwrap();
        assert_eq!(
            add_years(leap, 1).unwrap(),
            DateTime::new(2029, 2, 28, 12, 30, 5).unwrap()
        );
        assert_eq!(
            add_years(leap, 4).unwrap(),
            DateTime::new(2032, 2, 29, 12, 30, 5).unwrap()
        );
        assert!(add_years(t, 9000).is_err());
    }

    #[test]
    fn seed_is_32_bytes_of_ascii() {
        assert!(TEST_PKI_SEED.is_ascii());
    }
}
