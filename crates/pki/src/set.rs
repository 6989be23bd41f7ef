//! A complete test PKI of one country with chosen algorithms — CSCA, Document
//! Signer, master-list signer, CRL and master list — as `mrtd testpki`
//! writes it.

use der::{DateTime, Encode};
use rand_core::CryptoRng;
use x509_cert::Certificate;
use x509_cert::crl::CertificateList;
use x509_cert::name::Name;
use zeroize::Zeroizing;

use crate::PkiError;
use crate::crl::{CrlParams, issue_crl};
use crate::key::{KeyAlgorithm, SigningKey};
use crate::master_list::sign_master_list;
use crate::profile::{
    CscaParams, DsParams, MasterListSignerParams, issue_csca, issue_ds, issue_master_list_signer,
};
use crate::signed_data::SignOptions;
use crate::sod::DocumentSigner;
use crate::testpki::{CSCA_KEY_USAGE_YEARS, CSCA_VALIDITY_YEARS, DS_VALIDITY_YEARS, add_years};

/// How to make a [`PkiSet`].
#[derive(Clone, Debug)]
pub struct PkiSetOptions {
    /// Algorithm of the CSCA (and of the master-list signer).
    pub csca_algorithm: KeyAlgorithm,
    /// Algorithm of the Document Signer.
    pub ds_algorithm: KeyAlgorithm,
    /// EC public keys with explicit domain parameters (Doc 9303-12
    /// §4.1.6.3) instead of named curves.
    pub explicit_parameters: bool,
    /// ISO 3166-1 alpha-2 country code of every certificate (`KR`, `DE`).
    pub country: String,
    /// Start of every validity period and the CRL's thisUpdate.
    pub not_before: DateTime,
}

impl PkiSetOptions {
    /// One algorithm for every key, country `KR`, named curves, from the
    /// committed test PKI's start date.
    #[must_use]
    pub fn new(algorithm: KeyAlgorithm) -> Self {
        Self {
            csca_algorithm: algorithm,
            ds_algorithm: algorithm,
            explicit_parameters: false,
            country: "KR".to_owned(),
            not_before: crate::testpki::TEST_PKI_NOT_BEFORE,
        }
    }
}

/// The generated PKI.
#[derive(Clone, Debug)]
pub struct PkiSet {
    /// Self-signed CSCA certificate.
    pub csca: Certificate,
    /// CSCA private key.
    pub csca_key: SigningKey,
    /// Document Signer (certificate + key), issued by the CSCA.
    pub document_signer: DocumentSigner,
    /// Master-list signer (certificate + key), issued by the CSCA.
    pub master_list_signer: DocumentSigner,
    /// The CSCA's first CRL (number 1, nothing revoked, nextUpdate 90 days
    /// later, Doc 9303-12 §7.1.4's maximum interval).
    pub crl: CertificateList,
    /// A master list with the CSCA, signed by the master-list signer (DER
    /// ContentInfo).
    pub master_list: Vec<u8>,
}

