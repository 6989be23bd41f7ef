//! The passive-authentication test matrix (`test-vectors/pa-matrix/`):
//! complete inputs for a verifier — a dump folder, the files of a trust
//! store and the verdict they must give — built with this crate's
//! generator. Positive cases cover every algorithm and curve (named and
//! explicit parameters); every negative case breaks exactly one rule, named
//! by its check id from `notes/pa-checks.md` (the layout and the check each
//! defect maps to are fixed in `test-vectors/pa-matrix/README.md`).
//!
//! [`generate`] is a pure function of [`MATRIX_SEED`] and the keys in the
//! [`KeyPool`]: EC keys are derived from the seed; RSA keys, slow to make,
//! are loaded from the committed PKCS#8 files in `test-vectors/pki/keys/`
//! (and generated from the seed only when missing). The committed matrix is
//! written by `cargo run -p mrtd-pki --example gen_pa_matrix`, and a test
//! regenerates it and compares every byte.

mod cases;

use std::collections::BTreeMap;

use chacha20::ChaCha20Rng;
use der::DateTime;
use mrtd_groups::CurveId;
use pkcs8::SecretDocument;
use rand_core::SeedableRng;
use serde::{Deserialize, Serialize};
use sha2::Digest;

use crate::PkiError;
use crate::key::{KeyAlgorithm, KeyType, SigningKey};

/// Seed of every key and serial number of the matrix.
pub const MATRIX_SEED: [u8; 32] = *b"mrtd PA matrix v1 - not secret!!";

/// The verification time of every case (`--at`): all certificates are
/// placed around it, so the matrix gives the same verdicts every day.
pub const VERIFICATION_TIME: &str = "2026-06-01T00:00:00Z";

/// The overall verdict of passive authentication.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Nothing failed and a trust anchor was found.
    Valid,
    /// A check failed.
    Invalid,
    /// Nothing failed, but no trust anchor for the issuer.
    Unknown,
}

/// `expected.json` of a case (format of `test-vectors/pa-matrix/README.md`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Expected {
    /// What the case exercises, one sentence.
    pub description: String,
    /// The verdict the report must have.
    pub verdict: Verdict,
    /// The check that must fail (`invalid` only).
    pub failing_check: Option<String>,
    /// Further checks that must fail too.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_failing_checks: Vec<String>,
    /// Exact statuses required for the named checks.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub status: BTreeMap<String, String>,
    /// The verification time, RFC 3339 UTC.
    pub at: String,
    /// MRZ issuing state to use instead of the one in DG1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuing_state: Option<String>,
    /// Whether a store file is meant to be refused at import.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub import_may_reject: bool,
}

/// One case: a directory `<name>/` with `expected.json`, `dump/` and
/// (unless empty) `store/`.
#[derive(Clone, Debug)]
pub struct MatrixCase {
    /// Directory name (`[a-z0-9-]`).
    pub name: String,
    /// The expected result.
    pub expected: Expected,
    /// `(file name, contents)` of `dump/`, as `mrtd read --out` names them.
    pub dump: Vec<(String, Vec<u8>)>,
    /// `(file name, contents)` of `store/`, imported in name order.
    pub store: Vec<(String, Vec<u8>)>,
    /// The CSCA / DS algorithm of the case (for the index).
    pub algorithm: String,
}

impl MatrixCase {
    /// Every file of the case, as `(path relative to the case directory,
    /// contents)`; `expected.json` is pretty-printed JSON with a final
    /// newline.
    ///
    /// # Errors
    /// [`PkiError::InvalidInput`] if the expected result does not
    /// serialize (it always does).
    pub fn files(&self) -> Result<Vec<(String, Vec<u8>)>, PkiError> {
        let mut out = vec![("expected.json".to_owned(), to_json(&self.expected)?)];
        out.extend(
            self.dump
                .iter()
                .map(|(n, b)| (format!("dump/{n}"), b.clone())),
        );
        out.extend(
            self.store
                .iter()
                .map(|(n, b)| (format!("store/{n}"), b.clone())),
        );
        Ok(out)
    }
}

/// An entry of `index.json`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexEntry {
    /// Directory name.
    pub case: String,
    /// What it exercises.
    pub description: String,
    /// Expected verdict.
    pub verdict: Verdict,
    /// The check that must fail, if any.
    pub failing_check: Option<String>,
    /// Checks whose status is pinned (e.g. `algorithm.policy: warn`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub status: BTreeMap<String, String>,
    /// CSCA / DS algorithm.
    pub algorithm: String,
}

/// `index.json`: every case, in directory order.
///
/// # Errors
/// Serialization errors (none in practice).
pub fn index_json(cases: &[MatrixCase]) -> Result<Vec<u8>, PkiError> {
    let mut entries: Vec<IndexEntry> = cases
        .iter()
        .map(|c| IndexEntry {
            case: c.name.clone(),
            description: c.expected.description.clone(),
            verdict: c.expected.verdict,
            failing_check: c.expected.failing_check.clone(),
            status: c.expected.status.clone(),
            algorithm: c.algorithm.clone(),
        })
        .collect();
    entries.sort_by(|a, b| a.case.cmp(&b.case));
    to_json(&entries)
}

