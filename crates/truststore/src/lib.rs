//! A trust store kept in a directory: every certificate and CRL as its own
//! DER file, plus `index.json` with the roles, sources and list records
//! the in-memory [`TrustStore`] keeps.
//!
//! ```text
//! STORE/
//!   index.json              {"schema": "mrtd-truststore/1", "certificates": [...], "crls": [...], "lists": [...]}
//!   certs/<sha256>.der      one per certificate (CSCA, link, DS, list signer)
//!   crls/<sha256>.crl       one per CRL
//! ```
//!
//! This crate is the I/O half of `mrtd-trust` (which is pure): `mrtd trust
//! import|list|show` and `mrtd verify` use it. The index is written to a
//! temporary file and renamed, so an interrupted import leaves the old
//! index in place. The directory is trusted local state: whoever can write
//! it decides what is trusted.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

use std::path::{Path, PathBuf};

use mrtd_trust::{CertRole, ListRecord, RustCryptoVerifier, Timestamp, TrustStore};
use serde::{Deserialize, Serialize};

/// The index schema name.
pub const SCHEMA: &str = "mrtd-truststore/1";

/// What went wrong reading or writing a store directory.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The error.
        #[source]
        source: std::io::Error,
    },
    /// `index.json` is not a store index of this version.
    #[error("{path}: not a trust store index: {detail}")]
    Index {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        detail: String,
    },
    /// A stored certificate or CRL no longer decodes.
    #[error("{path}: {detail}")]
    Object {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        detail: String,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.to_owned(),
        source,
    }
}

/// One certificate in the index.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CertEntry {
    /// SHA-256 fingerprint, hex.
    pub id: String,
    /// Role.
    pub role: CertRole,
    /// Subject (for people reading the index).
    pub subject: String,
    /// Subject country.
    pub country: Option<String>,
    /// notAfter.
    pub not_after: Timestamp,
    /// Where it came from.
    pub sources: Vec<String>,
    /// File, relative to the store directory.
    pub file: String,
}

/// One CRL in the index.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CrlEntry {
    /// SHA-256 fingerprint, hex.
    pub id: String,
    /// Issuer.
    pub issuer: String,
    /// thisUpdate.
    pub this_update: Timestamp,
    /// nextUpdate.
    pub next_update: Option<Timestamp>,
    /// Where it came from.
    pub sources: Vec<String>,
    /// File, relative to the store directory.
    pub file: String,
}

/// `index.json`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Index {
    /// [`SCHEMA`].
    pub schema: String,
    /// The certificates.
    pub certificates: Vec<CertEntry>,
    /// The CRLs.
    pub crls: Vec<CrlEntry>,
    /// The imported master and deviation lists.
    pub lists: Vec<ListRecord>,
}

/// The default store directory: `$MRTD_HOME/trust`, else
/// `$XDG_DATA_HOME/mrtd/trust`, else `~/.local/share/mrtd/trust`.
#[must_use]
pub fn default_dir() -> Option<PathBuf> {
    if let Some(home) = std::env::var_os("MRTD_HOME").filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(home).join("trust"));
    }
    if let Some(data) = std::env::var_os("XDG_DATA_HOME").filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(data).join("mrtd").join("trust"));
    }
    std::env::var_os("HOME")
        .filter(|v| !v.is_empty())
        .map(|h| PathBuf::from(h).join(".local/share/mrtd/trust"))
}

/// Reads the index of `dir` (`None` when the directory has no store yet).
///
/// # Errors
/// [`StoreError`] for an unreadable or foreign index.
pub fn read_index(dir: &Path) -> Result<Option<Index>, StoreError> {
    let path = dir.join("index.json");
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io(&path)(e)),
    };
    let index: Index = serde_json::from_slice(&bytes).map_err(|e| StoreError::Index {
        path: path.clone(),
        detail: e.to_string(),
    })?;
    if index.schema != SCHEMA {
        return Err(StoreError::Index {
            path,
            detail: format!("schema {:?}, expected {SCHEMA:?}", index.schema),
        });
    }
    Ok(Some(index))
}