/// A file of the set: its name and contents (zeroized on drop).
pub type NamedFile = (&'static str, Zeroizing<Vec<u8>>);

/// File names [`PkiSet::files`] uses.
pub mod files {
    /// CSCA certificate.
    pub const CSCA_CERT: &str = "csca.der";
    /// CSCA key (PKCS#8).
    pub const CSCA_KEY: &str = "csca-key.pk8";
    /// DS certificate.
    pub const DS_CERT: &str = "ds.der";
    /// DS key (PKCS#8).
    pub const DS_KEY: &str = "ds-key.pk8";
    /// Master-list signer certificate.
    pub const ML_SIGNER_CERT: &str = "ml-signer.der";
    /// Master-list signer key (PKCS#8).
    pub const ML_SIGNER_KEY: &str = "ml-signer-key.pk8";
    /// CRL.
    pub const CRL: &str = "csca.crl";
    /// Master list.
    pub const MASTER_LIST: &str = "masterlist.ml";
}

impl PkiSet {
    /// Generates the set: keys (in the order CSCA, DS, master-list signer),
    /// serial numbers and nothing else from `rng`; signatures are
    /// deterministic, so a seeded RNG reproduces the files.
    ///
    /// # Errors
    /// [`PkiError::InvalidInput`] for a country that is not two letters,
    /// key generation, encoding and signing errors.
    pub fn generate<R: CryptoRng + ?Sized>(
        rng: &mut R,
        options: &PkiSetOptions,
    ) -> Result<Self, PkiError> {
        let country = &options.country;
        if country.len() != 2 || !country.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(PkiError::InvalidInput(format!(
                "country {country:?} is not an ISO 3166-1 alpha-2 code"
            )));
        }
        let name = |cn: &str| -> Result<Name, PkiError> {
            format!("CN={cn},O=mrtd test PKI (not a real authority),C={country}")
                .parse()
                .map_err(PkiError::der("name"))
        };
        let nb = options.not_before;
        let explicit = options.explicit_parameters;
        let csca_key = SigningKey::try_generate(options.csca_algorithm, rng)?
            .with_explicit_parameters(explicit);
        let csca = issue_csca(
            rng,
            &csca_key,
            &CscaParams {
                subject: name(&format!("mrtd Test CSCA {country}"))?,
                not_before: nb,
                not_after: add_years(nb, CSCA_VALIDITY_YEARS)?,
                private_key_usage_end: Some(add_years(nb, CSCA_KEY_USAGE_YEARS)?),
            },
        )?;
        let ds_key =
            SigningKey::try_generate(options.ds_algorithm, rng)?.with_explicit_parameters(explicit);
        let ds = issue_ds(
            rng,
            &csca,
            &csca_key,
            &ds_key.public_key_info()?,
            &DsParams {
                subject: name(&format!("mrtd Test DS {country} 1"))?,
                not_before: nb,
                not_after: add_years(nb, DS_VALIDITY_YEARS)?,
                document_types: vec!["P".to_owned()],
            },
        )?;
        let ml_key = SigningKey::try_generate(options.csca_algorithm, rng)?
            .with_explicit_parameters(explicit);
        let ml_cert = issue_master_list_signer(
            rng,
            &csca,
            &csca_key,
            &ml_key.public_key_info()?,
            &MasterListSignerParams {
                subject: name(&format!("mrtd Test Master List Signer {country}"))?,
                not_before: nb,
                not_after: add_years(nb, CSCA_KEY_USAGE_YEARS)?,
            },
        )?;
        let master_list_signer = DocumentSigner::new(ml_cert, ml_key)?;
        let crl = issue_crl(
            &csca,
            &csca_key,
            &CrlParams {
                this_update: nb,
                next_update: Some(add_days(nb, 90)?),
                crl_number: 1,
                revoked: Vec::new(),
            },
        )?;
        let master_list = sign_master_list(
            std::slice::from_ref(&csca),
            &master_list_signer,
            &SignOptions::default(),
        )?;
        Ok(Self {
            csca,
            csca_key,
            document_signer: DocumentSigner::new(ds, ds_key)?,
            master_list_signer,
            crl,
            master_list,
        })
    }

    /// `(file name, contents)` of every file ([`files`]); the key files
    /// zeroize on drop.
    ///
    /// # Errors
    /// Encoding errors.
    pub fn files(&self) -> Result<Vec<NamedFile>, PkiError> {
        let cert = |c: &Certificate| -> Result<Zeroizing<Vec<u8>>, PkiError> {
            Ok(Zeroizing::new(
                c.to_der().map_err(PkiError::der("certificate"))?,
            ))
        };
        let key = |k: &SigningKey| -> Result<Zeroizing<Vec<u8>>, PkiError> {
            Ok(Zeroizing::new(k.to_pkcs8_der()?.as_bytes().to_vec()))
        };
        Ok(vec![
            (files::CSCA_CERT, cert(&self.csca)?),
            (files::CSCA_KEY, key(&self.csca_key)?),
            (files::DS_CERT, cert(self.document_signer.certificate())?),
            (files::DS_KEY, key(self.document_signer.key())?),
            (
                files::ML_SIGNER_CERT,
                cert(self.master_list_signer.certificate())?,
            ),
            (files::ML_SIGNER_KEY, key(self.master_list_signer.key())?),
            (
                files::CRL,
                Zeroizing::new(self.crl.to_der().map_err(PkiError::der("CRL"))?),
            ),
            (files::MASTER_LIST, Zeroizing::new(self.master_list.clone())),
        ])
    }
}

/// `time` plus `days` days.
///
/// # Errors
/// [`PkiError::InvalidValidity`] when the result leaves `DateTime`'s range.
pub fn add_days(time: DateTime, days: u32) -> Result<DateTime, PkiError> {
    let secs = core::time::Duration::from_secs(u64::from(days) * 86_400);
    time.unix_duration()
        .checked_add(secs)
        .and_then(|d| DateTime::from_unix_duration(d).ok())
        .ok_or(PkiError::InvalidValidity("date out of range"))
}