fn to_json<T: Serialize>(value: &T) -> Result<Vec<u8>, PkiError> {
    let mut out = serde_json::to_vec_pretty(value)
        .map_err(|e| PkiError::InvalidInput(format!("JSON: {e}")))?;
    out.push(b'\n');
    Ok(out)
}

/// The keys of the matrix, by label. EC keys are derived from the seed on
/// demand; RSA keys come from [`KeyPool::insert_pkcs8`] (the committed
/// files) or, if allowed, are generated from the seed (slow).
pub struct KeyPool {
    seed: [u8; 32],
    keys: BTreeMap<String, SigningKey>,
    generated: Vec<String>,
    allow_rsa_generation: bool,
}

impl core::fmt::Debug for KeyPool {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("KeyPool")
            .field("labels", &self.keys.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

/// RSA keys the matrix uses: `(label, modulus bits)`; committed as
/// `test-vectors/pki/keys/<label>.pk8`.
pub const RSA_KEYS: [(&str, u16); 8] = [
    ("csca-rsa2048", 2048),
    ("ds-rsa2048", 2048),
    ("csca-rsa3072", 3072),
    ("ds-rsa3072", 3072),
    ("csca-rsa4096", 4096),
    ("ds-rsa4096", 4096),
    ("ds-rsa1024", 1024),
    ("ds-rsa768", 768),
];

impl KeyPool {
    /// An empty pool over `seed`. With `allow_rsa_generation` false, a
    /// missing RSA key is an error instead of seconds of key generation.
    #[must_use]
    pub fn new(seed: [u8; 32], allow_rsa_generation: bool) -> Self {
        Self {
            seed,
            keys: BTreeMap::new(),
            generated: Vec::new(),
            allow_rsa_generation,
        }
    }

    /// Adds a key from PKCS#8 DER under `label`.
    ///
    /// # Errors
    /// Decoding errors.
    pub fn insert_pkcs8(&mut self, label: &str, der: &[u8]) -> Result<(), PkiError> {
        self.keys
            .insert(label.to_owned(), SigningKey::from_pkcs8_der(der)?);
        Ok(())
    }

    /// Labels of RSA keys generated (not loaded) so far, with their PKCS#8
    /// encoding — to be committed so later runs load them.
    ///
    /// # Errors
    /// Encoding errors.
    pub fn generated_rsa_keys(&self) -> Result<Vec<(String, SecretDocument)>, PkiError> {
        self.generated
            .iter()
            .filter_map(|label| self.keys.get(label).map(|k| (label, k)))
            .map(|(label, key)| Ok((label.clone(), key.to_pkcs8_der()?)))
            .collect()
    }

    /// The key `label` of type `key_type` (any default scheme; callers set
    /// theirs).
    ///
    /// # Errors
    /// [`PkiError::InvalidInput`] if the label is known with another type,
    /// or is a missing RSA key while generation is not allowed.
    pub fn get(&mut self, label: &str, key_type: KeyType) -> Result<SigningKey, PkiError> {
        if let Some(key) = self.keys.get(label) {
            if key.key_type() != key_type {
                return Err(PkiError::InvalidInput(format!(
                    "key {label} is {} but {key_type} was asked for",
                    key.key_type()
                )));
            }
            return Ok(key.clone());
        }
        let algorithm = match key_type {
            KeyType::Ec(curve) => KeyAlgorithm::ecdsa(curve),
            KeyType::Rsa { bits } => {
                if !self.allow_rsa_generation {
                    return Err(PkiError::InvalidInput(format!(
                        "RSA key {label} is not in the pool (commit test-vectors/pki/keys/{label}.pk8 \
                         or run the generator with RSA generation allowed)"
                    )));
                }
                self.generated.push(label.to_owned());
                KeyAlgorithm::RsaPkcs1v15 {
                    bits,
                    digest: crate::DigestAlgorithm::Sha256,
                }
            }
        };
        let mut rng = derived_rng(&self.seed, "key", label);
        let key = SigningKey::try_generate(algorithm, &mut rng)?;
        self.keys.insert(label.to_owned(), key.clone());
        Ok(key)
    }
}

/// ChaCha20 seeded with SHA-256(seed ‖ purpose ‖ 0 ‖ label): independent
/// streams per key and per case, so adding a case changes no other.
pub(crate) fn derived_rng(seed: &[u8; 32], purpose: &str, label: &str) -> ChaCha20Rng {
    let mut h = sha2::Sha256::new();
    h.update(seed);
    h.update(purpose.as_bytes());
    h.update([0]);
    h.update(label.as_bytes());
    ChaCha20Rng::from_seed(h.finalize().into())
}

/// Every case of the matrix, in a fixed order.
///
/// # Errors
/// Generation errors; [`PkiError::InvalidInput`] for an RSA key missing
/// from a pool that may not generate it.
pub fn generate(pool: &mut KeyPool) -> Result<Vec<MatrixCase>, PkiError> {
    cases::all(pool)
}

/// The curves the matrix covers (every curve a passport may use).
#[must_use]
pub fn curves() -> Vec<CurveId> {
    KeyAlgorithm::curves().collect()
}

pub(crate) fn date(y: u16, m: u8, d: u8) -> Result<DateTime, PkiError> {
    DateTime::new(y, m, d, 0, 0, 0).map_err(|_| PkiError::InvalidValidity("date out of range"))
}