/// Loads the store in `dir` (an empty store if there is none yet). CRL
/// signatures are verified again against the loaded CSCAs.
///
/// # Errors
/// [`StoreError`] for unreadable files or objects that no longer decode.
pub fn load(dir: &Path) -> Result<TrustStore, StoreError> {
    let mut store = TrustStore::new();
    let Some(index) = read_index(dir)? else {
        return Ok(store);
    };
    for c in index.certificates {
        let path = dir.join(&c.file);
        let der = std::fs::read(&path).map_err(io(&path))?;
        store
            .restore_certificate(&der, c.role, c.sources)
            .map_err(|e| StoreError::Object {
                path,
                detail: e.to_string(),
            })?;
    }
    for c in index.crls {
        let path = dir.join(&c.file);
        let der = std::fs::read(&path).map_err(io(&path))?;
        store
            .restore_crl(&der, c.sources)
            .map_err(|e| StoreError::Object {
                path,
                detail: e.to_string(),
            })?;
    }
    for l in index.lists {
        store.restore_list(l);
    }
    store.finish_restore(&RustCryptoVerifier);
    Ok(store)
}

/// Writes `store` to `dir`: object files that are not there yet, then the
/// index (atomically, by rename).
///
/// # Errors
/// [`StoreError::Io`].
pub fn save(dir: &Path, store: &TrustStore) -> Result<(), StoreError> {
    let certs_dir = dir.join("certs");
    let crls_dir = dir.join("crls");
    std::fs::create_dir_all(&certs_dir).map_err(io(&certs_dir))?;
    std::fs::create_dir_all(&crls_dir).map_err(io(&crls_dir))?;
    let mut index = Index {
        schema: SCHEMA.to_owned(),
        certificates: Vec::new(),
        crls: Vec::new(),
        lists: store.lists().cloned().collect(),
    };
    for c in store.certificates() {
        let id = c.cert.id();
        let file = format!("certs/{id}.der");
        write_once(&dir.join(&file), c.cert.der())?;
        index.certificates.push(CertEntry {
            id,
            role: c.role,
            subject: c.cert.subject.to_string(),
            country: c.cert.subject.country().map(str::to_owned),
            not_after: c.cert.not_after,
            sources: c.sources.clone(),
            file,
        });
    }
    for c in store.crls() {
        let id = c.crl.id();
        let file = format!("crls/{id}.crl");
        write_once(&dir.join(&file), c.crl.der())?;
        index.crls.push(CrlEntry {
            id,
            issuer: c.crl.issuer.to_string(),
            this_update: c.crl.this_update,
            next_update: c.crl.next_update,
            sources: c.sources.clone(),
            file,
        });
    }
    let json = serde_json::to_vec_pretty(&index).map_err(|e| StoreError::Index {
        path: dir.join("index.json"),
        detail: e.to_string(),
    })?;
    let tmp = dir.join("index.json.tmp");
    std::fs::write(&tmp, json).map_err(io(&tmp))?;
    let path = dir.join("index.json");
    std::fs::rename(&tmp, &path).map_err(io(&path))
}

/// Writes a content-addressed file unless it already exists.
fn write_once(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    if path.is_file() {
        return Ok(());
    }
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, bytes).map_err(io(&tmp))?;
    std::fs::rename(&tmp, path).map_err(io(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csca() -> Vec<u8> {
        std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../test-vectors/pki/csca.der"
        ))
        .expect("the committed test PKI (test-vectors/pki/csca.der) is missing")
    }

    #[test]
    fn save_and_load_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(load(dir.path()).unwrap().certificates().count(), 0);
        let mut store = TrustStore::new();
        store.import(&csca(), "csca.der");
        store.import(
            &std::fs::read(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../test-vectors/pki/ds.der"
            ))
            .unwrap(),
            "ds.der",
        );
        save(dir.path(), &store).unwrap();
        let loaded = load(dir.path()).unwrap();
        let roles: Vec<_> = loaded
            .certificates()
            .map(|c| (c.role, c.sources.clone()))
            .collect();
        assert_eq!(
            roles,
            [
                (CertRole::Csca, vec!["csca.der".to_owned()]),
                (CertRole::DocumentSigner, vec!["ds.der".to_owned()])
            ]
        );
        // Saving again is idempotent.
        save(dir.path(), &loaded).unwrap();
        assert_eq!(
            read_index(dir.path()).unwrap().unwrap().certificates.len(),
            2
        );
    }

    #[test]
    fn a_foreign_index_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("index.json"),
            br#"{"schema":"other","certificates":[],"crls":[],"lists":[]}"#,
        )
        .unwrap();
        assert!(matches!(load(dir.path()), Err(StoreError::Index { .. })));
    }
}
